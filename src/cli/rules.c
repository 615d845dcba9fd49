/* A route's rules, whatever its kind and dialect: how many, their matches, and the backends
 * each names, as the commands show them ("ns/name:port"). */
#include <stdio.h>

#include "cli.h"

/* The rules of a route: one of the arrays is set, or none when it is no route. */
struct route_rules {
    const gwapi_http_route_rule *const *http;
    const gwapi_grpc_route_rule *const *grpc;
    const gwapi_v1alpha1_http_route_rule *const *v1alpha1;
    const gwapi_l4_route_rule *const *l4;
    size_t n;
};

static struct route_rules
rules_of(const gwapi_object *o)
{
    const gwapi_http_route *h = gwapi_object_http_route(o);
    const gwapi_grpc_route *g = gwapi_object_grpc_route(o);
    const gwapi_v1alpha1_http_route *a = gwapi_object_v1alpha1_http_route(o);
    const gwapi_tls_route *tls = gwapi_object_tls_route(o);
    const gwapi_tcp_route *tcp = gwapi_object_tcp_route(o);
    const gwapi_udp_route *udp = gwapi_object_udp_route(o);
    struct route_rules r = { NULL, NULL, NULL, NULL, 0 };

    if (h) {
        r.http = h->spec->rules;
        r.n = h->spec->n_rules;
    } else if (g) {
        r.grpc = g->spec->rules;
        r.n = g->spec->n_rules;
    } else if (a && a->spec) {
        r.v1alpha1 = a->spec->rules;
        r.n = a->spec->n_rules;
    } else if (tls || tcp || udp) {
        r.l4 = tls ? tls->spec->rules : tcp ? tcp->spec->rules : udp->spec->rules;
        r.n = tls ? tls->spec->n_rules : tcp ? tcp->spec->n_rules : udp->spec->n_rules;
    }
    return r;
}

size_t
cli_route_rules(const gwapi_object *route)
{
    return rules_of(route).n;
}

size_t
cli_rule_matches(const gwapi_object *route, size_t rule)
{
    struct route_rules r = rules_of(route);

    if (rule >= r.n)
        return 0;
    return r.http ? r.http[rule]->n_matches : r.grpc ? r.grpc[rule]->n_matches
           : r.v1alpha1 ? r.v1alpha1[rule]->n_matches : 0;
}

/* "ns/name:port" of a backend of a route in namespace ns (ref_ns: the reference's own). */
static void
each(void (*fn)(void *arg, const char *id, int64_t weight), void *arg, const char *ref_ns,
     const char *ns, const char *name, int64_t port, int64_t weight)
{
    char id[600];
    snprintf(id, sizeof(id), "%s/%s:%lld", ref_ns ? ref_ns : ns, name ? name : "",
             (long long)port);
    fn(arg, id, weight);
}

void
cli_each_backend(const gwapi_object *route, size_t rule,
                 void (*fn)(void *arg, const char *id, int64_t weight), void *arg)
{
    struct route_rules r = rules_of(route);
    const gwapi_backend_ref *const *refs = NULL;
    const char *ns = route->metadata->namespace_;
    size_t n = 0;

    if (rule >= r.n)
        return;
    if (r.v1alpha1) {
        for (size_t i = 0; i < r.v1alpha1[rule]->n_forward_to; i++) {
            const gwapi_v1alpha1_forward_to *f = r.v1alpha1[rule]->forward_to[i];
            each(fn, arg, NULL, ns,
                 f->service_name ? f->service_name : f->backend_ref ? f->backend_ref->name : NULL,
                 f->port, f->weight);
        }
        return;
    }
    if (r.http) {
        refs = r.http[rule]->backend_refs;
        n = r.http[rule]->n_backend_refs;
    } else if (r.grpc) {
        refs = r.grpc[rule]->backend_refs;
        n = r.grpc[rule]->n_backend_refs;
    } else if (r.l4) {
        refs = r.l4[rule]->backend_refs;
        n = r.l4[rule]->n_backend_refs;
    }
    for (size_t i = 0; i < n; i++)
        each(fn, arg, refs[i]->namespace_, ns, refs[i]->name, refs[i]->port, refs[i]->weight);
}
