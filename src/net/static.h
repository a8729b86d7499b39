/* The web UI, embedded in the binary from web/ at build time. */
#ifndef MAITRED_STATIC_H
#define MAITRED_STATIC_H

#include "util/compat.h"

struct static_file {
	const unsigned char *data;
	size_t len;
	const char *content_type;
};

/* "/" serves web/index.html; "/x" serves web/x. */
bool static_find(const char *path, struct static_file *out);

#endif
