/* Demo and benchmark data: guests with believable names and contact
 * details, regulars, occasional guests and lapsed ones, with visit
 * histories across the locations. Everything goes through the same
 * functions as the API, so the search keys, ranks and events are real. */
#include "util/compat.h"
#include "cli/cli.h"
#include "api/api.h"
#include "util/clock.h"
#include "util/log.h"

#define BATCH_ROWS 5000

static const char *const first_names[] = {
	"Dalya", "José", "Zoë", "Amara", "Liam", "Noah", "Olivia", "Emma", "Ava", "Sofia", "Mateo",
	"Lucas", "Mia", "Chloé", "Hana", "Kenji", "Yuki", "Aarav", "Priya", "Fatima", "Omar", "Leila",
	"Sven", "Ingrid", "Björn", "Anaïs", "François", "Jürgen", "Łukasz", "Małgorzata", "Siobhán",
	"Seán", "Niamh", "Ciarán", "Dmitri", "Olga", "Chen", "Wei", "Mei", "Tomás", "Inés", "Lucía",
	"Diego", "Camila", "Valentina", "Gabriel", "Rafael", "Isabella", "Ethan", "Grace", "Henry",
	"Daniel", "Dalia", "Dale", "Dallas", "Marco", "Giulia", "Alessandro", "Aisha", "Kwame",
	"Abena", "Thandiwe", "Sipho", "Nia", "Malik", "Jamal", "Rosa", "Elena", "Nikos", "Eleni",
	"Ahmet", "Elif", "Sanjay", "Ananya", "Rohan", "Freya", "Oscar", "Alfie", "Ruby", "Poppy",
};
static const char *const last_names[] = {
	"Moss", "García", "Müller", "O'Brien", "Nguyen", "Smith", "Kowalski", "Rossi", "Dubois",
	"Tanaka", "Kim", "Patel", "Okafor", "Haddad", "Johansson", "Novak", "Silva", "Santos",
	"Fernández", "López", "Martin", "Bernard", "Schmidt", "Schneider", "Fischer", "Weber",
	"Murphy", "Kelly", "Walsh", "Byrne", "Chen", "Wang", "Li", "Zhang", "Sato", "Suzuki",
	"Ivanova", "Petrov", "Mensah", "Boateng", "Dlamini", "Ndlovu", "Cohen", "Levi", "Ahmed",
	"Khan", "Singh", "Sharma", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Thomas",
	"Roberts", "Hughes", "Lewis", "Walker", "Wright", "Green", "Hall", "Wood", "Clarke",
	"Jackson", "Harris", "White", "Thompson", "Young", "King", "Baker", "Turner", "Hill",
	"Scott", "Adams", "Mitchell", "Campbell", "Anderson", "Dalton", "Dale", "Ó Súilleabháin",
};

/* xorshift32: small, fast and repeatable for a given seed. */
static uint32_t next_rand(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x ? x : 0x9E3779B9u;
}

static uint32_t pick(uint32_t *s, uint32_t n)
{
	return next_rand(s) % n;
}

static void ascii_lower(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < outlen; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			out[n++] = (char)(*p | 0x20);
	out[n] = '\0';
}

static bool commit_batch(struct db *db)
{
	return db_commit(db) == DB_OK && db_begin(db, true) == DB_OK;
}

int demo_seed(struct db *db, const struct demo_options *o)
{
	uint32_t rng = o->seed ? o->seed : 20261122u;
	int64_t now = clock_now();
	struct actor actor = {-1, -1};
	int64_t locations[2];
	int nloc = 0;

	if (db_begin(db, true) != DB_OK)
		return 1;
	struct location *ls;
	int have;
	struct arena a;
	arena_init(&a);
	if (locations_list(db, &a, &ls, &have) != DB_DONE)
		goto fail;
	for (int i = 0; i < have && nloc < o->locations; i++)
		locations[nloc++] = ls[i].id;
	static const struct location extra[] = {
		{0, "Harbour Street Café", "Europe/London", "GBP", 0},
		{0, "Market Hall Bar", "Europe/London", "GBP", 0},
	};
	for (int i = nloc; i < o->locations && i < 2; i++) {
		struct location l = extra[i];
		l.created_at = now;
		if (locations_insert(db, &l) != DB_ROW)
			goto fail;
		locations[nloc++] = l.id;
	}

	int64_t visits_total = 0;
	for (int i = 0; i < o->guests; i++) {
		const char *first = first_names[pick(&rng, ARRAY_SIZE(first_names))];
		const char *last = last_names[pick(&rng, ARRAY_SIZE(last_names))];
		char name[128], phone[32], email[128], card[24], f[48], l[48];
		snprintf(name, sizeof(name), "%s %s", first, last);
		snprintf(phone, sizeof(phone), "+44 7%03u %06u", pick(&rng, 1000), pick(&rng, 1000000));
		ascii_lower(first, f, sizeof(f));
		ascii_lower(last, l, sizeof(l));
		snprintf(email, sizeof(email), "%s.%s%d@example.com", f, l, i);
		snprintf(card, sizeof(card), "C%07d", i + 1);
		/* the guest joined between 2 years and a day ago */
		int64_t joined = now - (int64_t)(1 + pick(&rng, 730)) * SECONDS_PER_DAY;
		struct guest g = {
			.name = name,
			.phone = pick(&rng, 10) < 7 ? phone : NULL,
			.email = pick(&rng, 10) < 6 ? email : NULL,
			.card = pick(&rng, 10) < 4 ? card : NULL,
			.created_at = joined,
			.updated_at = joined,
		};
		if (guest_add(db, actor, &g) != DB_ROW)
			goto fail;
		/* 15% regulars (every few days), 45% occasional, 25% lapsed, 15% once */
		uint32_t kind = pick(&rng, 100);
		int nvisits;
		int64_t span_days = (now - joined) / SECONDS_PER_DAY;
		int64_t end_days_ago = 0;
		if (kind < 15) {
			nvisits = 8 + (int)pick(&rng, 30);
		} else if (kind < 60) {
			nvisits = 2 + (int)pick(&rng, 6);
		} else if (kind < 85) {
			nvisits = 2 + (int)pick(&rng, 5);
			end_days_ago = 100 + pick(&rng, 200);
		} else {
			nvisits = 1;
		}
		if (end_days_ago >= span_days)
			end_days_ago = span_days / 2;
		int64_t window = span_days - end_days_ago;
		if (kind < 15 && window > nvisits * 5)
			window = nvisits * 5; /* regulars come every few days lately */
		if (window < 1)
			window = 1;
		int64_t home = locations[pick(&rng, (uint32_t)nloc)];
		for (int k = 0; k < nvisits; k++) {
			int64_t days_ago = end_days_ago + pick(&rng, (uint32_t)window);
			int64_t at = now - days_ago * SECONDS_PER_DAY - (int64_t)pick(&rng, 36000);
			if (at < joined)
				at = joined;
			struct visit v = {
				.guest_id = g.id,
				.location_id = pick(&rng, 10) < 8 ? home : locations[pick(&rng, (uint32_t)nloc)],
				.at = at,
				.party_size = 1 + pick(&rng, 4),
				.spend_cents = 350 + pick(&rng, 6000),
				.staff_id = -1,
				.created_at = at,
			};
			if (visit_add(db, actor, &v) != DB_ROW)
				goto fail;
			visits_total++;
		}
		if ((i + 1) % BATCH_ROWS == 0) {
			if (!commit_batch(db))
				goto fail;
			if (!o->quiet && (i + 1) % (BATCH_ROWS * 20) == 0)
				log_info("demo: %d of %d guests", i + 1, o->guests);
		}
	}
	if (db_commit(db) != DB_OK)
		goto fail;
	arena_release(&a);
	if (!o->quiet)
		log_info("demo: %d guests, %lld visits, %d locations", o->guests, (long long)visits_total, nloc);
	return 0;
fail:
	log_error("demo: cannot write demo data: %s", db_errmsg(db));
	db_rollback(db);
	arena_release(&a);
	return 1;
}
