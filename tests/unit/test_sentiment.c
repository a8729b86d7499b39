/* Comment analysis: tricky constructions one by one, and accuracy on the
 * labelled development set (tests/data/comments-dev.tsv), with a floor that
 * guards against regressions. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/sentiment.c"

/* The development set's accuracy must not fall below this. */
#define ACCURACY_FLOOR 0.85

static struct sentiment *an;

static int setup(void **state)
{
	an = sentiment_new(sent_default_themes, sent_default_nthemes);
	return an ? 0 : -1;
}

static int teardown(void **state)
{
	sentiment_free(an);
	return 0;
}

static struct sent_result analyze(const char *s)
{
	struct sent_result r;
	sentiment_analyze(an, s, strlen(s), &r);
	return r;
}

static const char *label(const char *s)
{
	return analyze(s).label;
}

/* The theme's score, or NAN when the theme is not found. */
static double theme(const char *s, const char *name)
{
	struct sent_result r = analyze(s);
	for (int i = 0; i < r.nthemes; i++)
		if (strcmp(sentiment_theme_name(an, r.themes[i].theme), name) == 0)
			return r.themes[i].score;
	return NAN;
}

static void plain_feelings(void **state)
{
	assert_string_equal(label("The food was delicious"), "positive");
	assert_string_equal(label("The food was awful"), "negative");
	assert_string_equal(label("A table by the window"), "negative"); /* see LEAN */
	assert_true(analyze("A table by the window").score > -0.2);
	assert_string_equal(label("Table 4"), "neutral");
	assert_string_equal(label(""), "neutral");
}

static void negation_turns_a_word_round(void **state)
{
	assert_string_equal(label("The coffee was not good"), "negative");
	assert_string_equal(label("Not bad at all"), "positive");
	assert_string_equal(label("The staff were never rude"), "positive");
	assert_string_equal(label("I wasn't impressed"), "negative");
	assert_string_equal(label("Would not recommend"), "negative");
	assert_string_equal(label("We won't be back"), "negative");
	assert_string_equal(label("We will definitely be back"), "positive");
	assert_string_equal(label("Never again."), "negative");
	/* a negation reaches only its own clause */
	assert_string_equal(label("No music, great coffee"), "positive");
	assert_true(analyze("not good").score > analyze("bad").score);
}

static void intensifiers_and_downtoners(void **state)
{
	assert_true(analyze("really good").score > analyze("good").score);
	assert_true(analyze("a bit slow").score > analyze("slow").score);
	assert_true(analyze("GREAT").score > analyze("great").score);
	assert_true(analyze("great!!!").score > analyze("great").score);
	assert_string_equal(label("a bit slow"), "negative");
}

static void contrast_weighs_what_comes_after_but(void **state)
{
	assert_string_equal(label("The food was good but the service was terrible"), "negative");
	assert_string_equal(label("The service was terrible but the food was good"), "positive");
	assert_string_equal(label("Although the wait was long, the food was excellent"), "positive");
	assert_string_equal(label("Lovely place. But the toilets were filthy."), "negative");
}

static void emoticons_and_emoji_count(void **state)
{
	assert_string_equal(label("coffee :)"), "positive");
	assert_string_equal(label("coffee :("), "negative");
	assert_string_equal(label("tea \xF0\x9F\x91\x8D"), "positive");
	assert_string_equal(label("lunch \xF0\x9F\x98\xA1"), "negative");
	assert_string_equal(label("we had <3 fun"), "positive");
}

static void long_waits_are_complaints(void **state)
{
	assert_string_equal(label("Waited 45 minutes for a sandwich"), "negative");
	assert_string_equal(label("took 40min to get a coffee"), "negative");
	assert_string_equal(label("over an hour for two pizzas"), "negative");
	assert_true(theme("Waited 45 minutes for a sandwich", "wait") < 0);
}

static void mixed_themes_each_with_its_feeling(void **state)
{
	const char *c = "The pizza was amazing, but the waiter was rude and the toilets were dirty.";
	assert_true(theme(c, "food") > 0);
	assert_true(theme(c, "staff") < 0);
	assert_true(theme(c, "cleanliness") < 0);
	assert_true(isnan(theme(c, "price")));
	const char *d = "Great value for money, though the music was far too loud";
	assert_true(theme(d, "price") > 0);
	assert_true(theme(d, "ambience") < 0);
	assert_true(theme("They charged my card twice", "payment") <= 0);
	assert_false(isnan(theme("They charged my card twice", "payment")));
	assert_true(theme("They forgot my order", "accuracy") < 0);
}

static void scores_stay_in_range_and_junk_is_harmless(void **state)
{
	const char *junk[] = {"!!!!!!", ":):):):)", "\xFF\xFE\xC3", "not not not not",
			      "VERY VERY VERY VERY VERY GOOD", "but but but", "45", "\xE2\x80"};
	for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
		struct sent_result r = analyze(junk[i]);
		assert_true(r.score >= -1 && r.score <= 1);
	}
	char big[20000];
	for (size_t i = 0; i + 6 < sizeof(big); i += 6)
		memcpy(big + i, "great ", 6);
	big[sizeof(big) - 1] = '\0';
	struct sent_result r = analyze(big);
	assert_true(r.score > 0.99 && r.score <= 1);
}

static void a_taxonomy_from_text(void **state)
{
	struct sent_taxonomy t;
	char err[160];
	assert_true(sent_taxonomy_parse("# ours\nservice: slow, rude staff\n\n  sweets:cake croissant\n",
					&t, err, sizeof(err)));
	assert_int_equal(t.n, 2);
	assert_string_equal(t.themes[0].name, "service");
	assert_string_equal(t.themes[0].words[2], "staff");
	assert_null(t.themes[0].words[3]);
	assert_string_equal(t.themes[1].name, "sweets");
	struct sentiment *s = sentiment_new(t.themes, t.n);
	assert_non_null(s);
	struct sent_result r;
	const char *c = "The croissants were lovely but service was slow";
	sentiment_analyze(s, c, strlen(c), &r);
	assert_int_equal(r.nthemes, 2);
	assert_string_equal(sentiment_theme_name(s, r.themes[0].theme), "service");
	assert_true(r.themes[0].score < 0);
	assert_true(r.themes[1].score > 0);
	sentiment_free(s);
	sent_taxonomy_free(&t);
	static const char *const bad[] = {"", "# nothing\n", "no colon here", "Bad Name: x",
					  ": word", "empty:\n", "a b: c"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_false(sent_taxonomy_parse(bad[i], &t, err, sizeof(err)));
		assert_true(err[0] != '\0');
	}
	assert_false(sent_taxonomy_parse("x: a\nBad: b\n", &t, err, sizeof(err)));
	assert_non_null(strstr(err, "line 2"));
}

static void the_development_set(void **state)
{
	FILE *f = fopen(MAITRED_TEST_DATA "/comments-dev.tsv", "r");
	assert_non_null(f);
	char line[4096];
	int rows = 0, right = 0, neutral = 0;
	int theme_tp = 0, theme_fp = 0, theme_fn = 0;
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		assert_non_null(tab2);
		*tab1 = *tab2 = '\0';
		const char *want = line, *themes = tab1 + 1, *text = tab2 + 1;
		struct sent_result r = analyze(text);
		rows++;
		right += strcmp(r.label, want) == 0;
		neutral += strcmp(r.label, "neutral") == 0;
		for (int t = 0; t < an->nthemes; t++) {
			const char *name = sentiment_theme_name(an, t);
			size_t n = strlen(name);
			bool expected = false;
			for (const char *p = themes; (p = strstr(p, name)); p += n)
				expected |= (p == themes || p[-1] == ',') && (p[n] == ',' || p[n] == '\0');
			bool found = false;
			for (int i = 0; i < r.nthemes; i++)
				found |= r.themes[i].theme == t;
			theme_tp += expected && found;
			theme_fp += !expected && found;
			theme_fn += expected && !found;
		}
	}
	fclose(f);
	double accuracy = (double)right / rows;
	print_message("development set: %d comments, accuracy %.3f (%d neutral); themes precision "
		      "%.3f recall %.3f\n",
		      rows, accuracy, neutral, (double)theme_tp / (theme_tp + theme_fp),
		      (double)theme_tp / (theme_tp + theme_fn));
	assert_true(rows >= 300);
	assert_true(accuracy >= ACCURACY_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_feelings),
		cmocka_unit_test(negation_turns_a_word_round),
		cmocka_unit_test(intensifiers_and_downtoners),
		cmocka_unit_test(contrast_weighs_what_comes_after_but),
		cmocka_unit_test(emoticons_and_emoji_count),
		cmocka_unit_test(long_waits_are_complaints),
		cmocka_unit_test(mixed_themes_each_with_its_feeling),
		cmocka_unit_test(scores_stay_in_range_and_junk_is_harmless),
		cmocka_unit_test(a_taxonomy_from_text),
		cmocka_unit_test(the_development_set),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
