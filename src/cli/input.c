#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int
cli_load(struct cli_input *in, char **paths, int n_paths, unsigned load_flags)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;

    options.flags = load_flags;
    if (gwapi_ctx_new(&in->ctx) || gwapi_config_new(&in->cfg, in->ctx) ||
        gwapi_diags_new(&in->diags, in->ctx)) {
        fprintf(stderr, "gwapi: out of memory\n");
        return EXIT_UNUSABLE;
    }
    /* No path: standard input, when it is not a terminal (cli_has_input() said so). */
    static char *const stdin_path[] = { "-" };
    if (n_paths == 0) {
        paths = (char **)stdin_path;
        n_paths = 1;
    }
    for (int i = 0; i < n_paths; i++) {
        int err = gwapi_config_load_path(in->cfg, paths[i], &options, in->diags);
        in->files++;
        if (err == GWAPI_EIO || err == GWAPI_ENOMEM || err == GWAPI_EINVAL ||
            err == GWAPI_ELIMIT)
            in->unreadable = true;
    }
    return 0;
}

struct separate_load {
    struct cli_input *in;
    const gwapi_load_options *options;
};

static int
load_separately(void *user, const char *file)
{
    struct separate_load *l = user;
    struct cli_input *in = l->in;
    gwapi_config **grown = realloc(in->separate, (in->n_separate + 1) * sizeof(*grown)), *cfg;

    if (!grown)
        return GWAPI_ENOMEM;
    in->separate = grown;
    if (gwapi_config_new(&cfg, in->ctx))
        return GWAPI_ENOMEM;
    in->separate[in->n_separate++] = cfg;
    return gwapi_config_load_file(cfg, file, l->options, in->diags);
}

int
cli_load_separately(struct cli_input *in, char **paths, int n_paths, unsigned load_flags)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    struct separate_load l = { in, &options };
    static char *const stdin_path[] = { "-" };

    options.flags = load_flags;
    if (gwapi_ctx_new(&in->ctx) || gwapi_config_new(&in->cfg, in->ctx) ||
        gwapi_diags_new(&in->diags, in->ctx)) {
        fprintf(stderr, "gwapi: out of memory\n");
        return EXIT_UNUSABLE;
    }
    if (n_paths == 0) {
        paths = (char **)stdin_path;
        n_paths = 1;
    }
    for (int i = 0; i < n_paths; i++) {
        int err = gwapi_path_walk(paths[i], load_separately, &l, in->diags);
        in->files++;
        if (err == GWAPI_EIO || err == GWAPI_ENOMEM || err == GWAPI_EINVAL ||
            err == GWAPI_ELIMIT)
            in->unreadable = true;
    }
    return 0;
}

bool
cli_has_input(int n_paths)
{
    return n_paths > 0 || !isatty(STDIN_FILENO);
}

int
cli_resolve(struct cli_input *in, const gwapi_resolve_options *options, gwapi_resolution **out)
{
    gwapi_diags *diags;
    int err;

    if (gwapi_diags_new(&diags, in->ctx))
        return GWAPI_ENOMEM;
    err = gwapi_resolve(out, in->cfg, options, diags);
    for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
        const gwapi_diag *d = gwapi_diags_get(diags, i);
        if (d->severity == GWAPI_SEVERITY_INFO)
            continue; /* remarks about checks skipped for want of objects */
        cli_print_diag_text(stderr, d);
        in->refused += strcmp(d->code, "refused") == 0;
    }
    gwapi_diags_free(diags);
    return err;
}

void
cli_input_release(struct cli_input *in)
{
    gwapi_diags_free(in->diags);
    gwapi_config_unref(in->cfg);
    for (size_t i = 0; i < in->n_separate; i++)
        gwapi_config_unref(in->separate[i]);
    free(in->separate);
    gwapi_ctx_unref(in->ctx);
}

void
cli_print_diag_text(FILE *out, const gwapi_diag *d)
{
    size_t len = gwapi_diag_format(d, NULL, 0);
    char *line = malloc(len + 1);

    if (!line)
        return;
    gwapi_diag_format(d, line, len + 1);
    fprintf(out, "%s\n", line);
    free(line);
}
