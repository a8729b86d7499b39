/* A growable byte buffer with a ceiling: appends fail once the maximum would
 * be passed, and memory leaves only through buf_detach() or buf_release(). */
#ifndef MAITRED_BUF_H
#define MAITRED_BUF_H

#include "util/compat.h"

struct buf {
	char *data; /* always NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	size_t max;
	bool overflow; /* an append was refused */
};

void buf_init(struct buf *b, size_t max);
/* Makes room for extra more bytes without appending them. */
bool buf_reserve(struct buf *b, size_t extra);
bool buf_append_slow(struct buf *b, const void *data, size_t len);
/* Appends len bytes; the common case, with room already there, is inline. */
static inline bool buf_append(struct buf *b, const void *data, size_t len)
{
	if (b->data && !b->overflow && len < b->cap - b->len && len <= b->max - b->len) {
		memcpy(b->data + b->len, data, len);
		b->len += len;
		b->data[b->len] = '\0';
		return true;
	}
	return buf_append_slow(b, data, len);
}
bool buf_puts(struct buf *b, const char *s);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
bool buf_json_str(struct buf *b, const char *s);
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);

#endif
