/* The route table: matching, ids, Allow lists, and the table's own sanity. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/net/routes.c"

static void matches_with_ids(void **state)
{
	struct req r = {0};
	bool known;
	const struct route *rt = routes_match(M_GET, "/api/v1/guests/42/card", &r, &known);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, guests_card_h);
	assert_int_equal(r.nids, 1);
	assert_int_equal(r.ids[0], 42);
	assert_non_null(routes_match(M_HEAD, "/healthz", &r, &known));
	/* named segments fill ids in path order */
	rt = routes_match(M_POST, "/api/v1/guests/7/talking-points/3/uses", &r, &known);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, talk_use_h);
	assert_int_equal(r.nids, 2);
	assert_int_equal(r.ids[0], 7);
	assert_int_equal(r.ids[1], 3);
	assert_null(routes_match(M_PATCH, "/api/v1/guests/7/notes/x", &r, &known));
}

static void rejects_bad_ids_and_shapes(void **state)
{
	struct req r = {0};
	bool known;
	assert_null(routes_match(M_GET, "/api/v1/guests/0", &r, &known));
	assert_null(routes_match(M_GET, "/api/v1/guests/012", &r, &known));
	assert_null(routes_match(M_GET, "/api/v1/guests/-1", &r, &known));
	assert_null(routes_match(M_GET, "/api/v1/guests/99999999999999999999", &r, &known));
	assert_null(routes_match(M_GET, "/api/v1/guests/abc", &r, &known));
	assert_null(routes_match(M_GET, "/api/v1/guests/", &r, &known));
	assert_false(known);
	assert_null(routes_match(M_DELETE, "/api/v1/guests/7", &r, &known));
	assert_true(known);
}

static void allow_lists_methods(void **state)
{
	char allow[128];
	routes_allow("/api/v1/guests/3", allow, sizeof(allow));
	assert_string_equal(allow, "GET, HEAD, PATCH, OPTIONS");
}

static void every_body_route_declares_its_body(void **state)
{
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (rt->flags & F_JSON)
			assert_non_null(rt->spec);
		if (rt->method == M_POST || rt->method == M_PATCH || rt->method == M_DELETE)
			assert_true(rt->flags & F_WRITE);
		assert_true(rt->pattern[0] == '/');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_with_ids),
		cmocka_unit_test(rejects_bad_ids_and_shapes),
		cmocka_unit_test(allow_lists_methods),
		cmocka_unit_test(every_body_route_declares_its_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
