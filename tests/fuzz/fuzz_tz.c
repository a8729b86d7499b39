/* Fuzzes the time zone readers: any bytes as a TZif file and as a POSIX TZ
 * rule; what parses must give offsets within a day of UTC and wall-clock
 * conversions that land near their input, never a crash or a read past the
 * end. */
#include "util/compat.h"
#include "domain/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void probe(const struct tz *z)
{
	static const int64_t times[] = {INT64_MIN / 4, -2000000000LL, 0, 1796342400LL, 2240611200LL,
					4102444800LL, INT64_MAX / 4};
	for (size_t i = 0; i < ARRAY_SIZE(times); i++) {
		int32_t off = tz_offset(z, times[i]);
		if (off < -26 * 3600 || off > 26 * 3600)
			abort();
		int64_t u = tz_to_utc(z, times[i]);
		if (u < times[i] - 2 * 86400 || u > times[i] + 2 * 86400)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tz z;
	unsigned char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (tz_parse(&z, copy, size))
		probe(&z);
	memset(&z, 0, sizeof(z));
	z.ntypes = 1;
	if (tz_rule_parse(&z.rule, (const char *)copy, size)) {
		if (z.rule.std_off < -25 * 3600 || z.rule.std_off > 25 * 3600)
			abort();
		probe(&z);
	}
	free(copy);
	return 0;
}
