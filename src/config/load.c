/* Loading: parse the input, recognise objects, Lists and watch events, decode each object into
 * its own arena, and add it to the configuration. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "model/schema.h"
#include "gatewayapi/validate.h"
#include "model/content.h"
#include "model/decode.h"
#include "parse/node.h"
#include "util/context.h"
#include "util/diag.h"

struct loader {
    gwapi_config *cfg;
    struct gw_segment *segment; /* where this load's objects live */
    struct gw_interner strings; /* their short strings, shared */
    gwapi_diags *diags;
    const char *source;
    bool strict;
    bool validate;
    bool replace;                 /* GWAPI_LOAD_REPLACE */
    bool updates;                 /* a plain object is an update of it, as a watch event */
    const struct gw_node *object; /* the object being read: its diagnostics name its line */
    bool errors;
    bool limit_reached;
    bool out_of_memory;
};

static void
loader_report(struct loader *l, gwapi_severity severity, const char *code,
              const struct gw_node *at, const struct gw_site *identity, const char *fmt,
              const char *a, const char *b)
{
    struct gw_site site = { 0 };

    if (identity)
        site = *identity;
    site.source = l->source;
    if (l->object)
        site.object_line = l->object->line;
    if (at) {
        site.line = at->line;
        site.column = at->column;
    }
    if (severity == GWAPI_SEVERITY_ERROR)
        l->errors = true;
    if (gw_report(l->diags, severity, code, &site, fmt, a ? a : "", b ? b : ""))
        l->out_of_memory = true;
}

static const char *
text_of(const struct gw_node *n)
{
    return n && n->type == GW_NODE_STRING ? n->text : NULL;
}

/* Find the root of (apiVersion, kind), reporting why there is none. */
static const struct gw_root *
find_root(struct loader *l, const struct gw_node *obj, const char *api_version, const char *kind)
{
    char group[256];
    const char *slash = strchr(api_version, '/');
    const char *version = slash ? slash + 1 : api_version;
    size_t glen = slash ? (size_t)(slash - api_version) : 0;
    const struct gw_root *root;

    if (glen >= sizeof(group))
        glen = sizeof(group) - 1;
    memcpy(group, api_version, glen);
    group[glen] = '\0';
    root = gw_root_find(group, version, kind);
    if (root)
        return root;
    /* Versions the CRDs still list but no longer serve (TCPRoute v1alpha2, ...): manifests and
     * conformance suites still use them, and their schemas are v1's but for looser limits. */
    root = gw_root_find_legacy(group, version, kind);
    if (root) {
        loader_report(l, GWAPI_SEVERITY_WARNING, GW_CODE_LEGACY_VERSION, obj, NULL,
                      "apiVersion %s of %s is no longer served; read as the served version",
                      api_version, kind);
        return root;
    }
    for (size_t i = 0; i < gw_root_count; i++) {
        if (strcmp(gw_roots[i].group, group) == 0 && strcmp(gw_roots[i].kind_name, kind) == 0) {
            loader_report(l, GWAPI_SEVERITY_WARNING, GW_CODE_UNKNOWN_KIND, obj, NULL,
                          "skipped: apiVersion %s is not a served version of %s", api_version,
                          kind);
            return NULL;
        }
    }
    loader_report(l, GWAPI_SEVERITY_WARNING, GW_CODE_UNKNOWN_KIND, obj, NULL,
                  "skipped: %s (%s) is not a kind the library models", kind, api_version);
    return NULL;
}

/* The root of an object's apiVersion and kind (a typed List's when the item names none);
 * NULL, said why, when it has none. */
static const struct gw_root *
root_of(struct loader *l, const struct gw_node *obj, const char *default_version,
        const char *default_kind, const char **api_version)
{
    const char *kind = text_of(gw_node_get(obj, "kind"));

    *api_version = text_of(gw_node_get(obj, "apiVersion"));
    if (!*api_version)
        *api_version = default_version;
    if (!kind)
        kind = default_kind;
    if (!*api_version || !kind) {
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_NOT_OBJECT, obj, NULL,
                      "not a Kubernetes object: %s%s", !*api_version && !kind
                          ? "apiVersion and kind are missing"
                          : !*api_version ? "apiVersion is missing" : "kind is missing", NULL);
        return NULL;
    }
    return find_root(l, obj, *api_version, kind);
}

/* A decoder for one object, its diagnostics naming the object even before its metadata is
 * read. */
static void
init_decoder(struct loader *l, struct gw_decoder *d, const struct gw_node *obj,
             const struct gw_root *root, const struct gw_node *meta_node)
{
    memset(d, 0, sizeof(*d));
    d->diags = l->diags;
    d->strict = l->strict;
    d->arena = &l->segment->arena;
    d->strings = &l->strings;
    d->site.source = l->source;
    d->site.line = obj->line;
    d->site.column = obj->column;
    d->site.object_line = obj->line;
    d->site.kind = root->kind_name;
    d->site.name = text_of(gw_node_get(meta_node, "name"));
    d->site.ns = root->namespaced ? text_of(gw_node_get(meta_node, "namespace")) : NULL;
    if (root->namespaced && !d->site.ns)
        d->site.ns = "default";
}

/* The metadata, with its namespace defaulted (or dropped for a cluster-scoped kind); NULL,
 * reported, when it is not a map or has no name. */
static gwapi_object_meta *
decode_metadata(struct gw_decoder *d, const struct gw_root *root, const struct gw_node *obj,
                const struct gw_node *meta_node)
{
    gwapi_object_meta *meta;

    gw_path_push_field(&d->path, "metadata");
    if (meta_node && meta_node->type != GW_NODE_MAP) {
        gw_decode_report(d, GWAPI_SEVERITY_ERROR, GW_CODE_TYPE, meta_node,
                         "Invalid value: \"%s\": metadata in body must be of type object: \"%s\"",
                         gw_node_type_name(meta_node), gw_node_type_name(meta_node));
        return NULL;
    }
    meta = gw_decode_object(d, gw_object_meta_type, meta_node);
    gw_path_pop(&d->path, 0);
    if (!meta)
        return NULL;
    if (!meta->name || !*meta->name) {
        gw_path_push_field(&d->path, "metadata.name");
        gw_decode_report(d, GWAPI_SEVERITY_ERROR, GW_CODE_REQUIRED, meta_node ? meta_node : obj,
                         "Required value: name or generateName is required%s",
                         gw_node_get(meta_node, "generateName")
                             ? " (a generated name is only known to the API server)" : "");
        return NULL;
    }
    if (root->namespaced && !meta->namespace_) {
        struct gw_info *info = (struct gw_info *)gw_info_of(meta);
        meta->namespace_ = "default";
        info->defaulted |= UINT32_C(1) << gw_field_index(gw_object_meta_type, "namespace");
    } else if (!root->namespaced) {
        meta->namespace_ = NULL; /* cluster-scoped: the API server ignores a namespace */
    }
    return meta;
}

/* Decode apiVersion/kind/metadata/body of one object. Returns NULL when it is unusable (and
 * says why). default_version and default_kind come from a typed List. */
/* A Secret's value of key, from stringData (which wins, as the API server merges it) or data
 * (base64); false when there is none or it does not decode. */
static bool
secret_value(struct loader *l, const struct gw_node *obj, const char *key, const char **out,
             size_t *len)
{
    const struct gw_node *plain = gw_node_get(gw_node_get(obj, "stringData"), key);
    const struct gw_node *encoded = gw_node_get(gw_node_get(obj, "data"), key);
    const struct gw_node *v = plain && plain->type == GW_NODE_STRING ? plain : encoded;

    if (!v || v->type != GW_NODE_STRING || !v->len)
        return false;
    return gw_content_bytes(&l->segment->arena, v->text, v->len, v == encoded, out, len);
}

/* A ConfigMap's CA bundle (data, as text). */
static void
keep_ca_bundle(struct loader *l, struct gw_object_rec *rec, const struct gw_node *obj)
{
    const struct gw_node *v = gw_node_get(gw_node_get(obj, "data"), "ca.crt");

    if (v && v->type == GW_NODE_STRING && v->len &&
        !gw_content_bytes(&l->segment->arena, v->text, v->len, false, &rec->ca_crt,
                          &rec->ca_crt_len))
        rec->ca_crt = NULL;
}

static void
keep_tls_keypair(struct loader *l, struct gw_object_rec *rec, const struct gw_node *obj)
{
    if (!secret_value(l, obj, "tls.crt", &rec->tls_crt, &rec->tls_crt_len) ||
        !secret_value(l, obj, "tls.key", &rec->tls_key, &rec->tls_key_len)) {
        rec->tls_crt = rec->tls_key = NULL;
        rec->tls_crt_len = rec->tls_key_len = 0;
    }
}

static struct gw_object_rec *
decode_object(struct loader *l, const struct gw_node *obj, const char *default_version,
              const char *default_kind)
{
    const struct gw_node *meta_node = gw_node_get(obj, "metadata");
    const char *api_version;
    const struct gw_root *root = root_of(l, obj, default_version, default_kind, &api_version);
    struct gw_object_rec *rec;
    struct gw_decoder d;
    gwapi_object_meta *meta;

    if (!root)
        return NULL;
    rec = gw_arena_alloc(&l->segment->arena, sizeof(*rec), _Alignof(struct gw_object_rec));
    if (!rec) {
        l->out_of_memory = true;
        return NULL;
    }
    rec->segment = l->segment;
    gw_ref_inc(&l->segment->refs);
    init_decoder(l, &d, obj, root, meta_node);
    meta = decode_metadata(&d, root, obj, meta_node);
    if (!meta)
        goto unusable;
    d.site.ns = meta->namespace_;
    d.site.name = meta->name;
    d.envelope = obj;
    rec->pub.body = gw_decode_object(&d, root->type, obj);
    if (!rec->pub.body)
        goto unusable;
    rec->pub.kind = root->kind;
    rec->pub.dialect = root->dialect;
    rec->pub.api_version = gw_arena_strndup(d.arena, api_version, strlen(api_version));
    rec->pub.kind_name = root->kind_name;
    rec->pub.metadata = meta;
    rec->pub.source = l->source;
    rec->pub.line = obj->line;
    rec->pub.column = obj->column;
    rec->read_error = d.first_error;
    if (d.errors)
        l->errors = true;
    if (root->kind == GWAPI_KIND_SECRET)
        keep_tls_keypair(l, rec, obj);
    else if (root->kind == GWAPI_KIND_CONFIG_MAP)
        keep_ca_bundle(l, rec, obj);
    if (d.out_of_memory || !rec->pub.api_version)
        goto unusable;
    return rec;

unusable:
    if (d.errors)
        l->errors = true;
    if (d.out_of_memory)
        l->out_of_memory = true;
    /* What the object used stays in the arena until the segment goes: bounded by the input. */
    gw_object_rec_free(l->cfg->ctx, rec);
    return NULL;
}

/* A resourceVersion as a number: the API server's are etcd revisions. 0 when it is absent or
 * not a plain number (then versions are not compared). */
static uint64_t
revision_of(const gwapi_object *o)
{
    const char *rv = o->metadata->resource_version;
    uint64_t n = 0;

    if (!rv || !*rv || strlen(rv) > 19)
        return 0;
    for (; *rv; rv++) {
        if (*rv < '0' || *rv > '9')
            return 0;
        n = n * 10 + (uint64_t)(*rv - '0');
    }
    return n;
}

/* An event older than the version held: the watch may replay, never go back. */
static bool
stale(const gwapi_object *o, const gwapi_object *held)
{
    uint64_t now = revision_of(o), before = revision_of(held);
    return now && before && now < before;
}

static bool
valid(const struct gw_object_rec *rec)
{
    if (rec->read_error)
        return false;
    if (gw_object_rec_known_valid(rec))
        return true;
    if (gwapi_object_validate(&rec->pub, NULL) != GWAPI_OK)
        return false;
    gw_object_rec_mark_valid(rec);
    return true;
}

/* Keep the version held rather than rec, saying why; the caller drops rec. */
static void
keep_held(struct loader *l, const struct gw_node *obj, struct gw_object_rec *held,
          const struct gw_object_rec *rec, const char *code, const char *why)
{
    struct gw_site who = { 0 };
    who.kind = rec->pub.kind_name;
    who.ns = rec->pub.metadata->namespace_;
    who.name = rec->pub.metadata->name;
    loader_report(l, GWAPI_SEVERITY_WARNING, code, obj, &who, "%s%s", why,
                  held->pub.metadata->resource_version
                      ? gw_arena_printf(&l->segment->arena, " (resourceVersion %s stays)",
                                        held->pub.metadata->resource_version)
                      : "; the version held stays");
    held->seen = l->cfg->loads;
}

static void
store_object(struct loader *l, const struct gw_node *obj, const char *default_version,
             const char *default_kind, bool from_watch)
{
    struct gw_object_rec *rec;
    const gwapi_object *o;
    struct gw_object_rec *old;
    bool replaced;

    if (l->limit_reached)
        return;
    rec = decode_object(l, obj, default_version, default_kind);
    if (!rec)
        return;
    o = &rec->pub;
    rec->seen = l->cfg->loads;
    old = gw_config_lookup(l->cfg, o->kind, o->dialect, o->metadata->namespace_, o->metadata->name,
                           NULL);
    if (old && from_watch && stale(o, &old->pub)) {
        keep_held(l, obj, old, rec, GW_CODE_STALE_EVENT,
                  gw_arena_printf(&l->segment->arena, "event of resourceVersion %s, older than "
                                  "the object held: ignored", o->metadata->resource_version));
        gw_object_rec_free(l->cfg->ctx, rec);
        return;
    }
    if (!old && l->cfg->count - l->cfg->holes >= l->cfg->ctx->limits.max_objects) {
        char limit[32];
        snprintf(limit, sizeof(limit), "%zu", l->cfg->ctx->limits.max_objects);
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_LIMIT, obj, NULL,
                      "more than %s objects; the rest of the input is skipped (limit %s)", limit,
                      "max_objects");
        l->limit_reached = true;
        gw_object_rec_free(l->cfg->ctx, rec);
        return;
    }
    if (old && !from_watch) {
        struct gw_site who = { 0 };
        char where[512];
        who.kind = o->kind_name;
        who.ns = o->metadata->namespace_;
        who.name = o->metadata->name;
        if (old->pub.source && (!l->source || strcmp(old->pub.source, l->source) != 0))
            snprintf(where, sizeof(where), "%s:%u", old->pub.source, old->pub.line);
        else
            snprintf(where, sizeof(where), "line %u", old->pub.line);
        loader_report(l, GWAPI_SEVERITY_WARNING, GW_CODE_DUPLICATE_OBJECT, obj, &who,
                      "defined again; this definition replaces the one at %s%s", where, NULL);
    }
    if (old && gw_field_state(o->metadata, "generation") == GWAPI_FIELD_ABSENT) {
        /* As the API server does: a new generation when the desired state changed. */
        gwapi_object_meta *meta = (gwapi_object_meta *)o->metadata;
        struct gw_info *info = (struct gw_info *)gw_info_of(meta);
        int64_t previous = old->pub.metadata->generation > 0 ? old->pub.metadata->generation : 1;
        meta->generation = previous + (gw_body_equal(o, &old->pub) ? 0 : 1);
        info->defaulted |= UINT32_C(1) << gw_field_index(gw_object_meta_type, "generation");
    }
    /* An update from a watch is always validated: the API server would refuse an invalid
     * one, so the version held stays in force. */
    if (l->validate || (old && from_watch)) {
        int err = old ? gwapi_object_validate_update(o, &old->pub, l->diags)
                      : gwapi_object_validate(o, l->diags);
        if (err == GWAPI_ENOMEM)
            l->out_of_memory = true;
        else if (err)
            l->errors = true;
        if (old && (err == GWAPI_EINPUT || rec->read_error) && valid(old)) {
            keep_held(l, obj, old, rec, GW_CODE_REFUSED_UPDATE,
                      "update refused: it fails validation, as the API server would refuse it");
            gw_object_rec_free(l->cfg->ctx, rec);
            return;
        }
    }
    if (gw_config_put(l->cfg, rec, &replaced)) {
        l->out_of_memory = true;
        gw_object_rec_free(l->cfg->ctx, rec);
    }
}

static void
add_object(struct loader *l, const struct gw_node *obj, const char *default_version,
           const char *default_kind, bool from_watch)
{
    l->object = obj;
    store_object(l, obj, default_version, default_kind, from_watch);
    l->object = NULL;
}

static void
delete_object(struct loader *l, const struct gw_node *obj)
{
    const char *api_version = text_of(gw_node_get(obj, "apiVersion"));
    const char *kind = text_of(gw_node_get(obj, "kind"));
    const struct gw_node *meta = gw_node_get(obj, "metadata");
    const char *name = text_of(gw_node_get(meta, "name"));
    const char *ns = text_of(gw_node_get(meta, "namespace"));
    const struct gw_root *root;

    if (!api_version || !kind || !name) {
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_WATCH_EVENT, obj, NULL,
                      "DELETED event without apiVersion, kind or metadata.name%s%s", NULL, NULL);
        return;
    }
    root = find_root(l, obj, api_version, kind);
    if (!root)
        return;
    if (root->namespaced && !ns)
        ns = "default";
    /* The hole is closed once, when the load ends. */
    gw_config_unlink(l->cfg, root->kind, root->dialect, root->namespaced ? ns : NULL, name);
}

static void
watch_event(struct loader *l, const struct gw_node *event)
{
    const char *type = text_of(gw_node_get(event, "type"));
    const struct gw_node *obj = gw_node_get(event, "object");

    if (!type || !obj || obj->type != GW_NODE_MAP) {
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_WATCH_EVENT, event, NULL,
                      "watch event needs a string \"type\" and an object \"object\"%s%s", NULL,
                      NULL);
    } else if (strcmp(type, "ADDED") == 0 || strcmp(type, "MODIFIED") == 0) {
        add_object(l, obj, NULL, NULL, true);
    } else if (strcmp(type, "DELETED") == 0) {
        delete_object(l, obj);
    } else if (strcmp(type, "BOOKMARK") == 0) {
        /* Only a resourceVersion marker: nothing to load. */
    } else if (strcmp(type, "ERROR") == 0) {
        const char *message = text_of(gw_node_get(obj, "message"));
        const struct gw_node *code = gw_node_get(obj, "code");
        if (code && code->type == GW_NODE_INT && code->integer == 410)
            loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_RELIST, event, NULL,
                          "the watch expired (410 Gone: %s): list again, and load the List with "
                          "GWAPI_LOAD_REPLACE%s", message ? message : "no message", NULL);
        else
            loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_WATCH_EVENT, event, NULL,
                          "the watch reported an error: %s%s", message ? message : "(no message)",
                          NULL);
    } else {
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_WATCH_EVENT, event, NULL,
                      "unknown watch event type \"%s\"%s", type, NULL);
    }
}

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void
load_list(struct loader *l, const struct gw_node *list, const char *kind)
{
    const struct gw_node *items = gw_node_get(list, "items");
    const char *api_version = text_of(gw_node_get(list, "apiVersion"));
    char item_kind[128] = "";

    if (!items || items->type == GW_NODE_NULL)
        return;
    if (items->type != GW_NODE_SEQ) {
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_TYPE, items, NULL,
                      "items: Invalid value: \"%s\": must be of type array%s",
                      gw_node_type_name(items), NULL);
        return;
    }
    /* A typed list (HTTPRouteList) says what its items are; a plain List does not. */
    if (strcmp(kind, "List") != 0 && strlen(kind) - 4 < sizeof(item_kind)) {
        memcpy(item_kind, kind, strlen(kind) - 4);
        item_kind[strlen(kind) - 4] = '\0';
    }
    for (const struct gw_node *item = items->first; item && !l->out_of_memory; item = item->next) {
        if (item->type != GW_NODE_MAP) {
            loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_NOT_OBJECT, item, NULL,
                          "List item is %s, not an object%s", gw_node_type_name(item), NULL);
            continue;
        }
        add_object(l, item, item_kind[0] ? api_version : NULL, item_kind[0] ? item_kind : NULL,
                   false);
    }
}

static void
on_document(void *user, const struct gw_node *root)
{
    struct loader *l = user;
    const char *kind;

    if (!root || root->type == GW_NODE_NULL || l->out_of_memory)
        return; /* an empty document */
    if (root->type != GW_NODE_MAP) {
        loader_report(l, GWAPI_SEVERITY_ERROR, GW_CODE_NOT_OBJECT, root, NULL,
                      "document is %s, not a Kubernetes object%s", gw_node_type_name(root), NULL);
        return;
    }
    kind = text_of(gw_node_get(root, "kind"));
    /* A watch event has a type and an object, and no apiVersion or kind of its own. */
    if (!kind && !gw_node_get(root, "apiVersion") && gw_node_get(root, "type")) {
        watch_event(l, root);
    } else if (kind && ends_with(kind, "List") && gw_node_get(root, "items")) {
        load_list(l, root, kind);
    } else {
        add_object(l, root, NULL, NULL, l->updates);
    }
}

static int
load_options(const gwapi_load_options *options, struct loader *l)
{
    if (!options)
        return GWAPI_OK;
    if (options->size < sizeof(size_t) + sizeof(unsigned))
        return GWAPI_EINVAL;
    l->strict = (options->flags & GWAPI_LOAD_STRICT) != 0;
    l->validate = (options->flags & GWAPI_LOAD_VALIDATE) != 0;
    l->replace = (options->flags & GWAPI_LOAD_REPLACE) != 0;
    return GWAPI_OK;
}

/* GWAPI_LOAD_REPLACE: the input was the whole state, so what it did not hold is gone. Not
 * when the input was cut short (a syntax error, a limit), which would remove what it held. */
static void
replace_unseen(struct loader *l, bool parse_failed)
{
    gwapi_config *cfg = l->cfg;

    if (parse_failed || l->limit_reached || l->out_of_memory) {
        loader_report(l, GWAPI_SEVERITY_WARNING, GW_CODE_LIMIT, NULL, NULL,
                      "the input was not read whole: nothing is removed%s%s", NULL, NULL);
        return;
    }
    for (size_t i = 0; i < cfg->count; i++) {
        const gwapi_object *o = cfg->objects[i].rec ? &cfg->objects[i].rec->pub : NULL;
        if (o && cfg->objects[i].rec->seen != cfg->loads)
            gw_config_unlink(cfg, o->kind, o->dialect, o->metadata->namespace_, o->metadata->name);
    }
}

int
gw_config_load(gwapi_config *cfg, const char *data, size_t len, const char *source_name,
               const gwapi_load_options *options, bool updates, gwapi_diags *diags)
{
    struct loader l = { 0 };
    struct gw_parser p;
    size_t errors_before = gwapi_diags_error_count(diags);

    if (!cfg || (!data && len))
        return GWAPI_EINVAL;
    if (load_options(options, &l))
        return GWAPI_EINVAL;
    l.updates = updates;
    if (len > cfg->ctx->limits.max_input_bytes) {
        struct gw_site site = { 0 };
        site.source = source_name;
        gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_LIMIT, &site,
                  "input of %zu bytes is larger than %zu (limit max_input_bytes)", len,
                  cfg->ctx->limits.max_input_bytes);
        return GWAPI_ELIMIT;
    }
    l.cfg = cfg;
    l.diags = diags;
    l.segment = gw_segment_new(cfg->ctx, ++cfg->loads);
    if (!l.segment)
        return GWAPI_ENOMEM;
    /* The source name is kept once per load, for every object's "source". */
    l.source = source_name ? gw_arena_strndup(&l.segment->arena, source_name, strlen(source_name))
                           : NULL;
    if (source_name && !l.source) {
        gw_segment_unref(l.segment);
        return GWAPI_ENOMEM;
    }
    gw_interner_init(&l.strings, &l.segment->arena);
    gw_parser_init(&p, cfg->ctx, diags, l.source, on_document, &l);
    gw_parse_input(&p, data ? data : "", len);
    gw_parser_release(&p);
    if (l.replace)
        replace_unseen(&l, p.failed);
    gw_segment_unref(l.segment); /* the load's own reference */
    if (gw_config_compact(cfg))
        l.out_of_memory = true;
    if (p.out_of_memory || l.out_of_memory)
        return GWAPI_ENOMEM;
    if (l.limit_reached)
        return GWAPI_ELIMIT;
    if (p.failed || l.errors || gwapi_diags_error_count(diags) > errors_before)
        return GWAPI_EINPUT;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_config_load_buffer(gwapi_config *cfg, const char *data, size_t len, const char *source_name,
                         const gwapi_load_options *options, gwapi_diags *diags)
{
    return gw_config_load(cfg, data, len, source_name, options, false, diags);
}

/* Read all of fd; the limit keeps a runaway input from taking all memory. */
static int
read_all(const gwapi_ctx *ctx, int fd, size_t limit, char **out, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = gw_alloc(ctx, cap);

    if (!buf)
        return GWAPI_ENOMEM;
    for (;;) {
        ssize_t r;
        if (n == cap) {
            /* Never more than limit + 1 bytes: one past the limit tells that it was passed. */
            size_t grow = cap > limit / 2 ? limit + 1 : cap * 2;
            char *grown;
            if (cap > limit) {
                gw_free(ctx, buf);
                return GWAPI_ELIMIT;
            }
            grown = gw_realloc(ctx, buf, grow);
            if (!grown) {
                gw_free(ctx, buf);
                return GWAPI_ENOMEM;
            }
            buf = grown;
            cap = grow;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            gw_free(ctx, buf);
            return GWAPI_EIO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *out = buf;
    *len = n;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_config_load_fd(gwapi_config *cfg, int fd, const char *source_name,
                     const gwapi_load_options *options, gwapi_diags *diags)
{
    struct gw_site site = { 0 };
    char *data = NULL;
    size_t len = 0;
    size_t limit;
    int err;

    if (!cfg || fd < 0)
        return GWAPI_EINVAL;
    limit = cfg->ctx->limits.max_input_bytes;
    err = read_all(cfg->ctx, fd, limit, &data, &len);
    site.source = source_name;
    if (err == GWAPI_EIO)
        gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_IO, &site, "cannot read: %s",
                  strerror(errno));
    else if (err == GWAPI_ELIMIT)
        gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_LIMIT, &site,
                  "input larger than %zu bytes (limit max_input_bytes)", limit);
    if (err)
        return err;
    err = gwapi_config_load_buffer(cfg, data, len, source_name, options, diags);
    gw_free(cfg->ctx, data);
    return err;
}

GWAPI_EXPORT int
gwapi_config_load_file(gwapi_config *cfg, const char *path, const gwapi_load_options *options,
                       gwapi_diags *diags)
{
    struct gw_site site = { 0 };
    int fd, err;

    if (!cfg || !path)
        return GWAPI_EINVAL;
    if (strcmp(path, "-") == 0)
        return gwapi_config_load_fd(cfg, 0, "<stdin>", options, diags);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        site.source = path;
        gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_IO, &site, "cannot open: %s",
                  strerror(errno));
        return GWAPI_EIO;
    }
    err = gwapi_config_load_fd(cfg, fd, path, options, diags);
    close(fd);
    return err;
}
