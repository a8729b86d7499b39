/* Time as integer seconds since the Unix epoch, UTC; RFC 3339 in and out.
 * clock_now() can be pinned with MAITRED_NOW (seconds) for tests. */
#ifndef MAITRED_CLOCK_H
#define MAITRED_CLOCK_H

#include "util/compat.h"

#define CLOCK_RFC3339_LEN 21 /* "2026-11-22T10:04:05Z" + NUL */
#define SECONDS_PER_DAY 86400

int64_t clock_now(void);
/* Pins clock_now() to t from now on (0: the real clock again), for
 * commands that run with an injected time. */
void clock_pin(int64_t t);
/* Monotonic nanoseconds, for measuring durations. */
uint64_t clock_mono_ns(void);
void clock_format(int64_t t, char out[CLOCK_RFC3339_LEN]);
/* Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; false if malformed. */
bool clock_parse(const char *s, int64_t *out);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t clock_days_from_civil(int64_t y, int m, int d);
/* Civil date of a UTC time. */
void clock_civil(int64_t t, int *year, int *month, int *day);

#endif
