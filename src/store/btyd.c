/* Statements over visit histories for fitting, model fits, guest scores,
 * and the retention figures. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define FITS_DUE_MAX 100

enum db_rc visits_for_fit(struct db *db, struct arena *a, int64_t location_id, int64_t until,
			  size_t max, struct visit_day **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT guest_id, at, spend_cents FROM visits WHERE location_id = $1 AND at <= $2 "
		"ORDER BY guest_id, at LIMIT $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, until);
	db_bind_int(st, 3, (int64_t)max);
	size_t cap = 1024;
	*out = arena_alloc(a, sizeof(**out) * cap);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct visit_day *bigger = arena_alloc(a, sizeof(**out) * cap * 2);
			memcpy(bigger, *out, sizeof(**out) * cap);
			*out = bigger;
			cap *= 2;
		}
		(*out)[(*n)++] = (struct visit_day){db_col_int(st, 0), db_col_int(st, 1),
						    db_col_opt_int(st, 2)};
	}
	db_done(st);
	return rc;
}

enum db_rc btyd_fits_insert(struct db *db, struct btyd_fit_row *f)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO btyd_fits (location_id, status, model, fit, guests, repeat_guests, "
		"fitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->location_id);
	db_bind_text(st, 2, f->status);
	db_bind_text(st, 3, f->model);
	db_bind_text(st, 4, f->fit);
	db_bind_int(st, 5, f->guests);
	db_bind_int(st, 6, f->repeat_guests);
	db_bind_int(st, 7, f->fitted_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		f->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc btyd_fits_latest(struct db *db, struct arena *a, int64_t location_id, bool ok_only,
			    struct btyd_fit_row *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, location_id, status, model, fit, guests, repeat_guests, fitted_at "
		"FROM btyd_fits WHERE location_id = $1 AND ($2 = 0 OR status = 'ok') "
		"ORDER BY fitted_at DESC, id DESC LIMIT 1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, ok_only);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		*out = (struct btyd_fit_row){db_col_int(st, 0), db_col_int(st, 1), col_str(st, a, 2),
					     col_str(st, a, 3), col_str(st, a, 4), db_col_int(st, 5),
					     db_col_int(st, 6), db_col_int(st, 7)};
	db_done(st);
	return rc;
}

enum db_rc btyd_fits_due(struct db *db, struct arena *a, int64_t before, int64_t retry_before,
			 int max, int64_t **ids, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT l.id FROM locations l WHERE EXISTS (SELECT 1 FROM visits v WHERE v.location_id = l.id) "
		"AND COALESCE((SELECT max(fitted_at) FROM btyd_fits f WHERE f.location_id = l.id "
		"AND f.status = 'ok'), 0) < $1 "
		"AND COALESCE((SELECT max(fitted_at) FROM btyd_fits f WHERE f.location_id = l.id), 0) < $3 "
		"ORDER BY l.id LIMIT $2");
	if (!st)
		return DB_ERROR;
	if (max > FITS_DUE_MAX)
		max = FITS_DUE_MAX;
	db_bind_int(st, 1, before);
	db_bind_int(st, 2, max);
	db_bind_int(st, 3, retry_before);
	*ids = arena_alloc(a, sizeof(**ids) * (size_t)(max > 0 ? max : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc guest_scores_clear(struct db *db, int64_t location_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM guest_scores WHERE location_id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	return db_run(st);
}

enum db_rc guest_scores_insert(struct db *db, const struct guest_score *g)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO guest_scores (location_id, guest_id, fit_id, model, visits, first_visit_at, "
		"last_visit_at, p_alive_ppm, expected_visits_milli, expected_spend_cents, clv_cents, "
		"value_at_risk_cents, fitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
		"$12, $13)");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, g->location_id);
	db_bind_int(st, 2, g->guest_id);
	db_bind_int(st, 3, g->fit_id);
	db_bind_text(st, 4, g->model);
	db_bind_int(st, 5, g->visits);
	db_bind_int(st, 6, g->first_visit_at);
	db_bind_int(st, 7, g->last_visit_at);
	db_bind_int(st, 8, g->p_alive_ppm);
	db_bind_int(st, 9, g->expected_visits_milli);
	db_bind_int(st, 10, g->expected_spend_cents);
	db_bind_int(st, 11, g->clv_cents);
	db_bind_int(st, 12, g->value_at_risk_cents);
	db_bind_int(st, 13, g->fitted_at);
	return db_run(st);
}

#define SCORE_COLUMNS                                                                           \
	"s.location_id, s.guest_id, s.fit_id, s.model, s.visits, s.first_visit_at, "            \
	"s.last_visit_at, s.p_alive_ppm, s.expected_visits_milli, s.expected_spend_cents, "     \
	"s.clv_cents, s.value_at_risk_cents, s.fitted_at "

static void score_row(struct db_stmt *st, struct arena *a, struct guest_score *g)
{
	memset(g, 0, sizeof(*g));
	g->location_id = db_col_int(st, 0);
	g->guest_id = db_col_int(st, 1);
	g->fit_id = db_col_int(st, 2);
	g->model = col_str(st, a, 3);
	g->visits = db_col_int(st, 4);
	g->first_visit_at = db_col_int(st, 5);
	g->last_visit_at = db_col_int(st, 6);
	g->p_alive_ppm = db_col_int(st, 7);
	g->expected_visits_milli = db_col_int(st, 8);
	g->expected_spend_cents = db_col_int(st, 9);
	g->clv_cents = db_col_int(st, 10);
	g->value_at_risk_cents = db_col_int(st, 11);
	g->fitted_at = db_col_int(st, 12);
	g->case_id = g->feedback_id = g->feedback_nps = g->feedback_at = -1;
	g->reach_case_id = g->reach_at = -1;
}

enum db_rc guest_scores_at_risk(struct db *db, struct arena *a, int64_t location_id,
				int64_t min_visits, int64_t max_p_alive_ppm, int64_t before_value,
				int64_t before_guest, int limit, struct guest_score **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " SCORE_COLUMNS ", g.name, c.id, c.category, c.status, f.id, f.nps, f.at, "
		"x.case_id, x.at FROM guest_scores s JOIN guests g ON g.id = s.guest_id "
		"LEFT JOIN case_actions x ON x.id = (SELECT a.id FROM case_actions a JOIN cases k "
		"ON k.id = a.case_id WHERE k.guest_id = s.guest_id AND k.location_id = s.location_id "
		"AND a.kind IN ('follow_up_call', 'follow_up_message') AND a.at > s.last_visit_at "
		"ORDER BY a.at DESC, a.id DESC LIMIT 1) "
		"LEFT JOIN cases c ON c.id = (SELECT id FROM cases WHERE guest_id = s.guest_id "
		"AND location_id = s.location_id AND status IN ('open', 'in_progress') "
		"ORDER BY opened_at DESC, id DESC LIMIT 1) "
		"LEFT JOIN feedback f ON f.id = (SELECT id FROM feedback WHERE guest_id = s.guest_id "
		"AND location_id = s.location_id ORDER BY at DESC, id DESC LIMIT 1) "
		"WHERE s.location_id = $1 AND s.visits >= $2 AND s.p_alive_ppm < $3 "
		"AND ($5 = 0 OR s.value_at_risk_cents < $4 OR (s.value_at_risk_cents = $4 AND s.guest_id < $5)) "
		"ORDER BY s.value_at_risk_cents DESC, s.guest_id DESC LIMIT $6");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, min_visits);
	db_bind_int(st, 3, max_p_alive_ppm);
	db_bind_int(st, 4, before_value);
	db_bind_int(st, 5, before_guest);
	db_bind_int(st, 6, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct guest_score *g = &(*out)[(*n)++];
		score_row(st, a, g);
		g->guest_name = col_str(st, a, 13);
		g->case_id = db_col_opt_int(st, 14);
		g->case_category = col_str(st, a, 15);
		g->case_status = col_str(st, a, 16);
		g->feedback_id = db_col_opt_int(st, 17);
		g->feedback_nps = db_col_opt_int(st, 18);
		g->feedback_at = db_col_opt_int(st, 19);
		g->reach_case_id = db_col_opt_int(st, 20);
		g->reach_at = db_col_opt_int(st, 21);
	}
	db_done(st);
	return rc;
}

enum db_rc guest_scores_at_risk_total(struct db *db, int64_t location_id, int64_t min_visits,
				      int64_t max_p_alive_ppm, int64_t *cents, int64_t *guests)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT COALESCE(sum(value_at_risk_cents), 0), count(*) FROM guest_scores "
		"WHERE location_id = $1 AND visits >= $2 AND p_alive_ppm < $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, min_visits);
	db_bind_int(st, 3, max_p_alive_ppm);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		*cents = db_col_int(st, 0);
		*guests = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc guest_scores_for_guest(struct db *db, struct arena *a, int64_t guest_id, int max,
				  struct guest_score **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " SCORE_COLUMNS "FROM guest_scores s WHERE s.guest_id = $1 "
		"ORDER BY s.last_visit_at DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, max);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		score_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

/* Rows of (group index, count, returned, spend). */
static enum db_rc groups_read(struct db_stmt *st, struct retention_group out[3])
{
	memset(out, 0, sizeof(struct retention_group) * 3);
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t k = db_col_int(st, 0);
		if (k >= 0 && k < 3)
			out[k] = (struct retention_group){db_col_int(st, 1), db_col_int(st, 2),
							  db_col_int(st, 3)};
	}
	db_done(st);
	return rc;
}

/* Per group k: the guests (g) with their moment t0 (a subquery that ends
 * with two closing parentheses), whether they came back within the window
 * $3 and what they spent then. $1 is the location. */
#define RETURNS_AFTER                                                                           \
	"SELECT k, count(*), sum(back), sum(spend) FROM (SELECT k, "                            \
	"EXISTS (SELECT 1 FROM visits v WHERE v.guest_id = g AND v.location_id = $1 "           \
	"AND v.at > t0 AND v.at <= t0 + $3) AS back, "                                          \
	"(SELECT COALESCE(sum(v.spend_cents), 0) FROM visits v WHERE v.guest_id = g "           \
	"AND v.location_id = $1 AND v.at > t0 AND v.at <= t0 + $3) AS spend FROM ("

enum db_rc retention_feedback(struct db *db, int64_t location_id, int64_t until, int64_t window,
			      struct retention_group out[3])
{
	struct db_stmt *st = db_prepare(db,
		/* each guest once a group, from their first answer in it */
		RETURNS_AFTER
		"SELECT f.guest_id AS g, CASE WHEN f.nps >= 9 THEN 0 WHEN f.nps >= 7 THEN 1 ELSE 2 END AS k, "
		"min(f.at) AS t0 FROM feedback f WHERE f.location_id = $1 AND f.guest_id IS NOT NULL "
		"AND f.nps IS NOT NULL AND f.at <= $2 - $3 GROUP BY g, k)) GROUP BY k");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, until);
	db_bind_int(st, 3, window);
	return groups_read(st, out);
}

enum db_rc retention_cases(struct db *db, int64_t location_id, int64_t until, int64_t window,
			   struct retention_group out[3])
{
	struct db_stmt *st = db_prepare(db,
		/* each guest once a group, from their first case in it; resolved
		 * with outcome unknown counts in none */
		RETURNS_AFTER
		"SELECT g, k, min(t0) AS t0 FROM (SELECT c.guest_id AS g, "
		"CASE WHEN c.resolved_at IS NULL OR c.resolved_at > c.opened_at + $3 THEN 2 "
		"WHEN c.outcome = 'recovered' THEN 0 WHEN c.outcome = 'not_recovered' THEN 1 ELSE 3 END AS k, "
		"CASE WHEN c.resolved_at IS NOT NULL AND c.resolved_at <= c.opened_at + $3 "
		"THEN c.resolved_at ELSE c.opened_at END AS t0 "
		"FROM cases c WHERE c.location_id = $1 AND c.guest_id IS NOT NULL) "
		"WHERE k < 3 AND t0 <= $2 - $3 GROUP BY g, k)) GROUP BY k");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, until);
	db_bind_int(st, 3, window);
	return groups_read(st, out);
}
