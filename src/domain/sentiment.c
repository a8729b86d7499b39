/* Comment analysis (see sentiment.h).
 *
 * A comment is read sentence by sentence. Each word's valence comes from
 * the lexicon, matched on its Snowball stem; the words before it can turn
 * it round (a negation within three words of the same clause), strengthen
 * or soften it (intensifiers, downtoners), and capitals strengthen it. In
 * a sentence with "but" (or "however", "yet") what follows counts three
 * times what came before; a clause opened by "although", "though",
 * "despite" or "even if" counts half. Emoticons and emoji count as words.
 * The sum S becomes S / sqrt(S² + 15), in [-1, 1]. Each theme named in a
 * clause takes that clause's valence (or its sentence's, when the clause
 * has none). */
#include "util/compat.h"
#include "domain/sentiment.h"

#include <libstemmer.h>
#include <math.h>

#define ALPHA 15.0		/* how fast the sum saturates towards ±1 */
#define NEGATION 0.75		/* a negated word counts -0.75 times */
#define NEGATION_STRONG 1.25	/* … or -1.25 for "would not recommend", "won't be back" */
#define NEGATION_REACH 4	/* words a negation reaches */
#define BOOST 0.293		/* added to |valence| by "really" */
#define DAMP 0.5		/* "a bit" halves */
#define CAPS_BOOST 0.733	/* added to |valence| by SHOUTING */
#define EXCLAIM 0.292		/* added to a sentence's |sum| per '!', at most 4 */
#define BEFORE_BUT 0.5
#define AFTER_BUT 1.5
#define CONCESSIVE 0.5
#define IMPLICIT -0.6		/* a sentence shaped like a complaint, without feeling words */
/* A comment of some length in which no feeling was found leans negative:
 * guests who write without feeling words more often describe what went
 * wrong ("steak ordered medium rare came out grey"), two to one in the
 * development set. Shorter ones stay neutral. */
#define LEAN -0.4
#define LEAN_MIN_WORDS 4
#define MAX_WORD 48		/* longer words are not looked up */
#define MAX_TOKENS 128		/* per sentence; a longer one is cut */
#define CACHE_SLOTS (1u << 15)	/* words remembered; cleared when half full */
#define STEM_SLOTS (1u << 13)

enum {
	W_NEGATOR = 1 << 0,
	W_BOOSTER = 1 << 1,
	W_DAMPER = 1 << 2,
	W_BUT = 1 << 3,	       /* but, however, yet */
	W_CONCESSIVE = 1 << 4, /* although, though, despite */
	W_STRONG = 1 << 5,     /* negating it is worse than the word is good */
	W_GO = 1 << 6,	       /* be, come, go …: "back" after these is a return */
	W_BACK = 1 << 7,
	W_TIME = 1 << 8, /* minutes, hours: after a large number, a long wait */
	W_HOUR = 1 << 9,
	W_AGAIN = 1 << 10,
	W_FIXED = 1 << 11, /* a phrase's valence: no rule changes it */
	W_USED = 1 << 12,  /* "used" (to): what follows is how it was */
	W_ONLY = 1 << 13,
	W_KIND = 1 << 14,  /* kind, unless "kind of" */
	W_TOO = 1 << 15,   /* "too sweet": too much of a good thing */
	W_PHRASE = 1 << 16, /* some phrase starts with this word */
};

struct word {
	float valence;
	uint32_t flags;
	uint32_t themes;
};

/* Open-addressing table of strings to words; keys live in pool. */
struct table {
	uint32_t slots, used;
	char **keys;
	struct word *words;
	char *pool;
	size_t pool_used, pool_cap;
};

/* ---- the lexicon and the taxonomy ---- */

struct lex {
	const char *word;
	float valence;
};
#define LEX(w, v) {w, v},
static const struct lex lexicon[] = {
#include "domain/lexicon.inc"
};
#undef LEX

/* Words with a part in the rules rather than a valence of their own. */
static const struct {
	const char *word;
	uint32_t flags;
} function_words[] = {
	{"not", W_NEGATOR}, {"no", W_NEGATOR}, {"never", W_NEGATOR}, {"nothing", W_NEGATOR},
	{"nobody", W_NEGATOR}, {"none", W_NEGATOR}, {"neither", W_NEGATOR}, {"nor", W_NEGATOR},
	{"without", W_NEGATOR}, {"hardly", W_NEGATOR}, {"barely", W_NEGATOR},
	{"scarcely", W_NEGATOR}, {"cannot", W_NEGATOR}, {"cant", W_NEGATOR}, {"dont", W_NEGATOR},
	{"didnt", W_NEGATOR}, {"doesnt", W_NEGATOR}, {"isnt", W_NEGATOR}, {"wasnt", W_NEGATOR},
	{"werent", W_NEGATOR}, {"arent", W_NEGATOR}, {"wont", W_NEGATOR}, {"wouldnt", W_NEGATOR},
	{"couldnt", W_NEGATOR}, {"shouldnt", W_NEGATOR}, {"havent", W_NEGATOR},
	{"hasnt", W_NEGATOR}, {"hadnt", W_NEGATOR}, {"aint", W_NEGATOR}, {"nope", W_NEGATOR},
	{"very", W_BOOSTER}, {"really", W_BOOSTER}, {"so", W_BOOSTER}, {"super", W_BOOSTER},
	{"extremely", W_BOOSTER}, {"absolutely", W_BOOSTER}, {"incredibly", W_BOOSTER},
	{"totally", W_BOOSTER}, {"completely", W_BOOSTER}, {"utterly", W_BOOSTER},
	{"truly", W_BOOSTER}, {"highly", W_BOOSTER}, {"seriously", W_BOOSTER},
	{"insanely", W_BOOSTER}, {"ridiculously", W_BOOSTER}, {"exceptionally", W_BOOSTER},
	{"especially", W_BOOSTER}, {"particularly", W_BOOSTER}, {"most", W_BOOSTER},
	{"such", W_BOOSTER}, {"way", W_BOOSTER}, {"veryyy", W_BOOSTER},
	{"soo", W_BOOSTER}, {"sooo", W_BOOSTER}, {"soooo", W_BOOSTER}, {"properly", W_BOOSTER},
	{"proper", W_BOOSTER}, {"damn", W_BOOSTER}, {"bloody", W_BOOSTER}, {"real", W_BOOSTER},
	{"thoroughly", W_BOOSTER}, {"genuinely", W_BOOSTER}, {"deeply", W_BOOSTER},
	{"remarkably", W_BOOSTER}, {"unbelievably", W_BOOSTER}, {"amazingly", W_BOOSTER},
	{"bit", W_DAMPER}, {"slightly", W_DAMPER}, {"somewhat", W_DAMPER}, {"fairly", W_DAMPER},
	{"rather", W_DAMPER}, {"kinda", W_DAMPER}, {"sorta", W_DAMPER}, {"little", W_DAMPER},
	{"mildly", W_DAMPER}, {"marginally", W_DAMPER}, {"partly", W_DAMPER},
	{"almost", W_DAMPER}, {"quite", W_DAMPER}, {"abit", W_DAMPER},
	{"but", W_BUT}, {"however", W_BUT}, {"yet", W_BUT}, {"although", W_CONCESSIVE},
	{"though", W_CONCESSIVE}, {"despite", W_CONCESSIVE}, {"tho", W_CONCESSIVE},
	{"whilst", W_CONCESSIVE}, {"be", W_GO}, {"come", W_GO}, {"coming", W_GO}, {"go", W_GO},
	{"going", W_GO}, {"pop", W_GO}, {"get", W_GO}, {"head", W_GO}, {"back", W_BACK},
	{"min", W_TIME}, {"mins", W_TIME}, {"minute", W_TIME}, {"minutes", W_TIME},
	{"hour", W_TIME | W_HOUR}, {"hours", W_TIME | W_HOUR}, {"hr", W_TIME | W_HOUR},
	{"hrs", W_TIME | W_HOUR}, {"again", W_AGAIN | W_BACK}, {"used", W_USED}, {"only", W_ONLY},
	{"just", W_ONLY}, {"dangerously", W_BOOSTER},
	{"wickedly", W_BOOSTER}, {"stupidly", W_BOOSTER}, {"kind", W_KIND}, {"too", W_BOOSTER | W_TOO},
};

/* Idioms whose words mean something else together: the valence goes on
 * the last word and no rule changes it. */
static const struct {
	const char *words;
	float valence;
} phrases[] = {
	{"out of this world", 3},    {"taking the mick", -2.5},	 {"taking the piss", -2.5},
	{"rip off", -3},	     {"tourist trap", -2.5},	 {"dont bother", -2.5},
	{"let down", -2.5},	     {"say no more", 2},	 {"makes up for", 1.5},
	{"make up for", 1.5},	     {"life saver", 2.5},	 {"lifesaver", 2.5},
	{"made my day", 3},	     {"made my week", 3},	 {"made my morning", 3},
	{"couldnt wait to leave", -2.5}, {"cant wait to come", 2.5}, {"well done", 2},
	{"say enough", 2.5},	     {"no one seemed to care", -2.5}, {"nobody cared", -2.5},
	{"not far off", -1},	     {"at its finest", 0},	 {"waste of", -2.5},
	{"value for money", 2},	     {"worth the wait", 2.5},	 {"worth every penny", 3},
	{"hit the spot", 2.5},	     {"hits the spot", 2.5},	 {"spot on", 2.5},
	{"on point", 2.5},	     {"second to none", 3},	 {"nothing special", -1.5},
	{"nothing to write home about", -1.5}, {"no complaints", 2}, {"no issues", 1.5},
	{"no problem", 1.5},	     {"no problems", 1.5},	 {"cant fault", 2.5},
	{"couldnt fault", 2.5},	     {"cant complain", 1.5},	 {"never disappoints", 2.5},
	{"never fails", 2},	     {"all good", 1.5},		 {"not bad", 1.5},
	{"anywhere else", 1.5},	     {"one job", -1.5},		 {"off putting", -2},
	{"put me off", -2},	     {"put me right off", -2.5}, {"gone off", -1.5},
	{"tasted off", -2},	     {"a bit off", -1.5},	 {"went cold", -1.5},
	{"stone cold", -2},	     {"ice cold", 0.5},		 {"sticky toffee", 0},
	{"cold brew", 0},	     {"happy hour", 0},		 {"top notch", 3},
	{"ten out of ten", 3},	     {"five stars", 3},		 {"one star", -3},
	{"in and out", 1},	     {"mind blowing", 3},	 {"to die for", 3},
};
#define MAX_PHRASE_WORDS 6

struct phrase {
	uint32_t h[MAX_PHRASE_WORDS];
	int n;
	float valence;
};

struct sentiment {
	struct phrase phrases[ARRAY_SIZE(phrases)];
	struct sb_stemmer *stemmer;
	struct table stems; /* stem -> valence and themes */
	struct table cache; /* surface word -> everything known about it */
	int nthemes;
	int price; /* the theme a sum of money names ("£18"), or -1 */
	char names[SENT_MAX_THEMES][SENT_THEME_NAME_MAX];
};


/* Words whose negation says more than they do. */
static const char *const strong_words[] = {"recommend", "return", "worth", "impressed",
					   "back", "again", NULL};

static const char *const wait_words[] = {
	"wait", "waited", "waiting", "slow", "slowly", "quick", "quickly", "fast", "queue",
	"queues", "line", "ages", "minutes", "mins", "hour", "delay",
	"delayed", "prompt", "promptly", "speedy", "speed", "rush", "rushed", "took", "efficient",
	"eta", NULL};
static const char *const accuracy_words[] = {
	"wrong", "forgot", "forgotten", "forget", "missing", "missed", "mistake", "mistakes",
	"mixed", "mixup", "incorrect", "instead", "accurate", "accuracy",
	"remembered", "substituted", NULL};
static const char *const food_words[] = {
	"food", "dish", "dishes", "meal", "meals", "sandwich", "salad", "soup", "burger", "pizza",
	"pasta", "cake", "pastry", "pastries", "croissant", "toast", "pudding", "puddings",
	"lasagne", "chowder", "scrumptious", "dumplings", "halloumi", "burrito", "sarnie", "egg", "eggs", "bacon", "chips", "fries", "steak", "fish", "chicken",
	"curry", "dessert", "portion", "portions", "taste", "tasty", "tasted", "flavour", "flavor",
	"delicious", "bland", "cooked", "starter", "sauce", "bread", "cheese", "scone",
	"muffin", "bagel", "noodles", "rice", "sushi", "taco", "tacos", "wrap", "pie", "roast",
	"soggy", "stale", "burnt", "undercooked", "overcooked", "greasy", "tasteless",
	"yummy", "veggie", "vegan", "meat", "beef", "pork", "lamb", "seafood", "omelette",
	"pancake", "pancakes", "waffle", "cookie", "brownie", "sourdough", "risotto", "chef",
	"crispy", "avocado", "cheesecake", "chocolate", NULL};
static const char *const drinks_words[] = {
	"coffee", "coffees", "latte", "cappuccino", "espresso", "americano", "mocha", "macchiato",
	"cortado", "tea", "chai", "drink", "drinks", "beer", "beers", "ale", "lager", "wine",
	"cocktail", "cocktails", "juice", "smoothie", "milkshake", "water", "soda", "pint", "pints",
	"gin", "whisky", "whiskey", "prosecco", "brew", "matcha", "cider", "lemonade", "mojito",
	"margarita", "shot", "shots", "cup", "mug", "milk", NULL};
static const char *const staff_words[] = {
	"staff", "service", "server", "servers", "waiter", "waiters", "waitress", "waitstaff",
	"barista", "baristas", "bartender", "bartenders", "manager", "host", "hostess", "cashier",
	"team", "crew", "friendly", "unfriendly", "rude", "rudely", "attentive", "inattentive",
	"helpful", "unhelpful", "polite", "impolite", "welcoming", "smile", "smiled", "smiling",
	"ignored", "attitude", "professional", "unprofessional", "courteous", "employee",
	"employees", "owner", "barman", "barmaid", "shrug", "shrugged", NULL};
static const char *const cleanliness_words[] = {
	"clean", "cleaned", "cleaner", "cleanliness", "dirty", "filthy", "toilet", "toilets",
	"restroom", "restrooms", "bathroom", "bathrooms", "loo", "loos", "washroom", "hygiene",
	"unhygienic", "sticky", "smell", "smelly", "smelled", "stank", "stink", "mess", "messy",
	"crumbs", "spotless", "tidy", "untidy", "grubby", "dust", "dusty", "floor", "floors",
	"towels", "soap", "bin", "bins", "wiped", "gross", "disgusting", "hair", "fly", "flies",
	"mould", "mold", NULL};
static const char *const price_words[] = {
	"price", "prices", "priced", "pricing", "expensive", "cheap", "cheaper", "value", "overpriced",
	"pricey", "cost", "costs", "costly", "worth", "money", "affordable", "bargain", "reasonable",
	"reasonably", "ripoff", "quid", "pounds", "dollars", "euros", "charge", "steep", NULL};
static const char *const ambience_words[] = {
	"atmosphere", "ambience", "ambiance", "vibe", "vibes", "music", "noise", "noisy", "loud",
	"quiet", "decor", "cosy", "cozy", "seating", "seat", "seats", "chairs", "chair", "lighting",
	"cramped", "crowded", "view", "interior", "space", "spacious", "freezing", "draughty",
	"drafty", "comfortable", "uncomfortable", "comfy", "playlist", "buzzing", "lively",
	"relaxed", "relaxing", "terrace", "garden", "heating", "stuffy", "dark", "bright", "plants",
	"furniture", "window", "windows", "setting", "river", "wifi", "sofa", "sofas", "plugs",
	"aircon", "speaker", "instagrammable", NULL};
static const char *const payment_words[] = {
	"pay", "paid", "paying", "payment", "card", "cash", "bill", "receipt", "contactless",
	"charged", "overcharged", "machine", "till", "split", "refund", "refunded", "tip",
	"tipping", "invoice", "checkout", "transaction", NULL};

const struct sent_theme sent_default_themes[] = {
	{"wait", wait_words},	  {"accuracy", accuracy_words},	      {"food", food_words},
	{"drinks", drinks_words}, {"staff", staff_words},	      {"cleanliness", cleanliness_words},
	{"price", price_words},	  {"ambience", ambience_words},       {"payment", payment_words},
};
const int sent_default_nthemes = (int)ARRAY_SIZE(sent_default_themes);

/* Emoticons and emoji, longest first where one begins another. */
static const struct {
	const char *text;
	float valence;
} emoticons[] = {
	{":-)", 2}, {":)", 2}, {"(:", 2}, {":-D", 2.5}, {":D", 2.5}, {";-)", 1.5}, {";)", 1.5},
	{":-P", 1}, {":P", 1}, {"<3", 2.5}, {"^^", 1.5}, {"xD", 2}, {"XD", 2},
	{":'(", -2.5}, {":-(", -2}, {":(", -2}, {"):", -2}, {":-/", -1.5}, {":/", -1.5},
	{":-|", -1}, {":|", -1}, {">:(", -2.5}, {"</3", -2.5},
	{"\xF0\x9F\x98\x80", 2}, {"\xF0\x9F\x98\x83", 2}, {"\xF0\x9F\x98\x84", 2},
	{"\xF0\x9F\x98\x81", 2}, {"\xF0\x9F\x98\x8A", 2}, {"\xF0\x9F\x99\x82", 1.5},
	{"\xF0\x9F\x98\x8D", 3}, {"\xF0\x9F\xA5\xB0", 3}, {"\xF0\x9F\x98\x8B", 2.5},
	{"\xF0\x9F\x91\x8D", 2}, {"\xF0\x9F\x91\x8C", 2}, {"\xF0\x9F\x99\x8C", 2},
	{"\xF0\x9F\x92\xAF", 2.5}, {"\xE2\xAD\x90", 1.5}, {"\xE2\x9D\xA4", 2.5},
	{"\xF0\x9F\x92\x95", 2.5}, {"\xF0\x9F\x98\x82", 1}, {"\xF0\x9F\xA4\xA9", 3},
	{"\xF0\x9F\x98\x8E", 1.5}, {"\xF0\x9F\x8E\x89", 2}, {"\xF0\x9F\x91\x8F", 2},
	{"\xF0\x9F\x98\xA1", -3}, {"\xF0\x9F\x98\xA0", -3}, {"\xF0\x9F\xA4\xAC", -3.5},
	{"\xF0\x9F\x98\x9E", -2}, {"\xF0\x9F\x98\xA2", -2}, {"\xF0\x9F\x98\xAD", -2},
	{"\xF0\x9F\x91\x8E", -2.5}, {"\xF0\x9F\xA4\xA2", -3}, {"\xF0\x9F\xA4\xAE", -3},
	{"\xF0\x9F\x98\x92", -2}, {"\xF0\x9F\x99\x81", -1.5}, {"\xE2\x98\xB9", -1.5},
	{"\xF0\x9F\x98\x95", -1.5}, {"\xF0\x9F\x98\xA9", -2}, {"\xF0\x9F\x98\xA4", -2},
	{"\xF0\x9F\x98\x91", -1}, {"\xF0\x9F\x99\x84", -1.5}, {"\xF0\x9F\x98\xAC", -1},
};

/* ---- a taxonomy from text ---- */

bool sent_taxonomy_parse(const char *text, struct sent_taxonomy *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	size_t len = strlen(text);
	out->storage = malloc(len + 1);
	/* at most one word per two bytes, plus a NULL per theme */
	size_t maxwords = len / 2 + SENT_MAX_THEMES + 1;
	out->words = malloc(sizeof(*out->words) * maxwords);
	if (!out->storage || !out->words) {
		snprintf(err, errlen, "out of memory");
		sent_taxonomy_free(out);
		return false;
	}
	memcpy(out->storage, text, len + 1);
	size_t nw = 0;
	int line = 0;
	for (char *p = out->storage; *p;) {
		char *end = strchr(p, '\n');
		char *next = end ? end + 1 : p + strlen(p);
		if (end)
			*end = '\0';
		line++;
		char *l = p + strspn(p, " \t\r");
		p = next;
		if (!*l || *l == '#')
			continue;
		char *colon = strchr(l, ':');
		size_t nlen = colon ? (size_t)(colon - l) : 0;
		while (nlen && (l[nlen - 1] == ' ' || l[nlen - 1] == '\t'))
			nlen--;
		if (!colon || !nlen || nlen > SENT_THEME_NAME_MAX - 1 ||
		    strspn(l, "abcdefghijklmnopqrstuvwxyz0123456789_") != nlen) {
			snprintf(err, errlen, "line %d: want \"name: word word …\" with a name of a-z, 0-9 and _",
				 line);
			sent_taxonomy_free(out);
			return false;
		}
		if (out->n == SENT_MAX_THEMES) {
			snprintf(err, errlen, "line %d: at most %d themes", line, SENT_MAX_THEMES);
			sent_taxonomy_free(out);
			return false;
		}
		l[nlen] = '\0';
		struct sent_theme *t = &out->themes[out->n];
		t->name = l;
		t->words = &out->words[nw];
		size_t first = nw;
		for (char *w = colon + 1; *w;) {
			w += strspn(w, " \t\r,");
			size_t wl = strcspn(w, " \t\r,");
			if (!wl)
				break;
			if (nw - first == SENT_MAX_THEME_WORDS) {
				snprintf(err, errlen, "line %d: at most %d words a theme", line,
					 SENT_MAX_THEME_WORDS);
				sent_taxonomy_free(out);
				return false;
			}
			char *word = w;
			w += wl;
			if (*w)
				*w++ = '\0';
			out->words[nw++] = word;
		}
		if (nw == first) {
			snprintf(err, errlen, "line %d: the theme %s has no words", line, l);
			sent_taxonomy_free(out);
			return false;
		}
		out->words[nw++] = NULL;
		out->n++;
	}
	if (!out->n) {
		snprintf(err, errlen, "no themes");
		sent_taxonomy_free(out);
		return false;
	}
	return true;
}

void sent_taxonomy_free(struct sent_taxonomy *t)
{
	free(t->storage);
	free(t->words);
	t->storage = NULL;
	t->words = NULL;
	t->n = 0;
}

/* ---- tables ---- */

static bool table_init(struct table *t, uint32_t slots, size_t pool)
{
	memset(t, 0, sizeof(*t));
	t->slots = slots;
	t->keys = calloc(slots, sizeof(*t->keys));
	t->words = calloc(slots, sizeof(*t->words));
	t->pool = malloc(pool);
	t->pool_cap = pool;
	return t->keys && t->words && t->pool;
}

static void table_release(struct table *t)
{
	free(t->keys);
	free(t->words);
	free(t->pool);
}

static void table_clear(struct table *t)
{
	memset(t->keys, 0, t->slots * sizeof(*t->keys));
	t->used = 0;
	t->pool_used = 0;
}

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot of key, or the empty slot where it would go. */
static uint32_t table_slot(const struct table *t, const char *key, size_t n)
{
	uint32_t i = hash(key, n) & (t->slots - 1);
	while (t->keys[i] && (strncmp(t->keys[i], key, n) != 0 || t->keys[i][n] != '\0'))
		i = (i + 1) & (t->slots - 1);
	return i;
}

static struct word *table_get(const struct table *t, const char *key, size_t n)
{
	uint32_t i = table_slot(t, key, n);
	return t->keys[i] ? &t->words[i] : NULL;
}

/* The entry for key, added (zeroed) if new; NULL when the table is full. */
static struct word *table_put(struct table *t, const char *key, size_t n)
{
	uint32_t i = table_slot(t, key, n);
	if (t->keys[i])
		return &t->words[i];
	if (t->used * 2 >= t->slots || t->pool_used + n + 1 > t->pool_cap)
		return NULL;
	char *k = t->pool + t->pool_used;
	memcpy(k, key, n);
	k[n] = '\0';
	t->pool_used += n + 1;
	t->keys[i] = k;
	t->words[i] = (struct word){0};
	t->used++;
	return &t->words[i];
}

/* ---- words ---- */

/* Lower-case ASCII letters and digits of a word, apostrophes dropped and
 * common accented Latin letters folded; *caps when it was all capitals. */
static size_t word_normalize(const char *w, size_t n, char *out, bool *caps)
{
	static const char latin1[64] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty"
				       "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
	size_t k = 0;
	int upper = 0, letters = 0;
	for (size_t i = 0; i < n && k < MAX_WORD; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c == '\'')
			continue;
		if (c == 0xE2 && i + 2 < n && (unsigned char)w[i + 1] == 0x80 &&
		    (unsigned char)w[i + 2] == 0x99) {
			i += 2; /* ’ */
			continue;
		}
		if (c == 0xC3 && i + 1 < n) {
			unsigned char d = (unsigned char)w[i + 1];
			if (d >= 0x80 && d <= 0xBF) {
				out[k++] = latin1[(d - 0x80) & 63];
				letters++;
				i++;
				continue;
			}
		}
		if (c >= 'A' && c <= 'Z') {
			upper++;
			letters++;
			c = (unsigned char)(c + 32);
		} else if (c >= 'a' && c <= 'z') {
			letters++;
		}
		out[k++] = (char)c;
	}
	*caps = letters >= 3 && upper == letters;
	return k;
}

/* What the analyser knows of a normalized word; cached. */
static struct word lookup(struct sentiment *s, const char *w, size_t n)
{
	struct word *hit = table_get(&s->cache, w, n);
	if (hit)
		return *hit;
	struct word found = {0};
	for (size_t i = 0; i < ARRAY_SIZE(function_words); i++)
		if (strlen(function_words[i].word) == n && memcmp(function_words[i].word, w, n) == 0)
			found.flags |= function_words[i].flags;
	if (n > 2 && w[n - 1] == 't' && w[n - 2] == 'n' && !(found.flags & W_NEGATOR)) {
		/* mustnt, neednt, mightnt … written without the apostrophe */
		static const char *const stems[] = {"must", "need", "might", "ought", "dare", "ca",
						    "do", "does", "did", "is", "was", "were", "are",
						    "has", "have", "had", "would", "could", "should"};
		for (size_t i = 0; i < ARRAY_SIZE(stems); i++)
			if (strlen(stems[i]) == n - 2 && memcmp(stems[i], w, n - 2) == 0)
				found.flags |= W_NEGATOR;
	}
	const sb_symbol *st = sb_stemmer_stem(s->stemmer, (const sb_symbol *)w, (int)n);
	if (st) {
		struct word *lex = table_get(&s->stems, (const char *)st, (size_t)sb_stemmer_length(s->stemmer));
		if (lex) {
			found.valence = lex->valence;
			found.themes = lex->themes;
			found.flags |= lex->flags;
		}
	}
	if (found.flags & (W_NEGATOR | W_BOOSTER | W_DAMPER | W_BUT | W_CONCESSIVE))
		found.valence = 0; /* "no", "so" … are rules, not feelings */
	uint32_t h = hash(w, n);
	for (size_t i = 0; i < ARRAY_SIZE(phrases); i++)
		if (s->phrases[i].h[0] == h)
			found.flags |= W_PHRASE;
	if (s->cache.used * 2 + 2 >= s->cache.slots || s->cache.pool_used + n + 1 > s->cache.pool_cap)
		table_clear(&s->cache);
	struct word *slot = table_put(&s->cache, w, n);
	if (slot)
		*slot = found;
	return found;
}

/* Adds the stem of a surface word (or, for two words, of its last word) to
 * the stem table. */
static struct word *stem_put(struct sentiment *s, const char *word)
{
	const char *last = strrchr(word, ' ');
	last = last ? last + 1 : word;
	char norm[MAX_WORD];
	bool caps;
	size_t n = word_normalize(last, strlen(last), norm, &caps);
	const sb_symbol *st = sb_stemmer_stem(s->stemmer, (const sb_symbol *)norm, (int)n);
	if (!st)
		return NULL;
	return table_put(&s->stems, (const char *)st, (size_t)sb_stemmer_length(s->stemmer));
}

struct sentiment *sentiment_new(const struct sent_theme *themes, int nthemes)
{
	if (nthemes > SENT_MAX_THEMES)
		return NULL;
	struct sentiment *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	/* room for every stem the lexicon and the themes may add, at most
	 * half full */
	size_t words = ARRAY_SIZE(lexicon) + ARRAY_SIZE(strong_words);
	for (int t = 0; t < nthemes; t++)
		for (int k = 0; themes[t].words[k] && k < SENT_MAX_THEME_WORDS; k++)
			words++;
	uint32_t slots = STEM_SLOTS;
	while (slots < 2 * words + 2)
		slots *= 2;
	s->stemmer = sb_stemmer_new("english", NULL);
	if (!s->stemmer || !table_init(&s->stems, slots, words * (MAX_WORD + 1)) ||
	    !table_init(&s->cache, CACHE_SLOTS, CACHE_SLOTS * 8)) {
		sentiment_free(s);
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(lexicon); i++) {
		struct word *w = stem_put(s, lexicon[i].word);
		if (!w)
			goto fail;
		/* forms sharing a stem share the stronger feeling */
		if (fabsf(lexicon[i].valence) > fabsf(w->valence))
			w->valence = lexicon[i].valence;
	}
	for (int i = 0; strong_words[i]; i++) {
		struct word *w = stem_put(s, strong_words[i]);
		if (!w)
			goto fail;
		w->flags |= W_STRONG;
	}
	for (size_t i = 0; i < ARRAY_SIZE(phrases); i++) {
		struct phrase *ph = &s->phrases[i];
		const char *w = phrases[i].words;
		ph->valence = phrases[i].valence;
		while (*w && ph->n < MAX_PHRASE_WORDS) {
			size_t n = strcspn(w, " ");
			ph->h[ph->n++] = hash(w, n);
			w += n;
			w += *w == ' ';
		}
	}
	s->nthemes = nthemes;
	s->price = -1;
	for (int t = 0; t < nthemes; t++) {
		snprintf(s->names[t], sizeof(s->names[t]), "%s", themes[t].name);
		if (strcmp(themes[t].name, "price") == 0)
			s->price = t;
		for (int k = 0; themes[t].words[k] && k < SENT_MAX_THEME_WORDS; k++) {
			struct word *w = stem_put(s, themes[t].words[k]);
			if (!w)
				goto fail;
			w->themes |= 1u << t;
		}
	}
	return s;
fail:
	sentiment_free(s);
	return NULL;
}

void sentiment_free(struct sentiment *s)
{
	if (!s)
		return;
	if (s->stemmer)
		sb_stemmer_delete(s->stemmer);
	table_release(&s->stems);
	table_release(&s->cache);
	free(s);
}

const char *sentiment_theme_name(const struct sentiment *s, int i)
{
	return i >= 0 && i < s->nthemes ? s->names[i] : NULL;
}

/* ---- analysis ---- */

struct token {
	struct word w;
	uint32_t h; /* of the normalized word, for phrases */
	bool caps;
	bool number_big; /* 15 or more */
	int clause;
};

struct sentence {
	struct token t[MAX_TOKENS];
	int n, clauses, exclaims, questions;
};

struct acc {
	double total, prev; /* the comment's sum; the previous sentence's */
	double theme[SENT_MAX_THEMES];
	uint32_t seen; /* themes mentioned */
	int words;
};

static double sign(double x)
{
	return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/* The valence of token i after the rules of the words before it. */
static double token_score(const struct sentence *se, int i)
{
	const struct token *tk = &se->t[i];
	double v = tk->w.valence;
	uint32_t f = tk->w.flags;
	if (f & W_BACK) {
		/* "be back", "coming back": the guest means to return */
		for (int k = i - 1; k >= 0 && k >= i - 2 && !v; k--)
			if (se->t[k].w.flags & W_GO)
				v = 1.5;
	}
	if (f & W_AGAIN && i > 0 && se->t[i - 1].w.flags & W_NEGATOR)
		v = 1.9; /* "never again": negated below, strongly */
	if ((f & W_TIME) && i > 0 && se->t[i - 1].number_big)
		v = f & W_HOUR ? -2.0 : -1.5;
	else if ((f & W_HOUR) && !v)
		v = -0.8; /* "an hour for a sandwich" */
	if (!v)
		return 0;
	if (tk->caps && !(f & W_FIXED))
		v += sign(v) * CAPS_BOOST;
	if (v > 0 && i > 0 && se->t[i - 1].w.flags & W_TOO && !(f & W_FIXED))
		v = -v * NEGATION;
	for (int k = i - 1; k >= 0 && k >= i - 2 && !(f & W_FIXED); k--) {
		if (se->t[k].clause != tk->clause)
			break;
		if (se->t[k].w.flags & W_BOOSTER)
			v += sign(v) * (k == i - 1 ? BOOST : BOOST / 2);
		else if (se->t[k].w.flags & W_DAMPER)
			v *= DAMP;
	}
	for (int k = i - 1; k >= 0 && k >= i - NEGATION_REACH; k--) {
		if (se->t[k].clause != tk->clause || se->t[k].w.valence != 0)
			break; /* a negation reaches across function words only */
		if (se->t[k].w.flags & W_NEGATOR) {
			v *= (f & W_STRONG) || (f & W_AGAIN) ? -NEGATION_STRONG : -NEGATION;
			break;
		}
	}
	return v;
}

static bool word_is(const struct token *t, const char *w)
{
	return t->h == hash(w, strlen(w));
}

/* Phrases, "kind of", "used to". */
static void sentence_prepare(const struct sentiment *s, struct sentence *se)
{
	for (int i = 0; i < se->n; i++) {
		struct token *t = &se->t[i];
		if (t->w.flags & W_KIND) {
			if (i + 1 < se->n && word_is(&se->t[i + 1], "of"))
				t->w.flags |= W_DAMPER;
			else
				t->w.valence = 2;
		}
		if (t->w.flags & W_USED && i + 1 < se->n && word_is(&se->t[i + 1], "to"))
			se->t[i + 1].w.flags |= W_NEGATOR; /* "used to love it" */
		for (size_t k = 0; t->w.flags & W_PHRASE && k < ARRAY_SIZE(phrases); k++) {
			const struct phrase *ph = &s->phrases[k];
			if (i + ph->n > se->n)
				continue;
			int j = 0;
			while (j < ph->n && se->t[i + j].h == ph->h[j])
				j++;
			if (j < ph->n)
				continue;
			for (j = 0; j < ph->n; j++) {
				se->t[i + j].w.valence = 0;
				se->t[i + j].w.flags &= ~(uint32_t)(W_NEGATOR | W_BOOSTER | W_DAMPER);
			}
			se->t[i + ph->n - 1].w.valence = ph->valence;
			se->t[i + ph->n - 1].w.flags |= W_FIXED;
			break;
		}
	}
}

static void sentence_end(const struct sentiment *s, struct sentence *se, struct acc *acc)
{
	if (!se->n) {
		se->exclaims = se->questions = 0;
		return;
	}
	/* weights: after the last "but" counts more, before it less; a
	 * concessive clause counts half */
	sentence_prepare(s, se);
	int but = -1;
	for (int i = 0; i < se->n; i++)
		if (se->t[i].w.flags & W_BUT)
			but = i;
	double clause_sum[MAX_TOKENS];
	for (int c = 0; c <= se->clauses; c++)
		clause_sum[c] = 0;
	double sum = 0;
	int concessive = -1; /* the clause a concessive word opened */
	for (int i = 0; i < se->n; i++) {
		if (se->t[i].w.flags & W_CONCESSIVE)
			concessive = se->t[i].clause;
		double v = token_score(se, i);
		if (!v)
			continue;
		if (but > 0)
			v *= i < but ? BEFORE_BUT : AFTER_BUT;
		if (se->t[i].clause == concessive)
			v *= CONCESSIVE;
		clause_sum[se->t[i].clause] += v;
		sum += v;
	}
	if (but == 0) {
		/* "But …" at the start: the sentence before counts less */
		acc->total -= acc->prev * (1 - BEFORE_BUT);
		sum *= AFTER_BUT;
		for (int c = 0; c <= se->clauses; c++)
			clause_sum[c] *= AFTER_BUT;
	}
	if (!sum) {
		/* no feeling named, but a complaint's shape: "nobody knew how to
		 * fix it", "only one option", "cash only??" */
		bool cue = se->questions >= 2;
		for (int i = 0; i < se->n && !cue; i++)
			cue = se->t[i].w.flags & (W_NEGATOR | W_ONLY);
		if (cue)
			sum = IMPLICIT;
	} else if (sum > 0 && acc->total < 0 && se->n <= 2) {
		sum = -sum; /* "… no soap. lovely" */
	}
	if (sum && se->exclaims)
		sum += sign(sum) * EXCLAIM * (se->exclaims < 4 ? se->exclaims : 4);
	/* each theme takes each clause's valence once */
	uint32_t clause_themes[MAX_TOKENS];
	for (int c = 0; c <= se->clauses; c++)
		clause_themes[c] = 0;
	for (int i = 0; i < se->n; i++)
		clause_themes[se->t[i].clause] |= se->t[i].w.themes;
	for (int c = 0; c <= se->clauses && c < MAX_TOKENS; c++) {
		uint32_t th = clause_themes[c];
		double v = clause_sum[c] ? clause_sum[c] : sum;
		for (int b = 0; th; b++, th >>= 1)
			if (th & 1) {
				acc->theme[b] += v;
				acc->seen |= 1u << b;
			}
	}
	acc->total += sum;
	acc->prev = sum;
	se->n = se->clauses = se->exclaims = se->questions = 0;
}

static void add_token(const struct sentiment *s, struct sentence *se, struct acc *acc,
		      struct token tk)
{
	acc->words++;
	if (se->n == MAX_TOKENS)
		sentence_end(s, se, acc);
	tk.clause = se->clauses;
	se->t[se->n++] = tk;
}

static void clause_end(struct sentence *se)
{
	if (se->n && se->t[se->n - 1].clause == se->clauses && se->clauses < MAX_TOKENS - 1)
		se->clauses++;
}

/* The length of a UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool word_byte(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'')
		return true;
	if (c == 0xE2 && left >= 3 && p[1] == 0x80 && p[2] == 0x99)
		return true; /* ’ inside a word */
	/* letters of other scripts: two-byte sequences (Latin, Greek, Cyrillic …) */
	return c >= 0xC3 && c < 0xE0;
}

void sentiment_analyze(struct sentiment *s, const char *text, size_t len, struct sent_result *out)
{
	struct sentence se;
	struct acc acc;
	memset(&acc, 0, sizeof(acc));
	se.n = se.clauses = se.exclaims = se.questions = 0;
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	while (p < end) {
		size_t left = (size_t)(end - p);
		/* emoticons first: they are made of punctuation */
		bool emo = false;
		if (*p == ':' || *p == ';' || *p == '<' || *p == '(' || *p == ')' || *p == '>' ||
		    *p == '^' || *p == 'x' || *p == 'X' || *p >= 0xE2) {
			for (size_t i = 0; i < ARRAY_SIZE(emoticons); i++) {
				size_t n = strlen(emoticons[i].text);
				if (n > left || memcmp(p, emoticons[i].text, n) != 0)
					continue;
				/* a word's letters around xD or XD are a word */
				if ((*p == 'x' || *p == 'X') &&
				    ((n < left && word_byte(p + n, left - n)) ||
				     (p > (const unsigned char *)text && word_byte(p - 1, 1))))
					continue;
				struct token tk = {.w = {.valence = emoticons[i].valence}};
				add_token(s, &se, &acc, tk);
				p += n;
				emo = true;
				break;
			}
		}
		if (emo)
			continue;
		if (word_byte(p, left)) {
			const unsigned char *w = p;
			while (p < end && word_byte(p, (size_t)(end - p)))
				p += utf8_len(*p) <= (size_t)(end - p) ? utf8_len(*p) : (size_t)(end - p);
			char norm[MAX_WORD];
			bool caps;
			size_t n = word_normalize((const char *)w, (size_t)(p - w), norm, &caps);
			if (!n)
				continue;
			struct token tk = {.caps = caps, .h = hash(norm, n)};
			if (norm[0] >= '0' && norm[0] <= '9') {
				long v = 0;
				for (size_t i = 0; i < n && norm[i] >= '0' && norm[i] <= '9' && v < 100000; i++)
					v = v * 10 + (norm[i] - '0');
				tk.number_big = v >= 15;
				/* a score out of 5 or 10: "10/10", "1/5" */
				if (p + 1 < end && *p == '/' && p[1] >= '0' && p[1] <= '9') {
					long den = 0;
					const unsigned char *q = p + 1;
					while (q < end && *q >= '0' && *q <= '9' && den < 1000)
						den = den * 10 + (*q++ - '0');
					if ((den == 5 || den == 10 || den == 100) && v <= den) {
						double r = (double)v / (double)den;
						tk.w.valence = r >= 0.7 ? 3 : r <= 0.4 ? -3 : 0;
						tk.w.flags |= W_FIXED;
						p = q;
					}
				}
				/* "45min" written as one word */
				size_t d = 0;
				while (d < n && norm[d] >= '0' && norm[d] <= '9')
					d++;
				if (d < n) {
					add_token(s, &se, &acc, tk);
					struct token unit = {.w = lookup(s, norm + d, n - d)};
					add_token(s, &se, &acc, unit);
					continue;
				}
			} else {
				tk.w = lookup(s, norm, n);
				tk.number_big = (n == 6 && memcmp(norm, "twenty", 6) == 0) ||
						(n == 6 && memcmp(norm, "thirty", 6) == 0) ||
						(n == 5 && memcmp(norm, "forty", 5) == 0) ||
						(n == 5 && memcmp(norm, "fifty", 5) == 0);
			}
			if (tk.w.flags & (W_BUT | W_CONCESSIVE))
				clause_end(&se);
			add_token(s, &se, &acc, tk);
			continue;
		}
		unsigned char c = *p;
		/* a sum of money names the price */
		size_t cur = c == '$' ? 1 : c == 0xC2 && left > 1 && p[1] == 0xA3 ? 2
			   : c == 0xE2 && left > 2 && p[1] == 0x82 && p[2] == 0xAC ? 3 : 0;
		if (cur && cur < left && p[cur] >= '0' && p[cur] <= '9' && s->price >= 0) {
			struct token tk = {.w = {.themes = 1u << s->price}};
			add_token(s, &se, &acc, tk);
			p += cur;
			continue;
		}
		if (c == '.' && p > (const unsigned char *)text && p[-1] >= '0' && p[-1] <= '9' &&
		    left > 1 && p[1] >= '0' && p[1] <= '9') {
			p++; /* 9.50, 1.30 */
			continue;
		}
		if (c == '.' || c == '!' || c == '?' || c == '\n') {
			while (p < end && (*p == '.' || *p == '!' || *p == '?' || *p == '\n')) {
				se.exclaims += *p == '!';
				se.questions += *p == '?';
				p++;
			}
			sentence_end(s, &se, &acc);
			continue;
		}
		if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '-' || c == '&')
			clause_end(&se);
		else if (c == 0xE2 && left >= 3 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94))
			clause_end(&se); /* – — */
		p += utf8_len(c) <= left ? utf8_len(c) : left;
	}
	sentence_end(s, &se, &acc);

	double S = acc.total;
	if (S == 0 && acc.words >= LEAN_MIN_WORDS)
		S = LEAN; /* see LEAN */
	out->score = S / sqrt(S * S + ALPHA);
	out->label = S > 0 ? "positive" : S < 0 ? "negative" : "neutral";
	out->nthemes = 0;
	for (int t = 0; t < s->nthemes; t++) {
		if (!(acc.seen & (1u << t)))
			continue;
		double v = acc.theme[t];
		out->themes[out->nthemes].theme = t;
		out->themes[out->nthemes].score = v / sqrt(v * v + ALPHA);
		out->nthemes++;
	}
}
