/* Small helpers shared by the handlers. */
#include "util/compat.h"
#include "api/api.h"
#include "util/clock.h"
#include "util/jw.h"

#include <sodium.h>

struct actor req_actor(const struct req *r)
{
	struct actor a = {-1, -1};
	if (r->caller.kind == CALLER_SESSION)
		a.staff_id = r->caller.staff_id;
	else if (r->caller.kind == CALLER_TOKEN)
		a.token_id = r->caller.token_id;
	return a;
}

json_t *json_time(int64_t t)
{
	if (t < 0)
		return json_null();
	char s[CLOCK_RFC3339_LEN];
	clock_format(t, s);
	return json_string(s);
}

json_t *json_opt_int(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

json_t *json_opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *cursor_encode(struct arena *a, int64_t x, int64_t y)
{
	char *s = arena_alloc(a, 48);
	size_t n = format_i64(s, x);
	s[n++] = '.';
	n += format_i64(s + n, y);
	s[n] = '\0';
	return s;
}

bool cursor_decode(const char *s, int64_t *x, int64_t *y)
{
	const char *dot = strchr(s, '.');
	char first[24];
	if (!dot || (size_t)(dot - s) >= sizeof(first))
		return false;
	memcpy(first, s, (size_t)(dot - s));
	first[dot - s] = '\0';
	return parse_i64(first, INT64_MIN / 2, INT64_MAX, x) && parse_i64(dot + 1, INT64_MIN / 2, INT64_MAX, y);
}

/* Responses larger than this are a bug, answered 500. */
#define RESPONSE_MAX_BYTES (1024 * 1024)

struct jw *jreply_open(struct jreply *j)
{
	buf_init(&j->b, RESPONSE_MAX_BYTES);
	jw_init(&j->w, &j->b);
	return &j->w;
}

enum err jreply_close(struct req *r, int status, struct jreply *j)
{
	return req_json_buf(r, status, &j->b);
}

void jreply_abandon(struct jreply *j)
{
	buf_release(&j->b);
}

enum db_rc event_add_json(struct db *db, struct actor actor, const char *type, int64_t location_id,
			  int64_t guest_id, int64_t subject_id, json_t *data)
{
	char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	json_decref(data);
	enum db_rc rc = text ? events_add(db, actor, type, location_id, guest_id, subject_id, text)
			     : DB_ERROR;
	free(text);
	return rc;
}

void actor_write(struct jw *w, int64_t staff_id, int64_t token_id, const char *name)
{
	if (staff_id < 0 && token_id < 0) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	JW_KEY(w, "kind");
	jw_str(w, staff_id >= 0 ? "staff" : "token");
	JW_KEY(w, "id");
	jw_int(w, staff_id >= 0 ? staff_id : token_id);
	JW_KEY(w, "name");
	jw_str(w, name);
	jw_obj_end(w);
}

enum err req_query_cursor(struct req *r, int64_t *a, int64_t *b)
{
	const char *cursor = req_query(r, "cursor");
	int64_t x, y;
	if (!cursor)
		return E_OK;
	if (!cursor_decode(cursor, &x, &y) || y < 1)
		return req_fail(r, E_FIELD_INVALID, "cursor", "cursor is not one this server gave out");
	*a = x;
	*b = y;
	return E_OK;
}

enum err req_location(struct req *r, struct location *l)
{
	int64_t id;
	enum err e = req_query_int(r, "location_id", 1, INT64_MAX, -1, &id);
	if (e)
		return e;
	if (id < 0)
		return req_fail(r, E_FIELD_MISSING, "location_id", "location_id is required");
	enum db_rc rc = locations_get(r->db, &r->arena, id, l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

void link_token_new(char token[SURVEY_TOKEN_SIZE], char hash[AUTH_TOKEN_HEX])
{
	unsigned char raw[LINK_TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, SURVEY_TOKEN_SIZE, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(token, hash);
}

bool link_token_ok(const char *t)
{
	return t && strlen(t) == SURVEY_TOKEN_CHARS &&
	       strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
		       SURVEY_TOKEN_CHARS;
}
