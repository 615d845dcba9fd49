/* The field tables generated from the CRDs (schema_tables.c) and the hidden record every model
 * struct carries: which fields were given or defaulted, and where they were written. */
#ifndef GW_MODEL_SCHEMA_H
#define GW_MODEL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/config.h"
#include "gatewayapi/model.h"

enum gw_field_kind {
    GW_FIELD_STRING,
    GW_FIELD_INT,
    GW_FIELD_BOOL,
    GW_FIELD_INT_OR_STRING, /* kept as its text */
    GW_FIELD_OBJECT,
    GW_FIELD_MAP,           /* gwapi_string_map */
    GW_FIELD_KEYS,          /* a map of which only the keys are kept */
    GW_FIELD_STRING_LIST,
    GW_FIELD_OBJECT_LIST,
};

struct gw_type;

struct gw_field {
    const char *name;          /* JSON name */
    enum gw_field_kind kind;
    size_t offset;             /* of the member in the struct */
    size_t count_offset;       /* of the n_ member, for lists and keys */
    const struct gw_type *type; /* objects and object lists */
    bool has_default;          /* objects: created empty then defaulted; lists: one such item */
    const char *default_string;
    int64_t default_int;
};

struct gw_type {
    const char *c_name;
    size_t size, align;
    const struct gw_field *fields;
    size_t n_fields;           /* at most 32 */
    bool preserve_unknown;     /* other fields are Kubernetes' business: no warning */
};

struct gw_root {
    gwapi_kind kind;
    gwapi_dialect dialect;
    const char *kind_name;
    const char *group;         /* "" for the core API */
    const char *versions;      /* served versions, space-separated */
    const struct gw_type *type;
    bool namespaced;
};

extern const struct gw_root gw_roots[];
extern const size_t gw_root_count;
extern const struct gw_type *const gw_object_meta_type;

struct gw_mark {
    uint32_t line, column;
};

#define GW_INFO_MAGIC 0x676du

/* Stored just before every model struct the library allocates; the struct's per-field marks,
 * when it came from the input, follow the struct. */
struct gw_info {
    const struct gw_type *type;
    uint32_t given;            /* bit i: fields[i] was written in the input */
    uint32_t defaulted;        /* bit i: fields[i] was filled from its default */
    struct gw_mark self;       /* where the struct itself was written */
    uint16_t magic;
    uint16_t has_marks;
};

#define GW_INFO_SIZE ((sizeof(struct gw_info) + 15) & ~(size_t)15)

static inline const struct gw_info *
gw_info_of(const void *model)
{
    return (const struct gw_info *)((const char *)model - GW_INFO_SIZE);
}

/* Where fields[i] of a struct was written; NULL when the struct has no marks. */
static inline struct gw_mark *
gw_info_marks(const void *model)
{
    const struct gw_info *info = gw_info_of(model);
    size_t offset = (info->type->size + _Alignof(struct gw_mark) - 1) &
                    ~(_Alignof(struct gw_mark) - 1);
    return info->has_marks ? (struct gw_mark *)((char *)(uintptr_t)model + offset) : NULL;
}

const struct gw_root *gw_root_find(const char *group, const char *version, const char *kind);
const struct gw_root *gw_root_of(gwapi_kind kind, gwapi_dialect dialect);
const void *gw_object_body(const gwapi_object *obj, gwapi_kind kind, gwapi_dialect dialect);
int gw_field_index(const struct gw_type *type, const char *name);

#endif
