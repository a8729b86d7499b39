/* The one libmicrohttpd handler: limits, headers, auth, dispatch through the
 * route table, and rendering of responses. Handlers never see libmicrohttpd.
 *
 * A request is answered on the second call of the access handler, never the
 * first, so keep-alive connections stay open (libmicrohttpd closes the
 * connection when a response is queued before the request was read). Early
 * refusals (413, 415, bad framing) are the exception: they close on purpose. */
#include "util/compat.h"
#include "net/http.h"
#include "net/worker.h"
#include "net/auth.h"
#include "net/metrics.h"
#include "net/reply.h"
#include "net/routes.h"
#include "net/static.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#define CONNECTION_MEMORY_BYTES (8 * KiB) /* the default 32 KiB is zeroed per request */
#define MAX_DB_CONNECTIONS 256
#define MAX_DISCARD_BYTES (1024 * KiB)
/* Live screens keep their connections open: room for many of them. */
#define MAX_CONNECTIONS 4096

static const char CSP[] = "default-src 'self'; object-src 'none'; base-uri 'none'; "
			  "frame-ancestors 'none'";

struct conn_ctx {
	struct req r;
	const struct route *route;
	int route_index; /* METRICS_* or index into routes[] */
	struct buf body;
	uint64_t start_ns, queued_ns;
	int status;
	bool queued;
	bool path_known; /* some route has this path, under another method */
	size_t discarded; /* bytes of an over-long body thrown away */
};

/* ---- one database connection per worker thread ---- */

static const char *server_db_path;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *conns[MAX_DB_CONNECTIONS];
static int nconns;
static __thread struct db *thread_db;

static struct db *worker_db(void)
{
	if (thread_db)
		return thread_db;
	char err[256];
	struct db *db = db_open(server_db_path, err, sizeof(err));
	if (!db) {
		log_error("%s", err);
		return NULL;
	}
	pthread_mutex_lock(&conns_lock);
	if (nconns == MAX_DB_CONNECTIONS) {
		pthread_mutex_unlock(&conns_lock);
		db_close(db);
		return NULL;
	}
	conns[nconns++] = db;
	pthread_mutex_unlock(&conns_lock);
	thread_db = db;
	return db;
}

/* ---- responses ---- */

static void add_common_headers(struct MHD_Response *resp, bool api)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", api ? "no-store" : "no-cache");
}

static enum MHD_Result queue(struct conn_ctx *ctx, struct MHD_Connection *c, int status,
			     struct MHD_Response *resp)
{
	ctx->status = status;
	ctx->queued = true;
	ctx->queued_ns = clock_mono_ns();
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Renders r->res: the error if one was set, else the JSON or text body. */
static enum MHD_Result send_res(struct conn_ctx *ctx, struct MHD_Connection *c)
{
	struct res *res = &ctx->r.res;
	int status = res->status ? res->status : 200;
	if (res->stream && res->err == E_OK) {
		struct MHD_Response *resp = stream_response(c, res);
		if (!resp)
			return MHD_NO;
		add_common_headers(resp, true);
		MHD_add_response_header(resp, "Content-Type", res->content_type);
		MHD_add_response_header(resp, "X-Accel-Buffering", "no");
		return queue(ctx, c, 200, resp);
	}
	if (res->err != E_OK) {
		json_decref(res->json);
		status = reply_err(res->err)->status;
		res->json = reply_error_json(res->err, res->err_field, res->err_message);
	}
	char *body = NULL;
	size_t len = 0;
	const char *type = res->content_type;
	if (status == 204) {
		json_decref(res->json);
		res->json = NULL;
	} else if (res->json) {
		body = json_dumps(res->json, JSON_COMPACT);
		if (!body)
			return MHD_NO;
		len = strlen(body);
		type = "application/json; charset=utf-8";
	} else if (res->text) {
		body = res->text;
		len = res->text_len;
		res->text = NULL;
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body ? body : (void *)"", body ? MHD_RESPMEM_MUST_FREE
										    : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	add_common_headers(resp, true);
	if (type && len)
		MHD_add_response_header(resp, "Content-Type", type);
	for (int i = 0; i < res->nheaders; i++)
		MHD_add_response_header(resp, res->headers[i][0], res->headers[i][1]);
	if (res->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%d", res->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	return queue(ctx, c, status, resp);
}

static enum MHD_Result send_error(struct conn_ctx *ctx, struct MHD_Connection *c, enum err e,
				  const char *field, const char *message)
{
	req_fail(&ctx->r, e, field, "%s", message);
	return send_res(ctx, c);
}

static enum MHD_Result send_static(struct conn_ctx *ctx, struct MHD_Connection *c,
				   const struct static_file *f)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	add_common_headers(resp, false);
	MHD_add_response_header(resp, "Content-Type", f->content_type);
	return queue(ctx, c, 200, resp);
}

/* ---- request checks ---- */

struct framing {
	int content_length, transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct framing *f = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		f->content_length++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		f->transfer_encoding++;
	return MHD_YES;
}

static bool json_content_type(const char *ct)
{
	static const char want[] = "application/json";
	if (!ct || strncasecmp(ct, want, sizeof(want) - 1) != 0)
		return false;
	char next = ct[sizeof(want) - 1];
	return next == '\0' || next == ';' || next == ' ';
}

struct query_walk {
	struct req *r;
	const char *const *allowed;
	enum err err;
	const char *field;
	const char *message;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct query_walk *w = cls;
	struct req *r = w->r;
	bool known = false;
	for (const char *const *a = w->allowed; a && *a; a++)
		if (strcmp(*a, key) == 0)
			known = true;
	if (!known) {
		w->err = E_FIELD_UNKNOWN;
		w->field = arena_strndup(&r->arena, key, strnlen(key, 64));
		w->message = "is not a query parameter of this request";
		return MHD_NO;
	}
	if (req_query(r, key)) {
		w->err = E_FIELD_INVALID;
		w->field = arena_strdup(&r->arena, key);
		w->message = "is given more than once";
		return MHD_NO;
	}
	if (r->nquery == REQ_MAX_QUERY) {
		w->err = E_BAD_REQUEST;
		w->message = "too many query parameters";
		return MHD_NO;
	}
	r->query[r->nquery][0] = arena_strdup(&r->arena, key);
	r->query[r->nquery][1] = arena_strdup(&r->arena, value ? value : "");
	r->nquery++;
	return MHD_YES;
}

/* jansson names a duplicate key in its message: "duplicate object key near '"name"'". */
static const char *json_error_field(struct arena *a, const json_error_t *je)
{
	const char *q = strstr(je->text, "'\"");
	if (!strstr(je->text, "duplicate") || !q)
		return NULL;
	q += 2;
	const char *end = strstr(q, "\"'");
	return end ? arena_strndup(a, q, (size_t)(end - q)) : NULL;
}

static bool mutating(enum method m)
{
	return m == M_POST || m == M_PUT || m == M_PATCH || m == M_DELETE;
}

/* Ends the transaction begun for the request: commit on success, and tell
 * the live stream a write landed. */
static enum err finish_tx(struct req *r, enum err e, bool write)
{
	if (e == E_OK) {
		enum db_rc rc = db_commit(r->db);
		if (rc == DB_OK) {
			if (write)
				stream_notify();
			return E_OK;
		}
		e = req_db_fail(r, rc);
	}
	db_rollback(r->db);
	return e;
}

/* The checks on who is calling and what they sent, then the handler. A
 * read route runs all of it in one read transaction (one snapshot, one lock
 * round); a write route takes the write lock only after the slow prepare
 * step, for the handler alone. */
static enum err run_route(struct conn_ctx *ctx, struct MHD_Connection *c)
{
	struct req *r = &ctx->r;
	const struct route *rt = ctx->route;
	const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	r->session_token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (rt->flags & F_STREAM)
		r->last_event_id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
	enum err e = auth_resolve(r, authz);
	if (e)
		return e;
	if (rt->flags & F_AUTH) {
		if (r->caller.kind == CALLER_NONE)
			return req_fail(r, E_UNAUTHORIZED, NULL, "sign in first");
		if (rt->roles && !(rt->roles & r->caller.role))
			return req_fail(r, E_FORBIDDEN, NULL, "your role may not do this");
	}
	if (r->caller.kind == CALLER_SESSION && mutating(r->method) && !(rt->flags & F_NO_CSRF)) {
		const char *csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!auth_csrf_ok(r->session_token, csrf))
			return req_fail(r, E_CSRF, "X-CSRF-Token",
					"the X-CSRF-Token header is missing or wrong");
	}

	if (rt->flags & F_JSON) {
		json_error_t je;
		r->body = json_loadb(ctx->body.data ? ctx->body.data : "", ctx->body.len,
				     JSON_REJECT_DUPLICATES, &je);
		if (!r->body) {
			const char *field = json_error_field(&r->arena, &je);
			if (field)
				return req_fail(r, E_INVALID_JSON, field, "%s is given more than once", field);
			return req_fail(r, E_INVALID_JSON, NULL, "invalid JSON at line %d column %d: %s",
					je.line, je.column, je.text);
		}
		struct spec_error se;
		if (rt->spec && !spec_check(*rt->spec, r->body, rt->flags & F_PATCH, &se))
			return req_fail(r, se.code, se.field[0] ? se.field : NULL, "%s", se.message);
	}

	if (rt->prepare && (e = rt->prepare(r)) != E_OK)
		return e;
	if (!(rt->flags & F_WRITE))
		return rt->handler(r);
	enum db_rc rc = db_begin(r->db, true);
	if (rc != DB_OK)
		return req_db_fail(r, rc);
	return finish_tx(r, rt->handler(r), true);
}

/* Runs the route's checks in order (query, caller, role, CSRF, body), then
 * its handler. Who may call comes before what they sent, so validation
 * tells nothing to those who may not call. */
static enum err dispatch(struct conn_ctx *ctx, struct MHD_Connection *c)
{
	struct req *r = &ctx->r;
	const struct route *rt = ctx->route;

	struct query_walk w = {.r = r, .allowed = rt->query};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &w);
	if (w.err)
		return req_fail(r, w.err, w.field, "%s %s", w.field ? w.field : "query", w.message);

	if (!(rt->flags & F_AUTH)) {
		/* public pages make links to themselves */
		r->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
		r->forwarded_proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	}
	r->db = worker_db();
	if (!r->db)
		return req_fail(r, E_UNAVAILABLE, NULL, "the database is unavailable");
	if (!(rt->flags & F_READ))
		return run_route(ctx, c);
	enum db_rc rc = db_begin(r->db, false);
	if (rc != DB_OK)
		return req_db_fail(r, rc);
	return finish_tx(r, run_route(ctx, c), false);
}

static const char *client_ip(struct MHD_Connection *c, struct arena *a)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip, sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip, sizeof(ip));
	}
	return arena_strdup(a, ip);
}

/* First call: route the request and refuse what must not be read. */
static enum MHD_Result on_first_call(struct conn_ctx *ctx, struct MHD_Connection *c, const char *url,
				     const char *method)
{
	struct req *r = &ctx->r;
	r->method = method_parse(method);
	r->path = arena_strdup(&r->arena, url);
	r->client_ip = client_ip(c, &r->arena);
	ctx->route_index = METRICS_UNMATCHED;

	struct framing f = {0, 0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	if (f.content_length > 1 || (f.content_length && f.transfer_encoding))
		return send_error(ctx, c, E_BAD_REQUEST, NULL,
				  "conflicting Content-Length and Transfer-Encoding headers");

	ctx->route = routes_match(r->method, r->path, r, &ctx->path_known);
	if (ctx->route) {
		ctx->route_index = (int)(ctx->route - routes);
		size_t max = ctx->route->flags & F_JSON ? ctx->route->max_body : 0;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t n = 0;
		if (cl && !parse_i64(cl, 0, INT64_MAX, &n))
			return send_error(ctx, c, E_BAD_REQUEST, NULL, "invalid Content-Length");
		if ((size_t)n > max) {
			char msg[96];
			snprintf(msg, sizeof(msg), "the body is larger than this request allows (%zu bytes)", max);
			return send_error(ctx, c, E_TOO_LARGE, NULL, msg);
		}
		if (ctx->route->flags & F_JSON &&
		    !json_content_type(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
			return send_error(ctx, c, E_MEDIA_TYPE, "Content-Type",
					  "the body must be sent as Content-Type: application/json");
		buf_init(&ctx->body, max);
	} else {
		buf_init(&ctx->body, 0);
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct conn_ctx *ctx = *con_cls;
	if (!ctx) {
		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return MHD_NO;
		arena_init(&ctx->r.arena);
		ctx->start_ns = clock_mono_ns();
		*con_cls = ctx;
		return on_first_call(ctx, c, url, method);
	}
	if (ctx->queued) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* A chunked body has no length to refuse up front. libmicrohttpd
		 * cannot answer mid-upload, so discard the rest and answer 413 at
		 * the end, or drop the connection if it goes on far too long. */
		if (!buf_append(&ctx->body, upload_data, *upload_data_size)) {
			ctx->discarded += *upload_data_size;
			if (ctx->discarded > MAX_DISCARD_BYTES)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->route && ctx->body.overflow) {
		char msg[96];
		snprintf(msg, sizeof(msg), "the body is larger than this request allows (%zu bytes)",
			 ctx->body.max);
		return send_error(ctx, c, E_TOO_LARGE, NULL, msg);
	}

	struct req *r = &ctx->r;
	if (!ctx->route) {
		if (r->method == M_OPTIONS && ctx->path_known) {
			char allow[128];
			routes_allow(r->path, allow, sizeof(allow));
			req_header(r, "Allow", allow);
			r->res.status = 204;
			return send_res(ctx, c);
		}
		if (ctx->path_known) {
			char allow[128];
			routes_allow(r->path, allow, sizeof(allow));
			req_header(r, "Allow", allow);
			return send_error(ctx, c, E_METHOD, NULL, "this method is not allowed here");
		}
		struct static_file f;
		/* a survey link, /s/TOKEN, is the survey page, and a mystery-shop
		 * link, /a/TOKEN, the audit page; each reads the token itself */
		bool link = (strncmp(r->path, "/s/", 3) == 0 || strncmp(r->path, "/a/", 3) == 0) &&
			    r->path[3] && !strchr(r->path + 3, '/');
		const char *page = !link ? r->path : r->path[1] == 's' ? "/survey.html" : "/audit.html";
		if ((r->method == M_GET || r->method == M_HEAD) && strncmp(r->path, "/api/", 5) != 0 &&
		    static_find(page, &f)) {
			ctx->route_index = METRICS_STATIC;
			return send_static(ctx, c, &f);
		}
		return send_error(ctx, c, E_NOT_FOUND, NULL, "no such route");
	}
	dispatch(ctx, c);
	return send_res(ctx, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *ctx = *con_cls;
	if (!ctx)
		return;
	/* a stream's time is until it was answered, not until it ended */
	bool stream = ctx->route && ctx->route->flags & F_STREAM;
	if (ctx->queued)
		metrics_record(ctx->route_index, ctx->status,
			       (stream ? ctx->queued_ns : clock_mono_ns()) - ctx->start_ns);
	json_decref(ctx->r.body);
	json_decref(ctx->r.res.json);
	free(ctx->r.res.text);
	buf_release(&ctx->body);
	arena_release(&ctx->r.arena);
	free(ctx);
	*con_cls = NULL;
}

static bool parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	int64_t port;
	if (!colon || !parse_i64(colon + 1, 0, 65535, &port))
		return false;
	size_t hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return false;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		host[hl - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return false;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return true;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
		return false;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	*len = sizeof(*a4);
	return true;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	/* a screen that closed its live stream: routine, not a warning */
	if (strstr(line, "/api/v1/stream") && strstr(line, "no longer available"))
		return;
	log_warn("http: %s", line);
}

int http_run(const struct http_config *cfg)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (!parse_listen(cfg->listen, &ss, &sslen)) {
		log_error("--listen must be HOST:PORT, e.g. 127.0.0.1:8080 (got %s)", cfg->listen);
		return 2;
	}
	server_db_path = cfg->db_path;
	unsigned threads = cfg->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* each open stream holds a descriptor */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	if (!stream_start(cfg->db_path)) {
		log_error("cannot start the live stream");
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
		cfg->timeout_seconds, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY_BYTES,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on %s", cfg->listen);
		stream_stop();
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char shown[96];
	snprintf(shown, sizeof(shown), "%.*s:%u", (int)(strrchr(cfg->listen, ':') - cfg->listen),
		 cfg->listen, info ? info->port : 0);
	log_info("maitred listening on http://%s (%u threads)", shown, threads);
	if (!worker_start(cfg->db_path)) {
		log_error("cannot start the background worker");
		stream_stop();
		MHD_stop_daemon(d);
		return 1;
	}

	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: shutting down", sig);
	stream_stop();
	MHD_stop_daemon(d);
	worker_stop();
	pthread_mutex_lock(&conns_lock);
	for (int i = 0; i < nconns; i++)
		db_close(conns[i]);
	nconns = 0;
	pthread_mutex_unlock(&conns_lock);
	return 0;
}
