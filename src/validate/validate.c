/* The validation walk. For every struct: its required fields, then each present field's
 * constraints (recursing into objects and lists), then the CEL rules on the struct itself.
 * Diagnostics use the API server's words: "Required value", "Invalid value: X: ...",
 * "Unsupported value", "Too long", "Too many", "Duplicate value"; the constraints the API
 * server reports through kube-openapi name the field inside the message, as it prints them
 * ("Invalid value: \"x\": spec.a[0] in body should match '...'"). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "gatewayapi/validate.h"
#include "util/context.h"
#include "util/strbuf.h"
#include "validate/validator.h"

/* Codes of the schema constraints; CEL rules use their check's name. */
#define CODE_REQUIRED GWAPI_CODE_REQUIRED
#define CODE_ENUM GWAPI_CODE_UNSUPPORTED_VALUE
#define CODE_MINIMUM GWAPI_CODE_MINIMUM
#define CODE_MAXIMUM GWAPI_CODE_MAXIMUM
#define CODE_MIN_LENGTH GWAPI_CODE_MIN_LENGTH
#define CODE_MAX_LENGTH GWAPI_CODE_MAX_LENGTH
#define CODE_PATTERN GWAPI_CODE_PATTERN
#define CODE_MIN_ITEMS GWAPI_CODE_MIN_ITEMS
#define CODE_MAX_ITEMS GWAPI_CODE_MAX_ITEMS
#define CODE_DUPLICATE GWAPI_CODE_DUPLICATE

#define report gw_validator_report

void
gw_validator_report(struct gw_validator *v, const char *code, struct gw_mark at,
                    const char *fmt, ...)
{
    struct gw_site site = v->site;
    char message[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    site.path = gw_path_render(&v->path);
    if (at.line) {
        site.line = at.line;
        site.column = at.column;
    }
    v->errors++;
    if (gw_report(v->diags, GWAPI_SEVERITY_ERROR, code, &site, "%s", message))
        v->out_of_memory = true;
}

bool
gw_cel_matches(struct gw_validator *v, enum gw_cel_pattern pattern, const char *s)
{
    return gw_patterns_match(v->patterns, gw_cel_pattern_index(pattern), v->md, s ? s : "");
}

bool
gw_cel_has(const void *model, const char *field)
{
    gwapi_field_state state = gw_field_state(model, field);
    return state == GWAPI_FIELD_GIVEN || state == GWAPI_FIELD_DEFAULTED;
}

/* Characters, as OpenAPI's minLength and maxLength count them (not bytes). */
static int64_t
utf8_length(const char *s)
{
    int64_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void
run_rules(struct gw_validator *v, const struct gw_cel_rule *const *rules,
          const struct gw_cel_self *self, const char *type_word, struct gw_mark at)
{
    for (; rules && *rules; rules++) {
        if ((*rules)->holds(self))
            continue;
        if ((*rules)->report_failure)
            (*rules)->report_failure(self, at);
        else
            report(v, (*rules)->check, at, "Invalid value: \"%s\": %s", type_word,
                   (*rules)->message);
    }
}

static void
check_string(struct gw_validator *v, const struct gw_check *c, const char *s, struct gw_mark at)
{
    if (c->enum_values) {
        bool found = false;
        for (const char *const *e = c->enum_values; *e && !found; e++)
            found = strcmp(*e, s) == 0;
        if (!found) {
            struct gw_strbuf sb = { 0 };
            for (const char *const *e = c->enum_values; *e; e++)
                gw_strbuf_printf(&sb, "%s\"%s\"", e == c->enum_values ? "" : ", ", *e);
            report(v, CODE_ENUM, at, "Unsupported value: \"%s\": supported values: %s", s,
                   sb.data ? sb.data : "");
            gw_strbuf_free(&sb);
        }
    }
    if ((c->flags & GW_CHECK_MIN_LENGTH) && utf8_length(s) < c->min_length)
        report(v, CODE_MIN_LENGTH, at, "Invalid value: \"%s\": %s in body should be at least %"
               PRId64 " chars long", s, gw_path_render(&v->path), c->min_length);
    if ((c->flags & GW_CHECK_MAX_LENGTH) && utf8_length(s) > c->max_length)
        report(v, CODE_MAX_LENGTH, at, "Too long: may not be more than %" PRId64 " bytes",
               c->max_length);
    if (c->pattern_index >= 0 &&
        !gw_patterns_match(v->patterns, (size_t)c->pattern_index, v->md, s))
        report(v, CODE_PATTERN, at, "Invalid value: \"%.300s\": %s in body should match '%s'", s,
               gw_path_render(&v->path), c->pattern);
}

static void
check_int(struct gw_validator *v, const struct gw_check *c, int64_t value, struct gw_mark at)
{
    if (c->enum_values) {
        char text[32];
        bool found = false;
        snprintf(text, sizeof(text), "%" PRId64, value);
        for (const char *const *e = c->enum_values; *e && !found; e++)
            found = strcmp(*e, text) == 0;
        if (!found) {
            struct gw_strbuf sb = { 0 };
            for (const char *const *e = c->enum_values; *e; e++)
                gw_strbuf_printf(&sb, "%s%s", e == c->enum_values ? "" : ", ", *e);
            report(v, CODE_ENUM, at, "Unsupported value: %s: supported values: %s", text,
                   sb.data ? sb.data : "");
            gw_strbuf_free(&sb);
        }
    }
    if ((c->flags & GW_CHECK_MINIMUM) && value < c->minimum)
        report(v, CODE_MINIMUM, at, "Invalid value: %" PRId64 ": %s in body should be greater "
               "than or equal to %" PRId64, value, gw_path_render(&v->path), c->minimum);
    if ((c->flags & GW_CHECK_MAXIMUM) && value > c->maximum)
        report(v, CODE_MAXIMUM, at, "Invalid value: %" PRId64 ": %s in body should be less than "
               "or equal to %" PRId64, value, gw_path_render(&v->path), c->maximum);
}

static void
check_count(struct gw_validator *v, const struct gw_check *c, size_t count, struct gw_mark at)
{
    if ((c->flags & GW_CHECK_MIN_ITEMS) && (int64_t)count < c->min_items)
        report(v, CODE_MIN_ITEMS, at, "Invalid value: %zu: %s in body should have at least %"
               PRId64 " items", count, gw_path_render(&v->path), c->min_items);
    if ((c->flags & GW_CHECK_MAX_ITEMS) && (int64_t)count > c->max_items)
        report(v, CODE_MAX_ITEMS, at, "Too many: %zu: must have at most %" PRId64 " items",
               count, c->max_items);
}

/* The value of a list-map key field of an item, as text for comparing and reporting. */
static bool
key_text(const void *item, const char *field, char *buf, size_t size)
{
    const struct gw_info *info = gw_info_of(item);
    int i = gw_field_index(info->type, field);
    const struct gw_field *f;

    if (i < 0 || !gw_cel_has(item, field))
        return false;
    f = &info->type->fields[i];
    if (f->kind == GW_FIELD_INT)
        snprintf(buf, size, "%" PRId64, *(const int64_t *)((const char *)item + f->offset));
    else
        snprintf(buf, size, "\"%s\"", *(const char *const *)((const char *)item + f->offset));
    return true;
}

static bool
same_keys(const void *a, const void *b, const char *const *keys)
{
    for (const char *const *k = keys; *k; k++) {
        char ka[512], kb[512];
        bool ha = key_text(a, *k, ka, sizeof(ka)), hb = key_text(b, *k, kb, sizeof(kb));
        if (ha != hb || (ha && strcmp(ka, kb) != 0))
            return false;
    }
    return true;
}

static void validate_struct(struct gw_validator *v, const struct gw_type *type, const void *model,
                            const void *old);

static void
validate_object_list(struct gw_validator *v, const struct gw_field *f, const void *const *items,
                     size_t count, struct gw_mark at)
{
    const struct gw_check *c = f->check;

    for (size_t i = 0; i < count; i++) {
        size_t depth = gw_path_push_index(&v->path, i);
        validate_struct(v, f->type, items[i], NULL);
        gw_path_pop(&v->path, depth);
    }
    if (!c)
        return;
    check_count(v, c, count, at);
    if ((c->flags & GW_CHECK_MAP_KEYS) && c->map_keys) {
        for (size_t i = 1; i < count; i++) {
            for (size_t j = 0; j < i; j++) {
                if (same_keys(items[i], items[j], c->map_keys)) {
                    struct gw_strbuf sb = { 0 };
                    size_t depth = gw_path_push_index(&v->path, i);
                    for (const char *const *k = c->map_keys; *k; k++) {
                        char kt[512];
                        if (key_text(items[i], *k, kt, sizeof(kt)))
                            gw_strbuf_printf(&sb, "%s\"%s\":%s", k == c->map_keys ? "" : ",", *k,
                                             kt);
                    }
                    report(v, CODE_DUPLICATE, gw_info_of(items[i])->self,
                           "Duplicate value: {%s}", sb.data ? sb.data : "");
                    gw_strbuf_free(&sb);
                    gw_path_pop(&v->path, depth);
                    break;
                }
            }
        }
    }
    {
        struct gw_cel_self self = { v, NULL, items, count, NULL, NULL, NULL, v->update };
        run_rules(v, c->rules, &self, "array", at);
    }
}

static void
validate_string_list(struct gw_validator *v, const struct gw_check *c, const char *const *items,
                     size_t count, struct gw_mark at)
{
    check_count(v, c, count, at);
    for (size_t i = 0; i < count; i++) {
        size_t depth = gw_path_push_index(&v->path, i);
        if (c->items)
            check_string(v, c->items, items[i], at);
        if (c->flags & GW_CHECK_SET) {
            for (size_t j = 0; j < i; j++) {
                if (strcmp(items[i], items[j]) == 0) {
                    report(v, CODE_DUPLICATE, at, "Duplicate value: \"%s\"", items[i]);
                    break;
                }
            }
        }
        gw_path_pop(&v->path, depth);
    }
    {
        struct gw_cel_self self = { v, NULL, (const void *const *)items, count, NULL, NULL, NULL,
                                    v->update };
        run_rules(v, c->rules, &self, "array", at);
    }
}

static void
validate_map(struct gw_validator *v, const struct gw_check *c, const gwapi_string_map *map,
             struct gw_mark at)
{
    check_count(v, c, map->count, at);
    if (c->items) {
        for (size_t i = 0; i < map->count; i++) {
            size_t depth = gw_path_push_key(&v->path, map->keys[i]);
            check_string(v, c->items, map->values[i], at);
            gw_path_pop(&v->path, depth);
        }
    }
    {
        struct gw_cel_self self = { v, NULL, NULL, 0, map, NULL, NULL, v->update };
        run_rules(v, c->rules, &self, "object", at);
    }
}

static void
validate_field(struct gw_validator *v, const struct gw_field *f, const char *base,
               const char *old_base, struct gw_mark at)
{
    const void *slot = base + f->offset;
    size_t count = f->count_offset ? *(const size_t *)(base + f->count_offset) : 0;
    const struct gw_check *c = f->check;

    switch (f->kind) {
    case GW_FIELD_STRING:
    case GW_FIELD_INT_OR_STRING: {
        const char *s = *(const char *const *)slot;
        if (!c || !s)
            break;
        check_string(v, c, s, at);
        if (c->rules) {
            struct gw_cel_self self = { v, NULL, NULL, 0, NULL, s,
                                        old_base ? *(const char *const *)(old_base + f->offset)
                                                 : NULL,
                                        v->update };
            run_rules(v, c->rules, &self, "string", at);
        }
        break;
    }
    case GW_FIELD_INT:
        if (c)
            check_int(v, c, *(const int64_t *)slot, at);
        break;
    case GW_FIELD_BOOL:
        break;
    case GW_FIELD_OBJECT:
        if (*(const void *const *)slot)
            validate_struct(v, f->type, *(const void *const *)slot,
                            old_base ? *(const void *const *)(old_base + f->offset) : NULL);
        break;
    case GW_FIELD_MAP:
        if (c)
            validate_map(v, c, slot, at);
        break;
    case GW_FIELD_KEYS:
        if (c)
            check_count(v, c, count, at);
        break;
    case GW_FIELD_STRING_LIST:
        if (c)
            validate_string_list(v, c, *(const char *const *const *)slot, count, at);
        break;
    case GW_FIELD_OBJECT_LIST:
        validate_object_list(v, f, *(const void *const *const *)slot, count, at);
        break;
    }
}

static void
validate_struct(struct gw_validator *v, const struct gw_type *type, const void *model,
                const void *old)
{
    const struct gw_info *info = gw_info_of(model);
    const struct gw_mark *marks = gw_info_marks(model);
    uint32_t present = info->given | info->defaulted;

    for (size_t i = 0; i < type->n_fields && !v->out_of_memory; i++) {
        const struct gw_field *f = &type->fields[i];
        struct gw_mark at = marks && marks[i].line ? marks[i] : info->self;
        size_t depth = gw_path_push_field(&v->path, f->name);
        if (!(present & (UINT32_C(1) << i))) {
            if (type->required & (UINT32_C(1) << i))
                report(v, CODE_REQUIRED, info->self, "Required value");
        } else {
            validate_field(v, f, model, old, at);
        }
        gw_path_pop(&v->path, depth);
    }
    {
        struct gw_cel_self self = { v, model, NULL, 0, NULL, NULL, NULL, v->update };
        run_rules(v, type->rules, &self, "object", info->self);
    }
}

/* Validate one object (against the one it replaces, for an update). */
static int
validate(const gwapi_object *obj, const gwapi_object *old, gwapi_diags *diags)
{
    const struct gw_object_rec *rec = (const struct gw_object_rec *)obj;
    const struct gw_root *root;
    struct gw_validator v;
    int err;

    if (!obj)
        return GWAPI_EINVAL;
    root = gw_root_of(obj->kind, obj->dialect);
    if (!root || !obj->body)
        return GWAPI_EINVAL;
    memset(&v, 0, sizeof(v));
    v.diags = diags;
    v.update = old != NULL;
    v.site = gw_object_site(obj);
    /* The context made the object's memory; it keeps the compiled patterns too. */
    v.patterns = gw_patterns_get((gwapi_ctx *)rec->segment->arena.ctx);
    v.md = v.patterns ? pcre2_match_data_create(1, v.patterns->memory) : NULL;
    if (!v.md) {
        pcre2_match_data_free(v.md);
        return GWAPI_ENOMEM;
    }
    validate_struct(&v, gw_object_meta_type, obj->metadata, NULL);
    gw_path_pop(&v.path, 0);
    gw_validate_meta(&v, obj);
    validate_struct(&v, root->type, obj->body, old ? old->body : NULL);
    pcre2_match_data_free(v.md);
    err = v.out_of_memory ? GWAPI_ENOMEM : v.errors ? GWAPI_EINPUT : GWAPI_OK;
    return err;
}

GWAPI_EXPORT int
gwapi_object_validate(const gwapi_object *obj, gwapi_diags *diags)
{
    return validate(obj, NULL, diags);
}

GWAPI_EXPORT int
gwapi_object_validate_update(const gwapi_object *obj, const gwapi_object *old, gwapi_diags *diags)
{
    /* An update replaces an object of the same kind and dialect; anything else is a caller's
     * mistake, not a valid transition. */
    if (!obj || !old || obj->kind != old->kind || obj->dialect != old->dialect)
        return GWAPI_EINVAL;
    return validate(obj, old, diags);
}

GWAPI_EXPORT int
gwapi_config_validate(const gwapi_config *cfg, gwapi_diags *diags)
{
    int result = GWAPI_OK;

    if (!cfg)
        return GWAPI_EINVAL;
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        int err = validate(gwapi_config_get(cfg, i), NULL, diags);
        if (err == GWAPI_ENOMEM)
            return err;
        if (err)
            result = err;
    }
    return result;
}
