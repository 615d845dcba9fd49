/* gwapi check: load manifests and report every problem. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

struct summary {
    size_t resources, invalid, errors, warnings;
};

static bool
diag_is_about(const gwapi_diag *d, const gwapi_object *o)
{
    const char *ns = o->metadata->namespace_;
    return d->kind && d->name && strcmp(d->kind, o->kind_name) == 0 &&
           strcmp(d->name, o->metadata->name) == 0 &&
           ((!d->ns && !ns) || (d->ns && ns && strcmp(d->ns, ns) == 0));
}

/* Resources are the loaded objects plus the documents refused outright (an error about no
 * object); an object is invalid when an error names it. */
static struct summary
summarize(const struct cli_input *in)
{
    struct summary s = { 0 };
    size_t n_diags = gwapi_diags_count(in->diags);

    for (size_t i = 0; i < n_diags; i++) {
        const gwapi_diag *d = gwapi_diags_get(in->diags, i);
        if (d->severity == GWAPI_SEVERITY_ERROR) {
            s.errors++;
            if (!d->name && strcmp(d->code, "io") != 0) {
                s.resources++;
                s.invalid++;
            }
        } else if (d->severity == GWAPI_SEVERITY_WARNING) {
            s.warnings++;
        }
    }
    for (size_t i = 0; i < gwapi_config_count(in->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(in->cfg, i);
        s.resources++;
        for (size_t j = 0; j < n_diags; j++) {
            const gwapi_diag *d = gwapi_diags_get(in->diags, j);
            if (d->severity == GWAPI_SEVERITY_ERROR && diag_is_about(d, o)) {
                s.invalid++;
                break;
            }
        }
    }
    return s;
}

static void
print_json(const struct cli_input *in, const struct summary *s)
{
    size_t n = gwapi_diags_count(in->diags);

    printf("{\"diagnostics\": [");
    for (size_t i = 0; i < n; i++) {
        const gwapi_diag *d = gwapi_diags_get(in->diags, i);
        printf("%s\n  {\"severity\": \"%s\", \"code\": ", i ? "," : "",
               gwapi_severity_name(d->severity));
        cli_print_json_string(stdout, d->code);
        printf(", \"source\": ");
        cli_print_json_string(stdout, d->source);
        printf(", \"line\": %u, \"column\": %u, \"kind\": ", d->line, d->column);
        cli_print_json_string(stdout, d->kind);
        printf(", \"namespace\": ");
        cli_print_json_string(stdout, d->ns);
        printf(", \"name\": ");
        cli_print_json_string(stdout, d->name);
        printf(", \"path\": ");
        cli_print_json_string(stdout, d->path);
        printf(", \"reason\": ");
        cli_print_json_string(stdout, d->reason);
        printf(", \"message\": ");
        cli_print_json_string(stdout, d->message);
        printf("}");
    }
    printf("%s],\n \"summary\": {\"files\": %d, \"resources\": %zu, \"invalid\": %zu, "
           "\"valid\": %zu, \"errors\": %zu, \"warnings\": %zu}}\n",
           n ? "\n" : "", in->files, s->resources, s->invalid, s->resources - s->invalid,
           s->errors, s->warnings);
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: gwapi check [--strict] [-o text|json] FILE...|-\n");
}

int
cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "strict", no_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_input in = { 0 };
    const char *format = "text";
    bool strict = false;
    struct summary s;
    int opt, rc;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': strict = true; break;
        case 'o': format = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_UNUSABLE;
        }
    }
    if (optind >= argc || (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, strict);
    if (rc) {
        cli_input_release(&in);
        return rc;
    }
    s = summarize(&in);
    if (strcmp(format, "json") == 0) {
        print_json(&in, &s);
    } else {
        for (size_t i = 0; i < gwapi_diags_count(in.diags); i++)
            cli_print_diag_text(stdout, gwapi_diags_get(in.diags, i));
        printf("%zu resources, %zu invalid, %zu valid\n", s.resources, s.invalid,
               s.resources - s.invalid);
    }
    rc = in.unreadable ? EXIT_UNUSABLE : s.errors ? EXIT_INVALID : EXIT_OK;
    cli_input_release(&in);
    return rc;
}
