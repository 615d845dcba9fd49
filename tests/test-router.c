/* The router: precedence, hosts, listeners, weights, filters, and a randomized comparison with
 * a reference matcher that scans every rule; plus many threads matching one router. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#include "slices.h"
#include "test-common.h"

#define GC "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controllerName: example.com/ctl}\n---\n"
#define GW(listeners) \
    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: r}\n" \
    "spec: {gatewayClassName: gc, listeners: " listeners "}\n---\n"
#define ALL "allowedRoutes: {namespaces: {from: All}, kinds: [{kind: HTTPRoute}, {kind: GRPCRoute}, {kind: TLSRoute}, {kind: TCPRoute}, {kind: UDPRoute}]}"
#define HTTP_ONLY "[{name: web, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]"
#define ROUTE(kind, name, spec) \
    "apiVersion: gateway.networking.k8s.io/v1\nkind: " kind "\nmetadata: {name: " name ", namespace: r}\nspec: " spec "\n---\n"

struct routed {
    struct fixture f;
    gwapi_resolution *res;
    gwapi_router *router;
};

static void
route_text(struct routed *r, const char *text)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    fixture_init(&r->f);
    fixture_load_text(&r->f, text, 0);
    fixture_assert_no_diags(&r->f, GWAPI_SEVERITY_ERROR);
    ck_assert_int_eq(gwapi_resolve(&r->res, r->f.cfg, &options, r->f.diags), 0);
    ck_assert_int_eq(gwapi_router_new(&r->router, r->res, "r/gw", r->f.diags), 0);
}

static void
route_data(struct routed *r, const char *relpath)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    fixture_init(&r->f);
    ck_assert_int_eq(fixture_load_data(&r->f, relpath, 0), 0);
    fixture_assert_no_diags(&r->f, GWAPI_SEVERITY_ERROR);
    ck_assert_int_eq(gwapi_resolve(&r->res, r->f.cfg, &options, r->f.diags), 0);
    ck_assert_int_eq(gwapi_router_new(&r->router, r->res, "r/gw", r->f.diags), 0);
}

static void
release(struct routed *r)
{
    gwapi_router_unref(r->router);
    gwapi_resolution_unref(r->res);
    fixture_release(&r->f);
}

/* The same request with every text field as such a slice (the zero-copy form). */
static void
to_slices(const gwapi_request *req, gwapi_request *out, gwapi_header_slice *headers)
{
    *out = *req;
    /* Where a slice is given its string is not read: a wrong one proves it. */
    out->host = req->host ? "(the slice says)" : NULL;
    out->sni = req->sni ? "(the slice says)" : NULL;
    out->method = req->method ? "(the slice says)" : NULL;
    out->path = req->path ? "(the slice says)" : NULL;
    out->query = req->query ? "(the slice says)" : NULL;
    out->host_slice = exact_slice(req->host);
    out->sni_slice = exact_slice(req->sni);
    out->method_slice = exact_slice(req->method);
    out->path_slice = exact_slice(req->path);
    out->query_slice = exact_slice(req->query);
    for (size_t i = 0; i < req->n_headers; i++) {
        headers[i].name = exact_slice(req->headers[i].name);
        headers[i].value = exact_slice(req->headers[i].value);
    }
    out->headers = NULL;
    out->n_headers = 0;
    out->header_slices = headers;
    out->n_header_slices = req->n_headers;
}

static void
free_slices(gwapi_request *req)
{
    free((void *)req->host_slice.ptr);
    free((void *)req->sni_slice.ptr);
    free((void *)req->method_slice.ptr);
    free((void *)req->path_slice.ptr);
    free((void *)req->query_slice.ptr);
    for (size_t i = 0; i < req->n_header_slices; i++) {
        free((void *)req->header_slices[i].name.ptr);
        free((void *)req->header_slices[i].value.ptr);
    }
}

/* A request given as "METHOD host path?query" with headers "name: value" pairs. */
static gwapi_request
make_request(gwapi_protocol protocol, const char *method, const char *host, const char *path,
             const char *query, const gwapi_http_header *headers, size_t n_headers,
             uint32_t random)
{
    gwapi_request req = GWAPI_REQUEST_INIT;
    req.protocol = protocol;
    req.method = method;
    req.host = host;
    req.sni = protocol == GWAPI_PROTOCOL_TLS ? host : NULL;
    req.path = path;
    req.query = query;
    req.headers = headers;
    req.n_headers = n_headers;
    req.random = random;
    return req;
}

/* Route a request; given as slices, the same request must be decided the same. */
static gwapi_decision
request(const struct routed *r, gwapi_protocol protocol, const char *method, const char *host,
        const char *path, const char *query, const gwapi_http_header *headers, size_t n_headers,
        uint32_t random)
{
    gwapi_request req = make_request(protocol, method, host, path, query, headers, n_headers,
                                     random), sliced;
    gwapi_header_slice header_slices[16];
    gwapi_decision d = GWAPI_DECISION_INIT, ds = GWAPI_DECISION_INIT;
    ck_assert_int_eq(gwapi_router_match(r->router, &req, &d), 0);
    ck_assert_uint_le(n_headers, 16);
    to_slices(&req, &sliced, header_slices);
    ck_assert_int_eq(gwapi_router_match(r->router, &sliced, &ds), 0);
    ck_assert_msg(memcmp(&d, &ds, sizeof(d)) == 0, "%s %s%s: decided otherwise from slices",
                  method ? method : "GET", host ? host : "", path ? path : "");
    free_slices(&sliced);
    return d;
}

static gwapi_decision
get(const struct routed *r, const char *host, const char *path)
{
    return request(r, GWAPI_PROTOCOL_HTTP, "GET", host, path, NULL, NULL, 0, 0);
}

/* "route/rule" of a decision, or "-" when nothing matched. */
static const char *
winner(const gwapi_decision *d, char *buf, size_t size)
{
    if (!d->route)
        return "-";
    snprintf(buf, size, "%s/%zu", d->route->metadata->name, d->rule);
    return buf;
}

#define ASSERT_WINNER(d, expected) do { \
    char buf_[128]; gwapi_decision d_ = (d); \
    ck_assert_str_eq(winner(&d_, buf_, sizeof(buf_)), expected); \
} while (0)

START_TEST(path_precedence)
{
    struct routed r;
    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "a", "{parentRefs: [{name: gw}], rules: ["
              "{matches: [{path: {type: PathPrefix, value: /}}]},"
              "{matches: [{path: {type: PathPrefix, value: /foo}}]},"
              "{matches: [{path: {type: PathPrefix, value: /foo/bar/}}]},"
              "{matches: [{path: {type: Exact, value: /foo/bar}}]},"
              "{matches: [{path: {type: RegularExpression, value: '/foo/[0-9]+'}}]}]}"));
    ASSERT_WINNER(get(&r, "x", "/"), "a/0");
    ASSERT_WINNER(get(&r, "x", "/foo"), "a/1");
    ASSERT_WINNER(get(&r, "x", "/foo/"), "a/1");
    ASSERT_WINNER(get(&r, "x", "/foobar"), "a/0");      /* prefixes match whole segments */
    ASSERT_WINNER(get(&r, "x", "/foo/bar"), "a/3");     /* exact beats every prefix */
    ASSERT_WINNER(get(&r, "x", "/foo/bar/"), "a/2");    /* a trailing "/" is not exact */
    ASSERT_WINNER(get(&r, "x", "/foo/bar/baz"), "a/2"); /* longest prefix */
    ASSERT_WINNER(get(&r, "x", "/foo/42"), "a/4");      /* regex beats prefixes */
    ASSERT_WINNER(get(&r, "x", "/foo/42x"), "a/1");     /* regexes are anchored */
    {
        gwapi_decision d = get(&r, "x", "/foo/baz");
        ck_assert_str_eq(d.matched_prefix, "/foo");
    }
    release(&r);
}
END_TEST

START_TEST(condition_precedence)
{
    static const gwapi_http_header h_a = { "X-A", "1" }, h_ab[] = { { "x-a", "1" }, { "x-b", "2" } };
    struct routed r;
    route_text(&r, GC GW(HTTP_ONLY)
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: young, namespace: r, creationTimestamp: '2024-02-01T00:00:00Z'}\n"
        "spec: {parentRefs: [{name: gw}], rules: ["
        "{matches: [{path: {value: /p}}]},"
        "{matches: [{path: {value: /p}, headers: [{name: x-a, value: '1'}]}]},"
        "{matches: [{path: {value: /p}, headers: [{name: x-a, value: '1'}, {name: x-b, value: '2'}]}]},"
        "{matches: [{path: {value: /p}, queryParams: [{name: q, value: '1'}]}]},"
        "{matches: [{path: {value: /p}, method: POST}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: old, namespace: r, creationTimestamp: '2024-01-01T00:00:00Z'}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{matches: [{path: {value: /p}}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: b-twin, namespace: r, creationTimestamp: '2023-01-01T00:00:00Z'}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{matches: [{path: {value: /t}}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: a-twin, namespace: r, creationTimestamp: '2023-01-01T00:00:00Z'}\n"
        "spec: {parentRefs: [{name: gw}], rules: [{matches: [{path: {value: /t}}]}]}\n");
    /* The older route wins a tie; within a route, the earlier rule. */
    ASSERT_WINNER(get(&r, "x", "/p"), "old/0");
    ASSERT_WINNER(get(&r, "x", "/t"), "a-twin/0"); /* same age: namespace/name order */
    /* More conditions win before age: method, then headers (header names ignore case), then
     * query parameters. */
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_HTTP, "GET", "x", "/p", NULL, &h_a, 1, 0), "young/1");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_HTTP, "GET", "x", "/p", NULL, h_ab, 2, 0), "young/2");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_HTTP, "GET", "x", "/p", "q=1", &h_a, 1, 0), "young/1");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_HTTP, "GET", "x", "/p", "z=0&q=1", NULL, 0, 0), "young/3");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_HTTP, "POST", "x", "/p", "q=1", h_ab, 2, 0), "young/4");
    release(&r);
}
END_TEST

START_TEST(hosts_and_listeners)
{
    struct routed r;
    route_text(&r, GC GW("[{name: any, port: 80, protocol: HTTP, " ALL "},"
                         " {name: wild, port: 80, protocol: HTTP, hostname: '*.example.com', " ALL "},"
                         " {name: exact, port: 80, protocol: HTTP, hostname: a.example.com, " ALL "},"
                         " {name: other, port: 8080, protocol: HTTP, " ALL "}]")
        ROUTE("HTTPRoute", "exact", "{parentRefs: [{name: gw, sectionName: exact}], hostnames: [a.example.com]}")
        ROUTE("HTTPRoute", "wild", "{parentRefs: [{name: gw, sectionName: wild}], hostnames: ['*.example.com'], rules: [{matches: [{path: {value: /w}}]}]}")
        ROUTE("HTTPRoute", "deep", "{parentRefs: [{name: gw, sectionName: wild}], hostnames: ['*.b.example.com'], rules: [{matches: [{path: {value: /d}}]}]}")
        ROUTE("HTTPRoute", "catch", "{parentRefs: [{name: gw, sectionName: any}]}")
        ROUTE("HTTPRoute", "port", "{parentRefs: [{name: gw, sectionName: other}]}"));
    {
        gwapi_decision d = get(&r, "A.Example.com:80", "/");
        ck_assert_str_eq(d.listener, "exact");
        ASSERT_WINNER(d, "exact/0");
    }
    /* A request goes to the most specific listener only: wild's routes never see a.example.com. */
    ASSERT_WINNER(get(&r, "a.example.com", "/w"), "exact/0");
    ASSERT_WINNER(get(&r, "c.example.com", "/w"), "wild/0");
    ck_assert_int_eq(get(&r, "c.example.com", "/").status, 404);
    ASSERT_WINNER(get(&r, "x.b.example.com", "/d"), "deep/0");
    ASSERT_WINNER(get(&r, "x.b.example.com", "/w"), "wild/0"); /* falls back to the shorter suffix */
    ck_assert_int_eq(get(&r, "x.b.example.com", "/").status, 404);
    ASSERT_WINNER(get(&r, "example.com", "/"), "catch/0");     /* "*." needs one more label */
    ASSERT_WINNER(get(&r, "example.com.", "/"), "catch/0");
    {
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_decision d = GWAPI_DECISION_INIT;
        req.port = 8080;
        req.host = "a.example.com";
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
        ASSERT_WINNER(d, "port/0");
        req.port = 9999;
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
        ck_assert_int_eq(d.status, 404);
        ck_assert_ptr_null(d.listener);
        req.size = 1; /* callers must set the size */
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), GWAPI_EINVAL);
    }
    release(&r);
}
END_TEST

START_TEST(weighted_backends)
{
    struct routed r;
    uint32_t counts[3] = { 0, 0, 0 };
    route_text(&r, GC GW(HTTP_ONLY)
        "apiVersion: v1\nkind: Service\nmetadata: {name: s0, namespace: r}\nspec: {ports: [{port: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: r}\nspec: {ports: [{port: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: s2, namespace: r}\nspec: {ports: [{port: 80}]}\n---\n"
        ROUTE("HTTPRoute", "w", "{parentRefs: [{name: gw}], rules: ["
              "{matches: [{path: {value: /split}}], backendRefs: [{name: s0, port: 80, weight: 3}, {name: s1, port: 80, weight: 0}, {name: s2, port: 80, weight: 1}]},"
              "{matches: [{path: {value: /zero}}], backendRefs: [{name: s0, port: 80, weight: 0}]},"
              "{matches: [{path: {value: /missing}}], backendRefs: [{name: nosuch, port: 80}]},"
              "{matches: [{path: {value: /none}}]}]}"));
    for (uint32_t i = 0; i < 4000; i++) {
        gwapi_decision d = request(&r, GWAPI_PROTOCOL_HTTP, NULL, "x", "/split", NULL, NULL, 0,
                                   i * 2654435761u);
        ck_assert_int_eq(d.status, 200);
        ck_assert_int_eq(d.backend_port, 80);
        counts[d.backend]++;
    }
    ck_assert_uint_eq(counts[1], 0); /* weight 0 is never chosen */
    ck_assert_uint_ge(counts[0], 2850);
    ck_assert_uint_le(counts[0], 3150);
    ck_assert_uint_eq(counts[0] + counts[2], 4000);
    /* random modulo the total weight (4): 0-2 -> s0, 3 -> s2 */
    ck_assert_str_eq(request(&r, GWAPI_PROTOCOL_HTTP, NULL, "x", "/split", NULL, NULL, 0, 6).backend_name, "s0");
    ck_assert_str_eq(request(&r, GWAPI_PROTOCOL_HTTP, NULL, "x", "/split", NULL, NULL, 0, 7).backend_name, "s2");
    ck_assert_int_eq(get(&r, "x", "/zero").status, 500);
    ck_assert_int_eq(get(&r, "x", "/missing").status, 500);
    ck_assert_int_eq(get(&r, "x", "/none").status, 500);
    release(&r);
}
END_TEST

/* Location for a request through a RequestRedirect filter. */
static void
assert_redirect(const char *redirect, const char *match, const char *host, const char *path,
                const char *query, const char *scheme, int status, const char *location)
{
    struct routed r;
    char text[2048], got[256];
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    snprintf(text, sizeof(text), GC GW(HTTP_ONLY)
             "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: rd, namespace: r}\n"
             "spec: {parentRefs: [{name: gw}], rules: [{matches: [{path: %s}], "
             "filters: [{type: RequestRedirect, requestRedirect: %s}]}]}\n", match, redirect);
    route_text(&r, text);
    req.host = host;
    req.path = path;
    req.query = query;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_int_eq(d.status, status);
    ck_assert_uint_eq(gwapi_decision_redirect(&d, &req, scheme, got, sizeof(got)), strlen(location));
    ck_assert_str_eq(got, location);
    release(&r);
}

START_TEST(redirects)
{
    assert_redirect("{statusCode: 301, hostname: b.example.com}", "{type: PathPrefix, value: /}",
                    "a.example.com", "/x", "q=1", "http", 301, "http://b.example.com/x?q=1");
    /* Without any host the Location is relative, never "https:///"; an IPv6 host keeps its
     * brackets. */
    assert_redirect("{scheme: https}", "{type: PathPrefix, value: /}", NULL, "/x", NULL, "http",
                    302, "/x");
    assert_redirect("{scheme: https}", "{type: PathPrefix, value: /}", "[::1]:8080", "/x", NULL,
                    "http", 302, "https://[::1]/x");
    /* The port follows the scheme when the scheme changes; a well-known port is left out. */
    assert_redirect("{scheme: https}", "{type: PathPrefix, value: /}", "a.example.com:8080", "/",
                    NULL, "http", 302, "https://a.example.com/");
    assert_redirect("{port: 8443}", "{type: PathPrefix, value: /}", "a.example.com", "/",
                    NULL, "http", 302, "http://a.example.com:8443/");
    assert_redirect("{scheme: https, port: 443}", "{type: PathPrefix, value: /}", "a.example.com",
                    "/", NULL, "http", 302, "https://a.example.com/");
    assert_redirect("{path: {type: ReplaceFullPath, replaceFullPath: /new}}",
                    "{type: PathPrefix, value: /old}", "h", "/old/x", NULL, "http", 302, "http://h/new");
    /* ReplacePrefixMatch replaces whole segments, keeping what follows. */
    static const struct { const char *prefix, *replacement, *path, *location; } table[] = {
        { "/foo", "/xyz", "/foo/bar", "http://h/xyz/bar" },
        { "/foo", "/xyz/", "/foo/bar", "http://h/xyz/bar" },
        { "/foo/", "/xyz", "/foo/bar", "http://h/xyz/bar" },
        { "/foo", "/", "/foo/bar", "http://h/bar" },
        { "/foo", "/", "/foo", "http://h/" },
        { "/foo", "/xyz", "/foo", "http://h/xyz" },
        { "/foo", "/xyz", "/foo/", "http://h/xyz/" },
        { "/", "/xyz", "/bar", "http://h/xyz/bar" },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        char redirect[256], match[128];
        snprintf(redirect, sizeof(redirect),
                 "{path: {type: ReplacePrefixMatch, replacePrefixMatch: '%s'}}", table[i].replacement);
        snprintf(match, sizeof(match), "{type: PathPrefix, value: '%s'}", table[i].prefix);
        assert_redirect(redirect, match, "h", table[i].path, NULL, "http", 302, table[i].location);
    }
}
END_TEST

START_TEST(rewrites_and_header_edits)
{
    struct routed r;
    char path[64];
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "rw", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {value: /api}}],"
              " filters: [{type: URLRewrite, urlRewrite: {hostname: backend.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}},"
              "           {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Env, value: prod}], add: [{name: X-Via, value: gw}], remove: [x-drop]}}]}]}"));
    req.host = "h";
    req.path = "/api/users";
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_uint_eq(gwapi_decision_rewrite_path(&d, &req, path, sizeof(path)), 9);
    ck_assert_str_eq(path, "/v2/users");
    ck_assert_str_eq(gwapi_decision_rewrite_host(&d), "backend.internal");
    ck_assert_uint_eq(d.n_filters, 2);
    {
        const gwapi_http_header in[] = { { "x-env", "dev" }, { "X-Drop", "1" }, { "x-env", "qa" }, { "Accept", "*/*" } };
        gwapi_http_header out[8];
        size_t n;
        ck_assert_int_eq(gwapi_headers_modify(d.filters[1]->request_header_modifier, in, 4, out, 8, &n), 0);
        /* remove, then set (every x-env goes, one X-Env: prod comes), then add */
        ck_assert_uint_eq(n, 3);
        ck_assert_str_eq(out[0].name, "Accept");
        ck_assert_str_eq(out[1].name, "X-Env");
        ck_assert_str_eq(out[1].value, "prod");
        ck_assert_str_eq(out[2].name, "X-Via");
        ck_assert_str_eq(out[2].value, "gw");
        ck_assert_int_eq(gwapi_headers_modify(d.filters[1]->request_header_modifier, in, 4, out, 2, &n), GWAPI_ELIMIT);
        ck_assert_uint_eq(n, 3);
    }
    {
        /* Every modifier of the decision, in place. */
        gwapi_http_header h[8] = { { "x-env", "dev" }, { "X-Drop", "1" }, { "Accept", "*/*" } };
        size_t n;
        ck_assert_int_eq(gwapi_decision_modify_headers(&d, false, h, 3, h, 8, &n), 0);
        ck_assert_uint_eq(n, 3);
        ck_assert_str_eq(h[0].name, "Accept");
        ck_assert_str_eq(h[1].value, "prod");
        ck_assert_str_eq(h[2].name, "X-Via");
        /* No response modifier: the response headers pass unchanged. */
        ck_assert_int_eq(gwapi_decision_modify_headers(&d, true, h, 3, h, 8, &n), 0);
        ck_assert_uint_eq(n, 3);
        ck_assert_int_eq(gwapi_decision_modify_headers(&d, false, h, 3, h, 2, &n), GWAPI_ELIMIT);
    }
    release(&r);
}
END_TEST

START_TEST(cors)
{
    static const gwapi_http_header preflight[] = { { "Origin", "https://app.example.com" },
                                              { "Access-Control-Request-Method", "PUT" } };
    static const gwapi_http_header foreign[] = { { "Origin", "https://evil.example.org" } };
    struct routed r;
    gwapi_http_header out[8];
    char buf[512];
    size_t n;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "c", "{parentRefs: [{name: gw}], rules: [{filters: [{type: CORS, cors: "
              "{allowOrigins: ['https://*.example.com'], allowMethods: [GET, PUT], allowCredentials: true, maxAge: 60}}]}]}"));
    req.method = "OPTIONS";
    req.host = "h";
    req.headers = preflight;
    req.n_headers = 2;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_int_eq(d.status, 204); /* the gateway answers a preflight itself */
    ck_assert_int_eq(gwapi_decision_cors(&d, &req, out, 8, &n, buf, sizeof(buf)), GWAPI_CORS_PREFLIGHT);
    ck_assert_uint_ge(n, 3);
    ck_assert_str_eq(out[0].name, "Access-Control-Allow-Origin");
    ck_assert_str_eq(out[0].value, "https://app.example.com");
    req.headers = foreign;
    req.n_headers = 1;
    req.method = "GET";
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    gwapi_decision_cors(&d, &req, out, 8, &n, buf, sizeof(buf));
    ck_assert_uint_eq(n, 0); /* an origin not allowed gets no CORS headers */
    release(&r);
}
END_TEST

START_TEST(grpc_tls_and_streams)
{
    struct routed r;
    route_text(&r, GC GW("[{name: web, port: 80, protocol: HTTP, " ALL "},"
                         " {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}},"
                         " {name: tcp, port: 9000, protocol: TCP, " ALL "},"
                         " {name: udp, port: 5353, protocol: UDP, " ALL "}]")
        ROUTE("GRPCRoute", "g", "{parentRefs: [{name: gw, sectionName: web}], rules: ["
              "{matches: [{method: {service: pkg.Svc, method: Get}}]}, {matches: [{method: {service: pkg.Svc}}]}]}")
        ROUTE("TLSRoute", "t-wild", "{parentRefs: [{name: gw, sectionName: tls}], hostnames: ['*.example.com'], rules: [{backendRefs: [{name: s, port: 1}]}]}")
        ROUTE("TLSRoute", "t-exact", "{parentRefs: [{name: gw, sectionName: tls}], hostnames: [a.example.com], rules: [{backendRefs: [{name: s, port: 1}]}]}")
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: tcp-young, namespace: r, creationTimestamp: '2024-05-01T00:00:00Z'}\n"
        "spec: {parentRefs: [{name: gw, sectionName: tcp}], rules: [{backendRefs: [{name: s, port: 1}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: tcp-old, namespace: r, creationTimestamp: '2024-01-01T00:00:00Z'}\n"
        "spec: {parentRefs: [{name: gw, sectionName: tcp}], rules: [{backendRefs: [{name: s, port: 1}]}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: UDPRoute\nmetadata: {name: u, namespace: r}\n"
        "spec: {parentRefs: [{name: gw, sectionName: udp}], rules: [{backendRefs: [{name: s, port: 1}]}]}\n");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_GRPC, "POST", "h", "/pkg.Svc/Get", NULL, NULL, 0, 0), "g/0");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_GRPC, "POST", "h", "/pkg.Svc/List", NULL, NULL, 0, 0), "g/1");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_GRPC, "POST", "h", "/pkg.Other/Get", NULL, NULL, 0, 0), "-");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_HTTP, "GET", "h", "/pkg.Svc/Get", NULL, NULL, 0, 0), "-");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_TLS, NULL, "a.example.com", NULL, NULL, NULL, 0, 0), "t-exact/0");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_TLS, NULL, "b.example.com", NULL, NULL, NULL, 0, 0), "t-wild/0");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_TLS, NULL, "example.org", NULL, NULL, NULL, 0, 0), "-");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_TCP, NULL, NULL, NULL, NULL, NULL, 0, 0), "tcp-old/0");
    ASSERT_WINNER(request(&r, GWAPI_PROTOCOL_UDP, NULL, NULL, NULL, NULL, NULL, 0, 0), "u/0");
    release(&r);
}
END_TEST

/* --- randomized comparison with a reference matcher ------------------------------------------ */

/* A generated configuration, kept in plain arrays so the reference can scan it. */
enum { N_ROUTES = 12, N_RULES = 3, N_MATCHES = 2, N_CONFIGS = 320 };
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* Keys and requests that exercise the index's word-at-a-time hashing: labels and segments
 * shorter and longer than a word, ending on and across word boundaries, near misses that differ
 * only past the eighth byte, paths of more than 64 segments (several blocks of prefixes), and
 * hosts that only normalize to a key (case, port, trailing dot). */
#define LONG_LABEL "abcdefghijklmnop"
#define DEEP "/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d"
static const char *const hosts_pool[] = {
    NULL, "a.example.com", "*.example.com", "*.a.example.com", "b.example.com",
    LONG_LABEL ".example.com", "*." LONG_LABEL ".example.com", "*.x.y.z.example.com",
};
static const char *const paths_pool[] = {
    "/", "/a", "/a/b", "/a/b/c", "/b", "/a/", "/abcdefgh", "/abcdefghijk", "/abcdefgh/ijklmnopq",
    DEEP DEEP, DEEP DEEP "/e",
};
static const char *const req_hosts[] = {
    "a.example.com", "x.a.example.com", "b.example.com", "c.example.com", "other.org",
    LONG_LABEL ".example.com", "q." LONG_LABEL ".example.com", "q.r." LONG_LABEL ".example.com",
    "abcdefghijklmnoq.example.com", "w.x.y.z.example.com", "X.A.Example.COM", "a.example.com.",
    "b.example.com:8080", "example.com",
};
static const char *const req_paths[] = {
    "/", "/a", "/a/", "/a/b", "/a/bc", "/a/b/c/d", "/b", "/bb", "/c", "/abcdefgh", "/abcdefg",
    "/abcdefghi", "/abcdefgh/", "/abcdefghijk", "/abcdefghijkl", "/abcdefghijk/x",
    "/abcdefgh/ijklmnopq", "/abcdefgh/ijklmnopq/r", "/abcdefgh/ijklmnopr", "/a//b", "//a",
    DEEP DEEP, DEEP DEEP "/", DEEP DEEP "/e", DEEP DEEP "/e/f", DEEP DEEP "/ee", DEEP DEEP DEEP,
    DEEP "/e",
};
static const gwapi_http_header header_pool[] = { { "x-a", "1" }, { "x-b", "1" } };
struct gen_match { bool exact; int path; const char *method; int n_headers, n_queries; };
struct gen_rule { struct gen_match m[N_MATCHES]; int n; };
struct gen_route {
    char ns[2], name[8];
    int stamp, host; /* index into hosts_pool */
    struct gen_rule rules[N_RULES];
    int n_rules;
};

/* The host as the router reads it: lower case, without a port or a trailing dot. */
static void
ref_normalize(const char *host, char *out, size_t size)
{
    size_t n = strcspn(host, ":");
    snprintf(out, size, "%.*s", (int)n, host);
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    n = strlen(out);
    if (n && out[n - 1] == '.')
        out[n - 1] = '\0';
}

static bool
ref_host_key_matches(const char *key, const char *host)
{
    size_t hl = strlen(host), kl;
    if (!key)
        return true;
    if (key[0] != '*')
        return strcmp(key, host) == 0;
    kl = strlen(key + 1); /* ".suffix" */
    return hl > kl && strcmp(host + hl - kl, key + 1) == 0;
}

/* How specific a route hostname is for this host: exact 1000, wildcard by length, none 0. */
static int
ref_host_rank(const char *key)
{
    return !key ? 0 : key[0] != '*' ? 1000 : (int)strlen(key);
}

static bool
ref_path_matches(const struct gen_match *m, const char *path, int *prefix_len)
{
    const char *p = paths_pool[m->path];
    size_t n = strlen(p);
    if (n > 1 && p[n - 1] == '/')
        n--;
    if (m->exact)
        return strcmp(p, path) == 0;
    *prefix_len = (int)n;
    if (n == 1)
        return true;
    return strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Negative when a is better. */
static int
ref_better(const struct gen_route *ra, int rule_a, int match_a, const struct gen_route *rb,
           int rule_b, int match_b)
{
    const struct gen_match *a = &ra->rules[rule_a].m[match_a], *b = &rb->rules[rule_b].m[match_b];
    int c;
    if ((a->method != NULL) != (b->method != NULL))
        return a->method ? -1 : 1;
    if (a->n_headers != b->n_headers)
        return b->n_headers - a->n_headers;
    if (a->n_queries != b->n_queries)
        return b->n_queries - a->n_queries;
    if (ra != rb) {
        if (ra->stamp != rb->stamp)
            return ra->stamp - rb->stamp;
        if ((c = strcmp(ra->ns, rb->ns)) || (c = strcmp(ra->name, rb->name)))
            return c;
    }
    return rule_a != rule_b ? rule_a - rule_b : match_a - match_b;
}

/* The winner by scanning everything: host specificity, then exact path, then longest prefix,
 * then the conditions and age. */
static void
ref_match(const struct gen_route *routes, const char *host, const char *path, const char *method,
          int n_headers, bool query, char *out, size_t size)
{
    int best_rank = -1, best_kind = 0, best_len = -1, best_rule = 0, best_match = 0;
    const struct gen_route *best = NULL;
    char normal[256];

    ref_normalize(host, normal, sizeof(normal));
    host = normal;
    {
        for (int i = 0; i < N_ROUTES; i++) {
            const struct gen_route *rt = &routes[i];
            int rank;
            if (!ref_host_key_matches(hosts_pool[rt->host], host))
                continue;
            rank = ref_host_rank(hosts_pool[rt->host]);
            for (int j = 0; j < rt->n_rules; j++)
                for (int k = 0; k < rt->rules[j].n; k++) {
                    const struct gen_match *m = &rt->rules[j].m[k];
                    int plen = 0, kind;
                    if (!ref_path_matches(m, path, &plen))
                        continue;
                    if (m->method && strcmp(m->method, method) != 0)
                        continue;
                    if (m->n_headers > n_headers || (m->n_queries && !query))
                        continue;
                    kind = m->exact ? 2 : 1;
                    if (best && (rank < best_rank ||
                                 (rank == best_rank && (kind < best_kind ||
                                  (kind == best_kind && (plen < best_len ||
                                   (plen == best_len && ref_better(rt, j, k, best, best_rule, best_match) > 0)))))))
                        continue;
                    best = rt;
                    best_rank = rank;
                    best_kind = kind;
                    best_len = plen;
                    best_rule = j;
                    best_match = k;
                }
        }
    }
    if (!best)
        snprintf(out, size, "-");
    else
        snprintf(out, size, "%s/%d", best->name, best_rule);
}

static void
gen_config(struct gen_route *routes, unsigned *seed, char *text, size_t size)
{
    size_t len = (size_t)snprintf(text, size, GC GW(HTTP_ONLY));
    for (int i = 0; i < N_ROUTES; i++) {
        struct gen_route *rt = &routes[i];
        snprintf(rt->ns, sizeof(rt->ns), "%c", rand_r(seed) % 2 ? 'r' : 's');
        snprintf(rt->name, sizeof(rt->name), "rt%02d", i);
        rt->stamp = rand_r(seed) % 4;
        rt->host = rand_r(seed) % (int)COUNT(hosts_pool);
        rt->n_rules = 1 + rand_r(seed) % N_RULES;
        len += (size_t)snprintf(text + len, size - len,
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata: {name: %s, namespace: %s, creationTimestamp: '2024-01-0%dT00:00:00Z'}\n"
            "spec:\n  parentRefs: [{name: gw, namespace: r}]\n", rt->name, rt->ns, rt->stamp + 1);
        if (hosts_pool[rt->host])
            len += (size_t)snprintf(text + len, size - len, "  hostnames: ['%s']\n", hosts_pool[rt->host]);
        len += (size_t)snprintf(text + len, size - len, "  rules:\n");
        for (int j = 0; j < rt->n_rules; j++) {
            struct gen_rule *rule = &rt->rules[j];
            rule->n = 1 + rand_r(seed) % N_MATCHES;
            len += (size_t)snprintf(text + len, size - len, "  - matches:\n");
            for (int k = 0; k < rule->n; k++) {
                struct gen_match *m = &rule->m[k];
                m->exact = rand_r(seed) % 3 == 0;
                m->path = rand_r(seed) % (int)COUNT(paths_pool);
                m->method = rand_r(seed) % 4 == 0 ? "POST" : NULL;
                m->n_headers = rand_r(seed) % 3;
                m->n_queries = rand_r(seed) % 3 == 0;
                if (m->exact && paths_pool[m->path][strlen(paths_pool[m->path]) - 1] == '/' &&
                    m->path != 0)
                    m->path = 1; /* exact "/a/" is legal but makes the table noisy */
                len += (size_t)snprintf(text + len, size - len,
                                        "    - path: {type: %s, value: '%s'}\n",
                                        m->exact ? "Exact" : "PathPrefix", paths_pool[m->path]);
                if (m->method)
                    len += (size_t)snprintf(text + len, size - len, "      method: POST\n");
                for (int h = 0; h < m->n_headers; h++)
                    len += (size_t)snprintf(text + len, size - len,
                                            "      %s{name: %s, value: '1'}%s\n",
                                            h == 0 ? "headers: [" : "", header_pool[h].name,
                                            h + 1 == m->n_headers ? "]" : ",");
                if (m->n_queries)
                    len += (size_t)snprintf(text + len, size - len,
                                            "      queryParams: [{name: q, value: '1'}]\n");
            }
        }
        len += (size_t)snprintf(text + len, size - len, "---\n");
    }
    ck_assert_uint_lt(len, size);
}

/* gwapi_router_explain() names the decision's winner, and no candidate before it holds: its
 * order and its checks are the router's. */
static void
explanation_agrees(const struct routed *r, const char *method, const char *host,
                   const char *path, const char *query, size_t n_headers,
                   const gwapi_decision *d)
{
    gwapi_request req = make_request(GWAPI_PROTOCOL_HTTP, method, host, path, query,
                                     header_pool, n_headers, 0);
    gwapi_candidates *c = NULL;
    size_t won = 0, n;

    ck_assert_int_eq(gwapi_router_explain(r->router, &req, &c), 0);
    n = gwapi_candidates_count(c);
    for (size_t i = 0; i < n; i++) {
        const gwapi_candidate *k = gwapi_candidates_get(c, i);
        if (k->won) {
            won++;
            ck_assert_ptr_eq(k->route, d->route);
            ck_assert_uint_eq(k->rule, d->rule);
            ck_assert_uint_eq(k->match, d->match);
            ck_assert_ptr_nonnull(k->detail);
        } else if (!won) {
            ck_assert_msg(k->check != NULL, "%s %s%s: candidate %zu holds before the winner",
                          method, host, path, i);
        }
    }
    ck_assert_uint_eq(won, d->route ? 1 : 0);
    ck_assert_ptr_null(gwapi_candidates_get(c, n));
    gwapi_candidates_free(c);
}

START_TEST(matches_reference)
{
    unsigned seed = 20261126;
    size_t compared = 0;
    char *text = malloc(1 << 17);
    for (int config = 0; config < N_CONFIGS; config++) {
        struct gen_route routes[N_ROUTES];
        struct routed r;
        gen_config(routes, &seed, text, 1 << 17);
        route_text(&r, text);
        for (size_t h = 0; h < COUNT(req_hosts); h++)
            for (size_t p = 0; p < COUNT(req_paths); p++)
                for (int variant = 0; variant < 8; variant++) {
                    const char *method = variant & 1 ? "POST" : "GET";
                    int n_headers = (variant >> 1) & 1 ? 2 : variant & 4 ? 1 : 0;
                    bool query = variant == 6 || variant == 3;
                    char expected[32], got[32];
                    gwapi_decision d = request(&r, GWAPI_PROTOCOL_HTTP, method, req_hosts[h],
                                               req_paths[p], query ? "q=1" : NULL, header_pool,
                                               (size_t)n_headers, 0);
                    ref_match(routes, req_hosts[h], req_paths[p], method, n_headers, query,
                              expected, sizeof(expected));
                    if (config < 40)
                        explanation_agrees(&r, method, req_hosts[h], req_paths[p],
                                           query ? "q=1" : NULL, (size_t)n_headers, &d);
                    if (strcmp(winner(&d, got, sizeof(got)), expected) != 0)
                        ck_abort_msg("config %d: %s %s%s%s (%d headers): router %s, reference %s\n%s",
                                     config, method, req_hosts[h], req_paths[p],
                                     query ? "?q=1" : "", n_headers, got, expected, text);
                    compared++;
                }
        release(&r);
    }
    /* Over a million decisions, each also made from slices (request()). */
    ck_assert_uint_eq(compared, N_CONFIGS * COUNT(req_hosts) * COUNT(req_paths) * 8);
    ck_assert_uint_ge(compared, 1000000);
    free(text);
}
END_TEST

/* --- threads --------------------------------------------------------------------------------- */

struct worker {
    gwapi_router *router;
    const char *const *paths;
    const char *const *expected;
    size_t n;
    size_t mismatches;
};

static void *
work(void *arg)
{
    struct worker *w = arg;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    req.host = "foo.example.com";
    for (size_t i = 0; i < 20000; i++) {
        req.path = w->paths[i % w->n];
        req.random = (uint32_t)i;
        if (gwapi_router_match(w->router, &req, &d) != 0 || !d.backend_name ||
            strcmp(d.backend_name, w->expected[i % w->n]) != 0)
            w->mismatches++;
    }
    gwapi_router_unref(w->router);
    return NULL;
}

START_TEST(many_threads_one_router)
{
    static const char *const paths[] = { "/login", "/home", "/other", "/home/x" };
    static const char *const expected[] = { "auth", "home", "fallback", "home" };
    struct routed r;
    pthread_t threads[4];
    struct worker workers[4];
    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "foo", "{parentRefs: [{name: gw}], hostnames: [foo.example.com], rules: ["
              "{matches: [{path: {type: PathPrefix, value: /login}}], backendRefs: [{name: auth, port: 80}]},"
              "{matches: [{path: {type: PathPrefix, value: /home}}], backendRefs: [{name: home, port: 80}]},"
              "{backendRefs: [{name: fallback, port: 80}]}]}"));
    for (int i = 0; i < 4; i++) {
        workers[i] = (struct worker){ gwapi_router_ref(r.router), paths, expected, 4, 0 };
        ck_assert_int_eq(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
    }
    /* Meanwhile routers are built from the same resolution and dropped, and the main reference
     * goes away before the workers finish. */
    for (int i = 0; i < 20; i++) {
        gwapi_router *other;
        ck_assert_int_eq(gwapi_router_new(&other, r.res, "r/gw", NULL), 0);
        gwapi_router_unref(other);
    }
    gwapi_router_unref(r.router);
    r.router = NULL;
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
        ck_assert_uint_eq(workers[i].mismatches, 0);
    }
    release(&r);
}
END_TEST

/* Readers acquire the current router from a holder and match continuously while a writer
 * applies updates to the configuration (a MODIFIED route, a DELETED and re-ADDED one),
 * resolves, compiles and publishes: every decision comes whole from one router, and the old
 * routers (and the objects they point to, removed from the configuration meanwhile) stay valid
 * until their last reader lets go. Run under AddressSanitizer and ThreadSanitizer. */
struct holder_reader {
    gwapi_router_holder *holder;
    int *stop;
    size_t matches, wrong;
};

static void *
read_current(void *arg)
{
    struct holder_reader *w = arg;
    while (!__atomic_load_n(w->stop, __ATOMIC_ACQUIRE)) {
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_decision d = GWAPI_DECISION_INIT;
        gwapi_router *router = gwapi_router_holder_acquire(w->holder);
        req.host = "foo.example.com";
        req.path = "/x";
        if (!router)
            continue;
        if (gwapi_router_match(router, &req, &d) != 0 || d.status != 200 || !d.backend_name ||
            d.backend_name[0] != 'b' || strcmp(d.route->metadata->name, "foo") != 0)
            w->wrong++;
        w->matches++;
        gwapi_router_unref(router);
    }
    return NULL;
}

START_TEST(holder_swaps_routers_while_readers_match)
{
    struct fixture f;
    gwapi_router_holder *holder;
    pthread_t threads[3];
    struct holder_reader readers[3];
    int stop = 0;
    int updates = 2000;

    fixture_init(&f);
    ck_assert_int_eq(gwapi_router_holder_new(&holder, f.ctx), 0);
    ck_assert_ptr_null(gwapi_router_holder_acquire(holder));
    fixture_load_text(&f, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "foo", "{parentRefs: [{name: gw}], rules: [{backendRefs: [{name: b0, port: 80}]}]}"), 0);
    for (int i = 0; i < 3; i++) {
        readers[i] = (struct holder_reader){ holder, &stop, 0, 0 };
        ck_assert_int_eq(pthread_create(&threads[i], NULL, read_current, &readers[i]), 0);
    }
    gwapi_resolution *current = NULL;
    gwapi_router *current_router = NULL;
    for (int u = 0; u <= updates; u++) {
        gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
        gwapi_resolution *res;
        gwapi_router *router;
        char event[512];
        if (u % 3 == 2) { /* removed, then added again */
            snprintf(event, sizeof(event), "{\"type\": \"DELETED\", \"object\": {\"apiVersion\": "
                     "\"gateway.networking.k8s.io/v1\", \"kind\": \"HTTPRoute\", \"metadata\": "
                     "{\"name\": \"foo\", \"namespace\": \"r\"}}}");
            ck_assert_int_eq(gwapi_config_load_buffer(f.cfg, event, strlen(event), "w", NULL, f.diags), 0);
        }
        snprintf(event, sizeof(event), "{\"type\": \"%s\", \"object\": {\"apiVersion\": "
                 "\"gateway.networking.k8s.io/v1\", \"kind\": \"HTTPRoute\", \"metadata\": "
                 "{\"name\": \"foo\", \"namespace\": \"r\"}, \"spec\": {\"parentRefs\": "
                 "[{\"name\": \"gw\"}], \"rules\": [{\"backendRefs\": [{\"name\": \"b%d\", "
                 "\"port\": 80}]}]}}}", u % 3 == 2 ? "ADDED" : "MODIFIED", u);
        ck_assert_int_eq(gwapi_config_load_buffer(f.cfg, event, strlen(event), "w", NULL, f.diags), 0);
        /* Each version updated from the last: the routers the readers hold share memory with
         * the one published next. */
        if (current) {
            ck_assert_int_eq(gwapi_resolution_update(&res, current, f.cfg, NULL), 0);
            ck_assert_int_eq(gwapi_router_update(&router, current_router, res, NULL), 0);
        } else {
            ck_assert_int_eq(gwapi_resolve(&res, f.cfg, &options, NULL), 0);
            ck_assert_int_eq(gwapi_router_new(&router, res, "r/gw", NULL), 0);
        }
        gwapi_resolution_unref(current);
        gwapi_router_unref(current_router);
        current = res;
        current_router = router;
        gwapi_router_holder_publish(holder, router); /* the holder has its own reference */
    }
    gwapi_resolution_unref(current);
    gwapi_router_unref(current_router);
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
        ck_assert_uint_eq(readers[i].wrong, 0);
        ck_assert_uint_gt(readers[i].matches, 0);
    }
    {
        gwapi_router *last = gwapi_router_holder_acquire(holder);
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_decision d = GWAPI_DECISION_INIT;
        req.host = "foo.example.com";
        ck_assert_int_eq(gwapi_router_match(last, &req, &d), 0);
        ck_assert_str_eq(d.backend_name, "b2000");
        gwapi_router_holder_publish(holder, NULL);
        ck_assert_ptr_null(gwapi_router_holder_acquire(holder));
        /* still valid: this reader's reference */
        ck_assert_int_eq(gwapi_router_match(last, &req, &d), 0);
        gwapi_router_unref(last);
    }
    gwapi_router_holder_free(holder);
    fixture_release(&f);
}
END_TEST

START_TEST(unknown_gateway)
{
    struct fixture f;
    gwapi_resolution *res;
    gwapi_router *router = NULL;
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    fixture_init(&f);
    fixture_load_text(&f, GC GW(HTTP_ONLY), 0);
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, &options, f.diags), 0);
    ck_assert_int_eq(gwapi_router_new(&router, res, "r/nosuch", f.diags), GWAPI_ENOTFOUND);
    ck_assert_ptr_null(router);
    ck_assert_int_eq(gwapi_router_new(&router, res, "no-slash", f.diags), GWAPI_ENOTFOUND);
    gwapi_resolution_unref(res);
    fixture_release(&f);
}
END_TEST

START_TEST(last_reference_releases_everything)
{
    /* A binding may drop its handles in any order: the router, holding the last reference,
     * releases the resolution, the configuration and the context after them. */
    struct routed r;
    gwapi_decision d;
    route_text(&r, GC GW(HTTP_ONLY) ROUTE("HTTPRoute", "a", "{parentRefs: [{name: gw}]}"));
    gwapi_resolution_unref(r.res);
    fixture_release(&r.f);
    d = get(&r, "x", "/");
    ASSERT_WINNER(d, "a/0");
    gwapi_router_unref(r.router);
}
END_TEST

/* A request under a prefix of more than 64 segments still finds it (the candidates are not
 * capped), and the shorter prefix still wins below it. */
START_TEST(prefixes_of_many_segments)
{
    struct routed r;
    char text[8192], long_prefix[1024] = "", path[2048];
    gwapi_decision d;

    for (int i = 0; i < 70; i++)
        strcat(long_prefix, "/a");
    snprintf(text, sizeof(text), GC GW(HTTP_ONLY)
             ROUTE("HTTPRoute", "short", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: PathPrefix, value: /a}}]}]}")
             ROUTE("HTTPRoute", "long", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: PathPrefix, value: '%s'}}]}]}"),
             long_prefix);
    route_text(&r, text);
    snprintf(path, sizeof(path), "%s/x/y", long_prefix);
    d = get(&r, "h.example.com", path);
    ASSERT_WINNER(d, "long/0");
    d = get(&r, "h.example.com", long_prefix);
    ASSERT_WINNER(d, "long/0");
    snprintf(path, sizeof(path), "%s/b/c", long_prefix + 4);
    d = get(&r, "h.example.com", path);
    ASSERT_WINNER(d, "short/0");
    release(&r);
}
END_TEST

/* A host longer than a DNS name is refused with an explicit outcome, never cut to a host that
 * some route matches. */
START_TEST(long_hosts_are_refused)
{
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    char host[400];

    route_text(&r, GC GW("[{name: web, port: 80, protocol: HTTP, hostname: '*.example.com', allowedRoutes: {namespaces: {from: All}}}]")
               ROUTE("HTTPRoute", "h", "{parentRefs: [{name: gw}]}"));
    memset(host, 'a', 243);
    strcpy(host + 243, ".example.com.attacker.net");
    req.host = host;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), GWAPI_ELIMIT);
    ck_assert_int_eq(d.status, 400);
    ck_assert_ptr_null(d.route);
    /* 255 bytes is a host; with a trailing dot too. */
    memset(host, 'a', 243);
    strcpy(host + 243, ".example.com");
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ASSERT_WINNER(d, "h/0");
    strcat(host, ".");
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ASSERT_WINNER(d, "h/0");
    release(&r);
}
END_TEST

/* A regular expression that would backtrack past the limits stops the match with an explicit
 * outcome, never lets the request fall through to another rule; ordinary ones match whatever
 * the subject's length, with or without the JIT (the sanitizer build has none). */
START_TEST(regex_limits_are_explicit)
{
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    static char path[4096];

    route_text(&r, GC GW(HTTP_ONLY)
               ROUTE("HTTPRoute", "deep", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: RegularExpression, value: '/a/(a|aa)+'}}]}]}")
               ROUTE("HTTPRoute", "wild", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: RegularExpression, value: '/c/(\\w+\\s?)*'}}]}]}")
               ROUTE("HTTPRoute", "simple", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {type: RegularExpression, value: '/s/[a-z]+'}}]}]}")
               ROUTE("HTTPRoute", "fallback", "{parentRefs: [{name: gw}]}"));
    req.host = "h.example.com";
    req.path = path;
    /* Exponential backtracking: stopped by the match limit. */
    strcpy(path, "/c/");
    memset(path + 3, 'a', 40);
    strcpy(path + 43, "!");
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), GWAPI_ELIMIT);
    ck_assert_int_eq(d.status, 500);
    ck_assert_ptr_null(d.route);
    /* Deep recursion on a long subject: matched, or stopped; never the fallback. */
    strcpy(path, "/a/");
    memset(path + 3, 'a', 2000);
    path[2003] = '\0';
    {
        int rc = gwapi_router_match(r.router, &req, &d);
        if (rc == 0)
            ASSERT_WINNER(d, "deep/0");
        else
            ck_assert(rc == GWAPI_ELIMIT && d.status == 500 && !d.route);
    }
    req.path = "/a/aaa";
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ASSERT_WINNER(d, "deep/0");
    req.path = path;
    strcpy(path, "/s/");
    memset(path + 3, 'x', 4000);
    path[4003] = '\0';
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ASSERT_WINNER(d, "simple/0");
    release(&r);
}
END_TEST

/* One call applies every filter; a buffer too small says how much is needed, at any size and
 * any alignment, and nothing is ever cut. */
START_TEST(action_applies_every_filter)
{
    static const gwapi_http_header in[] = { { "Origin", "https://app.example.com" },
                                            { "X-Drop", "1" }, { "Accept", "*/*" } };
    static const gwapi_http_header backend[] = { { "Server", "b" }, { "X-Secret", "s" } };
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_action a = GWAPI_ACTION_INIT;
    size_t needed = 0, again = 0;
    char *buf;

    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "p", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {value: /api}}], filters: ["
              "{type: URLRewrite, urlRewrite: {hostname: in.example, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}},"
              "{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Env, value: prod}], remove: [x-drop]}},"
              "{type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Via, value: gw}], remove: [x-secret]}},"
              "{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}, percent: 25}},"
              "{type: RequestMirror, requestMirror: {backendRef: {name: all, namespace: r, port: 81}}},"
              "{type: CORS, cors: {allowOrigins: ['https://*.example.com'], exposeHeaders: [X-A, X-B, X-C]}}],"
              " backendRefs: [{name: svc, port: 80}]}]}"));
    req.host = "h:8080";
    req.path = "/api/users";
    req.headers = in;
    req.n_headers = 3;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_int_eq(gwapi_decision_apply(&d, &req, "http", backend, 2, &a, NULL, 0, &needed),
                     GWAPI_ELIMIT);
    ck_assert_int_eq(a.status, 200);
    ck_assert_ptr_null(a.path);
    /* Every size short of needed is refused, at every alignment. */
    buf = malloc(needed + 8);
    for (size_t shift = 0; shift < 8; shift++)
        for (size_t size = 0; size < needed; size += 7)
            ck_assert_int_eq(gwapi_decision_apply(&d, &req, "http", backend, 2, &a, buf + shift,
                                                  size, &again), GWAPI_ELIMIT);
    for (size_t shift = 0; shift < 8; shift++) {
        memset(&a, 0, sizeof(a));
        a.size = sizeof(a);
        ck_assert_int_eq(gwapi_decision_apply(&d, &req, "http", backend, 2, &a, buf + shift,
                                              needed, &again), 0);
        ck_assert_uint_eq(again, needed);
        ck_assert_int_eq(a.cors, GWAPI_CORS_ACTUAL);
        ck_assert_str_eq(a.host, "in.example");
        ck_assert_str_eq(a.path, "/v2/users");
        ck_assert_uint_eq(a.n_request_headers, 3);
        ck_assert_str_eq(a.request_headers[0].name, "Origin");
        ck_assert_str_eq(a.request_headers[2].name, "X-Env");
        /* Server, X-Via, then the CORS headers: Allow-Origin, Expose-Headers */
        ck_assert_uint_eq(a.n_response_headers, 4);
        ck_assert_str_eq(a.response_headers[1].name, "X-Via");
        ck_assert_str_eq(a.response_headers[2].value, "https://app.example.com");
        ck_assert_str_eq(a.response_headers[3].value, "X-A, X-B, X-C");
        ck_assert_uint_eq(a.n_mirrors, 2);
        ck_assert_str_eq(a.mirrors[0]->backend_ns, "r");
        ck_assert_str_eq(a.mirrors[0]->backend_name, "shadow");
        ck_assert_int_eq(a.mirrors[0]->numerator, 25);
        ck_assert_int_eq(a.mirrors[0]->denominator, 100);
        ck_assert_int_eq(a.mirrors[1]->numerator, 1);
        ck_assert_int_eq(a.mirrors[1]->denominator, 1);
        ck_assert_int_eq(a.mirrors[1]->backend_port, 81);
    }
    /* The same request as slices: the same answer, every string copied into the buffer. */
    {
        gwapi_request sliced;
        gwapi_header_slice hs[3];
        gwapi_action b = GWAPI_ACTION_INIT;
        size_t more = 0;
        char *buf2;
        to_slices(&req, &sliced, hs);
        ck_assert_int_eq(gwapi_decision_apply(&d, &sliced, "http", backend, 2, &b, NULL, 0,
                                              &more), GWAPI_ELIMIT);
        buf2 = malloc(more);
        ck_assert_int_eq(gwapi_decision_apply(&d, &sliced, "http", backend, 2, &b, buf2, more,
                                              NULL), 0);
        ck_assert_str_eq(b.host, a.host);
        ck_assert_str_eq(b.path, a.path);
        ck_assert_uint_eq(b.n_request_headers, a.n_request_headers);
        for (size_t i = 0; i < a.n_request_headers; i++) {
            ck_assert_str_eq(b.request_headers[i].name, a.request_headers[i].name);
            ck_assert_str_eq(b.request_headers[i].value, a.request_headers[i].value);
        }
        ck_assert_uint_eq(b.n_response_headers, a.n_response_headers);
        for (size_t i = 0; i < a.n_response_headers; i++) {
            ck_assert_str_eq(b.response_headers[i].name, a.response_headers[i].name);
            ck_assert_str_eq(b.response_headers[i].value, a.response_headers[i].value);
        }
        /* The echoed Origin is a copy, never a pointer into the caller's unterminated bytes. */
        ck_assert_ptr_ne(b.response_headers[2].value, hs[0].value.ptr);
        free(buf2);
        free_slices(&sliced);
    }
    /* A caller built against a smaller gwapi_action: nothing past its size is written. */
    {
        unsigned char old[sizeof(gwapi_action) + 16];
        size_t small = offsetof(gwapi_action, n_mirrors);
        gwapi_action *o = (gwapi_action *)(void *)old;
        memset(old, 0xAB, sizeof(old));
        o->size = small;
        ck_assert_int_eq(gwapi_decision_apply(&d, &req, "http", backend, 2, o, buf, needed,
                                              NULL), 0);
        ck_assert_ptr_nonnull(o->mirrors);
        for (size_t i = small; i < sizeof(old); i++)
            ck_assert_uint_eq(old[i], 0xAB);
    }
    free(buf);
    release(&r);
}
END_TEST

/* CORS values that do not fit were dropped; now they are never cut: the answer is whole or
 * the room it needs is reported. */
/* The spec's misdirected-request detection on HTTPS listeners (C.5 of the digest, the
 * conformance cases of httproute-https-listener-detect-misdirected-requests): the server name
 * chose the listener; a Host that selects another listener of the port gets 421. */
START_TEST(misdirected_requests_get_421)
{
    static const struct {
        const char *sni, *host;
        int status;
        const char *backend;
    } cases[] = {
        { "example.org", "second-example.org", 421, NULL },
        { "example.org", "unknown-example.org", 404, NULL },
        { "second-example.org", "unknown-example.org", 421, NULL },
        { "third-example.wildcard.org", "fith-example.wildcard.org", 200, "wild" },
        { "third-example.wildcard.org", "fourth-example.wildcard.org", 421, NULL },
        { "unknown-example.org", "example.org", 200, "plain" },
        { "second-example.org", "second-example.org:443", 200, "second" },
        { NULL, "second-example.org", 200, "second" },  /* no TLS: the Host chooses */
    };
    struct routed r;

    route_text(&r, GC GW("[{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c}]}},"
                         " {name: second, port: 443, protocol: HTTPS, hostname: second-example.org, tls: {certificateRefs: [{name: c}]}},"
                         " {name: wild, port: 443, protocol: HTTPS, hostname: '*.wildcard.org', tls: {certificateRefs: [{name: c}]}},"
                         " {name: fourth, port: 443, protocol: HTTPS, hostname: fourth-example.wildcard.org, tls: {certificateRefs: [{name: c}]}}]")
        ROUTE("HTTPRoute", "a", "{parentRefs: [{name: gw, sectionName: https}], hostnames: [example.org], rules: [{backendRefs: [{name: plain, port: 80}]}]}")
        ROUTE("HTTPRoute", "b", "{parentRefs: [{name: gw, sectionName: second}], rules: [{backendRefs: [{name: second, port: 80}]}]}")
        ROUTE("HTTPRoute", "c", "{parentRefs: [{name: gw, sectionName: wild}], rules: [{backendRefs: [{name: wild, port: 80}]}]}")
        ROUTE("HTTPRoute", "d", "{parentRefs: [{name: gw, sectionName: fourth}], rules: [{backendRefs: [{name: fourth, port: 80}]}]}"));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_decision d = GWAPI_DECISION_INIT;
        req.sni = cases[i].sni;
        req.host = cases[i].host;
        req.port = 443;
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
        ck_assert_msg(d.status == cases[i].status, "SNI %s, Host %s: %d, want %d", cases[i].sni,
                      cases[i].host, d.status, cases[i].status);
        if (cases[i].backend)
            ck_assert_str_eq(d.backend_name, cases[i].backend);
        ck_assert_int_eq(d.tls, d.listener ? GWAPI_TLS_TERMINATE : GWAPI_TLS_NONE);
    }
    release(&r);
}
END_TEST

/* A TLS listener's mode is in the decision: terminated (the backend gets the plain stream)
 * or passed through. One Gateway holds both (on two ports: on one port, mixed modes are a
 * ProtocolConflict, this implementation's choice where the spec leaves it open). */
START_TEST(tls_listeners_say_terminate_or_passthrough)
{
    struct routed r;
    gwapi_decision d;

    route_text(&r, GC GW("[{name: term, port: 443, protocol: TLS, hostname: t.example.com, tls: {mode: Terminate, certificateRefs: [{name: c}]}},"
                         " {name: pass, port: 8443, protocol: TLS, hostname: p.example.com, tls: {mode: Passthrough}},"
                         " {name: web, port: 80, protocol: HTTP}]")
        ROUTE("TLSRoute", "t", "{parentRefs: [{name: gw, sectionName: term}], hostnames: [t.example.com], rules: [{backendRefs: [{name: tcp-backend, port: 9000}]}]}")
        ROUTE("TLSRoute", "p", "{parentRefs: [{name: gw, sectionName: pass}], hostnames: [p.example.com], rules: [{backendRefs: [{name: tls-backend, port: 8443}]}]}")
        ROUTE("HTTPRoute", "h", "{parentRefs: [{name: gw, sectionName: web}], rules: [{backendRefs: [{name: web, port: 80}]}]}"));
    d = request(&r, GWAPI_PROTOCOL_TLS, NULL, "t.example.com", NULL, NULL, NULL, 0, 0);
    ck_assert_int_eq(d.status, 200);
    ck_assert_str_eq(d.backend_name, "tcp-backend");
    ck_assert_int_eq(d.tls, GWAPI_TLS_TERMINATE);
    d = request(&r, GWAPI_PROTOCOL_TLS, NULL, "p.example.com", NULL, NULL, NULL, 0, 0);
    ck_assert_str_eq(d.backend_name, "tls-backend");
    ck_assert_int_eq(d.tls, GWAPI_TLS_PASSTHROUGH);
    d = get(&r, "w.example.com", "/");
    ck_assert_str_eq(d.backend_name, "web");
    ck_assert_int_eq(d.tls, GWAPI_TLS_NONE);
    release(&r);
}
END_TEST

/* The decision carries what the proxy needs beyond the backend: the rule's timeouts, and the
 * BackendTLSPolicy in force for the backend chosen (one naming its port before one for the
 * whole Service). */
START_TEST(decisions_carry_timeouts_and_backend_tls)
{
    struct routed r;
    gwapi_decision d;

    route_data(&r, "bindings/timeouts-tls.yaml");
    d = get(&r, "h", "/slow");
    ck_assert_int_eq(d.status, 200);
    ck_assert_int_eq(d.request_timeout_ms, 90000);
    ck_assert_int_eq(d.backend_request_timeout_ms, 1500);
    ck_assert_ptr_nonnull(d.backend_tls_policy);
    ck_assert_str_eq(d.backend_tls_policy->metadata->name, "whole");
    /* Over TLS, the Gateway presents its client certificate to the backend. */
    ck_assert_str_eq(d.backend_client_certificate->metadata->name, "to-backends");
    {
        const char *cert, *key;
        size_t cert_len, key_len;
        ck_assert_int_eq(gwapi_secret_keypair(d.backend_client_certificate, &cert, &cert_len,
                                              &key, &key_len), 0);
        ck_assert_int_eq(strncmp(cert, "-----BEGIN CERTIFICATE-----", 27), 0);
        ck_assert_ptr_nonnull(strstr(key, "PRIVATE KEY"));
        ck_assert_int_eq(gwapi_secret_keypair(d.backend_tls_policy, &cert, &cert_len, &key,
                                              &key_len), GWAPI_ENOTFOUND);
    }
    d = get(&r, "h", "/admin");
    ck_assert_int_eq(d.request_timeout_ms, 0);              /* "0s": no timeout */
    ck_assert_int_eq(d.backend_request_timeout_ms, -1);     /* not given */
    ck_assert_str_eq(d.backend_tls_policy->metadata->name, "admin-port");
    d = get(&r, "h", "/other");
    ck_assert_str_eq(d.backend_name, "plain");
    ck_assert_int_eq(d.request_timeout_ms, -1);
    ck_assert_ptr_null(d.backend_tls_policy);
    ck_assert_ptr_null(d.backend_client_certificate); /* plain: no certificate to present */
    release(&r);
}
END_TEST

/* Terminating listeners present the certificates of their Secrets, chosen by server name; the
 * PEM bytes reach the caller and nothing else (no dump shows them). */
START_TEST(certificates_reach_the_caller)
{
    struct fixture f;
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_resolution *res;
    gwapi_router *router;
    gwapi_certificate c = GWAPI_CERTIFICATE_INIT;
    char *dump = NULL;
    size_t n = 0;

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "bindings/https-certs.yaml", 0), 0);
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, &options, f.diags), 0);
    ck_assert_int_eq(gwapi_router_new(&router, res, "ns/gw", f.diags), 0);
    /* By server name: the most specific listener that covers it. */
    ck_assert_int_eq(gwapi_router_certificate(router, 443, "Second.Example.org", 18, &c), 0);
    ck_assert_str_eq(c.listener, "second");
    ck_assert_str_eq(c.secret->metadata->name, "second-cert");
    ck_assert_str_eq(c.hostname, "second.example.org");
    ck_assert_int_eq(strncmp(c.cert_pem, "-----BEGIN CERTIFICATE-----", 27), 0);
    ck_assert_uint_eq(strlen(c.cert_pem), c.cert_pem_len);
    /* stringData wins over data, as the API server merges them. */
    ck_assert_int_eq(strncmp(c.key_pem, "-----BEGIN EC PRIVATE KEY-----\n", 31), 0);
    ck_assert_int_eq(gwapi_router_certificate(router, 443, "foo.example.org", 15, &c), 0);
    ck_assert_str_eq(c.listener, "any");
    ck_assert_ptr_null(c.hostname);
    /* The Gateway's frontend validation: clients are asked for a certificate, and the CA
     * bundle to verify it with comes along. */
    ck_assert_int_eq(c.client_validation, GWAPI_CLIENT_CERT_REQUIRED);
    ck_assert_int_eq(strncmp(c.client_ca_pem, "-----BEGIN CERTIFICATE-----", 27), 0);
    ck_assert_uint_eq(strlen(c.client_ca_pem), c.client_ca_pem_len);
    ck_assert_int_eq(gwapi_router_certificate(router, 443, NULL, 0, &c), 0);
    ck_assert_str_eq(c.listener, "any");
    /* A Secret in another namespace without a ReferenceGrant: the listener is not valid. */
    ck_assert_int_eq(gwapi_router_certificate(router, 8443, "foo.example.org", 15, &c),
                     GWAPI_ENOTFOUND);
    ck_assert_int_eq(gwapi_router_certificate(router, 80, "foo.example.org", 15, &c),
                     GWAPI_ENOTFOUND);
    while (gwapi_router_certificate_at(router, n, &c) == 0)
        n++;
    ck_assert_uint_eq(n, 2);
    /* The keys stay out of what the library writes. */
    ck_assert_int_eq(gwapi_config_emit(f.cfg, GWAPI_FORMAT_YAML, &dump, NULL), 0);
    ck_assert_ptr_null(strstr(dump, "PRIVATE KEY"));
    ck_assert_ptr_null(strstr(dump, "BEGIN CERTIFICATE"));
    gwapi_free(dump);
    gwapi_router_unref(router);
    gwapi_resolution_unref(res);
    fixture_release(&f);

    /* v1alpha1: the listener's one certificateRef, a core Secret of the Gateway's namespace. */
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "bindings/v1alpha1-certs.yaml", 0), 0);
    ck_assert_int_eq(gwapi_resolve(&res, f.cfg, &options, f.diags), 0);
    ck_assert_int_eq(gwapi_router_new(&router, res, "ns/alpha", f.diags), 0);
    c = (gwapi_certificate)GWAPI_CERTIFICATE_INIT;
    ck_assert_int_eq(gwapi_router_certificate(router, 443, "secure.example.org", 18, &c), 0);
    ck_assert_ptr_nonnull(c.secret);
    ck_assert_str_eq(c.secret->metadata->name, "alpha-cert");
    ck_assert_int_eq(strncmp(c.cert_pem, "-----BEGIN CERTIFICATE-----", 27), 0);
    ck_assert_int_eq(strncmp(c.key_pem, "-----BEGIN EC PRIVATE KEY-----", 30), 0);
    /* A reference that is not a Secret presents nothing. */
    if (gwapi_router_certificate(router, 8443, "other.example.org", 17, &c) == 0)
        ck_assert_ptr_null(c.cert_pem);
    /* routeOverride Allow: the route's certificate for its hostname, the listener's for the
     * other names it covers (one label: v1alpha1's wildcards). */
    ck_assert_int_eq(gwapi_router_certificate(router, 9443, "Shop.example.net", 16, &c), 0);
    ck_assert_str_eq(c.secret->metadata->name, "shop-cert");
    ck_assert_str_eq(c.hostname, "shop.example.net");
    ck_assert_int_eq(gwapi_router_certificate(router, 9443, "blog.example.net", 16, &c), 0);
    ck_assert_str_eq(c.secret->metadata->name, "alpha-cert");
    ck_assert_int_eq(gwapi_router_certificate(router, 9443, "a.blog.example.net", 18, &c),
                     GWAPI_ENOTFOUND);
    n = 0;
    while (gwapi_router_certificate_at(router, n, &c) == 0)
        n++;
    ck_assert_uint_eq(n, 3); /* alpha-cert twice (443, 9443), shop-cert */
    gwapi_router_unref(router);
    gwapi_resolution_unref(res);
    fixture_release(&f);
}
END_TEST

/* The v1alpha1 dialect's own sentences (doc/v1alpha1.md), each beside what v1 would do. */
START_TEST(v1alpha1_sentences)
{
    static const gwapi_http_header canary[] = { { "env", "canary" } };
    struct routed r;
    gwapi_decision d;
    const gwapi_status *st = NULL;

    route_data(&r, "bindings/v1alpha1.yaml");
    /* A wildcard covers exactly one label: the listener's "*.example.com"... */
    d = request(&r, GWAPI_PROTOCOL_HTTP, NULL, "foo.example.com", "/foo", NULL, NULL, 0, 0);
    ASSERT_WINNER(d, "exact/0");
    {
        gwapi_request req = GWAPI_REQUEST_INIT;
        req.host = "a.b.example.com";
        req.path = "/foo";
        req.port = 80;
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
        ck_assert_int_eq(d.status, 404);
        ck_assert_ptr_null(d.listener);
    }
    /* ...and a route's "*.example.org" (on the listener without hostname, port 8080). */
    d = get(&r, "a.example.org", "/org");
    ASSERT_WINNER(d, "wild/0");
    ck_assert_int_eq(d.backend_port, 8080); /* no port in forwardTo: the listener's */
    d = get(&r, "a.b.example.org", "/org");
    ck_assert_int_eq(d.status, 404);
    /* The longest matching path, Exact or Prefix alike, then the most header matches: the
     * newer Prefix /foo with a header beats the older Exact /foo (v1: Exact wins). */
    d = request(&r, GWAPI_PROTOCOL_HTTP, NULL, "foo.example.com", "/foo", NULL, canary, 1, 0);
    ASSERT_WINNER(d, "prefix/0");
    /* No forwardTo, no filter that answers: 503 (v1: 500). */
    d = get(&r, "x", "/empty");
    ck_assert_int_eq(d.status, 503);
    /* Filters of v1alpha1 rules and forwardTos reach the decision in v1's shape and apply. */
    {
        static const gwapi_http_header in[] = { { "x-gone", "1" }, { "X-Add", "zero" } };
        gwapi_request req = GWAPI_REQUEST_INIT;
        gwapi_action a = GWAPI_ACTION_INIT;
        char buf[2048];
        const char *seen[8] = { 0 };
        req.host = "x";
        req.path = "/filtered";
        req.port = 8080;
        req.headers = in;
        req.n_headers = 2;
        d = (gwapi_decision)GWAPI_DECISION_INIT;
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
        ck_assert_int_eq(d.status, 200);
        ck_assert_uint_eq(d.n_filters, 2);
        ck_assert_uint_eq(d.n_backend_filters, 1);
        ck_assert_int_eq(gwapi_decision_apply(&d, &req, "http", NULL, 0, &a, buf, sizeof buf,
                                              NULL), 0);
        ck_assert_uint_eq(a.n_request_headers, 4);
        for (size_t i = 0; i < a.n_request_headers; i++) {
            ck_assert_str_ne(a.request_headers[i].name, "x-gone");
            seen[i] = a.request_headers[i].value;
        }
        ck_assert_str_eq(seen[0], "zero");
        ck_assert_str_eq(a.request_headers[1].name, "x-set");
        ck_assert_str_eq(a.request_headers[2].name, "x-add");
        ck_assert_str_eq(a.request_headers[3].name, "x-backend");
        ck_assert_uint_eq(a.n_mirrors, 1);
        ck_assert_str_eq(a.mirrors[0]->backend_name, "exact");
        ck_assert_str_eq(a.mirrors[0]->backend_ns, "r");
        ck_assert_int_eq(a.mirrors[0]->backend_port, 8080); /* no port: the request's */
        ck_assert_int_eq(a.mirrors[0]->numerator, a.mirrors[0]->denominator);
    }
    /* queryParams are matched, never dropped. */
    ck_assert_int_eq(get(&r, "x", "/search").status, 404);
    ck_assert_int_eq(request(&r, GWAPI_PROTOCOL_HTTP, NULL, "x", "/search", "q=1", NULL, 0, 0)
                         .status, 200);
    /* TLSRoute rules by SNI: a one-label wildcard, else the rule without snis; TCPRoute. */
    d = request(&r, GWAPI_PROTOCOL_TLS, NULL, "a.example.net", NULL, NULL, NULL, 0, 0);
    ck_assert_str_eq(d.backend_name, "tls-a");
    ck_assert_int_eq(d.tls, GWAPI_TLS_PASSTHROUGH);
    d = request(&r, GWAPI_PROTOCOL_TLS, NULL, "a.b.example.net", NULL, NULL, NULL, 0, 0);
    ck_assert_str_eq(d.backend_name, "tls-default");
    ck_assert_uint_eq(d.rule, 1);
    d = request(&r, GWAPI_PROTOCOL_TCP, NULL, NULL, NULL, NULL, NULL, 0, 0);
    ck_assert_str_eq(d.backend_name, "tcp-svc");
    ck_assert_int_eq(d.backend_port, 9000);
    /* A forwardTo to a Service that does not exist drops the route; the listener says so. */
    ck_assert_int_eq(get(&r, "x", "/ghost").status, 404);
    for (size_t i = 0; i < gwapi_resolution_count(r.res) && !st; i++)
        if (gwapi_resolution_get(r.res, i)->object->kind == GWAPI_KIND_GATEWAY)
            st = gwapi_resolution_get(r.res, i);
    ck_assert_ptr_nonnull(st);
    for (size_t l = 0; l < st->n_listeners; l++) {
        bool degraded = false;
        if (strcmp(st->listeners[l]->protocol, "HTTP") != 0)
            continue; /* the listeners that select HTTPRoutes */
        for (size_t c = 0; c < st->listeners[l]->n_conditions; c++)
            degraded |= !strcmp(st->listeners[l]->conditions[c]->type, "ResolvedRefs") &&
                        !strcmp(st->listeners[l]->conditions[c]->reason, "DegradedRoutes");
        ck_assert(degraded);
    }
    release(&r);
}
END_TEST

START_TEST(slices_are_read_within_their_bounds)
{
    static const char bytes[] = "foo.example.com/loginX-Env:prodPOSTq=1";
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_header_slice h[3];
    char nul[] = "/log\0in";

    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "a", "{parentRefs: [{name: gw}], hostnames: [foo.example.com], rules: ["
              "{matches: [{path: {type: Exact, value: /login}, method: POST, headers: [{name: x-env, value: prod}],"
              " queryParams: [{name: q, value: '1'}]}], backendRefs: [{name: special, port: 80}]},"
              "{backendRefs: [{name: other, port: 80}]}]}"));
    /* Every field a slice of one buffer, none of them terminated where it ends. */
    req.host_slice = (gwapi_slice){ bytes, 15 };
    req.path_slice = (gwapi_slice){ bytes + 15, 6 };
    req.method_slice = (gwapi_slice){ bytes + 31, 4 };
    req.query_slice = (gwapi_slice){ bytes + 35, 3 };
    h[0].name = (gwapi_slice){ NULL, 0 };           /* no header: skipped */
    h[0].value = (gwapi_slice){ "ignored", 7 };
    h[1].name = (gwapi_slice){ bytes + 21, 5 };
    h[1].value = (gwapi_slice){ bytes + 27, 4 };
    h[2].name = (gwapi_slice){ "Empty", 5 };
    h[2].value = (gwapi_slice){ NULL, 0 };          /* the empty value */
    req.header_slices = h;
    req.n_header_slices = 3;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_str_eq(d.backend_name, "special");
    /* One byte less of the method is another method. */
    req.method_slice.len = 3;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_str_eq(d.backend_name, "other");
    req.method_slice.len = 4;
    /* A slice holding a NUL byte is refused, whichever field it is. */
    req.path_slice = (gwapi_slice){ nul, sizeof(nul) - 1 };
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), GWAPI_EINVAL);
    ck_assert_int_eq(d.status, 400);
    req.path_slice = (gwapi_slice){ bytes + 15, 6 };
    h[1].value = (gwapi_slice){ "pr\0d", 4 };
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), GWAPI_EINVAL);
    h[1].value = (gwapi_slice){ bytes + 27, 4 };
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_str_eq(d.backend_name, "special");
    release(&r);
}
END_TEST

START_TEST(cors_values_are_never_cut)
{
    static const gwapi_http_header preflight[] = { { "Origin", "https://app.example.com" },
                                                   { "Access-Control-Request-Method", "PUT" } };
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_action a = GWAPI_ACTION_INIT;
    gwapi_http_header out[8];
    char small[16], *buf;
    size_t n = 99, needed;

    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "c", "{parentRefs: [{name: gw}], rules: [{filters: [{type: CORS, cors: "
              "{allowOrigins: ['*'], allowMethods: [GET, PUT, POST, DELETE, PATCH], allowHeaders: [X-Long-Header-Name-One, X-Long-Header-Name-Two],"
              " maxAge: 60}}]}]}"));
    req.method = "OPTIONS";
    req.headers = preflight;
    req.n_headers = 2;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
    ck_assert_int_eq(d.status, 204);
    /* The old call: all or nothing. */
    ck_assert_int_eq(gwapi_decision_cors(&d, &req, out, 8, &n, small, sizeof(small)),
                     GWAPI_CORS_PREFLIGHT);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(gwapi_decision_apply(&d, &req, NULL, NULL, 0, &a, small, sizeof(small),
                                          &needed), GWAPI_ELIMIT);
    buf = malloc(needed);
    ck_assert_int_eq(gwapi_decision_apply(&d, &req, NULL, NULL, 0, &a, buf, needed, NULL), 0);
    ck_assert_int_eq(a.cors, GWAPI_CORS_PREFLIGHT);
    ck_assert_uint_eq(a.n_response_headers, 4);
    ck_assert_str_eq(a.response_headers[1].value, "GET, PUT, POST, DELETE, PATCH");
    ck_assert_str_eq(a.response_headers[2].value, "X-Long-Header-Name-One, X-Long-Header-Name-Two");
    ck_assert_str_eq(a.response_headers[3].name, "Access-Control-Max-Age");
    ck_assert_str_eq(a.response_headers[3].value, "60");
    ck_assert_ptr_null(a.path);
    free(buf);
    release(&r);
}
END_TEST

/* Callers built against an older, smaller gwapi_request or gwapi_decision keep working: the
 * library reads and writes only the first size bytes (fields past them read as defaults). */
START_TEST(smaller_structs_are_honoured)
{
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    unsigned char raw[sizeof(gwapi_decision) + 16];
    gwapi_decision *d = (gwapi_decision *)(void *)raw, full = GWAPI_DECISION_INIT;
    size_t small = offsetof(gwapi_decision, matched_prefix);
    char path[64];

    route_text(&r, GC GW(HTTP_ONLY)
        ROUTE("HTTPRoute", "w", "{parentRefs: [{name: gw}], rules: [{matches: [{path: {value: /a}}],"
              " filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}],"
              " backendRefs: [{name: one, port: 80, weight: 1}, {name: two, port: 80, weight: 1}]}]}"));
    req.host = "h";
    req.path = "/a/x";
    req.random = 1; /* the second backend, for a caller that knows "random" */
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &full), 0);
    ck_assert_str_eq(full.backend_name, "two");
    /* without "random" (read as 0): the first backend */
    req.size = offsetof(gwapi_request, random);
    memset(raw, 0xAB, sizeof(raw));
    d->size = small;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, d), 0);
    ck_assert_int_eq(d->status, 200);
    ck_assert_str_eq(d->backend_name, "one");
    for (size_t i = small; i < sizeof(raw); i++)
        ck_assert_uint_eq(raw[i], 0xAB);
    /* the helpers read only what the caller's decision holds: without matched_prefix, the
     * prefix is not known, so ReplacePrefixMatch replaces nothing */
    ck_assert_uint_gt(gwapi_decision_rewrite_path(d, &req, path, sizeof(path)), 0);
    ck_assert_str_eq(path, "/b/a/x");
    ck_assert_uint_eq(gwapi_decision_rewrite_path(&full, &req, path, sizeof(path)), 4);
    ck_assert_str_eq(path, "/b/x");
    req.size = 2;
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &full), GWAPI_EINVAL);
    release(&r);
}
END_TEST

START_TEST(misuse_is_einval)
{
    struct routed r;
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_http_header out[4];
    size_t n;

    route_text(&r, GC GW(HTTP_ONLY) ROUTE("HTTPRoute", "h", "{parentRefs: [{name: gw}]}"));
    req.n_headers = 3; /* and no array */
    ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_headers_modify(NULL, NULL, 2, out, 4, &n), GWAPI_EINVAL);
    {
        gwapi_action a = GWAPI_ACTION_INIT;
        char buf[64];
        req.n_headers = 0;
        ck_assert_int_eq(gwapi_router_match(r.router, &req, &d), 0);
        ck_assert_int_eq(gwapi_decision_apply(&d, &req, NULL, NULL, 1, &a, buf, 64, NULL), GWAPI_EINVAL);
        ck_assert_int_eq(gwapi_decision_apply(&d, &req, NULL, NULL, 0, &a, NULL, 64, NULL), GWAPI_EINVAL);
        ck_assert_int_eq(gwapi_decision_apply(NULL, &req, NULL, NULL, 0, &a, buf, 64, NULL), GWAPI_EINVAL);
        a.size = 0;
        ck_assert_int_eq(gwapi_decision_apply(&d, &req, NULL, NULL, 0, &a, buf, 64, NULL), GWAPI_EINVAL);
    }
    release(&r);
}
END_TEST

Suite *
suite_router(void)
{
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("router");
    /* A million decisions: its own case, given the time a sanitizer build needs. */
    TCase *differential = tcase_create("differential");
    tcase_add_test(differential, matches_reference);
    tcase_set_timeout(differential, 900);
    suite_add_tcase(s, differential);
    tcase_add_test(tc, path_precedence);
    tcase_add_test(tc, condition_precedence);
    tcase_add_test(tc, hosts_and_listeners);
    tcase_add_test(tc, weighted_backends);
    tcase_add_test(tc, redirects);
    tcase_add_test(tc, rewrites_and_header_edits);
    tcase_add_test(tc, cors);
    tcase_add_test(tc, grpc_tls_and_streams);
    tcase_add_test(tc, many_threads_one_router);
    tcase_add_test(tc, holder_swaps_routers_while_readers_match);
    tcase_add_test(tc, unknown_gateway);
    tcase_add_test(tc, last_reference_releases_everything);
    tcase_add_test(tc, prefixes_of_many_segments);
    tcase_add_test(tc, long_hosts_are_refused);
    tcase_add_test(tc, regex_limits_are_explicit);
    tcase_add_test(tc, action_applies_every_filter);
    tcase_add_test(tc, cors_values_are_never_cut);
    tcase_add_test(tc, slices_are_read_within_their_bounds);
    tcase_add_test(tc, misdirected_requests_get_421);
    tcase_add_test(tc, v1alpha1_sentences);
    tcase_add_test(tc, certificates_reach_the_caller);
    tcase_add_test(tc, decisions_carry_timeouts_and_backend_tls);
    tcase_add_test(tc, tls_listeners_say_terminate_or_passthrough);
    tcase_add_test(tc, smaller_structs_are_honoured);
    tcase_add_test(tc, misuse_is_einval);
    suite_add_tcase(s, tc);
    return s;
}
