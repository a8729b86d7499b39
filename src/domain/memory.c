/* Guest memory rules (see memory.h). */
#include "util/compat.h"
#include "domain/memory.h"
#include "util/clock.h"

const char *const memory_note_kinds[] = {"preference", "dietary", "allergy", "conversation",
					 "general", NULL};
const char *const memory_allergens[] = {
	"celery", "gluten",  "crustaceans", "eggs",   "fish",	   "lupin",	"milk", "molluscs",
	"mustard", "tree_nuts", "peanuts",  "sesame", "soya", "sulphites", "other", NULL};
const char *const memory_severities[] = {"mild", "moderate", "severe", "life_threatening", NULL};

int memory_severity_rank(const char *severity)
{
	for (int i = 0; severity && memory_severities[i]; i++)
		if (strcmp(memory_severities[i], severity) == 0)
			return i + 1;
	return 0;
}

/* Days are UTC days, as in recognition. Times are never before 2000. */
static int64_t day_start(int64_t t)
{
	return t - t % SECONDS_PER_DAY;
}

int64_t memory_recent_cutoff(const int64_t *visits, size_t n, int64_t now)
{
	int64_t cutoff = now - (int64_t)TALK_RECENT_DAYS * SECONDS_PER_DAY;
	/* walk back over distinct visit days; with fewer than the window's
	 * count, every visit the guest has made is in it */
	int days = 0;
	int64_t last_day = INT64_MAX;
	for (size_t i = 0; i < n && days < TALK_RECENT_VISITS; i++) {
		int64_t d = day_start(visits[i]);
		if (d == last_day)
			continue;
		last_day = d;
		days++;
		if (d < cutoff)
			cutoff = d;
	}
	return cutoff;
}

/* Recent ones (newest use first), then suggestions, then the rest. */
static int talk_class(const struct talk *t, int64_t cutoff)
{
	if (t->last_used >= cutoff)
		return 0;
	return t->active ? 1 : 2;
}

static int talk_cmp(const struct talk *a, const struct talk *b, int64_t cutoff)
{
	int ca = talk_class(a, cutoff), cb = talk_class(b, cutoff);
	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == 0 && a->last_used != b->last_used)
		return a->last_used > b->last_used ? -1 : 1;
	if (ca == 0 && a->last_use_id != b->last_use_id)
		return a->last_use_id > b->last_use_id ? -1 : 1;
	if (ca == 1 && a->last_used != b->last_used)
		return a->last_used < b->last_used ? -1 : 1; /* never (-1) first */
	return a->id < b->id ? -1 : a->id > b->id;
}

void memory_talks_order(struct talk *talks, size_t n, int64_t cutoff, size_t *nrecent,
			size_t *nsuggested)
{
	/* a business has tens of starters: insertion sort, with the cutoff at hand */
	for (size_t i = 1; i < n; i++) {
		struct talk t = talks[i];
		size_t j = i;
		for (; j > 0 && talk_cmp(&t, &talks[j - 1], cutoff) < 0; j--)
			talks[j] = talks[j - 1];
		talks[j] = t;
	}
	size_t r = 0, s = 0;
	while (r < n && talk_class(&talks[r], cutoff) == 0)
		r++;
	while (r + s < n && s < TALK_MAX_SUGGESTED && talk_class(&talks[r + s], cutoff) == 1)
		s++;
	*nrecent = r;
	*nsuggested = s;
}
