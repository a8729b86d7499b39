/* Statements over staff, their locations, sessions and API tokens. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define MAX_STAFF 5000

#define STAFF_COLUMNS "id, email, name, role, password_hash, disabled, created_at, updated_at"

static void staff_row(struct db_stmt *st, struct arena *a, struct staff *s)
{
	s->id = db_col_int(st, 0);
	s->email = col_str(st, a, 1);
	s->name = col_str(st, a, 2);
	s->role = col_str(st, a, 3);
	s->password_hash = col_str(st, a, 4);
	s->disabled = db_col_int(st, 5) != 0;
	s->created_at = db_col_int(st, 6);
	s->updated_at = db_col_int(st, 7);
	s->nlocations = 0;
	s->location_ids = NULL;
}

enum db_rc staff_insert(struct db *db, struct staff *s)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO staff (email, name, role, password_hash, disabled, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, s->email);
	db_bind_text(st, 2, s->name);
	db_bind_text(st, 3, s->role);
	db_bind_text(st, 4, s->password_hash);
	db_bind_int(st, 5, s->disabled);
	db_bind_int(st, 6, s->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		s->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc staff_get(struct db *db, struct arena *a, int64_t id, struct staff *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " STAFF_COLUMNS " FROM staff WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		staff_row(st, a, out);
	db_done(st);
	return rc == DB_ROW ? staff_locations_load(db, a, out) == DB_DONE ? DB_ROW : DB_ERROR : rc;
}

enum db_rc staff_by_email(struct db *db, struct arena *a, const char *email, struct staff *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " STAFF_COLUMNS " FROM staff WHERE lower(email) = lower($1)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, email);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		staff_row(st, a, out);
	db_done(st);
	return rc == DB_ROW ? staff_locations_load(db, a, out) == DB_DONE ? DB_ROW : DB_ERROR : rc;
}

enum db_rc staff_list(struct db *db, struct arena *a, struct staff **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " STAFF_COLUMNS " FROM staff ORDER BY name, id LIMIT $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, MAX_STAFF);
	*out = arena_alloc(a, sizeof(**out) * MAX_STAFF);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		staff_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	for (int i = 0; rc == DB_DONE && i < *n; i++)
		rc = staff_locations_load(db, a, &(*out)[i]);
	return rc;
}

enum db_rc staff_update(struct db *db, const struct staff *s)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE staff SET name = $1, role = $2, disabled = $3, updated_at = $4 WHERE id = $5");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, s->name);
	db_bind_text(st, 2, s->role);
	db_bind_int(st, 3, s->disabled);
	db_bind_int(st, 4, s->updated_at);
	db_bind_int(st, 5, s->id);
	return db_run(st);
}

enum db_rc staff_set_password(struct db *db, int64_t id, const char *hash, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE staff SET password_hash = $1, updated_at = $2 WHERE id = $3");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	return db_run(st);
}

enum db_rc staff_count_owners(struct db *db, int64_t except_id, int64_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM staff WHERE role = 'owner' AND disabled = 0 AND id <> $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, except_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc staff_locations_load(struct db *db, struct arena *a, struct staff *s)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT location_id FROM staff_locations WHERE staff_id = $1 ORDER BY location_id "
		"LIMIT 64");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, s->id);
	s->location_ids = arena_alloc(a, sizeof(int64_t) * 64);
	s->nlocations = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		s->location_ids[s->nlocations++] = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc staff_locations_set(struct db *db, int64_t staff_id, const int64_t *ids, int n)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM staff_locations WHERE staff_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, staff_id);
	enum db_rc rc = db_run(st);
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		st = db_prepare(db,
			"INSERT INTO staff_locations (staff_id, location_id) VALUES ($1, $2) "
			"ON CONFLICT DO NOTHING");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, staff_id);
		db_bind_int(st, 2, ids[i]);
		rc = db_run(st);
	}
	return rc;
}

enum db_rc sessions_insert(struct db *db, const char *token_hash, int64_t staff_id, int64_t now,
			   int64_t expires_at)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) "
		"VALUES ($1, $2, $3, $4)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, staff_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, expires_at);
	return db_run(st);
}

enum db_rc sessions_lookup(struct db *db, struct arena *a, const char *token_hash, int64_t now,
			   struct staff *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT s.id, s.email, s.name, s.role, s.password_hash, s.disabled, s.created_at, "
		"s.updated_at FROM sessions x JOIN staff s ON s.id = x.staff_id "
		"WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.disabled = 0");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		staff_row(st, a, out);
	db_done(st);
	return rc == DB_ROW ? staff_locations_load(db, a, out) == DB_DONE ? DB_ROW : DB_ERROR : rc;
}

enum db_rc sessions_delete_expired(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE expires_at <= $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	return db_run(st);
}

enum db_rc sessions_delete(struct db *db, const char *token_hash)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE token_hash = $1");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	return db_run(st);
}

enum db_rc sessions_delete_staff(struct db *db, int64_t staff_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE staff_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, staff_id);
	return db_run(st);
}

enum db_rc tokens_insert(struct db *db, const char *token_hash, struct api_token *t, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO api_tokens (token_hash, name, role, location_id, created_at) "
		"VALUES ($1, $2, $3, $4, $5) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	db_bind_text(st, 2, t->name);
	db_bind_text(st, 3, t->role);
	db_bind_opt_int(st, 4, t->location_id);
	db_bind_int(st, 5, now);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		t->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc tokens_lookup(struct db *db, struct arena *a, const char *token_hash, struct api_token *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, name, role, location_id FROM api_tokens "
		"WHERE token_hash = $1 AND revoked_at IS NULL");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->name = col_str(st, a, 1);
		out->role = col_str(st, a, 2);
		out->location_id = db_col_opt_int(st, 3);
	}
	db_done(st);
	return rc;
}
