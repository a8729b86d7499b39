/* Buy-till-you-die models (see btyd.h). Everything is computed in log space;
 * the Gaussian hypergeometric function is summed as a series of positive
 * terms, after Euler's transformation when that keeps the terms positive
 * and shortens the series. */
#include "util/compat.h"
#include "domain/btyd.h"

#include <float.h>
#include <math.h>
#include <pthread.h>

#define H2F1_MAX_TERMS 200000
#define H2F1_EPS 1e-15
#define FIT_MAX_EVALS 4000
#define FIT_TOL 1e-10
#define FIT_RESTARTS 4
#define FIT_SAMPLE 20000 /* customers a large base's first fit looks at */
#define LOG_PARAM_MIN -20.0 /* parameters stay within e^±20 */
#define LOG_PARAM_MAX 20.0

const char *const btyd_model_names[] = {"bgnbd", "mbgnbd", "pnbd", "gg", NULL};

static const char *const param_names[BTYD__COUNT][4] = {
	{"r", "alpha", "a", "b"},
	{"r", "alpha", "a", "b"},
	{"r", "alpha", "s", "beta"},
	{"p", "q", "gamma", NULL},
};

int btyd_nparams(enum btyd_model m)
{
	return m == BTYD_GG ? 3 : 4;
}

const char *btyd_param_name(enum btyd_model m, int i)
{
	return (unsigned)m < BTYD__COUNT && i >= 0 && i < 4 ? param_names[m][i] : NULL;
}

/* log(e^x + e^y) */
static double log_add(double x, double y)
{
	if (x == -INFINITY)
		return y;
	if (y == -INFINITY)
		return x;
	double hi = x > y ? x : y, lo = x > y ? y : x;
	return hi + log1p(exp(lo - hi));
}

/* log(e^x - e^y), x >= y; -INFINITY when equal. */
static double log_sub(double x, double y)
{
	if (y == -INFINITY)
		return x;
	if (y >= x)
		return -INFINITY;
	return x + log1p(-exp(y - x));
}

/* lgamma without its global sign variable, so sums can run on two threads. */
static double lgam(double x)
{
	int sign;
	return lgamma_r(x, &sign);
}

static double lbeta(double a, double b)
{
	return lgam(a) + lgam(b) - lgam(a + b);
}

/* Sum of a series of positive terms t_0 = 1, t_{n+1} = t_n (a+n)(b+n) /
 * ((c+n)(n+1)) z, as its logarithm; the running sum is rescaled when it
 * grows large (heavy customers make terms like e^3000). NAN when it does
 * not converge in time. */
#define H2F1_RESCALE 1e250

static double h2f1_series_log(double a, double b, double c, double z)
{
	double term = 1, sum = 1, scale = 0; /* log of what sum and term were divided by */
	for (int n = 0; n < H2F1_MAX_TERMS; n++) {
		term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
		sum += term;
		if (term <= sum * H2F1_EPS)
			return log(sum) + scale;
		if (sum > H2F1_RESCALE) {
			sum /= H2F1_RESCALE;
			term /= H2F1_RESCALE;
			scale += log(H2F1_RESCALE);
		}
		if (!isfinite(sum))
			return NAN;
	}
	return NAN;
}

/* The same series with terms of either sign (c, or the parameters of the
 * connection formula below, may be negative): its value as sign and log. */
static bool h2f1_series_signed(double a, double b, double c, double z, double *log_abs, int *sign)
{
	double term = 1, sum = 1, scale = 0;
	for (int n = 0; n < H2F1_MAX_TERMS; n++) {
		term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
		sum += term;
		if (c + n > 0 && fabs(term) <= fabs(sum) * H2F1_EPS) {
			if (sum == 0)
				return false;
			*sign = sum > 0 ? 1 : -1;
			*log_abs = log(fabs(sum)) + scale;
			return true;
		}
		if (fabs(sum) > H2F1_RESCALE) {
			sum /= H2F1_RESCALE;
			term /= H2F1_RESCALE;
			scale += log(H2F1_RESCALE);
		}
		if (!isfinite(sum) || !isfinite(term))
			return false;
	}
	return false;
}

/* log |Γ(x)| and its sign. */
static double lgam_sign(double x, int *sign)
{
	return lgamma_r(x, sign);
}

/* For z near 1 with d = c-a-b > 0 (not whole), where the series crawls:
 * 2F1(a,b;c;z) = Γ(c)Γ(d)/(Γ(c-a)Γ(c-b)) 2F1(a,b;1-d;1-z)
 *              + (1-z)^d Γ(c)Γ(-d)/(Γ(a)Γ(b)) 2F1(c-a,c-b;1+d;1-z). */
static double h2f1_near_one_log(double a, double b, double c, double z)
{
	double d = c - a - b, w = 1 - z, l1, l2;
	int s1, s2, g[6];
	if (!h2f1_series_signed(a, b, 1 - d, w, &l1, &s1) ||
	    !h2f1_series_signed(c - a, c - b, 1 + d, w, &l2, &s2))
		return NAN;
	double t1 = lgam_sign(c, &g[0]) + lgam_sign(d, &g[1]) - lgam_sign(c - a, &g[2]) -
		    lgam_sign(c - b, &g[3]) + l1;
	double t2 = d * log(w) + lgam_sign(c, &g[0]) + lgam_sign(-d, &g[4]) - lgam_sign(a, &g[5]) -
		    lgam(b) + l2;
	int sign1 = s1 * g[0] * g[1] * g[2] * g[3], sign2 = s2 * g[0] * g[4] * g[5];
	double hi = t1 > t2 ? t1 : t2;
	double v = sign1 * exp(t1 - hi) + sign2 * exp(t2 - hi);
	return v > 0 ? hi + log(v) : NAN;
}

double btyd_log_h2f1(double a, double b, double c, double z)
{
	if (!(a > 0 && b > 0 && z >= 0 && z < 1) || !isfinite(c) || (c <= 0 && c == floor(c)))
		return NAN;
	if (z == 0)
		return 0;
	double d = c - a - b;
	/* Euler: 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z). With c-a
	 * and c-b positive its terms stay positive; it pays when c-a-b < 0
	 * (the series of the original grows like (1-z)^(c-a-b)). */
	if (c - a > 0 && c - b > 0 && d < 0 && z > 0.1)
		return d * log1p(-z) + h2f1_series_log(c - a, c - b, c, z);
	if (c > 0 && d > 0 && z > 0.9 && fabs(d - round(d)) > 1e-6) {
		double v = h2f1_near_one_log(a, b, c, z);
		if (!isnan(v))
			return v;
	}
	if (c > 0)
		return h2f1_series_log(a, b, c, z);
	double l;
	int sign;
	return h2f1_series_signed(a, b, c, z, &l, &sign) && sign > 0 ? l : NAN;
}

/* 2F1 of either sign, as log |2F1| and its sign (c may be negative). */
static bool h2f1_signed(double a, double b, double c, double z, double *log_abs, int *sign)
{
	if (c > 0) {
		*sign = 1;
		*log_abs = btyd_log_h2f1(a, b, c, z);
		return !isnan(*log_abs);
	}
	if (!(a > 0 && b > 0 && z >= 0 && z < 1) || c == floor(c))
		return false;
	return h2f1_series_signed(a, b, c, z, log_abs, sign);
}

/* ---- log-likelihoods ---- */

static double ll_bgnbd(const double *p, const struct btyd_customer *c, bool modified)
{
	double r = p[0], alpha = p[1], a = p[2], b = p[3], x = c->x;
	double head = lgam(r + x) - lgam(r) + r * log(alpha) - lbeta(a, b);
	double t1 = lbeta(a, b + x + (modified ? 1 : 0)) - (r + x) * log(alpha + c->T);
	double t2 = -INFINITY;
	if (modified)
		t2 = lbeta(a + 1, b + x) - (r + x) * log(alpha + c->t_x);
	else if (x > 0)
		t2 = lbeta(a + 1, b + x - 1) - (r + x) * log(alpha + c->t_x);
	return head + log_add(t1, t2);
}

/* One of the two hypergeometric terms of the Pareto/NBD likelihood's A0
 * (Fader, Hardie and Lee's note), at time t (t_x or T). */
static double pnbd_log_term(double r, double alpha, double s, double beta, double x, double t)
{
	double rsx = r + s + x;
	bool a_big = alpha >= beta;
	double big = a_big ? alpha : beta;
	return btyd_log_h2f1(rsx, a_big ? s + 1 : r + x, rsx + 1, fabs(alpha - beta) / (big + t)) -
	       rsx * log(big + t);
}

/* log A0: the term at t_x less the term at T. */
static double pnbd_log_a0(double r, double alpha, double s, double beta, double x, double t_x,
			  double T)
{
	return log_sub(pnbd_log_term(r, alpha, s, beta, x, t_x), pnbd_log_term(r, alpha, s, beta, x, T));
}

static double ll_pnbd(const double *p, const struct btyd_customer *c)
{
	double r = p[0], alpha = p[1], s = p[2], beta = p[3], x = c->x;
	double head = lgam(r + x) - lgam(r) + r * log(alpha) + s * log(beta);
	double t1 = -(r + x) * log(alpha + c->T) - s * log(beta + c->T);
	double t2 = log(s / (r + s + x)) + pnbd_log_a0(r, alpha, s, beta, x, c->t_x, c->T);
	return head + log_add(t1, t2);
}

static double ll_gg(const double *p, const struct btyd_customer *c)
{
	double pp = p[0], q = p[1], g = p[2], x = c->x, m = c->m_x;
	return lgam(pp * x + q) - lgam(pp * x) - lgam(q) + q * log(g) + (pp * x - 1) * log(m) +
	       pp * x * log(x) - (pp * x + q) * log(g + m * x);
}

static bool params_ok(enum btyd_model m, const double *p)
{
	for (int i = 0; i < btyd_nparams(m); i++)
		if (!(p[i] > 0) || !isfinite(p[i]))
			return false;
	return true;
}

static double loglik1(enum btyd_model m, const double *p, const struct btyd_customer *c);

double btyd_loglik1(enum btyd_model m, const double *p, const struct btyd_customer *c)
{
	double l = loglik1(m, p, c);
	return isnan(l) ? -INFINITY : l; /* a numeric failure counts as impossible */
}

static double loglik1(enum btyd_model m, const double *p, const struct btyd_customer *c)
{
	if (!params_ok(m, p) || !(c->x >= 0) || !(c->t_x >= 0) || !(c->T >= c->t_x) || !isfinite(c->T))
		return -INFINITY;
	switch (m) {
	case BTYD_BGNBD:
		return ll_bgnbd(p, c, false);
	case BTYD_MBGNBD:
		return ll_bgnbd(p, c, true);
	case BTYD_PNBD:
		return ll_pnbd(p, c);
	case BTYD_GG:
		return c->x >= 1 && c->m_x > 0 && isfinite(c->m_x) ? ll_gg(p, c) : -INFINITY;
	default:
		return -INFINITY;
	}
}

/* Terms that depend on x alone, tabulated once per evaluation for whole
 * x up to XTAB_MAX (repeat visits are counts): the sum then costs a few
 * logarithms a customer instead of a dozen log-gamma functions. */
#define XTAB_MAX 512

struct xtab {
	int n;		      /* x in [0, n) tabulated */
	double head[XTAB_MAX]; /* BG/NBD: everything but the exponential terms */
	double t1[XTAB_MAX], t2[XTAB_MAX];
};

static int xtab_size(const struct btyd_customer *cs, size_t n)
{
	double xmax = 0;
	for (size_t i = 0; i < n; i++) {
		if (cs[i].x != floor(cs[i].x) || cs[i].x >= XTAB_MAX)
			return 0;
		if (cs[i].x > xmax)
			xmax = cs[i].x;
	}
	return (int)xmax + 1;
}

static void xtab_fill(struct xtab *t, enum btyd_model m, const double *p, int n)
{
	t->n = n;
	double r = p[0], alpha = p[1], lg = 0; /* lgam(r + x) - lgam(r), summed */
	if (m == BTYD_BGNBD || m == BTYD_MBGNBD) {
		double a = p[2], b = p[3], lb = lbeta(a, b);
		int mod = m == BTYD_MBGNBD;
		for (int x = 0; x < n; x++) {
			t->head[x] = lg + r * log(alpha) - lb;
			t->t1[x] = lbeta(a, b + x + mod);
			t->t2[x] = mod ? lbeta(a + 1, b + x) : x > 0 ? lbeta(a + 1, b + x - 1) : -INFINITY;
			lg += log(r + x);
		}
	} else if (m == BTYD_PNBD) {
		for (int x = 0; x < n; x++) {
			t->head[x] = lg + r * log(alpha) + p[2] * log(p[3]);
			lg += log(r + x);
		}
	} else if (m == BTYD_GG) {
		for (int x = 1; x < n; x++) {
			double px = p[0] * x;
			t->head[x] = lgam(px + p[1]) - lgam(px) - lgam(p[1]) + p[1] * log(p[2]) +
				     px * log((double)x);
		}
	}
}

static double ll_tab(enum btyd_model m, const double *p, const struct xtab *t,
		     const struct btyd_customer *c)
{
	int x = (int)c->x;
	double r = p[0], alpha = p[1];
	switch (m) {
	case BTYD_BGNBD:
	case BTYD_MBGNBD:
		return t->head[x] + log_add(t->t1[x] - (r + x) * log(alpha + c->T),
					    t->t2[x] - (r + x) * log(alpha + c->t_x));
	case BTYD_PNBD: {
		double s = p[2], beta = p[3];
		double t1 = -(r + x) * log(alpha + c->T) - s * log(beta + c->T);
		double t2 = log(s / (r + s + x)) + pnbd_log_a0(r, alpha, s, beta, x, c->t_x, c->T);
		return t->head[x] + log_add(t1, t2);
	}
	case BTYD_GG: {
		double px = p[0] * x;
		return t->head[x] + (px - 1) * log(c->m_x) - (px + p[1]) * log(p[2] + c->m_x * x);
	}
	default:
		return -INFINITY;
	}
}

static bool customer_ok(enum btyd_model m, const struct btyd_customer *c)
{
	if (!(c->x >= 0) || !(c->t_x >= 0) || !(c->T >= c->t_x) || !isfinite(c->T))
		return false;
	return m != BTYD_GG || (c->m_x > 0 && isfinite(c->m_x));
}

/* What a sum runs over: customers (grouped, with weights, or not), the
 * size of the x tables (0: none), and for Pareto/NBD each customer's index
 * among the distinct T (tidx, -1 or NULL: not cached). */
struct sum_input {
	enum btyd_model m;
	const double *p;
	const struct btyd_customer *cs;
	const double *w;
	const int *tidx;
	size_t n;
	int ntab;
	double result;
};

#define TCACHE_MAX 2048	       /* distinct T a Pareto/NBD sum caches terms for */
#define PARALLEL_MIN 20000     /* customers worth a second thread */
#define SUM_THREADS 2

static void *sum_run(void *arg)
{
	struct sum_input *in = arg;
	enum btyd_model m = in->m;
	const double *p = in->p;
	struct xtab *tab = NULL;
	if (in->ntab > 0 && (tab = malloc(sizeof(*tab))))
		xtab_fill(tab, m, p, in->ntab);
	/* Pareto/NBD: the term at T depends on (x, T) alone, and customers come
	 * sorted by x, so one row of terms per x serves them all */
	double *tcache = m == BTYD_PNBD && in->tidx ? malloc(sizeof(double) * TCACHE_MAX) : NULL;
	double cached_x = -1, last_x = -1, last_tx = -1, last_l1 = 0;
	double sum = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct btyd_customer *c = &in->cs[i];
		if (m == BTYD_GG && c->x < 1)
			continue;
		double l;
		if (!tab || !customer_ok(m, c)) {
			l = btyd_loglik1(m, p, c);
		} else if (m == BTYD_PNBD) {
			double r = p[0], alpha = p[1], s = p[2], beta = p[3], x = c->x;
			if (!(x == last_x && c->t_x == last_tx)) {
				last_l1 = pnbd_log_term(r, alpha, s, beta, x, c->t_x);
				last_x = x;
				last_tx = c->t_x;
			}
			int ti = tcache && in->tidx[i] >= 0 ? in->tidx[i] : -1;
			if (ti >= 0 && cached_x != x) {
				for (int k = 0; k < TCACHE_MAX; k++)
					tcache[k] = NAN;
				cached_x = x;
			}
			double l2 = ti >= 0 ? tcache[ti] : NAN;
			if (isnan(l2)) {
				l2 = pnbd_log_term(r, alpha, s, beta, x, c->T);
				if (ti >= 0)
					tcache[ti] = l2;
			}
			double t1 = -(r + x) * log(alpha + c->T) - s * log(beta + c->T);
			double t2 = log(s / (r + s + x)) + log_sub(last_l1, l2);
			l = tab->head[(int)x] + log_add(t1, t2);
		} else {
			l = ll_tab(m, p, tab, c);
		}
		if (!isfinite(l)) {
			sum = -INFINITY;
			break;
		}
		sum += in->w ? in->w[i] * l : l;
	}
	free(tab);
	free(tcache);
	in->result = sum;
	return NULL;
}

/* The weighted sum (w NULL: weight 1), with tables when the x allow, on two
 * threads for a large base. */
static double loglik_sum(enum btyd_model m, const double *p, const struct btyd_customer *cs,
			 const double *w, const int *tidx, size_t n, int ntab)
{
	if (!params_ok(m, p))
		return -INFINITY;
	struct sum_input part[SUM_THREADS];
	int parts = n >= PARALLEL_MIN ? SUM_THREADS : 1;
	pthread_t th[SUM_THREADS];
	bool started[SUM_THREADS] = {false};
	size_t from = 0;
	for (int k = 0; k < parts; k++) {
		size_t to = k + 1 == parts ? n : n / (size_t)parts * (size_t)(k + 1);
		part[k] = (struct sum_input){m, p, cs + from, w ? w + from : NULL,
					     tidx ? tidx + from : NULL, to - from, ntab, 0};
		from = to;
		if (k > 0)
			started[k] = pthread_create(&th[k], NULL, sum_run, &part[k]) == 0;
	}
	sum_run(&part[0]);
	double sum = part[0].result;
	for (int k = 1; k < parts; k++) {
		if (started[k])
			pthread_join(th[k], NULL);
		else
			sum_run(&part[k]); /* no thread to be had: do it here */
		sum += part[k].result;
	}
	return sum;
}

double btyd_loglik(enum btyd_model m, const double *p, const struct btyd_customer *cs, size_t n)
{
	return loglik_sum(m, p, cs, NULL, NULL, n, xtab_size(cs, n));
}

/* ---- fitting ---- */

struct objective {
	enum btyd_model m;
	const struct btyd_customer *cs;
	const double *w;   /* how many customers each stands for */
	const int *tidx;   /* Pareto/NBD: index of each T among the distinct ones */
	size_t n;
	int ntab;
	int evals;
};

/* The negative log-likelihood at exp(v); +INFINITY where undefined. */
static double neg_ll(struct objective *o, const double *v)
{
	double p[4];
	int k = btyd_nparams(o->m);
	for (int i = 0; i < k; i++) {
		if (!(v[i] >= LOG_PARAM_MIN && v[i] <= LOG_PARAM_MAX))
			return INFINITY;
		p[i] = exp(v[i]);
	}
	o->evals++;
	double l = loglik_sum(o->m, p, o->cs, o->w, o->tidx, o->n, o->ntab);
	return isfinite(l) ? -l : INFINITY;
}

/* Nelder-Mead from v (k dimensions) with an initial step; leaves the best
 * point in v and returns its value. */
static double nelder_mead(struct objective *o, double *v, int k, double step, int max_evals)
{
	double s[5][4], f[5];
	for (int i = 0; i <= k; i++) {
		memcpy(s[i], v, sizeof(double) * (size_t)k);
		if (i > 0)
			s[i][i - 1] += step;
		f[i] = neg_ll(o, s[i]);
	}
	int start = o->evals;
	while (o->evals - start < max_evals) {
		/* order: best first */
		for (int i = 1; i <= k; i++)
			for (int j = i; j > 0 && f[j] < f[j - 1]; j--) {
				double t = f[j];
				f[j] = f[j - 1];
				f[j - 1] = t;
				for (int d = 0; d < k; d++) {
					t = s[j][d];
					s[j][d] = s[j - 1][d];
					s[j - 1][d] = t;
				}
			}
		if (isfinite(f[k]) && fabs(f[k] - f[0]) <= FIT_TOL * (1 + fabs(f[0])))
			break;
		double c[4] = {0}, xr[4], xe[4], xc[4];
		for (int i = 0; i < k; i++)
			for (int d = 0; d < k; d++)
				c[d] += s[i][d] / k;
		for (int d = 0; d < k; d++)
			xr[d] = c[d] + (c[d] - s[k][d]);
		double fr = neg_ll(o, xr);
		if (fr < f[0]) {
			for (int d = 0; d < k; d++)
				xe[d] = c[d] + 2 * (c[d] - s[k][d]);
			double fe = neg_ll(o, xe);
			bool e = fe < fr;
			memcpy(s[k], e ? xe : xr, sizeof(double) * (size_t)k);
			f[k] = e ? fe : fr;
		} else if (fr < f[k - 1]) {
			memcpy(s[k], xr, sizeof(double) * (size_t)k);
			f[k] = fr;
		} else {
			bool outside = fr < f[k];
			for (int d = 0; d < k; d++)
				xc[d] = outside ? c[d] + 0.5 * (xr[d] - c[d]) : c[d] + 0.5 * (s[k][d] - c[d]);
			double fc = neg_ll(o, xc);
			if (fc < (outside ? fr : f[k])) {
				memcpy(s[k], xc, sizeof(double) * (size_t)k);
				f[k] = fc;
			} else { /* shrink towards the best */
				for (int i = 1; i <= k; i++) {
					for (int d = 0; d < k; d++)
						s[i][d] = s[0][d] + 0.5 * (s[i][d] - s[0][d]);
					f[i] = neg_ll(o, s[i]);
				}
			}
		}
	}
	int best = 0;
	for (int i = 1; i <= k; i++)
		if (f[i] < f[best])
			best = i;
	memcpy(v, s[best], sizeof(double) * (size_t)k);
	return f[best];
}

static int customer_cmp(const void *x, const void *y)
{
	const struct btyd_customer *a = x, *b = y;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->t_x != b->t_x)
		return a->t_x < b->t_x ? -1 : 1;
	if (a->T != b->T)
		return a->T < b->T ? -1 : 1;
	return (a->m_x > b->m_x) - (a->m_x < b->m_x);
}

/* Customers with the same history counted once, with a weight. */
static size_t group(const struct btyd_customer *cs, size_t n, struct btyd_customer *out, double *w)
{
	memcpy(out, cs, n * sizeof(*cs));
	qsort(out, n, sizeof(*out), customer_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && customer_cmp(&out[k - 1], &out[i]) == 0) {
			w[k - 1]++;
			continue;
		}
		out[k] = out[i];
		w[k++] = 1;
	}
	return k;
}

static int double_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Each customer's index among the distinct T, when there are at most
 * TCACHE_MAX of them (as when the base came in over a few months and is
 * dated by the day); NULL otherwise. */
static int *t_index(const struct btyd_customer *cs, size_t n)
{
	double *ts = malloc(n * sizeof(*ts));
	int *idx = malloc(n * sizeof(*idx));
	if (!ts || !idx) {
		free(ts);
		free(idx);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		ts[i] = cs[i].T;
	qsort(ts, n, sizeof(*ts), double_cmp);
	size_t nt = 0;
	for (size_t i = 0; i < n; i++)
		if (nt == 0 || ts[nt - 1] != ts[i])
			ts[nt++] = ts[i];
	if (nt > TCACHE_MAX) {
		free(ts);
		free(idx);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const double *at = bsearch(&cs[i].T, ts, nt, sizeof(*ts), double_cmp);
		idx[i] = at ? (int)(at - ts) : -1;
	}
	free(ts);
	return idx;
}

/* Nelder-Mead from v, then restarts with a small simplex until it stops
 * improving; returns the best value. */
static double minimise(struct objective *o, double *v, int k, double step, bool *converged)
{
	double f = nelder_mead(o, v, k, step, FIT_MAX_EVALS);
	*converged = false;
	for (int i = 0; i < FIT_RESTARTS && isfinite(f); i++) {
		double g = nelder_mead(o, v, k, 0.05, FIT_MAX_EVALS);
		bool gained = g < f - FIT_TOL * (1 + fabs(f));
		f = g;
		if (!gained) {
			*converged = true;
			break;
		}
	}
	return f;
}

bool btyd_fit(enum btyd_model m, const struct btyd_customer *cs, size_t n, const double *start,
	      struct btyd_fit *out)
{
	static const double starts[BTYD__COUNT][4] = {
		{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 0}};
	memset(out, 0, sizeof(*out));
	if ((unsigned)m >= BTYD__COUNT || n == 0)
		return false;
	struct btyd_customer *g = malloc(n * sizeof(*g));
	double *w = malloc(n * sizeof(*w));
	if (!g || !w) {
		free(g);
		free(w);
		return false;
	}
	size_t ng = group(cs, n, g, w);
	int k = btyd_nparams(m);
	double v[4];
	for (int i = 0; i < k; i++)
		v[i] = log(start && start[i] > 0 ? start[i] : starts[m][i]);
	if (m == BTYD_GG && !(start && start[2] > 0)) { /* gamma near the mean spend scale */
		double sum = 0, cnt = 0;
		for (size_t i = 0; i < ng; i++)
			if (g[i].x >= 1 && g[i].m_x > 0) {
				sum += w[i] * g[i].m_x;
				cnt += w[i];
			}
		v[2] = log(cnt > 0 ? sum / cnt : 1);
	}
	int ntab = xtab_size(g, ng);
	int evals = 0;
	double step = 0.5;
	bool converged;
	if (ng > FIT_SAMPLE && !start) {
		/* a large base: find the neighbourhood on an even sample first */
		size_t ns = 0;
		struct btyd_customer *sc = malloc(FIT_SAMPLE * sizeof(*sc) + sizeof(*sc));
		double *sw = malloc(FIT_SAMPLE * sizeof(*sw) + sizeof(*sw));
		if (sc && sw) {
			/* every (ng / FIT_SAMPLE)-th history: light and heavy alike */
			for (; ns < FIT_SAMPLE; ns++) {
				size_t i = (size_t)((double)ns * (double)ng / FIT_SAMPLE);
				sc[ns] = g[i];
				sw[ns] = w[i];
			}
			struct objective so = {m, sc, sw, NULL, ns, xtab_size(sc, ns), 0};
			double sv[4];
			memcpy(sv, v, sizeof(v));
			if (isfinite(minimise(&so, sv, k, step, &converged))) {
				memcpy(v, sv, sizeof(v));
				step = 0.05;
			}
			evals += so.evals;
		}
		free(sc);
		free(sw);
	}
	int *tidx = m == BTYD_PNBD ? t_index(g, ng) : NULL;
	struct objective o = {m, g, w, tidx, ng, ntab, 0};
	double f = minimise(&o, v, k, step, &converged);
	free(g);
	free(w);
	free(tidx);
	if (!isfinite(f))
		return false;
	for (int i = 0; i < k; i++)
		out->p[i] = exp(v[i]);
	out->loglik = -f;
	out->evaluations = evals + o.evals;
	out->converged = converged;
	return true;
}

/* ---- predictions ---- */

double btyd_p_alive(enum btyd_model m, const double *p, const struct btyd_customer *c)
{
	double r = p[0], alpha = p[1], x = c->x;
	if (m == BTYD_BGNBD || m == BTYD_MBGNBD) {
		double a = p[2], b = p[3];
		if (m == BTYD_BGNBD && x == 0)
			return 1;
		double lodds = log(a) - log(b + x - (m == BTYD_BGNBD ? 1 : 0)) +
			       (r + x) * (log(alpha + c->T) - log(alpha + c->t_x));
		return 1 / (1 + exp(lodds));
	}
	if (m == BTYD_PNBD) {
		double s = p[2], beta = p[3];
		double lodds = log(s / (r + s + x)) + (r + x) * log(alpha + c->T) + s * log(beta + c->T) +
			       pnbd_log_a0(r, alpha, s, beta, x, c->t_x, c->T);
		if (isnan(lodds))
			return NAN;
		return 1 / (1 + exp(lodds));
	}
	return NAN;
}

/* Expected visits in the next t, given the history and, when alive_only,
 * given that the customer is still one. */
static double expected(enum btyd_model m, const double *p, const struct btyd_customer *c, double t,
		       bool alive_only)
{
	double r = p[0], alpha = p[1], x = c->x, T = c->T;
	if (!(t > 0))
		return 0;
	if (m == BTYD_BGNBD || m == BTYD_MBGNBD) {
		double a = p[2], b = p[3];
		int mod = m == BTYD_MBGNBD;
		/* (a+b+x-1+mod)/(a-1) (1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+mod;
		 * a+b+x-1+mod; t/(α+T+t))) × P(alive) */
		double c2 = a + b + x - 1 + mod;
		double lh;
		int sign;
		if (!h2f1_signed(r + x, b + x + mod, c2, t / (alpha + T + t), &lh, &sign))
			return NAN;
		double lratio = (r + x) * (log(alpha + T) - log(alpha + T + t)) + lh;
		/* 1 - sign e^lratio */
		double bracket = sign > 0 ? -expm1(lratio) : 1 + exp(lratio);
		double e = c2 / (a - 1) * bracket;
		if (e < 0 && e > -1e-9)
			e = 0; /* rounding at a = 1 or t near 0 */
		if (!isfinite(e) || e < 0)
			return NAN;
		return alive_only ? e : e * btyd_p_alive(m, p, c);
	}
	if (m == BTYD_PNBD) {
		double s = p[2], beta = p[3];
		double frac = fabs(s - 1) < 1e-9 ? log((beta + T + t) / (beta + T))
						  : -expm1((s - 1) * (log(beta + T) - log(beta + T + t))) / (s - 1);
		double e = (r + x) * (beta + T) / (alpha + T) * frac;
		return alive_only ? e : e * btyd_p_alive(m, p, c);
	}
	return NAN;
}

double btyd_expected(enum btyd_model m, const double *p, const struct btyd_customer *c, double t)
{
	return expected(m, p, c, t, false);
}

double btyd_expected_alive(enum btyd_model m, const double *p, const struct btyd_customer *c,
			   double t)
{
	return expected(m, p, c, t, true);
}

double btyd_spend(const double *gg, double x, double m_x)
{
	double pp = gg[0], q = gg[1], g = gg[2];
	if (!(q > 1))
		return NAN;
	if (!(x >= 1) || !(m_x > 0))
		return pp * g / (q - 1); /* the population's mean */
	return (g + m_x * x) * pp / (pp * x + q - 1);
}

double btyd_clv(enum btyd_model m, const double *p, const struct btyd_customer *c, double spend,
		double period, int periods, double discount, bool alive_only)
{
	double total = 0, prev = 0, factor = 1;
	for (int k = 1; k <= periods; k++) {
		double e = expected(m, p, c, k * period, alive_only);
		if (!isfinite(e))
			return NAN;
		factor /= 1 + discount;
		total += (e - prev) * spend * factor;
		prev = e;
	}
	return total;
}

/* ---- simulation ---- */

static double uniform(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return ((double)(*s >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
}

static double normal(uint64_t *s)
{
	return sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
}

/* Gamma(shape k, scale 1): Marsaglia and Tsang, boosted below shape 1. */
static double gamma_draw(uint64_t *s, double k)
{
	if (k < 1)
		return gamma_draw(s, k + 1) * pow(uniform(s), 1 / k);
	double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
	for (;;) {
		double z = normal(s), v = 1 + c * z;
		if (v <= 0)
			continue;
		v = v * v * v;
		double u = uniform(s);
		if (log(u) < 0.5 * z * z + d - d * v + d * log(v))
			return d * v;
	}
}

void btyd_simulate(enum btyd_model m, const double *p, const double *gg, double T, uint64_t *rng,
		   struct btyd_customer *out)
{
	memset(out, 0, sizeof(*out));
	out->T = T;
	double lambda = gamma_draw(rng, p[0]) / p[1], t = 0;
	double drop = 0, life = INFINITY;
	if (m == BTYD_PNBD)
		life = -log(uniform(rng)) / (gamma_draw(rng, p[2]) / p[3]);
	else {
		double ga = gamma_draw(rng, p[2]), gb = gamma_draw(rng, p[3]);
		drop = ga / (ga + gb);
		if (m == BTYD_MBGNBD && uniform(rng) < drop)
			life = 0; /* MBG/NBD may leave after the first visit */
	}
	double spend_rate = 0;
	if (gg)
		spend_rate = gamma_draw(rng, gg[1]) / gg[2]; /* nu ~ Gamma(q, gamma) */
	double spent = 0;
	for (;;) {
		t += -log(uniform(rng)) / lambda;
		if (t > T || t > life)
			break;
		out->x++;
		out->t_x = t;
		if (gg)
			spent += gamma_draw(rng, gg[0]) / spend_rate; /* z ~ Gamma(p, nu) */
		if (m != BTYD_PNBD && uniform(rng) < drop)
			break;
	}
	if (gg && out->x > 0)
		out->m_x = spent / out->x;
}

/* ---- CSV ---- */

static const char *const column_names[] = {"id", "x", "t_x", "T", "m_x"};

int btyd_csv_header(const char *line, int cols[BTYD_MAX_COLUMNS], char *err, size_t errlen)
{
	int n = 0;
	const char *p = line;
	for (;;) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < BTYD_MAX_COLUMNS; i++)
			if (strlen(column_names[i]) == len && strncmp(p, column_names[i], len) == 0)
				found = i;
		if (found < 0) {
			snprintf(err, errlen, "unknown column '%.*s' (the columns are id, x, t_x, T, m_x)",
				 (int)(len > 40 ? 40 : len), p);
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (cols[i] == found) {
				snprintf(err, errlen, "column %s given twice", column_names[found]);
				return -1;
			}
		if (n == BTYD_MAX_COLUMNS)
			return -1;
		cols[n++] = found;
		if (!p[len])
			break;
		p += len + 1;
	}
	for (int need = BTYD_COL_ID; need <= BTYD_COL_T; need++) {
		bool have = false;
		for (int i = 0; i < n; i++)
			have |= cols[i] == need;
		if (!have) {
			snprintf(err, errlen, "the header needs id, x, t_x and T; %s is missing",
				 column_names[need]);
			return -1;
		}
	}
	return n;
}

static bool number(const char *s, size_t len, double *out)
{
	char buf[64];
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789.eE+-", buf[i]))
			return false; /* no "nan", "inf", spaces or hex */
	char *end;
	double v = strtod(buf, &end);
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool btyd_csv_row(const char *line, const int *cols, int ncols, char id[BTYD_ID_MAX],
		  struct btyd_customer *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	const char *p = line;
	for (int i = 0; i < ncols; i++) {
		size_t len = strcspn(p, ",");
		if ((p[len] == ',') != (i + 1 < ncols)) {
			snprintf(err, errlen, "expected %d columns", ncols);
			return false;
		}
		const char *name = column_names[cols[i]];
		if (cols[i] == BTYD_COL_ID) {
			if (len == 0 || len >= BTYD_ID_MAX || memchr(p, '"', len)) {
				snprintf(err, errlen, "id must be 1-%d characters without quotes",
					 BTYD_ID_MAX - 1);
				return false;
			}
			memcpy(id, p, len);
			id[len] = '\0';
		} else {
			double v;
			if (!number(p, len, &v) || v < 0 || v > 1e12) {
				snprintf(err, errlen, "%s must be a number from 0", name);
				return false;
			}
			double *field[] = {NULL, &c->x, &c->t_x, &c->T, &c->m_x};
			*field[cols[i]] = v;
		}
		p += len + (p[len] == ',');
	}
	if (c->x != floor(c->x)) {
		snprintf(err, errlen, "x must be a whole number of repeat visits");
		return false;
	}
	if (c->t_x > c->T) {
		snprintf(err, errlen, "t_x must not be after T");
		return false;
	}
	if (c->x == 0 && c->t_x != 0) {
		snprintf(err, errlen, "t_x must be 0 when x is 0");
		return false;
	}
	return true;
}
