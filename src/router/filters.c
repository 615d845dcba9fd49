/* The effect of filters, computed for the proxy (SPEC-DIGEST E.4-E.6): the redirect Location,
 * the rewritten path and host. */
#include <stdio.h>
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
    size_t plen, vlen;
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
    if (out->len == 0)
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

GWAPI_EXPORT size_t
gwapi_decision_redirect(const gwapi_decision *d, const gwapi_request *req, const char *scheme,
                        char *location, size_t size)
{
    const gwapi_filter *f = d ? find_filter(d, true) : NULL;
    const gwapi_request_redirect *rr;
    struct gw_strbuf sb = { 0 };
    const char *host, *out_scheme;
    char host_buf[256];
    int64_t port;

    if (size)
        location[0] = '\0';
    if (!f || !req)
        return 0;
    rr = f->request_redirect;
    out_scheme = rr->scheme ? rr->scheme : scheme ? scheme : "http";
    host = rr->hostname;
    if (!host) {
        size_t n = 0;
        const char *h = req->host ? req->host : "";
        while (h[n] && h[n] != ':' && n < sizeof(host_buf) - 1) {
            host_buf[n] = h[n];
            n++;
        }
        host_buf[n] = '\0';
        host = host_buf;
    }
    if (gwapi_field_state_of(rr, "port") == GWAPI_FIELD_GIVEN)
        port = rr->port;
    else if (rr->scheme)
        port = strcmp(rr->scheme, "https") == 0 ? 443 : 80;
    else
        port = req->port ? req->port : strcmp(out_scheme, "https") == 0 ? 443 : 80;
    gw_strbuf_printf(&sb, "%s://%s", out_scheme, host);
    if (!((strcmp(out_scheme, "http") == 0 && port == 80) ||
          (strcmp(out_scheme, "https") == 0 && port == 443)))
        gw_strbuf_printf(&sb, ":%lld", (long long)port);
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
put(gwapi_header *out, size_t cap, size_t *n, const char *name, const char *value)
{
    if (*n < cap) {
        out[*n].name = name;
        out[*n].value = value;
    }
    (*n)++;
}

GWAPI_EXPORT int
gwapi_headers_modify(const gwapi_header_modifier *m, const gwapi_header *in, size_t n_in,
                     gwapi_header *out, size_t cap, size_t *n_out)
{
    size_t n = 0;

    if (!out && cap)
        return GWAPI_EINVAL;
    for (size_t i = 0; i < n_in; i++) {
        bool drop = false;
        for (size_t k = 0; m && k < m->n_remove && !drop; k++)
            drop = strcasecmp(in[i].name, m->remove[k]) == 0;
        for (size_t k = 0; m && k < m->n_set && !drop; k++)
            drop = strcasecmp(in[i].name, m->set[k]->name) == 0;
        if (!drop)
            put(out, cap, &n, in[i].name, in[i].value);
    }
    for (size_t k = 0; m && k < m->n_set; k++)
        put(out, cap, &n, m->set[k]->name, m->set[k]->value);
    for (size_t k = 0; m && k < m->n_add; k++)
        put(out, cap, &n, m->add[k]->name, m->add[k]->value);
    if (n_out)
        *n_out = n;
    return n > cap ? GWAPI_ELIMIT : GWAPI_OK;
}
