/* Error vocabulary rendered in one place (see reply.h). */
#include "util/compat.h"
#include "net/reply.h"

static const struct err_info errors[E__COUNT] = {
	[E_OK] = {200, "ok"},
	[E_BAD_REQUEST] = {400, "bad_request"},
	[E_INVALID_JSON] = {400, "invalid_json"},
	[E_FIELD_MISSING] = {400, "field_missing"},
	[E_FIELD_INVALID] = {400, "field_invalid"},
	[E_FIELD_UNKNOWN] = {400, "field_unknown"},
	[E_UNAUTHORIZED] = {401, "unauthorized"},
	[E_CSRF] = {403, "csrf"},
	[E_FORBIDDEN] = {403, "forbidden"},
	[E_NOT_FOUND] = {404, "not_found"},
	[E_METHOD] = {405, "method_not_allowed"},
	[E_CONFLICT] = {409, "conflict"},
	[E_INVALID_TRANSITION] = {409, "invalid_transition"},
	[E_FLAGS_NOT_ACKNOWLEDGED] = {409, "flags_not_acknowledged"},
	[E_SURVEY_INVALID] = {404, "survey_invalid"},
	[E_SURVEY_ANSWERED] = {409, "survey_answered"},
	[E_SURVEY_EXPIRED] = {410, "survey_expired"},
	[E_AUDIT_INVALID] = {404, "audit_invalid"},
	[E_AUDIT_SUBMITTED] = {409, "audit_submitted"},
	[E_AUDIT_EXPIRED] = {410, "audit_expired"},
	[E_TOO_LARGE] = {413, "too_large"},
	[E_MEDIA_TYPE] = {415, "unsupported_media_type"},
	[E_UNPROCESSABLE] = {422, "unprocessable"},
	[E_RATE_LIMITED] = {429, "rate_limited"},
	[E_INTERNAL] = {500, "internal"},
	[E_UNAVAILABLE] = {503, "unavailable"},
};

const struct err_info *reply_err(enum err e)
{
	if ((unsigned)e >= E__COUNT)
		e = E_INTERNAL;
	return &errors[e];
}

/* s cut back to whole UTF-8 characters, into out (a message or a field
 * name cut at a byte limit may end inside one). */
static const char *utf8_whole(const char *s, char *out, size_t outlen)
{
	if (!s)
		return NULL;
	snprintf(out, outlen, "%s", s);
	size_t n = strlen(out), i = n;
	while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)out[i - 1] >= 0xC0) {
		unsigned char lead = (unsigned char)out[i - 1];
		size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (n - (i - 1) < want)
			out[i - 1] = '\0';
	}
	return out;
}

json_t *reply_error_json(enum err e, const char *field, const char *message)
{
	const struct err_info *info = reply_err(e);
	char m[256], f[128];
	json_t *j = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", info->code, "message",
			      message && *message ? utf8_whole(message, m, sizeof(m)) : info->code,
			      "field", utf8_whole(field, f, sizeof(f)));
	/* never an empty error: invalid text in either falls back to the code */
	return j ? j : json_pack("{s:{s:s,s:s,s:n}}", "error", "code", info->code, "message",
				 info->code, "field");
}
