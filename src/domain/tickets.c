/* Order tickets (see tickets.h). */
#include "util/compat.h"
#include "domain/tickets.h"
#include "domain/text.h"

#include <stdarg.h>

const char *const ticket_statuses[] = {"placed", "accepted", "ready", "served", "cancelled", NULL};

bool ticket_open(const char *status)
{
	return strcmp(status, "placed") == 0 || strcmp(status, "accepted") == 0 ||
	       strcmp(status, "ready") == 0;
}

bool ticket_transition_ok(const char *from, const char *to)
{
	static const char *const forward[][2] = {
		{"placed", "accepted"}, {"accepted", "ready"}, {"ready", "served"}};
	if (strcmp(to, "cancelled") == 0)
		return ticket_open(from);
	for (size_t i = 0; i < ARRAY_SIZE(forward); i++)
		if (strcmp(forward[i][0], from) == 0 && strcmp(forward[i][1], to) == 0)
			return true;
	return false;
}

int64_t ticket_due(const char *status, const struct ticket_times *t)
{
	if (strcmp(status, "placed") == 0)
		return t->accept_by < t->promised_at ? t->accept_by : t->promised_at;
	if (strcmp(status, "accepted") == 0)
		return t->promised_at;
	if (strcmp(status, "ready") == 0)
		return t->serve_by;
	return -1;
}

const char *ticket_clock_name(const char *status, const struct ticket_times *t)
{
	if (strcmp(status, "placed") == 0)
		return t->accept_by < t->promised_at ? "accept" : "ready";
	if (strcmp(status, "accepted") == 0)
		return "ready";
	if (strcmp(status, "ready") == 0)
		return "serve";
	return NULL;
}

int64_t ticket_case_at(const char *status, const struct ticket_times *t,
		       const struct ticket_clocks *c)
{
	int64_t due = ticket_due(status, t);
	return due < 0 ? -1 : due + c->case_after * 60;
}

const char *ticket_case_category(const char *status)
{
	return strcmp(status, "placed") == 0 ? "order_missing" : "order_late";
}

/* ---- items ---- */

static bool item_fail(struct spec_error *err, enum err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* err->field already holds the path; the message starts with it. */
static bool item_fail(struct spec_error *err, enum err code, const char *fmt, ...)
{
	err->code = code;
	int n = snprintf(err->message, sizeof(err->message), "%s ", err->field);
	if (n < 0 || (size_t)n >= sizeof(err->message))
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message + n, sizeof(err->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static bool control(const char *s, size_t len)
{
	if (strlen(s) != len)
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20)
			return true;
	return false;
}

/* A one-line string of 1..max characters (0..max when may_be_empty). */
static bool check_text(const json_t *v, int64_t max, bool may_be_empty, struct spec_error *err)
{
	if (!json_is_string(v))
		return item_fail(err, E_FIELD_INVALID, "must be a string");
	const char *s = json_string_value(v);
	if (control(s, json_string_length(v)))
		return item_fail(err, E_FIELD_INVALID, "must be one line, without control characters");
	if (!may_be_empty && blank(s))
		return item_fail(err, E_FIELD_INVALID, "must not be blank");
	if ((int64_t)text_chars(s) > max)
		return item_fail(err, E_FIELD_INVALID, "must be at most %lld characters", (long long)max);
	return true;
}

static bool check_item(const json_t *item, size_t i, struct spec_error *err)
{
	snprintf(err->field, sizeof(err->field), "items[%zu]", i);
	if (!json_is_object(item))
		return item_fail(err, E_FIELD_INVALID, "must be an object with a name");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)item, key, v) {
		/* the key as given, cut to fit at a character boundary */
		int n = snprintf(err->field, sizeof(err->field), "items[%zu].%s", i, key);
		if (n >= (int)sizeof(err->field)) {
			size_t k = strlen(err->field);
			size_t start = k;
			while (start && ((unsigned char)err->field[start - 1] & 0xC0) == 0x80)
				start--;
			if (start && (unsigned char)err->field[start - 1] >= 0xC0) {
				unsigned char lead = (unsigned char)err->field[start - 1];
				size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
				if (k - (start - 1) < want)
					err->field[start - 1] = '\0';
			}
		}
		if (strcmp(key, "name") == 0) {
			if (!check_text(v, TICKET_ITEM_NAME_MAX, false, err))
				return false;
		} else if (strcmp(key, "quantity") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > TICKET_MAX_QUANTITY)
				return item_fail(err, E_FIELD_INVALID, "must be an integer between 1 and %d",
						 TICKET_MAX_QUANTITY);
		} else if (strcmp(key, "note") == 0) {
			if (!json_is_null(v) && !check_text(v, TICKET_ITEM_NOTE_MAX, true, err))
				return false;
		} else if (strcmp(key, "modifiers") == 0) {
			if (!json_is_array(v))
				return item_fail(err, E_FIELD_INVALID, "must be an array of strings");
			if (json_array_size(v) > TICKET_MAX_MODIFIERS)
				return item_fail(err, E_FIELD_INVALID, "must have at most %d modifiers",
						 TICKET_MAX_MODIFIERS);
			for (size_t m = 0; m < json_array_size(v); m++) {
				snprintf(err->field, sizeof(err->field), "items[%zu].modifiers[%zu]", i, m);
				if (!check_text(json_array_get(v, m), TICKET_MODIFIER_MAX, false, err))
					return false;
			}
		} else {
			return item_fail(err, E_FIELD_UNKNOWN, "is not a field of an item");
		}
	}
	if (!json_object_get(item, "name")) {
		snprintf(err->field, sizeof(err->field), "items[%zu].name", i);
		return item_fail(err, E_FIELD_MISSING, "is required: what is being ordered");
	}
	return true;
}

bool ticket_items_check(const json_t *items, struct spec_error *err)
{
	snprintf(err->field, sizeof(err->field), "items");
	if (!items)
		return item_fail(err, E_FIELD_MISSING, "is required");
	if (!json_is_array(items))
		return item_fail(err, E_FIELD_INVALID, "must be an array of items");
	size_t n = json_array_size(items);
	if (n == 0)
		return item_fail(err, E_FIELD_INVALID, "must have at least one item");
	if (n > TICKET_MAX_ITEMS)
		return item_fail(err, E_FIELD_INVALID, "must have at most %d items", TICKET_MAX_ITEMS);
	for (size_t i = 0; i < n; i++)
		if (!check_item(json_array_get(items, i), i, err))
			return false;
	return true;
}

/* ---- the card's summary ---- */

void ticket_summary(const struct ticket_line *lines, int n, char *out, size_t outlen)
{
	static const char mark[] = "…";
	const size_t marklen = sizeof(mark) - 1;
	if (outlen <= marklen)
		return (void)(outlen ? out[0] = '\0' : 0);
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int k = snprintf(out + used, outlen - used, "%s%lld× %s", i ? ", " : "",
				 (long long)lines[i].quantity, lines[i].name);
		if (k >= 0 && used + (size_t)k < outlen) {
			used += (size_t)k;
			continue;
		}
		/* cut: make room for the mark at a character boundary */
		size_t keep = outlen - 1 - marklen;
		while (keep && ((unsigned char)out[keep] & 0xC0) == 0x80)
			keep--;
		memcpy(out + keep, mark, sizeof(mark));
		return;
	}
}
