/* Growable buffer with a ceiling (see buf.h). */
#include "util/compat.h"
#include "util/buf.h"

#include <stdarg.h>

void buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

static bool buf_grow(struct buf *b, size_t extra)
{
	if (b->overflow || extra > b->max - b->len) {
		b->overflow = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->overflow = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

bool buf_reserve(struct buf *b, size_t extra)
{
	return buf_grow(b, extra);
}

bool buf_append_slow(struct buf *b, const void *data, size_t len)
{
	if (!buf_grow(b, len))
		return false;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

bool buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

bool buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return false;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}

bool buf_json_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	/* Most strings need no escaping: copy them whole. */
	size_t n = 0;
	while ((unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
		n++;
	if (!s[n]) {
		if (!buf_grow(b, n + 2))
			return false;
		char *p = b->data + b->len;
		p[0] = '"';
		memcpy(p + 1, s, n);
		p[n + 1] = '"';
		b->len += n + 2;
		b->data[b->len] = '\0';
		return true;
	}
	if (!buf_append(b, "\"", 1))
		return false;
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char u[7];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p < 0x20) {
				u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
				u[4] = hex[*p >> 4]; u[5] = hex[*p & 15]; u[6] = 0;
				esc = u;
			}
		}
		if (!esc)
			continue;
		if (!buf_append(b, run, (size_t)((const char *)p - run)) || !buf_puts(b, esc))
			return false;
		run = (const char *)p + 1;
	}
	return buf_puts(b, run) && buf_append(b, "\"", 1);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->overflow = false;
}

bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return false;
	const char *p = s;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (!*p)
		return false;
	uint64_t v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > (uint64_t)INT64_MAX + 1)
			return false;
	}
	int64_t r;
	if (neg)
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else if (v > (uint64_t)INT64_MAX)
		return false;
	else
		r = (int64_t)v;
	if (r < min || r > max)
		return false;
	*out = r;
	return true;
}

size_t format_i64(char *out, int64_t v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[len++] = '-';
	while (n)
		out[len++] = tmp[--n];
	return len;
}
