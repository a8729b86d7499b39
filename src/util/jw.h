/* A JSON writer into a struct buf, for hot responses where building a
 * jansson tree costs more than the queries behind it. Commas and nesting
 * are tracked here; strings are escaped. Check b->overflow at the end. */
#ifndef MAITRED_JW_H
#define MAITRED_JW_H

#include "util/buf.h"

#define JW_MAX_DEPTH 16

struct jw {
	struct buf *b;
	int depth;
	bool comma[JW_MAX_DEPTH]; /* a value was written at this depth */
};

void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* A key known at compile time, written pre-quoted in one append:
 * JW_KEY(w, "name"). The key must need no escaping. */
#define JW_KEY(w, k) jw_key_raw((w), "\"" k "\":", sizeof("\"" k "\":") - 1)
void jw_key_raw(struct jw *w, const char *quoted, size_t len);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_opt_int(struct jw *w, int64_t v); /* negative writes null */
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_time(struct jw *w, int64_t t); /* RFC 3339; negative writes null */
/* A number with so many decimals ("%.*f"); null when not finite. */
void jw_fixed(struct jw *w, double v, int decimals);
/* JSON text written as it is: only for text this program wrote (stored
 * event data), never for input. */
void jw_raw(struct jw *w, const char *json);

#endif
