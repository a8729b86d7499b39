/* Declarative validation of JSON request bodies. A spec lists the fields a
 * body may have; spec_check() names the first offending field. Fields not in
 * the spec are rejected, which stops mass assignment by construction.
 *
 * The body is borrowed: spec_check() takes no reference. */
#ifndef MAITRED_SPEC_H
#define MAITRED_SPEC_H

#include "util/compat.h"
#include "util/err.h"

#include <jansson.h>

enum spec_type {
	SPEC_STRING, /* min/max: length in characters; required strings, and those with
			min > 0, must not be blank */
	SPEC_INT,    /* min/max: value */
	SPEC_BOOL,
	SPEC_TIME,     /* RFC 3339 string */
	SPEC_ENUM,     /* a string from choices */
	SPEC_ID_ARRAY, /* array of positive integers, at most max items */
	SPEC_EMAIL,    /* a plausible address, at most max characters */
	SPEC_ARRAY,    /* an array of min..max entries; the handler checks them */
	SPEC_OBJECT,   /* an object of min..max members; the handler checks them */
};

struct spec_field {
	const char *name;
	enum spec_type type;
	bool required;
	bool nullable; /* null accepted (means "clear" on PATCH) */
	int64_t min, max;
	const char *const *choices; /* NULL-terminated, for SPEC_ENUM */
};

struct spec {
	const struct spec_field *fields;
	size_t n;
};

#define SPEC(arr) ((struct spec){(arr), sizeof(arr) / sizeof((arr)[0])})

struct spec_error {
	enum err code;
	char field[64]; /* empty when the body as a whole is wrong */
	char message[192];
};

/* patch: required fields may be absent, but a present body must not be empty. */
bool spec_check(struct spec spec, const json_t *body, bool patch, struct spec_error *err);

/* Values of present, non-null fields; defaults otherwise. */
const char *spec_str(const json_t *body, const char *name);
int64_t spec_int(const json_t *body, const char *name, int64_t dflt);
bool spec_has(const json_t *body, const char *name);

#endif
