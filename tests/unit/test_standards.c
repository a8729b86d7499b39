/* Standards of care: time zones from TZif files and POSIX rules, opening
 * hours, when checks come due, audit scores and photo types. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "../../src/domain/tz.c"
#include "../../src/domain/standards.c"

#define ZONEINFO "/usr/share/zoneinfo/"

static struct tz london, new_york, sydney, rule_london;

static int64_t utc(const char *s)
{
	int64_t t;
	assert_true(clock_parse(s, &t));
	return t;
}

static void load(struct tz *z, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), ZONEINFO "%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(tz_parse(z, buf, n));
}

static int setup(void **state)
{
	(void)state;
	load(&london, "Europe/London");
	load(&new_york, "America/New_York");
	load(&sydney, "Australia/Sydney");
	memset(&rule_london, 0, sizeof(rule_london));
	rule_london.ntypes = 1;
	const char *s = "GMT0BST,M3.5.0/1,M10.5.0";
	assert_true(tz_rule_parse(&rule_london.rule, s, strlen(s)));
	return 0;
}

static void london_changes_its_clocks_on_the_last_sundays(void **state)
{
	const struct tz *zs[] = {&london, &rule_london};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(tz_offset(zs[i], utc("2026-03-29T00:59:59Z")), 0);
		assert_int_equal(tz_offset(zs[i], utc("2026-03-29T01:00:00Z")), 3600);
		assert_int_equal(tz_offset(zs[i], utc("2026-10-25T00:59:59Z")), 3600);
		assert_int_equal(tz_offset(zs[i], utc("2026-10-25T01:00:00Z")), 0);
		assert_int_equal(tz_offset(zs[i], utc("2026-12-04T12:00:00Z")), 0);
	}
	/* past the file's table, its closing rule */
	assert_int_equal(tz_offset(&london, utc("2040-03-25T00:59:59Z")), 0);
	assert_int_equal(tz_offset(&london, utc("2040-03-25T01:00:00Z")), 3600);
	assert_int_equal(tz_offset(&london, utc("2040-07-01T00:00:00Z")), 3600);
	/* and before it: summer 1990 was British Summer Time */
	assert_int_equal(tz_offset(&london, utc("1990-07-01T00:00:00Z")), 3600);
}

static void new_york_and_sydney(void **state)
{
	assert_int_equal(tz_offset(&new_york, utc("2026-01-15T12:00:00Z")), -5 * 3600);
	assert_int_equal(tz_offset(&new_york, utc("2026-07-15T12:00:00Z")), -4 * 3600);
	/* second Sunday of March 2026 is the 8th, at 02:00 EST = 07:00Z */
	assert_int_equal(tz_offset(&new_york, utc("2026-03-08T06:59:59Z")), -5 * 3600);
	assert_int_equal(tz_offset(&new_york, utc("2026-03-08T07:00:00Z")), -4 * 3600);
	/* the south: summer time across the new year */
	assert_int_equal(tz_offset(&sydney, utc("2026-01-15T00:00:00Z")), 11 * 3600);
	assert_int_equal(tz_offset(&sydney, utc("2026-07-15T00:00:00Z")), 10 * 3600);
	assert_int_equal(tz_offset(&sydney, utc("2045-01-15T00:00:00Z")), 11 * 3600);
	assert_int_equal(tz_offset(&sydney, utc("2045-07-15T00:00:00Z")), 10 * 3600);
}

static void posix_rules(void **state)
{
	struct tz_rule r;
	const char *good[] = {"UTC0", "EST5EDT", "<+0330>-3:30", "<-03>3", "IST-1GMT0,M10.5.0,M3.5.0/1",
			      "AEST-10AEDT,M10.1.0,M4.1.0/3", "XXX3YYY,J60/-1,300/25:30:15"};
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		assert_true(tz_rule_parse(&r, good[i], strlen(good[i])));
	const char *bad[] = {"", "GM0", "GMT", "GMT0BST,M3.5.0", "GMT0BST,M13.5.0,M10.5.0",
			     "GMT0BST,M3.6.0,M10.5.0", "GMT0BST,M3.5.7,M10.5.0", "<+03", "GMT99",
			     "GMT0BST,M3.5.0/1,M10.5.0x", "XXX3YYY,J0,J1"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_false(tz_rule_parse(&r, bad[i], strlen(bad[i])));
	const char *s = "<+0330>-3:30";
	assert_true(tz_rule_parse(&r, s, strlen(s)));
	assert_int_equal(r.std_off, 3 * 3600 + 1800);
}

static void broken_files_are_refused(void **state)
{
	assert_false(tz_parse(&london, (const unsigned char *)"TZif2", 5));
	unsigned char head[44] = "TZif2";
	assert_false(tz_parse(&london, head, sizeof(head))); /* no types */
	load(&london, "Europe/London");
}

static void wall_clock_times_in_gaps_and_overlaps(void **state)
{
	int64_t spring = clock_days_from_civil(2026, 3, 29) * SECONDS_PER_DAY;
	/* 01:30 does not exist that day: 02:30 BST */
	assert_int_equal(tz_to_utc(&london, spring + 5400), utc("2026-03-29T01:30:00Z"));
	assert_int_equal(tz_to_utc(&london, spring + 3 * 3600), utc("2026-03-29T02:00:00Z"));
	int64_t autumn = clock_days_from_civil(2026, 10, 25) * SECONDS_PER_DAY;
	/* 01:30 happens twice: the first, in BST */
	assert_int_equal(tz_to_utc(&london, autumn + 5400), utc("2026-10-25T00:30:00Z"));
	assert_int_equal(tz_to_utc(&london, autumn + 3 * 3600), utc("2026-10-25T03:00:00Z"));
}

/* A café: weekdays 07:00-17:00, Saturday 08:00-14:00, closed Sunday. */
static struct hours cafe(void)
{
	struct hours h = {0};
	for (int d = 0; d < 5; d++)
		h.s[h.n++] = (struct hours_span){d, 7 * 60, 17 * 60};
	h.s[h.n++] = (struct hours_span){5, 8 * 60, 14 * 60};
	return h;
}

static void hourly_checks_stay_inside_opening_hours(void **state)
{
	struct hours h = cafe();
	/* Monday 2026-06-01, BST */
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-06-01T09:00:00Z"), true),
			 utc("2026-06-01T10:00:00Z"));
	/* 16:30 local: an hour on is past closing, so Tuesday's opening */
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-06-01T15:30:00Z"), true),
			 utc("2026-06-02T06:00:00Z"));
	/* Saturday after closing: Monday's opening */
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-06-06T13:30:00Z"), true),
			 utc("2026-06-08T06:00:00Z"));
	/* checked while closed: the next opening */
	assert_int_equal(standard_due(&h, &london, 30, utc("2026-06-01T05:00:00Z"), true),
			 utc("2026-06-01T06:00:00Z"));
	/* new while open: at once; new while closed (Sunday): Monday */
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-06-01T12:00:00Z"), false),
			 utc("2026-06-01T12:00:00Z"));
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-06-07T12:00:00Z"), false),
			 utc("2026-06-08T06:00:00Z"));
	/* audits only: never */
	assert_true(standard_due(&h, &london, 0, utc("2026-06-01T12:00:00Z"), true) == INT64_MAX);
	/* in winter the same local hours are an hour later in UTC */
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-12-04T16:30:00Z"), true),
			 utc("2026-12-05T08:00:00Z"));
}

static void daily_and_weekly_checks_come_due_at_an_opening(void **state)
{
	struct hours h = cafe();
	/* daily, checked Friday morning: Saturday's opening */
	assert_int_equal(standard_due(&h, &london, 1440, utc("2026-06-05T08:00:00Z"), true),
			 utc("2026-06-06T07:00:00Z"));
	/* daily, checked Saturday: Monday (closed Sunday) */
	assert_int_equal(standard_due(&h, &london, 1440, utc("2026-06-06T09:00:00Z"), true),
			 utc("2026-06-08T06:00:00Z"));
	/* checked while closed (an audit after closing): still N days on */
	assert_int_equal(standard_due(&h, &london, 10080, utc("2026-06-02T05:00:00Z"), true),
			 utc("2026-06-09T06:00:00Z"));
	assert_int_equal(standard_due(&h, &london, 10080, utc("2026-06-02T20:00:00Z"), true),
			 utc("2026-06-09T06:00:00Z"));
	assert_int_equal(standard_due(&h, &london, 1440, utc("2026-06-06T19:00:00Z"), true),
			 utc("2026-06-08T06:00:00Z"));
	/* weekly, checked Tuesday afternoon: next Tuesday's opening */
	assert_int_equal(standard_due(&h, &london, 10080, utc("2026-06-02T14:00:00Z"), true),
			 utc("2026-06-09T06:00:00Z"));
	/* always open (no hours): daily means local midnight */
	struct hours always = {0};
	assert_int_equal(standard_due(&always, &london, 1440, utc("2026-06-02T14:00:00Z"), true),
			 utc("2026-06-02T23:00:00Z"));
	assert_int_equal(standard_due(&always, &new_york, 60, utc("2026-06-02T14:00:00Z"), true),
			 utc("2026-06-02T15:00:00Z"));
}

static void a_bar_open_past_midnight(void **state)
{
	/* Friday and Saturday 18:00-02:00 in New York */
	struct hours h = {2, {{4, 18 * 60, 26 * 60}, {5, 18 * 60, 26 * 60}}};
	int bad;
	assert_true(hours_check(&h, &bad));
	struct session s;
	/* Saturday 01:00 EDT belongs to Friday night */
	assert_true(hours_session_at(&h, &new_york, utc("2026-06-06T05:00:00Z"), &s));
	assert_int_equal(s.start, utc("2026-06-05T22:00:00Z"));
	assert_int_equal(s.end, utc("2026-06-06T06:00:00Z"));
	assert_false(hours_session_at(&h, &new_york, utc("2026-06-06T12:00:00Z"), &s));
	/* daily, checked in Friday's night: Saturday night's opening */
	assert_int_equal(standard_due(&h, &new_york, 1440, utc("2026-06-06T05:00:00Z"), true),
			 utc("2026-06-06T22:00:00Z"));
	/* hourly at 01:30: past closing at 02:00, so Saturday 18:00 */
	assert_int_equal(standard_due(&h, &new_york, 60, utc("2026-06-06T05:30:00Z"), true),
			 utc("2026-06-06T22:00:00Z"));
	assert_true(hours_next_session(&h, &new_york, utc("2026-06-07T12:00:00Z"), &s));
	assert_int_equal(s.start, utc("2026-06-12T22:00:00Z"));
}

static void opening_on_the_day_the_clocks_change(void **state)
{
	/* Sunday 01:30-12:00: 01:30 does not exist on 2026-03-29 in London */
	struct hours h = {1, {{6, 90, 12 * 60}}};
	struct session s;
	assert_true(hours_next_session(&h, &london, utc("2026-03-28T12:00:00Z"), &s));
	assert_int_equal(s.start, utc("2026-03-29T01:30:00Z"));
	assert_int_equal(s.end, utc("2026-03-29T11:00:00Z"));
	/* an hourly check at 10:30 BST: 11:30 BST is before noon */
	assert_int_equal(standard_due(&h, &london, 60, utc("2026-03-29T09:30:00Z"), true),
			 utc("2026-03-29T10:30:00Z"));
}

static void hours_that_overlap_are_refused(void **state)
{
	int bad;
	struct hours ok = {3, {{0, 7 * 60, 12 * 60}, {0, 12 * 60, 17 * 60}, {6, 20 * 60, 24 * 60}}};
	assert_true(hours_check(&ok, &bad));
	struct hours same = {2, {{1, 7 * 60, 12 * 60}, {1, 11 * 60, 15 * 60}}};
	assert_false(hours_check(&same, &bad));
	assert_int_equal(bad, 1);
	/* Sunday night into Monday morning, across the end of the week */
	struct hours wrap = {2, {{6, 22 * 60, 26 * 60}, {0, 60, 9 * 60}}};
	assert_false(hours_check(&wrap, &bad));
	assert_int_equal(bad, 1); /* sorted: Monday first, then Sunday's overlaps it */
	struct hours five = {.n = 5};
	for (int i = 0; i < 5; i++)
		five.s[i] = (struct hours_span){2, i * 120, i * 120 + 60};
	assert_false(hours_check(&five, &bad));
	assert_int_equal(bad, 4);
	int m;
	assert_true(hours_parse_time("07:30", false, &m));
	assert_int_equal(m, 450);
	assert_true(hours_parse_time("24:00", true, &m));
	assert_false(hours_parse_time("24:00", false, &m));
	assert_false(hours_parse_time("7:30", false, &m));
	assert_false(hours_parse_time("07:60", false, &m));
	assert_false(hours_parse_time("24:01", true, &m));
}

static void frequencies(void **state)
{
	assert_true(standard_frequency_ok(0));
	assert_true(standard_frequency_ok(60));
	assert_true(standard_frequency_ok(720));
	assert_true(standard_frequency_ok(1440));
	assert_true(standard_frequency_ok(10080));
	assert_true(standard_frequency_ok(40320));
	assert_false(standard_frequency_ok(721));
	assert_false(standard_frequency_ok(1500));
	assert_false(standard_frequency_ok(40320 + 1440));
	assert_false(standard_frequency_ok(-60));
	assert_string_equal(standard_default_category("restroom"), "cleanliness");
	assert_string_equal(standard_default_category("payment"), "billing");
	assert_string_equal(standard_default_category("car_park"), "other");
}

static void audit_scores(void **state)
{
	assert_int_equal(audit_score(9, 1, false), 90);
	assert_int_equal(audit_score(2, 1, false), 66);
	assert_int_equal(audit_score(9, 1, true), 49);
	assert_int_equal(audit_score(1, 3, true), 25);
	assert_int_equal(audit_score(0, 0, false), -1);
	assert_int_equal(audit_score(5, 0, false), 100);
}

static void photos_are_known_by_their_bytes(void **state)
{
	int w, h;
	unsigned char png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
				 0, 0, 2, 0, 0, 0, 1, 0x80};
	assert_string_equal(photo_type(png, sizeof(png), &w, &h), "image/png");
	assert_int_equal(w, 512);
	assert_int_equal(h, 384);
	png[19] = 0;
	png[18] = 0;
	assert_null(photo_type(png, sizeof(png), &w, &h)); /* zero width */
	/* SOI, APP0 (JFIF, 16 bytes), SOF0 800x600 */
	unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
			       0xFF, 0xFF, 0xC0, 0, 17, 8, 0x02, 0x58, 0x03, 0x20, 3, 1, 0x22, 0, 2, 0x11, 1, 3,
			       0x11, 1, 0xFF, 0xD9};
	assert_string_equal(photo_type(jpg, sizeof(jpg), &w, &h), "image/jpeg");
	assert_int_equal(w, 800);
	assert_int_equal(h, 600);
	assert_null(photo_type(jpg, 20, &w, &h)); /* cut before the frame header */
	unsigned char gif[] = "GIF89a\x01\x00\x01\x00";
	assert_null(photo_type(gif, sizeof(gif), &w, &h));
	unsigned char html[] = "<html><script>alert(1)</script>";
	assert_null(photo_type(html, sizeof(html), &w, &h));
	unsigned char jpg_bad_len[] = {0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0};
	assert_null(photo_type(jpg_bad_len, sizeof(jpg_bad_len), &w, &h));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(london_changes_its_clocks_on_the_last_sundays),
		cmocka_unit_test(new_york_and_sydney),
		cmocka_unit_test(posix_rules),
		cmocka_unit_test(broken_files_are_refused),
		cmocka_unit_test(wall_clock_times_in_gaps_and_overlaps),
		cmocka_unit_test(hourly_checks_stay_inside_opening_hours),
		cmocka_unit_test(daily_and_weekly_checks_come_due_at_an_opening),
		cmocka_unit_test(a_bar_open_past_midnight),
		cmocka_unit_test(opening_on_the_day_the_clocks_change),
		cmocka_unit_test(hours_that_overlap_are_refused),
		cmocka_unit_test(frequencies),
		cmocka_unit_test(audit_scores),
		cmocka_unit_test(photos_are_known_by_their_bytes),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
