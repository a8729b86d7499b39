/* Statements over recovery cases, their actions, and alerts. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

/* Worker passes change at most this many cases per statement. */
#define CASES_MAX_IDS 500

#define CASE_COLUMNS                                                                             \
	"c.id, c.location_id, c.guest_id, g.name, c.source, c.source_id, c.category, "           \
	"c.severity, c.summary, c.status, c.owner_staff_id, o.name, c.opened_by_staff_id, "      \
	"c.opened_by_token_id, COALESCE(b.name, t.name), c.opened_at, c.due_at, c.overdue_at, "  \
	"c.missed_due, c.first_action_at, c.resolved_at, c.closed_at, c.outcome, c.measured, "   \
	"c.returned_at, c.comp_cents, c.refund_cents, c.updated_at, l.currency "                 \
	"FROM cases c JOIN locations l ON l.id = c.location_id "                                  \
	"LEFT JOIN guests g ON g.id = c.guest_id LEFT JOIN staff o ON o.id = c.owner_staff_id " \
	"LEFT JOIN staff b ON b.id = c.opened_by_staff_id "                                      \
	"LEFT JOIN api_tokens t ON t.id = c.opened_by_token_id "

static void case_row(struct db_stmt *st, struct arena *a, struct rcase *c)
{
	c->id = db_col_int(st, 0);
	c->location_id = db_col_int(st, 1);
	c->guest_id = db_col_opt_int(st, 2);
	c->guest_name = col_str(st, a, 3);
	c->source = col_str(st, a, 4);
	c->source_id = db_col_opt_int(st, 5);
	c->category = col_str(st, a, 6);
	c->severity = col_str(st, a, 7);
	c->summary = col_str(st, a, 8);
	c->status = col_str(st, a, 9);
	c->owner_staff_id = db_col_opt_int(st, 10);
	c->owner_name = col_str(st, a, 11);
	c->opened_by.staff_id = db_col_opt_int(st, 12);
	c->opened_by.token_id = db_col_opt_int(st, 13);
	c->opened_by_name = col_str(st, a, 14);
	c->opened_at = db_col_int(st, 15);
	c->due_at = db_col_int(st, 16);
	c->overdue_at = db_col_opt_int(st, 17);
	c->missed_due = db_col_int(st, 18) != 0;
	c->first_action_at = db_col_opt_int(st, 19);
	c->resolved_at = db_col_opt_int(st, 20);
	c->closed_at = db_col_opt_int(st, 21);
	c->outcome = col_str(st, a, 22);
	c->measured = col_str(st, a, 23);
	c->returned_at = db_col_opt_int(st, 24);
	c->comp_cents = db_col_int(st, 25);
	c->refund_cents = db_col_int(st, 26);
	c->updated_at = db_col_int(st, 27);
	c->currency = col_str(st, a, 28);
}

/* Reads up to limit cases and finishes the statement. */
static enum db_rc cases_read(struct db_stmt *st, struct arena *a, int limit, struct rcase **out,
			     int *n)
{
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW)
		case_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return *n == limit || rc == DB_DONE ? DB_DONE : rc;
}

enum db_rc cases_insert(struct db *db, struct rcase *c)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO cases (location_id, guest_id, source, source_id, category, severity, "
		"summary, status, owner_staff_id, opened_by_staff_id, opened_by_token_id, opened_at, "
		"due_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $12, "
		"$11) ON CONFLICT (source, source_id) DO NOTHING RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, c->location_id);
	db_bind_opt_int(st, 2, c->guest_id);
	db_bind_text(st, 3, c->source);
	db_bind_opt_int(st, 4, c->source_id);
	db_bind_text(st, 5, c->category);
	db_bind_text(st, 6, c->severity);
	db_bind_text(st, 7, c->summary);
	db_bind_opt_int(st, 8, c->owner_staff_id);
	db_bind_opt_int(st, 9, c->opened_by.staff_id);
	db_bind_opt_int(st, 10, c->opened_by.token_id);
	db_bind_int(st, 11, c->opened_at);
	db_bind_int(st, 12, c->due_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		c->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc cases_get(struct db *db, struct arena *a, int64_t id, struct rcase *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CASE_COLUMNS "WHERE c.id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		case_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc cases_by_source(struct db *db, struct arena *a, const char *source, int64_t source_id,
			   struct rcase *out)
{
	struct db_stmt *st =
		db_prepare(db, "SELECT " CASE_COLUMNS "WHERE c.source = $1 AND c.source_id = $2");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, source);
	db_bind_int(st, 2, source_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		case_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc cases_update(struct db *db, const struct rcase *c)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE cases SET category = $2, severity = $3, summary = $4, status = $5, "
		"owner_staff_id = $6, due_at = $7, overdue_at = $8, first_action_at = $9, "
		"resolved_at = $10, closed_at = $11, outcome = $12, measured = $13, returned_at = $14, "
		"comp_cents = $15, refund_cents = $16, updated_at = $17 WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, c->id);
	db_bind_text(st, 2, c->category);
	db_bind_text(st, 3, c->severity);
	db_bind_text(st, 4, c->summary);
	db_bind_text(st, 5, c->status);
	db_bind_opt_int(st, 6, c->owner_staff_id);
	db_bind_int(st, 7, c->due_at);
	db_bind_opt_int(st, 8, c->overdue_at);
	db_bind_opt_int(st, 9, c->first_action_at);
	db_bind_opt_int(st, 10, c->resolved_at);
	db_bind_opt_int(st, 11, c->closed_at);
	db_bind_opt_text(st, 12, c->outcome);
	db_bind_opt_text(st, 13, c->measured);
	db_bind_opt_int(st, 14, c->returned_at);
	db_bind_int(st, 15, c->comp_cents);
	db_bind_int(st, 16, c->refund_cents);
	db_bind_int(st, 17, c->updated_at);
	return db_run(st);
}

/* Binds the filters shared by both queue orders: $1 … $7 and the limit. */
static void bind_filter(struct db_stmt *st, const struct case_filter *f, int64_t first, int limit)
{
	bool first_page = f->after_a == 0 && f->after_b == 0;
	db_bind_opt_int(st, 1, f->location_id);
	db_bind_opt_int(st, 2, f->scope_staff_id);
	db_bind_opt_int(st, 3, f->owner_staff_id);
	db_bind_opt_int(st, 4, f->guest_id);
	db_bind_int(st, 5, f->overdue);
	db_bind_int(st, 6, first_page ? first : f->after_a);
	db_bind_int(st, 7, f->after_b);
	db_bind_int(st, 8, limit);
}

#define CASE_FILTERS                                                                            \
	"($1 IS NULL OR c.location_id = $1) AND ($2 IS NULL OR c.location_id IN "              \
	"(SELECT location_id FROM staff_locations WHERE staff_id = $2)) "                      \
	"AND ($3 IS NULL OR c.owner_staff_id = $3) AND ($4 IS NULL OR c.guest_id = $4) "      \
	"AND ($5 < 0 OR ($5 = 1 AND c.overdue_at IS NOT NULL) OR ($5 = 0 AND c.overdue_at IS NULL)) "

enum db_rc cases_list(struct db *db, struct arena *a, const struct case_filter *f, int limit,
		      struct rcase **out, int *n)
{
	struct db_stmt *st;
	if (f->active) {
		st = db_prepare(db, "SELECT " CASE_COLUMNS "WHERE c.status IN ('open', 'in_progress') "
				    "AND " CASE_FILTERS "AND (c.due_at > $6 OR (c.due_at = $6 AND c.id > $7)) "
				    "ORDER BY c.due_at, c.id LIMIT $8");
		if (!st)
			return DB_ERROR;
		bind_filter(st, f, INT64_MIN, limit);
	} else {
		st = db_prepare(db, "SELECT " CASE_COLUMNS "WHERE ($9 IS NULL OR c.status = $9) "
				    "AND " CASE_FILTERS "AND (c.opened_at < $6 OR (c.opened_at = $6 AND c.id < $7)) "
				    "ORDER BY c.opened_at DESC, c.id DESC LIMIT $8");
		if (!st)
			return DB_ERROR;
		bind_filter(st, f, INT64_MAX, limit);
		db_bind_opt_text(st, 9, f->status);
	}
	return cases_read(st, a, limit, out, n);
}

enum db_rc cases_for_card(struct db *db, struct arena *a, int64_t guest_id, int64_t since,
			  int limit, struct rcase **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " CASE_COLUMNS "WHERE c.guest_id = $1 AND (c.status IN ('open', 'in_progress') "
		"OR c.resolved_at >= $2) ORDER BY c.opened_at DESC, c.id DESC LIMIT $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, since);
	db_bind_int(st, 3, limit);
	return cases_read(st, a, limit, out, n);
}

enum db_rc cases_default_owner(struct db *db, int64_t location_id, int64_t *staff_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT s.id FROM staff s JOIN staff_locations sl ON sl.staff_id = s.id "
		"WHERE sl.location_id = $1 AND s.role = 'manager' AND s.disabled = 0 "
		"ORDER BY s.id LIMIT 1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*staff_id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

/* Runs an UPDATE … RETURNING id, then reads back each case it changed. */
static enum db_rc cases_changed(struct db *db, struct db_stmt *st, struct arena *a,
				struct rcase **out, int *n)
{
	int64_t ids[CASES_MAX_IDS];
	int nids = 0;
	enum db_rc rc = DB_DONE;
	while ((rc = db_step(st)) == DB_ROW && nids < CASES_MAX_IDS)
		ids[nids++] = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return rc;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(nids ? nids : 1));
	*n = 0;
	for (int i = 0; i < nids; i++) {
		if ((rc = cases_get(db, a, ids[i], &(*out)[*n])) != DB_ROW)
			return rc == DB_DONE ? DB_ERROR : rc;
		(*n)++;
	}
	return DB_DONE;
}

enum db_rc cases_mark_overdue(struct db *db, struct arena *a, int64_t now, int limit,
			      struct rcase **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE cases SET overdue_at = $1, missed_due = 1, updated_at = $1 WHERE id IN "
		"(SELECT id FROM cases WHERE status IN ('open', 'in_progress') AND due_at <= $1 "
		"AND overdue_at IS NULL ORDER BY due_at LIMIT $2) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, limit < CASES_MAX_IDS ? limit : CASES_MAX_IDS);
	return cases_changed(db, st, a, out, n);
}

enum db_rc cases_end_windows(struct db *db, struct arena *a, int64_t now, int64_t window,
			     int limit, struct rcase **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE cases SET measured = 'not_returned', updated_at = $1 WHERE id IN "
		"(SELECT id FROM cases WHERE measured = 'pending' AND resolved_at <= $1 - $2 "
		"ORDER BY resolved_at LIMIT $3) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, window);
	db_bind_int(st, 3, limit < CASES_MAX_IDS ? limit : CASES_MAX_IDS);
	return cases_changed(db, st, a, out, n);
}

enum db_rc cases_remeasure(struct db *db, struct arena *a, int64_t guest_id, int64_t window,
			   struct rcase **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE cases SET measured = 'returned', returned_at = v.first FROM "
		"(SELECT c.id AS cid, min(x.at) AS first FROM cases c JOIN visits x "
		"ON x.guest_id = c.guest_id AND x.at > c.resolved_at AND x.at <= c.resolved_at + $2 "
		"WHERE c.guest_id = $1 AND c.resolved_at IS NOT NULL GROUP BY c.id) AS v "
		"WHERE cases.id = v.cid AND (cases.returned_at IS NULL OR cases.returned_at > v.first) "
		"RETURNING cases.id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, window);
	return cases_changed(db, st, a, out, n);
}

/* ---- actions ---- */

enum db_rc case_actions_insert(struct db *db, struct case_action *ca)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO case_actions (case_id, kind, text, value_cents, staff_id, token_id, at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, ca->case_id);
	db_bind_text(st, 2, ca->kind);
	db_bind_text(st, 3, ca->text ? ca->text : "");
	db_bind_opt_int(st, 4, ca->value_cents);
	db_bind_opt_int(st, 5, ca->by.staff_id);
	db_bind_opt_int(st, 6, ca->by.token_id);
	db_bind_int(st, 7, ca->at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		ca->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc case_actions_list(struct db *db, struct arena *a, int64_t case_id, int limit,
			     struct case_action **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT x.id, x.case_id, x.kind, x.text, x.value_cents, x.staff_id, x.token_id, "
		"COALESCE(s.name, t.name), x.at FROM case_actions x "
		"LEFT JOIN staff s ON s.id = x.staff_id LEFT JOIN api_tokens t ON t.id = x.token_id "
		"WHERE x.case_id = $1 ORDER BY x.id LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, case_id);
	db_bind_int(st, 2, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW) {
		struct case_action *x = &(*out)[(*n)++];
		x->id = db_col_int(st, 0);
		x->case_id = db_col_int(st, 1);
		x->kind = col_str(st, a, 2);
		x->text = col_str(st, a, 3);
		x->value_cents = db_col_opt_int(st, 4);
		x->by.staff_id = db_col_opt_int(st, 5);
		x->by.token_id = db_col_opt_int(st, 6);
		x->by_name = col_str(st, a, 7);
		x->at = db_col_int(st, 8);
	}
	db_done(st);
	return *n == limit || rc == DB_DONE ? DB_DONE : rc;
}

enum db_rc case_actions_kinds(struct db *db, int64_t case_id, unsigned *kinds)
{
	static const char *const names[] = {"apology",		 "comp", "refund", "follow_up_call",
					    "follow_up_message", "note"};
	struct db_stmt *st = db_prepare(db,
		"SELECT DISTINCT kind FROM case_actions WHERE case_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, case_id);
	*kinds = 0;
	enum db_rc rc = DB_DONE;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = db_col_text(st, 0);
		for (unsigned i = 0; k && i < ARRAY_SIZE(names); i++)
			if (strcmp(k, names[i]) == 0)
				*kinds |= 1u << i;
	}
	db_done(st);
	return rc;
}

/* ---- alerts ---- */

enum db_rc alerts_insert(struct db *db, struct alert *al)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO alerts (location_id, kind, subject_type, subject_id, message, raised_at) "
		"VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, al->location_id);
	db_bind_text(st, 2, al->kind);
	db_bind_text(st, 3, al->subject_type);
	db_bind_int(st, 4, al->subject_id);
	db_bind_text(st, 5, al->message);
	db_bind_int(st, 6, al->raised_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		al->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc alerts_clear(struct db *db, struct arena *a, const char *subject_type,
			int64_t subject_id, int64_t now, struct alert **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE alerts SET cleared_at = $3 WHERE subject_type = $1 AND subject_id = $2 "
		"AND cleared_at IS NULL RETURNING id, location_id, kind, message, raised_at");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, subject_type);
	db_bind_int(st, 2, subject_id);
	db_bind_int(st, 3, now);
	*out = arena_alloc(a, sizeof(**out) * ALERTS_MAX_CLEARED);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == ALERTS_MAX_CLEARED)
			continue; /* cleared all the same; only the first are reported */
		struct alert *al = &(*out)[(*n)++];
		al->id = db_col_int(st, 0);
		al->location_id = db_col_int(st, 1);
		al->kind = col_str(st, a, 2);
		al->message = col_str(st, a, 3);
		al->raised_at = db_col_int(st, 4);
		al->subject_type = subject_type;
		al->subject_id = subject_id;
	}
	db_done(st);
	return rc;
}

enum db_rc alerts_list(struct db *db, struct arena *a, int64_t location_id, int64_t scope_staff_id,
		       const char *kind, int64_t before_id, int limit, struct alert **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, location_id, kind, subject_type, subject_id, message, raised_at FROM alerts "
		"WHERE cleared_at IS NULL AND ($1 IS NULL OR location_id = $1) AND ($2 IS NULL OR "
		"location_id IN (SELECT location_id FROM staff_locations WHERE staff_id = $2)) "
		"AND ($3 IS NULL OR kind = $3) AND id < $4 ORDER BY id DESC LIMIT $5");
	if (!st)
		return DB_ERROR;
	db_bind_opt_int(st, 1, location_id);
	db_bind_opt_int(st, 2, scope_staff_id);
	db_bind_opt_text(st, 3, kind);
	db_bind_int(st, 4, before_id > 0 ? before_id : INT64_MAX);
	db_bind_int(st, 5, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW) {
		struct alert *al = &(*out)[(*n)++];
		al->id = db_col_int(st, 0);
		al->location_id = db_col_int(st, 1);
		al->kind = col_str(st, a, 2);
		al->subject_type = col_str(st, a, 3);
		al->subject_id = db_col_int(st, 4);
		al->message = col_str(st, a, 5);
		al->raised_at = db_col_int(st, 6);
	}
	db_done(st);
	return *n == limit || rc == DB_DONE ? DB_DONE : rc;
}

/* ---- insights ---- */

enum db_rc cases_stats(struct db *db, int64_t location_id, int64_t from, int64_t to,
		       struct recovery_stats *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*), "
		"count(*) FILTER (WHERE status = 'open'), "
		"count(*) FILTER (WHERE status = 'in_progress'), "
		"count(*) FILTER (WHERE status = 'resolved'), "
		"count(*) FILTER (WHERE status = 'closed'), "
		"count(*) FILTER (WHERE category = 'order_missing'), "
		"count(*) FILTER (WHERE category = 'order_late'), "
		"count(*) FILTER (WHERE category = 'order_wrong'), "
		"count(*) FILTER (WHERE category = 'quality'), "
		"count(*) FILTER (WHERE category = 'cleanliness'), "
		"count(*) FILTER (WHERE category = 'staff'), "
		"count(*) FILTER (WHERE category = 'billing'), "
		"count(*) FILTER (WHERE category = 'other'), "
		"count(*) FILTER (WHERE outcome = 'recovered'), "
		"count(*) FILTER (WHERE outcome = 'not_recovered'), "
		"count(*) FILTER (WHERE outcome = 'unknown'), "
		"count(*) FILTER (WHERE missed_due <> 0), "
		"COALESCE(sum(comp_cents), 0), COALESCE(sum(refund_cents), 0), "
		"count(*) FILTER (WHERE measured = 'returned'), "
		"count(*) FILTER (WHERE measured = 'not_returned'), "
		"count(*) FILTER (WHERE measured = 'pending') "
		"FROM cases WHERE location_id = $1 AND opened_at >= $2 AND opened_at < $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		int col = 0;
		out->total = db_col_int(st, col++);
		for (int i = 0; i < 4; i++)
			out->by_status[i] = db_col_int(st, col++);
		for (int i = 0; i < 8; i++)
			out->by_category[i] = db_col_int(st, col++);
		for (int i = 0; i < 3; i++)
			out->outcome[i] = db_col_int(st, col++);
		out->overdue = db_col_int(st, col++);
		out->comp_cents = db_col_int(st, col++);
		out->refund_cents = db_col_int(st, col++);
		out->returned = db_col_int(st, col++);
		out->not_returned = db_col_int(st, col++);
		out->pending = db_col_int(st, col++);
	}
	db_done(st);
	return rc;
}

enum db_rc cases_durations(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			   int64_t to, int which, int max, int64_t **out, size_t *n)
{
	struct db_stmt *st = which == 0
		? db_prepare(db, "SELECT first_action_at - opened_at FROM cases WHERE location_id = $1 "
				 "AND opened_at >= $2 AND opened_at < $3 AND first_action_at IS NOT NULL "
				 "LIMIT $4")
		: db_prepare(db, "SELECT resolved_at - opened_at FROM cases WHERE location_id = $1 "
				 "AND opened_at >= $2 AND opened_at < $3 AND resolved_at IS NOT NULL "
				 "LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, max);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < (size_t)max && (rc = db_step(st)) == DB_ROW)
		(*out)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return *n == (size_t)max || rc == DB_DONE ? DB_DONE : rc;
}
