/* Comment analysis: the sentiment of a guest's comment in [-1, 1] with a
 * label, and the themes it talks about (wait, food, staff …), each with its
 * own sentiment. Pure C, no network: a lexicon of words and their valence,
 * Snowball stems, and rules for negation ("not good"), intensifiers
 * ("really"), contrast ("but") and emoticons.
 *
 * An analyser is built once (it stems its lexicon and themes) and keeps a
 * cache of the words it has seen, so it belongs to one thread at a time. */
#ifndef MAITRED_SENTIMENT_H
#define MAITRED_SENTIMENT_H

#include "util/compat.h"

#define SENT_MAX_THEMES 32
#define SENT_MAX_THEME_WORDS 128
#define SENT_THEME_NAME_MAX 40

/* A theme of the taxonomy: its name and the words that name it (any form:
 * they are matched on stems). */
struct sent_theme {
	const char *name;
	const char *const *words; /* NULL-terminated */
};

/* The default taxonomy: wait, accuracy, food, drinks, staff, cleanliness,
 * price, ambience, payment. */
extern const struct sent_theme sent_default_themes[];
extern const int sent_default_nthemes;

/* A taxonomy read from text, one theme a line: "name: word word …";
 * blank lines and lines starting with # are skipped. Names are 1-40
 * characters of a-z, 0-9 and _; words are whitespace-separated (a stem is
 * taken of each). The themes point into *storage (malloc'd, freed with
 * sent_taxonomy_free). False with a message naming the line. */
struct sent_taxonomy {
	struct sent_theme themes[SENT_MAX_THEMES];
	int n;
	char *storage;
	const char **words;
};
bool sent_taxonomy_parse(const char *text, struct sent_taxonomy *out, char *err, size_t errlen);
void sent_taxonomy_free(struct sent_taxonomy *t);

struct sentiment;

/* NULL when out of memory or the stemmer is missing; themes are copied. */
struct sentiment *sentiment_new(const struct sent_theme *themes, int nthemes);
void sentiment_free(struct sentiment *s);

struct sent_result {
	double score;	   /* in [-1, 1] */
	const char *label; /* "positive", "negative" or "neutral" (no sentiment found) */
	int nthemes;
	struct {
		int theme; /* index into the taxonomy */
		double score;
	} themes[SENT_MAX_THEMES]; /* in taxonomy order */
};

/* Analyses len bytes of UTF-8 text (invalid bytes are skipped). */
void sentiment_analyze(struct sentiment *s, const char *text, size_t len, struct sent_result *out);
/* The taxonomy's name of theme i. */
const char *sentiment_theme_name(const struct sentiment *s, int i);

#endif
