/* Embedded web assets (see static.h). */
#include "util/compat.h"
#include "net/static.h"
#include "util/embedded.h"

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".json", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml; charset=utf-8"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
		{".webmanifest", "application/manifest+json; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

bool static_find(const char *path, struct static_file *out)
{
	if (path[0] != '/' || strstr(path, ".."))
		return false;
	const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, "web", 3) == 0 && strcmp(f->path + 3, rel) == 0) {
			out->data = f->data;
			out->len = f->len;
			out->content_type = content_type(f->path);
			return true;
		}
	}
	return false;
}
