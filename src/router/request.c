/* The request as the router reads it: every text field as (pointer, length), from whichever
 * form the caller gave (NUL-terminated strings, or slices of its own buffers). */
#include <string.h>
#include <strings.h>

#include "router/router.h"

/* A string field, or its slice when the caller gave one; false when the slice holds a NUL
 * (which a C string of the same text could not, and which an answer could not carry). */
static bool
field(const char *string, gwapi_slice slice, gwapi_slice *out)
{
    if (slice.ptr) {
        *out = slice;
        return !slice.len || !memchr(slice.ptr, '\0', slice.len);
    }
    out->ptr = string;
    out->len = string ? strlen(string) : 0;
    return true;
}

int
gw_req_read(struct gw_req *r, const gwapi_request *req)
{
    memset(r, 0, sizeof(*r));
    r->pub = req;
    if (!field(req->host, req->host_slice, &r->host) ||
        !field(req->sni, req->sni_slice, &r->sni) ||
        !field(req->method, req->method_slice, &r->method) ||
        !field(req->path, req->path_slice, &r->path) ||
        !field(req->query, req->query_slice, &r->query))
        return GWAPI_EINVAL;
    if (req->header_slices) {
        r->header_slices = req->header_slices;
        r->n_headers = req->n_header_slices;
        for (size_t i = 0; i < r->n_headers; i++) {
            const gwapi_header_slice *h = &req->header_slices[i];
            if ((h->name.ptr && memchr(h->name.ptr, '\0', h->name.len)) ||
                (h->value.ptr && memchr(h->value.ptr, '\0', h->value.len)))
                return GWAPI_EINVAL;
        }
    } else {
        if (!req->headers && req->n_headers)
            return GWAPI_EINVAL;
        r->header_strings = req->headers;
        r->n_headers = req->n_headers;
    }
    return GWAPI_OK;
}

/* Header i's value (a NULL value is the empty one). */
static gwapi_slice
value_at(const struct gw_req *r, size_t i)
{
    gwapi_slice v = { "", 0 };
    const char *s;

    if (r->header_slices) {
        if (r->header_slices[i].value.ptr)
            v = r->header_slices[i].value;
    } else if ((s = r->header_strings[i].value)) {
        v.ptr = s;
        v.len = strlen(s);
    }
    return v;
}

bool
gw_req_header(const struct gw_req *r, size_t i, gwapi_slice *name, gwapi_slice *value)
{
    if (r->header_slices) {
        *name = r->header_slices[i].name;
    } else {
        name->ptr = r->header_strings[i].name;
        name->len = name->ptr ? strlen(name->ptr) : 0;
    }
    *value = value_at(r, i);
    return name->ptr != NULL;
}

bool
gw_req_find_header(const struct gw_req *r, const char *name, gwapi_slice *value)
{
    size_t len = strlen(name);

    /* Names are compared where they lie; only the value of the one found is measured. */
    for (size_t i = 0; i < r->n_headers; i++) {
        bool found;
        if (r->header_slices) {
            const gwapi_slice *n = &r->header_slices[i].name;
            found = n->ptr && n->len == len && strncasecmp(n->ptr, name, len) == 0;
        } else {
            const char *n = r->header_strings[i].name;
            found = n && strncasecmp(n, name, len) == 0 && n[len] == '\0';
        }
        if (found) {
            *value = value_at(r, i);
            return true;
        }
    }
    return false;
}

bool
gw_slice_is(gwapi_slice s, const char *text)
{
    size_t len = strlen(text);
    return s.ptr && s.len == len && memcmp(s.ptr, text, len) == 0;
}
