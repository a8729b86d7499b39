/* Applies the numbered migrations embedded from sql/<dialect>/, each in its
 * own transaction, recording the versions applied. */
#include "util/compat.h"
#include "store/db.h"
#include "util/embedded.h"
#include "util/clock.h"
#include "util/log.h"

static bool migration_version(const char *path, const char *prefix, int64_t *version)
{
	size_t plen = strlen(prefix);
	if (strncmp(path, prefix, plen) != 0)
		return false;
	char num[8] = {0};
	for (size_t i = 0; i < 4; i++) {
		char c = path[plen + i];
		if (c < '0' || c > '9')
			return false;
		num[i] = c;
	}
	return path[plen + 4] == '-' && parse_i64(num, 1, 9999, version);
}

bool db_migrate(struct db *db, char *err, size_t errlen)
{
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			"version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)") != DB_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", db_errmsg(db));
		return false;
	}
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "sql/%s/", db->ops->name);
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		int64_t version;
		if (!migration_version(f->path, prefix, &version))
			continue;
		struct db_stmt *st = db_prepare(db, "SELECT 1 FROM schema_migrations WHERE version = $1");
		if (!st) {
			snprintf(err, errlen, "cannot read schema_migrations");
			return false;
		}
		db_bind_int(st, 1, version);
		enum db_rc rc = db_step(st);
		db_done(st);
		if (rc == DB_ROW)
			continue;
		if (db_begin(db, true) != DB_OK) {
			snprintf(err, errlen, "cannot begin migration %s: %s", f->path, db_errmsg(db));
			return false;
		}
		if (db_exec(db, (const char *)f->data) != DB_OK) {
			snprintf(err, errlen, "migration %s failed: %s", f->path, db_errmsg(db));
			db_rollback(db);
			return false;
		}
		st = db_prepare(db, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)");
		db_bind_int(st, 1, version);
		db_bind_int(st, 2, clock_now());
		if (db_run(st) != DB_DONE || db_commit(db) != DB_OK) {
			snprintf(err, errlen, "cannot record migration %s: %s", f->path, db_errmsg(db));
			db_rollback(db);
			return false;
		}
		log_info("applied migration %s", f->path);
	}
	return true;
}
