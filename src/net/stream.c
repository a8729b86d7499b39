/* The live stream's hub (see stream.h).
 *
 * Locking: hub.lock guards the ring, the client list and every client's
 * fields. A client's connection is suspended only from its reader, under the
 * lock, and resumed only by the hub under the lock, so a resume never meets
 * a connection that is gone: libmicrohttpd does not close a suspended
 * connection, and the free callback unlinks a client under the lock. */
#include "util/compat.h"
#include "net/stream.h"
#include "net/req.h"
#include "api/api.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"

#include <microhttpd.h>
#include <pthread.h>
#include <time.h>

#define RING_SIZE 4096		  /* formatted events kept for clients catching up */
#define RING_MAX_BYTES (32 * 1024 * 1024) /* and at most this much of them */
#define READ_BATCH 500		  /* events read from the log per query */
#define CLIENT_OUT_MAX (8 * 1024 * 1024) /* a client further behind starts again */
#define BLOCK_BYTES (16 * 1024)	  /* what libmicrohttpd asks for at most per read */
#define STOP_WAIT_MS 2000
/* A stream ends after this long and the client reconnects (EventSource does
 * so by itself, with Last-Event-ID), so a disabled account or an ended
 * session stops receiving events within the hour. */
#define STREAM_MAX_SECONDS 3600

struct entry {
	int64_t id, location_id;
	bool kitchen; /* kitchen screens receive it too */
	char *text;
	size_t len;
};

struct client {
	struct MHD_Connection *conn;
	int64_t location_id;
	bool kitchen;
	int64_t cursor; /* the newest event id this client is past */
	int64_t ends_at; /* real-clock seconds */
	struct buf out; /* bytes not yet handed to libmicrohttpd */
	size_t sent;	/* of out */
	bool suspended, keepalive_due, ending;
	struct client *prev, *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running, stopping, notified;
	const char *db_path;
	struct client *clients;
	int nclients;
	struct entry ring[RING_SIZE];
	size_t first, count; /* ring[first] is the oldest of count entries */
	size_t bytes;	     /* of their text */
	/* every stream event after floor is in the ring; last: newest event read */
	int64_t floor, last;
	int keepalive_seconds;
} hub = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

void stream_notify(void)
{
	if (!hub.running)
		return;
	pthread_mutex_lock(&hub.lock);
	hub.notified = true;
	pthread_cond_signal(&hub.wake);
	pthread_mutex_unlock(&hub.lock);
}

int stream_clients(void)
{
	pthread_mutex_lock(&hub.lock);
	int n = hub.nclients;
	pthread_mutex_unlock(&hub.lock);
	return n;
}

/* ---- the connections' side ---- */

/* Moves what the client may see from the ring into its buffer. Under lock. */
static void client_fill(struct client *cl)
{
	if (cl->cursor < hub.floor) {
		/* it fell behind what the ring holds: tell it to reload */
		buf_printf(&cl->out, "id: %lld\nevent: reset\ndata: {\"last_event_id\":%lld}\n\n",
			   (long long)hub.last, (long long)hub.last);
		cl->cursor = hub.last;
		cl->ending = true;
		return;
	}
	/* the ring is in id order: start after the client's cursor */
	size_t lo = 0, hi = hub.count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hub.ring[(hub.first + mid) % RING_SIZE].id <= cl->cursor)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < hub.count; i++) {
		const struct entry *e = &hub.ring[(hub.first + i) % RING_SIZE];
		if (e->location_id == cl->location_id && (!cl->kitchen || e->kitchen))
			buf_append(&cl->out, e->text, e->len);
	}
	if (hub.last > cl->cursor)
		cl->cursor = hub.last;
	if (cl->keepalive_due) {
		buf_puts(&cl->out, ": keep-alive\n\n");
		cl->keepalive_due = false;
	}
	if (cl->out.overflow) {
		/* too slow a reader: drop what piled up and make it start again */
		buf_release(&cl->out);
		buf_init(&cl->out, CLIENT_OUT_MAX);
		buf_printf(&cl->out, "id: %lld\nevent: reset\ndata: {\"last_event_id\":%lld}\n\n",
			   (long long)hub.last, (long long)hub.last);
		cl->ending = true;
	}
}

static ssize_t client_read(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct client *cl = cls;
	pthread_mutex_lock(&hub.lock);
	if (cl->sent == cl->out.len) {
		cl->sent = cl->out.len = 0;
		if (cl->ending || hub.stopping) {
			pthread_mutex_unlock(&hub.lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		client_fill(cl);
		if (cl->out.len == 0) {
			/* nothing to send: wait, without a thread, until the hub resumes us */
			cl->suspended = true;
			MHD_suspend_connection(cl->conn);
			pthread_mutex_unlock(&hub.lock);
			return 0;
		}
	}
	size_t n = cl->out.len - cl->sent;
	if (n > max)
		n = max;
	memcpy(dst, cl->out.data + cl->sent, n);
	cl->sent += n;
	pthread_mutex_unlock(&hub.lock);
	return (ssize_t)n;
}

static void client_free(void *cls)
{
	struct client *cl = cls;
	pthread_mutex_lock(&hub.lock);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		hub.clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	hub.nclients--;
	pthread_mutex_unlock(&hub.lock);
	buf_release(&cl->out);
	free(cl);
}

struct MHD_Response *stream_response(struct MHD_Connection *c, struct res *res)
{
	struct client *cl = calloc(1, sizeof(*cl));
	if (!cl)
		return NULL;
	cl->conn = c;
	cl->location_id = res->stream_location;
	cl->kitchen = res->stream_kitchen;
	cl->cursor = res->stream_cursor;
	cl->ends_at = (int64_t)time(NULL) + STREAM_MAX_SECONDS;
	buf_init(&cl->out, CLIENT_OUT_MAX);
	if (!buf_append(&cl->out, res->text, res->text_len)) {
		buf_release(&cl->out);
		free(cl);
		return NULL;
	}
	free(res->text);
	res->text = NULL;
	struct MHD_Response *resp =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BLOCK_BYTES, client_read, cl, client_free);
	if (!resp) {
		buf_release(&cl->out);
		free(cl);
		return NULL;
	}
	pthread_mutex_lock(&hub.lock);
	cl->next = hub.clients;
	if (hub.clients)
		hub.clients->prev = cl;
	hub.clients = cl;
	hub.nclients++;
	pthread_mutex_unlock(&hub.lock);
	return resp;
}

/* ---- the hub thread ---- */

/* Resumes the waiting clients at these locations (nlocations -1: all),
 * or all of them for a keep-alive. Under lock. */
static void wake_clients(const int64_t *locations, int nlocations, bool keepalive)
{
	for (struct client *cl = hub.clients; cl; cl = cl->next) {
		bool wanted = keepalive || hub.stopping || nlocations < 0;
		for (int i = 0; !wanted && i < nlocations; i++)
			wanted = locations[i] == cl->location_id;
		if (keepalive) {
			cl->keepalive_due = true;
			if ((int64_t)time(NULL) >= cl->ends_at)
				cl->ending = true;
		}
		if (wanted && cl->suspended) {
			cl->suspended = false;
			MHD_resume_connection(cl->conn);
		}
	}
}

/* Adds a formatted event to the ring, dropping the oldest while it is
 * full. Under lock. */
static void ring_push(struct entry *e)
{
	while (hub.count && (hub.count == RING_SIZE || hub.bytes + e->len > RING_MAX_BYTES)) {
		struct entry *old = &hub.ring[hub.first];
		hub.floor = old->id;
		hub.bytes -= old->len;
		free(old->text);
		hub.first = (hub.first + 1) % RING_SIZE;
		hub.count--;
	}
	hub.ring[(hub.first + hub.count) % RING_SIZE] = *e;
	hub.count++;
	hub.bytes += e->len;
}

#define MAX_WOKEN_LOCATIONS 64

/* Reads the events after hub.last and hands them out; false on a database
 * error. Formatting happens outside the lock. */
static bool hub_read(struct db *db)
{
	struct arena a;
	arena_init(&a);
	bool more = true, ok = true;
	while (more && ok) {
		struct event *evs;
		int n = 0;
		enum db_rc rc = db_begin(db, false);
		if (rc == DB_OK) {
			rc = events_after(db, &a, -1, hub.last, READ_BATCH, &evs, &n);
			if (rc == DB_DONE)
				db_commit(db);
			else
				db_rollback(db);
		}
		if (rc != DB_DONE) {
			ok = rc == DB_BUSY;
			if (!ok)
				log_error("stream: cannot read events: %s", db_errmsg(db));
			break;
		}
		more = n == READ_BATCH;
		int64_t locations[MAX_WOKEN_LOCATIONS];
		int nloc = 0;
		bool overflow = false;
		struct entry *entries = arena_alloc(&a, sizeof(*entries) * (size_t)(n ? n : 1));
		int nentries = 0;
		for (int i = 0; i < n; i++) {
			const struct event *ev = &evs[i];
			if (ev->location_id < 0 || !stream_event_wanted(ev, false))
				continue;
			struct buf b;
			buf_init(&b, CLIENT_OUT_MAX);
			stream_event_format(&b, ev);
			if (b.overflow) {
				buf_release(&b);
				continue;
			}
			struct entry *e = &entries[nentries++];
			e->id = ev->id;
			e->location_id = ev->location_id;
			e->kitchen = stream_event_wanted(ev, true);
			e->text = buf_detach(&b, &e->len);
			bool seen = false;
			for (int k = 0; k < nloc; k++)
				seen |= locations[k] == ev->location_id;
			if (!seen && nloc < MAX_WOKEN_LOCATIONS)
				locations[nloc++] = ev->location_id;
			else if (!seen)
				overflow = true;
		}
		pthread_mutex_lock(&hub.lock);
		for (int i = 0; i < nentries; i++)
			ring_push(&entries[i]);
		if (n)
			hub.last = evs[n - 1].id;
		/* too many locations at once: wake everyone waiting */
		wake_clients(locations, overflow ? -1 : nloc, false);
		/* those still waiting had nothing in this batch: they are past it,
		 * so the ring turning over cannot make them start again */
		for (struct client *cl = hub.clients; cl; cl = cl->next)
			if (cl->suspended && cl->cursor < hub.last)
				cl->cursor = hub.last;
		pthread_mutex_unlock(&hub.lock);
		arena_release(&a);
		arena_init(&a);
	}
	arena_release(&a);
	return ok;
}

static void *hub_main(void *unused)
{
	(void)unused;
	char err[256];
	struct db *db = db_open(hub.db_path, err, sizeof(err));
	if (!db) {
		log_error("stream: cannot open the database: %s", err);
		return NULL;
	}
	int64_t last_keepalive = clock_now();
	pthread_mutex_lock(&hub.lock);
	while (!hub.stopping) {
		if (!hub.notified) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += (long)STREAM_POLL_MS * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&hub.wake, &hub.lock, &until);
		}
		if (hub.stopping)
			break;
		hub.notified = false;
		pthread_mutex_unlock(&hub.lock);
		hub_read(db);
		pthread_mutex_lock(&hub.lock);
		/* the real clock: a pinned test clock must not stop keep-alives */
		int64_t now = (int64_t)time(NULL);
		if (now - last_keepalive >= hub.keepalive_seconds) {
			last_keepalive = now;
			wake_clients(NULL, 0, true);
		}
	}
	pthread_mutex_unlock(&hub.lock);
	db_close(db);
	return NULL;
}

bool stream_start(const char *db_path)
{
	char err[256];
	struct db *db = db_open(db_path, err, sizeof(err));
	if (!db) {
		log_error("stream: cannot open the database: %s", err);
		return false;
	}
	int64_t last = 0;
	enum db_rc rc = events_last_id(db, &last);
	db_close(db);
	if (rc != DB_ROW)
		return false;
	const char *ka = getenv("MAITRED_STREAM_KEEPALIVE");
	int64_t seconds = STREAM_KEEPALIVE_SECONDS;
	if (ka && !parse_i64(ka, 1, 3600, &seconds))
		log_warn("MAITRED_STREAM_KEEPALIVE must be seconds between 1 and 3600; using %d",
			 STREAM_KEEPALIVE_SECONDS);
	hub.keepalive_seconds = (int)seconds;
	hub.db_path = db_path;
	hub.last = hub.floor = last;
	hub.stopping = hub.notified = false;
	hub.running = pthread_create(&hub.thread, NULL, hub_main, NULL) == 0;
	return hub.running;
}

void stream_stop(void)
{
	if (!hub.running)
		return;
	pthread_mutex_lock(&hub.lock);
	hub.stopping = true;
	pthread_cond_signal(&hub.wake);
	wake_clients(NULL, -1, false); /* every stream ends on its next read */
	pthread_mutex_unlock(&hub.lock);
	pthread_join(hub.thread, NULL);
	for (int waited = 0; waited < STOP_WAIT_MS && stream_clients() > 0; waited += 10) {
		struct timespec ten = {0, 10 * 1000000L};
		nanosleep(&ten, NULL);
	}
	pthread_mutex_lock(&hub.lock);
	for (size_t i = 0; i < hub.count; i++)
		free(hub.ring[(hub.first + i) % RING_SIZE].text);
	hub.count = hub.first = hub.bytes = 0;
	hub.running = false;
	pthread_mutex_unlock(&hub.lock);
}
