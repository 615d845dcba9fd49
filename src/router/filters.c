/* The effect of filters, computed for the proxy: the redirect Location,
 * the rewritten path and host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "router/router.h"
#include "util/strbuf.h"

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

/* Path after a path modifier: ReplaceFullPath, or element-wise ReplacePrefixMatch. */
static void
modified_path(const gwapi_path_modifier *m, const gwapi_decision *d, const char *path,
              struct gw_strbuf *out)
{
    size_t plen, vlen, start = out->len; /* out may already hold a scheme and host */
    const char *v, *rest;

    if (!m) {
        gw_strbuf_puts(out, path);
        return;
    }
    if (m->type && strcmp(m->type, "ReplaceFullPath") == 0) {
        gw_strbuf_puts(out, m->replace_full_path ? m->replace_full_path : "/");
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
    rest = strlen(path) >= plen ? path + plen : "";
    gw_strbuf_append(out, v, vlen);
    gw_strbuf_puts(out, rest);
    if (out->len == start)
        gw_strbuf_putc(out, '/');
}

static size_t
copy_out(struct gw_strbuf *sb, char *buf, size_t size)
{
    size_t len = sb->failed ? 0 : sb->len;
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        if (n)
            memcpy(buf, sb->data, n);
        buf[n] = '\0';
    }
    gw_strbuf_free(sb);
    return len;
}

/* The length of a Host value without its ":port" (an IPv6 literal keeps its brackets). */
static size_t
host_without_port(const char *host)
{
    const char *close;

    if (host[0] == '[' && (close = strchr(host, ']')))
        return (size_t)(close - host) + 1;
    return strcspn(host, ":");
}

GWAPI_EXPORT size_t
gwapi_decision_redirect(const gwapi_decision *d, const gwapi_request *req, const char *scheme,
                        char *location, size_t size)
{
    const gwapi_filter *f = d ? find_filter(d, true) : NULL;
    const gwapi_request_redirect *rr;
    struct gw_strbuf sb = { 0 };
    const char *out_scheme;
    size_t host_len;
    int64_t port;

    if (size)
        location[0] = '\0';
    if (!f || !req)
        return 0;
    rr = f->request_redirect;
    out_scheme = rr->scheme ? rr->scheme : scheme ? scheme : "http";
    if (gwapi_field_state_of(rr, "port") == GWAPI_FIELD_GIVEN)
        port = rr->port;
    else if (rr->scheme)
        port = strcmp(rr->scheme, "https") == 0 ? 443 : 80;
    else
        port = req->port ? req->port : strcmp(out_scheme, "https") == 0 ? 443 : 80;
    /* The request's host without its port, unless the filter names one. */
    host_len = rr->hostname ? strlen(rr->hostname) : req->host ? host_without_port(req->host) : 0;
    if (host_len) {
        gw_strbuf_printf(&sb, "%s://", out_scheme);
        gw_strbuf_append(&sb, rr->hostname ? rr->hostname : req->host, host_len);
        if (!((strcmp(out_scheme, "http") == 0 && port == 80) ||
              (strcmp(out_scheme, "https") == 0 && port == 443)))
            gw_strbuf_printf(&sb, ":%lld", (long long)port);
    }
    /* Without any host (an HTTP/1.0 request without Host), the Location is the path alone:
     * a relative reference, which clients resolve against the URL they asked for. */
    modified_path(rr->path, d, req->path && *req->path ? req->path : "/", &sb);
    if (req->query && *req->query)
        gw_strbuf_printf(&sb, "?%s", req->query);
    return copy_out(&sb, location, size);
}

GWAPI_EXPORT size_t
gwapi_decision_rewrite_path(const gwapi_decision *d, const gwapi_request *req, char *path,
                            size_t size)
{
    const gwapi_filter *f = d ? find_filter(d, false) : NULL;
    struct gw_strbuf sb = { 0 };
    const char *p = req && req->path && *req->path ? req->path : "/";

    modified_path(f ? f->url_rewrite->path : NULL, d, p, &sb);
    return copy_out(&sb, path, size);
}

GWAPI_EXPORT const char *
gwapi_decision_rewrite_host(const gwapi_decision *d)
{
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
        bool drop = false;
        for (size_t k = 0; m && k < m->n_remove && !drop; k++)
            drop = same_name(in[i].name, m->remove[k]);
        for (size_t k = 0; m && k < m->n_set && !drop; k++)
            drop = same_name(in[i].name, m->set[k]->name);
        if (!drop)
            put(out, cap, &n, in[i].name, in[i].value);
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
gwapi_decision_modify_headers(const gwapi_decision *d, bool response, const gwapi_http_header *in,
                              size_t n_in, gwapi_http_header *out, size_t cap, size_t *n_out)
{
    const gwapi_filter *const *lists[2];
    size_t counts[2], n = n_in < cap ? n_in : cap, total = n_in;

    if (!d || (!out && cap) || (!in && n_in))
        return GWAPI_EINVAL;
    lists[0] = d->filters;
    lists[1] = d->backend_filters;
    counts[0] = d->n_filters;
    counts[1] = d->n_backend_filters;
    if (out != in && n)
        memmove(out, in, n * sizeof(*out));
    /* Headers past cap were never copied; applying the modifiers to what was copied would
     * report the count of a different list, so report what cannot be done. */
    if (n_in > cap) {
        if (n_out)
            *n_out = n_in;
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

static const char *
request_header(const gwapi_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

bool
gw_router_cors_preflight(const gwapi_decision *d, const gwapi_request *req)
{
    return find_cors(d) && req->method && strcmp(req->method, "OPTIONS") == 0 &&
           request_header(req, "Origin") && request_header(req, "Access-Control-Request-Method");
}

/* scheme://host[:port] split, the port defaulted from the scheme; false when malformed. */
static bool
split_origin(const char *o, char *scheme, char *host, long *port)
{
    const char *sep = strstr(o, "://"), *h, *colon;
    size_t slen, hlen;

    if (!sep || (slen = (size_t)(sep - o)) >= 16)
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
origin_allowed(const gwapi_cors *c, const char *origin)
{
    char os[16], oh[256], as[16], ah[256];
    long op, ap;

    if (!split_origin(origin, os, oh, &op))
        return false;
    for (size_t i = 0; i < c->n_allow_origins; i++) {
        const char *a = c->allow_origins[i];
        if (strcmp(a, "*") == 0)
            return true;
        if (!split_origin(a, as, ah, &ap) || strcasecmp(as, os) != 0 || ap != op)
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

struct value_buf {
    char *buf;
    size_t size, used;
};

/* Join a list with ", " into the buffer; NULL when it does not fit. */
static const char *
join(struct value_buf *vb, const char *const *items, size_t n)
{
    char *start = vb->buf + vb->used;
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + (i ? 2 : 0);
    if (vb->used + len + 1 > vb->size)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            memcpy(vb->buf + vb->used, ", ", 2);
            vb->used += 2;
        }
        memcpy(vb->buf + vb->used, items[i], strlen(items[i]));
        vb->used += strlen(items[i]);
    }
    vb->buf[vb->used++] = '\0';
    return start;
}

static bool
only_star(const char *const *items, size_t n)
{
    return n == 1 && strcmp(items[0], "*") == 0;
}

GWAPI_EXPORT gwapi_cors_kind
gwapi_decision_cors(const gwapi_decision *d, const gwapi_request *req, gwapi_http_header *out,
                    size_t cap, size_t *n_out, char *buf, size_t size)
{
    const gwapi_cors *c = find_cors(d);
    const char *origin;
    struct value_buf vb = { buf, size, 0 };
    size_t n = 0;
    gwapi_cors_kind kind;

    if (n_out)
        *n_out = 0;
    if (!c || !req)
        return GWAPI_CORS_NONE;
    kind = gw_router_cors_preflight(d, req) ? GWAPI_CORS_PREFLIGHT : GWAPI_CORS_ACTUAL;
    origin = request_header(req, "Origin");
    if (!origin || !origin_allowed(c, origin))
        return kind;
    /* The origin is echoed, which is right with or without credentials. */
    put(out, cap, &n, "Access-Control-Allow-Origin", origin);
    if (c->allow_credentials)
        put(out, cap, &n, "Access-Control-Allow-Credentials", "true");
    if (kind == GWAPI_CORS_PREFLIGHT) {
        const char *m = only_star(c->allow_methods, c->n_allow_methods)
                            ? request_header(req, "Access-Control-Request-Method")
                            : join(&vb, c->allow_methods, c->n_allow_methods);
        const char *h = only_star(c->allow_headers, c->n_allow_headers)
                            ? request_header(req, "Access-Control-Request-Headers")
                            : join(&vb, c->allow_headers, c->n_allow_headers);
        char age[24];
        if (m && *m)
            put(out, cap, &n, "Access-Control-Allow-Methods", m);
        if (h && *h)
            put(out, cap, &n, "Access-Control-Allow-Headers", h);
        snprintf(age, sizeof(age), "%lld", (long long)(c->max_age ? c->max_age : 5));
        if (vb.used + strlen(age) + 1 <= vb.size) {
            memcpy(vb.buf + vb.used, age, strlen(age) + 1);
            put(out, cap, &n, "Access-Control-Max-Age", vb.buf + vb.used);
            vb.used += strlen(age) + 1;
        }
    }
    if (c->n_expose_headers) {
        const char *e = join(&vb, c->expose_headers, c->n_expose_headers);
        if (e)
            put(out, cap, &n, "Access-Control-Expose-Headers", e);
    }
    if (n_out)
        *n_out = n < cap ? n : cap;
    return kind;
}
