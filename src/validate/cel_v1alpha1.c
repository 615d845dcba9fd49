/* The networking.x-k8s.io/v1alpha1 webhook checks (release v0.3.0), beyond its CRD schemas. */
#include "validate/cel.h"

/* "", "*" or absent are allowed; otherwise not an IP, and a DNS-1123 subdomain (wildcard in the
 * first label only), at most 253 characters. */
CEL_CHECK(v1alpha1_listener_hostname)
{
    const gwapi_v1alpha1_listener *l = self->object;
    const char *h = l->hostname;

    if (cel_empty(h) || strcmp(h, "*") == 0)
        return true;
    if (gw_cel_is_ip(h) || strlen(h) > 253)
        return false;
    if (strchr(h, '*'))
        return strncmp(h, "*.", 2) == 0 && gw_cel_matches(self->v, GW_CEL_PATTERN_RFC1123, h + 2);
    return gw_cel_matches(self->v, GW_CEL_PATTERN_RFC1123, h);
}

/* Within one rule's filters (not those of forwardTo), every type but ExtensionRef at most once. */
CEL_CHECK(v1alpha1_filter_once)
{
    const gwapi_v1alpha1_http_route_rule *rule = self->object;

    for (size_t i = 0; i < rule->n_filters; i++) {
        const char *type = rule->filters[i]->type;
        if (cel_eq(type, "ExtensionRef"))
            continue;
        for (size_t j = 0; j < i; j++)
            if (cel_eq(rule->filters[j]->type, type))
                return false;
    }
    return true;
}
