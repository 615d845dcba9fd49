/* BackendTLSPolicy: its target Services, its CA certificate references,
 * conflicts between policies on one target (oldest wins), and one ancestor entry per Gateway
 * whose attached routes send traffic to a target. */
#include <string.h>

#include "config/config.h"
#include "resolve/resolve.h"

static bool
eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool
older(const gwapi_object *a, const gwapi_object *b)
{
    return gw_object_age_cmp(a, b) < 0;
}

/* Does any backendRef of the route name Service ns/name? */
static bool
route_uses_service(const gwapi_object *route, const char *ns, const char *name)
{
    const gwapi_backend_ref *const *refs;
    size_t n;

#define USES(list, count)                                                                        \
    for (size_t k = 0; k < (count); k++)                                                         \
        if (eq((list)[k]->kind, "Service") && eq((list)[k]->group, "") &&                        \
            eq((list)[k]->namespace_ ? (list)[k]->namespace_ : route->metadata->namespace_, ns) &&\
            eq((list)[k]->name, name))                                                           \
            return true;

    if (gwapi_object_http_route(route)) {
        const gwapi_http_route_spec *s = gwapi_object_http_route(route)->spec;
        for (size_t i = 0; i < s->n_rules; i++) {
            refs = s->rules[i]->backend_refs, n = s->rules[i]->n_backend_refs;
            USES(refs, n)
        }
    } else if (gwapi_object_grpc_route(route)) {
        const gwapi_grpc_route_spec *s = gwapi_object_grpc_route(route)->spec;
        for (size_t i = 0; i < s->n_rules; i++) {
            refs = s->rules[i]->backend_refs, n = s->rules[i]->n_backend_refs;
            USES(refs, n)
        }
    } else if (gwapi_object_tls_route(route)) {
        const gwapi_tls_route_spec *s = gwapi_object_tls_route(route)->spec;
        for (size_t i = 0; i < s->n_rules; i++) {
            refs = s->rules[i]->backend_refs, n = s->rules[i]->n_backend_refs;
            USES(refs, n)
        }
    }
#undef USES
    return false;
}

static const char *
check_ca_refs(gwapi_resolution *r, const gwapi_object *o, const gwapi_backend_tls_validation *v,
              char **why)
{
    for (size_t i = 0; v && i < v->n_ca_certificate_refs; i++) {
        const gwapi_object_ref *ref = v->ca_certificate_refs[i];
        const gwapi_object *cm;
        const gwapi_config_map *map;
        bool has_ca = false;
        if (!eq(ref->group, "") || !eq(ref->kind, "ConfigMap")) {
            *why = gw_res_printf(r, "caCertificateRef %s %s: only ConfigMaps are supported",
                                 ref->kind, ref->name);
            return "InvalidKind";
        }
        cm = gwapi_config_find(r->cfg, GWAPI_KIND_CONFIG_MAP, GWAPI_DIALECT_V1,
                               o->metadata->namespace_, ref->name);
        map = gwapi_object_config_map(cm);
        for (size_t k = 0; map && k < map->n_data; k++)
            has_ca |= strcmp(map->data[k], "ca.crt") == 0 &&
                      strcmp(map->data_content[k], "PEM CERTIFICATE") == 0;
        if (r->have_config_maps && !has_ca) {
            *why = gw_res_printf(r, "caCertificateRef: ConfigMap %s/%s %s", o->metadata->namespace_,
                                 ref->name, map ? "has no PEM certificate in ca.crt"
                                                : "does not exist");
            return "InvalidCACertificateRef";
        }
    }
    return NULL;
}

void
gw_resolve_policies(gwapi_resolution *r)
{
    size_t n = gwapi_config_count(r->cfg);

    for (size_t i = 0; i < n && !r->out_of_memory; i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);
        const char *accepted = NULL, *refs;
        char *accepted_why = NULL, *refs_why = NULL;
        const gwapi_parent_status **ancestors;
        size_t n_ancestors = 0;
        gwapi_status *st;
        int64_t gen;

        if (!p)
            continue;
        gen = gw_generation(o);
        refs = check_ca_refs(r, o, p->spec->validation, &refs_why);
        for (size_t t = 0; t < p->spec->n_target_refs && !accepted; t++) {
            const gwapi_policy_target_ref *target = p->spec->target_refs[t];
            if (!eq(target->group, "") || !eq(target->kind, "Service")) {
                accepted = "Invalid";
                accepted_why = gw_res_printf(r, "targetRef %s %s: only Services can be targeted",
                                             target->kind, target->name);
            } else if (r->have_services &&
                       !gwapi_config_find(r->cfg, GWAPI_KIND_SERVICE, GWAPI_DIALECT_V1,
                                          o->metadata->namespace_, target->name)) {
                accepted = "TargetNotFound";
                accepted_why = gw_res_printf(r, "Service %s/%s does not exist",
                                             o->metadata->namespace_, target->name);
            }
            /* Conflicts: an older policy on the same target and section wins. */
            for (size_t j = 0; j < n && !accepted; j++) {
                const gwapi_object *other = gwapi_config_get(r->cfg, j);
                const gwapi_backend_tls_policy *q = gwapi_object_backend_tls_policy(other);
                if (!q || other == o || !eq(other->metadata->namespace_, o->metadata->namespace_) ||
                    !older(other, o))
                    continue;
                for (size_t u = 0; u < q->spec->n_target_refs; u++) {
                    const gwapi_policy_target_ref *ot = q->spec->target_refs[u];
                    if (eq(ot->group, target->group) && eq(ot->kind, target->kind) &&
                        eq(ot->name, target->name) && eq(ot->section_name, target->section_name)) {
                        accepted = "Conflicted";
                        accepted_why = gw_res_printf(r, "BackendTLSPolicy %s/%s, older, already "
                                                     "targets Service %s", other->metadata->namespace_,
                                                     other->metadata->name, target->name);
                        break;
                    }
                }
            }
        }
        if (!accepted && refs) {
            accepted = "NoValidCACertificate";
            accepted_why = refs_why;
        }

        /* Ancestors: every Gateway with an accepted route to a target Service. */
        ancestors = gw_res_alloc(r, (r->n_gateways + 1) * sizeof(*ancestors));
        for (size_t g = 0; ancestors && g < r->n_gateways; g++) {
            struct gw_gateway *gw = r->gateways[g];
            bool uses = false;
            if (gw->is_listener_set || !gw->managed)
                continue;
            for (size_t l = 0; l < gw->n_merged && !uses; l++)
                for (struct gw_attachment *a = gw->merged[l]->attachments; a && !uses; a = a->next)
                    for (size_t t = 0; t < p->spec->n_target_refs && !uses; t++)
                        uses = route_uses_service(a->route, o->metadata->namespace_,
                                                  p->spec->target_refs[t]->name);
            if (uses) {
                gwapi_parent_status *ps = gw_res_alloc(r, sizeof(*ps));
                struct gw_conditions c = { { 0 }, 0 };
                if (!ps)
                    break;
                ps->group = gw_group;
                ps->kind = "Gateway";
                ps->ns = gw->obj->metadata->namespace_;
                ps->name = gw->obj->metadata->name;
                ps->controller_name = gw->controller;
                ps->parent = gw->obj;
                gw_cond_set(r, &c, "Accepted", accepted ? "False" : "True",
                            accepted ? accepted : "Accepted", gen,
                            accepted ? accepted_why : "policy accepted");
                gw_cond_set(r, &c, "ResolvedRefs", refs ? "False" : "True",
                            refs ? refs : "ResolvedRefs", gen,
                            refs ? refs_why : "all references resolved");
                gw_cond_publish(r, &c, &ps->conditions, &ps->n_conditions);
                ancestors[n_ancestors++] = ps;
            }
        }
        st = gw_status_new(r, o);
        if (st) {
            st->parents = ancestors;
            st->n_parents = n_ancestors;
        }
        if ((accepted && strcmp(accepted, "Conflicted") != 0) || refs) {
            const gwapi_object **grown = gw_res_alloc(r, (r->n_broken_policies + 1) * sizeof(*grown));
            if (!grown)
                return;
            if (r->n_broken_policies)
                memcpy(grown, r->broken_policies, r->n_broken_policies * sizeof(*grown));
            grown[r->n_broken_policies++] = o;
            r->broken_policies = grown;
        }
    }
}

bool
gw_backend_tls_broken(const gwapi_resolution *r, const char *ns, const char *name)
{
    for (size_t i = 0; i < r->n_broken_policies; i++) {
        const gwapi_object *o = r->broken_policies[i];
        const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(o);
        if (!eq(o->metadata->namespace_, ns))
            continue;
        for (size_t t = 0; t < p->spec->n_target_refs; t++)
            if (eq(p->spec->target_refs[t]->name, name) && eq(p->spec->target_refs[t]->kind, "Service"))
                return true;
    }
    return false;
}
