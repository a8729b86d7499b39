/* Statements over touchpoints, survey links, feedback and kudos. */
#include "util/compat.h"
#include "store/store.h"
#include "store/common.h"

#define FEEDBACK_MAX_RATINGS TOUCHPOINTS_MAX
#define FEEDBACK_MAX_THEMES 32
#define FEEDBACK_MAX_KUDOS 16
#define STAFF_MAX 1000

static void touchpoint_row(struct db_stmt *st, struct arena *a, struct touchpoint *t)
{
	t->id = db_col_int(st, 0);
	t->location_id = db_col_int(st, 1);
	t->key = col_str(st, a, 2);
	t->name = col_str(st, a, 3);
	t->position = db_col_int(st, 4);
	t->active = db_col_int(st, 5) != 0;
}

static enum db_rc touchpoints_read(struct db_stmt *st, struct arena *a, int64_t location_id,
				   struct touchpoint **out, int *n)
{
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, TOUCHPOINTS_MAX);
	*out = arena_alloc(a, sizeof(**out) * TOUCHPOINTS_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW)
		touchpoint_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc;
}

enum db_rc touchpoints_list(struct db *db, struct arena *a, int64_t location_id,
			    struct touchpoint **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, location_id, key, name, position, active FROM touchpoints "
		"WHERE location_id = $1 AND active = 1 ORDER BY position, id LIMIT $2");
	return st ? touchpoints_read(st, a, location_id, out, n) : DB_ERROR;
}

enum db_rc touchpoints_list_all(struct db *db, struct arena *a, int64_t location_id,
				struct touchpoint **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, location_id, key, name, position, active FROM touchpoints "
		"WHERE location_id = $1 ORDER BY active DESC, position, id LIMIT $2");
	return st ? touchpoints_read(st, a, location_id, out, n) : DB_ERROR;
}

enum db_rc touchpoints_get(struct db *db, struct arena *a, int64_t id, struct touchpoint *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, location_id, key, name, position, active FROM touchpoints WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		touchpoint_row(st, a, out);
	db_done(st);
	return rc;
}

enum db_rc touchpoints_insert(struct db *db, struct touchpoint *t)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO touchpoints (location_id, key, name, position) VALUES ($1, $2, $3, "
		"(SELECT COALESCE(max(position), 0) + 1 FROM touchpoints WHERE location_id = $1)) "
		"ON CONFLICT DO NOTHING RETURNING id, position");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, t->location_id);
	db_bind_text(st, 2, t->key);
	db_bind_text(st, 3, t->name);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		t->id = db_col_int(st, 0);
		t->position = db_col_int(st, 1);
		t->active = true;
	}
	db_done(st);
	return rc == DB_DONE ? DB_CONSTRAINT : rc;
}

enum db_rc touchpoints_update(struct db *db, const struct touchpoint *t)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE touchpoints SET name = $2, position = $3, active = $4 WHERE id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, t->id);
	db_bind_text(st, 2, t->name);
	db_bind_int(st, 3, t->position);
	db_bind_int(st, 4, t->active);
	return db_run(st);
}

/* ---- survey links ---- */

enum db_rc surveys_insert(struct db *db, struct survey *s)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO surveys (token_hash, location_id, guest_id, visit_id, order_id, "
		"created_by_staff_id, created_by_token_id, created_at, expires_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, s->token_hash);
	db_bind_int(st, 2, s->location_id);
	db_bind_opt_int(st, 3, s->guest_id);
	db_bind_opt_int(st, 4, s->visit_id);
	db_bind_opt_int(st, 5, s->order_id);
	db_bind_opt_int(st, 6, s->created_by.staff_id);
	db_bind_opt_int(st, 7, s->created_by.token_id);
	db_bind_int(st, 8, s->created_at);
	db_bind_int(st, 9, s->expires_at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		s->id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

enum db_rc surveys_by_hash(struct db *db, struct arena *a, const char *token_hash,
			   struct survey *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT s.id, s.location_id, s.guest_id, s.visit_id, s.order_id, s.created_at, "
		"s.expires_at, s.answered_at, g.name FROM surveys s "
		"LEFT JOIN guests g ON g.id = s.guest_id WHERE s.token_hash = $1");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, token_hash);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->location_id = db_col_int(st, 1);
		out->guest_id = db_col_opt_int(st, 2);
		out->visit_id = db_col_opt_int(st, 3);
		out->order_id = db_col_opt_int(st, 4);
		out->created_at = db_col_int(st, 5);
		out->expires_at = db_col_int(st, 6);
		out->answered_at = db_col_opt_int(st, 7);
		out->guest_name = col_str(st, a, 8);
	}
	db_done(st);
	return rc;
}

enum db_rc surveys_last_for_guest(struct db *db, int64_t guest_id, int64_t location_id,
				  int64_t *at)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT max(created_at) FROM surveys WHERE guest_id = $1 AND location_id = $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, guest_id);
	db_bind_int(st, 2, location_id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW) {
		if (db_col_null(st, 0))
			rc = DB_DONE;
		else
			*at = db_col_int(st, 0);
	}
	db_done(st);
	return rc;
}

enum db_rc surveys_answer(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE surveys SET answered_at = $2 WHERE id = $1 AND answered_at IS NULL");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, now);
	enum db_rc rc = db_run(st);
	if (rc == DB_DONE && db_changes(db) != 1)
		rc = DB_CONSTRAINT;
	return rc;
}

/* ---- feedback ---- */

enum db_rc feedback_insert(struct db *db, struct feedback *f)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO feedback (location_id, guest_id, survey_id, source, nps, comment, "
		"sentiment, label, recorded_by_staff_id, recorded_by_token_id, at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7 / 10000.0, $8, $9, $10, $11) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->location_id);
	db_bind_opt_int(st, 2, f->guest_id);
	db_bind_opt_int(st, 3, f->survey_id);
	db_bind_text(st, 4, f->source);
	db_bind_opt_int(st, 5, f->nps);
	db_bind_opt_text(st, 6, f->comment);
	/* the store binds integers: the sentiment goes as ten-thousandths */
	if (f->analysed)
		db_bind_int(st, 7, (int64_t)(f->sentiment * 10000 + (f->sentiment < 0 ? -0.5 : 0.5)));
	else
		db_bind_null(st, 7);
	db_bind_opt_text(st, 8, f->analysed ? f->label : NULL);
	db_bind_opt_int(st, 9, f->recorded_by.staff_id);
	db_bind_opt_int(st, 10, f->recorded_by.token_id);
	db_bind_int(st, 11, f->at);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		f->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc;
	for (int i = 0; i < f->nratings; i++) {
		st = db_prepare(db,
			"INSERT INTO feedback_ratings (feedback_id, touchpoint_id, rating) VALUES ($1, $2, $3)");
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, f->id);
		db_bind_int(st, 2, f->ratings[i].touchpoint_id);
		db_bind_int(st, 3, f->ratings[i].rating);
		if ((rc = db_run(st)) != DB_DONE)
			return rc;
	}
	for (int i = 0; i < f->nthemes; i++) {
		st = db_prepare(db,
			"INSERT INTO feedback_themes (feedback_id, theme, sentiment) "
			"VALUES ($1, $2, $3 / 10000.0)");
		if (!st)
			return DB_ERROR;
		double v = f->themes[i].sentiment;
		db_bind_int(st, 1, f->id);
		db_bind_text(st, 2, f->themes[i].theme);
		db_bind_int(st, 3, (int64_t)(v * 10000 + (v < 0 ? -0.5 : 0.5)));
		if ((rc = db_run(st)) != DB_DONE)
			return rc;
	}
	return DB_ROW;
}

enum db_rc kudos_insert(struct db *db, int64_t feedback_id, int64_t staff_id, int64_t location_id,
			int64_t at)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO kudos (feedback_id, staff_id, location_id, at) VALUES ($1, $2, $3, $4) "
		"ON CONFLICT DO NOTHING");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, feedback_id);
	db_bind_int(st, 2, staff_id);
	db_bind_int(st, 3, location_id);
	db_bind_int(st, 4, at);
	return db_run(st);
}

/* Sentiments are read as ten-thousandths (the store reads integers). */
#define FEEDBACK_COLUMNS                                                                        \
	"f.id, f.location_id, f.guest_id, f.survey_id, f.source, f.nps, f.comment, "            \
	"CAST(round(f.sentiment * 10000) AS INTEGER), f.label, f.recorded_by_staff_id, "        \
	"f.recorded_by_token_id, f.at, g.name, COALESCE(s.name, t.name), "                      \
	"(SELECT id FROM cases WHERE source = 'feedback' AND source_id = f.id) FROM feedback f " \
	"LEFT JOIN guests g ON g.id = f.guest_id LEFT JOIN staff s ON s.id = f.recorded_by_staff_id " \
	"LEFT JOIN api_tokens t ON t.id = f.recorded_by_token_id "

static void feedback_row(struct db_stmt *st, struct arena *a, struct feedback *f)
{
	memset(f, 0, sizeof(*f));
	f->id = db_col_int(st, 0);
	f->location_id = db_col_int(st, 1);
	f->guest_id = db_col_opt_int(st, 2);
	f->survey_id = db_col_opt_int(st, 3);
	f->source = col_str(st, a, 4);
	f->nps = db_col_opt_int(st, 5);
	f->comment = col_str(st, a, 6);
	f->analysed = !db_col_null(st, 7);
	f->sentiment = f->analysed ? (double)db_col_int(st, 7) / 10000.0 : 0;
	f->label = col_str(st, a, 8);
	f->recorded_by.staff_id = db_col_opt_int(st, 9);
	f->recorded_by.token_id = db_col_opt_int(st, 10);
	f->at = db_col_int(st, 11);
	f->guest_name = col_str(st, a, 12);
	f->recorded_by_name = col_str(st, a, 13);
	f->case_id = db_col_opt_int(st, 14);
}

/* Ratings, themes and (with kudos) kudos of f. */
static enum db_rc feedback_details(struct db *db, struct arena *a, struct feedback *f, bool kudos)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT r.touchpoint_id, t.key, t.name, r.rating FROM feedback_ratings r "
		"JOIN touchpoints t ON t.id = r.touchpoint_id WHERE r.feedback_id = $1 "
		"ORDER BY t.position, t.id LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->id);
	db_bind_int(st, 2, FEEDBACK_MAX_RATINGS);
	/* read into the stack, keep only what there is: lists hold thousands */
	struct feedback_rating ratings[FEEDBACK_MAX_RATINGS];
	struct feedback_theme themes[FEEDBACK_MAX_THEMES];
	f->ratings = ratings;
	f->nratings = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct feedback_rating *r = &f->ratings[f->nratings++];
		r->touchpoint_id = db_col_int(st, 0);
		r->key = col_str(st, a, 1);
		r->name = col_str(st, a, 2);
		r->rating = db_col_int(st, 3);
	}
	db_done(st);
	f->ratings = arena_alloc(a, sizeof(*f->ratings) * (size_t)(f->nratings ? f->nratings : 1));
	memcpy(f->ratings, ratings, sizeof(*f->ratings) * (size_t)f->nratings);
	if (rc != DB_DONE)
		return rc;
	st = db_prepare(db,
		"SELECT theme, CAST(round(sentiment * 10000) AS INTEGER) FROM feedback_themes "
		"WHERE feedback_id = $1 ORDER BY rowid LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->id);
	db_bind_int(st, 2, FEEDBACK_MAX_THEMES);
	f->themes = themes;
	f->nthemes = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct feedback_theme *t = &f->themes[f->nthemes++];
		t->theme = col_str(st, a, 0);
		t->sentiment = (double)db_col_int(st, 1) / 10000.0;
	}
	db_done(st);
	f->themes = arena_alloc(a, sizeof(*f->themes) * (size_t)(f->nthemes ? f->nthemes : 1));
	memcpy(f->themes, themes, sizeof(*f->themes) * (size_t)f->nthemes);
	if (rc != DB_DONE || !kudos)
		return rc;
	st = db_prepare(db,
		"SELECT k.staff_id, s.name FROM kudos k JOIN staff s ON s.id = k.staff_id "
		"WHERE k.feedback_id = $1 ORDER BY k.id LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->id);
	db_bind_int(st, 2, FEEDBACK_MAX_KUDOS);
	f->kudos = arena_alloc(a, sizeof(*f->kudos) * FEEDBACK_MAX_KUDOS);
	f->nkudos = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct feedback_kudos *k = &f->kudos[f->nkudos++];
		k->staff_id = db_col_int(st, 0);
		k->name = col_str(st, a, 1);
	}
	db_done(st);
	return rc;
}

enum db_rc feedback_get(struct db *db, struct arena *a, int64_t id, struct feedback *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " FEEDBACK_COLUMNS "WHERE f.id = $1");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	enum db_rc rc = db_step(st);
	if (rc == DB_ROW)
		feedback_row(st, a, out);
	db_done(st);
	if (rc != DB_ROW)
		return rc;
	rc = feedback_details(db, a, out, true);
	return rc == DB_DONE ? DB_ROW : rc;
}

/* Reads up to limit rows and their details, finishing the statement. */
static enum db_rc feedback_read(struct db *db, struct db_stmt *st, struct arena *a, int limit,
				bool kudos, struct feedback **out, int *n)
{
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	enum db_rc rc = DB_DONE;
	while (*n < limit && (rc = db_step(st)) == DB_ROW)
		feedback_row(st, a, &(*out)[(*n)++]);
	db_done(st);
	if (*n < limit && rc != DB_DONE)
		return rc;
	for (int i = 0; i < *n; i++)
		if ((rc = feedback_details(db, a, &(*out)[i], kudos)) != DB_DONE)
			return rc;
	return DB_DONE;
}

enum db_rc feedback_list(struct db *db, struct arena *a, const struct feedback_filter *f,
			 int limit, struct feedback **out, int *n)
{
	/* one location walks its index; otherwise the caller's locations */
	struct db_stmt *st = f->location_id >= 0
		? db_prepare(db,
		"SELECT " FEEDBACK_COLUMNS "WHERE f.location_id = $1 AND $2 = $2 "
		"AND ($3 < 0 OR f.nps >= $3) AND ($4 < 0 OR f.nps <= $4) "
		"AND ($5 IS NULL OR EXISTS (SELECT 1 FROM feedback_themes ft "
		"WHERE ft.feedback_id = f.id AND ft.theme = $5)) "
		"AND ($6 IS NULL OR f.label = $6) AND f.at >= $7 AND f.at < $8 "
		"AND (f.at, f.id) < ($9, $10) ORDER BY f.at DESC, f.id DESC LIMIT $11")
		: db_prepare(db,
		"SELECT " FEEDBACK_COLUMNS "WHERE $1 = $1 "
		"AND ($2 < 0 OR f.location_id IN (SELECT location_id FROM staff_locations "
		"WHERE staff_id = $2)) "
		"AND ($3 < 0 OR f.nps >= $3) AND ($4 < 0 OR f.nps <= $4) "
		"AND ($5 IS NULL OR EXISTS (SELECT 1 FROM feedback_themes ft "
		"WHERE ft.feedback_id = f.id AND ft.theme = $5)) "
		"AND ($6 IS NULL OR f.label = $6) AND f.at >= $7 AND f.at < $8 "
		"AND (f.at, f.id) < ($9, $10) ORDER BY f.at DESC, f.id DESC LIMIT $11");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->location_id);
	db_bind_int(st, 2, f->scope_staff_id);
	db_bind_int(st, 3, f->nps_min);
	db_bind_int(st, 4, f->nps_max);
	db_bind_opt_text(st, 5, f->theme);
	db_bind_opt_text(st, 6, f->label);
	db_bind_int(st, 7, f->from);
	db_bind_int(st, 8, f->to);
	db_bind_int(st, 9, f->before_id ? f->before_at : INT64_MAX);
	db_bind_int(st, 10, f->before_id ? f->before_id : INT64_MAX);
	db_bind_int(st, 11, limit);
	return feedback_read(db, st, a, limit, true, out, n);
}

enum db_rc feedback_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			  int64_t to, int max, struct feedback **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " FEEDBACK_COLUMNS "WHERE f.location_id = $1 AND f.at >= $2 AND f.at < $3 "
		"ORDER BY f.at, f.id LIMIT $4");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, max);
	return feedback_read(db, st, a, max, false, out, n);
}

/* ---- staff named in comments, and kudos ---- */

enum db_rc staff_at_location(struct db *db, struct arena *a, int64_t location_id,
			     struct staff **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, name FROM staff WHERE disabled = 0 AND (role = 'owner' OR id IN "
		"(SELECT staff_id FROM staff_locations WHERE location_id = $1)) ORDER BY id LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, STAFF_MAX);
	*out = arena_alloc(a, sizeof(**out) * STAFF_MAX);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct staff *s = &(*out)[(*n)++];
		memset(s, 0, sizeof(*s));
		s->id = db_col_int(st, 0);
		s->name = col_str(st, a, 1);
	}
	db_done(st);
	return rc;
}

enum db_rc kudos_by_staff(struct db *db, struct arena *a, int64_t location_id, int limit,
			  struct kudos_row **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT k.staff_id, s.name, count(*) AS c FROM kudos k JOIN staff s ON s.id = k.staff_id "
		"WHERE k.location_id = $1 GROUP BY k.staff_id ORDER BY c DESC, max(k.at) DESC LIMIT $2");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)limit);
	*n = 0;
	enum db_rc rc;
	while ((rc = db_step(st)) == DB_ROW && *n < limit) {
		struct kudos_row *k = &(*out)[(*n)++];
		k->staff_id = db_col_int(st, 0);
		k->name = col_str(st, a, 1);
		k->count = db_col_int(st, 2);
	}
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

enum db_rc kudos_feedback(struct db *db, struct arena *a, int64_t location_id, int64_t staff_id,
			  int limit, struct feedback **out, int *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " FEEDBACK_COLUMNS "WHERE f.id IN (SELECT feedback_id FROM kudos "
		"WHERE location_id = $1 AND staff_id = $2) ORDER BY f.at DESC, f.id DESC LIMIT $3");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, location_id);
	db_bind_int(st, 2, staff_id);
	db_bind_int(st, 3, limit);
	return feedback_read(db, st, a, limit, false, out, n);
}
