/* What a process serves from: the manifests loaded when the configuration is read, then the
 * watch file's events, applied by each worker through the library's incremental updates. A
 * batch of events makes a new snapshot; requests started on the old one finish on it. */
#include "ngx_http_gatewayapi.h"

#include <stdlib.h>
#include <sys/stat.h>

#define WATCH_READ_SIZE 65536

static void
log_diags(ngx_log_t *log, gwapi_diags *diags)
{
    for (size_t i = 0, n = gwapi_diags_count(diags); i < n; i++) {
        const gwapi_diag *d = gwapi_diags_get(diags, i);
        char text[1024];
        gwapi_diag_format(d, text, sizeof text);
        ngx_uint_t level = d->severity == GWAPI_SEVERITY_ERROR     ? NGX_LOG_ERR
                           : d->severity == GWAPI_SEVERITY_WARNING ? NGX_LOG_WARN
                                                                   : NGX_LOG_INFO;
        ngx_log_error(level, log, 0, "gatewayapi: %s", text);
    }
    gwapi_diags_clear(diags);
}

/* A file, or the manifests of a folder and its subfolders in name order. */
static ngx_int_t
load_path(ngx_http_gatewayapi_main_conf_t *mcf, const char *path, gwapi_diags *diags,
          ngx_log_t *log)
{
    int rc = gwapi_config_load_path(mcf->config, path, NULL, diags);
    log_diags(log, diags);
    if (rc == GWAPI_ENOMEM || rc == GWAPI_EIO || rc == GWAPI_ELIMIT) {
        ngx_log_error(NGX_LOG_EMERG, log, 0, "gatewayapi: cannot read \"%s\" whole", path);
        return NGX_ERROR;
    }
    return NGX_OK;
}

void
ngx_http_gatewayapi_snapshot_release(ngx_http_gatewayapi_snapshot_t *snap)
{
    if (!snap || --snap->refs > 0) {
        return;
    }
    for (ngx_uint_t i = 0; i < snap->n_routers; i++) {
        gwapi_router_unref(snap->routers[i]);
    }
    gwapi_endpoints_free(snap->endpoints);
    gwapi_resolution_unref(snap->resolution);
    free(snap->routers);
    free(snap);
}

/* A snapshot of the configuration as it is now: from prev by the library's updates (which
 * share what did not change), or from scratch. NULL when out of memory. */
static ngx_http_gatewayapi_snapshot_t *
make_snapshot(ngx_http_gatewayapi_main_conf_t *mcf, ngx_http_gatewayapi_snapshot_t *prev,
              gwapi_diags *diags, ngx_log_t *log)
{
    ngx_http_gatewayapi_gateway_t *gw = mcf->gateways.elts;
    ngx_http_gatewayapi_snapshot_t *snap = calloc(1, sizeof *snap);
    if (!snap) {
        return NULL;
    }
    snap->refs = 1;
    snap->generation = prev ? prev->generation + 1 : 1;
    snap->routers = calloc(mcf->gateways.nelts + 1, sizeof *snap->routers);
    if (!snap->routers) {
        free(snap);
        return NULL;
    }
    snap->n_routers = mcf->gateways.nelts;
    int rc;
    if (prev) {
        rc = gwapi_resolution_update(&snap->resolution, prev->resolution, mcf->config, diags);
    } else {
        gwapi_resolve_options opts = GWAPI_RESOLVE_OPTIONS_INIT;
        opts.controller_name = mcf->controller.len ? (const char *)mcf->controller.data : NULL;
        rc = gwapi_resolve(&snap->resolution, mcf->config, &opts, diags);
    }
    if (rc == 0) {
        rc = gwapi_endpoints_new(&snap->endpoints, mcf->config);
    }
    for (ngx_uint_t i = 0; rc == 0 && i < mcf->gateways.nelts; i++) {
        int r;
        if (prev && prev->routers[i]) {
            r = gwapi_router_update(&snap->routers[i], prev->routers[i], snap->resolution, diags);
        } else {
            r = gwapi_router_new(&snap->routers[i], snap->resolution,
                                 (const char *)gw[i].name.data, diags);
        }
        if (r == GWAPI_ENOTFOUND) {
            if (!prev || prev->routers[i]) {
                ngx_log_error(NGX_LOG_WARN, log, 0,
                              "gatewayapi: no Gateway \"%V\" in the configuration: its servers "
                              "answer 404", &gw[i].name);
            }
            snap->routers[i] = NULL;
        } else if (r != 0) {
            rc = r;
        }
    }
    log_diags(log, diags);
    if (rc != 0) {
        ngx_http_gatewayapi_snapshot_release(snap); /* the previous one goes on */
        ngx_log_error(NGX_LOG_ALERT, log, 0, "gatewayapi: cannot build the routers (%d)", rc);
        return NULL;
    }
    return snap;
}

static void
publish(ngx_http_gatewayapi_main_conf_t *mcf, ngx_http_gatewayapi_snapshot_t *snap)
{
    ngx_http_gatewayapi_snapshot_t *old = mcf->current;
    mcf->current = snap;
    ngx_http_gatewayapi_snapshot_release(old);
}

/* Feed what the watch file gained since the last read; true when objects were applied. */
static ngx_flag_t
read_watch(ngx_http_gatewayapi_main_conf_t *mcf, gwapi_diags *diags, ngx_log_t *log)
{
    struct stat st;
    ngx_flag_t applied = 0;
    if (mcf->watch_fd == NGX_INVALID_FILE) {
        mcf->watch_fd = ngx_open_file(mcf->watch.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
        if (mcf->watch_fd == NGX_INVALID_FILE) {
            return 0; /* not there yet: tried again at the next tick */
        }
        mcf->watch_offset = 0;
    }
    if (fstat(mcf->watch_fd, &st) != 0) {
        return 0;
    }
    if (st.st_size < mcf->watch_offset) {
        /* Truncated: a new file begins. */
        ngx_log_error(NGX_LOG_NOTICE, log, 0, "gatewayapi: \"%V\" was truncated: reading it "
                      "from its start", &mcf->watch);
        gwapi_stream_free(mcf->stream);
        mcf->stream = NULL;
        mcf->watch_offset = 0;
    }
    if (!mcf->stream &&
        gwapi_stream_new(&mcf->stream, mcf->config, NULL, (const char *)mcf->watch.data) != 0) {
        return 0;
    }
    static char buf[WATCH_READ_SIZE];
    while (mcf->watch_offset < st.st_size) {
        ssize_t n = pread(mcf->watch_fd, buf, sizeof buf, mcf->watch_offset);
        if (n <= 0) {
            break;
        }
        size_t loaded = 0;
        gwapi_stream_feed(mcf->stream, buf, (size_t)n, diags, &loaded);
        mcf->watch_offset += n;
        applied |= loaded > 0;
    }
    log_diags(log, diags);
    return applied;
}

static void
watch_tick(ngx_event_t *ev)
{
    ngx_http_gatewayapi_main_conf_t *mcf = ev->data;
    gwapi_diags *diags = NULL;
    if (ngx_exiting || ngx_quit || ngx_terminate) {
        return;
    }
    if (gwapi_diags_new(&diags, mcf->ctx) == 0) {
        if (read_watch(mcf, diags, ev->log)) {
            ngx_http_gatewayapi_snapshot_t *snap = make_snapshot(mcf, mcf->current, diags,
                                                                 ev->log);
            if (snap) {
                publish(mcf, snap);
                ngx_log_error(NGX_LOG_INFO, ev->log, 0,
                              "gatewayapi: configuration %ui applied", snap->generation);
            }
        }
        gwapi_diags_free(diags);
    }
    ngx_add_timer(ev, mcf->watch_interval);
}

static void
state_cleanup(void *data)
{
    ngx_http_gatewayapi_main_conf_t *mcf = data;
    if (mcf->watch_event.timer_set) {
        ngx_del_timer(&mcf->watch_event);
    }
    publish(mcf, NULL);
    gwapi_stream_free(mcf->stream);
    mcf->stream = NULL;
    if (mcf->watch_fd != NGX_INVALID_FILE) {
        ngx_close_file(mcf->watch_fd);
        mcf->watch_fd = NGX_INVALID_FILE;
    }
    gwapi_config_unref(mcf->config);
    gwapi_ctx_unref(mcf->ctx);
    mcf->config = NULL;
    mcf->ctx = NULL;
}

/* At configuration time (in the master, and for nginx -t): the manifests and what the watch
 * file holds already, resolved and compiled. Workers inherit it when they fork. */
ngx_int_t
ngx_http_gatewayapi_state_load(ngx_conf_t *cf, ngx_http_gatewayapi_main_conf_t *mcf)
{
    gwapi_diags *diags = NULL;
    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (!cln || gwapi_ctx_new(&mcf->ctx) != 0 || gwapi_config_new(&mcf->config, mcf->ctx) != 0 ||
        gwapi_diags_new(&diags, mcf->ctx) != 0) {
        return NGX_ERROR;
    }
    cln->handler = state_cleanup;
    cln->data = mcf;
    mcf->watch_fd = NGX_INVALID_FILE;

    ngx_str_t *paths = mcf->manifests.elts;
    ngx_int_t rc = NGX_OK;
    for (ngx_uint_t i = 0; rc == NGX_OK && i < mcf->manifests.nelts; i++) {
        rc = load_path(mcf, (const char *)paths[i].data, diags, cf->log);
    }
    if (rc == NGX_OK && mcf->watch.len) {
        read_watch(mcf, diags, cf->log);
    }
    if (rc == NGX_OK) {
        mcf->current = make_snapshot(mcf, NULL, diags, cf->log);
        if (!mcf->current) {
            rc = NGX_ERROR;
        }
    }
    gwapi_diags_free(diags);
    return rc;
}

ngx_int_t
ngx_http_gatewayapi_state_start_watch(ngx_cycle_t *cycle, ngx_http_gatewayapi_main_conf_t *mcf)
{
    if (!mcf->watch.len || !mcf->config) {
        return NGX_OK;
    }
    mcf->watch_event.handler = watch_tick;
    mcf->watch_event.data = mcf;
    mcf->watch_event.log = cycle->log;
    mcf->watch_event.cancelable = 1;
    ngx_add_timer(&mcf->watch_event, mcf->watch_interval);
    return NGX_OK;
}
