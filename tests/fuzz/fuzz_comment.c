/* Fuzzes comment analysis: any bytes in, a score in [-1, 1], a label and
 * themes out, never a crash or a read past the end. The bytes are copied
 * to a buffer of exactly their size, so ASan sees any overrun. */
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
	free(copy);
	return 0;
}
