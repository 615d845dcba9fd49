/**
 * @file gatewayapi/emit.h
 * @brief Write objects back out as JSON or YAML.
 */
#ifndef GATEWAYAPI_EMIT_H
#define GATEWAYAPI_EMIT_H

#include <stddef.h>

#include "gatewayapi/common.h"
#include "gatewayapi/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Output formats. Values are stable. @since 1.0 */
typedef enum gwapi_format {
    GWAPI_FORMAT_JSON = 0, /**< JSON, indented by two spaces. @since 1.0 */
    GWAPI_FORMAT_YAML = 1  /**< YAML, block style. @since 1.0 */
} gwapi_format;

/**
 * @brief Write one object (apiVersion, kind, metadata and body, defaults included).
 * @param obj The object.
 * @param format The format.
 * @param[out] out The text, NUL-terminated; release it with gwapi_free().
 * @param[out] len Its length; may be NULL.
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_object_emit(const gwapi_object *obj, gwapi_format format, char **out,
                                   size_t *len);

/**
 * @brief Write every object of a configuration: in JSON as a Kubernetes `List`
 * (`{"apiVersion": "v1", "kind": "List", "items": [...]}`), in YAML as a stream of documents.
 * @param cfg The configuration.
 * @param format The format.
 * @param[out] out The text; release it with gwapi_free().
 * @param[out] len Its length; may be NULL.
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_emit(const gwapi_config *cfg, gwapi_format format, char **out,
                                   size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_EMIT_H */
