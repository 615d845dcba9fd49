/* gwapi route: route JSON-line requests through a Gateway's compiled router and print, for
 * each, one JSON line with the decision and the request as the backend receives it
 * (route_line.c). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *out)
{
    fprintf(out, "usage: gwapi route [--gateway NS/NAME] [--seed N] [--controller NAME] [--include-invalid] "
                 "FILE...  < requests.jsonl\n");
}

int
cmd_route(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "gateway", required_argument, NULL, 'g' },
        { "seed", required_argument, NULL, 's' },
        { "controller", required_argument, NULL, 'c' },
        { "include-invalid", no_argument, NULL, 'I' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    struct cli_routers rs = { 0 };
    const char *gateway = NULL;
    uint64_t seed = 1;
    char *line = NULL;
    size_t cap = 0;
    bool bad_lines = false;
    int opt, rc;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'g': gateway = optarg; break;
        case 's': {
            char *end;
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (!*optarg || *end || errno || optarg[0] == '-') {
                fprintf(stderr, "gwapi: --seed needs a number from 0 to 2^64-1, not \"%s\"\n", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        }
        case 'c': options.controller_name = optarg; break;
        case 'I': options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_UNUSABLE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, 0);
    for (size_t i = 0; !rc && i < gwapi_diags_count(in.diags); i++)
        cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
    if (rc || cli_resolve(&in, &options, &rs.res)) {
        cli_input_release(&in);
        return EXIT_UNUSABLE;
    }
    if (gateway) {
        int err = 0;
        if (!cli_router_for(&rs, gateway, &err)) {
            fprintf(stderr, "gwapi: no Gateway %s in the input\n", gateway);
            rc = EXIT_UNUSABLE;
        }
    }
    {
        ssize_t got;
        size_t number = 0;
        while (!rc && (got = getline(&line, &cap, stdin)) > 0) {
            if (!cli_route_line(&rs, gateway, line, (size_t)got, ++number, &seed, stdout))
                bad_lines = true;
        }
    }
    free(line);
    cli_routers_release(&rs);
    cli_input_release(&in);
    return rc ? rc : in.unreadable ? EXIT_UNUSABLE : bad_lines ? EXIT_INVALID : EXIT_OK;
}
