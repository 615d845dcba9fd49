/* ngx_http_gatewayapi_module: the directives, and what happens to each request. A location with
 * gatewayapi_pass asks the library's router what to do with the request (a precontent phase
 * handler), answers redirects, errors and CORS preflights itself, and otherwise edits the
 * request as the rule's filters say and proxies it through the proxy module to the chosen
 * backend's endpoints (ngx_http_gatewayapi_upstream.c). A header filter edits the response. */
#include "ngx_http_gatewayapi.h"

#define DEFAULT_WATCH_INTERVAL 250

static ngx_int_t preconfiguration(ngx_conf_t *cf);
static ngx_int_t postconfiguration(ngx_conf_t *cf);
static void *create_main_conf(ngx_conf_t *cf);
static char *init_main_conf(ngx_conf_t *cf, void *conf);
static void *create_srv_conf(ngx_conf_t *cf);
static char *merge_srv_conf(ngx_conf_t *cf, void *parent, void *child);
static void *create_loc_conf(ngx_conf_t *cf);
static char *merge_loc_conf(ngx_conf_t *cf, void *parent, void *child);
static ngx_int_t init_process(ngx_cycle_t *cycle);
static char *set_manifests(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *set_gateway(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *set_pass(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);

static ngx_conf_num_bounds_t port_bounds = { ngx_conf_check_num_bounds, 1, 65535 };

static ngx_command_t commands[] = {
    { ngx_string("gatewayapi_manifests"), NGX_HTTP_MAIN_CONF | NGX_CONF_1MORE, set_manifests,
      NGX_HTTP_MAIN_CONF_OFFSET, 0, NULL },
    { ngx_string("gatewayapi_watch"), NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1, ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET, offsetof(ngx_http_gatewayapi_main_conf_t, watch), NULL },
    { ngx_string("gatewayapi_watch_interval"), NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot, NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_gatewayapi_main_conf_t, watch_interval), NULL },
    { ngx_string("gatewayapi_controller"), NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
      ngx_conf_set_str_slot, NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_gatewayapi_main_conf_t, controller), NULL },
    { ngx_string("gatewayapi_gateway"), NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1, set_gateway,
      NGX_HTTP_SRV_CONF_OFFSET, 0, NULL },
    { ngx_string("gatewayapi_port"), NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1, ngx_conf_set_num_slot,
      NGX_HTTP_SRV_CONF_OFFSET, offsetof(ngx_http_gatewayapi_srv_conf_t, port), &port_bounds },
    { ngx_string("gatewayapi_pass"), NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS, set_pass,
      NGX_HTTP_LOC_CONF_OFFSET, 0, NULL },
    ngx_null_command
};

static ngx_http_module_t module_ctx = {
    preconfiguration, postconfiguration, create_main_conf, init_main_conf,
    create_srv_conf, merge_srv_conf, create_loc_conf, merge_loc_conf,
};

ngx_module_t ngx_http_gatewayapi_module = {
    NGX_MODULE_V1, &module_ctx, commands, NGX_HTTP_MODULE, NULL, NULL, init_process, NULL, NULL,
    NULL, NULL, NGX_MODULE_V1_PADDING
};

static ngx_http_output_header_filter_pt next_header_filter;

/* s as a C string, what the library reads: its bytes copied into pool with a NUL after them
 * (nginx's strings are not terminated). */
static ngx_int_t
terminate(ngx_pool_t *pool, ngx_str_t *s)
{
    u_char *p = ngx_pnalloc(pool, s->len + 1);
    if (!p) {
        return NGX_ERROR;
    }
    ngx_memcpy(p, s->data, s->len);
    p[s->len] = '\0';
    s->data = p;
    return NGX_OK;
}

/* ---- configuration ---- */

static void *
create_main_conf(ngx_conf_t *cf)
{
    ngx_http_gatewayapi_main_conf_t *mcf = ngx_pcalloc(cf->pool, sizeof *mcf);
    if (!mcf || ngx_array_init(&mcf->manifests, cf->pool, 4, sizeof(ngx_str_t)) != NGX_OK ||
        ngx_array_init(&mcf->gateways, cf->pool, 4, sizeof(ngx_http_gatewayapi_gateway_t)) !=
            NGX_OK) {
        return NULL;
    }
    mcf->watch_interval = NGX_CONF_UNSET_MSEC;
    mcf->watch_fd = NGX_INVALID_FILE;
    return mcf;
}

static char *
init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_gatewayapi_main_conf_t *mcf = conf;
    ngx_conf_init_msec_value(mcf->watch_interval, DEFAULT_WATCH_INTERVAL);
    if (mcf->watch.len && (ngx_conf_full_name(cf->cycle, &mcf->watch, 1) != NGX_OK ||
                           terminate(cf->pool, &mcf->watch) != NGX_OK)) {
        return NGX_CONF_ERROR;
    }
    if (mcf->controller.len && terminate(cf->pool, &mcf->controller) != NGX_OK) {
        return NGX_CONF_ERROR;
    }
    return NGX_CONF_OK;
}

static void *
create_srv_conf(ngx_conf_t *cf)
{
    ngx_http_gatewayapi_srv_conf_t *scf = ngx_pcalloc(cf->pool, sizeof *scf);
    if (!scf) {
        return NULL;
    }
    scf->gateway = NGX_CONF_UNSET;
    scf->port = NGX_CONF_UNSET_UINT;
    return scf;
}

static char *
merge_srv_conf(ngx_conf_t *cf, void *parent, void *child)
{
    (void)cf;
    ngx_http_gatewayapi_srv_conf_t *prev = parent, *conf = child;
    ngx_conf_merge_value(conf->gateway, prev->gateway, -1);
    ngx_conf_merge_uint_value(conf->port, prev->port, NGX_CONF_UNSET_UINT);
    return NGX_CONF_OK;
}

static void *
create_loc_conf(ngx_conf_t *cf)
{
    return ngx_pcalloc(cf->pool, sizeof(ngx_http_gatewayapi_loc_conf_t));
}

/* A gatewayapi_pass location needs its server to say which Gateway it plays (the server's conf
 * is merged before its locations'). */
static char *
merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    (void)parent;
    ngx_http_gatewayapi_loc_conf_t *lcf = child;
    ngx_http_gatewayapi_srv_conf_t *scf =
        ngx_http_conf_get_module_srv_conf(cf, ngx_http_gatewayapi_module);
    if (lcf->pass && scf->gateway < 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "gatewayapi_pass needs gatewayapi_gateway in its server block");
        return NGX_CONF_ERROR;
    }
    return NGX_CONF_OK;
}

static char *
set_manifests(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    (void)cmd;
    ngx_http_gatewayapi_main_conf_t *mcf = conf;
    ngx_str_t *args = cf->args->elts;
    for (ngx_uint_t i = 1; i < cf->args->nelts; i++) {
        ngx_str_t path = args[i];
        if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
        ngx_str_t *slot = ngx_array_push(&mcf->manifests);
        if (!slot || terminate(cf->pool, &path) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
        *slot = path;
    }
    return NGX_CONF_OK;
}

static char *
set_gateway(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    (void)cmd;
    ngx_http_gatewayapi_srv_conf_t *scf = conf;
    ngx_http_gatewayapi_main_conf_t *mcf =
        ngx_http_conf_get_module_main_conf(cf, ngx_http_gatewayapi_module);
    ngx_str_t *value = cf->args->elts;
    ngx_str_t name = value[1];
    if (scf->gateway != NGX_CONF_UNSET) {
        return "is duplicate";
    }
    u_char *slash = ngx_strlchr(name.data, name.data + name.len, '/');
    if (!slash || slash == name.data || slash == name.data + name.len - 1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "gatewayapi_gateway \"%V\": expected "
                           "NAMESPACE/NAME", &name);
        return NGX_CONF_ERROR;
    }
    ngx_http_gatewayapi_gateway_t *gw = mcf->gateways.elts;
    for (ngx_uint_t i = 0; i < mcf->gateways.nelts; i++) {
        if (gw[i].name.len == name.len && ngx_strncmp(gw[i].name.data, name.data, name.len) == 0) {
            scf->gateway = (ngx_int_t)i;
            return NGX_CONF_OK;
        }
    }
    ngx_http_gatewayapi_gateway_t *slot = ngx_array_push(&mcf->gateways);
    if (!slot || terminate(cf->pool, &name) != NGX_OK) {
        return NGX_CONF_ERROR;
    }
    slot->name = name;
    scf->gateway = (ngx_int_t)(mcf->gateways.nelts - 1);
    return NGX_CONF_OK;
}

/* Run a directive of another module (the proxy module) as if it were written here. */
static char *
run_directive(ngx_conf_t *cf, ngx_module_t *module, const char *name, ngx_uint_t nargs,
              const char *const *args)
{
    ngx_command_t *cmd;
    for (cmd = module->commands; cmd->name.len; cmd++) {
        if (ngx_strcmp(cmd->name.data, name) == 0) {
            break;
        }
    }
    if (!cmd->name.len) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "gatewayapi_pass: no \"%s\" directive", name);
        return NGX_CONF_ERROR;
    }
    ngx_array_t *saved = cf->args;
    ngx_array_t *list = ngx_array_create(cf->pool, nargs + 1, sizeof(ngx_str_t));
    if (!list) {
        return NGX_CONF_ERROR;
    }
    for (ngx_uint_t i = 0; i <= nargs; i++) {
        const char *text = i == 0 ? name : args[i - 1];
        ngx_str_t *s = ngx_array_push(list);
        s->len = ngx_strlen(text);
        s->data = ngx_pnalloc(cf->pool, s->len + 1);
        if (!s->data) {
            return NGX_CONF_ERROR;
        }
        ngx_memcpy(s->data, text, s->len + 1);
    }
    ngx_http_conf_ctx_t *ctx = cf->ctx;
    void *conf = ctx->loc_conf[module->ctx_index];
    cf->args = list;
    char *rv = cmd->set(cf, cmd, conf);
    cf->args = saved;
    return rv;
}

extern ngx_module_t ngx_http_proxy_module;

static char *
set_pass(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    (void)cmd;
    ngx_http_gatewayapi_loc_conf_t *lcf = conf;
    ngx_http_gatewayapi_main_conf_t *mcf =
        ngx_http_conf_get_module_main_conf(cf, ngx_http_gatewayapi_module);
    if (lcf->pass) {
        return "is duplicate";
    }
    lcf->pass = 1;
    if (ngx_http_gatewayapi_upstream_add(cf, mcf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }
    /* The proxy module does the proxying: to the gatewayapi upstream, with the request target
     * the decision leaves (a static proxy_pass sends it as it came, or as precontent_handler
     * rewrote it) and its Host, in HTTP/1.1. */
    static const char *const pass[] = { "http://" NGX_HTTP_GATEWAYAPI_UPSTREAM };
    static const char *const host[] = { "Host", "$gatewayapi_host" };
    static const char *const version[] = { "1.1" };
    char *rv = run_directive(cf, &ngx_http_proxy_module, "proxy_pass", 1, pass);
    if (rv == NGX_CONF_OK) {
        rv = run_directive(cf, &ngx_http_proxy_module, "proxy_set_header", 2, host);
    }
    if (rv == NGX_CONF_OK) {
        rv = run_directive(cf, &ngx_http_proxy_module, "proxy_http_version", 1, version);
    }
    return rv;
}

/* ---- deciding ---- */

static ngx_uint_t
request_port(ngx_http_request_t *r, ngx_http_gatewayapi_srv_conf_t *scf)
{
    if (scf->port != NGX_CONF_UNSET_UINT) {
        return scf->port;
    }
    if (ngx_connection_local_sockaddr(r->connection, NULL, 0) != NGX_OK) {
        return 0;
    }
    return ngx_inet_get_port(r->connection->local_sockaddr);
}

static gwapi_slice
server_name(ngx_connection_t *c)
{
    gwapi_slice sni = { NULL, 0 };
#if (NGX_HTTP_SSL)
    if (c->ssl) {
        const char *name = SSL_get_servername(c->ssl->connection, TLSEXT_NAMETYPE_host_name);
        if (name) {
            sni.ptr = name;
            sni.len = ngx_strlen(name);
        }
    }
#else
    (void)c;
#endif
    return sni;
}

static gwapi_router *
current_router(ngx_http_gatewayapi_main_conf_t *mcf, ngx_http_gatewayapi_srv_conf_t *scf)
{
    if (!mcf->current || scf->gateway < 0) {
        return NULL;
    }
    return mcf->current->routers[scf->gateway];
}

static void
release_ctx(void *data)
{
    ngx_http_gatewayapi_ctx_t *ctx = data;
    ngx_http_gatewayapi_snapshot_release(ctx->snapshot);
    ctx->snapshot = NULL;
}

static ngx_str_t
pool_text(ngx_pool_t *pool, const char *a, const char *sep, const char *b, int64_t num)
{
    ngx_str_t s = ngx_null_string;
    size_t len = ngx_strlen(a) + ngx_strlen(sep) + ngx_strlen(b) + NGX_INT64_LEN + 2;
    s.data = ngx_pnalloc(pool, len);
    if (s.data) {
        s.len = num >= 0 ? (size_t)(ngx_snprintf(s.data, len, "%s%s%s:%L", a, sep, b, num) - s.data)
                         : (size_t)(ngx_snprintf(s.data, len, "%s%s%s", a, sep, b) - s.data);
    }
    return s;
}

/* The request as the router reads it: slices of nginx's own buffers. */
static ngx_int_t
build_request(ngx_http_request_t *r, ngx_http_gatewayapi_ctx_t *ctx,
              ngx_http_gatewayapi_srv_conf_t *scf)
{
    gwapi_request req = GWAPI_REQUEST_INIT;
    ngx_uint_t n = 0;
    for (ngx_list_part_t *part = &r->headers_in.headers.part; part; part = part->next) {
        n += part->nelts;
    }
    gwapi_header_slice *headers = ngx_palloc(r->pool, (n + 1) * sizeof *headers);
    if (!headers) {
        return NGX_ERROR;
    }
    n = 0;
    for (ngx_list_part_t *part = &r->headers_in.headers.part; part; part = part->next) {
        ngx_table_elt_t *h = part->elts;
        for (ngx_uint_t i = 0; i < part->nelts; i++) {
            headers[n].name.ptr = (const char *)h[i].key.data;
            headers[n].name.len = h[i].key.len;
            headers[n].value.ptr = (const char *)h[i].value.data;
            headers[n].value.len = h[i].value.len;
            n++;
        }
    }
    req.port = (unsigned)request_port(r, scf);
    if (r->headers_in.host) {
        req.host_slice.ptr = (const char *)r->headers_in.host->value.data;
        req.host_slice.len = r->headers_in.host->value.len;
    } else if (r->headers_in.server.len) {
        req.host_slice.ptr = (const char *)r->headers_in.server.data;
        req.host_slice.len = r->headers_in.server.len;
    }
    req.sni_slice = server_name(r->connection);
    req.method_slice.ptr = (const char *)r->method_name.data;
    req.method_slice.len = r->method_name.len;
    /* The path as the client wrote it, before nginx decodes and merges it. */
    u_char *q = ngx_strlchr(r->unparsed_uri.data, r->unparsed_uri.data + r->unparsed_uri.len, '?');
    req.path_slice.ptr = (const char *)r->unparsed_uri.data;
    req.path_slice.len = q ? (size_t)(q - r->unparsed_uri.data) : r->unparsed_uri.len;
    if (r->args.len || q) {
        req.query_slice.ptr = (const char *)(r->args.data ? r->args.data : (u_char *)"");
        req.query_slice.len = r->args.len;
    }
    req.header_slices = headers;
    req.n_header_slices = n;
    req.random = (uint32_t)ngx_random() ^ ((uint32_t)ngx_random() << 16);
    ctx->req = req;
    return NGX_OK;
}

/* The headers the backend receives replace the request's list; the proxy module sends them. */
static ngx_int_t
replace_request_headers(ngx_http_request_t *r, const gwapi_action *a)
{
    /* Made in place: a list's last part points into the list itself. */
    ngx_list_t *list = &r->headers_in.headers;
    if (ngx_list_init(list, r->pool, a->n_request_headers + 1, sizeof(ngx_table_elt_t)) !=
        NGX_OK) {
        return NGX_ERROR;
    }
    for (size_t i = 0; i < a->n_request_headers; i++) {
        ngx_table_elt_t *h = ngx_list_push(list);
        if (!h) {
            return NGX_ERROR;
        }
        ngx_memzero(h, sizeof *h);
        h->key.len = ngx_strlen(a->request_headers[i].name);
        h->key.data = (u_char *)a->request_headers[i].name;
        const char *value = a->request_headers[i].value ? a->request_headers[i].value : "";
        h->value.len = ngx_strlen(value);
        h->value.data = (u_char *)value;
        h->lowcase_key = ngx_pnalloc(r->pool, h->key.len);
        if (!h->lowcase_key) {
            return NGX_ERROR;
        }
        h->hash = ngx_hash_strlow(h->lowcase_key, h->key.data, h->key.len);
    }
    return NGX_OK;
}

static ngx_int_t
add_response_header(ngx_http_request_t *r, const char *name, const char *value)
{
    ngx_table_elt_t *h = ngx_list_push(&r->headers_out.headers);
    if (!h) {
        return NGX_ERROR;
    }
    ngx_memzero(h, sizeof *h);
    h->hash = 1;
    h->key.data = (u_char *)name;
    h->key.len = ngx_strlen(name);
    h->value.data = (u_char *)(value ? value : "");
    h->value.len = ngx_strlen(h->value.data);
    return NGX_OK;
}

static ngx_int_t
apply(ngx_http_request_t *r, ngx_http_gatewayapi_ctx_t *ctx, const gwapi_http_header *response,
      size_t n_response)
{
    const char *scheme = r->connection->ssl ? "https" : "http";
    size_t size = 2048, needed = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        /* The action points into buf: it lives as long as the request. */
        void *buf = ngx_palloc(r->pool, size);
        if (!buf) {
            return NGX_ERROR;
        }
        gwapi_action action = GWAPI_ACTION_INIT;
        int rc = gwapi_decision_apply(&ctx->decision, &ctx->req, scheme, response, n_response,
                                      &action, buf, size, &needed);
        if (rc == 0) {
            ctx->action = action;
            return NGX_OK;
        }
        if (rc != GWAPI_ELIMIT) {
            return NGX_ERROR;
        }
        size = needed;
    }
    return NGX_ERROR;
}

static ngx_int_t
answer_preflight(ngx_http_request_t *r, ngx_http_gatewayapi_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->action.n_response_headers; i++) {
        if (add_response_header(r, ctx->action.response_headers[i].name,
                                ctx->action.response_headers[i].value) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    ngx_http_discard_request_body(r);
    r->headers_out.status = NGX_HTTP_NO_CONTENT;
    r->headers_out.content_length_n = 0;
    r->header_only = 1;
    ngx_int_t rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK) {
        return rc;
    }
    return ngx_http_send_special(r, NGX_HTTP_LAST);
}

static ngx_int_t
answer_redirect(ngx_http_request_t *r, ngx_http_gatewayapi_ctx_t *ctx)
{
    ngx_http_clear_location(r);
    ngx_table_elt_t *h = ngx_list_push(&r->headers_out.headers);
    if (!h) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    ngx_memzero(h, sizeof *h);
    h->hash = 1;
    ngx_str_set(&h->key, "Location");
    h->value.data = (u_char *)ctx->action.location;
    h->value.len = ngx_strlen(ctx->action.location);
    r->headers_out.location = h;
    return ctx->action.status;
}

static ngx_int_t
find_endpoints(ngx_http_gatewayapi_ctx_t *ctx, const char *ns, const char *name, int64_t port,
               const gwapi_endpoint_address **eps, size_t *n)
{
    int rc = gwapi_endpoints_find(ctx->snapshot->endpoints, ns, name, port, eps, n);
    if (rc == GWAPI_ENOTFOUND) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR; /* not a Service: nothing to send to */
    }
    if (rc != 0 || *n == 0) {
        return NGX_HTTP_SERVICE_UNAVAILABLE; /* no ready endpoint */
    }
    return NGX_OK;
}

/* The mirrors: background subrequests of the same location, each marked with its backend. */
static ngx_int_t
send_mirrors(ngx_http_request_t *r, ngx_http_gatewayapi_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->action.n_mirrors; i++) {
        const gwapi_mirror *m = ctx->action.mirrors[i];
        if ((int64_t)(ngx_random() % (uint64_t)m->denominator) >= m->numerator) {
            continue; /* not sampled this time */
        }
        ngx_http_gatewayapi_ctx_t *mc = ngx_pcalloc(r->pool, sizeof *mc);
        if (!mc) {
            return NGX_ERROR;
        }
        *mc = *ctx;
        mc->mirror = 1; /* its snapshot is the main request's, whose reference outlives it */
        if (find_endpoints(mc, m->backend_ns, m->backend_name, m->backend_port, &mc->endpoints,
                           &mc->n_endpoints) != NGX_OK) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "gatewayapi: mirror backend %s/%s has no ready endpoint",
                          m->backend_ns, m->backend_name);
            continue;
        }
        mc->first = ngx_random();
        ngx_http_request_t *sr;
        if (ngx_http_subrequest(r, &r->uri, &r->args, &sr, NULL,
                                NGX_HTTP_SUBREQUEST_BACKGROUND) != NGX_OK) {
            return NGX_ERROR;
        }
        mc->request = sr;
        sr->unparsed_uri = ctx->uri;
        sr->valid_unparsed_uri = 1;
        ngx_http_set_ctx(sr, mc, ngx_http_gatewayapi_module);
    }
    return NGX_OK;
}

static void
body_read(ngx_http_request_t *r)
{
    ngx_http_gatewayapi_ctx_t *ctx = ngx_http_get_module_ctx(r, ngx_http_gatewayapi_module);
    ctx->body_read = 1;
    r->write_event_handler = ngx_http_core_run_phases;
    ngx_http_core_run_phases(r);
}

static ngx_int_t
decide(ngx_http_request_t *r, ngx_http_gatewayapi_ctx_t *ctx)
{
    ngx_http_gatewayapi_main_conf_t *mcf =
        ngx_http_get_module_main_conf(r, ngx_http_gatewayapi_module);
    ngx_http_gatewayapi_srv_conf_t *scf =
        ngx_http_get_module_srv_conf(r, ngx_http_gatewayapi_module);
    gwapi_router *router = current_router(mcf, scf);
    if (!router) {
        return NGX_HTTP_NOT_FOUND; /* no such Gateway (yet): no listener matches */
    }
    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(r->pool, 0);
    if (!cln) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    ctx->snapshot = mcf->current;
    ctx->snapshot->refs++;
    cln->handler = release_ctx;
    cln->data = ctx;

    if (build_request(r, ctx, scf) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_router_match(router, &ctx->req, &d);
    ctx->decision = d;
    if (d.status != 200 && d.status != 204 && (d.status < 300 || d.status > 399)) {
        return d.status;
    }
    /* Without filters the request goes as it came: no action to compose. */
    ngx_flag_t filtered = d.n_filters + d.n_backend_filters > 0;
    if (filtered) {
        if (apply(r, ctx, NULL, 0) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        if (ctx->action.status == 204) {
            return answer_preflight(r, ctx);
        }
        if (ctx->action.location) {
            return answer_redirect(r, ctx);
        }
        if (ctx->action.status != 200) {
            return ctx->action.status;
        }
    }

    ngx_int_t rc = find_endpoints(ctx, d.backend_ns, d.backend_name, d.backend_port,
                                  &ctx->endpoints, &ctx->n_endpoints);
    if (rc != NGX_OK) {
        return rc;
    }
    ctx->first = mcf->round_robin++;
    int64_t t = -1;
    if (d.request_timeout_ms > 0) {
        t = d.request_timeout_ms;
    }
    if (d.backend_request_timeout_ms > 0 && (t < 0 || d.backend_request_timeout_ms < t)) {
        t = d.backend_request_timeout_ms;
    }
    ctx->timeout_ms = t;

    if (!filtered) {
        ctx->uri = r->unparsed_uri;
        ctx->host.data = (u_char *)ctx->req.host_slice.ptr;
        ctx->host.len = ctx->req.host_slice.len;
        ctx->forwarded = 1;
        return NGX_DECLINED;
    }
    const char *path = ctx->action.path ? ctx->action.path : "/";
    size_t plen = ngx_strlen(path);
    ctx->uri.data = ngx_pnalloc(r->pool, plen + 1 + r->args.len);
    if (!ctx->uri.data) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    u_char *p = ngx_cpymem(ctx->uri.data, path, plen);
    if (ctx->req.query_slice.ptr) {
        *p++ = '?';
        p = ngx_cpymem(p, r->args.data, r->args.len);
    }
    ctx->uri.len = (size_t)(p - ctx->uri.data);
    /* The proxy module sends the request line's target as it came (unparsed_uri): a rewritten
     * path takes its place. */
    r->unparsed_uri = ctx->uri;
    r->valid_unparsed_uri = 1;
    if (ctx->action.host) {
        ctx->host.data = (u_char *)ctx->action.host;
        ctx->host.len = ngx_strlen(ctx->action.host);
    }
    if (replace_request_headers(r, &ctx->action) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    ctx->forwarded = 1;
    return NGX_DECLINED;
}

static ngx_int_t
precontent_handler(ngx_http_request_t *r)
{
    ngx_http_gatewayapi_loc_conf_t *lcf =
        ngx_http_get_module_loc_conf(r, ngx_http_gatewayapi_module);
    if (!lcf->pass || r != r->main) {
        return NGX_DECLINED; /* mirrors come with their context set */
    }
    ngx_http_gatewayapi_ctx_t *ctx = ngx_http_get_module_ctx(r, ngx_http_gatewayapi_module);
    if (!ctx) {
        ctx = ngx_pcalloc(r->pool, sizeof *ctx);
        if (!ctx) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        ctx->request = r;
        ctx->timeout_ms = -1;
        ngx_http_set_ctx(r, ctx, ngx_http_gatewayapi_module);
        ngx_int_t rc = decide(r, ctx);
        if (rc != NGX_DECLINED) {
            return rc;
        }
    }
    if (!ctx->forwarded || ctx->mirrors_sent || ctx->action.n_mirrors == 0) {
        return NGX_DECLINED;
    }
    /* Mirrors carry the body: read it first (it stays for the main request too). */
    if (!ctx->body_read && (r->headers_in.content_length_n > 0 || r->headers_in.chunked)) {
        r->preserve_body = 1;
        ngx_int_t rc = ngx_http_read_client_request_body(r, body_read);
        if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
            return rc;
        }
        ngx_http_finalize_request(r, NGX_DONE);
        return NGX_DONE;
    }
    ctx->mirrors_sent = 1;
    if (send_mirrors(r, ctx) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    return NGX_DECLINED;
}

/* ---- the response ---- */

static ngx_int_t
header_filter(ngx_http_request_t *r)
{
    ngx_http_gatewayapi_ctx_t *ctx = ngx_http_get_module_ctx(r, ngx_http_gatewayapi_module);
    if (!ctx || !ctx->forwarded || ctx->mirror || r != r->main ||
        ctx->decision.n_filters + ctx->decision.n_backend_filters == 0) {
        return next_header_filter(r);
    }
    /* The response's headers through the rule's response filters and CORS. */
    ngx_uint_t n = 0;
    for (ngx_list_part_t *part = &r->headers_out.headers.part; part; part = part->next) {
        n += part->nelts;
    }
    gwapi_http_header *in = ngx_palloc(r->pool, (n + 2) * sizeof *in);
    if (!in) {
        return NGX_ERROR;
    }
    n = 0;
    for (ngx_list_part_t *part = &r->headers_out.headers.part; part; part = part->next) {
        ngx_table_elt_t *h = part->elts;
        for (ngx_uint_t i = 0; i < part->nelts; i++) {
            if (h[i].hash == 0) {
                continue;
            }
            /* Not every module terminates its headers. */
            ngx_str_t key = h[i].key, value = h[i].value;
            if (terminate(r->pool, &key) != NGX_OK || terminate(r->pool, &value) != NGX_OK) {
                return NGX_ERROR;
            }
            in[n].name = (const char *)key.data;
            in[n].value = (const char *)value.data;
            n++;
        }
    }
    /* Content-Type lives beside the list. */
    if (r->headers_out.content_type.len) {
        ngx_str_t value = r->headers_out.content_type;
        if (terminate(r->pool, &value) != NGX_OK) {
            return NGX_ERROR;
        }
        in[n].name = "Content-Type";
        in[n].value = (const char *)value.data;
        n++;
    }
    if (apply(r, ctx, in, n) != NGX_OK) {
        return NGX_ERROR;
    }
    if (ngx_list_init(&r->headers_out.headers, r->pool, ctx->action.n_response_headers + 1,
                      sizeof(ngx_table_elt_t)) != NGX_OK) {
        return NGX_ERROR;
    }
    ngx_str_null(&r->headers_out.content_type);
    r->headers_out.content_type_len = 0;
    r->headers_out.content_type_lowcase = NULL;
    for (size_t i = 0; i < ctx->action.n_response_headers; i++) {
        const gwapi_http_header *h = &ctx->action.response_headers[i];
        if (ngx_strcasecmp((u_char *)h->name, (u_char *)"Content-Type") == 0) {
            r->headers_out.content_type.data = (u_char *)(h->value ? h->value : "");
            r->headers_out.content_type.len = ngx_strlen(r->headers_out.content_type.data);
            r->headers_out.content_type_len = r->headers_out.content_type.len;
            continue;
        }
        if (add_response_header(r, h->name, h->value) != NGX_OK) {
            return NGX_ERROR;
        }
    }
    return next_header_filter(r);
}

/* ---- variables ---- */

enum variable_kind {
    VAR_ROUTE, VAR_RULE, VAR_BACKEND, VAR_LISTENER, VAR_STATUS, VAR_HOST, VAR_URI,
    VAR_GENERATION, VAR_CERTIFICATE, VAR_CERTIFICATE_KEY
};

static ngx_int_t
set_value(ngx_http_request_t *r, ngx_http_variable_value_t *v, const u_char *data, size_t len)
{
    (void)r;
    v->data = (u_char *)data;
    v->len = len;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;
    return NGX_OK;
}

static ngx_int_t
set_number(ngx_http_request_t *r, ngx_http_variable_value_t *v, int64_t number)
{
    u_char *p = ngx_pnalloc(r->pool, NGX_INT64_LEN);
    if (!p) {
        return NGX_ERROR;
    }
    return set_value(r, v, p, (size_t)(ngx_sprintf(p, "%L", number) - p));
}

/* The certificate (or key) a TLS connection presents: the listener the server name chooses, as
 * "data:PEM" for ssl_certificate and ssl_certificate_key. */
static ngx_int_t
certificate_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v, ngx_flag_t key)
{
    ngx_http_gatewayapi_main_conf_t *mcf =
        ngx_http_get_module_main_conf(r, ngx_http_gatewayapi_module);
    ngx_http_gatewayapi_srv_conf_t *scf =
        ngx_http_get_module_srv_conf(r, ngx_http_gatewayapi_module);
    gwapi_router *router = current_router(mcf, scf);
    gwapi_slice sni = server_name(r->connection);
    gwapi_certificate cert = GWAPI_CERTIFICATE_INIT;
    v->not_found = 1;
    if (!router || gwapi_router_certificate(router, (unsigned)request_port(r, scf), sni.ptr,
                                            sni.len, &cert) != 0 || !cert.cert_pem) {
        return NGX_OK;
    }
    const char *pem = key ? cert.key_pem : cert.cert_pem;
    size_t len = key ? cert.key_pem_len : cert.cert_pem_len;
    u_char *p = ngx_pnalloc(r->pool, len + 5);
    if (!p) {
        return NGX_ERROR;
    }
    ngx_memcpy(p, "data:", 5);
    ngx_memcpy(p + 5, pem, len);
    return set_value(r, v, p, len + 5);
}

static ngx_int_t
get_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data)
{
    if (data == VAR_CERTIFICATE || data == VAR_CERTIFICATE_KEY) {
        return certificate_variable(r, v, data == VAR_CERTIFICATE_KEY);
    }
    if (data == VAR_GENERATION) {
        ngx_http_gatewayapi_main_conf_t *mcf =
            ngx_http_get_module_main_conf(r, ngx_http_gatewayapi_module);
        return set_number(r, v, mcf->current ? (int64_t)mcf->current->generation : 0);
    }
    ngx_http_gatewayapi_ctx_t *ctx = ngx_http_get_module_ctx(r, ngx_http_gatewayapi_module);
    if (!ctx) {
        v->not_found = 1;
        return NGX_OK;
    }
    const gwapi_decision *d = &ctx->decision;
    ngx_str_t s;
    switch ((enum variable_kind)data) {
    case VAR_ROUTE:
        if (!d->route) {
            break;
        }
        s = pool_text(r->pool, d->route->metadata->namespace_, "/", d->route->metadata->name, -1);
        return s.data ? set_value(r, v, s.data, s.len) : NGX_ERROR;
    case VAR_RULE:
        if (!d->route) {
            break;
        }
        return set_number(r, v, (int64_t)d->rule);
    case VAR_BACKEND:
        if (!ctx->forwarded && !d->backend_name) {
            break;
        }
        s = pool_text(r->pool, d->backend_ns, "/", d->backend_name, d->backend_port);
        return s.data ? set_value(r, v, s.data, s.len) : NGX_ERROR;
    case VAR_LISTENER:
        if (!d->listener) {
            break;
        }
        return set_value(r, v, (const u_char *)d->listener, ngx_strlen(d->listener));
    case VAR_STATUS:
        return set_number(r, v, d->status);
    case VAR_HOST:
        return set_value(r, v, ctx->host.data, ctx->host.len);
    case VAR_URI:
        return set_value(r, v, ctx->uri.data, ctx->uri.len);
    default:
        break;
    }
    v->not_found = 1;
    return NGX_OK;
}

static ngx_http_variable_t variables[] = {
    { ngx_string("gatewayapi_route"), NULL, get_variable, VAR_ROUTE, 0, 0 },
    { ngx_string("gatewayapi_rule"), NULL, get_variable, VAR_RULE, 0, 0 },
    { ngx_string("gatewayapi_backend"), NULL, get_variable, VAR_BACKEND, 0, 0 },
    { ngx_string("gatewayapi_listener"), NULL, get_variable, VAR_LISTENER, 0, 0 },
    { ngx_string("gatewayapi_status"), NULL, get_variable, VAR_STATUS, 0, 0 },
    { ngx_string("gatewayapi_host"), NULL, get_variable, VAR_HOST, 0, 0 },
    { ngx_string("gatewayapi_uri"), NULL, get_variable, VAR_URI, 0, 0 },
    { ngx_string("gatewayapi_generation"), NULL, get_variable, VAR_GENERATION,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },
    { ngx_string("gatewayapi_certificate"), NULL, get_variable, VAR_CERTIFICATE,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },
    { ngx_string("gatewayapi_certificate_key"), NULL, get_variable, VAR_CERTIFICATE_KEY,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },
    ngx_http_null_variable
};

static ngx_int_t
preconfiguration(ngx_conf_t *cf)
{
    for (ngx_http_variable_t *v = variables; v->name.len; v++) {
        ngx_http_variable_t *var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (!var) {
            return NGX_ERROR;
        }
        var->get_handler = v->get_handler;
        var->data = v->data;
    }
    return NGX_OK;
}

static ngx_int_t
postconfiguration(ngx_conf_t *cf)
{
    ngx_http_gatewayapi_main_conf_t *mcf =
        ngx_http_conf_get_module_main_conf(cf, ngx_http_gatewayapi_module);
    ngx_http_core_main_conf_t *cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);
    ngx_http_handler_pt *h = ngx_array_push(&cmcf->phases[NGX_HTTP_PRECONTENT_PHASE].handlers);
    if (!h) {
        return NGX_ERROR;
    }
    *h = precontent_handler;
    next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = header_filter;
    if (mcf->manifests.nelts == 0 && mcf->watch.len == 0) {
        if (mcf->gateways.nelts) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "gatewayapi_gateway needs gatewayapi_manifests or gatewayapi_watch");
            return NGX_ERROR;
        }
        return NGX_OK;
    }
    return ngx_http_gatewayapi_state_load(cf, mcf);
}

static ngx_int_t
init_process(ngx_cycle_t *cycle)
{
    ngx_http_gatewayapi_main_conf_t *mcf =
        ngx_http_cycle_get_module_main_conf(cycle, ngx_http_gatewayapi_module);
    if (!mcf) {
        return NGX_OK;
    }
    return ngx_http_gatewayapi_state_start_watch(cycle, mcf);
}
