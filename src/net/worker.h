/* The background worker: the clocks that run beside the HTTP server (case
 * due times, measurement windows, order clocks, checks of standards). One
 * thread with its own database connection runs a pass every few seconds;
 * `maitred tick` runs one pass with an injected clock. */
#ifndef MAITRED_WORKER_H
#define MAITRED_WORKER_H

#include "util/compat.h"
#include "store/db.h"

#define WORKER_INTERVAL_SECONDS 5

struct worker_report {
	int cases_overdue, cases_measured;
	int orders_late, order_cases;
	int checks_overdue; /* check_overdue alerts raised */
	int refits;	    /* locations whose guest scores were refitted */
};

/* One pass at time now, in its own write transaction. DB_DONE on success. */
enum db_rc worker_pass(struct db *db, int64_t now, struct worker_report *out);

/* Starts and stops the thread; start returns false if it cannot. */
bool worker_start(const char *db_path);
void worker_stop(void);

#endif
