/* The client side of bench/board: many Server-Sent Events connections to one
 * location's live stream, one connection that moves orders through the
 * lifecycle, and the delay from each PATCH's response to each client's event.
 * One thread, one epoll set, non-blocking sockets; plain C with no libraries,
 * so the script can build it with a bare `cc` line. See bench/README.md. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD_BYTES (16 * 1024)
#define MAX_EVENT_BYTES (1024 * 1024) /* one event's data, or one line */
#define MAX_BODY_BYTES (1024 * 1024)  /* a POST or PATCH answer */
#define READ_BUF_BYTES (64 * 1024)
#define CONNECTS_IN_FLIGHT 64 /* connections opened but not yet past hello */
#define EPOLL_BATCH 256
#define STEPS_PER_ROUND 4 /* POST, then PATCH accepted, ready, served */
#define PATCHES_PER_ROUND 3
#define ERR_TEXT_BYTES 300
#define NS_PER_MS 1000000LL

static const char *const transitions[PATCHES_PER_ROUND] = {"accepted", "ready", "served"};
static const char *const transition_events[PATCHES_PER_ROUND] = {"order.accepted", "order.ready",
								  "order.served"};

/* ---- settings ---- */

static struct {
	struct sockaddr_in addr;
	char host[64];
	long location;
	long clients;
	long rounds;
	long interval_ms;
	long prefill; /* orders moved through before the streams open, unmeasured */
	long grace_ms;
	long hello_timeout_ms;
	long server_pid;
	const char *token;
} cfg = {.location = 1, .clients = 1, .rounds = 50, .interval_ms = 150, .grace_ms = 5000,
	 .hello_timeout_ms = 30000};

static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("board-client: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long parse_long(const char *s, const char *what, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("%s must be an integer between %ld and %ld (got '%s')", what, min, max, s);
	return v;
}

/* ---- a growable buffer with a ceiling ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n, size_t max)
{
	if (b->len + n + 1 > max)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			die("out of memory");
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- just enough JSON: an integer or string at a path of object keys ---- */

static const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *json_skip_string(const char *s) /* at the opening quote */
{
	for (s++; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '"')
			return s + 1;
	}
	return NULL;
}

static const char *json_skip_value(const char *s)
{
	s = json_ws(s);
	if (*s == '"')
		return json_skip_string(s);
	if (*s == '{' || *s == '[') {
		int depth = 0;
		while (*s) {
			if (*s == '"') {
				s = json_skip_string(s);
				if (!s)
					return NULL;
				continue;
			}
			if (*s == '{' || *s == '[')
				depth++;
			else if (*s == '}' || *s == ']') {
				if (--depth == 0)
					return s + 1;
			}
			s++;
		}
		return NULL;
	}
	while (*s && *s != ',' && *s != '}' && *s != ']')
		s++;
	return s;
}

/* The value at PATH (object keys, NULL-terminated) in the JSON text S, or NULL. */
static const char *json_find(const char *s, const char *const *path)
{
	for (; *path; path++) {
		s = json_ws(s);
		if (*s != '{')
			return NULL;
		s = json_ws(s + 1);
		for (;;) {
			if (*s != '"')
				return NULL;
			const char *key = s + 1, *end = json_skip_string(s);
			if (!end)
				return NULL;
			size_t klen = (size_t)(end - 1 - key);
			s = json_ws(end);
			if (*s != ':')
				return NULL;
			s = json_ws(s + 1);
			if (klen == strlen(*path) && memcmp(key, *path, klen) == 0)
				break;
			s = json_skip_value(s);
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s != ',')
				return NULL;
			s = json_ws(s + 1);
		}
	}
	return s;
}

static int json_int(const char *s, const char *const *path, long long *out)
{
	const char *v = json_find(s, path);
	if (!v || !(*v == '-' || (*v >= '0' && *v <= '9')))
		return -1;
	char *end;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno || end == v ? -1 : 0;
}

/* 1 when the string at PATH equals WANT (no escapes expected), 0 otherwise */
static int json_str_is(const char *s, const char *const *path, const char *want)
{
	const char *v = json_find(s, path);
	size_t n = strlen(want);
	return v && *v == '"' && strncmp(v + 1, want, n) == 0 && v[1 + n] == '"';
}

/* ---- an HTTP/1.1 response, read incrementally: head, then a framed body ---- */

enum { BODY_LENGTH, BODY_CHUNKED, BODY_UNTIL_CLOSE };
enum { CH_SIZE, CH_DATA, CH_DATA_CRLF, CH_TRAILER, CH_DONE };

struct resp {
	struct buf head;
	int in_body, done;
	int status;
	int framing;
	long long left; /* BODY_LENGTH: bytes still to come; BODY_CHUNKED: of this chunk */
	int chunk_state;
	char size_line[40];
	size_t size_len;
	int conn_close;
	char content_type[80];
};

typedef void body_sink(void *ctx, const char *p, size_t n);

static void resp_reset(struct resp *r)
{
	buf_free(&r->head);
	memset(r, 0, sizeof *r);
}

static void resp_parse_head(struct resp *r)
{
	char *s = r->head.p;
	if (strncmp(s, "HTTP/1.", 7) != 0 || strlen(s) < 12)
		r->status = -1;
	else
		r->status = (int)strtol(s + 9, NULL, 10); /* three digits after "HTTP/1.x " */
	r->framing = BODY_UNTIL_CLOSE;
	r->left = -1;
	for (char *line = strstr(s, "\r\n"); line; line = strstr(line, "\r\n")) {
		line += 2;
		char *colon = strchr(line, ':'), *eol = strstr(line, "\r\n");
		if (!colon || !eol || colon > eol)
			continue;
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		size_t name = (size_t)(colon - line), vlen = (size_t)(eol - v);
		if (name == 17 && strncasecmp(line, "transfer-encoding", name) == 0 && vlen >= 7 &&
		    strncasecmp(v, "chunked", 7) == 0)
			r->framing = BODY_CHUNKED;
		else if (name == 14 && strncasecmp(line, "content-length", name) == 0 &&
			 r->framing != BODY_CHUNKED) {
			r->framing = BODY_LENGTH;
			r->left = strtoll(v, NULL, 10);
		} else if (name == 10 && strncasecmp(line, "connection", name) == 0 && vlen >= 5 &&
			   strncasecmp(v, "close", 5) == 0)
			r->conn_close = 1;
		else if (name == 12 && strncasecmp(line, "content-type", name) == 0)
			snprintf(r->content_type, sizeof r->content_type, "%.*s",
				 (int)(vlen < 79 ? vlen : 79), v);
	}
	if (r->framing == BODY_CHUNKED)
		r->chunk_state = CH_SIZE;
	if (r->framing == BODY_LENGTH && r->left == 0)
		r->done = 1;
}

/* Feeds N bytes; body bytes go to SINK. Returns the bytes consumed (less than
 * N only when the response ended), or -1 when the response is malformed. */
static long resp_feed(struct resp *r, const char *p, size_t n, body_sink *sink, void *ctx)
{
	size_t i = 0;
	while (i < n && !r->done) {
		if (!r->in_body) {
			/* byte by byte until the blank line: heads are small */
			if (buf_add(&r->head, p + i, 1, MAX_HEAD_BYTES) < 0)
				return -1;
			i++;
			if (r->head.len >= 4 && memcmp(r->head.p + r->head.len - 4, "\r\n\r\n", 4) == 0) {
				r->in_body = 1;
				resp_parse_head(r);
			}
			continue;
		}
		if (r->framing == BODY_UNTIL_CLOSE) {
			sink(ctx, p + i, n - i);
			i = n;
		} else if (r->framing == BODY_LENGTH) {
			size_t take = (size_t)r->left < n - i ? (size_t)r->left : n - i;
			sink(ctx, p + i, take);
			i += take;
			r->left -= (long long)take;
			if (r->left == 0)
				r->done = 1;
		} else if (r->chunk_state == CH_DATA) {
			size_t take = (size_t)r->left < n - i ? (size_t)r->left : n - i;
			sink(ctx, p + i, take);
			i += take;
			r->left -= (long long)take;
			if (r->left == 0)
				r->chunk_state = CH_DATA_CRLF, r->size_len = 0;
		} else {
			/* a size line, the CRLF after a chunk, or the trailer: line by line */
			char c = p[i++];
			if (c != '\n') {
				if (r->size_len + 1 >= sizeof r->size_line)
					return -1;
				r->size_line[r->size_len++] = c;
				continue;
			}
			r->size_line[r->size_len] = '\0';
			if (r->size_len && r->size_line[r->size_len - 1] == '\r')
				r->size_line[--r->size_len] = '\0';
			if (r->chunk_state == CH_DATA_CRLF) {
				if (r->size_len)
					return -1;
				r->chunk_state = CH_SIZE;
			} else if (r->chunk_state == CH_SIZE) {
				char *end;
				r->left = strtoll(r->size_line, &end, 16);
				if (end == r->size_line || r->left < 0)
					return -1;
				r->chunk_state = r->left ? CH_DATA : CH_TRAILER;
			} else if (r->size_len == 0) { /* the blank line ending the trailer */
				r->done = 1;
			}
			r->size_len = 0;
		}
	}
	return (long)i;
}

/* ---- the orders, and when each PATCH answered ---- */

struct round {
	long long order_id; /* 0 until the POST answered */
	int64_t sent[PATCHES_PER_ROUND];
	int64_t returned[PATCHES_PER_ROUND];
};

static struct round *rounds;
static int64_t *arrivals; /* [client][round][transition], 0 until received */

static long round_of_order(long long order_id)
{
	for (long r = cfg.rounds - 1; r >= 0; r--)
		if (rounds[r].order_id == order_id)
			return r;
	return -1;
}

/* ---- the SSE clients ---- */

enum { C_IDLE, C_CONNECTING, C_STREAMING, C_CLOSED };

struct client {
	int fd;
	int state;
	long index;
	struct resp resp;
	struct buf line, data;
	int line_cr; /* the last line ended with \r: skip a \n that follows */
	char event[48];
	char id[32];
	int has_id;
	int saw_retry;
	int hello;
	int64_t opened_at;
	char error[ERR_TEXT_BYTES]; /* why it closed, if it did */
	struct buf err_body;
};

static struct client *clients;
static int epfd;

/* What happened on the streams, over all clients. */
static struct {
	long opened, hellos, closed_before_hello, closed_after_hello;
	long refused, http_errors, bad_content_type;
	long placed, measured, duplicates, unknown_order, other_events, comments;
	long format_errors;
	char first_format_error[ERR_TEXT_BYTES + 32];
	char first_close[ERR_TEXT_BYTES + 32];
} st;

static void format_error(struct client *c, const char *fmt, ...)
{
	st.format_errors++;
	if (st.first_format_error[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	char msg[ERR_TEXT_BYTES];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(st.first_format_error, sizeof st.first_format_error, "client %ld: %s", c->index, msg);
}

static void client_close(struct client *c, const char *fmt, ...)
{
	if (c->state == C_CLOSED)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof c->error, fmt, ap);
	va_end(ap);
	if (c->hello)
		st.closed_after_hello++;
	else
		st.closed_before_hello++;
	if (!st.first_close[0])
		snprintf(st.first_close, sizeof st.first_close, "client %ld: %s", c->index, c->error);
	if (c->fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->state = C_CLOSED;
	buf_free(&c->line);
	buf_free(&c->data);
	buf_free(&c->err_body);
	resp_reset(&c->resp);
}

static void on_event(struct client *c, int64_t t)
{
	const char *type = c->event[0] ? c->event : "message";
	const char *data = c->data.len ? c->data.p : "";
	long long v;

	if (strcmp(type, "hello") == 0) {
		static const char *const p_loc[] = {"location_id", NULL};
		static const char *const p_last[] = {"last_event_id", NULL};
		if (c->hello)
			format_error(c, "a second hello");
		if (!c->saw_retry)
			format_error(c, "no retry: line before hello");
		if (!c->has_id)
			format_error(c, "hello without an id: line");
		if (json_int(data, p_loc, &v) < 0 || v != cfg.location)
			format_error(c, "hello data has no location_id %ld: %.120s", cfg.location, data);
		if (json_int(data, p_last, &v) < 0 || (c->has_id && v != strtoll(c->id, NULL, 10)))
			format_error(c, "hello's last_event_id is not its id %s: %.120s", c->id, data);
		if (!c->hello) {
			c->hello = 1;
			st.hellos++;
		}
		return;
	}

	int k = -1;
	for (int i = 0; i < PATCHES_PER_ROUND; i++)
		if (strcmp(type, transition_events[i]) == 0)
			k = i;
	if (k < 0 && strcmp(type, "order.placed") != 0) {
		st.other_events++;
		return;
	}

	/* The event's own fields, as docs/api.md describes them. */
	static const char *const p_id[] = {"id", NULL};
	static const char *const p_type[] = {"type", NULL};
	static const char *const p_subject[] = {"subject_id", NULL};
	static const char *const p_order_id[] = {"data", "order", "id", NULL};
	static const char *const p_status[] = {"data", "order", "status", NULL};
	static const char *const p_from[] = {"data", "from", NULL};
	long long order_id = -1, subject = -1;
	if (!c->has_id)
		format_error(c, "%s without an id: line", type);
	else if (json_int(data, p_id, &v) < 0 || v != strtoll(c->id, NULL, 10))
		format_error(c, "%s: data.id is not the event id %s: %.120s", type, c->id, data);
	if (!json_str_is(data, p_type, type))
		format_error(c, "%s: data.type is not the event name: %.120s", type, data);
	if (json_int(data, p_order_id, &order_id) < 0)
		format_error(c, "%s: no data.order.id: %.160s", type, data);
	if (json_int(data, p_subject, &subject) < 0 || (order_id >= 0 && subject != order_id))
		format_error(c, "%s: subject_id is not data.order.id: %.160s", type, data);
	if (order_id < 0)
		order_id = subject;
	if (!json_str_is(data, p_status, k < 0 ? "placed" : transitions[k]))
		format_error(c, "%s: data.order.status is not the new status", type);
	if (k >= 0 && !json_find(data, p_from))
		format_error(c, "%s: no data.from", type);

	long r = order_id < 0 ? -1 : round_of_order(order_id);
	if (k < 0) {
		st.placed++;
		return; /* the POST's event: not measured, it only has to arrive */
	}
	if (r < 0) {
		st.unknown_order++;
		return;
	}
	int64_t *slot = &arrivals[(c->index * cfg.rounds + r) * PATCHES_PER_ROUND + k];
	if (*slot) {
		st.duplicates++;
		return;
	}
	*slot = t;
	st.measured++;
}

/* One line of the event stream, without its line ending. */
static void on_line(struct client *c, const char *s, size_t n, int64_t t)
{
	if (n == 0) {
		if (c->data.len || c->event[0]) {
			if (c->data.len && c->data.p[c->data.len - 1] == '\n')
				c->data.p[--c->data.len] = '\0';
			on_event(c, t);
		}
		c->data.len = 0;
		if (c->data.p)
			c->data.p[0] = '\0';
		c->event[0] = '\0';
		return; /* the id persists, as in EventSource */
	}
	if (s[0] == ':') {
		st.comments++;
		return;
	}
	const char *colon = memchr(s, ':', n);
	size_t name = colon ? (size_t)(colon - s) : n;
	const char *v = colon ? colon + 1 : s + n;
	if (v < s + n && *v == ' ')
		v++;
	size_t vlen = (size_t)(s + n - v);
	if (name == 4 && memcmp(s, "data", 4) == 0) {
		if (buf_add(&c->data, v, vlen, MAX_EVENT_BYTES) < 0 ||
		    buf_add(&c->data, "\n", 1, MAX_EVENT_BYTES) < 0)
			format_error(c, "an event's data is over %d bytes", MAX_EVENT_BYTES);
	} else if (name == 5 && memcmp(s, "event", 5) == 0) {
		snprintf(c->event, sizeof c->event, "%.*s", (int)vlen, v);
	} else if (name == 2 && memcmp(s, "id", 2) == 0) {
		snprintf(c->id, sizeof c->id, "%.*s", (int)vlen, v);
		c->has_id = 1;
	} else if (name == 5 && memcmp(s, "retry", 5) == 0) {
		c->saw_retry = 1;
	} else {
		format_error(c, "unknown field line: %.*s", (int)(n < 80 ? n : 80), s);
	}
}

static int64_t sink_time;

static void sse_sink(void *ctx, const char *p, size_t n)
{
	struct client *c = ctx;
	if (c->resp.status != 200) {
		buf_add(&c->err_body, p, n, ERR_TEXT_BYTES - 1);
		return;
	}
	while (n) {
		if (c->line_cr) {
			c->line_cr = 0;
			if (*p == '\n') {
				p++, n--;
				continue;
			}
		}
		const char *e = p;
		while (e < p + n && *e != '\n' && *e != '\r')
			e++;
		if (e == p + n) {
			if (buf_add(&c->line, p, n, MAX_EVENT_BYTES) < 0)
				format_error(c, "a line over %d bytes", MAX_EVENT_BYTES), c->line.len = 0;
			return;
		}
		if (c->line.len) {
			if (buf_add(&c->line, p, (size_t)(e - p), MAX_EVENT_BYTES) < 0)
				format_error(c, "a line over %d bytes", MAX_EVENT_BYTES), c->line.len = 0;
			on_line(c, c->line.p, c->line.len, sink_time);
			c->line.len = 0;
		} else {
			on_line(c, p, (size_t)(e - p), sink_time);
		}
		c->line_cr = *e == '\r';
		n -= (size_t)(e + 1 - p);
		p = e + 1;
	}
}

static int open_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s (raise the open-file limit?)", strerror(errno));
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&cfg.addr, sizeof cfg.addr) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* epoll data: client index, or DRIVER_TAG for the order connection */
#define DRIVER_TAG UINT64_MAX

static void client_open(struct client *c)
{
	c->opened_at = now_ns();
	c->fd = open_socket();
	st.opened++;
	if (c->fd < 0) {
		st.refused++;
		c->state = C_STREAMING; /* so that client_close counts it */
		client_close(c, "connect: %s", strerror(errno));
		return;
	}
	c->state = C_CONNECTING;
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.u64 = (uint64_t)c->index};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
		die("epoll_ctl: %s", strerror(errno));
}

static void client_send_request(struct client *c)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		if (err == ECONNREFUSED)
			st.refused++;
		client_close(c, "connect: %s", strerror(err ? err : errno));
		return;
	}
	char req[1024];
	int n = snprintf(req, sizeof req,
			 "GET /api/v1/stream?location_id=%ld HTTP/1.1\r\nHost: %s\r\n"
			 "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n"
			 "Cache-Control: no-cache\r\n\r\n",
			 cfg.location, cfg.host, cfg.token);
	if (n < 0 || (size_t)n >= sizeof req)
		die("the request does not fit");
	/* a fresh socket has room for a few hundred bytes */
	if (write(c->fd, req, (size_t)n) != n) {
		client_close(c, "write: %s", strerror(errno));
		return;
	}
	c->state = C_STREAMING;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = (uint64_t)c->index};
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static char rbuf[READ_BUF_BYTES];

static void client_readable(struct client *c)
{
	for (;;) {
		ssize_t n = read(c->fd, rbuf, sizeof rbuf);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			client_close(c, "read: %s", strerror(errno));
			return;
		}
		sink_time = now_ns();
		if (n == 0) {
			if (!c->resp.in_body)
				client_close(c, "the server closed the connection before answering");
			else if (c->resp.status != 200)
				client_close(c, "HTTP %d: %s", c->resp.status,
					     c->err_body.p ? c->err_body.p : "");
			else
				client_close(c, "the server closed the stream");
			return;
		}
		int was_in_body = c->resp.in_body;
		long used = resp_feed(&c->resp, rbuf, (size_t)n, sse_sink, c);
		if (used < 0) {
			client_close(c, "malformed HTTP response");
			return;
		}
		if (!was_in_body && c->resp.in_body) {
			if (c->resp.status != 200) {
				st.http_errors++;
			} else if (strncasecmp(c->resp.content_type, "text/event-stream", 17) != 0) {
				st.bad_content_type++;
				format_error(c, "Content-Type is '%s'", c->resp.content_type);
			}
		}
		if (c->state == C_CLOSED)
			return;
		if (c->resp.done) {
			if (c->resp.status != 200)
				client_close(c, "HTTP %d: %s", c->resp.status,
					     c->err_body.p ? c->err_body.p : "");
			else
				client_close(c, "the stream's body ended");
			return;
		}
	}
}

/* ---- the driver: one keep-alive connection placing and moving orders ---- */

static struct {
	int fd;
	int connected;
	struct resp resp;
	struct buf body;
	char out[2048];
	size_t out_len, out_off;
	long step; /* round * STEPS_PER_ROUND + step in the round */
	int busy;
	int64_t sent_at;
	int64_t next_at;
	long interval_ms;
	int reused; /* the connection carried an earlier request */
	int retried;
	long reconnects;
} drv = {.fd = -1};

static void driver_start_step(void);

static void driver_sink(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	if (buf_add(&drv.body, p, n, MAX_BODY_BYTES) < 0)
		die("an order answer is over %d bytes", MAX_BODY_BYTES);
}

static void driver_disconnect(void)
{
	if (drv.fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, drv.fd, NULL);
		close(drv.fd);
	}
	drv.fd = -1;
	drv.connected = 0;
}

/* A keep-alive connection the server closed while it was idle: send the
 * request again on a new one, once. */
static int driver_retry(void)
{
	if (!drv.reused || drv.retried || drv.resp.head.len)
		return 0;
	driver_disconnect();
	drv.reconnects++;
	drv.retried = 1;
	driver_start_step();
	return 1;
}

static void driver_write(void)
{
	while (drv.out_off < drv.out_len) {
		ssize_t n = write(drv.fd, drv.out + drv.out_off, drv.out_len - drv.out_off);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			if ((errno == EPIPE || errno == ECONNRESET) && driver_retry())
				return;
			die("order connection: write: %s", strerror(errno));
		}
		drv.out_off += (size_t)n;
	}
	if (drv.out_off == drv.out_len) {
		drv.sent_at = now_ns();
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = DRIVER_TAG};
		epoll_ctl(epfd, EPOLL_CTL_MOD, drv.fd, &ev);
	}
}

static void driver_start_step(void)
{
	long r = drv.step / STEPS_PER_ROUND, s = drv.step % STEPS_PER_ROUND;
	char body[512];
	int blen;
	const char *method, *path;
	char pathbuf[64];
	if (s == 0) {
		method = "POST";
		path = "/api/v1/orders";
		blen = snprintf(body, sizeof body,
				"{\"location_id\":%ld,\"items\":[{\"name\":\"Flat white\",\"quantity\":2,"
				"\"modifiers\":[\"oat\"]},{\"name\":\"Caesar salad\",\"modifiers\":"
				"[\"no croutons\",\"dressing on the side\"]}],\"special_requests\":"
				"\"bench round %ld\"}",
				cfg.location, r + 1);
	} else {
		method = "PATCH";
		snprintf(pathbuf, sizeof pathbuf, "/api/v1/orders/%lld", rounds[r].order_id);
		path = pathbuf;
		blen = snprintf(body, sizeof body, "{\"status\":\"%s\"}", transitions[s - 1]);
	}
	int n = snprintf(drv.out, sizeof drv.out,
			 "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
			 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			 method, path, cfg.host, cfg.token, blen, body);
	if (n < 0 || (size_t)n >= sizeof drv.out)
		die("the order request does not fit");
	drv.out_len = (size_t)n;
	drv.out_off = 0;
	resp_reset(&drv.resp);
	drv.body.len = 0;
	drv.busy = 1;
	if (drv.fd < 0) {
		drv.reused = 0;
		drv.fd = open_socket();
		if (drv.fd < 0)
			die("order connection: connect: %s", strerror(errno));
		struct epoll_event ev = {.events = EPOLLOUT | EPOLLRDHUP, .data.u64 = DRIVER_TAG};
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, drv.fd, &ev) < 0)
			die("epoll_ctl: %s", strerror(errno));
		return; /* writes when connected */
	}
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLRDHUP, .data.u64 = DRIVER_TAG};
	epoll_ctl(epfd, EPOLL_CTL_MOD, drv.fd, &ev);
	driver_write();
}

static void driver_answered(int64_t t)
{
	long r = drv.step / STEPS_PER_ROUND, s = drv.step % STEPS_PER_ROUND;
	int want = s == 0 ? 201 : 200;
	if (drv.resp.status != want)
		die("%s answered %d (expected %d): %.300s", s == 0 ? "POST /api/v1/orders" : "PATCH /api/v1/orders/{id}",
		    drv.resp.status, want, drv.body.p ? drv.body.p : "");
	if (s == 0) {
		static const char *const p_id[] = {"id", NULL};
		long long id;
		if (json_int(drv.body.p ? drv.body.p : "", p_id, &id) < 0 || id <= 0)
			die("POST /api/v1/orders answered without an order id: %.300s", drv.body.p);
		rounds[r].order_id = id;
	} else {
		static const char *const p_status[] = {"status", NULL};
		if (!json_str_is(drv.body.p ? drv.body.p : "", p_status, transitions[s - 1]))
			die("PATCH to %s answered an order in another status: %.300s", transitions[s - 1],
			    drv.body.p);
		rounds[r].sent[s - 1] = drv.sent_at;
		rounds[r].returned[s - 1] = t;
	}
	if (drv.resp.conn_close) {
		driver_disconnect();
		drv.reconnects++;
	}
	drv.reused = 1;
	drv.retried = 0;
	drv.busy = 0;
	drv.step++;
	/* spaced by the interval from the previous request's start; never early */
	int64_t next = drv.sent_at + drv.interval_ms * NS_PER_MS;
	drv.next_at = next > t ? next : t;
}

static void driver_event(uint32_t events)
{
	if (!drv.connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		int err = 0;
		socklen_t len = sizeof err;
		getsockopt(drv.fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err)
			die("order connection: connect: %s", strerror(err));
		drv.connected = 1;
	}
	if (drv.out_off < drv.out_len && (events & EPOLLOUT)) {
		driver_write();
		return;
	}
	for (;;) {
		ssize_t n = read(drv.fd, rbuf, sizeof rbuf);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			if (errno == ECONNRESET && drv.busy && driver_retry())
				return;
			die("order connection: read: %s", strerror(errno));
		}
		int64_t t = now_ns();
		if (n == 0) {
			if (drv.busy && drv.resp.in_body && drv.resp.framing == BODY_UNTIL_CLOSE) {
				drv.resp.done = 1;
			} else if (drv.busy) {
				if (driver_retry())
					return;
				die("the server closed the order connection before answering");
			} else {
				driver_disconnect();
				drv.reconnects++;
				return;
			}
		} else if (!drv.busy) {
			die("the server sent %zd bytes on the order connection unasked", n);
		} else if (resp_feed(&drv.resp, rbuf, (size_t)n, driver_sink, NULL) < 0) {
			die("order connection: malformed HTTP response");
		}
		if (drv.resp.done) {
			driver_answered(t);
			return;
		}
	}
}

/* ---- the server's threads and memory ---- */

static void server_status(long *threads, long *rss_kb)
{
	*threads = *rss_kb = -1;
	if (cfg.server_pid <= 0)
		return;
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%ld/status", cfg.server_pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "Threads:", 8) == 0)
			*threads = strtol(line + 8, NULL, 10);
		else if (strncmp(line, "VmRSS:", 6) == 0)
			*rss_kb = strtol(line + 6, NULL, 10);
	}
	fclose(f);
}

/* ---- the loop ---- */

static void dispatch(struct epoll_event *ev)
{
	if (ev->data.u64 == DRIVER_TAG) {
		driver_event(ev->events);
		return;
	}
	struct client *c = &clients[ev->data.u64];
	if (c->state == C_CONNECTING) {
		client_send_request(c);
		return;
	}
	if (c->state != C_STREAMING)
		return;
	if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		client_readable(c);
}

static void poll_once(int timeout_ms)
{
	struct epoll_event evs[EPOLL_BATCH];
	int n = epoll_wait(epfd, evs, EPOLL_BATCH, timeout_ms);
	if (n < 0) {
		if (errno == EINTR)
			return;
		die("epoll_wait: %s", strerror(errno));
	}
	for (int i = 0; i < n; i++)
		dispatch(&evs[i]);
}

/* Runs the driver through STEPS steps, INTERVAL_MS apart. */
static void run_steps(long steps, long interval_ms)
{
	drv.step = 0;
	drv.interval_ms = interval_ms;
	drv.next_at = now_ns();
	while (drv.step < steps) {
		if (!drv.busy && now_ns() >= drv.next_at)
			driver_start_step();
		int wait_ms = 50;
		if (!drv.busy) {
			int64_t d = (drv.next_at - now_ns() + NS_PER_MS - 1) / NS_PER_MS;
			wait_ms = d < 0 ? 0 : d > 50 ? 50 : (int)d;
		}
		poll_once(wait_ms);
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static double pct_ms(const int64_t *v, size_t n, double p)
{
	if (!n)
		return -1;
	size_t i = (size_t)(p * (double)n + 0.999999); /* nearest rank */
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return (double)v[i - 1] / 1e6;
}

static void usage(void)
{
	fputs("usage: board-client --port N --clients N (0: only --prefill) [--host IPV4] [--location ID] [--rounds N]\n"
	      "                    [--interval-ms N] [--prefill N] [--grace-ms N] [--hello-timeout-ms N] [--server-pid PID]\n"
	      "The bearer token is read from BENCH_TOKEN.\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	long port = 0;
	snprintf(cfg.host, sizeof cfg.host, "127.0.0.1");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		if (strcmp(a, "--port") == 0)
			port = parse_long(v, "--port", 1, 65535);
		else if (strcmp(a, "--host") == 0)
			snprintf(cfg.host, sizeof cfg.host, "%s", v);
		else if (strcmp(a, "--clients") == 0)
			cfg.clients = parse_long(v, "--clients", 0, 1000000);
		else if (strcmp(a, "--location") == 0)
			cfg.location = parse_long(v, "--location", 1, LONG_MAX);
		else if (strcmp(a, "--rounds") == 0)
			cfg.rounds = parse_long(v, "--rounds", 1, 100000);
		else if (strcmp(a, "--interval-ms") == 0)
			cfg.interval_ms = parse_long(v, "--interval-ms", 0, 60000);
		else if (strcmp(a, "--prefill") == 0)
			cfg.prefill = parse_long(v, "--prefill", 0, 1000000);
		else if (strcmp(a, "--grace-ms") == 0)
			cfg.grace_ms = parse_long(v, "--grace-ms", 0, 600000);
		else if (strcmp(a, "--hello-timeout-ms") == 0)
			cfg.hello_timeout_ms = parse_long(v, "--hello-timeout-ms", 1, 600000);
		else if (strcmp(a, "--server-pid") == 0)
			cfg.server_pid = parse_long(v, "--server-pid", 1, INT_MAX);
		else
			usage();
	}
	if (!port)
		usage();
	cfg.token = getenv("BENCH_TOKEN");
	if (!cfg.token || !*cfg.token)
		die("BENCH_TOKEN is not set");
	cfg.addr.sin_family = AF_INET;
	cfg.addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, cfg.host, &cfg.addr.sin_addr) != 1)
		die("--host must be an IPv4 address (got '%s')", cfg.host);
	signal(SIGPIPE, SIG_IGN);

	/* one descriptor per client, plus the order connection, epoll and stdio */
	struct rlimit rl;
	rlim_t need = (rlim_t)cfg.clients + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
			die("%ld clients need %lu open files; the hard limit is %lu", cfg.clients,
			    (unsigned long)need, (unsigned long)rl.rlim_max);
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			die("setrlimit(RLIMIT_NOFILE, %lu): %s", (unsigned long)need, strerror(errno));
	}

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		die("epoll_create1: %s", strerror(errno));
	clients = calloc((size_t)cfg.clients + 1, sizeof *clients);
	rounds = calloc((size_t)(cfg.prefill > cfg.rounds ? cfg.prefill : cfg.rounds), sizeof *rounds);
	arrivals = calloc((size_t)(cfg.clients + 1) * (size_t)cfg.rounds * PATCHES_PER_ROUND, sizeof *arrivals);
	if (!clients || !rounds || !arrivals)
		die("out of memory");
	for (long i = 0; i < cfg.clients; i++)
		clients[i].fd = -1, clients[i].index = i;

	/* 0. Orders before anyone watches, so the server has the history of one
	 * that has been up a while; then forget them. */
	if (cfg.prefill) {
		run_steps(cfg.prefill * STEPS_PER_ROUND, 0);
		memset(rounds, 0, (size_t)(cfg.prefill > cfg.rounds ? cfg.prefill : cfg.rounds) * sizeof *rounds);
	}
	if (cfg.clients == 0) { /* --clients 0: only that */
		printf("board prefill=%ld broken=0\n", cfg.prefill);
		return 0;
	}

	/* 1. Connect everyone, a few at a time, and wait for each hello. */
	int64_t t0 = now_ns(), deadline = t0 + cfg.hello_timeout_ms * NS_PER_MS;
	long next = 0;
	for (;;) {
		long pending = 0;
		for (long i = 0; i < next; i++)
			pending += clients[i].state != C_CLOSED && !clients[i].hello;
		while (next < cfg.clients && pending < CONNECTS_IN_FLIGHT) {
			client_open(&clients[next++]);
			pending++;
		}
		if (next == cfg.clients && st.hellos + st.closed_before_hello >= cfg.clients)
			break;
		if (now_ns() > deadline)
			break;
		poll_once(50);
	}
	int64_t t_ready = now_ns();
	long threads_ready, rss_ready;
	server_status(&threads_ready, &rss_ready);
	if (st.hellos < cfg.clients) {
		long waiting = 0;
		for (long i = 0; i < cfg.clients; i++)
			waiting += clients[i].state != C_CLOSED && !clients[i].hello;
		fprintf(stderr,
			"board-client: only %ld of %ld clients got their hello within %ld ms: %ld opened, "
			"%ld closed before hello (%ld refused, %ld HTTP errors), %ld still waiting\n",
			st.hellos, cfg.clients, cfg.hello_timeout_ms, st.opened, st.closed_before_hello,
			st.refused, st.http_errors, waiting);
		if (st.first_close[0])
			fprintf(stderr, "board-client: first failure: %s\n", st.first_close);
		if (st.first_format_error[0])
			fprintf(stderr, "board-client: first format problem: %s\n", st.first_format_error);
		printf("board clients=%ld hellos=%ld refused=%ld http_errors=%ld closed=%ld broken=1\n",
		       cfg.clients, st.hellos, st.refused, st.http_errors, st.closed_before_hello);
		return 1;
	}

	/* 2. Place and move the orders. */
	run_steps(cfg.rounds * STEPS_PER_ROUND, cfg.interval_ms);

	/* 3. Wait for the last events, up to the grace period. */
	long expected = cfg.clients * cfg.rounds * PATCHES_PER_ROUND;
	int64_t last_return = rounds[cfg.rounds - 1].returned[PATCHES_PER_ROUND - 1];
	int64_t grace_end = last_return + cfg.grace_ms * NS_PER_MS;
	while (now_ns() < grace_end) {
		long alive = 0;
		for (long i = 0; i < cfg.clients; i++)
			alive += clients[i].state == C_STREAMING;
		long still_possible = 0;
		if (alive == cfg.clients)
			still_possible = expected - st.measured;
		else
			for (long i = 0; i < cfg.clients; i++)
				if (clients[i].state == C_STREAMING)
					for (long k = 0; k < cfg.rounds * PATCHES_PER_ROUND; k++)
						still_possible += !arrivals[i * cfg.rounds * PATCHES_PER_ROUND + k];
		if (still_possible == 0 && st.placed >= alive * cfg.rounds)
			break;
		poll_once(20);
	}
	long threads_end, rss_end;
	server_status(&threads_end, &rss_end);

	/* 4. The figures. */
	int64_t *delays = malloc((size_t)expected * sizeof *delays);
	int64_t *from_sent = malloc((size_t)expected * sizeof *from_sent);
	int64_t *patch_rtt = malloc((size_t)cfg.rounds * PATCHES_PER_ROUND * sizeof *patch_rtt);
	if (!delays || !from_sent || !patch_rtt)
		die("out of memory");
	size_t n = 0, early = 0;
	for (long i = 0; i < cfg.clients; i++)
		for (long r = 0; r < cfg.rounds; r++)
			for (int k = 0; k < PATCHES_PER_ROUND; k++) {
				int64_t a = arrivals[(i * cfg.rounds + r) * PATCHES_PER_ROUND + k];
				if (!a)
					continue;
				int64_t d = a - rounds[r].returned[k];
				if (d < 0) {
					early++;
					d = 0;
				}
				delays[n] = d;
				from_sent[n] = a - rounds[r].sent[k];
				n++;
			}
	for (long r = 0; r < cfg.rounds; r++)
		for (int k = 0; k < PATCHES_PER_ROUND; k++)
			patch_rtt[r * PATCHES_PER_ROUND + k] = rounds[r].returned[k] - rounds[r].sent[k];
	qsort(delays, n, sizeof *delays, cmp_i64);
	qsort(from_sent, n, sizeof *from_sent, cmp_i64);
	qsort(patch_rtt, (size_t)cfg.rounds * PATCHES_PER_ROUND, sizeof *patch_rtt, cmp_i64);
	size_t np = (size_t)cfg.rounds * PATCHES_PER_ROUND;

	if (st.closed_after_hello)
		fprintf(stderr, "board-client: %ld streams closed during the run; first: %s\n",
			st.closed_after_hello, st.first_close);
	if (st.format_errors)
		fprintf(stderr, "board-client: %ld events differ from docs/api.md; first: %s\n",
			st.format_errors, st.first_format_error);
	if (st.unknown_order || st.duplicates)
		fprintf(stderr, "board-client: %ld events for orders this run did not make, %ld duplicates\n",
			st.unknown_order, st.duplicates);

	printf("board clients=%ld hellos=%ld connect_ms=%.0f samples=%zu expected=%ld lost=%ld early=%zu"
	       " p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
	       " sent_p50_ms=%.3f sent_p99_ms=%.3f patch_p50_ms=%.3f patch_p99_ms=%.3f"
	       " placed=%ld placed_expected=%ld closed=%ld format_errors=%ld duplicates=%ld"
	       " unknown=%ld other_events=%ld comments=%ld reconnects=%ld"
	       " threads_ready=%ld rss_ready_kb=%ld threads_end=%ld rss_end_kb=%ld broken=0\n",
	       cfg.clients, st.hellos, (double)(t_ready - t0) / 1e6, n, expected, expected - (long)n, early,
	       pct_ms(delays, n, 0.50), pct_ms(delays, n, 0.90), pct_ms(delays, n, 0.99),
	       pct_ms(delays, n, 1.0), pct_ms(from_sent, n, 0.50), pct_ms(from_sent, n, 0.99),
	       pct_ms(patch_rtt, np, 0.50), pct_ms(patch_rtt, np, 0.99), st.placed,
	       cfg.clients * cfg.rounds, st.closed_after_hello, st.format_errors, st.duplicates,
	       st.unknown_order, st.other_events, st.comments, drv.reconnects, threads_ready, rss_ready,
	       threads_end, rss_end);
	return 0;
}
