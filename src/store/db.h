/* The storage interface: a small vtable over a database connection, so the
 * store functions are written once for SQLite and PostgreSQL.
 *
 * Statements use $1, $2 … placeholders. db_prepare() takes a string literal
 * and caches the prepared statement per connection by that pointer; a
 * statement is finished with db_done() and must not be in use twice at once.
 * Text returned by db_col_text() lives until the next db_step() or db_done(). */
#ifndef MAITRED_DB_H
#define MAITRED_DB_H

#include "util/compat.h"

enum db_rc {
	DB_OK = 0,
	DB_ROW,	       /* a row is available */
	DB_DONE,       /* no (more) rows */
	DB_BUSY,       /* retryable: locked or serialisation failure */
	DB_CONSTRAINT, /* a unique or foreign key constraint failed */
	DB_ERROR,      /* hard error */
};

struct db;
struct db_stmt;

struct db_ops {
	const char *name;
	void (*close)(struct db *db);
	enum db_rc (*exec)(struct db *db, const char *sql);
	enum db_rc (*begin)(struct db *db, bool write);
	enum db_rc (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	void (*bind_int)(struct db_stmt *st, int n, int64_t v);
	void (*bind_text)(struct db_stmt *st, int n, const char *s);
	void (*bind_null)(struct db_stmt *st, int n);
	void (*bind_blob)(struct db_stmt *st, int n, const void *v, size_t len);
	enum db_rc (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	bool (*col_null)(struct db_stmt *st, int col);
	/* bytes valid as col_text's; *len their count */
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *len);
	void (*done)(struct db_stmt *st);
	int64_t (*changes)(struct db *db);
	const char *(*errmsg)(struct db *db);
};

struct db {
	const struct db_ops *ops;
	bool in_tx;
};

/* Each backend's statement starts with this header. */
struct db_stmt {
	const struct db_ops *ops;
};

/* Opens the database named by target (a SQLite file path). */
struct db *db_open(const char *target, char *err, size_t errlen);

static inline void db_close(struct db *db) { if (db) db->ops->close(db); }
static inline enum db_rc db_exec(struct db *db, const char *sql) { return db->ops->exec(db, sql); }
static inline enum db_rc db_begin(struct db *db, bool write) { return db->ops->begin(db, write); }
static inline enum db_rc db_commit(struct db *db) { return db->ops->commit(db); }
static inline void db_rollback(struct db *db) { db->ops->rollback(db); }
static inline struct db_stmt *db_prepare(struct db *db, const char *sql) { return db->ops->prepare(db, sql); }
static inline void db_bind_int(struct db_stmt *st, int n, int64_t v) { st->ops->bind_int(st, n, v); }
static inline void db_bind_text(struct db_stmt *st, int n, const char *s) { st->ops->bind_text(st, n, s); }
static inline void db_bind_null(struct db_stmt *st, int n) { st->ops->bind_null(st, n); }
static inline void db_bind_blob(struct db_stmt *st, int n, const void *v, size_t len) { st->ops->bind_blob(st, n, v, len); }
static inline enum db_rc db_step(struct db_stmt *st) { return st->ops->step(st); }
static inline int64_t db_col_int(struct db_stmt *st, int col) { return st->ops->col_int(st, col); }
static inline const char *db_col_text(struct db_stmt *st, int col) { return st->ops->col_text(st, col); }
static inline bool db_col_null(struct db_stmt *st, int col) { return st->ops->col_null(st, col); }
static inline const void *db_col_blob(struct db_stmt *st, int col, size_t *len) { return st->ops->col_blob(st, col, len); }
static inline void db_done(struct db_stmt *st) { st->ops->done(st); }
static inline int64_t db_changes(struct db *db) { return db->ops->changes(db); }
/* Binds v, or NULL when v is negative (optional ids and counts). */
static inline void db_bind_opt_int(struct db_stmt *st, int n, int64_t v)
{
	if (v < 0)
		db_bind_null(st, n);
	else
		db_bind_int(st, n, v);
}
/* Binds s, or NULL when s is NULL. */
static inline void db_bind_opt_text(struct db_stmt *st, int n, const char *s)
{
	if (s)
		db_bind_text(st, n, s);
	else
		db_bind_null(st, n);
}
/* Column as int, or -1 when NULL. */
static inline int64_t db_col_opt_int(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? -1 : db_col_int(st, col);
}
static inline const char *db_errmsg(struct db *db) { return db->ops->errmsg(db); }

/* Steps a statement that returns no rows and finishes it; DB_DONE on success. */
static inline enum db_rc db_run(struct db_stmt *st)
{
	enum db_rc rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

struct db *db_sqlite_open(const char *path, char *err, size_t errlen);

/* Applies embedded migrations not yet applied; returns false with err set. */
bool db_migrate(struct db *db, char *err, size_t errlen);

#endif
