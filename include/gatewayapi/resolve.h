/**
 * @file gatewayapi/resolve.h
 * @brief Binding resolution: which routes attach to which listeners, the status a controller
 * would write for every object, and why.
 */
#ifndef GATEWAYAPI_RESOLVE_H
#define GATEWAYAPI_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/common.h"
#include "gatewayapi/config.h"
#include "gatewayapi/diagnostics.h"
#include "gatewayapi/emit.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The result of resolving a configuration: immutable, reference-counted, safe to read
 * from any number of threads. It keeps its configuration alive; the configuration must not be
 * changed while the resolution is in use.
 * @since 1.0
 */
typedef struct gwapi_resolution gwapi_resolution;

/** @brief One status condition, in the shape of Kubernetes' metav1.Condition. @since 1.0 */
typedef struct gwapi_condition {
    const char *type;            /**< "Accepted", "Programmed", "ResolvedRefs", ... @since 1.0 */
    const char *status;          /**< "True", "False" or "Unknown". @since 1.0 */
    const char *reason;          /**< The spec's reason, e.g. "NotAllowedByListeners". @since 1.0 */
    const char *message;         /**< Why, in words, naming the other object involved. @since 1.0 */
    int64_t observed_generation; /**< metadata.generation of the object (1 when absent). @since 1.0 */
} gwapi_condition;

/** @brief A route kind a listener supports. @since 1.0 */
typedef struct gwapi_group_kind {
    const char *group; /**< API group, "gateway.networking.k8s.io" for the route kinds. @since 1.0 */
    const char *kind;  /**< Kind, e.g. "HTTPRoute". @since 1.0 */
} gwapi_group_kind;

/** @brief Status of one listener of a Gateway or ListenerSet. @since 1.0 */
typedef struct gwapi_listener_status {
    const char *name;                                  /**< Listener name (v1alpha1: NULL). @since 1.0 */
    const gwapi_group_kind *const *supported_kinds;    /**< The route kinds it supports. @since 1.0 */
    size_t n_supported_kinds;                          /**< Number of supported_kinds. @since 1.0 */
    int64_t attached_routes;                           /**< Routes accepted on it. @since 1.0 */
    const gwapi_condition *const *conditions;          /**< Its conditions. @since 1.0 */
    size_t n_conditions;                               /**< Number of conditions. @since 1.0 */
    int64_t port;                                      /**< Its port. @since 1.0 */
    const char *protocol;                              /**< Its protocol. @since 1.0 */
    const char *hostname;                              /**< Its hostname, or NULL. @since 1.0 */
} gwapi_listener_status;

/**
 * @brief A route's status for one parentRef (or a BackendTLSPolicy's for one ancestor).
 * @since 1.0
 */
typedef struct gwapi_parent_status {
    const char *group;          /**< parentRef group (defaults applied). @since 1.0 */
    const char *kind;           /**< parentRef kind. @since 1.0 */
    const char *ns;             /**< parentRef namespace, or NULL when not written. @since 1.0 */
    const char *name;           /**< parentRef name. @since 1.0 */
    const char *section_name;   /**< parentRef sectionName, or NULL. @since 1.0 */
    int64_t port;               /**< parentRef port, 0 when not written. @since 1.0 */
    const char *controller_name;                /**< The controller writing this entry. @since 1.0 */
    const gwapi_condition *const *conditions;   /**< Its conditions. @since 1.0 */
    size_t n_conditions;                        /**< Number of conditions. @since 1.0 */
    const gwapi_object *parent;                 /**< The parent object it resolved to. @since 1.0 */
} gwapi_parent_status;

/**
 * @brief The status a controller would write for one object. Which parts apply depends on the
 * kind: conditions (GatewayClass, Gateway, ListenerSet), listeners (Gateway, ListenerSet),
 * parents (routes; BackendTLSPolicy ancestors).
 * @since 1.0
 */
typedef struct gwapi_status {
    const gwapi_object *object;                     /**< The object. @since 1.0 */
    const gwapi_condition *const *conditions;       /**< Object conditions. @since 1.0 */
    size_t n_conditions;                            /**< Number of conditions. @since 1.0 */
    const gwapi_listener_status *const *listeners;  /**< Listener status. @since 1.0 */
    size_t n_listeners;                             /**< Number of listeners. @since 1.0 */
    int64_t attached_listener_sets;                 /**< Gateway: ListenerSets attached. @since 1.0 */
    const gwapi_parent_status *const *parents;      /**< Route parents / policy ancestors. @since 1.0 */
    size_t n_parents;                               /**< Number of parents. @since 1.0 */
} gwapi_status;

/** @brief One check of the binding handshake, for explaining an attachment. @since 1.0 */
typedef struct gwapi_explain_step {
    const char *parent;   /**< The parent, as "Kind ns/name"; NULL for a check of the route
                               itself (check "valid"). @since 1.0 */
    const char *listener; /**< The listener concerned, or NULL for a parent-level check. @since 1.0 */
    const char *check;    /**< What was checked: "valid" (the route passes validation: the
                               API server would have stored it), "parent", "class", "section",
                               "kind", "namespace", "hostname", "route-allows", "accepted". @since 1.0 */
    bool passed;          /**< Whether it passed. @since 1.0 */
    const char *reason;   /**< The condition reason a failure leads to, or NULL. @since 1.0 */
    const char *message;  /**< What was compared, naming the objects involved. @since 1.0 */
} gwapi_explain_step;

/** @brief Flags of #gwapi_resolve_options. @since 1.0 */
enum gwapi_resolve_flags {
    /** Resolve objects that fail validation too. By default an object that the API server
     *  would refuse (an error while reading it, or a failed schema constraint or CEL rule) is
     *  left out of binding, status and routing, as if it did not exist, and reported. Only a
     *  Gateway API object without a spec is still left out. A match
     *  that the router cannot evaluate (a header match without a value) is then left out of
     * @since 1.0
     *  the router with an `unmatchable` diagnostic. */
    GWAPI_RESOLVE_INCLUDE_INVALID = 1u << 0
};

/** @brief Options of gwapi_resolve(). Initialise with #GWAPI_RESOLVE_OPTIONS_INIT. @since 1.0 */
typedef struct gwapi_resolve_options {
    size_t size;                 /**< sizeof(gwapi_resolve_options). @since 1.0 */
    const char *controller_name; /**< Only GatewayClasses with this controllerName are ours;
                                      NULL accepts every class. @since 1.0 */
    unsigned flags;              /**< Bitwise or of #gwapi_resolve_flags. @since 1.0 */
} gwapi_resolve_options;

/** Initialiser for #gwapi_resolve_options. @since 1.0 */
#define GWAPI_RESOLVE_OPTIONS_INIT { sizeof(gwapi_resolve_options), NULL, 0 }

/**
 * @brief Resolve a configuration: attach routes to listeners and compute every status.
 *
 * The resolution holds a snapshot of the configuration's objects: loading into @p cfg or
 * removing from it afterwards changes neither the resolution nor the routers compiled from it.
 * Objects that fail validation are left out (see #GWAPI_RESOLVE_INCLUDE_INVALID), each with a
 * `refused` warning.
 *
 * @param[out] out The resolution.
 * @param cfg The configuration (read, not kept).
 * @param options Options, or NULL.
 * @param diags Collector for remarks about the resolution (checks skipped for want of
 *        objects, ...), or NULL.
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_resolve(gwapi_resolution **out, gwapi_config *cfg,
                               const gwapi_resolve_options *options, gwapi_diags *diags);

/**
 * @brief Resolve a configuration again after changes, reusing an earlier resolution of it.
 *
 * The result equals gwapi_resolve() of @p cfg as it is now, with the options @p prev was made
 * with. When every object changed since @p prev (added, replaced or removed by loads, watch
 * events or gwapi_config_remove()) is a route of `gateway.networking.k8s.io`, only those routes
 * are resolved again, and the new resolution shares the rest with @p prev: an update costs time
 * and memory in proportion to the change, not to the configuration. Any other change (a
 * Gateway, a class, a Service, a grant, a policy, ...) may concern every route, and the
 * resolution is then made from scratch; so is it when @p prev is of another configuration,
 * when the change touches more than 1,024 objects, or when the versions updated since the last
 * one made from scratch have accumulated a quarter of its memory. Routers follow with
 * gwapi_router_update().
 *
 * @p prev is not changed; it and the new resolution are independent handles.
 *
 * @param[out] out The resolution (@p prev itself, with a new reference, when nothing changed).
 * @param prev An earlier resolution of @p cfg.
 * @param cfg The configuration (read, not kept).
 * @param diags Collector for remarks about the objects resolved again (the `refused`
 *        warnings of those that fail validation), or about every object when the resolution is
 *        made from scratch; or NULL.
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_resolution_update(gwapi_resolution **out, gwapi_resolution *prev,
                                         gwapi_config *cfg, gwapi_diags *diags);

/** @brief Take a reference (thread-safe). @param r A resolution, or NULL. @return @p r. @since 1.0 */
GWAPI_EXPORT gwapi_resolution *gwapi_resolution_ref(gwapi_resolution *r);

/** @brief Drop a reference (thread-safe). @param r A resolution, or NULL. @since 1.0 */
GWAPI_EXPORT void gwapi_resolution_unref(gwapi_resolution *r);

/**
 * @brief Number of objects that have a status (GatewayClasses, Gateways, ListenerSets, routes,
 * BackendTLSPolicies). @param r The resolution. @return The count. @since 1.0
 */
GWAPI_EXPORT size_t gwapi_resolution_count(const gwapi_resolution *r);

/**
 * @brief The status at @p index, in the order of gwapi_resolution_emit().
 * @param r The resolution. @param index 0 to gwapi_resolution_count() - 1.
 * @return The status, or NULL. @since 1.0
 */
GWAPI_EXPORT const gwapi_status *gwapi_resolution_get(const gwapi_resolution *r, size_t index);

/**
 * @brief The status of @p obj. @param r The resolution. @param obj An object of its config.
 * @return The status, or NULL when the object has none. @since 1.0
 */
GWAPI_EXPORT const gwapi_status *gwapi_resolution_status(const gwapi_resolution *r,
                                                         const gwapi_object *obj);

/**
 * @brief Explain a route's attachments: for every parent it names (and, for v1alpha1, every
 * Gateway that could bind it), the ordered checks, each passed or failed.
 * @param r The resolution.
 * @param route A route object of the configuration.
 * @param[out] steps The steps (owned by the resolution).
 * @param[out] count Their number.
 * @return 0; #GWAPI_ENOTFOUND when @p route is an object of the configuration but not a route;
 *         #GWAPI_EINVAL when it is not an object of the configuration that was resolved. A
 *         route left out because it fails validation has one step, "valid", failed.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_resolution_explain(const gwapi_resolution *r, const gwapi_object *route,
                                          const gwapi_explain_step *const **steps, size_t *count);

/**
 * @brief Write the statuses as a Kubernetes List: `{"apiVersion": "v1", "kind": "List",
 * "items": [...]}`, each item with apiVersion, kind, metadata (namespace, name, generation)
 * and status in the API's shape.
 * @param r The resolution.
 * @param gateway Only the objects that concern this Gateway ("ns/name"), or NULL for all.
 * @param format JSON or YAML.
 * @param[out] out The text; release it with gwapi_free().
 * @param[out] len Its length; may be NULL.
 * @return 0, #GWAPI_EINVAL, #GWAPI_ENOTFOUND (no such Gateway) or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_resolution_emit(const gwapi_resolution *r, const char *gateway,
                                       gwapi_format format, char **out, size_t *len);

/**
 * @brief The status of one object, as an item of gwapi_resolution_emit()'s List (apiVersion,
 * kind, metadata and status).
 * @param r The resolution. @param obj An object of its configuration.
 * @param format #GWAPI_FORMAT_JSON or #GWAPI_FORMAT_YAML.
 * @param[out] out The text, NUL-terminated; release with gwapi_free().
 * @param[out] len Its length, or NULL.
 * @return 0, #GWAPI_ENOTFOUND (the object has no status here), #GWAPI_EINVAL or
 *         #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_status_emit(const gwapi_resolution *r, const gwapi_object *obj,
                                   gwapi_format format, char **out, size_t *len);

/**
 * @brief What changed from one resolution to the next: the objects whose status a controller
 * writes again, and the Gateways whose router is compiled again. Fill with
 * gwapi_resolution_changes(), release with gwapi_changes_release().
 * @since 1.0
 */
typedef struct gwapi_changes {
    size_t size;                               /**< sizeof(gwapi_changes). @since 1.0 */
    gwapi_ctx *ctx;                            /**< The context the lists come from. @since 1.0 */
    const gwapi_object *const *statuses;       /**< Objects of the newer resolution whose status
                                                    differs (or is new), in status order. @since 1.0 */
    size_t n_statuses;                         /**< Their number. @since 1.0 */
    const gwapi_object *const *gateways;       /**< Gateways of the newer resolution whose
                                                    router may differ: never one fewer than
                                                    changed, sometimes more (a changed Service
                                                    counts for every Gateway). @since 1.0 */
    size_t n_gateways;                         /**< Their number. @since 1.0 */
} gwapi_changes;

/** Initialiser for #gwapi_changes. @since 1.0 */
#define GWAPI_CHANGES_INIT { sizeof(gwapi_changes), NULL, NULL, 0, NULL, 0 }

/**
 * @brief Compare two resolutions of one configuration's history (the older one, then the
 * newer one made after applying changes). Objects that did not change are shared between the
 * snapshots of both, so the comparison costs a pass over the objects and their statuses; when
 * @p after was made by gwapi_resolution_update() from @p before, only the objects the update
 * resolved again (and the Gateways and ListenerSets) are compared.
 * @param before The older resolution. @param after The newer one.
 * @param[out] out The changes (its size field set, #GWAPI_CHANGES_INIT); the objects it lists
 *        belong to @p after and live as long as it.
 * @return 0, #GWAPI_EINVAL (resolutions of different contexts) or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_resolution_changes(const gwapi_resolution *before,
                                          const gwapi_resolution *after, gwapi_changes *out);

/** @brief Release the lists of a #gwapi_changes. @param c The changes, or NULL. @since 1.0 */
GWAPI_EXPORT void gwapi_changes_release(gwapi_changes *c);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_RESOLVE_H */
