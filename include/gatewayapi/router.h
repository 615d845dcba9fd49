/**
 * @file gatewayapi/router.h
 * @brief The router: one Gateway's attachments compiled for matching requests on the hot path.
 */
#ifndef GATEWAYAPI_ROUTER_H
#define GATEWAYAPI_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/common.h"
#include "gatewayapi/diagnostics.h"
#include "gatewayapi/model.h"
#include "gatewayapi/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name Router limits
 * What one request may cost. Past a limit, gwapi_router_match() returns #GWAPI_ELIMIT with a
 * decision whose status says why (400 or 500): never a truncated match, never "no route".
 * @{
 */
/** Longest host a request may name (Host header or SNI, without its port): DNS names have at
 *  most 253 bytes. Longer: status 400. @since 1.0 */
#define GWAPI_ROUTER_MAX_HOST 255
/** Backtracking steps one regular expression may take on one value (PCRE2's match limit):
 *  about a millisecond. More: status 500. @since 1.0 */
#define GWAPI_ROUTER_REGEX_MATCH_LIMIT 100000
/** Nesting of backtracking one regular expression may reach (PCRE2's depth limit). @since 1.0 */
#define GWAPI_ROUTER_REGEX_DEPTH_LIMIT 5000
/** Stack bytes the interpreter (without JIT) may use for one regular expression; the JIT uses
 *  its own 32 KiB stack. More: status 500. @since 1.0 */
#define GWAPI_ROUTER_REGEX_HEAP_BYTES 32768
/** @} */

/**
 * @brief A compiled, immutable, reference-counted router for one Gateway. gwapi_router_match()
 * may run on any number of threads at once; it allocates nothing, takes no lock and does no I/O.
 * @since 1.0
 */
typedef struct gwapi_router gwapi_router;

/** @brief What a connection or request speaks. Values are stable. @since 1.0 */
typedef enum gwapi_protocol {
    GWAPI_PROTOCOL_HTTP = 0, /**< HTTP/1.1 or HTTP/2 request (HTTPRoute). @since 1.0 */
    GWAPI_PROTOCOL_GRPC = 1, /**< gRPC call (GRPCRoute): path "/service/method". @since 1.0 */
    GWAPI_PROTOCOL_TLS = 2,  /**< TLS connection routed by SNI (TLSRoute). @since 1.0 */
    GWAPI_PROTOCOL_TCP = 3,  /**< TCP connection (TCPRoute). @since 1.0 */
    GWAPI_PROTOCOL_UDP = 4   /**< UDP flow (UDPRoute). @since 1.0 */
} gwapi_protocol;

/**
 * @brief One header of a request or a response. Callers keep these in arrays, so its layout is
 * frozen: unlike the model's structs it never grows.
 * @since 1.0
 */
typedef struct gwapi_http_header {
    const char *name;  /**< Header name, in any case. An entry whose name is NULL is no header:
                            it is skipped. @since 1.0 */
    const char *value; /**< Header value; NULL is the empty value. @since 1.0 */
} gwapi_http_header;

/**
 * @brief Bytes held by the caller: @p len bytes at @p ptr, not NUL-terminated. Its layout is
 * frozen, and is that of h2o's `h2o_iovec_t`. @p ptr NULL is "not given".
 * @since 1.0
 */
typedef struct gwapi_slice {
    const char *ptr; /**< The first byte, or NULL. @since 1.0 */
    size_t len;      /**< The number of bytes. @since 1.0 */
} gwapi_slice;

/**
 * @brief One request header as slices of the caller's buffers. Callers keep these in arrays, so
 * its layout is frozen; it is that of picohttpparser's `struct phr_header`, whose arrays can be
 * passed as they are. An entry whose name's ptr is NULL is no header: it is skipped.
 * @since 1.0
 */
typedef struct gwapi_header_slice {
    gwapi_slice name;  /**< Header name, in any case. @since 1.0 */
    gwapi_slice value; /**< Header value (ptr NULL: the empty value). @since 1.0 */
} gwapi_header_slice;

/**
 * @brief A request to route. Initialise with #GWAPI_REQUEST_INIT.
 *
 * Each text field comes in two forms: a NUL-terminated string (`host`, ...), and the same as a
 * #gwapi_slice of the caller's buffer (`host_slice`, ...), which a proxy fills without copying
 * from its own request (nginx's `ngx_str_t`, h2o's `h2o_iovec_t`, picohttpparser's offsets). A
 * slice whose ptr is not NULL takes the place of the string; `header_slices`, when not NULL,
 * takes the place of `headers`. Slices must not hold NUL bytes: a request with one is refused
 * (#GWAPI_EINVAL, status 400), never cut short. The router never reads past a slice's length.
 * @since 1.0
 */
typedef struct gwapi_request {
    size_t size;                  /**< sizeof(gwapi_request). @since 1.0 */
    gwapi_protocol protocol;      /**< What the client speaks. @since 1.0 */
    unsigned port;                /**< Gateway port the connection came to; 0 for any. @since 1.0 */
    const char *host;             /**< Host header / :authority (a ":port" is ignored), or NULL. @since 1.0 */
    const char *sni;              /**< TLS server name, or NULL. @since 1.0 */
    const char *method;           /**< HTTP method, e.g. "GET"; NULL is "GET". @since 1.0 */
    const char *path;             /**< Path without the query; NULL is "/". @since 1.0 */
    const char *query;            /**< Raw query string without "?", or NULL. @since 1.0 */
    const gwapi_http_header *headers; /**< Request headers, the caller's array. @since 1.0 */
    size_t n_headers;             /**< Number of headers. @since 1.0 */
    uint32_t random;              /**< Uniform over [0, 2^32): chooses among weighted backends
                                       (value modulo the rule's total weight). @since 1.0 */
    gwapi_slice host_slice;       /**< host as a slice. @since 1.0 */
    gwapi_slice sni_slice;        /**< sni as a slice. @since 1.0 */
    gwapi_slice method_slice;     /**< method as a slice. @since 1.0 */
    gwapi_slice path_slice;       /**< path as a slice. @since 1.0 */
    gwapi_slice query_slice;      /**< query as a slice. @since 1.0 */
    const gwapi_header_slice *header_slices; /**< headers as slices, the caller's array.
                                                   @since 1.0 */
    size_t n_header_slices;       /**< Number of header_slices. @since 1.0 */
} gwapi_request;

/** Initialiser for #gwapi_request: an HTTP GET of "/". @since 1.0 */
#define GWAPI_REQUEST_INIT { sizeof(gwapi_request), GWAPI_PROTOCOL_HTTP, 0, NULL, NULL, NULL, \
                             NULL, NULL, NULL, 0, 0, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, \
                             { NULL, 0 }, { NULL, 0 }, NULL, 0 }

/** @brief What the gateway does with a connection's TLS. Values are stable. @since 1.0 */
typedef enum gwapi_tls_action {
    GWAPI_TLS_NONE = 0,        /**< The listener speaks no TLS (HTTP, TCP, UDP). @since 1.0 */
    GWAPI_TLS_TERMINATE = 1,   /**< The gateway terminates TLS with the listener's certificate:
                                    the backend receives the plain request (HTTPS) or the plain
                                    byte stream (a TLS listener in Terminate mode). @since 1.0 */
    GWAPI_TLS_PASSTHROUGH = 2  /**< The TLS stream goes to the backend as it is (a TLS listener
                                    in Passthrough mode). @since 1.0 */
} gwapi_tls_action;

/** @brief What happens to a request. Initialise with #GWAPI_DECISION_INIT. @since 1.0 */
typedef struct gwapi_decision {
    size_t size;                  /**< sizeof(gwapi_decision). @since 1.0 */
    int status;                   /**< 200: forward to the backend; 204: a CORS preflight the
                                       gateway answers (gwapi_decision_cors()); 3xx: the rule
                                       redirects (gwapi_decision_redirect()); 404: no listener
                                       or rule matched; 500: the rule has no usable backend
                                       for this request. @since 1.0 */
    const char *listener;         /**< Name of the listener chosen, or NULL. @since 1.0 */
    const gwapi_object *route;    /**< The route whose rule won, or NULL. @since 1.0 */
    size_t rule;                  /**< Index of that rule in the route. @since 1.0 */
    size_t match;                 /**< Index of the match entry that matched. @since 1.0 */
    const char *backend_ns;       /**< Namespace of the chosen backend, or NULL. @since 1.0 */
    const char *backend_name;     /**< Name of the chosen backend, or NULL. @since 1.0 */
    int64_t backend_port;         /**< Port of the chosen backend (0 when not given). @since 1.0 */
    size_t backend;               /**< Index of the chosen backendRef in the rule. @since 1.0 */
    const gwapi_filter *const *filters;         /**< The rule's filters (v1alpha1 routes: their
                                                     RequestHeaderModifier and RequestMirror
                                                     filters in v1's shape, made by the
                                                     router; their field states read as
                                                     unknown). @since 1.0 */
    size_t n_filters;                           /**< Number of filters. @since 1.0 */
    const gwapi_filter *const *backend_filters; /**< The chosen backendRef's filters. @since 1.0 */
    size_t n_backend_filters;                   /**< Number of backend_filters. @since 1.0 */
    const char *matched_prefix;   /**< The PathPrefix value that matched, or NULL. @since 1.0 */
    gwapi_tls_action tls;         /**< What the listener does with TLS. @since 1.0 */
    int64_t request_timeout_ms;   /**< The HTTPRoute rule's `timeouts.request`, in milliseconds:
                                       how long the whole request may take; 0 disables the
                                       timeout ("0s"); -1 when the rule gives none. @since 1.0 */
    int64_t backend_request_timeout_ms; /**< `timeouts.backendRequest` likewise: each request
                                             to a backend (retries included). @since 1.0 */
    const gwapi_object *backend_tls_policy; /**< The BackendTLSPolicy in force for the chosen
                                                 backend (one naming its Service port before
                                                 one for the whole Service): the backend is
                                                 reached over TLS, with the policy's
                                                 `spec.validation` (hostname: the SNI; CA
                                                 certificates); NULL: plain. @since 1.0 */
    const gwapi_object *backend_client_certificate; /**< With backend_tls_policy: the Secret
                                                         whose certificate the gateway presents
                                                         to the backend (the Gateway's
                                                         `spec.tls.backend.clientCertificateRef`;
                                                         its PEM through
                                                         gwapi_secret_keypair()), or NULL.
                                                         @since 1.0 */
} gwapi_decision;

/** Initialiser for #gwapi_decision. @since 1.0 */
#define GWAPI_DECISION_INIT { sizeof(gwapi_decision), 0, NULL, NULL, 0, 0, NULL, NULL, 0, 0, \
                              NULL, 0, NULL, 0, NULL, GWAPI_TLS_NONE, -1, -1, NULL, NULL }

/**
 * @brief Compile the routes attached to one Gateway.
 * @param[out] out The router.
 * @param res The resolution (a reference is taken).
 * @param gateway The Gateway as "ns/name".
 * @param diags Collector for problems (a regular expression that does not compile), or NULL.
 * @return 0, #GWAPI_ENOTFOUND (no such Gateway), #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_new(gwapi_router **out, gwapi_resolution *res, const char *gateway,
                                  gwapi_diags *diags);

/**
 * @brief Compile a Gateway's router again for a newer resolution, reusing an earlier router.
 *
 * The result equals gwapi_router_new() of @p res for the Gateway of @p prev. When @p res was
 * made by gwapi_resolution_update() from the resolution of @p prev, only the host tiers that
 * hold the routes it resolved again are built again; the new router shares everything else
 * with @p prev, which stays unchanged and usable (publish the new one with
 * gwapi_router_holder_publish() while readers go on with the old). Otherwise, or when the
 * routers updated since the last one compiled from scratch have accumulated a quarter of its
 * memory, the router is compiled from scratch.
 *
 * @param[out] out The router (@p prev itself, with a new reference, when @p res is its
 *        resolution).
 * @param prev An earlier router of the Gateway.
 * @param res The newer resolution (referenced by the router).
 * @param diags Collector for remarks about the routes compiled (regular expressions that do
 *        not compile, matches left out), or NULL.
 * @return 0, #GWAPI_EINVAL, #GWAPI_ENOTFOUND (the Gateway is no longer in @p res) or
 *         #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_update(gwapi_router **out, gwapi_router *prev,
                                     gwapi_resolution *res, gwapi_diags *diags);

/** @brief Whether a listener asks clients for a certificate. Values are stable. @since 1.0 */
typedef enum gwapi_client_validation {
    GWAPI_CLIENT_CERT_NONE = 0,     /**< No client certificate is asked for. @since 1.0 */
    GWAPI_CLIENT_CERT_REQUIRED = 1, /**< A certificate the CA bundle verifies is required
                                         (the Gateway's frontend validation, AllowValidOnly). @since 1.0 */
    GWAPI_CLIENT_CERT_OPTIONAL = 2  /**< Asked for, and a connection without a valid one is
                                         still served (AllowInsecureFallback). @since 1.0 */
} gwapi_client_validation;

/**
 * @brief A certificate a listener terminates TLS with: the PEM bytes of the `tls.crt` and
 * `tls.key` of a Secret its `tls.certificateRefs` name (a kubernetes.io/tls Secret, across
 * namespaces only where a ReferenceGrant permits it). The bytes are the library's, alive as
 * long as the router; no dump or status output shows them. Initialise with
 * #GWAPI_CERTIFICATE_INIT.
 * @since 1.0
 */
typedef struct gwapi_certificate {
    size_t size;                  /**< sizeof(gwapi_certificate). @since 1.0 */
    const char *listener;         /**< The listener's name. @since 1.0 */
    unsigned port;                /**< Its port. @since 1.0 */
    const char *hostname;         /**< The server names it serves: its hostname ("*.x" covers
                                       the names under x), NULL: any. @since 1.0 */
    const gwapi_object *secret;   /**< The Secret. @since 1.0 */
    const char *cert_pem;         /**< tls.crt: the certificate chain, PEM (NUL-terminated). @since 1.0 */
    size_t cert_pem_len;          /**< Its length. @since 1.0 */
    const char *key_pem;          /**< tls.key: the private key, PEM (NUL-terminated). @since 1.0 */
    size_t key_pem_len;           /**< Its length. @since 1.0 */
    gwapi_client_validation client_validation; /**< Whether clients are asked for a
                                                    certificate (the Gateway's frontend TLS
                                                    validation for the listener's port). @since 1.0 */
    const char *client_ca_pem;    /**< The CA bundle client certificates are verified with:
                                       the ca.crt of every ConfigMap the validation names,
                                       concatenated, PEM (NUL-terminated); NULL without
                                       validation. @since 1.0 */
    size_t client_ca_pem_len;     /**< Its length. @since 1.0 */
} gwapi_certificate;

/** Initialiser for #gwapi_certificate. @since 1.0 */
#define GWAPI_CERTIFICATE_INIT { sizeof(gwapi_certificate), NULL, 0, NULL, NULL, NULL, 0, NULL, 0, \
                                 GWAPI_CLIENT_CERT_NONE, NULL, 0 }

/**
 * @brief The certificate to present on a TLS connection: the first certificate of the listener
 * that terminates TLS on @p port for the server name @p sni (the most specific one whose
 * hostname covers it, as requests choose listeners; without a server name, a listener without
 * hostname). When that listener has no certificate the configuration holds (its Secrets are not
 * loaded), the answer has the listener with `secret`, `cert_pem` and `key_pem` NULL.
 * @param router The router. @param port The port the connection came to (0: any).
 * @param sni The server name (any case), or NULL. @param sni_len Its length.
 * @param[out] out The certificate (its size field set).
 * @return 0, #GWAPI_ENOTFOUND (no listener terminates TLS there: the handshake fails) or
 *         #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_certificate(const gwapi_router *router, unsigned port,
                                          const char *sni, size_t sni_len,
                                          gwapi_certificate *out);

/**
 * @brief Every certificate of the router's terminating listeners, one by one (to load them
 * all ahead of connections).
 * @param router The router. @param index 0, 1, ... @param[out] out The certificate.
 * @return 0, #GWAPI_ENOTFOUND past the last, or #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_certificate_at(const gwapi_router *router, size_t index,
                                             gwapi_certificate *out);

/**
 * @brief The PEM certificate and key of a kubernetes.io/tls Secret (`tls.crt` and `tls.key`,
 * from `data` or `stringData`), which the library keeps apart from the model.
 * @param secret A Secret of a configuration (alive as long as it is).
 * @param[out] cert The certificate chain, NUL-terminated. @param[out] cert_len Its length.
 * @param[out] key The private key, NUL-terminated. @param[out] key_len Its length.
 * @return 0, #GWAPI_ENOTFOUND (not a Secret holding both), or #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_secret_keypair(const gwapi_object *secret, const char **cert,
                                      size_t *cert_len, const char **key, size_t *key_len);

/** @brief Take a reference (thread-safe). @param r A router, or NULL. @return @p r. @since 1.0 */
GWAPI_EXPORT gwapi_router *gwapi_router_ref(gwapi_router *r);

/** @brief Drop a reference (thread-safe). @param r A router, or NULL. @since 1.0 */
GWAPI_EXPORT void gwapi_router_unref(gwapi_router *r);

/**
 * @brief The current router of a proxy, swapped while traffic flows: a writer publishes new
 * routers, and any number of reader threads acquire the current one without taking a lock.
 * An old router goes when the last reader that acquired it lets it go.
 * @since 1.0
 */
typedef struct gwapi_router_holder gwapi_router_holder;

/**
 * @brief Create an empty holder.
 * @param[out] out The holder. @param ctx The context whose allocator it uses (a reference is
 *        taken), or NULL for the C library's.
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_holder_new(gwapi_router_holder **out, gwapi_ctx *ctx);

/**
 * @brief Free a holder and drop its reference to the current router. No reader may be in
 * gwapi_router_holder_acquire() any more; routers readers hold stay valid.
 * @param h A holder, or NULL.
 * @since 1.0
 */
GWAPI_EXPORT void gwapi_router_holder_free(gwapi_router_holder *h);

/**
 * @brief Make @p router the current one (a reference is taken; NULL empties the holder). The
 * previous router is dropped once the readers inside an acquire have taken their reference:
 * readers never block, and a writer waits only for those few instructions. Writers are
 * serialised.
 * @param h The holder. @param router The new router, or NULL.
 * @since 1.0
 */
GWAPI_EXPORT void gwapi_router_holder_publish(gwapi_router_holder *h, gwapi_router *router);

/**
 * @brief A reference to the current router; release it with gwapi_router_unref(). Takes no
 * lock, allocates nothing; safe from any number of threads.
 * @param h The holder.
 * @return The router, or NULL when none was published.
 * @since 1.0
 */
GWAPI_EXPORT gwapi_router *gwapi_router_holder_acquire(gwapi_router_holder *h);

/**
 * @brief Route one request: listener, route, rule, backend, filters. Allocates nothing.
 * @param router The router.
 * @param request The request; its size field must be set (#GWAPI_REQUEST_INIT). Only the
 *        first request->size bytes are read: fields a smaller (older) struct lacks read as their
 *        defaults.
 * @param[out] out The decision; its size field must be set (#GWAPI_DECISION_INIT). Only the
 *        first out->size bytes are written. The filter helpers below read decisions and
 *        requests the same way.
 * @return 0 (see out->status), or #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_match(const gwapi_router *router, const gwapi_request *request,
                                    gwapi_decision *out);

/**
 * @brief One candidate of gwapi_router_explain(): a match of a rule, as the router files it
 * under one host key of one listener, and what the request made of it.
 * @since 1.0
 */
typedef struct gwapi_candidate {
    const gwapi_object *route;   /**< The route. @since 1.0 */
    size_t rule;                 /**< Its rule (index from 0). @since 1.0 */
    size_t match;                /**< The rule's match (index from 0). @since 1.0 */
    const char *listener;        /**< The listener whose table holds it. @since 1.0 */
    const char *hostname;        /**< The host key it is filed under: an exact host, or
                                      "*.suffix"; NULL: the listener's every host. @since 1.0 */
    const char *check;           /**< The first check the request fails, in the order they are
                                      made: "listener", "hostname", "path", "method", "header",
                                      "query"; NULL when every check holds. @since 1.0 */
    const char *detail;          /**< What that check compared, or for the winner why it
                                      beats the next candidate whose checks all hold. @since 1.0 */
    bool won;                    /**< This is the candidate gwapi_router_match() decides
                                      on. @since 1.0 */
} gwapi_candidate;

/** @brief The candidates of one request, in the order the router tries them. @since 1.0 */
typedef struct gwapi_candidates gwapi_candidates;

/**
 * @brief Explain a decision: every HTTP or gRPC route match of the router, in the order the
 * router tries them (the request's listener first: its host keys from the most specific that
 * covers the request's host, each with its exact paths, regular expressions, then prefixes from
 * the longest; then the keys that do not cover it; then the other listeners), each with the
 * first check the request fails, and the winner with why it beats the next candidate whose
 * checks all hold. The winner is gwapi_router_match()'s decision.
 *
 * Not for the hot path: it allocates, and reads every match of the router.
 * @param router The router.
 * @param request The request (HTTP or gRPC).
 * @param[out] out The candidates; release them with gwapi_candidates_free().
 * @return 0, #GWAPI_EINVAL (a bad argument, a request gwapi_router_match() refuses, or a
 *         request of another protocol), #GWAPI_ELIMIT (as gwapi_router_match()) or
 *         #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_router_explain(const gwapi_router *router, const gwapi_request *request,
                                      gwapi_candidates **out);

/**
 * @brief The number of candidates.
 * @param c The candidates, or NULL.
 * @return Their number; 0 for NULL.
 * @since 1.0
 */
GWAPI_EXPORT size_t gwapi_candidates_count(const gwapi_candidates *c);

/**
 * @brief One candidate.
 * @param c The candidates.
 * @param index From 0.
 * @return Candidate @p index, valid until gwapi_candidates_free(); NULL past the end.
 * @since 1.0
 */
GWAPI_EXPORT const gwapi_candidate *gwapi_candidates_get(const gwapi_candidates *c,
                                                         size_t index);

/**
 * @brief Release candidates.
 * @param c The candidates; NULL is ignored.
 * @since 1.0
 */
GWAPI_EXPORT void gwapi_candidates_free(gwapi_candidates *c);

/**
 * @brief The redirect a decision's RequestRedirect filter answers with.
 * @param decision A decision with status 3xx.
 * @param request The request it was made for.
 * @param scheme The scheme the request came with ("http" or "https").
 * @param[out] location The Location header value, NUL-terminated (truncated to @p size).
 * @param size Size of @p location.
 * @return The length of the full Location, or 0 when the decision does not redirect.
 * @since 1.0
 */
GWAPI_EXPORT size_t gwapi_decision_redirect(const gwapi_decision *decision,
                                            const gwapi_request *request, const char *scheme,
                                            char *location, size_t size);

/**
 * @brief The path the backend receives after a URLRewrite filter (or the request path).
 * @param decision A decision. @param request Its request.
 * @param[out] path The path, NUL-terminated, truncated to @p size.
 * @param size Size of @p path.
 * @return The length of the full path.
 * @since 1.0
 */
GWAPI_EXPORT size_t gwapi_decision_rewrite_path(const gwapi_decision *decision,
                                                const gwapi_request *request, char *path,
                                                size_t size);

/**
 * @brief The Host the backend receives after a URLRewrite filter, or NULL when unchanged.
 * @param decision A decision. @return The hostname, or NULL. @since 1.0
 */
GWAPI_EXPORT const char *gwapi_decision_rewrite_host(const gwapi_decision *decision);

/**
 * @brief Apply a RequestHeaderModifier or ResponseHeaderModifier to a list of headers: remove
 * (names case-insensitive), then set (replaces every header of that name), then add (appends).
 * @param m The modifier.
 * @param in The headers before.
 * @param n_in Their number.
 * @param[out] out Room for the headers after (strings are shared with @p in and @p m).
 * @param cap Size of @p out.
 * @param[out] n_out Number of headers after (may exceed @p cap: then only @p cap were written).
 * @return 0, or #GWAPI_ELIMIT when @p out was too small.
 * @note @p in and @p out may be the same array (with @p cap at least @p n_in).
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_headers_modify(const gwapi_header_modifier *m, const gwapi_http_header *in,
                                      size_t n_in, gwapi_http_header *out, size_t cap, size_t *n_out);

/**
 * @brief The request headers as the backend receives them, or the response headers as the
 * client receives them: every RequestHeaderModifier (or ResponseHeaderModifier) of a decision
 * applied in turn, the rule's filters first, then the chosen backend's.
 * @param decision A decision.
 * @param response false for the request's headers, true for the response's.
 * @param in The headers before.
 * @param n_in Their number.
 * @param[out] out Room for the headers after (strings are shared with @p in and the filters);
 *        may be @p in itself.
 * @param cap Size of @p out.
 * @param[out] n_out Number of headers after (may exceed @p cap: then only @p cap were kept).
 * @return 0, or #GWAPI_ELIMIT when @p out was too small.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_decision_modify_headers(const gwapi_decision *decision, bool response,
                                               const gwapi_http_header *in, size_t n_in,
                                               gwapi_http_header *out, size_t cap, size_t *n_out);

/** @brief What a CORS filter makes of a request. Values are stable. @since 1.0 */
typedef enum gwapi_cors_kind {
    GWAPI_CORS_NONE = 0,      /**< No CORS filter applies. @since 1.0 */
    GWAPI_CORS_PREFLIGHT = 1, /**< A preflight: the gateway answers it (status 204) with the
                                   headers written; it is not forwarded. @since 1.0 */
    GWAPI_CORS_ACTUAL = 2     /**< An actual request: forward it, and add the headers written
                                   to the backend's response. @since 1.0 */
} gwapi_cors_kind;

/**
 * @brief The CORS response headers of a decision. No header is written when
 * the request's Origin is not allowed, nor when @p out or @p buf is too small (all or nothing:
 * gwapi_decision_apply() reports the room it needs).
 * @param decision A decision.
 * @param request Its request.
 * @param[out] out Room for the headers (at most 6 are written).
 * @param cap Size of @p out.
 * @param[out] n_out Number of headers written.
 * @param buf Storage for the header values the library composes.
 * @param size Size of @p buf.
 * @return What the filter makes of the request.
 * @since 1.0
 */
GWAPI_EXPORT gwapi_cors_kind gwapi_decision_cors(const gwapi_decision *decision,
                                            const gwapi_request *request, gwapi_http_header *out,
                                            size_t cap, size_t *n_out, char *buf, size_t size);

/**
 * @brief A copy of the request to send to another backend (a RequestMirror filter).
 * @since 1.0
 */
typedef struct gwapi_mirror {
    const char *backend_ns;   /**< Namespace of the backend (the route's when the filter
                                   names none). @since 1.0 */
    const char *backend_name; /**< Name of the backend. @since 1.0 */
    int64_t backend_port;     /**< Port of the backend (0 when not given). @since 1.0 */
    int64_t numerator;        /**< The share of requests to mirror is numerator / denominator:
                                   1/1 when the filter sets neither percent nor fraction. @since 1.0 */
    int64_t denominator;      /**< See numerator; never 0. @since 1.0 */
} gwapi_mirror;

/**
 * @brief What the proxy does with a request once it is routed: every filter of the decision
 * applied in the spec's order. Initialise with #GWAPI_ACTION_INIT and fill with
 * gwapi_decision_apply().
 * @since 1.0
 */
typedef struct gwapi_action {
    size_t size;              /**< sizeof(gwapi_action). @since 1.0 */
    int status;               /**< The decision's status: 200 forward; 204 answer the CORS
                                   preflight with response_headers; 3xx answer with location;
                                   anything else, answer with that status. @since 1.0 */
    gwapi_cors_kind cors;     /**< What the CORS filter made of the request. @since 1.0 */
    const char *location;     /**< 3xx: the Location header; otherwise NULL. @since 1.0 */
    const char *host;         /**< 200 (HTTP, gRPC): the Host the backend receives, NULL when
                                   the request had none and no filter sets one. @since 1.0 */
    const char *path;         /**< 200 (HTTP, gRPC): the path the backend receives. @since 1.0 */
    const gwapi_http_header *request_headers; /**< 200 (HTTP, gRPC): the headers the backend
                                                   receives. @since 1.0 */
    size_t n_request_headers;                 /**< Their number. @since 1.0 */
    const gwapi_http_header *response_headers; /**< 200: the backend's response headers after
                                                    the response filters, then the CORS headers;
                                                    204: the preflight's headers. @since 1.0 */
    size_t n_response_headers;                 /**< Their number. @since 1.0 */
    const gwapi_mirror *const *mirrors; /**< 200 (HTTP, gRPC): where copies of the request
                                             go. @since 1.0 */
    size_t n_mirrors;            /**< Their number. @since 1.0 */
} gwapi_action;

/** Initialiser for #gwapi_action. @since 1.0 */
#define GWAPI_ACTION_INIT { sizeof(gwapi_action), 0, GWAPI_CORS_NONE, NULL, NULL, NULL, NULL, 0, \
                            NULL, 0, NULL, 0 }

/**
 * @brief Apply a decision's filters to its request, in the spec's order: a redirect answers;
 * else a CORS preflight is answered; else the host and path are rewritten, the request headers
 * edited, the response headers edited and given the CORS headers, and the mirrors listed.
 *
 * Everything the library composes (the header arrays, the mirrors, the Location, the path, the
 * CORS values) is laid out in @p buf; the header names and values that come from the request,
 * the response or the filters are shared with them. Nothing is allocated.
 * @param decision A decision of gwapi_router_match().
 * @param request The request it was made for.
 * @param scheme The scheme the request came with ("http" or "https"; NULL is "http").
 * @param response_headers The backend's response headers (NULL with 0 when not known yet:
 *        then only the headers the gateway adds are listed).
 * @param n_response_headers Their number.
 * @param[out] out The action; its size field must be set (#GWAPI_ACTION_INIT). The library
 *        writes only the first out->size bytes.
 * @param buf Storage for what the library composes (any alignment).
 * @param size Size of @p buf.
 * @param[out] needed Bytes of @p buf the action needs (may be NULL).
 * @return 0; #GWAPI_ELIMIT when @p size is smaller than *@p needed (then @p out holds only the
 *         status, and the call may be repeated with a larger buffer); #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_decision_apply(const gwapi_decision *decision, const gwapi_request *request,
                                      const char *scheme, const gwapi_http_header *response_headers,
                                      size_t n_response_headers, gwapi_action *out, void *buf,
                                      size_t size, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_ROUTER_H */
