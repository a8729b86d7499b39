/* Body validation against a declaration (see spec.h). */
#include "util/compat.h"
#include "domain/spec.h"
#include "domain/text.h"
#include "util/clock.h"

#include <stdarg.h>

static bool spec_fail(struct spec_error *err, enum err code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool spec_fail(struct spec_error *err, enum err code, const char *field, const char *fmt, ...)
{
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

static bool plausible_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			return false;
	return true;
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return true;
	return false;
}

static bool check_field(const struct spec_field *f, json_t *v, struct spec_error *err)
{
	const char *n = f->name;
	switch (f->type) {
	case SPEC_STRING:
	case SPEC_EMAIL: {
		if (!json_is_string(v))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be a string", n);
		const char *s = json_string_value(v);
		size_t chars = text_chars(s);
		if ((f->required || f->min > 0) && blank(s))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must not be blank", n);
		if ((int64_t)chars < f->min)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be at least %lld characters", n,
				    (long long)f->min);
		if (f->max && (int64_t)chars > f->max)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be at most %lld characters", n,
				    (long long)f->max);
		if (strlen(s) != json_string_length(v) || has_control(s))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must not contain control characters", n);
		if (f->type == SPEC_EMAIL && !plausible_email(s))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be an email address", n);
		return true;
	}
	case SPEC_INT: {
		if (!json_is_integer(v))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be an integer", n);
		json_int_t x = json_integer_value(v);
		if (x < f->min || x > f->max)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be between %lld and %lld", n,
				    (long long)f->min, (long long)f->max);
		return true;
	}
	case SPEC_BOOL:
		if (!json_is_boolean(v))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be true or false", n);
		return true;
	case SPEC_TIME: {
		int64_t t;
		if (!json_is_string(v) || !clock_parse(json_string_value(v), &t))
			return spec_fail(err, E_FIELD_INVALID, n,
				    "%s must be an RFC 3339 time such as 2026-11-22T10:30:00Z", n);
		return true;
	}
	case SPEC_ENUM: {
		if (json_is_string(v))
			for (const char *const *c = f->choices; *c; c++)
				if (strcmp(*c, json_string_value(v)) == 0)
					return true;
		char list[160] = "";
		size_t used = 0;
		for (const char *const *c = f->choices; *c && used < sizeof(list); c++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 c == f->choices ? "" : ", ", *c);
		return spec_fail(err, E_FIELD_INVALID, n, "%s must be one of: %s", n, list);
	}
	case SPEC_ARRAY:
		if (!json_is_array(v))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be an array", n);
		if ((int64_t)json_array_size(v) < f->min)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must have at least %lld entries", n,
				    (long long)f->min);
		if ((int64_t)json_array_size(v) > f->max)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must have at most %lld entries", n,
				    (long long)f->max);
		return true;
	case SPEC_OBJECT:
		if (!json_is_object(v))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be an object", n);
		if ((int64_t)json_object_size(v) > f->max)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must have at most %lld members", n,
				    (long long)f->max);
		return true;
	case SPEC_ID_ARRAY: {
		if (!json_is_array(v))
			return spec_fail(err, E_FIELD_INVALID, n, "%s must be an array of ids", n);
		if ((int64_t)json_array_size(v) > f->max)
			return spec_fail(err, E_FIELD_INVALID, n, "%s must have at most %lld items", n,
				    (long long)f->max);
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
		{
			if (!json_is_integer(item) || json_integer_value(item) < 1)
				return spec_fail(err, E_FIELD_INVALID, n, "%s must be an array of ids", n);
		}
		return true;
	}
	}
	return spec_fail(err, E_INTERNAL, n, "unknown field type");
}

bool spec_check(struct spec spec, const json_t *body, bool patch, struct spec_error *err)
{
	if (!json_is_object(body))
		return spec_fail(err, E_INVALID_JSON, NULL, "the body must be a JSON object");
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		size_t i;
		for (i = 0; i < spec.n; i++)
			if (strcmp(spec.fields[i].name, key) == 0)
				break;
		if (i == spec.n)
			return spec_fail(err, E_FIELD_UNKNOWN, key, "%.64s is not a field of this request", key);
	}
	if (patch && json_object_size(body) == 0)
		return spec_fail(err, E_BAD_REQUEST, NULL, "the body must change at least one field");
	for (size_t i = 0; i < spec.n; i++) {
		const struct spec_field *f = &spec.fields[i];
		json_t *fv = json_object_get(body, f->name);
		if (!fv) {
			if (f->required && !patch)
				return spec_fail(err, E_FIELD_MISSING, f->name, "%s is required", f->name);
			continue;
		}
		if (json_is_null(fv)) {
			if (f->nullable && !f->required)
				continue;
			return spec_fail(err, E_FIELD_INVALID, f->name, "%s must not be null", f->name);
		}
		if (!check_field(f, fv, err))
			return false;
	}
	return true;
}

const char *spec_str(const json_t *body, const char *name)
{
	return json_string_value(json_object_get(body, name));
}

int64_t spec_int(const json_t *body, const char *name, int64_t dflt)
{
	json_t *v = json_object_get(body, name);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

bool spec_has(const json_t *body, const char *name)
{
	return json_object_get(body, name) != NULL;
}
