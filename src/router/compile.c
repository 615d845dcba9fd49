/* Compiling a Gateway's attachments into the router's tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "router/build.h"
#include "router/router.h"
#include "util/context.h"
#include "util/diag.h"
#include "util/duration.h"

#define builder rt_builder
#define balloc gw_rt_balloc

void *
gw_rt_balloc(struct builder *b, size_t size)
{
    void *p = gw_arena_alloc(b->rt->arena, size ? size : 1, _Alignof(max_align_t));
    if (!p)
        b->oom = true;
    return p;
}

void *
gw_rt_table_alloc(struct builder *b, size_t size)
{
    void *p;

    if (!b->owned)
        return balloc(b, size);
    p = gw_calloc(b->rt->res->ctx, 1, size ? size : 1);
    if (!p || gw_grow(b->rt->res->ctx, (void **)&b->rt->owned, &b->rt->owned_capacity,
                      b->rt->n_owned + 1, sizeof(*b->rt->owned))) {
        gw_free(b->rt->res->ctx, p);
        b->oom = true;
        return NULL;
    }
    b->rt->owned[b->rt->n_owned++] = p;
    return p;
}

static bool
eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A regular expression for a whole value (path, header or query value): anchored at both
 * ends, PCRE2 syntax; identical patterns share one compiled form. */
static pcre2_code *
compile_regex(struct builder *b, const gwapi_object *route, const char *pattern)
{
    char msg[256];
    size_t offset = 0;
    pcre2_code *code;

    if (!gw_regex_compile(b->rt->regexes, pattern, &code, msg, sizeof(msg), &offset)) {
        b->oom = true;
        return NULL;
    }
    if (!code) {
        struct gw_site site = gw_object_site(route);
        if (gw_report(b->diags, GWAPI_SEVERITY_ERROR, GW_CODE_REGEX, &site,
                      "regular expression \"%s\" does not compile at offset %zu: %s; its match "
                      "is never taken", pattern, offset, msg))
            b->oom = true;
    }
    return code;
}

/* --- rules: backends and filters, from either dialect --------------------------------------- */

static void
add_backend(struct builder *b, struct rt_rule *rule, const char *group, const char *kind,
            const char *ns, const char *name, int64_t port, bool has_port, int64_t weight,
            const gwapi_filter *const *filters, size_t n_filters)
{
    struct rt_backend *be = &rule->backends[rule->n_backends++];
    be->ns = ns ? ns : rule->route->metadata->namespace_;
    be->name = name;
    be->port = has_port ? port : 0;
    be->weight = weight > 0 ? (uint32_t)weight : 0;
    be->usable = !gw_backend_problem(b->res, rule->route, group, kind, be->ns, name, port,
                                     has_port) &&
                 !gw_backend_tls_broken(b->res, be->ns, name);
    be->tls_policy = b->res->n_tls_policies ? gw_backend_tls_policy(b->res, be->ns, name, port)
                                            : NULL;
    be->filters = filters;
    be->n_filters = n_filters;
    rule->total_weight += be->weight;
}

/* A timeout in milliseconds (GEP-2257 durations: "1h30m", "250ms", "0s"), or -1 when absent.
 * One that does not parse is only in an object that fails validation: as absent. */
static int64_t
timeout_ms(const char *duration)
{
    long double ns;

    if (!duration || !gw_duration_ns(duration, &ns) || ns < 0)
        return -1;
    return (int64_t)((ns + 999999.0L) / 1e6L); /* never shorter than asked */
}

static struct rt_rule *
rule_from_backends(struct builder *b, const gwapi_object *route, size_t index,
                   const gwapi_backend_ref *const *refs, size_t n,
                   const gwapi_filter *const *filters, size_t n_filters)
{
    struct rt_rule *rule = balloc(b, sizeof(*rule));
    const gwapi_http_route *hr = gwapi_object_http_route(route);
    const gwapi_http_route_timeouts *t =
        hr && index < hr->spec->n_rules ? hr->spec->rules[index]->timeouts : NULL;
    if (!rule)
        return NULL;
    rule->route = route;
    rule->index = index;
    rule->request_ms = timeout_ms(t ? t->request : NULL);
    rule->backend_request_ms = timeout_ms(t ? t->backend_request : NULL);
    rule->filters = filters;
    rule->n_filters = n_filters;
    for (size_t i = 0; i < n_filters; i++) {
        rule->redirects |= filters[i]->request_redirect != NULL;
        rule->cors |= filters[i]->cors != NULL;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < refs[i]->n_filters; k++)
            rule->cors |= refs[i]->filters[k]->cors != NULL;
    rule->backends = balloc(b, (n + 1) * sizeof(*rule->backends));
    for (size_t i = 0; rule->backends && i < n; i++)
        add_backend(b, rule, refs[i]->group, refs[i]->kind, refs[i]->namespace_, refs[i]->name,
                    refs[i]->port, gw_field_state(refs[i], "port") != GWAPI_FIELD_ABSENT,
                    refs[i]->weight, refs[i]->filters, refs[i]->n_filters);
    return rule;
}

/* A model struct the router makes itself: zeroed, after a zeroed info block, so that the
 * library reads its field states as unknown (no field "given"), as it would read defaults. */
static void *
synthesize(struct builder *b, size_t size)
{
    char *p = balloc(b, GW_INFO_SIZE + size);
    return p ? p + GW_INFO_SIZE : NULL;
}

/* v1alpha1's name-to-value maps as v1's header lists. */
static const gwapi_header *const *
headers_of_map(struct builder *b, const gwapi_string_map *map)
{
    gwapi_header **list = balloc(b, (map->count + 1) * sizeof(*list));
    for (size_t i = 0; list && i < map->count; i++) {
        gwapi_header *h = synthesize(b, sizeof(*h));
        if (!h)
            return NULL;
        h->name = map->keys[i];
        h->value = map->values[i];
        list[i] = h;
    }
    return (const gwapi_header *const *)list;
}

/* v1alpha1 filters in v1's shape, so that decisions carry them and gwapi_decision_apply()
 * applies them: RequestHeaderModifier (set and add as maps), RequestMirror (serviceName or
 * backendRef, in the route's namespace; without a port, the request's). ImplementationSpecific
 * filters (extensionRef) have no effect here. */
static const gwapi_filter *const *
filters_of_v1alpha1(struct builder *b, const gwapi_v1alpha1_http_route_filter *const *src,
                    size_t n, size_t *n_out)
{
    gwapi_filter **out;

    *n_out = 0;
    if (!n)
        return NULL;
    out = balloc(b, n * sizeof(*out));
    for (size_t i = 0; out && i < n; i++) {
        const gwapi_v1alpha1_http_route_filter *f = src[i];
        gwapi_filter *g = synthesize(b, sizeof(*g));
        if (!g)
            return NULL;
        g->type = f->type;
        if (f->request_header_modifier) {
            const gwapi_v1alpha1_header_modifier *m = f->request_header_modifier;
            gwapi_header_modifier *h = synthesize(b, sizeof(*h));
            if (!h)
                return NULL;
            h->set = headers_of_map(b, &m->set);
            h->n_set = m->set.count;
            h->add = headers_of_map(b, &m->add);
            h->n_add = m->add.count;
            h->remove = m->remove;
            h->n_remove = m->n_remove;
            g->request_header_modifier = h;
        } else if (f->request_mirror) {
            const gwapi_v1alpha1_request_mirror *m = f->request_mirror;
            gwapi_request_mirror *r = synthesize(b, sizeof(*r));
            gwapi_backend_object_ref *ref = synthesize(b, sizeof(*ref));
            if (!r || !ref)
                return NULL;
            ref->group = m->backend_ref ? m->backend_ref->group : "";
            ref->kind = m->backend_ref ? m->backend_ref->kind : "Service";
            ref->name = m->service_name ? m->service_name
                                        : m->backend_ref ? m->backend_ref->name : NULL;
            ref->port = m->port;
            r->backend_ref = ref;
            g->request_mirror = r;
        } else {
            continue;
        }
        out[(*n_out)++] = g;
    }
    return (const gwapi_filter *const *)out;
}

static struct rt_rule *
rule_from_forward_to(struct builder *b, const gwapi_object *route, size_t index,
                     const gwapi_v1alpha1_forward_to *const *fwd, size_t n)
{
    struct rt_rule *rule = balloc(b, sizeof(*rule));
    if (!rule)
        return NULL;
    rule->route = route;
    rule->v1alpha1 = true;
    rule->index = index;
    rule->request_ms = rule->backend_request_ms = -1;
    rule->backends = balloc(b, (n + 1) * sizeof(*rule->backends));
    for (size_t i = 0; rule->backends && i < n; i++) {
        const gwapi_v1alpha1_forward_to *f = fwd[i];
        size_t n_filters;
        const gwapi_filter *const *filters =
            filters_of_v1alpha1(b, f->filters, f->n_filters, &n_filters);
        if (f->service_name)
            add_backend(b, rule, "", "Service", NULL, f->service_name, f->port,
                        gw_field_state(f, "port") != GWAPI_FIELD_ABSENT, f->weight, filters,
                        n_filters);
        else if (f->backend_ref)
            add_backend(b, rule, f->backend_ref->group, f->backend_ref->kind, NULL,
                        f->backend_ref->name, f->port, true, f->weight, filters, n_filters);
    }
    return rule;
}

/* --- entries ----------------------------------------------------------------------------- */

#define keyed rt_keyed
#define entry_list rt_entry_list

static void
push_entry(struct builder *b, struct entry_list *l, struct rt_entry *e, const char *host)
{
    if (gw_grow(b->rt->arena->ctx, (void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items))) {
        b->oom = true;
        return;
    }
    l->items[l->n].host = host;
    l->items[l->n++].entry = e;
}

/* A copy in the router's arena: the strings a match reads then sit next to the entry they
 * belong to (allocated just after it), not scattered through the model. */
static const char *
bcopy_str(struct builder *b, const char *s)
{
    const char *copy;
    if (!s)
        return NULL;
    copy = gw_arena_strndup(b->rt->arena, s, strlen(s));
    if (!copy)
        b->oom = true;
    return copy;
}

static struct rt_entry *
new_entry(struct builder *b, const struct rt_rule *rule, size_t match)
{
    struct rt_entry *e = balloc(b, sizeof(*e));
    if (!e)
        return NULL;
    e->rule = rule;
    e->match = match;
    e->path_type = RT_PATH_ANY;
    return e;
}

static void
set_path(struct builder *b, struct rt_entry *e, const char *type, const char *value)
{
    if (!value)
        value = "/";
    value = bcopy_str(b, value);
    if (!value)
        return;
    if (eq(type, "Exact")) {
        e->path_type = RT_PATH_EXACT;
        e->path = value;
        e->path_len = strlen(value);
    } else if (eq(type, "RegularExpression")) {
        e->path_type = RT_PATH_REGEX;
        e->path = value;
        e->path_len = strlen(value);
        e->path_re = compile_regex(b, e->rule->route, value);
    } else {
        /* PathPrefix (v1alpha1: Prefix): whole segments; a trailing "/" is ignorable. */
        size_t len = strlen(value);
        e->path_type = RT_PATH_PREFIX;
        if (len > 1 && value[len - 1] == '/')
            len--;
        e->path = value;
        e->path_len = len;
    }
}

/* A match the router cannot evaluate (possible only when objects that fail validation are
 * resolved): it is left out, never widened by dropping the condition it cannot test. */
static bool
unmatchable(struct builder *b, const gwapi_object *route, size_t rule, size_t match,
            const char *what)
{
    struct gw_site site = gw_object_site(route);

    if (gw_report(b->diags, GWAPI_SEVERITY_ERROR, GW_CODE_UNMATCHABLE, &site,
                  "rule %zu, match %zu: %s; the match is left out of the router", rule, match,
                  what))
        b->oom = true;
    return false;
}

/* Header conditions, dropping names that repeat one case-insensitively (the first counts).
 * False when one cannot be evaluated. */
static bool
set_headers(struct builder *b, struct rt_entry *e, const gwapi_header_match *const *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!h[i]->name || !h[i]->value)
            return unmatchable(b, e->rule->route, e->rule->index, e->match,
                               "a header match needs a name and a value");
    e->headers = balloc(b, (n + 1) * sizeof(*e->headers));
    for (size_t i = 0; e->headers && i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < e->n_headers && !dup; k++)
            dup = strcasecmp(e->headers[k].name, h[i]->name) == 0;
        if (dup)
            continue;
        e->headers[e->n_headers].name = bcopy_str(b, h[i]->name);
        e->headers[e->n_headers].value = bcopy_str(b, h[i]->value);
        if (eq(h[i]->type, "RegularExpression"))
            e->headers[e->n_headers].re = compile_regex(b, e->rule->route, h[i]->value);
        e->n_headers++;
    }
    return true;
}

/* Query conditions, dropping names that repeat (the first counts). False when one cannot be
 * evaluated. */
static bool
set_queries(struct builder *b, struct rt_entry *e, const gwapi_query_param_match *const *q,
            size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!q[i]->name || !q[i]->value)
            return unmatchable(b, e->rule->route, e->rule->index, e->match,
                               "a query parameter match needs a name and a value");
    e->queries = balloc(b, (n + 1) * sizeof(*e->queries));
    for (size_t i = 0; e->queries && i < n; i++) {
        const gwapi_query_param_match *qp = q[i];
        bool dup = false;
        for (size_t k = 0; k < e->n_queries && !dup; k++)
            dup = strcmp(e->queries[k].name, qp->name) == 0;
        if (dup)
            continue;
        e->queries[e->n_queries].name = bcopy_str(b, qp->name);
        e->queries[e->n_queries].value = bcopy_str(b, qp->value);
        if (eq(qp->type, "RegularExpression"))
            e->queries[e->n_queries].re = compile_regex(b, e->rule->route, qp->value);
        e->n_queries++;
    }
    return true;
}

/* File an entry under each effective hostname of its route, or as hostless. */
static void
file_entry(struct builder *b, struct entry_list *list, struct rt_entry *e,
           const char *const *hosts, size_t n_hosts)
{
    if (n_hosts == 0)
        push_entry(b, list, e, NULL);
    for (size_t h = 0; h < n_hosts; h++)
        push_entry(b, list, e, hosts[h]);
}

/* A v1alpha1 values matcher (headers or queryParams): a map of name to value, every value Exact
 * or every value RegularExpression. */
static void
v1alpha1_conditions(struct builder *b, const gwapi_object *route,
                    const gwapi_v1alpha1_values_match *m, struct rt_cond **out, size_t *n)
{
    const gwapi_string_map *v = m ? &m->values : NULL;

    if (!v)
        return;
    *out = balloc(b, (v->count + 1) * sizeof(**out));
    for (size_t i = 0; *out && i < v->count; i++) {
        (*out)[*n].name = v->keys[i];
        (*out)[*n].value = v->values[i];
        if (eq(m->type, "RegularExpression"))
            (*out)[*n].re = compile_regex(b, route, v->values[i]);
        (*n)++;
    }
}

/* A networking.x-k8s.io/v1alpha1 match: its path, headers and queryParams. */
static void
set_v1alpha1_match(struct builder *b, const gwapi_object *route, struct rt_entry *e,
                   const gwapi_v1alpha1_http_route_match *src)
{
    set_path(b, e, src->path ? src->path->type : "Prefix", src->path ? src->path->value : "/");
    v1alpha1_conditions(b, route, src->headers, &e->headers, &e->n_headers);
    /* queryParams: the same shape (names exact, values by the matcher's type); a match is
     * never widened by leaving them out. */
    v1alpha1_conditions(b, route, src->query_params, &e->queries, &e->n_queries);
}

static void
add_http_entries(struct builder *b, struct entry_list *list, const gwapi_object *route,
                 const char *const *hosts, size_t n_hosts)
{
    const gwapi_http_route *hr = gwapi_object_http_route(route);
    const gwapi_v1alpha1_http_route *old = gwapi_object_v1alpha1_http_route(route);
    /* A v1alpha1 route need not have a spec. */
    size_t n_rules = hr ? hr->spec->n_rules : old->spec ? old->spec->n_rules : 0;

    for (size_t r = 0; r < n_rules && !b->oom; r++) {
        struct rt_rule *rule;
        size_t n_matches;
        if (hr) {
            const gwapi_http_route_rule *src = hr->spec->rules[r];
            rule = rule_from_backends(b, route, r, src->backend_refs, src->n_backend_refs,
                                      src->filters, src->n_filters);
            n_matches = src->n_matches;
        } else {
            const gwapi_v1alpha1_http_route_rule *src = old->spec->rules[r];
            rule = rule_from_forward_to(b, route, r, src->forward_to, src->n_forward_to);
            if (rule)
                rule->filters = filters_of_v1alpha1(b, src->filters, src->n_filters,
                                                    &rule->n_filters);
            n_matches = src->n_matches;
        }
        if (!rule)
            return;
        /* No matches at all: one implicit match of every path. */
        for (size_t m = 0; m < (n_matches ? n_matches : 1); m++) {
            struct rt_entry *e = new_entry(b, rule, m);
            bool usable = true;
            if (!e)
                return;
            if (n_matches == 0) {
                set_path(b, e, "PathPrefix", "/");
            } else if (hr) {
                const gwapi_http_route_match *src = hr->spec->rules[r]->matches[m];
                set_path(b, e, src->path ? src->path->type : "PathPrefix",
                         src->path ? src->path->value : "/");
                e->method = bcopy_str(b, src->method);
                usable = set_headers(b, e, src->headers, src->n_headers) &&
                         set_queries(b, e, src->query_params, src->n_query_params);
            } else {
                set_v1alpha1_match(b, route, e, old->spec->rules[r]->matches[m]);
            }
            if (usable)
                file_entry(b, list, e, hosts, n_hosts);
        }
    }
}

static void
add_grpc_entries(struct builder *b, struct entry_list *list, const gwapi_object *route,
                 const char *const *hosts, size_t n_hosts)
{
    const gwapi_grpc_route_spec *spec = gwapi_object_grpc_route(route)->spec;

    for (size_t r = 0; r < spec->n_rules && !b->oom; r++) {
        const gwapi_grpc_route_rule *src = spec->rules[r];
        struct rt_rule *rule = rule_from_backends(b, route, r, src->backend_refs,
                                                  src->n_backend_refs, src->filters,
                                                  src->n_filters);
        if (!rule)
            return;
        for (size_t m = 0; m < (src->n_matches ? src->n_matches : 1); m++) {
            struct rt_entry *e = new_entry(b, rule, m);
            const gwapi_grpc_route_match *gm = src->n_matches ? src->matches[m] : NULL;
            const gwapi_grpc_method_match *mm = gm ? gm->method : NULL;
            struct gw_arena *arena = b->rt->arena;
            const char *type = "PathPrefix", *path = "/";
            if (!e)
                return;
            /* The method match as a path test (GEP-1016): /S/M exact, /S/ prefix, regex. */
            if (mm && eq(mm->type, "RegularExpression")) {
                type = "RegularExpression";
                path = gw_arena_printf(arena, "/%s/%s", mm->service ? mm->service : "[^/]+",
                                       mm->method ? mm->method : "[^/]+");
            } else if (mm && mm->service && mm->method) {
                type = "Exact";
                path = gw_arena_printf(arena, "/%s/%s", mm->service, mm->method);
            } else if (mm && mm->service) {
                path = gw_arena_printf(arena, "/%s", mm->service);
            } else if (mm) {
                type = "RegularExpression";
                path = gw_arena_printf(arena, "/[^/]+/%s", mm->method ? mm->method : "[^/]+");
            }
            if (!path) {
                b->oom = true;
                return;
            }
            set_path(b, e, type, path);
            if (!gm || set_headers(b, e, gm->headers, gm->n_headers))
                file_entry(b, list, e, hosts, n_hosts);
        }
    }
}

/* --- ordering -------------------------------------------------------------------------------- */

/* Precedence after host and path: better first. */
static int
by_precedence(const void *pa, const void *pb)
{
    return gw_rt_entry_precedence(*(const struct rt_entry *const *)pa,
                                  *(const struct rt_entry *const *)pb);
}

int
gw_rt_entry_precedence_why(const struct rt_entry *a, const struct rt_entry *b, const char **why)
{
    const char *unused;
    int c;

    if (!why)
        why = &unused;
    *why = "a method match";
    if ((a->method != NULL) != (b->method != NULL))
        return a->method ? -1 : 1;
    *why = "more header matches";
    if (a->n_headers != b->n_headers)
        return a->n_headers > b->n_headers ? -1 : 1;
    *why = "more query parameter matches";
    if (a->n_queries != b->n_queries)
        return a->n_queries > b->n_queries ? -1 : 1;
    /* Criteria 8-9: the older route, then "namespace/name". */
    *why = "the older route (or, as old, the first by namespace/name)";
    if (a->rule->route != b->rule->route && (c = gw_object_age_cmp(a->rule->route, b->rule->route)))
        return c;
    *why = "an earlier rule of the route";
    if (a->rule->index != b->rule->index)
        return a->rule->index < b->rule->index ? -1 : 1;
    *why = "an earlier match of the rule";
    return a->match < b->match ? -1 : a->match > b->match;
}

int
gw_rt_entry_precedence(const struct rt_entry *a, const struct rt_entry *b)
{
    return gw_rt_entry_precedence_why(a, b, NULL);
}

/* Path, then precedence: entries of one path end up together, best first. */
static int
by_path_then_precedence(const void *pa, const void *pb)
{
    const struct rt_entry *a = *(const struct rt_entry *const *)pa;
    const struct rt_entry *b = *(const struct rt_entry *const *)pb;
    size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
    int c = memcmp(a->path, b->path, n);

    if (c)
        return c;
    if (a->path_len != b->path_len)
        return a->path_len < b->path_len ? -1 : 1;
    return by_precedence(pa, pb);
}

/* Group the tier's entries of one path type into buckets by path (sorted by path), each
 * bucket's entries best first. */
static bool
same_path(const struct rt_entry *a, const struct rt_entry *b)
{
    return a->path_len == b->path_len && memcmp(a->path, b->path, a->path_len) == 0;
}

static struct rt_path_bucket *
make_buckets(struct builder *b, const struct rt_entry **entries, size_t n, size_t *out_n)
{
    struct rt_path_bucket *buckets;
    size_t nb = 0, distinct = n ? 1 : 0;

    *out_n = 0;
    if (n == 0)
        return NULL;
    qsort(entries, n, sizeof(*entries), by_path_then_precedence);
    for (size_t i = 1; i < n; i++)
        distinct += !same_path(entries[i - 1], entries[i]);
    buckets = balloc(b, distinct * sizeof(*buckets));
    if (!buckets)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (nb == 0 || !same_path(buckets[nb - 1].entries[0], entries[i])) {
            buckets[nb].path = entries[i]->path;
            buckets[nb].len = entries[i]->path_len;
            buckets[nb].entries = &entries[i];
            buckets[nb].n = 0;
            nb++;
        }
        buckets[nb - 1].n++;
    }
    /* A bucket of one entry points at its own copy of the pointer: the match reads it from
     * the bucket's line instead of one line more. */
    for (size_t i = 0; i < nb; i++)
        if (buckets[i].n == 1) {
            buckets[i].single = buckets[i].entries[0];
            buckets[i].entries = &buckets[i].single;
        }
    *out_n = nb;
    return buckets;
}

/* A hash index over n keys, read through key_at (hash, text, length of key i). */
static void
build_index(struct builder *b, struct rt_index *idx, size_t n,
            void (*key_at)(const void *items, size_t i, uint64_t *hash), const void *items,
            bool table_level)
{
    uint32_t size = 8;

    while (size < n * 2)
        size *= 2;
    idx->slots = table_level ? gw_rt_table_alloc(b, size * sizeof(*idx->slots))
                             : balloc(b, size * sizeof(*idx->slots));
    idx->mask = size - 1;
    for (size_t i = 0; idx->slots && i < n; i++) {
        uint64_t h;
        uint32_t slot;
        key_at(items, i, &h);
        slot = (uint32_t)h & idx->mask;
        while (idx->slots[slot].pos)
            slot = (slot + 1) & idx->mask;
        idx->slots[slot].pos = (uint32_t)i + 1;
        idx->slots[slot].tag = (uint32_t)(h >> 32);
    }
}

static void
bucket_key(const void *items, size_t i, uint64_t *hash)
{
    *hash = ((const struct rt_path_bucket *)items)[i].hash;
}

static void
tier_key(const void *items, size_t i, uint64_t *hash)
{
    *hash = ((const struct rt_tier *)items)[i].hash;
}

/* One tier: the entries filed under one host key. */
void
gw_rt_fill_tier(struct builder *b, struct rt_tier *t, const struct rt_entry *const *entries,
                size_t n)
{
    const struct rt_entry **exact, **prefix;
    size_t ne = 0, np = 0, nr = 0;

    /* Count first: the router keeps these arrays, so they are sized exactly. */
    for (size_t i = 0; i < n; i++) {
        ne += entries[i]->path_type == RT_PATH_EXACT;
        nr += entries[i]->path_type == RT_PATH_REGEX;
    }
    np = n - ne - nr;
    exact = balloc(b, (ne + 1) * sizeof(*exact));
    prefix = balloc(b, (np + 1) * sizeof(*prefix));
    t->regex = balloc(b, (nr + 1) * sizeof(*t->regex));
    if (!exact || !prefix || !t->regex)
        return;
    ne = np = 0;
    for (size_t i = 0; i < n; i++) {
        switch (entries[i]->path_type) {
        case RT_PATH_EXACT: exact[ne++] = entries[i]; break;
        case RT_PATH_REGEX: t->regex[t->n_regex++] = entries[i]; break;
        default: prefix[np++] = entries[i]; break;
        }
    }
    qsort(t->regex, t->n_regex, sizeof(*t->regex), by_precedence);
    t->exact = make_buckets(b, exact, ne, &t->n_exact);
    t->prefix = make_buckets(b, prefix, np, &t->n_prefix);
    for (size_t i = 0; t->exact && i < t->n_exact; i++) {
        t->exact[i].hash = rt_path_hash(t->exact[i].path, t->exact[i].len);
        t->exact_lengths |= UINT64_C(1) << (t->exact[i].len & 63);
    }
    for (size_t i = 0; t->prefix && i < t->n_prefix; i++) {
        t->prefix[i].hash = rt_path_hash(t->prefix[i].path, t->prefix[i].len);
        t->prefix_lengths |= UINT64_C(1) << (t->prefix[i].len & 63);
    }
    build_index(b, &t->exact_index, t->n_exact, bucket_key, t->exact, false);
    build_index(b, &t->prefix_index, t->n_prefix, bucket_key, t->prefix, false);
}

static int
by_host(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (!a->host || !b->host)
        return (a->host != NULL) - (b->host != NULL);
    return strcmp(a->host, b->host);
}

void
gw_rt_index_tiers(struct builder *b, struct rt_table *table)
{
    build_index(b, &table->exact_index, table->n_exact, tier_key, table->exact, true);
    build_index(b, &table->wildcard_index, table->n_wildcard, tier_key, table->wildcard, true);
}

/* Host tiers from (host, entry) pairs: exact hosts, wildcard suffixes, hostless. */
static void
build_table(struct builder *b, struct rt_table *table, struct entry_list *list)
{
    struct keyed *k = list->items;
    /* one host's, in turn */
    const struct rt_entry **group = gw_calloc(b->rt->res->ctx, list->n + 1, sizeof(*group));
    size_t i = 0, n_exact = 0, n_wildcard = 0;

    if (!group) {
        b->oom = true;
        return;
    }
    if (list->n)
        qsort(k, list->n, sizeof(*k), by_host);
    for (size_t e = 0; e < list->n; e++) {
        if (!k[e].host || (e > 0 && !by_host(&k[e - 1], &k[e])))
            continue;
        if (strncmp(k[e].host, "*.", 2) == 0)
            n_wildcard++;
        else
            n_exact++;
    }
    table->exact = gw_rt_table_alloc(b, (n_exact + 1) * sizeof(*table->exact));
    table->wildcard = gw_rt_table_alloc(b, (n_wildcard + 1) * sizeof(*table->wildcard));
    while (i < list->n && table->exact && table->wildcard && !b->oom) {
        size_t j = i;
        struct rt_tier *t;
        while (j < list->n && !by_host(&k[i], &k[j]))
            j++;
        for (size_t g = i; g < j; g++)
            group[g - i] = k[g].entry;
        t = gw_rt_tier_for(b, table, k[i].host);
        if (t)
            gw_rt_fill_tier(b, t, group, j - i);
        i = j;
    }
    gw_rt_index_tiers(b, table);
    gw_free(b->rt->res->ctx, group);
}

struct rt_tier *
gw_rt_tier_for(struct builder *b, struct rt_table *table, const char *host)
{
    struct rt_tier *t;

    /* The host is copied: a router updated from this one keeps the tier after the route whose
     * hostname it was has gone. */
    if (!host) {
        t = table->any = balloc(b, sizeof(*t));
    } else if (strncmp(host, "*.", 2) == 0) {
        t = &table->wildcard[table->n_wildcard++];
        t->host = bcopy_str(b, host + 2);
    } else {
        t = &table->exact[table->n_exact++];
        t->host = bcopy_str(b, host);
    }
    if (t) {
        t->host_len = t->host ? strlen(t->host) : 0;
        t->hash = t->host ? rt_host_hash(t->host, t->host_len) : 0;
        if (t->host && t->host_len <= RT_TIER_INLINE_KEY)
            memcpy(t->inline_host, t->host, t->host_len);
    }
    return t;
}

/* --- listeners ----------------------------------------------------------------------------- */

long
gw_rt_host_specificity(const char *hostname)
{
    if (!hostname)
        return 0;
    if (strncmp(hostname, "*.", 2) == 0)
        return 1 + (long)strlen(hostname);
    return 100000 + (long)strlen(hostname);
}

static int
by_port_and_specificity(const void *pa, const void *pb)
{
    const struct rt_listener *a = pa, *b = pb;
    long sa, sb;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    sa = gw_rt_host_specificity(a->hostname);
    sb = gw_rt_host_specificity(b->hostname);
    return (sa < sb) - (sa > sb);
}

static int
by_sni_specificity(const void *pa, const void *pb)
{
    const struct rt_sni_route *a = pa, *b = pb;
    long sa = gw_rt_host_specificity(a->host), sb = gw_rt_host_specificity(b->host);
    int c;
    if (sa != sb)
        return sa > sb ? -1 : 1;
    if (a->rule->route != b->rule->route && (c = gw_object_age_cmp(a->rule->route, b->rule->route)))
        return c;
    return (a->rule->index > b->rule->index) - (a->rule->index < b->rule->index);
}

/* The oldest route, then namespace/name: the one TCP or UDP route that carries traffic. */
static bool
older_route(const gwapi_object *a, const gwapi_object *b)
{
    return gw_object_age_cmp(a, b) < 0;
}

static const struct rt_rule *
stream_rule(struct builder *b, const gwapi_object *route)
{
    const gwapi_l4_route_rule *const *rules = NULL;
    size_t n = 0;

    if (gwapi_object_tcp_route(route))
        rules = gwapi_object_tcp_route(route)->spec->rules, n = gwapi_object_tcp_route(route)->spec->n_rules;
    else if (gwapi_object_udp_route(route))
        rules = gwapi_object_udp_route(route)->spec->rules, n = gwapi_object_udp_route(route)->spec->n_rules;
    else if (gwapi_object_tls_route(route))
        rules = gwapi_object_tls_route(route)->spec->rules, n = gwapi_object_tls_route(route)->spec->n_rules;
    if (n)
        return rule_from_backends(b, route, 0, rules[0]->backend_refs, rules[0]->n_backend_refs,
                                  NULL, 0);
    /* v1alpha1 TCP and UDP routes: the first rule's forwardTo (their matches are extensions). */
    if (gwapi_object_v1alpha1_tcp_route(route) && gwapi_object_v1alpha1_tcp_route(route)->spec &&
        gwapi_object_v1alpha1_tcp_route(route)->spec->n_rules) {
        const gwapi_v1alpha1_tcp_route_rule *r = gwapi_object_v1alpha1_tcp_route(route)->spec->rules[0];
        return rule_from_forward_to(b, route, 0, r->forward_to, r->n_forward_to);
    }
    if (gwapi_object_v1alpha1_udp_route(route) && gwapi_object_v1alpha1_udp_route(route)->spec &&
        gwapi_object_v1alpha1_udp_route(route)->spec->n_rules) {
        const gwapi_v1alpha1_udp_route_rule *r = gwapi_object_v1alpha1_udp_route(route)->spec->rules[0];
        return rule_from_forward_to(b, route, 0, r->forward_to, r->n_forward_to);
    }
    return NULL;
}

/* The server names of a v1alpha1 TLSRoute's rules (each match's snis; a rule without any is
 * the listener's default), into out when it is not NULL; their number. */
static size_t
v1alpha1_snis(struct builder *b, const gwapi_object *route, struct rt_sni_route *out)
{
    const gwapi_v1alpha1_tls_route *tr = gwapi_object_v1alpha1_tls_route(route);
    size_t n = 0;

    for (size_t r = 0; tr && tr->spec && r < tr->spec->n_rules && !b->oom; r++) {
        const gwapi_v1alpha1_tls_route_rule *src = tr->spec->rules[r];
        const struct rt_rule *rule = out ? rule_from_forward_to(b, route, r, src->forward_to,
                                                                src->n_forward_to)
                                         : NULL;
        size_t before = n;
        if (out && !rule)
            return n; /* out of memory (b->oom says so) */
        for (size_t m = 0; m < src->n_matches; m++)
            for (size_t k = 0; k < src->matches[m]->n_snis; k++, n++)
                if (out) {
                    out[n].host = src->matches[m]->snis[k];
                    out[n].rule = rule;
                }
        if (n == before) { /* no snis: every name */
            if (out) {
                out[n].host = NULL;
                out[n].rule = rule;
            }
            n++;
        }
    }
    return n;
}

/* The entries of an attached HTTPRoute (either dialect) or GRPCRoute, into its kind's list;
 * other kinds have none. */
void
gw_rt_route_entries(struct builder *b, struct entry_list *http, struct entry_list *grpc,
                 const struct gw_attachment *a)
{
    if (gwapi_object_http_route(a->route) || gwapi_object_v1alpha1_http_route(a->route))
        add_http_entries(b, http, a->route, a->hostnames, a->n_hostnames);
    else if (gwapi_object_grpc_route(a->route))
        add_grpc_entries(b, grpc, a->route, a->hostnames, a->n_hostnames);
}

bool
gw_rt_is_stream_route(const gwapi_object *route)
{
    return gwapi_object_tls_route(route) || gwapi_object_tcp_route(route) ||
           gwapi_object_udp_route(route) || gwapi_object_v1alpha1_tls_route(route) ||
           gwapi_object_v1alpha1_tcp_route(route) || gwapi_object_v1alpha1_udp_route(route);
}

/* TLSRoutes by server name, and the one TCP or UDP route, of a listener. */
void
gw_rt_compile_streams(struct builder *b, struct rt_listener *out, const struct gw_listener *l)
{
    size_t cap = 0, n_sni = 0;
    const gwapi_object *stream = NULL;

    for (size_t k = 0; k < l->n_attachments; k++)
        if (gwapi_object_tls_route(l->attachments[k].route))
            cap += l->attachments[k].n_hostnames ? l->attachments[k].n_hostnames : 1;
        else if (gwapi_object_v1alpha1_tls_route(l->attachments[k].route))
            cap += v1alpha1_snis(b, l->attachments[k].route, NULL);
    out->sni = balloc(b, (cap + 1) * sizeof(*out->sni));
    out->stream = NULL;
    for (size_t k = 0; k < l->n_attachments && out->sni && !b->oom; k++) {
        const struct gw_attachment *a = &l->attachments[k];
        const gwapi_object *route = a->route;
        if (gwapi_object_tls_route(route)) {
            const struct rt_rule *rule = stream_rule(b, route);
            for (size_t h = 0; rule && h < (a->n_hostnames ? a->n_hostnames : 1); h++) {
                out->sni[n_sni].host = a->n_hostnames ? a->hostnames[h] : NULL;
                out->sni[n_sni++].rule = rule;
            }
        } else if (gwapi_object_v1alpha1_tls_route(route)) {
            n_sni += v1alpha1_snis(b, route, out->sni + n_sni);
        } else if (gwapi_object_tcp_route(route) || gwapi_object_udp_route(route) ||
                   gwapi_object_v1alpha1_tcp_route(route) ||
                   gwapi_object_v1alpha1_udp_route(route)) {
            if (!stream || older_route(route, stream))
                stream = route;
        }
    }
    out->n_sni = n_sni;
    if (n_sni > 1)
        qsort(out->sni, n_sni, sizeof(*out->sni), by_sni_specificity);
    if (stream)
        out->stream = stream_rule(b, stream);
}

/* The Secret a Gateway presents to backends it reaches over TLS (spec.tls.backend
 * .clientCertificateRef), when it holds a certificate and key. */
static const gwapi_object *
backend_client_certificate(struct builder *b, const struct gw_listener *l)
{
    const gwapi_gateway *gw = gwapi_object_gateway(l->gateway ? l->gateway->obj : NULL);
    const gwapi_secret_object_ref *ref =
        gw && gw->spec->tls && gw->spec->tls->backend ? gw->spec->tls->backend->client_certificate_ref
                                                      : NULL;
    const gwapi_object *secret;

    if (!ref)
        return NULL;
    secret = gwapi_config_find(b->res->cfg, GWAPI_KIND_SECRET, GWAPI_DIALECT_V1,
                               ref->namespace_ ? ref->namespace_
                                               : l->gateway->obj->metadata->namespace_,
                               ref->name);
    return secret && ((const struct gw_object_rec *)secret)->tls_crt ? secret : NULL;
}

/* The ConfigMap a CA certificate reference names, when it holds a ca.crt. */
static const struct gw_object_rec *
ca_bundle_of(struct builder *b, const gwapi_object_ref *ref, const struct gw_listener *l)
{
    const struct gw_object_rec *cm = (const struct gw_object_rec *)gwapi_config_find(
        b->res->cfg, GWAPI_KIND_CONFIG_MAP, GWAPI_DIALECT_V1,
        ref->namespace_ ? ref->namespace_ : l->owner->metadata->namespace_, ref->name);
    return cm && cm->ca_crt ? cm : NULL;
}

/* Client certificates an HTTPS listener of a Gateway asks for (its frontend validation), and
 * the bundle of the CAs they are verified with. */
static void
compile_client_validation(struct builder *b, struct rt_listener *out, const struct gw_listener *l)
{
    const gwapi_frontend_tls_validation *v =
        eq(l->pub.protocol, "HTTPS") ? gw_frontend_validation(gwapi_object_gateway(l->owner),
                                                              l->pub.port)
                                     : NULL;
    const struct gw_object_rec *cm;
    size_t len = 0;
    char *bundle;

    if (!v || !v->n_ca_certificate_refs)
        return;
    out->client_validation = eq(v->mode, "AllowInsecureFallback") ? GWAPI_CLIENT_CERT_OPTIONAL
                                                                  : GWAPI_CLIENT_CERT_REQUIRED;
    for (size_t i = 0; i < v->n_ca_certificate_refs; i++)
        if ((cm = ca_bundle_of(b, v->ca_certificate_refs[i], l)))
            len += cm->ca_crt_len;
    if (!(bundle = balloc(b, len + 1)))
        return;
    for (size_t i = 0; i < v->n_ca_certificate_refs; i++)
        if ((cm = ca_bundle_of(b, v->ca_certificate_refs[i], l))) {
            memcpy(bundle + out->client_ca_len, cm->ca_crt, cm->ca_crt_len);
            out->client_ca_len += cm->ca_crt_len;
        }
    bundle[out->client_ca_len] = '\0';
    out->client_ca = bundle;
}

/* The Secret a certificate reference names, when it holds a certificate and a key: v1's
 * group "" (v1alpha1 also writes "core"), kind Secret. */
static const gwapi_object *
certificate_secret(struct builder *b, const char *group, const char *kind, const char *ns,
                   const char *name)
{
    const gwapi_object *secret;

    if ((group && *group && !eq(group, "core")) || (kind && !eq(kind, "Secret")) || !name)
        return NULL;
    secret = gwapi_config_find(b->res->cfg, GWAPI_KIND_SECRET, GWAPI_DIALECT_V1, ns, name);
    return secret && ((const struct gw_object_rec *)secret)->tls_crt ? secret : NULL;
}

/* v1alpha1, a listener that lets routes bring their certificates (routeOverride.certificate
 * Allow): the Secret each attached HTTPRoute's tls.certificateRef names, in the route's
 * namespace, for each of the route's hostnames on the listener. */
static void
compile_route_certificates(struct builder *b, struct rt_listener *out, const struct gw_listener *l)
{
    size_t cap = 0;

    for (size_t k = 0; k < l->n_attachments; k++)
        cap += l->attachments[k].n_hostnames ? l->attachments[k].n_hostnames : 1;
    out->route_certs = cap ? balloc(b, cap * sizeof(*out->route_certs)) : NULL;
    for (size_t k = 0; out->route_certs && k < l->n_attachments; k++) {
        const struct gw_attachment *a = &l->attachments[k];
        const gwapi_v1alpha1_http_route *hr = gwapi_object_v1alpha1_http_route(a->route);
        const gwapi_v1alpha1_local_object_ref *ref =
            hr && hr->spec && hr->spec->tls ? hr->spec->tls->certificate_ref : NULL;
        const gwapi_object *secret =
            ref ? certificate_secret(b, ref->group, ref->kind, a->route->metadata->namespace_,
                                     ref->name)
                : NULL;
        if (!secret)
            continue;
        for (size_t h = 0; h < (a->n_hostnames ? a->n_hostnames : 1); h++) {
            struct rt_route_cert *c = &out->route_certs[out->n_route_certs++];
            c->hostname = a->n_hostnames ? a->hostnames[h] : l->pub.hostname;
            c->secret = secret;
        }
    }
}

/* A terminating listener's certificates: the Secrets its certificateRefs (v1alpha1: its one
 * certificateRef, in the Gateway's namespace) name that hold a certificate and a key (the
 * resolution checked kinds and grants: the listener is valid). */
static void
compile_certificates(struct builder *b, struct rt_listener *out, const struct gw_listener *l)
{
    const gwapi_listener_tls *tls = l->spec ? l->spec->tls : NULL;
    const gwapi_v1alpha1_gateway_tls *tls_alpha = l->v1alpha1 ? l->v1alpha1->tls : NULL;
    const char *ns = l->owner->metadata->namespace_;
    const gwapi_object **certs, *secret;

    if (out->tls_action != GWAPI_TLS_TERMINATE)
        return;
    if (tls_alpha) {
        const gwapi_v1alpha1_local_object_ref *ref = tls_alpha->certificate_ref;
        secret = ref ? certificate_secret(b, ref->group, ref->kind, ns, ref->name) : NULL;
        certs = secret ? balloc(b, sizeof(*certs)) : NULL;
        if (certs) {
            certs[out->n_certificates++] = secret;
            out->certificates = certs;
        }
        if (tls_alpha->route_override && eq(tls_alpha->route_override->certificate, "Allow"))
            compile_route_certificates(b, out, l);
        return;
    }
    if (!tls || !tls->n_certificate_refs)
        return;
    certs = balloc(b, tls->n_certificate_refs * sizeof(*certs));
    for (size_t i = 0; certs && i < tls->n_certificate_refs; i++) {
        const gwapi_secret_object_ref *ref = tls->certificate_refs[i];
        secret = certificate_secret(b, ref->group, ref->kind, ref->namespace_ ? ref->namespace_ : ns,
                                    ref->name);
        if (secret)
            certs[out->n_certificates++] = secret;
    }
    out->certificates = certs;
    compile_client_validation(b, out, l);
}

static void
compile_listener(struct builder *b, struct rt_listener *out, const struct gw_listener *l,
                 size_t source)
{
    struct entry_list http = { 0 }, grpc = { 0 };

    out->source = source;
    out->name = l->pub.name;
    out->port = (unsigned)l->pub.port;
    out->hostname = l->pub.hostname;
    out->http = eq(l->pub.protocol, "HTTP") || eq(l->pub.protocol, "HTTPS");
    out->tls = eq(l->pub.protocol, "TLS");
    out->v1alpha1 = l->v1alpha1 != NULL;
    out->backend_client_cert = backend_client_certificate(b, l);
    out->tls_action = eq(l->pub.protocol, "HTTPS") || (out->tls && eq(l->tls_mode, "Terminate"))
                          ? GWAPI_TLS_TERMINATE
                      : out->tls ? GWAPI_TLS_PASSTHROUGH : GWAPI_TLS_NONE;
    compile_certificates(b, out, l);
    out->tcp = eq(l->pub.protocol, "TCP");
    out->udp = eq(l->pub.protocol, "UDP");
    gw_rt_compile_streams(b, out, l);
    for (size_t k = 0; k < l->n_attachments && !b->oom; k++)
        gw_rt_route_entries(b, &http, &grpc, &l->attachments[k]);
    build_table(b, &out->http_routes, &http);
    build_table(b, &out->grpc_routes, &grpc);
    gw_free(b->rt->res->ctx, http.items);
    gw_free(b->rt->res->ctx, grpc.items);
}

const struct gw_gateway *
gw_rt_find_gateway(const gwapi_resolution *res, const char *id)
{
    const char *slash = strchr(id, '/');
    size_t ns_len = slash ? (size_t)(slash - id) : 0;

    if (!slash)
        return NULL;
    for (size_t i = 0; i < res->n_gateways; i++) {
        const struct gw_gateway *g = res->gateways[i];
        if (!g->is_listener_set && strlen(g->obj->metadata->namespace_) == ns_len &&
            strncmp(g->obj->metadata->namespace_, id, ns_len) == 0 &&
            strcmp(g->obj->metadata->name, slash + 1) == 0)
            return g;
    }
    return NULL;
}

/* The listeners a Gateway's router serves: its own and its ListenerSets' (v1alpha1 Gateways
 * have no merged list: their own are all there is). */
void
gw_rt_gateway_listeners(const struct gw_gateway *g, struct gw_listener *const **listeners,
                        size_t *n)
{
    *listeners = g->n_merged ? g->merged : g->listeners;
    *n = g->n_merged ? g->n_merged : g->n_listeners;
}

static void
release_store(struct gw_store *store)
{
    gw_regexes_release(&((struct rt_store *)store)->regexes);
}

gwapi_router *
gw_rt_router_new(gwapi_resolution *res, const char *gateway, const gwapi_router *from)
{
    gwapi_router *rt = gw_calloc(res->ctx, 1, sizeof(*rt));
    struct rt_store *own;

    if (!rt)
        return NULL;
    own = (struct rt_store *)gw_store_new(res->ctx, sizeof(*own), from ? 4096 : 64 * 1024);
    if (!own || !gw_stores_init(&rt->stores, res->ctx, &own->base, from ? &from->stores : NULL)) {
        gw_store_unref(own ? &own->base : NULL);
        gw_free(res->ctx, rt);
        return NULL;
    }
    gw_regexes_init(&own->regexes, res->ctx);
    own->base.finish = release_store;
    gw_ref_init(&rt->refs);
    rt->res = gwapi_resolution_ref(res);
    rt->arena = &own->base.arena;
    rt->regexes = &own->regexes;
    rt->gateway = gw_arena_strndup(rt->arena, gateway, strlen(gateway));
    if (!rt->gateway) {
        gwapi_router_unref(rt);
        return NULL;
    }
    return rt;
}

/* Regular expressions past the JIT's budget, or without it: said once per router. */
bool
gw_rt_report_interpreted(gwapi_router *rt, gwapi_diags *diags)
{
    struct gw_site site = { 0 };

    return !rt->regexes->jit_unavailable ||
           !gw_report(diags, GWAPI_SEVERITY_INFO, GW_CODE_REGEX, &site,
                      "some regular expressions are matched by PCRE2's interpreter (its JIT is "
                      "not available, or past %d patterns): the same answers, more slowly",
                      GW_REGEX_JIT_BUDGET);
}

int
gw_rt_compile_full(gwapi_router **out, gwapi_resolution *res, const char *gateway,
                gwapi_diags *diags)
{
    const struct gw_gateway *g = gw_rt_find_gateway(res, gateway);
    struct builder b = { 0 };
    gwapi_router *rt;
    struct gw_listener *const *listeners;
    size_t n;

    *out = NULL;
    if (!g)
        return GWAPI_ENOTFOUND;
    rt = gw_rt_router_new(res, gateway, NULL);
    if (!rt)
        return GWAPI_ENOMEM;
    b.rt = rt;
    b.res = res;
    b.diags = diags;
    gw_rt_gateway_listeners(g, &listeners, &n);
    rt->listeners = balloc(&b, (n + 1) * sizeof(*rt->listeners));
    for (size_t i = 0; rt->listeners && i < n && !b.oom; i++) {
        /* Only listeners that would be programmed carry traffic. */
        if (!listeners[i]->valid)
            continue;
        compile_listener(&b, &rt->listeners[rt->n_listeners++], listeners[i], i);
    }
    if (rt->listeners)
        qsort(rt->listeners, rt->n_listeners, sizeof(*rt->listeners), by_port_and_specificity);
    if (b.oom || !gw_rt_report_interpreted(rt, diags)) {
        gwapi_router_unref(rt);
        return GWAPI_ENOMEM;
    }
    *out = rt;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_router_new(gwapi_router **out, gwapi_resolution *res, const char *gateway,
                 gwapi_diags *diags)
{
    if (!out || !res || !gateway)
        return GWAPI_EINVAL;
    return gw_rt_compile_full(out, res, gateway, diags);
}

GWAPI_EXPORT gwapi_router *
gwapi_router_ref(gwapi_router *r)
{
    if (r)
        gw_ref_inc(&r->refs);
    return r;
}

GWAPI_EXPORT void
gwapi_router_unref(gwapi_router *r)
{
    gwapi_resolution *res;

    if (!r || !gw_ref_dec(&r->refs))
        return;
    res = r->res;
    for (size_t i = 0; i < r->n_owned; i++)
        gw_free(res->ctx, r->owned[i]);
    gw_free(res->ctx, r->owned);
    gw_stores_release(&r->stores, res->ctx);
    gw_free(res->ctx, r);
    gwapi_resolution_unref(res);
}
