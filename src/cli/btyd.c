/* `maitred btyd fit` and `maitred btyd predict`: the customer-base models
 * for batch use and checking, on a CSV of customers (id,x,t_x,T[,m_x]). */
#include "util/compat.h"
#include "cli/cli.h"
#include "domain/btyd.h"
#include "util/clock.h"

#include <jansson.h>
#include <math.h>

#define CSV_LINE_MAX 1024
#define CSV_MAX_ROWS 20000000

struct table {
	size_t n, cap;
	struct btyd_customer *cs;
	char (*ids)[BTYD_ID_MAX];
	bool has_mx;
};

static void table_free(struct table *t)
{
	free(t->cs);
	free(t->ids);
}

/* Reads the CSV; prints the line and reason of the first error. */
static bool table_read(const char *path, struct table *t)
{
	memset(t, 0, sizeof(*t));
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(stderr, "maitred btyd: cannot read %s\n", path);
		return false;
	}
	char line[CSV_LINE_MAX + 3], err[160]; /* the line, \r\n, NUL */
	int cols[BTYD_MAX_COLUMNS], ncols = -1;
	size_t lineno = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof(line), f)) {
		lineno++;
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > CSV_LINE_MAX) {
			fprintf(stderr, "maitred btyd: %s:%zu: line too long\n", path, lineno);
			ok = false;
			break;
		}
		if (ncols < 0) {
			if ((ncols = btyd_csv_header(line, cols, err, sizeof(err))) < 0) {
				fprintf(stderr, "maitred btyd: %s:1: %s\n", path, err);
				ok = false;
			}
			for (int i = 0; i < ncols; i++)
				t->has_mx |= cols[i] == BTYD_COL_MX;
			continue;
		}
		if (len == 0)
			continue;
		if (t->n >= CSV_MAX_ROWS) {
			fprintf(stderr, "maitred btyd: %s: more than %d rows\n", path, CSV_MAX_ROWS);
			ok = false;
			break;
		}
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 1024;
			struct btyd_customer *cs = realloc(t->cs, cap * sizeof(*cs));
			if (cs)
				t->cs = cs;
			char(*ids)[BTYD_ID_MAX] = cs ? realloc(t->ids, cap * sizeof(*ids)) : NULL;
			if (ids)
				t->ids = ids;
			if (!cs || !ids) {
				fprintf(stderr, "maitred btyd: %s: out of memory\n", path);
				ok = false;
				break;
			}
			t->cap = cap;
		}
		if (!btyd_csv_row(line, cols, ncols, t->ids[t->n], &t->cs[t->n], err, sizeof(err))) {
			fprintf(stderr, "maitred btyd: %s:%zu: %s\n", path, lineno, err);
			ok = false;
			break;
		}
		t->n++;
	}
	if (ok && ncols < 0) {
		fprintf(stderr, "maitred btyd: %s is empty (it needs a header: id,x,t_x,T)\n", path);
		ok = false;
	}
	if (f != stdin)
		fclose(f);
	if (!ok)
		table_free(t);
	return ok;
}

static bool model_parse(const char *s, enum btyd_model *m)
{
	for (int i = 0; s && btyd_model_names[i]; i++)
		if (strcmp(s, btyd_model_names[i]) == 0) {
			*m = (enum btyd_model)i;
			return true;
		}
	fprintf(stderr, "maitred btyd: --model must be bgnbd, mbgnbd, pnbd or gg\n");
	return false;
}

int btyd_fit_run(const char *model, const char *input)
{
	enum btyd_model m;
	struct table t;
	if (!model_parse(model, &m) || !table_read(input, &t))
		return 2;
	if (m == BTYD_GG && !t.has_mx) {
		fprintf(stderr, "maitred btyd: gg needs an m_x column (mean spend of the repeat visits)\n");
		table_free(&t);
		return 2;
	}
	struct btyd_fit f;
	uint64_t t0 = clock_mono_ns();
	bool ok = t.n > 0 && btyd_fit(m, t.cs, t.n, NULL, &f);
	double seconds = (double)(clock_mono_ns() - t0) / 1e9;
	if (!ok) {
		fprintf(stderr, "maitred btyd: no fit: %s\n",
			t.n ? "the likelihood is nowhere finite" : "no customers");
		table_free(&t);
		return 1;
	}
	json_t *o = json_object();
	json_object_set_new(o, "model", json_string(btyd_model_names[m]));
	for (int i = 0; i < btyd_nparams(m); i++)
		json_object_set_new(o, btyd_param_name(m, i), json_real(f.p[i]));
	json_object_set_new(o, "log_likelihood", json_real(f.loglik));
	json_object_set_new(o, "customers", json_integer((json_int_t)t.n));
	json_object_set_new(o, "converged", json_boolean(f.converged));
	json_object_set_new(o, "evaluations", json_integer(f.evaluations));
	json_object_set_new(o, "fit_seconds", json_real(seconds));
	char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(o);
	table_free(&t);
	return s ? 0 : 1;
}

/* The parameters of model m from JSON as fit prints it. */
static bool params_parse(enum btyd_model m, const char *text, double *p)
{
	json_error_t je;
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	bool ok = json_is_object(o);
	if (!ok)
		fprintf(stderr, "maitred btyd: --params is not a JSON object: %s\n", je.text);
	const char *key;
	json_t *v;
	if (ok)
		json_object_foreach(o, key, v)
		{
			static const char *const info[] = {"log_likelihood", "customers", "converged",
							   "evaluations", "fit_seconds"};
			bool known = false;
			for (size_t i = 0; i < ARRAY_SIZE(info); i++)
				known |= strcmp(key, info[i]) == 0;
			if (strcmp(key, "model") == 0) {
				known = true;
				if (!json_is_string(v) || strcmp(json_string_value(v), btyd_model_names[m]) != 0) {
					fprintf(stderr, "maitred btyd: --params are for another model\n");
					ok = false;
				}
			}
			for (int i = 0; i < btyd_nparams(m); i++)
				known |= strcmp(key, btyd_param_name(m, i)) == 0;
			if (!known) {
				fprintf(stderr, "maitred btyd: --params: unknown key %s\n", key);
				ok = false;
			}
		}
	for (int i = 0; ok && i < btyd_nparams(m); i++) {
		v = json_object_get(o, btyd_param_name(m, i));
		p[i] = json_is_number(v) ? json_number_value(v) : -1;
		if (!(p[i] > 0) || !isfinite(p[i])) {
			fprintf(stderr, "maitred btyd: --params needs %s, a number above 0\n",
				btyd_param_name(m, i));
			ok = false;
		}
	}
	json_decref(o);
	return ok;
}

int btyd_predict_run(const char *model, const char *params, const char *spend_params,
		     const char *input, double horizon)
{
	enum btyd_model m;
	double p[4], gg[4];
	struct table t;
	if (!model_parse(model, &m) || !params_parse(m, params, p) ||
	    (spend_params && !params_parse(BTYD_GG, spend_params, gg)))
		return 2;
	if (m == BTYD_GG)
		memcpy(gg, p, sizeof(gg));
	bool spend = m == BTYD_GG || spend_params;
	if (!table_read(input, &t))
		return 2;
	if (spend && !t.has_mx) {
		fprintf(stderr, "maitred btyd: expected spend needs an m_x column\n");
		table_free(&t);
		return 2;
	}
	printf("id,p_alive,expected,expected_spend\n");
	for (size_t i = 0; i < t.n; i++) {
		const struct btyd_customer *c = &t.cs[i];
		printf("%s,", t.ids[i]);
		if (m == BTYD_GG) {
			printf(",,%.6g\n", btyd_spend(gg, c->x, c->m_x));
			continue;
		}
		double e = btyd_expected(m, p, c, horizon);
		printf("%.6g,%.6g,", btyd_p_alive(m, p, c), e);
		if (spend)
			printf("%.6g", e * btyd_spend(gg, c->x, c->m_x));
		printf("\n");
	}
	table_free(&t);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Customers who arrived evenly over the first SIMULATE_COHORT_WEEKS of a
 * `weeks`-long window, drawn from the model. */
#define SIMULATE_COHORT_WEEKS 12.0

int btyd_simulate_run(const char *model, const char *params, const char *spend_params,
		      long customers, double weeks, uint64_t seed)
{
	enum btyd_model m;
	double p[4], gg[4];
	if (!model_parse(model, &m) || !params_parse(m, params, p) ||
	    (spend_params && !params_parse(BTYD_GG, spend_params, gg)))
		return 2;
	if (m == BTYD_GG) {
		fprintf(stderr, "maitred btyd: simulate draws visits: bgnbd, mbgnbd or pnbd\n");
		return 2;
	}
	uint64_t rng = seed ? seed : 1;
	printf("id,x,t_x,T%s\n", spend_params ? ",m_x" : "");
	for (long i = 1; i <= customers; i++) {
		struct btyd_customer c;
		double T = weeks - SIMULATE_COHORT_WEEKS * ((double)(i % 1000) + 0.5) / 1000;
		btyd_simulate(m, p, spend_params ? gg : NULL, T > 0 ? T : weeks, &rng, &c);
		/* visits are dated by the day, as the visit history is */
		printf("c%ld,%.0f,%.6f,%.6f", i, c.x, floor(c.t_x * 7) / 7, floor(c.T * 7) / 7);
		if (spend_params)
			printf(",%.2f", c.m_x);
		printf("\n");
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
