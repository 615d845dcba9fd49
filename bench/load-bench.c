/* Load benchmark: how long loading a manifest file takes next to libyaml's bare event parse of
 * the same bytes, and how much memory the loaded model keeps.
 *
 *   gwapi-load-bench FILE [RUNS]
 *
 * Prints the best of RUNS (default 5) for each, the ratio, the time gwapi_config_validate()
 * takes on the loaded objects, and the model's size (bytes the library holds after the load,
 * counted through a gwapi_allocator; the compiled patterns of validation excluded) next to the
 * file's size. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>
#include <cjson/cJSON.h>

#include <gatewayapi.h>

struct counter {
    size_t live, peak;
};

/* Each block carries its size in front, so that frees can be counted. */
static void *
counted(struct counter *c, size_t *p, size_t size)
{
    if (!p)
        return NULL;
    p[0] = size;
    c->live += size;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 2;
}

static void *
count_alloc(void *ud, size_t size)
{
    return counted(ud, malloc(size + sizeof(size_t) * 2), size);
}

static void *
count_realloc(void *ud, void *ptr, size_t size)
{
    struct counter *c = ud;
    size_t *p;
    if (!ptr)
        return count_alloc(ud, size);
    p = (size_t *)ptr - 2;
    c->live -= p[0];
    return counted(c, realloc(p, size + sizeof(size_t) * 2), size);
}

static void
count_free(void *ud, void *ptr)
{
    struct counter *c = ud;
    size_t *p;
    if (!ptr)
        return;
    p = (size_t *)ptr - 2;
    c->live -= p[0];
    free(p);
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
libyaml_parse(const char *data, size_t len, size_t *events)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    double start = now();
    int done = 0;

    *events = 0;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev))
            break;
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        (*events)++;
    }
    yaml_parser_delete(&parser);
    return now() - start;
}

/* The JSON baseline: cJSON's parse of the whole document into its tree. */
static double
cjson_parse(const char *data, size_t len, size_t *events)
{
    double start = now();
    cJSON *doc = cJSON_ParseWithLength(data, len);
    double elapsed = now() - start;

    *events = doc ? (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(doc, "items")) : 0;
    cJSON_Delete(doc);
    return elapsed;
}

static bool
is_json(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r'))
        i++;
    return i < len && (data[i] == '{' || data[i] == '[');
}

static double
gwapi_load(const char *data, size_t len, struct counter *c, size_t *objects, size_t *model_bytes,
           double *validate, double *resolve)
{
    gwapi_allocator a = { sizeof(gwapi_allocator), count_alloc, count_realloc, count_free, c };
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;
    double start, elapsed;

    gwapi_ctx_new_with_allocator(&ctx, &a);
    gwapi_config_new(&cfg, ctx);
    gwapi_diags_new(&diags, ctx);
    start = now();
    if (gwapi_config_load_buffer(cfg, data, len, "bench", NULL, diags))
        fprintf(stderr, "load reported %zu errors\n", gwapi_diags_error_count(diags));
    elapsed = now() - start;
    *objects = gwapi_config_count(cfg);
    *model_bytes = c->live;
    start = now();
    if (gwapi_config_validate(cfg, NULL))
        fprintf(stderr, "validation found errors\n");
    *validate = now() - start;
    {
        gwapi_resolution *res = NULL;
        start = now();
        if (gwapi_resolve(&res, cfg, NULL, NULL))
            fprintf(stderr, "resolution failed\n");
        *resolve = now() - start;
        gwapi_resolution_unref(res);
    }
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    return elapsed;
}

int
main(int argc, char **argv)
{
    FILE *fp;
    char *data;
    long size;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    double best_yaml = 1e9, best_load = 1e9, best_validate = 1e9, best_resolve = 1e9;
    size_t events = 0, objects = 0, model = 0, peak = 0;
    bool json;

    if (argc < 2) {
        fprintf(stderr, "usage: gwapi-load-bench FILE [RUNS]\n");
        return 2;
    }
    fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 2;
    }
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, fp) != (size_t)size)
        return 2;
    fclose(fp);

    json = is_json(data, (size_t)size);
    for (int i = 0; i < runs; i++) {
        struct counter c = { 0, 0 };
        double t = json ? cjson_parse(data, (size_t)size, &events)
                        : libyaml_parse(data, (size_t)size, &events);
        if (t < best_yaml)
            best_yaml = t;
        double v, rs;
        t = gwapi_load(data, (size_t)size, &c, &objects, &model, &v, &rs);
        if (rs < best_resolve)
            best_resolve = rs;
        if (t < best_load)
            best_load = t;
        if (v < best_validate)
            best_validate = v;
        peak = c.peak;
    }
    printf("file                 %ld bytes\n", size);
    if (json)
        printf("cJSON parse          %.1f ms (%zu items)\n", best_yaml * 1e3, events);
    else
        printf("libyaml events       %.1f ms (%zu events)\n", best_yaml * 1e3, events);
    printf("gwapi load           %.1f ms (%zu objects)\n", best_load * 1e3, objects);
    printf("load / %s       %.2fx\n", json ? "cJSON  " : "libyaml", best_load / best_yaml);
    printf("gwapi validate       %.1f ms (load + validate = %.2fx load)\n", best_validate * 1e3,
           (best_load + best_validate) / best_load);
    printf("gwapi resolve        %.1f ms (binding and status of every object)\n",
           best_resolve * 1e3);
    printf("model memory         %zu bytes (%.2fx the file)\n", model, (double)model / size);
    printf("peak, all three      %zu bytes (%.2fx the file)\n", peak, (double)peak / size);
    free(data);
    return 0;
}
