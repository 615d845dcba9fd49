/* The upstream every gatewayapi_pass location proxies to. It has no servers of its own: each
 * request brings its backend's ready endpoints (the decision's Service port, through the
 * EndpointSlices), and the balancer goes round them, starting one further on each request and
 * moving to the next endpoint when a connection fails. */
#include "ngx_http_gatewayapi.h"

static ngx_int_t
get_peer(ngx_peer_connection_t *pc, void *data)
{
    ngx_http_gatewayapi_ctx_t *ctx = data;
    if (ctx->tried >= ctx->n_endpoints) {
        return NGX_BUSY;
    }
    const gwapi_endpoint_address *ep =
        &ctx->endpoints[(ctx->first + ctx->tried) % ctx->n_endpoints];
    ctx->tried++;

    ngx_addr_t addr;
    size_t len = ngx_strlen(ep->address);
    ngx_pool_t *pool = ctx->request->pool;
    if (ngx_parse_addr(pool, &addr, (u_char *)ep->address, len) != NGX_OK) {
        /* A DNS name (FQDN slices, ExternalName): not resolved here. */
        ngx_log_error(NGX_LOG_ERR, pc->log, 0,
                      "gatewayapi: endpoint \"%s\" is not an IP address", ep->address);
        return ctx->tried < ctx->n_endpoints ? get_peer(pc, data) : NGX_BUSY;
    }
    ngx_inet_set_port(addr.sockaddr, (in_port_t)ep->port);
    pc->sockaddr = addr.sockaddr;
    pc->socklen = addr.socklen;
    ctx->peer_name.data = ngx_pnalloc(pool, NGX_SOCKADDR_STRLEN);
    if (!ctx->peer_name.data) {
        return NGX_ERROR;
    }
    ctx->peer_name.len = ngx_sock_ntop(pc->sockaddr, pc->socklen, ctx->peer_name.data,
                                       NGX_SOCKADDR_STRLEN, 1);
    pc->name = &ctx->peer_name;
    return NGX_OK;
}

static void
free_peer(ngx_peer_connection_t *pc, void *data, ngx_uint_t state)
{
    (void)data;
    (void)state;
    if (pc->tries) {
        pc->tries--;
    }
}

/* Per request: the endpoints the decision found, and the rule's timeouts on each try. */
static ngx_int_t
init_peer(ngx_http_request_t *r, ngx_http_upstream_srv_conf_t *us)
{
    (void)us;
    ngx_http_gatewayapi_ctx_t *ctx = ngx_http_get_module_ctx(r, ngx_http_gatewayapi_module);
    if (!ctx || !ctx->forwarded || ctx->n_endpoints == 0) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "gatewayapi: the " NGX_HTTP_GATEWAYAPI_UPSTREAM " upstream serves only "
                      "gatewayapi_pass locations");
        return NGX_ERROR;
    }
    ngx_http_upstream_t *u = r->upstream;
    u->peer.get = get_peer;
    u->peer.free = free_peer;
    u->peer.data = ctx;
    u->peer.tries = ctx->n_endpoints;
    ctx->tried = 0;
    if (ctx->timeout_ms > 0) {
        /* The conf is shared by every request of the location: this one gets its own copy. */
        ngx_http_upstream_conf_t *conf = ngx_palloc(r->pool, sizeof *conf);
        if (!conf) {
            return NGX_ERROR;
        }
        *conf = *u->conf;
        ngx_msec_t t = (ngx_msec_t)ctx->timeout_ms;
        conf->connect_timeout = ngx_min(conf->connect_timeout, t);
        conf->send_timeout = ngx_min(conf->send_timeout, t);
        conf->read_timeout = ngx_min(conf->read_timeout, t);
        conf->next_upstream_timeout = conf->next_upstream_timeout
                                          ? ngx_min(conf->next_upstream_timeout, t)
                                          : t;
        u->conf = conf;
    }
    return NGX_OK;
}

static ngx_int_t
init_upstream(ngx_conf_t *cf, ngx_http_upstream_srv_conf_t *us)
{
    (void)cf;
    us->peer.init = init_peer;
    return NGX_OK;
}

ngx_int_t
ngx_http_gatewayapi_upstream_add(ngx_conf_t *cf, ngx_http_gatewayapi_main_conf_t *mcf)
{
    if (mcf->upstream) {
        return NGX_OK;
    }
    ngx_url_t u;
    ngx_memzero(&u, sizeof u);
    ngx_str_set(&u.host, NGX_HTTP_GATEWAYAPI_UPSTREAM);
    u.no_resolve = 1;
    mcf->upstream = ngx_http_upstream_add(cf, &u, NGX_HTTP_UPSTREAM_CREATE);
    if (!mcf->upstream) {
        return NGX_ERROR;
    }
    mcf->upstream->peer.init_upstream = init_upstream;
    return NGX_OK;
}
