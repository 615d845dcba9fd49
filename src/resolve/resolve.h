/* Binding resolution, internal: the listeners of each Gateway (its own and those of attached
 * ListenerSets), the routes attached to each listener with their effective hostnames, and the
 * status of every object. The router compiles from the attachments. */
#ifndef GW_RESOLVE_RESOLVE_H
#define GW_RESOLVE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/resolve.h"
#include "util/arena.h"
#include "util/hostname.h"
#include "util/refcount.h"
#include "util/store.h"

#define GW_MAX_CONDITIONS 8

struct gw_conditions {
    gwapi_condition *items[GW_MAX_CONDITIONS];
    size_t count;
};

struct gw_gateway;

/* A route attached to a listener. */
struct gw_attachment {
    const gwapi_object *route;
    const char *const *hostnames; /* effective hostnames; none: every host of the listener */
    size_t n_hostnames;
};

struct gw_listener {
    gwapi_listener_status pub;
    struct gw_conditions conds;
    const gwapi_object *owner;       /* the Gateway or ListenerSet that declares it */
    struct gw_gateway *gateway;      /* the Gateway it serves on */
    const gwapi_listener *spec;      /* v1 listeners */
    const gwapi_v1alpha1_listener *v1alpha1; /* networking.x-k8s.io/v1alpha1 listeners */
    const char *tls_mode;            /* "Terminate", "Passthrough", or NULL without tls */
    gwapi_group_kind kinds[8];
    size_t n_kinds;
    bool protocol_supported;
    bool invalid_kinds;              /* some allowedRoutes.kinds entry was refused */
    const char *refs_reason;         /* ResolvedRefs=False reason, or NULL */
    char *refs_message;
    const char *accept_reason;       /* Accepted=False reason, or NULL */
    char *accept_message;
    const char *conflict_reason;     /* lost a conflict: HostnameConflict / ProtocolConflict */
    char *conflict_message;
    bool overlapping_tls;
    bool valid;                      /* accepted, refs resolved, not conflicted */
    /* The routes attached, in no particular order: a resolution updated from another one
     * copies the other's, without the routes it re-resolves, then appends theirs from
     * first_added on. The array is the resolution's own (freed with it). */
    struct gw_attachment *attachments;
    size_t n_attachments, attachments_capacity;
    size_t first_added;
};

struct gw_gateway {
    const gwapi_object *obj;
    bool is_listener_set;
    bool managed;                    /* its class is ours (Gateways) / its parent is (sets) */
    const char *controller;          /* controllerName for status entries */
    struct gw_gateway *parent;       /* ListenerSets: the Gateway they attach to */
    bool allowed;                    /* ListenerSets: admitted by the Gateway */
    struct gw_listener **listeners;  /* its own */
    size_t n_listeners;
    struct gw_listener **merged;     /* Gateways: own, then attached ListenerSets' */
    size_t n_merged;
    size_t attached_sets;
    struct gw_conditions conds;
    gwapi_status *status;
};

/* The explanation of one route: its steps, in order. */
struct gw_explain {
    const gwapi_object *route;
    gwapi_explain_step **steps;
    size_t count, capacity;
};

struct gwapi_resolution {
    gw_refcount refs;
    gwapi_config *cfg;               /* a snapshot: the objects admitted */
    const gwapi_ctx *ctx;
    /* Memory: the resolution's own store, and those of the resolutions it was updated from,
     * which it points into (see update.c). The arrays indexed by config object are its own
     * (malloc'd), never shared. */
    struct gw_stores stores;
    struct gw_arena *arena;          /* the own store's */
    uint64_t serial;                 /* unique among the resolutions of this process */
    uint64_t base_serial;            /* updated from that resolution (0: built from scratch) */
    uint64_t source_id, source_version; /* the configuration resolved, and its version then */
    bool include_invalid;            /* option: objects that fail validation are kept */
    /* Updated from another resolution: the objects it re-resolved (the versions it left out
     * and those it took in); the router updates from the same lists. */
    const gwapi_object **dropped, **added;
    size_t n_dropped, n_added;
    struct gw_dropped {              /* the attachments of the routes dropped, by listener */
        const struct gw_listener *listener;  /* this resolution's */
        struct gw_attachment attachment;
    } *dropped_attachments;
    size_t n_dropped_attachments, dropped_attachments_capacity;
    gwapi_diags *diags;              /* only while resolving */
    const char *controller;          /* option: the controllerName that is ours */
    bool have_classes, have_services, have_secrets, have_config_maps, have_namespaces;
    bool have_policies, have_v1alpha1;
    struct gw_gateway **gateways;    /* v1 Gateways and ListenerSets, config order */
    size_t n_gateways;
    gwapi_status **statuses;         /* output order */
    size_t n_statuses;
    gwapi_status **by_index;         /* status of config object i, or NULL */
    struct gw_explain **explain_at;  /* explanation of config object i, or NULL */
    uint8_t *rank_at;                /* where config object i's status goes (gw_status_rank()) */
    struct gw_explain *last_explain; /* the one last added to */
    struct gw_refusal {               /* objects left out because they fail validation */
        const gwapi_object *obj;
        gwapi_explain_step *step;     /* its one explanation step */
    } *refused;                       /* sorted by obj, for bsearch */
    size_t n_refused, refused_capacity;
    const gwapi_object **grants;     /* ReferenceGrants by namespace (see gw_reference_granted) */
    size_t n_grants;
    struct gw_service_ref {          /* Services targeted by a BackendTLSPolicy that cannot be */
        const char *ns, *name;       /* honoured, sorted (see gw_backend_tls_broken) */
    } *broken_services;
    size_t n_broken_services;
    struct gw_tls_policy {           /* BackendTLSPolicies in force, by the Service (and port */
        const char *ns, *name;       /* name) they target, sorted (see gw_backend_tls_policy) */
        const char *section;         /* the Service port's name, or NULL: every port */
        const gwapi_object *policy;
    } *tls_policies;
    size_t n_tls_policies;
    bool out_of_memory;
};

/* Allocation in the resolution's arena; failures set out_of_memory. */
void *gw_res_alloc(gwapi_resolution *r, size_t size);
char *gw_res_printf(gwapi_resolution *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gw_cond_set(gwapi_resolution *r, struct gw_conditions *c, const char *type, const char *status,
                 const char *reason, int64_t generation, const char *message);
void gw_cond_publish(gwapi_resolution *r, const struct gw_conditions *c,
                     const gwapi_condition *const **out, size_t *count);
int64_t gw_generation(const gwapi_object *obj);

/* The value of key in a map (labels, annotations); false when it has none. */
bool gw_string_map_get(const gwapi_string_map *m, const char *key, const char **value);

/* Namespaces and label selectors. */
bool gw_selector_matches(const gwapi_label_selector *sel, const gwapi_string_map *labels,
                         const char *ns_name);
bool gw_namespace_selected(gwapi_resolution *r, const gwapi_label_selector *sel, const char *ns);

/* References across namespaces: the grants indexed once per resolution (grants.c). */
void gw_index_grants(gwapi_resolution *r);
bool gw_reference_granted(gwapi_resolution *r, const char *from_group, const char *from_kind,
                          const char *from_ns, const char *to_group, const char *to_kind,
                          const char *to_ns, const char *to_name);


/* Why a backendRef cannot be used (InvalidKind, RefNotPermitted, BackendNotFound), or NULL. */
const char *gw_backend_problem(gwapi_resolution *r, const gwapi_object *route, const char *group,
                               const char *kind, const char *ns, const char *name, int64_t port,
                               bool has_port);

/* The client-certificate validation a Gateway's HTTPS listeners of that port apply (its
 * frontend TLS: the port's entry, else the default), or NULL. */
const gwapi_frontend_tls_validation *gw_frontend_validation(const gwapi_gateway *gw, int64_t port);

/* Is a BackendTLSPolicy that cannot be honoured attached to Service ns/name? Its traffic
 * then fails rather than go out without the TLS the policy asks for. */
bool gw_backend_tls_broken(const gwapi_resolution *r, const char *ns, const char *name);
/* The BackendTLSPolicy in force for traffic to port of Service ns/name (one naming that
 * port's name before one for every port), or NULL. */
const gwapi_object *gw_backend_tls_policy(const gwapi_resolution *r, const char *ns,
                                          const char *name, int64_t port);

/* Building a resolution (resolution.c): an empty one (from: the resolution it is updated
 * from, or NULL), its arrays by config object, the kinds present, and the statuses in emit
 * order once every stage has run. */
gwapi_resolution *gw_resolution_new(const gwapi_ctx *ctx, const char *controller,
                                    bool include_invalid, const gwapi_resolution *from);
bool gw_resolution_index(gwapi_resolution *r);
void gw_note_kinds(gwapi_resolution *r);
void gw_collect_statuses(gwapi_resolution *r);
/* The group of the status list an object's status belongs to (0: none). */
uint8_t gw_status_rank(const gwapi_object *obj);
int gw_resolve_full(gwapi_resolution **out, gwapi_config *source, const char *controller,
                    bool include_invalid, gwapi_diags *diags);

/* The stages. */
void gw_resolve_gateways(gwapi_resolution *r);
void gw_resolve_routes(gwapi_resolution *r);
void gw_resolve_route(gwapi_resolution *r, const gwapi_object *route); /* one of any kind */
void gw_resolve_policies(gwapi_resolution *r);
void gw_resolve_v1alpha1(gwapi_resolution *r);

/* Explanations: a route's, found through its config index (NULL when it has none; *index is
 * SIZE_MAX when the route is not in the configuration). */
struct gw_explain *gw_find_explain(const gwapi_resolution *r, const gwapi_object *route,
                                   size_t *index);
void gw_explain_add(gwapi_resolution *r, const gwapi_object *route, const char *parent,
                    const char *listener, const char *check, bool passed, const char *reason,
                    const char *message);

/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute. */
bool gw_is_route_kind(gwapi_kind kind);

/* Attach a route to a listener (counted in its status). */
void gw_listener_attach(gwapi_resolution *r, struct gw_listener *l, const struct gw_attachment *a);

/* Status records. */
gwapi_status *gw_status_new(gwapi_resolution *r, const gwapi_object *obj);

/* Admission (admission.c): the snapshot of the objects the API server would have stored, and
 * the refusal of one left out, or NULL. */
void gw_admit_objects(gwapi_resolution *r, const gwapi_config *cfg, bool include_invalid);
/* One object: false when it is left out (its refusal is then recorded and reported). The
 * caller sorts r->refused (gw_sort_refusals()) once every object is through. */
bool gw_admit_object(gwapi_resolution *r, const gwapi_object *obj, gwapi_diags *scratch);
void gw_sort_refusals(gwapi_resolution *r);
/* Record a refusal (r->refused has room for it): the resolution holds the object. */
void gw_refuse(gwapi_resolution *r, const gwapi_object *obj, gwapi_explain_step *step);
const struct gw_refusal *gw_find_refusal(const gwapi_resolution *r, const gwapi_object *obj);

/* The status of one object as JSON, into sb (emptied first); false when out of memory. */
struct gw_strbuf;
bool gw_status_json(const gwapi_status *st, struct gw_strbuf *sb);

extern const char gw_group[]; /* "gateway.networking.k8s.io" */

#endif
