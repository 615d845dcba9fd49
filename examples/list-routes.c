/* list-routes: load manifests and print every HTTPRoute's rules and backends.
 *
 *   list-routes FILE...
 *
 * Shows the typed model: both API dialects load into the same configuration, CRD defaults are
 * applied, and problems come back as diagnostics with file, line and column. */
#include <stdio.h>

#include <gatewayapi.h>

static void
print_v1_route(const gwapi_object *obj, const gwapi_http_route *route)
{
    printf("HTTPRoute %s/%s\n", obj->metadata->namespace_, obj->metadata->name);
    for (size_t r = 0; r < route->spec->n_rules; r++) {
        const gwapi_http_route_rule *rule = route->spec->rules[r];
        for (size_t m = 0; m < rule->n_matches; m++) {
            const gwapi_http_route_match *match = rule->matches[m];
            if (match->path)
                printf("  rule %zu: %s %s\n", r, match->path->type, match->path->value);
        }
        for (size_t b = 0; b < rule->n_backend_refs; b++)
            printf("    -> %s:%lld weight %lld\n", rule->backend_refs[b]->name,
                   (long long)rule->backend_refs[b]->port,
                   (long long)rule->backend_refs[b]->weight);
    }
}

static void
print_v1alpha1_route(const gwapi_object *obj, const gwapi_v1alpha1_http_route *route)
{
    printf("HTTPRoute %s/%s (networking.x-k8s.io/v1alpha1)\n", obj->metadata->namespace_,
           obj->metadata->name);
    for (size_t r = 0; r < route->spec->n_rules; r++) {
        const gwapi_v1alpha1_http_route_rule *rule = route->spec->rules[r];
        for (size_t m = 0; m < rule->n_matches; m++) {
            const gwapi_v1alpha1_http_route_match *match = rule->matches[m];
            if (match->path)
                printf("  rule %zu: %s %s\n", r, match->path->type, match->path->value);
        }
        for (size_t f = 0; f < rule->n_forward_to; f++)
            printf("    -> %s:%lld weight %lld\n", rule->forward_to[f]->service_name,
                   (long long)rule->forward_to[f]->port, (long long)rule->forward_to[f]->weight);
    }
}

int
main(int argc, char **argv)
{
    gwapi_ctx *ctx = NULL;
    gwapi_config *cfg = NULL;
    gwapi_diags *diags = NULL;
    int status = 0;

    if (gwapi_ctx_new(&ctx) || gwapi_config_new(&cfg, ctx) || gwapi_diags_new(&diags, ctx)) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        int err = gwapi_config_load_file(cfg, argv[i], NULL, diags);
        if (err && err != GWAPI_EINPUT)
            status = 2;
    }
    for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
        char line[512];
        gwapi_diag_format(gwapi_diags_get(diags, i), line, sizeof(line));
        fprintf(stderr, "%s\n", line);
    }
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *obj = gwapi_config_get(cfg, i);
        const gwapi_http_route *v1 = gwapi_object_http_route(obj);
        const gwapi_v1alpha1_http_route *v1alpha1 = gwapi_object_v1alpha1_http_route(obj);
        if (v1)
            print_v1_route(obj, v1);
        else if (v1alpha1)
            print_v1alpha1_route(obj, v1alpha1);
    }
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    return status;
}
