/* Statements over orders and their items. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

/* Worker passes look at most this many orders per statement. */
#define ORDERS_MAX_IDS 500

/* The name of whoever made a move: a staff member or a token. */
#define WHO(s, t) \
	"COALESCE((SELECT name FROM staff WHERE id = o." s "), " \
	"(SELECT name FROM api_tokens WHERE id = o." t "))"

#define ORDER_COLUMNS                                                                            \
	"o.id, o.location_id, o.guest_id, o.visit_id, o.status, o.guest_name, o.flags, "         \
	"o.preferences, o.has_flags, o.special_requests, o.placed_at, o.accept_by, "             \
	"o.promised_at, o.serve_by, o.due_at, o.case_at, o.late_at, o.late_clock, "              \
	"o.placed_by_staff_id, o.placed_by_token_id, "                                           \
	"o.accepted_at, o.accepted_by_staff_id, o.accepted_by_token_id, "                        \
	"o.ready_at, o.ready_by_staff_id, o.ready_by_token_id, "                                 \
	"o.served_at, o.served_by_staff_id, o.served_by_token_id, "                              \
	"o.cancelled_at, o.cancelled_by_staff_id, o.cancelled_by_token_id, "                     \
	"o.ack_at, o.ack_staff_id, o.ack_token_id, o.cancel_reason, "                            \
	"COALESCE(o.case_id, (SELECT id FROM cases WHERE source = 'order' AND source_id = o.id)), " \
	"o.updated_at, o.serve_minutes, o.case_minutes, "                                         \
	WHO("placed_by_staff_id", "placed_by_token_id") ", "                                     \
	WHO("accepted_by_staff_id", "accepted_by_token_id") ", "                                 \
	WHO("ready_by_staff_id", "ready_by_token_id") ", "                                       \
	WHO("served_by_staff_id", "served_by_token_id") ", "                                     \
	WHO("cancelled_by_staff_id", "cancelled_by_token_id") ", "                               \
	WHO("ack_staff_id", "ack_token_id") " FROM orders o "

static void move_row(struct db_stmt *st, struct arena *a, int col, struct order_move *m)
{
	m->at = db_col_opt_int(st, col);
	m->by.staff_id = db_col_opt_int(st, col + 1);
	m->by.token_id = db_col_opt_int(st, col + 2);
}

static void order_row(struct db_stmt *st, struct arena *a, struct order *o)
{
	memset(o, 0, sizeof(*o));
	o->id = db_col_int(st, 0);
	o->location_id = db_col_int(st, 1);
	o->guest_id = db_col_opt_int(st, 2);
	o->visit_id = db_col_opt_int(st, 3);
	o->status = col_str(st, a, 4);
	o->guest_name = col_str(st, a, 5);
	o->flags = col_str(st, a, 6);
	o->preferences = col_str(st, a, 7);
	o->has_flags = db_col_int(st, 8) != 0;
	o->special_requests = col_str(st, a, 9);
	o->t.placed_at = db_col_int(st, 10);
	o->t.accept_by = db_col_int(st, 11);
	o->t.promised_at = db_col_int(st, 12);
	o->t.serve_by = db_col_opt_int(st, 13);
	o->due_at = db_col_opt_int(st, 14);
	o->case_at = db_col_opt_int(st, 15);
	o->late_at = db_col_opt_int(st, 16);
	o->late_clock = col_str(st, a, 17);
	o->placed.at = o->t.placed_at;
	o->placed.by.staff_id = db_col_opt_int(st, 18);
	o->placed.by.token_id = db_col_opt_int(st, 19);
	move_row(st, a, 20, &o->accepted);
	move_row(st, a, 23, &o->ready);
	move_row(st, a, 26, &o->served);
	move_row(st, a, 29, &o->cancelled);
	move_row(st, a, 32, &o->ack);
	o->cancel_reason = col_str(st, a, 35);
	o->case_id = db_col_opt_int(st, 36);
	o->updated_at = db_col_int(st, 37);
	o->clocks.serve = db_col_int(st, 38);
	o->clocks.case_after = db_col_int(st, 39);
	o->placed.name = col_str(st, a, 40);
	o->accepted.name = col_str(st, a, 41);
	o->ready.name = col_str(st, a, 42);
	o->served.name = col_str(st, a, 43);
	o->cancelled.name = col_str(st, a, 44);
	o->ack.name = col_str(st, a, 45);
}

enum db_rc orders_insert(struct db *db, struct order *o)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO orders (location_id, guest_id, visit_id, status, guest_name, flags, "
		"preferences, has_flags, special_requests, placed_at, placed_by_staff_id, "
		"placed_by_token_id, accept_by, promised_at, due_at, case_at, updated_at, serve_minutes, "
		"case_minutes) VALUES ($1, $2, $3, 'placed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
		"$14, $15, $9, $16, $17) "
		"RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, o->location_id);
	db_bind_opt_int(st, 2, o->guest_id);
	db_bind_opt_int(st, 3, o->visit_id);
	db_bind_opt_text(st, 4, o->guest_name);
	db_bind_text(st, 5, o->flags ? o->flags : "[]");
	db_bind_text(st, 6, o->preferences ? o->preferences : "[]");
	db_bind_int(st, 7, o->has_flags);
	db_bind_opt_text(st, 8, o->special_requests);
	db_bind_int(st, 9, o->t.placed_at);
	db_bind_opt_int(st, 10, o->placed.by.staff_id);
	db_bind_opt_int(st, 11, o->placed.by.token_id);
	db_bind_int(st, 12, o->t.accept_by);
	db_bind_int(st, 13, o->t.promised_at);
	db_bind_opt_int(st, 14, o->due_at);
	db_bind_opt_int(st, 15, o->case_at);
	db_bind_int(st, 16, o->clocks.serve);
	db_bind_int(st, 17, o->clocks.case_after);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		o->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc order_items_insert(struct db *db, int64_t order_id, int position,
			      const struct order_item *it)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO order_items (order_id, position, name, quantity, modifiers, note) "
		"VALUES ($1, $2, $3, $4, $5, $6)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, order_id);
	db_bind_int(st, 2, position);
	db_bind_text(st, 3, it->name);
	db_bind_int(st, 4, it->quantity);
	db_bind_text(st, 5, it->modifiers ? it->modifiers : "[]");
	db_bind_opt_text(st, 6, it->note);
	return db_run(st);
}

static enum db_rc order_items_load(struct db *db, struct arena *a, struct order *o)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT name, quantity, modifiers, note FROM order_items WHERE order_id = $1 "
		"ORDER BY position LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, o->id);
	db_bind_int(st, 2, ORDER_MAX_ITEMS);
	o->items = arena_alloc(a, sizeof(*o->items) * ORDER_MAX_ITEMS);
	o->nitems = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct order_item *it = &o->items[o->nitems++];
		it->name = col_str(st, a, 0);
		it->quantity = db_col_int(st, 1);
		it->modifiers = col_str(st, a, 2);
		it->note = col_str(st, a, 3);
	}
	db_done(st);
	return rc;
}

enum db_rc orders_get(struct db *db, struct arena *a, int64_t id, struct order *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ORDER_COLUMNS "WHERE o.id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		order_row(st, a, out);
	db_done(st);
	if (rc != DB_ROW)
		return rc;
	rc = order_items_load(db, a, out);
	return rc == DB_DONE ? DB_ROW : rc;
}

enum db_rc orders_update(struct db *db, const struct order *o)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE orders SET status = $2, serve_by = $3, due_at = $4, case_at = $5, "
		"late_at = $6, late_clock = $7, accepted_at = $8, accepted_by_staff_id = $9, "
		"accepted_by_token_id = $10, ready_at = $11, ready_by_staff_id = $12, "
		"ready_by_token_id = $13, served_at = $14, served_by_staff_id = $15, "
		"served_by_token_id = $16, cancelled_at = $17, cancelled_by_staff_id = $18, "
		"cancelled_by_token_id = $19, ack_at = $20, ack_staff_id = $21, ack_token_id = $22, "
		"cancel_reason = $23, case_id = $24, updated_at = $25 WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, o->id);
	db_bind_text(st, 2, o->status);
	db_bind_opt_int(st, 3, o->t.serve_by);
	db_bind_opt_int(st, 4, o->due_at);
	db_bind_opt_int(st, 5, o->case_at);
	db_bind_opt_int(st, 6, o->late_at);
	db_bind_opt_text(st, 7, o->late_clock);
	const struct order_move *moves[] = {&o->accepted, &o->ready, &o->served, &o->cancelled,
					    &o->ack};
	for (int i = 0; i < 5; i++) {
		db_bind_opt_int(st, 8 + 3 * i, moves[i]->at);
		db_bind_opt_int(st, 9 + 3 * i, moves[i]->at >= 0 ? moves[i]->by.staff_id : -1);
		db_bind_opt_int(st, 10 + 3 * i, moves[i]->at >= 0 ? moves[i]->by.token_id : -1);
	}
	db_bind_opt_text(st, 23, o->cancel_reason);
	db_bind_opt_int(st, 24, o->case_id);
	db_bind_int(st, 25, o->updated_at);
	return db_run(st);
}

/* Reads up to limit orders (without items) and finishes the statement. */
static enum db_rc orders_read(struct db_stmt *st, struct arena *a, int limit, struct order **out,
			      int *n)
{
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW)
		order_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return *n == limit || rc == DB_DONE ? DB_DONE : rc;
}

enum db_rc orders_list(struct db *db, struct arena *a, const struct order_filter *f, int limit,
		       struct order **out, int *n)
{
	struct db_stmt *st;
	if (f->open) {
		/* the board: oldest first */
		st = db_prepare(db,
			"SELECT " ORDER_COLUMNS "WHERE o.location_id = $1 "
			"AND o.status IN ('placed', 'accepted', 'ready') "
			"AND ($2 < 0 OR o.guest_id = $2) AND (o.placed_at, o.id) > ($3, $4) "
			"ORDER BY o.placed_at, o.id LIMIT $5");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 3, f->after_at);
		db_bind_int(st, 4, f->after_id);
	} else {
		st = db_prepare(db,
			"SELECT " ORDER_COLUMNS "WHERE o.location_id = $1 "
			"AND ($6 IS NULL OR o.status = $6) AND ($2 < 0 OR o.guest_id = $2) "
			"AND (o.placed_at, o.id) < ($3, $4) ORDER BY o.placed_at DESC, o.id DESC LIMIT $5");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 3, f->after_id ? f->after_at : INT64_MAX);
		db_bind_int(st, 4, f->after_id ? f->after_id : INT64_MAX);
		db_bind_opt_text(st, 6, f->status);
	}
	db_bind_int(st, 1, f->location_id);
	db_bind_int(st, 2, f->guest_id);
	db_bind_int(st, 5, limit);
	enum db_rc rc = orders_read(st, a, limit, out, n);
	for (int i = 0; rc == DB_DONE && i < *n; i++)
		rc = order_items_load(db, a, &(*out)[i]);
	return rc;
}

enum db_rc orders_open_for_guest(struct db *db, struct arena *a, int64_t guest_id, int limit,
				 struct order **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " ORDER_COLUMNS "WHERE o.guest_id = $1 AND o.status IN "
		"('placed', 'accepted', 'ready') ORDER BY o.placed_at, o.id LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, limit);
	enum db_rc rc = orders_read(st, a, limit, out, n);
	for (int i = 0; rc == DB_DONE && i < *n; i++)
		rc = order_items_load(db, a, &(*out)[i]);
	return rc;
}

/* Ids from a one-column statement, finishing it. */
static enum db_rc ids_read(struct db_stmt *st, struct arena *a, int limit, int64_t **ids, int *n)
{
	*ids = arena_alloc(a, sizeof(**ids) * (size_t)limit);
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW)
		(*ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return *n == limit || rc == DB_DONE ? DB_DONE : rc;
}

enum db_rc orders_past_due(struct db *db, struct arena *a, int64_t now, int limit, int64_t **ids,
			   int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id FROM orders WHERE late_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2");
	if (!st)
		return DB_ERROR;
	limit = limit < ORDERS_MAX_IDS ? limit : ORDERS_MAX_IDS;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, limit);
	return ids_read(st, a, limit, ids, n);
}

enum db_rc orders_due_a_case(struct db *db, struct arena *a, int64_t now, int limit, int64_t **ids,
			     int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id FROM orders WHERE case_id IS NULL AND case_at <= $1 ORDER BY case_at LIMIT $2");
	if (!st)
		return DB_ERROR;
	limit = limit < ORDERS_MAX_IDS ? limit : ORDERS_MAX_IDS;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, limit);
	return ids_read(st, a, limit, ids, n);
}
