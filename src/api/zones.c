/* The tz database, read once per zone from the system's files and kept for
 * the life of the process (zones change with a package update, which
 * restarts the service). An unknown or unreadable zone counts as UTC, with a
 * warning: a location is never left without a clock. */
#include "util/compat.h"
#include "api/api.h"
#include "util/log.h"
#include "util/clock.h"

#include <pthread.h>
#include <stdio.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define ZONES_MAX 600 /* the tz database has some 600 names */
#define ZONE_RETRY_SECONDS 600 /* a zone that could not be read is tried again */
#define ZONE_NAME_MAX 64
#define ZONE_FILE_MAX (256 * 1024)

static struct {
	pthread_mutex_t lock;
	int n;
	struct {
		char name[ZONE_NAME_MAX];
		const struct tz *z; /* NULL: could not be read at failed_at */
		int64_t failed_at;
	} e[ZONES_MAX];
} zones = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct tz *zone_read(const char *name)
{
	char path[160];
	if (strlen(name) >= ZONE_NAME_MAX || strstr(name, ".."))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", ZONEINFO_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = malloc(ZONE_FILE_MAX);
	struct tz *z = malloc(sizeof(*z));
	size_t n = buf ? fread(buf, 1, ZONE_FILE_MAX, f) : 0;
	fclose(f);
	if (!buf || !z || n == 0 || n == ZONE_FILE_MAX || !tz_parse(z, buf, n)) {
		free(z);
		z = NULL;
	}
	free(buf);
	return z;
}

bool zone_known(const char *name)
{
	if (strcmp(name, "UTC") == 0)
		return true;
	struct tz *z = zone_read(name);
	free(z);
	return z != NULL;
}

const struct tz *zone_get(const char *name)
{
	static const struct tz utc = {.ntypes = 1}; /* as tz_utc() makes it */
	if (strcmp(name, "UTC") == 0)
		return &utc;
	pthread_mutex_lock(&zones.lock);
	const struct tz *found = NULL;
	int at = -1;
	for (int i = 0; i < zones.n && at < 0; i++)
		if (strcmp(zones.e[i].name, name) == 0)
			at = i;
	int64_t now = clock_now();
	if (at >= 0 && (zones.e[at].z || now - zones.e[at].failed_at < ZONE_RETRY_SECONDS)) {
		found = zones.e[at].z;
	} else {
		const struct tz *z = zone_read(name);
		if (!z)
			log_warn("time zone %s cannot be read from %s; counting it as UTC for now", name,
				 ZONEINFO_DIR);
		if (at < 0 && zones.n < ZONES_MAX) {
			at = zones.n++;
			snprintf(zones.e[at].name, ZONE_NAME_MAX, "%s", name);
		} else if (at < 0 && z) {
			log_warn("more than %d time zones in use; counting %s as UTC", ZONES_MAX, name);
			free((void *)z);
			z = NULL;
		}
		if (at >= 0) {
			zones.e[at].z = z;
			zones.e[at].failed_at = z ? 0 : now;
		}
		found = z;
	}
	pthread_mutex_unlock(&zones.lock);
	return found ? found : &utc;
}
