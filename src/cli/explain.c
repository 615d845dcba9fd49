/* gwapi explain: why a route is, or is not, attached to each parent it could reach. */
#include <string.h>

#include <cjson/cJSON.h>
#include <stdlib.h>

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

/* gwapi explain request: every candidate route match in the order the router tries them,
 * with the first check the request fails, and the winner with why it wins. */
static int
explain_request(const char *request_text, const char *gateway,
                const gwapi_resolve_options *options, char **paths, int n_paths)
{
    struct cli_input in = { 0 };
    gwapi_resolution *res = NULL;
    gwapi_router *router = NULL;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_header_slice *headers = NULL;
    gwapi_candidates *cands = NULL;
    cJSON *json = cJSON_Parse(request_text);
    uint64_t seed = 1;
    char error[300];
    int rc, err;

    if (!json || !cli_request_from_json(json, &req, &headers, &seed, error, sizeof(error))) {
        fprintf(stderr, "gwapi explain request: %s\n",
                json ? error : "the request is not JSON (gwapi route's request shape)");
        cJSON_Delete(json);
        return EXIT_UNUSABLE;
    }
    if (!gateway)
        gateway = cJSON_GetStringValue(cJSON_GetObjectItem(json, "gateway"));
    if (!gateway) {
        fprintf(stderr, "gwapi explain request: give --gateway or \"gateway\" in the request\n");
        cJSON_Delete(json);
        free(headers);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, paths, n_paths, 0);
    if (!rc && cli_resolve(&in, options, &res))
        rc = EXIT_UNUSABLE;
    if (!rc && (err = gwapi_router_new(&router, res, gateway, NULL))) {
        fprintf(stderr, "gwapi explain request: %s: %s\n", gateway,
                err == GWAPI_ENOTFOUND ? "no such Gateway" : gwapi_strerror(err));
        rc = EXIT_UNUSABLE;
    }
    if (!rc && (err = gwapi_router_explain(router, &req, &cands))) {
        fprintf(stderr, "gwapi explain request: %s\n", gwapi_strerror(err));
        rc = EXIT_UNUSABLE;
    }
    if (!rc) {
        size_t n = gwapi_candidates_count(cands), winner = n;
        for (size_t i = 0; i < n; i++) {
            const gwapi_candidate *c = gwapi_candidates_get(cands, i);
            printf("%3zu. %-9s %s %s/%s rule %zu match %zu (listener %s, host %s)", i + 1,
                   c->won ? "WON" : c->check ? c->check : "held", c->route->kind_name,
                   c->route->metadata->namespace_, c->route->metadata->name, c->rule, c->match,
                   c->listener, c->hostname ? c->hostname : "any");
            if (c->detail)
                printf(": %s", c->detail);
            printf("\n");
            if (c->won)
                winner = i;
        }
        if (n == 0)
            printf("no route match on Gateway %s\n", gateway);
        if (winner == n)
            printf("no candidate won: the request gets 404\n");
        rc = EXIT_OK;
    }
    gwapi_candidates_free(cands);
    gwapi_router_unref(router);
    gwapi_resolution_unref(res);
    cli_input_release(&in);
    free(headers);
    cJSON_Delete(json);
    return rc;
}

int
cmd_explain(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    gwapi_resolution *res = NULL;
    const gwapi_object *route;
    const gwapi_explain_step *const *steps;
    const char *gateway = NULL;
    size_t n = 0;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("explain"))) != -1) {
        switch (opt) {
        case CLI_OPT_GATEWAY: gateway = optarg; break;
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
    if (strcmp(argv[optind], "request") == 0)
        return explain_request(argv[optind + 1], gateway, &options, argv + optind + 2,
                               argc - optind - 2);
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
