/* Staff accounts: owners manage everyone; managers manage hosts and kitchen
 * staff at their own locations. Disabling an account ends its sessions. */
#include "util/compat.h"
#include "api/api.h"
#include "net/auth.h"
#include "domain/text.h"
#include "util/clock.h"


static const struct spec_field staff_create_fields[] = {
	{"email", SPEC_EMAIL, true, false, 3, 254, NULL},
	{"name", SPEC_STRING, true, false, 1, 120, NULL},
	{"role", SPEC_ENUM, true, false, 0, 0, role_names},
	{"password", SPEC_STRING, true, false, 1, PASSWORD_MAX_BYTES, NULL},
	{"location_ids", SPEC_ID_ARRAY, false, false, 0, CALLER_MAX_LOCATIONS, NULL},
};
const struct spec staff_create_spec = SPEC(staff_create_fields);

static const struct spec_field staff_update_fields[] = {
	{"name", SPEC_STRING, false, false, 1, 120, NULL},
	{"role", SPEC_ENUM, false, false, 0, 0, role_names},
	{"password", SPEC_STRING, false, false, 1, PASSWORD_MAX_BYTES, NULL},
	{"location_ids", SPEC_ID_ARRAY, false, false, 0, CALLER_MAX_LOCATIONS, NULL},
	{"disabled", SPEC_BOOL, false, false, 0, 0, NULL},
};
const struct spec staff_update_spec = SPEC(staff_update_fields);

/* The account as this caller may see it: without locations they cannot see. */
static json_t *staff_json_for(const struct req *r, struct staff s)
{
	int n = 0;
	int64_t ids[CALLER_MAX_LOCATIONS];
	for (int i = 0; i < s.nlocations && n < CALLER_MAX_LOCATIONS; i++)
		if (caller_at_location(&r->caller, s.location_ids[i]))
			ids[n++] = s.location_ids[i];
	s.location_ids = ids;
	s.nlocations = n;
	return staff_json(&s);
}

json_t *staff_json(const struct staff *s)
{
	json_t *locs = json_array();
	for (int i = 0; i < s->nlocations; i++)
		json_array_append_new(locs, json_integer(s->location_ids[i]));
	return json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:o,s:o}", "id", (json_int_t)s->id, "email",
			 s->email, "name", s->name, "role", s->role, "disabled", s->disabled,
			 "location_ids", locs, "created_at", json_time(s->created_at), "updated_at",
			 json_time(s->updated_at));
}

/* Can the caller see this account? Managers see staff sharing a location. */
static bool visible(const struct req *r, const struct staff *s)
{
	if (r->caller.all_locations || s->id == r->caller.staff_id)
		return true;
	for (int i = 0; i < s->nlocations; i++)
		if (caller_at_location(&r->caller, s->location_ids[i]))
			return true;
	return false;
}

/* Managers may only manage hosts and kitchen staff. */
static bool manageable_role(const struct req *r, const char *role)
{
	return r->caller.role == ROLE_OWNER || strcmp(role, "host") == 0 || strcmp(role, "kitchen") == 0;
}

/* Before the transaction: hash a new password (~100 ms). */
enum err staff_hash_password(struct req *r)
{
	const char *pw = spec_str(r->body, "password");
	if (!pw)
		return E_OK;
	size_t len = strlen(pw);
	if (len < PASSWORD_MIN_BYTES || len > PASSWORD_MAX_BYTES)
		return req_fail(r, E_FIELD_INVALID, "password",
				"password must be %d to %d bytes long", PASSWORD_MIN_BYTES,
				PASSWORD_MAX_BYTES);
	char *hash = arena_alloc(&r->arena, crypto_pwhash_STRBYTES);
	if (!auth_hash_password(pw, hash))
		return req_fail(r, E_INTERNAL, NULL, "cannot hash the password");
	r->state = hash;
	return E_OK;
}

/* Checks and copies location_ids from the body: each must exist and be one
 * of the caller's locations. */
static enum err read_locations(struct req *r, int64_t **ids, int *n)
{
	json_t *arr = json_object_get(r->body, "location_ids");
	*n = 0;
	*ids = arena_alloc(&r->arena, sizeof(int64_t) * (json_array_size(arr) + 1));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		int64_t id = json_integer_value(v);
		struct location l;
		enum db_rc rc = locations_get(r->db, &r->arena, id, &l);
		if (rc != DB_ROW && rc != DB_DONE)
			return req_db_fail(r, rc);
		if (rc == DB_DONE || !caller_at_location(&r->caller, id))
			return req_fail(r, E_FIELD_INVALID, "location_ids", "location %lld does not exist",
					(long long)id);
		bool dup = false;
		for (int k = 0; k < *n; k++)
			dup |= (*ids)[k] == id;
		if (!dup)
			(*ids)[(*n)++] = id;
	}
	return E_OK;
}

static enum err staff_event(struct req *r, const char *type, const struct staff *s, json_t *data)
{
	enum db_rc rc = event_add_json(r->db, req_actor(r), type, -1, -1, s->id, data);
	return rc == DB_DONE ? E_OK : req_db_fail(r, rc);
}

enum err staff_list_h(struct req *r)
{
	struct staff *all;
	int n;
	enum db_rc rc = staff_list(r->db, &r->arena, &all, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		if (visible(r, &all[i]))
			json_array_append_new(items, staff_json_for(r, all[i]));
	return req_json(r, 200, json_pack("{s:o}", "items", items));
}

enum err staff_get_h(struct req *r)
{
	struct staff s;
	enum db_rc rc = staff_get(r->db, &r->arena, r->ids[0], &s);
	if (rc == DB_DONE || (rc == DB_ROW && !visible(r, &s)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such staff member");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return req_json(r, 200, staff_json_for(r, s));
}

enum err staff_create_h(struct req *r)
{
	int64_t now = clock_now();
	char *email = arena_strdup(&r->arena, spec_str(r->body, "email"));
	text_email_normalize(email);
	struct staff s = {
		.email = email,
		.name = spec_str(r->body, "name"),
		.role = spec_str(r->body, "role"),
		.password_hash = r->state,
		.created_at = now,
		.updated_at = now,
	};
	if (!manageable_role(r, s.role))
		return req_fail(r, E_FORBIDDEN, "role", "managers may add hosts and kitchen staff only");
	enum err e = read_locations(r, &s.location_ids, &s.nlocations);
	if (e)
		return e;
	if (s.nlocations == 0 && strcmp(s.role, "owner") != 0)
		return req_fail(r, E_FIELD_MISSING, "location_ids",
				"location_ids is required: staff other than owners work at given locations");
	enum db_rc rc = staff_insert(r->db, &s);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "email", "a staff member with this email already exists");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	rc = staff_locations_set(r->db, s.id, s.location_ids, s.nlocations);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	if ((e = staff_event(r, "staff.created", &s, json_pack("{s:s,s:s}", "email", s.email, "role", s.role))))
		return e;
	return req_json(r, 201, staff_json_for(r, s));
}

enum err staff_update_h(struct req *r)
{
	struct staff s;
	enum db_rc rc = staff_get(r->db, &r->arena, r->ids[0], &s);
	if (rc == DB_DONE || (rc == DB_ROW && !visible(r, &s)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such staff member");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	bool self = s.id == r->caller.staff_id;
	bool was_owner = strcmp(s.role, "owner") == 0 && !s.disabled;
	if (!self && !manageable_role(r, s.role))
		return req_fail(r, E_FORBIDDEN, NULL, "managers may change hosts and kitchen staff only");
	/* Signing in as someone reaches all their locations: only a caller who
	 * sees all of them may set their password. */
	if (r->state && !self)
		for (int i = 0; i < s.nlocations; i++)
			if (!caller_at_location(&r->caller, s.location_ids[i]))
				return req_fail(r, E_FORBIDDEN, "password",
						"this person also works where you do not; ask an owner");
	const char *role = spec_str(r->body, "role");
	if (role && strcmp(role, s.role) != 0) {
		if (self)
			return req_fail(r, E_FIELD_INVALID, "role", "you cannot change your own role");
		if (!manageable_role(r, role))
			return req_fail(r, E_FORBIDDEN, "role", "managers may assign host or kitchen only");
		s.role = role;
	}
	json_t *disabled = json_object_get(r->body, "disabled");
	bool was_disabled = s.disabled;
	if (disabled) {
		if (self && json_is_true(disabled))
			return req_fail(r, E_FIELD_INVALID, "disabled", "you cannot disable your own account");
		s.disabled = json_is_true(disabled);
	}
	if (spec_has(r->body, "name"))
		s.name = spec_str(r->body, "name");
	if (spec_has(r->body, "location_ids")) {
		int64_t *old = s.location_ids;
		int nold = s.nlocations;
		enum err e = read_locations(r, &s.location_ids, &s.nlocations);
		if (e)
			return e;
		/* A manager replaces only the locations they can see; the others stay. */
		int64_t *merged = arena_alloc(&r->arena, sizeof(int64_t) * (size_t)(nold + s.nlocations + 1));
		memcpy(merged, s.location_ids, sizeof(int64_t) * (size_t)s.nlocations);
		for (int i = 0; i < nold; i++)
			if (!caller_at_location(&r->caller, old[i]))
				merged[s.nlocations++] = old[i];
		s.location_ids = merged;
		if (s.nlocations > CALLER_MAX_LOCATIONS)
			return req_fail(r, E_FIELD_INVALID, "location_ids",
					"a staff member can work at %d locations at most", CALLER_MAX_LOCATIONS);
	}
	if (was_owner && (strcmp(s.role, "owner") != 0 || s.disabled)) {
		int64_t others = 0;
		if ((rc = staff_count_owners(r->db, s.id, &others)) != DB_ROW)
			return req_db_fail(r, rc);
		if (others == 0)
			return req_fail(r, E_CONFLICT, spec_has(r->body, "role") ? "role" : "disabled",
					"the business must keep at least one active owner");
	}
	if (s.nlocations == 0 && strcmp(s.role, "owner") != 0)
		return req_fail(r, E_FIELD_INVALID, "location_ids",
				"staff other than owners need at least one location");
	s.updated_at = clock_now();
	if ((rc = staff_update(r->db, &s)) != DB_DONE)
		return req_db_fail(r, rc);
	if (spec_has(r->body, "location_ids") &&
	    (rc = staff_locations_set(r->db, s.id, s.location_ids, s.nlocations)) != DB_DONE)
		return req_db_fail(r, rc);
	if (r->state && (rc = staff_set_password(r->db, s.id, r->state, s.updated_at)) != DB_DONE)
		return req_db_fail(r, rc);
	/* A disabled account, or a changed password, ends every session at once. */
	if ((s.disabled && !was_disabled) || r->state)
		if ((rc = sessions_delete_staff(r->db, s.id)) != DB_DONE)
			return req_db_fail(r, rc);
	json_t *changed = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(r->body, key, v)
		json_array_append_new(changed, json_string(key));
	enum err e = staff_event(r, s.disabled && !was_disabled ? "staff.disabled" : "staff.updated", &s,
				 json_pack("{s:o}", "changed", changed));
	if (e)
		return e;
	return req_json(r, 200, staff_json_for(r, s));
}
