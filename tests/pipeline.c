#include "pipeline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const gwapi_http_header pipeline_headers[] = {
    { "x-env", "canary" }, { "x-id", "42" }, { "Origin", "https://a.example.com" },
    { "Access-Control-Request-Method", "POST" }, { "x-tenant", "t" }, { "env", "canary" },
};
const size_t n_pipeline_headers = sizeof(pipeline_headers) / sizeof(pipeline_headers[0]);

#define BROKEN(broken, what) do { if (!*(broken)) *(broken) = (what); } while (0)

void
pipeline_decision(const gwapi_decision *d, const gwapi_request *req, const char **broken)
{
    gwapi_action a = GWAPI_ACTION_INIT;
    char buf[512], *big;
    gwapi_http_header out[32];
    size_t n, needed = 0, again = 0, len;
    int err;

    if (d->status >= 300 && d->status < 400) {
        len = gwapi_decision_redirect(d, req, "http", buf, sizeof(buf));
        if (len < sizeof(buf) && strlen(buf) != len)
            BROKEN(broken, "gwapi_decision_redirect() length");
    }
    len = gwapi_decision_rewrite_path(d, req, buf, sizeof(buf));
    if (len < sizeof(buf) && strlen(buf) != len)
        BROKEN(broken, "gwapi_decision_rewrite_path() length");
    gwapi_decision_rewrite_host(d);
    gwapi_decision_modify_headers(d, false, req->headers, req->n_headers, out, 32, &n);
    gwapi_decision_modify_headers(d, true, NULL, 0, out, 32, &n);
    gwapi_decision_cors(d, req, out, 32, &n, buf, sizeof(buf));
    /* The pipeline: measured, then filled exactly; a byte less is refused. */
    err = gwapi_decision_apply(d, req, "https", req->headers, req->n_headers, &a, NULL, 0, &needed);
    if (err != GWAPI_ELIMIT && err != GWAPI_OK)
        BROKEN(broken, "gwapi_decision_apply() measuring");
    big = malloc(needed + 1);
    if (!big)
        return;
    if (needed && gwapi_decision_apply(d, req, "https", req->headers, req->n_headers, &a, big + 1,
                                       needed - 1, NULL) != GWAPI_ELIMIT)
        BROKEN(broken, "gwapi_decision_apply() with a byte too few");
    if (gwapi_decision_apply(d, req, "https", req->headers, req->n_headers, &a, big + 1, needed,
                             &again) != GWAPI_OK || again != needed)
        BROKEN(broken, "gwapi_decision_apply() with the bytes it asked for");
    if (a.status != d->status || (a.path && !*a.path) || (a.location && !*a.location))
        BROKEN(broken, "gwapi_decision_apply() result");
    for (size_t i = 0; i < a.n_request_headers; i++)
        if (!a.request_headers[i].name || !a.request_headers[i].value)
            BROKEN(broken, "gwapi_decision_apply() header without a name or value");
    for (size_t i = 0; i < a.n_response_headers; i++)
        if (!a.response_headers[i].name || !a.response_headers[i].value)
            BROKEN(broken, "gwapi_decision_apply() header without a name or value");
    for (size_t i = 0; i < a.n_mirrors; i++)
        if (a.mirrors[i]->denominator <= 0 || a.mirrors[i]->numerator > a.mirrors[i]->denominator)
            BROKEN(broken, "gwapi_decision_apply() mirror share");
    free(big);
}

static void
route_requests(gwapi_resolution *res, const char *gateway, const char **broken)
{
    static const struct { gwapi_protocol protocol; unsigned port; const char *host, *path, *query, *method; } cases[] = {
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/app/x", "v=2&debug=1", "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/exact", NULL, "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/re/abc", NULL, "POST" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/old/x", "a=b", "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/rewrite/x", NULL, "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/ext", NULL, "OPTIONS" },
        { GWAPI_PROTOCOL_HTTP, 443, "secure.example.com", "/app", "v=2", "GET" },
        { GWAPI_PROTOCOL_HTTP, 8080, "extra.example.com", "/", NULL, "GET" },
        { GWAPI_PROTOCOL_HTTP, 8081, "legacy.example.com", "/v1/x", NULL, "GET" },
        { GWAPI_PROTOCOL_GRPC, 50051, "grpc.example.com", "/pkg.Svc/Get", NULL, "POST" },
        { GWAPI_PROTOCOL_TLS, 8443, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_TCP, 9000, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_TCP, 8081, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_UDP, 9001, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_HTTP, 0, NULL, NULL, NULL, NULL },
    };
    gwapi_router *router = NULL;
    int err = gwapi_router_new(&router, res, gateway, NULL);

    if (err && err != GWAPI_ENOTFOUND)
        BROKEN(broken, "gwapi_router_new() failed");
    for (size_t i = 0; router && i < sizeof(cases) / sizeof(cases[0]); i++) {
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_decision d = GWAPI_DECISION_INIT;
        req.protocol = cases[i].protocol;
        req.port = cases[i].port;
        req.host = cases[i].host;
        req.sni = cases[i].protocol == GWAPI_PROTOCOL_TLS ? "pass.example.com" : NULL;
        req.path = cases[i].path;
        req.query = cases[i].query;
        req.method = cases[i].method;
        req.headers = pipeline_headers;
        req.n_headers = n_pipeline_headers;
        for (uint32_t random = 0; random < 3; random++) {
            req.random = random * 0x55555555u;
            err = gwapi_router_match(router, &req, &d);
            if (err && err != GWAPI_ELIMIT)
                BROKEN(broken, "gwapi_router_match() failed");
            pipeline_decision(&d, &req, broken);
        }
    }
    gwapi_router_unref(router);
}

static size_t
count_code(const gwapi_diags *diags, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < gwapi_diags_count(diags); i++)
        n += strcmp(gwapi_diags_get(diags, i)->code, code) == 0;
    return n;
}

static bool
same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Objects that fail validation, or had errors while they were read. */
static size_t
count_invalid(const gwapi_config *cfg, const gwapi_diags *load_diags)
{
    size_t n = 0;
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *o = gwapi_config_get(cfg, i);
        bool invalid = gwapi_object_validate(o, NULL) == GWAPI_EINPUT;
        for (size_t j = 0; !invalid && j < gwapi_diags_count(load_diags); j++) {
            const gwapi_diag *d = gwapi_diags_get(load_diags, j);
            invalid = d->severity == GWAPI_SEVERITY_ERROR && d->kind && d->name &&
                      same(d->kind, o->kind_name) && same(d->name, o->metadata->name) &&
                      same(d->ns, o->metadata->namespace_);
        }
        n += invalid;
    }
    return n;
}

static void
resolve_and_route(gwapi_config *cfg, gwapi_diags *res_diags, int include,
                  struct pipeline_result *out)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_resolution *res;
    char *text;

    options.flags = include ? GWAPI_RESOLVE_INCLUDE_INVALID : 0;
    gwapi_diags_clear(res_diags);
    if (gwapi_resolve(&res, cfg, &options, res_diags) != 0) {
        BROKEN(&out->broken, "gwapi_resolve() failed");
        return;
    }
    out->refused[include] = count_code(res_diags, "refused");
    for (int format = 0; format < 2; format++) {
        if (gwapi_resolution_emit(res, NULL, (gwapi_format)format, &text, NULL) != 0)
            BROKEN(&out->broken, "gwapi_resolution_emit() failed");
        else
            gwapi_free(text);
    }
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *o = gwapi_config_get(cfg, i);
        const gwapi_explain_step *const *steps;
        size_t n;
        int err = gwapi_resolution_explain(res, o, &steps, &n);
        if (err && err != GWAPI_ENOTFOUND)
            BROKEN(&out->broken, "gwapi_resolution_explain() failed");
        if (o->kind == GWAPI_KIND_GATEWAY && o->metadata->namespace_) {
            size_t size = strlen(o->metadata->namespace_) + strlen(o->metadata->name) + 2;
            char *id = malloc(size);
            if (!id)
                continue;
            snprintf(id, size, "%s/%s", o->metadata->namespace_, o->metadata->name);
            err = gwapi_resolution_emit(res, id, GWAPI_FORMAT_JSON, &text, NULL);
            if (err && err != GWAPI_ENOTFOUND)
                BROKEN(&out->broken, "gwapi_resolution_emit() of one Gateway failed");
            if (!err)
                gwapi_free(text);
            route_requests(res, id, &out->broken);
            free(id);
        }
    }
    gwapi_resolution_unref(res);
}

void
pipeline_run(const char *text, size_t len, const gwapi_limits *limits, unsigned load_flags,
             struct pipeline_result *out)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    gwapi_ctx *ctx = NULL;
    gwapi_config *cfg = NULL;
    gwapi_diags *diags = NULL, *res_diags = NULL;

    memset(out, 0, sizeof(*out));
    if (gwapi_ctx_new(&ctx) || (limits && gwapi_ctx_set_limits(ctx, limits)) ||
        gwapi_config_new(&cfg, ctx) || gwapi_diags_new(&diags, ctx) ||
        gwapi_diags_new(&res_diags, ctx)) {
        out->broken = "setting up";
        goto done;
    }
    options.flags = load_flags;
    gwapi_config_load_buffer(cfg, text, len, "pipeline", &options, diags);
    for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
        char line[256];
        size_t n = gwapi_diag_format(gwapi_diags_get(diags, i), line, sizeof(line));
        if (n < sizeof(line) && (strlen(line) != n || strchr(line, '\n')))
            BROKEN(&out->broken, "gwapi_diag_format() is not one line");
    }
    out->objects = gwapi_config_count(cfg);
    out->invalid = count_invalid(cfg, diags);
    for (int include = 0; include < 2; include++)
        resolve_and_route(cfg, res_diags, include, out);
    if (out->refused[1] > out->refused[0])
        BROKEN(&out->broken, "more refusals with the invalid objects included");
done:
    gwapi_diags_free(res_diags);
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
}
