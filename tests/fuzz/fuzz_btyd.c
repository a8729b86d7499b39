/* Fuzzes the customer CSV of `maitred btyd` (header, then rows) and the
 * models on what it accepts: never a crash, and for histories of up to
 * 10,000 visits over up to 10,000 weeks, P(alive) in [0, 1] and finite,
 * non-negative expected visits for every model. */
#include "util/compat.h"
#include "domain/btyd.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct btyd_customer *c)
{
	static const double bg[4] = {0.243, 4.414, 0.793, 2.426}, pn[4] = {0.553, 10.578, 0.606, 11.669};
	static const double gg[3] = {6.25, 3.74, 15.44};
	if (c->x > 10000 || c->T > 10000)
		return;
	for (int m = BTYD_BGNBD; m <= BTYD_PNBD; m++) {
		const double *p = m == BTYD_PNBD ? pn : bg;
		double pa = btyd_p_alive((enum btyd_model)m, p, c);
		double e = btyd_expected((enum btyd_model)m, p, c, 13);
		if (!(pa >= 0 && pa <= 1) || !(e >= 0) || !isfinite(e))
			abort();
		(void)btyd_loglik1((enum btyd_model)m, p, c);
	}
	if (!(btyd_spend(gg, c->x, c->m_x) > 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	int cols[BTYD_MAX_COLUMNS], ncols = -1;
	char err[160], id[BTYD_ID_MAX];
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (ncols < 0) {
			if ((ncols = btyd_csv_header(line, cols, err, sizeof(err))) < 0)
				break;
			continue;
		}
		struct btyd_customer c;
		if (btyd_csv_row(line, cols, ncols, id, &c, err, sizeof(err))) {
			if (strlen(id) == 0 || strlen(id) >= BTYD_ID_MAX)
				abort();
			check(&c);
		}
	}
	free(text);
	return 0;
}
