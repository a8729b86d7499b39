/* Authentication (see auth.h). Passwords are argon2id at libsodium's
 * interactive limits; hashing is capped to a few at a time because each
 * costs 64 MiB. Throttling state is in memory, per process. */
#include "util/compat.h"
#include "net/auth.h"
#include "store/store.h"
#include "util/log.h"
#include "util/clock.h"

#include <strings.h>

#include <pthread.h>
#include <semaphore.h>

#define MAX_CONCURRENT_HASHES 2
#define THROTTLE_WINDOW_SECONDS (15 * 60)
#define THROTTLE_ACCOUNT_FAILURES 5
#define THROTTLE_ADDRESS_FAILURES 20
#define THROTTLE_SLOTS 1024

static sem_t hash_slots;
static char dummy_hash[crypto_pwhash_STRBYTES];

bool auth_init(void)
{
	if (sodium_init() < 0)
		return false;
	if (sem_init(&hash_slots, 0, MAX_CONCURRENT_HASHES) != 0)
		return false;
	char pw[AUTH_TOKEN_HEX];
	auth_new_token(pw);
	return auth_hash_password(pw, dummy_hash);
}

bool auth_hash_password(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	size_t len = strlen(pw);
	if (len < PASSWORD_MIN_BYTES || len > PASSWORD_MAX_BYTES)
		return false;
	sem_wait(&hash_slots);
	int rc = crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&hash_slots);
	return rc == 0;
}

bool auth_verify_password(const char *hash, const char *pw)
{
	size_t len = strlen(pw);
	if (len > PASSWORD_MAX_BYTES)
		return false;
	sem_wait(&hash_slots);
	int rc = crypto_pwhash_str_verify(hash, pw, len);
	sem_post(&hash_slots);
	return rc == 0;
}

void auth_verify_dummy(const char *pw)
{
	(void)auth_verify_password(dummy_hash, pw);
}

static void to_hex(const unsigned char *bin, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, bin, n);
}

void auth_new_token(char out[AUTH_TOKEN_HEX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	to_hex(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
}

void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	to_hex(h, sizeof(h), out);
}

void auth_csrf(const char *session_token, char out[AUTH_TOKEN_HEX])
{
	unsigned char h[32];
	static const char label[] = "maitred csrf v1";
	size_t klen = strlen(session_token);
	if (klen > crypto_generichash_KEYBYTES_MAX)
		klen = crypto_generichash_KEYBYTES_MAX;
	crypto_generichash(h, sizeof(h), (const unsigned char *)label, sizeof(label) - 1,
			   (const unsigned char *)session_token, klen);
	to_hex(h, sizeof(h), out);
}

bool auth_csrf_ok(const char *session_token, const char *header)
{
	if (!header || strlen(header) != AUTH_TOKEN_HEX - 1)
		return false;
	char want[AUTH_TOKEN_HEX];
	auth_csrf(session_token, want);
	return sodium_memcmp(want, header, AUTH_TOKEN_HEX - 1) == 0;
}

/* ---- throttling ---- */

struct throttle_slot {
	char key[160];
	int64_t window_start;
	int failures;
};

static struct throttle_slot slots[THROTTLE_SLOTS];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

/* Open addressing over a few slots; when all are taken by other keys, the
 * one whose window started first is reused, so no key goes uncounted. */
#define THROTTLE_PROBES 8

static struct throttle_slot *slot_for(const char *key, bool create, int64_t now)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	struct throttle_slot *victim = NULL;
	bool victim_free = false;
	for (int i = 0; i < THROTTLE_PROBES; i++) {
		struct throttle_slot *s = &slots[(h + (uint64_t)i) % THROTTLE_SLOTS];
		if (strcmp(s->key, key) == 0)
			return s;
		bool free_slot = !s->key[0] || now - s->window_start >= THROTTLE_WINDOW_SECONDS;
		if (victim_free)
			continue;
		if (free_slot || !victim || s->window_start < victim->window_start) {
			victim = s;
			victim_free = free_slot;
		}
	}
	if (!create)
		return NULL;
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->window_start = now;
	victim->failures = 0;
	return victim;
}

static int slot_wait(const char *key, int limit, int64_t now)
{
	struct throttle_slot *s = slot_for(key, false, now);
	if (!s || now - s->window_start >= THROTTLE_WINDOW_SECONDS || s->failures < limit)
		return 0;
	return (int)(s->window_start + THROTTLE_WINDOW_SECONDS - now);
}

static void slot_fail(const char *key, int64_t now)
{
	struct throttle_slot *s = slot_for(key, true, now);
	if (!s)
		return;
	if (now - s->window_start >= THROTTLE_WINDOW_SECONDS) {
		s->window_start = now;
		s->failures = 0;
	}
	s->failures++;
}

static void keys(const char *email, const char *ip, char *a, char *i, size_t n)
{
	snprintf(a, n, "a:");
	for (size_t k = 2; *email && k + 1 < n; email++, k++) {
		a[k] = (char)(*email >= 'A' && *email <= 'Z' ? *email + 32 : *email);
		a[k + 1] = '\0';
	}
	snprintf(i, n, "i:%s", ip ? ip : "");
}

int auth_throttle_wait(const char *email, const char *ip, int64_t now)
{
	char a[160], i[160];
	keys(email, ip, a, i, sizeof(a));
	pthread_mutex_lock(&throttle_lock);
	int wa = slot_wait(a, THROTTLE_ACCOUNT_FAILURES, now);
	int wi = slot_wait(i, THROTTLE_ADDRESS_FAILURES, now);
	pthread_mutex_unlock(&throttle_lock);
	return wa > wi ? wa : wi;
}

void auth_throttle_fail(const char *email, const char *ip, int64_t now)
{
	char a[160], i[160];
	keys(email, ip, a, i, sizeof(a));
	pthread_mutex_lock(&throttle_lock);
	slot_fail(a, now);
	slot_fail(i, now);
	pthread_mutex_unlock(&throttle_lock);
}

void auth_throttle_success(const char *email)
{
	char a[160], i[160];
	keys(email, "", a, i, sizeof(a));
	pthread_mutex_lock(&throttle_lock);
	struct throttle_slot *s = slot_for(a, false, 0);
	if (s)
		s->failures = 0;
	pthread_mutex_unlock(&throttle_lock);
}

/* ---- who is calling ---- */

static void caller_from_staff(struct caller *c, const struct staff *s)
{
	c->staff_id = s->id;
	c->token_id = -1;
	c->role = role_parse(s->role);
	c->all_locations = c->role == ROLE_OWNER;
	c->nlocations = 0;
	for (int i = 0; i < s->nlocations && i < CALLER_MAX_LOCATIONS; i++)
		c->locations[c->nlocations++] = s->location_ids[i];
}

enum err auth_resolve(struct req *r, const char *authorization)
{
	char hash[AUTH_TOKEN_HEX];
	r->caller.kind = CALLER_NONE;
	if (authorization) {
		if (strncasecmp(authorization, "Bearer ", 7) != 0)
			return E_OK;
		const char *token = authorization + 7;
		if (strlen(token) != AUTH_TOKEN_HEX - 1)
			return E_OK;
		auth_token_hash(token, hash);
		struct api_token t;
		enum db_rc rc = tokens_lookup(r->db, &r->arena, hash, &t);
		if (rc == DB_ROW) {
			r->caller.kind = CALLER_TOKEN;
			r->caller.staff_id = -1;
			r->caller.token_id = t.id;
			r->caller.role = role_parse(t.role);
			r->caller.all_locations = t.location_id < 0;
			r->caller.nlocations = t.location_id < 0 ? 0 : 1;
			r->caller.locations[0] = t.location_id;
			return E_OK;
		}
		return rc == DB_DONE ? E_OK : req_db_fail(r, rc);
	}
	if (r->session_token && strlen(r->session_token) == AUTH_TOKEN_HEX - 1) {
		auth_token_hash(r->session_token, hash);
		struct staff s;
		enum db_rc rc = sessions_lookup(r->db, &r->arena, hash, clock_now(), &s);
		if (rc == DB_ROW) {
			r->caller.kind = CALLER_SESSION;
			caller_from_staff(&r->caller, &s);
			return E_OK;
		}
		return rc == DB_DONE ? E_OK : req_db_fail(r, rc);
	}
	return E_OK;
}
