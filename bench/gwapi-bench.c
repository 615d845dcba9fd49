/* The matching benchmark, to the contract of the Gateway API bench harness:
 *
 *   gwapi-bench --routes DIR/routes.yaml --requests DIR/requests.jsonl [--dump FILE]
 *
 * Loads routes.yaml through the library (parse, resolve, compile the Gateway's router: build_ms),
 * reads the requests untimed, then times gwapi_router_match() (rule choice with the full
 * precedence, then the weighted backend pick) over every request: one warm-up pass, then the
 * median of 7 timed passes. Prints
 *   ns_per_match=... checksum=... backend_checksum=... engine=libgatewayapi build_ms=...
 * where checksum is FNV-1a 64 over "<ns>/<name>/<rule>\n" (or "miss\n") per request. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <pthread.h>
#include <time.h>

#include <gatewayapi.h>

static double
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Bytes malloc has handed out, small chunks and mmapped ones. */
static size_t
heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static uint32_t
fmix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

static uint64_t
fnv(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static char *
slurp(const char *path, size_t *len)
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
    if (!buf || fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        fclose(fp);
        free(buf);
        return NULL;
    }
    buf[size] = '\0';
    fclose(fp);
    *len = (size_t)size;
    return buf;
}

/* One arena for every request string and header array. */
struct arena {
    char *buf;
    size_t used, cap;
};

static void *
take(struct arena *a, size_t size)
{
    void *p;
    size = (size + 15) & ~(size_t)15;
    if (a->used + size > a->cap)
        return NULL;
    p = a->buf + a->used;
    a->used += size;
    return p;
}

static const char *
keep(struct arena *a, const char *s)
{
    char *c = s ? take(a, strlen(s) + 1) : NULL;
    if (c)
        memcpy(c, s, strlen(s) + 1);
    return c;
}

static gwapi_slice
slice_of(const char *s)
{
    gwapi_slice slice = { s, s ? strlen(s) : 0 };
    return slice;
}

/* --threads: threads matching one router at once, each over every request, from its own
 * starting point. */
struct matcher {
    const gwapi_router *router;
    const gwapi_request *reqs;
    size_t n, start, rounds;
    uint64_t statuses;
};

static void *
match_all(void *arg)
{
    struct matcher *m = arg;

    for (size_t r = 0; r < m->rounds; r++)
        for (size_t i = 0; i < m->n; i++) {
            gwapi_decision d = GWAPI_DECISION_INIT;
            gwapi_router_match(m->router, &m->reqs[(m->start + i) % m->n], &d);
            m->statuses += (uint64_t)d.status;
        }
    return NULL;
}

/* Matches per second of t threads sharing the router (the wall time of the slowest). */
static double
threaded_rate(const gwapi_router *router, const gwapi_request *reqs, size_t n, size_t t,
              size_t rounds)
{
    pthread_t *ids = calloc(t, sizeof(*ids));
    struct matcher *ms = calloc(t, sizeof(*ms));
    double t0 = now_ns(), seconds;

    for (size_t k = 0; k < t; k++) {
        ms[k] = (struct matcher){ router, reqs, n, k * n / t, rounds, 0 };
        pthread_create(&ids[k], NULL, match_all, &ms[k]);
    }
    for (size_t k = 0; k < t; k++)
        pthread_join(ids[k], NULL);
    seconds = (now_ns() - t0) / 1e9;
    free(ids);
    free(ms);
    return (double)(t * n * rounds) / seconds;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A MODIFIED event for route: its first backendRef renamed (the backend changes, so the
 * route's rule does). Caller frees. */
static char *
modified_event(const gwapi_object *route, unsigned serial)
{
    char *json = NULL, *text, name[64];
    cJSON *obj, *event, *ref;

    if (gwapi_object_emit(route, GWAPI_FORMAT_JSON, &json, NULL))
        return NULL;
    obj = cJSON_Parse(json);
    gwapi_free(json);
    ref = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
              cJSON_GetObjectItem(obj, "spec"), "rules"), 0), "backendRefs"), 0);
    snprintf(name, sizeof(name), "updated-%u", serial);
    if (ref)
        cJSON_ReplaceItemInObject(ref, "name", cJSON_CreateString(name));
    event = cJSON_CreateObject();
    cJSON_AddStringToObject(event, "type", "MODIFIED");
    cJSON_AddItemToObject(event, "object", obj);
    text = cJSON_PrintUnformatted(event);
    cJSON_Delete(event);
    return text;
}

/* N updates, each one route MODIFIED and the Gateway's router published again: the median
 * time from the event to the new router (and of its two parts: resolving and compiling), and
 * what a second snapshot adds to memory. Each update starts from the resolution and router
 * published before it, as a controller following a watch does. */
struct update_times {
    double total_us, resolve_us, compile_us, extra_percent;
};

static double
median_of(double *values, size_t n)
{
    qsort(values, n, sizeof(*values), cmp_double);
    return n ? values[n / 2] : 0;
}

static struct update_times
time_updates(gwapi_config *cfg, const char *gateway, size_t updates, size_t state_bytes)
{
    struct update_times t = { 0, 0, 0, 0 };
    const gwapi_object **routes = NULL;
    size_t n_routes = 0;
    double *total = calloc(updates + 1, sizeof(*total));
    double *resolve = calloc(updates + 1, sizeof(*resolve));
    double *compile = calloc(updates + 1, sizeof(*compile));
    gwapi_router_holder *holder;
    gwapi_resolution *current;
    gwapi_router *router, *current_router;
    size_t base, first, second;

    for (size_t i = 0; i < gwapi_config_count(cfg); i++)
        if (gwapi_object_http_route(gwapi_config_get(cfg, i))) {
            routes = realloc(routes, (n_routes + 1) * sizeof(*routes));
            routes[n_routes++] = gwapi_config_get(cfg, i);
        }
    gwapi_router_holder_new(&holder, NULL);
    /* What one snapshot holds, and what a second one sharing all but one route adds. */
    base = heap_in_use();
    gwapi_resolve(&current, cfg, NULL, NULL);
    gwapi_router_new(&current_router, current, gateway, NULL);
    gwapi_router_holder_publish(holder, current_router);
    first = heap_in_use() - base;
    for (size_t u = 0; u < updates && n_routes; u++) {
        char *event = modified_event(routes[(u * 7919) % n_routes], (unsigned)u);
        double t0 = now_ns(), t1, t2;
        gwapi_resolution *next;
        gwapi_config_load_buffer(cfg, event, strlen(event), "update", NULL, NULL);
        gwapi_resolution_update(&next, current, cfg, NULL);
        t1 = now_ns();
        gwapi_router_update(&router, current_router, next, NULL);
        t2 = now_ns();
        gwapi_router_holder_publish(holder, router);
        total[u] = (now_ns() - t0) / 1e3;
        if (u == 0) { /* both snapshots alive: the first one's still held here */
            second = heap_in_use() - base - first;
            t.extra_percent = 100.0 * (double)second / (double)state_bytes;
        }
        resolve[u] = (t1 - t0) / 1e3;
        compile[u] = (t2 - t1) / 1e3;
        gwapi_router_unref(current_router);
        gwapi_resolution_unref(current);
        current_router = router;
        current = next;
        free(event);
        /* the routes were replaced: find them again */
        for (size_t i = 0, k = 0; i < gwapi_config_count(cfg); i++)
            if (gwapi_object_http_route(gwapi_config_get(cfg, i)))
                routes[k++] = gwapi_config_get(cfg, i);
    }
    t.total_us = median_of(total, updates);
    t.resolve_us = median_of(resolve, updates);
    t.compile_us = median_of(compile, updates);
    gwapi_router_unref(current_router);
    gwapi_router_holder_free(holder);
    gwapi_resolution_unref(current);
    free(total);
    free(resolve);
    free(compile);
    free(routes);
    return t;
}

int
main(int argc, char **argv)
{
    const char *routes = NULL, *requests = NULL, *dump = NULL;
    size_t updates = 0, threads = 0, heap_at_start, state_bytes;
    struct update_times update_times = { 0, 0, 0, 0 };
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_resolution *res = NULL;
    gwapi_router *router = NULL;
    const gwapi_object *gw = NULL;
    char gateway[512], *text, *line;
    size_t len, n = 0, cap = 0;
    gwapi_request *reqs = NULL;
    struct arena a;
    double start, loaded, resolved, compiling, build_ms, passes[7];
    size_t heap_before;
    uint64_t checksum = 0xcbf29ce484222325ull, backends = 0xcbf29ce484222325ull;
    size_t hits = 0, timed;
    FILE *out = NULL;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--routes"))
            routes = argv[i + 1];
        else if (!strcmp(argv[i], "--requests"))
            requests = argv[i + 1];
        else if (!strcmp(argv[i], "--dump"))
            dump = argv[i + 1];
        else if (!strcmp(argv[i], "--updates"))
            updates = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--threads"))
            threads = strtoul(argv[i + 1], NULL, 10);
    }
    if (!routes || !requests) {
        fprintf(stderr, "usage: gwapi-bench --routes routes.yaml --requests requests.jsonl "
                        "[--dump FILE] [--updates N] [--threads T]\n");
        return 2;
    }

    heap_at_start = heap_in_use();
    start = now_ns();
    gwapi_ctx_new(&ctx);
    gwapi_config_new(&cfg, ctx);
    gwapi_config_load_file(cfg, routes, NULL, NULL);
    loaded = now_ns();
    for (size_t i = 0; i < gwapi_config_count(cfg) && !gw; i++)
        if (gwapi_object_gateway(gwapi_config_get(cfg, i)))
            gw = gwapi_config_get(cfg, i);
    if (!gw || gwapi_resolve(&res, cfg, NULL, NULL)) {
        fprintf(stderr, "gwapi-bench: no Gateway in %s\n", routes);
        return 1;
    }
    resolved = now_ns();
    snprintf(gateway, sizeof(gateway), "%s/%s", gw->metadata->namespace_, gw->metadata->name);
    heap_before = heap_in_use();
    compiling = now_ns();
    if (gwapi_router_new(&router, res, gateway, NULL)) {
        fprintf(stderr, "gwapi-bench: cannot compile %s\n", gateway);
        return 1;
    }
    build_ms = (now_ns() - start) / 1e6;
    state_bytes = heap_in_use() - heap_at_start; /* configuration, resolution and router */
    /* The parts, and the router's own memory (heap in use grows by exactly what it holds). */
    fprintf(stderr, "load_ms=%.1f resolve_ms=%.1f compile_ms=%.1f router_bytes=%zu routes=%zu\n",
            (loaded - start) / 1e6, (resolved - loaded) / 1e6, (now_ns() - compiling) / 1e6,
            heap_in_use() - heap_before, gwapi_config_count(cfg) - 1);

    text = slurp(requests, &len);
    if (!text)
        return 1;
    a.cap = len * 3 + 4096;
    a.buf = malloc(a.cap);
    a.used = 0;
    for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line), *h;
        gwapi_request r = GWAPI_REQUEST_INIT;
        gwapi_header_slice *headers;
        size_t nh = 0;
        if (!j)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            reqs = realloc(reqs, cap * sizeof(*reqs));
        }
        /* As a proxy hands requests over: slices of its buffers (zero-copy). */
        r.host_slice = slice_of(keep(&a, cJSON_GetObjectItem(j, "host")->valuestring));
        r.path_slice = slice_of(keep(&a, cJSON_GetObjectItem(j, "path")->valuestring));
        r.method_slice = slice_of(keep(&a, cJSON_GetObjectItem(j, "method")->valuestring));
        headers = take(&a, (size_t)(cJSON_GetArraySize(cJSON_GetObjectItem(j, "headers")) + 1) *
                               sizeof(*headers));
        cJSON_ArrayForEach(h, cJSON_GetObjectItem(j, "headers")) {
            headers[nh].name = slice_of(keep(&a, h->string));
            headers[nh++].value = slice_of(keep(&a, h->valuestring));
        }
        r.header_slices = headers;
        r.n_header_slices = nh;
        /* The harness's draw, so that backend choices compare across engines. */
        r.random = fmix32((uint32_t)n + 1);
        reqs[n++] = r;
        cJSON_Delete(j);
    }
    free(text);

    /* Untimed: the checksums over every request. */
    if (dump)
        out = fopen(dump, "w");
    for (size_t i = 0; i < n; i++) {
        gwapi_decision d = GWAPI_DECISION_INIT;
        char id[600];
        gwapi_router_match(router, &reqs[i], &d);
        if (d.route) {
            snprintf(id, sizeof(id), "%s/%s/%zu\n", d.route->metadata->namespace_,
                     d.route->metadata->name, d.rule);
            hits++;
        } else {
            snprintf(id, sizeof(id), "miss\n");
        }
        checksum = fnv(checksum, id);
        if (out)
            fputs(id, out);
        if (!d.route)
            backends = fnv(backends, "miss\n");
        else if (!d.backend_name)
            backends = fnv(backends, "none\n");
        else {
            snprintf(id, sizeof(id), "%s:%lld\n", d.backend_name, (long long)d.backend_port);
            backends = fnv(backends, id);
        }
    }
    if (out)
        fclose(out);

    /* Timed: a warm-up, then 7 passes (fewer requests if a pass would pass 1.5 s). */
    timed = n;
    for (int pass = -1; pass < 7; pass++) {
        double t0 = now_ns(), ns;
        volatile int sink = 0;
        for (size_t i = 0; i < timed; i++) {
            gwapi_decision d = GWAPI_DECISION_INIT;
            gwapi_router_match(router, &reqs[i], &d);
            sink += d.status;
        }
        ns = (now_ns() - t0) / (double)timed;
        if (pass < 0) {
            if (ns * (double)n > 1.5e9)
                timed = (size_t)(1.5e9 / ns);
            continue;
        }
        passes[pass] = ns;
    }
    qsort(passes, 7, sizeof(passes[0]), cmp_double);
    if (threads) {
        /* The same work on one thread, then on T: the ratio is what sharing the router costs. */
        size_t rounds = timed < n ? 1 : 3;
        double one = threaded_rate(router, reqs, timed, 1, rounds);
        double many = threaded_rate(router, reqs, timed, threads, rounds);
        fprintf(stderr, "threads=%zu matches_per_s_1=%.0f matches_per_s_%zu=%.0f speedup=%.2f\n",
                threads, one, threads, many, many / one);
    }
    if (updates) {
        update_times = time_updates(cfg, gateway, updates, state_bytes);
        fprintf(stderr, "state_bytes=%zu second_snapshot_extra=%.1f%% update_resolve_us=%.0f "
                "update_compile_us=%.0f\n", state_bytes, update_times.extra_percent,
                update_times.resolve_us, update_times.compile_us);
    }
    printf("engine=libgatewayapi ns_per_match=%.1f checksum=%016llx backend_checksum=%016llx "
           "build_ms=%.1f timed_requests=%zu hits=%zu misses=%zu",
           passes[3], (unsigned long long)checksum, (unsigned long long)backends, build_ms, timed,
           hits, n - hits);
    if (updates)
        printf(" update_us=%.0f", update_times.total_us);
    printf("\n");
    gwapi_router_unref(router);
    gwapi_resolution_unref(res);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    free(reqs);
    free(a.buf);
    return 0;
}
