/* Buy-till-you-die models of a customer base, from each customer's repeat
 * visits: BG/NBD, MBG/NBD and Pareto/NBD for how often customers come and
 * whether they are still customers, and Gamma-Gamma for what they spend.
 * Log-likelihoods, maximum-likelihood fits, P(alive), expected visits
 * ahead, expected spend and discounted lifetime value. Pure: no I/O.
 *
 * A customer is (x, t_x, T): x repeat visits (after the first), the last
 * at t_x, observed for T since the first; all times in one unit (weeks
 * here). For Gamma-Gamma, m_x is the mean spend of the x repeat visits. */
#ifndef MAITRED_BTYD_H
#define MAITRED_BTYD_H

#include "util/compat.h"

enum btyd_model { BTYD_BGNBD, BTYD_MBGNBD, BTYD_PNBD, BTYD_GG, BTYD__COUNT };

/* "bgnbd", "mbgnbd", "pnbd", "gg". */
extern const char *const btyd_model_names[];
/* The names of a model's parameters, in order: r alpha a b (BG/NBD and
 * MBG/NBD), r alpha s beta (Pareto/NBD), p q gamma (Gamma-Gamma). */
int btyd_nparams(enum btyd_model m);
const char *btyd_param_name(enum btyd_model m, int i);

struct btyd_customer {
	double x, t_x, T, m_x;
};

/* One customer's log-likelihood; -INFINITY for impossible data (t_x > T,
 * x > 0 with t_x = 0 is allowed). Gamma-Gamma needs x >= 1 and m_x > 0. */
double btyd_loglik1(enum btyd_model m, const double *p, const struct btyd_customer *c);
/* The sum over n customers (Gamma-Gamma: over those with x >= 1). */
double btyd_loglik(enum btyd_model m, const double *p, const struct btyd_customer *cs, size_t n);

struct btyd_fit {
	double p[4];
	double loglik;
	int evaluations;
	bool converged;
};
/* Maximises the log-likelihood over positive parameters (Nelder-Mead on
 * their logarithms, restarted until it stops improving). start may be
 * NULL for the model's usual starting point. False when no finite
 * likelihood was found. */
bool btyd_fit(enum btyd_model m, const struct btyd_customer *cs, size_t n, const double *start,
	      struct btyd_fit *out);

/* P(alive | x, t_x, T). BG/NBD counts a customer with no repeat visit as
 * alive (1); MBG/NBD and Pareto/NBD do not. */
double btyd_p_alive(enum btyd_model m, const double *p, const struct btyd_customer *c);
/* Expected visits in the next t, given the history. */
double btyd_expected(enum btyd_model m, const double *p, const struct btyd_customer *c, double t);
/* The same, given that the customer is still one (P(alive) = 1). */
double btyd_expected_alive(enum btyd_model m, const double *p, const struct btyd_customer *c,
			   double t);
/* Gamma-Gamma: expected spend per visit, given x visits with mean m_x (the
 * population mean for x = 0). Needs q > 1. */
double btyd_spend(const double *gg, double x, double m_x);
/* Discounted value of the visits expected over `periods` periods of length
 * `period` (time units), each worth `spend`, at `discount` per period:
 * sum over k of (E[Y(k period)] - E[Y((k-1) period)]) spend / (1+discount)^k;
 * alive_only: as if the customer were surely still one. */
double btyd_clv(enum btyd_model m, const double *p, const struct btyd_customer *c, double spend,
		double period, int periods, double discount, bool alive_only);

/* A customer drawn from the model (BG/NBD, MBG/NBD or Pareto/NBD) with
 * parameters p, observed for T after the first visit; *rng is the state of
 * a xorshift generator (not 0). m_x is a spend drawn from Gamma-Gamma gg
 * when gg is not NULL. For benchmarks and checks. */
void btyd_simulate(enum btyd_model m, const double *p, const double *gg, double T, uint64_t *rng,
		   struct btyd_customer *out);

/* CSV input: a header naming the columns (id, x, t_x, T and, for spend,
 * m_x; any order, each once), then one customer a line. */
enum btyd_column { BTYD_COL_ID, BTYD_COL_X, BTYD_COL_TX, BTYD_COL_T, BTYD_COL_MX };
#define BTYD_MAX_COLUMNS 5
#define BTYD_ID_MAX 64
/* Fills cols with the header's columns in order; returns how many, or -1
 * with err saying why. line has no newline. */
int btyd_csv_header(const char *line, int cols[BTYD_MAX_COLUMNS], char *err, size_t errlen);
/* Reads one row: id (1-63 bytes, no quotes) and the numbers (x a whole
 * number >= 0, 0 <= t_x <= T, finite, m_x >= 0; x = 0 needs t_x = 0).
 * False with err naming the column. */
bool btyd_csv_row(const char *line, const int *cols, int ncols, char id[BTYD_ID_MAX],
		  struct btyd_customer *c, char *err, size_t errlen);

/* log 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1 (NAN outside that
 * range or when the series does not converge). */
double btyd_log_h2f1(double a, double b, double c, double z);

#endif
