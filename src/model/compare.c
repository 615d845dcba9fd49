/* Model equality, field by field through the generated tables. */
#include <string.h>

#include "model/schema.h"

static bool struct_equal(const struct gw_type *type, const void *a, const void *b);

static bool
string_equal(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool
field_equal(const struct gw_field *f, const char *a, const char *b)
{
    const void *sa = a + f->offset, *sb = b + f->offset;
    size_t na = f->count_offset ? *(const size_t *)(a + f->count_offset) : 0;
    size_t nb = f->count_offset ? *(const size_t *)(b + f->count_offset) : 0;

    switch (f->kind) {
    case GW_FIELD_STRING:
    case GW_FIELD_INT_OR_STRING:
        return string_equal(*(const char *const *)sa, *(const char *const *)sb);
    case GW_FIELD_INT:
        return *(const int64_t *)sa == *(const int64_t *)sb;
    case GW_FIELD_BOOL:
        return *(const bool *)sa == *(const bool *)sb;
    case GW_FIELD_OBJECT:
        return struct_equal(f->type, *(const void *const *)sa, *(const void *const *)sb);
    case GW_FIELD_MAP: {
        const gwapi_string_map *ma = sa, *mb = sb;
        if (ma->count != mb->count)
            return false;
        for (size_t i = 0; i < ma->count; i++)
            if (!string_equal(ma->keys[i], mb->keys[i]) ||
                !string_equal(ma->values[i], mb->values[i]))
                return false;
        return true;
    }
    case GW_FIELD_KEYS:
    case GW_FIELD_STRING_LIST: {
        const char *const *ia = *(const char *const *const *)sa;
        const char *const *ib = *(const char *const *const *)sb;
        if (na != nb)
            return false;
        for (size_t i = 0; i < na; i++)
            if (!string_equal(ia[i], ib[i]))
                return false;
        return true;
    }
    case GW_FIELD_OBJECT_LIST: {
        const void *const *ia = *(const void *const *const *)sa;
        const void *const *ib = *(const void *const *const *)sb;
        if (na != nb)
            return false;
        for (size_t i = 0; i < na; i++)
            if (!struct_equal(f->type, ia[i], ib[i]))
                return false;
        return true;
    }
    }
    return false;
}

static bool
struct_equal(const struct gw_type *type, const void *a, const void *b)
{
    if (!a || !b)
        return a == b;
    for (size_t i = 0; i < type->n_fields; i++)
        if (!field_equal(&type->fields[i], a, b))
            return false;
    return true;
}

bool
gw_body_equal(const gwapi_object *a, const gwapi_object *b)
{
    const struct gw_root *root = gw_root_of(a->kind, a->dialect);
    return a->kind == b->kind && a->dialect == b->dialect &&
           (!root || struct_equal(root->type, a->body, b->body));
}

GWAPI_EXPORT int
gwapi_object_equal(const gwapi_object *a, const gwapi_object *b)
{
    const struct gw_root *root;

    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->dialect != b->dialect ||
        !string_equal(a->api_version, b->api_version))
        return 0;
    root = gw_root_of(a->kind, a->dialect);
    return struct_equal(gw_object_meta_type, a->metadata, b->metadata) &&
           (!root || struct_equal(root->type, a->body, b->body));
}
