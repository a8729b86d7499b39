/* Guest notes: preferences, dietary needs, allergies, what was talked
 * about. Every change is evented with the note's text, so edits and
 * deletions keep their history on the guest's timeline. Kitchen staff read
 * the flags (allergies and dietary needs) and nothing else. */
#include "util/compat.h"
#include "api/api.h"
#include "domain/memory.h"
#include "util/clock.h"
#include "util/jw.h"

#define NOTE_MAX_CHARS 1000
#define NOTES_DEFAULT_LIMIT 50
#define NOTES_MAX_LIMIT 200
#define FLAGS_MAX 50
#define EVENT_MAX_BYTES (16 * 1024)

static const struct spec_field note_fields[] = {
	{"kind", SPEC_ENUM, true, false, 0, 0, memory_note_kinds},
	{"text", SPEC_STRING, true, false, 1, NOTE_MAX_CHARS, NULL},
	{"pinned", SPEC_BOOL, false, false, 0, 0, NULL},
	{"allergen", SPEC_ENUM, false, true, 0, 0, memory_allergens},
	{"severity", SPEC_ENUM, false, true, 0, 0, memory_severities},
};
const struct spec note_create_spec = SPEC(note_fields);
/* The same fields, all optional; allergen and severity may be cleared. */
const struct spec note_update_spec = SPEC(note_fields);

void note_write(struct jw *w, const struct note *n)
{
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, n->id);
	JW_KEY(w, "guest_id");
	jw_int(w, n->guest_id);
	JW_KEY(w, "kind");
	jw_str(w, n->kind);
	JW_KEY(w, "text");
	jw_str(w, n->text);
	JW_KEY(w, "pinned");
	jw_bool(w, n->pinned);
	JW_KEY(w, "allergen");
	jw_str(w, n->allergen);
	JW_KEY(w, "severity");
	jw_str(w, n->severity);
	JW_KEY(w, "author");
	actor_write(w, n->author_staff_id, n->author_token_id, n->author_name);
	JW_KEY(w, "created_at");
	jw_time(w, n->created_at);
	JW_KEY(w, "updated_at");
	jw_time(w, n->updated_at);
	jw_obj_end(w);
}

void notes_write(struct jw *w, const struct note *notes, int n)
{
	jw_arr(w);
	for (int i = 0; i < n; i++)
		note_write(w, &notes[i]);
	jw_arr_end(w);
}

/* The rules across fields, on the note as it would be stored. */
static enum err note_check(struct req *r, const struct note *n)
{
	bool allergy = strcmp(n->kind, "allergy") == 0;
	if (allergy && !n->allergen)
		return req_fail(r, E_FIELD_MISSING, "allergen",
				"allergy notes need an allergen: one of the 14 major allergens, or other");
	if (allergy && !n->severity)
		return req_fail(r, E_FIELD_MISSING, "severity",
				"allergy notes need a severity: mild, moderate, severe or life_threatening");
	if (!allergy && n->allergen)
		return req_fail(r, E_FIELD_INVALID, "allergen", "allergen is for allergy notes only");
	if (n->severity && !allergy && strcmp(n->kind, "dietary") != 0)
		return req_fail(r, E_FIELD_INVALID, "severity",
				"severity is for allergy and dietary notes only");
	return E_OK;
}

static enum err load_note(struct req *r, int64_t id, struct note *n)
{
	enum db_rc rc = notes_get(r->db, &r->arena, r->ids[0], id, n);
	if (rc == DB_DONE)
		return req_fail(r, E_NOT_FOUND, NULL, "no such note for this guest");
	return rc == DB_ROW ? E_OK : req_db_fail(r, rc);
}

/* Writes an event whose data is {"note": n}. */
static enum db_rc note_event(struct db *db, struct actor actor, const char *type,
			     const struct note *n)
{
	struct buf b;
	struct jw w;
	buf_init(&b, EVENT_MAX_BYTES);
	jw_init(&w, &b);
	jw_obj(&w);
	JW_KEY(&w, "note");
	note_write(&w, n);
	jw_obj_end(&w);
	enum db_rc rc = b.overflow ? DB_ERROR : events_add(db, actor, type, -1, n->guest_id, n->id, b.data);
	buf_release(&b);
	return rc;
}

enum db_rc note_add(struct db *db, struct arena *a, struct note *n)
{
	struct actor by = {n->author_staff_id, n->author_token_id};
	enum db_rc rc = notes_insert(db, n);
	if (rc != DB_ROW)
		return rc;
	/* read back, for the author's name */
	if ((rc = notes_get(db, a, n->guest_id, n->id, n)) != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	rc = note_event(db, by, "note.added", n);
	return rc == DB_DONE ? DB_ROW : rc;
}

static enum err reply_note(struct req *r, int status, const struct note *n)
{
	struct jreply j;
	struct jw *w = jreply_open(&j);
	note_write(w, n);
	return jreply_close(r, status, &j);
}

enum err notes_create_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	struct actor by = req_actor(r);
	int64_t now = clock_now();
	struct note n = {
		.guest_id = r->ids[0],
		.kind = spec_str(r->body, "kind"),
		.text = spec_str(r->body, "text"),
		.pinned = json_is_true(json_object_get(r->body, "pinned")),
		.allergen = spec_str(r->body, "allergen"),
		.severity = spec_str(r->body, "severity"),
		.author_staff_id = by.staff_id,
		.author_token_id = by.token_id,
		.created_at = now,
		.updated_at = now,
	};
	if ((e = note_check(r, &n)))
		return e;
	enum db_rc rc = note_add(r->db, &r->arena, &n);
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return reply_note(r, 201, &n);
}

enum err notes_list_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	int64_t limit, before_at = 0, before_id = 0;
	if ((e = req_query_int(r, "limit", 1, NOTES_MAX_LIMIT, NOTES_DEFAULT_LIMIT, &limit)))
		return e;
	const char *kind;
	if ((e = req_query_enum(r, "kind", memory_note_kinds, &kind)))
		return e;
	const char *cursor = req_query(r, "cursor");
	if (cursor && (!cursor_decode(cursor, &before_at, &before_id) || before_at < 1))
		return req_fail(r, E_FIELD_INVALID, "cursor", "cursor is not one this server gave out");
	struct note *notes;
	int n;
	/* one more than the page, to know whether another follows */
	enum db_rc rc = notes_list(r->db, &r->arena, r->ids[0], kind, before_at, before_id,
				   (int)limit + 1, &notes, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	bool more = n > limit;
	if (more)
		n = (int)limit;
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "items");
	notes_write(w, notes, n);
	JW_KEY(w, "next");
	jw_str(w, more ? cursor_encode(&r->arena, notes[n - 1].created_at, notes[n - 1].id) : NULL);
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}

/* Adds a field's old and new values to the update event when it changed. */
static void diff_str(json_t *before, json_t *after, const char *key, const char *old,
		     const char *now)
{
	if ((!old && !now) || (old && now && strcmp(old, now) == 0))
		return;
	json_object_set_new(before, key, json_opt_str(old));
	json_object_set_new(after, key, json_opt_str(now));
}

enum err notes_update_h(struct req *r)
{
	struct note old, n;
	enum err e = load_note(r, r->ids[1], &old);
	if (e)
		return e;
	n = old;
	if (spec_has(r->body, "kind"))
		n.kind = spec_str(r->body, "kind");
	if (spec_has(r->body, "text"))
		n.text = spec_str(r->body, "text");
	if (spec_has(r->body, "pinned"))
		n.pinned = json_is_true(json_object_get(r->body, "pinned"));
	if (spec_has(r->body, "allergen"))
		n.allergen = spec_str(r->body, "allergen");
	if (spec_has(r->body, "severity"))
		n.severity = spec_str(r->body, "severity");
	if ((e = note_check(r, &n)))
		return e;
	json_t *before = json_object(), *after = json_object();
	diff_str(before, after, "kind", old.kind, n.kind);
	diff_str(before, after, "text", old.text, n.text);
	diff_str(before, after, "allergen", old.allergen, n.allergen);
	diff_str(before, after, "severity", old.severity, n.severity);
	if (old.pinned != n.pinned) {
		json_object_set_new(before, "pinned", json_boolean(old.pinned));
		json_object_set_new(after, "pinned", json_boolean(n.pinned));
	}
	if (json_object_size(after) == 0) {
		/* nothing changed: nothing to write or to remember */
		json_decref(before);
		json_decref(after);
		return reply_note(r, 200, &old);
	}
	n.updated_at = clock_now();
	enum db_rc rc = notes_update(r->db, &n);
	if (rc != DB_DONE) {
		json_decref(before);
		json_decref(after);
		return req_db_fail(r, rc);
	}
	json_t *data = json_pack("{s:I,s:s,s:o,s:o}", "note_id", (json_int_t)n.id, "kind", n.kind,
				 "before", before, "after", after);
	rc = event_add_json(r->db, req_actor(r), "note.updated", -1, n.guest_id, n.id, data);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	return reply_note(r, 200, &n);
}

enum err notes_delete_h(struct req *r)
{
	struct note n;
	enum err e = load_note(r, r->ids[1], &n);
	if (e)
		return e;
	enum db_rc rc = notes_delete(r->db, n.guest_id, n.id);
	if (rc == DB_DONE)
		rc = note_event(r->db, req_actor(r), "note.deleted", &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	r->res.status = 204;
	return E_OK;
}

/* Most severe first; a stable sort keeps allergies before dietary needs
 * and the newest first among equals, as the store hands them over. */
static void flags_order(struct note *flags, int n)
{
	for (int i = 1; i < n; i++) {
		struct note f = flags[i];
		int rank = memory_severity_rank(f.severity), j = i;
		for (; j > 0 && memory_severity_rank(flags[j - 1].severity) < rank; j--)
			flags[j] = flags[j - 1];
		flags[j] = f;
	}
}

enum db_rc guest_flags(struct db *db, struct arena *a, int64_t guest_id, struct note **out, int *n)
{
	enum db_rc rc = notes_flags(db, a, guest_id, FLAGS_MAX, out, n);
	if (rc == DB_DONE)
		flags_order(*out, *n);
	return rc;
}

enum err notes_flags_write(struct req *r, struct jw *w, int64_t guest_id)
{
	struct note *flags;
	int n;
	enum db_rc rc = guest_flags(r->db, &r->arena, guest_id, &flags, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	notes_write(w, flags, n);
	return E_OK;
}

enum err flags_get_h(struct req *r)
{
	struct guest g;
	enum err e = guest_load(r, &g);
	if (e)
		return e;
	struct jreply j;
	struct jw *w = jreply_open(&j);
	jw_obj(w);
	JW_KEY(w, "guest");
	jw_obj(w);
	JW_KEY(w, "id");
	jw_int(w, r->ids[0]);
	JW_KEY(w, "name");
	jw_str(w, g.name);
	jw_obj_end(w);
	JW_KEY(w, "flags");
	if ((e = notes_flags_write(r, w, r->ids[0]))) {
		jreply_abandon(&j);
		return e;
	}
	jw_obj_end(w);
	return jreply_close(r, 200, &j);
}
