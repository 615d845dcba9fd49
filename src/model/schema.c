#include "model/schema.h"

#include <string.h>

static bool
in_list(const char *list, const char *version)
{
    size_t vlen = strlen(version);

    while (*list) {
        size_t len = strcspn(list, " ");
        if (len == vlen && memcmp(list, version, len) == 0)
            return true;
        list += len;
        list += strspn(list, " ");
    }
    return false;
}

const struct gw_root *
gw_root_find_legacy(const char *group, const char *version, const char *kind)
{
    for (size_t i = 0; i < gw_root_count; i++) {
        const struct gw_root *r = &gw_roots[i];
        if (strcmp(r->group, group) == 0 && strcmp(r->kind_name, kind) == 0 &&
            in_list(r->legacy_versions, version))
            return r;
    }
    return NULL;
}

const struct gw_root *
gw_root_find(const char *group, const char *version, const char *kind)
{
    size_t vlen = strlen(version);

    for (size_t i = 0; i < gw_root_count; i++) {
        const struct gw_root *r = &gw_roots[i];
        const char *v = r->versions;
        if (strcmp(r->group, group) != 0 || strcmp(r->kind_name, kind) != 0)
            continue;
        while (*v) {
            size_t len = strcspn(v, " ");
            if (len == vlen && memcmp(v, version, len) == 0)
                return r;
            v += len;
            v += strspn(v, " ");
        }
    }
    return NULL;
}

const struct gw_root *
gw_root_of(gwapi_kind kind, gwapi_dialect dialect)
{
    for (size_t i = 0; i < gw_root_count; i++)
        if (gw_roots[i].kind == kind && gw_roots[i].dialect == dialect)
            return &gw_roots[i];
    return NULL;
}

const void *
gw_object_body(const gwapi_object *obj, gwapi_kind kind, gwapi_dialect dialect)
{
    if (!obj || obj->kind != kind || obj->dialect != dialect)
        return NULL;
    return obj->body;
}

int
gw_field_index(const struct gw_type *type, const char *name)
{
    /* Checking the first letter first skips most string comparisons on this hot path. */
    for (size_t i = 0; i < type->n_fields; i++)
        if (type->fields[i].name[0] == name[0] && strcmp(type->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

GWAPI_EXPORT const char *
gwapi_kind_name(gwapi_kind kind)
{
    const struct gw_root *r = gw_root_of(kind, GWAPI_DIALECT_V1);
    return r ? r->kind_name : "Unknown";
}

GWAPI_EXPORT gwapi_field_state
gwapi_field_state_of(const void *model, const char *field)
{
    const struct gw_info *info;
    int i;

    if (!model || !field)
        return GWAPI_FIELD_UNKNOWN;
    info = gw_info_of(model);
    if (info->magic != GW_INFO_MAGIC)
        return GWAPI_FIELD_UNKNOWN;
    i = gw_field_index(info->type, field);
    if (i < 0)
        return GWAPI_FIELD_UNKNOWN;
    if (info->given & (UINT32_C(1) << i))
        return GWAPI_FIELD_GIVEN;
    if (info->defaulted & (UINT32_C(1) << i))
        return GWAPI_FIELD_DEFAULTED;
    return GWAPI_FIELD_ABSENT;
}

GWAPI_EXPORT int
gwapi_field_position(const void *model, const char *field, unsigned *line, unsigned *column)
{
    const struct gw_info *info;
    struct gw_mark mark;
    int i;

    if (!model || !line || !column)
        return GWAPI_EINVAL;
    info = gw_info_of(model);
    if (info->magic != GW_INFO_MAGIC)
        return GWAPI_EINVAL;
    if (!field) {
        mark = info->self;
    } else {
        i = gw_field_index(info->type, field);
        if (i < 0)
            return GWAPI_ENOTFOUND;
        const struct gw_mark *marks = gw_info_marks(model);
        mark = marks ? marks[i] : (struct gw_mark){ 0, 0 };
    }
    *line = mark.line;
    *column = mark.column;
    return GWAPI_OK;
}
