/* Visits: a guest at a location at a time, with party size and spend. Each
 * visit updates the guest's count, last visit and search rank. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/recognize.h"
#include "util/clock.h"

#define VISITS_DEFAULT_LIMIT 20
#define VISITS_MAX_LIMIT 100
#define FUTURE_TOLERANCE_SECONDS 300
#define MAX_SPEND_CENTS 100000000000LL
#define EARLIEST_VISIT 946684800 /* 2000-01-01T00:00:00Z */
/* Visits read for one page, counting those the caller may not see. */
#define HISTORY_MAX_SCAN 2000

static const struct spec_field visit_fields[] = {
	{"guest_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"at", SPEC_TIME, false, false, 0, 0, NULL},
	{"party_size", SPEC_INT, false, true, 1, 500, NULL},
	{"spend_cents", SPEC_INT, false, true, 0, MAX_SPEND_CENTS, NULL},
	{"staff_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
};
const struct spec visit_spec = SPEC(visit_fields);

static json_t *visit_json(const struct visit *v)
{
	return json_pack("{s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)v->id, "guest_id",
			 (json_int_t)v->guest_id, "location_id", (json_int_t)v->location_id, "at",
			 json_time(v->at), "party_size", json_opt_int(v->party_size), "spend_cents",
			 json_opt_int(v->spend_cents), "staff_id", json_opt_int(v->staff_id),
			 "created_at", json_time(v->created_at));
}

enum db_rc visit_add(struct db *db, struct actor actor, struct visit *v)
{
	struct guest g;
	enum db_rc rc = guests_note_visit(db, v->guest_id, v->at, &g);
	if (rc != DB_ROW)
		return rc;
	rc = guests_set_rank(db, g.id, recognize_rank(g.visit_count, g.last_visit_at, g.created_at));
	if (rc != DB_DONE)
		return rc;
	if ((rc = visits_insert(db, v)) != DB_ROW)
		return rc;
	rc = event_add_json(db, actor, "visit.recorded", v->location_id, v->guest_id, v->id, visit_json(v));
	if (rc != DB_DONE)
		return rc;
	/* the guest came back: that measures any case resolved before */
	struct arena a;
	arena_init(&a);
	rc = recovery_visit_recorded(db, &a, v->guest_id);
	arena_release(&a);
	return rc == DB_DONE ? DB_ROW : rc;
}

enum err visits_create_h(struct req *r)
{
	int64_t now = clock_now();
	struct visit v = {
		.guest_id = spec_int(r->body, "guest_id", -1),
		.location_id = spec_int(r->body, "location_id", -1),
		.at = now,
		.party_size = spec_int(r->body, "party_size", -1),
		.spend_cents = spec_int(r->body, "spend_cents", -1),
		/* absent: whoever is signed in; null: nobody in particular */
		.staff_id = spec_has(r->body, "staff_id")
				    ? spec_int(r->body, "staff_id", -1)
				    : (r->caller.kind == CALLER_SESSION ? r->caller.staff_id : -1),
		.created_at = now,
	};
	const char *at = spec_str(r->body, "at");
	if (at) {
		clock_parse(at, &v.at);
		if (v.at > now + FUTURE_TOLERANCE_SECONDS)
			return req_fail(r, E_FIELD_INVALID, "at", "at must not be in the future");
		if (v.at < EARLIEST_VISIT)
			return req_fail(r, E_FIELD_INVALID, "at", "at must be in the year 2000 or later");
	}
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, v.location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, v.location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (v.staff_id >= 0) {
		struct staff s;
		rc = staff_get(r->db, &r->arena, v.staff_id, &s);
		if (rc != DB_ROW && rc != DB_DONE)
			return req_db_fail(r, rc);
		bool here = rc == DB_ROW && strcmp(s.role, "owner") == 0;
		for (int i = 0; rc == DB_ROW && i < s.nlocations; i++)
			here |= s.location_ids[i] == v.location_id;
		if (rc == DB_DONE || s.disabled || !here)
			return req_fail(r, E_NOT_FOUND, "staff_id", "no active staff member with this id works here");
	}
	rc = visit_add(r->db, req_actor(r), &v);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, "guest_id", "no such guest");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	json_t *body = visit_json(&v);
	if (l.survey_after_visit) {
		/* the visit's survey link, for the receipt; none when the guest
		 * had one lately (the over-surveying rule) */
		struct survey s = {.location_id = v.location_id, .guest_id = v.guest_id,
				   .visit_id = v.id, .order_id = -1};
		char token[SURVEY_TOKEN_SIZE];
		int64_t last;
		rc = survey_make(r->db, req_actor(r), &l, &s, token, &last);
		if (rc != DB_ROW && rc != DB_DONE) {
			json_decref(body);
			return req_db_fail(r, rc);
		}
		json_t *link = json_null();
		if (rc == DB_ROW) {
			struct buf b;
			struct jw w;
			buf_init(&b, 1024);
			jw_init(&w, &b);
			jw_obj(&w);
			survey_link_write(&w, &s, token);
			jw_obj_end(&w);
			json_decref(link);
			link = b.overflow ? NULL : json_loads(b.data, 0, NULL);
			buf_release(&b);
			if (!link) {
				json_decref(body);
				return req_fail(r, E_INTERNAL, NULL, "cannot write the survey link");
			}
		}
		json_object_set_new(body, "survey", link);
	}
	return req_json(r, 201, body);
}

enum err visits_list_h(struct req *r)
{
	int64_t guest_id, limit, before_at = INT64_MAX, before_id = INT64_MAX;
	enum err e;
	if (!req_query(r, "guest_id"))
		return req_fail(r, E_FIELD_MISSING, "guest_id", "guest_id is required");
	if ((e = req_query_int(r, "guest_id", 1, INT64_MAX, 0, &guest_id)) ||
	    (e = req_query_int(r, "limit", 1, VISITS_MAX_LIMIT, VISITS_DEFAULT_LIMIT, &limit)))
		return e;
	const char *cursor = req_query(r, "cursor");
	if (cursor && !cursor_decode(cursor, &before_at, &before_id))
		return req_fail(r, E_FIELD_INVALID, "cursor", "cursor is not one this server gave out");
	struct guest g;
	enum db_rc rc = guests_get(r->db, &r->arena, guest_id, &g);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, "guest_id", "no such guest");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	json_t *items = json_array();
	int64_t last_at = 0, last_id = 0;
	bool more = false;
	int scanned = 0;
	/* Visits at locations the caller cannot see are left out; keep reading
	 * pages until the caller's page is full or the history ends. */
	while (!more) {
		struct visit *vs;
		int n;
		rc = visits_for_guest(r->db, &r->arena, guest_id, before_at, before_id, (int)limit + 1, &vs, &n);
		if (rc != DB_DONE) {
			json_decref(items);
			return req_db_fail(r, rc);
		}
		for (int i = 0; i < n; i++) {
			if (++scanned > HISTORY_MAX_SCAN) {
				more = true; /* a short page; go on from the last visit read */
				last_at = before_at;
				last_id = before_id;
				break;
			}
			before_at = vs[i].at;
			before_id = vs[i].id;
			if (!caller_at_location(&r->caller, vs[i].location_id))
				continue;
			if ((int64_t)json_array_size(items) == limit) {
				more = true;
				break;
			}
			json_array_append_new(items, visit_json(&vs[i]));
			last_at = vs[i].at;
			last_id = vs[i].id;
		}
		if (n <= limit)
			break;
	}
	return req_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next",
					  more ? json_string(cursor_encode(&r->arena, last_at, last_id))
					       : json_null()));
}
