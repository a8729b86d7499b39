/* Standards of care: a location's opening hours, its standards, the checks
 * that come due inside those hours (with notes and photos), the clock that
 * raises alerts for overdue checks, and the compliance insights. A failed
 * deal-breaker raises an alert and opens a recovery case at once. */
#include "util/compat.h"
#include "api/api.h"
#include "util/clock.h"
#include "domain/text.h"
#include "domain/recovery.h"

#include <sodium.h>

#define STANDARD_TEXT_MAX 200
#define CHECK_NOTE_MAX 1000
#define PHOTO_MAX_BYTES (2 * 1024 * 1024)
#define PHOTO_BASE64_MAX (4 * 1024 * 1024) /* the body limit stops it first */
#define CHECKS_DEFAULT_LIMIT 50
#define CHECKS_MAX_LIMIT 100
#define INSIGHTS_MAX_CHECKS 100000 /* read for one answer; the docs say so */
#define CASE_NOTE_MAX_CHARS 250	   /* of the note, in an alert or a case summary */
#define CASE_NOTE_MAX_BYTES (CASE_NOTE_MAX_CHARS * 4 + 1)
#define INSIGHTS_MAX_AUDITS 1000
#define INSIGHTS_BUCKETS_MAX 400
#define INSIGHTS_DEFAULT_DAYS (12 * 7)

static const char *const results[] = {"pass", "fail", "na", NULL};

/* ---- opening hours ---- */

static const struct spec_field hours_fields[] = {
	{"hours", SPEC_ARRAY, true, false, 0, HOURS_MAX_SPANS, NULL},
};
const struct spec hours_spec = SPEC(hours_fields);

static void minutes_write(struct jw *w, int minutes)
{
	char s[8];
	minutes %= MINUTES_PER_DAY * 2;
	if (minutes > MINUTES_PER_DAY)
		minutes -= MINUTES_PER_DAY;
	snprintf(s, sizeof(s), "%02d:%02d", minutes / 60, minutes % 60);
	jw_str(w, s);
}

static enum err reply_hours(struct req *r, const struct location *l, const struct hours *h)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, l->id);
	JW_KEY(w, "timezone");
	jw_str(w, l->timezone);
	JW_KEY(w, "hours");
	jw_arr(w);
	for (int i = 0; i < h->n; i++) {
		jw_obj(w);
		JW_KEY(w, "day");
		jw_str(w, hours_days[h->s[i].day]);
		JW_KEY(w, "opens");
		minutes_write(w, h->s[i].opens);
		JW_KEY(w, "closes");
		minutes_write(w, h->s[i].closes);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* The location of the path's {id}, at the caller's locations. */
static enum err path_location(struct req *r, struct location *l)
{
	enum db_rc rc = locations_get(r->db, &r->arena, r->ids[0], l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, l->id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such location");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err hours_get_h(struct req *r)
{
	struct location l;
	struct hours h;
	enum err e = path_location(r, &l);
	if (e)
		return e;
	enum db_rc rc = hours_get(r->db, l.id, &h);
	return rc == DB_DONE ? reply_hours(r, &l, &h) : req_db_fail(r, rc);
}

/* One span of the body, as hours[i]: its day and times, normalised so that
 * one running past midnight closes after 1440. */
static enum err span_read(struct req *r, const json_t *v, size_t i, struct hours_span *out)
{
	char field[96];
	snprintf(field, sizeof(field), "hours[%zu]", i);
	if (!json_is_object(v))
		return req_fail(r, E_FIELD_INVALID, field, "each span is {\"day\", \"opens\", \"closes\"}");
	const char *key;
	json_t *x;
	json_object_foreach((json_t *)v, key, x) if (strcmp(key, "day") && strcmp(key, "opens") &&
						     strcmp(key, "closes"))
	{
		char k[49]; /* 12 characters */
		text_prefix(key, 12, k, sizeof(k));
		snprintf(field, sizeof(field), "hours[%zu].%s", i, k);
		return req_fail(r, E_FIELD_UNKNOWN, field, "a span has day, opens and closes");
	}
	static const char *const names[] = {"day", "opens", "closes"};
	for (int k = 0; k < 3; k++) {
		snprintf(field, sizeof(field), "hours[%zu].%s", i, names[k]);
		x = json_object_get(v, names[k]);
		if (!x)
			return req_fail(r, E_FIELD_MISSING, field, "%s is required", names[k]);
		const char *s = json_string_value(x);
		if (k == 0) {
			out->day = -1;
			for (int d = 0; s && hours_days[d]; d++)
				if (strcmp(s, hours_days[d]) == 0)
					out->day = d;
			if (out->day < 0)
				return req_fail(r, E_FIELD_INVALID, field, "day is one of mon, tue, wed, thu, fri, sat, sun");
		} else if (!s || !hours_parse_time(s, k == 2, k == 1 ? &out->opens : &out->closes)) {
			return req_fail(r, E_FIELD_INVALID, field, "%s is a time HH:MM, 00:00 to %s",
					names[k], k == 2 ? "24:00" : "23:59");
		}
	}
	if (out->closes == out->opens) {
		snprintf(field, sizeof(field), "hours[%zu]", i);
		return req_fail(r, E_FIELD_INVALID, field, "a span must not open and close at the same time");
	}
	if (out->closes < out->opens)
		out->closes += MINUTES_PER_DAY; /* past midnight */
	return E_OK;
}

enum err hours_put_h(struct req *r)
{
	struct location l;
	enum err e = path_location(r, &l);
	if (e)
		return e;
	json_t *spans = json_object_get(r->body, "hours");
	struct hours h = {.n = (int)json_array_size(spans)};
	for (int i = 0; i < h.n; i++)
		if ((e = span_read(r, json_array_get(spans, (size_t)i), (size_t)i, &h.s[i])))
			return e;
	int bad;
	struct hours check = h; /* hours_check sorts it */
	if (!hours_check(&check, &bad)) {
		int at = 0; /* name the span in the caller's order */
		for (int i = 0; i < h.n; i++)
			if (h.s[i].day == check.s[bad].day && h.s[i].opens == check.s[bad].opens &&
			    h.s[i].closes == check.s[bad].closes)
				at = i;
		char field[32];
		snprintf(field, sizeof(field), "hours[%d]", at);
		return req_fail(r, E_FIELD_INVALID, field,
				"this span overlaps another, or its day has more than %d spans",
				HOURS_MAX_PER_DAY);
	}
	enum db_rc rc = hours_replace(r->db, l.id, &check);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	json_t *data = json_pack("{s:I,s:O}", "location_id", (json_int_t)l.id, "hours", spans);
	if ((rc = event_add_json(r->db, req_actor(r), "location.hours_changed", l.id, -1, l.id, data)) !=
	    DB_DONE)
		return req_db_fail(r, rc);
	return reply_hours(r, &l, &check);
}

/* ---- standards ---- */

static const struct spec_field standard_create_fields[] = {
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"touchpoint_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"text", SPEC_STRING, true, false, 1, STANDARD_TEXT_MAX, NULL},
	{"frequency_minutes", SPEC_INT, true, false, 0, STANDARD_MAX_FREQUENCY, NULL},
	{"deal_breaker", SPEC_BOOL, false, false, 0, 0, NULL},
	{"owner_role", SPEC_ENUM, false, false, 0, 0, role_names},
	{"category", SPEC_ENUM, false, false, 0, 0, recovery_categories},
};
const struct spec standard_create_spec = SPEC(standard_create_fields);

static const struct spec_field standard_update_fields[] = {
	{"touchpoint_id", SPEC_INT, false, false, 1, INT64_MAX, NULL},
	{"text", SPEC_STRING, false, false, 1, STANDARD_TEXT_MAX, NULL},
	{"frequency_minutes", SPEC_INT, false, false, 0, STANDARD_MAX_FREQUENCY, NULL},
	{"deal_breaker", SPEC_BOOL, false, false, 0, 0, NULL},
	{"owner_role", SPEC_ENUM, false, false, 0, 0, role_names},
	{"category", SPEC_ENUM, false, false, 0, 0, recovery_categories},
	{"active", SPEC_BOOL, false, false, 0, 0, NULL},
};
const struct spec standard_update_spec = SPEC(standard_update_fields);

static void touchpoint_brief(struct jw *w, int64_t id, const char *key, const char *name)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, id);
	JW_KEY(w, "key");
	jw_str(w, key);
	JW_KEY(w, "name");
	jw_str(w, name);
	jw_obj_end(w);
}

void standard_brief_write(struct jw *w, int64_t id, const char *text, bool deal_breaker,
			  int64_t touchpoint_id, const char *key, const char *name)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, id);
	JW_KEY(w, "text");
	jw_str(w, text);
	JW_KEY(w, "deal_breaker");
	jw_bool(w, deal_breaker);
	JW_KEY(w, "touchpoint");
	touchpoint_brief(w, touchpoint_id, key, name);
	jw_obj_end(w);
}

static void standard_fields(struct jw *w, const struct standard *s)
{
	JW_KEY(w, "id");
	jw_int(w, s->id);
	JW_KEY(w, "location_id");
	jw_int(w, s->location_id);
	JW_KEY(w, "touchpoint");
	touchpoint_brief(w, s->touchpoint_id, s->touchpoint_key, s->touchpoint_name);
	JW_KEY(w, "text");
	jw_str(w, s->text);
	JW_KEY(w, "frequency_minutes");
	jw_int(w, s->frequency_minutes);
	JW_KEY(w, "deal_breaker");
	jw_bool(w, s->deal_breaker);
	JW_KEY(w, "owner_role");
	jw_str(w, s->owner_role);
	JW_KEY(w, "category");
	jw_str(w, s->category);
	JW_KEY(w, "active");
	jw_bool(w, s->active);
	JW_KEY(w, "created_at");
	jw_time(w, s->created_at);
	JW_KEY(w, "updated_at");
	jw_time(w, s->updated_at);
}

void standard_write(struct jw *w, const struct standard *s)
{
	jw_obj(w);
	standard_fields(w, s);
	jw_obj_end(w);
}

static void last_check_write(struct jw *w, const struct check_brief *c)
{
	if (c->id < 0) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, c->id);
	JW_KEY(w, "result");
	jw_str(w, c->result);
	JW_KEY(w, "at");
	jw_time(w, c->at);
	JW_KEY(w, "by");
	actor_write(w, c->by.staff_id, c->by.token_id, c->by_name);
	jw_obj_end(w);
}

/* Where a location's clock stands at a time: whether it is open, the span
 * it is in, and when it next opens. */
struct clock_at {
	const struct tz *z;
	struct hours h;
	int64_t at, grace;
	bool open;
	struct session cur;
	int64_t next_opening; /* -1: never */
};

static enum db_rc clock_read(struct db *db, const struct location *l, int64_t at,
			     struct clock_at *c)
{
	c->z = zone_get(l->timezone);
	c->at = at;
	c->grace = l->check_grace_minutes * 60;
	enum db_rc rc = hours_get(db, l->id, &c->h);
	if (rc != DB_DONE)
		return rc;
	c->open = hours_session_at(&c->h, c->z, at, &c->cur);
	struct session next;
	c->next_opening = hours_next_session(&c->h, c->z, at, &next) ? next.start : -1;
	return DB_DONE;
}

/* When s is due, counted from the current span's opening (INT64_MAX: never). */
static int64_t due_at(const struct clock_at *c, const struct standard *s)
{
	if (!s->active)
		return INT64_MAX;
	bool checked = s->last.id >= 0;
	int64_t due = standard_due(&c->h, c->z, s->frequency_minutes,
				   checked ? s->last.at : s->created_at, checked);
	if (due != INT64_MAX && c->open && due < c->cur.start)
		due = c->cur.start;
	if (due != INT64_MAX && !c->open && due < c->at) /* missed while closed: at opening */
		due = c->next_opening >= 0 ? c->next_opening : INT64_MAX;
	return due;
}

static void due_write(struct jw *w, const struct clock_at *c, int64_t due)
{
	if (due == INT64_MAX) {
		jw_null(w);
		return;
	}
	bool overdue = c->open && c->at > due + c->grace;
	jw_obj(w);
	JW_KEY(w, "due_at");
	jw_time(w, due);
	JW_KEY(w, "due_now");
	jw_bool(w, c->open && due <= c->at);
	JW_KEY(w, "overdue");
	jw_bool(w, overdue);
	JW_KEY(w, "overdue_by_seconds");
	jw_int(w, overdue ? c->at - due : 0);
	jw_obj_end(w);
}

static enum err reply_standard(struct req *r, int status, const struct standard *s)
{
	struct location l;
	struct clock_at c;
	enum db_rc rc = locations_get(r->db, &r->arena, s->location_id, &l);
	if (rc != DB_ROW || (rc = clock_read(r->db, &l, clock_now(), &c)) != DB_DONE)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	standard_fields(w, s);
	JW_KEY(w, "due");
	due_write(w, &c, due_at(&c, s));
	JW_KEY(w, "last_check");
	last_check_write(w, &s->last);
	jw_obj_end(w);
	return jreply_close(r, status, &j);
}

static enum db_rc deal_breakers_clear(struct db *db, struct arena *a, const struct standard *s,
				      int64_t now);

/* The standard of the path's {id}, at the caller's locations. */
static enum err path_standard(struct req *r, int64_t id, const char *field, struct standard *s)
{
	enum db_rc rc = standards_get(r->db, &r->arena, id, s);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, s->location_id)))
		return req_fail(r, E_NOT_FOUND, field, "no such standard");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err standards_list_h(struct req *r)
{
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	struct standard *ss;
	int n;
	enum db_rc rc = standards_list(r->db, &r->arena, l.id, false, &ss, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++)
		standard_write(w, &ss[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* The touchpoint named by touchpoint_id, at the standard's location. */
static enum err touchpoint_read(struct req *r, struct standard *s)
{
	struct touchpoint t;
	enum db_rc rc = touchpoints_get(r->db, &r->arena, s->touchpoint_id, &t);
	if (rc == DB_DONE || (rc == DB_ROW && t.location_id != s->location_id))
		return req_fail(r, E_NOT_FOUND, "touchpoint_id", "no such touchpoint at this location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	s->touchpoint_key = t.key;
	s->touchpoint_name = t.name;
	s->touchpoint_position = t.position;
	return E_OK;
}

static enum err frequency_check(struct req *r, int64_t f)
{
	if (standard_frequency_ok(f))
		return E_OK;
	return req_fail(r, E_FIELD_INVALID, "frequency_minutes",
			"frequency_minutes is 0 (audits only), 1-720 minutes, or whole days "
			"(1440, 10080 …) up to 40320");
}

static enum db_rc standard_event(struct db *db, struct actor by, const char *type,
				 const struct standard *s)
{
	return event_add_json(db, by, type, s->location_id, -1, s->id,
			      json_pack("{s:I,s:s,s:I,s:I,s:b,s:b}", "standard_id", (json_int_t)s->id,
					"text", s->text, "touchpoint_id", (json_int_t)s->touchpoint_id,
					"frequency_minutes", (json_int_t)s->frequency_minutes,
					"deal_breaker", (int)s->deal_breaker, "active", (int)s->active));
}

enum err standards_create_h(struct req *r)
{
	int64_t now = clock_now();
	struct standard s = {
		.location_id = spec_int(r->body, "location_id", -1),
		.touchpoint_id = spec_int(r->body, "touchpoint_id", -1),
		.text = spec_str(r->body, "text"),
		.frequency_minutes = spec_int(r->body, "frequency_minutes", 0),
		.deal_breaker = json_is_true(json_object_get(r->body, "deal_breaker")),
		.owner_role = spec_has(r->body, "owner_role") ? spec_str(r->body, "owner_role") : "host",
		.active = true,
		.created_at = now,
		.updated_at = now,
		.overdue_due_at = -1,
		.last = {.id = -1},
	};
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, s.location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, s.location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	enum err e = touchpoint_read(r, &s);
	if (e || (e = frequency_check(r, s.frequency_minutes)))
		return e;
	s.category = spec_has(r->body, "category") ? spec_str(r->body, "category")
						   : standard_default_category(s.touchpoint_key);
	struct standard *all;
	int n;
	if ((rc = standards_list(r->db, &r->arena, l.id, true, &all, &n)) != DB_DONE)
		return req_db_fail(r, rc);
	if (n >= STANDARDS_MAX)
		return req_fail(r, E_CONFLICT, NULL, "a location has at most %d active standards",
				STANDARDS_MAX);
	if ((rc = standards_insert(r->db, &s)) != DB_ROW ||
	    (rc = standard_event(r->db, req_actor(r), "standard.created", &s)) != DB_DONE)
		return req_db_fail(r, rc);
	return reply_standard(r, 201, &s);
}

enum err standards_get_h(struct req *r)
{
	struct standard s;
	enum err e = path_standard(r, r->ids[0], NULL, &s);
	return e ? e : reply_standard(r, 200, &s);
}

enum err standards_update_h(struct req *r)
{
	struct standard s;
	enum err e = path_standard(r, r->ids[0], NULL, &s);
	if (e)
		return e;
	struct standard old = s;
	s.touchpoint_id = spec_int(r->body, "touchpoint_id", s.touchpoint_id);
	if (s.touchpoint_id != old.touchpoint_id && (e = touchpoint_read(r, &s)))
		return e;
	if (spec_has(r->body, "text"))
		s.text = spec_str(r->body, "text");
	s.frequency_minutes = spec_int(r->body, "frequency_minutes", s.frequency_minutes);
	if ((e = frequency_check(r, s.frequency_minutes)))
		return e;
	if (spec_has(r->body, "deal_breaker"))
		s.deal_breaker = json_is_true(json_object_get(r->body, "deal_breaker"));
	if (spec_has(r->body, "active"))
		s.active = json_is_true(json_object_get(r->body, "active"));
	if (spec_has(r->body, "owner_role"))
		s.owner_role = spec_str(r->body, "owner_role");
	if (spec_has(r->body, "category"))
		s.category = spec_str(r->body, "category");
	if (s.touchpoint_id == old.touchpoint_id && strcmp(s.text, old.text) == 0 &&
	    s.frequency_minutes == old.frequency_minutes && s.deal_breaker == old.deal_breaker &&
	    s.active == old.active && strcmp(s.owner_role, old.owner_role) == 0 &&
	    strcmp(s.category, old.category) == 0)
		return reply_standard(r, 200, &s); /* nothing changed, nothing written */
	s.updated_at = clock_now();
	enum db_rc rc;
	if ((rc = standards_update(r->db, &s)) != DB_DONE ||
	    (rc = standard_event(r->db, req_actor(r), "standard.updated", &s)) != DB_DONE)
		return req_db_fail(r, rc);
	if ((!s.active || !s.deal_breaker) && old.deal_breaker &&
	    (rc = deal_breakers_clear(r->db, &r->arena, &s, s.updated_at)) != DB_DONE)
		return req_db_fail(r, rc);
	/* retired or made audits-only: its overdue alert no longer stands */
	if ((!s.active || s.frequency_minutes == 0) && s.overdue_due_at >= 0 &&
	    ((rc = alerts_clear_subject(r->db, &r->arena, "standard", s.id, s.updated_at)) != DB_DONE ||
	     (rc = standards_set_overdue(r->db, s.id, -1)) != DB_DONE))
		return req_db_fail(r, rc);
	return reply_standard(r, 200, &s);
}

/* ---- checks ---- */

static const struct spec_field check_fields[] = {
	{"standard_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"result", SPEC_ENUM, true, false, 0, 0, results},
	{"note", SPEC_STRING, false, true, 0, CHECK_NOTE_MAX, NULL},
	{"photo", SPEC_STRING, false, true, 0, PHOTO_BASE64_MAX, NULL},
};
const struct spec check_spec = SPEC(check_fields);

static void check_write(struct jw *w, const struct check *c)
{
	char href[64];
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, c->id);
	JW_KEY(w, "standard_id");
	jw_int(w, c->standard_id);
	JW_KEY(w, "location_id");
	jw_int(w, c->location_id);
	JW_KEY(w, "audit_id");
	jw_opt_int(w, c->audit_id);
	JW_KEY(w, "standard");
	standard_brief_write(w, c->standard_id, c->standard_text, c->deal_breaker, c->touchpoint_id,
			     c->touchpoint_key, c->touchpoint_name);
	JW_KEY(w, "result");
	jw_str(w, c->result);
	JW_KEY(w, "note");
	jw_str(w, c->note);
	JW_KEY(w, "photo");
	if (c->photo_type) {
		jw_obj(w);
		JW_KEY(w, "type");
		jw_str(w, c->photo_type);
		JW_KEY(w, "bytes");
		jw_int(w, c->photo_bytes);
		JW_KEY(w, "href");
		snprintf(href, sizeof(href), "/api/v1/checks/%lld/photo", (long long)c->id);
		jw_str(w, href);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	JW_KEY(w, "case_id");
	jw_opt_int(w, c->case_id);
	JW_KEY(w, "by");
	actor_write(w, c->by.staff_id, c->by.token_id, c->by_name);
	JW_KEY(w, "at");
	jw_time(w, c->at);
	jw_obj_end(w);
}

/* A failed deal-breaker: an alert at once, and one recovery case. */
static enum db_rc deal_breaker_failed(struct db *db, struct arena *a, const struct standard *s,
				      struct check *c)
{
	char note[CASE_NOTE_MAX_BYTES];
	text_prefix(c->note && *c->note ? c->note : "no note", CASE_NOTE_MAX_CHARS, note, sizeof(note));
	struct alert al = {
		.location_id = s->location_id,
		.kind = "deal_breaker",
		.subject_type = "check",
		.subject_id = c->id,
		.message = arena_printf(a, "Deal-breaker failed at %s: %s — %s", s->touchpoint_name,
					s->text, note),
		.raised_at = c->at,
	};
	enum db_rc rc = alert_raise(db, &al);
	if (rc != DB_DONE)
		return rc;
	struct rcase k = {
		.location_id = s->location_id,
		.guest_id = -1,
		.source = "check",
		.source_id = c->id,
		.category = s->category,
		.severity = "high",
		.summary = arena_printf(a, "Deal-breaker failed: %s (%s) — %s", s->text,
					s->touchpoint_name, note),
		.owner_staff_id = 0, /* the location's manager */
		.opened_at = c->at,
	};
	bool created;
	if ((rc = recovery_open(db, a, (struct actor){-1, -1}, &k, &created)) != DB_ROW)
		return rc;
	c->case_id = k.id;
	return DB_DONE;
}

/* A pass puts a deal-breaker right (and retiring it or making it an
 * ordinary standard ends it): the alerts of its failures go. */
static enum db_rc deal_breakers_clear(struct db *db, struct arena *a, const struct standard *s,
				      int64_t now)
{
	int64_t *checks;
	int n;
	enum db_rc rc = deal_breaker_alerts_open(db, a, s->id, &checks, &n);
	for (int i = 0; rc == DB_DONE && i < n; i++)
		rc = alerts_clear_subject(db, a, "check", checks[i], now);
	return rc;
}

enum db_rc check_record(struct db *db, struct arena *a, const struct standard *s, struct check *c)
{
	c->location_id = s->location_id;
	c->case_id = -1;
	enum db_rc rc = checks_insert(db, c);
	if (rc != DB_ROW)
		return rc;
	rc = event_add_json(db, c->by, "check.recorded", s->location_id, -1, c->id,
			    json_pack("{s:I,s:I,s:o,s:s,s:s?,s:b}", "check_id", (json_int_t)c->id,
				      "standard_id", (json_int_t)s->id, "audit_id",
				      json_opt_int(c->audit_id), "result", c->result, "note", c->note,
				      "deal_breaker", (int)s->deal_breaker));
	/* any check answers an overdue one */
	if (rc == DB_DONE && s->overdue_due_at >= 0 &&
	    (rc = alerts_clear_subject(db, a, "standard", s->id, c->at)) == DB_DONE)
		rc = standards_set_overdue(db, s->id, -1);
	if (rc == DB_DONE && strcmp(c->result, "pass") == 0 && s->deal_breaker)
		rc = deal_breakers_clear(db, a, s, c->at);
	if (rc == DB_DONE && s->deal_breaker && strcmp(c->result, "fail") == 0)
		rc = deal_breaker_failed(db, a, s, c);
	return rc;
}

/* The photo field: base64 (or a data: URL) of a JPEG or PNG. */
static enum err photo_read(struct req *r, const char *s, unsigned char **bytes, size_t *n,
			   const char **type)
{
	const char *comma = strncmp(s, "data:", 5) == 0 ? strchr(s, ',') : NULL;
	if (comma)
		s = comma + 1;
	size_t len = strlen(s);
	size_t cap = len / 4 * 3 + 3;
	if (cap > PHOTO_MAX_BYTES + 3 && len / 4 * 3 > PHOTO_MAX_BYTES + 2)
		return req_fail(r, E_TOO_LARGE, "photo", "a photo is at most %d MiB",
				PHOTO_MAX_BYTES / 1024 / 1024);
	*bytes = arena_alloc(&r->arena, cap);
	if (sodium_base642bin(*bytes, cap, s, len, " \r\n", n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return req_fail(r, E_FIELD_INVALID, "photo", "photo must be a JPEG or PNG in base64");
	if (*n > PHOTO_MAX_BYTES)
		return req_fail(r, E_TOO_LARGE, "photo", "a photo is at most %d MiB",
				PHOTO_MAX_BYTES / 1024 / 1024);
	int w, h;
	*type = photo_type(*bytes, *n, &w, &h);
	if (!*type)
		return req_fail(r, E_MEDIA_TYPE, "photo", "a photo must be a JPEG or PNG image");
	return E_OK;
}

enum err checks_create_h(struct req *r)
{
	struct standard s;
	enum err e = path_standard(r, spec_int(r->body, "standard_id", -1), "standard_id", &s);
	if (e)
		return e;
	if (!s.active)
		return req_fail(r, E_CONFLICT, "standard_id", "this standard is retired");
	struct check c = {
		.standard_id = s.id,
		.audit_id = -1,
		.result = spec_str(r->body, "result"),
		.note = spec_str(r->body, "note"),
		.by = req_actor(r),
		.at = clock_now(),
	};
	if (c.note && !c.note[strspn(c.note, " \t\r\n")])
		c.note = NULL; /* blank is no note */
	if (strcmp(c.result, "fail") == 0 && !c.note)
		return req_fail(r, E_FIELD_MISSING, "note", "a failed check needs a note: what was wrong");
	unsigned char *photo = NULL;
	size_t nphoto = 0;
	const char *type = NULL;
	const char *p = spec_str(r->body, "photo");
	if (p && *p && (e = photo_read(r, p, &photo, &nphoto, &type)))
		return e;
	enum db_rc rc = check_record(r->db, &r->arena, &s, &c);
	if (rc == DB_DONE && photo)
		rc = check_photos_insert(r->db, c.id, type, photo, nphoto);
	if (rc != DB_DONE || (rc = checks_get(r->db, &r->arena, c.id, &c)) != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	check_write(w, &c);
	return jreply_close(r, 201, &j);
}

static enum err path_check(struct req *r, struct check *c)
{
	enum db_rc rc = checks_get(r->db, &r->arena, r->ids[0], c);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, c->location_id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such check");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err checks_get_h(struct req *r)
{
	struct check c;
	enum err e = path_check(r, &c);
	if (e)
		return e;
	struct jreply j;
	struct jw *w = jreply_open(&j);
	check_write(w, &c);
	return jreply_close(r, 200, &j);
}

enum err check_photo_h(struct req *r)
{
	struct check c;
	enum err e = path_check(r, &c);
	if (e)
		return e;
	const char *type;
	const void *bytes;
	size_t n;
	enum db_rc rc = check_photo_get(r->db, &r->arena, c.id, &type, &bytes, &n);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, NULL, "this check has no photo");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	r->res.text = malloc(n ? n : 1);
	if (!r->res.text)
		return req_fail(r, E_INTERNAL, NULL, "out of memory");
	memcpy(r->res.text, bytes, n);
	r->res.text_len = n;
	r->res.status = 200;
	r->res.content_type = type;
	req_header(r, "Cache-Control", "private, max-age=86400");
	return E_OK;
}

/* A standard on the checklist, with when it came due. */
struct due_item {
	const struct standard *s;
	int64_t due;
};

static int due_cmp(const void *x, const void *y)
{
	const struct due_item *p = x, *q = y;
	const struct standard *a = p->s, *b = q->s;
	if (a->deal_breaker != b->deal_breaker)
		return a->deal_breaker ? -1 : 1;
	if (p->due != q->due)
		return p->due < q->due ? -1 : 1;
	if (a->touchpoint_position != b->touchpoint_position)
		return a->touchpoint_position < b->touchpoint_position ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* The checklist: what is due at `at` (default now). */
static enum err checks_due(struct req *r, const struct location *l)
{
	int64_t at;
	const char *role;
	enum err e = req_query_time(r, "at", clock_now(), &at);
	if (e || (e = req_query_enum(r, "owner_role", role_names, &role)))
		return e;
	static const char *const others[] = {"standard_id", "result", "from", "to", "limit", "cursor"};
	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		if (req_query(r, others[i]))
			return req_fail(r, E_FIELD_INVALID, others[i], "%s does not go with due=now",
					others[i]);
	struct clock_at c;
	struct standard *ss;
	int n;
	enum db_rc rc = clock_read(r->db, l, at, &c);
	if (rc != DB_DONE || (rc = standards_list(r->db, &r->arena, l->id, true, &ss, &n)) != DB_DONE)
		return req_db_fail(r, rc);
	struct due_item *due = arena_alloc(&r->arena, sizeof(*due) * (size_t)(n ? n : 1));
	int nd = 0;
	for (int i = 0; c.open && i < n; i++) {
		int64_t d = due_at(&c, &ss[i]);
		if (d <= at && (!role || strcmp(role, ss[i].owner_role) == 0))
			due[nd++] = (struct due_item){&ss[i], d};
	}
	qsort(due, (size_t)nd, sizeof(*due), due_cmp);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, l->id);
	JW_KEY(w, "at");
	jw_time(w, at);
	JW_KEY(w, "open");
	jw_bool(w, c.open);
	JW_KEY(w, "opened_at");
	jw_time(w, c.open ? c.cur.start : -1);
	JW_KEY(w, "closes_at");
	jw_time(w, c.open ? c.cur.end : -1);
	JW_KEY(w, "next_opening");
	jw_time(w, c.open ? -1 : c.next_opening);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < nd; i++) {
		int64_t d = due[i].due;
		bool overdue = at > d + c.grace;
		jw_obj(w);
		JW_KEY(w, "standard");
		standard_write(w, due[i].s);
		JW_KEY(w, "due_at");
		jw_time(w, d);
		JW_KEY(w, "overdue");
		jw_bool(w, overdue);
		JW_KEY(w, "overdue_by_seconds");
		jw_int(w, overdue ? at - d : 0);
		JW_KEY(w, "last_check");
		last_check_write(w, &due[i].s->last);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err checks_list_h(struct req *r)
{
	struct location l;
	const char *due;
	static const char *const dues[] = {"now", NULL};
	enum err e = req_location(r, &l);
	if (e || (e = req_query_enum(r, "due", dues, &due)))
		return e;
	if (due)
		return checks_due(r, &l);
	if (req_query(r, "at") || req_query(r, "owner_role"))
		return req_fail(r, E_FIELD_INVALID, req_query(r, "at") ? "at" : "owner_role",
				"this parameter goes with due=now");
	struct check_filter f = {.location_id = l.id, .audit_id = -1};
	int64_t limit;
	if ((e = req_query_int(r, "standard_id", 1, INT64_MAX, -1, &f.standard_id)) ||
	    (e = req_query_enum(r, "result", results, &f.result)) ||
	    (e = req_query_time(r, "from", 0, &f.from)) ||
	    (e = req_query_time(r, "to", INT64_MAX / 2, &f.to)) ||
	    (e = req_query_int(r, "limit", 1, CHECKS_MAX_LIMIT, CHECKS_DEFAULT_LIMIT, &limit)) ||
	    (e = req_query_cursor(r, &f.before_at, &f.before_id)))
		return e;
	struct check *cs;
	int n;
	enum db_rc rc = checks_list(r->db, &r->arena, &f, (int)limit + 1, &cs, &n);
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
	for (int i = 0; i < n; i++)
		check_write(w, &cs[i]);
	jw_arr_end(w);
	JW_KEY(w, "next");
	if (more)
		jw_str(w, cursor_encode(&r->arena, cs[n - 1].at, cs[n - 1].id));
	else
		jw_null(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* ---- the clock ---- */

static enum db_rc location_tick(struct db *db, struct arena *a, const struct location *l,
				int64_t now, int *raised)
{
	struct clock_at c;
	struct standard *ss;
	int n;
	enum db_rc rc = clock_read(db, l, now, &c);
	if (rc != DB_DONE || (rc = standards_list(db, a, l->id, false, &ss, &n)) != DB_DONE)
		return rc;
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		struct standard *s = &ss[i];
		int64_t due = c.open ? due_at(&c, s) : INT64_MAX;
		bool overdue = due != INT64_MAX && now > due + c.grace;
		if (!overdue) {
			/* closed, retired or checked in the meantime: the alert goes */
			if (s->overdue_due_at >= 0 && (!c.open || due > now) &&
			    (rc = alerts_clear_subject(db, a, "standard", s->id, now)) == DB_DONE)
				rc = standards_set_overdue(db, s->id, -1);
			continue;
		}
		if (s->overdue_due_at == due)
			continue; /* raised already */
		if (s->overdue_due_at >= 0 &&
		    (rc = alerts_clear_subject(db, a, "standard", s->id, now)) != DB_DONE)
			break;
		char when[CLOCK_RFC3339_LEN];
		clock_format(tz_local(c.z, due), when);
		struct alert al = {
			.location_id = l->id,
			.kind = "check_overdue",
			.subject_type = "standard",
			.subject_id = s->id,
			.message = arena_printf(a, "Check overdue at %s: %s (due %.5s)", s->touchpoint_name,
						s->text, when + 11),
			.raised_at = now,
		};
		if ((rc = alert_raise(db, &al)) == DB_DONE &&
		    (rc = standards_set_overdue(db, s->id, due)) == DB_DONE)
			(*raised)++;
	}
	return rc;
}

enum db_rc standards_tick(struct db *db, struct arena *a, int64_t now, int *raised)
{
	*raised = 0;
	int64_t *ids;
	int n;
	enum db_rc rc = standards_locations(db, a, &ids, &n);
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		struct location l;
		if ((rc = locations_get(db, a, ids[i], &l)) == DB_ROW)
			rc = location_tick(db, a, &l, now, raised);
	}
	return rc;
}

/* ---- insights ---- */

/* Which feedback themes speak of a touchpoint. */
static bool theme_of_touchpoint(const char *key, const char *theme)
{
	static const struct {
		const char *touchpoint, *themes[2];
	} map[] = {
		{"entrance", {"cleanliness", "ambience"}}, {"table", {"cleanliness", "ambience"}},
		{"restroom", {"cleanliness", "ambience"}}, {"counter", {"staff", "wait"}},
		{"phone", {"staff", "wait"}},		   {"payment", {"price", "payment"}},
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(map[i].touchpoint, key) == 0)
			return strcmp(map[i].themes[0], theme) == 0 || strcmp(map[i].themes[1], theme) == 0;
	return false;
}

struct tally {
	int64_t checks, passed, failed, na, deal_breakers_failed, overdue;
	int64_t audits, audit_score_sum;
};

static void tally_check(struct tally *t, const struct check_stat *c)
{
	if (c->result == 'o') {
		t->overdue++;
		return;
	}
	t->checks++;
	t->passed += c->result == 'p';
	t->na += c->result == 'n';
	if (c->result == 'f') {
		t->failed++;
		t->deal_breakers_failed += c->deal_breaker;
	}
}

static void compliance_write(struct jw *w, const struct tally *t)
{
	JW_KEY(w, "compliance");
	if (t->passed + t->failed == 0)
		jw_null(w);
	else
		jw_fixed(w, 100.0 * (double)t->passed / (double)(t->passed + t->failed), 1);
}

static void tally_write(struct jw *w, const struct tally *t, bool series)
{
	JW_KEY(w, "checks");
	jw_int(w, t->checks);
	if (!series) {
		JW_KEY(w, "passed");
		jw_int(w, t->passed);
		JW_KEY(w, "failed");
		jw_int(w, t->failed);
		JW_KEY(w, "na");
		jw_int(w, t->na);
	}
	compliance_write(w, t);
	JW_KEY(w, "deal_breakers_failed");
	jw_int(w, t->deal_breakers_failed);
	JW_KEY(w, "overdue");
	jw_int(w, t->overdue);
}

/* The bucket index of t among starts[0..n), or -1. */
static int bucket_of(const int64_t *starts, int n, int64_t t)
{
	int lo = 0, hi = n - 1, at = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (starts[mid] <= t) {
			at = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return at;
}

enum err standards_insights_h(struct req *r)
{
	static const char *const intervals[] = {"day", "week", "month", NULL};
	struct location l;
	const char *interval;
	int64_t from, to;
	enum err e = req_location(r, &l);
	if (e || (e = req_query_enum(r, "interval", intervals, &interval)) ||
	    (e = req_query_time(r, "to", clock_now() + 1, &to)) ||
	    (e = req_query_time(r, "from", to - (int64_t)INSIGHTS_DEFAULT_DAYS * SECONDS_PER_DAY, &from)))
		return e;
	if (from >= to)
		return req_fail(r, E_FIELD_INVALID, "from", "from must be before to");
	char iv = interval ? interval[0] : 'w';
	int64_t bucket_days = iv == 'd' ? 1 : iv == 'w' ? 7 : 31;
	if ((to - from) / SECONDS_PER_DAY / bucket_days >= INSIGHTS_BUCKETS_MAX)
		return req_fail(r, E_FIELD_INVALID, "from",
				"at most %d %ss at once; choose a later from or a longer interval",
				INSIGHTS_BUCKETS_MAX, iv == 'd' ? "day" : iv == 'w' ? "week" : "month");
	struct touchpoint *tps;
	struct check_stat *cs, *os;
	struct audit *as;
	struct rating_stat *rs;
	struct theme_stat *ts;
	int ntp, nc, no, na, nr, nt;
	enum db_rc rc = touchpoints_list_all(r->db, &r->arena, l.id, &tps, &ntp);
	if (rc != DB_DONE ||
	    (rc = checks_range(r->db, &r->arena, l.id, from, to, INSIGHTS_MAX_CHECKS, &cs, &nc)) != DB_DONE ||
	    (rc = overdue_range(r->db, &r->arena, l.id, from, to, INSIGHTS_MAX_CHECKS, &os, &no)) != DB_DONE ||
	    (rc = audits_range(r->db, &r->arena, l.id, from, to, INSIGHTS_MAX_AUDITS, &as, &na)) != DB_DONE ||
	    (rc = ratings_by_touchpoint(r->db, &r->arena, l.id, from, to, &rs, &nr)) != DB_DONE ||
	    (rc = themes_in_range(r->db, &r->arena, l.id, from, to, &ts, &nt)) != DB_DONE)
		return req_db_fail(r, rc);
	int64_t *starts = arena_alloc(&r->arena, sizeof(*starts) * INSIGHTS_BUCKETS_MAX);
	int nb = insights_buckets(from, to, iv, starts, INSIGHTS_BUCKETS_MAX);
	struct tally total = {0};
	struct tally *bt = arena_alloc(&r->arena, sizeof(*bt) * (size_t)(nb ? nb : 1));
	struct tally *tt = arena_alloc(&r->arena, sizeof(*tt) * (size_t)(ntp ? ntp : 1));
	memset(bt, 0, sizeof(*bt) * (size_t)(nb ? nb : 1));
	memset(tt, 0, sizeof(*tt) * (size_t)(ntp ? ntp : 1));
	for (int pass = 0; pass < 2; pass++) {
		const struct check_stat *v = pass ? os : cs;
		int nv = pass ? no : nc;
		for (int i = 0; i < nv; i++) {
			tally_check(&total, &v[i]);
			int b = v[i].at < to ? bucket_of(starts, nb, v[i].at) : -1;
			if (b >= 0)
				tally_check(&bt[b], &v[i]);
			for (int k = 0; k < ntp; k++)
				if (tps[k].id == v[i].touchpoint_id)
					tally_check(&tt[k], &v[i]);
		}
	}
	for (int i = 0; i < na; i++) {
		total.audits++;
		total.audit_score_sum += as[i].score;
		int b = bucket_of(starts, nb, as[i].submitted_at);
		if (b >= 0) {
			bt[b].audits++;
			bt[b].audit_score_sum += as[i].score;
		}
	}
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, l.id);
	JW_KEY(w, "from");
	jw_time(w, from);
	JW_KEY(w, "to");
	jw_time(w, to);
	JW_KEY(w, "interval");
	jw_str(w, iv == 'd' ? "day" : iv == 'w' ? "week" : "month");
	JW_KEY(w, "total");
	jw_obj(w);
	tally_write(w, &total, false);
	JW_KEY(w, "audits");
	jw_obj(w);
	JW_KEY(w, "count");
	jw_int(w, total.audits);
	JW_KEY(w, "average_score");
	if (total.audits)
		jw_int(w, total.audit_score_sum / total.audits);
	else
		jw_null(w);
	JW_KEY(w, "latest");
	if (na) {
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, as[na - 1].id);
		JW_KEY(w, "kind");
		jw_str(w, as[na - 1].kind);
		JW_KEY(w, "score");
		jw_int(w, as[na - 1].score);
		JW_KEY(w, "at");
		jw_time(w, as[na - 1].submitted_at);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	JW_KEY(w, "touchpoints");
	jw_arr(w);
	for (int k = 0; k < ntp; k++) {
		jw_obj(w);
		JW_KEY(w, "touchpoint");
		touchpoint_brief(w, tps[k].id, tps[k].key, tps[k].name);
		tally_write(w, &tt[k], false);
		JW_KEY(w, "feedback");
		jw_obj(w);
		int64_t ratings = 0, sum = 0, mentions = 0;
		double sentiment = 0;
		for (int i = 0; i < nr; i++)
			if (rs[i].touchpoint_id == tps[k].id) {
				ratings = rs[i].count;
				sum = rs[i].sum;
			}
		for (int i = 0; i < nt; i++)
			if (theme_of_touchpoint(tps[k].key, ts[i].theme)) {
				mentions += ts[i].count;
				sentiment += ts[i].sentiment_sum;
			}
		JW_KEY(w, "csat");
		if (ratings)
			jw_fixed(w, (double)sum / (double)ratings, 2);
		else
			jw_null(w);
		JW_KEY(w, "ratings");
		jw_int(w, ratings);
		JW_KEY(w, "comments");
		jw_int(w, mentions);
		JW_KEY(w, "net_sentiment");
		if (mentions)
			jw_fixed(w, sentiment / (double)mentions, 2);
		else
			jw_null(w);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "series");
	jw_arr(w);
	for (int b = 0; b < nb; b++) {
		jw_obj(w);
		JW_KEY(w, "start");
		jw_time(w, starts[b]);
		tally_write(w, &bt[b], true);
		JW_KEY(w, "audit_score");
		if (bt[b].audits)
			jw_int(w, bt[b].audit_score_sum / bt[b].audits);
		else
			jw_null(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}
