/* Statements over guests and their search keys. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

/* Candidates looked at for one page of search results before giving up and
 * returning a shorter page with a cursor, so no query scans without bound. */
#define SEARCH_MAX_SCAN 5000

#define GUEST_COLUMNS                                                                      \
	"id, name, phone, email, card, visit_count, last_visit_at, search_rank, created_at, " \
	"updated_at"

static void guest_row(struct db_stmt *st, struct arena *a, struct guest *g)
{
	g->id = db_col_int(st, 0);
	g->name = col_str(st, a, 1);
	g->phone = col_str(st, a, 2);
	g->email = col_str(st, a, 3);
	g->card = col_str(st, a, 4);
	g->visit_count = db_col_int(st, 5);
	g->last_visit_at = db_col_opt_int(st, 6);
	g->search_rank = db_col_int(st, 7);
	g->created_at = db_col_int(st, 8);
	g->updated_at = db_col_int(st, 9);
}

enum db_rc guests_insert(struct db *db, struct guest *g)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO guests (name, phone, email, card, search_rank, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, g->name);
	db_bind_text(st, 2, g->phone);
	db_bind_text(st, 3, g->email);
	db_bind_text(st, 4, g->card);
	db_bind_int(st, 5, g->search_rank);
	db_bind_int(st, 6, g->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		g->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc guests_get(struct db *db, struct arena *a, int64_t id, struct guest *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " GUEST_COLUMNS " FROM guests WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		guest_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc guests_update(struct db *db, const struct guest *g)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE guests SET name = $1, phone = $2, email = $3, card = $4, updated_at = $5 "
		"WHERE id = $6");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, g->name);
	db_bind_text(st, 2, g->phone);
	db_bind_text(st, 3, g->email);
	db_bind_text(st, 4, g->card);
	db_bind_int(st, 5, g->updated_at);
	db_bind_int(st, 6, g->id);
	return db_run(st);
}

enum db_rc guests_set_terms(struct db *db, int64_t guest_id, int64_t rank, char *const *terms,
			    int n)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM guest_terms WHERE guest_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	enum db_rc rc = db_run(st);
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		st = db_prepare(db,
			"INSERT INTO guest_terms (term, p2, p3, rank, guest_id) "
			"VALUES ($1, substr($1, 1, 2), substr($1, 1, 3), $2, $3)");
		if (!st)
			return DB_ERROR;
		db_bind_text(st, 1, terms[i]);
		db_bind_int(st, 2, rank);
		db_bind_int(st, 3, guest_id);
		rc = db_run(st);
	}
	return rc;
}

enum db_rc guests_note_visit(struct db *db, int64_t guest_id, int64_t at, struct guest *out)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE guests SET visit_count = visit_count + 1, "
		"last_visit_at = CASE WHEN last_visit_at IS NULL OR last_visit_at < $1 THEN $1 "
		"ELSE last_visit_at END WHERE id = $2 "
		"RETURNING visit_count, last_visit_at, created_at");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, at);
	db_bind_int(st, 2, guest_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = guest_id;
		out->visit_count = db_col_int(st, 0);
		out->last_visit_at = db_col_int(st, 1);
		out->created_at = db_col_int(st, 2);
	}
	db_done(st);
	return rc;
}

enum db_rc guests_set_rank(struct db *db, int64_t guest_id, int64_t rank)
{
	struct db_stmt *st = db_prepare(db, "UPDATE guests SET search_rank = $1 WHERE id = $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, rank);
	db_bind_int(st, 2, guest_id);
	enum db_rc rc = db_run(st);
	if (rc != DB_DONE)
		return rc;
	st = db_prepare(db, "UPDATE guest_terms SET rank = $1 WHERE guest_id = $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, rank);
	db_bind_int(st, 2, guest_id);
	return db_run(st);
}

/* The candidates for the driving word, best first. Two- and three-character
 * words walk their bucket index already in order; longer ones take the few
 * matching keys and sort them. */
static struct db_stmt *search_candidates(struct db *db, const char *word, size_t chars,
					 const char *upper, const struct guest_cursor *after)
{
	struct db_stmt *st;
	if (chars == 2)
		st = db_prepare(db,
			"SELECT guest_id, rank FROM guest_terms WHERE p2 = $1 "
			"AND (rank, guest_id) < ($2, $3) ORDER BY rank DESC, guest_id DESC");
	else if (chars == 3)
		st = db_prepare(db,
			"SELECT guest_id, rank FROM guest_terms WHERE p3 = $1 "
			"AND (rank, guest_id) < ($2, $3) ORDER BY rank DESC, guest_id DESC");
	else
		st = db_prepare(db,
			"SELECT guest_id, rank FROM guest_terms WHERE term >= $1 AND term < $4 "
			"AND (rank, guest_id) < ($2, $3) ORDER BY rank DESC, guest_id DESC");
	if (!st)
		return NULL;
	db_bind_text(st, 1, word);
	db_bind_int(st, 2, after ? after->rank : INT64_MAX);
	db_bind_int(st, 3, after ? after->id : INT64_MAX);
	if (chars > 3)
		db_bind_text(st, 4, upper);
	return st;
}

/* Does the guest have a key starting with word? */
static enum db_rc search_has_prefix(struct db *db, int64_t guest_id, const char *word,
				    const char *upper)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 1 FROM guest_terms WHERE guest_id = $1 AND term >= $2 AND term < $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_text(st, 2, word);
	db_bind_text(st, 3, upper);
	enum db_rc rc = db_step(st);
	db_done(st);
	return rc;
}

/* The smallest string above every string starting with s. */
static char *upper_bound(struct arena *a, const char *s)
{
	return arena_printf(a, "%s\xff", s);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

enum db_rc guests_search(struct db *db, struct arena *a, const char *const *words, int nwords,
			 const struct guest_cursor *after, int limit, struct guest **out, int *n,
			 struct guest_cursor *next, bool *more)
{
	*n = 0;
	*more = false;
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	if (nwords == 0)
		return DB_DONE;
	int driver = 0;
	for (int i = 1; i < nwords; i++)
		if (strlen(words[i]) > strlen(words[driver]))
			driver = i;
	const char **uppers = arena_alloc(a, sizeof(char *) * (size_t)nwords);
	for (int i = 0; i < nwords; i++)
		uppers[i] = upper_bound(a, words[i]);

	struct db_stmt *st = search_candidates(db, words[driver], utf8_chars(words[driver]),
					       uppers[driver], after);
	if (!st)
		return DB_ERROR;
	int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)limit);
	int64_t *ranks = arena_alloc(a, sizeof(int64_t) * (size_t)limit);
	int found = 0, scanned = 0;
	int64_t last_rank = 0, last_id = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0), rank = db_col_int(st, 1);
		if (++scanned > SEARCH_MAX_SCAN) {
			*more = true; /* resume after the last candidate looked at */
			next->rank = last_rank;
			next->id = last_id;
			break;
		}
		/* one guest can match through several keys: its rows are adjacent */
		bool repeat = scanned > 1 && id == last_id;
		last_rank = rank;
		last_id = id;
		if (repeat)
			continue;
		bool ok = true;
		for (int i = 0; ok && i < nwords; i++) {
			if (i == driver)
				continue;
			enum db_rc hr = search_has_prefix(db, id, words[i], uppers[i]);
			if (hr != DB_ROW && hr != DB_DONE) {
				db_done(st);
				return hr;
			}
			ok = hr == DB_ROW;
		}
		if (!ok)
			continue;
		if (found == limit) {
			*more = true;
			next->rank = ranks[found - 1];
			next->id = ids[found - 1];
			break;
		}
		ids[found] = id;
		ranks[found] = rank;
		found++;
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	for (int i = 0; i < found; i++) {
		rc = guests_get(db, a, ids[i], &(*out)[*n]);
		if (rc == DB_ROW)
			(*n)++;
		else if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}
