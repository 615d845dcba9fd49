#include "model/decode.h"

#include "model/content.h"
#include "util/keyset.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void
gw_decode_report(struct gw_decoder *d, gwapi_severity severity, const char *code,
                 const struct gw_node *at, const char *fmt, ...)
{
    struct gw_site site = d->site;
    char message[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    site.path = gw_path_render(&d->path);
    if (at && at->line) {
        site.line = at->line;
        site.column = at->column;
    }
    if (severity == GWAPI_SEVERITY_ERROR) {
        d->errors = true;
        if (!d->first_error)
            d->first_error = gw_arena_printf(d->arena, "%s%s%s", site.path ? site.path : "",
                                             site.path ? ": " : "", message);
    }
    if (gw_report(d->diags, severity, code, &site, "%s", message))
        d->out_of_memory = true;
}

static const char *
node_json_type(const struct gw_node *n)
{
    switch (n->type) {
    case GW_NODE_NULL: return "null";
    case GW_NODE_BOOL: return "boolean";
    case GW_NODE_INT: return "integer";
    case GW_NODE_FLOAT: return "number";
    case GW_NODE_STRING: return "string";
    case GW_NODE_MAP: return "object";
    case GW_NODE_SEQ: return "array";
    }
    return "value";
}

/* The API server's words for a value of the wrong type (kube-openapi's, the field named in
 * the message). */
static void
type_error(struct gw_decoder *d, const struct gw_node *n, const char *want)
{
    const char *path = gw_path_render(&d->path);

    gw_decode_report(d, GWAPI_SEVERITY_ERROR, GW_CODE_TYPE, n,
                     "Invalid value: \"%s\": %s in body must be of type %s: \"%s\"",
                     node_json_type(n), path ? path : "<root>", want, node_json_type(n));
}

static const char *
copy_text(struct gw_decoder *d, const struct gw_node *n)
{
    const char *s = d->strings ? gw_intern(d->strings, n->text, n->len)
                               : gw_arena_strndup(d->arena, n->text, n->len);
    if (!s)
        d->out_of_memory = true;
    return s;
}

static void *
alloc_array(struct gw_decoder *d, size_t count, size_t size)
{
    void *p;

    if (count == 0)
        return NULL;
    p = gw_arena_alloc(d->arena, count * size, _Alignof(void *));
    if (!p)
        d->out_of_memory = true;
    return p;
}

/* Report a key seen before in this map; Kubernetes keeps the last value. */
/* A field given again: said once per repeat, naming where it was before. */
static void
report_repeat(struct gw_decoder *d, const struct gw_node *before, const struct gw_node *key)
{
    size_t old = gw_path_push_field(&d->path, key->text);
    gw_decode_report(d, d->strict ? GWAPI_SEVERITY_ERROR : GWAPI_SEVERITY_WARNING,
                     GW_CODE_DUPLICATE_KEY, key,
                     "duplicate field \"%s\" (also at line %u; the last value is used)",
                     key->text, (unsigned)before->line);
    gw_path_pop(&d->path, old);
}

/* A map of strings; keys_only keeps the keys and a summary of each value (Secret and
 * ConfigMap data) instead of the values. */
static bool
decode_string_map(struct gw_decoder *d, const struct gw_node *n, gwapi_string_map *out,
                  bool keys_only, const char ***key_list, size_t *key_count,
                  const char ***content_list, bool base64)
{
    const char **keys, **values = NULL;
    size_t count = 0;
    struct gw_keyset seen;

    if (n->type != GW_NODE_MAP) {
        type_error(d, n, "object");
        return false;
    }
    keys = alloc_array(d, n->count / 2, sizeof(char *));
    values = alloc_array(d, n->count / 2, sizeof(char *));
    if (d->out_of_memory)
        return false;
    gw_keyset_init(&seen, d->arena->ctx, sizeof(*keys));
    for (const struct gw_node *k = n->first; k && k->next && !d->out_of_memory;
         k = k->next->next) {
        const struct gw_node *v = k->next;
        size_t old, slot = gw_keyset_find(&seen, keys, k->text);

        /* A repeated key replaces the earlier entry in place. */
        if (slot == SIZE_MAX)
            slot = count;
        old = gw_path_push_key(&d->path, k->text);
        if (slot != count)
            gw_decode_report(d, d->strict ? GWAPI_SEVERITY_ERROR : GWAPI_SEVERITY_WARNING,
                             GW_CODE_DUPLICATE_KEY, k, "duplicate key \"%s\"", k->text);
        if (v->type != GW_NODE_STRING && !(keys_only && v->type == GW_NODE_NULL)) {
            type_error(d, v, "string");
            gw_path_pop(&d->path, old);
            continue;
        }
        gw_path_pop(&d->path, old);
        keys[slot] = copy_text(d, k);
        if (keys_only)
            values[slot] = v->text ? gw_content_summary(d->arena, v->text, v->len, base64) : "empty";
        else
            values[slot] = copy_text(d, v);
        if (!keys[slot] || !values[slot])
            break; /* out of memory */
        if (slot == count && gw_keyset_insert(&seen, keys, count++)) {
            d->out_of_memory = true;
            break;
        }
    }
    gw_keyset_release(&seen);
    if (keys_only) {
        *key_list = keys;
        *key_count = count;
        *content_list = values;
    } else {
        out->keys = keys;
        out->values = values;
        out->count = count;
    }
    return count > 0;
}

static bool
decode_string_list(struct gw_decoder *d, const struct gw_node *n, void *slot, size_t *count_out)
{
    const char **items;
    size_t count = 0, i = 0;

    if (n->type != GW_NODE_SEQ) {
        type_error(d, n, "array");
        return false;
    }
    items = alloc_array(d, n->count, sizeof(char *));
    for (const struct gw_node *item = n->first; item && !d->out_of_memory; item = item->next, i++) {
        if (item->type != GW_NODE_STRING) {
            size_t old = gw_path_push_index(&d->path, i);
            type_error(d, item, "string");
            gw_path_pop(&d->path, old);
            continue;
        }
        items[count++] = copy_text(d, item);
    }
    memcpy(slot, &items, sizeof(items));
    *count_out = count;
    return true;
}

static bool
decode_object_list(struct gw_decoder *d, const struct gw_type *type, const struct gw_node *n,
                   void *slot, size_t *count_out)
{
    void **items;
    size_t count = 0, i = 0;

    if (n->type != GW_NODE_SEQ) {
        type_error(d, n, "array");
        return false;
    }
    items = alloc_array(d, n->count, sizeof(void *));
    for (const struct gw_node *item = n->first; item && !d->out_of_memory; item = item->next, i++) {
        size_t old = gw_path_push_index(&d->path, i);
        if (item->type != GW_NODE_MAP) {
            type_error(d, item, "object");
        } else {
            void *obj = gw_decode_object(d, type, item);
            if (obj)
                items[count++] = obj;
        }
        gw_path_pop(&d->path, old);
    }
    memcpy(slot, &items, sizeof(items));
    *count_out = count;
    return true;
}

/* Decode one field's value into its member; false when the value was unusable. */
static bool
decode_field(struct gw_decoder *d, const struct gw_field *f, const struct gw_node *n, char *base)
{
    void *slot = base + f->offset;
    size_t *count = (size_t *)(base + f->count_offset);

    switch (f->kind) {
    case GW_FIELD_STRING:
        if (n->type != GW_NODE_STRING) {
            type_error(d, n, "string");
            return false;
        }
        *(const char **)slot = copy_text(d, n);
        return true;
    case GW_FIELD_INT_OR_STRING:
        if (n->type != GW_NODE_STRING && n->type != GW_NODE_INT) {
            type_error(d, n, "integer or string");
            return false;
        }
        *(const char **)slot = copy_text(d, n);
        return true;
    case GW_FIELD_INT:
        if (n->type != GW_NODE_INT) {
            type_error(d, n, "integer");
            return false;
        }
        *(int64_t *)slot = n->integer;
        return true;
    case GW_FIELD_BOOL:
        if (n->type != GW_NODE_BOOL) {
            type_error(d, n, "boolean");
            return false;
        }
        *(bool *)slot = n->integer != 0;
        return true;
    case GW_FIELD_OBJECT:
        if (n->type != GW_NODE_MAP) {
            type_error(d, n, "object");
            return false;
        }
        *(void **)slot = gw_decode_object(d, f->type, n);
        return *(void **)slot != NULL;
    case GW_FIELD_MAP:
        decode_string_map(d, n, slot, false, NULL, NULL, NULL, false);
        return n->type == GW_NODE_MAP;
    case GW_FIELD_KEYS:
        return decode_string_map(d, n, NULL, true, slot, count,
                                 (const char ***)(base + f->content_offset), f->base64) ||
               n->type == GW_NODE_MAP;
    case GW_FIELD_STRING_LIST:
        return decode_string_list(d, n, slot, count);
    case GW_FIELD_OBJECT_LIST:
        return decode_object_list(d, f->type, n, slot, count);
    }
    return false;
}

/* A repeated key: the last value wins, so forget what the first one set. */
static void
clear_field(const struct gw_field *f, char *base)
{
    void *slot = base + f->offset;

    switch (f->kind) {
    case GW_FIELD_BOOL:
        *(bool *)slot = false;
        break;
    case GW_FIELD_INT:
        *(int64_t *)slot = 0;
        break;
    case GW_FIELD_MAP:
        memset(slot, 0, sizeof(gwapi_string_map));
        break;
    case GW_FIELD_KEYS:
        *(void **)(base + f->content_offset) = NULL;
        /* fall through */
    case GW_FIELD_STRING_LIST:
    case GW_FIELD_OBJECT_LIST:
        *(size_t *)(base + f->count_offset) = 0;
        /* fall through */
    default:
        *(void **)slot = NULL;
        break;
    }
}

/* Fill an absent field from its default. */
static bool
apply_default(struct gw_decoder *d, const struct gw_field *f, char *base)
{
    void *slot = base + f->offset;

    switch (f->kind) {
    case GW_FIELD_STRING:
    case GW_FIELD_INT_OR_STRING:
        *(const char **)slot = f->default_string;
        return true;
    case GW_FIELD_INT:
        *(int64_t *)slot = f->default_int;
        return true;
    case GW_FIELD_BOOL:
        *(bool *)slot = f->default_int != 0;
        return true;
    case GW_FIELD_OBJECT:
        *(void **)slot = gw_decode_object(d, f->type, NULL);
        return *(void **)slot != NULL;
    case GW_FIELD_OBJECT_LIST: {
        /* The generator checked that every list default is one recursively defaulted item. */
        void **items = alloc_array(d, 1, sizeof(void *));
        if (!items)
            return false;
        items[0] = gw_decode_object(d, f->type, NULL);
        if (!items[0])
            return false;
        memcpy(slot, &items, sizeof(items));
        *(size_t *)(base + f->count_offset) = 1;
        return true;
    }
    default:
        return false;
    }
}

static bool
is_envelope_key(const char *key)
{
    return strcmp(key, "apiVersion") == 0 || strcmp(key, "kind") == 0 ||
           strcmp(key, "metadata") == 0 || strcmp(key, "status") == 0;
}

void *
gw_decode_object(struct gw_decoder *d, const struct gw_type *type, const struct gw_node *node)
{
    struct gw_info *info;
    struct gw_mark *marks = NULL;
    const struct gw_node *last_key[32] = { NULL }; /* per field: where it was given last */
    size_t marks_offset;
    char *base;

    /* [info][struct][marks], the marks only for a struct read from the input. */
    marks_offset = (type->size + _Alignof(struct gw_mark) - 1) & ~(_Alignof(struct gw_mark) - 1);
    base = gw_arena_alloc(d->arena,
                          GW_INFO_SIZE + marks_offset +
                              (node ? type->n_fields * sizeof(struct gw_mark) : 0),
                          16);
    if (!base) {
        d->out_of_memory = true;
        return NULL;
    }
    info = (struct gw_info *)base;
    base += GW_INFO_SIZE;
    info->magic = GW_INFO_MAGIC;
    info->type = type;
    if (node) {
        info->self.line = node->line;
        info->self.column = node->column;
        info->has_marks = 1;
        marks = (struct gw_mark *)(base + marks_offset);
    }

    for (const struct gw_node *k = node ? node->first : NULL; k && k->next && !d->out_of_memory;
         k = k->next->next) {
        const struct gw_node *v = k->next;
        int i = gw_field_index(type, k->text);
        size_t old;

        if (node == d->envelope && is_envelope_key(k->text))
            continue;
        if (i < 0) {
            if (!type->preserve_unknown) {
                old = gw_path_push_field(&d->path, k->text);
                gw_decode_report(d, d->strict ? GWAPI_SEVERITY_ERROR : GWAPI_SEVERITY_WARNING,
                                 GW_CODE_UNKNOWN_FIELD, k, "unknown field \"%s\"", k->text);
                gw_path_pop(&d->path, old);
            }
            continue;
        }
        if (last_key[i])
            report_repeat(d, last_key[i], k);
        last_key[i] = k;
        /* A key given twice: the last one counts, given or not (a first value that decoded
         * must not leave the field marked given once the second one failed, or was null). */
        info->given &= ~(UINT32_C(1) << i);
        clear_field(&type->fields[i], base);
        /* An explicit null is pruned, as the API server does; the default then applies. */
        if (v->type == GW_NODE_NULL)
            continue;
        old = gw_path_push_field(&d->path, k->text);
        if (decode_field(d, &type->fields[i], v, base)) {
            info->given |= UINT32_C(1) << i;
            if (marks) {
                marks[i].line = v->line;
                marks[i].column = v->column;
            }
        }
        gw_path_pop(&d->path, old);
    }

    for (size_t i = 0; i < type->n_fields && !d->out_of_memory; i++) {
        const struct gw_field *f = &type->fields[i];
        if (!f->has_default || (info->given & (UINT32_C(1) << i)))
            continue;
        if (apply_default(d, f, base))
            info->defaulted |= UINT32_C(1) << i;
    }
    return d->out_of_memory ? NULL : base;
}
