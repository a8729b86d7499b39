/* Feedback rules: NPS categories and score, detractors and their cases,
 * and staff named in comments. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/survey.c"

static void categories_follow_the_nps_bands(void **state)
{
	assert_string_equal(survey_category(0), "detractor");
	assert_string_equal(survey_category(6), "detractor");
	assert_string_equal(survey_category(7), "passive");
	assert_string_equal(survey_category(8), "passive");
	assert_string_equal(survey_category(9), "promoter");
	assert_string_equal(survey_category(10), "promoter");
	assert_null(survey_category(-1));
	assert_null(survey_category(11));
}

static void nps_is_promoters_minus_detractors(void **state)
{
	int v;
	assert_false(survey_nps(0, 0, 0, &v));
	assert_true(survey_nps(2, 1, 1, &v));
	assert_int_equal(v, 25);
	assert_true(survey_nps(0, 0, 3, &v));
	assert_int_equal(v, -100);
	assert_true(survey_nps(1, 1, 1, &v));
	assert_int_equal(v, 0);
	assert_true(survey_nps(2, 0, 1, &v)); /* 33.3 */
	assert_int_equal(v, 33);
	assert_true(survey_nps(1, 0, 2, &v)); /* -33.3 */
	assert_int_equal(v, -33);
}

static void detractors(void **state)
{
	struct survey_response r = {.nps = 6};
	assert_true(survey_is_detractor(&r));
	r.nps = 7;
	assert_false(survey_is_detractor(&r));
	r.min_rating = 2;
	assert_true(survey_is_detractor(&r));
	r.min_rating = 3;
	assert_false(survey_is_detractor(&r));
	r = (struct survey_response){.nps = -1, .has_sentiment = true, .sentiment = -0.5};
	assert_true(survey_is_detractor(&r));
	r.sentiment = -0.49;
	assert_false(survey_is_detractor(&r));
	r = (struct survey_response){.nps = -1};
	assert_false(survey_is_detractor(&r));
}

static void severity(void **state)
{
	struct survey_response r = {.nps = 3};
	assert_string_equal(survey_case_severity(&r), "high");
	r.nps = 4;
	assert_string_equal(survey_case_severity(&r), "medium");
	r = (struct survey_response){.nps = -1, .has_sentiment = true, .sentiment = -0.7};
	assert_string_equal(survey_case_severity(&r), "high");
}

static void the_case_takes_the_most_negative_theme(void **state)
{
	const char *themes[] = {"food", "wait", "staff"};
	double scores[] = {0.4, -0.6, -0.3};
	assert_string_equal(survey_case_category(themes, scores, 3), "order_late");
	scores[2] = -0.9;
	assert_string_equal(survey_case_category(themes, scores, 3), "staff");
	double happy[] = {0.4, 0.1, 0};
	assert_string_equal(survey_case_category(themes, happy, 3), "other");
	assert_string_equal(survey_case_category(NULL, NULL, 0), "other");
	const char *t2[] = {"cleanliness", "payment", "ambience"};
	double s2[] = {-0.2, -0.1, -0.1};
	assert_string_equal(survey_case_category(t2, s2, 3), "cleanliness");
	s2[0] = 0;
	assert_string_equal(survey_case_category(t2, s2, 3), "billing");
}

static void staff_are_named_by_whole_words(void **state)
{
	assert_true(survey_mentions("maria was wonderful", "maria lopez"));
	assert_true(survey_mentions("thanks to maria lopez!", "maria lopez"));
	assert_true(survey_mentions("ask for sam.", "sam"));
	assert_false(survey_mentions("samosas were great", "sam"));
	assert_false(survey_mentions("marian was nice", "maria lopez"));
	assert_false(survey_mentions("a j was nice", "a jones")); /* one letter is too little */
	assert_false(survey_mentions("", "maria"));
	assert_true(survey_mentions("jo, you star", "jo"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(categories_follow_the_nps_bands),
		cmocka_unit_test(nps_is_promoters_minus_detractors),
		cmocka_unit_test(detractors),
		cmocka_unit_test(severity),
		cmocka_unit_test(the_case_takes_the_most_negative_theme),
		cmocka_unit_test(staff_are_named_by_whole_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
