/* ObjectMeta as the API server validates it, with its messages word for word: the name (an RFC
 * 1123 subdomain for custom resources, Secrets and ConfigMaps; an RFC 1123 label for
 * Namespaces; an RFC 1035 label for Services), the namespace (an RFC 1123 label), label keys
 * and values, annotation keys, and the annotations' total size. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "validate/validator.h"

#define DNS1123_LABEL_MAX 63
#define DNS1123_SUBDOMAIN_MAX 253
#define QUALIFIED_NAME_MAX 63
#define LABEL_VALUE_MAX 63
#define ANNOTATIONS_MAX_BYTES (256 * 1024)

#define LABEL_FMT "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define SUBDOMAIN_FMT LABEL_FMT "(\\." LABEL_FMT ")*"
#define DNS1035_FMT "[a-z]([-a-z0-9]*[a-z0-9])?"
#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define LABEL_VALUE_FMT "(" QNAME_FMT ")?"

static const char dns1123_label_msg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '" LABEL_FMT "')";
static const char dns1123_subdomain_msg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '" SUBDOMAIN_FMT "')";
static const char dns1035_label_msg[] =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '" DNS1035_FMT "')";
static const char qualified_name_msg[] =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '" QNAME_FMT "')";
static const char label_value_msg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is '" LABEL_VALUE_FMT "')";

static bool
lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool
alnum(char c)
{
    return isalnum((unsigned char)c) != 0;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..len) */
static bool
is_label(const char *s, size_t len)
{
    if (!len || !lower_alnum(s[0]) || !lower_alnum(s[len - 1]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!lower_alnum(s[i]) && s[i] != '-')
            return false;
    return true;
}

static bool
is_subdomain(const char *s, size_t len)
{
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.')
            continue;
        if (!is_label(s + start, i - start))
            return false;
        start = i + 1;
    }
    return len > 0;
}

static bool
is_dns1035_label(const char *s)
{
    return s[0] >= 'a' && s[0] <= 'z' && is_label(s, strlen(s));
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] */
static bool
is_qualified_part(const char *s, size_t len)
{
    if (!len || !alnum(s[0]) || !alnum(s[len - 1]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

/* One part of a qualified name ("prefix" or "name"): present, short enough, well formed. */
static void
check_part(struct gw_validator *v, const char *key, const char *part, size_t len, size_t max,
           bool well_formed, const char *rule, struct gw_mark at)
{
    if (!len)
        gw_validator_report(v, GWAPI_CODE_PATTERN, at,
                            "Invalid value: \"%.300s\": %s part must be non-empty", key, part);
    else if (len > max)
        gw_validator_report(v, GWAPI_CODE_MAX_LENGTH, at,
                            "Invalid value: \"%.300s\": %s part must be no more than %zu "
                            "characters", key, part, max);
    else if (!well_formed)
        gw_validator_report(v, GWAPI_CODE_PATTERN, at, "Invalid value: \"%.300s\": %s part %s",
                            key, part, rule);
}

/* The problems of a qualified name (a label or annotation key), as IsQualifiedName words them:
 * each reported through report() against value. */
static void
check_qualified_name(struct gw_validator *v, const char *checked, const char *key,
                     struct gw_mark at)
{
    const char *slash = strchr(checked, '/'), *name = slash ? slash + 1 : checked;
    size_t name_len = strlen(name);

    if (slash && strchr(slash + 1, '/')) {
        gw_validator_report(v, GWAPI_CODE_PATTERN, at,
                            "Invalid value: \"%.300s\": a qualified name %s with an optional DNS "
                            "subdomain prefix and '/' (e.g. 'example.com/MyName')", key,
                            qualified_name_msg);
        return;
    }
    if (slash)
        check_part(v, key, "prefix", (size_t)(slash - checked), DNS1123_SUBDOMAIN_MAX,
                   is_subdomain(checked, (size_t)(slash - checked)), dns1123_subdomain_msg, at);
    check_part(v, key, "name", name_len, QUALIFIED_NAME_MAX, is_qualified_part(name, name_len),
               qualified_name_msg, at);
}

/* How the object's kind names its objects. */
enum name_rule { NAME_SUBDOMAIN, NAME_LABEL, NAME_DNS1035 };

static void
check_name(struct gw_validator *v, const char *name, enum name_rule rule, struct gw_mark at)
{
    size_t len = strlen(name), max = rule == NAME_SUBDOMAIN ? DNS1123_SUBDOMAIN_MAX
                                                            : DNS1123_LABEL_MAX;
    bool ok = rule == NAME_SUBDOMAIN ? is_subdomain(name, len)
            : rule == NAME_LABEL     ? is_label(name, len)
                                     : is_dns1035_label(name);

    if (len > max)
        gw_validator_report(v, GWAPI_CODE_MAX_LENGTH, at,
                            "Invalid value: \"%.300s\": must be no more than %zu characters",
                            name, max);
    if (!ok)
        gw_validator_report(v, GWAPI_CODE_PATTERN, at, "Invalid value: \"%.300s\": %s", name,
                            rule == NAME_SUBDOMAIN ? dns1123_subdomain_msg
                            : rule == NAME_LABEL   ? dns1123_label_msg
                                                   : dns1035_label_msg);
}

/* Where a metadata field was written, or the metadata's own position. */
static struct gw_mark
mark_of(const gwapi_object_meta *meta, const char *field)
{
    const struct gw_mark *marks = gw_info_marks(meta);
    int i = gw_field_index(gw_object_meta_type, field);
    return marks && i >= 0 && marks[i].line ? marks[i] : gw_info_of(meta)->self;
}

void
gw_validate_meta(struct gw_validator *v, const gwapi_object *obj)
{
    const gwapi_object_meta *meta = obj->metadata;
    enum name_rule rule = obj->kind == GWAPI_KIND_NAMESPACE ? NAME_LABEL
                        : obj->kind == GWAPI_KIND_SERVICE   ? NAME_DNS1035
                                                            : NAME_SUBDOMAIN;
    size_t depth = gw_path_push_field(&v->path, "metadata"), inner, bytes = 0;

    if (meta->name && *meta->name) {
        inner = gw_path_push_field(&v->path, "name");
        check_name(v, meta->name, rule, mark_of(meta, "name"));
        gw_path_pop(&v->path, inner);
    }
    if (meta->namespace_ && gw_field_state(meta, "namespace") == GWAPI_FIELD_GIVEN) {
        inner = gw_path_push_field(&v->path, "namespace");
        check_name(v, meta->namespace_, NAME_LABEL, mark_of(meta, "namespace"));
        gw_path_pop(&v->path, inner);
    }
    inner = gw_path_push_field(&v->path, "labels");
    for (size_t i = 0; i < meta->labels.count; i++) {
        const char *value = meta->labels.values[i];
        check_qualified_name(v, meta->labels.keys[i], meta->labels.keys[i],
                             mark_of(meta, "labels"));
        if (strlen(value) > LABEL_VALUE_MAX)
            gw_validator_report(v, GWAPI_CODE_MAX_LENGTH, mark_of(meta, "labels"),
                                "Invalid value: \"%.300s\": must be no more than %d characters",
                                value, LABEL_VALUE_MAX);
        if (*value && !is_qualified_part(value, strlen(value)))
            gw_validator_report(v, GWAPI_CODE_PATTERN, mark_of(meta, "labels"),
                                "Invalid value: \"%.300s\": %s", value, label_value_msg);
    }
    gw_path_pop(&v->path, inner);
    inner = gw_path_push_field(&v->path, "annotations");
    for (size_t i = 0; i < meta->annotations.count; i++) {
        char lower[512];
        const char *key = meta->annotations.keys[i], *checked = key;
        size_t n = strlen(key);
        /* Annotation keys are checked lower-cased, as the API server does. */
        if (n < sizeof(lower)) {
            for (size_t k = 0; k <= n; k++)
                lower[k] = (char)tolower((unsigned char)key[k]);
            checked = lower;
        }
        check_qualified_name(v, checked, key, mark_of(meta, "annotations"));
        bytes += n + strlen(meta->annotations.values[i]);
    }
    if (bytes > ANNOTATIONS_MAX_BYTES)
        gw_validator_report(v, GWAPI_CODE_MAX_LENGTH, mark_of(meta, "annotations"),
                            "Too long: may not be more than %d bytes", ANNOTATIONS_MAX_BYTES);
    gw_path_pop(&v->path, inner);
    gw_path_pop(&v->path, depth);
}
