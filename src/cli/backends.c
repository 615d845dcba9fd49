/* The backends a route's rule names, as the commands show them ("ns/name:port"). */
#include <stdio.h>

#include "cli.h"

/* "ns/name:port" of a backendRef (or v1alpha1 forwardTo) of a route in namespace ns. */
static void
backend_id(char *out, size_t size, const char *ref_ns, const char *ns, const char *name,
           int64_t port)
{
    snprintf(out, size, "%s/%s:%lld", ref_ns ? ref_ns : ns, name ? name : "",
             (long long)port);
}

size_t
cli_route_rules(const gwapi_object *o)
{
    const gwapi_http_route *h = gwapi_object_http_route(o);
    const gwapi_grpc_route *g = gwapi_object_grpc_route(o);
    const gwapi_v1alpha1_http_route *a = gwapi_object_v1alpha1_http_route(o);
    const gwapi_tls_route *tls = gwapi_object_tls_route(o);
    const gwapi_tcp_route *tcp = gwapi_object_tcp_route(o);
    const gwapi_udp_route *udp = gwapi_object_udp_route(o);

    return h ? h->spec->n_rules : g ? g->spec->n_rules : a && a->spec ? a->spec->n_rules
           : tls ? tls->spec->n_rules : tcp ? tcp->spec->n_rules : udp ? udp->spec->n_rules : 0;
}

void
cli_each_backend(const gwapi_object *route, size_t rule,
                 void (*fn)(void *arg, const char *id, int64_t weight), void *arg)
{
    const gwapi_http_route *h = gwapi_object_http_route(route);
    const gwapi_grpc_route *g = gwapi_object_grpc_route(route);
    const gwapi_v1alpha1_http_route *a = gwapi_object_v1alpha1_http_route(route);
    const gwapi_tls_route *tls = gwapi_object_tls_route(route);
    const gwapi_tcp_route *tcp = gwapi_object_tcp_route(route);
    const gwapi_udp_route *udp = gwapi_object_udp_route(route);
    const gwapi_l4_route_rule *l4 = rule >= cli_route_rules(route) ? NULL
                                    : tls ? tls->spec->rules[rule]
                                    : tcp ? tcp->spec->rules[rule]
                                    : udp ? udp->spec->rules[rule] : NULL;
    const char *ns = route->metadata->namespace_;
    char id[600];

    for (size_t i = 0; l4 && i < l4->n_backend_refs; i++) {
        const gwapi_backend_ref *b = l4->backend_refs[i];
        backend_id(id, sizeof(id), b->namespace_, ns, b->name, b->port);
        fn(arg, id, b->weight);
    }

    if (h && rule < h->spec->n_rules)
        for (size_t i = 0; i < h->spec->rules[rule]->n_backend_refs; i++) {
            const gwapi_backend_ref *b = h->spec->rules[rule]->backend_refs[i];
            backend_id(id, sizeof(id), b->namespace_, ns, b->name, b->port);
            fn(arg, id, b->weight);
        }
    if (g && rule < g->spec->n_rules)
        for (size_t i = 0; i < g->spec->rules[rule]->n_backend_refs; i++) {
            const gwapi_backend_ref *b = g->spec->rules[rule]->backend_refs[i];
            backend_id(id, sizeof(id), b->namespace_, ns, b->name, b->port);
            fn(arg, id, b->weight);
        }
    if (a && a->spec && rule < a->spec->n_rules)
        for (size_t i = 0; i < a->spec->rules[rule]->n_forward_to; i++) {
            const gwapi_v1alpha1_forward_to *f = a->spec->rules[rule]->forward_to[i];
            backend_id(id, sizeof(id), NULL, ns,
                       f->service_name ? f->service_name
                                       : f->backend_ref ? f->backend_ref->name : NULL,
                       f->port);
            fn(arg, id, f->weight);
        }
}

