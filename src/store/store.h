/* Store functions: one per SQL statement, grouped by resource. Each returns
 * an enum db_rc: DB_ROW (one row, filled in), DB_DONE (no row, or done),
 * DB_BUSY (retry), DB_CONSTRAINT, DB_ERROR. Strings in results are copied
 * into the arena passed in. Times are Unix seconds; -1 means NULL for
 * optional integers. */
#ifndef MAITRED_STORE_H
#define MAITRED_STORE_H

#include "util/compat.h"
#include "util/arena.h"
#include "store/db.h"
#include "domain/tickets.h"
#include "domain/standards.h"

/* Who did it, for the event log: a staff member or an API token (or neither,
 * for the command line). */
struct actor {
	int64_t staff_id;
	int64_t token_id;
};

/* ---- events ---- */
struct event {
	int64_t id, at;
	const char *type;
	int64_t actor_staff_id, actor_token_id, location_id, guest_id, subject_id;
	const char *actor_name; /* staff name or token name, NULL if none */
	const char *data;	/* JSON object text */
};
/* data: JSON object text, or NULL for {}. */
enum db_rc events_add(struct db *db, struct actor actor, const char *type, int64_t location_id,
		      int64_t guest_id, int64_t subject_id, const char *data);
/* Newest first, ids below before_id (0 = from the newest). */
enum db_rc events_for_guest(struct db *db, struct arena *a, int64_t guest_id, int64_t before_id,
			    int limit, struct event **out, int *n);
/* Events after after_id, oldest first, at most limit; location_id -1: any
 * location. Without actor names. */
enum db_rc events_after(struct db *db, struct arena *a, int64_t location_id, int64_t after_id,
			int limit, struct event **out, int *n);
/* The newest event's id, 0 when there is none. */
enum db_rc events_last_id(struct db *db, int64_t *id);

/* ---- locations ---- */
struct location {
	int64_t id;
	const char *name, *timezone, *currency;
	int64_t created_at;
	int64_t case_due_minutes[3]; /* by severity: low, medium, high */
	struct ticket_clocks orders;  /* order clocks, in minutes */
	int64_t survey_expiry_days, survey_gap_days, feedback_case_hours;
	bool survey_after_visit;
	int64_t check_grace_minutes;
};
enum db_rc locations_insert(struct db *db, struct location *l);
enum db_rc locations_get(struct db *db, struct arena *a, int64_t id, struct location *out);
enum db_rc locations_list(struct db *db, struct arena *a, struct location **out, int *n);
enum db_rc locations_update(struct db *db, const struct location *l);
enum db_rc locations_count(struct db *db, int64_t *n);

/* ---- staff, sessions, tokens ---- */
struct staff {
	int64_t id;
	const char *email, *name, *role, *password_hash;
	bool disabled;
	int64_t created_at, updated_at;
	int nlocations;
	int64_t *location_ids;
};
enum db_rc staff_insert(struct db *db, struct staff *s);
enum db_rc staff_get(struct db *db, struct arena *a, int64_t id, struct staff *out);
enum db_rc staff_by_email(struct db *db, struct arena *a, const char *email, struct staff *out);
enum db_rc staff_list(struct db *db, struct arena *a, struct staff **out, int *n);
enum db_rc staff_update(struct db *db, const struct staff *s);
enum db_rc staff_set_password(struct db *db, int64_t id, const char *hash, int64_t now);
/* Enabled owners other than except_id. */
enum db_rc staff_count_owners(struct db *db, int64_t except_id, int64_t *n);
enum db_rc staff_locations_load(struct db *db, struct arena *a, struct staff *s);
enum db_rc staff_locations_set(struct db *db, int64_t staff_id, const int64_t *ids, int n);

enum db_rc sessions_insert(struct db *db, const char *token_hash, int64_t staff_id, int64_t now,
			   int64_t expires_at);
/* The live session's staff member (not disabled, not expired). */
enum db_rc sessions_lookup(struct db *db, struct arena *a, const char *token_hash, int64_t now,
			   struct staff *out);
enum db_rc sessions_delete(struct db *db, const char *token_hash);
enum db_rc sessions_delete_expired(struct db *db, int64_t now);
enum db_rc sessions_delete_staff(struct db *db, int64_t staff_id);

struct api_token {
	int64_t id;
	const char *name, *role;
	int64_t location_id;
};
enum db_rc tokens_insert(struct db *db, const char *token_hash, struct api_token *t, int64_t now);
enum db_rc tokens_lookup(struct db *db, struct arena *a, const char *token_hash, struct api_token *out);

/* ---- guests ---- */
struct guest {
	int64_t id;
	const char *name, *phone, *email, *card;
	int64_t visit_count, last_visit_at, search_rank, created_at, updated_at;
};
enum db_rc guests_insert(struct db *db, struct guest *g);
enum db_rc guests_get(struct db *db, struct arena *a, int64_t id, struct guest *out);
enum db_rc guests_update(struct db *db, const struct guest *g);
/* Replaces the guest's search keys. */
enum db_rc guests_set_terms(struct db *db, int64_t guest_id, int64_t rank, char *const *terms,
			    int n);
/* Counts a visit on the guest row; out gets the new count and last visit. */
enum db_rc guests_note_visit(struct db *db, int64_t guest_id, int64_t at, struct guest *out);
enum db_rc guests_set_rank(struct db *db, int64_t guest_id, int64_t rank);

/* Search cursor: results come in (rank, id) descending order. */
struct guest_cursor {
	int64_t rank, id;
};
/* Guests matching every word as a prefix of one of their keys, best first,
 * handed to each() one at a time as they are found (a guest's strings live
 * only for the call). At most limit guests; after: NULL for the first page.
 * *more and *next are set when another page may follow. */
enum db_rc guests_search(struct db *db, struct arena *a, const char *const *words, int nwords,
			 const struct guest_cursor *after, int limit,
			 void (*each)(void *ctx, const struct guest *g), void *ctx,
			 struct guest_cursor *next, bool *more);

/* DB_ROW when every word is a prefix of one of the guest's keys, else DB_DONE. */
enum db_rc guests_matches(struct db *db, struct arena *a, int64_t guest_id,
			  const char *const *words, int nwords);

/* ---- visits ---- */
struct visit {
	int64_t id, guest_id, location_id, at, party_size, spend_cents, staff_id, created_at;
};
enum db_rc visits_insert(struct db *db, struct visit *v);
enum db_rc visits_get(struct db *db, int64_t id, struct visit *out);
/* Newest first; locations: the caller's (NULL = all). before: (at, id) cursor. */
enum db_rc visits_for_guest(struct db *db, struct arena *a, int64_t guest_id, int64_t before_at,
			    int64_t before_id, int limit, struct visit **out, int *n);
/* Times of the guest's most recent visits, newest first. */
enum db_rc visits_recent_times(struct db *db, int64_t guest_id, int64_t *times, int max, int *n);

/* ---- guest notes ---- */
struct note {
	int64_t id, guest_id;
	const char *kind, *text;
	bool pinned;
	const char *allergen, *severity; /* NULL when not set */
	int64_t author_staff_id, author_token_id; /* -1 when none */
	const char *author_name;		  /* NULL when no author */
	int64_t created_at, updated_at;
};
enum db_rc notes_insert(struct db *db, struct note *n);
enum db_rc notes_get(struct db *db, struct arena *a, int64_t guest_id, int64_t id, struct note *out);
enum db_rc notes_update(struct db *db, const struct note *n);
enum db_rc notes_delete(struct db *db, int64_t guest_id, int64_t id);
/* Newest first; kind NULL for all; before: (created_at, id) cursor, 0 for the
 * newest. At most limit notes into *out (allocated in a). */
enum db_rc notes_list(struct db *db, struct arena *a, int64_t guest_id, const char *kind,
		      int64_t before_at, int64_t before_id, int limit, struct note **out, int *n);
/* Allergies, then dietary needs, each newest first (index order: the
 * caller orders them by severity). */
enum db_rc notes_flags(struct db *db, struct arena *a, int64_t guest_id, int limit,
		       struct note **out, int *n);
/* Preferences, pinned first, then newest. */
enum db_rc notes_preferences(struct db *db, struct arena *a, int64_t guest_id, int limit,
			     struct note **out, int *n);

/* A note matching a full-text query, for search. */
struct note_hit {
	int64_t note_id, guest_id;
	const char *kind, *snippet; /* valid until the next step */
};
/* Notes matching fts_query (FTS5 syntax), newest first, at most limit,
 * handed to each() until it returns false. Newest first streams from the
 * index; ranking by relevance would score every match before the first. */
enum db_rc notes_search(struct db *db, const char *fts_query, int limit,
			bool (*each)(void *ctx, const struct note_hit *h), void *ctx);

/* ---- talking points ---- */
struct talking_point {
	int64_t id;
	const char *text;
	bool active;
	int64_t created_at, updated_at;
};
enum db_rc talking_points_insert(struct db *db, struct talking_point *t);
enum db_rc talking_points_get(struct db *db, struct arena *a, int64_t id, struct talking_point *out);
enum db_rc talking_points_update(struct db *db, const struct talking_point *t);
/* The active ones in id order, then the retired ones, newest first; at
 * most limit. */
enum db_rc talking_points_list(struct db *db, struct arena *a, int limit,
			       struct talking_point **out, int *n);
enum db_rc talking_points_count_active(struct db *db, int64_t *n);

struct talk_use {
	int64_t id, guest_id, talking_point_id, at;
	struct actor by;
	const char *by_name;
};
/* Sets u->id and u->by_name. */
enum db_rc talk_uses_insert(struct db *db, struct arena *a, struct talk_use *u);
/* A guest's view of the starters: every active one (in id order), then the
 * retired ones used with the guest, with the guest's last use of each
 * (at = -1, never); at most limit. */
struct talk_row {
	struct talking_point tp;
	struct talk_use last;
};
enum db_rc talk_uses_for_guest(struct db *db, struct arena *a, int64_t guest_id, int limit,
			       struct talk_row **out, int *n);

/* ---- merging guests ---- */
/* Moves visits, notes, talking point uses, cases, events, orders, surveys
 * and feedback from one guest to another. */
enum db_rc guests_move_history(struct db *db, int64_t from_id, int64_t to_id);
/* Recounts visits and the last visit from the visits table. */
enum db_rc guests_recount(struct db *db, struct arena *a, int64_t id, struct guest *out);
/* Leaves the guest as a row naming the survivor: no name, no contact
 * details, no search keys; guests_get() no longer finds it. */
enum db_rc guests_mark_merged(struct db *db, int64_t id, int64_t into, int64_t now);

/* ---- recovery cases (`case` is a keyword, hence rcase) ---- */
struct rcase {
	int64_t id, location_id, guest_id;
	const char *guest_name; /* read */
	const char *source;
	int64_t source_id;
	const char *category, *severity, *summary, *status;
	int64_t owner_staff_id;
	const char *owner_name; /* read */
	struct actor opened_by;
	const char *opened_by_name; /* read */
	int64_t opened_at, due_at, overdue_at;
	bool missed_due;
	int64_t first_action_at, resolved_at, closed_at;
	const char *outcome, *measured;
	int64_t returned_at, comp_cents, refund_cents, updated_at;
	const char *currency; /* read: the location's */
};
/* DB_ROW with c->id set; DB_DONE when a case already exists for the same
 * source and source id (nothing is written). */
enum db_rc cases_insert(struct db *db, struct rcase *c);
enum db_rc cases_get(struct db *db, struct arena *a, int64_t id, struct rcase *out);
enum db_rc cases_by_source(struct db *db, struct arena *a, const char *source, int64_t source_id,
			   struct rcase *out);
/* Writes every column a handler may change. */
enum db_rc cases_update(struct db *db, const struct rcase *c);

/* Queue filters; -1 / NULL / false for "any". */
struct case_filter {
	int64_t location_id;
	int64_t scope_staff_id; /* only the locations this staff member works at */
	bool active;		/* open or in progress, most urgent first */
	const char *status;	/* one status (active == false): newest first */
	int64_t owner_staff_id, guest_id;
	int overdue; /* 1: only overdue cases; 0: only those that are not; -1: any */
	int64_t after_a, after_b; /* cursor: (due_at, id) or (opened_at, id); 0 for the first page */
};
enum db_rc cases_list(struct db *db, struct arena *a, const struct case_filter *f, int limit,
		      struct rcase **out, int *n);
/* Active cases and those resolved at or after since, newest first. */
enum db_rc cases_for_card(struct db *db, struct arena *a, int64_t guest_id, int64_t since,
			  int limit, struct rcase **out, int *n);
/* The location's default owner: its earliest enabled manager; DB_DONE if none. */
enum db_rc cases_default_owner(struct db *db, int64_t location_id, int64_t *staff_id);

/* The worker's passes, at time now: each changes at most limit cases and
 * returns them as they now are. */
enum db_rc cases_mark_overdue(struct db *db, struct arena *a, int64_t now, int limit,
			      struct rcase **out, int *n);
enum db_rc cases_end_windows(struct db *db, struct arena *a, int64_t now, int64_t window,
			     int limit, struct rcase **out, int *n);
/* Sets returned_at from the guest's visits for each resolved case of the
 * guest (the first visit after resolution within window); out gets the
 * cases whose measurement changed. */
enum db_rc cases_remeasure(struct db *db, struct arena *a, int64_t guest_id, int64_t window,
			   struct rcase **out, int *n);

struct case_action {
	int64_t id, case_id;
	const char *kind, *text;
	int64_t value_cents; /* -1 unless comp or refund */
	struct actor by;
	const char *by_name; /* read */
	int64_t at;
};
enum db_rc case_actions_insert(struct db *db, struct case_action *ca);
/* Oldest first. */
enum db_rc case_actions_list(struct db *db, struct arena *a, int64_t case_id, int limit,
			     struct case_action **out, int *n);
/* Bit i set when the case has an action of recovery_action_kinds[i]. */
enum db_rc case_actions_kinds(struct db *db, int64_t case_id, unsigned *kinds);

/* A case's own events (case.*), oldest first. */
enum db_rc events_for_case(struct db *db, struct arena *a, int64_t case_id, int limit,
			   struct event **out, int *n);

/* ---- alerts ---- */
struct alert {
	int64_t id, location_id;
	const char *kind, *subject_type, *message;
	int64_t subject_id, raised_at;
};
enum db_rc alerts_insert(struct db *db, struct alert *al);
/* Clears the open alerts about a subject; out gets them (at most
 * ALERTS_MAX_CLEARED). */
#define ALERTS_MAX_CLEARED 16
enum db_rc alerts_clear(struct db *db, struct arena *a, const char *subject_type,
			int64_t subject_id, int64_t now, struct alert **out, int *n);
/* Open alerts, newest first, with ids below before_id (0: from the newest);
 * location and scope as in case_filter. */
enum db_rc alerts_list(struct db *db, struct arena *a, int64_t location_id, int64_t scope_staff_id,
		       const char *kind, int64_t before_id, int limit, struct alert **out, int *n);

/* ---- orders ---- */
#define ORDER_MAX_ITEMS 100
struct order_item {
	const char *name;
	int64_t quantity;
	const char *modifiers; /* JSON array text */
	const char *note;      /* NULL when none */
};
/* A move of the status machine (or the flags' acknowledgement): when (-1:
 * not yet), by whom, and their name (read). */
struct order_move {
	int64_t at;
	struct actor by;
	const char *name;
};
struct order {
	int64_t id, location_id, guest_id, visit_id;
	const char *status;
	/* copied from the guest's memory when placed: name, JSON arrays */
	const char *guest_name, *flags, *preferences;
	bool has_flags;
	const char *special_requests;
	struct ticket_times t;
	struct ticket_clocks clocks; /* serve and case_after, as placed */
	int64_t due_at, case_at, late_at;
	const char *late_clock;
	struct order_move placed, accepted, ready, served, cancelled, ack;
	const char *cancel_reason;
	int64_t case_id, updated_at;
	int nitems;
	struct order_item *items;
};
/* Sets o->id. */
enum db_rc orders_insert(struct db *db, struct order *o);
enum db_rc order_items_insert(struct db *db, int64_t order_id, int position,
			      const struct order_item *it);
/* The order with its items. */
enum db_rc orders_get(struct db *db, struct arena *a, int64_t id, struct order *out);
/* Writes every column that changes after placing. */
enum db_rc orders_update(struct db *db, const struct order *o);
struct order_filter {
	int64_t location_id, guest_id; /* guest_id -1: any */
	bool open;		       /* placed, accepted, ready: oldest first */
	const char *status;	       /* otherwise one status (NULL: all), newest first */
	int64_t after_at, after_id;    /* cursor: (placed_at, id); 0 for the first page */
};
/* With their items. */
enum db_rc orders_list(struct db *db, struct arena *a, const struct order_filter *f, int limit,
		       struct order **out, int *n);
enum db_rc orders_open_for_guest(struct db *db, struct arena *a, int64_t guest_id, int limit,
				 struct order **out, int *n);
/* The worker's scans at time now: open orders not yet late whose clock ran
 * out, and open orders without a case whose case time came. */
enum db_rc orders_past_due(struct db *db, struct arena *a, int64_t now, int limit, int64_t **ids,
			   int *n);
enum db_rc orders_due_a_case(struct db *db, struct arena *a, int64_t now, int limit, int64_t **ids,
			     int *n);

/* ---- touchpoints, surveys, feedback, kudos ---- */
struct touchpoint {
	int64_t id, location_id;
	const char *key, *name;
	int64_t position;
	bool active;
};
#define TOUCHPOINTS_MAX 64
/* The location's active touchpoints, in journey order. */
enum db_rc touchpoints_list(struct db *db, struct arena *a, int64_t location_id,
			    struct touchpoint **out, int *n);
/* All of them, the retired ones last. */
enum db_rc touchpoints_list_all(struct db *db, struct arena *a, int64_t location_id,
				struct touchpoint **out, int *n);
enum db_rc touchpoints_get(struct db *db, struct arena *a, int64_t id, struct touchpoint *out);
/* At the end of the journey; DB_ROW with t->id and t->position, or
 * DB_CONSTRAINT when the location has the key already. */
enum db_rc touchpoints_insert(struct db *db, struct touchpoint *t);
enum db_rc touchpoints_update(struct db *db, const struct touchpoint *t);

struct survey {
	int64_t id, location_id, guest_id, visit_id, order_id;
	const char *token_hash;
	struct actor created_by;
	int64_t created_at, expires_at, answered_at;
	const char *guest_name; /* read */
};
/* DB_ROW with s->id; DB_CONSTRAINT when the visit or order has one already. */
enum db_rc surveys_insert(struct db *db, struct survey *s);
enum db_rc surveys_by_hash(struct db *db, struct arena *a, const char *token_hash,
			   struct survey *out);
/* When the guest was last sent a survey at the location; DB_DONE if never. */
enum db_rc surveys_last_for_guest(struct db *db, int64_t guest_id, int64_t location_id,
				  int64_t *at);
/* DB_DONE when it was still unanswered and is now answered; DB_CONSTRAINT
 * when someone answered it first. */
enum db_rc surveys_answer(struct db *db, int64_t id, int64_t now);

struct feedback_rating {
	int64_t touchpoint_id;
	const char *key, *name; /* read */
	int64_t rating;
};
struct feedback_theme {
	const char *theme;
	double sentiment;
};
struct feedback_kudos {
	int64_t staff_id;
	const char *name;
};
struct feedback {
	int64_t id, location_id, guest_id, survey_id;
	const char *source;
	int64_t nps; /* -1 when none */
	const char *comment;
	bool analysed;
	double sentiment;
	const char *label;
	struct actor recorded_by;
	int64_t at;
	/* read */
	const char *guest_name, *recorded_by_name;
	int64_t case_id;
	int nratings, nthemes, nkudos;
	struct feedback_rating *ratings;
	struct feedback_theme *themes;
	struct feedback_kudos *kudos;
};
/* Writes the row, its ratings and themes; sets f->id. DB_ROW. */
enum db_rc feedback_insert(struct db *db, struct feedback *f);
enum db_rc kudos_insert(struct db *db, int64_t feedback_id, int64_t staff_id, int64_t location_id,
			int64_t at);
/* With its ratings, themes and kudos. */
enum db_rc feedback_get(struct db *db, struct arena *a, int64_t id, struct feedback *out);
struct feedback_filter {
	int64_t location_id;	/* -1: the scope's */
	int64_t scope_staff_id; /* -1: any location */
	int nps_min, nps_max;	/* -1: any */
	const char *theme, *label;
	int64_t from, to;
	int64_t before_at, before_id; /* cursor; 0 for the first page */
};
/* Newest first, each with its ratings, themes and kudos. */
enum db_rc feedback_list(struct db *db, struct arena *a, const struct feedback_filter *f,
			 int limit, struct feedback **out, int *n);
/* Everything about the location's feedback in [from, to), oldest first,
 * for the insights (ratings and themes filled; no kudos). At most max. */
enum db_rc feedback_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			  int64_t to, int max, struct feedback **out, int *n);

/* Enabled staff who may be named at a location: those working there, and
 * owners. */
enum db_rc staff_at_location(struct db *db, struct arena *a, int64_t location_id,
			     struct staff **out, int *n);

struct kudos_row {
	int64_t staff_id;
	const char *name;
	int64_t count;
};
/* Staff of the location by kudos, most first. */
enum db_rc kudos_by_staff(struct db *db, struct arena *a, int64_t location_id, int limit,
			  struct kudos_row **out, int *n);
/* The latest feedback naming a staff member at the location. */
enum db_rc kudos_feedback(struct db *db, struct arena *a, int64_t location_id, int64_t staff_id,
			  int limit, struct feedback **out, int *n);

/* ---- recovery insights over cases opened in [from, to) ---- */
struct recovery_stats {
	int64_t total, by_status[4], by_category[8], outcome[3];
	int64_t overdue, comp_cents, refund_cents;
	int64_t returned, not_returned, pending;
};
enum db_rc cases_stats(struct db *db, int64_t location_id, int64_t from, int64_t to,
		       struct recovery_stats *out);
/* Seconds from opening to first action (which = 0) or to resolution
 * (which = 1), for cases that have one; at most max values. */
enum db_rc cases_durations(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			   int64_t to, int which, int max, int64_t **out, size_t *n);

/* ---- standards of care: opening hours, standards, checks, audits ---- */
enum db_rc hours_get(struct db *db, int64_t location_id, struct hours *out);
/* Replaces the location's hours with h (checked). */
enum db_rc hours_replace(struct db *db, int64_t location_id, const struct hours *h);

struct check_brief {
	int64_t id, at;
	const char *result;
	struct actor by;
	const char *by_name;
};
struct standard {
	int64_t id, location_id, touchpoint_id;
	const char *text, *owner_role, *category;
	int64_t frequency_minutes;
	bool deal_breaker, active;
	int64_t created_at, updated_at;
	int64_t overdue_due_at; /* -1: no check_overdue alert open */
	/* read: its touchpoint, and its last check (last.id -1: never checked) */
	const char *touchpoint_key, *touchpoint_name;
	int64_t touchpoint_position;
	struct check_brief last;
};
#define STANDARDS_MAX 200
/* The location's standards (all of them, or only active ones): active
 * first, deal-breakers first, by touchpoint position and text. */
enum db_rc standards_list(struct db *db, struct arena *a, int64_t location_id, bool active_only,
			  struct standard **out, int *n);
enum db_rc standards_get(struct db *db, struct arena *a, int64_t id, struct standard *out);
enum db_rc standards_insert(struct db *db, struct standard *s);
enum db_rc standards_update(struct db *db, const struct standard *s);
/* Sets (or with -1 clears) the due time of the open check_overdue alert. */
enum db_rc standards_set_overdue(struct db *db, int64_t id, int64_t due_at);
/* The checks of a standard with an open deal_breaker alert (at most
 * ALERTS_MAX_CLEARED * 4). */
enum db_rc deal_breaker_alerts_open(struct db *db, struct arena *a, int64_t standard_id,
				    int64_t **check_ids, int *n);
/* Locations with active standards that come due. */
enum db_rc standards_locations(struct db *db, struct arena *a, int64_t **ids, int *n);

struct check {
	int64_t id, standard_id, location_id, audit_id; /* audit_id -1: none */
	const char *result, *note;
	struct actor by;
	int64_t at;
	/* read */
	const char *by_name, *standard_text, *touchpoint_key, *touchpoint_name;
	int64_t touchpoint_id;
	bool deal_breaker;
	const char *photo_type; /* NULL: no photo */
	int64_t photo_bytes, case_id;
};
enum db_rc checks_insert(struct db *db, struct check *c);
enum db_rc check_photos_insert(struct db *db, int64_t check_id, const char *type,
			       const void *bytes, size_t n);
enum db_rc checks_get(struct db *db, struct arena *a, int64_t id, struct check *out);
struct check_filter {
	int64_t location_id, standard_id, audit_id; /* -1: any */
	const char *result;
	int64_t from, to;
	int64_t before_at, before_id; /* the page cursor; before_id 0: from the newest */
};
/* Newest first. */
enum db_rc checks_list(struct db *db, struct arena *a, const struct check_filter *f, int limit,
		       struct check **out, int *n);
/* The photo's bytes (in the arena) and type; DB_DONE without one. */
enum db_rc check_photo_get(struct db *db, struct arena *a, int64_t check_id, const char **type,
			   const void **bytes, size_t *n);

struct audit {
	int64_t id, location_id;
	const char *kind, *note, *token_hash;
	const char *shopper_note; /* what a mystery shopper wrote */
	struct actor created_by;
	const char *created_by_name; /* read */
	int64_t created_at, expires_at, submitted_at; /* -1: none */
	int64_t score, passed, failed, na, deal_breakers_failed; /* -1 while pending */
};
enum db_rc audits_insert(struct db *db, struct audit *au);
/* Records a pending audit's results: submitted_at, score and counts. */
enum db_rc audits_submit(struct db *db, const struct audit *au);
enum db_rc audits_get(struct db *db, struct arena *a, int64_t id, struct audit *out);
enum db_rc audits_by_token(struct db *db, struct arena *a, const char *token_hash,
			   struct audit *out);
/* Newest first; kind NULL: any; status "pending", "submitted", "expired" or
 * NULL; before_id 0: from the newest. */
enum db_rc audits_list(struct db *db, struct arena *a, int64_t location_id, const char *kind,
		       const char *status, int64_t now, int64_t before_id, int limit,
		       struct audit **out, int *n);

/* Insights over [from, to): checks and overdue alerts by time and
 * touchpoint, audits submitted, guests' ratings and themes. */
struct check_stat {
	int64_t at, touchpoint_id;
	char result; /* 'p', 'f', 'n' */
	bool deal_breaker;
};
/* Oldest first, at most max. */
enum db_rc checks_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			int64_t to, int max, struct check_stat **out, int *n);
/* check_overdue alerts raised, as check_stats with result 'o'. */
enum db_rc overdue_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			 int64_t to, int max, struct check_stat **out, int *n);
/* Submitted audits, oldest first. */
enum db_rc audits_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			int64_t to, int max, struct audit **out, int *n);
struct rating_stat {
	int64_t touchpoint_id, count, sum;
};
enum db_rc ratings_by_touchpoint(struct db *db, struct arena *a, int64_t location_id,
				 int64_t from, int64_t to, struct rating_stat **out, int *n);
struct theme_stat {
	const char *theme;
	int64_t count;
	double sentiment_sum;
};
enum db_rc themes_in_range(struct db *db, struct arena *a, int64_t location_id, int64_t from,
			   int64_t to, struct theme_stat **out, int *n);

/* ---- customer-base analytics ---- */
struct visit_day {
	int64_t guest_id, at, spend_cents; /* spend_cents -1: none recorded */
};
/* The location's visits up to `until`, by guest and time; at most max. */
enum db_rc visits_for_fit(struct db *db, struct arena *a, int64_t location_id, int64_t until,
			  size_t max, struct visit_day **out, size_t *n);
struct btyd_fit_row {
	int64_t id, location_id;
	const char *status, *model, *fit; /* fit: JSON object text */
	int64_t guests, repeat_guests, fitted_at;
};
enum db_rc btyd_fits_insert(struct db *db, struct btyd_fit_row *f);
/* The location's latest fit, any status (ok_only false) or good only. */
enum db_rc btyd_fits_latest(struct db *db, struct arena *a, int64_t location_id, bool ok_only,
			    struct btyd_fit_row *out);
/* Locations with visits whose last good fit is older than `before` (or
 * that never had one) and whose last attempt of any kind is older than
 * retry_before; at most max. */
enum db_rc btyd_fits_due(struct db *db, struct arena *a, int64_t before, int64_t retry_before,
			 int max, int64_t **ids, int *n);
struct guest_score {
	int64_t location_id, guest_id, fit_id;
	const char *model;
	int64_t visits, first_visit_at, last_visit_at;
	int64_t p_alive_ppm, expected_visits_milli, expected_spend_cents, clv_cents,
		value_at_risk_cents, fitted_at;
	/* read by the at-risk list */
	const char *guest_name;
	int64_t case_id, feedback_id, feedback_nps, feedback_at;
	const char *case_category, *case_status;
	int64_t reach_case_id, reach_at; /* the last follow-up since their last visit */
};
enum db_rc guest_scores_clear(struct db *db, int64_t location_id);
enum db_rc guest_scores_insert(struct db *db, const struct guest_score *g);
/* At-risk guests, by value at risk (cursor: below value, or equal with a
 * lower guest id; before_guest 0: from the top). */
enum db_rc guest_scores_at_risk(struct db *db, struct arena *a, int64_t location_id,
				int64_t min_visits, int64_t max_p_alive_ppm, int64_t before_value,
				int64_t before_guest, int limit, struct guest_score **out, int *n);
enum db_rc guest_scores_at_risk_total(struct db *db, int64_t location_id, int64_t min_visits,
				      int64_t max_p_alive_ppm, int64_t *cents, int64_t *guests);
/* The guest's scores, at most max, latest visit first. */
enum db_rc guest_scores_for_guest(struct db *db, struct arena *a, int64_t guest_id, int max,
				  struct guest_score **out, int *n);
struct retention_group {
	int64_t count, returned, spend_cents;
};
/* Feedback at least window old: by category (promoter, passive, detractor). */
enum db_rc retention_feedback(struct db *db, int64_t location_id, int64_t until, int64_t window,
			      struct retention_group out[3]);
/* Cases: recovered, not_recovered (from resolution), open (from opening). */
enum db_rc retention_cases(struct db *db, int64_t location_id, int64_t until, int64_t window,
			   struct retention_group out[3]);

#endif
