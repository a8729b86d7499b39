/* Helpers handlers use to read a request and fill its response. */
#include "util/compat.h"
#include "net/req.h"
#include "util/clock.h"
#include "util/buf.h"

#include <stdarg.h>

const char *const role_names[] = {"owner", "manager", "host", "kitchen", NULL};

const char *role_name(enum role role)
{
	switch (role) {
	case ROLE_OWNER: return "owner";
	case ROLE_MANAGER: return "manager";
	case ROLE_HOST: return "host";
	case ROLE_KITCHEN: return "kitchen";
	}
	return "unknown";
}

enum role role_parse(const char *s)
{
	static const enum role all[] = {ROLE_OWNER, ROLE_MANAGER, ROLE_HOST, ROLE_KITCHEN};
	for (size_t i = 0; s && i < ARRAY_SIZE(all); i++)
		if (strcmp(s, role_name(all[i])) == 0)
			return all[i];
	return 0;
}

bool caller_at_location(const struct caller *c, int64_t location_id)
{
	if (c->all_locations)
		return true;
	for (int i = 0; i < c->nlocations; i++)
		if (c->locations[i] == location_id)
			return true;
	return false;
}

enum err req_fail(struct req *r, enum err code, const char *field, const char *fmt, ...)
{
	r->res.err = code;
	r->res.err_field = field ? arena_strdup(&r->arena, field) : NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->res.err_message, sizeof(r->res.err_message), fmt, ap);
	va_end(ap);
	return code;
}

enum err req_json(struct req *r, int status, json_t *body)
{
	if (!body)
		return req_fail(r, E_INTERNAL, NULL, "out of memory");
	json_decref(r->res.json);
	r->res.status = status;
	r->res.json = body;
	return E_OK;
}

enum err req_json_buf(struct req *r, int status, struct buf *b)
{
	if (b->overflow) {
		buf_release(b);
		return req_fail(r, E_INTERNAL, NULL, "the response is too large");
	}
	free(r->res.text);
	r->res.status = status;
	r->res.text = buf_detach(b, &r->res.text_len);
	r->res.content_type = "application/json; charset=utf-8";
	return E_OK;
}

void req_header(struct req *r, const char *name, const char *value)
{
	if (r->res.nheaders == REQ_MAX_HEADERS)
		return;
	r->res.headers[r->res.nheaders][0] = arena_strdup(&r->arena, name);
	r->res.headers[r->res.nheaders][1] = arena_strdup(&r->arena, value);
	r->res.nheaders++;
}

const char *req_query(const struct req *r, const char *name)
{
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i][0], name) == 0)
			return r->query[i][1];
	return NULL;
}

enum err req_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
		       int64_t *out)
{
	const char *s = req_query(r, name);
	if (!s) {
		*out = dflt;
		return E_OK;
	}
	if (!parse_i64(s, min, max, out))
		return req_fail(r, E_FIELD_INVALID, name, "%s must be an integer between %lld and %lld",
				name, (long long)min, (long long)max);
	return E_OK;
}

enum err req_query_enum(struct req *r, const char *name, const char *const *choices,
			const char **out)
{
	*out = req_query(r, name);
	if (!*out)
		return E_OK;
	for (const char *const *c = choices; *c; c++)
		if (strcmp(*c, *out) == 0)
			return E_OK;
	char list[160] = "";
	size_t used = 0;
	for (const char *const *c = choices; *c && used < sizeof(list); c++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", c == choices ? "" : ", ", *c);
	return req_fail(r, E_FIELD_INVALID, name, "%s must be one of: %s", name, list);
}

enum err req_db_fail(struct req *r, enum db_rc rc)
{
	if (rc == DB_BUSY) {
		r->res.retry_after = 1;
		return req_fail(r, E_UNAVAILABLE, NULL, "the database is busy; try again");
	}
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, NULL, "conflicts with existing data");
	return req_fail(r, E_INTERNAL, NULL, "internal error");
}

enum err req_query_time(struct req *r, const char *name, int64_t dflt, int64_t *out)
{
	const char *s = req_query(r, name);
	*out = dflt;
	if (s && !clock_parse(s, out))
		return req_fail(r, E_FIELD_INVALID, name,
				"%s must be an RFC 3339 time such as 2026-11-01T00:00:00Z", name);
	return E_OK;
}
