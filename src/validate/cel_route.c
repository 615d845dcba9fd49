/* CEL rules of routes: parentRefs, rules, backendRefs, matches, timeouts, TLSRoute hostnames. */
#include "util/duration.h"
#include "validate/cel.h"

/* Two parentRefs name the same parent: group, kind, name, and namespace with unset == "". */
static bool
same_parent(const gwapi_parent_ref *p1, const gwapi_parent_ref *p2)
{
    return cel_eq(p1->group, p2->group) && cel_eq(p1->kind, p2->kind) &&
           cel_eq(p1->name, p2->name) &&
           ((cel_empty(p1->namespace_) && cel_empty(p2->namespace_)) ||
            (p1->namespace_ && p2->namespace_ && cel_eq(p1->namespace_, p2->namespace_)));
}

static bool
same_section(const char *s1, const char *s2)
{
    return (cel_empty(s1) && cel_empty(s2)) || (s1 && s2 && cel_eq(s1, s2));
}

CEL_CHECK(parent_refs_section_name_required)
{
    for (size_t i = 0; i < self->count; i++) {
        for (size_t j = 0; j < self->count; j++) {
            const gwapi_parent_ref *p1 = self->items[i], *p2 = self->items[j];
            if (same_parent(p1, p2) && cel_empty(p1->section_name) != cel_empty(p2->section_name))
                return false;
        }
    }
    return true;
}

CEL_CHECK(parent_refs_section_name_unique)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_parent_ref *p1 = self->items[i];
        size_t same = 0;
        for (size_t j = 0; j < self->count; j++) {
            const gwapi_parent_ref *p2 = self->items[j];
            same += same_parent(p1, p2) && same_section(p1->section_name, p2->section_name);
        }
        if (same != 1)
            return false;
    }
    return true;
}

/* The first 16 rules' matches, summed: the CRD spells the sum out rule by rule. */
static bool
matches_total_ok(const struct gw_cel_self *self, size_t (*matches_of)(const void *rule))
{
    size_t total = 0;

    for (size_t i = 0; i < self->count && i < 16; i++)
        total += matches_of(self->items[i]);
    return total <= 128;
}

static size_t
grpc_matches(const void *rule)
{
    /* has(self[i].matches) ? size : 0: an absent list counts 0, as does an empty one. */
    return ((const gwapi_grpc_route_rule *)rule)->n_matches;
}

static size_t
http_matches(const void *rule)
{
    return ((const gwapi_http_route_rule *)rule)->n_matches;
}

CEL_CHECK(grpc_route_matches_total)
{
    return matches_total_ok(self, grpc_matches);
}

CEL_CHECK(http_route_matches_total)
{
    return matches_total_ok(self, http_matches);
}

/* On backendRefs of every route kind and on mirror backendRefs: two struct types. */
CEL_CHECK(backend_ref_service_port_required)
{
    return !(cel_empty(gw_cel_string(self->object, "group")) &&
             cel_eq(gw_cel_string(self->object, "kind"), "Service")) ||
           gw_cel_has(self->object, "port");
}

static bool
redirect_prefix(const gwapi_filter *f)
{
    return f->request_redirect && f->request_redirect->path &&
           cel_eq(f->request_redirect->path->type, "ReplacePrefixMatch") &&
           f->request_redirect->path->replace_prefix_match;
}

static bool
rewrite_prefix(const gwapi_filter *f)
{
    return f->url_rewrite && f->url_rewrite->path &&
           cel_eq(f->url_rewrite->path->type, "ReplacePrefixMatch") &&
           f->url_rewrite->path->replace_prefix_match;
}

/* filters.exists_one(f, wanted(f)): exactly one, as CEL says. */
static bool
exactly_one_filter(const gwapi_filter *const *filters, size_t n, bool (*wanted)(const gwapi_filter *))
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += wanted(filters[i]);
    return count == 1;
}

/* Exactly one match, and it has a PathPrefix path. */
static bool
one_prefix_match(const gwapi_http_route_rule *rule)
{
    return rule->n_matches == 1 && rule->matches[0]->path &&
           cel_eq(rule->matches[0]->path->type, "PathPrefix");
}

CEL_CHECK(rule_redirect_without_backends)
{
    const gwapi_http_route_rule *rule = self->object;
    if (rule->n_backend_refs == 0)
        return true;
    for (size_t i = 0; i < rule->n_filters; i++)
        if (rule->filters[i]->request_redirect)
            return false;
    return true;
}

CEL_CHECK(rule_redirect_prefix_match)
{
    const gwapi_http_route_rule *rule = self->object;
    return !exactly_one_filter(rule->filters, rule->n_filters, redirect_prefix) ||
           one_prefix_match(rule);
}

CEL_CHECK(rule_rewrite_prefix_match)
{
    const gwapi_http_route_rule *rule = self->object;
    return !exactly_one_filter(rule->filters, rule->n_filters, rewrite_prefix) ||
           one_prefix_match(rule);
}

static bool
backend_filters_exactly_one(const gwapi_http_route_rule *rule,
                            bool (*wanted)(const gwapi_filter *))
{
    size_t count = 0;
    for (size_t i = 0; i < rule->n_backend_refs; i++) {
        const gwapi_backend_ref *b = rule->backend_refs[i];
        count += exactly_one_filter(b->filters, b->n_filters, wanted);
    }
    return count == 1;
}

CEL_CHECK(rule_backend_redirect_prefix_match)
{
    const gwapi_http_route_rule *rule = self->object;
    return !backend_filters_exactly_one(rule, redirect_prefix) || one_prefix_match(rule);
}

CEL_CHECK(rule_backend_rewrite_prefix_match)
{
    const gwapi_http_route_rule *rule = self->object;
    return !backend_filters_exactly_one(rule, rewrite_prefix) || one_prefix_match(rule);
}

CEL_CHECK(grpc_method_service_or_method)
{
    const gwapi_grpc_method_match *m = self->object;
    return !m->type || m->service || m->method;
}

CEL_CHECK(grpc_method_service_valid)
{
    const gwapi_grpc_method_match *m = self->object;
    return !((!m->type || cel_eq(m->type, "Exact")) && m->service) ||
           gw_cel_matches(self->v, GW_CEL_PATTERN_GRPC_SERVICE, m->service);
}

CEL_CHECK(grpc_method_method_valid)
{
    const gwapi_grpc_method_match *m = self->object;
    return !((!m->type || cel_eq(m->type, "Exact")) && m->method) ||
           gw_cel_matches(self->v, GW_CEL_PATTERN_GRPC_METHOD, m->method);
}

CEL_CHECK(timeouts_backend_within_request)
{
    const gwapi_http_route_timeouts *t = self->object;
    long double request, backend;

    if (!t->request || !t->backend_request)
        return true;
    /* duration() of a value that does not parse is an error, and the rule fails. */
    if (!gw_duration_ns(t->request, &request) || !gw_duration_ns(t->backend_request, &backend))
        return false;
    return !(request != 0 && backend > request);
}

CEL_CHECK(tls_route_hostnames_not_ip)
{
    for (size_t i = 0; i < self->count; i++)
        if (gw_cel_is_ip(self->items[i]))
            return false;
    return true;
}

CEL_CHECK(tls_route_hostnames_rfc1123)
{
    for (size_t i = 0; i < self->count; i++) {
        const char *h = self->items[i];
        if (!cel_contains(h, "*") && !gw_cel_matches(self->v, GW_CEL_PATTERN_RFC1123, h))
            return false;
    }
    return true;
}

CEL_CHECK(tls_route_hostnames_wildcard)
{
    for (size_t i = 0; i < self->count; i++) {
        const char *h = self->items[i];
        if (cel_contains(h, "*") &&
            !(strncmp(h, "*.", 2) == 0 && gw_cel_matches(self->v, GW_CEL_PATTERN_RFC1123, h + 2)))
            return false;
    }
    return true;
}
