/* Updates share what a change left alone (linked from the internal static library, to look at
 * the memory of resolutions and routers): a route changed is resolved and compiled again on
 * its own, and everything else is the old version's; a change that concerns every route (a
 * Service, a Gateway), a journal that no longer reaches back, or memory accumulated past its
 * bound makes the next version from scratch. That the results equal a build from scratch is
 * test-live.c's part. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "resolve/resolve.h"
#include "router/router.h"

#define N_ROUTES 50

static const char base[] =
    "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\n"
    "spec: {controllerName: example.com/c}\n---\n"
    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: n}\n"
    "spec:\n  gatewayClassName: gc\n  listeners:\n  - {name: http, port: 80, protocol: HTTP}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\n"
    "spec: {ports: [{port: 80}]}\n";

/* Route i on host h<i>.example.com, path /p<version>, to Service s. */
static void
load_route(gwapi_config *cfg, int i, int version)
{
    char event[1024];

    snprintf(event, sizeof(event),
             "{\"type\": \"MODIFIED\", \"object\": {\"apiVersion\": "
             "\"gateway.networking.k8s.io/v1\", \"kind\": \"HTTPRoute\", \"metadata\": "
             "{\"name\": \"r%d\", \"namespace\": \"n\"}, \"spec\": {\"parentRefs\": [{\"name\": "
             "\"gw\"}], \"hostnames\": [\"h%d.example.com\"], \"rules\": [{\"matches\": "
             "[{\"path\": {\"value\": \"/p%d\"}}], \"backendRefs\": [{\"name\": \"s\", "
             "\"port\": 80}]}]}}}", i, i, version);
    ck_assert_int_eq(gwapi_config_load_buffer(cfg, event, strlen(event), "event", NULL, NULL), 0);
}

struct live {
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_resolution *res;
    gwapi_router *router;
};

static void
live_start(struct live *l)
{
    ck_assert_int_eq(gwapi_ctx_new(&l->ctx), 0);
    ck_assert_int_eq(gwapi_config_new(&l->cfg, l->ctx), 0);
    ck_assert_int_eq(gwapi_config_load_buffer(l->cfg, base, strlen(base), "base", NULL, NULL), 0);
    for (int i = 0; i < N_ROUTES; i++)
        load_route(l->cfg, i, 0);
    ck_assert_int_eq(gwapi_resolve(&l->res, l->cfg, NULL, NULL), 0);
    ck_assert_int_eq(gwapi_router_new(&l->router, l->res, "n/gw", NULL), 0);
}

/* Update both from the configuration as it is; the old versions are dropped. */
static void
live_step(struct live *l)
{
    gwapi_resolution *res;
    gwapi_router *router;

    ck_assert_int_eq(gwapi_resolution_update(&res, l->res, l->cfg, NULL), 0);
    ck_assert_int_eq(gwapi_router_update(&router, l->router, res, NULL), 0);
    gwapi_router_unref(l->router);
    gwapi_resolution_unref(l->res);
    l->res = res;
    l->router = router;
}

static void
live_stop(struct live *l)
{
    gwapi_router_unref(l->router);
    gwapi_resolution_unref(l->res);
    gwapi_config_unref(l->cfg);
    gwapi_ctx_unref(l->ctx);
}

static const gwapi_object *
route(const struct live *l, int i)
{
    char name[16];
    snprintf(name, sizeof(name), "r%d", i);
    return gwapi_config_find(l->res->cfg, GWAPI_KIND_HTTP_ROUTE, GWAPI_DIALECT_V1, "n", name);
}

static const struct rt_tier *
tier(const gwapi_router *rt, int i)
{
    char host[32];
    const struct rt_table *t = &rt->listeners[0].http_routes;
    snprintf(host, sizeof(host), "h%d.example.com", i);
    return rt_find_tier(t->exact, &t->exact_index, host, strlen(host), rt_host_hash(host, strlen(host)));
}

START_TEST(a_route_changed_is_all_that_is_built_again)
{
    struct live l;
    gwapi_resolution *before;
    gwapi_router *before_router;

    live_start(&l);
    before = gwapi_resolution_ref(l.res);
    before_router = gwapi_router_ref(l.router);
    load_route(l.cfg, 7, 1);
    live_step(&l);
    /* Resolution: updated from the one before; the other routes' statuses are the same
     * records, the one changed is new. */
    ck_assert_uint_eq(l.res->base_serial, before->serial);
    ck_assert_uint_eq(l.res->n_dropped, 1);
    ck_assert_uint_eq(l.res->n_added, 1);
    for (int i = 0; i < N_ROUTES; i++) {
        const gwapi_object *r = route(&l, i);
        const gwapi_object *was = gwapi_config_find(before->cfg, GWAPI_KIND_HTTP_ROUTE,
                                                    GWAPI_DIALECT_V1, "n", r->metadata->name);
        ck_assert((gwapi_resolution_status(l.res, r) == gwapi_resolution_status(before, was)) ==
                  (i != 7));
    }
    /* Router: the other hosts' tiers point to the same buckets; route 7's tier is new. */
    ck_assert_uint_eq(l.router->stores.n, 2);
    for (int i = 0; i < N_ROUTES; i++) {
        ck_assert_ptr_nonnull(tier(l.router, i));
        ck_assert((tier(l.router, i)->prefix == tier(before_router, i)->prefix) == (i != 7));
    }
    ck_assert_str_eq(tier(l.router, 7)->prefix[0].path, "/p1");
    ck_assert_str_eq(tier(before_router, 7)->prefix[0].path, "/p0");
    gwapi_router_unref(before_router);
    gwapi_resolution_unref(before);
    live_stop(&l);
}
END_TEST

START_TEST(a_service_or_gateway_changed_starts_from_scratch)
{
    static const char service[] =
        "{\"type\": \"MODIFIED\", \"object\": {\"apiVersion\": \"v1\", \"kind\": \"Service\", "
        "\"metadata\": {\"name\": \"s\", \"namespace\": \"n\"}, \"spec\": {\"ports\": "
        "[{\"port\": 81}]}}}";
    static const char gateway[] =
        "{\"type\": \"MODIFIED\", \"object\": {\"apiVersion\": \"gateway.networking.k8s.io/v1\", "
        "\"kind\": \"Gateway\", \"metadata\": {\"name\": \"gw\", \"namespace\": \"n\"}, "
        "\"spec\": {\"gatewayClassName\": \"gc\", \"listeners\": [{\"name\": \"http\", "
        "\"port\": 8080, \"protocol\": \"HTTP\"}]}}}";
    struct live l;

    live_start(&l);
    ck_assert_int_eq(gwapi_config_load_buffer(l.cfg, service, strlen(service), "e", NULL, NULL), 0);
    live_step(&l);
    ck_assert_uint_eq(l.res->base_serial, 0);
    ck_assert_uint_eq(l.router->stores.n, 1);
    load_route(l.cfg, 3, 1);
    live_step(&l);
    ck_assert_uint_ne(l.res->base_serial, 0);
    ck_assert_int_eq(gwapi_config_load_buffer(l.cfg, gateway, strlen(gateway), "e", NULL, NULL), 0);
    live_step(&l);
    ck_assert_uint_eq(l.res->base_serial, 0);
    ck_assert_uint_eq(l.router->listeners[0].port, 8080);
    live_stop(&l);
}
END_TEST

START_TEST(nothing_changed_is_the_same_version)
{
    struct live l;
    gwapi_resolution *before;

    live_start(&l);
    before = l.res;
    live_step(&l);
    ck_assert_ptr_eq(l.res, before);
    live_stop(&l);
}
END_TEST

START_TEST(a_journal_that_no_longer_reaches_back_starts_from_scratch)
{
    struct live l;

    live_start(&l);
    for (int k = 0; k <= GW_JOURNAL_MAX / N_ROUTES + 1; k++)
        for (int i = 0; i < N_ROUTES; i++)
            load_route(l.cfg, i, k + 1);
    live_step(&l);
    ck_assert_uint_eq(l.res->base_serial, 0);
    live_stop(&l);
}
END_TEST

/* Each update leaves some memory behind in the versions after it; past a quarter of the
 * version built from scratch, the next starts again. */
START_TEST(memory_left_behind_is_bounded)
{
    struct live l;
    size_t restarts = 0, longest = 0;

    live_start(&l);
    for (int k = 0; k < 2000; k++) {
        load_route(l.cfg, k % N_ROUTES, k + 1);
        live_step(&l);
        restarts += l.res->base_serial == 0;
        longest = l.res->stores.n > longest ? l.res->stores.n : longest;
        ck_assert_uint_le(gw_stores_added_bytes(&l.res->stores),
                          l.res->stores.items[l.res->stores.n > 1 ? 1 : 0]->arena.bytes / 4 + 8192);
    }
    ck_assert_uint_gt(restarts, 0);
    ck_assert_uint_gt(longest, 2);
    live_stop(&l);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("sharing");
    TCase *tc = tcase_create("sharing");
    SRunner *runner;
    int failed;

    tcase_add_test(tc, a_route_changed_is_all_that_is_built_again);
    tcase_add_test(tc, a_service_or_gateway_changed_starts_from_scratch);
    tcase_add_test(tc, nothing_changed_is_the_same_version);
    tcase_add_test(tc, a_journal_that_no_longer_reaches_back_starts_from_scratch);
    tcase_add_test(tc, memory_left_behind_is_bounded);
    suite_add_tcase(s, tc);
    runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
