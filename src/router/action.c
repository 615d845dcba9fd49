/* What a proxy does with a routed request: every filter of a decision applied in the spec's
 * order, laid out in one buffer of the caller's. One sequence, so that the command, the
 * bindings and every proxy agree on it. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "router/router.h"
#include "model/schema.h"

/* Room the header modifiers of a decision may need: the headers before, plus every set and
 * add (a set of a header that was absent adds one). */
static size_t
modifier_room(const gwapi_decision *d, bool response, size_t n_in)
{
    const gwapi_filter *const *lists[2] = { d->filters, d->backend_filters };
    size_t counts[2] = { d->n_filters, d->n_backend_filters }, room = n_in;

    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const gwapi_header_modifier *m = response ? lists[l][i]->response_header_modifier
                                                      : lists[l][i]->request_header_modifier;
            if (m)
                room += m->n_set + m->n_add;
        }
    return room;
}

/* The mirrors of the rule, then of the chosen backend; written to out when it is not NULL.
 * Their number. port: the request's destination port, which a v1alpha1 mirror without a port
 * goes to. */
static size_t
mirrors(const gwapi_decision *d, unsigned port, gwapi_mirror *out)
{
    const gwapi_filter *const *lists[2] = { d->filters, d->backend_filters };
    size_t counts[2] = { d->n_filters, d->n_backend_filters }, n = 0;

    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const gwapi_request_mirror *m = lists[l][i]->request_mirror;
            gwapi_mirror *o;
            /* A mirror without a backend is only in an object that fails validation. */
            if (!m || !m->backend_ref || !m->backend_ref->name)
                continue;
            if (!out) {
                n++;
                continue;
            }
            o = &out[n++];
            o->backend_ns = m->backend_ref->namespace_ ? m->backend_ref->namespace_
                                                       : d->route->metadata->namespace_;
            o->backend_name = m->backend_ref->name;
            o->backend_port = m->backend_ref->port;
            if (!o->backend_port && d->route->dialect == GWAPI_DIALECT_V1ALPHA1)
                o->backend_port = port;
            o->numerator = o->denominator = 1;
            if (gw_field_state(m, "percent") == GWAPI_FIELD_GIVEN) {
                o->numerator = m->percent;
                o->denominator = 100;
            } else if (m->fraction) {
                o->numerator = m->fraction->numerator;
                o->denominator =
                    gw_field_state(m->fraction, "denominator") == GWAPI_FIELD_GIVEN
                        ? m->fraction->denominator : 100;
            }
            if (o->denominator <= 0) /* only in an object that fails validation */
                o->denominator = 100;
            o->numerator = o->numerator < 0 ? 0
                         : o->numerator > o->denominator ? o->denominator : o->numerator;
        }
    return n;
}

/* What the action needs, measured before anything is written. */
struct plan {
    bool forward;           /* an HTTP or gRPC request goes to a backend */
    size_t location_len;    /* 3xx */
    size_t path_len;        /* forward */
    bool copy_host;         /* forward: the request's Host, copied (not rewritten) */
    size_t host_len;
    size_t header_bytes;    /* forward: the request's headers given as slices, as C strings */
    size_t request_room;    /* header slots */
    size_t response_room;
    size_t n_mirrors;
    size_t n_cors, cors_bytes;
};

static size_t
plan_bytes(const struct plan *p)
{
    /* Up to alignof - 1 bytes to align the start of a buffer of any alignment; then the
     * arrays, whose element sizes keep the next one aligned; then the text. */
    size_t bytes = alignof(gwapi_mirror) - 1;

    bytes += (p->request_room + p->response_room) * sizeof(gwapi_http_header);
    bytes += p->n_mirrors * (sizeof(gwapi_mirror *) + sizeof(gwapi_mirror));
    if (p->location_len)
        bytes += p->location_len + 1;
    if (p->forward)
        bytes += p->path_len + 1 + p->header_bytes;
    if (p->copy_host)
        bytes += p->host_len + 1;
    return bytes + p->cors_bytes;
}

/* Bytes the request's headers take as C strings, when they came as slices (0 otherwise: the
 * answer then points to the caller's strings). */
static size_t
header_bytes(const struct gw_req *r)
{
    size_t bytes = 0;

    for (size_t i = 0; r->header_slices && i < r->n_headers; i++) {
        gwapi_slice name, value;
        if (gw_req_header(r, i, &name, &value))
            bytes += name.len + 1 + value.len + 1;
    }
    return bytes;
}

static void
make_plan(const gwapi_decision *d, const struct gw_req *r, const char *scheme,
          size_t n_response, gwapi_action *a, struct plan *p)
{
    const gwapi_request *req = r->pub;

    memset(p, 0, sizeof(*p));
    a->cors = gw_router_cors(d, r, NULL, NULL, 0, &p->n_cors, &p->cors_bytes);
    if (d->status >= 300 && d->status < 400) {
        p->location_len = gwapi_decision_redirect(d, req, scheme, NULL, 0);
        p->n_cors = p->cors_bytes = 0;
    } else if (d->status == 204) {
        p->response_room = p->n_cors;
    } else if (d->status == 200 && (req->protocol == GWAPI_PROTOCOL_HTTP ||
                                    req->protocol == GWAPI_PROTOCOL_GRPC)) {
        p->forward = true;
        p->path_len = gwapi_decision_rewrite_path(d, req, NULL, 0);
        p->copy_host = !gwapi_decision_rewrite_host(d) && r->host.ptr;
        p->host_len = p->copy_host ? r->host.len : 0;
        p->header_bytes = header_bytes(r);
        p->request_room = modifier_room(d, false, r->n_headers);
        p->response_room = modifier_room(d, true, n_response) + p->n_cors;
        p->n_mirrors = mirrors(d, req->port, NULL);
    } else {
        p->n_cors = p->cors_bytes = 0;
    }
}

/* Copy bytes into the buffer, NUL-terminated; where the copy is. */
static const char *
copy_text(char **at, const char *s, size_t len)
{
    char *copy = *at;

    memcpy(copy, s, len);
    copy[len] = '\0';
    *at += len + 1;
    return copy;
}

static void
fill(const gwapi_decision *d, const struct gw_req *r, const char *scheme,
     const gwapi_http_header *response, size_t n_response, const struct plan *p, char *at,
     gwapi_action *a)
{
    const gwapi_request *req = r->pub;
    gwapi_http_header *request_headers, *response_headers;
    const gwapi_mirror **mirror_of;
    gwapi_mirror *mirror_list;
    size_t n, n_cors, bytes, room;

    at += (alignof(gwapi_mirror) - (uintptr_t)at % alignof(gwapi_mirror)) % alignof(gwapi_mirror);
    request_headers = (gwapi_http_header *)(void *)at;
    response_headers = request_headers + p->request_room;
    /* The mirrors as the ABI has lists: pointers, then what they point to. */
    mirror_of = (const gwapi_mirror **)(void *)(response_headers + p->response_room);
    mirror_list = (gwapi_mirror *)(void *)(mirror_of + p->n_mirrors);
    at = (char *)(mirror_list + p->n_mirrors);
    if (p->location_len) {
        a->location = at;
        at += gwapi_decision_redirect(d, req, scheme, at, p->location_len + 1) + 1;
    }
    if (p->forward) {
        const char *host = gwapi_decision_rewrite_host(d);
        if (host)
            a->host = host;
        else if (p->copy_host)
            a->host = copy_text(&at, r->host.ptr, p->host_len);
        a->path = at;
        at += gwapi_decision_rewrite_path(d, req, at, p->path_len + 1) + 1;
        if (r->header_slices) {
            /* Headers given as slices: as C strings in the buffer, then modified in place. */
            size_t k = 0;
            for (size_t i = 0; i < r->n_headers; i++) {
                gwapi_slice name, value;
                if (!gw_req_header(r, i, &name, &value))
                    continue;
                request_headers[k].name = copy_text(&at, name.ptr, name.len);
                request_headers[k++].value = copy_text(&at, value.ptr, value.len);
            }
            gwapi_decision_modify_headers(d, false, request_headers, k, request_headers,
                                          p->request_room, &n);
        } else {
            /* The request's own headers stay as they came: CORS reads the Origin from them. */
            gwapi_decision_modify_headers(d, false, req->headers, req->n_headers,
                                          request_headers, p->request_room, &n);
        }
        a->request_headers = request_headers;
        a->n_request_headers = n;
        room = p->response_room - p->n_cors;
        gwapi_decision_modify_headers(d, true, response, n_response, response_headers, room, &n);
        a->n_response_headers = n;
        a->n_mirrors = mirrors(d, req->port, mirror_list);
        for (size_t i = 0; i < a->n_mirrors; i++)
            mirror_of[i] = &mirror_list[i];
        a->mirrors = mirror_of;
    }
    if (p->n_cors) {
        gw_router_cors(d, r, response_headers + a->n_response_headers, at, p->cors_bytes,
                       &n_cors, &bytes);
        a->n_response_headers += n_cors;
    }
    if (p->response_room)
        a->response_headers = response_headers;
}

GWAPI_EXPORT int
gwapi_decision_apply(const gwapi_decision *decision, const gwapi_request *request,
                     const char *scheme, const gwapi_http_header *response, size_t n_response,
                     gwapi_action *out, void *buf, size_t size, size_t *needed)
{
    gwapi_decision d_full;
    gwapi_request req_full;
    const gwapi_decision *d = gw_decision_view(decision, &d_full);
    const gwapi_request *req = gw_request_view(request, &req_full);
    gwapi_action a = GWAPI_ACTION_INIT;
    struct plan p;
    struct gw_req r;
    size_t bytes;

    if (!d || !req || !out || out->size < sizeof(out->size) || (!buf && size) ||
        (!response && n_response) || gw_req_read(&r, req))
        return GWAPI_EINVAL;
    a.status = d->status;
    make_plan(d, &r, scheme, n_response, &a, &p);
    bytes = plan_bytes(&p);
    if (needed)
        *needed = bytes;
    if (size >= bytes)
        fill(d, &r, scheme, response, n_response, &p, buf, &a);
    /* A caller built against an older, smaller gwapi_action gets the fields it knows. */
    a.size = out->size;
    memcpy(out, &a, out->size < sizeof(a) ? out->size : sizeof(a));
    return size >= bytes ? GWAPI_OK : GWAPI_ELIMIT;
}
