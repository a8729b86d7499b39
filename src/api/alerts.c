/* Alerts: what needs someone's attention now (an overdue case, a late
 * order). Raised and cleared by the clocks and the handlers; every raise and
 * clear is an event, so the live stream carries it. */
#include "util/compat.h"
#include "api/api.h"
#include "util/clock.h"

#define ALERTS_DEFAULT_LIMIT 50
#define ALERTS_MAX_LIMIT 200
#define ALERT_EVENT_MAX_BYTES (16 * 1024)

const char *const alert_kinds[] = {"case_overdue", "order_late", "check_overdue", "deal_breaker",
				   NULL};

/* The Alert object. Subjects are named by their resource: a case lives at
 * /cases/{id}, an order at /orders/{id}. */
static void alert_write(struct jw *w, const struct alert *al)
{
	char path[64];
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, al->id);
	JW_KEY(w, "kind");
	jw_str(w, al->kind);
	JW_KEY(w, "location_id");
	jw_int(w, al->location_id);
	JW_KEY(w, "message");
	jw_str(w, al->message);
	JW_KEY(w, "raised_at");
	jw_time(w, al->raised_at);
	JW_KEY(w, "subject");
	jw_obj(w);
	JW_KEY(w, "type");
	jw_str(w, al->subject_type);
	JW_KEY(w, "id");
	jw_int(w, al->subject_id);
	JW_KEY(w, "href");
	snprintf(path, sizeof(path), "/api/v1/%ss/%lld", al->subject_type, (long long)al->subject_id);
	jw_str(w, path);
	JW_KEY(w, "link");
	snprintf(path, sizeof(path), "/#/%ss/%lld", al->subject_type, (long long)al->subject_id);
	jw_str(w, path);
	jw_obj_end(w);
	jw_obj_end(w);
}

static enum db_rc alert_event(struct db *db, const char *type, const struct alert *al)
{
	struct buf b;
	struct jw w;
	buf_init(&b, ALERT_EVENT_MAX_BYTES);
	jw_init(&w, &b);
	jw_obj(&w);
	JW_KEY(&w, "alert");
	alert_write(&w, al);
	jw_obj_end(&w);
	enum db_rc rc = b.overflow ? DB_ERROR
				   : events_add(db, (struct actor){-1, -1}, type, al->location_id, -1,
						al->subject_id, b.data);
	buf_release(&b);
	return rc;
}

enum db_rc alert_raise(struct db *db, struct alert *al)
{
	enum db_rc rc = alerts_insert(db, al);
	if (rc != DB_ROW)
		return rc;
	return alert_event(db, "alert.raised", al);
}

enum db_rc alerts_clear_subject(struct db *db, struct arena *a, const char *subject_type,
				int64_t subject_id, int64_t now)
{
	struct alert *cleared;
	int n;
	enum db_rc rc = alerts_clear(db, a, subject_type, subject_id, now, &cleared, &n);
	for (int i = 0; rc == DB_DONE && i < n; i++)
		rc = alert_event(db, "alert.cleared", &cleared[i]);
	return rc;
}

enum err alerts_list_h(struct req *r)
{
	int64_t location_id, scope, limit, before = 0, unused;
	enum err e = list_scope(r, &location_id, &scope);
	if (e || (e = req_query_int(r, "limit", 1, ALERTS_MAX_LIMIT, ALERTS_DEFAULT_LIMIT, &limit)))
		return e;
	const char *kind;
	if ((e = req_query_enum(r, "kind", alert_kinds, &kind)))
		return e;
	const char *cursor = req_query(r, "cursor");
	if (cursor && (!cursor_decode(cursor, &before, &unused) || before < 1))
		return req_fail(r, E_FIELD_INVALID, "cursor", "cursor is not one this server gave out");
	struct alert *as;
	int n;
	enum db_rc rc = alerts_list(r->db, &r->arena, location_id, scope, kind, before, (int)limit + 1,
				    &as, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	bool more = n > limit;
	if (more)
		n = (int)limit;
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++)
		alert_write(w, &as[i]);
	jw_arr_end(w);
	JW_KEY(w, "next");
	jw_str(w, more ? cursor_encode(&r->arena, as[n - 1].id, 0) : NULL);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}
