#include "test-common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

void
fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    ck_assert_int_eq(gwapi_ctx_new(&f->ctx), 0);
    ck_assert_int_eq(gwapi_config_new(&f->cfg, f->ctx), 0);
    ck_assert_int_eq(gwapi_diags_new(&f->diags, f->ctx), 0);
}

void
fixture_release(struct fixture *f)
{
    gwapi_diags_free(f->diags);
    gwapi_config_unref(f->cfg);
    gwapi_ctx_unref(f->ctx);
    memset(f, 0, sizeof(*f));
}

int
fixture_load_data(struct fixture *f, const char *relpath, unsigned flags)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    char path[1024];

    options.flags = flags;
    snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, relpath);
    f->rc = gwapi_config_load_file(f->cfg, path, &options, f->diags);
    return f->rc;
}

int
fixture_load_text(struct fixture *f, const char *text, unsigned flags)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;

    options.flags = flags;
    f->rc = gwapi_config_load_buffer(f->cfg, text, strlen(text), "text", &options, f->diags);
    return f->rc;
}

const gwapi_diag *
fixture_find_diag(const struct fixture *f, const char *code)
{
    for (size_t i = 0; i < gwapi_diags_count(f->diags); i++) {
        const gwapi_diag *d = gwapi_diags_get(f->diags, i);
        if (strcmp(d->code, code) == 0)
            return d;
    }
    return NULL;
}

size_t
fixture_count_severity(const struct fixture *f, gwapi_severity severity)
{
    size_t n = 0;

    for (size_t i = 0; i < gwapi_diags_count(f->diags); i++)
        if (gwapi_diags_get(f->diags, i)->severity == severity)
            n++;
    return n;
}

void
fixture_assert_no_diags(const struct fixture *f, gwapi_severity below)
{
    size_t bad = 0;

    for (size_t i = 0; i < gwapi_diags_count(f->diags); i++) {
        const gwapi_diag *d = gwapi_diags_get(f->diags, i);
        if (d->severity < below) {
            char line[1024];
            gwapi_diag_format(d, line, sizeof(line));
            fprintf(stderr, "unexpected: %s\n", line);
            bad++;
        }
    }
    ck_assert_uint_eq(bad, 0);
}

const gwapi_object *
fixture_find(const struct fixture *f, gwapi_kind kind, gwapi_dialect dialect, const char *ns,
             const char *name)
{
    return gwapi_config_find(f->cfg, kind, dialect, ns, name);
}

char *
read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long size;

    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[size] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)size;
    return buf;
}

static int
compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
collect(const char *dir, char ***paths, size_t *count, size_t *cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[2048];
        struct stat st;
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            collect(path, paths, count, cap);
        } else if ((len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) ||
                   (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)) {
            if (*count == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *paths = realloc(*paths, *cap * sizeof(char *));
            }
            (*paths)[(*count)++] = strdup(path);
        }
    }
    closedir(d);
}

char **
list_files(const char *dir, size_t *count)
{
    char **paths = NULL;
    size_t cap = 0;

    *count = 0;
    collect(dir, &paths, count, &cap);
    if (*count)
        qsort(paths, *count, sizeof(char *), compare_paths);
    return paths;
}

void
free_paths(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}
