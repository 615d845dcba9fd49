/* Objects to JSON or YAML, walking the same field tables the loader used. */
#include <stdlib.h>
#include <string.h>

#include "emit/writer.h"
#include "model/schema.h"

static void write_struct(struct gw_writer *w, const struct gw_type *type, const void *model);

static bool
is_present(const struct gw_info *info, size_t i)
{
    return ((info->given | info->defaulted) >> i) & 1u;
}

static void
write_field(struct gw_writer *w, const struct gw_field *f, const char *base)
{
    const void *slot = base + f->offset;
    size_t count = f->count_offset ? *(const size_t *)(base + f->count_offset) : 0;

    gw_write_key(w, f->name);
    switch (f->kind) {
    case GW_FIELD_STRING:
        gw_write_string(w, *(const char *const *)slot);
        break;
    case GW_FIELD_INT_OR_STRING: {
        /* Written as it was read: digits were an integer. */
        const char *s = *(const char *const *)slot;
        if (s && *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 18)
            gw_write_int(w, strtoll(s, NULL, 10));
        else
            gw_write_string(w, s);
        break;
    }
    case GW_FIELD_INT:
        gw_write_int(w, *(const int64_t *)slot);
        break;
    case GW_FIELD_BOOL:
        gw_write_bool(w, *(const bool *)slot);
        break;
    case GW_FIELD_OBJECT:
        write_struct(w, f->type, *(const void *const *)slot);
        break;
    case GW_FIELD_MAP: {
        const gwapi_string_map *map = slot;
        gw_write_begin_map(w);
        for (size_t i = 0; i < map->count; i++) {
            gw_write_key(w, map->keys[i]);
            gw_write_string(w, map->values[i]);
        }
        gw_write_end_map(w);
        break;
    }
    case GW_FIELD_KEYS: {
        /* Only the keys were kept: values are written empty. */
        const char *const *keys = *(const char *const *const *)slot;
        gw_write_begin_map(w);
        for (size_t i = 0; i < count; i++) {
            gw_write_key(w, keys[i]);
            gw_write_string(w, "");
        }
        gw_write_end_map(w);
        break;
    }
    case GW_FIELD_STRING_LIST: {
        const char *const *items = *(const char *const *const *)slot;
        gw_write_begin_seq(w);
        for (size_t i = 0; i < count; i++)
            gw_write_string(w, items[i]);
        gw_write_end_seq(w);
        break;
    }
    case GW_FIELD_OBJECT_LIST: {
        const void *const *items = *(const void *const *const *)slot;
        gw_write_begin_seq(w);
        for (size_t i = 0; i < count; i++)
            write_struct(w, f->type, items[i]);
        gw_write_end_seq(w);
        break;
    }
    }
}

static void
write_fields(struct gw_writer *w, const struct gw_type *type, const void *model)
{
    const struct gw_info *info = gw_info_of(model);

    for (size_t i = 0; i < type->n_fields; i++)
        if (is_present(info, i))
            write_field(w, &type->fields[i], model);
}

static void
write_struct(struct gw_writer *w, const struct gw_type *type, const void *model)
{
    gw_write_begin_map(w);
    if (model)
        write_fields(w, type, model);
    gw_write_end_map(w);
}

static void
write_object(struct gw_writer *w, const gwapi_object *obj)
{
    const struct gw_root *root = gw_root_of(obj->kind, obj->dialect);

    gw_write_begin_map(w);
    gw_write_key(w, "apiVersion");
    gw_write_string(w, obj->api_version);
    gw_write_key(w, "kind");
    gw_write_string(w, obj->kind_name);
    gw_write_key(w, "metadata");
    write_struct(w, gw_object_meta_type, obj->metadata);
    if (root && obj->body)
        write_fields(w, root->type, obj->body);
    gw_write_end_map(w);
}

static int
finish(struct gw_strbuf *sb, char **out, size_t *len)
{
    if (sb->failed || !sb->data) {
        gw_strbuf_free(sb);
        return GWAPI_ENOMEM;
    }
    *out = sb->data;
    if (len)
        *len = sb->len;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_object_emit(const gwapi_object *obj, gwapi_format format, char **out, size_t *len)
{
    struct gw_strbuf sb = { 0 };
    struct gw_writer w;

    if (!obj || !out || (format != GWAPI_FORMAT_JSON && format != GWAPI_FORMAT_YAML))
        return GWAPI_EINVAL;
    *out = NULL;
    gw_writer_init(&w, &sb, format);
    write_object(&w, obj);
    gw_writer_finish(&w);
    return finish(&sb, out, len);
}

GWAPI_EXPORT int
gwapi_config_emit(const gwapi_config *cfg, gwapi_format format, char **out, size_t *len)
{
    struct gw_strbuf sb = { 0 };
    struct gw_writer w;
    size_t n = gwapi_config_count(cfg);

    if (!cfg || !out || (format != GWAPI_FORMAT_JSON && format != GWAPI_FORMAT_YAML))
        return GWAPI_EINVAL;
    *out = NULL;
    gw_writer_init(&w, &sb, format);
    if (format == GWAPI_FORMAT_JSON) {
        gw_write_begin_map(&w);
        gw_write_key(&w, "apiVersion");
        gw_write_string(&w, "v1");
        gw_write_key(&w, "kind");
        gw_write_string(&w, "List");
        gw_write_key(&w, "items");
        gw_write_begin_seq(&w);
        for (size_t i = 0; i < n; i++)
            write_object(&w, gwapi_config_get(cfg, i));
        gw_write_end_seq(&w);
        gw_write_end_map(&w);
        gw_writer_finish(&w);
    } else {
        for (size_t i = 0; i < n; i++) {
            gw_strbuf_puts(&sb, "---\n");
            gw_writer_init(&w, &sb, format);
            write_object(&w, gwapi_config_get(cfg, i));
            gw_writer_finish(&w);
        }
        if (n == 0)
            gw_strbuf_puts(&sb, "");
        if (!sb.data && !sb.failed)
            gw_strbuf_append(&sb, "", 0);
    }
    return finish(&sb, out, len);
}
