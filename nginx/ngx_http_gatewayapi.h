/* ngx_http_gatewayapi_module: nginx serving the Gateway API through libgatewayapi. The parts
 * share these types: the configuration of each block, the state a process serves from (a
 * snapshot of routers and endpoints, replaced as watch events arrive) and what a request
 * decided. */
#ifndef NGX_HTTP_GATEWAYAPI_H
#define NGX_HTTP_GATEWAYAPI_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <gatewayapi.h>

/* One Gateway some server block plays: its router in a snapshot is routers[index]. */
typedef struct {
    ngx_str_t name; /* "ns/name", NUL-terminated */
} ngx_http_gatewayapi_gateway_t;

/* What a worker serves from: made whole at start, then made again from the last one for each
 * batch of watch events. Requests hold a reference, so that a snapshot replaced while they
 * wait on a backend stays alive until they end. */
typedef struct {
    ngx_uint_t refs;
    ngx_uint_t generation;
    gwapi_resolution *resolution;
    gwapi_router **routers; /* one per gateway of the main conf; NULL: not in the manifests */
    ngx_uint_t n_routers;
    gwapi_endpoints *endpoints;
} ngx_http_gatewayapi_snapshot_t;

typedef struct {
    ngx_array_t manifests;  /* ngx_str_t: files and folders */
    ngx_str_t watch;        /* file of watch events, or empty */
    ngx_msec_t watch_interval;
    ngx_array_t gateways;   /* ngx_http_gatewayapi_gateway_t */
    ngx_str_t controller;   /* gatewayapi_controller, or empty: every class */
    ngx_http_upstream_srv_conf_t *upstream;

    /* The process's state (the master's until fork, then each worker's own). */
    gwapi_ctx *ctx;
    gwapi_config *config;
    ngx_http_gatewayapi_snapshot_t *current;
    gwapi_stream *stream;
    ngx_fd_t watch_fd;
    off_t watch_offset;
    ngx_event_t watch_event;
    ngx_uint_t round_robin; /* next endpoint to start from */
} ngx_http_gatewayapi_main_conf_t;

typedef struct {
    ngx_int_t gateway;   /* index into the main conf's gateways; -1: none */
    ngx_uint_t port;     /* listener port; NGX_CONF_UNSET_UINT: the connection's local port */
} ngx_http_gatewayapi_srv_conf_t;

typedef struct {
    ngx_flag_t pass;
} ngx_http_gatewayapi_loc_conf_t;

/* A request's decision, and what is needed until it ends. */
typedef struct {
    ngx_http_request_t *request;
    ngx_http_gatewayapi_snapshot_t *snapshot;
    gwapi_decision decision;
    gwapi_action action;
    gwapi_request req;
    ngx_str_t host;    /* Host the backend receives */
    ngx_str_t uri;     /* path?query the backend receives */
    const gwapi_endpoint_address *endpoints;
    ngx_uint_t n_endpoints;
    ngx_uint_t first;  /* endpoint the balancer starts from */
    ngx_uint_t tried;
    ngx_str_t peer_name;
    ngx_int_t timeout_ms; /* for each try of the backend, or -1 */
    unsigned forwarded:1;
    unsigned mirror:1;      /* a subrequest copying the request to a mirror backend */
    unsigned body_read:1;
    unsigned mirrors_sent:1;
} ngx_http_gatewayapi_ctx_t;

extern ngx_module_t ngx_http_gatewayapi_module;

/* State (ngx_http_gatewayapi_state.c). */
ngx_int_t ngx_http_gatewayapi_state_load(ngx_conf_t *cf, ngx_http_gatewayapi_main_conf_t *mcf);
ngx_int_t ngx_http_gatewayapi_state_start_watch(ngx_cycle_t *cycle,
                                                ngx_http_gatewayapi_main_conf_t *mcf);
void ngx_http_gatewayapi_snapshot_release(ngx_http_gatewayapi_snapshot_t *snap);

/* Upstream (ngx_http_gatewayapi_upstream.c): the implicit upstream that balances a request
 * over its backend's ready endpoints. */
#define NGX_HTTP_GATEWAYAPI_UPSTREAM "gatewayapi_backend"
ngx_int_t ngx_http_gatewayapi_upstream_add(ngx_conf_t *cf, ngx_http_gatewayapi_main_conf_t *mcf);

#endif
