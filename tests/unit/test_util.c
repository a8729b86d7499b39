/* Buffers with a ceiling, integer parsing, and UTC time. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/util/buf.c"
#include "../../src/util/clock.c"
#include "../../src/util/jw.c"

static void buf_refuses_past_its_ceiling(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_true(buf_puts(&b, "12345678"));
	assert_false(buf_puts(&b, "9"));
	assert_true(b.overflow);
	assert_false(buf_puts(&b, "")); /* stays refused */
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_int_equal(len, 8);
	assert_string_equal(p, "12345678");
	free(p);
	buf_release(&b);
}

static void buf_escapes_json(void **state)
{
	struct buf b;
	buf_init(&b, 1024);
	assert_true(buf_json_str(&b, "a\"b\\c\n\x01é"));
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001é\"");
	buf_release(&b);
}

static void parse_i64_is_strict(void **state)
{
	int64_t v;
	assert_true(parse_i64("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(parse_i64("-9223372036854775808", INT64_MIN, 0, &v));
	assert_true(v == INT64_MIN);
	assert_false(parse_i64("9223372036854775808", 0, INT64_MAX, &v));
	assert_false(parse_i64("", 0, 1, &v));
	assert_false(parse_i64("-", -1, 1, &v));
	assert_false(parse_i64("1x", 0, 100, &v));
	assert_false(parse_i64(" 1", 0, 100, &v));
	assert_false(parse_i64("101", 0, 100, &v));
	assert_false(parse_i64(NULL, 0, 100, &v));
}

static void time_round_trips(void **state)
{
	char s[CLOCK_RFC3339_LEN];
	clock_format(0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	clock_format(1795000000, s);
	int64_t t;
	assert_true(clock_parse(s, &t));
	assert_int_equal(t, 1795000000);
	assert_true(clock_parse("2024-02-29T23:59:59.123+01:30", &t));
	clock_format(t, s);
	assert_string_equal(s, "2024-02-29T22:29:59Z");
	int y, m, d;
	clock_civil(t, &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void time_rejects_malformed(void **state)
{
	int64_t t;
	assert_false(clock_parse("2023-02-29T00:00:00Z", &t));
	assert_false(clock_parse("2026-13-01T00:00:00Z", &t));
	assert_false(clock_parse("2026-11-22T24:00:00Z", &t));
	assert_false(clock_parse("2026-11-22T10:00:00", &t));
	assert_false(clock_parse("2026-11-22T10:00:00Zjunk", &t));
	assert_false(clock_parse("2026-11-22T10:00:00.Z", &t));
	assert_false(clock_parse("yesterday", &t));
}

/* A writer on a buffer smaller than its usual first reservation still
 * writes what fits, and reports only what does not. */
static void jw_on_a_small_buffer(void **state)
{
	struct buf b;
	struct jw w;
	buf_init(&b, 64);
	jw_init(&w, &b);
	jw_obj(&w);
	JW_KEY(&w, "id");
	jw_int(&w, 7);
	jw_obj_end(&w);
	assert_false(b.overflow);
	assert_string_equal(b.data, "{\"id\":7}");
	for (int i = 0; i < 20; i++)
		jw_str(&w, "more than sixty-four bytes in all");
	assert_true(b.overflow);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_refuses_past_its_ceiling),
		cmocka_unit_test(jw_on_a_small_buffer),
		cmocka_unit_test(buf_escapes_json),
		cmocka_unit_test(parse_i64_is_strict),
		cmocka_unit_test(time_round_trips),
		cmocka_unit_test(time_rejects_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
