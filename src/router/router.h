/* The compiled router. Per Gateway port: its listeners, most specific hostname first (listener
 * isolation). Per listener and route kind: host tiers (exact hosts, then wildcard suffixes
 * longest first, then hostless), and per tier a path index (exact paths, then regular
 * expressions, then prefixes probed segment by segment, longest first) whose candidate lists
 * are sorted by the rest of the spec's precedence. The first candidate whose method, headers
 * and query match wins. Everything is laid out once; matching only reads. */
#ifndef GW_ROUTER_ROUTER_H
#define GW_ROUTER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "gatewayapi/router.h"
#include "util/arena.h"
#include "util/hostname.h"
#include "router/hash.h"
#include "router/regex.h"
#include "util/refcount.h"
#include "util/store.h"

enum rt_path_type { RT_PATH_EXACT, RT_PATH_PREFIX, RT_PATH_REGEX, RT_PATH_ANY };

struct rt_cond {                     /* one header or query condition */
    const char *name;
    const char *value;
    pcre2_code *re;                  /* RegularExpression, anchored; NULL for Exact */
};

struct rt_backend {
    const char *ns, *name;
    int64_t port;
    uint32_t weight;
    bool usable;                     /* kind, permission and existence check out */
    const gwapi_object *tls_policy;  /* the BackendTLSPolicy in force, or NULL */
    const gwapi_filter *const *filters;
    size_t n_filters;
};

struct rt_rule {
    const gwapi_object *route;
    bool v1alpha1;                   /* the route's dialect, read without touching the model */
    size_t index;
    struct rt_backend *backends;
    size_t n_backends;
    uint64_t total_weight;
    const gwapi_filter *const *filters;
    size_t n_filters;
    int64_t request_ms, backend_request_ms; /* timeouts; -1: none given */
    bool redirects;                  /* has a RequestRedirect filter */
    bool cors;                       /* has a CORS filter */
};

struct rt_entry {                    /* one match entry of one rule, on one host tier */
    const struct rt_rule *rule;
    size_t match;
    uint8_t path_type;
    const char *path;                /* exact path, or prefix without its trailing "/" */
    size_t path_len;
    pcre2_code *path_re;
    const char *method;              /* NULL: any */
    struct rt_cond *headers;
    size_t n_headers;
    struct rt_cond *queries;
    size_t n_queries;
};

struct rt_path_bucket {              /* entries sharing one exact path or one prefix */
    const char *path;
    size_t len;
    uint64_t hash;
    const struct rt_entry *const *entries; /* sorted by precedence */
    size_t n;
    const struct rt_entry *single;   /* entries points here when n is 1 */
};

/* An open-addressing hash index. A slot holds the position + 1 (0: empty) and the upper half
 * of the key's hash, so that a probe for a key that is not there is settled by the slot alone,
 * without reading the item. */
struct rt_slot {
    uint32_t pos;
    uint32_t tag;
};

struct rt_index {
    struct rt_slot *slots;
    uint32_t mask;
};

/* Host keys up to this long are kept inside their tier, so that the probe that finds a tier
 * compares the key in the lines it has already read. */
#define RT_TIER_INLINE_KEY 32

struct rt_tier {                     /* the entries of one host key */
    /* What a match reads first: the key, then the path indices. */
    uint64_t hash;
    size_t host_len;
    char inline_host[RT_TIER_INLINE_KEY]; /* the host when host_len fits */
    uint64_t exact_lengths;          /* bit (length % 64) set for every exact path: skips probes */
    uint64_t prefix_lengths;         /* the same for prefixes */
    struct rt_path_bucket *exact;    /* by path */
    struct rt_index exact_index;
    struct rt_path_bucket *prefix;   /* by path */
    struct rt_index prefix_index;
    size_t n_regex;
    const struct rt_entry **regex;   /* sorted by precedence */
    size_t n_exact;
    size_t n_prefix;
    const char *host;                /* exact host, wildcard suffix (without "*."), or NULL */
};

/* The tier's key, wherever it is kept. */
static inline const char *
rt_tier_key(const struct rt_tier *t)
{
    return t->host_len <= RT_TIER_INLINE_KEY ? t->inline_host : t->host;
}

struct rt_table {                    /* one route kind on one listener */
    struct rt_tier *exact;
    size_t n_exact;
    struct rt_index exact_index;
    struct rt_tier *wildcard;        /* by suffix, probed once per label of the host */
    size_t n_wildcard;
    struct rt_index wildcard_index;
    struct rt_tier *any;
};

struct rt_sni_route {                /* TLSRoute: one effective hostname */
    const char *host;                /* exact or "*.suffix" or NULL for any */
    const struct rt_rule *rule;
};

struct rt_listener {
    size_t source;                   /* its position in the Gateway's listeners (resolution) */
    const char *name;
    unsigned port;
    const char *hostname;            /* NULL: any host */
    bool http, tls, tcp, udp;        /* what it serves */
    gwapi_tls_action tls_action;     /* HTTPS and TLS-Terminate: terminate; TLS-Passthrough */
    bool v1alpha1;                   /* networking.x-k8s.io/v1alpha1: wildcards cover one label;
                                        precedence by path length, Exact and Prefix alike */
    const gwapi_object *const *certificates; /* terminating: the Secrets of its certificateRefs
                                                that hold a certificate and key, in order */
    size_t n_certificates;
    struct rt_route_cert {           /* v1alpha1, routeOverride.certificate Allow: the
                                        certificates of the attached routes, by hostname */
        const char *hostname;        /* NULL: every host of the listener */
        const gwapi_object *secret;
    } *route_certs;
    size_t n_route_certs;
    gwapi_client_validation client_validation; /* HTTPS: the Gateway's frontend validation */
    const char *client_ca;           /* its CA bundle (every ConfigMap's ca.crt), or NULL */
    const gwapi_object *backend_client_cert; /* the Gateway's client certificate toward
                                                backends (a Secret), or NULL */
    size_t client_ca_len;
    struct rt_table http_routes;
    struct rt_table grpc_routes;
    struct rt_sni_route *sni;        /* most specific first */
    size_t n_sni;
    const struct rt_rule *stream;    /* TCPRoute / UDPRoute: the oldest route's rule */
};

/* A router's memory: a store (see util/store.h) with the regular expressions compiled into
 * it. A router updated from another points into the other's stores for every tier and entry
 * the change left alone. */
struct rt_store {
    struct gw_store base;
    struct rt_regexes regexes;       /* every distinct expression, freed with the store */
};

struct gwapi_router {
    gw_refcount refs;
    gwapi_resolution *res;
    const char *gateway;             /* "namespace/name" */
    struct gw_stores stores;
    struct gw_arena *arena;          /* the own store's */
    struct rt_regexes *regexes;      /* the own store's */
    struct rt_listener *listeners;   /* by port, then most specific hostname first */
    size_t n_listeners;
    /* An updated router's arrays of listeners, tiers and index slots: its own (freed with it),
     * so that the versions after it do not keep them. */
    void **owned;
    size_t n_owned, owned_capacity;
};

/* The tier of a host key (exact host, or wildcard suffix without "*."), or NULL. */
static inline const struct rt_tier *
rt_find_tier(const struct rt_tier *tiers, const struct rt_index *idx, const char *host,
             size_t len, uint64_t hash)
{
    uint32_t slot;

    if (!idx->slots || !len)
        return NULL;
    for (slot = (uint32_t)hash & idx->mask; idx->slots[slot].pos; slot = (slot + 1) & idx->mask) {
        const struct rt_tier *t;
        if (idx->slots[slot].tag != (uint32_t)(hash >> 32))
            continue;
        t = &tiers[idx->slots[slot].pos - 1];
        if (t->hash == hash && t->host_len == len && memcmp(rt_tier_key(t), host, len) == 0)
            return t;
    }
    return NULL;
}

/* A caller's struct whose first member is its size, whatever version of it the caller was
 * built against: the struct itself when it is whole, else its first size bytes over a copy of
 * defaults in full (so that the fields it lacks read as their defaults); NULL when there is none,
 * or its size is too small to be one. */
static inline const void *
gw_sized_view(const void *in, void *full, const void *defaults, size_t full_size)
{
    size_t size;

    if (!in)
        return NULL;
    memcpy(&size, in, sizeof(size));
    if (size >= full_size)
        return in;
    if (size < sizeof(size_t))
        return NULL;
    memcpy(full, defaults, full_size);
    memcpy(full, in, size);
    memcpy(full, &full_size, sizeof(full_size));
    return full;
}

/* Room for a normalized host: GWAPI_ROUTER_MAX_HOST bytes, a trailing dot, and the zeros
 * that let the host be read a word at a time. */
#define GW_RT_HOST_BUFFER (GWAPI_ROUTER_MAX_HOST + 1 + 8 + 8)

struct gw_req;

/* Lower-case a host and drop its ":port" into out (GW_RT_HOST_BUFFER bytes); false when it is
 * longer than GWAPI_ROUTER_MAX_HOST (match.c). */
bool gw_rt_normalize_host(gwapi_slice host, char *out, size_t *len);
/* The listener a request with this normalized host goes to, or NULL (match.c). */
const struct rt_listener *gw_rt_choose_listener(const gwapi_router *rt, const gwapi_request *req,
                                                const char *host, size_t len);

/* The checks of a match entry after its path, in the order they are made. */
enum rt_check { RT_CHECK_NONE, RT_CHECK_METHOD, RT_CHECK_HEADER, RT_CHECK_QUERY };
/* The first condition of e the request fails (*index: which header or query), or
 * RT_CHECK_NONE; *limit is set when a regular expression could not say (match.c). */
enum rt_check gw_rt_failed_condition(const struct rt_entry *e, const struct gw_req *req,
                                     bool *limit, size_t *index);

/* The request as the router reads it (request.c): every text field as a slice, ptr NULL when
 * not given, from either form the caller used. */
struct gw_req {
    const gwapi_request *pub;        /* protocol, port, random */
    gwapi_slice host, sni, method, path, query;
    const gwapi_header_slice *header_slices;          /* one of these two */
    const gwapi_http_header *header_strings;
    size_t n_headers;
};

/* Read a caller's request (already a view of its full size). GWAPI_EINVAL when a slice holds
 * a NUL byte, or headers are counted but missing. */
int gw_req_read(struct gw_req *r, const gwapi_request *req);
/* Header i as slices (a NULL value is the empty one); false when it is no header. */
bool gw_req_header(const struct gw_req *r, size_t i, gwapi_slice *name, gwapi_slice *value);
/* The first header of that name, case-insensitively; false when there is none. */
bool gw_req_find_header(const struct gw_req *r, const char *name, gwapi_slice *value);
/* Does the slice hold exactly text? */
bool gw_slice_is(gwapi_slice s, const char *text);

static inline const gwapi_request *
gw_request_view(const gwapi_request *req, gwapi_request *full)
{
    static const gwapi_request defaults = GWAPI_REQUEST_INIT;
    return gw_sized_view(req, full, &defaults, sizeof(*full));
}

static inline const gwapi_decision *
gw_decision_view(const gwapi_decision *d, gwapi_decision *full)
{
    static const gwapi_decision defaults = GWAPI_DECISION_INIT;
    return gw_sized_view(d, full, &defaults, sizeof(*full));
}

/* How specific a hostname is, larger first: exact beats wildcard, a longer suffix beats a
 * shorter one, NULL (any host) comes last. Among hostnames that cover one name, the larger is
 * the one that name reaches (listeners, TLS routes, route certificates). */
long gw_rt_host_specificity(const char *hostname);

/* Negative when entry a goes before b (the spec's precedence after host and path). */
int gw_rt_entry_precedence(const struct rt_entry *a, const struct rt_entry *b);
/* The same, with the criterion that decided (a phrase: "more header matches", ...). */
int gw_rt_entry_precedence_why(const struct rt_entry *a, const struct rt_entry *b,
                               const char **why);

/* Does a hostname pattern (NULL: any) cover host[0..len)? In v1alpha1 a wildcard covers exactly
 * one label; in v1, one or more. */
bool gw_rt_host_covers(const char *pattern, const char *host, size_t len, bool v1alpha1);

/* A CORS preflight of a rule with a CORS filter: the gateway answers it. */
bool gw_router_cors_preflight(const gwapi_decision *d, const struct gw_req *req);

/* The most headers a CORS filter answers with. */
#define GW_CORS_MAX_HEADERS 6
/* The CORS headers of a decision for its request: their number into *n and the bytes of buf
 * their composed values take into *bytes. With out NULL (room for GW_CORS_MAX_HEADERS
 * otherwise) and buf NULL, only measures; the values are right only when buf had *bytes. */
gwapi_cors_kind gw_router_cors(const gwapi_decision *d, const struct gw_req *req,
                               gwapi_http_header *out, char *buf, size_t size, size_t *n,
                               size_t *bytes);

#endif
