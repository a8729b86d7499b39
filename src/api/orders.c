/* Orders and the board: every order has a clock from the moment it is
 * placed, and carries the guest's flags and pinned preferences as the
 * counter knew them. The kitchen must acknowledge flags to accept a ticket.
 * The clocks (orders_tick) mark late orders, raise alerts and open recovery
 * cases through the service-recovery module. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/tickets.h"
#include "util/clock.h"
#include "util/jw.h"

#define SPECIAL_REQUESTS_MAX_CHARS 500
#define CANCEL_REASON_MAX_CHARS 200
#define PROMISED_MINUTES_MAX 1440
#define ORDERS_DEFAULT_LIMIT 100
#define ORDERS_MAX_LIMIT 200
#define CARD_MAX_ORDERS 10
#define CARD_SCAN_ORDERS 200
#define CARD_SUMMARY_BYTES 160
#define TICKET_MAX_PREFERENCES 10
/* 50 flags of 1,000 characters, escaped at worst */
#define SNAPSHOT_MAX_BYTES (512 * 1024)
#define ORDER_EVENT_MAX_BYTES (512 * 1024)
#define TICK_BATCH 200

static const struct spec_field order_create_fields[] = {
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"guest_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"visit_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"items", SPEC_ARRAY, true, false, 1, TICKET_MAX_ITEMS, NULL},
	{"special_requests", SPEC_STRING, false, true, 0, SPECIAL_REQUESTS_MAX_CHARS, NULL},
	{"promised_minutes", SPEC_INT, false, true, 1, PROMISED_MINUTES_MAX, NULL},
};
const struct spec order_create_spec = SPEC(order_create_fields);

static const char *const order_moves[] = {"accepted", "ready", "served", "cancelled", NULL};
static const struct spec_field order_update_fields[] = {
	{"status", SPEC_ENUM, true, false, 0, 0, order_moves},
	{"acknowledge_flags", SPEC_BOOL, false, false, 0, 0, NULL},
	{"reason", SPEC_STRING, false, false, 1, CANCEL_REASON_MAX_CHARS, NULL},
};
const struct spec order_update_spec = SPEC(order_update_fields);

/* ---- writing tickets ---- */

static void move_write(struct jw *w, const char *at_key, size_t at_len, const char *by_key,
		       size_t by_len, const struct order_move *m)
{
	jw_key_raw(w, at_key, at_len);
	jw_time(w, m->at);
	jw_key_raw(w, by_key, by_len);
	if (m->at < 0)
		jw_null(w);
	else
		actor_write(w, m->by.staff_id, m->by.token_id, m->name);
}
#define MOVE(w, k, m) \
	move_write((w), "\"" k "_at\":", sizeof("\"" k "_at\":") - 1, "\"" k "_by\":", \
		   sizeof("\"" k "_by\":") - 1, (m))

/* When the order stopped aging: served or cancelled, else now. */
static int64_t order_end(const struct order *o, int64_t now)
{
	if (o->served.at >= 0)
		return o->served.at;
	if (o->cancelled.at >= 0)
		return o->cancelled.at;
	return now;
}

/* The Order object's fields, as of now. */
static void order_write(struct jw *w, const struct order *o, int64_t now)
{
	JW_KEY(w, "id");
	jw_int(w, o->id);
	JW_KEY(w, "location_id");
	jw_int(w, o->location_id);
	JW_KEY(w, "status");
	jw_str(w, o->status);
	JW_KEY(w, "late");
	jw_bool(w, o->late_at >= 0);
	JW_KEY(w, "late_at");
	jw_time(w, o->late_at);
	JW_KEY(w, "late_clock");
	jw_str(w, o->late_clock);
	JW_KEY(w, "guest");
	if (o->guest_id < 0) {
		jw_null(w);
	} else {
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, o->guest_id);
		JW_KEY(w, "name");
		jw_str(w, o->guest_name);
		jw_obj_end(w);
	}
	JW_KEY(w, "visit_id");
	jw_opt_int(w, o->visit_id);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < o->nitems; i++) {
		const struct order_item *it = &o->items[i];
		jw_obj(w);
		JW_KEY(w, "name");
		jw_str(w, it->name);
		JW_KEY(w, "quantity");
		jw_int(w, it->quantity);
		JW_KEY(w, "modifiers");
		jw_raw(w, it->modifiers ? it->modifiers : "[]");
		JW_KEY(w, "note");
		jw_str(w, it->note);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "special_requests");
	jw_str(w, o->special_requests);
	JW_KEY(w, "flags");
	jw_raw(w, o->flags ? o->flags : "[]");
	JW_KEY(w, "preferences");
	jw_raw(w, o->preferences ? o->preferences : "[]");
	JW_KEY(w, "flags_acknowledged");
	if (o->ack.at < 0) {
		jw_null(w);
	} else {
		jw_obj(w);
		JW_KEY(w, "by");
		actor_write(w, o->ack.by.staff_id, o->ack.by.token_id, o->ack.name);
		JW_KEY(w, "at");
		jw_time(w, o->ack.at);
		jw_obj_end(w);
	}
	MOVE(w, "placed", &o->placed);
	JW_KEY(w, "accept_by");
	jw_time(w, o->t.accept_by);
	JW_KEY(w, "promised_at");
	jw_time(w, o->t.promised_at);
	JW_KEY(w, "serve_by");
	jw_time(w, o->t.serve_by);
	JW_KEY(w, "due_at");
	jw_time(w, o->due_at);
	MOVE(w, "accepted", &o->accepted);
	MOVE(w, "ready", &o->ready);
	MOVE(w, "served", &o->served);
	MOVE(w, "cancelled", &o->cancelled);
	JW_KEY(w, "cancel_reason");
	jw_str(w, o->cancel_reason);
	JW_KEY(w, "case_id");
	jw_opt_int(w, o->case_id);
	int64_t age = order_end(o, now) - o->t.placed_at;
	JW_KEY(w, "age_seconds");
	jw_int(w, age > 0 ? age : 0);
	JW_KEY(w, "late_by_seconds");
	jw_int(w, o->due_at >= 0 && now > o->due_at ? now - o->due_at : 0);
	JW_KEY(w, "updated_at");
	jw_time(w, o->updated_at);
}

/* "1× Caesar salad, 2× Flat white" */
static void order_summary(const struct order *o, char *out, size_t outlen)
{
	struct ticket_line lines[ORDER_MAX_ITEMS];
	for (int k = 0; k < o->nitems; k++)
		lines[k] = (struct ticket_line){o->items[k].name, o->items[k].quantity};
	ticket_summary(lines, o->nitems, out, outlen);
}

/* Writes an event about an order: {"order": the ticket} plus extra. */
static enum db_rc order_event(struct db *db, struct actor by, const char *type,
			      const struct order *o, const char *extra_key, const char *extra,
			      int64_t now)
{
	struct buf b;
	struct jw w;
	buf_init(&b, ORDER_EVENT_MAX_BYTES);
	jw_init(&w, &b);
	jw_obj(&w);
	if (extra_key) {
		jw_key(&w, extra_key);
		jw_str(&w, extra);
	}
	JW_KEY(&w, "order");
	jw_obj(&w);
	order_write(&w, o, now);
	jw_obj_end(&w);
	jw_obj_end(&w);
	enum db_rc rc = b.overflow ? DB_ERROR
				   : events_add(db, by, type, o->location_id, o->guest_id, o->id, b.data);
	buf_release(&b);
	return rc;
}

static enum err reply_order(struct req *r, int status, const struct order *o)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	order_write(w, o, clock_now());
	jw_obj_end(w);
	return jreply_close(r, status, &j);
}

/* ---- placing ---- */

/* The guest's flags and pinned preferences as the ticket keeps them, as
 * JSON text in a. DB_DONE, or DB_ERROR when they do not fit. */
static enum db_rc guest_snapshot(struct db *db, struct arena *a, int64_t guest_id, struct order *o)
{
	struct note *notes;
	int n;
	enum db_rc rc = guest_flags(db, a, guest_id, &notes, &n);
	if (rc != DB_DONE)
		return rc;
	struct buf b;
	struct jw w;
	buf_init(&b, SNAPSHOT_MAX_BYTES);
	jw_init(&w, &b);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		JW_KEY(&w, "id");
		jw_int(&w, notes[i].id);
		JW_KEY(&w, "kind");
		jw_str(&w, notes[i].kind);
		JW_KEY(&w, "text");
		jw_str(&w, notes[i].text);
		JW_KEY(&w, "allergen");
		jw_str(&w, notes[i].allergen);
		JW_KEY(&w, "severity");
		jw_str(&w, notes[i].severity);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	o->has_flags = n > 0;
	o->flags = b.overflow ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	if ((rc = notes_preferences(db, a, guest_id, TICKET_MAX_PREFERENCES, &notes, &n)) != DB_DONE)
		return rc;
	buf_init(&b, SNAPSHOT_MAX_BYTES);
	jw_init(&w, &b);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		if (!notes[i].pinned)
			continue;
		jw_obj(&w);
		JW_KEY(&w, "id");
		jw_int(&w, notes[i].id);
		JW_KEY(&w, "text");
		jw_str(&w, notes[i].text);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	o->preferences = b.overflow ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return o->flags && o->preferences ? DB_DONE : DB_ERROR;
}

enum db_rc order_place(struct db *db, struct arena *a, struct actor by, const struct location *l,
		       int64_t promised_minutes, struct order *o)
{
	int64_t now = o->t.placed_at > 0 ? o->t.placed_at : clock_now();
	o->location_id = l->id;
	o->status = "placed";
	o->placed = (struct order_move){.at = now, .by = by};
	o->accepted = o->ready = o->served = o->cancelled = o->ack = (struct order_move){.at = -1};
	o->late_at = o->case_id = -1;
	o->late_clock = NULL;
	o->updated_at = now;
	o->has_flags = false;
	o->flags = o->preferences = NULL;
	enum db_rc rc;
	if (o->guest_id >= 0 && (rc = guest_snapshot(db, a, o->guest_id, o)) != DB_DONE)
		return rc;
	o->t = (struct ticket_times){
		.placed_at = now,
		.accept_by = now + l->orders.accept * 60,
		.promised_at = now + (promised_minutes > 0 ? promised_minutes : l->orders.promised) * 60,
		.serve_by = -1,
	};
	o->due_at = ticket_due(o->status, &o->t);
	o->clocks = l->orders;
	o->case_at = ticket_case_at(o->status, &o->t, &o->clocks);
	if ((rc = orders_insert(db, o)) != DB_ROW)
		return rc;
	for (int i = 0; i < o->nitems; i++)
		if ((rc = order_items_insert(db, o->id, i, &o->items[i])) != DB_DONE)
			return rc;
	/* read back, for the names */
	if ((rc = orders_get(db, a, o->id, o)) != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	rc = order_event(db, by, "order.placed", o, NULL, NULL, now);
	return rc == DB_DONE ? DB_ROW : rc;
}

/* The items of the body (checked by ticket_items_check). */
static void items_read(struct req *r, const json_t *items, struct order *o)
{
	o->nitems = (int)json_array_size(items);
	o->items = arena_alloc(&r->arena, sizeof(*o->items) * (size_t)o->nitems);
	for (int i = 0; i < o->nitems; i++) {
		const json_t *it = json_array_get(items, (size_t)i);
		struct order_item *x = &o->items[i];
		x->name = json_string_value(json_object_get(it, "name"));
		x->quantity = spec_int(it, "quantity", 1);
		const json_t *mods = json_object_get(it, "modifiers");
		char *text = mods ? json_dumps(mods, JSON_COMPACT) : NULL;
		x->modifiers = text ? arena_strdup(&r->arena, text) : "[]";
		free(text);
		x->note = json_string_value(json_object_get(it, "note"));
		if (x->note && !x->note[strspn(x->note, " \t")])
			x->note = NULL;
	}
}

enum err orders_create_h(struct req *r)
{
	struct spec_error se;
	if (!ticket_items_check(json_object_get(r->body, "items"), &se))
		return req_fail(r, se.code, se.field, "%s", se.message);
	struct order o = {
		.guest_id = spec_int(r->body, "guest_id", -1),
		.visit_id = spec_int(r->body, "visit_id", -1),
		.special_requests = spec_str(r->body, "special_requests"),
	};
	if (o.special_requests && !o.special_requests[strspn(o.special_requests, " \t\r\n")])
		o.special_requests = NULL;
	int64_t location_id = spec_int(r->body, "location_id", -1);
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (o.guest_id >= 0) {
		struct guest g;
		rc = guests_get(r->db, &r->arena, o.guest_id, &g);
		if (rc == DB_DONE)
			return req_fail(r, E_NOT_FOUND, "guest_id", "no such guest");
		if (rc != DB_ROW)
			return req_db_fail(r, rc);
		o.guest_name = g.name;
	}
	if (o.visit_id >= 0) {
		struct visit v;
		rc = visits_get(r->db, o.visit_id, &v);
		if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, v.location_id)))
			return req_fail(r, E_NOT_FOUND, "visit_id", "no such visit");
		if (rc != DB_ROW)
			return req_db_fail(r, rc);
		if (v.location_id != location_id || (o.guest_id >= 0 && v.guest_id != o.guest_id))
			return req_fail(r, E_UNPROCESSABLE, "visit_id",
					"the visit is another guest's or at another location");
		if (o.guest_id < 0) {
			/* the visit says whose order it is */
			struct guest g;
			rc = guests_get(r->db, &r->arena, v.guest_id, &g);
			if (rc != DB_ROW)
				return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
			o.guest_id = g.id;
			o.guest_name = g.name;
		}
	}
	items_read(r, json_object_get(r->body, "items"), &o);
	rc = order_place(r->db, &r->arena, req_actor(r), &l,
			 spec_int(r->body, "promised_minutes", 0), &o);
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return reply_order(r, 201, &o);
}

/* ---- reading ---- */

static enum err load_order(struct req *r, struct order *o)
{
	enum db_rc rc = orders_get(r->db, &r->arena, r->ids[0], o);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, o->location_id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such order");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err orders_get_h(struct req *r)
{
	struct order o;
	enum err e = load_order(r, &o);
	return e ? e : reply_order(r, 200, &o);
}

enum err orders_list_h(struct req *r)
{
	static const char *const statuses[] = {"open",	 "all",	      "placed",	   "accepted",
					       "ready", "served", "cancelled", NULL};
	struct order_filter f = {.guest_id = -1};
	const char *status;
	int64_t limit;
	enum err e;
	if ((e = req_query_int(r, "location_id", 1, INT64_MAX, -1, &f.location_id)) ||
	    (e = req_query_enum(r, "status", statuses, &status)) ||
	    (e = req_query_int(r, "guest_id", 1, INT64_MAX, -1, &f.guest_id)) ||
	    (e = req_query_int(r, "limit", 1, ORDERS_MAX_LIMIT, ORDERS_DEFAULT_LIMIT, &limit)))
		return e;
	if (f.location_id < 0) {
		if (r->caller.all_locations || r->caller.nlocations != 1)
			return req_fail(r, E_FIELD_MISSING, "location_id",
					"location_id is required: which location's orders?");
		f.location_id = r->caller.locations[0];
	} else if (!caller_at_location(&r->caller, f.location_id)) {
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	}
	f.open = !status || strcmp(status, "open") == 0;
	f.status = !f.open && strcmp(status, "all") != 0 ? status : NULL;
	if ((e = req_query_cursor(r, &f.after_at, &f.after_id)))
		return e;
	struct order *os;
	int n;
	/* one more than the page, to know whether another follows */
	enum db_rc rc = orders_list(r->db, &r->arena, &f, (int)limit + 1, &os, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	bool more = n > limit;
	if (more)
		n = (int)limit;
	int64_t now = clock_now();
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "now");
	jw_time(w, now);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		order_write(w, &os[i], now);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "next");
	jw_str(w, more ? cursor_encode(&r->arena, os[n - 1].t.placed_at, os[n - 1].id) : NULL);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err orders_card_write(struct req *r, struct jw *w, int64_t guest_id)
{
	struct order *os;
	int n;
	/* read past the card's count: some may be at locations the caller
	 * does not see */
	enum db_rc rc = orders_open_for_guest(r->db, &r->arena, guest_id, CARD_SCAN_ORDERS, &os, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	int64_t now = clock_now();
	jw_arr(w);
	for (int i = 0, shown = 0; i < n && shown < CARD_MAX_ORDERS; i++) {
		const struct order *o = &os[i];
		if (!caller_at_location(&r->caller, o->location_id))
			continue;
		shown++;
		char summary[CARD_SUMMARY_BYTES];
		order_summary(o, summary, sizeof(summary));
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, o->id);
		JW_KEY(w, "location_id");
		jw_int(w, o->location_id);
		JW_KEY(w, "status");
		jw_str(w, o->status);
		JW_KEY(w, "late");
		jw_bool(w, o->late_at >= 0);
		JW_KEY(w, "placed_at");
		jw_time(w, o->t.placed_at);
		JW_KEY(w, "promised_at");
		jw_time(w, o->t.promised_at);
		JW_KEY(w, "due_at");
		jw_time(w, o->due_at);
		JW_KEY(w, "age_seconds");
		jw_int(w, now > o->t.placed_at ? now - o->t.placed_at : 0);
		JW_KEY(w, "summary");
		jw_str(w, summary);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	return E_OK;
}

/* ---- moving ---- */

enum db_rc order_move(struct db *db, struct arena *a, struct actor by, const struct location *l,
		      const char *to, const char *reason, int64_t now, struct order *o)
{
	struct order_move m = {.at = now, .by = by};
	const char *from = o->status;
	if (strcmp(to, "accepted") == 0) {
		o->accepted = m;
		if (o->has_flags)
			o->ack = m;
	} else if (strcmp(to, "ready") == 0) {
		o->ready = m;
		o->t.serve_by = now + o->clocks.serve * 60;
	} else if (strcmp(to, "served") == 0) {
		o->served = m;
	} else {
		o->cancelled = m;
		o->cancel_reason = reason;
	}
	o->status = to;
	o->due_at = ticket_due(to, &o->t);
	o->case_at = ticket_case_at(to, &o->t, &o->clocks);
	o->updated_at = now;
	enum db_rc rc = orders_update(db, o);
	if (rc != DB_DONE)
		return rc;
	if (!ticket_open(to) && (rc = alerts_clear_subject(db, a, "order", o->id, now)) != DB_DONE)
		return rc;
	/* read back, for the names */
	if ((rc = orders_get(db, a, o->id, o)) != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	char type[32];
	snprintf(type, sizeof(type), "order.%s", to);
	return order_event(db, by, type, o, "from", from, now);
}

enum err orders_update_h(struct req *r)
{
	struct order o;
	enum err e = load_order(r, &o);
	if (e)
		return e;
	const char *to = spec_str(r->body, "status");
	bool accepting = strcmp(to, "accepted") == 0, cancelling = strcmp(to, "cancelled") == 0;
	if (spec_has(r->body, "acknowledge_flags") && !accepting)
		return req_fail(r, E_FIELD_INVALID, "acknowledge_flags",
				"flags are acknowledged when accepting the order");
	if (spec_has(r->body, "reason") && !cancelling)
		return req_fail(r, E_FIELD_INVALID, "reason", "a reason is given when cancelling");
	if (!ticket_transition_ok(o.status, to))
		return req_fail(r, E_INVALID_TRANSITION, "status", "an order cannot move from %s to %s",
				o.status, to);
	json_t *ack = json_object_get(r->body, "acknowledge_flags");
	if (accepting && o.has_flags && !json_is_true(ack))
		return req_fail(r, E_FLAGS_NOT_ACKNOWLEDGED, "acknowledge_flags",
				"this ticket has allergy or dietary flags: acknowledge them to accept it");
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, o.location_id, &l);
	if (rc != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	rc = order_move(r->db, &r->arena, req_actor(r), &l, to, spec_str(r->body, "reason"),
			clock_now(), &o);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	return reply_order(r, 200, &o);
}

/* ---- the clocks ---- */

static const char *clock_words(const char *clock)
{
	if (strcmp(clock, "accept") == 0)
		return "not accepted in time";
	if (strcmp(clock, "serve") == 0)
		return "ready but not served in time";
	return "not ready by the time promised";
}

/* Marks one order late, with its alert and event. */
static enum db_rc order_mark_late(struct db *db, struct arena *a, struct order *o, int64_t now)
{
	o->late_at = now;
	o->late_clock = ticket_clock_name(o->status, &o->t);
	o->updated_at = now;
	enum db_rc rc = orders_update(db, o);
	if (rc != DB_DONE)
		return rc;
	struct alert al = {
		.location_id = o->location_id,
		.kind = "order_late",
		.subject_type = "order",
		.subject_id = o->id,
		.message = arena_printf(a, "Order #%lld%s%s is late: %s", (long long)o->id,
					o->guest_name ? " for " : "", o->guest_name ? o->guest_name : "",
					clock_words(o->late_clock)),
		.raised_at = now,
	};
	if ((rc = alert_raise(db, &al)) != DB_DONE)
		return rc;
	return order_event(db, (struct actor){-1, -1}, "order.late", o, "clock", o->late_clock, now);
}

/* Opens the order's recovery case (once: staff may have opened it already)
 * and links it; *created says whether this opened it. */
static enum db_rc order_open_case(struct db *db, struct arena *a, struct order *o, int64_t now,
				  bool *created)
{
	char summary[CARD_SUMMARY_BYTES];
	order_summary(o, summary, sizeof(summary));
	bool missing = strcmp(o->status, "placed") == 0;
	struct rcase c = {
		.location_id = o->location_id,
		.guest_id = o->guest_id,
		.source = "order",
		.source_id = o->id,
		.category = ticket_case_category(o->status),
		.severity = missing ? "high" : "medium",
		.summary = arena_printf(a, "Order #%lld (%s) %s", (long long)o->id, summary,
					missing ? "was never accepted" : "is long overdue"),
		.owner_staff_id = 0, /* the location's manager */
		.opened_at = now,
	};
	enum db_rc rc = recovery_open(db, a, (struct actor){-1, -1}, &c, created);
	if (rc != DB_ROW)
		return rc;
	o->case_id = c.id;
	o->updated_at = now;
	return orders_update(db, o);
}

enum db_rc orders_tick(struct db *db, struct arena *a, int64_t now, struct orders_tick *out)
{
	out->late = out->cases = 0;
	int64_t *ids;
	int n;
	enum db_rc rc;
	do {
		if ((rc = orders_past_due(db, a, now, TICK_BATCH, &ids, &n)) != DB_DONE)
			return rc;
		for (int i = 0; i < n; i++) {
			struct order o;
			if ((rc = orders_get(db, a, ids[i], &o)) != DB_ROW)
				return rc == DB_DONE ? DB_ERROR : rc;
			if ((rc = order_mark_late(db, a, &o, now)) != DB_DONE)
				return rc;
		}
		out->late += n;
	} while (n == TICK_BATCH);
	do {
		if ((rc = orders_due_a_case(db, a, now, TICK_BATCH, &ids, &n)) != DB_DONE)
			return rc;
		for (int i = 0; i < n; i++) {
			struct order o;
			if ((rc = orders_get(db, a, ids[i], &o)) != DB_ROW)
				return rc == DB_DONE ? DB_ERROR : rc;
			bool created;
			if ((rc = order_open_case(db, a, &o, now, &created)) != DB_DONE)
				return rc;
			out->cases += created;
		}
	} while (n == TICK_BATCH);
	return DB_DONE;
}
