/* Opening hours, due times, audit scores and photo types (see standards.h). */
#include "util/compat.h"
#include "domain/standards.h"
#include "util/clock.h"

#include <ctype.h>

/* Spans open on days up to this far before the one asked about (one that
 * runs past midnight belongs to the day before), and the days searched
 * ahead for the next opening (hours repeat weekly). */
#define SESSION_DAYS_BEFORE 1
#define SESSION_DAYS_AHEAD 8

const char *const hours_days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

bool hours_parse_time(const char *s, bool closing, int *minutes)
{
	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !closing)))
		return false;
	*minutes = h * 60 + m;
	return true;
}

static int span_cmp(const void *a, const void *b)
{
	const struct hours_span *x = a, *y = b;
	int kx = x->day * MINUTES_PER_DAY + x->opens, ky = y->day * MINUTES_PER_DAY + y->opens;
	return (kx > ky) - (kx < ky);
}

/* Whether two spans of the week overlap, the week being a circle. */
static bool spans_overlap(const struct hours_span *a, const struct hours_span *b)
{
	int a0 = a->day * MINUTES_PER_DAY + a->opens, a1 = a->day * MINUTES_PER_DAY + a->closes;
	for (int shift = -MINUTES_PER_WEEK; shift <= MINUTES_PER_WEEK; shift += MINUTES_PER_WEEK) {
		int b0 = b->day * MINUTES_PER_DAY + b->opens + shift;
		int b1 = b->day * MINUTES_PER_DAY + b->closes + shift;
		if (a0 < b1 && b0 < a1)
			return true;
	}
	return false;
}

bool hours_check(struct hours *h, int *bad)
{
	qsort(h->s, (size_t)h->n, sizeof(h->s[0]), span_cmp);
	for (int i = 0; i < h->n; i++) {
		int same_day = 0;
		for (int j = 0; j < i; j++) {
			if (spans_overlap(&h->s[i], &h->s[j])) {
				*bad = i;
				return false;
			}
			same_day += h->s[j].day == h->s[i].day;
		}
		if (same_day >= HOURS_MAX_PER_DAY) {
			*bad = i;
			return false;
		}
	}
	return true;
}

/* Monday is 0; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
	return (int)((day % 7 + 7 + 3) % 7);
}

/* The spans of one local day, in UTC, by opening. */
static int day_sessions(const struct hours *h, const struct tz *z, int64_t day,
			struct session out[HOURS_MAX_PER_DAY])
{
	int64_t midnight = day * SECONDS_PER_DAY;
	if (h->n == 0) {
		out[0] = (struct session){tz_to_utc(z, midnight), tz_to_utc(z, midnight + SECONDS_PER_DAY),
					  day};
		return 1;
	}
	int n = 0, wd = weekday(day);
	for (int i = 0; i < h->n && n < HOURS_MAX_PER_DAY; i++) {
		if (h->s[i].day != wd)
			continue;
		struct session s = {tz_to_utc(z, midnight + h->s[i].opens * 60),
				    tz_to_utc(z, midnight + h->s[i].closes * 60), day};
		if (s.end > s.start) /* a span inside a clock change can vanish */
			out[n++] = s;
	}
	return n; /* spans are sorted by day and opening */
}

bool hours_session_at(const struct hours *h, const struct tz *z, int64_t t, struct session *s)
{
	int64_t today = tz_local_day(z, t);
	struct session day[HOURS_MAX_PER_DAY];
	for (int64_t d = today - SESSION_DAYS_BEFORE; d <= today; d++) {
		int n = day_sessions(h, z, d, day);
		for (int i = 0; i < n; i++)
			if (day[i].start <= t && t < day[i].end) {
				*s = day[i];
				return true;
			}
	}
	return false;
}

/* The first span of a day from `from` on that opens after t. */
static bool first_session(const struct hours *h, const struct tz *z, int64_t from, int64_t t,
			  struct session *s)
{
	struct session day[HOURS_MAX_PER_DAY];
	for (int64_t d = from; d <= from + SESSION_DAYS_AHEAD; d++) {
		int n = day_sessions(h, z, d, day);
		for (int i = 0; i < n; i++)
			if (day[i].start > t) {
				*s = day[i];
				return true;
			}
	}
	return false;
}

bool hours_next_session(const struct hours *h, const struct tz *z, int64_t t, struct session *s)
{
	return first_session(h, z, tz_local_day(z, t) - SESSION_DAYS_BEFORE, t, s);
}

bool standard_frequency_ok(int64_t minutes)
{
	return minutes == 0 || (minutes >= 1 && minutes <= STANDARD_MAX_INTRADAY) ||
	       (minutes % MINUTES_PER_DAY == 0 && minutes > 0 && minutes <= STANDARD_MAX_FREQUENCY);
}

int64_t standard_due(const struct hours *h, const struct tz *z, int64_t frequency, int64_t last,
		     bool checked)
{
	if (frequency <= 0)
		return INT64_MAX;
	struct session cur, next;
	bool open = hours_session_at(h, z, last, &cur);
	if (!checked && open)
		return last; /* new: due at once */
	if (!checked || (!open && frequency < MINUTES_PER_DAY))
		return hours_next_session(h, z, last, &next) ? next.start : INT64_MAX;
	if (frequency < MINUTES_PER_DAY) {
		int64_t due = last + frequency * 60;
		if (due < cur.end)
			return due;
		return hours_next_session(h, z, cur.end - 1, &next) ? next.start : INT64_MAX;
	}
	/* every N days: the first opening from the day N days after the day of
	 * the check (of its span, for a span past midnight) */
	int64_t from = (open ? cur.day : tz_local_day(z, last)) + frequency / MINUTES_PER_DAY;
	return first_session(h, z, from, INT64_MIN, &next) ? next.start : INT64_MAX;
}

const char *standard_default_category(const char *key)
{
	static const struct {
		const char *touchpoint, *category;
	} map[] = {
		{"entrance", "cleanliness"}, {"table", "cleanliness"}, {"restroom", "cleanliness"},
		{"payment", "billing"},	     {"counter", "staff"},     {"phone", "staff"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(map[i].touchpoint, key) == 0)
			return map[i].category;
	return "other";
}

int audit_score(int passed, int failed, bool deal_breaker_failed)
{
	if (passed < 0 || failed < 0 || passed + failed == 0)
		return -1;
	int score = (int)(100LL * passed / (passed + failed));
	if (deal_breaker_failed && score > AUDIT_DEAL_BREAKER_CAP)
		score = AUDIT_DEAL_BREAKER_CAP;
	return score;
}

static uint32_t u16be(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t u32be(const unsigned char *p)
{
	return u16be(p) << 16 | u16be(p + 2);
}

#define PNG_HEADER_BYTES 24 /* signature, IHDR length and type, width, height */

static const char *png_type(const unsigned char *b, size_t n, int *width, int *height)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (n < PNG_HEADER_BYTES || memcmp(b, sig, 8) != 0 || u32be(b + 8) != 13 ||
	    memcmp(b + 12, "IHDR", 4) != 0)
		return NULL;
	uint32_t w = u32be(b + 16), h = u32be(b + 20);
	if (w == 0 || h == 0 || w > INT32_MAX || h > INT32_MAX)
		return NULL;
	*width = (int)w;
	*height = (int)h;
	return "image/png";
}

/* Walks the JPEG's marker segments to its frame header (SOFn), which holds
 * the dimensions. */
static const char *jpeg_type(const unsigned char *b, size_t n, int *width, int *height)
{
	if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return NULL;
	size_t i = 2;
	while (i + 4 <= n) {
		if (b[i] != 0xFF)
			return NULL;
		while (i + 1 < n && b[i + 1] == 0xFF) /* fill bytes */
			i++;
		if (i + 4 > n)
			return NULL;
		unsigned m = b[i + 1];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
			i += 2;
			continue;
		}
		if (m == 0xD8 || m == 0xD9 || m == 0xDA || m == 0x00)
			return NULL; /* image data or its end before any frame header */
		uint32_t len = u16be(b + i + 2);
		if (len < 2 || i + 2 + len > n)
			return NULL;
		bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
		if (sof) {
			if (len < 7)
				return NULL;
			uint32_t h = u16be(b + i + 5), w = u16be(b + i + 7);
			if (w == 0 || h == 0)
				return NULL;
			*width = (int)w;
			*height = (int)h;
			return "image/jpeg";
		}
		i += 2 + len;
	}
	return NULL;
}

const char *photo_type(const unsigned char *b, size_t n, int *width, int *height)
{
	const char *t = png_type(b, n, width, height);
	return t ? t : jpeg_type(b, n, width, height);
}
