/* The background worker (see worker.h). */
#include "util/compat.h"
#include "net/worker.h"
#include "api/api.h"
#include "net/stream.h"
#include "util/clock.h"
#include "util/log.h"

#include <pthread.h>

enum db_rc worker_pass(struct db *db, int64_t now, struct worker_report *out)
{
	memset(out, 0, sizeof(*out));
	struct arena a;
	arena_init(&a);
	struct recovery_tick t;
	struct orders_tick ot;
	enum db_rc rc = db_begin(db, true);
	if (rc == DB_OK)
		rc = orders_tick(db, &a, now, &ot);
	if (rc == DB_DONE)
		rc = recovery_tick(db, &a, now, &t);
	int checks = 0, refits = 0;
	if (rc == DB_DONE)
		rc = standards_tick(db, &a, now, &checks);
	if (rc == DB_DONE && (rc = db_commit(db)) == DB_OK)
		rc = DB_DONE;
	if (rc != DB_DONE && db->in_tx)
		db_rollback(db);
	/* the refit in transactions of its own: if it fails, the clocks above
	 * stand */
	if (rc == DB_DONE) {
		enum db_rc fit = analytics_tick(db, &a, now, &refits);
		if (fit != DB_DONE && fit != DB_BUSY)
			log_error("worker: refit failed: %s", db_errmsg(db));
	}
	arena_release(&a);
	if (rc == DB_DONE) {
		out->cases_overdue = t.overdue;
		out->cases_measured = t.measured;
		out->orders_late = ot.late;
		out->order_cases = ot.cases;
		out->checks_overdue = checks;
		out->refits = refits;
	}
	return rc;
}

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, stopping;
	const char *db_path;
} worker = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *worker_main(void *unused)
{
	(void)unused;
	char err[256];
	struct db *db = db_open(worker.db_path, err, sizeof(err));
	if (!db) {
		log_error("worker: cannot open the database: %s", err);
		return NULL;
	}
	pthread_mutex_lock(&worker.lock);
	while (!worker.stopping) {
		pthread_mutex_unlock(&worker.lock);
		struct worker_report rep;
		enum db_rc rc = worker_pass(db, clock_now(), &rep);
		if (rc == DB_DONE && (rep.cases_overdue || rep.cases_measured || rep.orders_late ||
				      rep.order_cases || rep.checks_overdue || rep.refits))
			log_info("worker: %d orders late, %d cases for orders, %d cases overdue, "
				 "%d recoveries measured, %d checks overdue, %d locations refitted",
				 rep.orders_late, rep.order_cases, rep.cases_overdue, rep.cases_measured,
				 rep.checks_overdue, rep.refits);
		if (rc == DB_DONE)
			stream_notify();
		else if (rc != DB_DONE && rc != DB_BUSY)
			log_error("worker: pass failed: %s", db_errmsg(db));
		/* busy: the next pass tries again */
		pthread_mutex_lock(&worker.lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WORKER_INTERVAL_SECONDS;
		while (!worker.stopping &&
		       pthread_cond_timedwait(&worker.wake, &worker.lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&worker.lock);
	db_close(db);
	return NULL;
}

bool worker_start(const char *db_path)
{
	worker.db_path = db_path;
	worker.stopping = false;
	worker.running = pthread_create(&worker.thread, NULL, worker_main, NULL) == 0;
	return worker.running;
}

void worker_stop(void)
{
	if (!worker.running)
		return;
	pthread_mutex_lock(&worker.lock);
	worker.stopping = true;
	pthread_cond_signal(&worker.wake);
	pthread_mutex_unlock(&worker.lock);
	pthread_join(worker.thread, NULL);
	worker.running = false;
}
