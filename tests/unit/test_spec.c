/* Body validation against a declaration. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/domain/spec.c"

static const char *const colours[] = {"red", "green", NULL};
static const struct spec_field fields[] = {
	{"name", SPEC_STRING, true, false, 1, 10, NULL},
	{"email", SPEC_EMAIL, false, true, 3, 254, NULL},
	{"count", SPEC_INT, false, false, 1, 5, NULL},
	{"colour", SPEC_ENUM, false, false, 0, 0, colours},
	{"at", SPEC_TIME, false, false, 0, 0, NULL},
	{"ids", SPEC_ID_ARRAY, false, false, 0, 2, NULL},
	{"on", SPEC_BOOL, false, false, 0, 0, NULL},
};
static const struct spec S = SPEC(fields);

static struct spec_error check(const char *json, bool patch, bool *ok)
{
	json_error_t je;
	json_t *body = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	struct spec_error err = {0};
	*ok = spec_check(S, body, patch, &err);
	json_decref(body);
	return err;
}

#define REJECTS(json, patch, want_code, want_field)                                  \
	do {                                                                         \
		bool ok;                                                             \
		struct spec_error e = check(json, patch, &ok);                       \
		assert_false(ok);                                                    \
		assert_int_equal(e.code, want_code);                                 \
		if (want_field)                                                      \
			assert_string_equal(e.field, (const char *)want_field);      \
		assert_true(strlen(e.message) > 0);                                  \
	} while (0)

static void accepts_valid_bodies(void **state)
{
	bool ok;
	check("{\"name\":\"Dalya\",\"email\":null,\"count\":5,\"colour\":\"red\","
	      "\"at\":\"2026-11-22T10:00:00+01:00\",\"ids\":[1,2],\"on\":false}", false, &ok);
	assert_true(ok);
	check("{\"count\":1}", true, &ok);
	assert_true(ok);
}

static void names_the_offending_field(void **state)
{
	REJECTS("{}", false, E_FIELD_MISSING, "name");
	REJECTS("{\"name\":\"   \"}", false, E_FIELD_INVALID, "name");
	REJECTS("{\"name\":\"12345678901\"}", false, E_FIELD_INVALID, "name");
	REJECTS("{\"name\":7}", false, E_FIELD_INVALID, "name");
	REJECTS("{\"name\":\"a\",\"role\":\"owner\"}", false, E_FIELD_UNKNOWN, "role");
	REJECTS("{\"name\":\"a\",\"email\":\"nope\"}", false, E_FIELD_INVALID, "email");
	REJECTS("{\"name\":\"a\",\"count\":6}", false, E_FIELD_INVALID, "count");
	REJECTS("{\"name\":\"a\",\"count\":1.5}", false, E_FIELD_INVALID, "count");
	REJECTS("{\"name\":\"a\",\"count\":null}", false, E_FIELD_INVALID, "count");
	REJECTS("{\"name\":\"a\",\"colour\":\"blue\"}", false, E_FIELD_INVALID, "colour");
	REJECTS("{\"name\":\"a\",\"at\":\"2026-02-29T10:00:00Z\"}", false, E_FIELD_INVALID, "at");
	REJECTS("{\"name\":\"a\",\"ids\":[1,2,3]}", false, E_FIELD_INVALID, "ids");
	REJECTS("{\"name\":\"a\",\"ids\":[0]}", false, E_FIELD_INVALID, "ids");
	REJECTS("{\"name\":\"a\",\"on\":1}", false, E_FIELD_INVALID, "on");
	REJECTS("{\"name\":\"a\\u0001b\"}", false, E_FIELD_INVALID, "name");
	REJECTS("{\"name\":null}", true, E_FIELD_INVALID, "name");
}

static void patch_needs_a_change(void **state)
{
	REJECTS("{}", true, E_BAD_REQUEST, NULL);
}

static void body_must_be_an_object(void **state)
{
	struct spec_error e;
	json_t *arr = json_array();
	assert_false(spec_check(S, arr, false, &e));
	assert_int_equal(e.code, E_INVALID_JSON);
	json_decref(arr);
}

static void enum_message_lists_choices(void **state)
{
	bool ok;
	struct spec_error e = check("{\"name\":\"a\",\"colour\":\"x\"}", false, &ok);
	assert_non_null(strstr(e.message, "red, green"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_valid_bodies),
		cmocka_unit_test(names_the_offending_field),
		cmocka_unit_test(patch_needs_a_change),
		cmocka_unit_test(body_must_be_an_object),
		cmocka_unit_test(enum_message_lists_choices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
