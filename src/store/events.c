/* Statements over the event log. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"
#include "util/clock.h"

enum db_rc events_add(struct db *db, struct actor actor, const char *type, int64_t location_id,
		      int64_t guest_id, int64_t subject_id, const char *data)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO events (at, type, actor_staff_id, actor_token_id, location_id, guest_id, "
		"subject_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, clock_now());
	db_bind_text(st, 2, type);
	db_bind_opt_int(st, 3, actor.staff_id);
	db_bind_opt_int(st, 4, actor.token_id);
	db_bind_opt_int(st, 5, location_id);
	db_bind_opt_int(st, 6, guest_id);
	db_bind_opt_int(st, 7, subject_id);
	db_bind_text(st, 8, data ? data : "{}");
	return db_run(st);
}

#define EVENT_COLUMNS                                                                      \
	"e.id, e.at, e.type, e.actor_staff_id, e.actor_token_id, e.location_id, e.guest_id, " \
	"e.subject_id, e.data, COALESCE(s.name, t.name)"

/* Reads up to limit rows of EVENT_COLUMNS and finishes the statement. */
static enum db_rc events_read(struct db_stmt *st, struct arena *a, int limit, struct event **out,
			      int *n)
{
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW && *n < limit) {
		struct event *e = &(*out)[(*n)++];
		e->id = db_col_int(st, 0);
		e->at = db_col_int(st, 1);
		e->type = col_str(st, a, 2);
		e->actor_staff_id = db_col_opt_int(st, 3);
		e->actor_token_id = db_col_opt_int(st, 4);
		e->location_id = db_col_opt_int(st, 5);
		e->guest_id = db_col_opt_int(st, 6);
		e->subject_id = db_col_opt_int(st, 7);
		e->data = col_str(st, a, 8);
		e->actor_name = col_str(st, a, 9);
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc events_for_guest(struct db *db, struct arena *a, int64_t guest_id, int64_t before_id,
			    int limit, struct event **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " EVENT_COLUMNS " FROM events e LEFT JOIN staff s ON s.id = e.actor_staff_id "
		"LEFT JOIN api_tokens t ON t.id = e.actor_token_id "
		"WHERE e.guest_id = $1 AND e.id < $2 ORDER BY e.id DESC LIMIT $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, before_id > 0 ? before_id : INT64_MAX);
	db_bind_int(st, 3, limit);
	return events_read(st, a, limit, out, n);
}

enum db_rc events_for_case(struct db *db, struct arena *a, int64_t case_id, int limit,
			   struct event **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " EVENT_COLUMNS " FROM events e LEFT JOIN staff s ON s.id = e.actor_staff_id "
		"LEFT JOIN api_tokens t ON t.id = e.actor_token_id "
		"WHERE e.subject_id = $1 AND e.type >= 'case.' AND e.type < 'case/' "
		"ORDER BY e.id LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, case_id);
	db_bind_int(st, 2, limit);
	return events_read(st, a, limit, out, n);
}

enum db_rc events_after(struct db *db, struct arena *a, int64_t location_id, int64_t after_id,
			int limit, struct event **out, int *n)
{
	struct db_stmt *st;
	if (location_id >= 0) {
		st = db_prepare(db,
			"SELECT id, at, type, actor_staff_id, actor_token_id, location_id, guest_id, "
			"subject_id, data, NULL FROM events e WHERE location_id = $1 AND id > $2 "
			"ORDER BY id LIMIT $3");
		if (st)
			db_bind_int(st, 1, location_id);
	} else {
		st = db_prepare(db,
			"SELECT id, at, type, actor_staff_id, actor_token_id, location_id, guest_id, "
			"subject_id, data, NULL FROM events e WHERE id > $2 ORDER BY id LIMIT $3");
	}
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 2, after_id);
	db_bind_int(st, 3, limit);
	return events_read(st, a, limit, out, n);
}

enum db_rc events_last_id(struct db *db, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(max(id), 0) FROM events");
	if (!st)
		return DB_ERROR;
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc;
}
