/* Conversation starters: the business's list, managed by managers; one tap
 * at the counter records that one was used with a guest, and the card
 * suggests the ones not used with this guest lately. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/memory.h"
#include "util/clock.h"
#include "util/jw.h"

#define TALK_MAX_CHARS 200
#define TALK_MAX_ACTIVE 100
/* Starters listed: every active one, then the newest retired ones (the
 * oldest fall off the list but are kept for history). */
#define TALK_MAX_LISTED 1000

static const struct spec_field talk_create_fields[] = {
	{"text", SPEC_STRING, true, false, 1, TALK_MAX_CHARS, NULL},
};
const struct spec talk_create_spec = SPEC(talk_create_fields);
static const struct spec_field talk_update_fields[] = {
	{"text", SPEC_STRING, false, false, 1, TALK_MAX_CHARS, NULL},
	{"active", SPEC_BOOL, false, false, 0, 0, NULL},
};
const struct spec talk_update_spec = SPEC(talk_update_fields);

static void talk_write(struct jw *w, const struct talking_point *t)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, t->id);
	JW_KEY(w, "text");
	jw_str(w, t->text);
	JW_KEY(w, "active");
	jw_bool(w, t->active);
	JW_KEY(w, "created_at");
	jw_time(w, t->created_at);
	JW_KEY(w, "updated_at");
	jw_time(w, t->updated_at);
	jw_obj_end(w);
}

static enum err reply_talk(struct req *r, int status, const struct talking_point *t)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	talk_write(w, t);
	return jreply_close(r, status, &j);
}

static enum db_rc talk_event(struct db *db, struct actor actor, const char *type,
			     const struct talking_point *t)
{
	return event_add_json(db, actor, type, -1, -1, t->id,
			      json_pack("{s:s,s:b}", "text", t->text, "active", t->active));
}

enum db_rc talk_add(struct db *db, struct actor actor, struct talking_point *t)
{
	enum db_rc rc = talking_points_insert(db, t);
	if (rc != DB_ROW)
		return rc;
	rc = talk_event(db, actor, "talking_point.created", t);
	return rc == DB_DONE ? DB_ROW : rc;
}

enum db_rc talk_use_add(struct db *db, struct arena *a, const struct talking_point *t,
			struct talk_use *u)
{
	enum db_rc rc = talk_uses_insert(db, a, u);
	if (rc != DB_ROW)
		return rc;
	rc = event_add_json(db, u->by, "talking_point.used", -1, u->guest_id, t->id,
			    json_pack("{s:I,s:s}", "talking_point_id", (json_int_t)t->id, "text", t->text));
	return rc == DB_DONE ? DB_ROW : rc;
}

static enum err check_active_room(struct req *r)
{
	int64_t active;
	enum db_rc rc = talking_points_count_active(r->db, &active);
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (active >= TALK_MAX_ACTIVE)
		return req_fail(r, E_CONFLICT, NULL,
				"there are already %d active talking points; retire one first",
				TALK_MAX_ACTIVE);
	return E_OK;
}

enum err talk_list_h(struct req *r)
{
	struct talking_point *items;
	int n;
	enum db_rc rc = talking_points_list(r->db, &r->arena, TALK_MAX_LISTED, &items, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++)
		talk_write(w, &items[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err talk_create_h(struct req *r)
{
	enum err e = check_active_room(r);
	if (e)
		return e;
	int64_t now = clock_now();
	struct talking_point t = {
		.text = spec_str(r->body, "text"),
		.active = true,
		.created_at = now,
		.updated_at = now,
	};
	enum db_rc rc = talk_add(r->db, req_actor(r), &t);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "text", "there is already a talking point with this text");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return reply_talk(r, 201, &t);
}

static enum err load_talk(struct req *r, int64_t id, struct talking_point *t)
{
	enum db_rc rc = talking_points_get(r->db, &r->arena, id, t);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, NULL, "no such talking point");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err talk_update_h(struct req *r)
{
	struct talking_point t;
	enum err e = load_talk(r, r->ids[0], &t);
	if (e)
		return e;
	struct talking_point old = t;
	if (spec_has(r->body, "text"))
		t.text = spec_str(r->body, "text");
	if (spec_has(r->body, "active"))
		t.active = json_is_true(json_object_get(r->body, "active"));
	if (t.active == old.active && strcmp(t.text, old.text) == 0)
		return reply_talk(r, 200, &t); /* nothing changed: nothing to write */
	bool was_active = old.active;
	if (t.active && !was_active && (e = check_active_room(r)))
		return e;
	t.updated_at = clock_now();
	enum db_rc rc = talking_points_update(r->db, &t);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "text", "there is already a talking point with this text");
	if (rc != DB_DONE || (rc = talk_event(r->db, req_actor(r), "talking_point.updated", &t)) != DB_DONE)
		return req_db_fail(r, rc);
	return reply_talk(r, 200, &t);
}

static void use_write(struct jw *w, const struct talking_point *t, const struct talk_use *u)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, t->id);
	JW_KEY(w, "text");
	jw_str(w, t->text);
	JW_KEY(w, "used_at");
	jw_time(w, u->at);
	JW_KEY(w, "by");
	actor_write(w, u->by.staff_id, u->by.token_id, u->by_name);
	jw_obj_end(w);
}

enum err talk_use_h(struct req *r)
{
	struct guest g;
	struct talking_point t;
	enum err e = guest_load(r, &g);
	if (e || (e = load_talk(r, r->ids[1], &t)))
		return e;
	if (!t.active)
		return req_fail(r, E_CONFLICT, NULL, "this talking point has been retired");
	struct talk_use u = {
		.guest_id = g.id,
		.talking_point_id = t.id,
		.at = clock_now(),
		.by = req_actor(r),
	};
	enum db_rc rc = talk_use_add(r->db, &r->arena, &t, &u);
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, u.id);
	JW_KEY(w, "guest_id");
	jw_int(w, g.id);
	JW_KEY(w, "talking_point_id");
	jw_int(w, t.id);
	JW_KEY(w, "text");
	jw_str(w, t.text);
	JW_KEY(w, "used_at");
	jw_time(w, u.at);
	JW_KEY(w, "by");
	actor_write(w, u.by.staff_id, u.by.token_id, u.by_name);
	jw_obj_end(w);
	return jreply_close(r, 201, &j);
}

enum err talk_card_write(struct req *r, struct jw *w, int64_t guest_id, const int64_t *visits,
			 int nvisits)
{
	struct talk_row *rows;
	int n;
	enum db_rc rc = talk_uses_for_guest(r->db, &r->arena, guest_id, TALK_MAX_LISTED, &rows, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct talk *order = arena_alloc(&r->arena, sizeof(*order) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		order[i] = (struct talk){rows[i].tp.id, rows[i].tp.active, rows[i].last.at,
					 rows[i].last.id, (size_t)i};
	size_t nrecent, nsuggested;
	memory_talks_order(order, (size_t)n, memory_recent_cutoff(visits, (size_t)nvisits, clock_now()),
			   &nrecent, &nsuggested);
	jw_obj(w);
	JW_KEY(w, "recently_used");
	jw_arr(w);
	for (size_t i = 0; i < nrecent; i++) {
		const struct talk_row *row = &rows[order[i].ref];
		use_write(w, &row->tp, &row->last);
	}
	jw_arr_end(w);
	JW_KEY(w, "suggested");
	jw_arr(w);
	for (size_t i = nrecent; i < nrecent + nsuggested; i++) {
		const struct talk_row *row = &rows[order[i].ref];
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, row->tp.id);
		JW_KEY(w, "text");
		jw_str(w, row->tp.text);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return E_OK;
}
