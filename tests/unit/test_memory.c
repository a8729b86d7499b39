/* Guest memory rules: the recent window for conversation starters and the
 * order of suggestions. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/memory.c"

#define DAY SECONDS_PER_DAY
static const int64_t NOW = 1795000000 - 1795000000 % DAY + 15 * 3600; /* 15:00 UTC */

static void no_visits_means_thirty_days(void **state)
{
	assert_int_equal(memory_recent_cutoff(NULL, 0, NOW), NOW - 30 * DAY);
}

static void recent_visits_keep_the_thirty_days(void **state)
{
	int64_t v[] = {NOW - 1 * DAY, NOW - 2 * DAY, NOW - 3 * DAY, NOW - 90 * DAY};
	assert_int_equal(memory_recent_cutoff(v, 4, NOW), NOW - 30 * DAY);
}

static void the_third_visit_day_reaches_further_back(void **state)
{
	int64_t v[] = {NOW - 45 * DAY, NOW - 50 * DAY, NOW - 60 * DAY, NOW - 90 * DAY};
	/* the start of the UTC day of the visit 60 days ago */
	assert_int_equal(memory_recent_cutoff(v, 4, NOW), NOW - 60 * DAY - 15 * 3600);
}

static void visits_on_one_day_count_once(void **state)
{
	int64_t v[] = {NOW - 45 * DAY, NOW - 45 * DAY - 60, NOW - 50 * DAY, NOW - 80 * DAY,
		       NOW - 90 * DAY};
	assert_int_equal(memory_recent_cutoff(v, 5, NOW), NOW - 80 * DAY - 15 * 3600);
}

static void fewer_than_three_visits_cover_them_all(void **state)
{
	int64_t v[] = {NOW - 200 * DAY};
	assert_int_equal(memory_recent_cutoff(v, 1, NOW), NOW - 200 * DAY - 15 * 3600);
}

static void recent_first_then_never_used_then_oldest(void **state)
{
	int64_t cutoff = NOW - 30 * DAY;
	struct talk t[] = {
		{1, true, NOW - 2 * DAY, 1, 0},   /* recent */
		{2, true, NOW - 40 * DAY, 2, 0},  /* used long ago */
		{3, true, -1, -1, 0},		    /* never */
		{4, false, -1, -1, 0},		    /* retired, never */
		{5, true, NOW - 1 * DAY, 5, 0},   /* recent, newer */
		{6, true, -1, -1, 0},		    /* never */
		{7, true, NOW - 100 * DAY, 7, 0}, /* used longest ago */
		{8, false, NOW - 3 * DAY, 8, 0},  /* retired but used recently: still history */
	};
	size_t nr, ns;
	memory_talks_order(t, 8, cutoff, &nr, &ns);
	assert_int_equal(nr, 3);
	assert_int_equal(t[0].id, 5);
	assert_int_equal(t[1].id, 1);
	assert_int_equal(t[2].id, 8);
	assert_int_equal(ns, TALK_MAX_SUGGESTED);
	assert_int_equal(t[3].id, 3);
	assert_int_equal(t[4].id, 6);
	assert_int_equal(t[5].id, 7);
	assert_int_equal(t[6].id, 2);
	assert_int_equal(t[7].id, 4);
}

static void all_used_recently_suggests_nothing(void **state)
{
	struct talk t[] = {{1, true, NOW - DAY, 1, 0}, {2, true, NOW, 2, 0}};
	size_t nr, ns;
	memory_talks_order(t, 2, NOW - 30 * DAY, &nr, &ns);
	assert_int_equal(nr, 2);
	assert_int_equal(ns, 0);
	assert_int_equal(t[0].id, 2);
}

static void a_use_at_the_cutoff_is_recent(void **state)
{
	struct talk t[] = {{1, true, NOW - 30 * DAY, 1, 0}, {2, true, NOW - 30 * DAY - 1, 2, 0}};
	size_t nr, ns;
	memory_talks_order(t, 2, NOW - 30 * DAY, &nr, &ns);
	assert_int_equal(nr, 1);
	assert_int_equal(ns, 1);
	assert_int_equal(t[0].id, 1);
	assert_int_equal(t[1].id, 2);
}

static void uses_in_the_same_second_keep_their_order(void **state)
{
	struct talk t[] = {{1, true, NOW, 10, 0}, {2, true, NOW, 11, 1}};
	size_t nr, ns;
	memory_talks_order(t, 2, NOW - 30 * DAY, &nr, &ns);
	assert_int_equal(nr, 2);
	assert_int_equal(t[0].id, 2);
	assert_int_equal(t[1].ref, 0);
}

static void no_starters(void **state)
{
	size_t nr = 9, ns = 9;
	memory_talks_order(NULL, 0, NOW, &nr, &ns);
	assert_int_equal(nr, 0);
	assert_int_equal(ns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_visits_means_thirty_days),
		cmocka_unit_test(recent_visits_keep_the_thirty_days),
		cmocka_unit_test(the_third_visit_day_reaches_further_back),
		cmocka_unit_test(visits_on_one_day_count_once),
		cmocka_unit_test(fewer_than_three_visits_cover_them_all),
		cmocka_unit_test(recent_first_then_never_used_then_oldest),
		cmocka_unit_test(all_used_recently_suggests_nothing),
		cmocka_unit_test(a_use_at_the_cutoff_is_recent),
		cmocka_unit_test(uses_in_the_same_second_keep_their_order),
		cmocka_unit_test(no_starters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
