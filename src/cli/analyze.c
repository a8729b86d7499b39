/* `maitred analyze`: one comment per line in, one JSON object per line out
 * ({"sentiment", "label", "themes"}), for batch use and evaluation. */
#include "util/compat.h"
#include "cli/cli.h"
#include "domain/sentiment.h"

#define LINE_MAX_BYTES (64 * 1024) /* longer lines are analysed in part */

/* v in [-1, 1] with four decimals, without printf. */
static char *put_score(char *o, double v)
{
	long x = (long)(v * 10000 + (v < 0 ? -0.5 : 0.5));
	if (x < 0) {
		*o++ = '-';
		x = -x;
	}
	*o++ = (char)('0' + x / 10000);
	*o++ = '.';
	long frac = x % 10000;
	for (long d = 1000; d; d /= 10)
		*o++ = (char)('0' + (frac / d) % 10);
	return o;
}

static char *put_str(char *o, const char *s)
{
	size_t n = strlen(s);
	memcpy(o, s, n);
	return o + n;
}

#define THEMES_MAX_BYTES (256 * 1024)

bool cli_load_themes(const char *cmd, const char *path, struct sent_taxonomy *out)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "maitred %s: cannot read %s\n", cmd, path);
		return false;
	}
	char *text = malloc(THEMES_MAX_BYTES + 1);
	size_t n = text ? fread(text, 1, THEMES_MAX_BYTES + 1, f) : 0;
	bool bad = !text || ferror(f) || n > THEMES_MAX_BYTES;
	fclose(f);
	if (bad) {
		fprintf(stderr, "maitred %s: %s is unreadable or over %d KiB\n", cmd, path,
			THEMES_MAX_BYTES / 1024);
		free(text);
		return false;
	}
	text[n] = '\0';
	char err[160];
	bool ok = strlen(text) == n && sent_taxonomy_parse(text, out, err, sizeof(err));
	if (!ok)
		fprintf(stderr, "maitred %s: %s: %s\n", cmd, path,
			strlen(text) != n ? "contains a NUL byte" : err);
	free(text);
	return ok;
}

int analyze_run(FILE *in, FILE *out, const struct sent_theme *themes, int nthemes)
{
	struct sentiment *s = sentiment_new(themes, nthemes);
	if (!s) {
		fprintf(stderr, "maitred analyze: cannot start the analyser (out of memory?)\n");
		return 1;
	}
	char *line = malloc(LINE_MAX_BYTES);
	/* one result: fixed keys, a score per theme */
	char *res = malloc(256 + SENT_MAX_THEMES * (SENT_THEME_NAME_MAX + 40));
	if (!line || !res) {
		free(line);
		free(res);
		sentiment_free(s);
		return 1;
	}
	while (fgets(line, LINE_MAX_BYTES, in)) {
		size_t n = strlen(line);
		bool whole = n && line[n - 1] == '\n';
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		struct sent_result r;
		sentiment_analyze(s, line, n, &r);
		if (!whole && n == LINE_MAX_BYTES - 1) {
			/* the rest of an over-long line is not analysed */
			int c;
			while ((c = fgetc(in)) != EOF && c != '\n')
				;
		}
		char *o = res;
		o = put_str(o, "{\"sentiment\":");
		o = put_score(o, r.score);
		o = put_str(o, ",\"label\":\"");
		o = put_str(o, r.label);
		o = put_str(o, "\",\"themes\":[");
		for (int i = 0; i < r.nthemes; i++) {
			o = put_str(o, i ? ",{\"theme\":\"" : "{\"theme\":\"");
			o = put_str(o, sentiment_theme_name(s, r.themes[i].theme));
			o = put_str(o, "\",\"sentiment\":");
			o = put_score(o, r.themes[i].score);
			*o++ = '}';
		}
		o = put_str(o, "]}\n");
		fwrite(res, 1, (size_t)(o - res), out);
	}
	bool failed = ferror(in) || fflush(out) != 0 || ferror(out);
	free(line);
	free(res);
	sentiment_free(s);
	if (failed) {
		fprintf(stderr, "maitred analyze: read or write error\n");
		return 1;
	}
	return 0;
}
