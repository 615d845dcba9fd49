/* gwapi test: route tests. Each test is a request (gwapi route's request shape) and what the
 * decision must be; the report gives each failure with the difference, and the coverage of
 * the rules, matches and backends of the routes attached to the Gateways tested. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "cli.h"

enum format { TEXT, JSON, JUNIT, TAP };

/* One item coverage counts: a rule, a match of a rule, or a backend of a rule. */
struct item {
    char *route;                     /* "ns/name" */
    const char *kind;
    size_t rule;
    long match;                      /* -1: not a match */
    char *backend;                   /* "ns/name:port", or NULL: not a backend */
    bool hit;
};

struct coverage {
    struct item *items;
    size_t n, cap;
};

struct failure {
    char *field, *expected, *got;
};

struct result {
    char *name;
    struct failure *failures;
    size_t n_failures;
    char *error;                     /* the test could not run */
};

static char *
text_of(const cJSON *v)
{
    char *t;
    if (!v)
        return strdup("(absent)");
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    t = cJSON_PrintUnformatted(v);
    return t ? t : strdup("?");
}

static void
add_failure(struct result *r, const char *field, const cJSON *expected, const cJSON *got)
{
    struct failure *grown = realloc(r->failures, (r->n_failures + 1) * sizeof(*grown));
    if (!grown)
        return;
    r->failures = grown;
    grown[r->n_failures].field = strdup(field);
    grown[r->n_failures].expected = text_of(expected);
    grown[r->n_failures++].got = text_of(got);
}

static void
add_item(struct coverage *c, const char *route, const char *kind, size_t rule, long match,
         const char *backend)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct item *grown = realloc(c->items, cap * sizeof(*grown));
        if (!grown)
            return;
        c->items = grown;
        c->cap = cap;
    }
    c->items[c->n++] = (struct item){ strdup(route), kind, rule, match,
                                      backend ? strdup(backend) : NULL, false };
}

struct universe_arg {
    struct coverage *c;
    const char *route, *kind;
    size_t rule;
};

static void
add_backend_item(void *arg, const char *id, int64_t weight)
{
    struct universe_arg *u = arg;
    (void)weight;
    add_item(u->c, u->route, u->kind, u->rule, -1, id);
}

struct attached_arg {
    const char *parent;              /* "Gateway ns/name" */
    bool attached;
};

static void
note_attachment(void *arg, const char *parent, const char *listener)
{
    struct attached_arg *a = arg;
    (void)listener;
    a->attached |= strcmp(parent, a->parent) == 0;
}

/* Every rule, match and backend of the HTTP and gRPC routes (either dialect) attached to the
 * Gateway. */
static void
add_universe(struct coverage *c, const gwapi_resolution *res, const char *gateway)
{
    char parent[600];

    snprintf(parent, sizeof(parent), "Gateway %s", gateway);
    for (size_t i = 0; i < gwapi_resolution_count(res); i++) {
        const gwapi_object *o = gwapi_resolution_get(res, i)->object;
        const gwapi_explain_step *const *steps;
        struct attached_arg a = { parent, false };
        char route[600];
        size_t n;

        if ((!gwapi_object_http_route(o) && !gwapi_object_grpc_route(o) &&
             !gwapi_object_v1alpha1_http_route(o)) ||
            gwapi_resolution_explain(res, o, &steps, &n))
            continue;
        cli_attached_listeners(steps, n, note_attachment, &a);
        if (!a.attached)
            continue;
        snprintf(route, sizeof(route), "%s/%s", o->metadata->namespace_, o->metadata->name);
        for (size_t r = 0; r < cli_route_rules(o); r++) {
            size_t n_matches = cli_rule_matches(o, r);
            struct universe_arg u = { c, route, o->kind_name, r };
            add_item(c, route, o->kind_name, r, -1, NULL);
            /* A rule without matches has the one that matches everything. */
            for (size_t m = 0; m < (n_matches ? n_matches : 1); m++)
                add_item(c, route, o->kind_name, r, (long)m, NULL);
            cli_each_backend(o, r, add_backend_item, &u);
        }
    }
}

static void
mark(struct coverage *c, const char *route, size_t rule, long match, const char *backend)
{
    for (size_t i = 0; i < c->n; i++) {
        struct item *it = &c->items[i];
        if (strcmp(it->route, route) != 0 || it->rule != rule)
            continue;
        if ((it->match < 0 && !it->backend) || (match >= 0 && it->match == match) ||
            (backend && it->backend && strcmp(it->backend, backend) == 0))
            it->hit = true;
    }
}

/* The weights of the decided rule's backends (those of weight 0 never receive a request). */
struct weights {
    cJSON *map;
};

static void
add_weight(void *arg, const char *id, int64_t weight)
{
    struct weights *w = arg;
    cJSON *have = cJSON_GetObjectItemCaseSensitive(w->map, id);
    if (weight <= 0)
        return;
    if (have)
        cJSON_SetNumberValue(have, have->valuedouble + (double)weight);
    else
        cJSON_AddNumberToObject(w->map, id, (double)weight);
}

static double
total_of(const cJSON *map)
{
    double t = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, map)
        t += e->valuedouble;
    return t;
}

/* Weights compare as shares: {a: 9, b: 1} is {a: 90, b: 10}. */
static bool
same_shares(const cJSON *expected, const cJSON *got)
{
    double te = total_of(expected), tg = total_of(got);
    const cJSON *e;

    if (te <= 0 || tg <= 0 || cJSON_GetArraySize(expected) != cJSON_GetArraySize(got))
        return false;
    cJSON_ArrayForEach(e, expected) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, e->string);
        if (!cJSON_IsNumber(e) || !g || fabs(e->valuedouble * tg - g->valuedouble * te) > 1e-6)
            return false;
    }
    return true;
}

/* The value of a header in a decision's [[name, value], ...], or NULL. */
static const cJSON *
header_in(const cJSON *headers, const char *name)
{
    const cJSON *h;
    cJSON_ArrayForEach(h, headers) {
        const cJSON *n = cJSON_GetArrayItem(h, 0);
        if (cJSON_IsString(n) && strcasecmp(n->valuestring, name) == 0)
            return cJSON_GetArrayItem(h, 1);
    }
    return NULL;
}

/* Compare the decision with what the test expects; record the differences. */
static void
compare(struct result *r, const cJSON *expect, const cJSON *decision, const gwapi_object *route)
{
    static const char *const plain[] = { "status", "listener", "kind", "route", "rule", "match",
                                         "backend", "tls" };
    const cJSON *request = cJSON_GetObjectItem(decision, "request");
    const cJSON *e;

    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, plain[i]);
        const cJSON *got = cJSON_GetObjectItemCaseSensitive(decision, plain[i]);
        if (want && (cJSON_IsNull(want) ? got != NULL : !got || !cJSON_Compare(want, got, true)))
            add_failure(r, plain[i], want, got);
    }
    if ((e = cJSON_GetObjectItem(expect, "path")) &&
        !cJSON_Compare(e, cJSON_GetObjectItem(request, "path"), true))
        add_failure(r, "path", e, cJSON_GetObjectItem(request, "path"));
    if ((e = cJSON_GetObjectItem(expect, "host")) &&
        !cJSON_Compare(e, cJSON_GetObjectItem(request, "host"), true))
        add_failure(r, "host", e, cJSON_GetObjectItem(request, "host"));
    if ((e = cJSON_GetObjectItem(expect, "location"))) {
        const cJSON *got = cJSON_GetObjectItem(cJSON_GetObjectItem(decision, "redirect"),
                                               "location");
        if (!cJSON_Compare(e, got, true))
            add_failure(r, "location", e, got);
    }
    if ((e = cJSON_GetObjectItem(expect, "headers"))) {
        const cJSON *h;
        cJSON_ArrayForEach(h, e) {
            const cJSON *got = header_in(cJSON_GetObjectItem(request, "headers"), h->string);
            char field[300];
            snprintf(field, sizeof(field), "headers.%s", h->string);
            if (!got || !cJSON_Compare(h, got, true))
                add_failure(r, field, h, got);
        }
    }
    if ((e = cJSON_GetObjectItem(expect, "headers_removed"))) {
        const cJSON *h;
        cJSON_ArrayForEach(h, e) {
            const cJSON *got = cJSON_IsString(h)
                ? header_in(cJSON_GetObjectItem(request, "headers"), h->valuestring) : NULL;
            char field[300];
            snprintf(field, sizeof(field), "headers_removed.%s",
                     cJSON_IsString(h) ? h->valuestring : "?");
            if (got) {
                cJSON *absent = cJSON_CreateString("(absent)");
                add_failure(r, field, absent, got);
                cJSON_Delete(absent);
            }
        }
    }
    if ((e = cJSON_GetObjectItem(expect, "backends"))) {
        struct weights w = { cJSON_CreateObject() };
        if (route && cJSON_IsNumber(cJSON_GetObjectItem(decision, "rule")))
            cli_each_backend(route, (size_t)cJSON_GetObjectItem(decision, "rule")->valuedouble,
                         add_weight, &w);
        if (!cJSON_IsObject(e) || !same_shares(e, w.map))
            add_failure(r, "backends", e, w.map);
        cJSON_Delete(w.map);
    }
}

/* The route object a decision names, from the configuration. */
static const gwapi_object *
route_of(const gwapi_config *cfg, const cJSON *decision)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(decision, "route"));
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(decision, "kind"));
    const char *slash = id ? strchr(id, '/') : NULL;
    char ns[256];

    if (!slash || !kind || (size_t)(slash - id) >= sizeof(ns))
        return NULL;
    memcpy(ns, id, (size_t)(slash - id));
    ns[slash - id] = '\0';
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        const gwapi_object *o = gwapi_config_get(cfg, i);
        if (o->kind_name && strcmp(o->kind_name, kind) == 0 && o->metadata &&
            o->metadata->namespace_ && strcmp(o->metadata->namespace_, ns) == 0 &&
            o->metadata->name && strcmp(o->metadata->name, slash + 1) == 0)
            return o;
    }
    return NULL;
}

struct tally {
    size_t covered[3], total[3];    /* rules, matches, backends */
};

static struct tally
count(const struct coverage *c)
{
    struct tally t = { { 0 }, { 0 } };
    for (size_t i = 0; i < c->n; i++) {
        int k = c->items[i].backend ? 2 : c->items[i].match >= 0 ? 1 : 0;
        t.total[k]++;
        t.covered[k] += c->items[i].hit;
    }
    return t;
}

static double
percent(size_t covered, size_t total)
{
    return total ? 100.0 * (double)covered / (double)total : 100.0;
}

static double
overall(const struct tally *t)
{
    return percent(t->covered[0] + t->covered[1] + t->covered[2],
                   t->total[0] + t->total[1] + t->total[2]);
}

static void
describe_item(char *out, size_t size, const struct item *it)
{
    if (it->backend)
        snprintf(out, size, "backend %s of %s %s rule %zu", it->backend, it->kind, it->route,
                 it->rule);
    else if (it->match >= 0)
        snprintf(out, size, "match %ld of %s %s rule %zu", it->match, it->kind, it->route,
                 it->rule);
    else
        snprintf(out, size, "rule %zu of %s %s", it->rule, it->kind, it->route);
}

static const char *const coverage_names[] = { "rules", "matches", "backends" };

static void
print_text(const struct result *results, size_t n, const struct coverage *c, bool quiet)
{
    struct tally t = count(c);
    size_t failed = 0;

    for (size_t i = 0; i < n; i++) {
        const struct result *r = &results[i];
        if (!r->error && !r->n_failures)
            continue;
        failed++;
        if (quiet)
            continue;
        printf("FAIL %s\n", r->name);
        if (r->error)
            printf("  %s\n", r->error);
        for (size_t k = 0; k < r->n_failures; k++)
            printf("  %s: expected %s, got %s\n", r->failures[k].field, r->failures[k].expected,
                   r->failures[k].got);
    }
    if (quiet)
        return;
    printf("%zu tests, %zu passed, %zu failed\n", n, n - failed, failed);
    printf("coverage %.1f%%:", overall(&t));
    for (int k = 0; k < 3; k++)
        printf(" %s %zu/%zu%s", coverage_names[k], t.covered[k], t.total[k], k < 2 ? "," : "\n");
    for (size_t i = 0; i < c->n; i++) {
        char what[1400];
        if (c->items[i].hit)
            continue;
        describe_item(what, sizeof(what), &c->items[i]);
        printf("  not covered: %s\n", what);
    }
}

static void
print_json(const struct result *results, size_t n, const struct coverage *c)
{
    cJSON *out = cJSON_CreateObject(), *tests = cJSON_AddArrayToObject(out, "tests");
    cJSON *cov, *uncovered;
    struct tally t = count(c);
    size_t failed = 0;
    char *text;

    for (size_t i = 0; i < n; i++) {
        const struct result *r = &results[i];
        cJSON *o = cJSON_CreateObject(), *fs;
        bool ok = !r->error && !r->n_failures;
        failed += !ok;
        cJSON_AddStringToObject(o, "name", r->name);
        cJSON_AddBoolToObject(o, "passed", ok);
        if (r->error)
            cJSON_AddStringToObject(o, "error", r->error);
        fs = cJSON_AddArrayToObject(o, "failures");
        for (size_t k = 0; k < r->n_failures; k++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "field", r->failures[k].field);
            cJSON_AddStringToObject(f, "expected", r->failures[k].expected);
            cJSON_AddStringToObject(f, "got", r->failures[k].got);
            cJSON_AddItemToArray(fs, f);
        }
        cJSON_AddItemToArray(tests, o);
    }
    {
        cJSON *s = cJSON_AddObjectToObject(out, "summary");
        cJSON_AddNumberToObject(s, "tests", (double)n);
        cJSON_AddNumberToObject(s, "passed", (double)(n - failed));
        cJSON_AddNumberToObject(s, "failed", (double)failed);
    }
    cov = cJSON_AddObjectToObject(out, "coverage");
    cJSON_AddNumberToObject(cov, "percent", round(overall(&t) * 10) / 10);
    for (int k = 0; k < 3; k++) {
        cJSON *part = cJSON_AddObjectToObject(cov, coverage_names[k]);
        cJSON_AddNumberToObject(part, "covered", (double)t.covered[k]);
        cJSON_AddNumberToObject(part, "total", (double)t.total[k]);
    }
    uncovered = cJSON_AddArrayToObject(cov, "uncovered");
    for (size_t i = 0; i < c->n; i++) {
        const struct item *it = &c->items[i];
        cJSON *o;
        if (it->hit)
            continue;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", it->kind);
        cJSON_AddStringToObject(o, "route", it->route);
        cJSON_AddNumberToObject(o, "rule", (double)it->rule);
        if (it->match >= 0)
            cJSON_AddNumberToObject(o, "match", (double)it->match);
        if (it->backend)
            cJSON_AddStringToObject(o, "backend", it->backend);
        cJSON_AddItemToArray(uncovered, o);
    }
    text = cJSON_Print(out);
    if (text)
        printf("%s\n", text);
    free(text);
    cJSON_Delete(out);
}

static void
print_junit(const struct result *results, size_t n, const struct coverage *c, const char *file)
{
    struct tally t = count(c);
    size_t failed = 0;

    for (size_t i = 0; i < n; i++)
        failed += results[i].error || results[i].n_failures;
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"");
    cli_print_xml_text(stdout, file);
    printf("\" tests=\"%zu\" failures=\"%zu\">\n", n, failed);
    printf("<properties><property name=\"coverage\" value=\"%.1f\"/></properties>\n",
           overall(&t));
    for (size_t i = 0; i < n; i++) {
        const struct result *r = &results[i];
        printf("<testcase name=\"");
        cli_print_xml_text(stdout, r->name);
        printf("\" classname=\"");
        cli_print_xml_text(stdout, file);
        printf("\"");
        if (!r->error && !r->n_failures) {
            printf("/>\n");
            continue;
        }
        printf("><failure message=\"");
        cli_print_xml_text(stdout, r->error ? r->error : r->failures[0].field);
        printf("\">");
        if (r->error)
            cli_print_xml_text(stdout, r->error);
        for (size_t k = 0; k < r->n_failures; k++) {
            char line[2048];
            snprintf(line, sizeof(line), "%s: expected %s, got %s\n", r->failures[k].field,
                     r->failures[k].expected, r->failures[k].got);
            cli_print_xml_text(stdout, line);
        }
        printf("</failure></testcase>\n");
    }
    printf("</testsuite>\n</testsuites>\n");
}

static void
print_tap(const struct result *results, size_t n, const struct coverage *c)
{
    struct tally t = count(c);

    printf("TAP version 13\n1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const struct result *r = &results[i];
        printf("%s %zu - ", r->error || r->n_failures ? "not ok" : "ok", i + 1);
        cli_print_tap_text(stdout, r->name);
        printf("\n");
        if (r->error) {
            printf("  # ");
            cli_print_tap_text(stdout, r->error);
            printf("\n");
        }
        for (size_t k = 0; k < r->n_failures; k++) {
            char line[2048];
            snprintf(line, sizeof(line), "%s: expected %s, got %s", r->failures[k].field,
                     r->failures[k].expected, r->failures[k].got);
            printf("  # ");
            cli_print_tap_text(stdout, line);
            printf("\n");
        }
    }
    printf("# coverage %.1f%%\n", overall(&t));
}

static void
release(struct result *results, size_t n, struct coverage *c)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < results[i].n_failures; k++) {
            free(results[i].failures[k].field);
            free(results[i].failures[k].expected);
            free(results[i].failures[k].got);
        }
        free(results[i].failures);
        free(results[i].name);
        free(results[i].error);
    }
    free(results);
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].route);
        free(c->items[i].backend);
    }
    free(c->items);
}

/* The Gateways the tests use (the default one and any a request names), each once. */
static bool
listed(char **gateways, size_t n, const char *g)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(gateways[i], g) == 0)
            return true;
    return false;
}

int
cmd_test(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    enum format format = TEXT;
    struct cli_input in = { 0 };
    struct cli_routers rs = { 0 };
    struct coverage c = { 0 };
    struct result *results = NULL;
    cJSON *doc, *tests, *t;
    const char *gateway = NULL, *file;
    char error[1024], **gateways = NULL;
    double fail_under = -1;
    size_t n = 0, n_gateways = 0, failed = 0;
    uint64_t seed = 1;
    bool quiet = false;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("test"))) != -1) {
        switch (opt) {
        case CLI_OPT_GATEWAY: gateway = optarg; break;
        case CLI_OPT_CONTROLLER: options.controller_name = optarg; break;
        case CLI_OPT_INCLUDE_INVALID: options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case CLI_OPT_QUIET: quiet = true; break;
        case CLI_OPT_FAIL_UNDER: {
            char *end;
            fail_under = strtod(optarg, &end);
            if (!*optarg || *end || !(fail_under >= 0 && fail_under <= 100)) {
                fprintf(stderr, "gwapi: --fail-under needs a percentage from 0 to 100, not "
                        "\"%s\"\n", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        }
        case CLI_OPT_OUTPUT:
            if (strcmp(optarg, "text") == 0) format = TEXT;
            else if (strcmp(optarg, "json") == 0) format = JSON;
            else if (strcmp(optarg, "junit") == 0) format = JUNIT;
            else if (strcmp(optarg, "tap") == 0) format = TAP;
            else {
                fprintf(stderr, "gwapi: unknown output format \"%s\" (text, json, junit, tap)\n",
                        optarg);
                return EXIT_UNUSABLE;
            }
            break;
        case CLI_OPT_HELP: cli_help(stdout, "test"); return EXIT_OK;
        default: cli_help(stderr, "test"); return EXIT_UNUSABLE;
        }
    }
    if (optind >= argc || optind + 1 >= argc) {
        fprintf(stderr, "gwapi test: give a test file and the manifests\n");
        cli_help(stderr, "test");
        return EXIT_UNUSABLE;
    }
    file = argv[optind];
    doc = cli_read_document(file, error, sizeof(error));
    if (!doc) {
        fprintf(stderr, "gwapi test: %s\n", error);
        return EXIT_UNUSABLE;
    }
    tests = cJSON_GetObjectItem(doc, "tests");
    if (!cJSON_IsArray(tests)) {
        fprintf(stderr, "gwapi test: %s: no \"tests\" list\n", file);
        cJSON_Delete(doc);
        return EXIT_UNUSABLE;
    }
    if (!gateway)
        gateway = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "gateway"));
    rc = cli_load(&in, argv + optind + 1, argc - optind - 1, 0);
    if (rc) {
        cJSON_Delete(doc);
        return rc;
    }
    rs.cfg = in.cfg;
    rs.options = options;
    if (cli_resolve(&in, &options, &rs.res)) {
        fprintf(stderr, "gwapi test: the configuration could not be resolved\n");
        rc = EXIT_UNUSABLE;
        goto out;
    }
    results = calloc((size_t)cJSON_GetArraySize(tests) + 1, sizeof(*results));
    gateways = calloc((size_t)cJSON_GetArraySize(tests) + 2, sizeof(*gateways));
    if (!results || !gateways) {
        fprintf(stderr, "gwapi test: out of memory\n");
        rc = EXIT_UNUSABLE;
        goto out;
    }
    cJSON_ArrayForEach(t, tests) {
        struct result *r = &results[n++];
        const cJSON *request = cJSON_GetObjectItem(t, "request");
        const cJSON *expect = cJSON_GetObjectItem(t, "expect");
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(t, "name"));
        const char *g = cJSON_GetStringValue(cJSON_GetObjectItem(request, "gateway"));
        cJSON *decision, *nothing = NULL;
        char label[64];

        snprintf(label, sizeof(label), "test %zu", n);
        r->name = strdup(name ? name : label);
        if (!cJSON_IsObject(expect)) {
            r->error = strdup("no \"expect\" object");
            continue;
        }
        if (!g)
            g = gateway;
        if (g && !listed(gateways, n_gateways, g))
            gateways[n_gateways++] = strdup(g);
        if (!request)
            request = nothing = cJSON_CreateObject(); /* GET / with no Host */
        decision = cli_decide(&rs, gateway, request, &seed, error, sizeof(error));
        cJSON_Delete(nothing);
        if (!decision) {
            r->error = strdup(error);
            continue;
        }
        compare(r, expect, decision, route_of(in.cfg, decision));
        if (cJSON_GetObjectItem(decision, "route")) {
            const char *route = cJSON_GetStringValue(cJSON_GetObjectItem(decision, "route"));
            size_t rule = (size_t)cJSON_GetObjectItem(decision, "rule")->valuedouble;
            long match = (long)cJSON_GetObjectItem(decision, "match")->valuedouble;
            const char *backend = cJSON_GetStringValue(cJSON_GetObjectItem(decision, "backend"));
            /* The coverage of the Gateway's routes is filled in below; a hit is kept by id. */
            add_item(&c, route, "", rule, match, NULL);
            c.items[c.n - 1].hit = true;
            if (backend) {
                add_item(&c, route, "", rule, -1, backend);
                c.items[c.n - 1].hit = true;
            }
            if (cJSON_GetObjectItem(expect, "backends") && !r->n_failures) {
                const cJSON *b;
                cJSON_ArrayForEach(b, cJSON_GetObjectItem(expect, "backends")) {
                    add_item(&c, route, "", rule, -1, b->string);
                    c.items[c.n - 1].hit = true;
                }
            }
        }
        cJSON_Delete(decision);
    }
    /* The universe: what the Gateways' routes hold; the hits recorded above mark it. */
    {
        struct coverage hits = c, all = { 0 };
        for (size_t i = 0; i < n_gateways; i++)
            add_universe(&all, rs.res, gateways[i]);
        for (size_t i = 0; i < hits.n; i++)
            mark(&all, hits.items[i].route, hits.items[i].rule,
                 hits.items[i].backend ? -1 : hits.items[i].match, hits.items[i].backend);
        for (size_t i = 0; i < hits.n; i++) {
            free(hits.items[i].route);
            free(hits.items[i].backend);
        }
        free(hits.items);
        c = all;
    }
    switch (format) {
    case TEXT: print_text(results, n, &c, quiet); break;
    case JSON: print_json(results, n, &c); break;
    case JUNIT: print_junit(results, n, &c, file); break;
    case TAP: print_tap(results, n, &c); break;
    }
    for (size_t i = 0; i < n; i++)
        failed += results[i].error || results[i].n_failures;
    {
        struct tally tl = count(&c);
        if (fail_under >= 0 && overall(&tl) + 1e-9 < fail_under) {
            if (!quiet)
                fprintf(stderr, "gwapi test: coverage %.1f%% is under %.1f%%\n", overall(&tl),
                        fail_under);
            failed++;
        }
    }
    rc = failed ? EXIT_INVALID : EXIT_OK;
out:
    release(results, n, &c);
    for (size_t i = 0; i < n_gateways; i++)
        free(gateways[i]);
    free(gateways);
    cli_routers_release(&rs);
    cli_input_release(&in);
    cJSON_Delete(doc);
    return rc;
}
