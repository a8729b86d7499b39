/* JSON writer (see jw.h). */
#include "util/compat.h"
#include "util/jw.h"
#include "util/clock.h"

#include <math.h>

#define JW_INITIAL_BYTES 4096

void jw_init(struct jw *w, struct buf *b)
{
	/* most responses fit: no regrowth (a smaller buffer gets what it allows) */
	size_t room = b->max > b->len ? b->max - b->len : 0;
	buf_reserve(b, room < JW_INITIAL_BYTES ? room : JW_INITIAL_BYTES);
	w->b = b;
	w->depth = 0;
	w->comma[0] = false;
}

/* Before a value: a comma if one came before at this level. */
static void value(struct jw *w)
{
	if (w->comma[w->depth])
		buf_append(w->b, ",", 1);
	w->comma[w->depth] = true;
}

static void open(struct jw *w, char c)
{
	value(w);
	buf_append(w->b, &c, 1);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	else
		w->b->overflow = true;
	w->comma[w->depth] = false;
}

static void close_(struct jw *w, char c)
{
	buf_append(w->b, &c, 1);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(struct jw *w) { open(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr(struct jw *w) { open(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

void jw_key(struct jw *w, const char *key)
{
	value(w);
	buf_json_str(w->b, key);
	buf_append(w->b, ":", 1);
	w->comma[w->depth] = false; /* the value follows without a comma */
}

void jw_key_raw(struct jw *w, const char *quoted, size_t len)
{
	value(w);
	buf_append(w->b, quoted, len);
	w->comma[w->depth] = false;
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	value(w);
	buf_json_str(w->b, s);
}

void jw_int(struct jw *w, int64_t v)
{
	char out[24];
	size_t n = format_i64(out, v);
	value(w);
	buf_append(w->b, out, n);
}

void jw_opt_int(struct jw *w, int64_t v)
{
	if (v < 0)
		jw_null(w);
	else
		jw_int(w, v);
}

void jw_bool(struct jw *w, bool v)
{
	value(w);
	buf_puts(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	value(w);
	buf_append(w->b, "null", 4);
}

void jw_time(struct jw *w, int64_t t)
{
	if (t < 0) {
		jw_null(w);
		return;
	}
	char s[CLOCK_RFC3339_LEN + 2];
	s[0] = '"';
	clock_format(t, s + 1);
	s[CLOCK_RFC3339_LEN] = '"';
	value(w);
	buf_append(w->b, s, CLOCK_RFC3339_LEN + 1);
}

void jw_fixed(struct jw *w, double v, int decimals)
{
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	char num[64];
	snprintf(num, sizeof(num), "%.*f", decimals, v);
	value(w);
	buf_append(w->b, num, strlen(num));
}

void jw_raw(struct jw *w, const char *json)
{
	value(w);
	buf_append(w->b, json, strlen(json));
}
