/* Request-scoped memory: many allocations, one free. Allocation failure
 * aborts, as a request cannot continue without memory. */
#ifndef MAITRED_ARENA_H
#define MAITRED_ARENA_H

#include "util/compat.h"

struct arena_block;
struct arena {
	struct arena_block *head;
};

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

#endif
