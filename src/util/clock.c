/* UTC time helpers (see clock.h): civil-date arithmetic done by hand so no
 * code depends on the process time zone or non-reentrant libc calls. */
#include "util/compat.h"
#include "util/clock.h"

#include <ctype.h>

/* -1: not read yet; 0: the real clock; else the pinned time. */
static _Atomic int64_t pinned = -1;

int64_t clock_now(void)
{
	int64_t p = pinned;
	if (p == -1) {
		const char *s = getenv("MAITRED_NOW");
		int64_t v;
		p = (s && parse_i64(s, 0, INT64_MAX / 2, &v)) ? v : 0;
		pinned = p;
	}
	if (p > 0)
		return p;
	return (int64_t)time(NULL);
}

void clock_pin(int64_t t)
{
	pinned = t > 0 ? t : 0;
}

uint64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t clock_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void clock_civil(int64_t t, int *year, int *month, int *day)
{
	int64_t days = t >= 0 ? t / SECONDS_PER_DAY : -((-t + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
	int64_t y;
	civil_from_days(days, &y, month, day);
	*year = (int)y;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* Formatted by hand: this runs for every time in every response. Times in
 * one response often share a day, so each thread remembers the last date. */
void clock_format(int64_t t, char out[CLOCK_RFC3339_LEN])
{
	static __thread int64_t memo_day = INT64_MIN;
	static __thread char memo_date[11];
	int64_t days = t >= 0 ? t / SECONDS_PER_DAY : -((-t + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
	int64_t secs = t - days * SECONDS_PER_DAY;
	memcpy(out, "0000-00-00T00:00:00Z", CLOCK_RFC3339_LEN);
	if (days != memo_day) {
		int64_t y;
		int m, d;
		civil_from_days(days, &y, &m, &d);
		if (y < 0 || y > 9999) {
			memcpy(out, "0000-01-01T00:00:00Z", CLOCK_RFC3339_LEN);
			return;
		}
		memcpy(memo_date, "0000-00-00", 10);
		put2(memo_date, (int)(y / 100));
		put2(memo_date + 2, (int)(y % 100));
		put2(memo_date + 5, m);
		put2(memo_date + 8, d);
		memo_day = days;
	}
	memcpy(out, memo_date, 10);
	put2(out + 11, (int)(secs / 3600));
	put2(out + 14, (int)(secs / 60 % 60));
	put2(out + 17, (int)(secs % 60));
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool clock_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &se))
		return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	int offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	if (se == 60)
		se = 59;
	*out = clock_days_from_civil(y, mo, d) * SECONDS_PER_DAY + h * 3600 + mi * 60 + se - offset;
	return true;
}
