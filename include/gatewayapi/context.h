/**
 * @file gatewayapi/context.h
 * @brief The library context: allocator and limits, shared by everything made from it.
 */
#ifndef GATEWAYAPI_CONTEXT_H
#define GATEWAYAPI_CONTEXT_H

#include <stddef.h>

#include "gatewayapi/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A library context. Reference-counted; holds the allocator and the limits.
 *
 * A context may be shared by any number of configurations. Changing its limits while another
 * thread loads through it is not safe. Its reference count is atomic: references may be taken
 * and dropped on any thread.
 * @since 1.0
 */
typedef struct gwapi_ctx gwapi_ctx;

/**
 * @brief Memory functions the library uses for its own allocations.
 *
 * Everything the library keeps goes through them: the objects, diagnostics, resolutions,
 * routers, compiled regular expressions (the router's and the validator's) and their match
 * stacks. Matching and gwapi_decision_apply() allocate nothing. Three exceptions, each through
 * the C library: libyaml's and cJSON's parser state, which lives only while a load runs (the
 * library never changes their global hooks, which belong to the host program); and the strings
 * an emit function hands to the caller, which gwapi_free() releases.
 * @since 1.0
 */
typedef struct gwapi_allocator {
    size_t size;                                          /**< sizeof(gwapi_allocator). @since 1.0 */
    void *(*alloc)(void *user_data, size_t size);         /**< Like malloc(). @since 1.0 */
    void *(*realloc)(void *user_data, void *ptr, size_t size); /**< Like realloc(). @since 1.0 */
    void (*free)(void *user_data, void *ptr);             /**< Like free(); receives NULL too. @since 1.0 */
    void *user_data;                                      /**< Passed to the three functions. @since 1.0 */
} gwapi_allocator;

/**
 * @brief Limits that bound what one input may cost. Zero in a field means "the default".
 *
 * Past a limit the input is refused with a `limit` diagnostic; memory stays bounded.
 * @since 1.0
 */
typedef struct gwapi_limits {
    size_t size;               /**< sizeof(gwapi_limits); set by #GWAPI_LIMITS_INIT. @since 1.0 */
    size_t max_document_bytes; /**< Bytes of one YAML document or JSON value (default 16 MiB:
                                    the API server takes at most 3 MiB in one request, so no
                                    stored object is larger; the rest is room for a List, which
                                    kubectl writes as one document). @since 1.0 */
    size_t max_depth;          /**< Nesting depth of maps and lists (default 64). @since 1.0 */
    size_t max_nodes;          /**< Nodes of one document, counting every expansion of a YAML
                                    alias (default 1,000,000): bounds "billion laughs". @since 1.0 */
    size_t max_objects;        /**< Objects in one configuration (default 1,000,000). @since 1.0 */
    size_t max_string_bytes;   /**< Bytes of one scalar (default 1 MiB). @since 1.0 */
    size_t max_input_bytes;    /**< Bytes of one file, descriptor or buffer loaded (default
                                    256 MiB): it is read whole before parsing. @since 1.0 */
} gwapi_limits;

/** Initialiser for #gwapi_limits: every limit at its default. @since 1.0 */
#define GWAPI_LIMITS_INIT { sizeof(gwapi_limits), 0, 0, 0, 0, 0, 0 }

/**
 * @brief Create a context with the C library's allocator and default limits.
 * @param[out] out The new context, with one reference.
 * @return 0, or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_ctx_new(gwapi_ctx **out);

/**
 * @brief Create a context that allocates through @p allocator.
 * @param[out] out The new context, with one reference.
 * @param allocator Memory functions; copied. NULL means the C library's.
 * @return 0, #GWAPI_EINVAL (bad size or missing function) or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_ctx_new_with_allocator(gwapi_ctx **out, const gwapi_allocator *allocator);

/**
 * @brief Take a reference (thread-safe). @param ctx A context, or NULL. @return @p ctx. @since 1.0
 */
GWAPI_EXPORT gwapi_ctx *gwapi_ctx_ref(gwapi_ctx *ctx);

/**
 * @brief Drop a reference (thread-safe); the last one frees the context. @param ctx A context, or NULL.
 * @since 1.0
 */
GWAPI_EXPORT void gwapi_ctx_unref(gwapi_ctx *ctx);

/**
 * @brief Set the limits. Fields left 0 take their defaults.
 * @param ctx The context.
 * @param limits The limits; its size field must be set (#GWAPI_LIMITS_INIT).
 * @return 0 or #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_ctx_set_limits(gwapi_ctx *ctx, const gwapi_limits *limits);

/**
 * @brief Read the limits in force, defaults filled in.
 * @param ctx The context.
 * @param[out] out Receives the limits; its size field must be set (#GWAPI_LIMITS_INIT).
 * @return 0 or #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_ctx_get_limits(const gwapi_ctx *ctx, gwapi_limits *out);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_CONTEXT_H */
