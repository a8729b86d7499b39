/* Order tickets: the status machine, the clocks that say when an order is
 * late or needs a recovery case, the check of an order's items and the
 * one-line summary shown on a guest's card. Pure: no I/O. */
#ifndef MAITRED_TICKETS_H
#define MAITRED_TICKETS_H

#include "util/compat.h"
#include "domain/spec.h"

#include <jansson.h>

/* In lifecycle order; NULL-terminated. */
extern const char *const ticket_statuses[];

#define TICKET_MAX_ITEMS 100
#define TICKET_ITEM_NAME_MAX 120
#define TICKET_MAX_QUANTITY 99
#define TICKET_MAX_MODIFIERS 20
#define TICKET_MODIFIER_MAX 60
#define TICKET_ITEM_NOTE_MAX 200

/* placed → accepted → ready → served, and cancelled from any open status. */
bool ticket_transition_ok(const char *from, const char *to);
/* placed, accepted and ready are open: on the board, with a clock running. */
bool ticket_open(const char *status);

/* A location's clocks, in minutes. */
struct ticket_clocks {
	int64_t accept, promised, serve, case_after;
};

/* The deadlines of an order, in seconds since the epoch (-1: not set). */
struct ticket_times {
	int64_t placed_at, accept_by, promised_at, serve_by;
};

/* The clock running in status: accept_by while placed (or promised_at if
 * earlier), promised_at once accepted, serve_by once ready; -1 when closed. */
int64_t ticket_due(const char *status, const struct ticket_times *t);
/* Which clock that is: "accept", "ready" or "serve"; NULL when closed. */
const char *ticket_clock_name(const char *status, const struct ticket_times *t);
/* When an order still open in status gets a recovery case: its due time plus
 * case_after minutes; -1 when closed. */
int64_t ticket_case_at(const char *status, const struct ticket_times *t,
		       const struct ticket_clocks *c);
/* The recovery category for an order still open in status when its case
 * comes due: never accepted is "order_missing", else "order_late". */
const char *ticket_case_category(const char *status);

/* Checks an order's items: an array of 1..TICKET_MAX_ITEMS objects with
 * name (required), quantity, modifiers and note. Names the offending path
 * ("items[2].quantity") in err. The array is borrowed. */
bool ticket_items_check(const json_t *items, struct spec_error *err);

/* "1× Caesar salad, 2× Flat white" into out, truncated at a character
 * boundary with "…" when it does not fit. */
struct ticket_line {
	const char *name;
	int64_t quantity;
};
void ticket_summary(const struct ticket_line *lines, int n, char *out, size_t outlen);

#endif
