/* Time zones from TZif bytes and POSIX TZ rules (see tz.h). */
#include "util/compat.h"
#include "domain/tz.h"
#include "util/clock.h"

#include <ctype.h>

#define TZ_HEADER_BYTES 44
#define TZ_MAX_RULE_HOURS 167
#define TZ_MAX_OFFSET (25 * 3600) /* no zone is further from UTC */

void tz_utc(struct tz *z)
{
	memset(z, 0, sizeof(*z));
	z->ntypes = 1;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* ---- POSIX TZ strings ---- */

struct cursor {
	const char *p, *end;
};

static bool at(const struct cursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool read_num(struct cursor *c, int max, int *out)
{
	int v = 0, n = 0;
	while (c->p < c->end && isdigit((unsigned char)*c->p) && n < 4) {
		v = v * 10 + (*c->p++ - '0');
		n++;
	}
	if (n == 0 || v > max)
		return false;
	*out = v;
	return true;
}

/* A zone abbreviation: three or more letters, or <…> of letters, digits
 * and signs. */
static bool read_name(struct cursor *c)
{
	const char *start = c->p;
	if (at(c, '<')) {
		c->p++;
		while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '+' || *c->p == '-'))
			c->p++;
		if (!at(c, '>') || c->p - start < 4)
			return false;
		c->p++;
		return true;
	}
	while (c->p < c->end && isalpha((unsigned char)*c->p))
		c->p++;
	return c->p - start >= 3;
}

/* [+-]hh[:mm[:ss]], hours up to max_hours. */
static bool read_time(struct cursor *c, int max_hours, int32_t *out)
{
	int sign = 1, h, m = 0, s = 0;
	if (at(c, '+') || at(c, '-'))
		sign = *c->p++ == '-' ? -1 : 1;
	if (!read_num(c, max_hours, &h))
		return false;
	if (at(c, ':')) {
		c->p++;
		if (!read_num(c, 59, &m))
			return false;
		if (at(c, ':')) {
			c->p++;
			if (!read_num(c, 59, &s))
				return false;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return true;
}

static bool read_date(struct cursor *c, struct tz_date *d)
{
	memset(d, 0, sizeof(*d));
	if (at(c, 'M')) {
		c->p++;
		d->kind = 'M';
		if (!read_num(c, 12, &d->m) || d->m < 1 || !at(c, '.'))
			return false;
		c->p++;
		if (!read_num(c, 5, &d->w) || d->w < 1 || !at(c, '.'))
			return false;
		c->p++;
		if (!read_num(c, 6, &d->d))
			return false;
	} else if (at(c, 'J')) {
		c->p++;
		d->kind = 'J';
		if (!read_num(c, 365, &d->day) || d->day < 1)
			return false;
	} else {
		d->kind = 'D';
		if (!read_num(c, 365, &d->day))
			return false;
	}
	d->secs = 2 * 3600;
	if (at(c, '/')) {
		c->p++;
		if (!read_time(c, TZ_MAX_RULE_HOURS, &d->secs))
			return false;
	}
	return true;
}

bool tz_rule_parse(struct tz_rule *r, const char *s, size_t n)
{
	struct cursor c = {s, s + n};
	int32_t off;
	memset(r, 0, sizeof(*r));
	if (!read_name(&c) || !read_time(&c, 24, &off))
		return false;
	r->std_off = -off; /* POSIX counts west of Greenwich as positive */
	r->dst_off = r->std_off;
	r->present = true;
	if (c.p == c.end)
		return true;
	if (!read_name(&c))
		return false;
	r->dst = true;
	r->dst_off = r->std_off + 3600;
	if (c.p < c.end && *c.p != ',') {
		if (!read_time(&c, 24, &off))
			return false;
		r->dst_off = -off;
	}
	if (c.p == c.end) { /* no rule given: the US rule, as POSIX says */
		r->start = (struct tz_date){'M', 3, 2, 0, 0, 7200};
		r->end = (struct tz_date){'M', 11, 1, 0, 0, 7200};
		return true;
	}
	if (!at(&c, ',') || (c.p++, !read_date(&c, &r->start)) || !at(&c, ',') ||
	    (c.p++, !read_date(&c, &r->end)))
		return false;
	return c.p == c.end;
}

static bool leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970 of a rule's date in year y. */
static int64_t rule_day(const struct tz_date *d, int64_t y)
{
	if (d->kind == 'J')
		return clock_days_from_civil(y, 1, 1) + d->day - 1 + (leap_year(y) && d->day >= 60);
	if (d->kind == 'D')
		return clock_days_from_civil(y, 1, 1) + d->day;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t first = clock_days_from_civil(y, d->m, 1);
	int wday_first = (int)(((first % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
	int day = 1 + (d->d - wday_first + 7) % 7 + (d->w - 1) * 7;
	int len = mdays[d->m - 1] + (d->m == 2 && leap_year(y));
	while (day > len)
		day -= 7;
	return first + day - 1;
}

static int32_t rule_offset(const struct tz_rule *r, int64_t t)
{
	if (!r->dst)
		return r->std_off;
	int year, month, day;
	clock_civil(t + r->std_off, &year, &month, &day);
	/* the change into daylight time is given in standard time, the change
	 * back in daylight time */
	int64_t start = rule_day(&r->start, year) * SECONDS_PER_DAY + r->start.secs - r->std_off;
	int64_t end = rule_day(&r->end, year) * SECONDS_PER_DAY + r->end.secs - r->dst_off;
	bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	return in_dst ? r->dst_off : r->std_off;
}

/* ---- TZif ---- */

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static bool read_header(const unsigned char *p, size_t n, struct tzif_counts *k)
{
	if (n < TZ_HEADER_BYTES || memcmp(p, "TZif", 4) != 0)
		return false;
	k->isut = be32(p + 20);
	k->isstd = be32(p + 24);
	k->leap = be32(p + 28);
	k->time = be32(p + 32);
	k->type = be32(p + 36);
	k->chars = be32(p + 40);
	return k->type >= 1 && k->type <= TZ_MAX_TYPES && k->time <= TZ_MAX_TRANSITIONS &&
	       k->chars <= 65536 && k->leap <= 65536 && (k->isut == 0 || k->isut == k->type) &&
	       (k->isstd == 0 || k->isstd == k->type);
}

/* The bytes of a data block after its header, for times of tsize bytes. */
static size_t block_bytes(const struct tzif_counts *k, size_t tsize)
{
	return k->time * tsize + k->time + k->type * 6 + k->chars + k->leap * (tsize + 4) +
	       k->isstd + k->isut;
}

bool tz_parse(struct tz *z, const unsigned char *data, size_t n)
{
	struct tzif_counts k;
	memset(z, 0, sizeof(*z));
	if (!read_header(data, n, &k))
		return false;
	size_t tsize = 4;
	const unsigned char *p = data + TZ_HEADER_BYTES;
	size_t left = n - TZ_HEADER_BYTES;
	char version = (char)data[4];
	if (version >= '2') { /* skip the 32-bit block for the 64-bit one */
		size_t skip = block_bytes(&k, 4);
		if (skip > left || !read_header(p + skip, left - skip, &k))
			return false;
		p += skip + TZ_HEADER_BYTES;
		left -= skip + TZ_HEADER_BYTES;
		tsize = 8;
	}
	size_t need = block_bytes(&k, tsize);
	if (need > left)
		return false;
	z->ntimes = (int)k.time;
	z->ntypes = (int)k.type;
	for (uint32_t i = 0; i < k.time; i++) {
		z->times[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
		if (i > 0 && z->times[i] <= z->times[i - 1])
			return false;
	}
	p += k.time * tsize;
	for (uint32_t i = 0; i < k.time; i++) {
		z->idx[i] = p[i];
		if (p[i] >= k.type)
			return false;
	}
	p += k.time;
	for (uint32_t i = 0; i < k.type; i++) {
		int32_t off = (int32_t)be32(p + i * 6);
		if (off < -TZ_MAX_OFFSET || off > TZ_MAX_OFFSET)
			return false;
		z->offs[i] = off;
	}
	p += need - k.time * tsize - k.time;
	left -= need;
	if (tsize == 8 && left >= 2 && *p == '\n') { /* the footer: "\nTZ string\n" */
		const unsigned char *nl = memchr(p + 1, '\n', left - 1);
		if (!nl)
			return false;
		size_t len = (size_t)(nl - p - 1);
		if (len > 0 && !tz_rule_parse(&z->rule, (const char *)p + 1, len))
			return false;
	}
	return true;
}

int32_t tz_offset(const struct tz *z, int64_t t)
{
	if (z->ntimes == 0)
		return z->rule.present ? rule_offset(&z->rule, t) : z->offs[0];
	if (t < z->times[0])
		return z->offs[0];
	if (t >= z->times[z->ntimes - 1] && z->rule.present)
		return rule_offset(&z->rule, t);
	int lo = 0, hi = z->ntimes - 1; /* the last transition at or before t */
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (z->times[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return z->offs[z->idx[lo]];
}

/* The offsets a day either side cover any one change of the clocks (they
 * are never less than two days apart). */
int64_t tz_to_utc(const struct tz *z, int64_t local)
{
	int32_t before = tz_offset(z, local - SECONDS_PER_DAY);
	int32_t after = tz_offset(z, local + SECONDS_PER_DAY);
	bool before_ok = tz_offset(z, local - before) == before;
	bool after_ok = tz_offset(z, local - after) == after;
	if (before_ok && after_ok)
		return local - (before > after ? before : after); /* the earlier */
	if (before_ok)
		return local - before;
	if (after_ok)
		return local - after;
	return local - (before < after ? before : after); /* in the gap */
}
