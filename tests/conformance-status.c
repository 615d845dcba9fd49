/* Checks every status assertion of the conformance vectors (tests/data/conformance, FORMAT.md
 * section 1.4), including those of the steps that change objects, against the library's
 * resolution. Prints passed/total per vector group; exits non-zero when an assertion fails that
 * is not listed in EXPECTED-FAILURES (each listed one is an implementation choice, documented
 * in doc/status.md), or when a listed one passes.
 *
 *   conformance-status DATA_DIR [VECTOR]   (VECTOR: only that one, with details) */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gatewayapi.h>

/* The features the library implements, for the vectors' skip_if / run_only_if lists. */
static const char *const supported_features[] = {
    "Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute", "ReferenceGrant",
    "ListenerSet", "BackendTLSPolicy", "GatewayPort8080", "GatewayHTTPListenerIsolation",
    "GatewayInfrastructurePropagation", "GatewayAddressEmpty", "GatewayStaticAddresses",
    "GatewayFrontendClientCertificateValidation",
    "GatewayFrontendClientCertificateValidationInsecureFallback",
    "GatewayBackendClientCertificate", "HTTPRouteBackendProtocolH2C",
    "HTTPRouteBackendProtocolWebSocket", "HTTPRouteBackendRequestHeaderModification",
    "HTTPRouteBackendTimeout", "HTTPRouteCORS", "HTTPRouteDestinationPortMatching",
    "HTTPRouteHostRewrite", "HTTPRouteMethodMatching", "HTTPRouteNamedRouteRule",
    "HTTPRouteParentRefPort", "HTTPRoutePathRedirect", "HTTPRoutePathRewrite",
    "HTTPRoutePortRedirect", "HTTPRouteQueryParamMatching", "HTTPRouteRequestMirror",
    "HTTPRouteRequestMultipleMirrors", "HTTPRouteRequestPercentageMirror", "HTTPRouteRequestTimeout",
    "HTTPRouteResponseHeaderModification", "HTTPRouteSchemeRedirect", "HTTPRoute303RedirectStatusCode",
    "HTTPRoute307RedirectStatusCode", "HTTPRoute308RedirectStatusCode", "HTTPRouteRetry",
    "HTTPRouteRetryBackendTimeout", "HTTPRouteRetryConnectionError", "GRPCRouteNamedRouteRule",
    "TLSRouteModeTerminate", "BackendTLSPolicySANValidation", "HTTPRouteBackendRequestHeaderModifier",
    NULL,
};

struct tally {
    char group[64];
    int passed, total, impl_specific, expected_failures;
};

static struct tally tallies[32];
static int n_tallies;
static char expected[4096][160];
static bool expected_seen[4096];
static int n_expected;
static int unexpected;
static const char *only;

static bool
feature_supported(const char *f)
{
    for (const char *const *s = supported_features; *s; s++)
        if (strcmp(*s, f) == 0)
            return true;
    return false;
}

static struct tally *
tally_for(const char *vector)
{
    static const char *const groups[] = { "BackendTLSPolicy", "GRPCRoute", "GRPC", "GatewayClass",
                                          "Gateway", "HTTPRoute", "ListenerSet", "TCPRoute",
                                          "TLSRoute", "UDPRoute", NULL };
    const char *g = "other";
    for (const char *const *p = groups; *p; p++)
        if (strncmp(vector, *p, strlen(*p)) == 0) {
            g = strcmp(*p, "GRPC") == 0 ? "GRPCRoute" : *p;
            break;
        }
    for (int i = 0; i < n_tallies; i++)
        if (strcmp(tallies[i].group, g) == 0)
            return &tallies[i];
    snprintf(tallies[n_tallies].group, sizeof(tallies[0].group), "%s", g);
    return &tallies[n_tallies++];
}

static gwapi_kind
kind_of(const char *name)
{
    for (int k = 1; k <= 14; k++)
        if (strcmp(gwapi_kind_name((gwapi_kind)k), name) == 0)
            return (gwapi_kind)k;
    return GWAPI_KIND_UNKNOWN;
}

static const gwapi_object *
find_object(gwapi_config *cfg, const char *kind, const char *id)
{
    const char *slash = strchr(id, '/');
    char ns[256] = "";
    if (slash) {
        snprintf(ns, sizeof(ns), "%.*s", (int)(slash - id), id);
        return gwapi_config_find(cfg, kind_of(kind), GWAPI_DIALECT_V1, ns, slash + 1);
    }
    return gwapi_config_find(cfg, kind_of(kind), GWAPI_DIALECT_V1, NULL, id);
}

/* conditions {"Type": [status, reason|null]} all present, at the object's generation. */
static bool
conditions_hold(const cJSON *want, const gwapi_condition *const *conds, size_t n, int64_t gen,
                char *why, size_t why_size)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, want) {
        const cJSON *want_status = cJSON_GetArrayItem(c, 0);
        const char *status = cJSON_IsString(want_status) ? want_status->valuestring : NULL;
        const cJSON *reason = cJSON_GetArrayItem(c, 1);
        bool found = false;
        for (size_t i = 0; i < n && !found; i++) {
            if (strcmp(conds[i]->type, c->string) != 0)
                continue;
            found = true;
            if ((status && strcmp(conds[i]->status, status) != 0) ||
                (cJSON_IsString(reason) && strcmp(conds[i]->reason, reason->valuestring) != 0) ||
                conds[i]->observed_generation != gen) {
                snprintf(why, why_size, "%s is %s/%s (gen %lld), want %s/%s (gen %lld)", c->string,
                         conds[i]->status, conds[i]->reason, (long long)conds[i]->observed_generation,
                         status ? status : "*", cJSON_IsString(reason) ? reason->valuestring : "*",
                         (long long)gen);
                return false;
            }
        }
        if (!found) {
            snprintf(why, why_size, "no %s condition", c->string);
            return false;
        }
    }
    return true;
}

static int64_t
generation(const gwapi_object *o)
{
    return o->metadata->generation > 0 ? o->metadata->generation : 1;
}

static bool
check_listeners(const cJSON *a, const gwapi_status *st, int64_t gen, char *why, size_t n)
{
    const cJSON *want = cJSON_GetObjectItem(a, "listeners"), *l;
    bool exact = cJSON_IsTrue(cJSON_GetObjectItem(a, "listeners_exact"));

    if (exact && (size_t)cJSON_GetArraySize(want) != st->n_listeners) {
        snprintf(why, n, "%zu listeners, want %d", st->n_listeners, cJSON_GetArraySize(want));
        return false;
    }
    cJSON_ArrayForEach(l, want) {
        const gwapi_listener_status *ls = NULL;
        const cJSON *attached = cJSON_GetObjectItem(l, "attachedRoutes");
        const cJSON *kinds = cJSON_GetObjectItem(l, "supportedKinds"), *k;
        for (size_t i = 0; i < st->n_listeners; i++)
            if (st->listeners[i]->name && strcmp(st->listeners[i]->name, l->string) == 0)
                ls = st->listeners[i];
        if (!ls) {
            snprintf(why, n, "no listener %s", l->string);
            return false;
        }
        if (cJSON_IsNumber(attached) && ls->attached_routes != (int64_t)attached->valuedouble) {
            snprintf(why, n, "listener %s: attachedRoutes %lld, want %d", l->string,
                     (long long)ls->attached_routes, attached->valueint);
            return false;
        }
        if (cJSON_IsArray(kinds)) {
            if (cJSON_GetArraySize(kinds) == 0 && ls->n_supported_kinds) {
                snprintf(why, n, "listener %s: supportedKinds should be empty", l->string);
                return false;
            }
            cJSON_ArrayForEach(k, kinds) {
                bool found = false;
                for (size_t i = 0; i < ls->n_supported_kinds && !found; i++) {
                    char gk[256];
                    snprintf(gk, sizeof(gk), "%s/%s", ls->supported_kinds[i]->group,
                             ls->supported_kinds[i]->kind);
                    found = strcmp(gk, k->valuestring) == 0;
                }
                if (!found) {
                    snprintf(why, n, "listener %s: no supported kind %s", l->string, k->valuestring);
                    return false;
                }
            }
        }
        if (cJSON_GetObjectItem(l, "conditions") &&
            !conditions_hold(cJSON_GetObjectItem(l, "conditions"), ls->conditions,
                             ls->n_conditions, gen, why, n)) {
            char tmp[400];
            snprintf(tmp, sizeof(tmp), "listener %s: %s", l->string, why);
            snprintf(why, n, "%s", tmp);
            return false;
        }
    }
    return true;
}

/* One assertion; returns true when it holds. */
static bool
check_assertion(const cJSON *a, gwapi_config *cfg, const gwapi_resolution *res, char *why,
                size_t n)
{
    const char *kind = cJSON_GetObjectItem(a, "kind")->valuestring;
    const char *name = cJSON_GetObjectItem(a, "name")->valuestring;
    const gwapi_object *o = find_object(cfg, kind, name);
    const gwapi_status *st = o ? gwapi_resolution_status(res, o) : NULL;
    const cJSON *x;
    int64_t gen;

    why[0] = '\0';
    if (!o) {
        snprintf(why, n, "no %s %s in the manifests", kind, name);
        return false;
    }
    if (!st) {
        snprintf(why, n, "%s %s has no status", kind, name);
        return false;
    }
    gen = generation(o);
    if ((x = cJSON_GetObjectItem(a, "parent"))) {
        const cJSON *pk = cJSON_GetObjectItem(a, "parent_kind");
        const gwapi_object *parent = find_object(cfg, pk ? pk->valuestring : "Gateway",
                                                 x->valuestring);
        const gwapi_parent_status *ps = NULL;
        for (size_t i = 0; i < st->n_parents && !ps; i++)
            if (st->parents[i]->parent == parent && parent)
                ps = st->parents[i];
        if (!ps) {
            snprintf(why, n, "no parent entry for %s", x->valuestring);
            return false;
        }
        if (strcmp(ps->kind, pk ? pk->valuestring : "Gateway") != 0 || !ps->group) {
            snprintf(why, n, "parentRef lacks an explicit group/kind");
            return false;
        }
        if ((x = cJSON_GetObjectItem(a, "conditions")) &&
            !conditions_hold(x, ps->conditions, ps->n_conditions, gen, why, n))
            return false;
        return true;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItem(a, "no_accepted_parents"))) {
        if (st->n_parents == 0)
            return true;
        if (st->n_parents == 1)
            for (size_t i = 0; i < st->parents[0]->n_conditions; i++)
                if (!strcmp(st->parents[0]->conditions[i]->type, "Accepted") &&
                    !strcmp(st->parents[0]->conditions[i]->status, "False"))
                    return true;
        snprintf(why, n, "%zu parents, some accepted", st->n_parents);
        return false;
    }
    if ((x = cJSON_GetObjectItem(a, "conditions")) &&
        !conditions_hold(x, st->conditions, st->n_conditions, gen, why, n))
        return false;
    if ((x = cJSON_GetObjectItem(a, "all_listeners"))) {
        for (size_t i = 0; i < st->n_listeners; i++)
            if (!conditions_hold(cJSON_GetObjectItem(x, "conditions"), st->listeners[i]->conditions,
                                 st->listeners[i]->n_conditions, gen, why, n))
                return false;
    }
    if (cJSON_GetObjectItem(a, "listeners") && !check_listeners(a, st, gen, why, n))
        return false;
    if (cJSON_IsTrue(cJSON_GetObjectItem(a, "zero_routes")) &&
        !(st->n_listeners == 0 || (st->n_listeners == 1 && st->listeners[0]->attached_routes == 0))) {
        snprintf(why, n, "routes are attached");
        return false;
    }
    if ((x = cJSON_GetObjectItem(a, "attachedListenerSets")) &&
        st->attached_listener_sets != (int64_t)x->valuedouble) {
        snprintf(why, n, "attachedListenerSets %lld, want %d", (long long)st->attached_listener_sets,
                 x->valueint);
        return false;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItem(a, "observed_generation_current"))) {
        for (size_t i = 0; i < st->n_conditions; i++)
            if (st->conditions[i]->observed_generation != gen) {
                snprintf(why, n, "condition %s is at an old generation", st->conditions[i]->type);
                return false;
            }
        for (size_t p = 0; p < st->n_parents; p++)
            for (size_t i = 0; i < st->parents[p]->n_conditions; i++)
                if (st->parents[p]->conditions[i]->observed_generation != gen) {
                    snprintf(why, n, "parent condition at an old generation");
                    return false;
                }
    }
    if (cJSON_GetObjectItem(a, "has_address") || cJSON_GetObjectItem(a, "status_addresses") ||
        cJSON_GetObjectItem(a, "infrastructure_propagated")) {
        snprintf(why, n, "addresses are assigned by a data plane");
        return false;
    }
    return true;
}

static bool
is_expected(const char *key)
{
    for (int i = 0; i < n_expected; i++)
        if (strcmp(expected[i], key) == 0) {
            expected_seen[i] = true;
            return true;
        }
    return false;
}

static void
check_all(const char *vector, const char *stage, const cJSON *assertions, gwapi_config *cfg,
          const gwapi_resolution *res, bool step_impl)
{
    struct tally *t = tally_for(vector);
    int index = 0;
    const cJSON *a;

    cJSON_ArrayForEach(a, assertions) {
        char why[512], key[160];
        bool impl = step_impl || cJSON_IsTrue(cJSON_GetObjectItem(a, "implementation_specific"));
        bool ok = check_assertion(a, cfg, res, why, sizeof(why));
        snprintf(key, sizeof(key), "%s/%s#%d", vector, stage, index++);
        t->total++;
        if (ok) {
            t->passed++;
            continue;
        }
        if (impl) {
            t->impl_specific++;
        } else if (is_expected(key)) {
            t->expected_failures++;
        } else {
            unexpected++;
            printf("FAIL %s: %s %s: %s\n", key, cJSON_GetObjectItem(a, "kind")->valuestring,
                   cJSON_GetObjectItem(a, "name")->valuestring, why);
        }
        if (only)
            printf("  %s %s: %s\n", key, cJSON_GetObjectItem(a, "kind")->valuestring, why);
    }
}

static bool
applies(const cJSON *v)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(v, "skip_if_features"))
        if (feature_supported(f->valuestring))
            return false;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(v, "run_only_if_features"))
        if (!feature_supported(f->valuestring))
            return false;
    return true;
}

/* The suite replaces these placeholders with addresses the implementation can and cannot use
 * (its --usable-network-addresses and --unusable-network-addresses flags); as written they are
 * not IP addresses, and the API server would refuse the Gateway. */
static char *
substitute_addresses(const char *text)
{
    static const struct { const char *from, *to; } subs[] = {
        { "PLACEHOLDER_USABLE_ADDRS", "192.0.2.10" },
        { "PLACEHOLDER_UNUSABLE_ADDRS", "198.51.100.10" },
    };
    char *out = strdup(text);

    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        char *at;
        while ((at = strstr(out, subs[i].from))) {
            size_t from = strlen(subs[i].from), to = strlen(subs[i].to);
            memcpy(at, subs[i].to, to);
            memmove(at + to, at + from, strlen(at + from) + 1);
        }
    }
    return out;
}

static void
load_text(gwapi_config *cfg, const char *text, const char *name)
{
    char *substituted = substitute_addresses(text);
    gwapi_config_load_buffer(cfg, substituted, strlen(substituted), name, NULL, NULL);
    free(substituted);
}

static void
run_vector(const char *path, const char *name)
{
    char *text;
    long size;
    FILE *fp = fopen(path, "rb");
    cJSON *v, *step;
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_resolution *res = NULL;
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    int index = 0;
    const char *manifests;

    if (!fp)
        return;
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, fp) != (size_t)size) {
        fclose(fp);
        free(text);
        return;
    }
    text[size] = '\0';
    fclose(fp);
    v = cJSON_Parse(text);
    free(text);
    if (!v || !applies(v)) {
        cJSON_Delete(v);
        return;
    }
    options.controller_name = "example.com/gateway-conformance-controller";
    gwapi_ctx_new(&ctx);
    gwapi_config_new(&cfg, ctx);
    manifests = cJSON_GetObjectItem(v, "manifests")->valuestring;
    load_text(cfg, manifests, name);
    gwapi_resolve(&res, cfg, &options, NULL);
    check_all(name, "status", cJSON_GetObjectItem(v, "status"), cfg, res, false);
    cJSON_ArrayForEach(step, cJSON_GetObjectItem(v, "steps")) {
        const cJSON *apply = cJSON_GetObjectItem(step, "apply"), *del;
        char stage[32];
        gwapi_resolution_unref(res);
        res = NULL;
        if (cJSON_IsString(apply))
            load_text(cfg, apply->valuestring, name);
        cJSON_ArrayForEach(del, cJSON_GetObjectItem(step, "delete")) {
            const gwapi_object *o = find_object(cfg, cJSON_GetObjectItem(del, "kind")->valuestring,
                                                cJSON_GetObjectItem(del, "name")->valuestring);
            if (o)
                gwapi_config_remove(cfg, o->kind, o->dialect, o->metadata->namespace_,
                                    o->metadata->name);
        }
        gwapi_resolve(&res, cfg, &options, NULL);
        snprintf(stage, sizeof(stage), "step%d", index++);
        check_all(name, stage, cJSON_GetObjectItem(step, "status"), cfg, res,
                  cJSON_IsTrue(cJSON_GetObjectItem(step, "implementation_specific")));
    }
    gwapi_resolution_unref(res);
    gwapi_config_unref(cfg);
    gwapi_ctx_unref(ctx);
    cJSON_Delete(v);
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    char dir[1024], path[2048], line[256];
    DIR *d;
    struct dirent *e;
    char *names[512];
    int n = 0, total = 0, passed = 0, impl = 0, exp = 0;
    FILE *fp;

    if (argc < 2) {
        fprintf(stderr, "usage: conformance-status DATA_DIR [VECTOR]\n");
        return 2;
    }
    only = argc > 2 ? argv[2] : NULL;
    snprintf(path, sizeof(path), "%s/conformance/EXPECTED-FAILURES", argv[1]);
    fp = fopen(path, "r");
    while (fp && n_expected < 4096 && fgets(line, sizeof(line), fp)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        sscanf(line, "%159s", expected[n_expected++]);
    }
    if (fp)
        fclose(fp);
    snprintf(dir, sizeof(dir), "%s/conformance/vectors", argv[1]);
    d = opendir(dir);
    if (!d)
        return 2;
    while ((e = readdir(d)) && n < 512)
        if (strstr(e->d_name, ".json"))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof(*names), by_name);
    for (int i = 0; i < n; i++) {
        char vector[256];
        snprintf(vector, sizeof(vector), "%.*s", (int)(strlen(names[i]) - 5), names[i]);
        if (!only || strcmp(only, vector) == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
            run_vector(path, vector);
        }
        free(names[i]);
    }
    printf("%-18s %7s %7s %10s %9s\n", "vector group", "passed", "total", "impl-spec", "expected");
    for (int i = 0; i < n_tallies; i++) {
        printf("%-18s %7d %7d %10d %9d\n", tallies[i].group, tallies[i].passed, tallies[i].total,
               tallies[i].impl_specific, tallies[i].expected_failures);
        total += tallies[i].total;
        passed += tallies[i].passed;
        impl += tallies[i].impl_specific;
        exp += tallies[i].expected_failures;
    }
    printf("%-18s %7d %7d %10d %9d\n", "all", passed, total, impl, exp);
    for (int i = 0; i < n_expected && !only; i++)
        if (!expected_seen[i]) {
            printf("STALE expected failure (now passes or gone): %s\n", expected[i]);
            unexpected++;
        }
    printf("%d unexpected\n", unexpected);
    return unexpected ? 1 : 0;
}
