/* gwapi: the command-line face of libgatewayapi. */
#include <string.h>

#include "cli.h"

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: gwapi COMMAND [OPTIONS] ...\n"
            "\n"
            "commands:\n"
            "  check [--strict] [--no-validate] [-o text|json|junit|tap] FILE...|-\n"
            "                                              load, validate and report problems\n"
            "  dump [--strict] [-o json|yaml] FILE...|-    write the loaded objects back out\n"
            "  status [-o json|yaml] [--gateway NS/NAME] FILE...|-\n"
            "                                              the status a controller would write\n"
            "  explain ROUTE-KIND NS/NAME FILE...|-        why a route is or is not attached\n"
            "  route [--gateway NS/NAME] [--seed N] FILE... < requests.jsonl\n"
            "                                              route requests, one JSON line each\n"
            "  watch [FILE|-]                              follow a watch stream: status and\n"
            "                                              router changes, one JSON line each\n"
            "  version                                     print the version\n"
            "\n"
            "exit status: 0 no error, 1 the input has errors, 2 unusable input or usage\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "dump") == 0)
        return cmd_dump(argc - 1, argv + 1);
    if (strcmp(argv[1], "status") == 0)
        return cmd_status(argc - 1, argv + 1);
    if (strcmp(argv[1], "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    if (strcmp(argv[1], "route") == 0)
        return cmd_route(argc - 1, argv + 1);
    if (strcmp(argv[1], "watch") == 0)
        return cmd_watch(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("gwapi %s (libgatewayapi %s)\n", GWAPI_VERSION_STRING, gwapi_version_string());
        return EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    fprintf(stderr, "gwapi: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_UNUSABLE;
}
