/* Fuzzes request bodies: JSON parsing with duplicate keys rejected, then
 * every body declaration of the API, and the check of an order's items. */
#include "util/compat.h"
#include "api/api.h"
#include "net/routes.h"
#include "domain/tickets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!body)
		return 0;
	/* every declaration in the route table, as the dispatcher checks it */
	for (size_t i = 0; i < routes_count; i++) {
		if (!routes[i].spec)
			continue;
		struct spec_error e;
		spec_check(*routes[i].spec, body, routes[i].flags & F_PATCH, &e);
	}
	struct spec_error e;
	ticket_items_check(json_object_get(body, "items"), &e);
	ticket_items_check(body, &e);
	json_decref(body);
	return 0;
}
