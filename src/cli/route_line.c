/* One request line of gwapi route: read (every field checked for type and range), routed
 * through the Gateway's router, its filters applied, and answered with one JSON line. The
 * shapes are a contract (doc/gwapi.md). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

gwapi_router *
cli_router_for(struct cli_routers *rs, const char *gateway, int *err)
{
    gwapi_router *router;
    char *name;

    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->items[i].gateway, gateway) == 0)
            return rs->items[i].router;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 8;
        void *grown = realloc(rs->items, cap * sizeof(*rs->items));
        if (!grown) {
            *err = GWAPI_ENOMEM;
            return NULL;
        }
        rs->items = grown;
        rs->cap = cap;
    }
    *err = gwapi_router_new(&router, rs->res, gateway, NULL);
    if (*err)
        return NULL;
    if (!(name = strdup(gateway))) {
        gwapi_router_unref(router);
        *err = GWAPI_ENOMEM;
        return NULL;
    }
    rs->items[rs->n].gateway = name;
    rs->items[rs->n++].router = router;
    return router;
}

void
cli_routers_release(struct cli_routers *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        gwapi_router_unref(rs->items[i].router);
        free(rs->items[i].gateway);
    }
    free(rs->items);
    gwapi_resolution_unref(rs->res);
    memset(rs, 0, sizeof(*rs));
}

/* A request line's problem, naming the field; the line is answered with it. */
struct line_error {
    char message[256];
};

static bool
fail(struct line_error *e, const char *fmt, const char *field)
{
    snprintf(e->message, sizeof(e->message), fmt, field);
    return false;
}

/* Headers as {name: value} or [[name, value], ...], into a new array (*out, caller frees). */
static bool
read_headers(const cJSON *j, const char *field, gwapi_http_header **out, size_t *n,
             struct line_error *e)
{
    const cJSON *h;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!j || cJSON_IsNull(j))
        return true;
    if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
        return fail(e, "\"%s\" must be an object of strings or an array of [name, value] pairs",
                    field);
    *out = calloc((size_t)cJSON_GetArraySize(j) + 1, sizeof(**out));
    if (!*out)
        return fail(e, "out of memory reading \"%s\"", field);
    cJSON_ArrayForEach(h, j) {
        if (cJSON_IsArray(j) && cJSON_IsArray(h) && cJSON_GetArraySize(h) == 2 &&
            cJSON_IsString(cJSON_GetArrayItem(h, 0)) && cJSON_IsString(cJSON_GetArrayItem(h, 1))) {
            (*out)[i].name = cJSON_GetArrayItem(h, 0)->valuestring;
            (*out)[i++].value = cJSON_GetArrayItem(h, 1)->valuestring;
        } else if (cJSON_IsObject(j) && cJSON_IsString(h)) {
            (*out)[i].name = h->string;
            (*out)[i++].value = h->valuestring;
        } else {
            return fail(e, "\"%s\" must be an object of strings or an array of [name, value] "
                        "pairs", field);
        }
    }
    *n = i;
    return true;
}

static bool
read_string(const cJSON *in, const char *field, const char **out, struct line_error *e)
{
    const cJSON *v = cJSON_GetObjectItem(in, field);

    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v))
        return fail(e, "\"%s\" must be a string", field);
    *out = v->valuestring;
    return true;
}

/* A string field as a slice of the parsed line (the command hands the library its request as a
 * proxy would: without copies). */
static bool
read_slice(const cJSON *in, const char *field, gwapi_slice *out, struct line_error *e)
{
    const char *s;

    if (!read_string(in, field, &s, e))
        return false;
    out->ptr = s;
    out->len = s ? strlen(s) : 0;
    return true;
}

/* An integer in [0, max], written as a JSON number without a fraction. */
static bool
read_integer(const cJSON *in, const char *field, double max, bool *given, double *out,
             struct line_error *e)
{
    const cJSON *v = cJSON_GetObjectItem(in, field);

    *given = false;
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsNumber(v))
        return fail(e, "\"%s\" must be a number", field);
    if (v->valuedouble < 0 || v->valuedouble > max || v->valuedouble != (double)(uint64_t)v->valuedouble) {
        char why[128];
        snprintf(why, sizeof(why), "\"%%s\" must be an integer from 0 to %.0f", max);
        return fail(e, why, field);
    }
    *given = true;
    *out = v->valuedouble;
    return true;
}

static bool
read_protocol(const cJSON *in, gwapi_protocol *out, struct line_error *e)
{
    static const struct { const char *name; gwapi_protocol value; } protocols[] = {
        { "http", GWAPI_PROTOCOL_HTTP }, { "grpc", GWAPI_PROTOCOL_GRPC },
        { "tls", GWAPI_PROTOCOL_TLS }, { "tcp", GWAPI_PROTOCOL_TCP }, { "udp", GWAPI_PROTOCOL_UDP },
    };
    const char *p;

    *out = GWAPI_PROTOCOL_HTTP;
    if (!read_string(in, "protocol", &p, e))
        return false;
    if (!p)
        return true;
    for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
        if (strcasecmp(p, protocols[i].name) == 0) {
            *out = protocols[i].value;
            return true;
        }
    return fail(e, "\"%s\" must be one of \"http\", \"grpc\", \"tls\", \"tcp\", \"udp\"",
                "protocol");
}

/* A JSON string escape of NUL (\u0000): cJSON would cut the string there. */
static bool
has_escaped_nul(const char *line)
{
    for (const char *p = strstr(line, "\\u0000"); p; p = strstr(p + 1, "\\u0000")) {
        size_t backslashes = 0;
        while (p - backslashes > line && p[-1 - (ptrdiff_t)backslashes] == '\\')
            backslashes++;
        if (backslashes % 2 == 0)
            return true;
    }
    return false;
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
add_mirrors(cJSON *out, const gwapi_action *a)
{
    cJSON *arr = a->n_mirrors ? cJSON_AddArrayToObject(out, "mirrors") : NULL;

    for (size_t i = 0; arr && i < a->n_mirrors; i++) {
        const gwapi_mirror *m = a->mirrors[i];
        char *id = malloc(strlen(m->backend_ns) + strlen(m->backend_name) + 32);
        if (!id)
            continue;
        sprintf(id, "%s/%s:%lld", m->backend_ns, m->backend_name, (long long)m->backend_port);
        cJSON_AddItemToArray(arr, cJSON_CreateString(id));
        free(id);
    }
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

/* The request of one line, its text as slices of the parsed line. False (with e set) when a
 * field has the wrong type or range. */
static bool
read_request(const cJSON *in, gwapi_request *req, const char **scheme,
             gwapi_header_slice **headers, gwapi_http_header **backend_headers,
             size_t *n_backend, uint64_t *seed, struct line_error *e)
{
    gwapi_http_header *strings = NULL;
    double number;
    bool given;

    *headers = NULL;
    if (!read_protocol(in, &req->protocol, e) || !read_slice(in, "host", &req->host_slice, e) ||
        !read_slice(in, "sni", &req->sni_slice, e) ||
        !read_slice(in, "method", &req->method_slice, e) ||
        !read_slice(in, "path", &req->path_slice, e) ||
        !read_slice(in, "query", &req->query_slice, e) || !read_string(in, "scheme", scheme, e) ||
        !read_headers(cJSON_GetObjectItem(in, "headers"), "headers", &strings,
                      &req->n_header_slices, e) ||
        !read_headers(cJSON_GetObjectItem(in, "backend_response_headers"),
                      "backend_response_headers", backend_headers, n_backend, e)) {
        free(strings);
        return false;
    }
    *headers = calloc(req->n_header_slices + 1, sizeof(**headers));
    if (!*headers) {
        free(strings);
        return fail(e, "out of memory reading \"%s\"", "headers");
    }
    for (size_t i = 0; i < req->n_header_slices; i++) {
        (*headers)[i].name.ptr = strings[i].name;
        (*headers)[i].name.len = strlen(strings[i].name);
        (*headers)[i].value.ptr = strings[i].value;
        (*headers)[i].value.len = strlen(strings[i].value);
    }
    free(strings);
    req->header_slices = *headers;
    if (!read_integer(in, "port", 65535, &given, &number, e))
        return false;
    req->port = given ? (unsigned)number : 0;
    if (!read_integer(in, "random", 4294967295.0, &given, &number, e))
        return false;
    req->random = given ? (uint32_t)number : next_random(seed);
    if (!*scheme)
        *scheme = "http";
    return true;
}

bool
cli_request_from_json(const cJSON *in, gwapi_request *req, gwapi_header_slice **headers,
                      uint64_t *seed, char *error, size_t error_size)
{
    gwapi_http_header *backend_headers = NULL;
    struct line_error e = { "" };
    const char *scheme = NULL;
    size_t n_backend = 0;
    bool ok = cJSON_IsObject(in) ? read_request(in, req, &scheme, headers, &backend_headers,
                                                &n_backend, seed, &e)
                                 : fail(&e, "a request is a JSON object%s", "");

    free(backend_headers);
    if (!ok)
        snprintf(error, error_size, "%s", e.message);
    return ok;
}

/* "timeouts": the rule's, in milliseconds, when it gives any. */
static void
add_timeouts(cJSON *out, const gwapi_decision *d)
{
    cJSON *t;

    if (d->request_timeout_ms < 0 && d->backend_request_timeout_ms < 0)
        return;
    t = cJSON_AddObjectToObject(out, "timeouts");
    if (d->request_timeout_ms >= 0)
        cJSON_AddNumberToObject(t, "request_ms", (double)d->request_timeout_ms);
    if (d->backend_request_timeout_ms >= 0)
        cJSON_AddNumberToObject(t, "backend_request_ms", (double)d->backend_request_timeout_ms);
}

/* "backend_tls": the BackendTLSPolicy in force for the chosen backend, and what it asks. */
static void
add_backend_tls(cJSON *out, const gwapi_decision *d)
{
    const gwapi_backend_tls_policy *p = gwapi_object_backend_tls_policy(d->backend_tls_policy);
    const gwapi_backend_tls_validation *v = p && p->spec ? p->spec->validation : NULL;
    cJSON *t, *cas;
    char id[512];

    if (!p)
        return;
    t = cJSON_AddObjectToObject(out, "backend_tls");
    snprintf(id, sizeof(id), "%s/%s", d->backend_tls_policy->metadata->namespace_,
             d->backend_tls_policy->metadata->name);
    cJSON_AddStringToObject(t, "policy", id);
    if (v && v->hostname)
        cJSON_AddStringToObject(t, "hostname", v->hostname);
    if (d->backend_client_certificate) {
        snprintf(id, sizeof(id), "%s/%s", d->backend_client_certificate->metadata->namespace_,
                 d->backend_client_certificate->metadata->name);
        cJSON_AddStringToObject(t, "client_certificate", id);
    }
    if (v && v->well_known_ca_certificates)
        cJSON_AddStringToObject(t, "well_known_ca_certificates", v->well_known_ca_certificates);
    cas = cJSON_AddArrayToObject(t, "ca_certificate_refs");
    for (size_t i = 0; v && i < v->n_ca_certificate_refs; i++) {
        snprintf(id, sizeof(id), "%s %s/%s", v->ca_certificate_refs[i]->kind,
                 d->backend_tls_policy->metadata->namespace_, v->ca_certificate_refs[i]->name);
        cJSON_AddItemToArray(cas, cJSON_CreateString(id));
    }
}

/* The action of a decision, in a buffer sized by the library (released by the caller); NULL
 * when memory runs out. */
static void *
apply_decision(const gwapi_decision *d, const gwapi_request *req, const char *scheme,
               const gwapi_http_header *response, size_t n_response, gwapi_action *a)
{
    size_t needed = 0;
    void *buf;

    gwapi_decision_apply(d, req, scheme, response, n_response, a, NULL, 0, &needed);
    buf = malloc(needed ? needed : 1);
    if (buf && gwapi_decision_apply(d, req, scheme, response, n_response, a, buf, needed,
                                    NULL) != GWAPI_OK) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* "handshake", for a request that came on a TLS connection ("sni" given) to be terminated
 * (HTTP or gRPC): the certificate presented ("ns/name" of its Secret, when the configuration
 * holds it) and whether a client certificate is asked for; {"certificate": null} when no
 * listener terminates TLS for that server name, so the handshake fails. */
static void
add_handshake(cJSON *out, const gwapi_router *router, const gwapi_request *req)
{
    gwapi_certificate c = GWAPI_CERTIFICATE_INIT;
    cJSON *h;
    char id[512];

    if (!req->sni_slice.ptr || (req->protocol != GWAPI_PROTOCOL_HTTP &&
                                req->protocol != GWAPI_PROTOCOL_GRPC))
        return;
    h = cJSON_AddObjectToObject(out, "handshake");
    if (gwapi_router_certificate(router, req->port, req->sni_slice.ptr, req->sni_slice.len, &c)) {
        cJSON_AddNullToObject(h, "certificate");
        return;
    }
    if (c.secret) {
        snprintf(id, sizeof(id), "%s/%s", c.secret->metadata->namespace_,
                 c.secret->metadata->name);
        cJSON_AddStringToObject(h, "certificate", id);
    }
    if (c.client_validation != GWAPI_CLIENT_CERT_NONE)
        cJSON_AddStringToObject(h, "client_certificate",
                                c.client_validation == GWAPI_CLIENT_CERT_REQUIRED ? "required"
                                                                                  : "optional");
}

static void
add_decision(cJSON *out, const gwapi_decision *d, const gwapi_request *req, const char *scheme,
             const gwapi_http_header *backend_headers, size_t n_backend)
{
    gwapi_action a = GWAPI_ACTION_INIT;
    void *buf;

    cJSON_AddNumberToObject(out, "status", d->status);
    if (d->listener)
        cJSON_AddStringToObject(out, "listener", d->listener);
    if (d->tls != GWAPI_TLS_NONE)
        cJSON_AddStringToObject(out, "tls",
                                d->tls == GWAPI_TLS_TERMINATE ? "terminate" : "passthrough");
    if (d->route) {
        char *id = malloc(strlen(d->route->metadata->namespace_) + strlen(d->route->metadata->name) + 2);
        cJSON_AddStringToObject(out, "kind", d->route->kind_name);
        if (id) {
            sprintf(id, "%s/%s", d->route->metadata->namespace_, d->route->metadata->name);
            cJSON_AddStringToObject(out, "route", id);
            free(id);
        }
        cJSON_AddNumberToObject(out, "rule", (double)d->rule);
        cJSON_AddNumberToObject(out, "match", (double)d->match);
    }
    if (d->backend_name) {
        char *id = malloc(strlen(d->backend_ns) + strlen(d->backend_name) + 32);
        if (id) {
            sprintf(id, "%s/%s:%lld", d->backend_ns, d->backend_name, (long long)d->backend_port);
            cJSON_AddStringToObject(out, "backend", id);
            free(id);
        }
    }
    add_timeouts(out, d);
    add_backend_tls(out, d);
    buf = apply_decision(d, req, scheme, backend_headers, n_backend, &a);
    if (!buf)
        return;
    if (a.location) {
        cJSON *r = cJSON_AddObjectToObject(out, "redirect");
        cJSON_AddNumberToObject(r, "status", d->status);
        cJSON_AddStringToObject(r, "location", a.location);
    }
    if (a.path) {
        cJSON *r = cJSON_AddObjectToObject(out, "request");
        cJSON_AddStringToObject(r, "host", a.host ? a.host : "");
        cJSON_AddStringToObject(r, "path", a.path);
        /* The request's slices point into the parsed line's strings, which end in a NUL. */
        if (req->query_slice.ptr)
            cJSON_AddStringToObject(r, "query", req->query_slice.ptr);
        cJSON_AddStringToObject(r, "method", req->method_slice.ptr ? req->method_slice.ptr : "GET");
        add_header_array(r, "headers", a.request_headers, a.n_request_headers);
    }
    if (a.path || d->status == 204)
        add_header_array(out, "response_headers", a.response_headers, a.n_response_headers);
    add_mirrors(out, &a);
    free(buf);
}

cJSON *
cli_decide(struct cli_routers *rs, const char *default_gateway, const cJSON *in, uint64_t *seed,
           char *error, size_t error_size)
{
    cJSON *out = NULL;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_header_slice *headers = NULL;
    gwapi_http_header *backend_headers = NULL;
    size_t n_backend = 0;
    struct line_error e = { "" };
    const char *gateway, *scheme = NULL;
    gwapi_router *router;
    int err = 0;

    if (!in || !cJSON_IsObject(in)) {
        fail(&e, "not a JSON object%s", in ? "" : " (or text follows it)");
        goto done;
    }
    if (!read_string(in, "gateway", &gateway, &e) ||
        !read_request(in, &req, &scheme, &headers, &backend_headers, &n_backend, seed, &e))
        goto done;
    if (!gateway)
        gateway = default_gateway;
    if (!gateway) {
        fail(&e, "no gateway: give --gateway or \"%s\"", "gateway");
        goto done;
    }
    router = cli_router_for(rs, gateway, &err);
    if (!router) {
        fail(&e, "\"gateway\": %s", err == GWAPI_ENOTFOUND ? "no such Gateway" : gwapi_strerror(err));
        goto done;
    }
    err = gwapi_router_match(router, &req, &d);
    if (err && err != GWAPI_ELIMIT) {
        fail(&e, "%s", gwapi_strerror(err));
        goto done;
    }
    out = cJSON_CreateObject();
    add_decision(out, &d, &req, scheme, backend_headers, n_backend);
    add_handshake(out, router, &req);
    if (err == GWAPI_ELIMIT)
        cJSON_AddStringToObject(out, "limit", d.status == 400 ? "host longer than 255 bytes"
                                              : "a regular expression passed its match limits");
done:
    if (!out)
        snprintf(error, error_size, "%s", e.message);
    free(headers);
    free(backend_headers);
    return out;
}

static bool
route_json(struct cli_routers *rs, const char *default_gateway, const cJSON *in, const char *line,
           size_t number, uint64_t *seed, FILE *output)
{
    cJSON *out = NULL;
    char error[256] = "";
    char *text;

    if (has_escaped_nul(line))
        snprintf(error, sizeof(error), "a string holds a NUL (\\u0000)");
    else
        out = cli_decide(rs, default_gateway, in, seed, error, sizeof(error));
    if (!out) {
        out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "error", error);
        cJSON_AddNumberToObject(out, "line", (double)number);
    }
    text = cJSON_PrintUnformatted(out);
    if (text) {
        fprintf(output, "%s\n", text);
        free(text);
    }
    fflush(output);
    {
        bool ok = !cJSON_GetObjectItem(out, "error");
        cJSON_Delete(out);
        return ok;
    }
}

/* The resolution and the routers made so far, updated for the configuration as it is now
 * (a router whose Gateway is gone is dropped: asked for again, it is not found). */
static int
reresolve(struct cli_routers *rs)
{
    gwapi_resolution *res;
    int err = rs->res ? gwapi_resolution_update(&res, rs->res, rs->cfg, NULL)
                      : gwapi_resolve(&res, rs->cfg, &rs->options, NULL);
    size_t kept = 0;

    if (err)
        return err;
    for (size_t i = 0; i < rs->n; i++) {
        gwapi_router *router = NULL;
        if (!err)
            err = gwapi_router_update(&router, rs->items[i].router, res, NULL);
        if (err == GWAPI_ENOTFOUND)
            err = GWAPI_OK;
        gwapi_router_unref(rs->items[i].router);
        if (router) {
            rs->items[kept].gateway = rs->items[i].gateway;
            rs->items[kept++].router = router;
        } else {
            free(rs->items[i].gateway);
        }
    }
    rs->n = kept;
    gwapi_resolution_unref(rs->res);
    rs->res = res;
    return err;
}

/* "Kind ns/name" of an event's object, as far as it says. */
static char *
event_object(const cJSON *obj)
{
    const cJSON *meta = cJSON_GetObjectItem(obj, "metadata");
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(obj, "kind"));
    const char *ns = cJSON_GetStringValue(cJSON_GetObjectItem(meta, "namespace"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(meta, "name"));
    size_t size = strlen(kind ? kind : "?") + strlen(ns ? ns : "") + strlen(name ? name : "?") + 4;
    char *text = malloc(size);

    if (text)
        snprintf(text, size, "%s %s%s%s", kind ? kind : "?", ns ? ns : "", ns ? "/" : "",
                 name ? name : "?");
    return text;
}

static bool
is_event(const cJSON *in)
{
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(in, "type"));
    return type && cJSON_IsObject(cJSON_GetObjectItem(in, "object")) &&
           (strcmp(type, "ADDED") == 0 || strcmp(type, "MODIFIED") == 0 ||
            strcmp(type, "DELETED") == 0);
}

/* A watch event line: applied to the configuration (as gwapi_config_load_buffer() applies
 * events, with the API server's rules), answered with whether it was and why not. */
static bool
apply_event(struct cli_routers *rs, const cJSON *in, const char *line, size_t len, FILE *output)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    cJSON *out = cJSON_CreateObject(), *list;
    gwapi_diags *diags = NULL;
    char *object = event_object(cJSON_GetObjectItem(in, "object")), *text;
    bool applied = false;
    int err;

    options.flags = GWAPI_LOAD_VALIDATE;
    cJSON_AddStringToObject(out, "event", cJSON_GetStringValue(cJSON_GetObjectItem(in, "type")));
    cJSON_AddStringToObject(out, "object", object ? object : "?");
    free(object);
    list = cJSON_CreateArray();
    if (rs->cfg && gwapi_diags_new(&diags, NULL) == 0) {
        err = gwapi_config_load_buffer(rs->cfg, line, len, "event", &options, diags);
        applied = err == GWAPI_OK;
        for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
            const gwapi_diag *d = gwapi_diags_get(diags, i);
            cJSON *item = cJSON_CreateObject();
            const char *code = d->code;
            cJSON_AddStringToObject(item, "severity", gwapi_severity_name(d->severity));
            cJSON_AddStringToObject(item, "code", code);
            if (d->path)
                cJSON_AddStringToObject(item, "path", d->path);
            cJSON_AddStringToObject(item, "message", d->message);
            cJSON_AddItemToArray(list, item);
            /* ignored or refused: the configuration holds what it held */
            if (strcmp(code, "stale-event") == 0 || strcmp(code, "refused-update") == 0)
                applied = false;
        }
        if (applied && reresolve(rs) != GWAPI_OK)
            applied = false;
    }
    cJSON_AddBoolToObject(out, "applied", applied);
    cJSON_AddItemToObject(out, "diagnostics", list);
    text = cJSON_PrintUnformatted(out);
    if (text)
        fprintf(output, "%s\n", text);
    fflush(output);
    free(text);
    cJSON_Delete(out);
    gwapi_diags_free(diags);
    return true;
}

bool
cli_route_line(struct cli_routers *rs, const char *default_gateway, const char *line, size_t len,
               size_t number, uint64_t *seed, FILE *out)
{
    if (len != strlen(line)) {
        fprintf(out, "{\"error\":\"the line holds a NUL byte\",\"line\":%zu}\n", number);
        return false;
    }
    if (strspn(line, " \t\r\n") == len)
        return true;
    {
        /* Parsed once: an event is applied, anything else answered as a request. */
        cJSON *in = cJSON_ParseWithOpts(line, NULL, true);
        bool ok = in && is_event(in) && !has_escaped_nul(line)
                      ? apply_event(rs, in, line, len, out)
                      : route_json(rs, default_gateway, in, line, number, seed, out);
        cJSON_Delete(in);
        return ok;
    }
}
