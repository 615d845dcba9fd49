/* Matching: reads the compiled tables, allocates nothing, takes no lock. */
#include <string.h>
#include <strings.h>

#include "router/router.h"

#define MAX_HOST 256

/* A wildcard suffix "s" (of "*.s") covers one or more whole labels before ".s". */
static bool
suffix_matches(const char *suffix, size_t slen, const char *host, size_t hlen)
{
    return hlen > slen + 1 && memcmp(host + hlen - slen, suffix, slen) == 0 &&
           host[hlen - slen - 1] == '.';
}

bool
gw_router_host_matches(const char *pattern, const char *host, size_t host_len)
{
    if (!pattern)
        return true;
    if (pattern[0] == '*' && pattern[1] == '.')
        return suffix_matches(pattern + 2, strlen(pattern + 2), host, host_len);
    return strlen(pattern) == host_len && memcmp(pattern, host, host_len) == 0;
}

/* Lower-case the host and drop a ":port" (and the brackets of an IPv6 literal). */
static size_t
normalize_host(const char *in, char *out)
{
    size_t n = 0;
    const char *end;

    if (!in)
        return 0;
    if (in[0] == '[') {
        end = strchr(in, ']');
        in++;
    } else {
        end = strchr(in, ':');
    }
    while (*in && in != end && n < MAX_HOST - 1) {
        char c = *in++;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (n && out[n - 1] == '.')
        n--; /* a trailing dot names the same host */
    out[n] = '\0';
    return n;
}

/* Regular expressions match from stack memory: a bump allocator over a local buffer, so that
 * pcre2's match data costs no heap allocation. */
struct stack_memory {
    char buf[1024];
    size_t used;
};

static void *
stack_alloc(PCRE2_SIZE size, void *data)
{
    struct stack_memory *m = data;
    size_t start = (m->used + 15) & ~(size_t)15;
    if (start + size > sizeof(m->buf))
        return NULL;
    m->used = start + size;
    return m->buf + start;
}

static void
stack_free(void *p, void *data)
{
    (void)p;
    (void)data;
}

static bool
regex_matches(pcre2_code *re, const char *s, size_t len)
{
    struct stack_memory mem;
    pcre2_general_context *gc;
    pcre2_match_data *md;
    int rc;

    if (!re)
        return false;
    mem.used = 0;
    gc = pcre2_general_context_create(stack_alloc, stack_free, &mem);
    md = gc ? pcre2_match_data_create(1, gc) : NULL;
    if (!md)
        return false;
    rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    return rc >= 0;
}

static const char *
header_value(const gwapi_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value ? req->headers[i].value : "";
    return NULL;
}

/* The first value of a query parameter, raw (no decoding), or NULL. */
static const char *
query_value(const char *query, const char *name, size_t *len)
{
    size_t nlen = strlen(name);

    while (query && *query) {
        const char *amp = strchr(query, '&');
        size_t plen = amp ? (size_t)(amp - query) : strlen(query);
        if (plen >= nlen && memcmp(query, name, nlen) == 0 &&
            (plen == nlen || query[nlen] == '=')) {
            *len = plen == nlen ? 0 : plen - nlen - 1;
            return plen == nlen ? "" : query + nlen + 1;
        }
        query = amp ? amp + 1 : NULL;
    }
    return NULL;
}

/* Method, headers and query of an entry (its path already matched). */
static bool
conditions_hold(const struct rt_entry *e, const gwapi_request *req)
{
    if (e->method && strcmp(e->method, req->method ? req->method : "GET") != 0)
        return false;
    for (size_t i = 0; i < e->n_headers; i++) {
        const char *v = header_value(req, e->headers[i].name);
        if (!v)
            return false;
        if (e->headers[i].re ? !regex_matches(e->headers[i].re, v, strlen(v))
                             : strcmp(v, e->headers[i].value) != 0)
            return false;
    }
    for (size_t i = 0; i < e->n_queries; i++) {
        size_t len = 0;
        const char *v = query_value(req->query, e->queries[i].name, &len);
        if (!v)
            return false;
        if (e->queries[i].re ? !regex_matches(e->queries[i].re, v, len)
                             : strlen(e->queries[i].value) != len ||
                                   memcmp(v, e->queries[i].value, len) != 0)
            return false;
    }
    return true;
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

static const struct rt_tier *
find_tier(const struct rt_tier *tiers, const struct rt_index *idx, const char *host, size_t len,
          uint64_t hash)
{
    uint32_t slot;

    if (!idx->slots || !len)
        return NULL;
    for (slot = (uint32_t)hash & idx->mask; idx->slots[slot].pos; slot = (slot + 1) & idx->mask) {
        const struct rt_tier *t;
        if (idx->slots[slot].tag != (uint32_t)(hash >> 32))
            continue;
        t = &tiers[idx->slots[slot].pos - 1];
        if (t->hash == hash && t->host_len == len && memcmp(t->host, host, len) == 0)
            return t;
    }
    return NULL;
}

static const struct rt_entry *
first_holding(const struct rt_entry *const *entries, size_t n, const gwapi_request *req)
{
    for (size_t i = 0; i < n; i++)
        if (conditions_hold(entries[i], req))
            return entries[i];
    return NULL;
}

/* The hashes of the path's candidate prefixes, longest first: the whole path (a trailing "/"
 * dropped), the path up to each "/" from the right, then "/". Computed in one pass. */
struct prefixes {
    size_t len[64];
    uint64_t hash[64];
    size_t n;
};

static void
path_prefixes(const char *path, size_t len, struct prefixes *p, uint64_t *whole)
{
    uint64_t h = 0xcbf29ce484222325ull, at[64];
    size_t ends[64], n = 0, end = len;

    if (end > 1 && path[end - 1] == '/')
        end--;
    /* FNV-1a is incremental: the hash of each "/" boundary's prefix falls out of one pass. */
    for (size_t i = 0; i < len; i++) {
        if (i == end && n < 63) {
            ends[n] = i;
            at[n++] = h;
        } else if (path[i] == '/' && i > 0 && i < end && n < 63) {
            ends[n] = i;
            at[n++] = h;
        }
        h = (h ^ (unsigned char)path[i]) * 0x100000001b3ull;
    }
    *whole = h;
    p->n = 0;
    if (end == len) {
        p->len[p->n] = len;
        p->hash[p->n++] = h;
    }
    for (size_t k = n; k-- > 0 && p->n < 63;) {
        p->len[p->n] = ends[k];
        p->hash[p->n++] = at[k];
    }
    if (end != 1 && p->n < 64) {
        p->len[p->n] = 1;
        p->hash[p->n++] = rt_hash("/", 1);
    }
}

/* Within a tier: exact path, then regular expressions, then prefixes, longest first. */
static const struct rt_entry *
match_tier(const struct rt_tier *t, const gwapi_request *req, const char *path, size_t len,
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
        (e = first_holding(bk->entries, bk->n, req)))
        return e;
    for (size_t i = 0; i < t->n_regex; i++)
        if (regex_matches(t->regex[i]->path_re, path, len) && conditions_hold(t->regex[i], req))
            return t->regex[i];
    for (size_t k = 0; t->n_prefix && k < px->n; k++) {
        const char *p = px->len[k] == 1 ? "/" : path;
        if (!(t->prefix_lengths >> (px->len[k] & 63) & 1))
            continue;
        if ((bk = find_bucket(t->prefix, &t->prefix_index, px->hash[k], p, px->len[k])) &&
            (e = first_holding(bk->entries, bk->n, req)))
            return e;
    }
    return NULL;
}

/* Hostname specificity first: the exact host, then wildcard suffixes longest first (one probe
 * per label of the host), then hostless. */
static const struct rt_entry *
match_table(const struct rt_table *table, const gwapi_request *req, const char *host,
            size_t host_len, const char *path, size_t len)
{
    const struct rt_tier *t;
    const struct rt_entry *e;
    struct prefixes px;
    uint64_t path_hash, host_hash = rt_hash(host, host_len);

    /* The host's slot loads while the path's prefixes are hashed. */
    if (table->exact_index.slots)
        __builtin_prefetch(&table->exact_index.slots[(uint32_t)host_hash & table->exact_index.mask]);
    path_prefixes(path, len, &px, &path_hash);
    t = find_tier(table->exact, &table->exact_index, host, host_len, host_hash);
    if (t && (e = match_tier(t, req, path, len, path_hash, &px)))
        return e;
    for (size_t i = 0; table->n_wildcard && i < host_len; i++) {
        if (host[i] != '.')
            continue;
        t = find_tier(table->wildcard, &table->wildcard_index, host + i + 1, host_len - i - 1,
                      rt_hash(host + i + 1, host_len - i - 1));
        if (t && (e = match_tier(t, req, path, len, path_hash, &px)))
            return e;
    }
    if (table->any && (e = match_tier(table->any, req, path, len, path_hash, &px)))
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
            /* An invalid backend keeps its share, as 500s. */
            out->status = be->usable ? 200 : 500;
            return;
        }
        r -= be->weight;
    }
}

static void
decide(const struct rt_rule *rule, size_t match, const gwapi_request *req, gwapi_decision *out)
{
    out->route = rule->route;
    out->rule = rule->index;
    out->match = match;
    out->filters = rule->filters;
    out->n_filters = rule->n_filters;
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
    choose_backend(rule, req->random, out);
    /* A RequestRedirect among the chosen backend's filters answers instead of forwarding. */
    for (size_t i = 0; out->backend_name && i < out->n_backend_filters; i++) {
        const gwapi_request_redirect *rr = out->backend_filters[i]->request_redirect;
        if (rr) {
            out->status = (int)(rr->status_code ? rr->status_code : 302);
            return;
        }
    }
}

/* The listener for this connection: right port and protocol, most specific hostname that
 * matches (listeners are sorted that way). */
static const struct rt_listener *
choose_listener(const gwapi_router *rt, const gwapi_request *req, const char *host, size_t len)
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
        if (gw_router_host_matches(l->hostname, host, len))
            return l;
    }
    return NULL;
}

GWAPI_EXPORT int
gwapi_router_match(const gwapi_router *rt, const gwapi_request *req, gwapi_decision *out)
{
    char host[MAX_HOST];
    size_t host_len;
    const struct rt_listener *l;
    const char *path;

    if (!rt || !req || !out || req->size < sizeof(gwapi_request) ||
        out->size < sizeof(gwapi_decision))
        return GWAPI_EINVAL;
    memset((char *)out + sizeof(size_t), 0, sizeof(*out) - sizeof(size_t));
    out->status = 404;
    host_len = normalize_host(req->protocol == GWAPI_PROTOCOL_TLS && req->sni ? req->sni
                              : req->host ? req->host : req->sni, host);
    l = choose_listener(rt, req, host, host_len);
    if (!l)
        return GWAPI_OK;
    out->listener = l->name;
    if (req->protocol == GWAPI_PROTOCOL_TCP || req->protocol == GWAPI_PROTOCOL_UDP) {
        if (l->stream)
            decide(l->stream, 0, req, out);
        return GWAPI_OK;
    }
    if (req->protocol == GWAPI_PROTOCOL_TLS) {
        for (size_t i = 0; i < l->n_sni; i++)
            if (gw_router_host_matches(l->sni[i].host, host, host_len)) {
                decide(l->sni[i].rule, 0, req, out);
                break;
            }
        return GWAPI_OK;
    }
    path = req->path && *req->path ? req->path : "/";
    {
        const struct rt_entry *e = match_table(req->protocol == GWAPI_PROTOCOL_GRPC
                                                   ? &l->grpc_routes : &l->http_routes,
                                               req, host, host_len, path, strlen(path));
        if (e) {
            decide(e->rule, e->match, req, out);
            if (e->path_type == RT_PATH_PREFIX)
                out->matched_prefix = e->path;
        }
    }
    return GWAPI_OK;
}
