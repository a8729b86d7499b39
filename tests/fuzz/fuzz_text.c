/* Fuzzes the text parsers: search queries, guest keys, times, cursors and
 * integers, all of which take user input. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/text.h"
#include "util/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct text_terms t;
	if (text_query_words(s, &t))
		text_terms_release(&t);
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
