/* maitred: one table of commands, each a function. */
#include "util/compat.h"
#include "cli/cli.h"
#include "api/api.h"
#include "net/auth.h"
#include "net/http.h"
#include "net/routes.h"
#include "net/worker.h"
#include "util/clock.h"
#include "util/log.h"
#include "domain/text.h"

#include <unistd.h>

#define DEFAULT_DB "maitred.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEMO_PASSWORD "maitred-demo"
#define MAX_OPTS 12

/* Options as --name value pairs, checked against what a command accepts. */
struct opts {
	int n;
	const char *name[MAX_OPTS];
	const char *value[MAX_OPTS];
};

static const char *opt(const struct opts *o, const char *name, const char *dflt)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->name[i], name) == 0)
			return o->value[i];
	return dflt;
}

static bool parse_opts(int argc, char **argv, const char *const *allowed, struct opts *o, const char *cmd)
{
	o->n = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "maitred %s: unexpected argument '%s'\n", cmd, a);
			return false;
		}
		bool known = false;
		for (const char *const *k = allowed; *k; k++)
			known |= strcmp(*k, a + 2) == 0;
		if (!known) {
			fprintf(stderr, "maitred %s: unknown option '%s'\n", cmd, a);
			return false;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "maitred %s: option '%s' needs a value\n", cmd, a);
			return false;
		}
		if (opt(o, a + 2, NULL)) {
			fprintf(stderr, "maitred %s: option '%s' given twice\n", cmd, a);
			return false;
		}
		if (o->n == MAX_OPTS)
			return false;
		o->name[o->n] = a + 2;
		o->value[o->n] = argv[++i];
		o->n++;
	}
	return true;
}

static bool opt_int(const struct opts *o, const char *name, int64_t min, int64_t max, int64_t dflt,
		    int64_t *out, const char *cmd)
{
	const char *s = opt(o, name, NULL);
	if (!s) {
		*out = dflt;
		return true;
	}
	if (parse_i64(s, min, max, out))
		return true;
	fprintf(stderr, "maitred %s: --%s must be a number from %lld to %lld\n", cmd, name,
		(long long)min, (long long)max);
	return false;
}

struct db *cli_open_db(const char *path)
{
	char err[512];
	struct db *db = db_open(path, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "maitred: %s\n", err);
		return NULL;
	}
	if (!db_migrate(db, err, sizeof(err))) {
		fprintf(stderr, "maitred: %s\n", err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Creates the first location when there is none. */
static bool ensure_location(struct db *db, const char *name, const char *tz, const char *currency)
{
	int64_t n = 0;
	if (locations_count(db, &n) != DB_ROW)
		return false;
	if (n > 0)
		return true;
	struct location l = {.name = name, .timezone = tz, .currency = currency, .created_at = clock_now()};
	return locations_insert(db, &l) == DB_ROW;
}

static int cmd_init(int argc, char **argv)
{
	static const char *const allowed[] = {"db", "location-name", "timezone", "currency", NULL};
	struct opts o;
	if (!parse_opts(argc, argv, allowed, &o, "init"))
		return 2;
	struct db *db = cli_open_db(opt(&o, "db", DEFAULT_DB));
	if (!db)
		return 1;
	bool ok = ensure_location(db, opt(&o, "location-name", "Main"), opt(&o, "timezone", "UTC"),
				  opt(&o, "currency", "EUR"));
	db_close(db);
	if (!ok) {
		fprintf(stderr, "maitred init: cannot create the first location\n");
		return 1;
	}
	printf("database ready: %s\n", opt(&o, "db", DEFAULT_DB));
	return 0;
}

/* Reads a password from standard input: the first line, without its newline. */
static bool read_password(char *out, size_t outlen)
{
	if (!fgets(out, (int)outlen, stdin))
		return false;
	size_t n = strlen(out);
	if (n == outlen - 1 && out[n - 1] != '\n')
		return false; /* longer than allowed: refuse rather than truncate */
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return true;
}

static int add_user(const char *dbpath, const char *email, const char *name, const char *role,
		    int64_t location, const char *password)
{
	if (!role_parse(role)) {
		fprintf(stderr, "maitred user add: --role must be owner, manager, host or kitchen\n");
		return 2;
	}
	char hash[crypto_pwhash_STRBYTES];
	if (!auth_hash_password(password, hash)) {
		fprintf(stderr, "maitred user add: the password must be %d to %d bytes\n",
			PASSWORD_MIN_BYTES, PASSWORD_MAX_BYTES);
		return 2;
	}
	struct db *db = cli_open_db(dbpath);
	if (!db)
		return 1;
	int64_t now = clock_now();
	struct staff s = {.email = email, .name = name, .role = role, .password_hash = hash,
			  .created_at = now, .updated_at = now};
	int rcode = 1;
	enum db_rc rc = db_begin(db, true);
	struct arena a;
	arena_init(&a);
	struct location l;
	if (rc == DB_OK && location > 0 && locations_get(db, &a, location, &l) != DB_ROW) {
		fprintf(stderr, "maitred user add: location %lld does not exist\n", (long long)location);
		rcode = 2;
		goto out;
	}
	rc = staff_insert(db, &s);
	if (rc == DB_CONSTRAINT) {
		fprintf(stderr, "maitred user add: a staff member with email %s already exists\n", email);
		rcode = 2;
		goto out;
	}
	if (rc != DB_ROW)
		goto out;
	/* Without --location, the new account works at every location. */
	struct location *all;
	int n;
	if (locations_list(db, &a, &all, &n) != DB_DONE)
		goto out;
	int64_t *ids = arena_alloc(&a, sizeof(int64_t) * (size_t)(n + 1));
	int nids = 0;
	if (location > 0)
		ids[nids++] = location;
	else
		for (int i = 0; i < n; i++)
			ids[nids++] = all[i].id;
	if (staff_locations_set(db, s.id, ids, nids) != DB_DONE)
		goto out;
	if (events_add(db, (struct actor){-1, -1}, "staff.created", -1, -1, s.id, NULL) != DB_DONE)
		goto out;
	if (db_commit(db) == DB_OK)
		rcode = 0;
out:
	if (rcode)
		db_rollback(db);
	if (rcode == 1)
		fprintf(stderr, "maitred user add: %s\n", db_errmsg(db));
	arena_release(&a);
	db_close(db);
	return rcode;
}

static int cmd_user(int argc, char **argv)
{
	static const char *const allowed[] = {"db", "email", "name", "role", "location", NULL};
	if (argc < 1 || strcmp(argv[0], "add") != 0) {
		fprintf(stderr, "usage: maitred user add --db PATH --email E --name N "
				"--role owner|manager|host|kitchen [--location ID] < password\n");
		return 2;
	}
	struct opts o;
	int64_t location;
	if (!parse_opts(argc - 1, argv + 1, allowed, &o, "user add") ||
	    !opt_int(&o, "location", 1, INT64_MAX, 0, &location, "user add"))
		return 2;
	const char *email = opt(&o, "email", NULL), *name = opt(&o, "name", NULL), *role = opt(&o, "role", NULL);
	if (!email || !name || !role) {
		fprintf(stderr, "maitred user add: --email, --name and --role are required\n");
		return 2;
	}
	if (!strchr(email, '@')) {
		fprintf(stderr, "maitred user add: --email must be an email address\n");
		return 2;
	}
	char password[PASSWORD_MAX_BYTES + 2];
	if (!read_password(password, sizeof(password))) {
		fprintf(stderr, "maitred user add: give the password (%d to %d bytes) on standard input\n",
			PASSWORD_MIN_BYTES, PASSWORD_MAX_BYTES);
		return 2;
	}
	char lower[256];
	snprintf(lower, sizeof(lower), "%s", email);
	text_email_normalize(lower);
	int rc = add_user(opt(&o, "db", DEFAULT_DB), lower, name, role, location, password);
	sodium_memzero(password, sizeof(password));
	if (rc == 0)
		printf("added %s (%s)\n", email, role);
	return rc;
}

static int cmd_token(int argc, char **argv)
{
	static const char *const allowed[] = {"db", "name", "role", "location", NULL};
	if (argc < 1 || strcmp(argv[0], "create") != 0) {
		fprintf(stderr, "usage: maitred token create --db PATH --name N --role ROLE [--location ID]\n");
		return 2;
	}
	struct opts o;
	int64_t location;
	if (!parse_opts(argc - 1, argv + 1, allowed, &o, "token create") ||
	    !opt_int(&o, "location", 1, INT64_MAX, -1, &location, "token create"))
		return 2;
	const char *name = opt(&o, "name", NULL), *role = opt(&o, "role", NULL);
	if (!name || !role) {
		fprintf(stderr, "maitred token create: --name and --role are required\n");
		return 2;
	}
	if (!role_parse(role)) {
		fprintf(stderr, "maitred token create: --role must be owner, manager, host or kitchen\n");
		return 2;
	}
	struct db *db = cli_open_db(opt(&o, "db", DEFAULT_DB));
	if (!db)
		return 1;
	char token[AUTH_TOKEN_HEX], hash[AUTH_TOKEN_HEX];
	auth_new_token(token);
	auth_token_hash(token, hash);
	struct api_token t = {.name = name, .role = role, .location_id = location};
	struct arena a;
	arena_init(&a);
	struct location l;
	int rcode = 1;
	if (db_begin(db, true) != DB_OK)
		goto out;
	if (location > 0 && locations_get(db, &a, location, &l) != DB_ROW) {
		fprintf(stderr, "maitred token create: location %lld does not exist\n", (long long)location);
		rcode = 2;
		goto out;
	}
	if (tokens_insert(db, hash, &t, clock_now()) != DB_ROW ||
	    events_add(db, (struct actor){-1, -1}, "token.created", location, -1, t.id, NULL) != DB_DONE ||
	    db_commit(db) != DB_OK)
		goto out;
	printf("%s\n", token);
	rcode = 0;
out:
	if (rcode) {
		db_rollback(db);
		if (rcode == 1)
			fprintf(stderr, "maitred token create: %s\n", db_errmsg(db));
	}
	sodium_memzero(token, sizeof(token));
	arena_release(&a);
	db_close(db);
	return rcode;
}

static int cmd_serve(int argc, char **argv)
{
	static const char *const allowed[] = {"db", "listen", "threads", "timeout", "max-conn-per-ip",
					      "themes", NULL};
	struct opts o;
	int64_t threads, timeout, per_ip;
	if (!parse_opts(argc, argv, allowed, &o, "serve") ||
	    !opt_int(&o, "threads", 0, 256, 0, &threads, "serve") ||
	    !opt_int(&o, "timeout", 1, 3600, 30, &timeout, "serve") ||
	    !opt_int(&o, "max-conn-per-ip", 1, 100000, 512, &per_ip, "serve"))
		return 2;
	struct sent_taxonomy themes = {0};
	const char *themes_path = opt(&o, "themes", NULL);
	if (themes_path) {
		if (!cli_load_themes("serve", themes_path, &themes))
			return 2;
		/* fail now, not on the first comment */
		struct sentiment *check = sentiment_new(themes.themes, themes.n);
		if (!check) {
			fprintf(stderr, "maitred serve: cannot build the analyser for %s\n", themes_path);
			sent_taxonomy_free(&themes);
			return 1;
		}
		sentiment_free(check);
		feedback_themes_set(themes.themes, themes.n);
	}
	const char *path = opt(&o, "db", DEFAULT_DB);
	struct db *db = cli_open_db(path);
	if (!db) {
		sent_taxonomy_free(&themes);
		return 1;
	}
	db_close(db);
	struct http_config cfg = {
		.db_path = path,
		.listen = opt(&o, "listen", DEFAULT_LISTEN),
		.threads = (unsigned)threads,
		.timeout_seconds = (unsigned)timeout,
		.per_ip_connections = (unsigned)per_ip,
	};
	int rc = http_run(&cfg);
	sent_taxonomy_free(&themes);
	return rc;
}

static int cmd_demo(int argc, char **argv)
{
	static const char *const allowed[] = {"db", "guests", "seed", NULL};
	struct opts o;
	int64_t guests, seed;
	if (!parse_opts(argc, argv, allowed, &o, "demo") ||
	    !opt_int(&o, "guests", 1, 10000000, 300, &guests, "demo") ||
	    !opt_int(&o, "seed", 1, UINT32_MAX, 20261122, &seed, "demo"))
		return 2;
	const char *path = opt(&o, "db", "demo.db");
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "maitred demo: %s already exists; remove it or choose another --db\n", path);
		return 2;
	}
	struct db *db = cli_open_db(path);
	if (!db)
		return 1;
	bool ok = ensure_location(db, "Harbour Street Café", "Europe/London", "GBP");
	db_close(db);
	if (!ok)
		return 1;
	/* staff first, so the cases the demo opens have the manager as owner */
	static const struct {
		const char *email, *name, *role;
		int64_t location;
	} people[] = {
		{"owner@demo.example", "Olive Owner", "owner", 0},
		{"manager@demo.example", "Manny Manager", "manager", 1},
		{"host@demo.example", "Hana Host", "host", 1},
		{"kitchen@demo.example", "Kit Chen", "kitchen", 1},
	};
	int rc;
	for (size_t i = 0; i < ARRAY_SIZE(people); i++)
		if ((rc = add_user(path, people[i].email, people[i].name, people[i].role,
				   people[i].location, DEMO_PASSWORD)))
			return rc;
	struct demo_options d = {.guests = (int)guests, .locations = 2, .seed = (uint32_t)seed};
	db = cli_open_db(path);
	rc = db ? demo_seed(db, &d) : 1;
	db_close(db);
	if (rc)
		return rc;
	printf("demo database ready: %s (%lld guests, 2 locations)\n", path, (long long)guests);
	printf("sign in as owner@demo.example (or manager@, host@, kitchen@demo.example) "
	       "with password %s\n", DEMO_PASSWORD);
	return 0;
}

/* One pass of the background clocks, optionally at another time: for
 * tests, and for catching up by hand. */
static int cmd_tick(int argc, char **argv)
{
	static const char *const allowed[] = {"db", "at", NULL};
	struct opts o;
	if (!parse_opts(argc, argv, allowed, &o, "tick"))
		return 2;
	const char *at = opt(&o, "at", NULL);
	int64_t now = clock_now();
	if (at && !clock_parse(at, &now)) {
		fprintf(stderr, "maitred tick: --at must be an RFC 3339 time such as 2026-11-22T10:00:00Z\n");
		return 2;
	}
	clock_pin(now);
	struct db *db = cli_open_db(opt(&o, "db", DEFAULT_DB));
	if (!db)
		return 1;
	struct worker_report rep;
	enum db_rc rc = worker_pass(db, now, &rep);
	if (rc != DB_DONE) {
		fprintf(stderr, "maitred tick: %s\n",
			rc == DB_BUSY ? "the database is busy; try again" : db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("%d case%s overdue, %d recover%s measured\n", rep.cases_overdue,
	       rep.cases_overdue == 1 ? "" : "s", rep.cases_measured,
	       rep.cases_measured == 1 ? "y" : "ies");
	printf("%d order%s late, %d case%s opened for orders\n", rep.orders_late,
	       rep.orders_late == 1 ? "" : "s", rep.order_cases, rep.order_cases == 1 ? "" : "s");
	printf("%d check%s overdue\n", rep.checks_overdue, rep.checks_overdue == 1 ? "" : "s");
	printf("%d location%s refitted\n", rep.refits, rep.refits == 1 ? "" : "s");
	return 0;
}

static int cmd_routes(int argc, char **argv)
{
	routes_print(stdout);
	return 0;
}

static int cmd_analyze(int argc, char **argv)
{
	static const char *const allowed[] = {"themes", NULL};
	struct opts o;
	if (!parse_opts(argc, argv, allowed, &o, "analyze"))
		return 2;
	const char *path = opt(&o, "themes", NULL);
	if (!path)
		return analyze_run(stdin, stdout, sent_default_themes, sent_default_nthemes);
	struct sent_taxonomy t;
	if (!cli_load_themes("analyze", path, &t))
		return 2;
	int rc = analyze_run(stdin, stdout, t.themes, t.n);
	sent_taxonomy_free(&t);
	return rc;
}

static int cmd_btyd(int argc, char **argv)
{
	static const char *const fit_opts[] = {"model", "input", NULL};
	static const char *const predict_opts[] = {"model", "params", "spend-params", "input",
						   "horizon", NULL};
	bool fit = argc >= 1 && strcmp(argv[0], "fit") == 0;
	bool predict = argc >= 1 && strcmp(argv[0], "predict") == 0;
	bool simulate = argc >= 1 && strcmp(argv[0], "simulate") == 0;
	static const char *const simulate_opts[] = {"model", "params", "spend-params", "customers",
						    "weeks", "seed", NULL};
	struct opts o;
	if (!fit && !predict && !simulate) {
		fprintf(stderr, "maitred btyd: fit, predict or simulate?\n");
		return 2;
	}
	if (!parse_opts(argc - 1, argv + 1, fit ? fit_opts : predict ? predict_opts : simulate_opts, &o,
			"btyd"))
		return 2;
	if (simulate) {
		int64_t n, weeks, seed;
		if (!opt(&o, "model", NULL) || !opt(&o, "params", NULL) ||
		    !opt_int(&o, "customers", 1, 100000000, 1000, &n, "btyd") ||
		    !opt_int(&o, "weeks", 13, 520, 39, &weeks, "btyd") ||
		    !opt_int(&o, "seed", 1, INT64_MAX, 1, &seed, "btyd")) {
			fprintf(stderr, "maitred btyd: simulate needs --model and --params\n");
			return 2;
		}
		return btyd_simulate_run(opt(&o, "model", NULL), opt(&o, "params", NULL),
					 opt(&o, "spend-params", NULL), (long)n, (double)weeks,
					 (uint64_t)seed);
	}
	const char *model = opt(&o, "model", NULL), *input = opt(&o, "input", NULL);
	if (!model || !input) {
		fprintf(stderr, "maitred btyd: --model and --input are required\n");
		return 2;
	}
	if (fit)
		return btyd_fit_run(model, input);
	const char *params = opt(&o, "params", NULL), *h = opt(&o, "horizon", NULL);
	char *end = NULL;
	double horizon = h ? strtod(h, &end) : 0;
	if (!params || !h || *end || !(horizon > 0 && horizon <= 520)) {
		fprintf(stderr, "maitred btyd: predict needs --params JSON and --horizon WEEKS (0-520)\n");
		return 2;
	}
	return btyd_predict_run(model, params, opt(&o, "spend-params", NULL), input, horizon);
}

static int cmd_version(int argc, char **argv)
{
	printf("maitred %s\n", MAITRED_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{"serve", cmd_serve, "serve [--db PATH] [--listen HOST:PORT] [--threads N] [--timeout S] [--max-conn-per-ip N] [--themes FILE]"},
	{"init", cmd_init, "init [--db PATH] [--location-name N] [--timezone TZ] [--currency C]"},
	{"demo", cmd_demo, "demo [--db PATH] [--guests N] [--seed N]"},
	{"user", cmd_user, "user add --db PATH --email E --name N --role owner|manager|host|kitchen [--location ID] < password"},
	{"token", cmd_token, "token create --db PATH --name N --role ROLE [--location ID]"},
	{"tick", cmd_tick, "tick [--db PATH] [--at TIME]"},
	{"analyze", cmd_analyze, "analyze [--themes FILE] < comments (one per line; JSON lines out)"},
	{"btyd", cmd_btyd, "btyd fit --model bgnbd|mbgnbd|pnbd|gg --input FILE | btyd predict --model M --params JSON [--spend-params JSON] --input FILE --horizon WEEKS | btyd simulate --model M --params JSON [--spend-params JSON] [--customers N] [--weeks W] [--seed S]"},
	{"routes", cmd_routes, "routes"},
	{"version", cmd_version, "version"},
	{"help", cmd_help, "help"},
};

static int cmd_help(int argc, char **argv)
{
	printf("usage: maitred COMMAND [OPTIONS]\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  maitred %s\n", commands[i].usage);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	if (!auth_init()) {
		fprintf(stderr, "maitred: cannot initialise libsodium\n");
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "maitred: unknown command '%s'; try 'maitred help'\n", argv[1]);
	return 2;
}
