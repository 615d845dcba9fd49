/* gwapi explain: why a route is, or is not, attached to each parent it could reach. */
#include <string.h>

#include "cli.h"

static const char *const route_kinds[] = { "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute",
                                            "UDPRoute", NULL };

static bool
is_route_kind(const char *kind)
{
    for (const char *const *k = route_kinds; *k; k++)
        if (strcasecmp(*k, kind) == 0)
            return true;
    return false;
}

/* NS/NAME, or NAME in namespace "default" as kubectl reads it. */
static const gwapi_object *
find_route(const gwapi_config *cfg, const char *kind, const char *id)
{
    const char *slash = strchr(id, '/');
    const char *want_ns = slash ? id : "default";
    size_t want_len = slash ? (size_t)(slash - id) : strlen("default");
    const char *name = slash ? slash + 1 : id;

    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *o = gwapi_config_get(cfg, i);
        const char *ns = o->metadata->namespace_ ? o->metadata->namespace_ : "";
        if (strcasecmp(o->kind_name, kind) == 0 && strlen(ns) == want_len &&
            strncmp(ns, want_ns, want_len) == 0 && strcmp(o->metadata->name, name) == 0)
            return o;
    }
    return NULL;
}

int
cmd_explain(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    gwapi_resolution *res = NULL;
    const gwapi_object *route;
    const gwapi_explain_step *const *steps;
    size_t n = 0;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("explain"))) != -1) {
        switch (opt) {
        case CLI_OPT_CONTROLLER: options.controller_name = optarg; break;
        case CLI_OPT_INCLUDE_INVALID: options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case CLI_OPT_HELP: cli_help(stdout, "explain"); return EXIT_OK;
        default: cli_help(stderr, "explain"); return EXIT_UNUSABLE;
        }
    }
    if (argc - optind < 2 || !cli_has_input(argc - optind - 2)) {
        cli_help(stderr, "explain");
        return EXIT_UNUSABLE;
    }
    if (!is_route_kind(argv[optind])) {
        fprintf(stderr, "gwapi: explain tells why a route is or is not attached; %s is not a "
                        "route kind (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute)\n",
                argv[optind]);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind + 2, argc - optind - 2, 0);
    if (rc) {
        cli_input_release(&in);
        return rc;
    }
    route = find_route(in.cfg, argv[optind], argv[optind + 1]);
    if (!route) {
        fprintf(stderr, "gwapi: no %s %s%s in the input\n", argv[optind],
                strchr(argv[optind + 1], '/') ? "" : "default/", argv[optind + 1]);
        cli_input_release(&in);
        return EXIT_UNUSABLE;
    }
    if (cli_resolve(&in, &options, &res) ||
        gwapi_resolution_explain(res, route, &steps, &n)) {
        fprintf(stderr, "gwapi: cannot resolve the configuration\n");
        cli_input_release(&in);
        return EXIT_UNUSABLE;
    }
    printf("%s %s/%s\n", route->kind_name, route->metadata->namespace_, route->metadata->name);
    if (n == 0)
        printf(route->dialect == GWAPI_DIALECT_V1ALPHA1
                   ? "  no Gateway's listeners select it: it attaches to nothing\n"
                   : "  names no parent: it attaches to nothing\n");
    for (size_t i = 0; i < n; i++) {
        const gwapi_explain_step *s = steps[i];
        printf("  %s %s", s->passed ? "ok  " : "FAIL", s->parent ? s->parent : "route");
        if (s->listener)
            printf(" listener %s", s->listener);
        printf(" [%s]: ", s->check);
        if (!s->passed && s->reason)
            printf("%s: ", s->reason);
        printf("%s\n", s->message);
    }
    /* Exit 0 when every parent accepted the route, 1 otherwise: scripts can test attachment. */
    rc = EXIT_OK;
    {
        const gwapi_status *st = gwapi_resolution_status(res, route);
        for (size_t i = 0; st && i < st->n_parents; i++)
            for (size_t c = 0; c < st->parents[i]->n_conditions; c++) {
                const gwapi_condition *cond = st->parents[i]->conditions[c];
                if ((!strcmp(cond->type, "Accepted") || !strcmp(cond->type, "Admitted")) &&
                    strcmp(cond->status, "True") != 0)
                    rc = EXIT_INVALID;
            }
        if (!st || st->n_parents == 0)
            rc = EXIT_INVALID;
    }
    gwapi_resolution_unref(res);
    cli_input_release(&in);
    return rc;
}
