/* Statements over visits. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define VISIT_COLUMNS "id, guest_id, location_id, at, party_size, spend_cents, staff_id, created_at"

enum db_rc visits_insert(struct db *db, struct visit *v)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO visits (guest_id, location_id, at, party_size, spend_cents, staff_id, "
		"created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, v->guest_id);
	db_bind_int(st, 2, v->location_id);
	db_bind_int(st, 3, v->at);
	db_bind_opt_int(st, 4, v->party_size);
	db_bind_opt_int(st, 5, v->spend_cents);
	db_bind_opt_int(st, 6, v->staff_id);
	db_bind_int(st, 7, v->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		v->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc visits_for_guest(struct db *db, struct arena *a, int64_t guest_id, int64_t before_at,
			    int64_t before_id, int limit, struct visit **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " VISIT_COLUMNS " FROM visits WHERE guest_id = $1 AND (at, id) < ($2, $3) "
		"ORDER BY at DESC, id DESC LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, before_at);
	db_bind_int(st, 3, before_id);
	db_bind_int(st, 4, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW && *n < limit) {
		struct visit *v = &(*out)[(*n)++];
		v->id = db_col_int(st, 0);
		v->guest_id = db_col_int(st, 1);
		v->location_id = db_col_int(st, 2);
		v->at = db_col_int(st, 3);
		v->party_size = db_col_opt_int(st, 4);
		v->spend_cents = db_col_opt_int(st, 5);
		v->staff_id = db_col_opt_int(st, 6);
		v->created_at = db_col_int(st, 7);
	}
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc visits_recent_times(struct db *db, int64_t guest_id, int64_t *times, int max, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT at FROM visits WHERE guest_id = $1 ORDER BY at DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, max);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		times[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc visits_get(struct db *db, int64_t id, struct visit *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, guest_id, location_id, at, party_size, spend_cents, staff_id, created_at "
		"FROM visits WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->guest_id = db_col_int(st, 1);
		out->location_id = db_col_int(st, 2);
		out->at = db_col_int(st, 3);
		out->party_size = db_col_opt_int(st, 4);
		out->spend_cents = db_col_opt_int(st, 5);
		out->staff_id = db_col_opt_int(st, 6);
		out->created_at = db_col_int(st, 7);
	}
	db_done(st);
	return rc;
}
