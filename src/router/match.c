/* Matching: reads the compiled tables, allocates nothing, takes no lock. */
#include <string.h>
#include <strings.h>

#include "router/hash.h"
#include "router/router.h"

/* What one match carries down: the request, and whether a limit stopped it. */
struct match_state {
    const struct gw_req *req;
    bool limit;                      /* a regular expression could not say: stop, report */
    bool v1alpha1;                   /* the listener's dialect (router.h) */
};

bool
gw_rt_host_covers(const char *pattern, const char *host, size_t len, bool v1alpha1)
{
    size_t suffix;

    if (!v1alpha1 || !pattern || strncmp(pattern, "*.", 2) != 0)
        return gw_hostname_matches(pattern, host, len);
    /* v1alpha1: "*.example.com" covers "foo.example.com", never "a.b.example.com". */
    suffix = strlen(pattern) - 1; /* ".example.com" */
    return len > suffix && memcmp(host + len - suffix, pattern + 1, suffix) == 0 &&
           !memchr(host, '.', len - suffix);
}

static bool
regex_matches(struct match_state *st, const pcre2_code *re, const char *s, size_t len)
{
    enum rt_regex_result r;

    if (!re)
        return false; /* a pattern that did not compile never matches (reported at compile) */
    r = gw_regex_match(re, s, len);
    if (r == RT_REGEX_LIMIT)
        st->limit = true;
    return r == RT_REGEX_YES;
}


/* Lower-case the host and drop a ":port" (and the brackets of an IPv6 literal), a word at a
 * time; the bytes after it up to the next multiple of 8 are zeros. False when it is longer than
 * GWAPI_ROUTER_MAX_HOST. */
bool
gw_rt_normalize_host(gwapi_slice host, char *out, size_t *len)
{
    const char *in = host.ptr, *end;
    size_t n;

    *len = 0;
    memset(out, 0, 8);
    if (!in || !host.len)
        return true;
    if (in[0] == '[') {
        end = memchr(in, ']', host.len);
        in++;
    } else {
        end = memchr(in, ':', host.len);
    }
    if (!end)
        end = host.ptr + host.len;
    n = (size_t)(end - in);
    if (n > GWAPI_ROUTER_MAX_HOST + 1) /* room for a trailing dot, which is dropped */
        return false;
    memcpy(out, in, n);
    memset(out + n, 0, 8);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w, heptets, upper;
        memcpy(&w, out + i, 8);
        heptets = w & ~RT_HIGHS;
        upper = (heptets + RT_ONES * (0x80 - 'A')) & ~(heptets + RT_ONES * (0x80 - 'Z' - 1)) &
                ~w & RT_HIGHS;
        w |= upper >> 2; /* 'A'..'Z' gain 0x20 */
        memcpy(out + i, &w, 8);
    }
    if (n && out[n - 1] == '.')
        out[--n] = '\0'; /* a trailing dot names the same host */
    if (n > GWAPI_ROUTER_MAX_HOST)
        return false;
    *len = n;
    return true;
}

/* The first value of a query parameter, raw (no decoding), or NULL. */
static const char *
query_value(gwapi_slice query, const char *name, size_t *len)
{
    size_t nlen = strlen(name);
    const char *q = query.ptr, *end;

    if (!q) /* no query: nothing to offset from */
        return NULL;
    end = q + query.len;
    while (q && q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        size_t plen = amp ? (size_t)(amp - q) : (size_t)(end - q);
        if (plen >= nlen && memcmp(q, name, nlen) == 0 && (plen == nlen || q[nlen] == '=')) {
            *len = plen == nlen ? 0 : plen - nlen - 1;
            return plen == nlen ? "" : q + nlen + 1;
        }
        q = amp ? amp + 1 : NULL;
    }
    return NULL;
}

enum rt_check
gw_rt_failed_condition(const struct rt_entry *e, const struct gw_req *req, bool *limit,
                       size_t *index)
{
    struct match_state st = { req, false, false };
    enum rt_check failed = RT_CHECK_NONE;
    size_t i = 0;

    if (e->method && (req->method.ptr ? !gw_slice_is(req->method, e->method)
                                      : strcmp(e->method, "GET") != 0)) {
        failed = RT_CHECK_METHOD;
        goto done;
    }
    for (i = 0; i < e->n_headers; i++) {
        gwapi_slice v;
        if (!gw_req_find_header(req, e->headers[i].name, &v) ||
            (e->headers[i].re ? !regex_matches(&st, e->headers[i].re, v.ptr, v.len)
                              : !gw_slice_is(v, e->headers[i].value))) {
            failed = RT_CHECK_HEADER;
            goto done;
        }
    }
    for (i = 0; i < e->n_queries; i++) {
        size_t len = 0;
        const char *v = query_value(req->query, e->queries[i].name, &len);
        if (!v || (e->queries[i].re ? !regex_matches(&st, e->queries[i].re, v, len)
                                    : strlen(e->queries[i].value) != len ||
                                          memcmp(v, e->queries[i].value, len) != 0)) {
            failed = RT_CHECK_QUERY;
            goto done;
        }
    }
done:
    if (st.limit)
        *limit = true;
    if (index)
        *index = i;
    return failed;
}

/* Method, headers and query of an entry (its path already matched). */
static bool
conditions_hold(const struct rt_entry *e, struct match_state *st)
{
    return gw_rt_failed_condition(e, st->req, &st->limit, NULL) == RT_CHECK_NONE;
}

static const struct rt_path_bucket *
find_bucket(const struct rt_path_bucket *b, const struct rt_index *idx, uint64_t hash,
            const char *path, size_t len)
{
    uint32_t slot;

    if (!idx->slots)
        return NULL;
    for (slot = (uint32_t)hash & idx->mask; idx->slots[slot].pos; slot = (slot + 1) & idx->mask) {
        const struct rt_path_bucket *bk;
        if (idx->slots[slot].tag != (uint32_t)(hash >> 32))
            continue;
        bk = &b[idx->slots[slot].pos - 1];
        if (bk->hash == hash && bk->len == len && memcmp(bk->path, path, len) == 0)
            return bk;
    }
    return NULL;
}

/* The first entry whose conditions hold; NULL when none does, or when a limit stopped the
 * search (st->limit): a later entry must not win in place of one that could not be tested. */
static const struct rt_entry *
first_holding(const struct rt_entry *const *entries, size_t n, struct match_state *st)
{
    for (size_t i = 0; i < n && !st->limit; i++)
        if (conditions_hold(entries[i], st))
            return st->limit ? NULL : entries[i];
    return NULL;
}

/* The path's candidate prefixes, longest first: the whole path (unless it ends in "/"), the
 * path up to each "/" after its first byte from the right, then "/". A path has any number of
 * them; the prefixes up to a "/" are taken 64 at a time ("a block"), the longest block first,
 * each block from one walk over the path (hash.h): a path of more segments costs one more walk
 * per block, never a candidate left out. */
#define PREFIX_BLOCK RT_PATH_RING

struct prefixes {
    size_t len[PREFIX_BLOCK + 2];    /* + the whole path and "/" */
    uint64_t hash[PREFIX_BLOCK + 2];
    size_t n;                        /* candidates in this block */
    size_t below;                    /* prefixes up to a "/" left for later blocks */
    bool root;                       /* "/" comes after the last block */
};

/* Fill p with the ring's prefixes [lo, hi), longest first, and "/" after the last block. */
static void
take_ring(struct prefixes *p, const struct rt_path_ring *r, size_t lo, size_t hi)
{
    for (size_t k = hi; k-- > lo; p->n++) {
        p->len[p->n] = r->len[k % PREFIX_BLOCK];
        p->hash[p->n] = r->hash[k % PREFIX_BLOCK];
    }
    p->below = lo;
    if (lo == 0 && p->root) {
        p->len[p->n] = 1;
        p->hash[p->n++] = rt_path_hash("/", 1);
    }
}

/* The first block, and the hash of the whole path. */
static void
path_prefixes(const char *path, size_t len, struct prefixes *p, uint64_t *whole)
{
    struct rt_path_ring r;           /* not zeroed: only what the walk writes is read */

    r.lo = 0;
    r.hi = SIZE_MAX;
    r.k = 0;
    *whole = rt_path_walk(path, len, &r);
    p->n = 0;
    if (len == 1 || path[len - 1] != '/') {
        p->len[p->n] = len;
        p->hash[p->n++] = *whole;
    }
    /* "/" is a candidate of its own unless a prefix up to a "/" already is it ("//..."). */
    p->root = len > 1 && path[1] != '/';
    take_ring(p, &r, r.k > PREFIX_BLOCK ? r.k - PREFIX_BLOCK : 0, r.k);
}

/* The next block, shorter prefixes than the last. */
static void
more_prefixes(const char *path, size_t len, const struct prefixes *last, struct prefixes *p)
{
    size_t hi = last->below, lo = hi > PREFIX_BLOCK ? hi - PREFIX_BLOCK : 0;
    struct rt_path_ring r;

    r.lo = lo;
    r.hi = hi;
    r.k = 0;
    rt_path_walk(path, len, &r);
    p->n = 0;
    p->root = last->root;
    take_ring(p, &r, lo, hi);
}

/* Prefix candidates of one block, longest first. */
static const struct rt_entry *
match_prefix_block(const struct rt_tier *t, struct match_state *st, const char *path,
                   const struct prefixes *px)
{
    const struct rt_path_bucket *bk;
    const struct rt_entry *e;

    for (size_t k = 0; k < px->n && !st->limit; k++) {
        const char *p = px->len[k] == 1 ? "/" : path;
        if (!(t->prefix_lengths >> (px->len[k] & 63) & 1))
            continue;
        if ((bk = find_bucket(t->prefix, &t->prefix_index, px->hash[k], p, px->len[k])) &&
            (e = first_holding(bk->entries, bk->n, st)))
            return e;
    }
    return NULL;
}

/* Within a tier: exact path, then regular expressions, then prefixes, longest first. */
static const struct rt_entry *
match_tier(const struct rt_tier *t, struct match_state *st, const char *path, size_t len,
           uint64_t path_hash, const struct prefixes *px)
{
    const struct rt_path_bucket *bk;
    const struct rt_entry *e;

    /* The probes are independent: start every slot's load now, so that their cache misses
     * overlap instead of following one another. */
    if (t->exact_index.slots)
        __builtin_prefetch(&t->exact_index.slots[(uint32_t)path_hash & t->exact_index.mask]);
    for (size_t k = 0; t->prefix_index.slots && k < px->n; k++)
        if (t->prefix_lengths >> (px->len[k] & 63) & 1)
            __builtin_prefetch(&t->prefix_index.slots[(uint32_t)px->hash[k] & t->prefix_index.mask]);
    if ((t->exact_lengths >> (len & 63) & 1) &&
        (bk = find_bucket(t->exact, &t->exact_index, path_hash, path, len)) &&
        (e = first_holding(bk->entries, bk->n, st))) {
        const struct rt_path_bucket *same;
        const struct rt_entry *p;
        /* v1alpha1 ranks by the length matched, Exact and Prefix alike: a Prefix of the whole
         * path ties with the Exact, and the rest of the precedence decides. */
        if (st->v1alpha1 && px->n && px->len[0] == len && !st->limit &&
            (same = find_bucket(t->prefix, &t->prefix_index, px->hash[0], path, len)) &&
            (p = first_holding(same->entries, same->n, st)) &&
            gw_rt_entry_precedence(p, e) < 0)
            return st->limit ? NULL : p;
        return st->limit ? NULL : e;
    }
    for (size_t i = 0; i < t->n_regex && !st->limit; i++)
        if (regex_matches(st, t->regex[i]->path_re, path, len) && conditions_hold(t->regex[i], st))
            return st->limit ? NULL : t->regex[i];
    if (!t->n_prefix || st->limit)
        return NULL;
    if ((e = match_prefix_block(t, st, path, px)) || st->limit)
        return e;
    {
        struct prefixes blocks[2];   /* the next block is made from the last one */
        const struct prefixes *last = px;
        for (size_t b = 0; last->below && !st->limit; b ^= 1) {
            more_prefixes(path, len, last, &blocks[b]);
            if ((e = match_prefix_block(t, st, path, &blocks[b])))
                return e;
            last = &blocks[b];
        }
    }
    return NULL;
}

/* Hostname specificity first: the exact host, then wildcard suffixes longest first (one probe
 * per label of the host), then hostless. */
static const struct rt_entry *
match_table(const struct rt_table *table, struct match_state *st, const char *host,
            size_t host_len, const char *path, size_t len)
{
    const struct rt_tier *t;
    const struct rt_entry *e;
    struct prefixes px;
    struct rt_host_labels labels;
    uint64_t path_hash;

    rt_host_suffixes(host, host_len, &labels);
    /* The host's slot loads while the path's prefixes are hashed. */
    if (table->exact_index.slots)
        __builtin_prefetch(
            &table->exact_index.slots[(uint32_t)labels.suffix[0] & table->exact_index.mask]);
    path_prefixes(path, len, &px, &path_hash);
    t = rt_find_tier(table->exact, &table->exact_index, host, host_len, labels.suffix[0]);
    if (t && ((e = match_tier(t, st, path, len, path_hash, &px)) || st->limit))
        return e;
    /* Wildcard suffixes, longest first: the host from its second label, its third, ...;
     * v1alpha1 wildcards cover one label, so only the first of them. */
    for (size_t k = 1; table->n_wildcard && k < labels.n && (k == 1 || !st->v1alpha1); k++) {
        size_t from = labels.start[k];
        t = rt_find_tier(table->wildcard, &table->wildcard_index, host + from, host_len - from,
                         labels.suffix[k]);
        if (t && ((e = match_tier(t, st, path, len, path_hash, &px)) || st->limit))
            return e;
    }
    if (table->any && (e = match_tier(table->any, st, path, len, path_hash, &px)))
        return e;
    return NULL;
}

/* Weighted choice: random modulo the total weight, walking the cumulative weights. */
static void
choose_backend(const struct rt_rule *rule, uint32_t random, gwapi_decision *out)
{
    uint64_t r;

    out->status = 500;
    if (rule->total_weight == 0) {
        if (rule->redirects)
            out->status = 302;
        /* v1alpha1: a rule that forwards nowhere (and no filter answers) is 503. */
        else if (!rule->n_backends && rule->v1alpha1)
            out->status = 503;
        return;
    }
    r = random % rule->total_weight;
    for (size_t i = 0; i < rule->n_backends; i++) {
        const struct rt_backend *be = &rule->backends[i];
        if (r < be->weight) {
            out->backend = i;
            out->backend_ns = be->ns;
            out->backend_name = be->name;
            out->backend_port = be->port;
            out->backend_filters = be->filters;
            out->n_backend_filters = be->n_filters;
            out->backend_tls_policy = be->tls_policy;
            /* An invalid backend keeps its share, as 500s. */
            out->status = be->usable ? 200 : 500;
            return;
        }
        r -= be->weight;
    }
}

static void
decide(const struct rt_rule *rule, size_t match, const struct gw_req *req, gwapi_decision *out)
{
    out->route = rule->route;
    out->rule = rule->index;
    out->match = match;
    out->filters = rule->filters;
    out->n_filters = rule->n_filters;
    out->request_timeout_ms = rule->request_ms;
    out->backend_request_timeout_ms = rule->backend_request_ms;
    if (rule->cors && gw_router_cors_preflight(out, req)) {
        out->status = 204; /* answered by the gateway, never forwarded */
        return;
    }
    if (rule->redirects) {
        for (size_t i = 0; i < rule->n_filters; i++) {
            const gwapi_request_redirect *rr = rule->filters[i]->request_redirect;
            if (rr) {
                out->status = (int)(rr->status_code ? rr->status_code : 302);
                return;
            }
        }
    }
    choose_backend(rule, req->pub->random, out);
    /* A RequestRedirect among the chosen backend's filters answers instead of forwarding. */
    for (size_t i = 0; out->backend_name && i < out->n_backend_filters; i++) {
        const gwapi_request_redirect *rr = out->backend_filters[i]->request_redirect;
        if (rr) {
            out->status = (int)(rr->status_code ? rr->status_code : 302);
            return;
        }
    }
}

/* decide(), and what the listener adds: its client certificate toward backends reached over
 * TLS, and for v1alpha1 the request's destination port where a forwardTo gives none. */
static void
decide_on(const struct rt_rule *rule, size_t match, const struct gw_req *req,
          const struct rt_listener *l, gwapi_decision *out)
{
    decide(rule, match, req, out);
    if (out->backend_tls_policy)
        out->backend_client_certificate = l->backend_client_cert;
    if (out->backend_name && !out->backend_port && rule->v1alpha1)
        out->backend_port = l->port;
}

/* The listener for this connection: right port and protocol, most specific hostname that
 * matches (listeners are sorted that way). */
const struct rt_listener *
gw_rt_choose_listener(const gwapi_router *rt, const gwapi_request *req, const char *host, size_t len)
{
    for (size_t i = 0; i < rt->n_listeners; i++) {
        const struct rt_listener *l = &rt->listeners[i];
        bool fits = (req->protocol == GWAPI_PROTOCOL_HTTP || req->protocol == GWAPI_PROTOCOL_GRPC)
                        ? l->http
                        : req->protocol == GWAPI_PROTOCOL_TLS ? l->tls
                        : req->protocol == GWAPI_PROTOCOL_TCP ? l->tcp : l->udp;
        if (!fits || (req->port && l->port != req->port))
            continue;
        if (req->protocol == GWAPI_PROTOCOL_TCP || req->protocol == GWAPI_PROTOCOL_UDP)
            return l;
        if (gw_rt_host_covers(l->hostname, host, len, l->v1alpha1))
            return l;
    }
    return NULL;
}

static int
match(const gwapi_router *rt, const gwapi_request *request, gwapi_decision *out)
{
    char host[GW_RT_HOST_BUFFER];
    size_t host_len;
    const struct rt_listener *l;
    struct gw_req r;
    const gwapi_request *req = request;
    gwapi_slice path;
    struct match_state st = { &r, false };
    int err;

    static const gwapi_decision nothing = GWAPI_DECISION_INIT;
    size_t size = out->size;

    /* A copy of a constant, not a memset: for a struct this small, a string instruction's
     * start-up costs more than the whole copy. */
    *out = nothing;
    out->size = size;
    out->status = 404;
    if ((err = gw_req_read(&r, request))) {
        out->status = 400;
        return err;
    }
    if (!gw_rt_normalize_host(req->protocol == GWAPI_PROTOCOL_TLS && r.sni.ptr ? r.sni
                        : r.host.ptr ? r.host : r.sni, host, &host_len)) {
        out->status = 400;
        return GWAPI_ELIMIT;
    }
    l = gw_rt_choose_listener(rt, req, host, host_len);
    if (r.sni.ptr && r.host.ptr && (req->protocol == GWAPI_PROTOCOL_HTTP ||
                                    req->protocol == GWAPI_PROTOCOL_GRPC)) {
        /* On a TLS connection the server name chose the listener; a Host that another
         * listener would take is a misdirected request (HTTP/2 coalescing), 421. */
        char sni[GW_RT_HOST_BUFFER];
        size_t sni_len;
        const struct rt_listener *by_sni;
        if (!gw_rt_normalize_host(r.sni, sni, &sni_len)) {
            out->status = 400;
            return GWAPI_ELIMIT;
        }
        by_sni = gw_rt_choose_listener(rt, req, sni, sni_len);
        if (l && by_sni && l != by_sni) {
            out->listener = by_sni->name;
            out->tls = by_sni->tls_action;
            out->status = 421;
            return GWAPI_OK;
        }
    }
    if (!l)
        return GWAPI_OK;
    out->listener = l->name;
    out->tls = l->tls_action;
    st.v1alpha1 = l->v1alpha1;
    if (req->protocol == GWAPI_PROTOCOL_TCP || req->protocol == GWAPI_PROTOCOL_UDP) {
        if (l->stream)
            decide_on(l->stream, 0, &r, l, out);
        return GWAPI_OK;
    }
    if (req->protocol == GWAPI_PROTOCOL_TLS) {
        for (size_t i = 0; i < l->n_sni; i++)
            if (gw_rt_host_covers(l->sni[i].host, host, host_len, l->v1alpha1)) {
                decide_on(l->sni[i].rule, 0, &r, l, out);
                break;
            }
        return GWAPI_OK;
    }
    path = r.path.ptr && r.path.len ? r.path : (gwapi_slice){ "/", 1 };
    {
        const struct rt_entry *e = match_table(req->protocol == GWAPI_PROTOCOL_GRPC
                                                   ? &l->grpc_routes : &l->http_routes,
                                               &st, host, host_len, path.ptr, path.len);
        if (st.limit) {
            out->status = 500;
            return GWAPI_ELIMIT;
        }
        if (e) {
            decide_on(e->rule, e->match, &r, l, out);
            if (e->path_type == RT_PATH_PREFIX)
                out->matched_prefix = e->path;
        }
    }
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_router_match(const gwapi_router *rt, const gwapi_request *request, gwapi_decision *out)
{
    gwapi_request req_full;
    gwapi_decision small;
    const gwapi_request *req = gw_request_view(request, &req_full);
    int err;

    if (!rt || !req || !out || out->size < sizeof(size_t))
        return GWAPI_EINVAL;
    if (out->size >= sizeof(*out))
        return match(rt, req, out);
    /* A caller built against an older, smaller decision gets the fields it knows. */
    small.size = sizeof(small);
    err = match(rt, req, &small);
    small.size = out->size;
    memcpy(out, &small, out->size);
    return err;
}
