/* Included first by every maitred source file: turns the C library's sharp
 * tools into compile errors, so checked replacements are used instead. */
#ifndef MAITRED_COMPAT_H
#define MAITRED_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_banned_in_maitred

#undef strcpy
#define strcpy(a, b) BANNED(strcpy)
#undef strcat
#define strcat(a, b) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(a, b) BANNED(strtok)
#undef atoi
#define atoi(a) BANNED(atoi)
#undef atol
#define atol(a) BANNED(atol)
#undef gmtime
#define gmtime(a) BANNED(gmtime)
#undef localtime
#define localtime(a) BANNED(localtime)
#undef gets
#define gets(a) BANNED(gets)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Parses a whole decimal integer in [min, max]; false on anything else. */
bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Writes v in decimal to out (room for 21 bytes), without a NUL; returns
 * the length. No printf: it runs for every number in every response. */
size_t format_i64(char *out, int64_t v);

#endif
