/* The route table: one row per route, with the flags the dispatcher acts on
 * before the handler runs. The whole API fits on one screen (routes.c). */
#ifndef MAITRED_ROUTES_H
#define MAITRED_ROUTES_H

#include "net/req.h"
#include "domain/spec.h"

enum route_flags {
	F_AUTH = 1 << 0,    /* a signed-in caller is required */
	F_JSON = 1 << 1,    /* a JSON object body is required */
	F_WRITE = 1 << 2,   /* runs in a write transaction (BEGIN IMMEDIATE) */
	F_PATCH = 1 << 3,   /* the spec is checked as a partial update */
	F_NO_CSRF = 1 << 4, /* exempt from the CSRF header (sign-in) */
	F_READ = 1 << 5,    /* runs in a read transaction (consistent snapshot) */
	F_STREAM = 1 << 6,  /* answers with a live stream (Server-Sent Events) */
};

#define KiB 1024
#define DEFAULT_MAX_BODY_BYTES (16 * KiB)

typedef enum err (*handler_fn)(struct req *r);

struct route {
	enum method method;
	const char *pattern; /* "/api/v1/guests/{id}/card" */
	handler_fn handler;
	unsigned flags;
	unsigned roles; /* allowed roles; 0 = anyone (with F_AUTH: any role) */
	size_t max_body;
	const struct spec *spec;     /* body declaration, for F_JSON */
	const char *const *query;    /* allowed query parameters, NULL-terminated */
	/* Slow work that must not hold the write lock (password hashing): runs
	 * after the checks and before the transaction. */
	handler_fn prepare;
};

extern const struct route routes[];
extern const size_t routes_count;

const char *method_name(enum method m);
enum method method_parse(const char *s);
/* Finds the route for method and path, filling r->ids. Sets *path_known when
 * some route has this path under another method (405, not 404). */
const struct route *routes_match(enum method m, const char *path, struct req *r, bool *path_known);
/* The methods allowed on path, as "GET, POST" for Allow. */
void routes_allow(const char *path, char *out, size_t outlen);
void routes_print(FILE *f);

#endif
