/* gwapi dump: load manifests and write the model back out, defaults applied. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *out)
{
    fprintf(out, "usage: gwapi dump [--strict] [-o json|yaml] FILE...|-\n");
}

int
cmd_dump(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "strict", no_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_input in = { 0 };
    gwapi_format format = GWAPI_FORMAT_JSON;
    bool strict = false;
    char *text = NULL;
    size_t len = 0;
    int opt, rc;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': strict = true; break;
        case 'o':
            if (strcmp(optarg, "json") == 0) {
                format = GWAPI_FORMAT_JSON;
            } else if (strcmp(optarg, "yaml") == 0) {
                format = GWAPI_FORMAT_YAML;
            } else {
                usage(stderr);
                return EXIT_UNUSABLE;
            }
            break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_UNUSABLE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
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
