/* Fuzzes the text parsers: search queries, guest keys, times, cursors and
 * integers, all of which take user input. The full-text query built from a
 * search is run against an FTS5 table: it must never be a syntax error. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/text.h"
#include "util/clock.h"

#include <sqlite3.h>

static sqlite3_stmt *fts_match(void)
{
	static sqlite3 *db;
	static sqlite3_stmt *st;
	if (!st) {
		if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
		    sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5 (text, "
				 "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
				 "INSERT INTO f VALUES ('green Tabasco (bottle behind the bar)');",
				 NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "SELECT count(*) FROM f WHERE f MATCH ?", -1, &st, NULL) != SQLITE_OK)
			abort();
	}
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct text_terms t;
	if (text_query_words(s, &t)) {
		size_t qlen = 3 * size + 8;
		char *q = malloc(qlen);
		if (q && text_fts_query(s, q, qlen)) {
			sqlite3_stmt *st = fts_match();
			sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(st) != SQLITE_ROW)
				abort(); /* the query was not one FTS5 accepts */
			sqlite3_reset(st);
		}
		free(q);
		text_terms_release(&t);
	}
	text_guest_terms(s, s, s, s, &t);
	for (int i = 0; i < t.n; i++) {
		char p[16];
		text_prefix(t.terms[i], 3, p, sizeof(p));
	}
	text_terms_release(&t);
	int64_t a, b;
	clock_parse(s, &a);
	cursor_decode(s, &a, &b);
	parse_i64(s, INT64_MIN, INT64_MAX, &a);
	free(s);
	return 0;
}
