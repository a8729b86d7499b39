/* Statements over locations. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define MAX_LOCATIONS 1000

static void location_row(struct db_stmt *st, struct arena *a, struct location *l)
{
	l->id = db_col_int(st, 0);
	l->name = col_str(st, a, 1);
	l->timezone = col_str(st, a, 2);
	l->currency = col_str(st, a, 3);
	l->created_at = db_col_int(st, 4);
	for (int i = 0; i < 3; i++)
		l->case_due_minutes[i] = db_col_int(st, 5 + i);
	l->orders.accept = db_col_int(st, 8);
	l->orders.promised = db_col_int(st, 9);
	l->orders.serve = db_col_int(st, 10);
	l->orders.case_after = db_col_int(st, 11);
	l->survey_expiry_days = db_col_int(st, 12);
	l->survey_gap_days = db_col_int(st, 13);
	l->feedback_case_hours = db_col_int(st, 14);
	l->survey_after_visit = db_col_int(st, 15) != 0;
	l->check_grace_minutes = db_col_int(st, 16);
}

#define LOCATION_COLUMNS                                                                          \
	"id, name, timezone, currency, created_at, case_due_minutes_low, case_due_minutes_medium, " \
	"case_due_minutes_high, order_accept_minutes, order_promised_minutes, order_serve_minutes, " \
	"order_case_minutes, survey_expiry_days, survey_gap_days, feedback_case_hours, survey_after_visit, " \
	"check_grace_minutes"


enum db_rc locations_insert(struct db *db, struct location *l)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO locations (name, timezone, currency, created_at) "
		"VALUES ($1, $2, $3, $4) RETURNING case_due_minutes_low, case_due_minutes_medium, "
		"case_due_minutes_high, id, order_accept_minutes, order_promised_minutes, "
		"order_serve_minutes, order_case_minutes, survey_expiry_days, survey_gap_days, "
		"feedback_case_hours, survey_after_visit, check_grace_minutes");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, l->name);
	db_bind_text(st, 2, l->timezone);
	db_bind_text(st, 3, l->currency);
	db_bind_int(st, 4, l->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		for (int i = 0; i < 3; i++)
			l->case_due_minutes[i] = db_col_int(st, i);
		l->id = db_col_int(st, 3);
		l->orders.accept = db_col_int(st, 4);
		l->orders.promised = db_col_int(st, 5);
		l->orders.serve = db_col_int(st, 6);
		l->orders.case_after = db_col_int(st, 7);
		l->survey_expiry_days = db_col_int(st, 8);
		l->survey_gap_days = db_col_int(st, 9);
		l->feedback_case_hours = db_col_int(st, 10);
		l->survey_after_visit = db_col_int(st, 11) != 0;
		l->check_grace_minutes = db_col_int(st, 12);
	}
	db_done(st);
	return rc;
}

enum db_rc locations_update(struct db *db, const struct location *l)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE locations SET name = $2, timezone = $3, currency = $4, "
		"case_due_minutes_low = $5, case_due_minutes_medium = $6, case_due_minutes_high = $7, "
		"order_accept_minutes = $8, order_promised_minutes = $9, order_serve_minutes = $10, "
		"order_case_minutes = $11, survey_expiry_days = $12, survey_gap_days = $13, "
		"feedback_case_hours = $14, survey_after_visit = $15, check_grace_minutes = $16 "
		"WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, l->id);
	db_bind_text(st, 2, l->name);
	db_bind_text(st, 3, l->timezone);
	db_bind_text(st, 4, l->currency);
	for (int i = 0; i < 3; i++)
		db_bind_int(st, 5 + i, l->case_due_minutes[i]);
	db_bind_int(st, 8, l->orders.accept);
	db_bind_int(st, 9, l->orders.promised);
	db_bind_int(st, 10, l->orders.serve);
	db_bind_int(st, 11, l->orders.case_after);
	db_bind_int(st, 12, l->survey_expiry_days);
	db_bind_int(st, 13, l->survey_gap_days);
	db_bind_int(st, 14, l->feedback_case_hours);
	db_bind_int(st, 15, l->survey_after_visit);
	db_bind_int(st, 16, l->check_grace_minutes);
	return db_run(st);
}

enum db_rc locations_get(struct db *db, struct arena *a, int64_t id, struct location *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " LOCATION_COLUMNS " FROM locations WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		location_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc locations_list(struct db *db, struct arena *a, struct location **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " LOCATION_COLUMNS " FROM locations ORDER BY id LIMIT $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, MAX_LOCATIONS);
	*out = arena_alloc(a, sizeof(**out) * MAX_LOCATIONS);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		location_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

enum db_rc locations_count(struct db *db, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM locations");
	if (!st)
		return DB_ERROR;
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int(st, 0);
	db_done(st);
	return rc;
}
