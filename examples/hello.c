#include <stdio.h>
#include <gatewayapi.h>

int main(int argc, char **argv)
{
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;
    int errors;

    gwapi_ctx_new(&ctx);
    gwapi_config_new(&cfg, ctx);
    gwapi_diags_new(&diags, ctx);
    for (int i = 1; i < argc; i++)
        gwapi_config_load_file(cfg, argv[i], NULL, diags);

    for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
        char line[512];
        gwapi_diag_format(gwapi_diags_get(diags, i), line, sizeof(line));
        fprintf(stderr, "%s\n", line);
    }
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *obj = gwapi_config_get(cfg, i);
        const gwapi_gateway *gw = gwapi_object_gateway(obj);
        if (!gw)
            continue;
        for (size_t l = 0; l < gw->spec->n_listeners; l++)
            printf("%s/%s: listener %s %s:%lld\n", obj->metadata->namespace_,
                   obj->metadata->name, gw->spec->listeners[l]->name,
                   gw->spec->listeners[l]->protocol, (long long)gw->spec->listeners[l]->port);
    }
    errors = gwapi_diags_error_count(diags) > 0;
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    return errors;
}
