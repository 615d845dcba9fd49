/* The configuration: identity, replacement, removal, limits, allocator. */
#include <stdlib.h>

#include <sys/stat.h>
#include <unistd.h>

#include "test-common.h"

static const char ns_a[] = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {v: '1'}}\n";
static const char ns_a2[] = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {v: '2'}}\n";
static const char ns_b[] = "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n";

START_TEST(same_identity_replaces_in_place)
{
    struct fixture f;
    const gwapi_diag *d;
    fixture_init(&f);
    fixture_load_text(&f, ns_a, 0);
    fixture_load_text(&f, ns_b, 0);
    ck_assert_int_eq(fixture_load_text(&f, ns_a2, 0), 0); /* a warning only */
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    ck_assert_str_eq(gwapi_config_get(f.cfg, 0)->metadata->labels.values[0], "2");
    d = fixture_find_diag(&f, "duplicate-object");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, GWAPI_SEVERITY_WARNING);
    ck_assert_str_eq(d->kind, "Namespace");
    ck_assert_str_eq(d->name, "a");
    fixture_release(&f);
}
END_TEST

START_TEST(dialects_and_namespaces_are_part_of_identity)
{
    struct fixture f;
    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: x}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: y}\n---\n"
        "apiVersion: networking.x-k8s.io/v1alpha1\nkind: HTTPRoute\nmetadata: {name: r, namespace: x}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: r, namespace: x}\n", 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 4);
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1ALPHA1, "x", "r"));
    ck_assert_ptr_null(fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "z", "r"));
    fixture_release(&f);
}
END_TEST

START_TEST(remove_keeps_the_others_findable)
{
    struct fixture f;
    char text[128];
    fixture_init(&f);
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof(text), "apiVersion: v1\nkind: Namespace\nmetadata: {name: n%d}\n", i);
        ck_assert_int_eq(fixture_load_text(&f, text, 0), 0);
    }
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 300);
    for (int i = 0; i < 300; i += 2) {
        snprintf(text, sizeof(text), "n%d", i);
        ck_assert_int_eq(gwapi_config_remove(f.cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, text), 0);
    }
    ck_assert_int_eq(gwapi_config_remove(f.cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "n0"),
                     GWAPI_ENOTFOUND);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 150);
    for (int i = 1; i < 300; i += 2) {
        snprintf(text, sizeof(text), "n%d", i);
        ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, text));
    }
    ck_assert_str_eq(gwapi_config_get(f.cfg, 0)->metadata->name, "n1");
    fixture_release(&f);
}
END_TEST

START_TEST(strict_turns_warnings_into_errors)
{
    struct fixture f;
    static const char text[] =
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, name: b, labels: {x: y, x: z}}\n"
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n"
        "spec: {hostname: typo.example.com}\n";

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, text, 0), 0);
    ck_assert_uint_eq(fixture_count_severity(&f, GWAPI_SEVERITY_WARNING), 3);
    ck_assert_uint_eq(fixture_count_severity(&f, GWAPI_SEVERITY_ERROR), 0);
    /* The last of duplicate keys wins, as in Kubernetes. */
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "b"));
    ck_assert_str_eq(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "b")->metadata->labels.values[0], "z");
    fixture_release(&f);

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, text, GWAPI_LOAD_STRICT), GWAPI_EINPUT);
    ck_assert_uint_eq(fixture_count_severity(&f, GWAPI_SEVERITY_ERROR), 3);
    ck_assert_str_eq(fixture_find_diag(&f, "unknown-field")->path, "spec.hostname");
    fixture_release(&f);
}
END_TEST

/* A key given twice whose last value is wrong, or null, leaves the field absent: the first
 * value must not keep it marked given (a route so written crashed the resolution). */
START_TEST(last_duplicate_key_decides_the_field_state)
{
    struct fixture f;
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_resolution *res;
    const gwapi_object *route, *gc;

    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: n}\n"
        "spec: {parentRefs: [{name: gw}]}\nspec: parentRefs 3000\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\n"
        "spec: {controllerName: example.com/c}\nspec: null\n", 0);
    route = fixture_find(&f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "n", "r");
    gc = fixture_find(&f, GWAPI_KIND_GATEWAY_CLASS, GWAPI_DIALECT_V1, NULL, "gc");
    ck_assert_ptr_nonnull(route);
    ck_assert_ptr_nonnull(gc);
    ck_assert_int_eq(gwapi_field_state_of(route->body, "spec"), GWAPI_FIELD_ABSENT);
    ck_assert_int_eq(gwapi_field_state_of(gc->body, "spec"), GWAPI_FIELD_ABSENT);
    options.flags = GWAPI_RESOLVE_INCLUDE_INVALID;
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, &options, f.diags), 0);
    gwapi_resolution_unref(res);
    fixture_release(&f);
}
END_TEST

/* Watch DELETEs within one load leave holes closed once at its end (they cost a rehash of
 * every object each: 80,000 took 100 s): the order, the lookups and re-adds stay right. */
START_TEST(deletes_in_one_load_keep_the_order)
{
    struct fixture f;
    size_t n = 3000, len = 0;
    char *text = malloc(n * 400);

    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n%zu\"}}}\n", i);
    for (size_t i = 0; i < n; i += 2)
        len += (size_t)sprintf(text + len, "{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n%zu\"}}}\n", i);
    /* removed, then added again: it comes last */
    len += (size_t)sprintf(text + len, "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n0\"}}}\n");
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, text, 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        char name[32];
        snprintf(name, sizeof(name), "n%zu", 2 * i + 1);
        ck_assert_str_eq(gwapi_config_get(f.cfg, i)->metadata->name, name);
        ck_assert_ptr_eq(gwapi_config_find(f.cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, name),
                         gwapi_config_get(f.cfg, i));
        snprintf(name, sizeof(name), "n%zu", 2 * i + 2);
        ck_assert(2 * i + 2 >= n || !gwapi_config_find(f.cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, name));
    }
    ck_assert_str_eq(gwapi_config_get(f.cfg, n / 2)->metadata->name, "n0");
    ck_assert_int_eq(gwapi_config_remove(f.cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "n1"), 0);
    ck_assert_str_eq(gwapi_config_get(f.cfg, 0)->metadata->name, "n3");
    ck_assert_uint_eq(gwapi_config_count(f.cfg), n / 2);
    fixture_release(&f);
    free(text);
}
END_TEST

#define EVENT(type, rv, backend) \
    "{\"type\": \"" type "\", \"object\": {\"apiVersion\": \"gateway.networking.k8s.io/v1\", " \
    "\"kind\": \"HTTPRoute\", \"metadata\": {\"name\": \"r\", \"namespace\": \"n\", " \
    "\"resourceVersion\": \"" rv "\"}, \"spec\": {\"parentRefs\": [{\"name\": \"gw\"}], " \
    "\"rules\": [{\"backendRefs\": [{\"name\": \"" backend "\", \"port\": 80}]}]}}}\n"

static const char *
backend_of(const struct fixture *f)
{
    const gwapi_http_route *r = gwapi_object_http_route(
        fixture_find(f, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "n", "r"));
    return r ? r->spec->rules[0]->backend_refs[0]->name : NULL;
}

/* Watch events as the API server's rules have them: a replayed older MODIFIED is ignored, an
 * update that fails validation leaves the version held in force, a DELETED of an object never
 * seen is harmless, and a List loaded with GWAPI_LOAD_REPLACE after a 410 is the whole state. */
START_TEST(watch_events_follow_the_api_server)
{
    struct fixture f;

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, EVENT("ADDED", "10", "a"), 0), 0);
    ck_assert_int_eq(fixture_load_text(&f, EVENT("MODIFIED", "12", "b"), 0), 0);
    ck_assert_str_eq(backend_of(&f), "b");
    /* older: ignored, with a warning */
    ck_assert_int_eq(fixture_load_text(&f, EVENT("MODIFIED", "11", "c"), 0), 0);
    ck_assert_str_eq(backend_of(&f), "b");
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "stale-event"));
    /* invalid (port out of range): refused, reported, and b stays */
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"type\": \"MODIFIED\", \"object\": {\"apiVersion\": \"gateway.networking.k8s.io/v1\", "
        "\"kind\": \"HTTPRoute\", \"metadata\": {\"name\": \"r\", \"namespace\": \"n\", "
        "\"resourceVersion\": \"13\"}, \"spec\": {\"parentRefs\": [{\"name\": \"gw\"}], "
        "\"rules\": [{\"backendRefs\": [{\"name\": \"d\", \"port\": 70000}]}]}}}\n", 0), GWAPI_EINPUT);
    ck_assert_str_eq(backend_of(&f), "b");
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "refused-update"));
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "maximum"));
    /* a DELETED of what was never seen */
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"type\": \"DELETED\", \"object\": {\"apiVersion\": \"v1\", \"kind\": \"Service\", "
        "\"metadata\": {\"name\": \"ghost\", \"namespace\": \"n\"}}}\n", 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 1);
    /* relist: the List is the whole state */
    ck_assert_int_eq(fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n", 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    ck_assert_int_eq(fixture_load_text(&f,
        "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" 
        "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"n\"}}]}",
        GWAPI_LOAD_REPLACE), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 1);
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "n"));
    /* a relist cut short by a syntax error removes nothing */
    fixture_load_text(&f, "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [", GWAPI_LOAD_REPLACE);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 1);
    fixture_release(&f);
}
END_TEST

/* A watch stream fed in pieces of every size: values split across reads are loaded when they
 * end; plain objects are updates (no duplicate warning); a value past the document limit is
 * skipped and the stream goes on; a value cut short is pending. */
START_TEST(stream_feeds_values_across_reads)
{
    static const char text[] =
        "{\n  \"apiVersion\": \"v1\", \"kind\": \"Namespace\",\n  \"metadata\": {\"name\": \"a\", \"labels\": {\"x\": \"}{\\\"\"}}\n}\n"
        "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\", \"labels\": {\"x\": \"2\"}}}"
        "{\"type\": \"ADDED\", \"object\": {\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"b\"}}}\n"
        "not json\n"
        "{\"type\": \"DELETED\", \"object\": {\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"b\"}}}";

    for (size_t piece = 1; piece <= sizeof(text); piece += 7) {
        struct fixture f;
        gwapi_stream *stream;
        size_t loaded, total = 0;
        const gwapi_object *a;

        fixture_init(&f);
        ck_assert_int_eq(gwapi_stream_new(&stream, f.cfg, NULL, "watch"), 0);
        for (size_t at = 0; at < sizeof(text) - 1; at += piece) {
            size_t n = sizeof(text) - 1 - at < piece ? sizeof(text) - 1 - at : piece;
            int err = gwapi_stream_feed(stream, text + at, n, f.diags, &loaded);
            ck_assert(err == 0 || err == GWAPI_EINPUT);
            total += loaded;
        }
        ck_assert_uint_eq(total, 5);
        ck_assert(!gwapi_stream_pending(stream));
        a = fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "a");
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a->metadata->labels.values[0], "2");
        ck_assert_ptr_null(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "b"));
        ck_assert_ptr_null(fixture_find_diag(&f, "duplicate-object"));
        ck_assert_ptr_nonnull(fixture_find_diag(&f, "not-object")); /* "not json" */
        /* cut short */
        ck_assert_int_eq(gwapi_stream_feed(stream, "{\"type\": ", 9, f.diags, &loaded), 0);
        ck_assert_uint_eq(loaded, 0);
        ck_assert(gwapi_stream_pending(stream));
        gwapi_stream_free(stream);
        fixture_release(&f);
    }
    {
        struct fixture f;
        gwapi_stream *stream;
        gwapi_limits limits = GWAPI_LIMITS_INIT;
        size_t loaded;
        char big[512];
        fixture_init(&f);
        limits.max_document_bytes = 128;
        ck_assert_int_eq(gwapi_ctx_set_limits(f.ctx, &limits), 0);
        ck_assert_int_eq(gwapi_stream_new(&stream, f.cfg, NULL, NULL), 0);
        snprintf(big, sizeof(big), "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": "
                 "{\"name\": \"%0200d\"}}{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                 "\"metadata\": {\"name\": \"c\"}}", 0);
        ck_assert_int_eq(gwapi_stream_feed(stream, big, strlen(big), f.diags, &loaded), GWAPI_EINPUT);
        ck_assert_uint_eq(loaded, 1);
        ck_assert_ptr_nonnull(fixture_find_diag(&f, "limit"));
        ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "c"));
        gwapi_stream_free(stream);
        fixture_release(&f);
    }
}
END_TEST

START_TEST(object_limit_stops_the_load)
{
    struct fixture f;
    gwapi_limits limits = GWAPI_LIMITS_INIT;
    fixture_init(&f);
    limits.max_objects = 2;
    ck_assert_int_eq(gwapi_ctx_set_limits(f.ctx, &limits), 0);
    ck_assert_int_eq(fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: d}\n", 0), GWAPI_ELIMIT);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 2);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "limit"));
    /* Replacing an existing object is still possible at the limit. */
    ck_assert_int_eq(fixture_load_text(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", 0), 0);
    fixture_release(&f);
}
END_TEST

struct counting {
    long live;
    long calls;
    long fail_after; /* -1: never fail */
};

static void *
counting_alloc(void *ud, size_t size)
{
    struct counting *c = ud;
    size_t *p;
    if (c->fail_after >= 0 && c->calls >= c->fail_after)
        return NULL;
    c->calls++;
    p = malloc(size + 16);
    if (!p)
        return NULL;
    c->live++;
    return (char *)p + 16;
}

static void *
counting_realloc(void *ud, void *ptr, size_t size)
{
    struct counting *c = ud;
    char *p;
    if (!ptr)
        return counting_alloc(ud, size);
    if (c->fail_after >= 0 && c->calls >= c->fail_after)
        return NULL;
    c->calls++;
    p = realloc((char *)ptr - 16, size + 16);
    return p ? p + 16 : NULL;
}

static void
counting_free(void *ud, void *ptr)
{
    struct counting *c = ud;
    if (!ptr)
        return;
    c->live--;
    free((char *)ptr - 16);
}

static long
load_with_allocator(long fail_after, int *rc)
{
    struct counting c = { 0, 0, fail_after };
    gwapi_allocator a = { sizeof(gwapi_allocator), counting_alloc, counting_realloc, counting_free, &c };
    gwapi_ctx *ctx = NULL;
    gwapi_config *cfg = NULL;
    gwapi_diags *diags = NULL;
    char path[1024];

    snprintf(path, sizeof(path), "%s/seed/seed-manifests.yaml", TEST_DATA_DIR);
    *rc = gwapi_ctx_new_with_allocator(&ctx, &a);
    if (*rc == 0)
        *rc = gwapi_config_new(&cfg, ctx);
    if (*rc == 0)
        *rc = gwapi_diags_new(&diags, ctx);
    if (*rc == 0)
        *rc = gwapi_config_load_file(cfg, path, NULL, diags);
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    ck_assert_int_eq(c.live, 0);
    return c.calls;
}

START_TEST(custom_allocator_sees_everything_and_failures_are_clean)
{
    int rc;
    long calls = load_with_allocator(-1, &rc);

    ck_assert_int_eq(rc, 0);
    ck_assert_int_gt(calls, 10);
    /* Fail every allocation in turn: each run reports ENOMEM or succeeds, and frees all. */
    for (long n = 0; n < calls; n++) {
        load_with_allocator(n, &rc);
        ck_assert(rc == 0 || rc == GWAPI_ENOMEM);
    }
}
END_TEST

/* The whole pipeline with an allocator that fails each allocation in turn: loading,
 * validation (its patterns too), resolution, compilation (regular expressions included) and
 * matching each answer GWAPI_ENOMEM or succeed, nothing leaks, and matching and applying a
 * decision allocate nothing at all. */
/* The status the resolution of the first run emits: every later run that resolves must emit
 * the same, so that an allocation failing inside resolution is never dropped silently. */
static char *reference_status;

static long
pipeline_with_allocator(long fail_after, int *stage)
{
    static const gwapi_http_header headers[] = { { "x-env", "canary" }, { "Origin", "https://a.example.com" } };
    struct counting c = { 0, 0, fail_after };
    gwapi_allocator a = { sizeof(gwapi_allocator), counting_alloc, counting_realloc, counting_free, &c };
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    gwapi_resolve_options resolve = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_ctx *ctx = NULL;
    gwapi_config *cfg = NULL;
    gwapi_diags *diags = NULL;
    gwapi_resolution *res = NULL;
    gwapi_router *router = NULL;
    char path[1024];
    int rc;

    *stage = 0;
    snprintf(path, sizeof(path), "%s/sweep/rich.yaml", TEST_DATA_DIR);
    options.flags = GWAPI_LOAD_VALIDATE;
    if (gwapi_ctx_new_with_allocator(&ctx, &a) || gwapi_config_new(&cfg, ctx) ||
        gwapi_diags_new(&diags, ctx))
        goto done;
    *stage = 1;
    rc = gwapi_config_load_file(cfg, path, &options, diags);
    ck_assert(rc == 0 || rc == GWAPI_ENOMEM);
    if (rc)
        goto done;
    *stage = 2;
    rc = gwapi_resolve(&res, cfg, &resolve, diags);
    ck_assert(rc == 0 || rc == GWAPI_ENOMEM);
    if (rc)
        goto done;
    {
        char *status = NULL;
        rc = gwapi_resolution_emit(res, NULL, GWAPI_FORMAT_JSON, &status, NULL);
        ck_assert(rc == 0 || rc == GWAPI_ENOMEM);
        if (rc)
            goto done;
        if (!reference_status)
            reference_status = strdup(status);
        else
            ck_assert_str_eq(status, reference_status);
        gwapi_free(status);
    }
    *stage = 3;
    rc = gwapi_router_new(&router, res, "infra/gw", diags);
    ck_assert(rc == 0 || rc == GWAPI_ENOMEM);
    if (rc)
        goto done;
    *stage = 4;
    {
        static const char *const paths[] = { "/app/x", "/exact", "/re/abc", "/old/x", "/rewrite/x", "/ext" };
        long before = c.calls;
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
            gwapi_request req = GWAPI_REQUEST_INIT;
            gwapi_decision d = GWAPI_DECISION_INIT;
            gwapi_action act = GWAPI_ACTION_INIT;
            char buf[4096];
            req.host = "www.example.com";
            req.path = paths[i];
            req.headers = headers;
            req.n_headers = 2;
            ck_assert_int_eq(gwapi_router_match(router, &req, &d), 0);
            ck_assert_int_eq(gwapi_decision_apply(&d, &req, "http", NULL, 0, &act, buf, sizeof(buf), NULL), 0);
        }
        ck_assert_int_eq(c.calls, before); /* the hot path allocates nothing */
    }
done:
    gwapi_router_unref(router);
    gwapi_resolution_unref(res);
    gwapi_diags_free(diags);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    ck_assert_int_eq(c.live, 0);
    return c.calls;
}

START_TEST(allocator_failures_anywhere_in_the_pipeline_are_clean)
{
    int stage;
    long calls;

    reference_status = NULL;
    calls = pipeline_with_allocator(-1, &stage);
    ck_assert_int_eq(stage, 4);
    ck_assert_int_gt(calls, 100);
    /* Every allocation fails in turn. */
    for (long n = 0; n < calls; n++)
        pipeline_with_allocator(n, &stage);
    free(reference_status);
    reference_status = NULL;
}
END_TEST

START_TEST(files_and_descriptors)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(gwapi_config_load_file(f.cfg, "/nonexistent/file.yaml", NULL, f.diags), GWAPI_EIO);
    ck_assert_str_eq(fixture_find_diag(&f, "io")->source, "/nonexistent/file.yaml");
    ck_assert_int_eq(gwapi_config_load_fd(f.cfg, -1, "x", NULL, f.diags), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_config_load_buffer(NULL, "", 0, NULL, NULL, NULL), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_config_load_buffer(f.cfg, NULL, 0, NULL, NULL, NULL), 0);
    {
        gwapi_load_options bad = { 1, 0 };
        ck_assert_int_eq(gwapi_config_load_buffer(f.cfg, "", 0, NULL, &bad, NULL), GWAPI_EINVAL);
    }
    fixture_release(&f);
}
END_TEST

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

#define NAMESPACE_DOC(name) "apiVersion: v1\nkind: Namespace\nmetadata: {name: " name "}\n"

/* What a walk visits: the files, in the order given; what the callback returns comes back. */
struct visits {
    char files[8][512];
    size_t n;
    int answer;
};

static int
visit(void *user, const char *file)
{
    struct visits *v = user;
    if (v->n < 8)
        snprintf(v->files[v->n++], sizeof(v->files[0]), "%s", file);
    return v->answer;
}

/* A folder tree: manifests of every depth in name order, other files and hidden ones left
 * out, a missing path reported, folders nested too deep refused by name. */
START_TEST(folders_are_read_recursively)
{
    char root[] = "/tmp/gwapi-tree-XXXXXX", path[512];
    struct fixture f;
    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(path, sizeof path, "%s/b", root);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/b/two.yml", root);
    write_text(path, NAMESPACE_DOC("two"));
    snprintf(path, sizeof path, "%s/a.json", root);
    write_text(path, "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"one\"}}");
    snprintf(path, sizeof path, "%s/c.yaml", root);
    write_text(path, NAMESPACE_DOC("three"));
    snprintf(path, sizeof path, "%s/notes.txt", root);
    write_text(path, "not a manifest");
    snprintf(path, sizeof path, "%s/.hidden.yaml", root);
    write_text(path, NAMESPACE_DOC("hidden"));

    fixture_init(&f);
    ck_assert_int_eq(gwapi_config_load_path(f.cfg, root, NULL, f.diags), 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_WARNING);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 3);
    ck_assert_str_eq(gwapi_config_get(f.cfg, 0)->metadata->name, "one");   /* a.json */
    ck_assert_str_eq(gwapi_config_get(f.cfg, 1)->metadata->name, "two");   /* b/two.yml */
    ck_assert_str_eq(gwapi_config_get(f.cfg, 2)->metadata->name, "three"); /* c.yaml */
    /* A file is loaded as gwapi_config_load_file() would; a missing path is reported. */
    ck_assert_int_eq(gwapi_config_load_path(f.cfg, path, NULL, f.diags), 0);
    snprintf(path, sizeof path, "%s/missing", root);
    ck_assert_int_eq(gwapi_config_load_path(f.cfg, path, NULL, f.diags), GWAPI_EIO);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, GWAPI_CODE_IO));
    ck_assert_int_eq(gwapi_config_load_path(NULL, root, NULL, NULL), GWAPI_EINVAL);
    fixture_release(&f);

    /* The walk visits the same files in the same order, and returns the callback's answer. */
    {
        struct visits v = { .n = 0, .answer = 0 };
        char expected[512];
        ck_assert_int_eq(gwapi_path_walk(root, visit, &v, NULL), 0);
        ck_assert_uint_eq(v.n, 3);
        snprintf(expected, sizeof expected, "%s/b/two.yml", root);
        ck_assert_str_eq(v.files[1], expected);
        v.n = 0;
        v.answer = GWAPI_EINPUT;
        ck_assert_int_eq(gwapi_path_walk(root, visit, &v, NULL), GWAPI_EINPUT);
        ck_assert_uint_eq(v.n, 3); /* the walk goes on */
        ck_assert_int_eq(gwapi_path_walk(NULL, visit, &v, NULL), GWAPI_EINVAL);
        ck_assert_int_eq(gwapi_path_walk(root, NULL, &v, NULL), GWAPI_EINVAL);
    }

    /* Deeper than the limit: refused by name, what lies above still loaded. */
    snprintf(path, sizeof path, "%s/deep", root);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    for (int i = 0; i < GWAPI_LOAD_MAX_FOLDER_DEPTH; i++) {
        strcat(path, "/d");
        ck_assert_int_eq(mkdir(path, 0700), 0);
    }
    fixture_init(&f);
    ck_assert_int_eq(gwapi_config_load_path(f.cfg, root, NULL, f.diags), GWAPI_ELIMIT);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, GWAPI_CODE_LIMIT));
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 3);
    fixture_release(&f);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
suite_config(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, same_identity_replaces_in_place);
    tcase_add_test(tc, dialects_and_namespaces_are_part_of_identity);
    tcase_add_test(tc, remove_keeps_the_others_findable);
    tcase_add_test(tc, strict_turns_warnings_into_errors);
    tcase_add_test(tc, last_duplicate_key_decides_the_field_state);
    tcase_add_test(tc, deletes_in_one_load_keep_the_order);
    tcase_add_test(tc, watch_events_follow_the_api_server);
    tcase_add_test(tc, stream_feeds_values_across_reads);
    tcase_add_test(tc, object_limit_stops_the_load);
    tcase_add_test(tc, custom_allocator_sees_everything_and_failures_are_clean);
    tcase_add_test(tc, files_and_descriptors);
    tcase_add_test(tc, folders_are_read_recursively);
    tcase_add_test(tc, allocator_failures_anywhere_in_the_pipeline_are_clean);
    suite_add_tcase(s, tc);
    return s;
}
