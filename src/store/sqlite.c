/* The SQLite backend of db.h: one connection per thread, WAL, BEGIN
 * IMMEDIATE for writes, prepared statements cached by their SQL literal. */
#include "util/compat.h"
#include "store/db.h"
#include "util/log.h"

#include <pthread.h>
#include <sqlite3.h>

#define BUSY_TIMEOUT_MS 5000
#define MAX_PARAMS 32

struct sq_stmt {
	struct db_stmt base;
	struct sq_db *db;
	const char *sql; /* cache key: the literal's address */
	sqlite3_stmt *st;
	int nparams;
	int map[MAX_PARAMS + 1]; /* $N -> SQLite parameter index */
};

struct sq_db {
	struct db base;
	sqlite3 *conn;
	struct sq_stmt **cache; /* open addressing, keyed by sql pointer */
	size_t cache_cap, cache_used;
};

static const struct db_ops sq_ops;

static enum db_rc sq_rc(struct sq_db *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	default:
		log_error("sqlite: %s", sqlite3_errmsg(db->conn));
		return DB_ERROR;
	}
}

static void sq_close(struct db *base)
{
	struct sq_db *db = (struct sq_db *)base;
	for (size_t i = 0; i < db->cache_cap; i++) {
		if (db->cache[i]) {
			sqlite3_finalize(db->cache[i]->st);
			free(db->cache[i]);
		}
	}
	free(db->cache);
	sqlite3_close(db->conn);
	free(db);
}

static enum db_rc sq_exec(struct db *base, const char *sql)
{
	struct sq_db *db = (struct sq_db *)base;
	return sq_rc(db, sqlite3_exec(db->conn, sql, NULL, NULL, NULL));
}

static struct db_stmt *sq_prepare(struct db *base, const char *sql);

/* Transaction control runs on every request: prepared once, not parsed each time. */
static enum db_rc sq_control(struct db *base, const char *sql)
{
	struct sq_stmt *s = (struct sq_stmt *)sq_prepare(base, sql);
	if (!s)
		return DB_ERROR;
	int rc = sqlite3_step(s->st);
	sqlite3_reset(s->st);
	return rc == SQLITE_DONE ? DB_OK : sq_rc((struct sq_db *)base, rc);
}

static enum db_rc sq_begin(struct db *base, bool write)
{
	static const char begin_immediate[] = "BEGIN IMMEDIATE", begin_deferred[] = "BEGIN";
	enum db_rc rc = sq_control(base, write ? begin_immediate : begin_deferred);
	base->in_tx = rc == DB_OK;
	return rc;
}

static enum db_rc sq_commit(struct db *base)
{
	static const char commit[] = "COMMIT";
	enum db_rc rc = sq_control(base, commit);
	if (rc == DB_OK)
		base->in_tx = false;
	return rc;
}

static void sq_rollback(struct db *base)
{
	struct sq_db *db = (struct sq_db *)base;
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	base->in_tx = false;
}

static size_t ptr_hash(const void *p, size_t cap)
{
	uintptr_t v = (uintptr_t)p;
	v ^= v >> 17;
	v *= 0x9E3779B97F4A7C15ull;
	return (size_t)(v >> 7) & (cap - 1);
}

static bool cache_grow(struct sq_db *db)
{
	size_t cap = db->cache_cap ? db->cache_cap * 2 : 128;
	struct sq_stmt **t = calloc(cap, sizeof(*t));
	if (!t)
		return false;
	for (size_t i = 0; i < db->cache_cap; i++) {
		struct sq_stmt *s = db->cache[i];
		if (!s)
			continue;
		size_t h = ptr_hash(s->sql, cap);
		while (t[h])
			h = (h + 1) & (cap - 1);
		t[h] = s;
	}
	free(db->cache);
	db->cache = t;
	db->cache_cap = cap;
	return true;
}

static struct db_stmt *sq_prepare(struct db *base, const char *sql)
{
	struct sq_db *db = (struct sq_db *)base;
	if (db->cache_cap) {
		size_t h = ptr_hash(sql, db->cache_cap);
		while (db->cache[h]) {
			if (db->cache[h]->sql == sql)
				return &db->cache[h]->base;
			h = (h + 1) & (db->cache_cap - 1);
		}
	}
	if ((db->cache_used + 1) * 2 > db->cache_cap && !cache_grow(db))
		return NULL;
	struct sq_stmt *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
		log_error("sqlite prepare: %s in: %.200s", sqlite3_errmsg(db->conn), sql);
		free(s);
		return NULL;
	}
	s->base.ops = &sq_ops;
	s->db = db;
	s->sql = sql;
	for (int n = 1; n <= MAX_PARAMS; n++) {
		char name[8];
		snprintf(name, sizeof(name), "$%d", n);
		s->map[n] = sqlite3_bind_parameter_index(s->st, name);
		if (s->map[n])
			s->nparams = n;
	}
	size_t h = ptr_hash(sql, db->cache_cap);
	while (db->cache[h])
		h = (h + 1) & (db->cache_cap - 1);
	db->cache[h] = s;
	db->cache_used++;
	return &s->base;
}

static int sq_index(struct sq_stmt *s, int n)
{
	if (n < 1 || n > MAX_PARAMS || !s->map[n]) {
		log_error("sqlite bind: no parameter $%d in: %.120s", n, s->sql);
		return 0;
	}
	return s->map[n];
}

static void sq_bind_int(struct db_stmt *st, int n, int64_t v)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	int i = sq_index(s, n);
	if (i)
		sqlite3_bind_int64(s->st, i, v);
}

static void sq_bind_text(struct db_stmt *st, int n, const char *v)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	int i = sq_index(s, n);
	if (!i)
		return;
	if (v)
		sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s->st, i);
}

static void sq_bind_blob(struct db_stmt *st, int n, const void *v, size_t len)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	int i = sq_index(s, n);
	if (i)
		sqlite3_bind_blob64(s->st, i, v, (sqlite3_uint64)len, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct db_stmt *st, int n)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	int i = sq_index(s, n);
	if (i)
		sqlite3_bind_null(s->st, i);
}

static enum db_rc sq_step(struct db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	return sq_rc(s->db, sqlite3_step(s->st));
}

static int64_t sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(((struct sq_stmt *)st)->st, col);
}

static const char *sq_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(((struct sq_stmt *)st)->st, col);
}

static const void *sq_col_blob(struct db_stmt *st, int col, size_t *len)
{
	sqlite3_stmt *q = ((struct sq_stmt *)st)->st;
	const void *v = sqlite3_column_blob(q, col);
	*len = (size_t)sqlite3_column_bytes(q, col);
	return v;
}

static bool sq_col_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(((struct sq_stmt *)st)->st, col) == SQLITE_NULL;
}

static void sq_done(struct db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
}

static int64_t sq_changes(struct db *base)
{
	return sqlite3_changes64(((struct sq_db *)base)->conn);
}

static const char *sq_errmsg(struct db *base)
{
	return sqlite3_errmsg(((struct sq_db *)base)->conn);
}

static const struct db_ops sq_ops = {
	.name = "sqlite",
	.close = sq_close,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.col_blob = sq_col_blob,
	.done = sq_done,
	.changes = sq_changes,
	.errmsg = sq_errmsg,
};

static int pragma_int(sqlite3 *conn, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Process-wide settings, before SQLite initialises itself: no memory
 * statistics, which would take a global mutex on every allocation. */
static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct db *db_sqlite_open(const char *path, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_configure);
	struct sq_db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->base.ops = &sq_ops;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->conn, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
		sqlite3_close(db->conn);
		free(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->conn, 1);
	static const char setup[] = "PRAGMA journal_mode=WAL;"
				    "PRAGMA synchronous=FULL;"
				    "PRAGMA foreign_keys=ON;"
				    "PRAGMA secure_delete=ON;"
				    "PRAGMA cache_size=-16384;"
				    "PRAGMA temp_store=MEMORY;"
				    "PRAGMA mmap_size=2147483648;";
	char *msg = NULL;
	if (sqlite3_exec(db->conn, setup, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up %s: %s", path, msg ? msg : "unknown error");
		sqlite3_free(msg);
		sqlite3_close(db->conn);
		free(db);
		return NULL;
	}
	/* Erasure must overwrite deleted content, and the schema relies on
	 * foreign keys: refuse to run on a build where either is off. */
	if (pragma_int(db->conn, "PRAGMA secure_delete") != 1 ||
	    pragma_int(db->conn, "PRAGMA foreign_keys") != 1) {
		snprintf(err, errlen, "this SQLite build does not honour secure_delete or foreign_keys");
		sqlite3_close(db->conn);
		free(db);
		return NULL;
	}
	return &db->base;
}

struct db *db_open(const char *target, char *err, size_t errlen)
{
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0) {
		snprintf(err, errlen, "PostgreSQL is not supported by this build yet");
		return NULL;
	}
	return db_sqlite_open(target, err, errlen);
}
