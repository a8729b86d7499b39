/* Recognition at the counter: from a guest's visit times, what staff should
 * know in a glance (how often, how recently, a regular?) and a greeting.
 * Pure: no I/O.
 *
 * The regular rule: at least REGULAR_MIN_VISITS visits on distinct days in
 * the last REGULAR_WINDOW_DAYS days. */
#ifndef MAITRED_RECOGNIZE_H
#define MAITRED_RECOGNIZE_H

#include "util/compat.h"

#define REGULAR_MIN_VISITS 3
#define REGULAR_WINDOW_DAYS 90
#define RECENT_WINDOW_DAYS 30
/* Visits looked at for the usual interval. */
#define RECOGNIZE_MAX_VISITS 50

struct recognition {
	int64_t visits;		     /* all recorded visits */
	int64_t last_visit_at;	     /* -1 when none */
	int64_t days_since_last;     /* -1 when none */
	int64_t usual_interval_days; /* -1 when fewer than two visit days */
	int64_t recent_visits;	     /* in the last RECENT_WINDOW_DAYS days */
	bool regular;
	char greeting[192];
};

/* times: the most recent visit times, newest first (at most
 * RECOGNIZE_MAX_VISITS); total: all visits ever; name: the guest's name. */
void recognize(const int64_t *times, size_t n, int64_t total, int64_t now, const char *name,
	       struct recognition *out);

/* Search rank of a guest: recent and frequent visitors first. In days, so a
 * visit today outranks one yesterday, and each past visit is worth
 * RANK_DAYS_PER_VISIT days of recency (up to RANK_MAX_VISITS visits). */
#define RANK_DAYS_PER_VISIT 3
#define RANK_MAX_VISITS 60
int64_t recognize_rank(int64_t visit_count, int64_t last_visit_at, int64_t created_at);

#endif
