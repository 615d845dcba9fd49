/* The effect of filters, computed for the proxy: the redirect Location,
 * the rewritten path and host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "router/router.h"
#include "model/schema.h"

static const gwapi_filter *
find_filter(const gwapi_decision *d, bool redirect)
{
    for (size_t i = 0; i < d->n_filters; i++)
        if (redirect ? d->filters[i]->request_redirect != NULL : d->filters[i]->url_rewrite != NULL)
            return d->filters[i];
    for (size_t i = 0; i < d->n_backend_filters; i++)
        if (redirect ? d->backend_filters[i]->request_redirect != NULL
                     : d->backend_filters[i]->url_rewrite != NULL)
            return d->backend_filters[i];
    return NULL;
}

/* Text composed into a caller's buffer: what does not fit is counted, not written, so that
 * one pass both measures and fills, and nothing is allocated. */
struct text {
    char *buf;
    size_t cap; /* bytes that may be written, the terminating NUL excluded */
    size_t len; /* bytes of the whole text */
};

static void
text_append(struct text *t, const char *s, size_t n)
{
    if (t->len < t->cap)
        memcpy(t->buf + t->len, s, n < t->cap - t->len ? n : t->cap - t->len);
    t->len += n;
}

static void
text_puts(struct text *t, const char *s)
{
    text_append(t, s, strlen(s));
}

/* Terminate the text in a buffer of size bytes; its full length. */
static size_t
text_finish(struct text *t, size_t size)
{
    if (size)
        t->buf[t->len < size - 1 ? t->len : size - 1] = '\0';
    return t->len;
}

/* The request's path, "/" when it has none. */
static gwapi_slice
path_of(const struct gw_req *r)
{
    gwapi_slice root = { "/", 1 };
    return r->path.ptr && r->path.len ? r->path : root;
}

/* Path after a path modifier: ReplaceFullPath, or element-wise ReplacePrefixMatch. */
static void
modified_path(const gwapi_path_modifier *m, const gwapi_decision *d, gwapi_slice path,
              struct text *out)
{
    size_t plen, vlen, start = out->len; /* out may already hold a scheme and host */
    const char *v;

    if (!m) {
        text_append(out, path.ptr, path.len);
        return;
    }
    if (m->type && strcmp(m->type, "ReplaceFullPath") == 0) {
        text_puts(out, m->replace_full_path ? m->replace_full_path : "/");
        return;
    }
    /* P: the matched prefix without its trailing "/" ("/" counts as ""); V likewise. */
    plen = d->matched_prefix ? strlen(d->matched_prefix) : 0;
    if (plen && d->matched_prefix[plen - 1] == '/')
        plen--;
    v = m->replace_prefix_match ? m->replace_prefix_match : "";
    vlen = strlen(v);
    if (vlen && v[vlen - 1] == '/')
        vlen--;
    text_append(out, v, vlen);
    if (path.len >= plen)
        text_append(out, path.ptr + plen, path.len - plen);
    if (out->len == start)
        text_append(out, "/", 1);
}

/* The length of a Host value without its ":port" (an IPv6 literal keeps its brackets). */
static size_t
host_without_port(gwapi_slice host)
{
    const char *close, *colon;

    if (!host.len)
        return 0;
    if (host.ptr[0] == '[' && (close = memchr(host.ptr, ']', host.len)))
        return (size_t)(close - host.ptr) + 1;
    colon = memchr(host.ptr, ':', host.len);
    return colon ? (size_t)(colon - host.ptr) : host.len;
}

/* The Location of a redirect filter, into t. */
static void
compose_redirect(const gwapi_request_redirect *rr, const gwapi_decision *d,
                 const struct gw_req *r, const char *scheme, struct text *t)
{
    const gwapi_request *req = r->pub;
    const char *out_scheme = rr->scheme ? rr->scheme : scheme ? scheme : "http";
    size_t host_len;
    int64_t port;

    if (gw_field_state(rr, "port") == GWAPI_FIELD_GIVEN)
        port = rr->port;
    else if (rr->scheme)
        port = strcmp(rr->scheme, "https") == 0 ? 443 : 80;
    else
        port = req->port ? req->port : strcmp(out_scheme, "https") == 0 ? 443 : 80;
    /* The request's host without its port, unless the filter names one. */
    host_len = rr->hostname ? strlen(rr->hostname) : host_without_port(r->host);
    if (host_len) {
        text_puts(t, out_scheme);
        text_puts(t, "://");
        text_append(t, rr->hostname ? rr->hostname : r->host.ptr, host_len);
        if (!((strcmp(out_scheme, "http") == 0 && port == 80) ||
              (strcmp(out_scheme, "https") == 0 && port == 443))) {
            char digits[24];
            text_append(t, digits, (size_t)snprintf(digits, sizeof(digits), ":%lld",
                                                    (long long)port));
        }
    }
    /* Without any host (an HTTP/1.0 request without Host), the Location is the path alone:
     * a relative reference, which clients resolve against the URL they asked for. */
    modified_path(rr->path, d, path_of(r), t);
    if (r->query.len) {
        text_append(t, "?", 1);
        text_append(t, r->query.ptr, r->query.len);
    }
}

GWAPI_EXPORT size_t
gwapi_decision_redirect(const gwapi_decision *decision, const gwapi_request *request,
                        const char *scheme, char *location, size_t size)
{
    gwapi_decision d_full;
    gwapi_request req_full;
    const gwapi_decision *d = gw_decision_view(decision, &d_full);
    const gwapi_request *req = gw_request_view(request, &req_full);
    const gwapi_filter *f = d ? find_filter(d, true) : NULL;
    struct text t = { location, size ? size - 1 : 0, 0 };
    struct gw_req r;

    if (!f || !req || (!location && size) || gw_req_read(&r, req)) {
        if (location && size)
            location[0] = '\0';
        return 0;
    }
    compose_redirect(f->request_redirect, d, &r, scheme, &t);
    return text_finish(&t, size);
}

GWAPI_EXPORT size_t
gwapi_decision_rewrite_path(const gwapi_decision *decision, const gwapi_request *request,
                            char *path, size_t size)
{
    gwapi_decision d_full;
    gwapi_request req_full;
    const gwapi_decision *d = gw_decision_view(decision, &d_full);
    const gwapi_request *req = gw_request_view(request, &req_full);
    const gwapi_filter *f = d ? find_filter(d, false) : NULL;
    struct text t = { path, size ? size - 1 : 0, 0 };
    struct gw_req r;
    gwapi_slice root = { "/", 1 };

    if ((!path && size) || (req && gw_req_read(&r, req))) {
        if (path && size)
            path[0] = '\0';
        return 0;
    }
    modified_path(f ? f->url_rewrite->path : NULL, d, req ? path_of(&r) : root, &t);
    return text_finish(&t, size);
}

GWAPI_EXPORT const char *
gwapi_decision_rewrite_host(const gwapi_decision *decision)
{
    gwapi_decision d_full;
    const gwapi_decision *d = gw_decision_view(decision, &d_full);
    const gwapi_filter *f = d ? find_filter(d, false) : NULL;
    return f ? f->url_rewrite->hostname : NULL;
}

static void
put(gwapi_http_header *out, size_t cap, size_t *n, const char *name, const char *value)
{
    if (*n < cap) {
        out[*n].name = name;
        out[*n].value = value;
    }
    (*n)++;
}

/* Header names compare case-insensitively; a missing name matches nothing. */
static bool
same_name(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

GWAPI_EXPORT int
gwapi_headers_modify(const gwapi_header_modifier *m, const gwapi_http_header *in, size_t n_in,
                     gwapi_http_header *out, size_t cap, size_t *n_out)
{
    size_t n = 0;

    if ((!out && cap) || (!in && n_in))
        return GWAPI_EINVAL;
    /* A modifier entry without a name or value (only in an object that fails validation,
     * resolved on request) is left out. */
    for (size_t i = 0; i < n_in; i++) {
        bool drop = !in[i].name; /* an entry without a name is no header */
        for (size_t k = 0; m && k < m->n_remove && !drop; k++)
            drop = same_name(in[i].name, m->remove[k]);
        for (size_t k = 0; m && k < m->n_set && !drop; k++)
            drop = same_name(in[i].name, m->set[k]->name);
        if (!drop)
            put(out, cap, &n, in[i].name, in[i].value ? in[i].value : "");
    }
    for (size_t k = 0; m && k < m->n_set; k++)
        if (m->set[k]->name && m->set[k]->value)
            put(out, cap, &n, m->set[k]->name, m->set[k]->value);
    for (size_t k = 0; m && k < m->n_add; k++)
        if (m->add[k]->name && m->add[k]->value)
            put(out, cap, &n, m->add[k]->name, m->add[k]->value);
    if (n_out)
        *n_out = n;
    return n > cap ? GWAPI_ELIMIT : GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_decision_modify_headers(const gwapi_decision *decision, bool response,
                              const gwapi_http_header *in, size_t n_in, gwapi_http_header *out,
                              size_t cap, size_t *n_out)
{
    gwapi_decision d_full;
    const gwapi_decision *d = gw_decision_view(decision, &d_full);
    const gwapi_filter *const *lists[2];
    size_t counts[2], n = 0, total;

    if (!d || (!out && cap) || (!in && n_in))
        return GWAPI_EINVAL;
    lists[0] = d->filters;
    lists[1] = d->backend_filters;
    counts[0] = d->n_filters;
    counts[1] = d->n_backend_filters;
    /* The caller's headers, as every modifier sees them: an entry without a name is no header,
     * and a NULL value is the empty one. In place, the copy never overtakes what it reads. */
    for (size_t i = 0; i < n_in; i++)
        if (in[i].name) {
            if (n < cap) {
                gwapi_http_header h = { in[i].name, in[i].value ? in[i].value : "" };
                out[n] = h;
            }
            n++;
        }
    total = n;
    /* Headers past cap were never copied; applying the modifiers to what was copied would
     * report the count of a different list, so report what cannot be done. */
    if (n > cap) {
        if (n_out)
            *n_out = n;
        return GWAPI_ELIMIT;
    }
    /* Each modifier works in place: it only ever writes at or before what it reads. */
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const gwapi_header_modifier *m = response ? lists[l][i]->response_header_modifier
                                                      : lists[l][i]->request_header_modifier;
            if (!m)
                continue;
            gwapi_headers_modify(m, out, n, out, cap, &total);
            n = total < cap ? total : cap;
        }
    if (n_out)
        *n_out = total;
    return total > cap ? GWAPI_ELIMIT : GWAPI_OK;
}

static const gwapi_cors *
find_cors(const gwapi_decision *d)
{
    for (size_t i = 0; d && i < d->n_filters; i++)
        if (d->filters[i]->cors)
            return d->filters[i]->cors;
    for (size_t i = 0; d && i < d->n_backend_filters; i++)
        if (d->backend_filters[i]->cors)
            return d->backend_filters[i]->cors;
    return NULL;
}

bool
gw_router_cors_preflight(const gwapi_decision *d, const struct gw_req *req)
{
    gwapi_slice v;
    return find_cors(d) && gw_slice_is(req->method, "OPTIONS") &&
           gw_req_find_header(req, "Origin", &v) &&
           gw_req_find_header(req, "Access-Control-Request-Method", &v);
}

/* scheme://host[:port] split, the port defaulted from the scheme; false when malformed. */
static bool
split_origin(const char *o, size_t len, char *scheme, char *host, long *port)
{
    char text[16 + 3 + 256 + 8];
    const char *sep, *h, *colon;
    size_t slen, hlen;

    if (len >= sizeof(text))
        return false;
    memcpy(text, o, len);
    text[len] = '\0';
    o = text;
    if (!(sep = strstr(o, "://")) || (slen = (size_t)(sep - o)) >= 16)
        return false;
    memcpy(scheme, o, slen);
    scheme[slen] = '\0';
    h = sep + 3;
    colon = strrchr(h, ':');
    hlen = colon ? (size_t)(colon - h) : strlen(h);
    if (hlen >= 256)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = colon ? strtol(colon + 1, NULL, 10)
                  : strcmp(scheme, "https") == 0 ? 443 : strcmp(scheme, "http") == 0 ? 80 : 0;
    return true;
}

/* "*" alone, or scheme://host[:port] where the host may be "*" or start with "*.", the
 * star covering any number of labels. */
static bool
origin_allowed(const gwapi_cors *c, gwapi_slice origin)
{
    char os[16], oh[256], as[16], ah[256];
    long op, ap;

    if (!split_origin(origin.ptr, origin.len, os, oh, &op))
        return false;
    for (size_t i = 0; i < c->n_allow_origins; i++) {
        const char *a = c->allow_origins[i];
        if (strcmp(a, "*") == 0)
            return true;
        if (!split_origin(a, strlen(a), as, ah, &ap) || strcasecmp(as, os) != 0 || ap != op)
            continue;
        if (strcmp(ah, "*") == 0 || strcasecmp(ah, oh) == 0)
            return true;
        if (strncmp(ah, "*.", 2) == 0) {
            size_t hl = strlen(oh), sl = strlen(ah + 1);
            if (hl > sl && strcasecmp(oh + hl - sl, ah + 1) == 0)
                return true;
        }
    }
    return false;
}

/* Where text composed from position start is: only read once the whole text fits (while only
 * measuring, there is no buffer). */
static const char *
text_at(const struct text *t, size_t start)
{
    return t->buf ? t->buf + start : "";
}

/* A copy of the request's bytes in the text, NUL-terminated (the answer's headers are C
 * strings); where it starts, or NULL when it is empty (then nothing was added). */
static const char *
copy_value(struct text *t, gwapi_slice v)
{
    size_t start = t->len;

    if (!v.len)
        return NULL;
    text_append(t, v.ptr, v.len);
    text_append(t, "", 1);
    return text_at(t, start);
}

/* Join a list with ", " into the text, NUL-terminated; where it starts, or NULL when it is
 * empty (then nothing was added). */
static const char *
join(struct text *t, const char *const *items, size_t n)
{
    size_t start = t->len;

    for (size_t i = 0; i < n; i++) {
        if (i)
            text_append(t, ", ", 2);
        text_puts(t, items[i]);
    }
    if (t->len == start)
        return NULL;
    text_append(t, "", 1);
    return text_at(t, start);
}

static bool
only_star(const char *const *items, size_t n)
{
    return n == 1 && strcmp(items[0], "*") == 0;
}

gwapi_cors_kind
gw_router_cors(const gwapi_decision *d, const struct gw_req *req, gwapi_http_header *out,
               char *buf, size_t size, size_t *n_out, size_t *bytes)
{
    const gwapi_cors *c = find_cors(d);
    struct text t = { buf, buf ? size : 0, 0 };
    size_t cap = out ? GW_CORS_MAX_HEADERS : 0, n = 0;
    const char *e;
    gwapi_slice origin, asked;
    gwapi_cors_kind kind = GWAPI_CORS_NONE;

    if (!c || !req)
        goto done;
    kind = gw_router_cors_preflight(d, req) ? GWAPI_CORS_PREFLIGHT : GWAPI_CORS_ACTUAL;
    if (!gw_req_find_header(req, "Origin", &origin) || !origin_allowed(c, origin))
        goto done;
    /* The origin is echoed, which is right with or without credentials. */
    put(out, cap, &n, "Access-Control-Allow-Origin", copy_value(&t, origin));
    if (c->allow_credentials)
        put(out, cap, &n, "Access-Control-Allow-Credentials", "true");
    if (kind == GWAPI_CORS_PREFLIGHT) {
        const char *m = !only_star(c->allow_methods, c->n_allow_methods)
                            ? join(&t, c->allow_methods, c->n_allow_methods)
                        : gw_req_find_header(req, "Access-Control-Request-Method", &asked)
                            ? copy_value(&t, asked) : NULL;
        const char *h = !only_star(c->allow_headers, c->n_allow_headers)
                            ? join(&t, c->allow_headers, c->n_allow_headers)
                        : gw_req_find_header(req, "Access-Control-Request-Headers", &asked)
                            ? copy_value(&t, asked) : NULL;
        char age[24];
        size_t age_at = t.len;
        if (m)
            put(out, cap, &n, "Access-Control-Allow-Methods", m);
        if (h)
            put(out, cap, &n, "Access-Control-Allow-Headers", h);
        text_append(&t, age, (size_t)snprintf(age, sizeof(age), "%lld",
                                              (long long)(c->max_age ? c->max_age : 5)) + 1);
        put(out, cap, &n, "Access-Control-Max-Age", text_at(&t, age_at));
    }
    if ((e = join(&t, c->expose_headers, c->n_expose_headers)))
        put(out, cap, &n, "Access-Control-Expose-Headers", e);
done:
    *n_out = n;
    *bytes = t.len;
    return kind;
}

GWAPI_EXPORT gwapi_cors_kind
gwapi_decision_cors(const gwapi_decision *decision, const gwapi_request *request,
                    gwapi_http_header *out, size_t cap, size_t *n_out, char *buf, size_t size)
{
    gwapi_decision d_full;
    gwapi_request req_full;
    const gwapi_decision *d = gw_decision_view(decision, &d_full);
    const gwapi_request *req = gw_request_view(request, &req_full);
    gwapi_http_header all[GW_CORS_MAX_HEADERS];
    size_t n, bytes;
    struct gw_req r;
    gwapi_cors_kind kind;

    if (n_out)
        *n_out = 0;
    if (!req || gw_req_read(&r, req))
        return GWAPI_CORS_NONE;
    kind = gw_router_cors(d, &r, NULL, NULL, 0, &n, &bytes);
    /* All or nothing: a header whose value was cut would be a different answer. */
    if (kind == GWAPI_CORS_NONE || n > cap || bytes > size || !out || !buf)
        return kind;
    gw_router_cors(d, &r, all, buf, size, &n, &bytes);
    memcpy(out, all, n * sizeof(*out));
    if (n_out)
        *n_out = n;
    return kind;
}
