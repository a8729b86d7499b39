/* Operations endpoints: liveness and Prometheus metrics. */
#include "util/compat.h"
#include "api/api.h"
#include "net/metrics.h"
#include "util/buf.h"

#define METRICS_MAX_BYTES (1024 * 1024)

enum err health_get(struct req *r)
{
	return req_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "version", MAITRED_VERSION));
}

enum err metrics_get(struct req *r)
{
	struct buf b;
	buf_init(&b, METRICS_MAX_BYTES);
	if (!metrics_render(&b)) {
		buf_release(&b);
		return req_fail(r, E_INTERNAL, NULL, "metrics too large");
	}
	r->res.status = 200;
	r->res.text = buf_detach(&b, &r->res.text_len);
	r->res.content_type = "text/plain; version=0.0.4; charset=utf-8";
	return E_OK;
}
