/* libFuzzer target: gwapi route's request-line parser and answer (src/cli/route_line.c). The
 * input is a stream of lines, each answered against routers of tests/data/sweep/rich.yaml and
 * tests/data/bindings/filters.yaml; every answer must be one JSON line. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef FUZZ_DATA_DIR
#error "FUZZ_DATA_DIR must be defined by the build"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cli_routers routers;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const files[] = { "sweep/rich.yaml", "bindings/filters.yaml" };
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;

    (void)argc;
    (void)argv;
    if (gwapi_ctx_new(&ctx) || gwapi_config_new(&cfg, ctx) || gwapi_diags_new(&diags, ctx))
        abort();
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", FUZZ_DATA_DIR, files[i]);
        if (gwapi_config_load_file(cfg, path, NULL, diags) != 0)
            abort();
    }
    if (gwapi_resolve(&routers.res, cfg, &options, diags) != 0)
        abort();
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *at = data, *end = data + size;
    uint64_t seed = 1;
    size_t number = 0;
    char *answer = NULL;
    size_t answer_len = 0;
    FILE *out = open_memstream(&answer, &answer_len);

    if (!out)
        abort();
    while (at < end) {
        const uint8_t *nl = memchr(at, '\n', (size_t)(end - at));
        size_t len = nl ? (size_t)(nl + 1 - at) : (size_t)(end - at);
        char *line = malloc(len + 1);
        long before = ftell(out);
        if (!line)
            abort();
        memcpy(line, at, len);
        line[len] = '\0';
        cli_route_line(&routers, "infra/gw", line, len, ++number, &seed, out);
        fflush(out);
        /* One JSON object per answered line, on one line. */
        if (ftell(out) > before) {
            cJSON *j;
            if (answer[answer_len - 1] != '\n' || memchr(answer + before, '\n',
                                                         answer_len - (size_t)before - 1))
                abort();
            answer[answer_len - 1] = '\0';
            j = cJSON_Parse(answer + before);
            if (!cJSON_IsObject(j))
                abort();
            cJSON_Delete(j);
            answer[answer_len - 1] = '\n';
        }
        free(line);
        at += len;
    }
    fclose(out);
    free(answer);
    return 0;
}
