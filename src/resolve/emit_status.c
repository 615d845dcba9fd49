/* The statuses as a Kubernetes List, each in the API's own shape (a controller would patch
 * exactly this "status" onto the object). Conditions carry no lastTransitionTime: the time is
 * the caller's to add when it writes them. */
#include <string.h>

#include "emit/writer.h"
#include "resolve/resolve.h"

static void
write_str(struct gw_writer *w, const char *key, const char *value)
{
    gw_write_key(w, key);
    gw_write_string(w, value);
}

static void
write_conditions(struct gw_writer *w, const gwapi_condition *const *conds, size_t n)
{
    gw_write_key(w, "conditions");
    gw_write_begin_seq(w);
    for (size_t i = 0; i < n; i++) {
        gw_write_begin_map(w);
        write_str(w, "type", conds[i]->type);
        write_str(w, "status", conds[i]->status);
        write_str(w, "reason", conds[i]->reason);
        write_str(w, "message", conds[i]->message);
        gw_write_key(w, "observedGeneration");
        gw_write_int(w, conds[i]->observed_generation);
        gw_write_end_map(w);
    }
    gw_write_end_seq(w);
}

static void
write_listeners(struct gw_writer *w, const gwapi_status *st, bool v1alpha1)
{
    gw_write_key(w, "listeners");
    gw_write_begin_seq(w);
    for (size_t i = 0; i < st->n_listeners; i++) {
        const gwapi_listener_status *l = st->listeners[i];
        gw_write_begin_map(w);
        if (v1alpha1) {
            gw_write_key(w, "port");
            gw_write_int(w, l->port);
            write_str(w, "protocol", l->protocol);
            if (l->hostname)
                write_str(w, "hostname", l->hostname);
        } else {
            write_str(w, "name", l->name);
            gw_write_key(w, "supportedKinds");
            gw_write_begin_seq(w);
            for (size_t k = 0; k < l->n_supported_kinds; k++) {
                gw_write_begin_map(w);
                write_str(w, "group", l->supported_kinds[k]->group);
                write_str(w, "kind", l->supported_kinds[k]->kind);
                gw_write_end_map(w);
            }
            gw_write_end_seq(w);
            gw_write_key(w, "attachedRoutes");
            gw_write_int(w, l->attached_routes);
        }
        write_conditions(w, l->conditions, l->n_conditions);
        gw_write_end_map(w);
    }
    gw_write_end_seq(w);
}

static bool
concerns(const gwapi_parent_status *p, const gwapi_object *gateway)
{
    return !gateway || p->parent == gateway;
}

static void
write_parents(struct gw_writer *w, const gwapi_status *st, const gwapi_object *gateway,
              const char *list_key, const char *ref_key, bool v1alpha1)
{
    gw_write_key(w, list_key);
    gw_write_begin_seq(w);
    for (size_t i = 0; i < st->n_parents; i++) {
        const gwapi_parent_status *p = st->parents[i];
        if (!concerns(p, gateway))
            continue;
        gw_write_begin_map(w);
        gw_write_key(w, ref_key);
        gw_write_begin_map(w);
        if (!v1alpha1) {
            write_str(w, "group", p->group);
            write_str(w, "kind", p->kind);
        }
        if (p->ns)
            write_str(w, "namespace", p->ns);
        write_str(w, "name", p->name);
        if (p->section_name)
            write_str(w, "sectionName", p->section_name);
        if (p->port) {
            gw_write_key(w, "port");
            gw_write_int(w, p->port);
        }
        gw_write_end_map(w);
        if (!v1alpha1)
            write_str(w, "controllerName", p->controller_name);
        write_conditions(w, p->conditions, p->n_conditions);
        gw_write_end_map(w);
    }
    gw_write_end_seq(w);
}

/* Does this status concern the Gateway (the Gateway itself, its class, its ListenerSets, the
 * routes and policies with an entry for it)? */
static bool
in_scope(const gwapi_status *st, const gwapi_object *gateway)
{
    const gwapi_object *o = st->object;

    if (!gateway || o == gateway)
        return true;
    if (o->kind == GWAPI_KIND_GATEWAY_CLASS) {
        const gwapi_gateway *gw = gwapi_object_gateway(gateway);
        const gwapi_v1alpha1_gateway *old = gwapi_object_v1alpha1_gateway(gateway);
        const char *cls = gw ? gw->spec->gateway_class_name
                             : old && old->spec ? old->spec->gateway_class_name : NULL;
        return cls && strcmp(cls, o->metadata->name) == 0;
    }
    if (o->kind == GWAPI_KIND_LISTENER_SET) {
        const gwapi_parent_ref *p = gwapi_object_listener_set(o)->spec->parent_ref;
        const char *ns = p->namespace_ ? p->namespace_ : o->metadata->namespace_;
        return strcmp(ns, gateway->metadata->namespace_) == 0 &&
               strcmp(p->name, gateway->metadata->name) == 0;
    }
    for (size_t i = 0; i < st->n_parents; i++)
        if (st->parents[i]->parent == gateway)
            return true;
    return false;
}

static void
write_item(struct gw_writer *w, const gwapi_status *st, const gwapi_object *gateway)
{
    const gwapi_object *o = st->object;
    bool v1alpha1 = o->dialect == GWAPI_DIALECT_V1ALPHA1;

    gw_write_begin_map(w);
    write_str(w, "apiVersion", o->api_version);
    write_str(w, "kind", o->kind_name);
    gw_write_key(w, "metadata");
    gw_write_begin_map(w);
    if (o->metadata->namespace_)
        write_str(w, "namespace", o->metadata->namespace_);
    write_str(w, "name", o->metadata->name);
    gw_write_key(w, "generation");
    gw_write_int(w, gw_generation(o));
    gw_write_end_map(w);
    gw_write_key(w, "status");
    gw_write_begin_map(w);
    switch (o->kind) {
    case GWAPI_KIND_GATEWAY_CLASS:
        write_conditions(w, st->conditions, st->n_conditions);
        break;
    case GWAPI_KIND_GATEWAY:
    case GWAPI_KIND_LISTENER_SET:
        write_conditions(w, st->conditions, st->n_conditions);
        write_listeners(w, st, v1alpha1);
        if (o->kind == GWAPI_KIND_GATEWAY && !v1alpha1) {
            gw_write_key(w, "attachedListenerSets");
            gw_write_int(w, st->attached_listener_sets);
        }
        break;
    case GWAPI_KIND_BACKEND_TLS_POLICY:
        write_parents(w, st, gateway, "ancestors", "ancestorRef", false);
        break;
    default:
        if (v1alpha1)
            write_parents(w, st, gateway, "gateways", "gatewayRef", true);
        else
            write_parents(w, st, gateway, "parents", "parentRef", false);
        break;
    }
    gw_write_end_map(w);
    gw_write_end_map(w);
}

static bool
status_text(const gwapi_status *st, gwapi_format format, struct gw_strbuf *sb)
{
    struct gw_writer w;

    sb->len = 0;
    gw_writer_init(&w, sb, format);
    write_item(&w, st, NULL);
    gw_writer_finish(&w);
    return !sb->failed;
}

bool
gw_status_json(const gwapi_status *st, struct gw_strbuf *sb)
{
    return status_text(st, GWAPI_FORMAT_JSON, sb);
}

GWAPI_EXPORT int
gwapi_status_emit(const gwapi_resolution *r, const gwapi_object *obj, gwapi_format format,
                  char **out, size_t *len)
{
    struct gw_strbuf sb = { 0 };
    const gwapi_status *st = gwapi_resolution_status(r, obj);

    if (!r || !obj || !out || (format != GWAPI_FORMAT_JSON && format != GWAPI_FORMAT_YAML))
        return GWAPI_EINVAL;
    *out = NULL;
    if (!st)
        return GWAPI_ENOTFOUND;
    if (!status_text(st, format, &sb) || !sb.data) {
        gw_strbuf_free(&sb);
        return GWAPI_ENOMEM;
    }
    *out = sb.data;
    if (len)
        *len = sb.len;
    return GWAPI_OK;
}

static const gwapi_object *
find_gateway(const gwapi_resolution *r, const char *name)
{
    const char *slash = strchr(name, '/');
    char ns[256];
    size_t len = slash ? (size_t)(slash - name) : 0;
    const gwapi_object *o;

    if (!slash || len >= sizeof(ns))
        return NULL;
    memcpy(ns, name, len);
    ns[len] = '\0';
    o = gwapi_config_find(r->cfg, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1, ns, slash + 1);
    if (!o)
        o = gwapi_config_find(r->cfg, GWAPI_KIND_GATEWAY, GWAPI_DIALECT_V1ALPHA1, ns, slash + 1);
    return o;
}

GWAPI_EXPORT int
gwapi_resolution_emit(const gwapi_resolution *r, const char *gateway, gwapi_format format,
                      char **out, size_t *len)
{
    struct gw_strbuf sb = { 0 };
    struct gw_writer w;
    const gwapi_object *gw = NULL;

    if (!r || !out || (format != GWAPI_FORMAT_JSON && format != GWAPI_FORMAT_YAML))
        return GWAPI_EINVAL;
    *out = NULL;
    if (gateway && !(gw = find_gateway(r, gateway)))
        return GWAPI_ENOTFOUND;
    gw_writer_init(&w, &sb, format);
    gw_write_begin_map(&w);
    write_str(&w, "apiVersion", "v1");
    write_str(&w, "kind", "List");
    gw_write_key(&w, "items");
    gw_write_begin_seq(&w);
    for (size_t i = 0; i < r->n_statuses; i++)
        if (in_scope(r->statuses[i], gw))
            write_item(&w, r->statuses[i], gw);
    gw_write_end_seq(&w);
    gw_write_end_map(&w);
    gw_writer_finish(&w);
    if (sb.failed || !sb.data) {
        gw_strbuf_free(&sb);
        return GWAPI_ENOMEM;
    }
    *out = sb.data;
    if (len)
        *len = sb.len;
    return GWAPI_OK;
}
