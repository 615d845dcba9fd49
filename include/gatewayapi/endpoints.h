/**
 * @file gatewayapi/endpoints.h
 * @brief Where a backend's traffic goes: the ready endpoints of a Service port, from the
 * Service and its EndpointSlices, as Kubernetes data planes find pods.
 */
#ifndef GATEWAYAPI_ENDPOINTS_H
#define GATEWAYAPI_ENDPOINTS_H

#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/common.h"
#include "gatewayapi/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief One address traffic for a Service port goes to. Callers keep these in arrays, so its
 * layout is frozen.
 * @since 1.0
 */
typedef struct gwapi_endpoint_address {
    const char *address; /**< The endpoint's first address: an IPv4 or IPv6 address, or a DNS
                              name (an FQDN slice, or an ExternalName Service). @since 1.0 */
    unsigned port;       /**< The port on the endpoint. @since 1.0 */
} gwapi_endpoint_address;

/**
 * @brief The ready endpoints of every Service port of a configuration, indexed: an immutable
 * snapshot, independent of the configuration once made, that any number of threads may read.
 * @since 1.0
 */
typedef struct gwapi_endpoints gwapi_endpoints;

/**
 * @brief Index the endpoints of every Service port of a configuration.
 *
 * A Service port's endpoints are those of the EndpointSlices (discovery.k8s.io/v1) of the
 * Service's namespace whose label `kubernetes.io/service-name` names it: the slice port whose
 * name is the Service port's name ("" for an unnamed port) gives the port, and each endpoint
 * whose `conditions.ready` is not false gives its first address (an address listed by two
 * slices counts once). An ExternalName Service has one endpoint, its external name, at the
 * Service port. Slices are taken in load order, endpoints in slice order.
 *
 * @param[out] out The index.
 * @param cfg The configuration (not referenced: the index copies what it keeps).
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_endpoints_new(gwapi_endpoints **out, const gwapi_config *cfg);

/**
 * @brief The ready endpoints of a Service port: what a decision's backend_ns, backend_name and
 * backend_port reach. Allocates nothing.
 * @param eps The index.
 * @param ns The Service's namespace. @param service Its name.
 * @param port The Service port (0: the Service's only port).
 * @param[out] addresses The endpoints, alive as long as @p eps (NULL when there are none).
 * @param[out] count Their number: 0 when the port has no ready endpoint.
 * @return 0, #GWAPI_ENOTFOUND (no such Service, or no such port on it) or #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_endpoints_find(const gwapi_endpoints *eps, const char *ns,
                                      const char *service, int64_t port,
                                      const gwapi_endpoint_address **addresses, size_t *count);

/** @brief Number of Service ports indexed. @param eps The index. @return The count. @since 1.0 */
GWAPI_EXPORT size_t gwapi_endpoints_count(const gwapi_endpoints *eps);

/** @brief Free an index. @param eps An index, or NULL. @since 1.0 */
GWAPI_EXPORT void gwapi_endpoints_free(gwapi_endpoints *eps);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_ENDPOINTS_H */
