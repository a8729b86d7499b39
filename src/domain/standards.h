/* Standards of care: a location's opening hours in its local time, when a
 * standard's check comes due inside them, an audit's score, and what a
 * check's photo is (read from its bytes). Pure: no I/O. */
#ifndef MAITRED_STANDARDS_H
#define MAITRED_STANDARDS_H

#include "util/compat.h"
#include "domain/tz.h"

#define HOURS_MAX_PER_DAY 4
#define HOURS_MAX_SPANS (7 * HOURS_MAX_PER_DAY)
#define MINUTES_PER_DAY 1440
#define MINUTES_PER_WEEK (7 * MINUTES_PER_DAY)

/* Local time: day 0 is Monday; minutes after midnight; a span that runs
 * past midnight closes after 1440 (18:00-02:00 is 1080-1560). */
struct hours_span {
	int day, opens, closes;
};
/* No spans: open all day, every day. */
struct hours {
	int n;
	struct hours_span s[HOURS_MAX_SPANS];
};

extern const char *const hours_days[]; /* "mon" … "sun", NULL */
/* "HH:MM" to minutes; "24:00" only when closing. */
bool hours_parse_time(const char *s, bool closing, int *minutes);
/* Sorts the spans by day and opening; false with *bad the index (in the
 * sorted order) of a span that overlaps an earlier one, or of the fifth
 * span of a day. Spans with closes <= opens must be normalised first. */
bool hours_check(struct hours *h, int *bad);

/* An opening span in UTC, and the local day (days since 1970) it belongs to. */
struct session {
	int64_t start, end, day;
};
/* The span open at t, if any. */
bool hours_session_at(const struct hours *h, const struct tz *z, int64_t t, struct session *s);
/* The first span that opens after t; false when the hours have none. */
bool hours_next_session(const struct hours *h, const struct tz *z, int64_t t, struct session *s);

#define STANDARD_MAX_INTRADAY 720
#define STANDARD_MAX_FREQUENCY (28 * MINUTES_PER_DAY)
/* 0 (audits only), 1-720 minutes, or whole days up to four weeks. */
bool standard_frequency_ok(int64_t minutes);
/* When a standard with this frequency is next due, from its last check at
 * last (checked) or its creation at last (!checked); INT64_MAX for never
 * (frequency 0). See docs/api.md, "When a check is due". */
int64_t standard_due(const struct hours *h, const struct tz *z, int64_t frequency, int64_t last,
		     bool checked);
/* The recovery case category of a failed deal-breaker at a touchpoint. */
const char *standard_default_category(const char *touchpoint_key);

/* Share of standards passed, 0-100 rounded down, capped at 49 when a
 * deal-breaker failed; -1 with nothing passed or failed. */
int audit_score(int passed, int failed, bool deal_breaker_failed);
#define AUDIT_DEAL_BREAKER_CAP 49

/* "image/jpeg" or "image/png" when the bytes are one (with non-zero
 * dimensions in its header), else NULL. */
const char *photo_type(const unsigned char *b, size_t n, int *width, int *height);

#endif
