/* gwapi dump: load manifests and write the model back out, defaults applied. */
#include <string.h>

#include "cli.h"

int
cmd_dump(int argc, char **argv)
{
    struct cli_input in = { 0 };
    gwapi_format format = GWAPI_FORMAT_JSON;
    bool strict = false;
    char *text = NULL;
    size_t len = 0;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("dump"))) != -1) {
        switch (opt) {
        case CLI_OPT_STRICT: strict = true; break;
        case CLI_OPT_OUTPUT:
            if (strcmp(optarg, "json") == 0) {
                format = GWAPI_FORMAT_JSON;
            } else if (strcmp(optarg, "yaml") == 0) {
                format = GWAPI_FORMAT_YAML;
            } else {
                cli_help(stderr, "dump");
                return EXIT_UNUSABLE;
            }
            break;
        case CLI_OPT_HELP: cli_help(stdout, "dump"); return EXIT_OK;
        default: cli_help(stderr, "dump"); return EXIT_UNUSABLE;
        }
    }
    if (!cli_has_input(argc - optind)) {
        cli_help(stderr, "dump");
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, strict ? GWAPI_LOAD_STRICT : 0);
    if (rc) {
        cli_input_release(&in);
        return rc;
    }
    for (size_t i = 0; i < gwapi_diags_count(in.diags); i++)
        cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
    if (gwapi_config_emit(in.cfg, format, &text, &len)) {
        fprintf(stderr, "gwapi: out of memory\n");
        cli_input_release(&in);
        return EXIT_UNUSABLE;
    }
    fwrite(text, 1, len, stdout);
    gwapi_free(text);
    rc = in.unreadable ? EXIT_UNUSABLE : gwapi_diags_error_count(in.diags) ? EXIT_INVALID : EXIT_OK;
    cli_input_release(&in);
    return rc;
}
