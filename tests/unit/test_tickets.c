/* Order tickets: the status machine, the clocks, the check of items and the
 * card's summary. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/tickets.c"

#define T0 1796342400 /* 2026-12-04T00:00:00Z */

static void orders_move_forward_or_are_cancelled(void **state)
{
	assert_true(ticket_transition_ok("placed", "accepted"));
	assert_true(ticket_transition_ok("accepted", "ready"));
	assert_true(ticket_transition_ok("ready", "served"));
	assert_true(ticket_transition_ok("placed", "cancelled"));
	assert_true(ticket_transition_ok("accepted", "cancelled"));
	assert_true(ticket_transition_ok("ready", "cancelled"));
}

static void no_skipping_no_going_back_no_leaving_the_end(void **state)
{
	assert_false(ticket_transition_ok("placed", "ready"));
	assert_false(ticket_transition_ok("placed", "served"));
	assert_false(ticket_transition_ok("accepted", "served"));
	assert_false(ticket_transition_ok("ready", "accepted"));
	assert_false(ticket_transition_ok("served", "cancelled"));
	assert_false(ticket_transition_ok("cancelled", "placed"));
	assert_false(ticket_transition_ok("cancelled", "cancelled"));
	for (int i = 0; ticket_statuses[i]; i++)
		assert_false(ticket_transition_ok(ticket_statuses[i], ticket_statuses[i]));
	assert_false(ticket_transition_ok("placed", "lost"));
}

static void each_status_runs_its_own_clock(void **state)
{
	struct ticket_times t = {.placed_at = T0, .accept_by = T0 + 300, .promised_at = T0 + 900,
				 .serve_by = -1};
	assert_int_equal(ticket_due("placed", &t), T0 + 300);
	assert_string_equal(ticket_clock_name("placed", &t), "accept");
	assert_int_equal(ticket_due("accepted", &t), T0 + 900);
	assert_string_equal(ticket_clock_name("accepted", &t), "ready");
	t.serve_by = T0 + 1000;
	assert_int_equal(ticket_due("ready", &t), T0 + 1000);
	assert_string_equal(ticket_clock_name("ready", &t), "serve");
	assert_int_equal(ticket_due("served", &t), -1);
	assert_int_equal(ticket_due("cancelled", &t), -1);
	assert_null(ticket_clock_name("served", &t));
}

static void a_promise_sooner_than_the_accept_clock_runs_first(void **state)
{
	struct ticket_times t = {.placed_at = T0, .accept_by = T0 + 300, .promised_at = T0 + 180,
				 .serve_by = -1};
	assert_int_equal(ticket_due("placed", &t), T0 + 180);
	assert_string_equal(ticket_clock_name("placed", &t), "ready");
}

static void a_case_comes_due_after_the_clock_plus_the_grace(void **state)
{
	struct ticket_times t = {.placed_at = T0, .accept_by = T0 + 300, .promised_at = T0 + 900,
				 .serve_by = -1};
	struct ticket_clocks c = {.accept = 5, .promised = 15, .serve = 5, .case_after = 10};
	assert_int_equal(ticket_case_at("placed", &t, &c), T0 + 300 + 600);
	assert_int_equal(ticket_case_at("accepted", &t, &c), T0 + 900 + 600);
	assert_int_equal(ticket_case_at("served", &t, &c), -1);
	assert_string_equal(ticket_case_category("placed"), "order_missing");
	assert_string_equal(ticket_case_category("accepted"), "order_late");
	assert_string_equal(ticket_case_category("ready"), "order_late");
}

static bool items_ok(const char *text, struct spec_error *err)
{
	json_t *v = json_loads(text, 0, NULL);
	assert_non_null(v);
	bool ok = ticket_items_check(v, err);
	json_decref(v);
	return ok;
}

static void good_items_pass(void **state)
{
	struct spec_error err;
	assert_true(items_ok("[{\"name\":\"Caesar salad\",\"quantity\":2,\"modifiers\":[\"no croutons\"],"
			     "\"note\":\"\"},{\"name\":\"Tea\",\"note\":null,\"modifiers\":[]}]", &err));
}

static void bad_items_name_their_path(void **state)
{
	static const struct {
		const char *items, *field;
		enum err code;
	} cases[] = {
		{"{}", "items", E_FIELD_INVALID},
		{"[]", "items", E_FIELD_INVALID},
		{"[1]", "items[0]", E_FIELD_INVALID},
		{"[{\"quantity\":1}]", "items[0].name", E_FIELD_MISSING},
		{"[{\"name\":\"\"}]", "items[0].name", E_FIELD_INVALID},
		{"[{\"name\":\"a\\nb\"}]", "items[0].name", E_FIELD_INVALID},
		{"[{\"name\":\"a\"},{\"name\":\"b\",\"quantity\":1.5}]", "items[1].quantity", E_FIELD_INVALID},
		{"[{\"name\":\"a\",\"quantity\":-1}]", "items[0].quantity", E_FIELD_INVALID},
		{"[{\"name\":\"a\",\"modifiers\":[\"x\",\" \"]}]", "items[0].modifiers[1]", E_FIELD_INVALID},
		{"[{\"name\":\"a\",\"modifiers\":{}}]", "items[0].modifiers", E_FIELD_INVALID},
		{"[{\"name\":\"a\",\"note\":7}]", "items[0].note", E_FIELD_INVALID},
		{"[{\"name\":\"a\",\"colour\":\"red\"}]", "items[0].colour", E_FIELD_UNKNOWN},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct spec_error err;
		assert_false(items_ok(cases[i].items, &err));
		assert_string_equal(err.field, cases[i].field);
		assert_int_equal(err.code, cases[i].code);
		/* the message starts with the path, so it reads on its own */
		assert_memory_equal(err.message, cases[i].field, strlen(cases[i].field));
	}
	struct spec_error err;
	assert_false(ticket_items_check(NULL, &err));
	assert_int_equal(err.code, E_FIELD_MISSING);
}

static void too_many_items_or_modifiers(void **state)
{
	json_t *items = json_array();
	for (int i = 0; i <= TICKET_MAX_ITEMS; i++)
		json_array_append_new(items, json_pack("{s:s}", "name", "Tea"));
	struct spec_error err;
	assert_false(ticket_items_check(items, &err));
	assert_string_equal(err.field, "items");
	json_array_remove(items, 0);
	assert_true(ticket_items_check(items, &err));
	json_t *mods = json_array();
	for (int i = 0; i <= TICKET_MAX_MODIFIERS; i++)
		json_array_append_new(mods, json_string("oat"));
	json_object_set_new(json_array_get(items, 3), "modifiers", mods);
	assert_false(ticket_items_check(items, &err));
	assert_string_equal(err.field, "items[3].modifiers");
	json_decref(items);
}

static void the_summary_lists_quantities_and_names(void **state)
{
	struct ticket_line lines[] = {{"Caesar salad", 1}, {"Flat white", 2}};
	char out[64];
	ticket_summary(lines, 2, out, sizeof(out));
	assert_string_equal(out, "1× Caesar salad, 2× Flat white");
	ticket_summary(lines, 0, out, sizeof(out));
	assert_string_equal(out, "");
}

static void a_long_summary_is_cut_at_a_character_with_a_mark(void **state)
{
	struct ticket_line lines[] = {{"Crème brûlée", 1}, {"Café crème", 3}, {"Thé glacé", 2}};
	for (size_t len = 4; len < 60; len++) {
		char out[64];
		memset(out, 'x', sizeof(out));
		ticket_summary(lines, 3, out, len);
		size_t n = strlen(out);
		assert_true(n < len);
		/* valid UTF-8 all the way: no cut inside a character */
		for (size_t i = 0; i < n;) {
			unsigned char c = (unsigned char)out[i];
			size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
			assert_true(i + k <= n);
			for (size_t j = 1; j < k; j++)
				assert_int_equal((unsigned char)out[i + j] & 0xC0, 0x80);
			i += k;
		}
		char full[128];
		ticket_summary(lines, 3, full, sizeof(full));
		if (strlen(full) >= len)
			assert_string_equal(out + n - strlen("…"), "…");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(orders_move_forward_or_are_cancelled),
		cmocka_unit_test(no_skipping_no_going_back_no_leaving_the_end),
		cmocka_unit_test(each_status_runs_its_own_clock),
		cmocka_unit_test(a_promise_sooner_than_the_accept_clock_runs_first),
		cmocka_unit_test(a_case_comes_due_after_the_clock_plus_the_grace),
		cmocka_unit_test(good_items_pass),
		cmocka_unit_test(bad_items_name_their_path),
		cmocka_unit_test(too_many_items_or_modifiers),
		cmocka_unit_test(the_summary_lists_quantities_and_names),
		cmocka_unit_test(a_long_summary_is_cut_at_a_character_with_a_mark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
