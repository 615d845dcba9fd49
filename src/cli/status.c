/* gwapi status: the status a controller would write for every object, as a Kubernetes List. */
#include <string.h>

#include "cli.h"

int
cmd_status(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    gwapi_format format = GWAPI_FORMAT_JSON;
    const char *gateway = NULL;
    gwapi_resolution *res = NULL;
    char *text = NULL;
    size_t len = 0;
    int opt, rc, err;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("status"))) != -1) {
        switch (opt) {
        case CLI_OPT_OUTPUT:
            if (strcmp(optarg, "json") == 0) {
                format = GWAPI_FORMAT_JSON;
            } else if (strcmp(optarg, "yaml") == 0) {
                format = GWAPI_FORMAT_YAML;
            } else {
                cli_help(stderr, "status");
                return EXIT_UNUSABLE;
            }
            break;
        case CLI_OPT_GATEWAY: gateway = optarg; break;
        case CLI_OPT_CONTROLLER: options.controller_name = optarg; break;
        case CLI_OPT_INCLUDE_INVALID: options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case CLI_OPT_HELP: cli_help(stdout, "status"); return EXIT_OK;
        default: cli_help(stderr, "status"); return EXIT_UNUSABLE;
        }
    }
    if (!cli_has_input(argc - optind)) {
        cli_help(stderr, "status");
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, 0);
    if (rc) {
        cli_input_release(&in);
        return rc;
    }
    for (size_t i = 0; i < gwapi_diags_count(in.diags); i++)
        cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
    err = cli_resolve(&in, &options, &res);
    if (!err)
        err = gwapi_resolution_emit(res, gateway, format, &text, &len);
    if (err == GWAPI_ENOTFOUND) {
        fprintf(stderr, "gwapi: no Gateway %s in the input\n", gateway);
        rc = EXIT_UNUSABLE;
    } else if (err) {
        fprintf(stderr, "gwapi: %s\n", gwapi_strerror(err));
        rc = EXIT_UNUSABLE;
    } else {
        fwrite(text, 1, len, stdout);
        rc = in.unreadable ? EXIT_UNUSABLE
           : gwapi_diags_error_count(in.diags) || in.refused ? EXIT_INVALID : EXIT_OK;
    }
    gwapi_free(text);
    gwapi_resolution_unref(res);
    cli_input_release(&in);
    return rc;
}
