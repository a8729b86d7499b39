/* The live stream's connections (Server-Sent Events). One hub thread reads
 * new events from the event log, formats each once into a ring, and resumes
 * the connections waiting for their location; a connection with nothing to
 * send is suspended, so clients cost memory, not threads. Writers in this
 * process call stream_notify() after they commit; events written by other
 * processes (the command line) are picked up by a poll every second. */
#ifndef MAITRED_STREAM_H
#define MAITRED_STREAM_H

#include "util/compat.h"

#define STREAM_KEEPALIVE_SECONDS 15
#define STREAM_POLL_MS 1000

struct MHD_Connection;
struct MHD_Response;
struct res;

/* Starts and stops the hub. stream_stop() ends every stream and waits a
 * little for them to go, so the HTTP daemon can stop without suspended
 * connections. */
bool stream_start(const char *db_path);
void stream_stop(void);
/* Something was committed: look for new events now. Cheap; any thread. */
void stream_notify(void);
/* The response for a stream a handler accepted (res->stream): res->text
 * first, then the location's events. Takes res->text. NULL on failure. */
struct MHD_Response *stream_response(struct MHD_Connection *c, struct res *res);
/* Open streams, for /metrics and the benchmark. */
int stream_clients(void);

#endif
