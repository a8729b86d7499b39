/* Guest memory rules: the vocabularies of notes, and which conversation
 * starters count as recently used with a guest and which to suggest next.
 * Pure: no I/O. */
#ifndef MAITRED_MEMORY_H
#define MAITRED_MEMORY_H

#include "util/compat.h"

/* NULL-terminated vocabularies, for the body declarations. */
extern const char *const memory_note_kinds[];
extern const char *const memory_allergens[];   /* the 14 major allergens, then "other" */
extern const char *const memory_severities[];  /* mildest first */

/* How severe a flag is: 0 with no severity, 1 (mild) to 4 (life-threatening). */
int memory_severity_rank(const char *severity);

/* A starter is "recently used" with a guest when used in the last
 * TALK_RECENT_DAYS days, or on or after the day of the guest's
 * TALK_RECENT_VISITS-th most recent visit day, whichever reaches further. */
#define TALK_RECENT_DAYS 30
#define TALK_RECENT_VISITS 3
#define TALK_MAX_SUGGESTED 3

/* The start of the recent window. visits: visit times, newest first. */
int64_t memory_recent_cutoff(const int64_t *visits, size_t n, int64_t now);

/* A conversation starter as seen for one guest. */
struct talk {
	int64_t id;
	bool active;
	int64_t last_used;   /* -1 when never used with this guest */
	int64_t last_use_id; /* orders uses within the same second */
	size_t ref;	   /* the caller's, carried along (an index into its rows) */
};

/* Orders talks in place: the recently used ones first, newest use first
 * (*nrecent of them), then the suggestions in order of preference — active
 * starters not used recently, never-used first (by id), then the one used
 * longest ago — (*nsuggested of them, at most TALK_MAX_SUGGESTED). Retired
 * starters not used recently come last and are neither. */
void memory_talks_order(struct talk *talks, size_t n, int64_t cutoff, size_t *nrecent,
			size_t *nsuggested);

#endif
