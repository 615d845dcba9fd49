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
struct gw_check;
struct gw_cel_rule;

struct gw_field {
    const char *name;          /* JSON name */
    enum gw_field_kind kind;
    size_t offset;             /* of the member in the struct */
    size_t count_offset;       /* of the n_ member, for lists and keys */
    const struct gw_type *type; /* objects and object lists */
    bool has_default;          /* objects: created empty then defaulted; lists: one such item */
    const char *default_string;
    int64_t default_int;
    const struct gw_check *check; /* the schema's constraints on the value, or NULL */
    size_t content_offset;     /* keys-only maps: of the <name>_content member */
    bool base64;               /* keys-only maps: the values are base64 (Secret data) */
};

struct gw_type {
    const char *c_name;
    size_t size, align;
    const struct gw_field *fields;
    size_t n_fields;           /* at most 32 */
    bool preserve_unknown;     /* other fields are Kubernetes' business: no warning */
    uint32_t required;         /* bit i: fields[i] is required */
    const struct gw_cel_rule *const *rules; /* rules on the object itself, NULL-terminated */
};

/* The OpenAPI constraints of one value, from the CRD. */
enum gw_check_flags {
    GW_CHECK_MINIMUM = 1u << 0,
    GW_CHECK_MAXIMUM = 1u << 1,
    GW_CHECK_MIN_LENGTH = 1u << 2,
    GW_CHECK_MAX_LENGTH = 1u << 3,
    GW_CHECK_MIN_ITEMS = 1u << 4,
    GW_CHECK_MAX_ITEMS = 1u << 5,  /* maxItems of a list, maxProperties of a map */
    GW_CHECK_SET = 1u << 6,        /* x-kubernetes-list-type: set */
    GW_CHECK_MAP_KEYS = 1u << 7,   /* x-kubernetes-list-type: map */
};

struct gw_check {
    unsigned flags;
    int64_t minimum, maximum;
    int64_t min_length, max_length;
    int64_t min_items, max_items;
    const char *pattern;           /* as the CRD writes it, or NULL */
    int pattern_index;             /* into gw_schema_patterns, -1 without */
    const char *const *enum_values; /* NULL-terminated, or NULL */
    const char *const *map_keys;    /* list-map keys, NULL-terminated */
    const struct gw_check *items;   /* of a string list's items, or a map's values */
    const struct gw_cel_rule *const *rules; /* CEL rules on this value, NULL-terminated */
};

/* Where a value was written: 1-based line and column, 0 when unknown. */
struct gw_mark {
    uint32_t line, column;
};

/* What a CEL check sees: "self" of the rule. */
struct gw_validator;
struct gw_cel_self {
    struct gw_validator *v;        /* for regular expressions */
    const void *object;            /* a rule on an object: the struct */
    const void *const *items;      /* a rule on a list: its items (structs or strings) */
    size_t count;
    const gwapi_string_map *map;   /* a rule on a map */
    const char *string;            /* a rule on a string */
    const char *old_string;        /* transition rules: the value before the update, or NULL */
    bool update;                   /* validating an update (oldSelf exists) */
};

struct gw_cel_rule {
    const char *check;             /* stable name, the diagnostic code */
    const char *rule;              /* the CEL expression, as the CRD writes it */
    const char *message;           /* the CRD's message, word for word */
    bool (*holds)(const struct gw_cel_self *self);
    /* A schema rule the API server reports in its own words (not "Invalid value: <type>:
     * <message>"): reports the failure itself; NULL for every CEL rule. */
    void (*report_failure)(const struct gw_cel_self *self, struct gw_mark at);
};

extern const struct gw_cel_rule gw_cel_rules[];
extern const size_t gw_cel_rule_count;
extern const char *const gw_schema_patterns[];
extern const size_t gw_schema_pattern_count;
/* The oneOf of Gateway addresses: a value of type IPAddress is an IPv4 or IPv6 literal. */
extern const struct gw_cel_rule gw_schema_rule_ip_address_one_of;

struct gw_root {
    gwapi_kind kind;
    gwapi_dialect dialect;
    const char *kind_name;
    const char *group;         /* "" for the core API */
    const char *versions;      /* served versions, space-separated */
    const struct gw_type *type;
    bool namespaced;
    const char *legacy_versions; /* in the CRD but not served: read as the served one */
};

/* Whether a field of a model struct was given, defaulted or absent (by its JSON name). */
gwapi_field_state gw_field_state(const void *model, const char *field);

extern const struct gw_root gw_roots[];
extern const size_t gw_root_count;
extern const struct gw_type *const gw_object_meta_type;

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
const struct gw_root *gw_root_find_legacy(const char *group, const char *version, const char *kind);
const struct gw_root *gw_root_of(gwapi_kind kind, gwapi_dialect dialect);
const void *gw_object_body(const gwapi_object *obj, gwapi_kind kind, gwapi_dialect dialect);
int gw_field_index(const struct gw_type *type, const char *name);
/* Equal bodies (spec and the like), metadata aside. */
bool gw_body_equal(const gwapi_object *a, const gwapi_object *b);

#endif
