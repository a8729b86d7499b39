/* Files compiled into the binary: migrations (sql/) and the web UI (web/).
 * The table ends with a row whose path is NULL. */
#ifndef MAITRED_EMBEDDED_H
#define MAITRED_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *path;
	const unsigned char *data;
	size_t len;
};

extern const struct embedded_file embedded_files[];

#endif
