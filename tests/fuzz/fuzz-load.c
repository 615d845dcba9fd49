/* libFuzzer target: any bytes through the whole loader (YAML or JSON), then emit and compare,
 * under small limits so that deep or huge inputs are explored cheaply. */
#include <stddef.h>
#include <stdint.h>

#include <gatewayapi.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gwapi_ctx *ctx = NULL;
    gwapi_config *cfg = NULL;
    gwapi_diags *diags = NULL;
    gwapi_limits limits = GWAPI_LIMITS_INIT;
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;

    if (gwapi_ctx_new(&ctx))
        return 0;
    limits.max_nodes = 20000;
    limits.max_depth = 32;
    gwapi_ctx_set_limits(ctx, &limits);
    if (gwapi_config_new(&cfg, ctx) == 0 && gwapi_diags_new(&diags, ctx) == 0) {
        options.flags = size && (data[0] & 1) ? GWAPI_LOAD_STRICT : 0;
        gwapi_config_load_buffer(cfg, (const char *)data, size, "fuzz", &options, diags);
        for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
            char line[256];
            gwapi_diag_format(gwapi_diags_get(diags, i), line, sizeof(line));
        }
        for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
            char *text = NULL;
            if (gwapi_object_emit(gwapi_config_get(cfg, i), GWAPI_FORMAT_YAML, &text, NULL) == 0)
                gwapi_free(text);
        }
    }
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    return 0;
}
