/* What a handler sees of a request, and what it fills in for the response.
 * Handlers never call libmicrohttpd: http.c builds a struct req, runs the
 * route's checks (auth, roles, body, transaction) and renders the result.
 *
 * JSON ownership: r->body is owned by the request and freed with it;
 * req_json() steals the reference it is given. */
#ifndef MAITRED_REQ_H
#define MAITRED_REQ_H

#include "util/compat.h"
#include "util/arena.h"
#include "util/err.h"
#include "store/db.h"
#include "domain/roles.h"

#include <jansson.h>

#define CALLER_MAX_LOCATIONS 64

struct caller {
	enum { CALLER_NONE, CALLER_SESSION, CALLER_TOKEN } kind;
	int64_t staff_id; /* -1 for tokens */
	int64_t token_id; /* -1 for sessions */
	enum role role;
	bool all_locations; /* owners, and tokens not bound to a location */
	int nlocations;
	int64_t locations[CALLER_MAX_LOCATIONS];
};

bool caller_at_location(const struct caller *c, int64_t location_id);

enum method { M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M_OTHER };

#define REQ_MAX_ARGS 4
#define REQ_MAX_QUERY 16
#define REQ_MAX_HEADERS 4

struct res {
	int status;
	json_t *json; /* owned */
	char *text;   /* malloc'd, used when json is NULL */
	size_t text_len;
	const char *content_type;
	int nheaders;
	const char *headers[REQ_MAX_HEADERS][2]; /* arena strings */
	/* set by req_fail() */
	enum err err;
	const char *err_field;
	char err_message[192];
	int retry_after; /* seconds, for 429 and 503 */
	/* set by a stream handler: text holds the first bytes to send, then
	 * the connection follows the location's events after stream_cursor */
	bool stream;
	bool stream_kitchen; /* order events and order alerts only */
	int64_t stream_location, stream_cursor;
};

struct req {
	enum method method;
	const char *path;
	int64_t ids[REQ_MAX_ARGS]; /* {id} path arguments, in order */
	int nids;
	int nquery;
	const char *query[REQ_MAX_QUERY][2];
	json_t *body;
	const char *client_ip;
	const char *session_token; /* the session cookie, when sent */
	const char *last_event_id; /* the Last-Event-ID header, when sent */
	const char *path_token;	   /* a {token} path argument */
	const char *host;	   /* the Host header, for absolute links */
	const char *forwarded_proto; /* X-Forwarded-Proto, behind a TLS proxy */
	struct caller caller;
	struct db *db;
	void *state; /* handed from a route's prepare step to its handler */
	struct arena arena;
	struct res res;
};

/* Records an error for the response and returns it, so handlers can
 * `return req_fail(r, E_NOT_FOUND, NULL, "no such guest");`. */
enum err req_fail(struct req *r, enum err code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Sets a JSON response, stealing body. Returns E_OK. */
enum err req_json(struct req *r, int status, json_t *body);
struct buf;
/* Sets a JSON response already written into b (see util/jw.h), taking its
 * memory. Returns E_OK, or E_INTERNAL if b overflowed. */
enum err req_json_buf(struct req *r, int status, struct buf *b);
/* Adds a response header; name and value are copied into the arena. */
void req_header(struct req *r, const char *name, const char *value);
/* Query parameters: NULL when absent. */
const char *req_query(const struct req *r, const char *name);
/* Parses an integer query parameter in [min, max]; dflt when absent. */
enum err req_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
		       int64_t *out);
/* Parses an RFC 3339 time query parameter; dflt when absent. */
enum err req_query_time(struct req *r, const char *name, int64_t dflt, int64_t *out);
/* A query parameter that must be one of choices (NULL-terminated); *out is
 * NULL when absent. */
enum err req_query_enum(struct req *r, const char *name, const char *const *choices,
			const char **out);
/* Maps a store failure to an error response (busy -> 503, else 500). */
enum err req_db_fail(struct req *r, enum db_rc rc);

#endif
