/* Guests: create and edit, search as you type, the counter card and the
 * timeline. Guests belong to the business, not to one location. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/recognize.h"
#include "domain/text.h"
#include "util/clock.h"
#include "util/jw.h"

#define SEARCH_DEFAULT_LIMIT 10
#define SEARCH_MAX_LIMIT 50
#define TIMELINE_DEFAULT_LIMIT 50
#define TIMELINE_MAX_LIMIT 200
/* Events read for one page, counting those the caller may not see. */
#define HISTORY_MAX_SCAN 2000
#define QUERY_MAX_BYTES 200
#define QUERY_MAX_WORDS 6
/* Preferences and conversation notes shown on the card. */
#define CARD_PREFERENCES 10
#define CARD_TOPICS 5
/* Note matches looked at for one search, and distinct guests among them. */
#define NOTE_SEARCH_MAX_NOTES 2000
#define NOTE_SEARCH_MAX_GUESTS 500
#define NOTE_QUERY_MAX_BYTES (4 * QUERY_MAX_BYTES)

static const struct spec_field guest_create_fields[] = {
	{"name", SPEC_STRING, true, false, 1, 200, NULL},
	{"phone", SPEC_STRING, false, true, 0, 40, NULL},
	{"email", SPEC_EMAIL, false, true, 3, 254, NULL},
	{"card", SPEC_STRING, false, true, 1, 64, NULL},
};
const struct spec guest_create_spec = SPEC(guest_create_fields);
/* The same fields, all optional; null clears phone, email and card. */
const struct spec guest_update_spec = SPEC(guest_create_fields);

/* Guests are written straight to JSON text: search and the card are the hot
 * paths, and a jansson tree for them costs more than their queries. */
static void guest_write(struct jw *w, const struct guest *g, const struct note_hit *hit)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, g->id);
	JW_KEY(w, "name");
	jw_str(w, g->name);
	JW_KEY(w, "phone");
	jw_str(w, g->phone);
	JW_KEY(w, "email");
	jw_str(w, g->email);
	JW_KEY(w, "card");
	jw_str(w, g->card);
	JW_KEY(w, "visits");
	jw_int(w, g->visit_count);
	JW_KEY(w, "last_visit_at");
	jw_time(w, g->last_visit_at);
	JW_KEY(w, "created_at");
	jw_time(w, g->created_at);
	JW_KEY(w, "updated_at");
	jw_time(w, g->updated_at);
	if (hit) {
		JW_KEY(w, "matched_note");
		jw_obj(w);
		JW_KEY(w, "id");
		jw_int(w, hit->note_id);
		JW_KEY(w, "kind");
		jw_str(w, hit->kind);
		JW_KEY(w, "snippet");
		jw_str(w, hit->snippet);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

static enum err reply_guest(struct req *r, int status, const struct guest *g)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	guest_write(w, g, NULL);
	return jreply_close(r, status, &j);
}

static enum err check_phone(struct req *r, const char *phone)
{
	if (!phone)
		return E_OK;
	char digits[64];
	size_t n = text_digits(phone, digits, sizeof(digits));
	for (const char *p = phone; *p; p++)
		if (!strchr("0123456789 +-().", *p))
			return req_fail(r, E_FIELD_INVALID, "phone",
					"phone may contain digits, spaces and + - ( ) . only");
	if (n < 4)
		return req_fail(r, E_FIELD_INVALID, "phone", "phone must have at least 4 digits");
	return E_OK;
}

/* Writes the guest's search keys from its current fields. */
static enum db_rc reindex(struct db *db, const struct guest *g)
{
	struct text_terms t;
	text_guest_terms(g->name, g->phone, g->email, g->card, &t);
	enum db_rc rc = guests_set_terms(db, g->id, g->search_rank, t.terms, t.n);
	text_terms_release(&t);
	return rc;
}

static enum db_rc add_event(struct db *db, struct actor actor, const char *type, int64_t guest_id,
			    json_t *data)
{
	return event_add_json(db, actor, type, -1, guest_id, guest_id, data);
}

enum db_rc guest_add(struct db *db, struct actor actor, struct guest *g)
{
	g->visit_count = 0;
	g->last_visit_at = -1;
	g->search_rank = recognize_rank(0, -1, g->created_at);
	enum db_rc rc = guests_insert(db, g);
	if (rc != DB_ROW)
		return rc;
	if ((rc = reindex(db, g)) != DB_DONE)
		return rc;
	rc = add_event(db, actor, "guest.created", g->id, json_pack("{s:s}", "name", g->name));
	return rc == DB_DONE ? DB_ROW : rc;
}

enum err guest_load(struct req *r, struct guest *g)
{
	enum db_rc rc = guests_get(r->db, &r->arena, r->ids[0], g);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, NULL, "no such guest");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

enum err guests_create_h(struct req *r)
{
	int64_t now = clock_now();
	struct guest g = {
		.name = spec_str(r->body, "name"),
		.phone = spec_str(r->body, "phone"),
		.email = spec_str(r->body, "email"),
		.card = spec_str(r->body, "card"),
		.last_visit_at = -1,
		.created_at = now,
		.updated_at = now,
	};
	enum err e = check_phone(r, g.phone);
	if (e)
		return e;
	enum db_rc rc = guest_add(r->db, req_actor(r), &g);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "card", "another guest already has this card");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return reply_guest(r, 201, &g);
}

enum err guests_get_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	return e ? e : reply_guest(r, 200, &g);
}

enum err guests_update_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	if (spec_has(r->body, "name"))
		g.name = spec_str(r->body, "name");
	if (spec_has(r->body, "phone"))
		g.phone = spec_str(r->body, "phone");
	if (spec_has(r->body, "email"))
		g.email = spec_str(r->body, "email");
	if (spec_has(r->body, "card"))
		g.card = spec_str(r->body, "card");
	if ((e = check_phone(r, g.phone)))
		return e;
	g.updated_at = clock_now();
	enum db_rc rc = guests_update(r->db, &g);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "card", "another guest already has this card");
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	json_t *changed = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(r->body, key, v)
		json_array_append_new(changed, json_string(key));
	if ((rc = reindex(r->db, &g)) != DB_DONE ||
	    (rc = add_event(r->db, req_actor(r), "guest.updated", g.id, json_pack("{s:o}", "changed", changed))) != DB_DONE)
		return req_db_fail(r, rc);
	return reply_guest(r, 200, &g);
}

/* Search results are written as they are found, straight from the rows. */
struct name_page {
	struct jw *w;
	int n;
};

static void write_hit(void *ctx, const struct guest *g)
{
	struct name_page *p = ctx;
	guest_write(p->w, g, NULL);
	p->n++;
}

/* Guests found through their notes, after every guest found by name: each
 * once, best note first, leaving out those the name search listed. Pages
 * go on by counting the guests already shown. */
struct note_page {
	struct req *r;
	struct jw *w;
	const char *const *words;
	int nwords;
	int64_t skip; /* guests shown on earlier pages */
	int room;     /* guests still wanted on this page */
	int shown;
	bool more;
	int nseen;
	int64_t seen[NOTE_SEARCH_MAX_GUESTS];
	enum db_rc rc;
};

static bool note_hit(void *ctx, const struct note_hit *h)
{
	struct note_page *p = ctx;
	for (int i = 0; i < p->nseen; i++)
		if (p->seen[i] == h->guest_id)
			return true;
	if (p->nseen == NOTE_SEARCH_MAX_GUESTS)
		return false;
	p->seen[p->nseen++] = h->guest_id;
	struct arena *a = &p->r->arena;
	enum db_rc rc = guests_matches(p->r->db, a, h->guest_id, p->words, p->nwords);
	if (rc == DB_ROW)
		return true; /* on the name pages already */
	if (rc != DB_DONE) {
		p->rc = rc;
		return false;
	}
	if (p->skip > 0) {
		p->skip--;
		return true;
	}
	if (p->room == 0) {
		p->more = true;
		return false;
	}
	struct guest g;
	if ((rc = guests_get(p->r->db, a, h->guest_id, &g)) == DB_DONE)
		return true;
	if (rc != DB_ROW) {
		p->rc = rc;
		return false;
	}
	guest_write(p->w, &g, h);
	p->room--;
	p->shown++;
	return true;
}

enum err guests_search_h(struct req *r)
{
	int64_t limit;
	enum err e = req_query_int(r, "limit", 1, SEARCH_MAX_LIMIT, SEARCH_DEFAULT_LIMIT, &limit);
	if (e)
		return e;
	const char *q = req_query(r, "q");
	const char *cursor = req_query(r, "cursor");
	struct guest_cursor after, next;
	/* a cursor below zero is a page of note matches: -1 - guests shown */
	if (cursor && (!cursor_decode(cursor, &after.rank, &after.id) ||
		       after.rank < -1 - NOTE_SEARCH_MAX_GUESTS))
		return req_fail(r, E_FIELD_INVALID, "cursor", "cursor is not one this server gave out");
	bool name_pages = !cursor || after.rank >= 0;
	int64_t notes_shown = name_pages ? 0 : -1 - after.rank;
	if (!q)
		return req_fail(r, E_FIELD_MISSING, "q", "q is required: a name, phone, email or card");
	if (strlen(q) > QUERY_MAX_BYTES)
		return req_fail(r, E_FIELD_INVALID, "q", "q must be at most %d bytes", QUERY_MAX_BYTES);
	struct text_terms words;
	if (!text_query_words(q, &words))
		return req_fail(r, E_FIELD_INVALID, "q", "q must be valid UTF-8");
	size_t longest = 0;
	for (int i = 0; i < words.n; i++)
		if (text_chars(words.terms[i]) > longest)
			longest = text_chars(words.terms[i]);
	if (longest < 2) {
		text_terms_release(&words);
		return req_fail(r, E_FIELD_INVALID, "q", "q must have at least 2 letters or digits");
	}
	if (words.n > QUERY_MAX_WORDS) {
		text_terms_release(&words);
		return req_fail(r, E_FIELD_INVALID, "q", "q must have at most %d words", QUERY_MAX_WORDS);
	}
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	jw_arr(w);
	bool more = false;
	struct name_page names = {w, 0};
	enum db_rc rc = DB_DONE;
	if (name_pages)
		rc = guests_search(r->db, &r->arena, (const char *const *)words.terms, words.n,
				   cursor ? &after : NULL, (int)limit, write_hit, &names, &next, &more);
	/* the name search stays as fast as it was: notes are searched only
	 * once the guests found by name are all shown */
	char fts[NOTE_QUERY_MAX_BYTES];
	if (rc == DB_DONE && !more &&
	    text_fts_query(q, fts, sizeof(fts))) {
		struct note_page *p = arena_alloc(&r->arena, sizeof(*p));
		*p = (struct note_page){
			.r = r, .w = w, .words = (const char *const *)words.terms, .nwords = words.n,
			.skip = notes_shown, .room = (int)limit - names.n,
			.rc = DB_DONE,
		};
		rc = notes_search(r->db, fts, NOTE_SEARCH_MAX_NOTES, note_hit, p);
		if (rc == DB_DONE)
			rc = p->rc;
		if (p->more) {
			more = true;
			next.rank = -1 - (notes_shown + p->shown);
			next.id = 0;
		}
	}
	text_terms_release(&words);
	if (rc != DB_DONE) {
		jreply_abandon(&j);
		return req_db_fail(r, rc);
	}
	jw_arr_end(w);
	JW_KEY(w, "next");
	jw_str(w, more ? cursor_encode(&r->arena, next.rank, next.id) : NULL);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* What staff learned about the guest: flags, preferences, conversation. */
static enum err card_memory_write(struct req *r, struct jw *w, int64_t guest_id,
				  const int64_t *visits, int nvisits)
{
	JW_KEY(w, "flags");
	enum err e = notes_flags_write(r, w, guest_id);
	if (e)
		return e;
	struct note *notes;
	int n;
	enum db_rc rc = notes_preferences(r->db, &r->arena, guest_id, CARD_PREFERENCES, &notes, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	JW_KEY(w, "preferences");
	notes_write(w, notes, n);
	rc = notes_list(r->db, &r->arena, guest_id, "conversation", 0, 0, CARD_TOPICS, &notes, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	JW_KEY(w, "conversation");
	jw_obj(w);
	JW_KEY(w, "recent_topics");
	notes_write(w, notes, n);
	JW_KEY(w, "talking_points");
	if ((e = talk_card_write(r, w, guest_id, visits, nvisits)))
		return e;
	jw_obj_end(w);
	return E_OK;
}

enum err guests_card_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	int64_t times[RECOGNIZE_MAX_VISITS];
	int n;
	enum db_rc rc = visits_recent_times(r->db, g.id, times, RECOGNIZE_MAX_VISITS, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	struct recognition rec;
	recognize(times, (size_t)n, g.visit_count, clock_now(), g.name, &rec);
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "guest");
	guest_write(w, &g, NULL);
	JW_KEY(w, "recognition");
	jw_obj(w);
	JW_KEY(w, "visits");
	jw_int(w, rec.visits);
	JW_KEY(w, "last_visit_at");
	jw_time(w, rec.last_visit_at);
	JW_KEY(w, "days_since_last_visit");
	jw_opt_int(w, rec.days_since_last);
	JW_KEY(w, "usual_interval_days");
	jw_opt_int(w, rec.usual_interval_days);
	JW_KEY(w, "visits_last_30_days");
	jw_int(w, rec.recent_visits);
	JW_KEY(w, "regular");
	jw_bool(w, rec.regular);
	JW_KEY(w, "greeting");
	jw_str(w, rec.greeting);
	jw_obj_end(w);
	if ((e = card_memory_write(r, w, g.id, times, n))) {
		jreply_abandon(&j);
		return e;
	}
	JW_KEY(w, "cases");
	if ((e = cases_card_write(r, w, g.id))) {
		jreply_abandon(&j);
		return e;
	}
	JW_KEY(w, "open_orders");
	if ((e = orders_card_write(r, w, g.id))) {
		jreply_abandon(&j);
		return e;
	}
	JW_KEY(w, "risk");
	if ((e = risk_card_write(r, w, g.id))) {
		jreply_abandon(&j);
		return e;
	}
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

static json_t *event_json(const struct event *ev)
{
	json_error_t je;
	json_t *data = json_loads(ev->data ? ev->data : "{}", 0, &je);
	json_t *actor = json_null();
	if (ev->actor_staff_id >= 0)
		actor = json_pack("{s:s,s:I,s:o}", "kind", "staff", "id", (json_int_t)ev->actor_staff_id,
				  "name", json_opt_str(ev->actor_name));
	else if (ev->actor_token_id >= 0)
		actor = json_pack("{s:s,s:I,s:o}", "kind", "token", "id", (json_int_t)ev->actor_token_id,
				  "name", json_opt_str(ev->actor_name));
	return json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)ev->id, "type", ev->type, "at",
			 json_time(ev->at), "actor", actor, "location_id", json_opt_int(ev->location_id),
			 "data", data ? data : json_object());
}

enum err guests_timeline_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	int64_t limit, before = 0, unused;
	if ((e = req_query_int(r, "limit", 1, TIMELINE_MAX_LIMIT, TIMELINE_DEFAULT_LIMIT, &limit)))
		return e;
	const char *cursor = req_query(r, "cursor");
	if (cursor && (!cursor_decode(cursor, &before, &unused) || before < 1))
		return req_fail(r, E_FIELD_INVALID, "cursor", "cursor is not one this server gave out");
	json_t *items = json_array();
	bool more = false;
	int64_t last_id = 0;
	/* Events at locations the caller cannot see are left out; read on until
	 * the page is full or the history ends. */
	int scanned = 0;
	while (!more) {
		struct event *evs;
		int n;
		enum db_rc rc = events_for_guest(r->db, &r->arena, g.id, before, (int)limit + 1, &evs, &n);
		if (rc != DB_DONE) {
			json_decref(items);
			return req_db_fail(r, rc);
		}
		for (int i = 0; i < n && !more; i++) {
			if (++scanned > HISTORY_MAX_SCAN) {
				more = true; /* a short page; go on from the last event read */
				last_id = before;
				break;
			}
			before = evs[i].id;
			if (evs[i].location_id >= 0 && !caller_at_location(&r->caller, evs[i].location_id))
				continue;
			if ((int64_t)json_array_size(items) == limit) {
				more = true;
				break;
			}
			json_array_append_new(items, event_json(&evs[i]));
			last_id = evs[i].id;
		}
		if (n <= limit)
			break;
	}
	return req_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next",
					  more ? json_string(cursor_encode(&r->arena, last_id, 0))
					       : json_null()));
}

static const struct spec_field guest_merge_fields[] = {
	{"duplicate_id", SPEC_INT, true, false, 1, INT64_MAX, NULL},
};
const struct spec guest_merge_spec = SPEC(guest_merge_fields);

/* The duplicate's history moves to the survivor, which keeps its own name
 * and takes the contact details it lacks; the duplicate is left as a row
 * naming the survivor (its id is never reused) and answers 404. */
enum err guests_merge_h(struct req *r)
{
	struct guest g, dup;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	int64_t dup_id = spec_int(r->body, "duplicate_id", -1);
	if (dup_id == g.id)
		return req_fail(r, E_FIELD_INVALID, "duplicate_id", "a guest cannot be merged into itself");
	enum db_rc rc = guests_get(r->db, &r->arena, dup_id, &dup);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, "duplicate_id", "no such guest to merge");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	g.updated_at = clock_now();
	if ((rc = guests_move_history(r->db, dup.id, g.id)) != DB_DONE ||
	    (rc = guests_mark_merged(r->db, dup.id, g.id, g.updated_at)) != DB_DONE)
		return req_db_fail(r, rc);
	if (!g.phone)
		g.phone = dup.phone;
	if (!g.email)
		g.email = dup.email;
	if (!g.card)
		g.card = dup.card;
	if ((rc = guests_update(r->db, &g)) != DB_DONE ||
	    (rc = guests_recount(r->db, &r->arena, g.id, &g)) != DB_ROW ||
	    (rc = recovery_visit_recorded(r->db, &r->arena, g.id)) != DB_DONE)
		return req_db_fail(r, rc);
	g.search_rank = recognize_rank(g.visit_count, g.last_visit_at, g.created_at);
	if ((rc = guests_set_rank(r->db, g.id, g.search_rank)) != DB_DONE ||
	    (rc = reindex(r->db, &g)) != DB_DONE ||
	    (rc = add_event(r->db, req_actor(r), "guest.merged", g.id,
			    json_pack("{s:I,s:s}", "duplicate_id", (json_int_t)dup.id,
				      "duplicate_name", dup.name))) != DB_DONE)
		return req_db_fail(r, rc);
	return reply_guest(r, 200, &g);
}
