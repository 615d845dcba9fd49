/* CEL rules of HTTPRoute path matches. Exact and PathPrefix values are absolute, normalised
 * paths; RegularExpression values are checked by none of these but the type rule. */
#include "validate/cel.h"

static bool
literal_path(const gwapi_path_match *p)
{
    return cel_eq(p->type, "Exact") || cel_eq(p->type, "PathPrefix");
}

#define PATH_RULE(name, holds)                                                                   \
    CEL_CHECK(name)                                                                              \
    {                                                                                            \
        const gwapi_path_match *p = self->object;                                                \
        const char *value = p->value ? p->value : "";                                            \
        (void)value;                                                                             \
        return !literal_path(p) || (holds);                                                      \
    }

PATH_RULE(path_absolute, value[0] == '/')
PATH_RULE(path_no_double_slash, !cel_contains(value, "//"))
PATH_RULE(path_no_dot_segment, !cel_contains(value, "/./"))
PATH_RULE(path_no_dot_dot_segment, !cel_contains(value, "/../"))
PATH_RULE(path_no_encoded_slash_lower, !cel_contains(value, "%2f"))
PATH_RULE(path_no_encoded_slash_upper, !cel_contains(value, "%2F"))
PATH_RULE(path_no_fragment, !cel_contains(value, "#"))
PATH_RULE(path_no_trailing_dot_dot, !cel_ends_with(value, "/.."))
PATH_RULE(path_no_trailing_dot, !cel_ends_with(value, "/."))
PATH_RULE(path_characters_valid, gw_cel_matches(self->v, GW_CEL_PATTERN_PATH, value))

CEL_CHECK(path_type_valid)
{
    const gwapi_path_match *p = self->object;
    return literal_path(p) || cel_eq(p->type, "RegularExpression");
}
