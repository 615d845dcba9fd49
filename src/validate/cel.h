/* What the CEL checks share. Each check implements one x-kubernetes-validations rule of the CRDs
 * literally (schema/cel-checks.yaml says which), on the defaulted object: a defaulted field is
 * present, and has(x) is "given or defaulted". */
#ifndef GW_VALIDATE_CEL_H
#define GW_VALIDATE_CEL_H

#include <stdbool.h>
#include <string.h>

#include "gatewayapi/model.h"
#include "validate/cel_checks.h"
#include "validate/validator.h"

#define CEL_CHECK(name) bool gw_cel_##name(const struct gw_cel_self *self)

/* CEL string equality; an absent string reads as "" (where a rule reads an absent field, the
 * API server fails the rule on the error; every such field here is defaulted or required). */
static inline bool
cel_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static inline bool
cel_empty(const char *s)
{
    return !s || !*s;
}

static inline bool
cel_contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static inline bool
cel_ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A string field of any model struct by JSON name, for rules shared by several structs. */
const char *gw_cel_string(const void *model, const char *field);
/* CEL's isIP(): an IPv4 or IPv6 literal. */
bool gw_cel_is_ip(const char *s);

#endif
