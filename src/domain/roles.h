/* Staff roles. Owners see every location; the others see the locations they
 * are assigned to. Kitchen staff see orders and allergy flags, not profiles. */
#ifndef MAITRED_ROLES_H
#define MAITRED_ROLES_H

enum role {
	ROLE_OWNER = 1 << 0,
	ROLE_MANAGER = 1 << 1,
	ROLE_HOST = 1 << 2,
	ROLE_KITCHEN = 1 << 3,
};
#define ROLES_ALL (ROLE_OWNER | ROLE_MANAGER | ROLE_HOST | ROLE_KITCHEN)
#define ROLES_STAFF (ROLE_OWNER | ROLE_MANAGER | ROLE_HOST)
#define ROLES_MANAGERS (ROLE_OWNER | ROLE_MANAGER)

/* "owner", "manager", "host", "kitchen", NULL: for body declarations. */
extern const char *const role_names[];
const char *role_name(enum role role);
/* 0 when s names no role. */
enum role role_parse(const char *s);

#endif
