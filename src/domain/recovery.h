/* Service recovery rules: the vocabularies of cases and actions, which
 * status changes are allowed, the staff prompt shown on a guest's card and
 * the medians the insights report. Pure: no I/O. */
#ifndef MAITRED_RECOVERY_H
#define MAITRED_RECOVERY_H

#include "util/compat.h"

/* NULL-terminated vocabularies, for the body declarations. */
extern const char *const recovery_sources[];
extern const char *const recovery_categories[];
extern const char *const recovery_severities[]; /* least severe first */
extern const char *const recovery_statuses[];	 /* in lifecycle order */
extern const char *const recovery_outcomes[];
extern const char *const recovery_action_kinds[];

/* After resolution, a guest who visits again within this window counts as
 * returned; once it ends without a visit, as not returned. */
#define RECOVERY_MEASURE_DAYS 60
/* The guest card shows active cases and those resolved this recently. */
#define RECOVERY_CARD_DAYS 90

/* Index of s in a NULL-terminated vocabulary, or -1. */
int recovery_index(const char *const *vocab, const char *s);

/* Whether a case may move from one status to another: forward through
 * open → in_progress → resolved → closed (open may resolve directly), and
 * back to open from resolved or closed (reopening). Staying put is not a
 * transition. */
bool recovery_transition_ok(const char *from, const char *to);

/* Whether a status counts as still being worked on (open, in_progress). */
bool recovery_active(const char *status);

/* What staff read on the guest's card before serving them. */
struct recovery_prompt {
	const char *category;
	const char *status;
	const char *outcome;  /* NULL until resolved */
	const char *measured; /* NULL, pending, returned, not_returned */
	const char *owner;    /* the owner's name, or NULL */
	int64_t opened_at;
	int64_t comp_cents, refund_cents;
	bool apology, called, messaged; /* actions taken */
};

/* Writes e.g. "Forgotten order on 3 Nov — comp given; welcome them back
 * warmly" into out (truncated to outlen). Dates are UTC days. */
void recovery_prompt_write(const struct recovery_prompt *p, char *out, size_t outlen);

/* Plain words for a category ("Forgotten order"). */
const char *recovery_category_label(const char *category);

/* The median of v (sorted in place), rounded down between the middle two;
 * -1 when n is 0. */
int64_t recovery_median(int64_t *v, size_t n);

#endif
