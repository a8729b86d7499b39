/* Request counters by route and status, and a latency histogram, rendered
 * in the Prometheus text format. Lock-free: atomic counters only. */
#ifndef MAITRED_METRICS_H
#define MAITRED_METRICS_H

#include "util/buf.h"

/* Route slots beyond the table: */
#define METRICS_STATIC (-2)    /* an embedded web file */
#define METRICS_UNMATCHED (-1) /* no route */

void metrics_record(int route_index, int status, uint64_t ns);
bool metrics_render(struct buf *b);

#endif
