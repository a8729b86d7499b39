/* Folding and search keys. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/text.c"

static bool has_term(const struct text_terms *t, const char *s)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->terms[i], s) == 0)
			return true;
	return false;
}

static void fold_strips_case_and_accents(void **state)
{
	char *f = text_fold("José ÁLVAREZ Zoë Müller");
	assert_string_equal(f, "jose alvarez zoe muller");
	free(f);
	assert_null(text_fold("\xff\xfe"));
}

static void guest_terms_cover_every_way_in(void **state)
{
	struct text_terms t;
	text_guest_terms("Siobhán O'Brien-Ng", "+44 (7700) 900-123", "Dalya.Moss@Example.com", "CARD-0042", &t);
	assert_true(has_term(&t, "siobhan"));
	assert_true(has_term(&t, "obrien"));
	assert_true(has_term(&t, "ng"));
	assert_true(has_term(&t, "447700900123"));
	assert_true(has_term(&t, "0123"));
	assert_true(has_term(&t, "7700900123"));
	assert_true(has_term(&t, "07700900123"));
	assert_true(has_term(&t, "dalyamoss"));
	assert_true(has_term(&t, "dalya.moss@example.com"));
	assert_true(has_term(&t, "card0042"));
	assert_true(has_term(&t, "0042"));
	text_terms_release(&t);
}

static void guest_terms_skip_short_phones_and_duplicates(void **state)
{
	struct text_terms t;
	text_guest_terms("Moss Moss", "12", NULL, NULL, &t);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.terms[0], "moss");
	text_terms_release(&t);
}

static void words_after_non_ascii_words_are_whole(void **state)
{
	struct text_terms t;
	text_guest_terms("Мария Ivanova Σοφία Sam", NULL, NULL, NULL, &t);
	assert_true(has_term(&t, "мария"));
	assert_true(has_term(&t, "ivanova"));
	assert_true(has_term(&t, "σοφια"));
	assert_true(has_term(&t, "sam"));
	text_terms_release(&t);
	assert_true(text_query_words("σοφία sam", &t));
	assert_int_equal(t.n, 2);
	assert_string_equal(t.terms[1], "sam");
	text_terms_release(&t);
}

static void long_card_keys_end_on_a_character(void **state)
{
	char card[200] = "a";
	for (int i = 0; i < 63; i++)
		strncat(card, "\u20ac", sizeof(card) - strlen(card) - 1);
	struct text_terms t;
	text_guest_terms(NULL, NULL, NULL, card, &t);
	assert_true(t.n >= 1);
	for (int i = 0; i < t.n; i++) {
		char *f = text_fold(t.terms[i]); /* NULL if not valid UTF-8 */
		assert_non_null(f);
		free(f);
		assert_true(strlen(t.terms[i]) <= TEXT_MAX_TERM_BYTES);
	}
	text_terms_release(&t);
}

static void query_words_by_kind(void **state)
{
	struct text_terms t;
	assert_true(text_query_words("  Dalya  MO ", &t));
	assert_int_equal(t.n, 2);
	assert_string_equal(t.terms[0], "dalya");
	assert_string_equal(t.terms[1], "mo");
	text_terms_release(&t);

	assert_true(text_query_words("+44-7700 900", &t));
	assert_int_equal(t.n, 1);
	assert_string_equal(t.terms[0], "447700900");
	text_terms_release(&t);

	assert_true(text_query_words("Dalya.M@ex", &t));
	assert_int_equal(t.n, 1);
	assert_string_equal(t.terms[0], "dalya.m@ex");
	text_terms_release(&t);

	assert_true(text_query_words("GC.1234", &t));
	assert_int_equal(t.n, 1);
	assert_string_equal(t.terms[0], "gc1234");
	text_terms_release(&t);

	assert_true(text_query_words("!!!", &t));
	assert_int_equal(t.n, 0);
	assert_false(text_query_words("\xc3", &t));
}

static void prefix_counts_characters(void **state)
{
	char out[16];
	text_prefix("josé", 4, out, sizeof(out));
	assert_string_equal(out, "josé");
	text_prefix("éàü", 2, out, sizeof(out));
	assert_string_equal(out, "éà");
	text_prefix("ab", 3, out, sizeof(out));
	assert_string_equal(out, "ab");
	assert_int_equal(text_chars("éàü"), 3);
}

static void fts_query_quotes_every_word(void **state)
{
	char out[64];
	assert_true(text_fts_query("  green\ttab\"asco ", out, sizeof(out)));
	assert_string_equal(out, "\"green\"* \"tab\"\"asco\"*");
	/* words are left to the index's tokenizer: punctuation and case stay */
	assert_true(text_fts_query("O'Brien bob.smith Weißbier", out, sizeof(out)));
	assert_string_equal(out, "\"O'Brien\"* \"bob.smith\"* \"Weißbier\"*");
	/* too small a buffer is refused, not truncated */
	assert_false(text_fts_query("green", out, 9));
	assert_true(text_fts_query("green", out, 10));
	assert_false(text_fts_query(" \t ", out, sizeof(out)));
	assert_false(text_fts_query("", out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_strips_case_and_accents),
		cmocka_unit_test(guest_terms_cover_every_way_in),
		cmocka_unit_test(guest_terms_skip_short_phones_and_duplicates),
		cmocka_unit_test(words_after_non_ascii_words_are_whole),
		cmocka_unit_test(long_card_keys_end_on_a_character),
		cmocka_unit_test(query_words_by_kind),
		cmocka_unit_test(prefix_counts_characters),
		cmocka_unit_test(fts_query_quotes_every_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
