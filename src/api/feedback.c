/* Shop your business: survey links (and their QR codes), the public
 * survey, feedback staff hear at the counter, the analysis of every comment
 * (sentiment, themes, staff named in praise → kudos), the closed loop
 * (a detractor opens a recovery case), the inbox, the kudos wall and the
 * feedback insights. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/sentiment.h"
#include "domain/survey.h"
#include "domain/text.h"
#include "net/auth.h"
#include "util/clock.h"
#include "util/jw.h"

#include <math.h>
#include <pthread.h>
#include <qrencode.h>

#define FEEDBACK_DEFAULT_LIMIT 50
#define FEEDBACK_MAX_LIMIT 100
#define KUDOS_MAX_STAFF 100
#define KUDOS_COMMENTS 3
#define INSIGHTS_MAX_FEEDBACK 50000
#define INSIGHTS_DEFAULT_WEEKS 12
#define INSIGHTS_MAX_BUCKETS 400
#define PUBLIC_PER_MINUTE 10 /* survey answers per address */
#define RATE_SLOTS 1024
#define QR_BORDER 4
#define QR_MODULE_PX 8
#define QR_MAX_URL 512

static const struct spec_field survey_fields[] = {
	{"visit_id", SPEC_INT, false, false, 1, INT64_MAX, NULL},
	{"order_id", SPEC_INT, false, false, 1, INT64_MAX, NULL},
};
const struct spec survey_create_spec = SPEC(survey_fields);

/* ratings are an object of touchpoint keys, checked by ratings_read */
static const struct spec_field public_feedback_fields[] = {
	{"token", SPEC_STRING, true, false, 1, 64, NULL},
	{"nps", SPEC_INT, true, false, 0, 10, NULL},
	{"ratings", SPEC_OBJECT, false, true, 0, TOUCHPOINTS_MAX, NULL},
	{"comment", SPEC_STRING, false, true, 0, SURVEY_COMMENT_MAX_CHARS, NULL},
};
const struct spec public_feedback_spec = SPEC(public_feedback_fields);

static const struct spec_field feedback_fields[] = {
	{"location_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
	{"guest_id", SPEC_INT, false, true, 1, INT64_MAX, NULL},
	{"nps", SPEC_INT, false, true, 0, 10, NULL},
	{"ratings", SPEC_OBJECT, false, true, 0, TOUCHPOINTS_MAX, NULL},
	{"comment", SPEC_STRING, false, true, 0, SURVEY_COMMENT_MAX_CHARS, NULL},
};
const struct spec feedback_create_spec = SPEC(feedback_fields);

/* ---- the analyser: one per thread, built on first use ---- */

static pthread_key_t analyser_key;
static pthread_once_t analyser_once = PTHREAD_ONCE_INIT;

static void analyser_free(void *p)
{
	sentiment_free(p);
}

static void analyser_key_make(void)
{
	pthread_key_create(&analyser_key, analyser_free);
}

/* The themes comments are analysed for: the defaults, or a taxonomy set
 * before the server starts. */
static const struct sent_theme *taxonomy = sent_default_themes;
static int ntaxonomy = -1;

void feedback_themes_set(const struct sent_theme *themes, int n)
{
	taxonomy = themes;
	ntaxonomy = n;
}

static int taxonomy_size(void)
{
	return ntaxonomy < 0 ? sent_default_nthemes : ntaxonomy;
}

static struct sentiment *analyser(void)
{
	pthread_once(&analyser_once, analyser_key_make);
	struct sentiment *s = pthread_getspecific(analyser_key);
	if (!s && (s = sentiment_new(taxonomy, taxonomy_size())))
		pthread_setspecific(analyser_key, s);
	return s;
}

/* ---- writing feedback ---- */

static void feedback_write(struct jw *w, const struct feedback *f)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, f->id);
	JW_KEY(w, "location_id");
	jw_int(w, f->location_id);
	JW_KEY(w, "source");
	jw_str(w, f->source);
	JW_KEY(w, "guest");
	if (f->guest_id < 0) {
		jw_null(w);
	} else {
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, f->guest_id);
		JW_KEY(w, "name");
		jw_str(w, f->guest_name);
		jw_obj_end(w);
	}
	JW_KEY(w, "survey_id");
	jw_opt_int(w, f->survey_id);
	JW_KEY(w, "nps");
	jw_opt_int(w, f->nps);
	JW_KEY(w, "category");
	jw_str(w, survey_category((int)f->nps));
	JW_KEY(w, "ratings");
	jw_arr(w);
	for (int i = 0; i < f->nratings; i++) {
		jw_obj(w);
		JW_KEY(w, "touchpoint");
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, f->ratings[i].touchpoint_id);
		JW_KEY(w, "key");
		jw_str(w, f->ratings[i].key);
		JW_KEY(w, "name");
		jw_str(w, f->ratings[i].name);
		jw_obj_end(w);
		JW_KEY(w, "rating");
		jw_int(w, f->ratings[i].rating);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "comment");
	jw_str(w, f->comment);
	JW_KEY(w, "sentiment");
	if (f->analysed)
		jw_fixed(w, f->sentiment, 4);
	else
		jw_null(w);
	JW_KEY(w, "label");
	jw_str(w, f->analysed ? f->label : NULL);
	JW_KEY(w, "themes");
	jw_arr(w);
	for (int i = 0; i < f->nthemes; i++) {
		jw_obj(w);
		JW_KEY(w, "theme");
		jw_str(w, f->themes[i].theme);
		JW_KEY(w, "sentiment");
		jw_fixed(w, f->themes[i].sentiment, 4);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "kudos");
	jw_arr(w);
	for (int i = 0; i < f->nkudos; i++) {
		jw_obj(w);
		JW_KEY(w, "staff");
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, f->kudos[i].staff_id);
		JW_KEY(w, "name");
		jw_str(w, f->kudos[i].name);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "case_id");
	jw_opt_int(w, f->case_id);
	JW_KEY(w, "recorded_by");
	actor_write(w, f->recorded_by.staff_id, f->recorded_by.token_id, f->recorded_by_name);
	JW_KEY(w, "at");
	jw_time(w, f->at);
	jw_obj_end(w);
}

static enum err reply_feedback(struct req *r, int status, const struct feedback *f)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	feedback_write(w, f);
	return jreply_close(r, status, &j);
}

/* The ratings object ({"restroom": 2}) against the location's touchpoints. */
static enum err ratings_read(struct req *r, int64_t location_id, struct feedback *f, int *min)
{
	*min = 0;
	f->nratings = 0;
	json_t *ratings = json_object_get(r->body, "ratings");
	if (!json_is_object(ratings) || !json_object_size(ratings))
		return E_OK;
	struct touchpoint *tps;
	int ntp;
	enum db_rc rc = touchpoints_list(r->db, &r->arena, location_id, &tps, &ntp);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	f->ratings = arena_alloc(&r->arena, sizeof(*f->ratings) * TOUCHPOINTS_MAX);
	const char *key;
	json_t *v;
	json_object_foreach(ratings, key, v) {
		const char *field = arena_printf(&r->arena, "ratings.%s", key);
		int k = 0;
		while (k < ntp && strcmp(tps[k].key, key) != 0)
			k++;
		if (k == ntp)
			return req_fail(r, E_FIELD_UNKNOWN, field,
					"%s is not a touchpoint of this location", field);
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
			return req_fail(r, E_FIELD_INVALID, field, "%s must be a rating from 1 to 5", field);
		int rating = (int)json_integer_value(v);
		f->ratings[f->nratings++] =
			(struct feedback_rating){tps[k].id, tps[k].key, tps[k].name, rating};
		if (!*min || rating < *min)
			*min = rating;
	}
	return E_OK;
}

/* Names of staff at the location who are named in the comment. */
static enum db_rc mentions_find(struct db *db, struct arena *a, const struct feedback *f,
				int64_t **ids, int *n)
{
	*n = 0;
	struct staff *staff;
	int ns;
	enum db_rc rc = staff_at_location(db, a, f->location_id, &staff, &ns);
	if (rc != DB_DONE)
		return rc;
	*ids = arena_alloc(a, sizeof(**ids) * (size_t)(ns ? ns : 1));
	char *comment = text_fold(f->comment);
	if (!comment)
		return DB_DONE;
	for (int i = 0; i < ns; i++) {
		char *name = text_fold(staff[i].name);
		if (name && survey_mentions(comment, name))
			(*ids)[(*n)++] = staff[i].id;
		free(name);
	}
	free(comment);
	return DB_DONE;
}

enum db_rc feedback_record(struct db *db, struct arena *a, struct feedback *f,
			   const struct location *l, int min_rating)
{
	if (f->at <= 0)
		f->at = clock_now();
	f->analysed = false;
	f->nthemes = 0;
	if (f->comment && !f->comment[strspn(f->comment, " \t\r\n")])
		f->comment = NULL;
	struct sent_result res;
	struct sentiment *s = f->comment ? analyser() : NULL;
	if (f->comment && !s)
		return DB_ERROR;
	if (s) {
		sentiment_analyze(s, f->comment, strlen(f->comment), &res);
		f->analysed = true;
		f->sentiment = res.score;
		f->label = res.label;
		f->themes = arena_alloc(a, sizeof(*f->themes) * SENT_MAX_THEMES);
		for (int i = 0; i < res.nthemes; i++)
			f->themes[f->nthemes++] = (struct feedback_theme){
				sentiment_theme_name(s, res.themes[i].theme), res.themes[i].score};
	}
	enum db_rc rc = feedback_insert(db, f);
	if (rc != DB_ROW)
		return rc;
	if (f->analysed && res.score > 0) {
		/* praise that names someone is kudos for them */
		int64_t *ids;
		int n;
		if ((rc = mentions_find(db, a, f, &ids, &n)) != DB_DONE)
			return rc;
		for (int i = 0; i < n; i++)
			if ((rc = kudos_insert(db, f->id, ids[i], f->location_id, f->at)) != DB_DONE)
				return rc;
	}
	struct survey_response sr = {
		.nps = (int)f->nps,
		.min_rating = min_rating,
		.has_sentiment = f->analysed,
		.sentiment = f->sentiment,
	};
	if (survey_is_detractor(&sr)) {
		const char *themes[SENT_MAX_THEMES];
		double scores[SENT_MAX_THEMES];
		for (int i = 0; i < f->nthemes; i++) {
			themes[i] = f->themes[i].theme;
			scores[i] = f->themes[i].sentiment;
		}
		const char *what = f->comment ? f->comment : "no comment";
		struct rcase c = {
			.location_id = f->location_id,
			.guest_id = f->guest_id,
			.source = "feedback",
			.source_id = f->id,
			.category = survey_case_category(themes, scores, f->nthemes),
			.severity = survey_case_severity(&sr),
			.summary = f->nps >= 0 ? arena_printf(a, "Feedback %lld/10: %.400s",
							      (long long)f->nps, what)
					       : arena_printf(a, "Feedback: %.400s", what),
			.owner_staff_id = 0,
			.opened_at = f->at,
			.due_at = f->at + l->feedback_case_hours * 3600,
		};
		bool created;
		if ((rc = recovery_open(db, a, (struct actor){-1, -1}, &c, &created)) != DB_ROW)
			return rc;
	}
	/* read back, for names, kudos and the case */
	if ((rc = feedback_get(db, a, f->id, f)) != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	struct buf b;
	struct jw w;
	buf_init(&b, 64 * 1024);
	jw_init(&w, &b);
	jw_obj(&w);
	JW_KEY(&w, "feedback");
	feedback_write(&w, f);
	jw_obj_end(&w);
	rc = b.overflow ? DB_ERROR
			: events_add(db, f->recorded_by, "feedback.received", f->location_id,
				     f->guest_id, f->id, b.data);
	buf_release(&b);
	return rc == DB_DONE ? DB_ROW : rc;
}

/* ---- survey links ---- */

/* The page's full address for the QR code, from the request's host. */
static const char *survey_url(struct req *r, const char *token, bool absolute)
{
	if (!absolute || !r->host)
		return arena_printf(&r->arena, "/s/%s", token);
	bool https = r->forwarded_proto && strcmp(r->forwarded_proto, "https") == 0;
	return arena_printf(&r->arena, "%s://%s/s/%s", https ? "https" : "http", r->host, token);
}

enum db_rc survey_make(struct db *db, struct actor by, const struct location *l,
		       struct survey *s, char token[SURVEY_TOKEN_SIZE], int64_t *last)
{
	int64_t now = clock_now();
	enum db_rc rc;
	if (s->guest_id >= 0 && l->survey_gap_days > 0) {
		rc = surveys_last_for_guest(db, s->guest_id, s->location_id, last);
		if (rc == DB_ROW && *last > now - l->survey_gap_days * SECONDS_PER_DAY)
			return DB_DONE;
		if (rc != DB_ROW && rc != DB_DONE)
			return rc;
	}
	char hash[AUTH_TOKEN_HEX];
	link_token_new(token, hash);
	s->token_hash = hash;
	s->created_by = by;
	s->created_at = now;
	s->expires_at = now + l->survey_expiry_days * SECONDS_PER_DAY;
	if ((rc = surveys_insert(db, s)) != DB_ROW)
		return rc;
	s->token_hash = NULL; /* it lived on this stack */
	json_t *data = json_pack("{s:I,s:o,s:o}", "survey_id", (json_int_t)s->id, "visit_id",
				 json_opt_int(s->visit_id), "order_id", json_opt_int(s->order_id));
	rc = event_add_json(db, by, "survey.created", s->location_id, s->guest_id, s->id, data);
	return rc == DB_DONE ? DB_ROW : rc;
}

void survey_link_write(struct jw *w, const struct survey *s, const char *token)
{
	char path[64];
	JW_KEY(w, "id");
	jw_int(w, s->id);
	JW_KEY(w, "token");
	jw_str(w, token);
	JW_KEY(w, "url");
	snprintf(path, sizeof(path), "/s/%s", token);
	jw_str(w, path);
	JW_KEY(w, "qr");
	snprintf(path, sizeof(path), "/s/%s/qr.svg", token);
	jw_str(w, path);
	JW_KEY(w, "location_id");
	jw_int(w, s->location_id);
	JW_KEY(w, "guest_id");
	jw_opt_int(w, s->guest_id);
	JW_KEY(w, "visit_id");
	jw_opt_int(w, s->visit_id);
	JW_KEY(w, "order_id");
	jw_opt_int(w, s->order_id);
	JW_KEY(w, "created_at");
	jw_time(w, s->created_at);
	JW_KEY(w, "expires_at");
	jw_time(w, s->expires_at);
}

enum err surveys_create_h(struct req *r)
{
	bool by_visit = spec_has(r->body, "visit_id"), by_order = spec_has(r->body, "order_id");
	if (!by_visit && !by_order)
		return req_fail(r, E_FIELD_MISSING, "visit_id",
				"give the visit_id or the order_id the survey is about");
	if (by_visit && by_order)
		return req_fail(r, E_FIELD_INVALID, "order_id",
				"give the visit_id or the order_id, not both");
	const char *field = by_visit ? "visit_id" : "order_id";
	struct survey s = {.guest_id = -1, .visit_id = -1, .order_id = -1,
			   .created_by = req_actor(r)};
	enum db_rc rc;
	if (by_visit) {
		struct visit v;
		rc = visits_get(r->db, spec_int(r->body, "visit_id", -1), &v);
		if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, v.location_id)))
			return req_fail(r, E_NOT_FOUND, field, "no such visit");
		if (rc != DB_ROW)
			return req_db_fail(r, rc);
		s.visit_id = v.id;
		s.guest_id = v.guest_id;
		s.location_id = v.location_id;
	} else {
		struct order o;
		rc = orders_get(r->db, &r->arena, spec_int(r->body, "order_id", -1), &o);
		if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, o.location_id)))
			return req_fail(r, E_NOT_FOUND, field, "no such order");
		if (rc != DB_ROW)
			return req_db_fail(r, rc);
		s.order_id = o.id;
		s.guest_id = o.guest_id;
		s.location_id = o.location_id;
	}
	struct location l;
	if ((rc = locations_get(r->db, &r->arena, s.location_id, &l)) != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	char token[SURVEY_TOKEN_SIZE];
	int64_t last;
	rc = survey_make(r->db, req_actor(r), &l, &s, token, &last);
	if (rc == DB_DONE) {
		char when[CLOCK_RFC3339_LEN];
		clock_format(last, when);
		return req_fail(r, E_CONFLICT, field,
				"this guest was sent a survey on %.10s; at most one every %lld days",
				when, (long long)l.survey_gap_days);
	}
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, field, "this %s already has a survey link",
				by_visit ? "visit" : "order");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	survey_link_write(w, &s, token);
	jw_obj_end(w);
	sodium_memzero(token, sizeof(token));
	return jreply_close(r, 201, &j);
}

/* A well-formed token: base64url characters only, of the right length. */
/* The open survey for a token, or the error saying why it cannot be
 * answered. */
static enum err survey_open(struct req *r, const char *token, struct survey *s)
{
	char hash[AUTH_TOKEN_HEX];
	if (!link_token_ok(token))
		return req_fail(r, E_SURVEY_INVALID, "token", "this survey link is not valid");
	auth_token_hash(token, hash);
	enum db_rc rc = surveys_by_hash(r->db, &r->arena, hash, s);
	if (rc == DB_DONE)
		return req_fail(r, E_SURVEY_INVALID, "token", "this survey link is not valid");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (s->answered_at >= 0)
		return req_fail(r, E_SURVEY_ANSWERED, "token",
				"this survey was already answered — thank you");
	if (clock_now() >= s->expires_at)
		return req_fail(r, E_SURVEY_EXPIRED, "token", "this survey link has expired");
	return E_OK;
}

enum err survey_public_get_h(struct req *r)
{
	struct survey s;
	enum err e = survey_open(r, req_query(r, "token"), &s);
	if (e)
		return e;
	struct location l;
	struct touchpoint *tps;
	int n;
	enum db_rc rc = locations_get(r->db, &r->arena, s.location_id, &l);
	if (rc != DB_ROW || (rc = touchpoints_list(r->db, &r->arena, s.location_id, &tps, &n)) != DB_DONE)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location");
	jw_obj(w);
	JW_KEY(w, "name");
	jw_str(w, l.name);
	jw_obj_end(w);
	JW_KEY(w, "guest_first_name");
	if (s.guest_name) {
		/* the first word only: the page is public */
		jw_str(w, arena_strndup(&r->arena, s.guest_name, strcspn(s.guest_name, " ")));
	} else {
		jw_null(w);
	}
	JW_KEY(w, "touchpoints");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, tps[i].id);
		JW_KEY(w, "key");
		jw_str(w, tps[i].key);
		JW_KEY(w, "name");
		jw_str(w, tps[i].name);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	JW_KEY(w, "expires_at");
	jw_time(w, s.expires_at);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* Answers per address: a bucket of PUBLIC_PER_MINUTE that refills over a
 * minute, in memory. */
struct rate_slot {
	char ip[48];
	double tokens;
	int64_t last;
};
static struct {
	pthread_mutex_t lock;
	struct rate_slot slot[RATE_SLOTS];
} rate = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Seconds to wait, or 0 when the address may answer now (and counts it).
 * An IPv6 address counts by its /64 (one household or phone network). */
static int rate_take(const char *ip, int64_t now)
{
	char key[48];
	snprintf(key, sizeof(key), "%s", ip);
	if (strchr(key, ':')) {
		char *p = key;
		for (int groups = 0; *p && groups < 4; p++)
			groups += *p == ':';
		*p = '\0';
	}
	ip = key;
	uint32_t h = 2166136261u;
	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	const double per_second = PUBLIC_PER_MINUTE / 60.0;
	pthread_mutex_lock(&rate.lock);
	struct rate_slot *s = &rate.slot[h % RATE_SLOTS];
	if (strcmp(s->ip, ip) != 0) {
		/* a new address in a used slot takes over what is left of it, so
		 * addresses cannot refill each other's allowance by taking turns */
		snprintf(s->ip, sizeof(s->ip), "%s", ip);
		if (!s->last) {
			s->tokens = PUBLIC_PER_MINUTE;
			s->last = now;
		}
	}
	s->tokens += (double)(now - s->last) * per_second;
	if (s->tokens > PUBLIC_PER_MINUTE)
		s->tokens = PUBLIC_PER_MINUTE;
	s->last = now;
	int wait = 0;
	if (s->tokens < 1)
		wait = (int)ceil((1 - s->tokens) / per_second);
	else
		s->tokens -= 1;
	pthread_mutex_unlock(&rate.lock);
	return wait;
}

/* Before the write lock: a flood of answers is refused without taking it. */
enum err public_feedback_check(struct req *r)
{
	int wait = rate_take(r->client_ip ? r->client_ip : "", clock_now());
	if (wait) {
		r->res.retry_after = wait;
		return req_fail(r, E_RATE_LIMITED, NULL, "too many answers from here; try again in a minute");
	}
	return E_OK;
}

enum err public_feedback_h(struct req *r)
{
	struct survey s;
	enum err e = survey_open(r, spec_str(r->body, "token"), &s);
	if (e)
		return e;
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, s.location_id, &l);
	if (rc != DB_ROW)
		return req_db_fail(r, rc == DB_DONE ? DB_ERROR : rc);
	struct feedback f = {
		.location_id = s.location_id,
		.guest_id = s.guest_id,
		.survey_id = s.id,
		.source = "survey",
		.nps = spec_int(r->body, "nps", -1),
		.comment = spec_str(r->body, "comment"),
		.recorded_by = {-1, -1},
	};
	int min;
	if ((e = ratings_read(r, s.location_id, &f, &min)))
		return e;
	rc = surveys_answer(r->db, s.id, clock_now());
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_SURVEY_ANSWERED, "token",
				"this survey was already answered — thank you");
	if (rc != DB_DONE || (rc = feedback_record(r->db, &r->arena, &f, &l, min)) != DB_ROW)
		return req_db_fail(r, rc);
	return req_json(r, 201, json_pack("{s:b}", "thanks", 1));
}

enum err feedback_create_h(struct req *r)
{
	struct feedback f = {
		.location_id = spec_int(r->body, "location_id", -1),
		.guest_id = spec_int(r->body, "guest_id", -1),
		.survey_id = -1,
		.source = "staff",
		.nps = spec_int(r->body, "nps", -1),
		.comment = spec_str(r->body, "comment"),
		.recorded_by = req_actor(r),
	};
	bool has_comment = f.comment && f.comment[strspn(f.comment, " \t\r\n")];
	if (f.nps < 0 && !has_comment)
		return req_fail(r, E_FIELD_MISSING, "comment",
				"give what the guest said (comment), their score (nps), or both");
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, f.location_id, &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, f.location_id)))
		return req_fail(r, E_NOT_FOUND, "location_id", "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	if (f.guest_id >= 0) {
		struct guest g;
		rc = guests_get(r->db, &r->arena, f.guest_id, &g);
		if (rc == DB_DONE)
			return req_fail(r, E_NOT_FOUND, "guest_id", "no such guest");
		if (rc != DB_ROW)
			return req_db_fail(r, rc);
	}
	int min;
	enum err e = ratings_read(r, f.location_id, &f, &min);
	if (e)
		return e;
	if ((rc = feedback_record(r->db, &r->arena, &f, &l, min)) != DB_ROW)
		return req_db_fail(r, rc);
	return reply_feedback(r, 201, &f);
}

/* ---- the QR code ---- */

enum err survey_qr_h(struct req *r)
{
	if (!link_token_ok(r->path_token))
		return req_fail(r, E_NOT_FOUND, NULL, "no such survey link");
	const char *url = survey_url(r, r->path_token, true);
	if (strlen(url) > QR_MAX_URL)
		return req_fail(r, E_BAD_REQUEST, "Host", "the Host header is too long for a QR code");
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return req_fail(r, E_INTERNAL, NULL, "cannot make the QR code");
	int size = qr->width + 2 * QR_BORDER;
	struct buf b;
	buf_init(&b, 256 * 1024);
	buf_printf(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		   "height=\"%d\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
		   "fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   size, size, size * QR_MODULE_PX, size * QR_MODULE_PX, size, size);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				buf_printf(&b, "M%d %dh1v1h-1z", x + QR_BORDER, y + QR_BORDER);
	buf_puts(&b, "\"/></svg>\n");
	QRcode_free(qr);
	if (b.overflow) {
		buf_release(&b);
		return req_fail(r, E_INTERNAL, NULL, "the QR code is too large");
	}
	r->res.status = 200;
	r->res.content_type = "image/svg+xml";
	r->res.text = buf_detach(&b, &r->res.text_len);
	return E_OK;
}

/* ---- reading ---- */

enum err feedback_get_h(struct req *r)
{
	struct feedback f;
	enum db_rc rc = feedback_get(r->db, &r->arena, r->ids[0], &f);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, f.location_id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such feedback");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return reply_feedback(r, 200, &f);
}

enum err feedback_list_h(struct req *r)
{
	static const char *const categories[] = {"promoter", "passive", "detractor", NULL};
	static const char *const labels[] = {"positive", "negative", "neutral", NULL};
	struct feedback_filter f = {.nps_min = -1, .nps_max = -1};
	const char *category;
	int64_t limit;
	enum err e = list_scope(r, &f.location_id, &f.scope_staff_id);
	if (e || (e = req_query_enum(r, "category", categories, &category)) ||
	    (e = req_query_enum(r, "label", labels, &f.label)) ||
	    (e = req_query_time(r, "from", 0, &f.from)) || (e = req_query_time(r, "to", INT64_MAX, &f.to)) ||
	    (e = req_query_int(r, "limit", 1, FEEDBACK_MAX_LIMIT, FEEDBACK_DEFAULT_LIMIT, &limit)))
		return e;
	f.theme = req_query(r, "theme");
	bool known = !f.theme;
	for (int i = 0; f.theme && i < taxonomy_size(); i++)
		known |= strcmp(taxonomy[i].name, f.theme) == 0;
	if (!known)
		return req_fail(r, E_FIELD_INVALID, "theme", "theme must be a theme of the taxonomy%s",
				taxonomy == sent_default_themes
					? " (wait, accuracy, food, drinks, staff, cleanliness, price, "
					  "ambience, payment)"
					: "");
	if (category) {
		f.nps_min = category[1] == 'r' ? 9 : category[1] == 'a' ? 7 : 0;
		f.nps_max = category[1] == 'r' ? 10 : category[1] == 'a' ? 8 : 6;
	}
	if ((e = req_query_cursor(r, &f.before_at, &f.before_id)))
		return e;
	struct feedback *fs;
	int n;
	enum db_rc rc = feedback_list(r->db, &r->arena, &f, (int)limit + 1, &fs, &n);
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
		feedback_write(w, &fs[i]);
	jw_arr_end(w);
	JW_KEY(w, "next");
	jw_str(w, more ? cursor_encode(&r->arena, fs[n - 1].at, fs[n - 1].id) : NULL);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err kudos_list_h(struct req *r)
{
	struct location l;
	enum err e = req_location(r, &l);
	if (e)
		return e;
	struct kudos_row *ks;
	int n;
	enum db_rc rc = kudos_by_staff(r->db, &r->arena, l.id, KUDOS_MAX_STAFF, &ks, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		struct feedback *fs;
		int nf;
		if ((rc = kudos_feedback(r->db, &r->arena, l.id, ks[i].staff_id, KUDOS_COMMENTS, &fs,
					 &nf)) != DB_DONE) {
			jreply_abandon(&j);
			return req_db_fail(r, rc);
		}
		jw_obj(w);
		JW_KEY(w, "staff");
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, ks[i].staff_id);
		JW_KEY(w, "name");
		jw_str(w, ks[i].name);
		jw_obj_end(w);
		JW_KEY(w, "count");
		jw_int(w, ks[i].count);
		JW_KEY(w, "comments");
		jw_arr(w);
		for (int k = 0; k < nf; k++) {
			jw_obj(w);
			JW_KEY(w, "feedback_id");
			jw_int(w, fs[k].id);
			JW_KEY(w, "comment");
			jw_str(w, fs[k].comment);
			JW_KEY(w, "at");
			jw_time(w, fs[k].at);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* ---- insights ---- */

struct bucket {
	int64_t start, responses, promoters, passives, detractors;
	int64_t csat_sum[TOUCHPOINTS_MAX], csat_n[TOUCHPOINTS_MAX];
	int64_t theme_n[SENT_MAX_THEMES];
	double theme_sum[SENT_MAX_THEMES];
};

/* The start of the bucket holding t: UTC day, Monday-start week, month. */
int insights_buckets(int64_t from, int64_t to, char interval, int64_t *starts, int max)
{
	int n = 0;
	for (int64_t t = insights_bucket_start(from, interval); t < to && n < max; n++) {
		starts[n] = t;
		/* the next bucket: a day or a week later, or the first of next month */
		int64_t next = t + (interval == 'd' ? 1 : interval == 'w' ? 7 : 32) * SECONDS_PER_DAY;
		t = interval == 'm' ? insights_bucket_start(next, 'm') : next;
	}
	return n;
}

int64_t insights_bucket_start(int64_t t, char interval)
{
	int64_t day = t - ((t % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY;
	if (interval == 'd')
		return day;
	if (interval == 'w') {
		int64_t days = day / SECONDS_PER_DAY; /* 1970-01-01 was a Thursday */
		int64_t monday_offset = ((days + 3) % 7 + 7) % 7;
		return day - monday_offset * SECONDS_PER_DAY;
	}
	int y, m, d;
	clock_civil(t, &y, &m, &d);
	return day - (int64_t)(d - 1) * SECONDS_PER_DAY;
}

static void bucket_write(struct jw *w, const struct bucket *b, const struct touchpoint *tps,
			 int ntp, const struct sentiment *s)
{
	JW_KEY(w, "responses");
	jw_int(w, b->responses);
	int nps;
	JW_KEY(w, "nps");
	if (survey_nps(b->promoters, b->passives, b->detractors, &nps))
		jw_int(w, nps);
	else
		jw_null(w);
	JW_KEY(w, "promoters");
	jw_int(w, b->promoters);
	JW_KEY(w, "passives");
	jw_int(w, b->passives);
	JW_KEY(w, "detractors");
	jw_int(w, b->detractors);
	JW_KEY(w, "csat");
	jw_obj(w);
	for (int k = 0; k < ntp; k++) {
		if (!b->csat_n[k])
			continue;
		jw_key(w, tps[k].key);
		jw_obj(w);
		JW_KEY(w, "average");
		jw_fixed(w, (double)b->csat_sum[k] / (double)b->csat_n[k], 2);
		JW_KEY(w, "responses");
		jw_int(w, b->csat_n[k]);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	JW_KEY(w, "themes");
	jw_arr(w);
	for (int t = 0; t < SENT_MAX_THEMES; t++) {
		if (!b->theme_n[t])
			continue;
		jw_obj(w);
		JW_KEY(w, "theme");
		jw_str(w, sentiment_theme_name(s, t));
		JW_KEY(w, "count");
		jw_int(w, b->theme_n[t]);
		JW_KEY(w, "net_sentiment");
		jw_fixed(w, b->theme_sum[t] / (double)b->theme_n[t], 4);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void bucket_add(struct bucket *b, const struct feedback *f, const struct touchpoint *tps,
		       int ntp, const struct sentiment *s)
{
	b->responses++;
	const char *cat = survey_category((int)f->nps);
	if (cat) {
		b->promoters += cat[0] == 'p' && cat[1] == 'r';
		b->passives += cat[0] == 'p' && cat[1] == 'a';
		b->detractors += cat[0] == 'd';
	}
	for (int i = 0; i < f->nratings; i++)
		for (int k = 0; k < ntp; k++)
			if (tps[k].id == f->ratings[i].touchpoint_id) {
				b->csat_sum[k] += f->ratings[i].rating;
				b->csat_n[k]++;
			}
	for (int i = 0; i < f->nthemes; i++)
		for (int t = 0; t < SENT_MAX_THEMES && sentiment_theme_name(s, t); t++)
			if (strcmp(sentiment_theme_name(s, t), f->themes[i].theme) == 0) {
				b->theme_n[t]++;
				b->theme_sum[t] += f->themes[i].sentiment;
			}
}

enum err feedback_insights_h(struct req *r)
{
	static const char *const intervals[] = {"day", "week", "month", NULL};
	struct location l;
	const char *interval;
	int64_t from, to;
	enum err e = req_location(r, &l);
	if (e || (e = req_query_enum(r, "interval", intervals, &interval)) ||
	    (e = req_query_time(r, "to", clock_now() + 1, &to)) ||
	    (e = req_query_time(r, "from", to - (int64_t)INSIGHTS_DEFAULT_WEEKS * 7 * SECONDS_PER_DAY,
			    &from)))
		return e;
	if (from >= to)
		return req_fail(r, E_FIELD_INVALID, "from", "from must be before to");
	char iv = interval ? interval[0] : 'w';
	const struct sentiment *s = analyser();
	if (!s)
		return req_fail(r, E_INTERNAL, NULL, "the analyser cannot start");
	struct touchpoint *tps;
	int ntp, n;
	struct feedback *fs;
	enum db_rc rc = touchpoints_list(r->db, &r->arena, l.id, &tps, &ntp);
	if (rc != DB_DONE ||
	    (rc = feedback_range(r->db, &r->arena, l.id, from, to, INSIGHTS_MAX_FEEDBACK, &fs, &n)) != DB_DONE)
		return req_db_fail(r, rc);
	int64_t starts[INSIGHTS_MAX_BUCKETS];
	int nb = insights_buckets(from, to, iv, starts, INSIGHTS_MAX_BUCKETS);
	struct bucket *total = arena_alloc(&r->arena, sizeof(*total));
	memset(total, 0, sizeof(*total));
	struct bucket *bs = arena_alloc(&r->arena, sizeof(*bs) * (size_t)(nb ? nb : 1));
	for (int k = 0; k < nb; k++) {
		memset(&bs[k], 0, sizeof(bs[k]));
		bs[k].start = starts[k];
	}
	/* both in time order: one walk */
	for (int i = 0, k = 0; i < n; i++) {
		bucket_add(total, &fs[i], tps, ntp, s);
		int64_t start = insights_bucket_start(fs[i].at, iv);
		while (k < nb && bs[k].start < start)
			k++;
		if (k < nb && bs[k].start == start)
			bucket_add(&bs[k], &fs[i], tps, ntp, s);
	}
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "location_id");
	jw_int(w, l.id);
	JW_KEY(w, "from");
	jw_time(w, from);
	JW_KEY(w, "to");
	jw_time(w, to);
	JW_KEY(w, "interval");
	jw_str(w, iv == 'd' ? "day" : iv == 'w' ? "week" : "month");
	JW_KEY(w, "total");
	jw_obj(w);
	bucket_write(w, total, tps, ntp, s);
	jw_obj_end(w);
	JW_KEY(w, "series");
	jw_arr(w);
	for (int k = 0; k < nb; k++) {
		jw_obj(w);
		JW_KEY(w, "start");
		jw_time(w, bs[k].start);
		bucket_write(w, &bs[k], tps, ntp, s);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

enum err themes_list_h(struct req *r)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	for (int i = 0; i < taxonomy_size(); i++) {
		jw_obj(w);
		JW_KEY(w, "name");
		jw_str(w, taxonomy[i].name);
		JW_KEY(w, "words");
		jw_arr(w);
		for (int k = 0; taxonomy[i].words[k] && k < SENT_MAX_THEME_WORDS; k++)
			jw_str(w, taxonomy[i].words[k]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}
