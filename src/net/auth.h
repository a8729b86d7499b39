/* Passwords, tokens, CSRF and login throttling, and resolving who is
 * calling from the session cookie or a bearer token. */
#ifndef MAITRED_AUTH_H
#define MAITRED_AUTH_H

#include "net/req.h"

#include <sodium.h>

#define AUTH_TOKEN_HEX 65 /* 32 random bytes as hex, NUL */
#define PASSWORD_MIN_BYTES 8
#define PASSWORD_MAX_BYTES 1024
#define SESSION_SECONDS (12 * 3600)
#define SESSION_COOKIE "maitred_session"

bool auth_init(void);
/* false if out of memory or the password is out of bounds. */
bool auth_hash_password(const char *pw, char out[crypto_pwhash_STRBYTES]);
bool auth_verify_password(const char *hash, const char *pw);
/* Spends the same time as a verification, for unknown accounts. */
void auth_verify_dummy(const char *pw);
void auth_new_token(char out[AUTH_TOKEN_HEX]);
void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX]);
void auth_csrf(const char *session_token, char out[AUTH_TOKEN_HEX]);
bool auth_csrf_ok(const char *session_token, const char *header);

/* Seconds until another login attempt is allowed for this account or
 * address; 0 when allowed. */
int auth_throttle_wait(const char *email, const char *ip, int64_t now);
void auth_throttle_fail(const char *email, const char *ip, int64_t now);
void auth_throttle_success(const char *email);

/* Fills r->caller from the session cookie or the Authorization header.
 * An invalid credential leaves the caller as CALLER_NONE. */
enum err auth_resolve(struct req *r, const char *authorization);

#endif
