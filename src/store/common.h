/* Helpers shared by the store files: copying columns into the arena. */
#ifndef MAITRED_STORE_COMMON_H
#define MAITRED_STORE_COMMON_H

#include "store/db.h"
#include "util/arena.h"

/* The column's text copied into the arena, or NULL when NULL. */
static inline const char *col_str(struct db_stmt *st, struct arena *a, int col)
{
	const char *s = db_col_text(st, col);
	return s ? arena_strdup(a, s) : NULL;
}


#endif
