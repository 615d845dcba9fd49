/* gwapi convert: manifests of the v1alpha1 dialect (networking.x-k8s.io) and Kubernetes
 * Ingresses (networking.k8s.io/v1, with the common ingress-nginx annotations) written as
 * gateway.networking.k8s.io/v1 objects that route the same requests to the same backends.
 * Which listeners take a v1alpha1 route is the library's binding of the input (its label
 * selectors and gateways.allow become parentRefs); everything that cannot be carried over is
 * a warning on standard error, never dropped in silence. Other objects pass through. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

#define V1 "gateway.networking.k8s.io/v1"
#define V1ALPHA1 "networking.x-k8s.io/v1alpha1"
#define INGRESS_API "networking.k8s.io/v1"
#define NGINX "nginx.ingress.kubernetes.io/"

struct converter {
    gwapi_resolution *res;
    gwapi_config *cfg;
    gwapi_diags *diags;              /* the library's diagnostics of the input (not shown) */
    cJSON *in;                       /* every input document */
    cJSON *out;                      /* the documents written */
    size_t warnings;
};

/* --- small helpers ------------------------------------------------------------------------ */

static const char *
str(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static cJSON *
get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static void
warn(struct converter *c, const cJSON *doc, const char *fmt, const char *a, const char *b)
{
    const cJSON *meta = get(doc, "metadata");
    fprintf(stderr, "warning: %s %s%s%s: ", str(doc, "kind") ? str(doc, "kind") : "?",
            str(meta, "namespace") ? str(meta, "namespace") : "",
            str(meta, "namespace") ? "/" : "", str(meta, "name") ? str(meta, "name") : "?");
    fprintf(stderr, fmt, a ? a : "", b ? b : "");
    fputc('\n', stderr);
    c->warnings++;
}

static const char *
ns_of(const cJSON *doc)
{
    const char *ns = str(get(doc, "metadata"), "namespace");
    return ns ? ns : "default";
}

/* A new object of kind with the name and namespace given, and the source's labels and
 * annotations when a source is given. */
static cJSON *
new_object(const char *kind, const char *ns, const char *name, const cJSON *source,
           bool namespaced)
{
    cJSON *o = cJSON_CreateObject(), *meta;
    const cJSON *m = get(source, "metadata");

    cJSON_AddStringToObject(o, "apiVersion", V1);
    cJSON_AddStringToObject(o, "kind", kind);
    meta = cJSON_AddObjectToObject(o, "metadata");
    cJSON_AddStringToObject(meta, "name", name);
    if (namespaced)
        cJSON_AddStringToObject(meta, "namespace", ns);
    if (get(m, "labels"))
        cJSON_AddItemToObject(meta, "labels", cJSON_Duplicate(get(m, "labels"), true));
    if (get(m, "annotations") && strcmp(kind, "HTTPRoute") != 0)
        cJSON_AddItemToObject(meta, "annotations", cJSON_Duplicate(get(m, "annotations"), true));
    cJSON_AddObjectToObject(o, "spec");
    return o;
}

static void
copy(cJSON *to, const char *to_key, const cJSON *from, const char *from_key)
{
    const cJSON *v = get(from, from_key);
    if (v)
        cJSON_AddItemToObject(to, to_key, cJSON_Duplicate(v, true));
}

/* A Kubernetes name made of any text: lower case, [a-z0-9.-], at most 253 bytes. */
static void
dns_name(char *out, size_t size, const char *a, const char *b)
{
    snprintf(out, size < 254 ? size : 254, "%s%s%s", a, b ? "-" : "", b ? b : "");
    for (char *s = out; *s; s++)
        *s = *s == '*' ? 'x' : isalnum((unsigned char)*s) || *s == '-' || *s == '.'
                                   ? (char)tolower((unsigned char)*s) : '-';
}

/* --- v1alpha1 ----------------------------------------------------------------------------- */

static const gwapi_object *
model_of(const struct converter *c, const cJSON *doc)
{
    for (size_t i = 0; i < gwapi_config_count(c->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(c->cfg, i);
        if (o->kind_name && str(doc, "kind") && strcmp(o->kind_name, str(doc, "kind")) == 0 &&
            o->api_version && str(doc, "apiVersion") &&
            strcmp(o->api_version, str(doc, "apiVersion")) == 0 && o->metadata &&
            strcmp(o->metadata->namespace_ ? o->metadata->namespace_ : "default", ns_of(doc)) == 0 &&
            o->metadata->name && str(get(doc, "metadata"), "name") &&
            strcmp(o->metadata->name, str(get(doc, "metadata"), "name")) == 0)
            return o;
    }
    return NULL;
}

static void
convert_class(struct converter *c, const cJSON *doc)
{
    cJSON *o = new_object("GatewayClass", NULL, str(get(doc, "metadata"), "name"), doc, false);
    cJSON *spec = get(o, "spec");
    const cJSON *in = get(doc, "spec"), *p = get(in, "parametersRef");

    copy(spec, "controllerName", in, "controller");
    if (p) {
        cJSON *ref = cJSON_AddObjectToObject(spec, "parametersRef");
        copy(ref, "group", p, "group");
        copy(ref, "kind", p, "kind");
        copy(ref, "name", p, "name");
        if (str(p, "scope") && strcmp(str(p, "scope"), "Namespace") == 0)
            copy(ref, "namespace", p, "namespace");
    }
    cJSON_AddItemToArray(c->out, o);
}

/* The listener names the library gave the Gateway's listeners (v1alpha1 has none). */
static const char *
listener_name(const struct converter *c, const cJSON *doc, size_t index)
{
    const gwapi_object *g = model_of(c, doc);
    const gwapi_status *st = g ? gwapi_resolution_status(c->res, g) : NULL;
    return st && index < st->n_listeners ? st->listeners[index]->name : NULL;
}

static void
convert_gateway(struct converter *c, const cJSON *doc)
{
    cJSON *o = new_object("Gateway", ns_of(doc), str(get(doc, "metadata"), "name"), doc, true);
    cJSON *spec = get(o, "spec"), *listeners = cJSON_AddArrayToObject(spec, "listeners");
    const cJSON *in = get(doc, "spec"), *l;
    size_t i = 0;
    char fallback[32];

    copy(spec, "gatewayClassName", in, "gatewayClassName");
    if (get(in, "addresses")) {
        const cJSON *a;
        cJSON *addresses = cJSON_AddArrayToObject(spec, "addresses");
        cJSON_ArrayForEach(a, get(in, "addresses")) {
            cJSON *to = cJSON_CreateObject();
            copy(to, "type", a, "type");
            copy(to, "value", a, "value");
            cJSON_AddItemToArray(addresses, to);
        }
    }
    cJSON_ArrayForEach(l, get(in, "listeners")) {
        cJSON *to = cJSON_CreateObject(), *allowed, *kinds, *kind;
        const cJSON *routes = get(l, "routes"), *tls = get(l, "tls");
        const char *name = listener_name(c, doc, i);
        snprintf(fallback, sizeof(fallback), "listener-%zu", i);
        cJSON_AddStringToObject(to, "name", name ? name : fallback);
        copy(to, "hostname", l, "hostname");
        copy(to, "port", l, "port");
        copy(to, "protocol", l, "protocol");
        if (tls) {
            cJSON *t = cJSON_AddObjectToObject(to, "tls");
            const cJSON *ref = get(tls, "certificateRef");
            copy(t, "mode", tls, "mode");
            if (ref) {
                cJSON *refs = cJSON_AddArrayToObject(t, "certificateRefs"), *r = cJSON_CreateObject();
                const char *group = str(ref, "group");
                /* v1alpha1 names the core group "core"; v1 names it "". */
                cJSON_AddStringToObject(r, "group", !group || strcmp(group, "core") == 0 ? "" : group);
                cJSON_AddStringToObject(r, "kind", str(ref, "kind") ? str(ref, "kind") : "Secret");
                copy(r, "name", ref, "name");
                cJSON_AddItemToArray(refs, r);
            }
            if (str(get(tls, "routeOverride"), "certificate") &&
                strcmp(str(get(tls, "routeOverride"), "certificate"), "Allow") == 0)
                warn(c, doc, "listener %s lets routes give their own certificate "
                     "(routeOverride Allow), which v1 has no way to say: the listener's "
                     "certificate is used for every host%s", name, NULL);
            copy(t, "options", tls, "options");
        }
        allowed = cJSON_AddObjectToObject(to, "allowedRoutes");
        if (get(routes, "namespaces"))
            cJSON_AddItemToObject(allowed, "namespaces",
                                  cJSON_Duplicate(get(routes, "namespaces"), true));
        kinds = cJSON_AddArrayToObject(allowed, "kinds");
        kind = cJSON_CreateObject();
        cJSON_AddStringToObject(kind, "group", "gateway.networking.k8s.io");
        cJSON_AddStringToObject(kind, "kind", str(routes, "kind") ? str(routes, "kind") : "HTTPRoute");
        cJSON_AddItemToArray(kinds, kind);
        cJSON_AddItemToArray(listeners, to);
        i++;
    }
    cJSON_AddItemToArray(c->out, o);
}

/* name: value maps of v1alpha1 as v1's lists of {name, value} (with a type when given). */
static cJSON *
pairs(const cJSON *map, const char *type)
{
    cJSON *list = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, map) {
        cJSON *p = cJSON_CreateObject();
        if (type)
            cJSON_AddStringToObject(p, "type", type);
        cJSON_AddStringToObject(p, "name", e->string);
        if (cJSON_IsString(e))
            cJSON_AddStringToObject(p, "value", e->valuestring);
        cJSON_AddItemToArray(list, p);
    }
    return list;
}

struct route_ctx {
    struct converter *c;
    const cJSON *doc;
    cJSON *parent_refs;
    long port;                       /* the one port the route's listeners share, or 0 */
};

static cJSON *
backend_ref(struct route_ctx *r, const cJSON *service, const cJSON *backend, const cJSON *port,
            const char *what)
{
    cJSON *b = cJSON_CreateObject();

    if (backend) {
        copy(b, "group", backend, "group");
        copy(b, "kind", backend, "kind");
        copy(b, "name", backend, "name");
    } else {
        cJSON_AddItemToObject(b, "name", cJSON_Duplicate(service, true));
    }
    if (port) {
        cJSON_AddItemToObject(b, "port", cJSON_Duplicate(port, true));
    } else if (r->port) {
        cJSON_AddNumberToObject(b, "port", (double)r->port);
        warn(r->c, r->doc, "%s gives no port: the request's port is the listeners' port, "
             "written as the port", what, NULL);
    } else {
        warn(r->c, r->doc, "%s gives no port and the route's listeners have no one port: "
             "give the backendRef a port%s", what, NULL);
    }
    return b;
}

static cJSON *
filters(struct route_ctx *r, const cJSON *in)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *f;

    cJSON_ArrayForEach(f, in) {
        const char *type = str(f, "type");
        cJSON *to = cJSON_CreateObject();
        if (type && strcmp(type, "RequestHeaderModifier") == 0) {
            const cJSON *m = get(f, "requestHeaderModifier");
            cJSON *mod = cJSON_CreateObject();
            cJSON_AddStringToObject(to, "type", type);
            if (get(m, "set"))
                cJSON_AddItemToObject(mod, "set", pairs(get(m, "set"), NULL));
            if (get(m, "add"))
                cJSON_AddItemToObject(mod, "add", pairs(get(m, "add"), NULL));
            copy(mod, "remove", m, "remove");
            cJSON_AddItemToObject(to, "requestHeaderModifier", mod);
        } else if (type && strcmp(type, "RequestMirror") == 0) {
            const cJSON *m = get(f, "requestMirror");
            cJSON *mirror = cJSON_CreateObject();
            cJSON_AddStringToObject(to, "type", type);
            cJSON_AddItemToObject(mirror, "backendRef",
                                  backend_ref(r, get(m, "serviceName"), get(m, "backendRef"),
                                              get(m, "port"), "a RequestMirror"));
            cJSON_AddItemToObject(to, "requestMirror", mirror);
        } else {
            warn(r->c, r->doc, "a %s filter has no v1 equivalent: left out%s",
                 type ? type : "(untyped)", NULL);
            cJSON_Delete(to);
            continue;
        }
        cJSON_AddItemToArray(out, to);
    }
    return out;
}

static cJSON *
match(struct route_ctx *r, const cJSON *m)
{
    cJSON *to = cJSON_CreateObject();
    const cJSON *path = get(m, "path"), *headers = get(m, "headers"), *query = get(m, "queryParams");

    if (path) {
        cJSON *p = cJSON_AddObjectToObject(to, "path");
        const char *type = str(path, "type");
        cJSON_AddStringToObject(p, "type", !type || strcmp(type, "Prefix") == 0 ? "PathPrefix" : type);
        copy(p, "value", path, "value");
    }
    if (headers)
        cJSON_AddItemToObject(to, "headers", pairs(get(headers, "values"),
                                                   str(headers, "type") ? str(headers, "type") : "Exact"));
    if (query)
        cJSON_AddItemToObject(to, "queryParams", pairs(get(query, "values"),
                                                       str(query, "type") ? str(query, "type") : "Exact"));
    if (get(m, "extensionRef"))
        warn(r->c, r->doc, "a match's extensionRef has no v1 equivalent: left out%s%s", NULL, NULL);
    return to;
}

static void
add_parent(void *arg, const char *parent, const char *listener)
{
    struct route_ctx *r = arg;
    const char *slash = strchr(parent, '/'), *space = strchr(parent, ' ');
    cJSON *ref = cJSON_CreateObject();
    char ns[256];
    const cJSON *l, *gw;

    if (!slash || !space || (size_t)(slash - space - 1) >= sizeof(ns)) {
        cJSON_Delete(ref);
        return;
    }
    memcpy(ns, space + 1, (size_t)(slash - space - 1));
    ns[slash - space - 1] = '\0';
    cJSON_AddStringToObject(ref, "namespace", ns);
    cJSON_AddStringToObject(ref, "name", slash + 1);
    cJSON_AddStringToObject(ref, "sectionName", listener);
    cJSON_AddItemToArray(r->parent_refs, ref);
    /* The ports of the listeners taking it: one port stands in for v1alpha1's "the request's
     * port" where a forwardTo gives none. */
    cJSON_ArrayForEach(gw, r->c->out) {
        if (!str(gw, "kind") || strcmp(str(gw, "kind"), "Gateway") != 0 ||
            strcmp(ns_of(gw), ns) != 0 || strcmp(str(get(gw, "metadata"), "name"), slash + 1) != 0)
            continue;
        cJSON_ArrayForEach(l, get(get(gw, "spec"), "listeners")) {
            long port;
            if (!str(l, "name") || strcmp(str(l, "name"), listener) != 0)
                continue;
            port = (long)cJSON_GetNumberValue(get(l, "port"));
            r->port = r->port == 0 || r->port == port ? port : -1;
        }
    }
}

/* Why a route attaches to no Gateway: the first failed check toward each. */
static void
why_unattached(struct converter *c, const cJSON *doc, const gwapi_explain_step *const *steps,
               size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!steps[i]->passed) {
            warn(c, doc, "attaches to no Gateway of the input (%s), so it has no parentRefs: "
                 "it routes nothing, as in v1alpha1%s", steps[i]->message, NULL);
            return;
        }
    warn(c, doc, "no Gateway of the input selects it, so it has no parentRefs: it routes "
         "nothing, as in v1alpha1%s%s", NULL, NULL);
}

static void
convert_http_route(struct converter *c, const cJSON *doc)
{
    cJSON *o = new_object("HTTPRoute", ns_of(doc), str(get(doc, "metadata"), "name"), doc, true);
    cJSON *spec = get(o, "spec"), *rules;
    const cJSON *in = get(doc, "spec"), *rule;
    const gwapi_object *model = model_of(c, doc);
    const gwapi_explain_step *const *steps = NULL;
    struct route_ctx r = { c, doc, NULL, 0 };
    size_t n = 0;

    r.parent_refs = cJSON_AddArrayToObject(spec, "parentRefs");
    if (model && !gwapi_resolution_explain(c->res, model, &steps, &n) &&
        !cli_attached_listeners(steps, n, add_parent, &r))
        why_unattached(c, doc, steps, n);
    if (r.port < 0)
        r.port = 0;
    copy(spec, "hostnames", in, "hostnames");
    {
        const cJSON *h;
        cJSON_ArrayForEach(h, get(in, "hostnames"))
            if (cJSON_IsString(h) && strncmp(h->valuestring, "*.", 2) == 0) {
                warn(c, doc, "hostname %s covers one label in v1alpha1 and any number in v1: "
                     "a host with more labels before the suffix now matches too%s",
                     h->valuestring, NULL);
            }
    }
    if (get(in, "tls"))
        warn(c, doc, "its own TLS certificate (spec.tls) has no v1 equivalent: the listener's "
             "certificate is presented%s%s", NULL, NULL);
    rules = cJSON_AddArrayToObject(spec, "rules");
    cJSON_ArrayForEach(rule, get(in, "rules")) {
        cJSON *to = cJSON_CreateObject(), *matches = cJSON_AddArrayToObject(to, "matches");
        const cJSON *m, *f;
        cJSON_ArrayForEach(m, get(rule, "matches"))
            cJSON_AddItemToArray(matches, match(&r, m));
        if (get(rule, "filters"))
            cJSON_AddItemToObject(to, "filters", filters(&r, get(rule, "filters")));
        if (!cJSON_GetArraySize(get(rule, "forwardTo")))
            warn(c, doc, "a rule without forwardTo answers 503 in v1alpha1 and 500 in v1%s%s",
                 NULL, NULL);
        else {
            cJSON *refs = cJSON_AddArrayToObject(to, "backendRefs");
            cJSON_ArrayForEach(f, get(rule, "forwardTo")) {
                cJSON *b = backend_ref(&r, get(f, "serviceName"), get(f, "backendRef"),
                                       get(f, "port"), "a forwardTo");
                if (get(f, "weight"))
                    copy(b, "weight", f, "weight");
                if (get(f, "filters"))
                    cJSON_AddItemToObject(b, "filters", filters(&r, get(f, "filters")));
                cJSON_AddItemToArray(refs, b);
            }
        }
        cJSON_AddItemToArray(rules, to);
    }
    cJSON_AddItemToArray(c->out, o);
}

/* --- Ingress -------------------------------------------------------------------------------- */

/* The Gateway an Ingress goes to: one per IngressClass and namespace, made on first use. */
static cJSON *
gateway_for(struct converter *c, const char *cls, const char *ns)
{
    const cJSON *g;
    cJSON *o;

    cJSON_ArrayForEach(g, c->out)
        if (str(g, "kind") && strcmp(str(g, "kind"), "Gateway") == 0 &&
            strcmp(ns_of(g), ns) == 0 && strcmp(str(get(g, "metadata"), "name"), cls) == 0 &&
            get(g, "x-from-ingress"))
            return (cJSON *)g;
    o = new_object("Gateway", ns, cls, NULL, true);
    cJSON_AddStringToObject(get(o, "spec"), "gatewayClassName", cls);
    cJSON_AddArrayToObject(get(o, "spec"), "listeners");
    cJSON_AddTrueToObject(o, "x-from-ingress"); /* removed before writing */
    cJSON_AddItemToArray(c->out, o);
    return o;
}

/* The listener of a Gateway for a host (NULL: any) and a protocol, added on first use. */
static const char *
listener_for(cJSON *gateway, const char *host, bool https, const char *secret)
{
    cJSON *listeners = get(get(gateway, "spec"), "listeners"), *l;
    char name[300];

    dns_name(name, sizeof(name), host ? host : "any", https ? "https" : "http");
    cJSON_ArrayForEach(l, listeners)
        if (strcmp(str(l, "name"), name) == 0)
            return str(l, "name");
    l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "name", name);
    if (host)
        cJSON_AddStringToObject(l, "hostname", host);
    cJSON_AddNumberToObject(l, "port", https ? 443 : 80);
    cJSON_AddStringToObject(l, "protocol", https ? "HTTPS" : "HTTP");
    if (https) {
        cJSON *tls = cJSON_AddObjectToObject(l, "tls"), *refs, *ref;
        cJSON_AddStringToObject(tls, "mode", "Terminate");
        refs = cJSON_AddArrayToObject(tls, "certificateRefs");
        ref = cJSON_CreateObject();
        cJSON_AddStringToObject(ref, "group", "");
        cJSON_AddStringToObject(ref, "kind", "Secret");
        cJSON_AddStringToObject(ref, "name", secret);
        cJSON_AddItemToArray(refs, ref);
    }
    {
        cJSON *allowed = cJSON_AddObjectToObject(l, "allowedRoutes");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(allowed, "namespaces"), "from", "Same");
    }
    cJSON_AddItemToArray(listeners, l);
    return str(l, "name");
}

static void
add_parent_ref(cJSON *route, const char *gateway, const char *section)
{
    cJSON *refs = get(get(route, "spec"), "parentRefs"), *ref = cJSON_CreateObject();
    if (!refs)
        refs = cJSON_AddArrayToObject(get(route, "spec"), "parentRefs");
    cJSON_AddStringToObject(ref, "name", gateway);
    cJSON_AddStringToObject(ref, "sectionName", section);
    cJSON_AddItemToArray(refs, ref);
}

static const char *
annotation(const cJSON *doc, const char *name)
{
    char key[200];
    snprintf(key, sizeof(key), NGINX "%s", name);
    return str(get(get(doc, "metadata"), "annotations"), key);
}

static bool
annotation_true(const cJSON *doc, const char *name)
{
    const char *v = annotation(doc, name);
    return v && strcmp(v, "true") == 0;
}

/* The Secret of a host's TLS (NULL: none). */
static const char *
tls_secret(const cJSON *ingress, const char *host)
{
    const cJSON *t, *h;
    cJSON_ArrayForEach(t, get(get(ingress, "spec"), "tls"))
        cJSON_ArrayForEach(h, get(t, "hosts"))
            if (host && cJSON_IsString(h) && strcmp(h->valuestring, host) == 0)
                return str(t, "secretName");
    return NULL;
}

/* A Service port by number, or by name when the input holds the Service. */
static cJSON *
service_port(struct converter *c, const cJSON *ingress, const cJSON *service)
{
    const cJSON *port = get(service, "port"), *doc;

    if (cJSON_IsNumber(get(port, "number")))
        return cJSON_CreateNumber(cJSON_GetNumberValue(get(port, "number")));
    cJSON_ArrayForEach(doc, c->in) {
        const cJSON *p;
        if (!str(doc, "kind") || strcmp(str(doc, "kind"), "Service") != 0 ||
            strcmp(ns_of(doc), ns_of(ingress)) != 0 || !str(service, "name") ||
            strcmp(str(get(doc, "metadata"), "name"), str(service, "name")) != 0)
            continue;
        cJSON_ArrayForEach(p, get(get(doc, "spec"), "ports"))
            if (str(p, "name") && str(port, "name") && strcmp(str(p, "name"), str(port, "name")) == 0)
                return cJSON_CreateNumber(cJSON_GetNumberValue(get(p, "port")));
    }
    warn(c, ingress, "backend %s names its port %s, and the input holds no such Service port: "
         "give the backendRef its number", str(service, "name"), str(port, "name"));
    return NULL;
}

/* An Ingress backend, with its weight when it has one (>= 0), added to a rule's backendRefs. */
static void
add_ingress_backend(struct converter *c, const cJSON *ingress, const cJSON *backend, long weight,
                    cJSON *rule)
{
    const cJSON *service = get(backend, "service");
    cJSON *refs = get(rule, "backendRefs"), *b, *port;

    if (!refs)
        refs = cJSON_AddArrayToObject(rule, "backendRefs");
    if (!service) {
        warn(c, ingress, "a backend that is no Service (resource) is not converted%s%s", NULL, NULL);
        return;
    }
    b = cJSON_CreateObject();
    copy(b, "name", service, "name");
    if ((port = service_port(c, ingress, service)))
        cJSON_AddItemToObject(b, "port", port);
    if (weight >= 0)
        cJSON_AddNumberToObject(b, "weight", (double)weight);
    cJSON_AddItemToArray(refs, b);
}

/* A route of an Ingress on one listener of its Gateway, for a host (NULL: any). */
static cJSON *
ingress_route(struct converter *c, const cJSON *ingress, const char *name, const char *gateway,
              const char *section, const char *host)
{
    cJSON *route = new_object("HTTPRoute", ns_of(ingress), name, ingress, true);
    add_parent_ref(route, gateway, section);
    if (host)
        cJSON_AddItemToArray(cJSON_AddArrayToObject(get(route, "spec"), "hostnames"),
                             cJSON_CreateString(host));
    cJSON_AddArrayToObject(get(route, "spec"), "rules");
    cJSON_AddItemToArray(c->out, route);
    return route;
}

/* The canary Ingresses of the same class, namespace, host and path as a main one. */
static const cJSON *
canary_of(const struct converter *c, const cJSON *main, const char *host, const char *path,
          const cJSON **canary_path)
{
    const cJSON *doc, *rule, *p;
    cJSON_ArrayForEach(doc, c->in) {
        if (doc == main || !str(doc, "kind") || strcmp(str(doc, "kind"), "Ingress") != 0 ||
            !annotation_true(doc, "canary") || strcmp(ns_of(doc), ns_of(main)) != 0)
            continue;
        cJSON_ArrayForEach(rule, get(get(doc, "spec"), "rules")) {
            const char *h = str(rule, "host");
            if ((h == NULL) != (host == NULL) || (h && strcmp(h, host) != 0))
                continue;
            cJSON_ArrayForEach(p, get(get(rule, "http"), "paths"))
                if (strcmp(str(p, "path") ? str(p, "path") : "/", path) == 0) {
                    *canary_path = p;
                    return doc;
                }
        }
    }
    return NULL;
}

/* A comma-separated annotation as a list of its trimmed items. */
static void
add_list(cJSON *to, const char *key, const char *text)
{
    cJSON *list = cJSON_AddArrayToObject(to, key);
    char item[256];

    for (const char *s = text; *s;) {
        size_t n = strcspn(s, ","), a = 0, b = n;
        while (a < n && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        snprintf(item, sizeof(item), "%.*s", (int)(b - a), s + a);
        if (*item)
            cJSON_AddItemToArray(list, cJSON_CreateString(item));
        s += n + (s[n] == ',');
    }
}

/* enable-cors and its cors-* annotations as a CORS filter, with ingress-nginx's defaults. */
static void
add_cors(cJSON *rule_filters, const cJSON *ingress)
{
    cJSON *f = cJSON_CreateObject(), *cors = cJSON_AddObjectToObject(f, "cors");
    const char *origin = annotation(ingress, "cors-allow-origin");
    const char *methods = annotation(ingress, "cors-allow-methods");
    const char *headers = annotation(ingress, "cors-allow-headers");
    const char *expose = annotation(ingress, "cors-expose-headers");
    const char *credentials = annotation(ingress, "cors-allow-credentials");
    const char *max_age = annotation(ingress, "cors-max-age");

    cJSON_AddStringToObject(f, "type", "CORS");
    add_list(cors, "allowOrigins", origin ? origin : "*");
    add_list(cors, "allowMethods", methods ? methods : "GET, PUT, POST, DELETE, PATCH, OPTIONS");
    add_list(cors, "allowHeaders", headers ? headers
                                           : "DNT,Keep-Alive,User-Agent,X-Requested-With,"
                                             "If-Modified-Since,Cache-Control,Content-Type,"
                                             "Range,Authorization");
    if (expose)
        add_list(cors, "exposeHeaders", expose);
    cJSON_AddBoolToObject(cors, "allowCredentials", !credentials || strcmp(credentials, "true") == 0);
    cJSON_AddNumberToObject(cors, "maxAge", max_age ? atof(max_age) : 1728000);
    cJSON_AddItemToArray(rule_filters, f);
}

/* A rewrite-target ingress-nginx applies, as a URLRewrite where v1 can say it: a plain target
 * replaces the whole path (nginx's rewrite of the matched location), and the common
 * "/prefix(/|$)(.*)" with "/$2" replaces the prefix by "/". The path to match goes to prefix.
 * NULL: no rewrite, or one that v1 cannot express (warned). */
static cJSON *
rewrite(struct converter *c, const cJSON *ingress, const char *path, char *prefix, size_t size)
{
    static const char groups[] = "(/|$)(.*)";
    const char *target = annotation(ingress, "rewrite-target");
    size_t n = strlen(path), g = strlen(groups);
    bool strip = false;
    cJSON *f, *pm;

    snprintf(prefix, size, "%s", path);
    if (!target)
        return NULL;
    if (n > g && strcmp(path + n - g, groups) == 0 && strcmp(target, "/$2") == 0) {
        snprintf(prefix, size, "%.*s", (int)(n - g), path);
        strip = true;
    }
    if ((!strip && strchr(target, '$')) || strpbrk(prefix, "()[]*+?$^|\\")) {
        warn(c, ingress, "rewrite-target %s with path %s is a regular-expression rewrite that "
             "v1 cannot express: not converted", target, path);
        snprintf(prefix, size, "%s", path);
        return NULL;
    }
    f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "type", "URLRewrite");
    pm = cJSON_AddObjectToObject(cJSON_AddObjectToObject(f, "urlRewrite"), "path");
    cJSON_AddStringToObject(pm, "type", strip ? "ReplacePrefixMatch" : "ReplaceFullPath");
    cJSON_AddStringToObject(pm, strip ? "replacePrefixMatch" : "replaceFullPath",
                            strip ? "/" : target);
    return f;
}

static const char *const handled_annotations[] = {
    "rewrite-target", "ssl-redirect", "force-ssl-redirect", "canary", "canary-weight",
    "canary-weight-total", "canary-by-header", "canary-by-header-value", "enable-cors",
    "cors-allow-origin", "cors-allow-methods", "cors-allow-headers", "cors-expose-headers",
    "cors-allow-credentials", "cors-max-age", "use-regex", NULL,
};

static void
warn_annotations(struct converter *c, const cJSON *ingress)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, get(get(ingress, "metadata"), "annotations")) {
        bool handled = strcmp(a->string, "kubernetes.io/ingress.class") == 0;
        for (const char *const *h = handled_annotations; *h && !handled; h++)
            handled = strncmp(a->string, NGINX, strlen(NGINX)) == 0 &&
                      strcmp(a->string + strlen(NGINX), *h) == 0;
        if (!handled)
            warn(c, ingress, "annotation %s is not converted%s", a->string, NULL);
    }
    if (annotation_true(ingress, "use-regex"))
        warn(c, ingress, "use-regex: paths are converted as prefixes, not regular "
             "expressions%s%s", NULL, NULL);
}

/* The rules of one path of an Ingress: its own, with the backend of its canary by weight, and
 * before it the canary's by header. */
static void
add_path_rules(struct converter *c, const cJSON *ingress, const char *host, const cJSON *p,
               cJSON *rules)
{
    const char *type = str(p, "pathType"), *path = str(p, "path") ? str(p, "path") : "/";
    const cJSON *canary_path = NULL, *canary = canary_of(c, ingress, host, path, &canary_path);
    const char *weight = canary ? annotation(canary, "canary-weight") : NULL;
    const char *total = canary ? annotation(canary, "canary-weight-total") : NULL;
    const char *header = canary ? annotation(canary, "canary-by-header") : NULL;
    char prefix[512];
    cJSON *r = cJSON_CreateObject(), *m = cJSON_CreateObject(), *pm, *filters = cJSON_CreateArray();
    cJSON *rw = rewrite(c, ingress, path, prefix, sizeof(prefix));

    if (type && strcmp(type, "ImplementationSpecific") == 0 && !strcmp(prefix, path))
        warn(c, ingress, "path %s is ImplementationSpecific: converted as a PathPrefix, which "
             "matches whole segments where ingress-nginx matches any string prefix%s", path, NULL);
    pm = cJSON_AddObjectToObject(m, "path");
    cJSON_AddStringToObject(pm, "type", type && strcmp(type, "Exact") == 0 ? "Exact" : "PathPrefix");
    cJSON_AddStringToObject(pm, "value", prefix);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "matches"), m);
    if (rw)
        cJSON_AddItemToArray(filters, rw);
    if (annotation_true(ingress, "enable-cors"))
        add_cors(filters, ingress);
    if (cJSON_GetArraySize(filters))
        cJSON_AddItemToObject(r, "filters", filters);
    else
        cJSON_Delete(filters);
    add_ingress_backend(c, ingress, get(p, "backend"),
                        weight ? (total ? atol(total) : 100) - atol(weight) : -1, r);
    if (weight)
        add_ingress_backend(c, canary, get(canary_path, "backend"), atol(weight), r);
    if (header) {
        /* The header sends a request to the canary: a rule of its own, which the header match
         * puts first. */
        cJSON *hr = cJSON_Duplicate(r, true), *h = cJSON_CreateObject();
        const char *value = annotation(canary, "canary-by-header-value");
        cJSON_AddStringToObject(h, "name", header);
        cJSON_AddStringToObject(h, "value", value ? value : "always");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(cJSON_GetArrayItem(get(hr, "matches"), 0),
                                                    "headers"), h);
        cJSON_DeleteItemFromObject(hr, "backendRefs");
        add_ingress_backend(c, canary, get(canary_path, "backend"), -1, hr);
        cJSON_AddItemToArray(rules, hr);
        if (!value)
            warn(c, canary, "canary-by-header %s without a value: only \"always\" is converted "
                 "(\"never\" needs no rule)", header, NULL);
    }
    if (canary && (annotation(canary, "canary-by-cookie") || (!weight && !header)))
        warn(c, canary, "canary without a weight or header rule: not converted%s%s", NULL, NULL);
    cJSON_AddItemToArray(rules, r);
}

/* ssl-redirect: plain HTTP to a host answers with a redirect to https (ingress-nginx: 308). */
static void
add_redirect_route(struct converter *c, const cJSON *ingress, const char *route_name,
                   cJSON *gateway, const char *host)
{
    char name[320];
    cJSON *rule = cJSON_CreateObject(), *f = cJSON_CreateObject(), *redirect, *route;

    snprintf(name, sizeof(name), "%s-ssl-redirect", route_name);
    route = ingress_route(c, ingress, name, str(get(gateway, "metadata"), "name"),
                          listener_for(gateway, host, false, NULL), host);
    cJSON_AddStringToObject(f, "type", "RequestRedirect");
    redirect = cJSON_AddObjectToObject(f, "requestRedirect");
    cJSON_AddStringToObject(redirect, "scheme", "https");
    cJSON_AddNumberToObject(redirect, "statusCode", 308);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "filters"), f);
    cJSON_AddItemToArray(get(get(route, "spec"), "rules"), rule);
}

/* One HTTPRoute per host of an Ingress (and one for its default backend). */
static void
convert_ingress(struct converter *c, const cJSON *ingress)
{
    const cJSON *spec = get(ingress, "spec"), *rule, *p;
    const char *cls = str(spec, "ingressClassName");
    const char *name = str(get(ingress, "metadata"), "name");
    const char *redirect = annotation(ingress, "ssl-redirect");
    bool force = annotation_true(ingress, "force-ssl-redirect");
    char route_name[300];
    cJSON *gateway, *route;

    if (annotation_true(ingress, "canary"))
        return; /* merged into the Ingress it is the canary of */
    if (!cls)
        cls = str(get(get(ingress, "metadata"), "annotations"), "kubernetes.io/ingress.class");
    if (!cls) {
        cls = "default";
        warn(c, ingress, "names no IngressClass: its Gateway is \"%s\"%s", cls, NULL);
    }
    gateway = gateway_for(c, cls, ns_of(ingress));
    warn_annotations(c, ingress);
    cJSON_ArrayForEach(rule, get(spec, "rules")) {
        const char *host = str(rule, "host"), *secret = tls_secret(ingress, host);
        bool redirects = (secret && (!redirect || strcmp(redirect, "false") != 0)) || force;
        cJSON *rules;

        dns_name(route_name, sizeof(route_name), name, host);
        route = ingress_route(c, ingress, route_name, cls,
                              listener_for(gateway, host, secret != NULL, secret), host);
        if (secret && !redirects) /* plain HTTP is served too */
            add_parent_ref(route, cls, listener_for(gateway, host, false, NULL));
        rules = get(get(route, "spec"), "rules");
        cJSON_ArrayForEach(p, get(get(rule, "http"), "paths"))
            add_path_rules(c, ingress, host, p, rules);
        if (get(spec, "defaultBackend")) {
            /* The host's paths that no rule takes go to the default backend: a last rule
             * that matches every path, which every other rule of the host comes before (a
             * route of no hostname would share the listener's hostname, not come after). */
            cJSON *r = cJSON_CreateObject();
            add_ingress_backend(c, ingress, get(spec, "defaultBackend"), -1, r);
            cJSON_AddItemToArray(rules, r);
        }
        if (redirects)
            add_redirect_route(c, ingress, route_name, gateway, host);
    }
    if (get(spec, "defaultBackend")) {
        /* Requests of the hosts no rule names: a route of every host. */
        cJSON *r = cJSON_CreateObject();
        dns_name(route_name, sizeof(route_name), name, "default-backend");
        route = ingress_route(c, ingress, route_name, cls,
                              listener_for(gateway, NULL, false, NULL), NULL);
        add_ingress_backend(c, ingress, get(spec, "defaultBackend"), -1, r);
        cJSON_AddItemToArray(get(get(route, "spec"), "rules"), r);
    }
}

static void
convert_ingress_class(struct converter *c, const cJSON *doc)
{
    cJSON *o = new_object("GatewayClass", NULL, str(get(doc, "metadata"), "name"), doc, false);
    copy(get(o, "spec"), "controllerName", get(doc, "spec"), "controller");
    warn(c, doc, "the GatewayClass keeps the IngressClass's controller %s: set controllerName "
         "to your Gateway implementation's%s", str(get(doc, "spec"), "controller"), NULL);
    cJSON_AddItemToArray(c->out, o);
}

/* --- the command ------------------------------------------------------------------------- */

/* An empty parentRefs or matches says nothing its absence does not: left out. */
static void
drop_empty_lists(cJSON *v)
{
    cJSON *e = v ? v->child : NULL;
    while (e) {
        cJSON *next = e->next;
        if (cJSON_IsArray(e) && !e->child && e->string &&
            (strcmp(e->string, "parentRefs") == 0 || strcmp(e->string, "matches") == 0))
            cJSON_Delete(cJSON_DetachItemViaPointer(v, e));
        else
            drop_empty_lists(e);
        e = next;
    }
}

static bool
is(const cJSON *doc, const char *api, const char *kind)
{
    return str(doc, "apiVersion") && strcmp(str(doc, "apiVersion"), api) == 0 &&
           str(doc, "kind") && strcmp(str(doc, "kind"), kind) == 0;
}

/* One input file (or standard input), read twice over: by the library, for the binding, and
 * as plain documents, so that kinds the library does not model (Ingress) are read too. */
static int
read_input(void *user, const char *file)
{
    struct converter *c = user;
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    size_t len = 0, cap = 4096, n;
    char *buf = malloc(cap), error[600];
    cJSON *docs, *d;

    if (!f || !buf) {
        free(buf);
        if (f && f != stdin)
            fclose(f);
        return f ? GWAPI_ENOMEM : GWAPI_EIO; /* said by the caller */
    }
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        char *grown;
        len += n;
        if (len < cap)
            continue;
        grown = realloc(buf, cap * 2);
        if (!grown)
            break;
        buf = grown;
        cap *= 2;
    }
    if (f != stdin)
        fclose(f);
    gwapi_config_load_buffer(c->cfg, buf, len, file, NULL, c->diags);
    docs = cli_parse_documents(buf, len, file, error, sizeof(error));
    free(buf);
    if (!docs) {
        fprintf(stderr, "gwapi convert: %s\n", error);
        return GWAPI_EINPUT;
    }
    while ((d = cJSON_DetachItemFromArray(docs, 0)))
        cJSON_AddItemToArray(c->in, d);
    cJSON_Delete(docs);
    return 0;
}

int
cmd_convert(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct converter c = { NULL, NULL, NULL, NULL, NULL, 0 };
    gwapi_ctx *ctx = NULL;
    const cJSON *doc;
    int opt, rc = EXIT_OK, n_paths;
    static char *const stdin_path[] = { "-" };
    char **paths;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("convert"))) != -1) {
        switch (opt) {
        case CLI_OPT_HELP: cli_help(stdout, "convert"); return EXIT_OK;
        default: cli_help(stderr, "convert"); return EXIT_UNUSABLE;
        }
    }
    paths = argv + optind;
    n_paths = argc - optind;
    if (n_paths == 0) {
        if (!cli_has_input(0)) {
            cli_help(stderr, "convert");
            return EXIT_UNUSABLE;
        }
        paths = (char **)stdin_path;
        n_paths = 1;
    }
    if (gwapi_ctx_new(&ctx) || gwapi_config_new(&c.cfg, ctx) || gwapi_diags_new(&c.diags, ctx)) {
        rc = EXIT_UNUSABLE;
        goto out;
    }
    c.in = cJSON_CreateArray();
    c.out = cJSON_CreateArray();
    for (int i = 0; i < n_paths; i++) {
        int err = gwapi_path_walk(paths[i], read_input, &c, NULL);
        if (err == GWAPI_EIO || err == GWAPI_ENOMEM || err == GWAPI_ELIMIT)
            fprintf(stderr, "gwapi convert: cannot read %s: %s\n", paths[i], gwapi_strerror(err));
        if (err)
            rc = EXIT_UNUSABLE;
    }
    if (rc)
        goto out;
    /* Bind as written: objects the API server would refuse are converted too. */
    options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID;
    if (gwapi_resolve(&c.res, c.cfg, &options, NULL)) {
        rc = EXIT_UNUSABLE;
        goto out;
    }
    /* Classes and Gateways first: routes read their listeners. */
    for (int pass = 0; pass < 3; pass++)
        cJSON_ArrayForEach(doc, c.in) {
            if (pass == 0 && is(doc, V1ALPHA1, "GatewayClass"))
                convert_class(&c, doc);
            else if (pass == 0 && is(doc, INGRESS_API, "IngressClass"))
                convert_ingress_class(&c, doc);
            else if (pass == 0 && is(doc, V1ALPHA1, "Gateway"))
                convert_gateway(&c, doc);
            else if (pass == 1 && is(doc, V1ALPHA1, "HTTPRoute"))
                convert_http_route(&c, doc);
            else if (pass == 1 && is(doc, INGRESS_API, "Ingress"))
                convert_ingress(&c, doc);
            else if (pass == 2 && str(doc, "apiVersion") &&
                     strcmp(str(doc, "apiVersion"), V1ALPHA1) == 0 &&
                     !is(doc, V1ALPHA1, "GatewayClass") && !is(doc, V1ALPHA1, "Gateway") &&
                     !is(doc, V1ALPHA1, "HTTPRoute"))
                warn(&c, doc, "%s of v1alpha1 is not converted: left out%s", str(doc, "kind"), NULL);
            else if (pass == 2 && (!str(doc, "apiVersion") ||
                                   (strcmp(str(doc, "apiVersion"), V1ALPHA1) != 0 &&
                                    !is(doc, INGRESS_API, "Ingress") &&
                                    !is(doc, INGRESS_API, "IngressClass"))))
                cJSON_AddItemToArray(c.out, cJSON_Duplicate(doc, true)); /* as it is */
        }
    cJSON_ArrayForEach(doc, c.out) {
        cJSON_DeleteItemFromObject((cJSON *)doc, "x-from-ingress");
        drop_empty_lists((cJSON *)doc);
        if (doc != c.out->child)
            printf("---\n");
        cli_print_yaml(stdout, doc);
    }
    if (c.warnings)
        fprintf(stderr, "gwapi convert: %zu warnings: what they name was not carried over "
                "as it was\n", c.warnings);
out:
    cJSON_Delete(c.in);
    cJSON_Delete(c.out);
    gwapi_resolution_unref(c.res);
    gwapi_diags_free(c.diags);
    gwapi_config_unref(c.cfg);
    gwapi_ctx_unref(ctx);
    return rc;
}
