/* Touchpoints: a location's customer journey in order (entrance, counter,
 * table, restroom, payment, phone, online by default), which guests rate in
 * surveys. Managers add, rename, reorder and retire them; retired ones keep
 * their ratings. And the themes comments are analysed for. */
#include "util/compat.h"
#include "api/api.h"

#define TOUCHPOINT_KEY_MAX 40
#define TOUCHPOINT_NAME_MAX 60
#define TOUCHPOINT_MAX_POSITION 100

static const struct spec_field touchpoint_create_fields[] = {
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"key", SPEC_STRING, true, false, 1, TOUCHPOINT_KEY_MAX, NULL},
	{"name", SPEC_STRING, true, false, 1, TOUCHPOINT_NAME_MAX, NULL},
};
const struct spec touchpoint_create_spec = SPEC(touchpoint_create_fields);

static const struct spec_field touchpoint_update_fields[] = {
	{"name", SPEC_STRING, false, false, 1, TOUCHPOINT_NAME_MAX, NULL},
	{"position", SPEC_INT, false, false, 1, TOUCHPOINT_MAX_POSITION, NULL},
	{"active", SPEC_BOOL, false, false, 0, 0, NULL},
};
const struct spec touchpoint_update_spec = SPEC(touchpoint_update_fields);

static void touchpoint_write(struct jw *w, const struct touchpoint *t)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, t->id);
	JW_KEY(w, "location_id");
	jw_int(w, t->location_id);
	JW_KEY(w, "key");
	jw_str(w, t->key);
	JW_KEY(w, "name");
	jw_str(w, t->name);
	JW_KEY(w, "position");
	jw_int(w, t->position);
	JW_KEY(w, "active");
	jw_bool(w, t->active);
	jw_obj_end(w);
}

static enum err reply_touchpoint(struct req *r, int status, const struct touchpoint *t)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	touchpoint_write(w, t);
	return jreply_close(r, status, &j);
}

static enum db_rc touchpoint_event(struct db *db, struct actor by, const char *type,
				   const struct touchpoint *t)
{
	return event_add_json(db, by, type, t->location_id, -1, t->id,
			      json_pack("{s:I,s:s,s:s,s:I,s:b}", "touchpoint_id", (json_int_t)t->id,
					"key", t->key, "name", t->name, "position",
					(json_int_t)t->position, "active", (int)t->active));
}

enum err touchpoints_list_h(struct req *r)
{
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	struct touchpoint *ts;
	int n;
	enum db_rc rc = touchpoints_list_all(r->db, &r->arena, l.id, &ts, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++)
		touchpoint_write(w, &ts[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err touchpoints_create_h(struct req *r)
{
	struct touchpoint t = {
		.location_id = spec_int(r->body, "location_id", -1),
		.key = spec_str(r->body, "key"),
		.name = spec_str(r->body, "name"),
	};
	if (strspn(t.key, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(t.key))
		return req_fail(r, E_FIELD_INVALID, "key",
				"key must be lower-case letters, digits and _ (as in car_park)");
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, t.location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, t.location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	struct touchpoint *all;
	int n;
	if ((rc = touchpoints_list_all(r->db, &r->arena, t.location_id, &all, &n)) != DB_DONE)
		return req_db_fail(r, rc);
	if (n >= TOUCHPOINTS_MAX)
		return req_fail(r, E_CONFLICT, NULL, "a location has at most %d touchpoints",
				TOUCHPOINTS_MAX);
	rc = touchpoints_insert(r->db, &t);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "key", "this location has a touchpoint %s already", t.key);
	if (rc != DB_ROW || (rc = touchpoint_event(r->db, req_actor(r), "touchpoint.created", &t)) != DB_DONE)
		return req_db_fail(r, rc);
	return reply_touchpoint(r, 201, &t);
}

enum err touchpoints_update_h(struct req *r)
{
	struct touchpoint t;
	enum db_rc rc = touchpoints_get(r->db, &r->arena, r->ids[0], &t);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, t.location_id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such touchpoint");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	struct touchpoint old = t;
	if (spec_has(r->body, "name"))
		t.name = spec_str(r->body, "name");
	t.position = spec_int(r->body, "position", t.position);
	if (spec_has(r->body, "active"))
		t.active = json_is_true(json_object_get(r->body, "active"));
	if (strcmp(old.name, t.name) == 0 && old.position == t.position && old.active == t.active)
		return reply_touchpoint(r, 200, &t); /* nothing changed, nothing written */
	if ((rc = touchpoints_update(r->db, &t)) != DB_DONE ||
	    (rc = touchpoint_event(r->db, req_actor(r), "touchpoint.updated", &t)) != DB_DONE)
		return req_db_fail(r, rc);
	return reply_touchpoint(r, 200, &t);
}
