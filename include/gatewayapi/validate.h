/**
 * @file gatewayapi/validate.h
 * @brief Validation as the API server does it: every OpenAPI constraint and CEL rule of the
 * CRDs, on the defaulted object.
 */
#ifndef GATEWAYAPI_VALIDATE_H
#define GATEWAYAPI_VALIDATE_H

#include "gatewayapi/common.h"
#include "gatewayapi/config.h"
#include "gatewayapi/diagnostics.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Validate one object as the API server would on create.
 *
 * Checks the CRD schema (required fields, enums, minimum and maximum, lengths, patterns, item
 * counts, uniqueness of list keys and set items, Gateway addresses' IP literals) and every CEL
 * rule that applies to the object; for networking.x-k8s.io/v1alpha1 objects, the checks of that
 * release's validating webhook. Each failure is an error diagnostic whose code names the rule
 * and whose message is the CRD's own.
 *
 * @param obj An object of a configuration.
 * @param diags Collector, or NULL.
 * @return 0 when valid, #GWAPI_EINPUT when not, #GWAPI_EINVAL, #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_object_validate(const gwapi_object *obj, gwapi_diags *diags);

/**
 * @brief Validate an object as an update of @p old: as gwapi_object_validate(), plus the
 * transition rules (such as the immutable GatewayClass controllerName).
 * @param obj The new object. @param old The object it replaces (same kind and dialect).
 * @param diags Collector, or NULL.
 * @return As gwapi_object_validate().
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_object_validate_update(const gwapi_object *obj, const gwapi_object *old,
                                              gwapi_diags *diags);

/**
 * @brief Validate every object of a configuration.
 * @param cfg The configuration. @param diags Collector, or NULL.
 * @return 0 when all are valid, #GWAPI_EINPUT when one is not, #GWAPI_EINVAL, #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_validate(const gwapi_config *cfg, gwapi_diags *diags);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_VALIDATE_H */
