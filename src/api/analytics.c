/* Customer-base analytics: the refit of a location's visit history with the
 * BTYD models (domain/btyd.c), the guests at risk, retention after good and
 * bad moments, and the card's risk line. See docs/api.md, section 16. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/btyd.h"
#include "domain/survey.h"
#include "util/clock.h"

#include <math.h>

#define FIT_MIN_GUESTS 20
#define FIT_MIN_REPEAT 5
#define SPEND_MIN_REPEAT 10	 /* repeat guests with spend for a Gamma-Gamma fit */
#define FIT_MAX_VISITS 5000000	 /* visits one refit reads */
#define WEEKS_PER_MONTH 4.345
#define HORIZON_WEEKS (90.0 / 7)
#define CLV_MONTHS 12
#define CLV_DISCOUNT 0.01 /* a month */
#define REFIT_AFTER_SECONDS SECONDS_PER_DAY
#define RETRY_AFTER_SECONDS 3600 /* after an attempt on too little history */
#define AT_RISK_DEFAULT_MAX_P 0.5
#define AT_RISK_DEFAULT_MIN_VISITS 3
#define AT_RISK_DEFAULT_LIMIT 50
#define AT_RISK_MAX_LIMIT 100
#define RETENTION_WINDOW_DAYS 60
#define CARD_SCORES_MAX 16
#define PPM 1000000.0

/* One guest's history at a location, in local days. */
struct history {
	int64_t guest_id, first_at, last_at, first_day, last_day;
	int visits;		  /* visits, same-day ones counted once */
	int spend_days;		  /* repeat days with spend recorded */
	double spend_sum;	  /* their spend, in major units */
	struct btyd_customer c;	  /* x, t_x, T in weeks */
	struct btyd_customer gg;  /* x: repeat days with spend; m_x their mean */
};

/* The guests' histories from their visits (sorted by guest and time). */
static struct history *histories(struct arena *a, const struct visit_day *vs, size_t n,
				 const struct tz *z, int64_t today, size_t *nh)
{
	size_t guests = 0;
	for (size_t i = 0; i < n; i++)
		guests += i == 0 || vs[i].guest_id != vs[i - 1].guest_id;
	struct history *hs = arena_alloc(a, sizeof(*hs) * (guests ? guests : 1));
	size_t k = 0;
	int64_t day_spend = -1; /* the current day's spend, -1: none */
	for (size_t i = 0; i <= n; i++) {
		bool new_guest = i == n || k == 0 || vs[i].guest_id != hs[k - 1].guest_id;
		int64_t day = i < n ? tz_local_day(z, vs[i].at) : 0;
		/* close the previous day */
		if (k > 0 && (new_guest || day != hs[k - 1].last_day)) {
			struct history *h = &hs[k - 1];
			if (h->last_day != h->first_day && day_spend >= 0) {
				h->spend_days++;
				h->spend_sum += (double)day_spend / 100;
			}
		}
		if (i == n)
			break;
		if (new_guest) {
			struct history *h = &hs[k++];
			memset(h, 0, sizeof(*h));
			h->guest_id = vs[i].guest_id;
			h->first_at = h->last_at = vs[i].at;
			h->first_day = h->last_day = day;
			h->visits = 1;
			day_spend = vs[i].spend_cents;
			continue;
		}
		struct history *h = &hs[k - 1];
		h->last_at = vs[i].at;
		if (day != h->last_day) {
			h->visits++;
			h->last_day = day;
			day_spend = vs[i].spend_cents;
		} else if (vs[i].spend_cents >= 0) {
			day_spend = (day_spend >= 0 ? day_spend : 0) + vs[i].spend_cents;
		}
	}
	for (size_t i = 0; i < k; i++) {
		struct history *h = &hs[i];
		h->c.x = h->visits - 1;
		h->c.t_x = (double)(h->last_day - h->first_day) / 7;
		h->c.T = (double)(today - h->first_day) / 7;
		if (h->c.T < h->c.t_x)
			h->c.T = h->c.t_x;
		h->gg.x = h->spend_days;
		h->gg.m_x = h->spend_days ? h->spend_sum / h->spend_days : 0;
		h->gg.T = h->c.T;
		h->gg.t_x = h->c.t_x;
	}
	*nh = k;
	return hs;
}

struct refit {
	bool ok;
	const char *reason; /* when not */
	struct btyd_fit_row row;
	double seconds;
	struct guest_score *scores; /* fit_id set when stored */
	size_t nscores;
};

/* Reads the location's history at now, fits it and works out every guest's
 * score: all the slow part, which needs only a read transaction. DB_DONE;
 * out->ok false when the history is too thin. */
static enum db_rc refit_compute(struct db *db, struct arena *a, const struct location *l,
				int64_t now, struct refit *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t t0 = clock_mono_ns();
	const struct tz *z = zone_get(l->timezone);
	struct visit_day *vs;
	size_t nv, nh;
	enum db_rc rc = visits_for_fit(db, a, l->id, now, FIT_MAX_VISITS + 1, &vs, &nv);
	if (rc != DB_DONE)
		return rc;
	if (nv > FIT_MAX_VISITS) { /* refused, not cut: a cut history would lie */
		out->reason = "more than 5,000,000 visits; fit a shorter window with maitred btyd";
		nv = 0;
	}
	struct history *hs = histories(a, vs, nv, z, tz_local_day(z, now), &nh);
	struct btyd_customer *cs = arena_alloc(a, sizeof(*cs) * (nh ? nh : 1));
	struct btyd_customer *gs = arena_alloc(a, sizeof(*gs) * (nh ? nh : 1));
	size_t repeat = 0, ng = 0;
	double spend_all = 0, spend_n = 0;
	for (size_t i = 0; i < nh; i++) {
		cs[i] = hs[i].c;
		repeat += hs[i].c.x > 0;
		if (hs[i].gg.x >= 1 && hs[i].gg.m_x > 0) /* a comped guest says nothing of spend */
			gs[ng++] = hs[i].gg;
		spend_all += hs[i].spend_sum;
		spend_n += hs[i].spend_days;
	}
	struct btyd_fit f = {0}, g = {0};
	bool fitted = nh >= FIT_MIN_GUESTS && repeat >= FIT_MIN_REPEAT &&
		      btyd_fit(BTYD_MBGNBD, cs, nh, NULL, &f);
	bool gg = fitted && ng >= SPEND_MIN_REPEAT && btyd_fit(BTYD_GG, gs, ng, NULL, &g) && g.p[1] > 1;
	double mean_spend = spend_n > 0 ? spend_all / spend_n : 0;
	out->seconds = (double)(clock_mono_ns() - t0) / 1e9;
	out->ok = fitted;
	out->reason = out->reason		? out->reason
		      : nh < FIT_MIN_GUESTS ? "fewer than 20 guests have visited"
		      : repeat < FIT_MIN_REPEAT ? "fewer than 5 guests have come back"
						: "the model found no fit for this history";
	json_t *fit = json_pack("{s:I,s:s,s:{s:f,s:f,s:f,s:f},s:f,s:s,s:o,s:I,s:I,s:o,s:f}",
				"location_id", (json_int_t)l->id, "model", "mbgnbd", "params", "r", f.p[0],
				"alpha", f.p[1], "a", f.p[2], "b", f.p[3], "log_likelihood",
				fitted ? f.loglik : 0.0, "spend_model", gg ? "gg" : "mean", "spend_params",
				gg ? json_pack("{s:f,s:f,s:f}", "p", g.p[0], "q", g.p[1], "gamma", g.p[2])
				   : json_pack("{s:f}", "mean", mean_spend),
				"guests", (json_int_t)nh, "repeat_guests", (json_int_t)repeat, "fitted_at",
				json_time(now), "seconds", out->seconds);
	char *text = fit ? json_dumps(fit, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(fit);
	if (!text)
		return DB_ERROR;
	out->row = (struct btyd_fit_row){.location_id = l->id, .status = fitted ? "ok" : "insufficient",
					 .model = "mbgnbd", .fit = arena_strdup(a, text),
					 .guests = (int64_t)nh, .repeat_guests = (int64_t)repeat,
					 .fitted_at = now};
	free(text);
	if (!fitted)
		return DB_DONE;
	out->scores = arena_alloc(a, sizeof(*out->scores) * (nh ? nh : 1));
	for (size_t i = 0; i < nh; i++) {
		const struct history *h = &hs[i];
		double per_visit = gg ? 100 * btyd_spend(g.p, h->gg.x, h->gg.m_x) : 100 * mean_spend;
		if (!isfinite(per_visit) || per_visit < 0)
			per_visit = 0;
		double pa = btyd_p_alive(BTYD_MBGNBD, f.p, &h->c);
		double e = btyd_expected(BTYD_MBGNBD, f.p, &h->c, HORIZON_WEEKS);
		double clv = btyd_clv(BTYD_MBGNBD, f.p, &h->c, per_visit, WEEKS_PER_MONTH, CLV_MONTHS,
				      CLV_DISCOUNT, false);
		double alive = btyd_clv(BTYD_MBGNBD, f.p, &h->c, per_visit, WEEKS_PER_MONTH, CLV_MONTHS,
					CLV_DISCOUNT, true);
		if (!isfinite(pa))
			pa = 0;
		if (!isfinite(e))
			e = 0;
		if (!isfinite(clv))
			clv = 0;
		if (!isfinite(alive))
			alive = 0;
		out->scores[out->nscores++] = (struct guest_score){
			.location_id = l->id, .guest_id = h->guest_id,
			.model = "mbgnbd", .visits = h->visits, .first_visit_at = h->first_at,
			.last_visit_at = h->last_at, .p_alive_ppm = llround(pa * PPM),
			.expected_visits_milli = llround(e * 1000),
			.expected_spend_cents = llround(e * per_visit), .clv_cents = llround(clv),
			.value_at_risk_cents = llround(alive * (1 - pa)), .fitted_at = now,
		};
	}
	return DB_DONE;
}

/* Keeps what refit_compute found: the attempt, and the scores in place of
 * the earlier fit's (which go either way: they no longer hold). DB_DONE. */
static enum db_rc refit_store(struct db *db, struct refit *r)
{
	enum db_rc rc = btyd_fits_insert(db, &r->row);
	if (rc != DB_ROW)
		return rc;
	rc = guest_scores_clear(db, r->row.location_id);
	for (size_t i = 0; rc == DB_DONE && i < r->nscores; i++) {
		r->scores[i].fit_id = r->row.id;
		rc = guest_scores_insert(db, &r->scores[i]);
	}
	return rc;
}

static enum db_rc refit(struct db *db, struct arena *a, const struct location *l, int64_t now,
			struct refit *out)
{
	enum db_rc rc = refit_compute(db, a, l, now, out);
	return rc == DB_DONE ? refit_store(db, out) : rc;
}

enum db_rc analytics_tick(struct db *db, struct arena *a, int64_t now, int *refitted)
{
	*refitted = 0;
	int64_t *ids;
	int n;
	struct location l;
	struct refit r;
	/* read and fit in a read transaction, so writers wait only for the
	 * scores to be written; one location a pass */
	enum db_rc rc = db_begin(db, false);
	if (rc != DB_OK)
		return rc;
	bool found = false;
	rc = btyd_fits_due(db, a, now - REFIT_AFTER_SECONDS, now - RETRY_AFTER_SECONDS, 1, &ids, &n);
	if (rc == DB_DONE && n == 1) {
		rc = locations_get(db, a, ids[0], &l);
		if (rc == DB_ROW && (rc = refit_compute(db, a, &l, now, &r)) == DB_DONE)
			found = true;
	}
	if (db->in_tx)
		db_rollback(db); /* it only read */
	if (rc != DB_DONE || !found)
		return rc;
	if ((rc = db_begin(db, true)) != DB_OK)
		return rc;
	if ((rc = refit_store(db, &r)) == DB_DONE && (rc = db_commit(db)) == DB_OK)
		rc = DB_DONE;
	if (rc != DB_DONE && db->in_tx)
		db_rollback(db);
	if (rc == DB_DONE)
		*refitted = r.ok;
	return rc;
}

/* The fit as stored: JSON this program wrote, with six significant digits. */
static enum err reply_fit(struct req *r, const struct btyd_fit_row *f)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_raw(w, f->fit);
	return jreply_close(r, 200, &j);
}

enum err refit_h(struct req *r)
{
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	struct refit f;
	enum db_rc rc = refit(r->db, &r->arena, &l, clock_now(), &f);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	if (!f.ok)
		return req_fail(r, E_UNPROCESSABLE, "location_id", "not enough history to fit: %s",
				f.reason);
	return reply_fit(r, &f.row);
}

enum err fit_get_h(struct req *r)
{
	struct location l;
	struct btyd_fit_row f;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	enum db_rc rc = btyd_fits_latest(r->db, &r->arena, l.id, true, &f);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, NULL, "this location has no fit yet");
	return rc == DB_ROW ? reply_fit(r, &f) : req_db_fail(r, rc);
}

/* Probabilities, rates and expected counts, with four decimals. */
#define RATIO_DECIMALS 4

/* What a score says, for the at-risk list and the card. */
static void score_fields_write(struct jw *w, const struct guest_score *g)
{
	JW_KEY(w, "p_alive");
	jw_fixed(w, (double)g->p_alive_ppm / PPM, RATIO_DECIMALS);
	JW_KEY(w, "expected_visits");
	jw_fixed(w, (double)g->expected_visits_milli / 1000, RATIO_DECIMALS);
	JW_KEY(w, "clv_cents");
	jw_int(w, g->clv_cents);
	JW_KEY(w, "value_at_risk_cents");
	jw_int(w, g->value_at_risk_cents);
}

enum err at_risk_h(struct req *r)
{
	struct location l;
	int64_t min_visits, limit, before_value = 0, before_guest = 0;
	enum err e = req_location(r, &l);
	if (e || (e = req_query_int(r, "min_visits", 2, 1000, AT_RISK_DEFAULT_MIN_VISITS, &min_visits)) ||
	    (e = req_query_int(r, "limit", 1, AT_RISK_MAX_LIMIT, AT_RISK_DEFAULT_LIMIT, &limit)) ||
	    (e = req_query_cursor(r, &before_value, &before_guest)))
		return e;
	double max_p = AT_RISK_DEFAULT_MAX_P;
	const char *mp = req_query(r, "max_p_alive");
	if (mp) {
		char *end;
		max_p = strtod(mp, &end);
		if (*end || !(max_p > 0 && max_p <= 1))
			return req_fail(r, E_FIELD_INVALID, "max_p_alive",
					"max_p_alive is a probability above 0, up to 1");
	}
	int64_t max_ppm = llround(max_p * PPM);
	struct btyd_fit_row f;
	struct guest_score *gs = NULL;
	int n = 0;
	int64_t total = 0, guests = 0;
	enum db_rc rc = btyd_fits_latest(r->db, &r->arena, l.id, true, &f);
	bool fitted = rc == DB_ROW;
	if (rc != DB_ROW && rc != DB_DONE)
		return req_db_fail(r, rc);
	if (fitted &&
	    ((rc = guest_scores_at_risk(r->db, &r->arena, l.id, min_visits, max_ppm, before_value,
					before_guest, (int)limit + 1, &gs, &n)) != DB_DONE ||
	     (rc = guest_scores_at_risk_total(r->db, l.id, min_visits, max_ppm, &total, &guests)) !=
		     DB_DONE))
		return req_db_fail(r, rc);
	bool more = n > limit;
	if (more)
		n = (int)limit;
	int64_t now = clock_now();
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, l.id);
	JW_KEY(w, "model");
	jw_str(w, "mbgnbd");
	JW_KEY(w, "fitted_at");
	jw_time(w, fitted ? f.fitted_at : -1);
	JW_KEY(w, "currency");
	jw_str(w, l.currency);
	JW_KEY(w, "total_value_at_risk_cents");
	jw_int(w, total);
	JW_KEY(w, "total_guests");
	jw_int(w, guests);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		const struct guest_score *g = &gs[i];
		jw_obj(w);
		JW_KEY(w, "guest");
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, g->guest_id);
		JW_KEY(w, "name");
		jw_str(w, g->guest_name);
		jw_obj_end(w);
		JW_KEY(w, "visits");
		jw_int(w, g->visits);
		JW_KEY(w, "last_visit_at");
		jw_time(w, g->last_visit_at);
		JW_KEY(w, "days_since_last_visit");
		jw_int(w, (now - g->last_visit_at) / SECONDS_PER_DAY);
		JW_KEY(w, "usual_interval_days");
		double interval = g->visits > 1 ? (double)(g->last_visit_at - g->first_visit_at) /
							  SECONDS_PER_DAY / (double)(g->visits - 1)
						: 0;
		jw_fixed(w, interval, RATIO_DECIMALS);
		score_fields_write(w, g);
		JW_KEY(w, "open_case");
		if (g->case_id >= 0) {
			jw_obj(w);
			JW_KEY(w, "id");
			jw_int(w, g->case_id);
			JW_KEY(w, "category");
			jw_str(w, g->case_category);
			JW_KEY(w, "status");
			jw_str(w, g->case_status);
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		JW_KEY(w, "reached_out");
		if (g->reach_case_id >= 0) {
			jw_obj(w);
			JW_KEY(w, "case_id");
			jw_int(w, g->reach_case_id);
			JW_KEY(w, "at");
			jw_time(w, g->reach_at);
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		JW_KEY(w, "last_feedback");
		if (g->feedback_id >= 0) {
			jw_obj(w);
			JW_KEY(w, "id");
			jw_int(w, g->feedback_id);
			JW_KEY(w, "nps");
			jw_opt_int(w, g->feedback_nps);
			JW_KEY(w, "category");
			jw_str(w, survey_category((int)g->feedback_nps));
			JW_KEY(w, "at");
			jw_time(w, g->feedback_at);
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "next");
	if (more)
		jw_str(w, cursor_encode(&r->arena, gs[n - 1].value_at_risk_cents, gs[n - 1].guest_id));
	else
		jw_null(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

static void groups_write(struct jw *w, const char *const *names, const struct retention_group *g)
{
	jw_obj(w);
	for (int k = 0; k < 3; k++) {
		jw_key(w, names[k]);
		jw_obj(w);
		JW_KEY(w, "count");
		jw_int(w, g[k].count);
		JW_KEY(w, "returned");
		jw_int(w, g[k].returned);
		JW_KEY(w, "return_rate");
		if (g[k].count)
			jw_fixed(w, (double)g[k].returned / (double)g[k].count, RATIO_DECIMALS);
		else
			jw_null(w);
		JW_KEY(w, "spend_cents");
		jw_int(w, g[k].spend_cents);
		JW_KEY(w, "spend_per_guest_cents");
		if (g[k].count)
			jw_int(w, g[k].spend_cents / g[k].count);
		else
			jw_null(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

enum err retention_h(struct req *r)
{
	static const char *const feedback_names[] = {"promoter", "passive", "detractor"};
	static const char *const case_names[] = {"recovered", "not_recovered", "open"};
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	struct retention_group fg[3], cg[3];
	int64_t now = clock_now(), window = RETENTION_WINDOW_DAYS * SECONDS_PER_DAY;
	enum db_rc rc = retention_feedback(r->db, l.id, now, window, fg);
	if (rc != DB_DONE || (rc = retention_cases(r->db, l.id, now, window, cg)) != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, l.id);
	JW_KEY(w, "window_days");
	jw_int(w, RETENTION_WINDOW_DAYS);
	JW_KEY(w, "currency");
	jw_str(w, l.currency);
	JW_KEY(w, "feedback");
	groups_write(w, feedback_names, fg);
	JW_KEY(w, "cases");
	groups_write(w, case_names, cg);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err risk_card_write(struct req *r, struct jw *w, int64_t guest_id)
{
	struct guest_score *gs;
	int n;
	enum db_rc rc = guest_scores_for_guest(r->db, &r->arena, guest_id, CARD_SCORES_MAX, &gs, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	for (int i = 0; i < n; i++) {
		const struct guest_score *g = &gs[i];
		if (!caller_at_location(&r->caller, g->location_id))
			continue;
		jw_obj(w);
		JW_KEY(w, "location_id");
		jw_int(w, g->location_id);
		JW_KEY(w, "model");
		jw_str(w, g->model);
		score_fields_write(w, g);
		JW_KEY(w, "at_risk");
		jw_bool(w, g->visits >= AT_RISK_DEFAULT_MIN_VISITS &&
				   g->p_alive_ppm < llround(AT_RISK_DEFAULT_MAX_P * PPM));
		JW_KEY(w, "fitted_at");
		jw_time(w, g->fitted_at);
		jw_obj_end(w);
		return E_OK;
	}
	jw_null(w);
	return E_OK;
}
