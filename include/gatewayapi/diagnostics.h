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

/** @brief How serious a diagnostic is. Values are stable. @since 0.1 */
typedef enum gwapi_severity {
    GWAPI_SEVERITY_ERROR = 0,   /**< The object (or document) is invalid. */
    GWAPI_SEVERITY_WARNING = 1, /**< Accepted, but probably not what was meant. */
    GWAPI_SEVERITY_INFO = 2     /**< A remark about how the input was read. */
} gwapi_severity;

/**
 * @brief One diagnostic. Strings are owned by the collector; unknown parts are NULL or 0.
 * @since 0.1
 */
typedef struct gwapi_diag {
    gwapi_severity severity; /**< Severity. */
    const char *code;        /**< Stable code, such as "syntax" or "unknown-field" (see the
                                  diagnostics page of the documentation). */
    const char *kind;        /**< Kind of the object concerned, or NULL. */
    const char *ns;          /**< Namespace of the object, or NULL. */
    const char *name;        /**< Name of the object, or NULL. */
    const char *path;        /**< Field path such as "spec.rules[0].matches[1].path.value", or NULL. */
    const char *source;      /**< File name or buffer name, or NULL. */
    unsigned line;           /**< 1-based line, or 0 when unknown. */
    unsigned column;         /**< 1-based column, or 0 when unknown. */
    const char *reason;      /**< Gateway API condition reason where one applies, or NULL. */
    const char *message;     /**< What is wrong, in words. */
} gwapi_diag;

/**
 * @brief A caller-owned collector of diagnostics. Not safe for concurrent use.
 * @since 0.1
 */
typedef struct gwapi_diags gwapi_diags;

/**
 * @brief Create an empty collector.
 * @param[out] out The collector.
 * @param ctx Context whose allocator it uses, or NULL for the C library's.
 * @return 0 or #GWAPI_ENOMEM.
 * @since 0.1
 */
GWAPI_EXPORT int gwapi_diags_new(gwapi_diags **out, gwapi_ctx *ctx);

/** @brief Free a collector and its diagnostics. @param diags A collector, or NULL. @since 0.1 */
GWAPI_EXPORT void gwapi_diags_free(gwapi_diags *diags);

/** @brief Forget every diagnostic. @param diags The collector. @since 0.1 */
GWAPI_EXPORT void gwapi_diags_clear(gwapi_diags *diags);

/**
 * @brief Number of diagnostics collected. @param diags The collector, or NULL.
 * @return The count (0 for NULL). @since 0.1
 */
GWAPI_EXPORT size_t gwapi_diags_count(const gwapi_diags *diags);

/**
 * @brief Number of diagnostics of severity #GWAPI_SEVERITY_ERROR. @param diags The collector.
 * @return The count. @since 0.1
 */
GWAPI_EXPORT size_t gwapi_diags_error_count(const gwapi_diags *diags);

/**
 * @brief The diagnostic at @p index, in the order they were found.
 * @param diags The collector. @param index 0 to gwapi_diags_count() - 1.
 * @return The diagnostic (valid until the collector is cleared or freed), or NULL out of range.
 * @since 0.1
 */
GWAPI_EXPORT const gwapi_diag *gwapi_diags_get(const gwapi_diags *diags, size_t index);

/**
 * @brief Format a diagnostic as one line, like a compiler:
 * `file:line:col: error: HTTPRoute foo/foo-route: spec.rules[0].path.value: message`.
 * @param diag The diagnostic.
 * @param buf Where to write, NUL-terminated and truncated to @p size; may be NULL when size is 0.
 * @param size Size of @p buf.
 * @return The length the full line has (as snprintf()), excluding the NUL.
 * @since 0.1
 */
GWAPI_EXPORT size_t gwapi_diag_format(const gwapi_diag *diag, char *buf, size_t size);

/**
 * @brief The name of a severity: "error", "warning" or "info".
 * @param severity A #gwapi_severity. @return A static string. @since 0.1
 */
GWAPI_EXPORT const char *gwapi_severity_name(gwapi_severity severity);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_DIAGNOSTICS_H */
