/* Handlers, one file per resource, and the body declarations the route
 * table checks before a handler runs. */
#ifndef MAITRED_API_H
#define MAITRED_API_H

#include "net/req.h"
#include "net/auth.h"
#include "domain/spec.h"
#include "store/store.h"
#include "util/jw.h"
#include "domain/sentiment.h"
#include "domain/standards.h"

/* health.c */
enum err health_get(struct req *r);
enum err metrics_get(struct req *r);

/* session.c */
extern const struct spec session_spec;
enum err session_check(struct req *r);
enum err session_create(struct req *r);
enum err session_get(struct req *r);
enum err session_delete(struct req *r);

/* locations.c */
extern const struct spec location_spec, location_update_spec;
enum err locations_list_h(struct req *r);
enum err locations_create_h(struct req *r);
enum err locations_get_h(struct req *r);
enum err locations_update_h(struct req *r);

/* staff.c */
extern const struct spec staff_create_spec, staff_update_spec;
enum err staff_hash_password(struct req *r);
enum err staff_list_h(struct req *r);
enum err staff_create_h(struct req *r);
enum err staff_get_h(struct req *r);
enum err staff_update_h(struct req *r);
json_t *staff_json(const struct staff *s);

/* guests.c */
extern const struct spec guest_create_spec, guest_update_spec;
enum err guests_search_h(struct req *r);
enum err guests_create_h(struct req *r);
enum err guests_get_h(struct req *r);
enum err guests_update_h(struct req *r);
enum err guests_card_h(struct req *r);
enum err guests_timeline_h(struct req *r);
/* The guest named by the path's first id, or a 404 for the response. */
enum err guest_load(struct req *r, struct guest *g);
extern const struct spec guest_merge_spec;
enum err guests_merge_h(struct req *r);

/* The one path for adding a guest or a visit, used by the handlers and by
 * the demo data generator: the rows, the search keys, the rank and the
 * event. guest_add returns DB_ROW; visit_add returns DB_ROW, or DB_DONE when
 * the guest does not exist. */
enum db_rc guest_add(struct db *db, struct actor actor, struct guest *g);
enum db_rc visit_add(struct db *db, struct actor actor, struct visit *v);

/* notes.c */
extern const struct spec note_create_spec, note_update_spec;
enum err notes_create_h(struct req *r);
enum err notes_list_h(struct req *r);
enum err notes_update_h(struct req *r);
enum err notes_delete_h(struct req *r);
enum err flags_get_h(struct req *r);
void note_write(struct jw *w, const struct note *n);
void notes_write(struct jw *w, const struct note *notes, int n);
/* The one path for adding a note (handler and demo data): the row and its
 * event; n is read back with its author's name. Returns DB_ROW. */
enum db_rc note_add(struct db *db, struct arena *a, struct note *n);
/* The guest's allergy and dietary notes, most severe first. DB_DONE. */
enum db_rc guest_flags(struct db *db, struct arena *a, int64_t guest_id, struct note **out, int *n);
/* The guest's flags as a JSON array, for the card. */
enum err notes_flags_write(struct req *r, struct jw *w, int64_t guest_id);

/* talk.c */
extern const struct spec talk_create_spec, talk_update_spec;
enum err talk_list_h(struct req *r);
enum err talk_create_h(struct req *r);
enum err talk_update_h(struct req *r);
enum err talk_use_h(struct req *r);
/* Adding a talking point and recording a use, with their events; DB_ROW. */
enum db_rc talk_add(struct db *db, struct actor actor, struct talking_point *t);
enum db_rc talk_use_add(struct db *db, struct arena *a, const struct talking_point *t,
			struct talk_use *u);
/* The card's {"recently_used", "suggested"}; visits: the guest's visit
 * times, newest first. */
enum err talk_card_write(struct req *r, struct jw *w, int64_t guest_id, const int64_t *visits,
			 int nvisits);

/* visits.c */
extern const struct spec visit_spec;
enum err visits_create_h(struct req *r);
enum err visits_list_h(struct req *r);

/* cases.c */
extern const struct spec case_create_spec, case_update_spec, case_action_spec;
enum err cases_create_h(struct req *r);
enum err cases_list_h(struct req *r);
enum err cases_get_h(struct req *r);
enum err cases_update_h(struct req *r);
enum err case_actions_create_h(struct req *r);
enum err recovery_insights_h(struct req *r);
/* Which locations a list may show: one the caller names (404 if not
 * theirs), or all of the caller's (scope_staff_id, or one location for a
 * token bound to it). */
enum err list_scope(struct req *r, int64_t *location_id, int64_t *scope_staff_id);
/* The card's "cases": active ones and those resolved recently, with prompts. */
enum err cases_card_write(struct req *r, struct jw *w, int64_t guest_id);

/* Opens a case for a failure, once: when a case already exists for the same
 * source and source_id (feedback, order or check), *c is filled with it and
 * *created is false. Fills in the default owner and due time when c leaves
 * them unset (-1, 0), and writes the case.opened event. Returns DB_ROW, or
 * DB_DONE when the location does not exist. Other modules call this. */
enum db_rc recovery_open(struct db *db, struct arena *a, struct actor by, struct rcase *c,
			 bool *created);
/* Records an action on c (validated by the caller): first_action_at, comp
 * and refund sums, open → in_progress, events. Updates c and x. DB_DONE. */
enum db_rc recovery_action_add(struct db *db, struct arena *a, struct rcase *c,
			       struct case_action *x);
/* Resolves c with an outcome: clears its alerts, starts measuring. DB_DONE,
 * or DB_CONSTRAINT when c cannot be resolved from its status. */
enum db_rc recovery_resolve(struct db *db, struct arena *a, struct actor by, struct rcase *c,
			    const char *outcome, int64_t now);
/* After a visit: flips the guest's resolved cases whose guest came back. */
enum db_rc recovery_visit_recorded(struct db *db, struct arena *a, int64_t guest_id);
/* One pass of the recovery clocks at now: overdue cases and their alerts,
 * measurement windows that ended. Runs inside the caller's transaction. */
struct recovery_tick {
	int overdue, measured;
};
enum db_rc recovery_tick(struct db *db, struct arena *a, int64_t now, struct recovery_tick *out);

/* alerts.c */
extern const char *const alert_kinds[];
enum err alerts_list_h(struct req *r);
/* Raises an alert and writes its alert.raised event; DB_DONE. */
enum db_rc alert_raise(struct db *db, struct alert *al);
/* Clears the open alerts about a subject, each with an alert.cleared
 * event; DB_DONE. */
enum db_rc alerts_clear_subject(struct db *db, struct arena *a, const char *subject_type,
				int64_t subject_id, int64_t now);

/* orders.c */
extern const struct spec order_create_spec, order_update_spec;
enum err orders_create_h(struct req *r);
enum err orders_list_h(struct req *r);
enum err orders_get_h(struct req *r);
enum err orders_update_h(struct req *r);
/* The one path for placing an order (handler and demo data): o carries
 * guest_id (and guest_name), visit_id, special_requests and items, checked
 * by the caller; o->t.placed_at, when set, backdates it. Copies the guest's
 * flags and pinned preferences, sets the clocks from l (promised_minutes 0:
 * the location's), writes the rows and the order.placed event, and reads
 * the order back. DB_ROW. */
enum db_rc order_place(struct db *db, struct arena *a, struct actor by, const struct location *l,
		       int64_t promised_minutes, struct order *o);
/* Moves o to status to (a move the caller checked, flags acknowledged by
 * `by` when accepting): the clocks, the alerts cleared when it closes, the
 * order.<status> event. o is read back. DB_DONE. */
enum db_rc order_move(struct db *db, struct arena *a, struct actor by, const struct location *l,
		      const char *to, const char *reason, int64_t now, struct order *o);
/* The card's "open_orders": the guest's open orders at the caller's locations. */
enum err orders_card_write(struct req *r, struct jw *w, int64_t guest_id);
/* One pass of the order clocks at now: late orders and their alerts,
 * recovery cases for orders long past their clock. In the caller's
 * transaction. */
struct orders_tick {
	int late, cases;
};
enum db_rc orders_tick(struct db *db, struct arena *a, int64_t now, struct orders_tick *out);

/* feedback.c */
/* Analyse comments for these themes instead of the defaults; before the
 * server starts. */
void feedback_themes_set(const struct sent_theme *themes, int n);
#define SURVEY_TOKEN_CHARS 22 /* 128 random bits in base64url, without padding */
#define SURVEY_TOKEN_SIZE (SURVEY_TOKEN_CHARS + 2)
#define LINK_TOKEN_BYTES 16 /* 128 bits */
/* A new link token (survey or mystery-shop audit) and its hash, which is
 * all that is stored. */
void link_token_new(char token[SURVEY_TOKEN_SIZE], char hash[AUTH_TOKEN_HEX]);
/* Whether t has a link token's shape. */
bool link_token_ok(const char *t);
/* Makes a survey link for s (location, guest, visit or order set): the
 * over-surveying rule, a new token (into token), the row and its event.
 * DB_ROW; DB_DONE when the guest had one since *last (the gap rule);
 * DB_CONSTRAINT when the visit or order has one already. */
enum db_rc survey_make(struct db *db, struct actor by, const struct location *l,
		       struct survey *s, char token[SURVEY_TOKEN_SIZE], int64_t *last);
/* The survey link's fields ({"id", "token", "url", "qr", …}) into an open object. */
void survey_link_write(struct jw *w, const struct survey *s, const char *token);
/* The one path for new feedback (handlers and demo data): the comment's
 * analysis, the rows, kudos for staff named in praise, the closed loop (a
 * detractor opens a recovery case) and the feedback.received event; f is
 * read back. f carries location, guest, survey, source, nps (-1: none),
 * comment, ratings, who recorded it and, to backdate it, at; min_rating is
 * the lowest rating (0: none). DB_ROW. */
enum db_rc feedback_record(struct db *db, struct arena *a, struct feedback *f,
			   const struct location *l, int min_rating);
extern const struct spec survey_create_spec, public_feedback_spec, feedback_create_spec;
enum err surveys_create_h(struct req *r);
enum err survey_public_get_h(struct req *r);
enum err survey_qr_h(struct req *r);
enum err public_feedback_check(struct req *r);
enum err public_feedback_h(struct req *r);
enum err feedback_create_h(struct req *r);
enum err feedback_list_h(struct req *r);
enum err feedback_get_h(struct req *r);
enum err kudos_list_h(struct req *r);
enum err feedback_insights_h(struct req *r);

/* touchpoints.c */
extern const struct spec touchpoint_create_spec, touchpoint_update_spec;
enum err touchpoints_list_h(struct req *r);
enum err touchpoints_create_h(struct req *r);
enum err touchpoints_update_h(struct req *r);
/* feedback.c: the themes comments are analysed for, with their words */
enum err themes_list_h(struct req *r);

/* zones.c: the tz database. A zone that cannot be read counts as UTC. */
const struct tz *zone_get(const char *name);
bool zone_known(const char *name);

/* feedback.c: the start of the insights bucket holding t: UTC day ('d'),
 * Monday-start week ('w') or month ('m'). */
int64_t insights_bucket_start(int64_t t, char interval);
/* The starts of the buckets over [from, to), at most max; how many. */
int insights_buckets(int64_t from, int64_t to, char interval, int64_t *starts, int max);

/* standards.c */
extern const struct spec hours_spec, standard_create_spec, standard_update_spec, check_spec;
enum err hours_get_h(struct req *r);
enum err hours_put_h(struct req *r);
enum err standards_list_h(struct req *r);
enum err standards_create_h(struct req *r);
enum err standards_get_h(struct req *r);
enum err standards_update_h(struct req *r);
enum err checks_list_h(struct req *r);
enum err checks_create_h(struct req *r);
enum err checks_get_h(struct req *r);
enum err check_photo_h(struct req *r);
enum err standards_insights_h(struct req *r);
/* Records c (standard_id, result, note, by, at, audit_id set by the caller)
 * for the standard s: the row, the check.recorded event, its alerts cleared
 * or raised, and for a failed deal-breaker the recovery case (c->case_id).
 * DB_DONE. */
enum db_rc check_record(struct db *db, struct arena *a, const struct standard *s, struct check *c);
/* One pass of the standards clocks at now: check_overdue alerts raised for
 * checks past due and grace, cleared when a location closes. In the
 * caller's transaction. */
enum db_rc standards_tick(struct db *db, struct arena *a, int64_t now, int *raised);
/* The Standard object, and {"id","text","deal_breaker","touchpoint"}. */
void standard_write(struct jw *w, const struct standard *s);
void standard_brief_write(struct jw *w, int64_t id, const char *text, bool deal_breaker,
			  int64_t touchpoint_id, const char *key, const char *name);

/* audits.c */
extern const struct spec audit_spec, public_audit_spec;
enum err audits_create_h(struct req *r);
enum err audits_list_h(struct req *r);
enum err audits_get_h(struct req *r);
enum err audit_public_get_h(struct req *r);
enum err public_audit_h(struct req *r);

/* analytics.c: customer-base analytics (BTYD) */
enum err refit_h(struct req *r);
enum err fit_get_h(struct req *r);
enum err at_risk_h(struct req *r);
enum err retention_h(struct req *r);
/* The card's "risk": the guest's score at the caller's location of their
 * latest visit, or null. */
enum err risk_card_write(struct req *r, struct jw *w, int64_t guest_id);
/* One pass of the refit clock: refits a location whose last fit is a day
 * old (at most one a pass), reading and fitting in a read transaction and
 * writing the scores in a write transaction of its own. Outside any
 * transaction of the caller's. */
enum db_rc analytics_tick(struct db *db, struct arena *a, int64_t now, int *refitted);

/* stream.c */
enum err stream_open_h(struct req *r);
/* Whether a screen at the event's location receives it; kitchen: order
 * events and order alerts only. */
bool stream_event_wanted(const struct event *e, bool kitchen);
/* The event as one Server-Sent Event ("id:", "event:", "data:", blank line). */
void stream_event_format(struct buf *b, const struct event *e);

/* Shared by handlers: the caller as an event actor, times as JSON. */
struct actor req_actor(const struct req *r);
json_t *json_time(int64_t t);	    /* RFC 3339 string, or null when t < 0 */
json_t *json_opt_int(int64_t v);    /* integer, or null when v < 0 */
json_t *json_opt_str(const char *s); /* string, or null */

/* A JSON response written straight to text (util/jw.h), for the hot
 * routes: jreply_open(), write to the jw it returns, then jreply_close()
 * sets it as the response (or jreply_abandon() on an error path). */
struct jreply {
	struct buf b;
	struct jw w;
};
struct jw *jreply_open(struct jreply *j);
enum err jreply_close(struct req *r, int status, struct jreply *j);
void jreply_abandon(struct jreply *j);

/* Writes an event with data as its JSON object, stealing the reference
 * (NULL, from a failed json_pack, is an error). */
enum db_rc event_add_json(struct db *db, struct actor actor, const char *type, int64_t location_id,
			  int64_t guest_id, int64_t subject_id, json_t *data);
/* An event's or a note's author: {"kind","id","name"}, or null. */
void actor_write(struct jw *w, int64_t staff_id, int64_t token_id, const char *name);

/* The location named by the location_id query parameter: required, and
 * one of the caller's (404 otherwise). */
enum err req_location(struct req *r, struct location *l);
/* The "cursor" query parameter of a list in (time, id) order: leaves *a and
 * *b alone when absent; 400 field cursor unless it is one cursor_encode
 * gave out with an id of at least 1. */
enum err req_query_cursor(struct req *r, int64_t *a, int64_t *b);
/* Opaque page cursors: two integers as "a.b". */
char *cursor_encode(struct arena *a, int64_t x, int64_t y);
bool cursor_decode(const char *s, int64_t *x, int64_t *y);

#endif
