/* libFuzzer target: requests against fixed routers. The routers are compiled once from
 * tests/data/sweep/rich.yaml (every kind of route, match and filter) and
 * tests/data/bindings/filters.yaml; each input is one request, matched by each router, with
 * its filters applied (pipeline_decision()).
 *
 * Input: byte 0 the protocol, byte 1 the port (an index into the listeners' ports, or any),
 * bytes 2-5 the random draw, then lines: host, sni, method, path, query, and one header per
 * line as "name:value". A line "\x01" is NULL; a header line without ':' has a NULL value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "slices.h"

#ifndef FUZZ_DATA_DIR
#error "FUZZ_DATA_DIR must be defined by the build"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gwapi_router *routers[3];
static size_t n_routers;

static void
load(gwapi_config *cfg, const char *relpath, gwapi_diags *diags)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", FUZZ_DATA_DIR, relpath);
    if (gwapi_config_load_file(cfg, path, NULL, diags) != 0) {
        fprintf(stderr, "fuzz-request: cannot load %s\n", path);
        abort();
    }
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const gateways[] = { "infra/gw", "infra/legacy", "ns/gw" };
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;
    gwapi_resolution *res;

    (void)argc;
    (void)argv;
    if (gwapi_ctx_new(&ctx) || gwapi_config_new(&cfg, ctx) || gwapi_diags_new(&diags, ctx))
        abort();
    load(cfg, "sweep/rich.yaml", diags);
    load(cfg, "bindings/filters.yaml", diags);
    if (gwapi_resolve(&res, cfg, &options, diags) != 0)
        abort();
    for (size_t i = 0; i < sizeof(gateways) / sizeof(gateways[0]); i++)
        if (gwapi_router_new(&routers[n_routers], res, gateways[i], diags) == 0)
            n_routers++;
    if (n_routers != 3)
        abort();
    /* The routers hold the resolution, which holds the configuration. */
    gwapi_resolution_unref(res);
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    return 0;
}

/* The next line of the input as a new string, NULL for "\x01"; *more is false at the end. */
static char *
next_line(const uint8_t **at, const uint8_t *end, bool *more)
{
    const uint8_t *nl = memchr(*at, '\n', (size_t)(end - *at));
    size_t len = nl ? (size_t)(nl - *at) : (size_t)(end - *at);
    char *s = malloc(len + 1);

    if (!s)
        abort();
    memcpy(s, *at, len);
    s[len] = '\0';
    *at = nl ? nl + 1 : end;
    *more = nl != NULL;
    if (len == 1 && s[0] == '\x01') {
        free(s);
        return NULL;
    }
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned ports[] = { 0, 80, 443, 8080, 8081, 8443, 9000, 9001, 50051 };
    const uint8_t *at = data + 6, *end = data + size;
    gwapi_request req = GWAPI_REQUEST_INIT, sliced;
    char *fields[5] = { NULL }, *lines[64];
    gwapi_http_header headers[64];
    gwapi_header_slice slices[64];
    size_t n_lines = 0;
    bool more = size > 6;
    const char *broken = NULL;

    if (size < 6)
        return 0;
    req.protocol = (gwapi_protocol)(data[0] % 5);
    req.port = data[1] < 9 * 16 ? ports[data[1] % 9] : data[1];
    memcpy(&req.random, data + 2, sizeof(req.random));
    for (int f = 0; f < 5 && more; f++)
        fields[f] = next_line(&at, end, &more);
    req.host = fields[0];
    req.sni = fields[1];
    req.method = fields[2];
    req.path = fields[3];
    req.query = fields[4];
    while (more && n_lines < 64) {
        char *line = next_line(&at, end, &more), *colon;
        lines[n_lines] = line;
        headers[n_lines].name = line;
        headers[n_lines].value = NULL;
        if (line && (colon = strchr(line, ':'))) {
            *colon = '\0';
            headers[n_lines].value = colon + 1;
        }
        n_lines++;
    }
    req.headers = headers;
    req.n_headers = n_lines;
    /* The same request as slices, each in a buffer of exactly its length (no NUL after it). */
    sliced = req;
    sliced.host = sliced.sni = sliced.method = sliced.path = sliced.query = NULL;
    sliced.headers = NULL;
    sliced.n_headers = 0;
    sliced.host_slice = exact_slice(fields[0]);
    sliced.sni_slice = exact_slice(fields[1]);
    sliced.method_slice = exact_slice(fields[2]);
    sliced.path_slice = exact_slice(fields[3]);
    sliced.query_slice = exact_slice(fields[4]);
    for (size_t i = 0; i < n_lines; i++) {
        slices[i].name = exact_slice(headers[i].name);
        slices[i].value = exact_slice(headers[i].value);
    }
    sliced.header_slices = slices;
    sliced.n_header_slices = n_lines;
    for (size_t r = 0; r < n_routers; r++) {
        gwapi_decision d = GWAPI_DECISION_INIT, ds = GWAPI_DECISION_INIT;
        int err = gwapi_router_match(routers[r], &req, &d);
        int err_s = gwapi_router_match(routers[r], &sliced, &ds);
        if (err && err != GWAPI_ELIMIT)
            abort();
        /* Either form, one answer: a string cannot hold a NUL, so neither can these slices. */
        if (err_s != err || memcmp(&d, &ds, sizeof(d)) != 0) {
            fprintf(stderr, "broken promise: strings and slices decide differently\n");
            abort();
        }
        pipeline_decision(&d, &req, &broken);
        if (!broken)
            pipeline_decision(&ds, &sliced, &broken);
        if (broken) {
            fprintf(stderr, "broken promise: %s\n", broken);
            abort();
        }
    }
    free((void *)sliced.host_slice.ptr);
    free((void *)sliced.sni_slice.ptr);
    free((void *)sliced.method_slice.ptr);
    free((void *)sliced.path_slice.ptr);
    free((void *)sliced.query_slice.ptr);
    for (size_t i = 0; i < n_lines; i++) {
        free((void *)slices[i].name.ptr);
        free((void *)slices[i].value.ptr);
    }
    for (int f = 0; f < 5; f++)
        free(fields[f]);
    for (size_t i = 0; i < n_lines; i++)
        free(lines[i]);
    return 0;
}
