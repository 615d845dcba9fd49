/* Explaining a decision: every match entry of the router, in the order the router tries them,
 * with the first check the request fails; the winner is gwapi_router_match()'s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve/resolve.h"
#include "router/router.h"
#include "util/arena.h"
#include "util/context.h"

struct gwapi_candidates {
    const gwapi_ctx *ctx;
    struct gw_arena arena;           /* the detail strings */
    gwapi_candidate *items;
    const struct rt_entry **entries; /* the entry of each item */
    size_t n, cap, entries_cap;
    bool oom;
};

struct explainer {
    gwapi_candidates *out;
    const struct gw_req *req;
    const char *host;                /* normalized */
    size_t host_len;
    const char *path;
    size_t path_len;
    const struct rt_listener *chosen;
    bool limit;
};

static const char *
text(struct explainer *x, const char *fmt, const char *a, const char *b, const char *c)
{
    const char *s = gw_arena_printf(&x->out->arena, fmt, a ? a : "", b ? b : "", c ? c : "");
    if (!s)
        x->out->oom = true;
    return s;
}

/* A slice of the request as text for a detail (bounded). */
static const char *
slice_text(struct explainer *x, gwapi_slice s)
{
    const char *t;
    if (!s.ptr)
        return NULL;
    t = gw_arena_strndup(&x->out->arena, s.ptr, s.len < 200 ? s.len : 200);
    if (!t)
        x->out->oom = true;
    return t;
}

static void
add(struct explainer *x, const struct rt_listener *l, const struct rt_tier *t, bool wildcard,
    const struct rt_entry *e, const char *check, const char *detail)
{
    gwapi_candidates *c = x->out;
    gwapi_candidate *item;

    if (c->oom || gw_grow(c->ctx, (void **)&c->items, &c->cap, c->n + 1, sizeof(*c->items)) ||
        gw_grow(c->ctx, (void **)&c->entries, &c->entries_cap, c->n + 1, sizeof(*c->entries))) {
        c->oom = true;
        return;
    }
    item = &c->items[c->n];
    memset(item, 0, sizeof(*item));
    item->route = e->rule->route;
    item->rule = e->rule->index;
    item->match = e->match;
    item->listener = l->name;
    item->hostname = !t->host ? NULL : wildcard ? text(x, "*.%s%s%s", t->host, NULL, NULL)
                                                : t->host;
    item->check = check;
    item->detail = detail;
    c->entries[c->n++] = e;
}

/* Does the entry's path take the request's path? (The router finds this by hashing; here it
 * is said entry by entry, for the words.) */
static bool
path_takes(struct explainer *x, const struct rt_entry *e, const char **why)
{
    const char *p = x->path;
    size_t n = x->path_len;

    switch (e->path_type) {
    case RT_PATH_EXACT:
        *why = text(x, "Exact %s is not %s%s", e->path, slice_text(x, (gwapi_slice){ p, n }),
                    NULL);
        return e->path_len == n && memcmp(e->path, p, n) == 0;
    case RT_PATH_REGEX: {
        enum rt_regex_result r = e->path_re ? gw_regex_match(e->path_re, p, n) : RT_REGEX_NO;
        if (r == RT_REGEX_LIMIT)
            x->limit = true;
        *why = text(x, "RegularExpression does not match %s%s%s",
                    slice_text(x, (gwapi_slice){ p, n }), NULL, NULL);
        return r == RT_REGEX_YES;
    }
    default:
        /* A prefix is kept without its trailing "/"; "/" takes every path. */
        *why = text(x, "PathPrefix %s does not take %s%s", e->path_len ? e->path : "/",
                    slice_text(x, (gwapi_slice){ p, n }), NULL);
        if (e->path_len <= 1)
            return true;
        return n >= e->path_len && memcmp(p, e->path, e->path_len) == 0 &&
               (n == e->path_len || p[e->path_len] == '/');
    }
}

/* The entry's first failing check (NULL: all hold), with what was compared. */
static const char *
first_failure(struct explainer *x, const struct rt_listener *l, const struct rt_tier *t,
              bool covers, const struct rt_entry *e, const char **detail)
{
    size_t index = 0;

    if (l != x->chosen) {
        *detail = text(x, "the request goes to listener %s%s%s",
                       x->chosen ? x->chosen->name : "(none)", NULL, NULL);
        return "listener";
    }
    if (!covers) {
        *detail = text(x, "filed under host %s, which does not cover %s%s", t->host,
                       x->host, NULL);
        return "hostname";
    }
    if (!path_takes(x, e, detail))
        return "path";
    switch (gw_rt_failed_condition(e, x->req, &x->limit, &index)) {
    case RT_CHECK_METHOD:
        *detail = text(x, "method %s is not %s%s", e->method,
                       x->req->method.ptr ? slice_text(x, x->req->method) : "GET", NULL);
        return "method";
    case RT_CHECK_HEADER:
        *detail = text(x, "header %s: %s %s", e->headers[index].name,
                       e->headers[index].re ? "RegularExpression" : "Exact",
                       e->headers[index].re ? "does not match" : e->headers[index].value);
        return "header";
    case RT_CHECK_QUERY:
        *detail = text(x, "query parameter %s: %s %s", e->queries[index].name,
                       e->queries[index].re ? "RegularExpression" : "Exact",
                       e->queries[index].re ? "does not match" : e->queries[index].value);
        return "query";
    default:
        *detail = NULL;
        return NULL;
    }
}

static int
by_longer_prefix(const void *pa, const void *pb)
{
    const struct rt_path_bucket *a = *(const struct rt_path_bucket *const *)pa;
    const struct rt_path_bucket *b = *(const struct rt_path_bucket *const *)pb;
    return (a->len < b->len) - (a->len > b->len);
}

/* The entries of a tier in the order the router tries them: exact paths, regular expressions,
 * then prefixes from the longest. */
static void
add_tier(struct explainer *x, const struct rt_listener *l, const struct rt_tier *t,
         bool wildcard, bool covers)
{
    const struct rt_path_bucket **prefixes;
    size_t np = t->n_prefix;

    for (size_t b = 0; b < t->n_exact; b++)
        for (size_t i = 0; i < t->exact[b].n; i++) {
            const char *detail, *check = first_failure(x, l, t, covers, t->exact[b].entries[i],
                                                       &detail);
            add(x, l, t, wildcard, t->exact[b].entries[i], check, detail);
        }
    for (size_t i = 0; i < t->n_regex; i++) {
        const char *detail, *check = first_failure(x, l, t, covers, t->regex[i], &detail);
        add(x, l, t, wildcard, t->regex[i], check, detail);
    }
    if (!np)
        return;
    prefixes = gw_calloc(x->out->ctx, np, sizeof(*prefixes));
    if (!prefixes) {
        x->out->oom = true;
        return;
    }
    for (size_t b = 0; b < np; b++)
        prefixes[b] = &t->prefix[b];
    qsort(prefixes, np, sizeof(*prefixes), by_longer_prefix);
    for (size_t b = 0; b < np; b++)
        for (size_t i = 0; i < prefixes[b]->n; i++) {
            const struct rt_entry *e = prefixes[b]->entries[i];
            const char *detail, *check = first_failure(x, l, t, covers, e, &detail);
            add(x, l, t, wildcard, e, check, detail);
        }
    gw_free(x->out->ctx, prefixes);
}

static bool
covers(const struct rt_tier *t, bool wildcard, const struct explainer *x, bool v1alpha1)
{
    char pattern[GW_RT_HOST_BUFFER + 2];

    if (!t->host)
        return true;
    if (!wildcard)
        return t->host_len == x->host_len && memcmp(t->host, x->host, x->host_len) == 0;
    snprintf(pattern, sizeof(pattern), "*.%s", t->host);
    return gw_rt_host_covers(pattern, x->host, x->host_len, v1alpha1);
}

/* A listener's table: the host keys that cover the request's host, most specific first, then
 * the others. */
static int
by_longer_suffix(const void *pa, const void *pb)
{
    const struct rt_tier *a = *(const struct rt_tier *const *)pa;
    const struct rt_tier *b = *(const struct rt_tier *const *)pb;
    return (a->host_len < b->host_len) - (a->host_len > b->host_len);
}

static void
add_table(struct explainer *x, const struct rt_listener *l, const struct rt_table *table)
{
    const struct rt_tier **wild = gw_calloc(x->out->ctx, table->n_wildcard + 1, sizeof(*wild));

    if (!wild) {
        x->out->oom = true;
        return;
    }
    for (size_t i = 0; i < table->n_wildcard; i++)
        wild[i] = &table->wildcard[i];
    qsort(wild, table->n_wildcard, sizeof(*wild), by_longer_suffix);
    for (int pass = 0; pass < 2; pass++) {
        bool want = pass == 0;
        for (size_t i = 0; i < table->n_exact; i++)
            if (covers(&table->exact[i], false, x, l->v1alpha1) == want)
                add_tier(x, l, &table->exact[i], false, want);
        for (size_t i = 0; i < table->n_wildcard; i++)
            if (covers(wild[i], true, x, l->v1alpha1) == want)
                add_tier(x, l, wild[i], true, want);
        if (want && table->any)
            add_tier(x, l, table->any, false, true);
    }
    gw_free(x->out->ctx, wild);
}

/* Why the winner comes before the next candidate whose checks all hold. */
static const char *
why_it_wins(struct explainer *x, size_t w)
{
    gwapi_candidates *c = x->out;
    const gwapi_candidate *a = &c->items[w], *b = NULL;
    const struct rt_entry *ea = c->entries[w], *eb = NULL;
    const char *why;

    for (size_t i = w + 1; i < c->n && !b; i++)
        if (!c->items[i].check) {
            b = &c->items[i];
            eb = c->entries[i];
        }
    if (!b)
        return "the only candidate whose checks all hold";
    if ((a->hostname == NULL) != (b->hostname == NULL) ||
        (a->hostname && b->hostname && strcmp(a->hostname, b->hostname) != 0))
        return text(x, "its hostname %s is more specific than %s's %s",
                    a->hostname ? a->hostname : "(any)", b->route->metadata->name,
                    b->hostname ? b->hostname : "(any)");
    if (ea->path_type != eb->path_type && (ea->path_type == RT_PATH_EXACT ||
                                           eb->path_type == RT_PATH_EXACT ||
                                           ea->path_type == RT_PATH_REGEX))
        return text(x, "an %s path beats %s's %s",
                    ea->path_type == RT_PATH_EXACT ? "Exact" : "RegularExpression",
                    b->route->metadata->name,
                    eb->path_type == RT_PATH_PREFIX || eb->path_type == RT_PATH_ANY
                        ? "PathPrefix" : "RegularExpression");
    if (ea->path_type != RT_PATH_EXACT && ea->path_type != RT_PATH_REGEX &&
        ea->path_len != eb->path_len)
        return text(x, "its prefix %s is longer than %s's %s", ea->path_len ? ea->path : "/",
                    b->route->metadata->name, eb->path_len ? eb->path : "/");
    gw_rt_entry_precedence_why(ea, eb, &why);
    return text(x, "%s, against %s %s", why, b->route->kind_name, b->route->metadata->name);
}

GWAPI_EXPORT int
gwapi_router_explain(const gwapi_router *rt, const gwapi_request *request,
                     gwapi_candidates **out)
{
    gwapi_request req_full;
    const gwapi_request *req = gw_request_view(request, &req_full);
    gwapi_decision d = GWAPI_DECISION_INIT;
    char host[GW_RT_HOST_BUFFER];
    struct gw_req r;
    struct explainer x;
    gwapi_candidates *c;
    int err;

    if (out)
        *out = NULL;
    if (!rt || !req || !out ||
        (req->protocol != GWAPI_PROTOCOL_HTTP && req->protocol != GWAPI_PROTOCOL_GRPC))
        return GWAPI_EINVAL;
    if ((err = gwapi_router_match(rt, req, &d)) || gw_req_read(&r, req))
        return err ? err : GWAPI_EINVAL;
    c = gw_calloc(rt->res->ctx, 1, sizeof(*c));
    if (!c)
        return GWAPI_ENOMEM;
    c->ctx = rt->res->ctx;
    gw_arena_init(&c->arena, c->ctx, 4096);
    memset(&x, 0, sizeof(x));
    x.out = c;
    x.req = &r;
    x.path = r.path.ptr && r.path.len ? r.path.ptr : "/";
    x.path_len = r.path.ptr && r.path.len ? r.path.len : 1;
    gw_rt_normalize_host(r.host.ptr ? r.host : r.sni, host, &x.host_len); /* match took it */
    x.host = host;
    x.chosen = gw_rt_choose_listener(rt, req, host, x.host_len);
    if (d.listener)
        for (size_t i = 0; i < rt->n_listeners; i++)
            if (rt->listeners[i].name == d.listener)
                x.chosen = &rt->listeners[i];
    /* The chosen listener first, then the others of the request's kind. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < rt->n_listeners; i++) {
            const struct rt_listener *l = &rt->listeners[i];
            if ((l == x.chosen) != (pass == 0) || !l->http)
                continue;
            add_table(&x, l, req->protocol == GWAPI_PROTOCOL_GRPC ? &l->grpc_routes
                                                                  : &l->http_routes);
        }
    /* The winner is the decision's; the first of its entries that holds (one entry may be filed
     * under several host keys). */
    for (size_t i = 0; d.route && i < c->n; i++) {
        gwapi_candidate *it = &c->items[i];
        if (!it->check && it->route == d.route && it->rule == d.rule && it->match == d.match &&
            it->listener == d.listener) {
            it->won = true;
            it->detail = why_it_wins(&x, i);
            break;
        }
    }
    if (c->oom) {
        gwapi_candidates_free(c);
        return GWAPI_ENOMEM;
    }
    *out = c;
    return GWAPI_OK;
}

GWAPI_EXPORT size_t
gwapi_candidates_count(const gwapi_candidates *c)
{
    return c ? c->n : 0;
}

GWAPI_EXPORT const gwapi_candidate *
gwapi_candidates_get(const gwapi_candidates *c, size_t index)
{
    return c && index < c->n ? &c->items[index] : NULL;
}

GWAPI_EXPORT void
gwapi_candidates_free(gwapi_candidates *c)
{
    if (!c)
        return;
    gw_arena_release(&c->arena);
    gw_free(c->ctx, c->items);
    gw_free(c->ctx, c->entries);
    gw_free(c->ctx, c);
}
