/* Loading a path that may be a folder: its manifests, and its subfolders', in name order, as
 * tools like kubeconform and kubectl apply -R read a tree of manifests. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gatewayapi/config.h"
#include "util/diag.h"

static bool
is_manifest(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
io_error(gwapi_diags *diags, const char *path, const char *what)
{
    struct gw_site site = { 0 };
    site.source = path;
    gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_IO, &site, "%s: %s", what, strerror(errno));
    return GWAPI_EIO;
}

/* The worse of two results: an error that stops (out of memory) before one that does not. */
static int
worse(int a, int b)
{
    if (a == GWAPI_ENOMEM || b == GWAPI_ENOMEM)
        return GWAPI_ENOMEM;
    return a ? a : b;
}

static int
walk_tree(const char *path, gwapi_path_fn each, void *user, gwapi_diags *diags, int depth)
{
    struct stat st;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    DIR *dir;

    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)))
        return each(user, path);
    if (stat(path, &st) != 0)
        return io_error(diags, path, "cannot open");
    if (depth >= GWAPI_LOAD_MAX_FOLDER_DEPTH) {
        struct gw_site site = { 0 };
        site.source = path;
        gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_LIMIT, &site,
                  "folders nest deeper than %d: not read", GWAPI_LOAD_MAX_FOLDER_DEPTH);
        return GWAPI_ELIMIT;
    }
    dir = opendir(path);
    if (!dir)
        return io_error(diags, path, "cannot read the folder");
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *full;
        if (e->d_name[0] == '.')
            continue; /* hidden entries, "." and ".." */
        full = malloc(len);
        if (!full) {
            rc = GWAPI_ENOMEM;
            break;
        }
        snprintf(full, len, "%s/%s", path, e->d_name);
        if (stat(full, &st) != 0 || (!S_ISDIR(st.st_mode) && !is_manifest(e->d_name))) {
            free(full);
            continue;
        }
        if (n == cap) {
            size_t grown_cap = cap ? 2 * cap : 16;
            char **grown = realloc(names, grown_cap * sizeof(*names));
            if (!grown) {
                free(full);
                rc = GWAPI_ENOMEM;
                break;
            }
            names = grown;
            cap = grown_cap;
        }
        names[n++] = full;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof(*names), compare_names);
    for (size_t i = 0; i < n; i++) {
        if (rc != GWAPI_ENOMEM)
            rc = worse(rc, walk_tree(names[i], each, user, diags, depth + 1));
        free(names[i]);
    }
    free(names);
    return rc;
}

GWAPI_EXPORT int
gwapi_path_walk(const char *path, gwapi_path_fn each, void *user, gwapi_diags *diags)
{
    if (!path || !each)
        return GWAPI_EINVAL;
    return walk_tree(path, each, user, diags, 0);
}

struct load {
    gwapi_config *cfg;
    const gwapi_load_options *options;
    gwapi_diags *diags;
};

static int
load_one(void *user, const char *file)
{
    struct load *l = user;
    return gwapi_config_load_file(l->cfg, file, l->options, l->diags);
}

GWAPI_EXPORT int
gwapi_config_load_path(gwapi_config *cfg, const char *path, const gwapi_load_options *options,
                       gwapi_diags *diags)
{
    struct load l = { cfg, options, diags };

    if (!cfg || !path)
        return GWAPI_EINVAL;
    return gwapi_path_walk(path, load_one, &l, diags);
}
