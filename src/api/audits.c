/* Audits: many standards checked at once, on a routine walk-round by staff
 * or by a mystery shopper through a link without sign-in. Each result is a
 * check (so it counts for due times, compliance, alerts and cases); the
 * audit keeps the score. */
#include "util/compat.h"
#include "api/api.h"
#include "util/clock.h"
#include "domain/text.h"

#define AUDIT_NOTE_MAX 1000
#define AUDIT_RESULT_NOTE_MAX 1000
#define AUDIT_DEFAULT_EXPIRY_DAYS 14
#define AUDIT_MAX_EXPIRY_DAYS 90
#define AUDITS_DEFAULT_LIMIT 50
#define AUDITS_MAX_LIMIT 100

static const char *const kinds[] = {"routine", "mystery", NULL};
static const char *const statuses[] = {"pending", "submitted", "expired", NULL};

static const struct spec_field audit_fields[] = {
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"kind", SPEC_ENUM, true, false, 0, 0, kinds},
	{"results", SPEC_ARRAY, false, false, 1, STANDARDS_MAX, NULL},
	{"note", SPEC_STRING, false, true, 0, AUDIT_NOTE_MAX, NULL},
	{"expires_days", SPEC_INT, false, false, 1, AUDIT_MAX_EXPIRY_DAYS, NULL},
};
const struct spec audit_spec = SPEC(audit_fields);

static const struct spec_field public_audit_fields[] = {
	{"token", SPEC_STRING, true, false, 1, 64, NULL},
	{"results", SPEC_ARRAY, true, false, 1, STANDARDS_MAX, NULL},
	{"note", SPEC_STRING, false, true, 0, AUDIT_NOTE_MAX, NULL},
};
const struct spec public_audit_spec = SPEC(public_audit_fields);

/* One result of the body, checked against the location's active standards. */
struct result {
	const struct standard *s;
	const char *result, *note;
};

static enum err result_fail(struct req *r, enum err code, size_t i, const char *key,
			    const char *message)
{
	char field[128], k[96];
	text_prefix(key ? key : "", 20, k, sizeof(k));
	snprintf(field, sizeof(field), "results[%zu]%s%s", i, key ? "." : "", k);
	return req_fail(r, code, field, "%s", message);
}

static enum err results_read(struct req *r, int64_t location_id, const json_t *arr,
			     struct result **out, int *n)
{
	struct standard *ss;
	int ns;
	enum db_rc rc = standards_list(r->db, &r->arena, location_id, true, &ss, &ns);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	*n = (int)json_array_size(arr);
	*out = arena_alloc(&r->arena, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (size_t i = 0; i < (size_t)*n; i++) {
		const json_t *v = json_array_get(arr, i);
		struct result *x = &(*out)[i];
		if (!json_is_object(v))
			return result_fail(r, E_FIELD_INVALID, i, NULL,
					   "each result is {\"standard_id\", \"result\", \"note\"}");
		const char *key;
		json_t *f;
		json_object_foreach((json_t *)v, key, f) if (strcmp(key, "standard_id") &&
							     strcmp(key, "result") && strcmp(key, "note"))
			return result_fail(r, E_FIELD_UNKNOWN, i, key, "a result has standard_id, result and note");
		json_t *id = json_object_get(v, "standard_id");
		if (!id)
			return result_fail(r, E_FIELD_MISSING, i, "standard_id", "standard_id is required");
		x->s = NULL;
		for (int k = 0; json_is_integer(id) && k < ns; k++)
			if (ss[k].id == json_integer_value(id))
				x->s = &ss[k];
		if (!x->s)
			return result_fail(r, json_is_integer(id) ? E_NOT_FOUND : E_FIELD_INVALID, i,
					   "standard_id", "not an active standard of this location");
		for (size_t k = 0; k < i; k++)
			if ((*out)[k].s == x->s)
				return result_fail(r, E_CONFLICT, i, "standard_id",
						   "this standard has a result already");
		json_t *res = json_object_get(v, "result");
		x->result = json_string_value(res);
		if (!res)
			return result_fail(r, E_FIELD_MISSING, i, "result", "result is required");
		if (!x->result || (strcmp(x->result, "pass") && strcmp(x->result, "fail") &&
				   strcmp(x->result, "na")))
			return result_fail(r, E_FIELD_INVALID, i, "result", "result is pass, fail or na");
		json_t *note = json_object_get(v, "note");
		x->note = json_string_value(note);
		if (note && !json_is_null(note) &&
		    (!x->note || text_chars(x->note) > AUDIT_RESULT_NOTE_MAX))
			return result_fail(r, E_FIELD_INVALID, i, "note", "note is text of at most 1000 characters");
		if (x->note && !x->note[strspn(x->note, " \t\r\n")])
			x->note = NULL;
		if (strcmp(x->result, "fail") == 0 && !x->note)
			return result_fail(r, E_FIELD_MISSING, i, "note",
					   "a failed standard needs a note: what was wrong");
	}
	return E_OK;
}

/* Records the results as checks by `by` and scores the audit. */
static enum db_rc results_record(struct db *db, struct arena *a, struct actor by, struct audit *au,
				 const struct result *xs, int n, int64_t now)
{
	au->passed = au->failed = au->na = au->deal_breakers_failed = 0;
	enum db_rc rc = DB_DONE;
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		struct check c = {.standard_id = xs[i].s->id, .audit_id = au->id, .result = xs[i].result,
				  .note = xs[i].note, .by = by, .at = now};
		rc = check_record(db, a, xs[i].s, &c);
		au->passed += xs[i].result[0] == 'p';
		au->na += xs[i].result[0] == 'n';
		if (xs[i].result[0] == 'f') {
			au->failed++;
			au->deal_breakers_failed += xs[i].s->deal_breaker;
		}
	}
	int score = audit_score((int)au->passed, (int)au->failed, au->deal_breakers_failed > 0);
	au->score = score;
	au->submitted_at = now;
	return rc;
}

static const char *audit_status(const struct audit *au, int64_t now)
{
	if (au->submitted_at >= 0)
		return "submitted";
	return now < au->expires_at ? "pending" : "expired";
}

static void audit_fields_write(struct jw *w, const struct audit *au)
{
	JW_KEY(w, "id");
	jw_int(w, au->id);
	JW_KEY(w, "location_id");
	jw_int(w, au->location_id);
	JW_KEY(w, "kind");
	jw_str(w, au->kind);
	JW_KEY(w, "status");
	jw_str(w, audit_status(au, clock_now()));
	JW_KEY(w, "score");
	jw_opt_int(w, au->score);
	JW_KEY(w, "passed");
	jw_opt_int(w, au->passed);
	JW_KEY(w, "failed");
	jw_opt_int(w, au->failed);
	JW_KEY(w, "na");
	jw_opt_int(w, au->na);
	JW_KEY(w, "deal_breakers_failed");
	jw_opt_int(w, au->deal_breakers_failed);
	JW_KEY(w, "note");
	jw_str(w, au->note);
	JW_KEY(w, "shopper_note");
	jw_str(w, au->shopper_note);
	JW_KEY(w, "created_by");
	actor_write(w, au->created_by.staff_id, au->created_by.token_id, au->created_by_name);
	JW_KEY(w, "created_at");
	jw_time(w, au->created_at);
	JW_KEY(w, "expires_at");
	jw_time(w, au->expires_at);
	JW_KEY(w, "submitted_at");
	jw_time(w, au->submitted_at);
}

/* The Audit with its results; token, when given, is shown this once. */
static enum err reply_audit(struct req *r, int status, const struct audit *au, const char *token)
{
	struct check_filter f = {.location_id = au->location_id, .standard_id = -1,
				 .audit_id = au->id, .from = 0, .to = INT64_MAX / 2};
	struct check *cs;
	int n;
	enum db_rc rc = checks_list(r->db, &r->arena, &f, STANDARDS_MAX, &cs, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	audit_fields_write(w, au);
	if (token) {
		JW_KEY(w, "token");
		jw_str(w, token);
		JW_KEY(w, "url");
		jw_str(w, arena_printf(&r->arena, "/a/%s", token));
	}
	JW_KEY(w, "results");
	jw_arr(w);
	for (int i = n - 1; i >= 0; i--) { /* in the order they were given */
		jw_obj(w);
		JW_KEY(w, "check_id");
		jw_int(w, cs[i].id);
		JW_KEY(w, "standard");
		standard_brief_write(w, cs[i].standard_id, cs[i].standard_text, cs[i].deal_breaker,
				     cs[i].touchpoint_id, cs[i].touchpoint_key, cs[i].touchpoint_name);
		JW_KEY(w, "result");
		jw_str(w, cs[i].result);
		JW_KEY(w, "note");
		jw_str(w, cs[i].note);
		JW_KEY(w, "case_id");
		jw_opt_int(w, cs[i].case_id);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, status, &j);
}

static enum db_rc audit_event(struct db *db, struct actor by, const char *type,
			      const struct audit *au)
{
	return event_add_json(db, by, type, au->location_id, -1, au->id,
			      json_pack("{s:I,s:s,s:o}", "audit_id", (json_int_t)au->id, "kind",
					au->kind, "score", json_opt_int(au->score)));
}

enum err audits_create_h(struct req *r)
{
	int64_t now = clock_now();
	struct audit au = {
		.location_id = spec_int(r->body, "location_id", -1),
		.kind = spec_str(r->body, "kind"),
		.note = spec_str(r->body, "note"),
		.created_by = req_actor(r),
		.created_at = now,
		.expires_at = -1,
		.submitted_at = -1,
		.score = -1, .passed = -1, .failed = -1, .na = -1, .deal_breakers_failed = -1,
	};
	if (au.note && !*au.note)
		au.note = NULL;
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, au.location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, au.location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	json_t *results = json_object_get(r->body, "results");
	bool link = strcmp(au.kind, "mystery") == 0 && !results;
	if (!link && !results)
		return req_fail(r, E_FIELD_MISSING, "results", "a routine audit needs its results");
	if (!link && spec_has(r->body, "expires_days"))
		return req_fail(r, E_FIELD_INVALID, "expires_days",
				"expires_days is for a mystery-shop link (without results)");
	if (link && r->caller.role != ROLE_OWNER && r->caller.role != ROLE_MANAGER)
		return req_fail(r, E_FORBIDDEN, NULL, "only owners and managers make mystery-shop links");
	struct result *xs = NULL;
	int n = 0;
	enum err e;
	if (results && (e = results_read(r, l.id, results, &xs, &n)))
		return e;
	char token[SURVEY_TOKEN_SIZE], hash[AUTH_TOKEN_HEX];
	if (link) {
		link_token_new(token, hash);
		au.token_hash = hash;
		au.expires_at = now + spec_int(r->body, "expires_days", AUDIT_DEFAULT_EXPIRY_DAYS) *
					      SECONDS_PER_DAY;
	}
	if ((rc = audits_insert(r->db, &au)) != DB_ROW)
		return req_db_fail(r, rc);
	if (!link && ((rc = results_record(r->db, &r->arena, au.created_by, &au, xs, n, now)) != DB_DONE ||
		      (rc = audits_submit(r->db, &au)) != DB_DONE))
		return req_db_fail(r, rc);
	if ((rc = audit_event(r->db, au.created_by, link ? "audit.created" : "audit.submitted", &au)) !=
		    DB_DONE ||
	    (rc = audits_get(r->db, &r->arena, au.id, &au)) != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	return reply_audit(r, 201, &au, link ? token : NULL);
}

static enum err path_audit(struct req *r, struct audit *au)
{
	enum db_rc rc = audits_get(r->db, &r->arena, r->ids[0], au);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, au->location_id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such audit");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err audits_get_h(struct req *r)
{
	struct audit au;
	enum err e = path_audit(r, &au);
	return e ? e : reply_audit(r, 200, &au, NULL);
}

enum err audits_list_h(struct req *r)
{
	struct location l;
	const char *kind, *status;
	int64_t limit, before_at = 0, before_id = 0;
	enum err e = req_location(r, &l);
	if (e || (e = req_query_enum(r, "kind", kinds, &kind)) ||
	    (e = req_query_enum(r, "status", statuses, &status)) ||
	    (e = req_query_int(r, "limit", 1, AUDITS_MAX_LIMIT, AUDITS_DEFAULT_LIMIT, &limit)) ||
	    (e = req_query_cursor(r, &before_at, &before_id)))
		return e;
	struct audit *as;
	int n;
	enum db_rc rc = audits_list(r->db, &r->arena, l.id, kind, status, clock_now(), before_id,
				    (int)limit + 1, &as, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	bool more = n > limit;
	if (more)
		n = (int)limit;
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		audit_fields_write(w, &as[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "next");
	if (more)
		jw_str(w, cursor_encode(&r->arena, as[n - 1].created_at, as[n - 1].id));
	else
		jw_null(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* The pending mystery-shop audit of a token, or why it cannot be used. */
static enum err audit_open(struct req *r, const char *token, struct audit *au)
{
	char hash[AUTH_TOKEN_HEX];
	if (!link_token_ok(token))
		return req_fail(r, E_AUDIT_INVALID, "token", "this audit link is not valid");
	auth_token_hash(token, hash);
	enum db_rc rc = audits_by_token(r->db, &r->arena, hash, au);
	if (rc == DB_DONE)
		return req_fail(r, E_AUDIT_INVALID, "token", "this audit link is not valid");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (au->submitted_at >= 0)
		return req_fail(r, E_AUDIT_SUBMITTED, "token", "this audit was already sent — thank you");
	if (clock_now() >= au->expires_at)
		return req_fail(r, E_AUDIT_EXPIRED, "token", "this audit link has expired");
	return E_OK;
}

enum err audit_public_get_h(struct req *r)
{
	struct audit au;
	enum err e = audit_open(r, req_query(r, "token"), &au);
	if (e)
		return e;
	struct location l;
	struct standard *ss;
	int n;
	enum db_rc rc = locations_get(r->db, &r->arena, au.location_id, &l);
	if (rc != DB_ROW || (rc = standards_list(r->db, &r->arena, l.id, true, &ss, &n)) != DB_DONE)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location");
	jw_obj(w);
	JW_KEY(w, "name");
	jw_str(w, l.name);
	jw_obj_end(w);
	JW_KEY(w, "expires_at");
	jw_time(w, au.expires_at);
	JW_KEY(w, "standards");
	jw_arr(w);
	/* the journey's order, as a guest walks it */
	for (int64_t pos = INT64_MIN;;) {
		int64_t next = INT64_MAX;
		for (int i = 0; i < n; i++)
			if (ss[i].touchpoint_position > pos && ss[i].touchpoint_position < next)
				next = ss[i].touchpoint_position;
		if (next == INT64_MAX)
			break;
		for (int i = 0; i < n; i++)
			if (ss[i].touchpoint_position == next)
				standard_brief_write(w, ss[i].id, ss[i].text, ss[i].deal_breaker,
						     ss[i].touchpoint_id, ss[i].touchpoint_key,
						     ss[i].touchpoint_name);
		pos = next;
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err public_audit_h(struct req *r)
{
	struct audit au;
	enum err e = audit_open(r, spec_str(r->body, "token"), &au);
	if (e)
		return e;
	struct result *xs;
	int n;
	if ((e = results_read(r, au.location_id, json_object_get(r->body, "results"), &xs, &n)))
		return e;
	const char *note = spec_str(r->body, "note");
	if (note && note[strspn(note, " \t\r\n")])
		au.shopper_note = note;
	struct actor shopper = {-1, -1};
	enum db_rc rc = results_record(r->db, &r->arena, shopper, &au, xs, n, clock_now());
	if (rc == DB_DONE)
		rc = audits_submit(r->db, &au);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_AUDIT_SUBMITTED, "token", "this audit was already sent — thank you");
	if (rc != DB_DONE || (rc = audit_event(r->db, shopper, "audit.submitted", &au)) != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "thanks");
	jw_bool(w, true);
	JW_KEY(w, "score");
	jw_opt_int(w, au.score);
	jw_obj_end(w);
	return jreply_close(r, 201, &j);
}
