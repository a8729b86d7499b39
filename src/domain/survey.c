/* Feedback rules (see survey.h). */
#include "util/compat.h"
#include "domain/survey.h"

const char *survey_category(int nps)
{
	if (nps < 0 || nps > 10)
		return NULL;
	return nps >= 9 ? "promoter" : nps >= 7 ? "passive" : "detractor";
}

bool survey_is_detractor(const struct survey_response *r)
{
	return (r->nps >= 0 && r->nps <= SURVEY_DETRACTOR_MAX_NPS) ||
	       (r->min_rating > 0 && r->min_rating <= SURVEY_DETRACTOR_MAX_RATING) ||
	       (r->has_sentiment && r->sentiment <= SURVEY_DETRACTOR_SENTIMENT);
}

const char *survey_case_severity(const struct survey_response *r)
{
	bool high = (r->nps >= 0 && r->nps <= SURVEY_HIGH_MAX_NPS) ||
		    (r->has_sentiment && r->sentiment <= SURVEY_HIGH_SENTIMENT);
	return high ? "high" : "medium";
}

const char *survey_case_category(const char *const *themes, const double *scores, int n)
{
	static const struct {
		const char *theme, *category;
	} map[] = {
		{"wait", "order_late"},	 {"accuracy", "order_wrong"}, {"food", "quality"},
		{"drinks", "quality"},	 {"staff", "staff"},	      {"cleanliness", "cleanliness"},
		{"price", "billing"},	 {"payment", "billing"},      {"ambience", "other"},
	};
	int worst = -1;
	for (int i = 0; i < n; i++)
		if (scores[i] < 0 && (worst < 0 || scores[i] < scores[worst]))
			worst = i;
	if (worst < 0)
		return "other";
	for (size_t k = 0; k < ARRAY_SIZE(map); k++)
		if (strcmp(map[k].theme, themes[worst]) == 0)
			return map[k].category;
	return "other";
}

bool survey_nps(int64_t promoters, int64_t passives, int64_t detractors, int *out)
{
	int64_t total = promoters + passives + detractors;
	if (total <= 0)
		return false;
	double v = 100.0 * (double)(promoters - detractors) / (double)total;
	*out = (int)(v < 0 ? v - 0.5 : v + 0.5);
	return true;
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Whether word (len n) occurs in s as a whole word. */
static bool has_word(const char *s, const char *word, size_t n)
{
	if (!n)
		return false;
	for (const char *p = s; (p = strstr(p, word)); p++) {
		bool start = p == s || !word_char((unsigned char)p[-1]);
		bool end = !word_char((unsigned char)p[n]);
		if (start && end)
			return true;
	}
	return false;
}

bool survey_mentions(const char *folded_comment, const char *folded_name)
{
	if (has_word(folded_comment, folded_name, strlen(folded_name)))
		return true;
	size_t first = strcspn(folded_name, " ");
	if (first < 2 || first == strlen(folded_name))
		return false; /* one-letter first names would match too much */
	char buf[128];
	if (first >= sizeof(buf))
		return false;
	memcpy(buf, folded_name, first);
	buf[first] = '\0';
	return has_word(folded_comment, buf, first);
}
