/* BTYD models: the published CDNOW fits reproduced from the raw sample
 * (2,357 customers, 39-week calibration ending 1997-09-30, same-day
 * purchases merged, time in weeks), predictions, and edge cases. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "../../src/domain/btyd.c"
#include "../../src/util/clock.c"

#define CDNOW MAITRED_TEST_DATA "/cdnow/CDNOW_sample.txt"
#define CDNOW_CUSTOMERS 2357

static struct btyd_customer cdnow[CDNOW_CUSTOMERS];

static int64_t day_of(long ymd)
{
	return clock_days_from_civil(ymd / 10000, (int)(ymd / 100 % 100), (int)(ymd % 100));
}

/* The sample is sorted by customer and date. */
static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(CDNOW, "r");
	assert_non_null(f);
	int64_t end = day_of(19970930);
	long master, id, ymd, cds;
	double dollars;
	int64_t first[CDNOW_CUSTOMERS + 1] = {0}, last[CDNOW_CUSTOMERS + 1] = {0};
	double day_spend[CDNOW_CUSTOMERS + 1] = {0}, repeat_spend[CDNOW_CUSTOMERS + 1] = {0};
	while (fscanf(f, "%ld %ld %ld %ld %lf", &master, &id, &ymd, &cds, &dollars) == 5) {
		assert_true(id >= 1 && id <= CDNOW_CUSTOMERS);
		struct btyd_customer *c = &cdnow[id - 1];
		int64_t d = day_of(ymd);
		if (!first[id]) {
			first[id] = last[id] = d;
			day_spend[id] = dollars;
			continue;
		}
		if (d > end)
			continue;
		if (d == last[id]) { /* same day: one purchase */
			day_spend[id] += dollars;
			if (c->x > 0)
				repeat_spend[id] += dollars;
			continue;
		}
		c->x++;
		last[id] = d;
		repeat_spend[id] += dollars;
	}
	fclose(f);
	for (int i = 1; i <= CDNOW_CUSTOMERS; i++) {
		struct btyd_customer *c = &cdnow[i - 1];
		assert_true(first[i] > 0);
		c->t_x = (double)(last[i] - first[i]) / 7;
		c->T = (double)(end - first[i]) / 7;
		c->m_x = c->x > 0 ? repeat_spend[i] / c->x : 0;
	}
	return 0;
}

static void the_sample_is_as_published(void **state)
{
	int repeaters = 0;
	double xs = 0;
	for (int i = 0; i < CDNOW_CUSTOMERS; i++) {
		repeaters += cdnow[i].x > 0;
		xs += cdnow[i].x;
	}
	assert_int_equal(repeaters, 946);
	printf("# CDNOW sample: %d customers, %d with repeat purchases, %.0f repeat purchases\n",
	       CDNOW_CUSTOMERS, repeaters, xs);
}

static void bgnbd_reproduces_cdnow(void **state)
{
	struct btyd_fit f;
	assert_true(btyd_fit(BTYD_BGNBD, cdnow, CDNOW_CUSTOMERS, NULL, &f));
	printf("# BG/NBD r=%.4f alpha=%.4f a=%.4f b=%.4f ll=%.4f (%d evaluations)\n", f.p[0], f.p[1],
	       f.p[2], f.p[3], f.loglik, f.evaluations);
	assert_true(fabs(f.loglik - -9582.43) < 0.01);
	assert_true(fabs(f.p[0] - 0.243) < 0.001);
	assert_true(fabs(f.p[1] - 4.414) < 0.005);
	assert_true(fabs(f.p[2] - 0.793) < 0.005);
	assert_true(fabs(f.p[3] - 2.426) < 0.01);
}

static void pnbd_reproduces_cdnow(void **state)
{
	struct btyd_fit f;
	assert_true(btyd_fit(BTYD_PNBD, cdnow, CDNOW_CUSTOMERS, NULL, &f));
	printf("# Pareto/NBD r=%.4f alpha=%.4f s=%.4f beta=%.4f ll=%.4f (%d evaluations)\n", f.p[0],
	       f.p[1], f.p[2], f.p[3], f.loglik, f.evaluations);
	assert_true(fabs(f.loglik - -9594.98) < 0.01);
	assert_true(fabs(f.p[0] - 0.553) < 0.005);
	assert_true(fabs(f.p[1] - 10.578) < 0.05);
	/* flat in s and beta */
	assert_true(fabs(f.p[2] - 0.606) < 0.05);
	assert_true(fabs(f.p[3] - 11.669) < 1.5);
}

static void gamma_gamma_reproduces_cdnow(void **state)
{
	struct btyd_fit f;
	assert_true(btyd_fit(BTYD_GG, cdnow, CDNOW_CUSTOMERS, NULL, &f));
	printf("# Gamma-Gamma p=%.4f q=%.4f gamma=%.4f ll=%.4f (%d evaluations)\n", f.p[0], f.p[1],
	       f.p[2], f.loglik, f.evaluations);
	assert_true(fabs(f.p[0] - 6.25) < 0.01);
	assert_true(fabs(f.p[1] - 3.74) < 0.01);
	assert_true(fabs(f.p[2] - 15.44) < 0.05);
}

static void mbgnbd_fits_cdnow(void **state)
{
	struct btyd_fit f;
	assert_true(btyd_fit(BTYD_MBGNBD, cdnow, CDNOW_CUSTOMERS, NULL, &f));
	printf("# MBG/NBD r=%.4f alpha=%.4f a=%.4f b=%.4f ll=%.4f\n", f.p[0], f.p[1], f.p[2], f.p[3],
	       f.loglik);
	/* no published figure here: it fits at least as well as near the BG/NBD
	 * and its likelihood is a maximum (no nearby point is better) */
	assert_true(isfinite(f.loglik) && f.loglik > -9700);
	for (int i = 0; i < 4; i++)
		for (int sign = -1; sign <= 1; sign += 2) {
			double q[4] = {f.p[0], f.p[1], f.p[2], f.p[3]};
			q[i] *= 1 + sign * 0.01;
			assert_true(btyd_loglik(BTYD_MBGNBD, q, cdnow, CDNOW_CUSTOMERS) <= f.loglik + 1e-6);
		}
}

/* Customer 1516 of the sample (x = 26, t_x = 30.86, T = 31) at the
 * published BG/NBD parameters: 25.758 expected purchases in the next 52
 * weeks, as the same formula gives in arbitrary precision (mpmath's
 * hyp2f1). */
static void bgnbd_predictions(void **state)
{
	double p[4] = {0.243, 4.414, 0.793, 2.426};
	struct btyd_customer c = {26, 30.86, 31, 0};
	double e = btyd_expected(BTYD_BGNBD, p, &c, 52);
	printf("# BG/NBD E[Y(52) | 26, 30.86, 31] = %.3f\n", e);
	assert_true(fabs(e - 25.758) < 0.001);
	/* one-time buyers are alive for BG/NBD, not for the others */
	struct btyd_customer once = {0, 0, 30, 0};
	assert_true(btyd_p_alive(BTYD_BGNBD, p, &once) == 1);
	assert_true(btyd_p_alive(BTYD_MBGNBD, p, &once) < 1);
	double pn[4] = {0.553, 10.578, 0.606, 11.669};
	assert_true(btyd_p_alive(BTYD_PNBD, pn, &once) < 1);
	/* a regular who stopped: low P(alive), less than one who kept coming */
	struct btyd_customer stopped = {12, 10, 38, 0}, steady = {12, 37.5, 38, 0};
	for (int m = 0; m < 3; m++) {
		const double *q = m == BTYD_PNBD ? pn : p;
		double a = btyd_p_alive((enum btyd_model)m, q, &stopped);
		double b = btyd_p_alive((enum btyd_model)m, q, &steady);
		assert_true(a >= 0 && a < 0.2 && b > 0.8 && b <= 1);
		assert_true(btyd_expected((enum btyd_model)m, q, &stopped, 13) <
			    btyd_expected((enum btyd_model)m, q, &steady, 13));
	}
}

static void edge_cases_stay_finite(void **state)
{
	double bg[4] = {0.243, 4.414, 0.793, 2.426}, pn[4] = {0.553, 10.578, 0.606, 11.669};
	struct btyd_customer cs[] = {
		{0, 0, 0, 0},	       /* just arrived */
		{0, 0, 38, 0},	       /* one visit long ago */
		{5, 38, 38, 0},	       /* t_x = T */
		{500, 38, 38, 0},      /* very heavy */
		{3, 0.0001, 1000, 0},  /* long gone */
		{40, 1e-3, 1e-3, 0},   /* many at once */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cs); i++)
		for (int m = 0; m < 3; m++) {
			const double *q = m == BTYD_PNBD ? pn : bg;
			double l = btyd_loglik1((enum btyd_model)m, q, &cs[i]);
			double pa = btyd_p_alive((enum btyd_model)m, q, &cs[i]);
			double e = btyd_expected((enum btyd_model)m, q, &cs[i], 13);
			assert_true(isfinite(l));
			assert_true(pa >= 0 && pa <= 1);
			assert_true(isfinite(e) && e >= 0);
		}
	/* near the singular points: alpha = beta, s = 1, a = 1 */
	double eq[4] = {0.5, 10, 0.6, 10}, s1[4] = {0.5, 10, 1, 12};
	struct btyd_customer c = {4, 20, 38, 0};
	assert_true(isfinite(btyd_loglik1(BTYD_PNBD, eq, &c)));
	assert_true(isfinite(btyd_expected(BTYD_PNBD, s1, &c, 13)));
	/* BG/NBD with a + b < 1: a negative c in 2F1 for a one-time buyer
	 * (mpmath: 0.2081317) */
	double small[4] = {0.3, 2, 0.4, 0.5};
	struct btyd_customer once = {0, 0, 10, 0};
	assert_true(fabs(btyd_expected(BTYD_BGNBD, small, &once, 10) - 0.2081317) < 1e-6);
	/* Pareto/NBD with beta far above alpha: 2F1 near z = 1 (mpmath: 0.7726) */
	double far[4] = {0.339, 0.00289, 0.924, 60.46};
	struct btyd_customer young = {0, 0, 12.4, 0};
	assert_true(fabs(btyd_p_alive(BTYD_PNBD, far, &young) - 0.7726) < 0.001);
	assert_true(isfinite(btyd_loglik1(BTYD_PNBD, far, &young)));
	double a1[4] = {0.3, 4, 1.0000001, 2};
	assert_true(isfinite(btyd_expected(BTYD_BGNBD, a1, &c, 13)));
	/* impossible data */
	struct btyd_customer bad = {2, 10, 5, 0};
	assert_true(btyd_loglik1(BTYD_BGNBD, bg, &bad) == -INFINITY);
	double neg[4] = {-1, 1, 1, 1};
	assert_true(btyd_loglik1(BTYD_BGNBD, neg, &c) == -INFINITY);
}

static void hypergeometric(void **state)
{
	/* 2F1(1,1;2;z) = -ln(1-z)/z */
	for (double z = 0.01; z < 0.999; z += 0.07)
		assert_true(fabs(exp(btyd_log_h2f1(1, 1, 2, z)) - (-log1p(-z) / z)) < 1e-9 * (-log1p(-z) / z));
	/* 2F1(a,b;b;z) = (1-z)^-a */
	assert_true(fabs(btyd_log_h2f1(2.5, 3, 3, 0.9) - (-2.5 * log(0.1))) < 1e-9);
	assert_true(isnan(btyd_log_h2f1(1, 1, 2, 1)));
}

static void spend_and_value(void **state)
{
	double gg[3] = {6.25, 3.74, 15.44};
	/* shrinks a customer's mean towards the population's */
	double pop = btyd_spend(gg, 0, 0);
	assert_true(fabs(pop - 6.25 * 15.44 / 2.74) < 1e-9);
	double one = btyd_spend(gg, 1, 100), many = btyd_spend(gg, 20, 100);
	assert_true(one > pop && one < 100 && many > one && many < 100);
	double bg[4] = {0.243, 4.414, 0.793, 2.426};
	struct btyd_customer c = {10, 36, 38, 0};
	double v = btyd_clv(BTYD_BGNBD, bg, &c, 30, 4.345, 12, 0.01, false);
	double va = btyd_clv(BTYD_BGNBD, bg, &c, 30, 4.345, 12, 0.01, true);
	assert_true(fabs(va * btyd_p_alive(BTYD_BGNBD, bg, &c) - v) < 1e-9 * v);
	double e = btyd_expected(BTYD_BGNBD, bg, &c, 4.345 * 12);
	assert_true(v > 0 && v < e * 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_sample_is_as_published),
		cmocka_unit_test(bgnbd_reproduces_cdnow),
		cmocka_unit_test(pnbd_reproduces_cdnow),
		cmocka_unit_test(gamma_gamma_reproduces_cdnow),
		cmocka_unit_test(mbgnbd_fits_cdnow),
		cmocka_unit_test(bgnbd_predictions),
		cmocka_unit_test(edge_cases_stay_finite),
		cmocka_unit_test(hypergeometric),
		cmocka_unit_test(spend_and_value),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
