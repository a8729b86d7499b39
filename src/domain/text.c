/* Folding and search keys (see text.h). utf8proc does the Unicode work. */
#include "util/compat.h"
#include "domain/text.h"

#include <ctype.h>
#include <utf8proc.h>


char *text_fold(const char *s)
{
	/* Plain ASCII folds to lower case; utf8proc is for the rest. */
	size_t n = 0;
	while (s[n] && !((unsigned char)s[n] & 0x80))
		n++;
	if (!s[n]) {
		char *out = malloc(n + 1);
		if (!out)
			return NULL;
		for (size_t i = 0; i <= n; i++)
			out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		return out;
	}
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
						  UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
						  UTF8PROC_IGNORE);
	if (len < 0)
		return NULL;
	return (char *)out;
}

void text_email_normalize(char *email)
{
	for (char *p = email; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
}

size_t text_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void text_prefix(const char *s, int n, char *out, size_t outlen)
{
	size_t i = 0;
	int chars = 0;
	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == n)
				break;
			chars++;
		}
		i++;
	}
	if (i >= outlen)
		i = outlen - 1;
	/* never cut a character in half */
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	memcpy(out, s, i);
	out[i] = '\0';
}

size_t text_digits(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	for (; *s && n + 1 < outlen; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
	out[n] = '\0';
	return n;
}

static void terms_add(struct text_terms *t, const char *s, size_t len)
{
	if (len == 0 || t->n == TEXT_MAX_TERMS)
		return;
	if (len > TEXT_MAX_TERM_BYTES) {
		len = TEXT_MAX_TERM_BYTES;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--; /* cut at a character boundary */
	}
	for (int i = 0; i < t->n; i++)
		if (strlen(t->terms[i]) == len && memcmp(t->terms[i], s, len) == 0)
			return;
	char *c = malloc(len + 1);
	if (!c)
		return;
	memcpy(c, s, len);
	c[len] = '\0';
	t->terms[t->n++] = c;
}

static bool is_word_char(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
		return true;
	default:
		return false;
	}
}

/* Apostrophes and dots join ("O'Brien" is "obrien"); other punctuation and
 * spaces separate words. */
static bool is_joiner(utf8proc_int32_t c)
{
	return c == '\'' || c == 0x2019 || c == '.';
}

/* Adds the words of folded text f to t. */
static void add_words(struct text_terms *t, const char *f)
{
	char word[TEXT_MAX_TERM_BYTES + 8];
	size_t wl = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)f;
	for (;;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
		if (k <= 0 || c == 0 || (!is_word_char(c) && !is_joiner(c))) {
			terms_add(t, word, wl);
			wl = 0;
			if (k <= 0 || c == 0)
				break;
		} else if (!is_joiner(c) && wl + (size_t)k <= TEXT_MAX_TERM_BYTES) {
			memcpy(word + wl, p, (size_t)k);
			wl += (size_t)k;
		}
		p += k;
	}
}

/* Lower-case ASCII letters and digits of s: the form a card is typed in. */
static void add_alnum(struct text_terms *t, const char *f)
{
	char key[TEXT_MAX_TERM_BYTES + 1];
	size_t n = 0;
	const char *p = f;
	for (; *p && n < TEXT_MAX_TERM_BYTES; p++)
		if (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80))
			key[n++] = (char)tolower((unsigned char)*p);
	if (((unsigned char)*p & 0xC0) == 0x80) {
		/* full in the middle of a character: drop its first bytes too */
		while (n > 0 && ((unsigned char)key[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0)
			n--;
	}
	terms_add(t, key, n);
}

/* Length of the country calling code that starts an international number.
 * ITU codes are prefix-free: 1 and 7 stand alone, these are two digits long,
 * and all others three. */
static size_t country_code_len(const char *d)
{
	static const char two[] = "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 "
				  "53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 "
				  "93 94 95 98";
	if (d[0] == '1' || d[0] == '7')
		return 1;
	for (const char *p = two; *p; p += p[2] ? 3 : 2)
		if (p[0] == d[0] && p[1] == d[1])
			return 2;
	return 3;
}

/* Numbers are also typed as dialled at home: "07700 900123" or
 * "7700 900123" for "+44 7700 900123"; "7700 900123" for "07700 900123". */
static void add_national(struct text_terms *t, const char *phone, const char *d, size_t n)
{
	while (*phone == ' ' || *phone == '(')
		phone++;
	size_t skip = 0;
	if (phone[0] == '+')
		skip = country_code_len(d);
	else if (d[0] == '0' && d[1] == '0')
		skip = 2 + country_code_len(d + 2);
	else
		while (skip < n && d[skip] == '0')
			skip++; /* a trunk prefix */
	if (skip == 0 || n < skip + 4)
		return;
	char national[TEXT_MAX_TERM_BYTES + 2] = "0";
	size_t len = n - skip;
	memcpy(national + 1, d + skip, len + 1);
	terms_add(t, national + 1, len);
	terms_add(t, national, len + 1);
}

void text_guest_terms(const char *name, const char *phone, const char *email, const char *card,
		      struct text_terms *out)
{
	out->n = 0;
	if (name) {
		char *f = text_fold(name);
		if (f)
			add_words(out, f);
		free(f);
	}
	if (phone) {
		char d[64];
		size_t n = text_digits(phone, d, sizeof(d));
		if (n >= 4) {
			terms_add(out, d, n);
			terms_add(out, d + n - 4, 4);
		}
		add_national(out, phone, d, n);
	}
	if (email) {
		char *f = text_fold(email);
		if (f) {
			terms_add(out, f, strlen(f));
			add_words(out, f); /* "dalya.moss" finds dalya.moss@… */
		}
		free(f);
	}
	if (card) {
		char *f = text_fold(card);
		if (f) {
			add_alnum(out, f);
			add_words(out, f);
		}
		free(f);
	}
}

static bool phone_like(const char *q)
{
	size_t digits = 0;
	for (const char *p = q; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" +-().", *p))
			return false;
	}
	return digits > 0;
}

bool text_query_words(const char *q, struct text_terms *out)
{
	out->n = 0;
	char *f = text_fold(q);
	if (!f)
		return false;
	/* trim */
	char *s = f;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	bool spaced = strpbrk(s, " \t") != NULL;
	if (phone_like(s)) {
		char d[TEXT_MAX_TERM_BYTES];
		size_t n = text_digits(s, d, sizeof(d));
		terms_add(out, d, n);
	} else if (!spaced && strchr(s, '@')) {
		terms_add(out, s, len);
	} else {
		add_words(out, s);
	}
	free(f);
	return true;
}

void text_terms_release(struct text_terms *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->terms[i]);
	t->n = 0;
}

bool text_fts_query(const char *q, char *out, size_t outlen)
{
	static const char space[] = " \t\r\n\f\v";
	size_t used = 0;
	for (;;) {
		q += strspn(q, space);
		size_t n = strcspn(q, space);
		if (n == 0)
			break;
		/* a space, two quotes, a star, every quote doubled, and the NUL */
		size_t need = n + 5;
		for (size_t k = 0; k < n; k++)
			need += q[k] == '"';
		if (need > outlen - used)
			return false;
		if (used)
			out[used++] = ' ';
		out[used++] = '"';
		for (size_t k = 0; k < n; k++) {
			if (q[k] == '"')
				out[used++] = '"';
			out[used++] = q[k];
		}
		out[used++] = '"';
		out[used++] = '*';
		q += n;
	}
	if (used == 0)
		return false;
	out[used] = '\0';
	return true;
}
