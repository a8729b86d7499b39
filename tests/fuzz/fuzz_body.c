/* Fuzzes request bodies: JSON parsing with duplicate keys rejected, then
 * every body declaration of the API. */
#include "util/compat.h"
#include "api/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!body)
		return 0;
	const struct spec *specs[] = {&session_spec, &location_spec, &staff_create_spec,
				      &staff_update_spec, &guest_create_spec, &visit_spec};
	for (size_t i = 0; i < ARRAY_SIZE(specs); i++) {
		struct spec_error e;
		spec_check(*specs[i], body, false, &e);
		spec_check(*specs[i], body, true, &e);
	}
	json_decref(body);
	return 0;
}
