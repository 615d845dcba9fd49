/**
 * @file gatewayapi.h
 * @brief libgatewayapi: the Kubernetes Gateway API for any program. Include this header.
 *
 * @mainpage libgatewayapi
 *
 * libgatewayapi reads Gateway API manifests (YAML or JSON, both the gateway.networking.k8s.io API
 * and the original networking.x-k8s.io/v1alpha1 dialect) into a typed, read-only model with the
 * CRDs' defaults applied, and reports every problem with its file, line, column and field path.
 *
 * - gatewayapi/context.h: the context (allocator, limits)
 * - gatewayapi/config.h: loading objects into a configuration, finding them
 * - gatewayapi/model.h: the typed structs of every kind
 * - gatewayapi/diagnostics.h: diagnostics
 * - gatewayapi/emit.h: writing objects as JSON or YAML
 * - gatewayapi/validate.h: validation as the API server does it
 * - gatewayapi/resolve.h: binding resolution, status and explanations
 * - gatewayapi/router.h: the compiled router and request matching
 * - gatewayapi/endpoints.h: the ready endpoints of a backend Service port
 */
#ifndef GATEWAYAPI_H
#define GATEWAYAPI_H

#include "gatewayapi/common.h"
#include "gatewayapi/version.h"
#include "gatewayapi/context.h"
#include "gatewayapi/diagnostics.h"
#include "gatewayapi/model.h"
#include "gatewayapi/config.h"
#include "gatewayapi/emit.h"
#include "gatewayapi/validate.h"
#include "gatewayapi/resolve.h"
#include "gatewayapi/router.h"
#include "gatewayapi/endpoints.h"

#endif /* GATEWAYAPI_H */
