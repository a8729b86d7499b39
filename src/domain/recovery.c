/* Service recovery rules (see recovery.h). */
#include "util/compat.h"
#include "domain/recovery.h"
#include "util/clock.h"

const char *const recovery_sources[] = {"staff", "feedback", "order", "check", NULL};
const char *const recovery_categories[] = {"order_missing", "order_late", "order_wrong",
					   "quality",	    "cleanliness", "staff",
					   "billing",	    "other",	   NULL};
const char *const recovery_severities[] = {"low", "medium", "high", NULL};
const char *const recovery_statuses[] = {"open", "in_progress", "resolved", "closed", NULL};
const char *const recovery_outcomes[] = {"recovered", "not_recovered", "unknown", NULL};
const char *const recovery_action_kinds[] = {"apology",		 "comp", "refund", "follow_up_call",
					     "follow_up_message", "note", NULL};

static const char *const category_labels[] = {
	"Forgotten order", "Late order",	  "Wrong order",	"Quality problem",
	"Cleanliness problem", "Problem with staff", "Billing problem", "Problem",
};

int recovery_index(const char *const *vocab, const char *s)
{
	for (int i = 0; s && vocab[i]; i++)
		if (strcmp(vocab[i], s) == 0)
			return i;
	return -1;
}

bool recovery_transition_ok(const char *from, const char *to)
{
	static const char *const allowed[][2] = {
		{"open", "in_progress"}, {"open", "resolved"},	{"in_progress", "resolved"},
		{"resolved", "closed"},	 {"resolved", "open"}, {"closed", "open"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
		if (strcmp(allowed[i][0], from) == 0 && strcmp(allowed[i][1], to) == 0)
			return true;
	return false;
}

bool recovery_active(const char *status)
{
	return strcmp(status, "open") == 0 || strcmp(status, "in_progress") == 0;
}

const char *recovery_category_label(const char *category)
{
	int i = recovery_index(recovery_categories, category);
	return i < 0 ? "Problem" : category_labels[i];
}

/* Appends to out at *used, keeping it terminated and never overrunning. */
static void put(char *out, size_t outlen, size_t *used, const char *s)
{
	if (*used >= outlen)
		return;
	int n = snprintf(out + *used, outlen - *used, "%s", s);
	*used = n < 0 ? outlen : *used + (size_t)n;
	if (*used >= outlen)
		*used = outlen - 1;
}

void recovery_prompt_write(const struct recovery_prompt *p, char *out, size_t outlen)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (!outlen)
		return;
	out[0] = '\0';
	size_t used = 0;
	int y, m, d;
	clock_civil(p->opened_at, &y, &m, &d);
	char when[32];
	snprintf(when, sizeof(when), " on %d %s — ", d, months[(m - 1) % 12]);
	put(out, outlen, &used, recovery_category_label(p->category));
	put(out, outlen, &used, when);

	const char *done[5];
	size_t ndone = 0;
	if (p->apology)
		done[ndone++] = "apologised";
	if (p->comp_cents > 0)
		done[ndone++] = "comp given";
	if (p->refund_cents > 0)
		done[ndone++] = "refund given";
	if (p->called)
		done[ndone++] = "called";
	if (p->messaged)
		done[ndone++] = "messaged";
	for (size_t i = 0; i < ndone; i++) {
		if (i)
			put(out, outlen, &used, ", ");
		put(out, outlen, &used, done[i]);
	}

	if (recovery_active(p->status)) {
		if (!ndone) {
			put(out, outlen, &used, "not put right yet; apologise and tell ");
			put(out, outlen, &used, p->owner ? p->owner : "a manager");
		} else {
			put(out, outlen, &used, "; ");
			put(out, outlen, &used, p->owner ? p->owner : "a manager");
			put(out, outlen, &used, " is on it — make this visit a good one");
		}
		return;
	}
	if (!ndone)
		put(out, outlen, &used, "resolved");
	const char *outcome = p->outcome ? p->outcome : "unknown";
	if (strcmp(outcome, "recovered") == 0)
		put(out, outlen, &used, "; welcome them back warmly");
	else if (strcmp(outcome, "not_recovered") == 0)
		put(out, outlen, &used, "; they may still be unhappy — take extra care and let a "
					"manager know they are in");
	else
		put(out, outlen, &used, "; ask how things have been since");
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int64_t recovery_median(int64_t *v, size_t n)
{
	if (!n)
		return -1;
	qsort(v, n, sizeof(*v), cmp_i64);
	if (n % 2)
		return v[n / 2];
	/* halves first, so two large values cannot overflow */
	int64_t a = v[n / 2 - 1], b = v[n / 2];
	return a / 2 + b / 2 + (a % 2 + b % 2) / 2;
}
