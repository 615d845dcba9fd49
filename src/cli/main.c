/* gwapi: the command-line face of libgatewayapi. */
#include <string.h>

#include "cli.h"

int
main(int argc, char **argv)
{
    if (argc < 2) {
        cli_help(stderr, NULL);
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
    if (strcmp(argv[1], "convert") == 0)
        return cmd_convert(argc - 1, argv + 1);
    if (strcmp(argv[1], "graph") == 0)
        return cmd_graph(argc - 1, argv + 1);
    if (strcmp(argv[1], "test") == 0)
        return cmd_test(argc - 1, argv + 1);
    if (strcmp(argv[1], "watch") == 0)
        return cmd_watch(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            cli_help(stdout, "version");
            return EXIT_OK;
        }
        printf("gwapi %s (libgatewayapi %s)\n", GWAPI_VERSION_STRING, gwapi_version_string());
        printf("Gateway API: standard channel of kubernetes-sigs/gateway-api at commit %.12s "
               "(bundle-version %s); networking.x-k8s.io/v1alpha1 %s\n",
               GWAPI_GATEWAY_API_COMMIT, GWAPI_GATEWAY_API_BUNDLE_VERSION,
               GWAPI_V1ALPHA1_VERSION);
        return EXIT_OK;
    }
    /* gwapi help [--man] [COMMAND]: the man pages are made from the same table as the help. */
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        bool man = argc > 2 && strcmp(argv[2], "--man") == 0;
        const char *command = argc > 2 + man ? argv[2 + man] : NULL;
        if (command && !cli_command(command)) {
            fprintf(stderr, "gwapi: unknown command '%s'\n", command);
            return EXIT_UNUSABLE;
        }
        if (man)
            cli_man(stdout, command);
        else
            cli_help(stdout, command);
        return EXIT_OK;
    }
    fprintf(stderr, "gwapi: unknown command '%s'\n", argv[1]);
    cli_help(stderr, NULL);
    return EXIT_UNUSABLE;
}
