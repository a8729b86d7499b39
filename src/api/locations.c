/* Locations: the business's sites, each with its time zone and currency. */
#include "util/compat.h"
#include "api/api.h"
#include "util/clock.h"

#include <ctype.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"

static const struct spec_field location_fields[] = {
	{"name", SPEC_STRING, true, false, 1, 120, NULL},
	{"timezone", SPEC_STRING, true, false, 1, 64, NULL},
	{"currency", SPEC_STRING, true, false, 3, 3, NULL},
};
const struct spec location_spec = SPEC(location_fields);

/* How long a case may stay unresolved, by severity: five minutes to 30 days. */
#define DUE_MINUTES_MIN 5
#define DUE_MINUTES_MAX 43200
static const char *const due_fields[3] = {"case_due_minutes_low", "case_due_minutes_medium",
					  "case_due_minutes_high"};
static const struct spec_field location_update_fields[] = {
	{"name", SPEC_STRING, false, false, 1, 120, NULL},
	{"timezone", SPEC_STRING, false, false, 1, 64, NULL},
	{"currency", SPEC_STRING, false, false, 3, 3, NULL},
	{"case_due_minutes_low", SPEC_INT, false, false, DUE_MINUTES_MIN, DUE_MINUTES_MAX, NULL},
	{"case_due_minutes_medium", SPEC_INT, false, false, DUE_MINUTES_MIN, DUE_MINUTES_MAX, NULL},
	{"case_due_minutes_high", SPEC_INT, false, false, DUE_MINUTES_MIN, DUE_MINUTES_MAX, NULL},
	{"order_accept_minutes", SPEC_INT, false, false, 1, 240, NULL},
	{"order_promised_minutes", SPEC_INT, false, false, 1, 1440, NULL},
	{"order_serve_minutes", SPEC_INT, false, false, 1, 240, NULL},
	{"order_case_minutes", SPEC_INT, false, false, 1, 1440, NULL},
	{"survey_expiry_days", SPEC_INT, false, false, 1, 365, NULL},
	{"survey_gap_days", SPEC_INT, false, false, 0, 365, NULL},
	{"feedback_case_hours", SPEC_INT, false, false, 1, 720, NULL},
	{"survey_after_visit", SPEC_BOOL, false, false, 0, 0, NULL},
	{"check_grace_minutes", SPEC_INT, false, false, 0, 240, NULL},
};
const struct spec location_update_spec = SPEC(location_update_fields);

static json_t *location_json(const struct location *l)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:{s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:b},s:{s:I}}", "id",
			 (json_int_t)l->id, "name", l->name, "timezone", l->timezone, "currency",
			 l->currency, "created_at", json_time(l->created_at), "case_due_minutes", "low",
			 (json_int_t)l->case_due_minutes[0], "medium",
			 (json_int_t)l->case_due_minutes[1], "high",
			 (json_int_t)l->case_due_minutes[2], "order_minutes", "accept",
			 (json_int_t)l->orders.accept, "promised", (json_int_t)l->orders.promised,
			 "serve", (json_int_t)l->orders.serve, "case_after",
			 (json_int_t)l->orders.case_after, "surveys", "expiry_days",
			 (json_int_t)l->survey_expiry_days, "gap_days", (json_int_t)l->survey_gap_days,
			 "case_hours", (json_int_t)l->feedback_case_hours, "after_visit",
			 (int)l->survey_after_visit, "checks", "grace_minutes",
			 (json_int_t)l->check_grace_minutes);
}

/* An IANA zone name such as Europe/London: well formed, and readable from
 * the system's tz database when one is installed. */
static bool valid_timezone(const char *tz)
{
	if (strcmp(tz, "UTC") == 0)
		return true;
	if (!isupper((unsigned char)tz[0]) || !strchr(tz, '/') || strstr(tz, "..") || strstr(tz, "//"))
		return false; /* also rules out posix/…, right/… and Factory */
	for (const char *p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			return false;
	return access(ZONEINFO_DIR, F_OK) != 0 || zone_known(tz);
}

/* Active ISO 4217 codes. */
static const char ISO_4217[] =
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN "
	"BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD "
	"FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
	"KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP "
	"MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR "
	"RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT "
	"TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW "
	"ZWL";

static bool valid_currency(const char *c)
{
	if (strlen(c) != 3 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
	    !isupper((unsigned char)c[2]))
		return false;
	for (const char *p = ISO_4217;; p += 4) {
		if (strncmp(p, c, 3) == 0)
			return true;
		if (!p[3])
			return false;
	}
}

static enum err location_check(struct req *r, const struct location *l)
{
	if (!valid_timezone(l->timezone))
		return req_fail(r, E_FIELD_INVALID, "timezone",
				"timezone must be an IANA time zone name such as Europe/London");
	if (!valid_currency(l->currency))
		return req_fail(r, E_FIELD_INVALID, "currency",
				"currency must be an ISO 4217 code such as EUR");
	return E_OK;
}

enum err locations_list_h(struct req *r)
{
	struct location *ls;
	int n;
	enum db_rc rc = locations_list(r->db, &r->arena, &ls, &n);
	if (rc != DB_DONE)
		return req_db_fail(r, rc);
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		if (caller_at_location(&r->caller, ls[i].id))
			json_array_append_new(items, location_json(&ls[i]));
	return req_json(r, 200, json_pack("{s:o}", "items", items));
}

enum err locations_get_h(struct req *r)
{
	struct location l;
	enum db_rc rc = locations_get(r->db, &r->arena, r->ids[0], &l);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, l.id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	return req_json(r, 200, location_json(&l));
}

enum err locations_create_h(struct req *r)
{
	struct location l = {
		.name = spec_str(r->body, "name"),
		.timezone = spec_str(r->body, "timezone"),
		.currency = spec_str(r->body, "currency"),
		.created_at = clock_now(),
	};
	enum err e = location_check(r, &l);
	if (e)
		return e;
	enum db_rc rc = locations_insert(r->db, &l);
	if (rc == DB_CONSTRAINT)
		return req_fail(r, E_CONFLICT, "name", "there is already a location with this name");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	json_t *body = location_json(&l);
	rc = event_add_json(r->db, req_actor(r), "location.created", l.id, -1, l.id, json_incref(body));
	if (rc != DB_DONE) {
		json_decref(body);
		return req_db_fail(r, rc);
	}
	return req_json(r, 201, body);
}

/* Owners, and managers of the location, rename it or change its settings. */
enum err locations_update_h(struct req *r)
{
	struct location old, l;
	enum db_rc rc = locations_get(r->db, &r->arena, r->ids[0], &old);
	if (rc == DB_DONE || (rc == DB_ROW && !caller_at_location(&r->caller, old.id)))
		return req_fail(r, E_NOT_FOUND, NULL, "no such location");
	if (rc != DB_ROW)
		return req_db_fail(r, rc);
	l = old;
	if (spec_has(r->body, "name"))
		l.name = spec_str(r->body, "name");
	if (spec_has(r->body, "timezone"))
		l.timezone = spec_str(r->body, "timezone");
	if (spec_has(r->body, "currency"))
		l.currency = spec_str(r->body, "currency");
	for (int i = 0; i < 3; i++)
		l.case_due_minutes[i] = spec_int(r->body, due_fields[i], old.case_due_minutes[i]);
	l.orders.accept = spec_int(r->body, "order_accept_minutes", old.orders.accept);
	l.orders.promised = spec_int(r->body, "order_promised_minutes", old.orders.promised);
	l.orders.serve = spec_int(r->body, "order_serve_minutes", old.orders.serve);
	l.orders.case_after = spec_int(r->body, "order_case_minutes", old.orders.case_after);
	l.survey_expiry_days = spec_int(r->body, "survey_expiry_days", old.survey_expiry_days);
	l.survey_gap_days = spec_int(r->body, "survey_gap_days", old.survey_gap_days);
	l.feedback_case_hours = spec_int(r->body, "feedback_case_hours", old.feedback_case_hours);
	if (spec_has(r->body, "survey_after_visit"))
		l.survey_after_visit = json_is_true(json_object_get(r->body, "survey_after_visit"));
	l.check_grace_minutes = spec_int(r->body, "check_grace_minutes", old.check_grace_minutes);
	enum err e = location_check(r, &l);
	if (e)
		return e;
	json_t *before = location_json(&old), *after = location_json(&l);
	if (json_equal(before, after)) {
		json_decref(before);
		return req_json(r, 200, after);
	}
	rc = locations_update(r->db, &l);
	if (rc == DB_CONSTRAINT) {
		json_decref(before);
		json_decref(after);
		return req_fail(r, E_CONFLICT, "name", "there is already a location with this name");
	}
	if (rc == DB_DONE)
		rc = event_add_json(r->db, req_actor(r), "location.updated", l.id, -1, l.id,
				    json_pack("{s:O,s:O}", "before", before, "after", after));
	json_decref(before);
	if (rc != DB_DONE) {
		json_decref(after);
		return req_db_fail(r, rc);
	}
	return req_json(r, 200, after);
}
