/* Recognition rules: regulars, usual interval, greeting, rank. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/recognize.c"

#define DAY SECONDS_PER_DAY
static const int64_t NOW = 1795000000; /* a fixed instant */

static void new_guest(void **state)
{
	struct recognition r;
	recognize(NULL, 0, 0, NOW, "Dalya Moss", &r);
	assert_int_equal(r.visits, 0);
	assert_int_equal(r.last_visit_at, -1);
	assert_int_equal(r.days_since_last, -1);
	assert_int_equal(r.usual_interval_days, -1);
	assert_false(r.regular);
	assert_string_equal(r.greeting, "Welcome, Dalya \u2014 first visit");
}

static void three_recent_visits_make_a_regular(void **state)
{
	int64_t t[] = {NOW - 1 * DAY, NOW - 8 * DAY, NOW - 15 * DAY};
	struct recognition r;
	recognize(t, 3, 3, NOW, "Dalya Moss", &r);
	assert_true(r.regular);
	assert_int_equal(r.days_since_last, 1);
	assert_int_equal(r.usual_interval_days, 7);
	assert_int_equal(r.recent_visits, 3);
	assert_string_equal(r.greeting, "Welcome back, Dalya \u2014 4th visit in 30 days");
}

static void visits_on_one_day_count_once_for_regular(void **state)
{
	int64_t t[] = {NOW - DAY, NOW - DAY - 60, NOW - DAY - 120};
	struct recognition r;
	recognize(t, 3, 3, NOW, "Sam", &r);
	assert_false(r.regular);
	assert_int_equal(r.usual_interval_days, -1);
}

static void old_visits_are_not_regular(void **state)
{
	int64_t t[] = {NOW - 100 * DAY, NOW - 120 * DAY, NOW - 140 * DAY, NOW - 160 * DAY};
	struct recognition r;
	recognize(t, 4, 4, NOW, "Olga Petrov", &r);
	assert_false(r.regular);
	assert_int_equal(r.usual_interval_days, 20);
	assert_string_equal(r.greeting, "Good to see you again, Olga \u2014 it's been 3 months");
}

static void median_interval_ignores_an_outlier(void **state)
{
	int64_t t[] = {NOW - 2 * DAY, NOW - 9 * DAY, NOW - 16 * DAY, NOW - 80 * DAY};
	struct recognition r;
	recognize(t, 4, 4, NOW, "Kenji", &r);
	assert_int_equal(r.usual_interval_days, 7);
}

static void one_visit_yesterday(void **state)
{
	int64_t t[] = {NOW - DAY};
	struct recognition r;
	recognize(t, 1, 1, NOW, "  Zoë  Kim", &r);
	assert_string_equal(r.greeting, "Welcome back, Zoë \u2014 last here yesterday");
}

static void ordinals(void **state)
{
	assert_string_equal(ordinal_suffix(1), "st");
	assert_string_equal(ordinal_suffix(2), "nd");
	assert_string_equal(ordinal_suffix(3), "rd");
	assert_string_equal(ordinal_suffix(11), "th");
	assert_string_equal(ordinal_suffix(12), "th");
	assert_string_equal(ordinal_suffix(22), "nd");
	assert_string_equal(ordinal_suffix(113), "th");
}

static void rank_prefers_recent_and_frequent(void **state)
{
	int64_t fresh = recognize_rank(1, NOW, NOW - 300 * DAY);
	int64_t stale = recognize_rank(1, NOW - 30 * DAY, NOW - 300 * DAY);
	int64_t frequent = recognize_rank(20, NOW - 30 * DAY, NOW - 300 * DAY);
	int64_t never = recognize_rank(0, -1, NOW);
	assert_true(fresh > stale);
	assert_true(frequent > fresh);
	assert_true(fresh > never);
	assert_int_equal(recognize_rank(1000, NOW, 0), recognize_rank(RANK_MAX_VISITS, NOW, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_guest),
		cmocka_unit_test(three_recent_visits_make_a_regular),
		cmocka_unit_test(visits_on_one_day_count_once_for_regular),
		cmocka_unit_test(old_visits_are_not_regular),
		cmocka_unit_test(median_interval_ignores_an_outlier),
		cmocka_unit_test(one_visit_yesterday),
		cmocka_unit_test(ordinals),
		cmocka_unit_test(rank_prefers_recent_and_frequent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
