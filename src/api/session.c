/* Signing in and out. The session token lives only in an HttpOnly cookie;
 * the database keeps its hash. The CSRF token is derived from it. */
#include "util/compat.h"
#include "api/api.h"
#include "net/auth.h"
#include "util/clock.h"

static const struct spec_field session_fields[] = {
	{"email", SPEC_STRING, true, false, 1, 254, NULL},
	{"password", SPEC_STRING, true, false, 1, PASSWORD_MAX_BYTES, NULL},
};
const struct spec session_spec = SPEC(session_fields);

/* Before the transaction: find the account and check the password, which
 * takes ~100 ms and must not hold the write lock. */
enum err session_check(struct req *r)
{
	const char *email = spec_str(r->body, "email");
	const char *password = spec_str(r->body, "password");
	int64_t now = clock_now();
	int wait = auth_throttle_wait(email, r->client_ip, now);
	if (wait > 0) {
		r->res.retry_after = wait;
		return req_fail(r, E_RATE_LIMITED, NULL,
				"too many failed sign-ins; try again in %d seconds", wait);
	}
	struct staff *s = arena_alloc(&r->arena, sizeof(*s));
	enum db_rc rc = staff_by_email(r->db, &r->arena, email, s);
	if (rc != DB_ROW && rc != DB_DONE)
		return req_db_fail(r, rc);
	bool ok;
	if (rc == DB_ROW) {
		ok = auth_verify_password(s->password_hash, password) && !s->disabled;
	} else {
		auth_verify_dummy(password);
		ok = false;
	}
	if (!ok) {
		auth_throttle_fail(email, r->client_ip, now);
		return req_fail(r, E_UNAUTHORIZED, NULL, "wrong email or password");
	}
	auth_throttle_success(email);
	r->state = s;
	return E_OK;
}

enum err session_create(struct req *r)
{
	const struct staff *s = r->state;
	char token[AUTH_TOKEN_HEX], hash[AUTH_TOKEN_HEX], csrf[AUTH_TOKEN_HEX];
	auth_new_token(token);
	auth_token_hash(token, hash);
	auth_csrf(token, csrf);
	int64_t now = clock_now();
	/* Expired sessions are swept at each sign-in; nothing else needs them. */
	enum db_rc rc = sessions_delete_expired(r->db, now);
	if (rc == DB_DONE)
		rc = sessions_insert(r->db, hash, s->id, now, now + SESSION_SECONDS);
	if (rc == DB_DONE)
		rc = events_add(r->db, (struct actor){s->id, -1}, "staff.signed_in", -1, -1, s->id, NULL);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	char *cookie = arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
				    SESSION_COOKIE, token, SESSION_SECONDS);
	req_header(r, "Set-Cookie", cookie);
	sodium_memzero(token, sizeof(token));
	return req_json(r, 200, json_pack("{s:o,s:s}", "staff", staff_json(s), "csrf_token", csrf));
}

enum err session_get(struct req *r)
{
	if (r->caller.kind != CALLER_SESSION)
		return req_json(r, 200, json_pack("{s:n,s:s,s:n}", "staff", "role",
						  role_name(r->caller.role), "csrf_token"));
	struct staff s;
	enum db_rc rc = staff_get(r->db, &r->arena, r->caller.staff_id, &s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? req_fail(r, E_UNAUTHORIZED, NULL, "sign in first") : req_db_fail(r, rc);
	char csrf[AUTH_TOKEN_HEX];
	auth_csrf(r->session_token, csrf);
	return req_json(r, 200, json_pack("{s:o,s:s}", "staff", staff_json(&s), "csrf_token", csrf));
}

enum err session_delete(struct req *r)
{
	if (r->caller.kind != CALLER_SESSION)
		return req_fail(r, E_BAD_REQUEST, NULL, "there is no session to end for a token");
	char hash[AUTH_TOKEN_HEX];
	auth_token_hash(r->session_token, hash);
	enum db_rc rc = sessions_delete(r->db, hash);
	if (rc == DB_DONE)
		rc = events_add(r->db, req_actor(r), "staff.signed_out", -1, -1, r->caller.staff_id, NULL);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	req_header(r, "Set-Cookie", SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	r->res.status = 204;
	return E_OK;
}
