/* The one error vocabulary. Handlers and validators return these; net/reply.c
 * maps each to an HTTP status and a stable string code. */
#ifndef MAITRED_ERR_H
#define MAITRED_ERR_H

enum err {
	E_OK = 0,
	E_BAD_REQUEST,
	E_INVALID_JSON,
	E_FIELD_MISSING,
	E_FIELD_INVALID,
	E_FIELD_UNKNOWN,
	E_UNAUTHORIZED,
	E_CSRF,
	E_FORBIDDEN,
	E_NOT_FOUND,
	E_METHOD,
	E_CONFLICT,
	E_INVALID_TRANSITION, /* a status change the lifecycle does not allow */
	E_FLAGS_NOT_ACKNOWLEDGED, /* accepting a ticket with flags without acknowledging them */
	E_SURVEY_INVALID,  /* no such survey link */
	E_SURVEY_ANSWERED, /* the survey link was used */
	E_SURVEY_EXPIRED,  /* the survey link expired */
	E_AUDIT_INVALID,   /* no such mystery-shop link */
	E_AUDIT_SUBMITTED, /* the mystery-shop link was used */
	E_AUDIT_EXPIRED,   /* the mystery-shop link expired */
	E_TOO_LARGE,
	E_MEDIA_TYPE,
	E_UNPROCESSABLE,
	E_RATE_LIMITED,
	E_INTERNAL,
	E_UNAVAILABLE,
	E__COUNT
};

#endif
