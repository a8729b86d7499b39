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

/* What staff learn about guests. Dietary and allergy notes carry their
 * allergen and severity as the API requires. */
struct demo_note {
	const char *kind, *text, *allergen, *severity;
	bool pinned;
};
static const struct demo_note demo_notes[] = {
	{"preference", "Green Tabasco with oysters (bottle behind the bar)", NULL, NULL, true},
	{"preference", "Oat milk flat white, extra hot", NULL, NULL, true},
	{"preference", "Likes the window table", NULL, NULL, false},
	{"preference", "Decaf after 3pm", NULL, NULL, false},
	{"preference", "Sparkling water, no ice", NULL, NULL, true},
	{"preference", "Prefers a quiet corner; does not like music loud", NULL, NULL, false},
	{"dietary", "Oil intolerance: nothing fried, dressings on the side", NULL, "moderate", false},
	{"dietary", "Vegan", NULL, NULL, false},
	{"dietary", "Coeliac: gluten-free only, separate board", NULL, "severe", false},
	{"allergy", "Peanuts: carries an EpiPen", "peanuts", "life_threatening", false},
	{"allergy", "Shellfish", "crustaceans", "severe", false},
	{"allergy", "Sesame", "sesame", "moderate", false},
	{"allergy", "Kiwi fruit", "other", "mild", false},
	{"conversation", "Training for the Berlin marathon in the spring", NULL, NULL, false},
	{"conversation", "New puppy called Biscuit", NULL, NULL, false},
	{"conversation", "Daughter just started university in Leeds", NULL, NULL, false},
	{"conversation", "Restoring an old Vespa in the garage", NULL, NULL, false},
	{"conversation", "Back from a walking holiday in the Dolomites", NULL, NULL, false},
	{"general", "Usually pays by card; likes a receipt by email", NULL, NULL, false},
};
/* Things that went wrong, for one guest in DEMO_CASE_EVERY. */
#define DEMO_CASE_EVERY 15
static const struct demo_case {
	const char *category, *severity, *summary;
} demo_cases[] = {
	{"order_missing", "high", "Order never reached the kitchen; waited 20 minutes for a salad"},
	{"order_late", "medium", "Flat white took 15 minutes on a quiet morning"},
	{"order_wrong", "medium", "Got oat milk instead of soy"},
	{"quality", "low", "Croissant was stale"},
	{"cleanliness", "medium", "Sticky table by the window"},
	{"staff", "high", "Felt rushed and ignored at the till"},
	{"billing", "low", "Charged twice for the cake"},
};

/* What guests say in surveys: a score, a comment, and sometimes a
 * touchpoint rating. One guest in DEMO_FEEDBACK_EVERY with visits answers. */
#define DEMO_FEEDBACK_EVERY 4
static const struct demo_feedback {
	int nps;
	const char *comment, *touchpoint;
	int rating;
} demo_feedback[] = {
	{10, "Best flat white in town, and the staff always remember my order", NULL, 0},
	{9, "Lovely brunch, generous portions and a really friendly welcome", "table", 5},
	{9, "Quick service even at lunchtime, great coffee", "counter", 5},
	{8, "Good food, a bit noisy at the weekend", NULL, 0},
	{7, "Nice place but the prices have crept up", NULL, 0},
	{10, "Spotless, cosy and the cakes are out of this world", "restroom", 5},
	{6, "Waited 25 minutes for two sandwiches", "counter", 3},
	{4, "They forgot my order and nobody apologised", "counter", 2},
	{3, "The toilets were dirty and there was no paper", "restroom", 1},
	{5, "Coffee was lukewarm and the croissant was stale", NULL, 0},
	{2, "Rude at the till and charged me twice", "payment", 1},
	{8, NULL, NULL, 0},
	{9, NULL, "entrance", 4},
};

/* The counter's open orders when the demo starts: how many minutes ago
 * each was placed and how far it has got. The oldest miss their clocks as
 * soon as the worker runs, so the board shows late tickets too. */
static const struct demo_order {
	int minutes_ago;
	const char *status;
	const char *item, *modifier, *second;
	int quantity;
	const char *special;
} demo_orders[] = {
	{1, "placed", "Flat white", "oat", NULL, 2, NULL},
	{2, "placed", "Caesar salad", "no croutons", "Sparkling water", 1, "Bring the salad first"},
	{4, "accepted", "Club sandwich", "gluten-free bread", "Chips", 1, NULL},
	{6, "accepted", "Lentil soup", NULL, "Sourdough", 2, "Fundraiser table 3"},
	{9, "ready", "Avocado toast", "poached egg", NULL, 1, NULL},
	{12, "placed", "Mushroom risotto", "no parmesan", "House salad", 1, "Special from the fundraiser menu"},
	{18, "accepted", "Fish and chips", "mushy peas", NULL, 1, NULL},
};

static const char *const demo_talking_points[] = {
	"How's your day going so far?",
	"Anything good planned for the weekend?",
	"Have you tried the new seasonal menu?",
	"Working nearby, or just passing through?",
	"Did you catch the match last night?",
	"Any recommendations for a good book lately?",
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

/* A case for the guest, opened in the last 40 days: most were made right
 * (apology, often a comp) and resolved a day later; the newest stay open. */
static enum db_rc demo_case(struct db *db, struct arena *a, uint32_t *rng, int64_t guest_id,
			    int64_t location_id, int64_t now)
{
	const struct demo_case *d = &demo_cases[pick(rng, ARRAY_SIZE(demo_cases))];
	int64_t days_ago = pick(rng, 4) == 0 ? pick(rng, 3) : pick(rng, 40);
	struct rcase c = {
		.location_id = location_id,
		.guest_id = guest_id,
		.source = "staff",
		.source_id = -1,
		.category = d->category,
		.severity = d->severity,
		.summary = d->summary,
		.opened_at = now - days_ago * SECONDS_PER_DAY - (int64_t)pick(rng, 36000),
	};
	bool created;
	struct actor nobody = {-1, -1};
	enum db_rc rc = recovery_open(db, a, nobody, &c, &created);
	if (rc != DB_ROW)
		return rc;
	if (days_ago < 3 && pick(rng, 2) == 0)
		return DB_DONE; /* still open; the worker will find it overdue */
	struct case_action x = {.case_id = c.id, .kind = "apology", .text = "", .value_cents = -1,
				.by = nobody, .at = c.opened_at + 600};
	if ((rc = recovery_action_add(db, a, &c, &x)) != DB_DONE)
		return rc;
	if (pick(rng, 2) == 0) {
		x = (struct case_action){.case_id = c.id, .kind = "comp", .text = "On the house",
					 .value_cents = 250 + 50 * pick(rng, 10), .by = nobody,
					 .at = c.opened_at + 900};
		if ((rc = recovery_action_add(db, a, &c, &x)) != DB_DONE)
			return rc;
	}
	if (days_ago < 2)
		return DB_DONE; /* in progress */
	static const char *const outcomes[] = {"recovered", "recovered", "unknown", "not_recovered"};
	return recovery_resolve(db, a, nobody, &c, outcomes[pick(rng, ARRAY_SIZE(outcomes))],
				c.opened_at + SECONDS_PER_DAY);
}

/* The open orders of demo_orders at a location, for random guests. */
static enum db_rc demo_open_orders(struct db *db, struct arena *a, uint32_t *rng,
				   int64_t location_id, int guests, int64_t now)
{
	struct location l;
	enum db_rc rc = locations_get(db, a, location_id, &l);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	struct actor nobody = {-1, -1};
	for (size_t i = 0; i < ARRAY_SIZE(demo_orders); i++) {
		const struct demo_order *d = &demo_orders[i];
		struct order_item items[2] = {
			{.name = d->item, .quantity = d->quantity,
			 .modifiers = d->modifier ? arena_printf(a, "[\"%s\"]", d->modifier) : "[]"},
			{.name = d->second, .quantity = 1, .modifiers = "[]"},
		};
		struct order o = {
			.guest_id = i % 3 == 2 ? -1 : 1 + (int64_t)pick(rng, (uint32_t)guests),
			.visit_id = -1,
			.special_requests = d->special,
			.items = items,
			.nitems = d->second ? 2 : 1,
			.t = {.placed_at = now - d->minutes_ago * 60},
		};
		if (o.guest_id >= 0) {
			struct guest g;
			if ((rc = guests_get(db, a, o.guest_id, &g)) != DB_ROW)
				return rc == DB_DONE ? DB_ERROR : rc;
			o.guest_name = g.name;
		}
		if ((rc = order_place(db, a, nobody, &l, 0, &o)) != DB_ROW)
			return rc;
		int64_t at = o.t.placed_at + 60;
		if (strcmp(d->status, "placed") != 0 &&
		    (rc = order_move(db, a, nobody, &l, "accepted", NULL, at, &o)) != DB_DONE)
			return rc;
		if (strcmp(d->status, "ready") == 0 &&
		    (rc = order_move(db, a, nobody, &l, "ready", NULL, at + 120, &o)) != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

/* A survey answer from the guest, some time in the last 12 weeks. */
static enum db_rc demo_answer(struct db *db, struct arena *a, uint32_t *rng, int64_t guest_id,
			      int64_t location_id, int64_t now)
{
	const struct demo_feedback *d = &demo_feedback[pick(rng, ARRAY_SIZE(demo_feedback))];
	struct location l;
	enum db_rc rc = locations_get(db, a, location_id, &l);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	struct feedback f = {
		.location_id = location_id,
		.guest_id = guest_id,
		.survey_id = -1,
		.source = "staff",
		.nps = d->nps,
		.comment = d->comment,
		.recorded_by = {-1, -1},
		.at = now - (int64_t)pick(rng, 84 * SECONDS_PER_DAY),
	};
	struct feedback_rating rating;
	if (d->touchpoint) {
		struct touchpoint *tps;
		int n;
		if ((rc = touchpoints_list(db, a, location_id, &tps, &n)) != DB_DONE)
			return rc;
		for (int i = 0; i < n; i++)
			if (strcmp(tps[i].key, d->touchpoint) == 0) {
				rating = (struct feedback_rating){tps[i].id, tps[i].key, tps[i].name, d->rating};
				f.ratings = &rating;
				f.nratings = 1;
			}
	}
	if ((rc = feedback_record(db, a, &f, &l, f.nratings ? d->rating : 0)) != DB_ROW)
		return rc;
	if (f.case_id < 0 || f.at > now - 3 * SECONDS_PER_DAY)
		return DB_DONE; /* the newest detractors are still being looked after */
	/* older ones were called back and made right */
	struct rcase c;
	if ((rc = cases_get(db, a, f.case_id, &c)) != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	struct case_action x = {.case_id = c.id, .kind = "follow_up_call", .text = "Called to apologise",
				.value_cents = -1, .by = {-1, -1}, .at = f.at + 3 * 3600};
	if ((rc = recovery_action_add(db, a, &c, &x)) != DB_DONE)
		return rc;
	return recovery_resolve(db, a, (struct actor){-1, -1}, &c,
				pick(rng, 3) ? "recovered" : "not_recovered", f.at + SECONDS_PER_DAY);
}

/* Standards of care for the first location, with weeks of checks and a few
 * audits behind them; its opening hours are the café's. */
#define DEMO_CHECK_WEEKS 8
#define DEMO_CHECK_FAIL_PERCENT 6
static const struct demo_standard {
	const char *touchpoint, *text;
	int frequency;
	bool deal_breaker;
	const char *fail_note;
} demo_standards[] = {
	{"restroom", "Restroom clean, lit, paper or dryer", 60, true, "Paper towels ran out"},
	{"entrance", "Door glass clean, menu board lit", 1440, false, "Fingerprints on the door"},
	{"counter", "Counter wiped, pastry case full and labelled", 120, false, "Two labels missing"},
	{"table", "Tables cleared and wiped within 5 minutes of guests leaving", 60, false,
	 "Window tables left for 15 minutes"},
	{"payment", "Card reader charged, spare receipt roll at the till", 1440, false,
	 "Reader at 10%"},
	{"table", "Guests greeted within a minute of coming in", 0, false, "Nobody at the door"},
	{"phone", "Phone answered within three rings, with the café's name", 0, false,
	 "Rang six times"},
};

static enum db_rc demo_standards_seed(struct db *db, struct arena *a, uint32_t *rng,
				      int64_t location_id, int64_t now)
{
	struct hours h = {0};
	for (int d = 0; d < 7; d++)
		h.s[h.n++] = (struct hours_span){d, d < 5 ? 7 * 60 : 8 * 60, d < 5 ? 18 * 60 : 16 * 60};
	enum db_rc rc = hours_replace(db, location_id, &h);
	struct touchpoint *tps;
	int ntp;
	if (rc != DB_DONE || (rc = touchpoints_list(db, a, location_id, &tps, &ntp)) != DB_DONE)
		return rc;
	struct standard ss[ARRAY_SIZE(demo_standards)];
	int64_t since = now - DEMO_CHECK_WEEKS * 7 * SECONDS_PER_DAY;
	for (size_t i = 0; i < ARRAY_SIZE(demo_standards); i++) {
		const struct demo_standard *d = &demo_standards[i];
		ss[i] = (struct standard){.location_id = location_id, .text = d->text,
					  .frequency_minutes = d->frequency, .deal_breaker = d->deal_breaker,
					  .owner_role = "host", .active = true, .created_at = since,
					  .updated_at = since, .overdue_due_at = -1, .last = {.id = -1}};
		for (int k = 0; k < ntp; k++)
			if (strcmp(tps[k].key, d->touchpoint) == 0) {
				ss[i].touchpoint_id = tps[k].id;
				ss[i].touchpoint_key = tps[k].key;
				ss[i].touchpoint_name = tps[k].name;
			}
		ss[i].category = standard_default_category(d->touchpoint);
		if ((rc = standards_insert(db, &ss[i])) != DB_ROW)
			return rc;
	}
	/* every day until yesterday: the scheduled checks, a few of them late
	 * or failed, and an audit every other week */
	struct actor nobody = {-1, -1};
	for (int64_t day = since / SECONDS_PER_DAY; day < now / SECONDS_PER_DAY; day++) {
		int64_t opens = day * SECONDS_PER_DAY + 8 * 3600, hours_open = 8;
		for (size_t i = 0; i < ARRAY_SIZE(demo_standards); i++) {
			int f = demo_standards[i].frequency;
			int per_day = f == 0 ? 0 : f >= 1440 ? 1 : (int)(hours_open * 60 / f) / 2;
			for (int k = 0; k < per_day; k++) {
				bool fail = pick(rng, 100) < DEMO_CHECK_FAIL_PERCENT;
				struct check c = {
					.standard_id = ss[i].id, .audit_id = -1,
					.result = fail ? "fail" : "pass",
					.note = fail ? demo_standards[i].fail_note : NULL, .by = nobody,
					.at = opens + (int64_t)k * hours_open * 3600 / (per_day ? per_day : 1) +
					      pick(rng, 1800),
				};
				if ((rc = check_record(db, a, &ss[i], &c)) != DB_DONE)
					return rc;
				ss[i].last = (struct check_brief){c.id, c.at, c.result, nobody, NULL};
				if (fail && ss[i].deal_breaker) { /* put right within the hour */
					struct check fix = c;
					fix.result = "pass";
					fix.note = "Restocked and checked again";
					fix.at += 1800;
					struct rcase kase;
					if ((rc = check_record(db, a, &ss[i], &fix)) != DB_DONE ||
					    (rc = cases_get(db, a, c.case_id, &kase)) != DB_ROW ||
					    (rc = recovery_resolve(db, a, nobody, &kase, "recovered", fix.at)) !=
						    DB_DONE)
						return rc == DB_ROW ? DB_ERROR : rc;
				}
			}
		}
		if ((day - since / SECONDS_PER_DAY) % 14 == 6) {
			struct audit au = {.location_id = location_id,
					   .kind = pick(rng, 2) ? "routine" : "mystery",
					   .created_by = nobody, .created_at = opens + 3 * 3600,
					   .expires_at = -1, .submitted_at = -1, .score = -1};
			if ((rc = audits_insert(db, &au)) != DB_ROW)
				return rc;
			au.passed = au.failed = au.na = au.deal_breakers_failed = 0;
			for (size_t i = 0; i < ARRAY_SIZE(demo_standards); i++) {
				bool fail = pick(rng, 100) < 15 && !ss[i].deal_breaker;
				struct check c = {.standard_id = ss[i].id, .audit_id = au.id,
						  .result = fail ? "fail" : "pass",
						  .note = fail ? demo_standards[i].fail_note : NULL,
						  .by = nobody, .at = au.created_at};
				if ((rc = check_record(db, a, &ss[i], &c)) != DB_DONE)
					return rc;
				au.passed += !fail;
				au.failed += fail;
			}
			au.submitted_at = au.created_at;
			au.score = audit_score((int)au.passed, (int)au.failed, false);
			if ((rc = audits_submit(db, &au)) != DB_DONE)
				return rc;
		}
	}
	return DB_DONE;
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
		{.name = "Harbour Street Café", .timezone = "Europe/London", .currency = "GBP"},
		{.name = "Market Hall Bar", .timezone = "Europe/London", .currency = "GBP"},
	};
	for (int i = nloc; i < o->locations && i < 2; i++) {
		struct location l = extra[i];
		l.created_at = now;
		if (locations_insert(db, &l) != DB_ROW)
			goto fail;
		locations[nloc++] = l.id;
	}

	struct talking_point talks[ARRAY_SIZE(demo_talking_points)];
	for (size_t i = 0; i < ARRAY_SIZE(demo_talking_points); i++) {
		talks[i] = (struct talking_point){.text = demo_talking_points[i], .active = true,
						  .created_at = now, .updated_at = now};
		if (talk_add(db, actor, &talks[i]) != DB_ROW)
			goto fail;
	}

	int64_t visits_total = 0, notes_total = 0, cases_total = 0, feedback_total = 0;
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
		/* a third of guests have something on file; regulars were asked
		 * a starter or two lately */
		for (int k = pick(&rng, 3) == 0 ? 1 + (int)pick(&rng, 2) : 0; k > 0; k--) {
			const struct demo_note *d = &demo_notes[pick(&rng, ARRAY_SIZE(demo_notes))];
			int64_t at = joined + (int64_t)pick(&rng, (uint32_t)(now - joined));
			struct note n = {
				.guest_id = g.id, .kind = d->kind, .text = d->text, .pinned = d->pinned,
				.allergen = d->allergen, .severity = d->severity,
				.author_staff_id = -1, .author_token_id = -1,
				.created_at = at, .updated_at = at,
			};
			if (note_add(db, &a, &n) != DB_ROW)
				goto fail;
			notes_total++;
		}
		for (int k = kind < 15 ? (int)pick(&rng, 3) : 0; k > 0; k--) {
			const struct talking_point *t = &talks[pick(&rng, ARRAY_SIZE(talks))];
			struct talk_use u = {
				.guest_id = g.id, .talking_point_id = t->id, .by = actor,
				.at = now - (int64_t)pick(&rng, 20 * SECONDS_PER_DAY),
			};
			if (talk_use_add(db, &a, t, &u) != DB_ROW)
				goto fail;
		}
		if (nvisits >= 1 && pick(&rng, DEMO_FEEDBACK_EVERY) == 0) {
			if (demo_answer(db, &a, &rng, g.id, home, now) != DB_DONE)
				goto fail;
			feedback_total++;
		}
		if (nvisits >= 2 && pick(&rng, DEMO_CASE_EVERY) == 0) {
			if (demo_case(db, &a, &rng, g.id, home, now) != DB_DONE)
				goto fail;
			cases_total++;
		}
		if ((i + 1) % BATCH_ROWS == 0) {
			if (!commit_batch(db))
				goto fail;
			arena_release(&a); /* what the batch read back */
			arena_init(&a);
			if (!o->quiet && (i + 1) % (BATCH_ROWS * 20) == 0)
				log_info("demo: %d of %d guests", i + 1, o->guests);
		}
	}
	if (o->guests >= 1 && demo_open_orders(db, &a, &rng, locations[0], o->guests, now) != DB_DONE)
		goto fail;
	if (o->guests >= 1 && demo_standards_seed(db, &a, &rng, locations[0], now) != DB_DONE)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	arena_release(&a);
	if (!o->quiet)
		log_info("demo: %d guests, %lld visits, %lld notes, %lld cases, %lld answers, "
			 "%d locations",
			 o->guests, (long long)visits_total, (long long)notes_total,
			 (long long)cases_total, (long long)feedback_total, nloc);
	return 0;
fail:
	log_error("demo: cannot write demo data: %s", db_errmsg(db));
	db_rollback(db);
	arena_release(&a);
	return 1;
}
