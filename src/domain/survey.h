/* Feedback rules: NPS categories and score, who counts as a detractor (and
 * so gets a recovery case), which category and severity that case takes,
 * and which staff a comment names. Pure: no I/O. */
#ifndef MAITRED_SURVEY_H
#define MAITRED_SURVEY_H

#include "util/compat.h"

#define SURVEY_COMMENT_MAX_CHARS 2000
#define SURVEY_DETRACTOR_MAX_NPS 6
#define SURVEY_DETRACTOR_MAX_RATING 2
#define SURVEY_DETRACTOR_SENTIMENT -0.5
#define SURVEY_HIGH_MAX_NPS 3
#define SURVEY_HIGH_SENTIMENT -0.7

/* "promoter" (9-10), "passive" (7-8), "detractor" (0-6); NULL for nps < 0. */
const char *survey_category(int nps);

/* What a response says, for the closed loop. -1 / NAN-free: absent values
 * are given as nps -1, min_rating 0, has_sentiment false. */
struct survey_response {
	int nps;	/* 0-10, or -1 */
	int min_rating; /* lowest touchpoint rating 1-5, or 0 for none */
	bool has_sentiment;
	double sentiment;
};
bool survey_is_detractor(const struct survey_response *r);
/* "high" or "medium". */
const char *survey_case_severity(const struct survey_response *r);

/* The recovery category for a detractor: that of its most negative theme
 * (themes[i] with scores[i]); "other" when none is negative. */
const char *survey_case_category(const char *const *themes, const double *scores, int n);

/* NPS in points, -100..100, from the counts; false when there are none. */
bool survey_nps(int64_t promoters, int64_t passives, int64_t detractors, int *out);

/* Whether folded_comment (case-folded, accents stripped) names a person:
 * their full name, or their first name, as whole words. folded_name is
 * folded the same way. */
bool survey_mentions(const char *folded_comment, const char *folded_name);

#endif
