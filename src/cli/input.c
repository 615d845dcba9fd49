#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct load {
    struct cli_input *in;
    const gwapi_load_options *options;
    bool separately;                 /* each file its own configuration */
};

static int
load_file(void *user, const char *file)
{
    struct load *l = user;
    struct cli_input *in = l->in;
    gwapi_config **grown, *cfg;

    if (!l->separately)
        return gwapi_config_load_file(in->cfg, file, l->options, in->diags);
    grown = realloc(in->separate, (in->n_separate + 1) * sizeof(*grown));
    if (!grown)
        return GWAPI_ENOMEM;
    in->separate = grown;
    if (gwapi_config_new(&cfg, in->ctx))
        return GWAPI_ENOMEM;
    in->separate[in->n_separate++] = cfg;
    return gwapi_config_load_file(cfg, file, l->options, in->diags);
}

/* Every file of the paths (as gwapi_config_load_path() reads them), into one configuration or
 * each into its own. */
static int
load(struct cli_input *in, char **paths, int n_paths, unsigned load_flags, bool separately)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    struct load l = { in, &options, separately };
    static char *const stdin_path[] = { "-" };

    options.flags = load_flags;
    if (gwapi_ctx_new(&in->ctx) || gwapi_config_new(&in->cfg, in->ctx) ||
        gwapi_diags_new(&in->diags, in->ctx)) {
        fprintf(stderr, "gwapi: out of memory\n");
        return EXIT_UNUSABLE;
    }
    /* No path: standard input, when it is not a terminal (cli_has_input() said so). */
    if (n_paths == 0) {
        paths = (char **)stdin_path;
        n_paths = 1;
    }
    for (int i = 0; i < n_paths; i++) {
        int err = gwapi_path_walk(paths[i], load_file, &l, in->diags);
        in->files++;
        if (err == GWAPI_EIO || err == GWAPI_ENOMEM || err == GWAPI_EINVAL ||
            err == GWAPI_ELIMIT)
            in->unreadable = true;
    }
    return 0;
}

int
cli_load(struct cli_input *in, char **paths, int n_paths, unsigned load_flags)
{
    return load(in, paths, n_paths, load_flags, false);
}

int
cli_load_separately(struct cli_input *in, char **paths, int n_paths, unsigned load_flags)
{
    return load(in, paths, n_paths, load_flags, true);
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
