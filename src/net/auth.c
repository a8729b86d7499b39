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

/* ---- throttling ----
 * A chained hash table of failure counts, one entry per account or address
 * with a failure in the current window. Nothing is ever evicted while its
 * window is open, so no one can push a throttled account out by failing
 * with other names; expired entries are swept as the table grows. Its size
 * is bounded by how fast failures can happen, which argon2 limits. */

#define THROTTLE_BUCKETS 4096
#define THROTTLE_SWEEP_EVERY 4096

struct throttle_entry {
	struct throttle_entry *next;
	int64_t window_start;
	int failures;
	char key[];
};

static struct throttle_entry *buckets[THROTTLE_BUCKETS];
static size_t nentries, sweep_at = THROTTLE_SWEEP_EVERY;
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

static struct throttle_entry **bucket_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return &buckets[h % THROTTLE_BUCKETS];
}

static void sweep(int64_t now)
{
	for (size_t i = 0; i < THROTTLE_BUCKETS; i++) {
		struct throttle_entry **pp = &buckets[i];
		while (*pp) {
			struct throttle_entry *e = *pp;
			if (now - e->window_start >= THROTTLE_WINDOW_SECONDS) {
				*pp = e->next;
				free(e);
				nentries--;
			} else {
				pp = &e->next;
			}
		}
	}
	sweep_at = nentries + THROTTLE_SWEEP_EVERY;
}

static struct throttle_entry *slot_for(const char *key, bool create, int64_t now)
{
	struct throttle_entry **b = bucket_of(key);
	for (struct throttle_entry *e = *b; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	if (!create)
		return NULL;
	if (nentries >= sweep_at)
		sweep(now);
	size_t len = strlen(key) + 1;
	struct throttle_entry *e = malloc(sizeof(*e) + len);
	if (!e)
		return NULL;
	memcpy(e->key, key, len);
	e->window_start = now;
	e->failures = 0;
	e->next = *b;
	*b = e;
	nentries++;
	return e;
}

static int slot_wait(const char *key, int limit, int64_t now)
{
	struct throttle_entry *s = slot_for(key, false, now);
	if (!s || now - s->window_start >= THROTTLE_WINDOW_SECONDS || s->failures < limit)
		return 0;
	return (int)(s->window_start + THROTTLE_WINDOW_SECONDS - now);
}

static void slot_fail(const char *key, int64_t now)
{
	struct throttle_entry *s = slot_for(key, true, now);
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
	struct throttle_entry *s = slot_for(a, false, 0);
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

/* Integrations call many times a second with the same token: each worker
 * thread remembers a few resolved tokens for TOKEN_CACHE_NS, so a revoked
 * token may work for up to that long. Sessions are never cached: a disabled
 * account's sessions end at once. */
#define TOKEN_CACHE_SLOTS 8
#define TOKEN_CACHE_NS 1000000000ull

struct token_cache_entry {
	char token[AUTH_TOKEN_HEX];
	uint64_t until;
	struct caller caller;
};
static __thread struct token_cache_entry token_cache[TOKEN_CACHE_SLOTS];

static struct token_cache_entry *token_slot(const char *token)
{
	unsigned h = 0;
	for (int i = 0; i < 8; i++)
		h = h * 31 + (unsigned char)token[i];
	return &token_cache[h % TOKEN_CACHE_SLOTS];
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
		struct token_cache_entry *slot = token_slot(token);
		uint64_t now_ns = clock_mono_ns();
		if (slot->until > now_ns && sodium_memcmp(slot->token, token, AUTH_TOKEN_HEX - 1) == 0) {
			r->caller = slot->caller;
			return E_OK;
		}
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
			memcpy(slot->token, token, AUTH_TOKEN_HEX);
			slot->caller = r->caller;
			slot->until = now_ns + TOKEN_CACHE_NS;
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
