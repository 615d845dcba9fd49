/* gwapi route: route JSON-line requests through a Gateway's compiled router and print, for
 * each, one JSON line with the decision and the request as the backend receives it
 * (route_line.c). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The longest request line read by default: a request's host, path, query and headers take a
 * few kilobytes; a megabyte is far past any real one. */
#define DEFAULT_MAX_LINE_BYTES ((size_t)1 << 20)

/* The next line of in, of at most max bytes kept in *line (the rest of a longer one is read
 * and dropped, so memory stays bounded: *too_long says so). Its length, or -1 at the end. */
static ssize_t
read_line(FILE *in, char **line, size_t *cap, size_t max, bool *too_long)
{
    size_t n = 0;
    int c;

    *too_long = false;
    while ((c = getc(in)) != EOF) {
        if (n + 2 > *cap && n < max) {
            size_t grow = *cap ? *cap * 2 : 4096;
            char *grown = realloc(*line, grow < max + 2 ? grow : max + 2);
            if (!grown)
                return -1;
            *line = grown;
            *cap = grow < max + 2 ? grow : max + 2;
        }
        if (n < max)
            (*line)[n++] = (char)c;
        else
            *too_long = true;
        if (c == '\n')
            break;
    }
    if (c == EOF && n == 0 && !*too_long)
        return -1;
    if (*line)
        (*line)[n] = '\0';
    return (ssize_t)n;
}

int
cmd_route(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    struct cli_routers rs = { 0 };
    const char *gateway = NULL;
    uint64_t seed = 1;
    char *line = NULL;
    size_t cap = 0, max_line = DEFAULT_MAX_LINE_BYTES;
    bool bad_lines = false;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("route"))) != -1) {
        switch (opt) {
        case CLI_OPT_GATEWAY: gateway = optarg; break;
        case CLI_OPT_SEED: {
            char *end;
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (!*optarg || *end || errno || optarg[0] == '-') {
                fprintf(stderr, "gwapi: --seed needs a number from 0 to 2^64-1, not \"%s\"\n", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        }
        case CLI_OPT_MAX_LINE: {
            char *end;
            errno = 0;
            max_line = strtoull(optarg, &end, 10);
            if (!*optarg || *end || errno || optarg[0] == '-' || max_line == 0 ||
                max_line > SIZE_MAX / 4) {
                fprintf(stderr, "gwapi: --max-line-bytes needs a positive number, not \"%s\"\n", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        }
        case CLI_OPT_CONTROLLER: options.controller_name = optarg; break;
        case CLI_OPT_INCLUDE_INVALID: options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case CLI_OPT_HELP: cli_help(stdout, "route"); return EXIT_OK;
        default: cli_help(stderr, "route"); return EXIT_UNUSABLE;
        }
    }
    if (optind >= argc) {
        cli_help(stderr, "route");
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, 0);
    for (size_t i = 0; !rc && i < gwapi_diags_count(in.diags); i++)
        cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
    rs.cfg = in.cfg;
    rs.options = options;
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
        bool too_long;
        while (!rc && (got = read_line(stdin, &line, &cap, max_line, &too_long)) >= 0) {
            number++;
            if (too_long) {
                printf("{\"error\":\"the line is longer than %zu bytes (--max-line-bytes)\","
                       "\"line\":%zu}\n", max_line, number);
                bad_lines = true;
            } else if (!cli_route_line(&rs, gateway, line, (size_t)got, number, &seed, stdout)) {
                bad_lines = true;
            }
        }
    }
    free(line);
    cli_routers_release(&rs);
    cli_input_release(&in);
    return rc ? rc : in.unreadable ? EXIT_UNUSABLE : bad_lines ? EXIT_INVALID : EXIT_OK;
}
