/* Fuzzes comment analysis: any bytes in, a score in [-1, 1], a label and
 * themes out, never a crash or a read past the end (the bytes are copied
 * to a buffer of exactly their size, so ASan sees any overrun); and the
 * same bytes as a taxonomy file. */
#include "util/compat.h"
#include "domain/sentiment.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sentiment *s;
	if (!s && !(s = sentiment_new(sent_default_themes, sent_default_nthemes)))
		abort();
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	struct sent_result r;
	sentiment_analyze(s, copy, size, &r);
	if (!(r.score >= -1 && r.score <= 1) || !r.label || r.nthemes > sent_default_nthemes)
		abort();
	for (int i = 0; i < r.nthemes; i++)
		if (!(r.themes[i].score >= -1 && r.themes[i].score <= 1) ||
		    !sentiment_theme_name(s, r.themes[i].theme))
			abort();
	char *text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		struct sent_taxonomy t;
		char err[160];
		if (sent_taxonomy_parse(text, &t, err, sizeof(err))) {
			if (t.n < 1 || t.n > SENT_MAX_THEMES)
				abort();
			for (int i = 0; i < t.n; i++)
				if (!t.themes[i].name[0] || !t.themes[i].words[0])
					abort();
			sent_taxonomy_free(&t);
		}
		free(text);
	}
	free(copy);
	return 0;
}
