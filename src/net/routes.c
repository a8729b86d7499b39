/* The route table and nothing else: method, path, handler, flags, roles,
 * body limit, body declaration, allowed query parameters. */
#include "util/compat.h"
#include "net/routes.h"
#include "api/api.h"

static const char *const q_search[] = {"q", "limit", "cursor", NULL};
static const char *const q_page[] = {"limit", "cursor", NULL};
static const char *const q_notes[] = {"kind", "limit", "cursor", NULL};
static const char *const q_visits[] = {"guest_id", "limit", "cursor", NULL};
static const char *const q_cases[] = {"location_id", "status", "owner_id", "overdue", "guest_id",
				      "limit", "cursor", NULL};
static const char *const q_alerts[] = {"location_id", "kind", "limit", "cursor", NULL};
static const char *const q_insights[] = {"location_id", "from", "to", NULL};
static const char *const q_orders[] = {"location_id", "status", "guest_id", "limit", "cursor", NULL};
static const char *const q_stream[] = {"location_id", "last_event_id", NULL};
static const char *const q_token[] = {"token", NULL};
static const char *const q_feedback[] = {"location_id", "category", "theme", "label", "from", "to",
					 "limit", "cursor", NULL};
static const char *const q_location[] = {"location_id", NULL};
static const char *const q_feedback_insights[] = {"location_id", "from", "to", "interval", NULL};
static const char *const q_checks[] = {"location_id", "due", "at", "owner_role", "standard_id",
				       "result", "from", "to", "limit", "cursor", NULL};
static const char *const q_at_risk[] = {"location_id", "min_visits", "max_p_alive", "limit",
					"cursor", NULL};
static const char *const q_audits[] = {"location_id", "kind", "status", "limit", "cursor", NULL};

#define CHECK_MAX_BODY_BYTES (3 * 1024 * 1024) /* a photo of up to 2 MiB, in base64 */

#define R(m, p, h, f, roles, spec, q) {m, p, h, f, roles, DEFAULT_MAX_BODY_BYTES, spec, q, NULL}
/* with a prepare step */
#define RP(m, p, pre, h, f, roles, spec) {m, p, h, f, roles, DEFAULT_MAX_BODY_BYTES, spec, NULL, pre}

const struct route routes[] = {
	R(M_GET, "/healthz", health_get, 0, 0, NULL, NULL),
	R(M_GET, "/metrics", metrics_get, 0, 0, NULL, NULL),
	RP(M_POST, "/api/v1/session", session_check, session_create, F_JSON | F_WRITE | F_NO_CSRF, 0, &session_spec),
	R(M_GET, "/api/v1/session", session_get, F_AUTH | F_READ, 0, NULL, NULL),
	R(M_DELETE, "/api/v1/session", session_delete, F_AUTH | F_WRITE, 0, NULL, NULL),
	R(M_GET, "/api/v1/locations", locations_list_h, F_AUTH | F_READ, 0, NULL, NULL),
	R(M_POST, "/api/v1/locations", locations_create_h, F_AUTH | F_JSON | F_WRITE, ROLE_OWNER, &location_spec, NULL),
	R(M_GET, "/api/v1/locations/{id}", locations_get_h, F_AUTH | F_READ, 0, NULL, NULL),
	R(M_PATCH, "/api/v1/locations/{id}", locations_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_MANAGERS, &location_update_spec, NULL),
	R(M_GET, "/api/v1/staff", staff_list_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, NULL),
	RP(M_POST, "/api/v1/staff", staff_hash_password, staff_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_MANAGERS, &staff_create_spec),
	R(M_GET, "/api/v1/staff/{id}", staff_get_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, NULL),
	RP(M_PATCH, "/api/v1/staff/{id}", staff_hash_password, staff_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_MANAGERS, &staff_update_spec),
	R(M_GET, "/api/v1/guests", guests_search_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_search),
	R(M_POST, "/api/v1/guests", guests_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &guest_create_spec, NULL),
	R(M_GET, "/api/v1/guests/{id}", guests_get_h, F_AUTH | F_READ, ROLES_STAFF, NULL, NULL),
	R(M_PATCH, "/api/v1/guests/{id}", guests_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_STAFF, &guest_update_spec, NULL),
	R(M_GET, "/api/v1/guests/{id}/card", guests_card_h, F_AUTH | F_READ, ROLES_STAFF, NULL, NULL),
	R(M_GET, "/api/v1/guests/{id}/timeline", guests_timeline_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_page),
	R(M_POST, "/api/v1/guests/{id}/merge", guests_merge_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &guest_merge_spec, NULL),
	R(M_GET, "/api/v1/guests/{id}/flags", flags_get_h, F_AUTH | F_READ, ROLES_ALL, NULL, NULL),
	R(M_GET, "/api/v1/guests/{id}/notes", notes_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_notes),
	R(M_POST, "/api/v1/guests/{id}/notes", notes_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &note_create_spec, NULL),
	R(M_PATCH, "/api/v1/guests/{id}/notes/{note_id}", notes_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_STAFF, &note_update_spec, NULL),
	R(M_DELETE, "/api/v1/guests/{id}/notes/{note_id}", notes_delete_h, F_AUTH | F_WRITE, ROLES_STAFF, NULL, NULL),
	R(M_POST, "/api/v1/guests/{id}/talking-points/{tp_id}/uses", talk_use_h, F_AUTH | F_WRITE, ROLES_STAFF, NULL, NULL),
	R(M_GET, "/api/v1/talking-points", talk_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, NULL),
	R(M_POST, "/api/v1/talking-points", talk_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_MANAGERS, &talk_create_spec, NULL),
	R(M_PATCH, "/api/v1/talking-points/{id}", talk_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_MANAGERS, &talk_update_spec, NULL),
	R(M_POST, "/api/v1/visits", visits_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &visit_spec, NULL),
	R(M_GET, "/api/v1/visits", visits_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_visits),
	R(M_GET, "/api/v1/cases", cases_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_cases),
	R(M_POST, "/api/v1/cases", cases_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &case_create_spec, NULL),
	R(M_GET, "/api/v1/cases/{id}", cases_get_h, F_AUTH | F_READ, ROLES_STAFF, NULL, NULL),
	R(M_PATCH, "/api/v1/cases/{id}", cases_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_STAFF, &case_update_spec, NULL),
	R(M_POST, "/api/v1/cases/{id}/actions", case_actions_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &case_action_spec, NULL),
	R(M_GET, "/api/v1/alerts", alerts_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_alerts),
	R(M_GET, "/api/v1/insights/recovery", recovery_insights_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, q_insights),
	R(M_GET, "/api/v1/orders", orders_list_h, F_AUTH | F_READ, ROLES_ALL, NULL, q_orders),
	R(M_POST, "/api/v1/orders", orders_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &order_create_spec, NULL),
	R(M_GET, "/api/v1/orders/{id}", orders_get_h, F_AUTH | F_READ, ROLES_ALL, NULL, NULL),
	R(M_PATCH, "/api/v1/orders/{id}", orders_update_h, F_AUTH | F_JSON | F_WRITE, ROLES_ALL, &order_update_spec, NULL),
	R(M_GET, "/api/v1/stream", stream_open_h, F_AUTH | F_READ | F_STREAM, ROLES_ALL, NULL, q_stream),
	R(M_POST, "/api/v1/surveys", surveys_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &survey_create_spec, NULL),
	R(M_GET, "/api/v1/public/survey", survey_public_get_h, F_READ, 0, NULL, q_token),
	RP(M_POST, "/api/v1/public/feedback", public_feedback_check, public_feedback_h, F_JSON | F_WRITE | F_NO_CSRF, 0, &public_feedback_spec),
	R(M_GET, "/s/{token}/qr.svg", survey_qr_h, 0, 0, NULL, NULL),
	R(M_POST, "/api/v1/feedback", feedback_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &feedback_create_spec, NULL),
	R(M_GET, "/api/v1/feedback", feedback_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_feedback),
	R(M_GET, "/api/v1/feedback/{id}", feedback_get_h, F_AUTH | F_READ, ROLES_STAFF, NULL, NULL),
	R(M_GET, "/api/v1/kudos", kudos_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_location),
	R(M_GET, "/api/v1/themes", themes_list_h, F_AUTH, ROLES_STAFF, NULL, NULL),
	R(M_GET, "/api/v1/touchpoints", touchpoints_list_h, F_AUTH | F_READ, ROLES_ALL, NULL, q_location),
	R(M_POST, "/api/v1/touchpoints", touchpoints_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_MANAGERS, &touchpoint_create_spec, NULL),
	R(M_PATCH, "/api/v1/touchpoints/{id}", touchpoints_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_MANAGERS, &touchpoint_update_spec, NULL),
	R(M_GET, "/api/v1/insights/feedback", feedback_insights_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, q_feedback_insights),
	R(M_GET, "/api/v1/locations/{id}/hours", hours_get_h, F_AUTH | F_READ, ROLES_ALL, NULL, NULL),
	R(M_PUT, "/api/v1/locations/{id}/hours", hours_put_h, F_AUTH | F_JSON | F_WRITE, ROLES_MANAGERS, &hours_spec, NULL),
	R(M_GET, "/api/v1/standards", standards_list_h, F_AUTH | F_READ, ROLES_ALL, NULL, q_location),
	R(M_POST, "/api/v1/standards", standards_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_MANAGERS, &standard_create_spec, NULL),
	R(M_GET, "/api/v1/standards/{id}", standards_get_h, F_AUTH | F_READ, ROLES_ALL, NULL, NULL),
	R(M_PATCH, "/api/v1/standards/{id}", standards_update_h, F_AUTH | F_JSON | F_WRITE | F_PATCH, ROLES_MANAGERS, &standard_update_spec, NULL),
	R(M_GET, "/api/v1/checks", checks_list_h, F_AUTH | F_READ, ROLES_ALL, NULL, q_checks),
	{M_POST, "/api/v1/checks", checks_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_ALL, CHECK_MAX_BODY_BYTES, &check_spec, NULL, NULL},
	R(M_GET, "/api/v1/checks/{id}", checks_get_h, F_AUTH | F_READ, ROLES_ALL, NULL, NULL),
	R(M_GET, "/api/v1/checks/{id}/photo", check_photo_h, F_AUTH | F_READ, ROLES_ALL, NULL, NULL),
	R(M_GET, "/api/v1/audits", audits_list_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_audits),
	R(M_POST, "/api/v1/audits", audits_create_h, F_AUTH | F_JSON | F_WRITE, ROLES_STAFF, &audit_spec, NULL),
	R(M_GET, "/api/v1/audits/{id}", audits_get_h, F_AUTH | F_READ, ROLES_STAFF, NULL, NULL),
	R(M_GET, "/api/v1/public/audit", audit_public_get_h, F_READ, 0, NULL, q_token),
	RP(M_POST, "/api/v1/public/audits", public_feedback_check, public_audit_h, F_JSON | F_WRITE | F_NO_CSRF, 0, &public_audit_spec),
	R(M_GET, "/api/v1/insights/standards", standards_insights_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, q_feedback_insights),
	R(M_POST, "/api/v1/insights/refit", refit_h, F_AUTH | F_WRITE, ROLES_MANAGERS, NULL, q_location),
	R(M_GET, "/api/v1/insights/fit", fit_get_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, q_location),
	R(M_GET, "/api/v1/insights/at-risk", at_risk_h, F_AUTH | F_READ, ROLES_STAFF, NULL, q_at_risk),
	R(M_GET, "/api/v1/insights/retention", retention_h, F_AUTH | F_READ, ROLES_MANAGERS, NULL, q_location),
};
const size_t routes_count = ARRAY_SIZE(routes);

static const char *const method_names[] = {
	[M_GET] = "GET", [M_HEAD] = "HEAD", [M_POST] = "POST", [M_PUT] = "PUT",
	[M_PATCH] = "PATCH", [M_DELETE] = "DELETE", [M_OPTIONS] = "OPTIONS", [M_OTHER] = "OTHER",
};

const char *method_name(enum method m)
{
	return method_names[m];
}

enum method method_parse(const char *s)
{
	for (int m = M_GET; m < M_OTHER; m++)
		if (strcmp(s, method_names[m]) == 0)
			return (enum method)m;
	return M_OTHER;
}

#define TOKEN_MAX_CHARS 64

/* Matches path against pattern; {name} segments ({id}, {note_id} …) must
 * be positive integers, filling ids in order; a {token} segment is 1-64
 * base64url characters, its span given in *token and *token_len. */
static bool path_match(const char *pattern, const char *path, int64_t *ids, int *nids,
		       const char **token, size_t *token_len)
{
	*nids = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close && strncmp(p, "{token}", 7) == 0) {
			size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					     "0123456789-_");
			if (n == 0 || n > TOKEN_MAX_CHARS || (s[n] && s[n] != '/'))
				return false;
			*token = s;
			*token_len = n;
			p = close + 1;
			s += n;
			continue;
		}
		if (close) {
			size_t n = strcspn(s, "/");
			char num[24];
			if (n == 0 || n >= sizeof(num) || *nids == REQ_MAX_ARGS)
				return false;
			memcpy(num, s, n);
			num[n] = '\0';
			if (num[0] == '0' || !parse_i64(num, 1, INT64_MAX, &ids[*nids]))
				return false;
			(*nids)++;
			p = close + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

const struct route *routes_match(enum method m, const char *path, struct req *r, bool *path_known)
{
	*path_known = false;
	enum method want = m == M_HEAD ? M_GET : m;
	int64_t ids[REQ_MAX_ARGS];
	int nids;
	const char *token = NULL;
	size_t token_len = 0;
	for (size_t i = 0; i < routes_count; i++) {
		if (!path_match(routes[i].pattern, path, ids, &nids, &token, &token_len))
			continue;
		*path_known = true;
		if (routes[i].method != want)
			continue;
		memcpy(r->ids, ids, sizeof(ids));
		r->nids = nids;
		if (token)
			r->path_token = arena_strndup(&r->arena, token, token_len);
		return &routes[i];
	}
	return NULL;
}

void routes_allow(const char *path, char *out, size_t outlen)
{
	int64_t ids[REQ_MAX_ARGS];
	int nids;
	const char *token;
	size_t token_len;
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < routes_count && used < outlen; i++) {
		if (!path_match(routes[i].pattern, path, ids, &nids, &token, &token_len))
			continue;
		used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? ", " : "",
					 method_name(routes[i].method));
		if (routes[i].method == M_GET && used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, ", HEAD");
	}
	if (used < outlen)
		snprintf(out + used, outlen - used, "%sOPTIONS", used ? ", " : "");
}

static void roles_text(unsigned roles, char *out, size_t outlen)
{
	static const enum role all[] = {ROLE_OWNER, ROLE_MANAGER, ROLE_HOST, ROLE_KITCHEN};
	size_t used = 0;
	out[0] = '\0';
	if (!roles) {
		snprintf(out, outlen, "any");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(all) && used < outlen; i++)
		if (roles & all[i])
			used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? "," : "",
						 role_name(all[i]));
}

void routes_print(FILE *f)
{
	fprintf(f, "%-7s %-46s %-6s %-5s %-5s %s\n", "METHOD", "PATH", "AUTH", "BODY", "TX", "ROLES");
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		char roles[64];
		roles_text(rt->flags & F_AUTH ? rt->roles : 0, roles, sizeof(roles));
		fprintf(f, "%-7s %-46s %-6s %-5s %-5s %s\n", method_name(rt->method), rt->pattern,
			rt->flags & F_AUTH ? "yes" : "no", rt->flags & F_JSON ? "json" : "-",
			rt->flags & F_WRITE ? "write" : rt->flags & F_READ ? "read" : "-",
			rt->flags & F_AUTH ? roles : "public");
	}
}
