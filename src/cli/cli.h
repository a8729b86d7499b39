/* Command-line helpers shared by the commands in main.c and cli/. */
#ifndef MAITRED_CLI_H
#define MAITRED_CLI_H

#include "util/compat.h"
#include "store/db.h"

/* Opens and migrates the database; prints the reason and returns NULL. */
struct db *cli_open_db(const char *path);

struct demo_options {
	int guests;	   /* how many guests */
	int locations;	   /* 1 or 2 */
	uint32_t seed;	   /* for repeatable data */
	bool quiet;
};

/* Fills a fresh database with realistic guests and visit histories. */
int demo_seed(struct db *db, const struct demo_options *o);

/* `maitred analyze`: comments from in, one per line; JSON lines to out. */
struct sent_theme;
int analyze_run(FILE *in, FILE *out, const struct sent_theme *themes, int nthemes);
/* A taxonomy of themes from a file (see sent_taxonomy_parse); prints why
 * not and returns false. */
struct sent_taxonomy;
bool cli_load_themes(const char *cmd, const char *path, struct sent_taxonomy *out);

/* `maitred btyd fit|predict` (see cli/btyd.c); exit statuses. */
int btyd_fit_run(const char *model, const char *input);
/* spend_params: Gamma-Gamma parameters for expected_spend, or NULL. */
int btyd_predict_run(const char *model, const char *params, const char *spend_params,
		     const char *input, double horizon);
int btyd_simulate_run(const char *model, const char *params, const char *spend_params,
		      long customers, double weeks, uint64_t seed);

#endif
