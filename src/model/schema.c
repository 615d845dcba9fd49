#include "model/schema.h"

#include <stdlib.h>
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

gwapi_field_state
gw_field_state(const void *model, const char *field)
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

GWAPI_EXPORT gwapi_field_state
gwapi_field_state_of(const void *model, const char *field)
{
    return gw_field_state(model, field);
}

/* The mark of field i of a model struct (0, 0 when the struct was not read from the input). */
static struct gw_mark
mark_of(const void *model, int i)
{
    const struct gw_mark *marks = gw_info_marks(model);
    return marks ? marks[i] : (struct gw_mark){ 0, 0 };
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
        mark = mark_of(model, i);
    }
    *line = mark.line;
    *column = mark.column;
    return GWAPI_OK;
}

/* A field found by its path from an object: the struct holding it and its index there, or the
 * list item the path ends with. */
struct field_at {
    const void *model;      /* the struct holding the last field; NULL: an enclosing one is absent */
    int field;              /* its index in the struct's type */
    const void *item;       /* the list item the path ends with ("rules[2]"), or NULL */
};

/* One segment of a path: a name and an optional [index]; its end, or NULL when malformed. */
static const char *
segment(const char *p, char *name, size_t size, long long *index)
{
    size_t n = strcspn(p, ".[");

    if (n == 0 || n >= size)
        return NULL;
    memcpy(name, p, n);
    name[n] = '\0';
    p += n;
    *index = -1;
    if (*p == '[') {
        char *end;
        if (p[1] < '0' || p[1] > '9')
            return NULL;
        *index = strtoll(p + 1, &end, 10);
        if (*end != ']' || *index < 0)
            return NULL;
        p = end + 1;
    }
    if (*p == '.')
        return p[1] ? p + 1 : NULL;
    return *p ? NULL : p;
}

/* Walk path from obj. GWAPI_EINVAL when it names no field of the kind's schema (or indexes
 * what is not a list of objects), GWAPI_ENOTFOUND when an item it indexes is not there. */
static int
find_field(const gwapi_object *obj, const char *path, struct field_at *at)
{
    const struct gw_type *type;
    const void *model;
    char name[128];
    long long index;
    const char *p = path;
    bool first = true;

    memset(at, 0, sizeof(*at));
    if (!obj || !path || !obj->body)
        return GWAPI_EINVAL;
    model = obj->body;
    type = gw_info_of(model)->type;
    while ((p = segment(p, name, sizeof(name), &index))) {
        const struct gw_field *f;
        int i;
        if (first && strcmp(name, "metadata") == 0 && index < 0) {
            /* the metadata is a struct of its own beside the body */
            model = obj->metadata;
            type = gw_object_meta_type;
            first = false;
            if (!*p)
                return GWAPI_EINVAL; /* "metadata" alone: not a field of the body */
            continue;
        }
        first = false;
        i = gw_field_index(type, name);
        if (i < 0)
            return GWAPI_EINVAL;
        f = &type->fields[i];
        if (index >= 0 && f->kind != GW_FIELD_OBJECT_LIST && f->kind != GW_FIELD_STRING_LIST)
            return GWAPI_EINVAL;
        if (!*p) {
            at->model = model;
            at->field = i;
            if (index >= 0 && model) {
                size_t count = *(const size_t *)(const void *)((const char *)model + f->count_offset);
                if ((unsigned long long)index >= count)
                    return GWAPI_ENOTFOUND;
                if (f->kind == GW_FIELD_OBJECT_LIST)
                    at->item = (*(const void *const *const *)(const void *)((const char *)model +
                                                                            f->offset))[index];
            }
            return GWAPI_OK;
        }
        if (f->kind == GW_FIELD_OBJECT && index < 0) {
            if (model)
                model = *(const void *const *)(const void *)((const char *)model + f->offset);
        } else if (f->kind == GW_FIELD_OBJECT_LIST && index >= 0) {
            if (model) {
                size_t count = *(const size_t *)(const void *)((const char *)model + f->count_offset);
                if ((unsigned long long)index >= count)
                    return GWAPI_ENOTFOUND;
                model = (*(const void *const *const *)(const void *)((const char *)model +
                                                                     f->offset))[index];
            }
        } else {
            return GWAPI_EINVAL; /* a scalar, a map or a whole list has no fields */
        }
        type = f->type;
    }
    return GWAPI_EINVAL;
}

GWAPI_EXPORT gwapi_field_state
gwapi_object_field_state(const gwapi_object *obj, const char *path)
{
    struct field_at at;
    int err = find_field(obj, path, &at);

    if (err == GWAPI_EINVAL)
        return GWAPI_FIELD_UNKNOWN;
    if (err || !at.model)
        return GWAPI_FIELD_ABSENT;
    return gw_field_state(at.model, gw_info_of(at.model)->type->fields[at.field].name);
}

GWAPI_EXPORT int
gwapi_object_field_position(const gwapi_object *obj, const char *path, unsigned *line,
                            unsigned *column)
{
    struct field_at at;
    struct gw_mark mark;
    int err;

    if (!line || !column)
        return GWAPI_EINVAL;
    err = find_field(obj, path, &at);
    if (err)
        return err;
    if (!at.model)
        return GWAPI_ENOTFOUND;
    mark = at.item ? gw_info_of(at.item)->self : mark_of(at.model, at.field);
    *line = mark.line;
    *column = mark.column;
    return GWAPI_OK;
}
