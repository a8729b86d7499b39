/* Statements over guests and their search keys. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"
#include "domain/text.h"

/* Candidates looked at for one page of search results before giving up and
 * returning a shorter page with a cursor, so no query scans without bound. */
#define SEARCH_MAX_SCAN 5000

#define GUEST_COLUMNS                                                                      \
	"id, name, phone, email, card, visit_count, last_visit_at, search_rank, created_at, " \
	"updated_at"

/* Fills g from the row; strings are copied into a, or borrowed from the
 * statement (valid until its next step) when a is NULL. */
static void guest_row(struct db_stmt *st, struct arena *a, struct guest *g)
{
	g->id = db_col_int(st, 0);
	g->name = a ? col_str(st, a, 1) : db_col_text(st, 1);
	g->phone = a ? col_str(st, a, 2) : db_col_text(st, 2);
	g->email = a ? col_str(st, a, 3) : db_col_text(st, 3);
	g->card = a ? col_str(st, a, 4) : db_col_text(st, 4);
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
	struct db_stmt *st = db_prepare(db,
		"SELECT " GUEST_COLUMNS " FROM guests WHERE id = $1 AND merged_into IS NULL");
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
		"ELSE last_visit_at END WHERE id = $2 AND merged_into IS NULL "
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

/* Above this many keys for a long prefix, walking its three-letter bucket
 * in rank order finds a page sooner than sorting them all. */
#define SEARCH_SORT_MAX 1000

#define CANDIDATE_COLUMNS                                                              \
	"SELECT g.id, g.name, g.phone, g.email, g.card, g.visit_count, g.last_visit_at, " \
	"t.rank, g.created_at, g.updated_at FROM guest_terms t JOIN guests g ON g.id = t.guest_id "

/* How many keys start with word, counting no further than SEARCH_SORT_MAX. */
static enum db_rc count_prefix(struct db *db, const char *word, const char *upper, int64_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM (SELECT 1 FROM guest_terms WHERE term >= $1 AND term < $2 "
		"LIMIT $3)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, word);
	db_bind_text(st, 2, upper);
	db_bind_int(st, 3, SEARCH_SORT_MAX);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int(st, 0);
	db_done(st);
	return rc;
}

/* The candidates for the driving word, best first, with their guest rows.
 * Short words, and long ones with many keys, walk a bucket index already in
 * rank order (filtering long words by the whole prefix); long words with
 * few keys are taken directly and sorted. */
static struct db_stmt *search_candidates(struct db *db, const char *word, size_t chars,
					 const char *upper, const struct guest_cursor *after,
					 bool *joined)
{
	struct db_stmt *st;
	*joined = true;
	int64_t n = SEARCH_SORT_MAX;
	if (chars > 3 && count_prefix(db, word, upper, &n) != DB_ROW)
		return NULL;
	char p3[16];
	if (chars == 2) {
		st = db_prepare(db, CANDIDATE_COLUMNS
			"WHERE t.p2 = $1 AND (t.rank, t.guest_id) < ($2, $3) "
			"ORDER BY t.rank DESC, t.guest_id DESC");
	} else if (chars == 3) {
		st = db_prepare(db, CANDIDATE_COLUMNS
			"WHERE t.p3 = $1 AND (t.rank, t.guest_id) < ($2, $3) "
			"ORDER BY t.rank DESC, t.guest_id DESC");
	} else if (n < SEARCH_SORT_MAX) {
		/* keys only: the few guests on the page are read after the sort */
		*joined = false;
		st = db_prepare(db,
			"SELECT guest_id, rank FROM guest_terms WHERE term >= $1 AND term < $4 "
			"AND (rank, guest_id) < ($2, $3) ORDER BY rank DESC, guest_id DESC");
	} else {
		st = db_prepare(db, CANDIDATE_COLUMNS
			"WHERE t.p3 = $5 AND t.term >= $1 AND t.term < $4 "
			"AND (t.rank, t.guest_id) < ($2, $3) ORDER BY t.rank DESC, t.guest_id DESC");
	}
	if (!st)
		return NULL;
	db_bind_text(st, 1, word);
	db_bind_int(st, 2, after ? after->rank : INT64_MAX);
	db_bind_int(st, 3, after ? after->id : INT64_MAX);
	if (chars > 3)
		db_bind_text(st, 4, upper);
	if (chars > 3 && n >= SEARCH_SORT_MAX) {
		text_prefix(word, 3, p3, sizeof(p3));
		db_bind_text(st, 5, p3);
	}
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
	size_t n = strlen(s);
	char *u = arena_alloc(a, n + 2);
	memcpy(u, s, n);
	u[n] = '\xff';
	u[n + 1] = '\0';
	return u;
}

enum db_rc guests_matches(struct db *db, struct arena *a, int64_t guest_id,
			  const char *const *words, int nwords)
{
	for (int i = 0; i < nwords; i++) {
		enum db_rc rc = search_has_prefix(db, guest_id, words[i], upper_bound(a, words[i]));
		if (rc != DB_ROW)
			return rc;
	}
	return DB_ROW;
}

enum db_rc guests_search(struct db *db, struct arena *a, const char *const *words, int nwords,
			 const struct guest_cursor *after, int limit,
			 void (*each)(void *ctx, const struct guest *g), void *ctx,
			 struct guest_cursor *next, bool *more)
{
	int found = 0;
	int64_t found_rank = 0, found_id = 0; /* the last guest handed out */
	*more = false;
	if (nwords == 0)
		return DB_DONE;
	/* the longest word, in characters, drives: it has the fewest keys */
	int driver = 0;
	for (int i = 1; i < nwords; i++)
		if (text_chars(words[i]) > text_chars(words[driver]))
			driver = i;
	if (text_chars(words[driver]) < 2)
		return DB_DONE;
	const char **uppers = arena_alloc(a, sizeof(char *) * (size_t)nwords);
	for (int i = 0; i < nwords; i++)
		uppers[i] = upper_bound(a, words[i]);

	bool joined;
	struct db_stmt *st = search_candidates(db, words[driver], text_chars(words[driver]),
					       uppers[driver], after, &joined);
	if (!st)
		return DB_ERROR;
	int scanned = 0;
	int64_t last_rank = 0, last_id = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0), rank = db_col_int(st, joined ? 7 : 1);
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
			next->rank = found_rank;
			next->id = found_id;
			break;
		}
		struct guest g;
		if (joined) {
			guest_row(st, NULL, &g);
		} else {
			enum db_rc gr = guests_get(db, a, id, &g);
			if (gr == DB_DONE)
				continue;
			if (gr != DB_ROW) {
				db_done(st);
				return gr;
			}
		}
		each(ctx, &g);
		found++;
		found_rank = rank;
		found_id = id;
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	return DB_DONE;
}

enum db_rc guests_move_history(struct db *db, int64_t from_id, int64_t to_id)
{
	static const char *const moves[] = {
		"UPDATE visits SET guest_id = $2 WHERE guest_id = $1",
		"UPDATE guest_notes SET guest_id = $2 WHERE guest_id = $1",
		"UPDATE talking_point_uses SET guest_id = $2 WHERE guest_id = $1",
		"UPDATE cases SET guest_id = $2 WHERE guest_id = $1",
		"UPDATE events SET guest_id = $2 WHERE guest_id = $1",
		/* orders keep the name they were placed under: it is a snapshot */
		"UPDATE orders SET guest_id = $2 WHERE guest_id = $1",
		"UPDATE surveys SET guest_id = $2 WHERE guest_id = $1",
		"UPDATE feedback SET guest_id = $2 WHERE guest_id = $1",
	};
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++) {
		struct db_stmt *st = db_prepare(db, moves[i]);
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, from_id);
		db_bind_int(st, 2, to_id);
		enum db_rc rc = db_run(st);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

enum db_rc guests_recount(struct db *db, struct arena *a, int64_t id, struct guest *out)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE guests SET visit_count = (SELECT count(*) FROM visits WHERE guest_id = $1), "
		"last_visit_at = (SELECT max(at) FROM visits WHERE guest_id = $1) WHERE id = $1 "
		"RETURNING " GUEST_COLUMNS);
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		guest_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc guests_mark_merged(struct db *db, int64_t id, int64_t into, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE guests SET merged_into = $2, name = '', phone = NULL, email = NULL, card = NULL, "
		"updated_at = $3 WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, into);
	db_bind_int(st, 3, now);
	enum db_rc rc = db_run(st);
	return rc == DB_DONE ? guests_set_terms(db, id, 0, NULL, 0) : rc;
}
