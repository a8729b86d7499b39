/* Statements over guest notes and their full-text index. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define NOTE_COLUMNS                                                                        \
	"n.id, n.guest_id, n.kind, n.text, n.pinned, n.allergen, n.severity, "            \
	"n.author_staff_id, n.author_token_id, COALESCE(s.name, t.name), n.created_at, " \
	"n.updated_at FROM guest_notes n LEFT JOIN staff s ON s.id = n.author_staff_id "  \
	"LEFT JOIN api_tokens t ON t.id = n.author_token_id "

static void note_row(struct db_stmt *st, struct arena *a, struct note *n)
{
	n->id = db_col_int(st, 0);
	n->guest_id = db_col_int(st, 1);
	n->kind = col_str(st, a, 2);
	n->text = col_str(st, a, 3);
	n->pinned = db_col_int(st, 4) != 0;
	n->allergen = col_str(st, a, 5);
	n->severity = col_str(st, a, 6);
	n->author_staff_id = db_col_opt_int(st, 7);
	n->author_token_id = db_col_opt_int(st, 8);
	n->author_name = col_str(st, a, 9);
	n->created_at = db_col_int(st, 10);
	n->updated_at = db_col_int(st, 11);
}

/* Reads up to limit notes from a prepared, bound statement. */
static enum db_rc note_rows(struct db_stmt *st, struct arena *a, int limit, struct note **out,
			    int *n)
{
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW)
		note_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	if (*n == limit)
		return DB_DONE;
	return rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc notes_insert(struct db *db, struct note *n)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO guest_notes (guest_id, kind, text, pinned, allergen, severity, "
		"author_staff_id, author_token_id, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, n->guest_id);
	db_bind_text(st, 2, n->kind);
	db_bind_text(st, 3, n->text);
	db_bind_int(st, 4, n->pinned);
	db_bind_text(st, 5, n->allergen);
	db_bind_text(st, 6, n->severity);
	db_bind_opt_int(st, 7, n->author_staff_id);
	db_bind_opt_int(st, 8, n->author_token_id);
	db_bind_int(st, 9, n->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		n->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc notes_get(struct db *db, struct arena *a, int64_t guest_id, int64_t id, struct note *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " NOTE_COLUMNS "WHERE n.id = $1 AND n.guest_id = $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, guest_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		note_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc notes_update(struct db *db, const struct note *n)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE guest_notes SET kind = $1, text = $2, pinned = $3, allergen = $4, "
		"severity = $5, updated_at = $6 WHERE id = $7 AND guest_id = $8");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, n->kind);
	db_bind_text(st, 2, n->text);
	db_bind_int(st, 3, n->pinned);
	db_bind_text(st, 4, n->allergen);
	db_bind_text(st, 5, n->severity);
	db_bind_int(st, 6, n->updated_at);
	db_bind_int(st, 7, n->id);
	db_bind_int(st, 8, n->guest_id);
	return db_run(st);
}

enum db_rc notes_delete(struct db *db, int64_t guest_id, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM guest_notes WHERE id = $1 AND guest_id = $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, guest_id);
	return db_run(st);
}

enum db_rc notes_list(struct db *db, struct arena *a, int64_t guest_id, const char *kind,
		      int64_t before_at, int64_t before_id, int limit, struct note **out, int *n)
{
	struct db_stmt *st;
	if (kind)
		st = db_prepare(db, "SELECT " NOTE_COLUMNS
			"WHERE n.guest_id = $1 AND n.kind = $2 AND (n.created_at, n.id) < ($3, $4) "
			"ORDER BY n.created_at DESC, n.id DESC LIMIT $5");
	else
		st = db_prepare(db, "SELECT " NOTE_COLUMNS
			"WHERE n.guest_id = $1 AND (n.created_at, n.id) < ($3, $4) "
			"ORDER BY n.created_at DESC, n.id DESC LIMIT $5");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	if (kind)
		db_bind_text(st, 2, kind);
	db_bind_int(st, 3, before_at > 0 ? before_at : INT64_MAX);
	db_bind_int(st, 4, before_at > 0 ? before_id : INT64_MAX);
	db_bind_int(st, 5, limit);
	return note_rows(st, a, limit, out, n);
}

enum db_rc notes_flags(struct db *db, struct arena *a, int64_t guest_id, int limit,
		       struct note **out, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " NOTE_COLUMNS
		/* a range over the index rather than IN, which would build a
		 * temporary table for every card; conversation notes sort
		 * between the two kinds and are skipped */
		"WHERE n.guest_id = $1 AND n.kind BETWEEN 'allergy' AND 'dietary' "
		"AND n.kind <> 'conversation' "
		"ORDER BY n.kind, n.created_at DESC, n.id DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, limit);
	return note_rows(st, a, limit, out, n);
}

enum db_rc notes_preferences(struct db *db, struct arena *a, int64_t guest_id, int limit,
			     struct note **out, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " NOTE_COLUMNS
		"WHERE n.guest_id = $1 AND n.kind = 'preference' "
		"ORDER BY n.pinned DESC, n.created_at DESC, n.id DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, limit);
	return note_rows(st, a, limit, out, n);
}

enum db_rc notes_search(struct db *db, const char *fts_query, int limit,
			bool (*each)(void *ctx, const struct note_hit *h), void *ctx)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT f.rowid, n.guest_id, n.kind, snippet(note_fts, 0, '', '', '\u2026', 12) "
		"FROM note_fts f JOIN guest_notes n ON n.id = f.rowid "
		"WHERE note_fts MATCH $1 ORDER BY f.rowid DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, fts_query);
	db_bind_int(st, 2, limit);
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct note_hit h = {
			.note_id = db_col_int(st, 0),
			.guest_id = db_col_int(st, 1),
			.kind = db_col_text(st, 2),
			.snippet = db_col_text(st, 3),
		};
		if (!each(ctx, &h)) {
			rc = DB_DONE;
			break;
		}
	}
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}
