/* Prometheus metrics (see metrics.h). */
#include "util/compat.h"
#include "net/metrics.h"
#include "net/stream.h"
#include "net/routes.h"

#include <stdatomic.h>

#define MAX_ROUTES 256
static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
			       409, 413, 415, 422, 429, 500, 503};
#define NSTATUS (ARRAY_SIZE(statuses) + 1) /* last: any other */
/* Upper bounds in seconds. */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				 0.05,	 0.1,	0.25,	0.5,   1,    2.5};
#define NBUCKETS (ARRAY_SIZE(buckets) + 1) /* last: +Inf */

/* slot 0: unmatched, 1: static, 2..: routes */
static atomic_ullong counts[MAX_ROUTES + 2][NSTATUS];
static atomic_ullong histogram[NBUCKETS];
static atomic_ullong latency_sum_us;
static atomic_ullong latency_count;

static int route_slot(int route_index)
{
	if (route_index == METRICS_UNMATCHED)
		return 0;
	if (route_index == METRICS_STATIC)
		return 1;
	if (route_index < 0 || route_index >= MAX_ROUTES)
		return 0;
	return route_index + 2;
}

void metrics_record(int route_index, int status, uint64_t ns)
{
	size_t s = NSTATUS - 1;
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (statuses[i] == status)
			s = i;
	atomic_fetch_add_explicit(&counts[route_slot(route_index)][s], 1, memory_order_relaxed);
	double secs = (double)ns / 1e9;
	size_t b = NBUCKETS - 1;
	for (size_t i = 0; i < ARRAY_SIZE(buckets); i++)
		if (secs <= buckets[i]) {
			b = i;
			break;
		}
	atomic_fetch_add_explicit(&histogram[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_sum_us, ns / 1000, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
}

bool metrics_render(struct buf *b)
{
	bool ok = buf_puts(b, "# HELP maitred_http_requests_total HTTP requests by route and status.\n"
			      "# TYPE maitred_http_requests_total counter\n");
	size_t nroutes = routes_count < MAX_ROUTES ? routes_count : MAX_ROUTES;
	for (size_t slot = 0; slot < nroutes + 2; slot++) {
		char label[96];
		if (slot == 0)
			snprintf(label, sizeof(label), "route=\"unmatched\"");
		else if (slot == 1)
			snprintf(label, sizeof(label), "route=\"static\"");
		else
			snprintf(label, sizeof(label), "method=\"%s\",route=\"%s\"",
				 method_name(routes[slot - 2].method), routes[slot - 2].pattern);
		for (size_t s = 0; s < NSTATUS; s++) {
			unsigned long long v = atomic_load_explicit(&counts[slot][s], memory_order_relaxed);
			if (!v)
				continue;
			if (s < ARRAY_SIZE(statuses))
				ok &= buf_printf(b, "maitred_http_requests_total{%s,status=\"%d\"} %llu\n",
						 label, statuses[s], v);
			else
				ok &= buf_printf(b, "maitred_http_requests_total{%s,status=\"other\"} %llu\n",
						 label, v);
		}
	}
	ok &= buf_printf(b, "# HELP maitred_stream_clients Open live streams.\n"
			    "# TYPE maitred_stream_clients gauge\nmaitred_stream_clients %d\n",
			 stream_clients());
	ok &= buf_puts(b, "# HELP maitred_http_request_duration_seconds Time from request to response.\n"
			  "# TYPE maitred_http_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += atomic_load_explicit(&histogram[i], memory_order_relaxed);
		if (i < ARRAY_SIZE(buckets))
			ok &= buf_printf(b, "maitred_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
					 buckets[i], cum);
		else
			ok &= buf_printf(b, "maitred_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
					 cum);
	}
	ok &= buf_printf(b, "maitred_http_request_duration_seconds_sum %.6f\n",
			 (double)atomic_load(&latency_sum_us) / 1e6);
	ok &= buf_printf(b, "maitred_http_request_duration_seconds_count %llu\n",
			 (unsigned long long)atomic_load(&latency_count));
	return ok;
}
