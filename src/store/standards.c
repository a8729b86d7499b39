/* Statements over opening hours, standards, checks with their photos, and
 * audits; and the ranges the standards insights read. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define LOCATIONS_MAX 1000
#define CHECKS_LIST_MAX 100
#define AUDITS_LIST_MAX 100
#define THEMES_MAX 64

enum db_rc hours_get(struct db *db, int64_t location_id, struct hours *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT weekday, opens, closes FROM opening_hours WHERE location_id = $1 "
		"ORDER BY weekday, opens LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, HOURS_MAX_SPANS);
	out->n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		out->s[out->n++] = (struct hours_span){(int)db_col_int(st, 0), (int)db_col_int(st, 1),
						       (int)db_col_int(st, 2)};
	db_done(st);
	return rc;
}

enum db_rc hours_replace(struct db *db, int64_t location_id, const struct hours *h)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM opening_hours WHERE location_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	enum db_rc rc = db_run(st);
	for (int i = 0; rc == DB_DONE && i < h->n; i++) {
		st = db_prepare(db, "INSERT INTO opening_hours (location_id, weekday, opens, closes) "
				    "VALUES ($1, $2, $3, $4)");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, location_id);
		db_bind_int(st, 2, h->s[i].day);
		db_bind_int(st, 3, h->s[i].opens);
		db_bind_int(st, 4, h->s[i].closes);
		rc = db_run(st);
	}
	return rc;
}

/* ---- standards ---- */

#define STANDARD_COLUMNS                                                                        \
	"s.id, s.location_id, s.touchpoint_id, s.text, s.frequency_minutes, s.deal_breaker, "   \
	"s.owner_role, s.category, s.active, s.created_at, s.updated_at, s.overdue_due_at, "    \
	"t.key, t.name, t.position, c.id, c.at, c.result, c.by_staff_id, c.by_token_id, "       \
	"COALESCE(cs.name, ct.name) "                                                           \
	"FROM standards s JOIN touchpoints t ON t.id = s.touchpoint_id "                        \
	"LEFT JOIN checks c ON c.id = (SELECT id FROM checks WHERE standard_id = s.id "         \
	"ORDER BY at DESC, id DESC LIMIT 1) "                                                   \
	"LEFT JOIN staff cs ON cs.id = c.by_staff_id LEFT JOIN api_tokens ct ON ct.id = c.by_token_id "

static void standard_row(struct db_stmt *st, struct arena *a, struct standard *s)
{
	s->id = db_col_int(st, 0);
	s->location_id = db_col_int(st, 1);
	s->touchpoint_id = db_col_int(st, 2);
	s->text = col_str(st, a, 3);
	s->frequency_minutes = db_col_int(st, 4);
	s->deal_breaker = db_col_int(st, 5) != 0;
	s->owner_role = col_str(st, a, 6);
	s->category = col_str(st, a, 7);
	s->active = db_col_int(st, 8) != 0;
	s->created_at = db_col_int(st, 9);
	s->updated_at = db_col_int(st, 10);
	s->overdue_due_at = db_col_opt_int(st, 11);
	s->touchpoint_key = col_str(st, a, 12);
	s->touchpoint_name = col_str(st, a, 13);
	s->touchpoint_position = db_col_int(st, 14);
	s->last = (struct check_brief){.id = db_col_opt_int(st, 15), .at = db_col_opt_int(st, 16),
				       .result = col_str(st, a, 17),
				       .by = {db_col_opt_int(st, 18), db_col_opt_int(st, 19)},
				       .by_name = col_str(st, a, 20)};
}

enum db_rc standards_list(struct db *db, struct arena *a, int64_t location_id, bool active_only,
			  struct standard **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " STANDARD_COLUMNS "WHERE s.location_id = $1 AND (s.active = 1 OR $2 = 0) "
		"ORDER BY s.active DESC, s.deal_breaker DESC, t.position, s.text, s.id LIMIT $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, active_only);
	db_bind_int(st, 3, STANDARDS_MAX);
	*out = arena_alloc(a, sizeof(**out) * STANDARDS_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		standard_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

enum db_rc standards_get(struct db *db, struct arena *a, int64_t id, struct standard *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " STANDARD_COLUMNS "WHERE s.id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		standard_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc standards_insert(struct db *db, struct standard *s)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO standards (location_id, touchpoint_id, text, frequency_minutes, "
		"deal_breaker, owner_role, category, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, s->location_id);
	db_bind_int(st, 2, s->touchpoint_id);
	db_bind_text(st, 3, s->text);
	db_bind_int(st, 4, s->frequency_minutes);
	db_bind_int(st, 5, s->deal_breaker);
	db_bind_text(st, 6, s->owner_role);
	db_bind_text(st, 7, s->category);
	db_bind_int(st, 8, s->created_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		s->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc standards_update(struct db *db, const struct standard *s)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE standards SET touchpoint_id = $2, text = $3, frequency_minutes = $4, "
		"deal_breaker = $5, owner_role = $6, category = $7, active = $8, updated_at = $9 "
		"WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, s->touchpoint_id);
	db_bind_text(st, 3, s->text);
	db_bind_int(st, 4, s->frequency_minutes);
	db_bind_int(st, 5, s->deal_breaker);
	db_bind_text(st, 6, s->owner_role);
	db_bind_text(st, 7, s->category);
	db_bind_int(st, 8, s->active);
	db_bind_int(st, 9, s->updated_at);
	return db_run(st);
}

enum db_rc standards_set_overdue(struct db *db, int64_t id, int64_t due_at)
{
	struct db_stmt *st = db_prepare(db, "UPDATE standards SET overdue_due_at = $2 WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	db_bind_opt_int(st, 2, due_at);
	return db_run(st);
}

#define DEAL_BREAKER_ALERTS_MAX (ALERTS_MAX_CLEARED * 4)

enum db_rc deal_breaker_alerts_open(struct db *db, struct arena *a, int64_t standard_id,
				    int64_t **check_ids, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT DISTINCT al.subject_id FROM alerts al JOIN checks c ON c.id = al.subject_id "
		"WHERE al.cleared_at IS NULL AND al.kind = 'deal_breaker' AND al.subject_type = 'check' "
		"AND c.standard_id = $1 LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, standard_id);
	db_bind_int(st, 2, DEAL_BREAKER_ALERTS_MAX);
	*check_ids = arena_alloc(a, sizeof(**check_ids) * DEAL_BREAKER_ALERTS_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*check_ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc standards_locations(struct db *db, struct arena *a, int64_t **ids, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT DISTINCT location_id FROM standards "
		"WHERE (active = 1 AND frequency_minutes > 0) OR overdue_due_at IS NOT NULL "
		"ORDER BY location_id LIMIT $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, LOCATIONS_MAX);
	*ids = arena_alloc(a, sizeof(**ids) * LOCATIONS_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc;
}

/* ---- checks ---- */

enum db_rc checks_insert(struct db *db, struct check *c)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO checks (standard_id, location_id, audit_id, result, note, by_staff_id, "
		"by_token_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, c->standard_id);
	db_bind_int(st, 2, c->location_id);
	db_bind_opt_int(st, 3, c->audit_id);
	db_bind_text(st, 4, c->result);
	db_bind_opt_text(st, 5, c->note);
	db_bind_opt_int(st, 6, c->by.staff_id);
	db_bind_opt_int(st, 7, c->by.token_id);
	db_bind_int(st, 8, c->at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		c->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc check_photos_insert(struct db *db, int64_t check_id, const char *type,
			       const void *bytes, size_t n)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO check_photos (check_id, type, bytes) VALUES ($1, $2, $3)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, check_id);
	db_bind_text(st, 2, type);
	db_bind_blob(st, 3, bytes, n);
	return db_run(st);
}

#define CHECK_COLUMNS                                                                           \
	"c.id, c.standard_id, c.location_id, c.audit_id, c.result, c.note, c.by_staff_id, "     \
	"c.by_token_id, c.at, COALESCE(cs.name, ct.name), s.text, t.key, t.name, t.id, "        \
	"s.deal_breaker, p.type, length(p.bytes), "                                             \
	"(SELECT id FROM cases WHERE source = 'check' AND source_id = c.id) "                   \
	"FROM checks c JOIN standards s ON s.id = c.standard_id "                               \
	"JOIN touchpoints t ON t.id = s.touchpoint_id "                                         \
	"LEFT JOIN check_photos p ON p.check_id = c.id "                                        \
	"LEFT JOIN staff cs ON cs.id = c.by_staff_id LEFT JOIN api_tokens ct ON ct.id = c.by_token_id "

static void check_row(struct db_stmt *st, struct arena *a, struct check *c)
{
	c->id = db_col_int(st, 0);
	c->standard_id = db_col_int(st, 1);
	c->location_id = db_col_int(st, 2);
	c->audit_id = db_col_opt_int(st, 3);
	c->result = col_str(st, a, 4);
	c->note = col_str(st, a, 5);
	c->by = (struct actor){db_col_opt_int(st, 6), db_col_opt_int(st, 7)};
	c->at = db_col_int(st, 8);
	c->by_name = col_str(st, a, 9);
	c->standard_text = col_str(st, a, 10);
	c->touchpoint_key = col_str(st, a, 11);
	c->touchpoint_name = col_str(st, a, 12);
	c->touchpoint_id = db_col_int(st, 13);
	c->deal_breaker = db_col_int(st, 14) != 0;
	c->photo_type = col_str(st, a, 15);
	c->photo_bytes = db_col_opt_int(st, 16);
	c->case_id = db_col_opt_int(st, 17);
}

enum db_rc checks_get(struct db *db, struct arena *a, int64_t id, struct check *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CHECK_COLUMNS "WHERE c.id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		check_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc checks_list(struct db *db, struct arena *a, const struct check_filter *f, int limit,
		       struct check **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " CHECK_COLUMNS "WHERE c.location_id = $1 "
		"AND ($2 < 0 OR c.standard_id = $2) AND ($3 < 0 OR c.audit_id = $3) "
		"AND ($4 IS NULL OR c.result = $4) AND c.at >= $5 AND c.at < $6 "
		"AND ($8 = 0 OR c.at < $7 OR (c.at = $7 AND c.id < $8)) "
		"ORDER BY c.at DESC, c.id DESC LIMIT $9");
	if (!st)
		return DB_ERROR;
	if (limit > CHECKS_LIST_MAX * 2)
		limit = CHECKS_LIST_MAX * 2;
	db_bind_int(st, 1, f->location_id);
	db_bind_int(st, 2, f->standard_id);
	db_bind_int(st, 3, f->audit_id);
	db_bind_opt_text(st, 4, f->result);
	db_bind_int(st, 5, f->from);
	db_bind_int(st, 6, f->to);
	db_bind_int(st, 7, f->before_at);
	db_bind_int(st, 8, f->before_id);
	db_bind_int(st, 9, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		check_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

enum db_rc check_photo_get(struct db *db, struct arena *a, int64_t check_id, const char **type,
			   const void **bytes, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT type, bytes FROM check_photos WHERE check_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, check_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		*type = col_str(st, a, 0);
		const void *b = db_col_blob(st, 1, n);
		void *copy = arena_alloc(a, *n ? *n : 1);
		if (*n)
			memcpy(copy, b, *n);
		*bytes = copy;
	}
	db_done(st);
	return rc == DB_ROW ? DB_ROW : rc;
}

/* ---- audits ---- */

enum db_rc audits_insert(struct db *db, struct audit *au)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO audits (location_id, kind, token_hash, note, created_by_staff_id, "
		"created_by_token_id, created_at, expires_at, submitted_at, score, passed, failed, na, "
		"deal_breakers_failed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
		"$14) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, au->location_id);
	db_bind_text(st, 2, au->kind);
	db_bind_opt_text(st, 3, au->token_hash);
	db_bind_opt_text(st, 4, au->note);
	db_bind_opt_int(st, 5, au->created_by.staff_id);
	db_bind_opt_int(st, 6, au->created_by.token_id);
	db_bind_int(st, 7, au->created_at);
	db_bind_opt_int(st, 8, au->expires_at);
	db_bind_opt_int(st, 9, au->submitted_at);
	db_bind_opt_int(st, 10, au->score);
	db_bind_opt_int(st, 11, au->passed);
	db_bind_opt_int(st, 12, au->failed);
	db_bind_opt_int(st, 13, au->na);
	db_bind_opt_int(st, 14, au->deal_breakers_failed);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		au->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc audits_submit(struct db *db, const struct audit *au)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE audits SET submitted_at = $2, score = $3, passed = $4, failed = $5, na = $6, "
		"deal_breakers_failed = $7, shopper_note = $8 WHERE id = $1 AND submitted_at IS NULL");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, au->id);
	db_bind_int(st, 2, au->submitted_at);
	db_bind_opt_int(st, 3, au->score);
	db_bind_int(st, 4, au->passed);
	db_bind_int(st, 5, au->failed);
	db_bind_int(st, 6, au->na);
	db_bind_int(st, 7, au->deal_breakers_failed);
	db_bind_opt_text(st, 8, au->shopper_note);
	enum db_rc rc = db_run(st);
	return rc == DB_DONE && db_changes(db) == 0 ? DB_CONSTRAINT : rc;
}

#define AUDIT_COLUMNS                                                                           \
	"a.id, a.location_id, a.kind, a.note, a.token_hash, a.created_by_staff_id, "            \
	"a.created_by_token_id, COALESCE(s.name, t.name), a.created_at, a.expires_at, "         \
	"a.submitted_at, a.score, a.passed, a.failed, a.na, a.deal_breakers_failed, "           \
	"a.shopper_note "                                                                       \
	"FROM audits a LEFT JOIN staff s ON s.id = a.created_by_staff_id "                      \
	"LEFT JOIN api_tokens t ON t.id = a.created_by_token_id "

static void audit_row(struct db_stmt *st, struct arena *a, struct audit *au)
{
	au->id = db_col_int(st, 0);
	au->location_id = db_col_int(st, 1);
	au->kind = col_str(st, a, 2);
	au->note = col_str(st, a, 3);
	au->token_hash = col_str(st, a, 4);
	au->created_by = (struct actor){db_col_opt_int(st, 5), db_col_opt_int(st, 6)};
	au->created_by_name = col_str(st, a, 7);
	au->created_at = db_col_int(st, 8);
	au->expires_at = db_col_opt_int(st, 9);
	au->submitted_at = db_col_opt_int(st, 10);
	au->score = db_col_opt_int(st, 11);
	au->passed = db_col_opt_int(st, 12);
	au->failed = db_col_opt_int(st, 13);
	au->na = db_col_opt_int(st, 14);
	au->deal_breakers_failed = db_col_opt_int(st, 15);
	au->shopper_note = col_str(st, a, 16);
}

static enum db_rc audit_one(struct db_stmt *st, struct arena *a, struct audit *out)
{
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		audit_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc audits_get(struct db *db, struct arena *a, int64_t id, struct audit *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " AUDIT_COLUMNS "WHERE a.id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	return audit_one(st, a, out);
}

enum db_rc audits_by_token(struct db *db, struct arena *a, const char *token_hash,
			   struct audit *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " AUDIT_COLUMNS "WHERE a.token_hash = $1");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	return audit_one(st, a, out);
}

enum db_rc audits_list(struct db *db, struct arena *a, int64_t location_id, const char *kind,
		       const char *status, int64_t now, int64_t before_id, int limit,
		       struct audit **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " AUDIT_COLUMNS "WHERE a.location_id = $1 AND ($2 IS NULL OR a.kind = $2) "
		"AND ($3 IS NULL OR ($3 = 'submitted' AND a.submitted_at IS NOT NULL) "
		"OR ($3 = 'pending' AND a.submitted_at IS NULL AND a.expires_at > $4) "
		"OR ($3 = 'expired' AND a.submitted_at IS NULL AND a.expires_at <= $4)) "
		"AND ($5 = 0 OR a.id < $5) ORDER BY a.id DESC LIMIT $6");
	if (!st)
		return DB_ERROR;
	if (limit > AUDITS_LIST_MAX + 1)
		limit = AUDITS_LIST_MAX + 1;
	db_bind_int(st, 1, location_id);
	db_bind_opt_text(st, 2, kind);
	db_bind_opt_text(st, 3, status);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, before_id);
	db_bind_int(st, 6, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		audit_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

/* ---- insights ---- */

static enum db_rc stats_read(struct db_stmt *st, struct arena *a, int max, struct check_stat **out,
			     int *n)
{
	*out = arena_alloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *r = db_col_text(st, 2);
		(*out)[(*n)++] = (struct check_stat){db_col_int(st, 0), db_col_int(st, 1),
						     r ? r[0] : 'o', db_col_int(st, 3) != 0};
	}
	db_done(st);
	return rc;
}

enum db_rc checks_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			int64_t to, int max, struct check_stat **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.at, s.touchpoint_id, c.result, s.deal_breaker FROM checks c "
		"JOIN standards s ON s.id = c.standard_id WHERE c.location_id = $1 AND c.at >= $2 "
		"AND c.at < $3 ORDER BY c.at, c.id LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, max);
	return stats_read(st, a, max, out, n);
}

enum db_rc overdue_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			 int64_t to, int max, struct check_stat **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT al.raised_at, s.touchpoint_id, NULL, s.deal_breaker FROM alerts al "
		"JOIN standards s ON s.id = al.subject_id WHERE al.kind = 'check_overdue' "
		"AND al.subject_type = 'standard' AND al.location_id = $1 AND al.raised_at >= $2 "
		"AND al.raised_at < $3 ORDER BY al.raised_at, al.id LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, max);
	return stats_read(st, a, max, out, n);
}

enum db_rc audits_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			int64_t to, int max, struct audit **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " AUDIT_COLUMNS "WHERE a.location_id = $1 AND a.submitted_at >= $2 "
		"AND a.submitted_at < $3 AND a.score IS NOT NULL ORDER BY a.submitted_at, a.id LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, max);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		audit_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

enum db_rc ratings_by_touchpoint(struct db *db, struct arena *a, int64_t location_id,
				 int64_t from, int64_t to, struct rating_stat **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT r.touchpoint_id, count(*), sum(r.rating) FROM feedback_ratings r "
		"JOIN feedback f ON f.id = r.feedback_id WHERE f.location_id = $1 AND f.at >= $2 "
		"AND f.at < $3 GROUP BY r.touchpoint_id LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, TOUCHPOINTS_MAX);
	*out = arena_alloc(a, sizeof(**out) * TOUCHPOINTS_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*out)[(*n)++] = (struct rating_stat){db_col_int(st, 0), db_col_int(st, 1),
						      db_col_int(st, 2)};
	db_done(st);
	return rc;
}

enum db_rc themes_in_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			   int64_t to, struct theme_stat **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT th.theme, count(*), sum(CAST(round(th.sentiment * 10000) AS INTEGER)) "
		"FROM feedback_themes th JOIN feedback f ON f.id = th.feedback_id "
		"WHERE f.location_id = $1 AND f.at >= $2 AND f.at < $3 GROUP BY th.theme LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, THEMES_MAX);
	*out = arena_alloc(a, sizeof(**out) * THEMES_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*out)[(*n)++] = (struct theme_stat){col_str(st, a, 0), db_col_int(st, 1),
						     (double)db_col_int(st, 2) / 10000.0};
	db_done(st);
	return rc;
}
