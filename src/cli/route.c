/* gwapi route: route JSON-line requests through a Gateway's compiled router and print, for
 * each, one JSON line with the decision and the request as the backend receives it. The
 * shapes are a contract (doc/gwapi.md). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_HEADERS 128

struct routers {
    gwapi_resolution *res;
    struct {
        char *gateway;
        gwapi_router *router;
    } items[16];
    size_t n;
};

static gwapi_router *
router_for(struct routers *rs, const char *gateway, int *err)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->items[i].gateway, gateway) == 0)
            return rs->items[i].router;
    if (rs->n == sizeof(rs->items) / sizeof(rs->items[0])) {
        *err = GWAPI_ELIMIT;
        return NULL;
    }
    *err = gwapi_router_new(&rs->items[rs->n].router, rs->res, gateway, NULL);
    if (*err)
        return NULL;
    rs->items[rs->n].gateway = strdup(gateway);
    return rs->items[rs->n++].router;
}

/* Headers as {name: value} or [[name, value], ...]. */
static size_t
read_headers(const cJSON *j, gwapi_http_header *out, size_t cap)
{
    const cJSON *h;
    size_t n = 0;

    cJSON_ArrayForEach(h, j) {
        if (n == cap)
            break;
        if (cJSON_IsArray(h) && cJSON_GetArraySize(h) == 2 &&
            cJSON_IsString(cJSON_GetArrayItem(h, 0)) && cJSON_IsString(cJSON_GetArrayItem(h, 1))) {
            out[n].name = cJSON_GetArrayItem(h, 0)->valuestring;
            out[n++].value = cJSON_GetArrayItem(h, 1)->valuestring;
        } else if (h->string && cJSON_IsString(h)) {
            out[n].name = h->string;
            out[n++].value = h->valuestring;
        }
    }
    return n;
}

static void
add_header_array(cJSON *obj, const char *key, const gwapi_http_header *h, size_t n)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, key);
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(h[i].name));
        cJSON_AddItemToArray(pair, cJSON_CreateString(h[i].value));
        cJSON_AddItemToArray(arr, pair);
    }
}

static void
add_mirrors(cJSON *out, const gwapi_decision *d)
{
    const gwapi_filter *const *lists[2] = { d->filters, d->backend_filters };
    size_t counts[2] = { d->n_filters, d->n_backend_filters };
    cJSON *arr = NULL;

    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            const gwapi_request_mirror *m = lists[l][i]->request_mirror;
            char buf[600];
            if (!m || !m->backend_ref)
                continue;
            if (!arr)
                arr = cJSON_AddArrayToObject(out, "mirrors");
            snprintf(buf, sizeof(buf), "%s/%s:%lld",
                     m->backend_ref->namespace_ ? m->backend_ref->namespace_
                                                : d->route->metadata->namespace_,
                     m->backend_ref->name, (long long)m->backend_ref->port);
            cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
        }
    }
}

static gwapi_protocol
protocol_of(const char *p)
{
    if (!p)
        return GWAPI_PROTOCOL_HTTP;
    if (!strcasecmp(p, "grpc"))
        return GWAPI_PROTOCOL_GRPC;
    if (!strcasecmp(p, "tls"))
        return GWAPI_PROTOCOL_TLS;
    if (!strcasecmp(p, "tcp"))
        return GWAPI_PROTOCOL_TCP;
    if (!strcasecmp(p, "udp"))
        return GWAPI_PROTOCOL_UDP;
    return GWAPI_PROTOCOL_HTTP;
}

static const char *
str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A reproducible draw for requests without "random": splitmix64 from the seed. */
static uint32_t
next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static void
route_line(struct routers *rs, const char *default_gateway, const char *line, uint64_t *seed)
{
    cJSON *in = cJSON_Parse(line), *out = cJSON_CreateObject(), *j;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_http_header headers[MAX_HEADERS], resp[MAX_HEADERS];
    const char *gateway, *scheme;
    gwapi_router *router;
    char *text;
    int err = 0;

    if (!in || !cJSON_IsObject(in)) {
        cJSON_AddStringToObject(out, "error", "not a JSON object");
        goto print;
    }
    gateway = str(in, "gateway") ? str(in, "gateway") : default_gateway;
    if (!gateway) {
        cJSON_AddStringToObject(out, "error", "no gateway: give --gateway or \"gateway\"");
        goto print;
    }
    router = router_for(rs, gateway, &err);
    if (!router) {
        cJSON_AddStringToObject(out, "error", err == GWAPI_ENOTFOUND ? "no such Gateway"
                                                                      : gwapi_strerror(err));
        goto print;
    }
    req.protocol = protocol_of(str(in, "protocol"));
    req.host = str(in, "host");
    req.sni = str(in, "sni");
    req.method = str(in, "method");
    req.path = str(in, "path");
    req.query = str(in, "query");
    if ((j = cJSON_GetObjectItem(in, "port")) && cJSON_IsNumber(j))
        req.port = (unsigned)j->valuedouble;
    req.n_headers = read_headers(cJSON_GetObjectItem(in, "headers"), headers, MAX_HEADERS);
    req.headers = headers;
    if ((j = cJSON_GetObjectItem(in, "random")) && cJSON_IsNumber(j))
        req.random = (uint32_t)j->valuedouble;
    else
        req.random = next_random(seed);
    scheme = str(in, "scheme") ? str(in, "scheme") : "http";
    gwapi_router_match(router, &req, &d);

    cJSON_AddNumberToObject(out, "status", d.status);
    if (d.listener)
        cJSON_AddStringToObject(out, "listener", d.listener);
    if (d.route) {
        char buf[600];
        cJSON_AddStringToObject(out, "kind", d.route->kind_name);
        snprintf(buf, sizeof(buf), "%s/%s", d.route->metadata->namespace_, d.route->metadata->name);
        cJSON_AddStringToObject(out, "route", buf);
        cJSON_AddNumberToObject(out, "rule", (double)d.rule);
        cJSON_AddNumberToObject(out, "match", (double)d.match);
    }
    if (d.backend_name) {
        char buf[600];
        snprintf(buf, sizeof(buf), "%s/%s:%lld", d.backend_ns, d.backend_name,
                 (long long)d.backend_port);
        cJSON_AddStringToObject(out, "backend", buf);
    }
    if (d.status >= 300 && d.status < 400) {
        char location[4096];
        cJSON *r = cJSON_AddObjectToObject(out, "redirect");
        gwapi_decision_redirect(&d, &req, scheme, location, sizeof(location));
        cJSON_AddNumberToObject(r, "status", d.status);
        cJSON_AddStringToObject(r, "location", location);
    } else if (d.status == 204) {
        char values[2048];
        size_t n = 0;
        gwapi_decision_cors(&d, &req, resp, MAX_HEADERS, &n, values, sizeof(values));
        add_header_array(out, "response_headers", resp, n);
    } else if (d.status == 200 &&
               (req.protocol == GWAPI_PROTOCOL_HTTP || req.protocol == GWAPI_PROTOCOL_GRPC)) {
        char path[4096];
        const char *host = gwapi_decision_rewrite_host(&d);
        cJSON *r = cJSON_AddObjectToObject(out, "request");
        gwapi_http_header forwarded[MAX_HEADERS]; /* the request's own stay as they came, for CORS */
        size_t n = 0;
        gwapi_decision_modify_headers(&d, false, headers, req.n_headers, forwarded, MAX_HEADERS, &n);
        n = n < MAX_HEADERS ? n : MAX_HEADERS;
        gwapi_decision_rewrite_path(&d, &req, path, sizeof(path));
        cJSON_AddStringToObject(r, "host", host ? host : req.host ? req.host : "");
        cJSON_AddStringToObject(r, "path", path);
        if (req.query)
            cJSON_AddStringToObject(r, "query", req.query);
        cJSON_AddStringToObject(r, "method", req.method ? req.method : "GET");
        add_header_array(r, "headers", forwarded, n);
        n = read_headers(cJSON_GetObjectItem(in, "backend_response_headers"), resp, MAX_HEADERS);
        gwapi_decision_modify_headers(&d, true, resp, n, resp, MAX_HEADERS, &n);
        n = n < MAX_HEADERS ? n : MAX_HEADERS;
        {
            char values[2048];
            size_t nc = 0;
            gwapi_decision_cors(&d, &req, resp + n, MAX_HEADERS - n, &nc, values, sizeof(values));
            n += nc;
            add_header_array(out, "response_headers", resp, n);
        }
        add_mirrors(out, &d);
    }
print:
    text = cJSON_PrintUnformatted(out);
    if (text) {
        puts(text);
        free(text);
    }
    fflush(stdout);
    cJSON_Delete(out);
    cJSON_Delete(in);
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: gwapi route [--gateway NS/NAME] [--seed N] [--controller NAME] [--include-invalid] "
                 "FILE...  < requests.jsonl\n");
}

int
cmd_route(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "gateway", required_argument, NULL, 'g' },
        { "seed", required_argument, NULL, 's' },
        { "controller", required_argument, NULL, 'c' },
        { "include-invalid", no_argument, NULL, 'I' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    struct routers rs = { 0 };
    const char *gateway = NULL;
    uint64_t seed = 1;
    char *line = NULL;
    size_t cap = 0;
    int opt, rc;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'g': gateway = optarg; break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'c': options.controller_name = optarg; break;
        case 'I': options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_UNUSABLE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, 0);
    for (size_t i = 0; !rc && i < gwapi_diags_count(in.diags); i++)
        cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
    if (rc || cli_resolve(&in, &options, &rs.res)) {
        cli_input_release(&in);
        return EXIT_UNUSABLE;
    }
    if (gateway) {
        int err = 0;
        if (!router_for(&rs, gateway, &err)) {
            fprintf(stderr, "gwapi: no Gateway %s in the input\n", gateway);
            rc = EXIT_UNUSABLE;
        }
    }
    while (!rc && getline(&line, &cap, stdin) > 0) {
        if (strspn(line, " \t\r\n") == strlen(line))
            continue;
        route_line(&rs, gateway, line, &seed);
    }
    free(line);
    for (size_t i = 0; i < rs.n; i++) {
        gwapi_router_unref(rs.items[i].router);
        free(rs.items[i].gateway);
    }
    gwapi_resolution_unref(rs.res);
    cli_input_release(&in);
    return rc ? rc : in.unreadable ? EXIT_UNUSABLE : EXIT_OK;
}
