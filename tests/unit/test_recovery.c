/* Service recovery rules: the lifecycle, the staff prompt on the card and
 * the medians in the insights. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/recovery.c"

/* 2026-11-03T12:00:00Z */
#define NOV_3 1793707200

static void the_lifecycle_moves_forward_and_reopens(void **state)
{
	assert_true(recovery_transition_ok("open", "in_progress"));
	assert_true(recovery_transition_ok("open", "resolved"));
	assert_true(recovery_transition_ok("in_progress", "resolved"));
	assert_true(recovery_transition_ok("resolved", "closed"));
	assert_true(recovery_transition_ok("resolved", "open"));
	assert_true(recovery_transition_ok("closed", "open"));
}

static void no_skipping_back_or_standing_still(void **state)
{
	assert_false(recovery_transition_ok("open", "closed"));
	assert_false(recovery_transition_ok("in_progress", "open"));
	assert_false(recovery_transition_ok("in_progress", "closed"));
	assert_false(recovery_transition_ok("resolved", "in_progress"));
	assert_false(recovery_transition_ok("closed", "resolved"));
	assert_false(recovery_transition_ok("closed", "in_progress"));
	for (int i = 0; recovery_statuses[i]; i++)
		assert_false(recovery_transition_ok(recovery_statuses[i], recovery_statuses[i]));
	assert_false(recovery_transition_ok("open", "lost"));
}

static void prompt(const struct recovery_prompt *p, char *out, size_t len)
{
	recovery_prompt_write(p, out, len);
}

static void a_recovered_case_asks_for_a_warm_welcome(void **state)
{
	char out[256];
	struct recovery_prompt p = {.category = "order_missing", .status = "resolved",
				    .outcome = "recovered", .opened_at = NOV_3, .comp_cents = 450};
	prompt(&p, out, sizeof(out));
	assert_string_equal(out, "Forgotten order on 3 Nov — comp given; welcome them back warmly");
}

static void an_untouched_case_says_nobody_has_put_it_right(void **state)
{
	char out[256];
	struct recovery_prompt p = {.category = "order_late", .status = "open", .owner = "Sam",
				    .opened_at = NOV_3};
	prompt(&p, out, sizeof(out));
	assert_string_equal(out, "Late order on 3 Nov — not put right yet; apologise and tell Sam");
	p.owner = NULL;
	prompt(&p, out, sizeof(out));
	assert_string_equal(out,
			    "Late order on 3 Nov — not put right yet; apologise and tell a manager");
}

static void a_case_in_hand_lists_what_was_done(void **state)
{
	char out[256];
	struct recovery_prompt p = {.category = "quality", .status = "in_progress", .owner = "Sam",
				    .opened_at = NOV_3, .apology = true, .refund_cents = 300,
				    .called = true};
	prompt(&p, out, sizeof(out));
	assert_string_equal(out, "Quality problem on 3 Nov — apologised, refund given, called; Sam is "
				 "on it — make this visit a good one");
}

static void an_unrecovered_guest_gets_extra_care(void **state)
{
	char out[256];
	struct recovery_prompt p = {.category = "billing", .status = "closed",
				    .outcome = "not_recovered", .opened_at = NOV_3};
	prompt(&p, out, sizeof(out));
	assert_string_equal(out, "Billing problem on 3 Nov — resolved; they may still be unhappy — "
				 "take extra care and let a manager know they are in");
	p.outcome = "unknown";
	prompt(&p, out, sizeof(out));
	assert_string_equal(out, "Billing problem on 3 Nov — resolved; ask how things have been since");
}

static void a_short_buffer_truncates_safely(void **state)
{
	char out[12];
	struct recovery_prompt p = {.category = "cleanliness", .status = "open", .opened_at = NOV_3};
	prompt(&p, out, sizeof(out));
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_memory_equal(out, "Cleanliness", 11);
}

static void unknown_categories_read_as_a_problem(void **state)
{
	assert_string_equal(recovery_category_label("other"), "Problem");
	assert_string_equal(recovery_category_label("nonsense"), "Problem");
	assert_string_equal(recovery_category_label("staff"), "Problem with staff");
}

static void medians(void **state)
{
	int64_t none[1];
	assert_int_equal(recovery_median(none, 0), -1);
	int64_t one[] = {42};
	assert_int_equal(recovery_median(one, 1), 42);
	int64_t odd[] = {900, 60, 300};
	assert_int_equal(recovery_median(odd, 3), 300);
	int64_t even[] = {400, 100, 301, 200};
	assert_int_equal(recovery_median(even, 4), 250); /* (200 + 301) / 2 rounded down */
	int64_t big[] = {INT64_MAX, INT64_MAX - 2};
	assert_int_equal(recovery_median(big, 2), INT64_MAX - 1);
}

static void vocabularies(void **state)
{
	assert_int_equal(recovery_index(recovery_severities, "high"), 2);
	assert_int_equal(recovery_index(recovery_severities, "urgent"), -1);
	assert_int_equal(recovery_index(recovery_severities, NULL), -1);
	assert_true(recovery_active("open"));
	assert_true(recovery_active("in_progress"));
	assert_false(recovery_active("resolved"));
	assert_false(recovery_active("closed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_lifecycle_moves_forward_and_reopens),
		cmocka_unit_test(no_skipping_back_or_standing_still),
		cmocka_unit_test(a_recovered_case_asks_for_a_warm_welcome),
		cmocka_unit_test(an_untouched_case_says_nobody_has_put_it_right),
		cmocka_unit_test(a_case_in_hand_lists_what_was_done),
		cmocka_unit_test(an_unrecovered_guest_gets_extra_care),
		cmocka_unit_test(a_short_buffer_truncates_safely),
		cmocka_unit_test(unknown_categories_read_as_a_problem),
		cmocka_unit_test(medians),
		cmocka_unit_test(vocabularies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
