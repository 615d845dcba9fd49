/* Gateways, ListenerSets and their listeners:
 * which classes are ours, each listener's protocol, supported kinds and TLS references, the
 * ListenerSets a Gateway admits, conflicts in the merged listener list, and the conditions. */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "resolve/resolve.h"
#include "util/context.h"

/* The controllerName written into status when the options name none and the class gives none. */
#define DEFAULT_CONTROLLER "libgatewayapi/controller"

static bool
eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static const gwapi_object *
find(gwapi_resolution *r, gwapi_kind kind, const char *ns, const char *name)
{
    return gwapi_config_find(r->cfg, kind, GWAPI_DIALECT_V1, ns, name);
}

/* The route kinds a protocol (and TLS mode) supports by default. */
static size_t
default_kinds(const char *protocol, const char *tls_mode, const char **out)
{
    if (eq(protocol, "HTTP") || eq(protocol, "HTTPS")) {
        out[0] = "HTTPRoute";
        out[1] = "GRPCRoute";
        return 2;
    }
    if (eq(protocol, "TLS")) {
        out[0] = "TLSRoute";
        return 1;
    }
    if (eq(protocol, "TCP")) {
        out[0] = "TCPRoute";
        return 1;
    }
    if (eq(protocol, "UDP")) {
        out[0] = "UDPRoute";
        return 1;
    }
    (void)tls_mode;
    return 0;
}

static bool
protocol_supported(const char *protocol)
{
    static const char *const supported[] = { "HTTP", "HTTPS", "TLS", "TCP", "UDP", NULL };
    for (const char *const *p = supported; *p; p++)
        if (eq(protocol, *p))
            return true;
    return false;
}

static void
set_refs_problem(struct gw_listener *l, const char *reason, char *message)
{
    if (!l->refs_reason) {
        l->refs_reason = reason;
        l->refs_message = message;
    }
}

/* A Secret holding a certificate: group "", kind Secret, permitted, present, kubernetes.io/tls
 * with tls.crt and tls.key. Returns NULL when usable, else the reason (and *message). */
static const char *
check_secret_ref(gwapi_resolution *r, const char *group, const char *kind, const char *ref_ns,
                 const char *name, const gwapi_object *from, char **message)
{
    const char *ns = ref_ns ? ref_ns : from->metadata->namespace_;
    const gwapi_object *o;
    const gwapi_secret *secret;
    bool crt = false, key = false;

    if (!eq(group, "") || !eq(kind, "Secret")) {
        *message = gw_res_printf(r, "certificateRef %s/%s: only core Secrets are supported, not "
                                 "%s %s", ns, name, group && *group ? group : "core", kind);
        return "InvalidCertificateRef";
    }
    if (!gw_reference_granted(r, gw_group, from->kind_name, from->metadata->namespace_, "",
                              "Secret", ns, name)) {
        *message = gw_res_printf(r, "certificateRef to Secret %s/%s is in another namespace and "
                                 "no ReferenceGrant in %s permits it", ns, name, ns);
        return "RefNotPermitted";
    }
    if (!r->have_secrets)
        return NULL;
    o = find(r, GWAPI_KIND_SECRET, ns, name);
    secret = gwapi_object_secret(o);
    if (!secret) {
        *message = gw_res_printf(r, "certificateRef: Secret %s/%s does not exist", ns, name);
        return "InvalidCertificateRef";
    }
    /* data, then stringData, which the API server merges over it. */
    for (int pass = 0; pass < 2; pass++) {
        const char *const *keys = pass ? secret->string_data : secret->data;
        const char *const *contents = pass ? secret->string_data_content : secret->data_content;
        size_t n = pass ? secret->n_string_data : secret->n_data;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(keys[i], "tls.crt") == 0)
                crt = strcmp(contents[i], "PEM CERTIFICATE") == 0;
            else if (strcmp(keys[i], "tls.key") == 0)
                key = strncmp(contents[i], "PEM ", 4) == 0 && strstr(contents[i], "PRIVATE KEY");
        }
    }
    if (!eq(secret->type, "kubernetes.io/tls") || !crt || !key) {
        *message = gw_res_printf(r, "certificateRef: Secret %s/%s is not a kubernetes.io/tls "
                                 "Secret with a PEM certificate in tls.crt and a PEM private key "
                                 "in tls.key", ns, name);
        return "InvalidCertificateRef";
    }
    return NULL;
}

const gwapi_frontend_tls_validation *
gw_frontend_validation(const gwapi_gateway *gw, int64_t port)
{
    const gwapi_frontend_tls *frontend = gw && gw->spec->tls ? gw->spec->tls->frontend : NULL;
    const gwapi_frontend_tls_validation *v = NULL;

    if (!frontend)
        return NULL;
    if (frontend->default_ && frontend->default_->validation)
        v = frontend->default_->validation;
    for (size_t i = 0; i < frontend->n_per_port; i++)
        if (frontend->per_port[i]->port == port && frontend->per_port[i]->tls)
            v = frontend->per_port[i]->tls->validation;
    return v;
}

/* Frontend client-certificate validation of an HTTPS listener: its CA references. */
static void
check_frontend_validation(gwapi_resolution *r, struct gw_listener *l, const gwapi_gateway *gw)
{
    const gwapi_frontend_tls_validation *v = eq(l->pub.protocol, "HTTPS")
                                                 ? gw_frontend_validation(gw, l->pub.port) : NULL;
    size_t valid = 0;

    if (!v)
        return;
    for (size_t i = 0; i < v->n_ca_certificate_refs; i++) {
        const gwapi_object_ref *ref = v->ca_certificate_refs[i];
        const char *ns = ref->namespace_ ? ref->namespace_ : l->owner->metadata->namespace_;
        const gwapi_object *cm;
        const gwapi_config_map *map;
        bool has_ca = false;

        if (!eq(ref->group, "") || !eq(ref->kind, "ConfigMap")) {
            set_refs_problem(l, "InvalidCACertificateKind",
                             gw_res_printf(r, "caCertificateRef %s %s: only ConfigMaps are "
                                           "supported", ref->kind, ref->name));
            continue;
        }
        if (!gw_reference_granted(r, gw_group, l->owner->kind_name,
                                  l->owner->metadata->namespace_, "", "ConfigMap", ns, ref->name)) {
            set_refs_problem(l, "RefNotPermitted",
                             gw_res_printf(r, "caCertificateRef to ConfigMap %s/%s is in another "
                                           "namespace and no ReferenceGrant permits it", ns,
                                           ref->name));
            continue;
        }
        cm = find(r, GWAPI_KIND_CONFIG_MAP, ns, ref->name);
        map = gwapi_object_config_map(cm);
        for (size_t k = 0; map && k < map->n_data; k++)
            has_ca |= strcmp(map->data[k], "ca.crt") == 0 &&
                      strcmp(map->data_content[k], "PEM CERTIFICATE") == 0;
        if (r->have_config_maps && !has_ca) {
            set_refs_problem(l, "InvalidCACertificateRef",
                             gw_res_printf(r, "caCertificateRef: ConfigMap %s/%s %s", ns,
                                           ref->name, map ? "has no PEM certificate in ca.crt"
                                                          : "does not exist"));
            continue;
        }
        valid++;
    }
    if (v->n_ca_certificate_refs > 0 && valid == 0 && !l->accept_reason) {
        l->accept_reason = "NoValidCACertificate";
        l->accept_message = gw_res_printf(r, "none of the frontend CA certificate references "
                                          "is usable");
    }
}

static struct gw_listener *
new_listener(gwapi_resolution *r, struct gw_gateway *owner, const gwapi_listener *spec,
             const gwapi_gateway *gw)
{
    struct gw_listener *l = gw_res_alloc(r, sizeof(*l));
    const char *defaults[4];
    size_t n_defaults;

    if (!l)
        return NULL;
    l->owner = owner->obj;
    l->spec = spec;
    l->pub.name = spec->name;
    l->pub.port = spec->port;
    l->pub.protocol = spec->protocol;
    l->pub.hostname = spec->hostname;
    l->tls_mode = spec->tls ? spec->tls->mode : NULL;
    l->protocol_supported = protocol_supported(spec->protocol);
    if (!l->protocol_supported) {
        l->accept_reason = "UnsupportedProtocol";
        l->accept_message = gw_res_printf(r, "protocol %s is not supported", spec->protocol);
        return l;
    }
    n_defaults = default_kinds(spec->protocol, l->tls_mode, defaults);
    if (spec->allowed_routes && spec->allowed_routes->n_kinds > 0) {
        for (size_t i = 0; i < spec->allowed_routes->n_kinds; i++) {
            const gwapi_route_group_kind *k = spec->allowed_routes->kinds[i];
            bool ok = false;
            for (size_t d = 0; d < n_defaults && !ok; d++)
                ok = eq(k->group, gw_group) && eq(k->kind, defaults[d]);
            if (ok && l->n_kinds < 8) {
                l->kinds[l->n_kinds].group = gw_group;
                l->kinds[l->n_kinds++].kind = k->kind;
            } else if (!ok) {
                l->invalid_kinds = true;
                set_refs_problem(l, "InvalidRouteKinds",
                                 gw_res_printf(r, "%s/%s routes are not supported on a %s "
                                               "listener", k->group ? k->group : "", k->kind,
                                               spec->protocol));
            }
        }
    } else {
        for (size_t d = 0; d < n_defaults; d++) {
            l->kinds[l->n_kinds].group = gw_group;
            l->kinds[l->n_kinds++].kind = defaults[d];
        }
    }
    /* Certificates: an HTTPS listener, or a TLS listener that terminates. */
    if (eq(spec->protocol, "HTTPS") && !spec->tls) {
        l->accept_reason = "InvalidTLSConfig";
        l->accept_message = gw_res_printf(r, "an HTTPS listener needs a tls block with "
                                          "certificateRefs");
    } else if (spec->tls && eq(l->tls_mode, "Terminate") &&
               (eq(spec->protocol, "HTTPS") || eq(spec->protocol, "TLS"))) {
        for (size_t i = 0; i < spec->tls->n_certificate_refs; i++) {
            const gwapi_secret_object_ref *ref = spec->tls->certificate_refs[i];
            char *message = NULL;
            const char *reason = check_secret_ref(r, ref->group, ref->kind, ref->namespace_,
                                                  ref->name, owner->obj, &message);
            if (reason)
                set_refs_problem(l, reason, message);
        }
    }
    check_frontend_validation(r, l, gw);
    return l;
}

/* TLS handling of a listener on its port: cleartext, terminating or passing through. */
static const char *
port_class(const struct gw_listener *l)
{
    if (eq(l->pub.protocol, "HTTP"))
        return "http";
    if (eq(l->pub.protocol, "HTTPS"))
        return "terminate";
    if (eq(l->pub.protocol, "TLS"))
        return eq(l->tls_mode, "Passthrough") ? "passthrough" : "terminate";
    return l->pub.protocol ? l->pub.protocol : "";
}

/* NULL when a and b can share the port, else the conflict reason. */
static const char *
conflict_between(const struct gw_listener *a, const struct gw_listener *b)
{
    const char *ca, *cb;

    if (a->pub.port != b->pub.port)
        return NULL;
    ca = port_class(a);
    cb = port_class(b);
    /* UDP shares a port number with anything on TCP. */
    if (eq(a->pub.protocol, "UDP") != eq(b->pub.protocol, "UDP"))
        return NULL;
    if (strcmp(ca, cb) != 0)
        return "ProtocolConflict"; /* TCP beside HTTP or TLS, cleartext beside TLS, mixed modes */
    if (eq(a->pub.hostname, b->pub.hostname))
        return "HostnameConflict";
    return NULL;
}

static void
lose(gwapi_resolution *r, struct gw_listener *l, const char *reason, const struct gw_listener *to)
{
    if (l->conflict_reason)
        return;
    l->conflict_reason = reason;
    l->conflict_message = gw_res_printf(r, "%s with listener %s of %s %s/%s (port %lld)",
                                        strcmp(reason, "ProtocolConflict") == 0
                                            ? "protocol conflicts" : "same port and hostname",
                                        to->pub.name, to->owner->kind_name,
                                        to->owner->metadata->namespace_, to->owner->metadata->name,
                                        (long long)to->pub.port);
    l->n_kinds = 0; /* nothing can attach to a listener that lost */
}

/* Conflicts in a Gateway's merged list: inside the Gateway every member of a conflicting set
 * loses; a ListenerSet listener loses to any earlier listener still standing. */
static void
resolve_conflicts(gwapi_resolution *r, struct gw_gateway *g)
{
    for (size_t i = 0; i < g->n_merged; i++) {
        struct gw_listener *a = g->merged[i];
        if (!a->protocol_supported)
            continue;
        for (size_t j = 0; j < i; j++) {
            struct gw_listener *b = g->merged[j];
            const char *reason;
            if (!b->protocol_supported)
                continue;
            reason = conflict_between(a, b);
            if (!reason)
                continue;
            if (a->owner == g->obj && b->owner == g->obj) {
                lose(r, a, reason, b);
                lose(r, b, reason, a);
            } else if (!b->conflict_reason) {
                lose(r, a, reason, b);
            }
        }
    }
    /* OverlappingTLSConfig: TLS listeners on one port whose hostnames overlap. */
    for (size_t i = 0; i < g->n_merged; i++) {
        struct gw_listener *a = g->merged[i];
        for (size_t j = 0; j < g->n_merged; j++) {
            struct gw_listener *b = g->merged[j];
            if (i == j || a->conflict_reason || b->conflict_reason ||
                a->pub.port != b->pub.port || !strcmp(port_class(a), "http") ||
                strcmp(port_class(a), port_class(b)) != 0 || eq(a->pub.protocol, "TCP"))
                continue;
            if (!a->pub.hostname || !b->pub.hostname ||
                gw_hostname_intersect(a->pub.hostname, b->pub.hostname))
                a->overlapping_tls = true;
        }
    }
}

static void
finish_listener(gwapi_resolution *r, struct gw_listener *l, int64_t gen)
{
    const gwapi_group_kind **kinds;
    bool cert_problem = l->refs_reason && strcmp(l->refs_reason, "InvalidRouteKinds") != 0;

    if (l->conflict_reason && !l->accept_reason) {
        l->accept_reason = l->conflict_reason;
        l->accept_message = l->conflict_message;
    }
    gw_cond_set(r, &l->conds, "Accepted", l->accept_reason ? "False" : "True",
                l->accept_reason ? l->accept_reason : "Accepted", gen,
                l->accept_reason ? l->accept_message : "listener accepted");
    l->valid = !l->accept_reason && !cert_problem;
    gw_cond_set(r, &l->conds, "Programmed", l->valid ? "True" : "False",
                l->valid ? "Programmed"
                         : l->conflict_reason ? l->conflict_reason
                         : l->accept_reason && !strcmp(l->accept_reason, "InvalidTLSConfig")
                             ? "InvalidTLSConfig" : "Invalid",
                gen, l->valid ? "listener programmed"
                              : l->accept_reason ? l->accept_message : l->refs_message);
    gw_cond_set(r, &l->conds, "ResolvedRefs", l->refs_reason ? "False" : "True",
                l->refs_reason ? l->refs_reason : "ResolvedRefs", gen,
                l->refs_reason ? l->refs_message : "all references resolved");
    gw_cond_set(r, &l->conds, "Conflicted", l->conflict_reason ? "True" : "False",
                l->conflict_reason ? l->conflict_reason : "NoConflicts", gen,
                l->conflict_reason ? l->conflict_message : "no conflicts");
    if (l->overlapping_tls)
        gw_cond_set(r, &l->conds, "OverlappingTLSConfig", "True", "OverlappingHostnames", gen,
                    "another TLS listener on this port has an overlapping hostname");
    if (l->accept_reason && !strcmp(l->accept_reason, "UnsupportedProtocol"))
        l->n_kinds = 0;
    kinds = gw_res_alloc(r, (l->n_kinds + 1) * sizeof(*kinds));
    for (size_t i = 0; kinds && i < l->n_kinds; i++)
        kinds[i] = &l->kinds[i];
    l->pub.supported_kinds = kinds;
    l->pub.n_supported_kinds = l->n_kinds;
    gw_cond_publish(r, &l->conds, &l->pub.conditions, &l->pub.n_conditions);
}

static bool
class_is_ours(gwapi_resolution *r, const gwapi_gateway *gw, const char **controller, char **why)
{
    const gwapi_object *o;
    const gwapi_gateway_class *gc;

    if (!r->have_classes) {
        *controller = r->controller ? r->controller : DEFAULT_CONTROLLER;
        return true;
    }
    o = gwapi_config_find(r->cfg, GWAPI_KIND_GATEWAY_CLASS, GWAPI_DIALECT_V1, NULL,
                          gw->spec->gateway_class_name);
    gc = gwapi_object_gateway_class(o);
    if (!gc) {
        *why = gw_res_printf(r, "GatewayClass %s does not exist", gw->spec->gateway_class_name);
        return false;
    }
    if (r->controller && !eq(gc->spec->controller_name, r->controller)) {
        *why = gw_res_printf(r, "GatewayClass %s belongs to controller %s", o->metadata->name,
                             gc->spec->controller_name);
        return false;
    }
    *controller = gc->spec->controller_name;
    return true;
}

static void
resolve_classes(gwapi_resolution *r)
{
    for (size_t i = 0; i < gwapi_config_count(r->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        const gwapi_gateway_class *gc = gwapi_object_gateway_class(o);
        gwapi_status *st;
        struct gw_conditions c = { { 0 }, 0 };
        if (!gc || (r->controller && !eq(gc->spec->controller_name, r->controller)))
            continue;
        st = gw_status_new(r, o);
        if (!st)
            return;
        gw_cond_set(r, &c, "Accepted", "True", "Accepted", gw_generation(o),
                    gw_res_printf(r, "handled by %s", gc->spec->controller_name));
        gw_cond_publish(r, &c, &st->conditions, &st->n_conditions);
    }
}

/* ParametersRef of a Gateway: the library understands ConfigMaps in the Gateway's namespace. */
static const char *
check_parameters(gwapi_resolution *r, const gwapi_object *o, const gwapi_gateway *gw, char **why)
{
    const gwapi_parameters_ref *p = gw->spec->infrastructure ? gw->spec->infrastructure->parameters_ref
                                                             : NULL;
    if (!p)
        return NULL;
    if (!eq(p->group, "") || !eq(p->kind, "ConfigMap")) {
        *why = gw_res_printf(r, "infrastructure.parametersRef: %s %s is not a supported kind",
                             p->kind, p->name);
        return "InvalidParameters";
    }
    if (!find(r, GWAPI_KIND_CONFIG_MAP, o->metadata->namespace_, p->name)) {
        *why = gw_res_printf(r, "infrastructure.parametersRef: ConfigMap %s/%s does not exist",
                             o->metadata->namespace_, p->name);
        return "InvalidParameters";
    }
    return NULL;
}

static const char *
check_addresses(gwapi_resolution *r, const gwapi_gateway *gw, char **why)
{
    for (size_t i = 0; i < gw->spec->n_addresses; i++) {
        const char *type = gw->spec->addresses[i]->type;
        if (!eq(type, "IPAddress") && !eq(type, "Hostname")) {
            *why = gw_res_printf(r, "address type %s is not supported", type);
            return "UnsupportedAddress";
        }
    }
    return NULL;
}

/* Does the Gateway admit a ListenerSet of this namespace? */
static bool
admits_listener_set(gwapi_resolution *r, const struct gw_gateway *g, const char *ns)
{
    const gwapi_gateway *gw = gwapi_object_gateway(g->obj);
    const gwapi_from_namespaces *from = gw->spec->allowed_listeners
                                            ? gw->spec->allowed_listeners->namespaces : NULL;
    const char *mode = from ? from->from : "None";

    if (eq(mode, "All"))
        return true;
    if (eq(mode, "Same"))
        return eq(ns, g->obj->metadata->namespace_);
    if (eq(mode, "Selector"))
        return from->selector && gw_namespace_selected(r, from->selector, ns);
    return false;
}

/* ListenerSets attach oldest first, then by namespace/name. */
static int
by_age(const void *a, const void *b)
{
    const struct gw_gateway *x = *(const struct gw_gateway *const *)a;
    const struct gw_gateway *y = *(const struct gw_gateway *const *)b;
    return gw_object_age_cmp(x->obj, y->obj);
}

static void
publish_listeners(gwapi_resolution *r, struct gw_gateway *g)
{
    const gwapi_listener_status **ls = gw_res_alloc(r, (g->n_listeners + 1) * sizeof(*ls));
    for (size_t i = 0; ls && i < g->n_listeners; i++)
        ls[i] = &g->listeners[i]->pub;
    if (g->status && ls) {
        g->status->listeners = ls;
        g->status->n_listeners = g->n_listeners;
    }
}

/* The ListenerSets of the configuration, oldest first, while the Gateways are collected. */
struct listener_sets {
    struct gw_gateway **items;
    size_t n, cap;
};

/* A Gateway or ListenerSet of the configuration, with its own listeners; a Gateway of another
 * controller gets only its Pending conditions. NULL when out of memory. */
static struct gw_gateway *
collect_gateway(gwapi_resolution *r, const gwapi_object *o, size_t *cap)
{
    const gwapi_gateway *gw = gwapi_object_gateway(o);
    const gwapi_listener_set *ls = gwapi_object_listener_set(o);
    const gwapi_listener *const *specs;
    size_t n_specs;
    struct gw_gateway *g = gw_res_alloc(r, sizeof(*g));
    char *why = NULL;

    if (!g || gw_grow(r->ctx, (void **)&r->gateways, cap, r->n_gateways + 1,
                      sizeof(*r->gateways))) {
        r->out_of_memory = true;
        return NULL;
    }
    g->obj = o;
    g->is_listener_set = ls != NULL;
    r->gateways[r->n_gateways++] = g;
    if (gw) {
        g->managed = class_is_ours(r, gw, &g->controller, &why);
        g->status = gw_status_new(r, o);
        if (!g->managed) {
            gw_cond_set(r, &g->conds, "Accepted", "Unknown", "Pending", gw_generation(o), why);
            gw_cond_set(r, &g->conds, "Programmed", "Unknown", "Pending", gw_generation(o), why);
            if (g->status)
                gw_cond_publish(r, &g->conds, &g->status->conditions, &g->status->n_conditions);
            return g;
        }
        specs = gw->spec->listeners;
        n_specs = gw->spec->n_listeners;
    } else {
        specs = ls->spec->listeners;
        n_specs = ls->spec->n_listeners;
    }
    g->listeners = gw_res_alloc(r, (n_specs + 1) * sizeof(*g->listeners));
    for (size_t k = 0; g->listeners && k < n_specs; k++) {
        struct gw_listener *l = new_listener(r, g, specs[k], gw);
        if (!l)
            break;
        l->gateway = g;
        g->listeners[g->n_listeners++] = l;
    }
    return g;
}

/* A ListenerSet finds its Gateway (gateway_at: the Gateway made of config object i), and
 * whether that Gateway admits it. */
static void
attach_listener_set(gwapi_resolution *r, struct gw_gateway *set, struct gw_gateway **gateway_at)
{
    const gwapi_parent_ref *p = gwapi_object_listener_set(set->obj)->spec->parent_ref;
    const char *ns = p && p->namespace_ ? p->namespace_ : set->obj->metadata->namespace_;
    size_t at;

    if (p && eq(p->kind, "Gateway") && eq(p->group, gw_group) &&
        gw_config_lookup(r->cfg, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1, ns, p->name, &at))
        set->parent = gateway_at[at];
    if (!set->parent || !set->parent->managed)
        return;
    set->managed = true;
    set->controller = set->parent->controller;
    set->status = gw_status_new(r, set->obj);
    set->allowed = admits_listener_set(r, set->parent, set->obj->metadata->namespace_);
    for (size_t k = 0; k < set->n_listeners; k++)
        set->listeners[k]->gateway = set->parent;
}

/* A Gateway's merged list: its own listeners, then its admitted ListenerSets', in order; then
 * the conflicts between them. */
static void
merge_listeners(gwapi_resolution *r, struct gw_gateway *g, const struct listener_sets *sets)
{
    size_t total = g->n_listeners;

    for (size_t s = 0; s < sets->n; s++)
        if (sets->items[s]->parent == g && sets->items[s]->allowed)
            total += sets->items[s]->n_listeners;
    g->merged = gw_res_alloc(r, (total + 1) * sizeof(*g->merged));
    if (!g->merged)
        return;
    for (size_t k = 0; k < g->n_listeners; k++)
        g->merged[g->n_merged++] = g->listeners[k];
    for (size_t s = 0; s < sets->n; s++)
        if (sets->items[s]->parent == g && sets->items[s]->allowed)
            for (size_t k = 0; k < sets->items[s]->n_listeners; k++)
                g->merged[g->n_merged++] = sets->items[s]->listeners[k];
    resolve_conflicts(r, g);
}

/* ResolvedRefs of a Gateway: the client certificate its backend TLS names. */
static void
gateway_refs_condition(gwapi_resolution *r, struct gw_gateway *g, const gwapi_gateway *gw,
                       int64_t gen)
{
    const gwapi_gateway_backend_tls *b = gw->spec->tls ? gw->spec->tls->backend : NULL;
    const char *refs = NULL;
    char *why = NULL;

    if (b && b->client_certificate_ref) {
        const gwapi_secret_object_ref *c = b->client_certificate_ref;
        refs = check_secret_ref(r, c->group, c->kind, c->namespace_, c->name, g->obj, &why);
        if (refs && strcmp(refs, "RefNotPermitted") != 0)
            refs = "InvalidClientCertificateRef";
    }
    gw_cond_set(r, &g->conds, "ResolvedRefs", refs ? "False" : "True",
                refs ? refs : "ResolvedRefs", gen, refs ? why : "all references resolved");
}

/* InsecureFrontendValidationMode, when any frontend validation allows insecure fallback. */
static void
gateway_frontend_condition(gwapi_resolution *r, struct gw_gateway *g, const gwapi_gateway *gw,
                           int64_t gen)
{
    const gwapi_frontend_tls *f = gw->spec->tls ? gw->spec->tls->frontend : NULL;
    bool insecure;

    if (!f)
        return;
    insecure = f->default_ && f->default_->validation &&
               eq(f->default_->validation->mode, "AllowInsecureFallback");
    for (size_t k = 0; k < f->n_per_port; k++)
        insecure |= f->per_port[k]->tls && f->per_port[k]->tls->validation &&
                    eq(f->per_port[k]->tls->validation->mode, "AllowInsecureFallback");
    if (insecure)
        gw_cond_set(r, &g->conds, "InsecureFrontendValidationMode", "True",
                    "ConfigurationChanged", gen,
                    "client certificate validation allows insecure fallback");
}

/* Accepted, Programmed, ResolvedRefs (and InsecureFrontendValidationMode) of a Gateway whose
 * listeners are finished, valid of them valid. */
static void
gateway_conditions(gwapi_resolution *r, struct gw_gateway *g, size_t valid, int64_t gen)
{
    const gwapi_gateway *gw = gwapi_object_gateway(g->obj);
    char *why = NULL;
    const char *reason = check_addresses(r, gw, &why);

    if (!reason)
        reason = check_parameters(r, g->obj, gw, &why);
    if (!reason && valid == 0) {
        reason = "ListenersNotValid";
        why = gw_res_printf(r, "no listener is valid");
    }
    gw_cond_set(r, &g->conds, "Accepted", reason ? "False" : "True",
                reason ? reason : valid < g->n_listeners ? "ListenersNotValid" : "Accepted", gen,
                reason ? why : valid < g->n_listeners ? "some listeners are not valid"
                                                      : "Gateway accepted");
    gw_cond_set(r, &g->conds, "Programmed", reason ? "False" : "True",
                reason ? "Invalid" : "Programmed", gen, reason ? why : "Gateway programmed");
    gateway_refs_condition(r, g, gw, gen);
    gateway_frontend_condition(r, g, gw, gen);
}

/* Accepted and Programmed of a ListenerSet, after its Gateway's. */
static void
listener_set_conditions(gwapi_resolution *r, struct gw_gateway *g, size_t valid, int64_t gen)
{
    const char *reason = NULL;
    char *why = NULL;
    bool parent_ok = g->parent && g->parent->conds.count &&
                     !strcmp(g->parent->conds.items[0]->status, "True");

    if (!g->allowed) {
        reason = "NotAllowed";
        why = gw_res_printf(r, "Gateway %s/%s does not allow ListenerSets from namespace %s",
                            g->parent->obj->metadata->namespace_, g->parent->obj->metadata->name,
                            g->obj->metadata->namespace_);
    } else if (!parent_ok) {
        reason = "ParentNotAccepted";
        why = gw_res_printf(r, "Gateway %s/%s is not accepted",
                            g->parent->obj->metadata->namespace_, g->parent->obj->metadata->name);
    } else if (valid == 0) {
        reason = "ListenersNotValid";
        why = gw_res_printf(r, "no listener is valid");
    }
    gw_cond_set(r, &g->conds, "Accepted", reason ? "False" : "True",
                reason ? reason : valid < g->n_listeners ? "ListenersNotValid" : "Accepted", gen,
                reason ? why : "ListenerSet accepted");
    gw_cond_set(r, &g->conds, "Programmed", reason ? "False" : "True",
                reason ? reason : "Programmed", gen, reason ? why : "ListenerSet programmed");
    if (!reason)
        g->parent->attached_sets++;
}

/* Finish the listeners of a managed Gateway or ListenerSet, then its own conditions. */
static void
finish_gateway(gwapi_resolution *r, struct gw_gateway *g)
{
    int64_t gen = gw_generation(g->obj);
    size_t valid = 0;

    for (size_t k = 0; k < g->n_listeners; k++) {
        finish_listener(r, g->listeners[k], gen);
        valid += g->listeners[k]->valid;
    }
    if (g->is_listener_set)
        listener_set_conditions(r, g, valid, gen);
    else
        gateway_conditions(r, g, valid, gen);
    if (g->status) {
        gw_cond_publish(r, &g->conds, &g->status->conditions, &g->status->n_conditions);
        publish_listeners(r, g);
    }
}

void
gw_resolve_gateways(gwapi_resolution *r)
{
    size_t n = gwapi_config_count(r->cfg), cap = 0;
    struct listener_sets sets = { NULL, 0, 0 };
    /* The Gateway made of config object i, for ListenerSets to find their parent. */
    struct gw_gateway **gateway_at = gw_res_alloc(r, (n + 1) * sizeof(*gateway_at));

    if (!gateway_at)
        return;
    resolve_classes(r);
    for (size_t i = 0; i < n && !r->out_of_memory; i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        if (!gwapi_object_gateway(o) && !gwapi_object_listener_set(o))
            continue;
        gateway_at[i] = collect_gateway(r, o, &cap);
        if (gateway_at[i] && gateway_at[i]->is_listener_set) {
            if (gw_grow(r->ctx, (void **)&sets.items, &sets.cap, sets.n + 1, sizeof(*sets.items)))
                r->out_of_memory = true;
            else
                sets.items[sets.n++] = gateway_at[i];
        }
    }
    if (sets.n > 1)
        qsort(sets.items, sets.n, sizeof(*sets.items), by_age);
    for (size_t s = 0; s < sets.n && !r->out_of_memory; s++)
        attach_listener_set(r, sets.items[s], gateway_at);
    for (size_t i = 0; i < r->n_gateways && !r->out_of_memory; i++)
        if (!r->gateways[i]->is_listener_set && r->gateways[i]->managed)
            merge_listeners(r, r->gateways[i], &sets);
    /* Gateways first, then ListenerSets, whose conditions depend on their Gateway's. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < r->n_gateways && !r->out_of_memory; i++)
            if (r->gateways[i]->managed && r->gateways[i]->is_listener_set == (pass == 1))
                finish_gateway(r, r->gateways[i]);
    for (size_t i = 0; i < r->n_gateways; i++)
        if (r->gateways[i]->status && !r->gateways[i]->is_listener_set)
            r->gateways[i]->status->attached_listener_sets = (int64_t)r->gateways[i]->attached_sets;
    gw_free(r->ctx, sets.items);
}
