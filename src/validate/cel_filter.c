/* CEL rules of filters (HTTPRoute and GRPCRoute, rule and backendRef level), path modifiers,
 * mirrors and CORS. */
#include "validate/cel.h"

static size_t
count_type(const struct gw_cel_self *self, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < self->count; i++)
        n += cel_eq(((const gwapi_filter *)self->items[i])->type, type);
    return n;
}

CEL_CHECK(filter_request_header_modifier_once)
{
    return count_type(self, "RequestHeaderModifier") <= 1;
}

CEL_CHECK(filter_response_header_modifier_once)
{
    return count_type(self, "ResponseHeaderModifier") <= 1;
}

CEL_CHECK(filter_cors_once)
{
    return count_type(self, "CORS") <= 1;
}

CEL_CHECK(filter_request_redirect_once)
{
    return count_type(self, "RequestRedirect") <= 1;
}

CEL_CHECK(filter_url_rewrite_once)
{
    return count_type(self, "URLRewrite") <= 1;
}

CEL_CHECK(filter_redirect_or_rewrite)
{
    return !(count_type(self, "RequestRedirect") > 0 && count_type(self, "URLRewrite") > 0);
}

/* Each filter type has its member: present exactly when the type names it. */
#define MEMBER_RULES(check, member, type_name)                                                   \
    CEL_CHECK(filter_##check##_nil)                                                             \
    {                                                                                            \
        const gwapi_filter *f = self->object;                                                    \
        return !(f->member && !cel_eq(f->type, type_name));                                      \
    }                                                                                            \
    CEL_CHECK(filter_##check##_required)                                                        \
    {                                                                                            \
        const gwapi_filter *f = self->object;                                                    \
        return !(!f->member && cel_eq(f->type, type_name));                                      \
    }

MEMBER_RULES(request_header_modifier, request_header_modifier, "RequestHeaderModifier")
MEMBER_RULES(response_header_modifier, response_header_modifier, "ResponseHeaderModifier")
MEMBER_RULES(request_mirror, request_mirror, "RequestMirror")
MEMBER_RULES(extension_ref, extension_ref, "ExtensionRef")
MEMBER_RULES(cors, cors, "CORS")
MEMBER_RULES(request_redirect, request_redirect, "RequestRedirect")
MEMBER_RULES(url_rewrite, url_rewrite, "URLRewrite")

CEL_CHECK(mirror_percent_or_fraction)
{
    const gwapi_request_mirror *m = self->object;
    return !(gw_cel_has(m, "percent") && m->fraction);
}

CEL_CHECK(mirror_fraction_numerator)
{
    const gwapi_fraction *f = self->object;
    return f->numerator <= f->denominator;
}

/* !('*' in self && self.size() > 1) */
static bool
wildcard_alone(const struct gw_cel_self *self)
{
    for (size_t i = 0; i < self->count; i++)
        if (cel_eq(self->items[i], "*"))
            return self->count <= 1;
    return true;
}

CEL_CHECK(cors_allow_headers_wildcard_alone)
{
    return wildcard_alone(self);
}

CEL_CHECK(cors_allow_methods_wildcard_alone)
{
    return wildcard_alone(self);
}

CEL_CHECK(cors_allow_origins_wildcard_alone)
{
    return wildcard_alone(self);
}

CEL_CHECK(path_modifier_full_path_required)
{
    const gwapi_path_modifier *p = self->object;
    return !cel_eq(p->type, "ReplaceFullPath") || p->replace_full_path;
}

CEL_CHECK(path_modifier_full_path_type)
{
    const gwapi_path_modifier *p = self->object;
    return !p->replace_full_path || cel_eq(p->type, "ReplaceFullPath");
}

CEL_CHECK(path_modifier_prefix_match_required)
{
    const gwapi_path_modifier *p = self->object;
    return !cel_eq(p->type, "ReplacePrefixMatch") || p->replace_prefix_match;
}

CEL_CHECK(path_modifier_prefix_match_type)
{
    const gwapi_path_modifier *p = self->object;
    return !p->replace_prefix_match || cel_eq(p->type, "ReplacePrefixMatch");
}
