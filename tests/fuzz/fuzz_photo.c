/* Fuzzes what a check's photo is (JPEG and PNG headers read from the bytes)
 * and opening hours (times and the overlap check): any bytes, never a
 * crash or a read past the end. */
#include "util/compat.h"
#include "domain/standards.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	int w = 0, h = 0;
	const char *t = photo_type(copy, size, &w, &h);
	if (t && (w <= 0 || h <= 0))
		abort();
	/* the bytes as a week of spans: day, opening and length */
	struct hours hs = {0};
	for (size_t i = 0; i + 5 <= size && hs.n < HOURS_MAX_SPANS; i += 5) {
		int opens = (copy[i + 1] << 8 | copy[i + 2]) % MINUTES_PER_DAY;
		int len = 1 + (copy[i + 3] << 8 | copy[i + 4]) % MINUTES_PER_DAY;
		hs.s[hs.n++] = (struct hours_span){copy[i] % 7, opens, opens + len};
	}
	int bad;
	if (!hours_check(&hs, &bad) && (bad < 0 || bad >= hs.n))
		abort();
	char time[6];
	if (size >= 5) {
		memcpy(time, copy, 5);
		time[5] = '\0';
		int m;
		if (hours_parse_time(time, size > 5, &m) && (m < 0 || m > MINUTES_PER_DAY))
			abort();
	}
	free(copy);
	return 0;
}
