/* Statements over conversation starters and their uses with guests. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define TP_COLUMNS "id, text, active, created_at, updated_at"
/* A guest's uses read for the card, newest first. */
#define TALK_USES_READ 500

static void tp_row(struct db_stmt *st, struct arena *a, int col, struct talking_point *t)
{
	t->id = db_col_int(st, col);
	t->text = col_str(st, a, col + 1);
	t->active = db_col_int(st, col + 2) != 0;
	t->created_at = db_col_int(st, col + 3);
	t->updated_at = db_col_int(st, col + 4);
}

enum db_rc talking_points_insert(struct db *db, struct talking_point *t)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO talking_points (text, active, created_at, updated_at) "
		"VALUES ($1, 1, $2, $2) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, t->text);
	db_bind_int(st, 2, t->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		t->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc talking_points_get(struct db *db, struct arena *a, int64_t id, struct talking_point *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " TP_COLUMNS " FROM talking_points WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		tp_row(st, a, 0, out);
	db_done(st);
	return rc;
}

enum db_rc talking_points_update(struct db *db, const struct talking_point *t)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE talking_points SET text = $1, active = $2, updated_at = $3 WHERE id = $4");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, t->text);
	db_bind_int(st, 2, t->active);
	db_bind_int(st, 3, t->updated_at);
	db_bind_int(st, 4, t->id);
	return db_run(st);
}

enum db_rc talking_points_list(struct db *db, struct arena *a, int limit,
			       struct talking_point **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " TP_COLUMNS " FROM talking_points "
		"ORDER BY active DESC, CASE WHEN active = 1 THEN id ELSE -id END LIMIT $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW)
		tp_row(st, a, 0, &(*out)[(*n)++]);
	db_done(st);
	return *n == limit || rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc talking_points_count_active(struct db *db, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM talking_points WHERE active = 1");
	if (!st)
		return DB_ERROR;
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc talk_uses_insert(struct db *db, struct arena *a, struct talk_use *u)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO talking_point_uses (guest_id, talking_point_id, staff_id, token_id, at) "
		"VALUES ($1, $2, $3, $4, $5) RETURNING id, "
		"COALESCE((SELECT name FROM staff WHERE id = $3), "
		"(SELECT name FROM api_tokens WHERE id = $4))");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, u->guest_id);
	db_bind_int(st, 2, u->talking_point_id);
	db_bind_opt_int(st, 3, u->by.staff_id);
	db_bind_opt_int(st, 4, u->by.token_id);
	db_bind_int(st, 5, u->at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		u->id = db_col_int(st, 0);
		u->by_name = col_str(st, a, 1);
	}
	db_done(st);
	return rc;
}

enum db_rc talk_uses_for_guest(struct db *db, struct arena *a, int64_t guest_id, int limit,
			       struct talk_row **out, int *n)
{
	/* two index walks, no sort: the active starters, then the guest's uses
	 * newest first, the first use of each starter being its last */
	struct db_stmt *st = db_prepare(db,
		"SELECT " TP_COLUMNS " FROM talking_points WHERE active = 1 ORDER BY id LIMIT $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, limit);
	struct talk_row *rows = arena_alloc(a, sizeof(*rows) * (size_t)limit);
	int have = 0;
	enum db_rc rc = DB_DONE;
	while (have < limit && (rc = db_step(st)) == DB_ROW) {
		struct talk_row *r = &rows[have++];
		tp_row(st, a, 0, &r->tp);
		r->last = (struct talk_use){.id = -1, .guest_id = guest_id, .talking_point_id = r->tp.id,
					    .at = -1, .by = {-1, -1}};
	}
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return rc;
	st = db_prepare(db,
		"SELECT u.id, u.at, u.staff_id, u.token_id, COALESCE(s.name, k.name), "
		"p.id, p.text, p.active, p.created_at, p.updated_at "
		"FROM talking_point_uses u JOIN talking_points p ON p.id = u.talking_point_id "
		"LEFT JOIN staff s ON s.id = u.staff_id LEFT JOIN api_tokens k ON k.id = u.token_id "
		"WHERE u.guest_id = $1 ORDER BY u.at DESC, u.id DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, TALK_USES_READ);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t tp = db_col_int(st, 5);
		int i = 0;
		while (i < have && rows[i].tp.id != tp)
			i++;
		if (i == have) { /* a retired starter, used with this guest */
			if (have == limit)
				continue;
			tp_row(st, a, 5, &rows[have++].tp);
		} else if (rows[i].last.id >= 0) {
			continue; /* an earlier use of a starter already seen */
		}
		rows[i].last = (struct talk_use){
			.id = db_col_int(st, 0),
			.guest_id = guest_id,
			.talking_point_id = tp,
			.at = db_col_int(st, 1),
			.by = {db_col_opt_int(st, 2), db_col_opt_int(st, 3)},
			.by_name = col_str(st, a, 4),
		};
	}
	db_done(st);
	*out = rows;
	*n = have;
	return rc == DB_DONE ? DB_DONE : rc;
}
