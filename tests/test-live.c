/* Live configuration, differentially: random sequences of watch events over random
 * configurations are applied to one long-lived configuration (resolved and compiled again
 * after each event, the routers published to a holder), and at every step every status and
 * the decision of every request of a grid must equal those of a configuration built from
 * scratch out of the same objects. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "test-common.h"

#define N_ROUTES 24
#define N_STEPS 60

static const char *const hosts[] = { "a.example.com", "b.example.com", "x.a.example.com",
                                     "*.example.com", "c.example.org" };
static const char *const paths[] = { "/", "/api", "/api/v1", "/static", "/x" };
static const char *const services[] = { "s1", "s2", "s3" };

struct rng {
    uint64_t state;
};

static uint32_t
next(struct rng *r, uint32_t bound)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) % bound);
}

/* The state the test holds the truth of: each object's current JSON, or an empty slot. */
struct world {
    char *routes[N_ROUTES];
    bool valid[N_ROUTES];
    char *services[3];
    char *gateway;
    unsigned generation[N_ROUTES + 4];
    unsigned created;   /* creationTimestamps, distinct and increasing */
    unsigned version;   /* resourceVersions */
};

static char *
route_json(struct world *w, struct rng *r, int i)
{
    char *text = malloc(2048);
    const char *path = paths[next(r, 5)], *type = next(r, 3) ? "PathPrefix" : "Exact";
    const char *host = hosts[next(r, 5)];
    const char *backend = services[next(r, 3)];
    const char *section = next(r, 4) == 0 ? ", \"sectionName\": \"b\"" : "";

    /* Now and then a version the API server would refuse (a path without its "/"). */
    if (next(r, 8) == 0)
        path = "nope";

    w->generation[i]++;
    snprintf(text, 2048,
             "{\"apiVersion\": \"gateway.networking.k8s.io/v1\", \"kind\": \"HTTPRoute\", "
             "\"metadata\": {\"name\": \"r%d\", \"namespace\": \"n\", \"generation\": %u, "
             "\"resourceVersion\": \"%u\", \"creationTimestamp\": \"2024-01-01T00:%02u:%02uZ\"}, "
             "\"spec\": {\"parentRefs\": [{\"name\": \"gw\"%s}], \"hostnames\": [\"%s\"], "
             "\"rules\": [{\"matches\": [{\"path\": {\"type\": \"%s\", \"value\": \"%s\"}}], "
             "\"backendRefs\": [{\"name\": \"%s\", \"port\": 80, \"weight\": %u}]}]}}",
             i, w->generation[i], ++w->version, (w->created / 60) % 60, w->created % 60, section,
             host, type, path, backend, 1 + next(r, 3));
    w->created++;
    return text;
}

static char *
service_json(struct world *w, int i, unsigned port)
{
    char *text = malloc(512);
    snprintf(text, 512,
             "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"%s\", "
             "\"namespace\": \"n\", \"resourceVersion\": \"%u\"}, \"spec\": {\"ports\": "
             "[{\"port\": %u}]}}", services[i], ++w->version, port);
    return text;
}

static char *
gateway_json(struct world *w, struct rng *r)
{
    char *text = malloc(1024);
    w->generation[N_ROUTES]++;
    snprintf(text, 1024,
             "{\"apiVersion\": \"gateway.networking.k8s.io/v1\", \"kind\": \"Gateway\", "
             "\"metadata\": {\"name\": \"gw\", \"namespace\": \"n\", \"generation\": %u, "
             "\"resourceVersion\": \"%u\"}, \"spec\": {\"gatewayClassName\": \"gc\", "
             "\"listeners\": [{\"name\": \"a\", \"port\": 80, \"protocol\": \"HTTP\"%s}, "
             "{\"name\": \"b\", \"port\": 80, \"protocol\": \"HTTP\", \"hostname\": \"%s\"}]}}",
             w->generation[N_ROUTES], ++w->version,
             next(r, 2) ? "" : ", \"hostname\": \"*.example.com\"",
             next(r, 2) ? "b.example.com" : "*.a.example.com");
    return text;
}

static const char gateway_class[] =
    "{\"apiVersion\": \"gateway.networking.k8s.io/v1\", \"kind\": \"GatewayClass\", "
    "\"metadata\": {\"name\": \"gc\"}, \"spec\": {\"controllerName\": \"example.com/c\"}}";

/* Load one watch event: an update to a version the API server would refuse is reported
 * (GWAPI_EINPUT), and refused when the version held is valid. */
static void
load_event_refused(gwapi_config *cfg, const char *type, const char *object, bool refused)
{
    size_t size = strlen(object) + 64;
    char *event = malloc(size);
    int err;
    snprintf(event, size, "{\"type\": \"%s\", \"object\": %s}", type, object);
    err = gwapi_config_load_buffer(cfg, event, strlen(event), "event", NULL, NULL);
    ck_assert_int_eq(err, (refused ? GWAPI_EINPUT : 0));
    free(event);
}

static void
load_event(gwapi_config *cfg, const char *type, const char *object)
{
    load_event_refused(cfg, type, object, false);
}

/* A configuration from scratch: every object the world holds, in one load. */
static gwapi_resolution *
from_scratch(const struct world *w, gwapi_ctx *ctx, gwapi_config **cfg)
{
    gwapi_resolution *res;
    ck_assert_int_eq(gwapi_config_new(cfg, ctx), 0);
    ck_assert_int_eq(gwapi_config_load_buffer(*cfg, gateway_class, strlen(gateway_class), "s",
                                              NULL, NULL), 0);
    ck_assert_int_eq(gwapi_config_load_buffer(*cfg, w->gateway, strlen(w->gateway), "s", NULL,
                                              NULL), 0);
    for (int i = 0; i < 3; i++)
        if (w->services[i])
            ck_assert_int_eq(gwapi_config_load_buffer(*cfg, w->services[i],
                                                      strlen(w->services[i]), "s", NULL, NULL), 0);
    for (int i = 0; i < N_ROUTES; i++)
        if (w->routes[i])
            ck_assert_int_eq(gwapi_config_load_buffer(*cfg, w->routes[i], strlen(w->routes[i]),
                                                      "s", NULL, NULL), 0);
    ck_assert_int_eq(gwapi_resolve(&res, *cfg, NULL, NULL), 0);
    return res;
}

/* Do two routers decide every request of the grid alike? */
static bool
same_decisions(gwapi_router *x_router, gwapi_router *y_router)
{
    for (size_t h = 0; h < sizeof(hosts) / sizeof(hosts[0]); h++)
        for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
            for (uint32_t random = 0; random < 3; random++) {
                gwapi_request req = GWAPI_REQUEST_INIT;
                gwapi_decision x = GWAPI_DECISION_INIT, y = GWAPI_DECISION_INIT;
                req.host = hosts[h][0] == '*' ? "z.example.com" : hosts[h];
                req.path = paths[p];
                req.random = random * 0x55555555u;
                gwapi_router_match(x_router, &req, &x);
                gwapi_router_match(y_router, &req, &y);
                if (x.status != y.status || x.rule != y.rule ||
                    (x.route == NULL) != (y.route == NULL) ||
                    (x.route && strcmp(x.route->metadata->name, y.route->metadata->name) != 0) ||
                    (x.backend_name == NULL) != (y.backend_name == NULL) ||
                    (x.backend_name && strcmp(x.backend_name, y.backend_name) != 0))
                    return false;
            }
    return true;
}

static void
assert_same(gwapi_resolution *live, gwapi_router *live_router, gwapi_resolution *fresh,
            gwapi_config *scratch, int step)
{
    gwapi_router *fresh_router;

    /* Every status the same (the order of the List follows each configuration's load order,
     * which differs: compared object by object). */
    ck_assert_uint_eq(gwapi_resolution_count(live), gwapi_resolution_count(fresh));
    for (size_t k = 0; k < gwapi_resolution_count(live); k++) {
        const gwapi_object *o = gwapi_resolution_get(live, k)->object;
        const gwapi_object *twin = gwapi_config_find(scratch, o->kind, o->dialect,
                                                     o->metadata->namespace_, o->metadata->name);
        char *a, *b;
        ck_assert_ptr_nonnull(twin);
        ck_assert_int_eq(gwapi_status_emit(live, o, GWAPI_FORMAT_JSON, &a, NULL), 0);
        ck_assert_int_eq(gwapi_status_emit(fresh, twin, GWAPI_FORMAT_JSON, &b, NULL), 0);
        ck_assert_msg(strcmp(a, b) == 0, "step %d: the status of %s %s differs:\n%s\n%s", step,
                      o->kind_name, o->metadata->name, a, b);
        gwapi_free(a);
        gwapi_free(b);
    }
    ck_assert_int_eq(gwapi_router_new(&fresh_router, fresh, "n/gw", NULL), 0);
    ck_assert_msg(same_decisions(live_router, fresh_router), "step %d: decided differently", step);
    gwapi_router_unref(fresh_router);
}

/* gwapi_resolution_changes() between two steps lists every object whose status differs, and
 * the Gateway when its router decides any request differently. */
static void
assert_changes_cover(gwapi_resolution *before, gwapi_router *before_router,
                     gwapi_resolution *after, gwapi_router *after_router, int step)
{
    gwapi_changes c = GWAPI_CHANGES_INIT;

    ck_assert_int_eq(gwapi_resolution_changes(before, after, &c), 0);
    for (size_t k = 0; k < gwapi_resolution_count(after); k++) {
        const gwapi_object *o = gwapi_resolution_get(after, k)->object;
        const gwapi_object *was = NULL;
        char *a = NULL, *b = NULL;
        bool listed = false;
        for (size_t j = 0; j < gwapi_resolution_count(before) && !was; j++) {
            const gwapi_object *p = gwapi_resolution_get(before, j)->object;
            if (p->kind == o->kind && strcmp(p->metadata->name, o->metadata->name) == 0)
                was = p;
        }
        gwapi_status_emit(after, o, GWAPI_FORMAT_JSON, &a, NULL);
        if (was)
            gwapi_status_emit(before, was, GWAPI_FORMAT_JSON, &b, NULL);
        for (size_t j = 0; j < c.n_statuses; j++)
            listed |= c.statuses[j] == o;
        ck_assert_msg(listed == (!b || strcmp(a, b) != 0), "step %d: %s %s %s", step,
                      o->kind_name, o->metadata->name, listed ? "listed, unchanged" : "changed, not listed");
        gwapi_free(a);
        gwapi_free(b);
    }
    if (!same_decisions(before_router, after_router))
        ck_assert_msg(c.n_gateways == 1, "step %d: the router changed, not listed", step);
    gwapi_changes_release(&c);
}

/* One random event, applied to live and to the world. */
static void
apply_event(struct world *w, struct rng *r, gwapi_config *live)
{
    uint32_t what = next(r, 20);
    int i = (int)next(r, N_ROUTES);

    if (what < 15) { /* a route added or modified */
        const char *type = w->routes[i] ? "MODIFIED" : "ADDED";
        char *json = route_json(w, r, i);
        bool valid = strstr(json, "\"nope\"") == NULL;
        /* A version the API server would refuse never replaces a valid one. */
        load_event_refused(live, type, json, !valid && w->routes[i]);
        if (!valid && w->routes[i] && w->valid[i]) {
            free(json);
            return;
        }
        free(w->routes[i]);
        w->routes[i] = json;
        w->valid[i] = valid;
    } else if (what < 18 && w->routes[i]) { /* deleted */
        load_event(live, "DELETED", w->routes[i]);
        free(w->routes[i]);
        w->routes[i] = NULL;
    } else if (what < 19) { /* a Service comes, changes or goes */
        int s = i % 3;
        if (w->services[s] && next(r, 2)) {
            load_event(live, "DELETED", w->services[s]);
            free(w->services[s]);
            w->services[s] = NULL;
        } else {
            free(w->services[s]);
            load_event(live, "MODIFIED", w->services[s] = service_json(w, s, 80 + next(r, 2)));
        }
    } else { /* the Gateway's listeners change */
        free(w->gateway);
        load_event(live, "MODIFIED", w->gateway = gateway_json(w, r));
    }
}

START_TEST(events_equal_a_fresh_build)
{
    struct rng r = { 0x5eed0000ull + (uint64_t)_i };
    struct world w;
    gwapi_ctx *ctx;
    gwapi_config *live;
    gwapi_router_holder *holder;

    memset(&w, 0, sizeof(w));
    ck_assert_int_eq(gwapi_ctx_new(&ctx), 0);
    ck_assert_int_eq(gwapi_config_new(&live, ctx), 0);
    ck_assert_int_eq(gwapi_router_holder_new(&holder, ctx), 0);
    w.gateway = gateway_json(&w, &r);
    load_event(live, "ADDED", gateway_class);
    load_event(live, "ADDED", w.gateway);
    gwapi_resolution *previous = NULL;
    gwapi_router *previous_router = NULL;

    for (int step = 0; step < N_STEPS; step++) {
        gwapi_resolution *res, *fresh;
        gwapi_router *router, *current;
        gwapi_config *scratch;
        /* One event per step, now and then a burst of them. */
        for (uint32_t burst = next(&r, 5) ? 1 : 1 + next(&r, 4); burst > 0; burst--)
            apply_event(&w, &r, live);
        /* The resolution updated from the last one; the first from scratch. */
        if (previous)
            ck_assert_int_eq(gwapi_resolution_update(&res, previous, live, NULL), 0);
        else
            ck_assert_int_eq(gwapi_resolve(&res, live, NULL, NULL), 0);
        /* The router likewise, from the one published. */
        if (previous_router)
            ck_assert_int_eq(gwapi_router_update(&router, previous_router, res, NULL), 0);
        else
            ck_assert_int_eq(gwapi_router_new(&router, res, "n/gw", NULL), 0);
        gwapi_router_holder_publish(holder, router);
        gwapi_router_unref(router);
        current = gwapi_router_holder_acquire(holder);
        fresh = from_scratch(&w, ctx, &scratch);
        assert_same(res, current, fresh, scratch, step);
        if (previous)
            assert_changes_cover(previous, previous_router, res, current, step);
        gwapi_resolution_unref(fresh);
        gwapi_config_unref(scratch);
        gwapi_resolution_unref(previous);
        gwapi_router_unref(previous_router);
        previous = res;
        previous_router = current;
    }
    gwapi_resolution_unref(previous);
    gwapi_router_unref(previous_router);
    for (int i = 0; i < N_ROUTES; i++)
        free(w.routes[i]);
    for (int i = 0; i < 3; i++)
        free(w.services[i]);
    free(w.gateway);
    gwapi_router_holder_free(holder);
    gwapi_config_unref(live);
    gwapi_ctx_unref(ctx);
}
END_TEST

Suite *
suite_live(void)
{
    Suite *s = suite_create("live");
    TCase *tc = tcase_create("live");
    tcase_add_loop_test(tc, events_equal_a_fresh_build, 0, 20);
    suite_add_tcase(s, tc);
    return s;
}
