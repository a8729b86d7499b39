/* Recognition rules (see recognize.h). */
#include "util/compat.h"
#include "domain/recognize.h"
#include "util/clock.h"

static int64_t day_of(int64_t t)
{
	return t >= 0 ? t / SECONDS_PER_DAY : -((-t + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static const char *ordinal_suffix(int64_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

/* The first word of a name, for a friendly greeting. */
static void first_name(const char *name, char *out, size_t outlen)
{
	while (*name == ' ')
		name++;
	size_t n = strcspn(name, " ");
	if (n >= outlen)
		n = outlen - 1;
	while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, name, n);
	out[n] = '\0';
}

void recognize(const int64_t *times, size_t n, int64_t total, int64_t now, const char *name,
	       struct recognition *out)
{
	memset(out, 0, sizeof(*out));
	out->visits = total;
	out->last_visit_at = -1;
	out->days_since_last = -1;
	out->usual_interval_days = -1;

	int64_t today = day_of(now);
	int64_t days[RECOGNIZE_MAX_VISITS];
	size_t nd = 0;
	for (size_t i = 0; i < n && i < RECOGNIZE_MAX_VISITS; i++) {
		int64_t d = day_of(times[i]);
		if (nd == 0 || days[nd - 1] != d)
			days[nd++] = d;
		if (times[i] > out->last_visit_at)
			out->last_visit_at = times[i];
		if (today - d < RECENT_WINDOW_DAYS)
			out->recent_visits++;
	}
	size_t in_window = 0;
	for (size_t i = 0; i < nd; i++)
		if (today - days[i] < REGULAR_WINDOW_DAYS)
			in_window++;
	out->regular = in_window >= REGULAR_MIN_VISITS;

	if (out->last_visit_at >= 0) {
		out->days_since_last = today - day_of(out->last_visit_at);
		if (out->days_since_last < 0)
			out->days_since_last = 0;
	}
	if (nd >= 2) {
		int64_t gaps[RECOGNIZE_MAX_VISITS];
		for (size_t i = 0; i + 1 < nd; i++)
			gaps[i] = days[i] - days[i + 1];
		size_t ng = nd - 1;
		qsort(gaps, ng, sizeof(gaps[0]), cmp_i64);
		out->usual_interval_days = ng % 2 ? gaps[ng / 2] : (gaps[ng / 2 - 1] + gaps[ng / 2] + 1) / 2;
	}

	char first[64];
	first_name(name, first, sizeof(first));
	size_t g = sizeof(out->greeting);
	if (total == 0 || (total == 1 && out->days_since_last == 0)) {
		snprintf(out->greeting, g, "Welcome, %s \u2014 first visit", first);
	} else if (out->days_since_last > REGULAR_WINDOW_DAYS) {
		int64_t months = out->days_since_last / 30;
		snprintf(out->greeting, g, "Good to see you again, %s \u2014 it's been %lld months",
			 first, (long long)months);
	} else if (out->recent_visits >= 2) {
		/* Today's visit counts once, whether or not it is recorded yet. */
		int64_t nth = out->recent_visits + (out->days_since_last == 0 ? 0 : 1);
		snprintf(out->greeting, g, "Welcome back, %s \u2014 %lld%s visit in 30 days", first,
			 (long long)nth, ordinal_suffix(nth));
	} else if (out->days_since_last == 0) {
		snprintf(out->greeting, g, "Welcome back, %s \u2014 %lld%s visit", first,
			 (long long)total, ordinal_suffix(total));
	} else if (out->days_since_last == 1) {
		snprintf(out->greeting, g, "Welcome back, %s \u2014 last here yesterday", first);
	} else {
		snprintf(out->greeting, g, "Welcome back, %s \u2014 last here %lld days ago", first,
			 (long long)out->days_since_last);
	}
}

int64_t recognize_rank(int64_t visit_count, int64_t last_visit_at, int64_t created_at)
{
	int64_t base = day_of(last_visit_at >= 0 ? last_visit_at : created_at);
	int64_t v = visit_count < RANK_MAX_VISITS ? visit_count : RANK_MAX_VISITS;
	return base + v * RANK_DAYS_PER_VISIT;
}
