/* The field sweep: a rich valid configuration (tests/data/sweep/rich.yaml) with each of its
 * fields deleted in turn, and each given a value of every wrong type, carried through the
 * whole pipeline: load, validate, resolve (with and without the objects that fail
 * validation), status, explain, compile every Gateway and match requests, and the filters'
 * helpers. Nothing may crash or leak (run it under the sanitizers), and the resolution must
 * leave out exactly the objects that fail validation. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

#include "test-common.h"

/* Where a node sits: the child index at each level from the root. */
struct node_path {
    int steps[32];
    int depth;
};

static struct node_path *paths;
static size_t n_paths, cap_paths;

static void
collect(const cJSON *node, struct node_path *at)
{
    int i = 0;
    const cJSON *child;

    if (at->depth > 0) {
        if (n_paths == cap_paths) {
            cap_paths = cap_paths ? cap_paths * 2 : 256;
            paths = realloc(paths, cap_paths * sizeof(*paths));
            ck_assert_ptr_nonnull(paths);
        }
        paths[n_paths++] = *at;
    }
    if (at->depth == 32)
        return;
    cJSON_ArrayForEach(child, node) {
        at->steps[at->depth++] = i++;
        collect(child, at);
        at->depth--;
    }
}

static cJSON *
follow(cJSON *root, const struct node_path *p, cJSON **parent)
{
    cJSON *node = root;

    *parent = NULL;
    for (int d = 0; d < p->depth; d++) {
        *parent = node;
        node = cJSON_GetArrayItem(node, p->steps[d]);
    }
    return node;
}

enum mutation { DELETE, TO_NULL, TO_INT, TO_STRING, TO_LIST, TO_MAP, TO_NULL_LIST, N_MUTATIONS };

static bool
mutate(cJSON *root, const struct node_path *p, enum mutation m)
{
    cJSON *parent, *node = follow(root, p, &parent), *with = NULL;

    switch (m) {
    case DELETE:
        cJSON_Delete(cJSON_DetachItemViaPointer(parent, node));
        return true;
    case TO_NULL: with = cJSON_CreateNull(); break;
    case TO_INT: with = cJSON_IsNumber(node) ? cJSON_CreateNumber(-1) : cJSON_CreateNumber(7); break;
    case TO_STRING:
        with = cJSON_IsString(node) ? cJSON_CreateString("UPPER_case!! \xe2\x82\xac")
                                    : cJSON_CreateString("x");
        break;
    case TO_LIST: with = cJSON_CreateArray(); break;
    case TO_MAP: with = cJSON_CreateObject(); break;
    case TO_NULL_LIST:
        with = cJSON_CreateArray();
        cJSON_AddItemToArray(with, cJSON_CreateNull());
        break;
    default: return false;
    }
    return cJSON_ReplaceItemViaPointer(parent, node, with);
}

/* Requests for every listener of rich.yaml and beyond. */
static const gwapi_http_header request_headers[] = {
    { "x-env", "canary" }, { "x-id", "42" }, { "Origin", "https://a.example.com" },
    { "Access-Control-Request-Method", "POST" }, { "x-tenant", "t" }, { "env", "canary" },
};

static void
exercise_decision(const gwapi_decision *d, const gwapi_request *req)
{
    char buf[512];
    gwapi_http_header out[32];
    size_t n;

    if (d->status >= 300 && d->status < 400)
        gwapi_decision_redirect(d, req, "http", buf, sizeof(buf));
    gwapi_decision_rewrite_path(d, req, buf, sizeof(buf));
    gwapi_decision_rewrite_host(d);
    gwapi_decision_modify_headers(d, false, req->headers, req->n_headers, out, 32, &n);
    gwapi_decision_modify_headers(d, true, NULL, 0, out, 32, &n);
    gwapi_decision_cors(d, req, out, 32, &n, buf, sizeof(buf));
}

static void
exercise_router(gwapi_resolution *res, const char *gateway)
{
    static const struct { gwapi_protocol protocol; unsigned port; const char *host, *path, *query, *method; } cases[] = {
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/app/x", "v=2&debug=1", "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/exact", NULL, "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/re/abc", NULL, "POST" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/old/x", "a=b", "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/rewrite/x", NULL, "GET" },
        { GWAPI_PROTOCOL_HTTP, 80, "www.example.com", "/ext", NULL, "OPTIONS" },
        { GWAPI_PROTOCOL_HTTP, 443, "secure.example.com", "/app", "v=2", "GET" },
        { GWAPI_PROTOCOL_HTTP, 8080, "extra.example.com", "/", NULL, "GET" },
        { GWAPI_PROTOCOL_HTTP, 8081, "legacy.example.com", "/v1/x", NULL, "GET" },
        { GWAPI_PROTOCOL_GRPC, 50051, "grpc.example.com", "/pkg.Svc/Get", NULL, "POST" },
        { GWAPI_PROTOCOL_TLS, 8443, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_TCP, 9000, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_TCP, 8081, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_UDP, 9001, NULL, NULL, NULL, NULL },
        { GWAPI_PROTOCOL_HTTP, 0, NULL, NULL, NULL, NULL },
    };
    gwapi_router *router = NULL;
    int err = gwapi_router_new(&router, res, gateway, NULL);

    ck_assert(err == 0 || err == GWAPI_ENOTFOUND);
    for (size_t i = 0; router && i < sizeof(cases) / sizeof(cases[0]); i++) {
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_decision d = GWAPI_DECISION_INIT;
        req.protocol = cases[i].protocol;
        req.port = cases[i].port;
        req.host = cases[i].host;
        req.sni = cases[i].protocol == GWAPI_PROTOCOL_TLS ? "pass.example.com" : NULL;
        req.path = cases[i].path;
        req.query = cases[i].query;
        req.method = cases[i].method;
        req.headers = request_headers;
        req.n_headers = sizeof(request_headers) / sizeof(request_headers[0]);
        for (uint32_t random = 0; random < 3; random++) {
            req.random = random * 0x55555555u;
            ck_assert_int_eq(gwapi_router_match(router, &req, &d), 0);
            exercise_decision(&d, &req);
        }
    }
    gwapi_router_unref(router);
}

static size_t
count_code(const gwapi_diags *diags, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < gwapi_diags_count(diags); i++)
        n += strcmp(gwapi_diags_get(diags, i)->code, code) == 0;
    return n;
}

/* Objects that fail validation, or had errors while they were read. */
static size_t
count_invalid(const gwapi_config *cfg, const gwapi_diags *load_diags)
{
    size_t n = 0;
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *o = gwapi_config_get(cfg, i);
        bool invalid = gwapi_object_validate(o, NULL) == GWAPI_EINPUT;
        for (size_t j = 0; !invalid && j < gwapi_diags_count(load_diags); j++) {
            const gwapi_diag *d = gwapi_diags_get(load_diags, j);
            invalid = d->severity == GWAPI_SEVERITY_ERROR && d->kind && d->name &&
                      strcmp(d->kind, o->kind_name) == 0 && strcmp(d->name, o->metadata->name) == 0 &&
                      strcmp(d->ns ? d->ns : "", o->metadata->namespace_ ? o->metadata->namespace_ : "") == 0;
        }
        n += invalid;
    }
    return n;
}

static void
exercise(const char *text)
{
    /* GWAPI_SWEEP_DUMP=file keeps the variant under way, to replay one that fails. */
    const char *dump = getenv("GWAPI_SWEEP_DUMP");
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags, *res_diags;

    if (dump) {
        FILE *fp = fopen(dump, "w");
        if (fp) {
            fputs(text, fp);
            fclose(fp);
        }
    }
    ck_assert_int_eq(gwapi_ctx_new(&ctx), 0);
    ck_assert_int_eq(gwapi_config_new(&cfg, ctx), 0);
    ck_assert_int_eq(gwapi_diags_new(&diags, ctx), 0);
    ck_assert_int_eq(gwapi_diags_new(&res_diags, ctx), 0);
    gwapi_config_load_buffer(cfg, text, strlen(text), "sweep.json", NULL, diags);
    for (int include = 0; include < 2; include++) {
        gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
        gwapi_resolution *res;
        char *out;
        options.flags = include ? GWAPI_RESOLVE_INCLUDE_INVALID : 0;
        gwapi_diags_clear(res_diags);
        ck_assert_int_eq(gwapi_resolve(&res, cfg, &options, res_diags), 0);
        if (!include)
            ck_assert_uint_eq(count_code(res_diags, "refused"), count_invalid(cfg, diags));
        ck_assert_int_eq(gwapi_resolution_emit(res, NULL, GWAPI_FORMAT_JSON, &out, NULL), 0);
        gwapi_free(out);
        ck_assert_int_eq(gwapi_resolution_emit(res, NULL, GWAPI_FORMAT_YAML, &out, NULL), 0);
        gwapi_free(out);
        for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
            const gwapi_object *o = gwapi_config_get(cfg, i);
            const gwapi_explain_step *const *steps;
            size_t n;
            int err = gwapi_resolution_explain(res, o, &steps, &n);
            ck_assert(err == 0 || err == GWAPI_ENOTFOUND);
            if (o->kind == GWAPI_KIND_GATEWAY && o->metadata->namespace_) {
                char id[512];
                snprintf(id, sizeof(id), "%s/%s", o->metadata->namespace_, o->metadata->name);
                err = gwapi_resolution_emit(res, id, GWAPI_FORMAT_JSON, &out, NULL);
                ck_assert(err == 0 || err == GWAPI_ENOTFOUND);
                if (!err)
                    gwapi_free(out);
                exercise_router(res, id);
            }
        }
        gwapi_resolution_unref(res);
    }
    gwapi_diags_free(res_diags);
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
}

static char *
rich_json(void)
{
    struct fixture f;
    char *text, *copy;

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "sweep/rich.yaml", GWAPI_LOAD_VALIDATE), 0);
    ck_assert_int_eq(gwapi_config_emit(f.cfg, GWAPI_FORMAT_JSON, &text, NULL), 0);
    copy = strdup(text);
    gwapi_free(text);
    fixture_release(&f);
    return copy;
}

/* The sweep runs in slices so that each stays well inside Check's timeout under the
 * sanitizers. */
#define SLICES 8

START_TEST(sweep_fields)
{
    char *text = rich_json();
    cJSON *root = cJSON_Parse(text);
    struct node_path start = { { 0 }, 0 };
    size_t variants = 0;

    ck_assert_ptr_nonnull(root);
    n_paths = 0;
    collect(root, &start);
    ck_assert_uint_gt(n_paths, 300);
    if (_i == 0)
        exercise(text); /* the configuration itself */
    for (size_t p = (size_t)_i; p < n_paths; p += SLICES) {
        for (int m = 0; m < N_MUTATIONS; m++) {
            cJSON *copy = cJSON_Duplicate(root, true);
            char *mutated;
            if (mutate(copy, &paths[p], (enum mutation)m)) {
                mutated = cJSON_PrintUnformatted(copy);
                exercise(mutated);
                cJSON_free(mutated);
                variants++;
            }
            cJSON_Delete(copy);
        }
    }
    ck_assert_uint_gt(variants, 300);
    cJSON_Delete(root);
    free(text);
    free(paths);
    paths = NULL;
    cap_paths = 0;
}
END_TEST

static Suite *
suite_sweep(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, sweep_fields, 0, SLICES);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *runner = srunner_create(suite_sweep());
    int failed;

    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
