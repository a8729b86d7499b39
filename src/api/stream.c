/* The live stream's handler and its event format: which events a screen
 * receives and how each is written as Server-Sent Events. net/stream.c
 * keeps the connections and feeds them new events; a reconnecting client
 * first gets what it missed from the event log, here. */
#include "util/compat.h"
#include "api/api.h"
#include "util/buf.h"
#include "util/clock.h"

#define STREAM_RETRY_MS 2000
/* A client that missed more than this reloads instead of replaying. */
#define STREAM_MAX_REPLAY 1000
#define STREAM_FIRST_BYTES (4 * 1024 * 1024)

bool stream_event_wanted(const struct event *e, bool kitchen)
{
	if (strncmp(e->type, "order.", 6) == 0)
		return true;
	bool alert = strcmp(e->type, "alert.raised") == 0 || strcmp(e->type, "alert.cleared") == 0;
	if (kitchen)
		/* the alert's subject is its event's subject; only order alerts */
		return alert && e->data && strstr(e->data, "\"subject\":{\"type\":\"order\"");
	return alert || strcmp(e->type, "case.opened") == 0 || strcmp(e->type, "check.recorded") == 0;
}

void stream_event_format(struct buf *b, const struct event *e)
{
	char at[CLOCK_RFC3339_LEN];
	clock_format(e->at, at);
	struct jw w;
	buf_printf(b, "id: %lld\nevent: %s\ndata: ", (long long)e->id, e->type);
	jw_init(&w, b);
	jw_obj(&w);
	JW_KEY(&w, "id");
	jw_int(&w, e->id);
	JW_KEY(&w, "type");
	jw_str(&w, e->type);
	JW_KEY(&w, "at");
	jw_str(&w, at);
	JW_KEY(&w, "location_id");
	jw_opt_int(&w, e->location_id);
	JW_KEY(&w, "guest_id");
	jw_opt_int(&w, e->guest_id);
	JW_KEY(&w, "subject_id");
	jw_opt_int(&w, e->subject_id);
	JW_KEY(&w, "data");
	jw_raw(&w, e->data ? e->data : "{}");
	jw_obj_end(&w);
	buf_append(b, "\n\n", 2);
}

enum err stream_open_h(struct req *r)
{
	int64_t after = -1;
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	int64_t location_id = l.id;
	enum db_rc rc;
	const char *q = req_query(r, "last_event_id");
	if (r->last_event_id && !parse_i64(r->last_event_id, 0, INT64_MAX, &after))
		return req_fail(r, E_FIELD_INVALID, "Last-Event-ID", "Last-Event-ID must be an event id");
	if (q && !parse_i64(q, 0, INT64_MAX, &after))
		return req_fail(r, E_FIELD_INVALID, "last_event_id", "last_event_id must be an event id");
	int64_t head;
	if ((rc = events_last_id(r->db, &head)) != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	bool kitchen = r->caller.role == ROLE_KITCHEN;
	struct buf b;
	buf_init(&b, STREAM_FIRST_BYTES);
	buf_printf(&b, "retry: %d\n\n", STREAM_RETRY_MS);
	size_t head_len = b.len;
	const char *hello = "hello";
	if (after >= 0 && after < head) {
		struct event *evs;
		int n;
		rc = events_after(r->db, &r->arena, location_id, after, STREAM_MAX_REPLAY + 1, &evs, &n);
		if (rc != DB_DONE) {
			buf_release(&b);
			return req_db_fail(r, rc);
		}
		for (int i = 0; i < n && n <= STREAM_MAX_REPLAY; i++)
			if (evs[i].id <= head && stream_event_wanted(&evs[i], kitchen))
				stream_event_format(&b, &evs[i]);
		if (n > STREAM_MAX_REPLAY || b.overflow) {
			/* too much missed: start again from now */
			hello = "reset";
			b.len = head_len;
			b.data[b.len] = '\0';
			b.overflow = false;
		}
	}
	buf_printf(&b, "id: %lld\nevent: %s\ndata: {\"location_id\":%lld,\"last_event_id\":%lld}\n\n",
		   (long long)head, hello, (long long)location_id, (long long)head);
	if (b.overflow) {
		buf_release(&b);
		return req_fail(r, E_INTERNAL, NULL, "the stream cannot start");
	}
	r->res.status = 200;
	r->res.content_type = "text/event-stream; charset=utf-8";
	r->res.text = buf_detach(&b, &r->res.text_len);
	r->res.stream = true;
	r->res.stream_kitchen = kitchen;
	r->res.stream_location = location_id;
	r->res.stream_cursor = head;
	return E_OK;
}
