/* Black-box API test runner. Each case file is a JSON array of steps run
 * against a fresh database and a real maitred server on an ephemeral port.
 *
 * A step is one of:
 *   {"name", "method", "path", "as"|"session", "body"|"raw_body", "headers",
 *    "status", "expect", "expect_headers", "absent_headers", "save", "csrf"}
 *   {"name", "raw": "GET / HTTP/1.1\r\n...", "status"}        raw bytes over TCP
 *   {"name", "cli": [args], "stdin", "exit", "stdout_match"}   the command line
 *   {"name", "stream_open": NAME, "path", "as", "headers"}     opens a live stream (200)
 *   {"name", "stream_expect": NAME, "events": [{"event", "id", "data"}], "save"}
 *       the next events on the stream match, in order, within 5 s;
 *       {"comment": "keep-alive"} matches a comment line instead
 *   {"name", "stream_quiet": NAME, "ms"}  no event arrives for ms milliseconds
 *   {"name", "stream_close": NAME}
 *   {"name", "sqlite": SQL}  runs SQL on the server's database with the sqlite3
 *       shell, to move a stored time into the past (what a clock would do)
 * "as" picks a bearer token by role (owner, manager, host, kitchen) or "none";
 * "session" names a cookie jar; its CSRF token is sent on writes unless
 * "csrf" is false or a string to send instead. "save" maps a variable to a
 * dotted path in the response; "${var}" is replaced in strings, as are
 * "${now}" and "${now-3d}" / "${now+2h}" (RFC 3339), and "${repeat:N:TEXT}" by N
 * copies of TEXT. In "expect", values
 * match as a subset; "$any", "$string", "$int", "$null" and "$absent" match by kind.
 * Prints one line per step and ends with "N passed, N failed". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD "correct horse battery"
#define MAX_VARS 128
#define MAX_SESSIONS 16

static const char *bin;
static char dir[256], dbpath[300];
static int port;
static pid_t server;
static int passed, failed;

static struct {
	char name[64];
	char *value;
} vars[MAX_VARS];
static int nvars;

static struct session {
	char name[64];
	CURLSH *share; /* the session's cookies, shared by its requests */
	char csrf[128];
} sessions[MAX_SESSIONS];
static int nsessions;

static char tokens[4][80]; /* owner, manager, host, kitchen */
static const char *const roles[] = {"owner", "manager", "host", "kitchen"};

static void set_var(const char *name, const char *value)
{
	for (int i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, name) == 0) {
			free(vars[i].value);
			vars[i].value = strdup(value);
			return;
		}
	if (nvars == MAX_VARS)
		return;
	snprintf(vars[nvars].name, sizeof(vars[nvars].name), "%s", name);
	vars[nvars].value = strdup(value);
	nvars++;
}

static void rfc3339(time_t t, char *out, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ${name}, ${now}, ${now-3d}, ${now+90m} */
static bool lookup(const char *name, char *out, size_t n)
{
	if (strncmp(name, "now", 3) == 0) {
		long off = 0;
		if (name[3] == '-' || name[3] == '+') {
			char *end;
			long v = strtol(name + 4, &end, 10);
			long unit = *end == 'd' ? 86400 : *end == 'h' ? 3600 : *end == 'm' ? 60 : 1;
			off = (name[3] == '-' ? -1 : 1) * v * unit;
		} else if (name[3]) {
			return false;
		}
		rfc3339(time(NULL) + off, out, n);
		return true;
	}
	if (strcmp(name, "db") == 0) {
		snprintf(out, n, "%s", dbpath);
		return true;
	}
	if (strcmp(name, "data") == 0) { /* tests/data */
		snprintf(out, n, "%s", MAITRED_TEST_DATA);
		return true;
	}
	if (strcmp(name, "bin") == 0) {
		snprintf(out, n, "%s", bin);
		return true;
	}
	for (int i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, name) == 0) {
			snprintf(out, n, "%s", vars[i].value);
			return true;
		}
	return false;
}

/* Returns a malloc'd copy of s with ${…} replaced. */
static char *subst(const char *s)
{
	size_t cap = strlen(s) + 256, len = 0;
	char *out = malloc(cap);
	while (*s) {
		const char *end;
		if (s[0] == '$' && s[1] == '{' && (end = strchr(s, '}'))) {
			char name[64], val[1024];
			size_t nl = (size_t)(end - s - 2);
			if (nl < sizeof(name)) {
				memcpy(name, s + 2, nl);
				name[nl] = '\0';
				char *text;
				long times;
				if (strncmp(name, "repeat:", 7) == 0 && (times = strtol(name + 7, &text, 10)) > 0 &&
				    *text == ':') { /* ${repeat:N:TEXT}: N copies of TEXT, for big bodies */
					size_t tl = strlen(++text);
					if (len + tl * (size_t)times + 1 > cap)
						out = realloc(out, cap = len + tl * (size_t)times + 256);
					for (long k = 0; k < times; k++, len += tl)
						memcpy(out + len, text, tl);
					s = end + 1;
					continue;
				}
				if (lookup(name, val, sizeof(val))) {
					size_t vl = strlen(val);
					if (len + vl + 1 > cap)
						out = realloc(out, cap = (len + vl) * 2 + 1);
					memcpy(out + len, val, vl);
					len += vl;
					s = end + 1;
					continue;
				}
			}
		}
		if (len + 2 > cap)
			out = realloc(out, cap *= 2);
		out[len++] = *s++;
	}
	out[len] = '\0';
	return out;
}

/* Replaces strings in a JSON value; a string that is exactly "${x}" whose
 * value is an integer becomes that integer. */
static json_t *subst_json(json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *r = subst(s);
		json_t *out;
		char *end;
		long long n = strtoll(r, &end, 10);
		if (s[0] == '$' && s[1] == '{' && s[strlen(s) - 1] == '}' && *r && !*end && strcmp(s, "${db}"))
			out = json_integer(n);
		else
			out = json_string(r);
		free(r);
		return out;
	}
	if (json_is_object(v)) {
		json_t *o = json_object();
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) json_object_set_new(o, k, subst_json(x));
		return o;
	}
	if (json_is_array(v)) {
		json_t *a = json_array();
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) json_array_append_new(a, subst_json(x));
		return a;
	}
	return json_incref(v);
}

static char failure[2048];

static bool fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
	return false;
}

static bool match(json_t *want, json_t *got, const char *path)
{
	if (json_is_string(want)) {
		const char *w = json_string_value(want);
		if (strcmp(w, "$any") == 0)
			return got ? true : fail("%s: missing", path);
		if (strcmp(w, "$absent") == 0)
			return !got ? true : fail("%s: should be absent", path);
		if (strcmp(w, "$string") == 0)
			return json_is_string(got) ? true : fail("%s: want a string", path);
		if (strcmp(w, "$int") == 0)
			return json_is_integer(got) ? true : fail("%s: want an integer", path);
		if (strcmp(w, "$null") == 0)
			return json_is_null(got) ? true : fail("%s: want null", path);
	}
	if (!got)
		return fail("%s: missing", path);
	if (json_is_object(want)) {
		if (!json_is_object(got))
			return fail("%s: want an object", path);
		const char *k;
		json_t *x;
		json_object_foreach(want, k, x)
		{
			char sub[512];
			snprintf(sub, sizeof(sub), "%s.%s", path, k);
			if (!match(x, json_object_get(got, k), sub))
				return false;
		}
		return true;
	}
	if (json_is_array(want)) {
		if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
			return fail("%s: want an array of %zu items, got %zu", path, json_array_size(want),
				    json_is_array(got) ? json_array_size(got) : 0);
		size_t i;
		json_t *x;
		json_array_foreach(want, i, x)
		{
			char sub[512];
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (!match(x, json_array_get(got, i), sub))
				return false;
		}
		return true;
	}
	if (json_equal(want, got))
		return true;
	char *a = json_dumps(want, JSON_ENCODE_ANY), *b = json_dumps(got, JSON_ENCODE_ANY);
	fail("%s: want %s, got %s", path, a, b);
	free(a);
	free(b);
	return false;
}

static json_t *dig(json_t *v, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *seg = buf, *next; v && seg && *seg; seg = next) {
		next = strchr(seg, '.');
		if (next)
			*next++ = '\0';
		char *end;
		long idx = strtol(seg, &end, 10);
		v = (*end == '\0' && json_is_array(v)) ? json_array_get(v, (size_t)idx) : json_object_get(v, seg);
	}
	return v;
}

struct response {
	long status;
	char *body;
	size_t len;
	char *headers;
	size_t hlen;
};

static size_t on_data(char *p, size_t s, size_t n, void *ud)
{
	struct response *r = ud;
	r->body = realloc(r->body, r->len + s * n + 1);
	memcpy(r->body + r->len, p, s * n);
	r->len += s * n;
	r->body[r->len] = '\0';
	return s * n;
}

static size_t on_header(char *p, size_t s, size_t n, void *ud)
{
	struct response *r = ud;
	r->headers = realloc(r->headers, r->hlen + s * n + 1);
	memcpy(r->headers + r->hlen, p, s * n);
	r->hlen += s * n;
	r->headers[r->hlen] = '\0';
	return s * n;
}

/* The value of header name in the raw header block, or NULL. */
static char *header_value(const char *headers, const char *name)
{
	size_t nl = strlen(name);
	for (const char *line = headers; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = strcspn(v, "\r\n");
			return strndup(v, vl);
		}
	}
	return NULL;
}

static struct session *session_get(const char *name)
{
	for (int i = 0; i < nsessions; i++)
		if (strcmp(sessions[i].name, name) == 0)
			return &sessions[i];
	struct session *s = &sessions[nsessions++];
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->share = curl_share_init();
	curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	s->csrf[0] = '\0';
	return s;
}

static bool http_step(json_t *step)
{
	const char *method = json_string_value(json_object_get(step, "method"));
	char *path = subst(json_string_value(json_object_get(step, "path")));
	const char *as = json_string_value(json_object_get(step, "as"));
	const char *sname = json_string_value(json_object_get(step, "session"));
	struct session *sess = sname ? session_get(sname) : NULL;
	CURL *c = curl_easy_init();
	if (sess) {
		curl_easy_setopt(c, CURLOPT_SHARE, sess->share);
		curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");
	}
	char url[1024];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	free(path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	struct curl_slist *h = NULL;
	bool has_ct = false;
	json_t *hdrs = json_object_get(step, "headers");
	const char *k;
	json_t *x;
	json_object_foreach(hdrs, k, x)
	{
		char *v = subst(json_string_value(x));
		char line[2048];
		snprintf(line, sizeof(line), "%s: %s", k, v);
		if (!*v)
			snprintf(line, sizeof(line), "%s;", k);
		free(v);
		h = curl_slist_append(h, line);
		if (strcasecmp(k, "Content-Type") == 0)
			has_ct = true;
	}
	if (as && strcmp(as, "none") != 0) {
		for (int i = 0; i < 4; i++)
			if (strcmp(as, roles[i]) == 0) {
				char line[128];
				snprintf(line, sizeof(line), "Authorization: Bearer %s", tokens[i]);
				h = curl_slist_append(h, line);
			}
	}
	json_t *csrf = json_object_get(step, "csrf");
	bool writes = strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
	if (sess && writes && !json_is_false(csrf)) {
		char line[256];
		snprintf(line, sizeof(line), "X-CSRF-Token: %s", json_is_string(csrf) ? json_string_value(csrf) : sess->csrf);
		h = curl_slist_append(h, line);
	}
	char *body = NULL;
	json_t *jb = json_object_get(step, "body");
	json_t *raw = json_object_get(step, "raw_body");
	if (jb) {
		json_t *sb = subst_json(jb);
		body = json_dumps(sb, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(sb);
		if (!has_ct)
			h = curl_slist_append(h, "Content-Type: application/json");
	} else if (raw) {
		body = subst(json_string_value(raw));
		if (!has_ct)
			h = curl_slist_append(h, "Content-Type: application/json");
	}
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	struct response r = {0};
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(h);
	free(body);
	bool ok = true;
	json_t *got = NULL;
	if (rc != CURLE_OK) {
		ok = fail("request failed: %s", curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	json_t *want_status = json_object_get(step, "status");
	if (want_status && json_integer_value(want_status) != r.status) {
		ok = fail("status %ld, want %lld; body: %.300s", r.status,
			  (long long)json_integer_value(want_status), r.body ? r.body : "");
		goto out;
	}
	json_error_t je;
	got = r.len ? json_loadb(r.body, r.len, 0, &je) : NULL;
	json_t *expect = json_object_get(step, "expect");
	if (expect) {
		json_t *we = subst_json(expect);
		ok = match(we, got, "$");
		json_decref(we);
		if (!ok) {
			char tmp[2048];
			snprintf(tmp, sizeof(tmp), "%s; body: %.400s", failure, r.body ? r.body : "");
			snprintf(failure, sizeof(failure), "%s", tmp);
			goto out;
		}
	}
	json_t *eh = json_object_get(step, "expect_headers");
	json_object_foreach(eh, k, x)
	{
		char *v = header_value(r.headers ? r.headers : "", k);
		char *want = subst(json_string_value(x));
		bool hit = v && (strcmp(want, "$any") == 0 || strcmp(v, want) == 0 ||
				 (want[0] == '~' && strstr(v, want + 1)));
		if (!hit)
			ok = fail("header %s: want %s, got %s", k, want, v ? v : "(none)");
		free(v);
		free(want);
		if (!ok)
			goto out;
	}
	json_t *absent = json_object_get(step, "absent_headers");
	size_t i;
	json_array_foreach(absent, i, x)
	{
		char *v = header_value(r.headers ? r.headers : "", json_string_value(x));
		if (v)
			ok = fail("header %s should be absent, got %s", json_string_value(x), v);
		free(v);
		if (!ok)
			goto out;
	}
	if (sess && got && json_is_string(json_object_get(got, "csrf_token")))
		snprintf(sess->csrf, sizeof(sess->csrf), "%s", json_string_value(json_object_get(got, "csrf_token")));
	json_t *save = json_object_get(step, "save");
	json_object_foreach(save, k, x)
	{
		json_t *v = dig(got, json_string_value(x));
		if (!v) {
			ok = fail("cannot save %s: %s not in response", k, json_string_value(x));
			goto out;
		}
		char *s = json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_ENCODE_ANY);
		set_var(k, s);
		free(s);
	}
out:
	json_decref(got);
	free(r.body);
	free(r.headers);
	curl_easy_cleanup(c);
	return ok;
}

static bool raw_step(json_t *step)
{
	char *req = subst(json_string_value(json_object_get(step, "raw")));
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool ok;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		ok = fail("connect: %s", strerror(errno));
	} else {
		ssize_t w = write(fd, req, strlen(req));
		(void)w;
		char buf[4096];
		size_t len = 0;
		ssize_t n;
		struct timeval tv = {5, 0};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
			len += (size_t)n;
			if (strstr(buf, "\r\n\r\n"))
				break;
		}
		buf[len] = '\0';
		int status = 0;
		sscanf(buf, "HTTP/1.%*d %d", &status);
		long want = (long)json_integer_value(json_object_get(step, "status"));
		ok = status == want ? true : fail("status %d, want %ld: %.200s", status, want, buf);
	}
	close(fd);
	free(req);
	return ok;
}

/* Runs argv with stdin_text; returns the exit code and stdout. */
static int run_cli(char *const *argv, const char *stdin_text, char *out, size_t outlen)
{
	int in[2], o[2];
	if (pipe(in) || pipe(o))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(o[1], 1);
		close(in[1]);
		close(o[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	if (stdin_text) {
		ssize_t w = write(in[1], stdin_text, strlen(stdin_text));
		(void)w;
	}
	close(in[1]);
	size_t len = 0;
	ssize_t n;
	while (len + 1 < outlen && (n = read(o[0], out + len, outlen - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(o[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool sqlite_step(json_t *step)
{
	char *sql = subst(json_string_value(json_object_get(step, "sqlite")));
	char out[1024];
	char *argv[] = {"/usr/bin/sqlite3", dbpath, sql, NULL};
	int rc = run_cli(argv, NULL, out, sizeof(out));
	free(sql);
	return rc == 0 ? true : fail("sqlite3 exited %d: %.300s", rc, out);
}

static bool cli_step(json_t *step)
{
	json_t *args = json_object_get(step, "cli");
	char *argv[32];
	size_t n = 0, i;
	json_t *x;
	argv[n++] = strdup(bin);
	json_array_foreach(args, i, x) if (n < 31) argv[n++] = subst(json_string_value(x));
	argv[n] = NULL;
	const char *in = json_string_value(json_object_get(step, "stdin"));
	char out[8192];
	int code = run_cli(argv, in, out, sizeof(out));
	for (size_t k = 0; k < n; k++)
		free(argv[k]);
	bool ok = true;
	json_t *want = json_object_get(step, "exit");
	if (want && json_integer_value(want) != code)
		ok = fail("exit %d, want %lld; stdout: %.200s", code, (long long)json_integer_value(want), out);
	const char *m = json_string_value(json_object_get(step, "stdout_match"));
	if (ok && m && !strstr(out, m))
		ok = fail("stdout does not contain %s: %.200s", m, out);
	const char *save = json_string_value(json_object_get(step, "save_stdout"));
	if (ok && save) {
		out[strcspn(out, "\n")] = '\0';
		set_var(save, out);
	}
	return ok;
}

static bool wait_healthy(void)
{
	for (int i = 0; i < 200; i++) {
		CURL *c = curl_easy_init();
		char url[128];
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/healthz", port);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		if (rc == CURLE_OK && status == 200)
			return true;
		int st;
		if (waitpid(server, &st, WNOHANG) == server)
			return false;
		usleep(25000);
	}
	return false;
}

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	int p = ntohs(a.sin_port);
	close(fd);
	return p;
}

/* ---- live streams (Server-Sent Events over HTTP/1.0: no chunking) ---- */

#define MAX_STREAMS 8
#define STREAM_WAIT_MS 5000

static struct stream {
	char name[64];
	int fd;
	char *buf; /* received, not yet consumed */
	size_t len, cap;
} streams[MAX_STREAMS];
static int nstreams;

static struct stream *stream_find(const char *name)
{
	for (int i = 0; i < nstreams; i++)
		if (strcmp(streams[i].name, name) == 0 && streams[i].fd >= 0)
			return &streams[i];
	return NULL;
}

static bool stream_open_step(json_t *step)
{
	if (nstreams == MAX_STREAMS)
		return fail("too many streams");
	char *path = subst(json_string_value(json_object_get(step, "path")));
	const char *as = json_string_value(json_object_get(step, "as"));
	char req[2048];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n", path);
	free(path);
	for (int i = 0; as && i < 4; i++)
		if (strcmp(as, roles[i]) == 0)
			n += snprintf(req + n, sizeof(req) - (size_t)n, "Authorization: Bearer %s\r\n",
				      tokens[i]);
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(step, "headers"), k, v)
	{
		char *val = subst(json_string_value(v));
		n += snprintf(req + n, sizeof(req) - (size_t)n, "%s: %s\r\n", k, val);
		free(val);
	}
	n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || write(fd, req, (size_t)n) != n) {
		close(fd);
		return fail("connect: %s", strerror(errno));
	}
	struct stream *st = &streams[nstreams];
	memset(st, 0, sizeof(*st));
	snprintf(st->name, sizeof(st->name), "%s", json_string_value(json_object_get(step, "stream_open")));
	st->fd = fd;
	st->cap = 1 << 16;
	st->buf = malloc(st->cap);
	nstreams++;
	/* the response head */
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	char *end = NULL;
	while (!end) {
		ssize_t r = read(fd, st->buf + st->len, st->cap - 1 - st->len);
		if (r <= 0)
			return fail("no response head");
		st->len += (size_t)r;
		st->buf[st->len] = '\0';
		end = strstr(st->buf, "\r\n\r\n");
	}
	int status = 0;
	sscanf(st->buf, "HTTP/1.%*d %d", &status);
	if (status != 200 || !strcasestr(st->buf, "content-type: text/event-stream"))
		return fail("status %d: %.300s", status, st->buf);
	end += 4;
	st->len -= (size_t)(end - st->buf);
	memmove(st->buf, end, st->len + 1);
	return true;
}

/* The next block ("...\n\n") of the stream within ms, taken from its buffer;
 * NULL on timeout or end. */
static char *stream_next(struct stream *st, int ms)
{
	for (;;) {
		char *sep = st->len ? strstr(st->buf, "\n\n") : NULL;
		if (sep) {
			size_t n = (size_t)(sep - st->buf);
			char *block = strndup(st->buf, n);
			st->len -= n + 2;
			memmove(st->buf, sep + 2, st->len + 1);
			return block;
		}
		struct pollfd p = {.fd = st->fd, .events = POLLIN};
		if (poll(&p, 1, ms) <= 0)
			return NULL;
		if (st->cap - st->len < 4096) {
			st->cap *= 2;
			st->buf = realloc(st->buf, st->cap);
		}
		ssize_t r = read(st->fd, st->buf + st->len, st->cap - 1 - st->len);
		if (r <= 0)
			return NULL;
		st->len += (size_t)r;
		st->buf[st->len] = '\0';
	}
}

/* A block as {"id", "event", "data"} or {"comment"}. */
static json_t *stream_parse(const char *block)
{
	json_t *ev = json_object();
	char *copy = strdup(block), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == ':')
			json_object_set_new(ev, "comment", json_string(line + 1 + (line[1] == ' ')));
		else if (strncmp(line, "id: ", 4) == 0)
			json_object_set_new(ev, "id", json_integer(strtoll(line + 4, NULL, 10)));
		else if (strncmp(line, "event: ", 7) == 0)
			json_object_set_new(ev, "event", json_string(line + 7));
		else if (strncmp(line, "retry: ", 7) == 0)
			json_object_set_new(ev, "retry", json_integer(strtoll(line + 7, NULL, 10)));
		else if (strncmp(line, "data: ", 6) == 0) {
			json_t *d = json_loads(line + 6, 0, NULL);
			json_object_set_new(ev, "data", d ? d : json_string(line + 6));
		}
	}
	free(copy);
	return ev;
}

static bool stream_expect_step(json_t *step)
{
	struct stream *st = stream_find(json_string_value(json_object_get(step, "stream_expect")));
	if (!st)
		return fail("no such open stream");
	json_t *want = subst_json(json_object_get(step, "events"));
	json_t *got = json_array();
	bool ok = true;
	for (size_t i = 0; ok && i < json_array_size(want); i++) {
		json_t *w = json_array_get(want, i);
		bool comment = json_object_get(w, "comment") != NULL;
		for (;;) {
			char *block = stream_next(st, STREAM_WAIT_MS);
			if (!block) {
				ok = fail("event %zu did not arrive", i);
				break;
			}
			json_t *ev = stream_parse(block);
			free(block);
			bool is_comment = json_object_get(ev, "comment") != NULL;
			bool retry_only = json_object_size(ev) == 1 && json_object_get(ev, "retry");
			if (retry_only || is_comment != comment) {
				json_decref(ev); /* keep-alives between events, or the retry hint */
				continue;
			}
			char path[32];
			snprintf(path, sizeof(path), "events[%zu]", i);
			ok = match(w, ev, path);
			json_array_append_new(got, ev);
			break;
		}
	}
	if (ok) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(step, "save"), k, v)
		{
			json_t *x = dig(got, json_string_value(v));
			char num[32];
			if (json_is_integer(x)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(x));
				set_var(k, num);
			} else if (json_is_string(x)) {
				set_var(k, json_string_value(x));
			} else {
				ok = fail("nothing to save at %s", json_string_value(v));
			}
		}
	}
	json_decref(want);
	json_decref(got);
	return ok;
}

static bool stream_quiet_step(json_t *step)
{
	struct stream *st = stream_find(json_string_value(json_object_get(step, "stream_quiet")));
	if (!st)
		return fail("no such open stream");
	int ms = (int)json_integer_value(json_object_get(step, "ms"));
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *block;
	for (int left = ms; left > 0 && (block = stream_next(st, left));) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - (int)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		json_t *ev = stream_parse(block);
		bool quiet = json_object_get(ev, "comment") || !json_object_get(ev, "event");
		char *text = json_dumps(ev, JSON_COMPACT);
		json_decref(ev);
		free(block);
		if (!quiet) {
			bool r = fail("an event arrived: %.300s", text);
			free(text);
			return r;
		}
		free(text);
	}
	return true;
}

static bool stream_close_step(json_t *step)
{
	struct stream *st = stream_find(json_string_value(json_object_get(step, "stream_close")));
	if (!st)
		return fail("no such open stream");
	close(st->fd);
	st->fd = -1;
	return true;
}

static void streams_clear(void)
{
	for (int i = 0; i < nstreams; i++) {
		if (streams[i].fd >= 0)
			close(streams[i].fd);
		free(streams[i].buf);
	}
	nstreams = 0;
}

static bool setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/maitred-api-XXXXXX");
	if (!mkdtemp(dir))
		return false;
	snprintf(dbpath, sizeof(dbpath), "%s/test.db", dir);
	char out[256];
	char *init[] = {(char *)bin, "init", "--db", dbpath, "--location-name", "Harbour Street",
			"--timezone", "Europe/London", "--currency", "GBP", NULL};
	if (run_cli(init, NULL, out, sizeof(out)) != 0)
		return false;
	for (int i = 0; i < 4; i++) {
		char email[64], name[64];
		snprintf(email, sizeof(email), "%s@example.com", roles[i]);
		snprintf(name, sizeof(name), "Test %s", roles[i]);
		char *add[] = {(char *)bin, "user", "add", "--db", dbpath, "--email", email, "--name", name,
			       "--role", (char *)roles[i], "--location", "1", NULL};
		if (run_cli(add, PASSWORD "\n", out, sizeof(out)) != 0)
			return false;
		char *tok[] = {(char *)bin, "token", "create", "--db", dbpath, "--name", (char *)roles[i],
			       "--role", (char *)roles[i], i == 0 ? NULL : "--location", "1", NULL};
		if (run_cli(tok, NULL, out, sizeof(out)) != 0)
			return false;
		out[strcspn(out, "\n")] = '\0';
		snprintf(tokens[i], sizeof(tokens[i]), "%s", out);
	}
	port = free_port();
	char listen[64];
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	server = fork();
	if (server == 0) {
		char log[300];
		snprintf(log, sizeof(log), "%s/server.log", dir);
		FILE *f = freopen(log, "w", stderr);
		(void)f;
		setenv("MAITRED_STREAM_KEEPALIVE", "1", 1); /* keep-alives within a step's wait */
		execl(bin, bin, "serve", "--db", dbpath, "--listen", listen, "--threads", "2", (char *)NULL);
		_exit(127);
	}
	return wait_healthy();
}

static void teardown(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		int st;
		waitpid(server, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("not ok - server exited badly (status %d); log in %s/server.log\n", st, dir);
			failed++;
			return;
		}
	}
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: api-runner MAITRED_BINARY CASE.json...\n");
		return 2;
	}
	bin = argv[1];
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int f = 2; f < argc; f++) {
		json_error_t je;
		json_t *steps = json_load_file(argv[f], JSON_REJECT_DUPLICATES, &je);
		if (!json_is_array(steps)) {
			printf("not ok - %s: %s (line %d)\n", argv[f], je.text, je.line);
			failed++;
			continue;
		}
		if (!setup()) {
			printf("not ok - %s: cannot start the server (see %s)\n", argv[f], dir);
			failed++;
			continue;
		}
		size_t i;
		json_t *step;
		json_array_foreach(steps, i, step)
		{
			const char *name = json_string_value(json_object_get(step, "name"));
			bool ok = json_object_get(step, "cli")		 ? cli_step(step)
				  : json_object_get(step, "raw")	 ? raw_step(step)
				  : json_object_get(step, "stream_open")	 ? stream_open_step(step)
				  : json_object_get(step, "stream_expect") ? stream_expect_step(step)
				  : json_object_get(step, "stream_quiet")	 ? stream_quiet_step(step)
				  : json_object_get(step, "stream_close")	 ? stream_close_step(step)
				  : json_object_get(step, "sqlite")	 ? sqlite_step(step)
									 : http_step(step);
			if (ok) {
				passed++;
				printf("ok - %s\n", name ? name : "(unnamed)");
			} else {
				failed++;
				printf("not ok - %s: %s\n", name ? name : "(unnamed)", failure);
			}
		}
		json_decref(steps);
		streams_clear();
		for (int k = 0; k < nsessions; k++)
			curl_share_cleanup(sessions[k].share);
		nsessions = 0;
		for (int k = 0; k < nvars; k++)
			free(vars[k].value);
		nvars = 0;
		teardown();
	}
	curl_global_cleanup();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
