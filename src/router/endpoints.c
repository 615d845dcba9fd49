/* The ready endpoints of every Service port, from Services and their EndpointSlices: an index
 * built once per configuration version, so that a proxy finds a backend's addresses with one
 * hash probe per request. */
#include "gatewayapi/endpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "resolve/resolve.h"
#include "util/arena.h"
#include "util/context.h"
#include "util/keyset.h"

#define SERVICE_NAME_LABEL "kubernetes.io/service-name"

/* One Service port. key is "ns/name:port" (names cannot hold '/' or ':'). */
struct service_port {
    const char *key;
    const char *port_name; /* "" for an unnamed port */
    const gwapi_endpoint_address *addresses;
    size_t n_addresses;
};

/* One Service, for finding its ports from a slice. key is "ns/name". */
struct service {
    const char *key;
    size_t first_port, n_ports; /* its entries in ports */
};

struct gwapi_endpoints {
    gwapi_ctx *ctx;
    struct gw_arena arena;
    struct service_port *ports;
    size_t n_ports;
    struct gw_keyset port_index;
    struct service *services;
    size_t n_services;
    struct gw_keyset service_index;
};

/* An address found for the port at `port` (an index into ports), in the order found. */
struct found {
    size_t port;
    size_t order;
    const char *address;
    unsigned target;
};

static bool
endpoint_ready(const gwapi_endpoint *ep)
{
    /* Kubernetes: an absent ready condition reads as ready. */
    if (!ep->conditions || gwapi_field_state_of(ep->conditions, "ready") == GWAPI_FIELD_ABSENT)
        return true;
    return ep->conditions->ready;
}

static int
compare_found(const void *a, const void *b)
{
    const struct found *x = a, *y = b;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

struct builder {
    gwapi_endpoints *eps;
    struct found *found;
    size_t n_found, cap_found;
};

static int
add_found(struct builder *b, size_t port, const char *address, unsigned target)
{
    if (b->n_found == b->cap_found) {
        size_t cap = b->cap_found ? b->cap_found * 2 : 64;
        struct found *f = gw_alloc(b->eps->ctx, cap * sizeof *f);
        if (!f)
            return GWAPI_ENOMEM;
        if (b->n_found)
            memcpy(f, b->found, b->n_found * sizeof *f);
        gw_free(b->eps->ctx, b->found);
        b->found = f;
        b->cap_found = cap;
    }
    b->found[b->n_found] = (struct found){ port, b->n_found, address, target };
    b->n_found++;
    return 0;
}

/* Every port of every Service, and the index of Services. */
static int
collect_services(struct builder *b, const gwapi_config *cfg)
{
    gwapi_endpoints *eps = b->eps;
    size_t count = gwapi_config_count(cfg), n_ports = 0, n_services = 0;
    for (size_t i = 0; i < count; i++) {
        const gwapi_service *svc = gwapi_object_service(gwapi_config_get(cfg, i));
        if (svc) {
            n_services++;
            n_ports += svc->spec ? svc->spec->n_ports : 0;
        }
    }
    eps->ports = gw_arena_alloc(&eps->arena, (n_ports + 1) * sizeof *eps->ports, 8);
    eps->services = gw_arena_alloc(&eps->arena, (n_services + 1) * sizeof *eps->services, 8);
    if (!eps->ports || !eps->services)
        return GWAPI_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const gwapi_object *obj = gwapi_config_get(cfg, i);
        const gwapi_service *svc = gwapi_object_service(obj);
        if (!svc)
            continue;
        const char *ns = obj->metadata->namespace_, *name = obj->metadata->name;
        struct service *s = &eps->services[eps->n_services];
        s->key = gw_arena_printf(&eps->arena, "%s/%s", ns, name);
        s->first_port = eps->n_ports;
        if (!s->key)
            return GWAPI_ENOMEM;
        if (gw_keyset_find(&eps->service_index, eps->services, s->key) != SIZE_MAX)
            continue; /* a configuration holds one object per identity; be safe anyway */
        for (size_t p = 0; svc->spec && p < svc->spec->n_ports; p++) {
            const gwapi_service_port *sp = svc->spec->ports[p];
            struct service_port *e = &eps->ports[eps->n_ports];
            e->key = gw_arena_printf(&eps->arena, "%s:%lld", s->key, (long long)sp->port);
            e->port_name = sp->name ? sp->name : "";
            if (!e->key)
                return GWAPI_ENOMEM;
            if (gw_keyset_find(&eps->port_index, eps->ports, e->key) != SIZE_MAX)
                continue; /* a repeated port: the API server refuses it, the first one counts */
            int rc = gw_keyset_insert(&eps->port_index, eps->ports, eps->n_ports);
            if (rc)
                return rc;
            eps->n_ports++;
            /* An ExternalName Service: its name, at the Service port. */
            if (svc->spec->type && strcmp(svc->spec->type, "ExternalName") == 0 &&
                svc->spec->external_name && sp->port > 0 && sp->port <= 65535) {
                rc = add_found(b, eps->n_ports - 1, svc->spec->external_name, (unsigned)sp->port);
                if (rc)
                    return rc;
            }
        }
        s->n_ports = eps->n_ports - s->first_port;
        int rc = gw_keyset_insert(&eps->service_index, eps->services, eps->n_services);
        if (rc)
            return rc;
        eps->n_services++;
    }
    return 0;
}

static int
collect_slice(struct builder *b, const gwapi_object *obj)
{
    const gwapi_endpoint_slice *slice = gwapi_object_endpoint_slice(obj);
    const char *service;
    if (!slice || !gw_string_map_get(&obj->metadata->labels, SERVICE_NAME_LABEL, &service))
        return 0;
    char key[600];
    int n = snprintf(key, sizeof key, "%s/%s", obj->metadata->namespace_, service);
    if (n < 0 || (size_t)n >= sizeof key)
        return 0; /* longer than any valid namespace and name */
    const gwapi_endpoints *eps = b->eps;
    size_t at = gw_keyset_find(&eps->service_index, eps->services, key);
    if (at == SIZE_MAX)
        return 0; /* its Service is not (yet) in the configuration */
    const struct service *s = &eps->services[at];
    for (size_t p = 0; p < slice->n_ports; p++) {
        const gwapi_endpoint_port *port = slice->ports[p];
        const char *name = port->name ? port->name : "";
        if (port->port <= 0 || port->port > 65535)
            continue; /* no port: nothing to connect to */
        for (size_t e = s->first_port; e < s->first_port + s->n_ports; e++) {
            if (strcmp(b->eps->ports[e].port_name, name) != 0)
                continue;
            for (size_t k = 0; k < slice->n_endpoints; k++) {
                const gwapi_endpoint *ep = slice->endpoints[k];
                if (ep->n_addresses == 0 || !ep->addresses[0] || !endpoint_ready(ep))
                    continue;
                int rc = add_found(b, e, ep->addresses[0], (unsigned)port->port);
                if (rc)
                    return rc;
            }
        }
    }
    return 0;
}

/* Sort what was found by port (keeping the order found), drop repeats, and give each port its
 * run of addresses. */
static int
place_addresses(struct builder *b)
{
    gwapi_endpoints *eps = b->eps;
    if (b->n_found == 0)
        return 0;
    qsort(b->found, b->n_found, sizeof *b->found, compare_found);
    gwapi_endpoint_address *all = gw_arena_alloc(&eps->arena, b->n_found * sizeof *all, 8);
    if (!all)
        return GWAPI_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < b->n_found;) {
        size_t port = b->found[i].port, first = n;
        for (; i < b->n_found && b->found[i].port == port; i++) {
            bool seen = false;
            for (size_t j = first; j < n && !seen; j++)
                seen = all[j].port == b->found[i].target &&
                       strcmp(all[j].address, b->found[i].address) == 0;
            if (seen)
                continue;
            all[n].address = gw_arena_strndup(&eps->arena, b->found[i].address,
                                              strlen(b->found[i].address));
            all[n].port = b->found[i].target;
            if (!all[n].address)
                return GWAPI_ENOMEM;
            n++;
        }
        eps->ports[port].addresses = all + first;
        eps->ports[port].n_addresses = n - first;
    }
    return 0;
}

static void
free_index(gwapi_endpoints *eps)
{
    gwapi_ctx *ctx = eps->ctx;
    gw_keyset_release(&eps->port_index);
    gw_keyset_release(&eps->service_index);
    gw_arena_release(&eps->arena);
    gw_free(ctx, eps);
    gwapi_ctx_unref(ctx);
}

int
gwapi_endpoints_new(gwapi_endpoints **out, const gwapi_config *cfg)
{
    if (!out || !cfg)
        return GWAPI_EINVAL;
    *out = NULL;
    gwapi_endpoints *eps = gw_calloc(cfg->ctx, 1, sizeof *eps);
    if (!eps)
        return GWAPI_ENOMEM;
    eps->ctx = gwapi_ctx_ref(cfg->ctx);
    gw_arena_init(&eps->arena, eps->ctx, 16384);
    gw_keyset_init(&eps->port_index, eps->ctx, sizeof(struct service_port));
    struct builder b = { .eps = eps };
    gw_keyset_init(&eps->service_index, eps->ctx, sizeof(struct service));
    int rc = collect_services(&b, cfg);
    for (size_t i = 0, count = gwapi_config_count(cfg); rc == 0 && i < count; i++)
        rc = collect_slice(&b, gwapi_config_get(cfg, i));
    if (rc == 0)
        rc = place_addresses(&b);
    gw_free(eps->ctx, b.found);
    if (rc) {
        free_index(eps);
        return rc;
    }
    *out = eps;
    return 0;
}

int
gwapi_endpoints_find(const gwapi_endpoints *eps, const char *ns, const char *service,
                     int64_t port, const gwapi_endpoint_address **addresses, size_t *count)
{
    if (addresses)
        *addresses = NULL;
    if (count)
        *count = 0;
    if (!eps || !ns || !service || !addresses || !count || port < 0)
        return GWAPI_EINVAL;
    char key[640];
    size_t at = SIZE_MAX;
    if (port > 0) {
        int n = snprintf(key, sizeof key, "%s/%s:%lld", ns, service, (long long)port);
        if (n < 0 || (size_t)n >= sizeof key)
            return GWAPI_ENOTFOUND;
        at = gw_keyset_find(&eps->port_index, eps->ports, key);
    } else {
        /* The Service's only port; with several, which one is not said. */
        int n = snprintf(key, sizeof key, "%s/%s", ns, service);
        if (n < 0 || (size_t)n >= sizeof key)
            return GWAPI_ENOTFOUND;
        size_t s = gw_keyset_find(&eps->service_index, eps->services, key);
        if (s != SIZE_MAX && eps->services[s].n_ports == 1)
            at = eps->services[s].first_port;
    }
    if (at == SIZE_MAX)
        return GWAPI_ENOTFOUND;
    *addresses = eps->ports[at].n_addresses ? eps->ports[at].addresses : NULL;
    *count = eps->ports[at].n_addresses;
    return 0;
}

size_t
gwapi_endpoints_count(const gwapi_endpoints *eps)
{
    return eps ? eps->n_ports : 0;
}

void
gwapi_endpoints_free(gwapi_endpoints *eps)
{
    if (eps)
        free_index(eps);
}
