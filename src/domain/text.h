/* Text for search: Unicode folding (case and accents), and the keys a guest
 * is found by. Pure: no I/O. Every returned string is malloc'd. */
#ifndef MAITRED_TEXT_H
#define MAITRED_TEXT_H

#include "util/compat.h"

#define TEXT_MAX_TERMS 32
#define TEXT_MAX_TERM_BYTES 128

struct text_terms {
	char *terms[TEXT_MAX_TERMS];
	int n;
};

/* Case-folded, accents stripped, NFC; NULL if s is not valid UTF-8. */
char *text_fold(const char *s);
/* Search keys of a guest: name words, phone digits (whole, national form
 * and last four), the email (whole and its words) and the card (whole and
 * its words). Duplicates removed. */
void text_guest_terms(const char *name, const char *phone, const char *email, const char *card,
		      struct text_terms *out);
/* Words of a search query, each to be matched as a prefix; false if q is not
 * valid UTF-8. A query with an @ is one word; a phone-like one its digits;
 * otherwise words as in names ("O'Brien" and "o.brien" are "obrien"). */
bool text_query_words(const char *q, struct text_terms *out);
void text_terms_release(struct text_terms *t);
/* A full-text (FTS5) query matching every whitespace-separated word of q as
 * a prefix, into out. Each word is quoted, so nothing in q is query syntax,
 * and left as typed: the index's tokenizer folds and splits it the way it
 * did the text ("o'brien" finds "O'Brien"). False when q has no words or
 * out is too small. */
bool text_fts_query(const char *q, char *out, size_t outlen);
/* The first n characters (code points) of s, into out. */
void text_prefix(const char *s, int n, char *out, size_t outlen);
/* Lower-cases the ASCII letters of an email address in place. */
void text_email_normalize(char *email);
/* Number of code points in valid UTF-8 s. */
size_t text_chars(const char *s);
/* The digits of s, into out; returns how many. */
size_t text_digits(const char *s, char *out, size_t outlen);

#endif
