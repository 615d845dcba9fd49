/**
 * @file gatewayapi/diagnostics.h
 * @brief Diagnostics: what is wrong with an input, where, and why.
 */
#ifndef GATEWAYAPI_DIAGNOSTICS_H
#define GATEWAYAPI_DIAGNOSTICS_H

#include <stddef.h>

#include "gatewayapi/common.h"
#include "gatewayapi/context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How serious a diagnostic is. Values are stable. @since 1.0 */
typedef enum gwapi_severity {
    GWAPI_SEVERITY_ERROR = 0,   /**< The object (or document) is invalid. @since 1.0 */
    GWAPI_SEVERITY_WARNING = 1, /**< Accepted, but probably not what was meant. @since 1.0 */
    GWAPI_SEVERITY_INFO = 2     /**< A remark about how the input was read. @since 1.0 */
} gwapi_severity;

/**
 * @name Diagnostic codes
 * The stable codes of #gwapi_diag, as constants. Validation also reports each CEL rule under
 * the name of its check (see the validation page of the documentation).
 * @{
 */
#define GWAPI_CODE_SYNTAX "syntax"                   /**< YAML or JSON that does not parse. @since 1.0 */
#define GWAPI_CODE_ENCODING "encoding"               /**< Invalid UTF-8, a NUL or a control byte. @since 1.0 */
#define GWAPI_CODE_TYPE "type"                       /**< A value of the wrong type. @since 1.0 */
#define GWAPI_CODE_UNKNOWN_FIELD "unknown-field"     /**< A field the schema does not have. @since 1.0 */
#define GWAPI_CODE_DUPLICATE_KEY "duplicate-key"     /**< A key given twice in one map. @since 1.0 */
#define GWAPI_CODE_MERGE_KEY "merge-key"             /**< A YAML merge key (<<) whose value is
                                                          not a map or a list of maps.
                                                          @since 1.0 */
#define GWAPI_CODE_UNKNOWN_KIND "unknown-kind"       /**< An apiVersion/kind not modelled; skipped. @since 1.0 */
#define GWAPI_CODE_LEGACY_VERSION "legacy-version"   /**< A version the CRD lists but no longer
                                                          serves; read as the served one. @since 1.0 */
#define GWAPI_CODE_NOT_OBJECT "not-object"           /**< A document that is not a Kubernetes object. @since 1.0 */
#define GWAPI_CODE_REQUIRED "required"               /**< A required field is missing. @since 1.0 */
#define GWAPI_CODE_LIMIT "limit"                     /**< A limit of the context was exceeded. @since 1.0 */
#define GWAPI_CODE_ALIAS "alias"                     /**< A YAML alias to an unknown anchor. @since 1.0 */
#define GWAPI_CODE_DUPLICATE_OBJECT "duplicate-object" /**< An object given again replaces the first. @since 1.0 */
#define GWAPI_CODE_WATCH_EVENT "watch-event"         /**< A malformed or ERROR watch event. @since 1.0 */
#define GWAPI_CODE_IO "io"                           /**< A file that cannot be read. @since 1.0 */
#define GWAPI_CODE_STALE_EVENT "stale-event"         /**< A watch event older than the object
                                                          held (its resourceVersion is lower):
                                                          ignored. @since 1.0 */
#define GWAPI_CODE_REFUSED_UPDATE "refused-update"   /**< A new version of an object that fails
                                                          validation: the previous one stays, as
                                                          the API server would refuse the
                                                          update. @since 1.0 */
#define GWAPI_CODE_RELIST "relist"                   /**< An ERROR watch event with 410 Gone: the
                                                          watch expired; list again and load the
                                                          List with #GWAPI_LOAD_REPLACE. @since 1.0 */
#define GWAPI_CODE_UNSUPPORTED_VALUE "unsupported-value" /**< A value outside an enum. @since 1.0 */
#define GWAPI_CODE_MINIMUM "minimum"                 /**< A number below its minimum. @since 1.0 */
#define GWAPI_CODE_MAXIMUM "maximum"                 /**< A number above its maximum. @since 1.0 */
#define GWAPI_CODE_MIN_LENGTH "min-length"           /**< A string shorter than allowed. @since 1.0 */
#define GWAPI_CODE_MAX_LENGTH "max-length"           /**< A string longer than allowed. @since 1.0 */
#define GWAPI_CODE_PATTERN "pattern"                 /**< A string not matching its pattern. @since 1.0 */
#define GWAPI_CODE_MIN_ITEMS "min-items"             /**< A list with too few items. @since 1.0 */
#define GWAPI_CODE_MAX_ITEMS "max-items"             /**< A list with too many items. @since 1.0 */
#define GWAPI_CODE_DUPLICATE "duplicate"             /**< Two list items with the same key. @since 1.0 */
#define GWAPI_CODE_IP_ADDRESS "ip-address"           /**< A Gateway address that is not an IP. @since 1.0 */
#define GWAPI_CODE_RESOLVE_SKIPPED "resolve-skipped" /**< A binding check skipped for want of
                                                          objects (info). @since 1.0 */
#define GWAPI_CODE_REFUSED "refused"                 /**< An object left out of binding and
                                                          routing: the API server would refuse it. @since 1.0 */
#define GWAPI_CODE_REGEX "regex"                     /**< A regular expression the router cannot
                                                          use; its match is left out. @since 1.0 */
#define GWAPI_CODE_UNMATCHABLE "unmatchable"         /**< A match the router cannot evaluate
                                                          (a header match without a value, ...);
                                                          it is left out. @since 1.0 */
/** @} */

/**
 * @brief One diagnostic. Strings are owned by the collector; unknown parts are NULL or 0.
 * @since 1.0
 */
typedef struct gwapi_diag {
    gwapi_severity severity; /**< Severity. @since 1.0 */
    const char *code;        /**< Stable code, such as "syntax" or "unknown-field" (see the
                                  diagnostics page of the documentation). @since 1.0 */
    const char *kind;        /**< Kind of the object concerned, or NULL. @since 1.0 */
    const char *ns;          /**< Namespace of the object, or NULL. @since 1.0 */
    const char *name;        /**< Name of the object, or NULL. @since 1.0 */
    const char *path;        /**< Field path such as "spec.rules[0].matches[1].path.value", or NULL. @since 1.0 */
    const char *source;      /**< File name or buffer name, or NULL. @since 1.0 */
    unsigned line;           /**< 1-based line, or 0 when unknown. @since 1.0 */
    unsigned column;         /**< 1-based column, or 0 when unknown. @since 1.0 */
    const char *reason;      /**< Gateway API condition reason where one applies, or NULL. @since 1.0 */
    const char *message;     /**< What is wrong, in words. @since 1.0 */
    unsigned object_line;    /**< Line where the object (or document) concerned starts in
                                  source, 0 when unknown: the diagnostics of one object share
                                  it, even when they could not read its name. @since 1.0 */
} gwapi_diag;

/**
 * @brief A caller-owned collector of diagnostics. Not safe for concurrent use.
 * @since 1.0
 */
typedef struct gwapi_diags gwapi_diags;

/**
 * @brief Create an empty collector.
 * @param[out] out The collector.
 * @param ctx Context whose allocator it uses, or NULL for the C library's.
 * @return 0 or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_diags_new(gwapi_diags **out, gwapi_ctx *ctx);

/** @brief Free a collector and its diagnostics. @param diags A collector, or NULL. @since 1.0 */
GWAPI_EXPORT void gwapi_diags_free(gwapi_diags *diags);

/** @brief Forget every diagnostic. @param diags The collector. @since 1.0 */
GWAPI_EXPORT void gwapi_diags_clear(gwapi_diags *diags);

/**
 * @brief Number of diagnostics collected. @param diags The collector, or NULL.
 * @return The count (0 for NULL). @since 1.0
 */
GWAPI_EXPORT size_t gwapi_diags_count(const gwapi_diags *diags);

/**
 * @brief Number of diagnostics of severity #GWAPI_SEVERITY_ERROR. @param diags The collector.
 * @return The count. @since 1.0
 */
GWAPI_EXPORT size_t gwapi_diags_error_count(const gwapi_diags *diags);

/**
 * @brief The diagnostic at @p index, in the order they were found.
 * @param diags The collector. @param index 0 to gwapi_diags_count() - 1.
 * @return The diagnostic (valid until the collector is cleared or freed), or NULL out of range.
 * @since 1.0
 */
GWAPI_EXPORT const gwapi_diag *gwapi_diags_get(const gwapi_diags *diags, size_t index);

/**
 * @brief Format a diagnostic as one line, like a compiler:
 * `file:line:col: error: HTTPRoute foo/foo-route: spec.rules[0].path.value: message`.
 * @param diag The diagnostic.
 * @param buf Where to write, NUL-terminated and truncated to @p size; may be NULL when size is 0.
 * @param size Size of @p buf.
 * @return The length the full line has (as snprintf()), excluding the NUL.
 * @since 1.0
 */
GWAPI_EXPORT size_t gwapi_diag_format(const gwapi_diag *diag, char *buf, size_t size);

/**
 * @brief The name of a severity: "error", "warning" or "info".
 * @param severity A #gwapi_severity. @return A static string. @since 1.0
 */
GWAPI_EXPORT const char *gwapi_severity_name(gwapi_severity severity);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_DIAGNOSTICS_H */
