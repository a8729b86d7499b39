/* Service recovery: every failure becomes a case with an owner, a due time,
 * the actions taken to make it right, and an outcome — the one staff record
 * and the one measured from whether the guest came back. The background
 * clocks (recovery_tick) mark overdue cases and raise alerts. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/recovery.h"
#include "util/clock.h"
#include "util/jw.h"

#define SUMMARY_MAX_CHARS 500
#define ACTION_TEXT_MAX_CHARS 1000
#define MAX_VALUE_CENTS 100000000 /* a million in major units */
#define CASES_DEFAULT_LIMIT 50
#define CASES_MAX_LIMIT 100
#define CASE_MAX_ACTIONS 500
#define CASE_MAX_EVENTS 1000
#define CARD_MAX_CASES 10
#define TICK_BATCH 200
#define INSIGHTS_DEFAULT_DAYS 30
#define INSIGHTS_MAX_CASES 200000
#define EVENT_MAX_BYTES (16 * 1024)
#define MEASURE_WINDOW ((int64_t)RECOVERY_MEASURE_DAYS * SECONDS_PER_DAY)

static const struct spec_field case_create_fields[] = {
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"guest_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"source", SPEC_ENUM, true, false, 0, 0, recovery_sources},
	{"source_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"category", SPEC_ENUM, true, false, 0, 0, recovery_categories},
	{"severity", SPEC_ENUM, true, false, 0, 0, recovery_severities},
	{"summary", SPEC_STRING, true, false, 1, SUMMARY_MAX_CHARS, NULL},
	{"owner_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"due_at", SPEC_TIME, false, false, 0, 0, NULL},
};
const struct spec case_create_spec = SPEC(case_create_fields);

static const struct spec_field case_update_fields[] = {
	{"status", SPEC_ENUM, false, false, 0, 0, recovery_statuses},
	{"outcome", SPEC_ENUM, false, false, 0, 0, recovery_outcomes},
	{"owner_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"due_at", SPEC_TIME, false, false, 0, 0, NULL},
	{"category", SPEC_ENUM, false, false, 0, 0, recovery_categories},
	{"severity", SPEC_ENUM, false, false, 0, 0, recovery_severities},
	{"summary", SPEC_STRING, false, false, 1, SUMMARY_MAX_CHARS, NULL},
};
const struct spec case_update_spec = SPEC(case_update_fields);

static const struct spec_field case_action_fields[] = {
	{"kind", SPEC_ENUM, true, false, 0, 0, recovery_action_kinds},
	{"text", SPEC_STRING, false, false, 0, ACTION_TEXT_MAX_CHARS, NULL},
	{"value_cents", SPEC_INT, false, false, 1, MAX_VALUE_CENTS, NULL},
};
const struct spec case_action_spec = SPEC(case_action_fields);

/* ---- writing cases ---- */

static void person_write(struct jw *w, int64_t id, const char *name)
{
	if (id < 0) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, id);
	JW_KEY(w, "name");
	jw_str(w, name);
	jw_obj_end(w);
}

static void measured_write(struct jw *w, const struct rcase *c)
{
	if (!c->measured || c->resolved_at < 0) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	JW_KEY(w, "status");
	jw_str(w, c->measured);
	JW_KEY(w, "returned_at");
	jw_time(w, c->returned_at);
	JW_KEY(w, "window_ends_at");
	jw_time(w, c->resolved_at + MEASURE_WINDOW);
	jw_obj_end(w);
}

static void case_write(struct jw *w, const struct rcase *c)
{
	JW_KEY(w, "id");
	jw_int(w, c->id);
	JW_KEY(w, "location_id");
	jw_int(w, c->location_id);
	JW_KEY(w, "guest");
	person_write(w, c->guest_id, c->guest_name);
	JW_KEY(w, "source");
	jw_str(w, c->source);
	JW_KEY(w, "source_id");
	jw_opt_int(w, c->source_id);
	JW_KEY(w, "category");
	jw_str(w, c->category);
	JW_KEY(w, "severity");
	jw_str(w, c->severity);
	JW_KEY(w, "summary");
	jw_str(w, c->summary);
	JW_KEY(w, "status");
	jw_str(w, c->status);
	JW_KEY(w, "owner");
	person_write(w, c->owner_staff_id, c->owner_name);
	JW_KEY(w, "opened_by");
	actor_write(w, c->opened_by.staff_id, c->opened_by.token_id, c->opened_by_name);
	JW_KEY(w, "opened_at");
	jw_time(w, c->opened_at);
	JW_KEY(w, "due_at");
	jw_time(w, c->due_at);
	JW_KEY(w, "overdue");
	jw_bool(w, c->overdue_at >= 0 && recovery_active(c->status));
	JW_KEY(w, "first_action_at");
	jw_time(w, c->first_action_at);
	JW_KEY(w, "resolved_at");
	jw_time(w, c->resolved_at);
	JW_KEY(w, "closed_at");
	jw_time(w, c->closed_at);
	JW_KEY(w, "outcome");
	jw_str(w, c->outcome);
	JW_KEY(w, "measured");
	measured_write(w, c);
	JW_KEY(w, "comp_cents");
	jw_int(w, c->comp_cents);
	JW_KEY(w, "refund_cents");
	jw_int(w, c->refund_cents);
	JW_KEY(w, "currency");
	jw_str(w, c->currency);
	JW_KEY(w, "updated_at");
	jw_time(w, c->updated_at);
}

static void action_write(struct jw *w, const struct case_action *x)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, x->id);
	JW_KEY(w, "case_id");
	jw_int(w, x->case_id);
	JW_KEY(w, "kind");
	jw_str(w, x->kind);
	JW_KEY(w, "text");
	jw_str(w, x->text);
	JW_KEY(w, "value_cents");
	jw_opt_int(w, x->value_cents);
	JW_KEY(w, "by");
	actor_write(w, x->by.staff_id, x->by.token_id, x->by_name);
	JW_KEY(w, "at");
	jw_time(w, x->at);
	jw_obj_end(w);
}

/* Writes an event about a case; data is {"case": the case as it is now}
 * plus what extra() adds. */
static enum db_rc case_event(struct db *db, struct actor by, const char *type, const struct rcase *c,
			     void (*extra)(struct jw *w, const void *ctx), const void *ctx)
{
	struct buf b;
	struct jw w;
	buf_init(&b, EVENT_MAX_BYTES);
	jw_init(&w, &b);
	jw_obj(&w);
	if (extra)
		extra(&w, ctx);
	JW_KEY(&w, "case");
	jw_obj(&w);
	case_write(&w, c);
	jw_obj_end(&w);
	jw_obj_end(&w);
	enum db_rc rc = b.overflow ? DB_ERROR
				   : events_add(db, by, type, c->location_id, c->guest_id, c->id, b.data);
	buf_release(&b);
	return rc;
}

/* ---- opening ---- */

enum db_rc recovery_open(struct db *db, struct arena *a, struct actor by, struct rcase *c,
			 bool *created)
{
	*created = false;
	struct location l;
	enum db_rc rc = locations_get(db, a, c->location_id, &l);
	if (rc != DB_ROW)
		return rc;
	if (c->source_id >= 0) {
		rc = cases_by_source(db, a, c->source, c->source_id, c);
		if (rc != DB_DONE)
			return rc; /* DB_ROW: opened before, once is enough */
	}
	if (c->owner_staff_id == 0) {
		rc = cases_default_owner(db, c->location_id, &c->owner_staff_id);
		if (rc == DB_DONE)
			c->owner_staff_id = -1; /* nobody to give it to: unassigned */
		else if (rc != DB_ROW)
			return rc;
	}
	int sev = recovery_index(recovery_severities, c->severity);
	if (sev < 0)
		return DB_ERROR;
	if (c->opened_at <= 0)
		c->opened_at = clock_now();
	if (c->due_at <= 0)
		c->due_at = c->opened_at + l.case_due_minutes[sev] * 60;
	c->opened_by = by;
	rc = cases_insert(db, c);
	if (rc == DB_DONE) /* opened by someone else since we looked */
		return c->source_id >= 0 ? cases_by_source(db, a, c->source, c->source_id, c) : DB_ERROR;
	if (rc != DB_ROW)
		return rc;
	if ((rc = cases_get(db, a, c->id, c)) != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	*created = true;
	rc = case_event(db, by, "case.opened", c, NULL, NULL);
	return rc == DB_DONE ? DB_ROW : rc;
}

/* An owner must be an enabled owner, or a manager or host at the location. */
static enum err owner_check(struct req *r, int64_t staff_id, int64_t location_id)
{
	struct staff s;
	enum db_rc rc = staff_get(r->db, &r->arena, staff_id, &s);
	if (rc != DB_ROW && rc != DB_DONE)
		return req_db_fail(r, rc);
	bool ok = rc == DB_ROW && !s.disabled && strcmp(s.role, "kitchen") != 0;
	if (ok && strcmp(s.role, "owner") != 0) {
		if ((rc = staff_locations_load(r->db, &r->arena, &s)) != DB_DONE)
			return req_db_fail(r, rc);
		ok = false;
		for (int i = 0; i < s.nlocations; i++)
			ok |= s.location_ids[i] == location_id;
	}
	if (!ok)
		return req_fail(r, E_UNPROCESSABLE, "owner_id",
				"the owner must be an active owner, or a manager or host at the "
				"case's location");
	return E_OK;
}

static enum err reply_case(struct req *r, int status, const struct rcase *c, bool full);

static enum err parse_due(struct req *r, int64_t now, int64_t *due)
{
	const char *s = spec_str(r->body, "due_at");
	if (!s)
		return E_OK;
	clock_parse(s, due);
	if (*due <= now)
		return req_fail(r, E_FIELD_INVALID, "due_at", "due_at must be in the future");
	return E_OK;
}

enum err cases_create_h(struct req *r)
{
	int64_t now = clock_now();
	struct rcase c = {
		.location_id = spec_int(r->body, "location_id", -1),
		.guest_id = spec_int(r->body, "guest_id", -1),
		.source = spec_str(r->body, "source"),
		.source_id = spec_int(r->body, "source_id", -1),
		.category = spec_str(r->body, "category"),
		.severity = spec_str(r->body, "severity"),
		.summary = spec_str(r->body, "summary"),
		/* absent: the location's manager; null: nobody yet */
		.owner_staff_id = spec_has(r->body, "owner_id") ? spec_int(r->body, "owner_id", -1) : 0,
		.opened_at = now,
	};
	bool staff = strcmp(c.source, "staff") == 0;
	if (staff && c.source_id >= 0)
		return req_fail(r, E_FIELD_INVALID, "source_id",
				"staff reports have no source_id; the case records who opened it");
	if (!staff && c.source_id < 0)
		return req_fail(r, spec_has(r->body, "source_id") ? E_FIELD_INVALID : E_FIELD_MISSING,
				"source_id", "source_id is required for cases opened from %s", c.source);
	enum err e = parse_due(r, now, &c.due_at);
	if (e)
		return e;
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, c.location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, c.location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (c.guest_id >= 0) {
		struct guest g;
		rc = guests_get(r->db, &r->arena, c.guest_id, &g);
		if (rc == DB_DONE)
			return req_fail(r, E_NOT_FOUND, "guest_id", "no such guest");
		if (rc != DB_ROW)
			return req_db_fail(r, rc);
	}
	if (c.owner_staff_id > 0 && (e = owner_check(r, c.owner_staff_id, c.location_id)))
		return e;
	bool created;
	rc = recovery_open(r->db, &r->arena, req_actor(r), &c, &created);
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (!caller_at_location(&r->caller, c.location_id))
		return req_fail(r, E_CONFLICT, "source_id",
				"a case for this %s is already open at another location", c.source);
	return reply_case(r, created ? 201 : 200, &c, true);
}

/* ---- reading ---- */

static enum err load_case(struct req *r, struct rcase *c)
{
	enum db_rc rc = cases_get(r->db, &r->arena, r->ids[0], c);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, c->location_id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such case");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

/* The case, and with full its actions and timeline. */
static enum err reply_case(struct req *r, int status, const struct rcase *c, bool full)
{
	struct case_action *acts = NULL;
	struct event *evs = NULL;
	int nacts = 0, nevs = 0;
	enum db_rc rc;
	if (full && ((rc = case_actions_list(r->db, &r->arena, c->id, CASE_MAX_ACTIONS, &acts,
					     &nacts)) != DB_DONE ||
		     (rc = events_for_case(r->db, &r->arena, c->id, CASE_MAX_EVENTS, &evs, &nevs)) !=
			     DB_DONE))
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	case_write(w, c);
	if (full) {
		JW_KEY(w, "actions");
		jw_arr(w);
		for (int i = 0; i < nacts; i++)
			action_write(w, &acts[i]);
		jw_arr_end(w);
		JW_KEY(w, "timeline");
		jw_arr(w);
		for (int i = 0; i < nevs; i++) {
			jw_obj(w);
			JW_KEY(w, "id");
			jw_int(w, evs[i].id);
			JW_KEY(w, "at");
			jw_time(w, evs[i].at);
			JW_KEY(w, "type");
			jw_str(w, evs[i].type);
			JW_KEY(w, "actor");
			actor_write(w, evs[i].actor_staff_id, evs[i].actor_token_id, evs[i].actor_name);
			JW_KEY(w, "data");
			jw_raw(w, evs[i].data ? evs[i].data : "{}");
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_obj_end(w);
	return jreply_close(r, status, &j);
}

enum err cases_get_h(struct req *r)
{
	struct rcase c;
	enum err e = load_case(r, &c);
	return e ? e : reply_case(r, 200, &c, true);
}

/* Which locations a list may show: one the caller names (404 if not
 * theirs), or all of the caller's. */
enum err list_scope(struct req *r, int64_t *location_id, int64_t *scope_staff_id)
{
	enum err e = req_query_int(r, "location_id", 1, INT64_MAX, -1, location_id);
	if (e)
		return e;
	*scope_staff_id = -1;
	if (*location_id >= 0) {
		if (!caller_at_location(&r->caller, *location_id))
			return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	} else if (!r->caller.all_locations) {
		if (r->caller.kind == CALLER_SESSION)
			*scope_staff_id = r->caller.staff_id;
		else
			*location_id = r->caller.nlocations ? r->caller.locations[0] : 0;
	}
	return E_OK;
}

enum err cases_list_h(struct req *r)
{
	static const char *const statuses[] = {"active", "all",	    "open", "in_progress",
					       "resolved", "closed", NULL};
	static const char *const booleans[] = {"true", "false", NULL};
	struct case_filter f = {.owner_staff_id = -1, .guest_id = -1};
	enum err e = list_scope(r, &f.location_id, &f.scope_staff_id);
	if (e)
		return e;
	const char *status, *overdue;
	int64_t limit;
	if ((e = req_query_enum(r, "status", statuses, &status)) ||
	    (e = req_query_enum(r, "overdue", booleans, &overdue)) ||
	    (e = req_query_int(r, "owner_id", 1, INT64_MAX, -1, &f.owner_staff_id)) ||
	    (e = req_query_int(r, "guest_id", 1, INT64_MAX, -1, &f.guest_id)) ||
	    (e = req_query_int(r, "limit", 1, CASES_MAX_LIMIT, CASES_DEFAULT_LIMIT, &limit)))
		return e;
	f.active = !status || strcmp(status, "active") == 0;
	f.status = !f.active && strcmp(status, "all") != 0 ? status : NULL;
	f.overdue = !overdue ? -1 : strcmp(overdue, "true") == 0;
	if ((e = req_query_cursor(r, &f.after_a, &f.after_b)))
		return e;
	struct rcase *cs;
	int n;
	/* one more than the page, to know whether another follows */
	enum db_rc rc = cases_list(r->db, &r->arena, &f, (int)limit + 1, &cs, &n);
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
		case_write(w, &cs[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "next");
	const struct rcase *last = n ? &cs[n - 1] : NULL;
	jw_str(w, more ? cursor_encode(&r->arena, f.active ? last->due_at : last->opened_at, last->id)
		       : NULL);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* ---- changing ---- */

/* Sets what moving to status `to` implies; the caller has checked the move
 * is allowed and, when resolving, that there is an outcome. keep_due: the
 * request sets a due time itself. */
static void status_apply(struct rcase *c, const char *to, const char *outcome, bool keep_due,
			 int64_t now, const struct location *l)
{
	if (strcmp(to, "resolved") == 0) {
		c->outcome = outcome;
		c->resolved_at = now;
		c->overdue_at = -1;
		c->measured = c->guest_id >= 0 ? "pending" : NULL;
		c->returned_at = -1;
	} else if (strcmp(to, "closed") == 0) {
		c->closed_at = now;
	} else if (strcmp(to, "open") == 0) {
		/* reopened: a fresh clock */
		c->resolved_at = c->closed_at = c->returned_at = c->overdue_at = -1;
		c->outcome = c->measured = NULL;
		if (!keep_due)
			c->due_at = now + l->case_due_minutes[recovery_index(recovery_severities,
									 c->severity)] * 60;
	}
	c->status = to;
}

static void diff_str(json_t *before, json_t *after, const char *key, const char *old,
		     const char *now)
{
	if ((!old && !now) || (old && now && strcmp(old, now) == 0))
		return;
	json_object_set_new(before, key, json_opt_str(old));
	json_object_set_new(after, key, json_opt_str(now));
}

static void diff_int(json_t *before, json_t *after, const char *key, int64_t old, int64_t now,
		     bool time)
{
	if (old == now)
		return;
	json_object_set_new(before, key, time ? json_time(old) : json_opt_int(old));
	json_object_set_new(after, key, time ? json_time(now) : json_opt_int(now));
}

/* ctx: {from, to} */
static void status_extra(struct jw *w, const void *ctx)
{
	const char *const *move = ctx;
	JW_KEY(w, "from");
	jw_str(w, move[0]);
	JW_KEY(w, "to");
	jw_str(w, move[1]);
}

/* Clears the case's alerts and writes the status event after a change. */
static enum db_rc status_changed(struct db *db, struct arena *a, struct actor by,
				 const struct rcase *c, const char *from, int64_t now)
{
	enum db_rc rc = DB_DONE;
	if (!recovery_active(c->status) &&
	    (rc = alerts_clear_subject(db, a, "case", c->id, now)) != DB_DONE)
		return rc;
	const char *move[2] = {from, c->status};
	return case_event(db, by, "case.status_changed", c, status_extra, move);
}

/* Records a measurement change on the case's timeline. */
static enum db_rc measured_events(struct db *db, const struct rcase *cs, int n)
{
	for (int i = 0; i < n; i++) {
		enum db_rc rc = case_event(db, (struct actor){-1, -1}, "case.measured", &cs[i], NULL, NULL);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

enum db_rc recovery_visit_recorded(struct db *db, struct arena *a, int64_t guest_id)
{
	struct rcase *cs;
	int n;
	enum db_rc rc = cases_remeasure(db, a, guest_id, MEASURE_WINDOW, &cs, &n);
	return rc == DB_DONE ? measured_events(db, cs, n) : rc;
}

enum err cases_update_h(struct req *r)
{
	struct rcase old, c;
	enum err e = load_case(r, &old);
	if (e)
		return e;
	int64_t now = clock_now();
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, old.location_id, &l);
	if (rc != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	c = old;
	if (spec_has(r->body, "category"))
		c.category = spec_str(r->body, "category");
	if (spec_has(r->body, "severity"))
		c.severity = spec_str(r->body, "severity");
	if (spec_has(r->body, "summary"))
		c.summary = spec_str(r->body, "summary");
	if (spec_has(r->body, "owner_id")) {
		c.owner_staff_id = spec_int(r->body, "owner_id", -1);
		if (c.owner_staff_id >= 0 && c.owner_staff_id != old.owner_staff_id &&
		    (e = owner_check(r, c.owner_staff_id, c.location_id)))
			return e;
	}
	if ((e = parse_due(r, now, &c.due_at)))
		return e;
	if (c.due_at > old.due_at)
		c.overdue_at = -1; /* more time: no longer late */
	const char *to = spec_str(r->body, "status");
	if (to) {
		if (!recovery_transition_ok(old.status, to))
			return req_fail(r, E_INVALID_TRANSITION, "status",
					"a case cannot move from %s to %s", old.status, to);
		const char *outcome = spec_str(r->body, "outcome");
		bool resolving = strcmp(to, "resolved") == 0;
		if (resolving && !outcome)
			return req_fail(r, E_FIELD_MISSING, "outcome",
					"say how it ended: recovered, not_recovered or unknown");
		if (!resolving && outcome)
			return req_fail(r, E_FIELD_INVALID, "outcome",
					"outcome is recorded when the case is resolved");
		status_apply(&c, to, outcome, spec_has(r->body, "due_at"), now, &l);
	} else if (spec_has(r->body, "outcome")) {
		if (strcmp(old.status, "resolved") != 0)
			return req_fail(r, E_FIELD_INVALID, "outcome",
					"outcome is recorded when the case is resolved");
		c.outcome = spec_str(r->body, "outcome");
	}

	json_t *before = json_object(), *after = json_object();
	diff_str(before, after, "category", old.category, c.category);
	diff_str(before, after, "severity", old.severity, c.severity);
	diff_str(before, after, "summary", old.summary, c.summary);
	diff_int(before, after, "owner_id", old.owner_staff_id, c.owner_staff_id, false);
	diff_int(before, after, "due_at", old.due_at, c.due_at, true);
	if (!to)
		diff_str(before, after, "outcome", old.outcome, c.outcome);
	bool changed = json_object_size(after) > 0;
	if (!changed && !to) {
		json_decref(before);
		json_decref(after);
		return reply_case(r, 200, &old, true);
	}
	c.updated_at = now;
	if ((rc = cases_update(r->db, &c)) != DB_DONE)
		goto fail;
	if (c.overdue_at < 0 && old.overdue_at >= 0 &&
	    (rc = alerts_clear_subject(r->db, &r->arena, "case", c.id, now)) != DB_DONE)
		goto fail;
	/* read back, for the owner's name */
	if ((rc = cases_get(r->db, &r->arena, c.id, &c)) != DB_ROW) {
		rc = rc == DB_DONE ? DB_ERROR : rc;
		goto fail;
	}
	if (changed) {
		json_t *data = json_pack("{s:I,s:O,s:O}", "case_id", (json_int_t)c.id, "before",
					 before, "after", after);
		if ((rc = event_add_json(r->db, req_actor(r), "case.updated", c.location_id,
					 c.guest_id, c.id, data)) != DB_DONE)
			goto fail;
	}
	json_decref(before);
	json_decref(after);
	if (to) {
		if ((rc = status_changed(r->db, &r->arena, req_actor(r), &c, old.status, now)) != DB_DONE)
			return req_db_fail(r, rc);
		/* a visit may already follow the resolution */
		if (strcmp(to, "resolved") == 0 && c.guest_id >= 0 &&
		    (rc = recovery_visit_recorded(r->db, &r->arena, c.guest_id)) != DB_DONE)
			return req_db_fail(r, rc);
		if ((rc = cases_get(r->db, &r->arena, c.id, &c)) != DB_ROW)
			return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	}
	return reply_case(r, 200, &c, true);
fail:
	json_decref(before);
	json_decref(after);
	return req_db_fail(r, rc);
}

static void action_extra(struct jw *w, const void *ctx)
{
	JW_KEY(w, "action");
	action_write(w, ctx);
}

enum db_rc recovery_action_add(struct db *db, struct arena *a, struct rcase *c,
			       struct case_action *x)
{
	enum db_rc rc = case_actions_insert(db, x);
	if (rc != DB_ROW)
		return rc;
	const char *from = c->status;
	if (c->first_action_at < 0)
		c->first_action_at = x->at;
	if (strcmp(x->kind, "comp") == 0)
		c->comp_cents += x->value_cents;
	else if (strcmp(x->kind, "refund") == 0)
		c->refund_cents += x->value_cents;
	if (strcmp(c->status, "open") == 0)
		c->status = "in_progress"; /* someone is on it */
	c->updated_at = x->at;
	if ((rc = cases_update(db, c)) != DB_DONE)
		return rc;
	/* read back, for names in the event */
	struct case_action *acts;
	int n;
	if ((rc = case_actions_list(db, a, c->id, CASE_MAX_ACTIONS, &acts, &n)) != DB_DONE)
		return rc;
	for (int i = 0; i < n; i++)
		if (acts[i].id == x->id)
			*x = acts[i];
	if ((rc = case_event(db, x->by, "case.action_added", c, action_extra, x)) != DB_DONE)
		return rc;
	if (strcmp(from, c->status) != 0)
		rc = status_changed(db, a, x->by, c, from, x->at);
	return rc;
}

enum db_rc recovery_resolve(struct db *db, struct arena *a, struct actor by, struct rcase *c,
			    const char *outcome, int64_t now)
{
	const char *from = c->status;
	if (!recovery_transition_ok(from, "resolved"))
		return DB_CONSTRAINT;
	status_apply(c, "resolved", outcome, true, now, NULL);
	c->updated_at = now;
	enum db_rc rc;
	if ((rc = cases_update(db, c)) != DB_DONE ||
	    (rc = status_changed(db, a, by, c, from, now)) != DB_DONE)
		return rc;
	return c->guest_id >= 0 ? recovery_visit_recorded(db, a, c->guest_id) : DB_DONE;
}

enum err case_actions_create_h(struct req *r)
{
	struct rcase c;
	enum err e = load_case(r, &c);
	if (e)
		return e;
	int64_t now = clock_now();
	struct actor by = req_actor(r);
	struct case_action x = {
		.case_id = c.id,
		.kind = spec_str(r->body, "kind"),
		.text = spec_str(r->body, "text"),
		.value_cents = spec_int(r->body, "value_cents", -1),
		.by = by,
		.at = now,
	};
	if (!x.text)
		x.text = "";
	bool money = strcmp(x.kind, "comp") == 0 || strcmp(x.kind, "refund") == 0;
	if (money && x.value_cents < 0)
		return req_fail(r, E_FIELD_MISSING, "value_cents",
				"a %s needs its value in minor units (value_cents)", x.kind);
	if (!money && x.value_cents >= 0)
		return req_fail(r, E_FIELD_INVALID, "value_cents",
				"value_cents is for comps and refunds only");
	if (strcmp(x.kind, "note") == 0 && !x.text[strspn(x.text, " \t\r\n")])
		return req_fail(r, *x.text ? E_FIELD_INVALID : E_FIELD_MISSING, "text",
				"a note needs its text");
	if (strcmp(c.status, "closed") == 0)
		return req_fail(r, E_INVALID_TRANSITION, "status",
				"the case is closed; reopen it to record more");
	enum db_rc rc = recovery_action_add(r->db, &r->arena, &c, &x);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	return reply_case(r, 201, &c, true);
}

/* ---- the card ---- */

enum err cases_card_write(struct req *r, struct jw *w, int64_t guest_id)
{
	struct rcase *cs;
	int n;
	int64_t since = clock_now() - (int64_t)RECOVERY_CARD_DAYS * SECONDS_PER_DAY;
	enum db_rc rc = cases_for_card(r->db, &r->arena, guest_id, since, CARD_MAX_CASES, &cs, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		const struct rcase *c = &cs[i];
		if (!caller_at_location(&r->caller, c->location_id))
			continue;
		unsigned kinds;
		if ((rc = case_actions_kinds(r->db, c->id, &kinds)) != DB_DONE)
			return req_db_fail(r, rc);
		struct recovery_prompt p = {
			.category = c->category,
			.status = c->status,
			.outcome = c->outcome,
			.measured = c->measured,
			.owner = c->owner_name,
			.opened_at = c->opened_at,
			.comp_cents = c->comp_cents,
			.refund_cents = c->refund_cents,
			.apology = kinds & (1u << recovery_index(recovery_action_kinds, "apology")),
			.called = kinds & (1u << recovery_index(recovery_action_kinds, "follow_up_call")),
			.messaged = kinds & (1u << recovery_index(recovery_action_kinds,
								  "follow_up_message")),
		};
		char prompt[256];
		recovery_prompt_write(&p, prompt, sizeof(prompt));
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, c->id);
		JW_KEY(w, "status");
		jw_str(w, c->status);
		JW_KEY(w, "category");
		jw_str(w, c->category);
		JW_KEY(w, "severity");
		jw_str(w, c->severity);
		JW_KEY(w, "summary");
		jw_str(w, c->summary);
		JW_KEY(w, "opened_at");
		jw_time(w, c->opened_at);
		JW_KEY(w, "resolved_at");
		jw_time(w, c->resolved_at);
		JW_KEY(w, "outcome");
		jw_str(w, c->outcome);
		JW_KEY(w, "measured");
		jw_str(w, c->resolved_at >= 0 ? c->measured : NULL);
		JW_KEY(w, "comp_cents");
		jw_int(w, c->comp_cents);
		JW_KEY(w, "refund_cents");
		jw_int(w, c->refund_cents);
		JW_KEY(w, "currency");
		jw_str(w, c->currency);
		JW_KEY(w, "owner");
		person_write(w, c->owner_staff_id, c->owner_name);
		JW_KEY(w, "prompt");
		jw_str(w, prompt);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	return E_OK;
}

/* ---- the clocks ---- */

enum db_rc recovery_tick(struct db *db, struct arena *a, int64_t now, struct recovery_tick *out)
{
	out->overdue = out->measured = 0;
	struct rcase *cs;
	int n;
	enum db_rc rc;
	do {
		if ((rc = cases_mark_overdue(db, a, now, TICK_BATCH, &cs, &n)) != DB_DONE)
			return rc;
		for (int i = 0; i < n; i++) {
			const struct rcase *c = &cs[i];
			struct alert al = {
				.location_id = c->location_id,
				.kind = "case_overdue",
				.subject_type = "case",
				.subject_id = c->id,
				.message = arena_printf(a, "Case #%lld is overdue: %s%s%s — %s",
							(long long)c->id,
							recovery_category_label(c->category),
							c->guest_name ? " for " : "",
							c->guest_name ? c->guest_name : "",
							c->owner_name ? c->owner_name : "unassigned"),
				.raised_at = now,
			};
			if ((rc = alert_raise(db, &al)) != DB_DONE)
				return rc;
			rc = case_event(db, (struct actor){-1, -1}, "case.overdue", c, NULL, NULL);
			if (rc != DB_DONE)
				return rc;
		}
		out->overdue += n;
	} while (n == TICK_BATCH);
	do {
		if ((rc = cases_end_windows(db, a, now, MEASURE_WINDOW, TICK_BATCH, &cs, &n)) != DB_DONE ||
		    (rc = measured_events(db, cs, n)) != DB_DONE)
			return rc;
		out->measured += n;
	} while (n == TICK_BATCH);
	return DB_DONE;
}

/* ---- insights ---- */

static void median_write(struct jw *w, int64_t *v, size_t n)
{
	jw_opt_int(w, recovery_median(v, n));
}

enum err recovery_insights_h(struct req *r)
{
	int64_t to, from;
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	int64_t location_id = l.id;
	enum db_rc rc;
	/* to is exclusive: by default, up to and including this second */
	if ((e = req_query_time(r, "to", clock_now() + 1, &to)) ||
	    (e = req_query_time(r, "from", to - (int64_t)INSIGHTS_DEFAULT_DAYS * SECONDS_PER_DAY, &from)))
		return e;
	if (from >= to)
		return req_fail(r, E_FIELD_INVALID, "from", "from must be before to");
	struct recovery_stats s = {0};
	int64_t *first, *resolve;
	size_t nfirst, nresolve;
	if ((rc = cases_stats(r->db, location_id, from, to, &s)) != DB_ROW ||
	    (rc = cases_durations(r->db, &r->arena, location_id, from, to, 0, INSIGHTS_MAX_CASES,
				  &first, &nfirst)) != DB_DONE ||
	    (rc = cases_durations(r->db, &r->arena, location_id, from, to, 1, INSIGHTS_MAX_CASES,
				  &resolve, &nresolve)) != DB_DONE)
		return req_db_fail(r, rc == DB_ROW ? DB_ERROR : rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, location_id);
	JW_KEY(w, "from");
	jw_time(w, from);
	JW_KEY(w, "to");
	jw_time(w, to);
	JW_KEY(w, "currency");
	jw_str(w, l.currency);
	JW_KEY(w, "total");
	jw_int(w, s.total);
	JW_KEY(w, "by_status");
	jw_obj(w);
	for (int i = 0; recovery_statuses[i]; i++) {
		jw_key(w, recovery_statuses[i]);
		jw_int(w, s.by_status[i]);
	}
	jw_obj_end(w);
	JW_KEY(w, "by_category");
	jw_obj(w);
	for (int i = 0; recovery_categories[i]; i++) {
		jw_key(w, recovery_categories[i]);
		jw_int(w, s.by_category[i]);
	}
	jw_obj_end(w);
	JW_KEY(w, "overdue");
	jw_int(w, s.overdue);
	JW_KEY(w, "median_seconds_to_first_action");
	median_write(w, first, nfirst);
	JW_KEY(w, "median_seconds_to_resolution");
	median_write(w, resolve, nresolve);
	JW_KEY(w, "comp_cents");
	jw_int(w, s.comp_cents);
	JW_KEY(w, "refund_cents");
	jw_int(w, s.refund_cents);
	JW_KEY(w, "outcome");
	jw_obj(w);
	for (int i = 0; recovery_outcomes[i]; i++) {
		jw_key(w, recovery_outcomes[i]);
		jw_int(w, s.outcome[i]);
	}
	jw_obj_end(w);
	JW_KEY(w, "measured");
	jw_obj(w);
	JW_KEY(w, "returned");
	jw_int(w, s.returned);
	JW_KEY(w, "not_returned");
	jw_int(w, s.not_returned);
	JW_KEY(w, "pending");
	jw_int(w, s.pending);
	JW_KEY(w, "recovery_rate");
	int64_t decided = s.returned + s.not_returned;
	if (decided)
		jw_raw(w, arena_printf(&r->arena, "%.4f", (double)s.returned / (double)decided));
	else
		jw_null(w);
	jw_obj_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}
