/* Time zones: a location's local time from the system's tz database files
 * (TZif, RFC 8536), read here from bytes so that the conversion is pure and
 * never touches the process's TZ. Past the file's last transition the
 * POSIX TZ rule at its end ("GMT0BST,M3.5.0/1,M10.5.0") says the offset. */
#ifndef MAITRED_TZ_H
#define MAITRED_TZ_H

#include "util/compat.h"

#define TZ_MAX_TRANSITIONS 2000
#define TZ_MAX_TYPES 256

/* A rule's date: month m, week w (5 = last), weekday d (0 = Sunday); or a
 * Julian day (1-365 without Feb 29, or 0-365 with it). */
struct tz_date {
	char kind; /* 'M', 'J' (1-365, no leap day) or 'D' (0-365) */
	int m, w, d, day;
	int32_t secs; /* local time of the change, -167 h .. 167 h */
};

struct tz_rule {
	bool present, dst;
	int32_t std_off, dst_off; /* seconds east of UTC */
	struct tz_date start, end;
};

struct tz {
	int ntimes, ntypes;
	int64_t times[TZ_MAX_TRANSITIONS];
	uint8_t idx[TZ_MAX_TRANSITIONS];
	int32_t offs[TZ_MAX_TYPES];
	struct tz_rule rule;
};

/* UTC: no transitions, offset 0. */
void tz_utc(struct tz *z);
/* Reads a TZif file's bytes (version 1, 2 or 3); false if malformed. */
bool tz_parse(struct tz *z, const unsigned char *data, size_t n);
/* Reads a POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0"; false if
 * malformed. */
bool tz_rule_parse(struct tz_rule *r, const char *s, size_t n);
/* Seconds east of UTC at the UTC time t. */
int32_t tz_offset(const struct tz *z, int64_t t);
/* The UTC time of a local wall-clock time (seconds since 1970 as if the
 * wall clock were UTC). In a gap (clocks going forward) the time moves on
 * by the gap; in an overlap (clocks going back) the earlier one. */
int64_t tz_to_utc(const struct tz *z, int64_t local);
/* The local wall-clock time of t, as seconds since 1970. */
static inline int64_t tz_local(const struct tz *z, int64_t t)
{
	return t + tz_offset(z, t);
}
/* The local day of t, as days since 1970-01-01. */
static inline int64_t tz_local_day(const struct tz *z, int64_t t)
{
	int64_t l = tz_local(z, t), day = 86400;
	return l >= 0 ? l / day : -((-l + day - 1) / day);
}

#endif
