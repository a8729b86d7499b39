/* The HTTP server: libmicrohttpd with an internal epoll thread pool. */
#ifndef MAITRED_HTTP_H
#define MAITRED_HTTP_H

#include "util/compat.h"

struct http_config {
	const char *db_path;
	const char *listen; /* "127.0.0.1:8080", "[::1]:8080"; port 0 picks one */
	unsigned threads;   /* 0: one per core */
	unsigned timeout_seconds;
	unsigned per_ip_connections;
};

/* Serves until SIGINT or SIGTERM; returns the process exit code. */
int http_run(const struct http_config *cfg);

#endif
