/* The error table: each enum err has one HTTP status and one stable code
 * string. The UI switches on the code, never on the message. */
#ifndef MAITRED_REPLY_H
#define MAITRED_REPLY_H

#include "util/err.h"

#include <jansson.h>

struct err_info {
	int status;
	const char *code;
};

const struct err_info *reply_err(enum err e);
/* {"error":{"code","message","field"}}; a new reference. */
json_t *reply_error_json(enum err e, const char *field, const char *message);

#endif
