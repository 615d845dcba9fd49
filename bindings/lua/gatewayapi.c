/* The gatewayapi Lua module: load manifests, read their diagnostics, status and explanations,
 * and route requests through a Gateway. One source for Lua 5.1, LuaJIT 2.1, Lua 5.3 and 5.4.
 *
 *   local gw = require "gatewayapi"
 *   local config, err, diags = gw.load{ files = {"seed.yaml"} }
 *   local router = assert(config:router("default/prod-web"))
 *   local d = router:match{ host = "foo.example.com", path = "/login" }
 *   print(d.status, d.backend)
 *
 * Failures of the input come back as nil, message (and diagnostics); misuse raises errors. */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include <gatewayapi.h>

#define CONFIG_MT "gatewayapi.config"
#define ROUTER_MT "gatewayapi.router"
#define HOLDER_MT "gatewayapi.holder"
#define MAX_HEADERS 128

#if LUA_VERSION_NUM < 502
#define lua_rawlen lua_objlen
#endif

/* The functions into the table on top of the stack (luaL_setfuncs is not in Lua 5.1). */
static void
set_functions(lua_State *L, const luaL_Reg *l)
{
    for (; l->name; l++) {
        lua_pushcfunction(L, l->func);
        lua_setfield(L, -2, l->name);
    }
}

struct config {
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;
    gwapi_resolution *res; /* made on first need; updated by config:apply() */
    char *controller;
    struct made {          /* the last router made of each Gateway: the next is updated from it */
        char *gateway;
        gwapi_router *router;
    } *made;
    size_t n_made;
};

struct router {
    gwapi_router *router;
};

static void
set_string(lua_State *L, const char *key, const char *value)
{
    if (!value)
        return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

static void
set_integer(lua_State *L, const char *key, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

static void
new_object(lua_State *L, size_t size, const char *metatable)
{
    void *p = lua_newuserdata(L, size);
    memset(p, 0, size);
    luaL_getmetatable(L, metatable);
    lua_setmetatable(L, -2);
}

/* --- diagnostics ------------------------------------------------------------------------ */

static void
push_diagnostics(lua_State *L, const gwapi_diags *diags)
{
    static const char *const severities[] = { "error", "warning", "info" };
    char text[4096];

    lua_createtable(L, (int)gwapi_diags_count(diags), 0);
    for (size_t i = 0; i < gwapi_diags_count(diags); i++) {
        const gwapi_diag *d = gwapi_diags_get(diags, i);
        lua_createtable(L, 0, 12);
        set_string(L, "severity", d->severity <= GWAPI_SEVERITY_INFO ? severities[d->severity]
                                                                    : "error");
        set_string(L, "code", d->code);
        set_string(L, "message", d->message);
        set_string(L, "source", d->source);
        set_integer(L, "line", d->line);
        set_integer(L, "column", d->column);
        set_string(L, "kind", d->kind);
        set_string(L, "namespace", d->ns);
        set_string(L, "name", d->name);
        set_string(L, "path", d->path);
        set_string(L, "reason", d->reason);
        gwapi_diag_format(d, text, sizeof(text));
        set_string(L, "text", text);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

/* --- load ----------------------------------------------------------------------------------- */

static bool
opt_boolean(lua_State *L, int table, const char *key, bool fallback)
{
    bool v;
    lua_getfield(L, table, key);
    v = lua_isnil(L, -1) ? fallback : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* gatewayapi.load(path, ...) or gatewayapi.load{files = {...}, text = "...", validate = true,
 * strict = false, controller = "..."}: a config, or nil, message, diagnostics when an input
 * cannot be read. Problems in the input are the config's diagnostics(). */
static int
l_load(lua_State *L)
{
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    struct config *c;
    int failed = 0, n_args = lua_gettop(L);
    char failure[1024] = "";

    new_object(L, sizeof(*c), CONFIG_MT);
    c = lua_touserdata(L, -1);
    if (gwapi_ctx_new(&c->ctx) || gwapi_config_new(&c->cfg, c->ctx) ||
        gwapi_diags_new(&c->diags, c->ctx))
        return luaL_error(L, "gatewayapi.load: out of memory");
    options.flags = GWAPI_LOAD_VALIDATE;
    if (n_args == 1 && lua_istable(L, 1)) {
        options.flags = (opt_boolean(L, 1, "validate", true) ? GWAPI_LOAD_VALIDATE : 0) |
                        (opt_boolean(L, 1, "strict", false) ? GWAPI_LOAD_STRICT : 0);
        lua_getfield(L, 1, "controller");
        if (lua_isstring(L, -1))
            c->controller = strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_getfield(L, 1, "files");
        if (!lua_isnil(L, -1)) {
            luaL_checktype(L, -1, LUA_TTABLE);
            for (int i = 1; i <= (int)lua_rawlen(L, -1); i++) {
                int rc;
                lua_rawgeti(L, -1, i);
                rc = gwapi_config_load_file(c->cfg, luaL_checkstring(L, -1), &options, c->diags);
                if (rc != 0 && rc != GWAPI_EINPUT && !failed++)
                    snprintf(failure, sizeof(failure), "%s: %s", lua_tostring(L, -1),
                             gwapi_strerror(rc));
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
        lua_getfield(L, 1, "text");
        if (!lua_isnil(L, -1)) {
            size_t len;
            const char *text = luaL_checklstring(L, -1, &len);
            int rc = gwapi_config_load_buffer(c->cfg, text, len, "<text>", &options, c->diags);
            if (rc != 0 && rc != GWAPI_EINPUT && !failed++)
                snprintf(failure, sizeof(failure), "<text>: %s", gwapi_strerror(rc));
        }
        lua_pop(L, 1);
    } else {
        for (int i = 1; i <= n_args; i++) {
            int rc = gwapi_config_load_file(c->cfg, luaL_checkstring(L, i), &options, c->diags);
            if (rc != 0 && rc != GWAPI_EINPUT && !failed++)
                snprintf(failure, sizeof(failure), "%s: %s", lua_tostring(L, i),
                         gwapi_strerror(rc));
        }
    }
    if (failed) {
        lua_pushnil(L);
        lua_pushstring(L, failure);
        push_diagnostics(L, c->diags);
        return 3;
    }
    return 1;
}

static struct config *
check_config(lua_State *L)
{
    struct config *c = luaL_checkudata(L, 1, CONFIG_MT);
    if (!c->cfg)
        luaL_error(L, "gatewayapi: the config was closed");
    return c;
}

static gwapi_resolution *
resolution(lua_State *L, struct config *c)
{
    if (!c->res) {
        gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
        options.controller_name = c->controller;
        if (gwapi_resolve(&c->res, c->cfg, &options, NULL))
            luaL_error(L, "gatewayapi: out of memory");
    }
    return c->res;
}

static int
l_config_diagnostics(lua_State *L)
{
    push_diagnostics(L, check_config(L)->diags);
    return 1;
}

/* config:objects(): {{kind, namespace, name, api_version, source, line}, ...} */
static int
l_config_objects(lua_State *L)
{
    struct config *c = check_config(L);
    lua_createtable(L, (int)gwapi_config_count(c->cfg), 0);
    for (size_t i = 0; i < gwapi_config_count(c->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(c->cfg, i);
        lua_createtable(L, 0, 6);
        set_string(L, "kind", o->kind_name);
        set_string(L, "namespace", o->metadata->namespace_);
        set_string(L, "name", o->metadata->name);
        set_string(L, "api_version", o->api_version);
        set_string(L, "source", o->source);
        set_integer(L, "line", o->line);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* config:status([gateway [, "json"|"yaml"]]): the status List as text, or nil, message. */
static int
l_config_status(lua_State *L)
{
    struct config *c = check_config(L);
    const char *gateway = luaL_optstring(L, 2, NULL);
    const char *format = luaL_optstring(L, 3, "json");
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (strcmp(format, "json") != 0 && strcmp(format, "yaml") != 0)
        return luaL_argerror(L, 3, "\"json\" or \"yaml\"");
    rc = gwapi_resolution_emit(resolution(L, c), gateway,
                               format[0] == 'y' ? GWAPI_FORMAT_YAML : GWAPI_FORMAT_JSON, &text,
                               &len);
    if (rc) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: %s", gateway ? gateway : "status", gwapi_strerror(rc));
        return 2;
    }
    lua_pushlstring(L, text, len);
    gwapi_free(text);
    return 1;
}

/* config:explain(kind, "ns/name"): the ordered checks, or nil, message. */
static int
l_config_explain(lua_State *L)
{
    struct config *c = check_config(L);
    const char *kind = luaL_checkstring(L, 2), *full = luaL_checkstring(L, 3);
    const char *slash = strrchr(full, '/');
    const gwapi_explain_step *const *steps;
    size_t n;

    for (size_t i = 0; i < gwapi_config_count(c->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(c->cfg, i);
        const char *ns = o->metadata->namespace_ ? o->metadata->namespace_ : "";
        if (strcmp(o->kind_name, kind) != 0 || strcmp(o->metadata->name, slash ? slash + 1 : full))
            continue;
        if (slash ? strlen(ns) != (size_t)(slash - full) || strncmp(ns, full, slash - full)
                  : strcmp(ns, "default") != 0)
            continue;
        if (gwapi_resolution_explain(resolution(L, c), o, &steps, &n))
            break;
        lua_createtable(L, (int)n, 0);
        for (size_t k = 0; k < n; k++) {
            lua_createtable(L, 0, 6);
            set_string(L, "parent", steps[k]->parent);
            set_string(L, "listener", steps[k]->listener);
            set_string(L, "check", steps[k]->check);
            lua_pushboolean(L, steps[k]->passed);
            lua_setfield(L, -2, "passed");
            set_string(L, "reason", steps[k]->reason);
            set_string(L, "message", steps[k]->message);
            lua_rawseti(L, -2, (int)k + 1);
        }
        return 1;
    }
    lua_pushnil(L);
    lua_pushfstring(L, "no %s %s", kind, full);
    return 2;
}

/* "ns/name", or "name" for a cluster-scoped object. */
static void
push_id(lua_State *L, const gwapi_object *o)
{
    if (o->metadata->namespace_)
        lua_pushfstring(L, "%s/%s", o->metadata->namespace_, o->metadata->name);
    else
        lua_pushstring(L, o->metadata->name);
}

/* config:apply(text): watch events (or objects) applied with the API server's rules; returns
 * {statuses = {{kind, "ns/name"}, ...}, routers = {"ns/name", ...}, diagnostics = {...}}: what
 * changed. Routers made before keep working, unchanged. */
static int
l_config_apply(lua_State *L)
{
    struct config *c = check_config(L);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    gwapi_changes changes = GWAPI_CHANGES_INIT;
    gwapi_resolution *before;
    gwapi_diags *diags;
    int rc;

    if (strlen(text) != len)
        return luaL_error(L, "gatewayapi: the text holds a NUL byte");
    before = gwapi_resolution_ref(resolution(L, c));
    if (gwapi_diags_new(&diags, c->ctx)) {
        gwapi_resolution_unref(before);
        return luaL_error(L, "gatewayapi: out of memory");
    }
    options.flags = GWAPI_LOAD_VALIDATE;
    rc = gwapi_config_load_buffer(c->cfg, text, len, "<apply>", &options, diags);
    /* Updated from the one before: only what changed is resolved again. */
    gwapi_resolution_unref(c->res);
    c->res = NULL;
    if (gwapi_resolution_update(&c->res, before, c->cfg, NULL))
        c->res = NULL;
    lua_createtable(L, 0, 3);
    push_diagnostics(L, diags);
    lua_setfield(L, -2, "diagnostics");
    gwapi_diags_free(diags);
    if ((rc && rc != GWAPI_EINPUT) ||
        gwapi_resolution_changes(before, resolution(L, c), &changes)) {
        gwapi_resolution_unref(before);
        return luaL_error(L, "gatewayapi: %s", gwapi_strerror(rc ? rc : GWAPI_ENOMEM));
    }
    gwapi_resolution_unref(before);
    lua_createtable(L, (int)changes.n_statuses, 0);
    for (size_t i = 0; i < changes.n_statuses; i++) {
        lua_createtable(L, 2, 0);
        lua_pushstring(L, changes.statuses[i]->kind_name);
        lua_rawseti(L, -2, 1);
        push_id(L, changes.statuses[i]);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "statuses");
    lua_createtable(L, (int)changes.n_gateways, 0);
    for (size_t i = 0; i < changes.n_gateways; i++) {
        push_id(L, changes.gateways[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "routers");
    gwapi_changes_release(&changes);
    return 1;
}

/* config:router("ns/name"): a router, or nil, message. */
static int
l_config_router(lua_State *L)
{
    struct config *c = check_config(L);
    const char *gateway = luaL_checkstring(L, 2);
    struct router *r;
    int rc;

    struct made *m = NULL;

    for (size_t i = 0; i < c->n_made && !m; i++)
        if (strcmp(c->made[i].gateway, gateway) == 0)
            m = &c->made[i];
    if (!m) {
        struct made *grown = realloc(c->made, (c->n_made + 1) * sizeof(*grown));
        char *name = strdup(gateway);
        if (!grown || !name) {
            free(name);
            if (grown)
                c->made = grown;
            return luaL_error(L, "gatewayapi: out of memory");
        }
        c->made = grown;
        m = &c->made[c->n_made++];
        m->gateway = name;
        m->router = NULL;
    }
    new_object(L, sizeof(*r), ROUTER_MT);
    r = lua_touserdata(L, -1);
    /* From the last router of this Gateway, the new one shares what did not change. */
    rc = m->router ? gwapi_router_update(&r->router, m->router, resolution(L, c), NULL)
                   : gwapi_router_new(&r->router, resolution(L, c), gateway, NULL);
    if (rc) {
        lua_pushnil(L);
        lua_pushfstring(L, "Gateway %s: %s", gateway, gwapi_strerror(rc));
        return 2;
    }
    gwapi_router_unref(m->router);
    m->router = gwapi_router_ref(r->router);
    return 1;
}

static int
l_config_close(lua_State *L)
{
    struct config *c = luaL_checkudata(L, 1, CONFIG_MT);
    for (size_t i = 0; i < c->n_made; i++) {
        gwapi_router_unref(c->made[i].router);
        free(c->made[i].gateway);
    }
    free(c->made);
    c->made = NULL;
    c->n_made = 0;
    gwapi_resolution_unref(c->res);
    gwapi_diags_free(c->diags);
    gwapi_config_unref(c->cfg);
    gwapi_ctx_unref(c->ctx);
    free(c->controller);
    memset(c, 0, sizeof(*c));
    return 0;
}

/* --- matching ------------------------------------------------------------------------------- */

/* A string of the request table as a slice (the table keeps it alive during the call); ptr
 * NULL when the field is absent. */
static gwapi_slice
field_slice(lua_State *L, int table, const char *key)
{
    gwapi_slice v = { NULL, 0 };

    lua_getfield(L, table, key);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return v;
    }
    /* Only a string the table holds stays alive once popped: a number would be converted into
     * a new string that nothing references. */
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "gatewayapi: %s must be a string, not a %s", key, luaL_typename(L, -1));
    v.ptr = lua_tolstring(L, -1, &v.len);
    if (memchr(v.ptr, '\0', v.len))
        luaL_error(L, "gatewayapi: %s holds a NUL byte", key);
    lua_pop(L, 1); /* the string stays alive: the request table still holds it */
    return v;
}

static const char *
field_string(lua_State *L, int table, const char *key, const char *fallback)
{
    gwapi_slice v = field_slice(L, table, key);
    return v.ptr ? v.ptr : fallback; /* a Lua string is NUL-terminated, and holds no other NUL */
}

/* A string the caller's table holds (so it outlives the stack slot), as a slice; numbers are
 * refused, since converting one would make a string only the stack holds. */
static gwapi_slice
held_slice(lua_State *L, int index)
{
    gwapi_slice s;

    if (lua_type(L, index) != LUA_TSTRING)
        luaL_error(L, "gatewayapi: header names and values must be strings");
    s.ptr = lua_tolstring(L, index, &s.len);
    if (memchr(s.ptr, '\0', s.len))
        luaL_error(L, "gatewayapi: a header name or value holds a NUL byte");
    return s;
}

/* Headers as {name = value, ...} or {{name, value}, ...}, as slices of the strings the
 * caller's table holds during the call. */
static size_t
read_header_slices(lua_State *L, int table, const char *key, gwapi_header_slice *out)
{
    size_t n = 0;

    lua_getfield(L, table, key);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    luaL_checktype(L, -1, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (n == MAX_HEADERS)
            luaL_error(L, "gatewayapi: more than %d headers", MAX_HEADERS);
        if (lua_istable(L, -1)) {
            lua_rawgeti(L, -1, 1);
            lua_rawgeti(L, -2, 2);
            out[n].name = held_slice(L, -2);
            out[n].value = held_slice(L, -1);
            lua_pop(L, 2);
        } else if (lua_type(L, -2) == LUA_TSTRING) {
            out[n].name = held_slice(L, -2);
            out[n].value = held_slice(L, -1);
        } else {
            luaL_error(L, "gatewayapi: headers are {name = value} or {{name, value}}");
        }
        n++;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

/* The same as C strings (Lua strings are NUL-terminated, and were checked to hold no other). */
static size_t
read_headers(lua_State *L, int table, const char *key, gwapi_http_header *out)
{
    gwapi_header_slice slices[MAX_HEADERS];
    size_t n = read_header_slices(L, table, key, slices);

    for (size_t i = 0; i < n; i++) {
        out[i].name = slices[i].name.ptr;
        out[i].value = slices[i].value.ptr;
    }
    return n;
}

static void
push_headers(lua_State *L, const gwapi_http_header *h, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 2, 0);
        lua_pushstring(L, h[i].name);
        lua_rawseti(L, -2, 1);
        lua_pushstring(L, h[i].value);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

/* The mirrors as "ns/name:port". */
static void
push_mirrors(lua_State *L, const gwapi_action *a)
{
    lua_createtable(L, (int)a->n_mirrors, 0);
    for (size_t i = 0; i < a->n_mirrors; i++) {
        lua_pushfstring(L, "%s/%s:%d", a->mirrors[i]->backend_ns, a->mirrors[i]->backend_name,
                        (int)a->mirrors[i]->backend_port);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

/* The decision's filters applied (gwapi_decision_apply()) and set in the table on top. The
 * stack buffer serves nearly every request; a larger one is asked for when the library says so. */
static void
set_action(lua_State *L, const gwapi_decision *d, const gwapi_request *req, const char *scheme,
           const gwapi_http_header *response, size_t n_response)
{
    gwapi_action a = GWAPI_ACTION_INIT;
    char stack[8192];
    void *buf = stack;
    size_t needed = 0;

    if (gwapi_decision_apply(d, req, scheme, response, n_response, &a, stack, sizeof(stack),
                             &needed) == GWAPI_ELIMIT) {
        /* Raising would leak it: it lives in a userdata the collector owns. */
        buf = lua_newuserdata(L, needed);
        gwapi_decision_apply(d, req, scheme, response, n_response, &a, buf, needed, NULL);
        lua_insert(L, -2);
    }
    if (a.location) {
        lua_pushstring(L, a.location);
        lua_setfield(L, -2, "location");
    }
    if (a.path) {
        set_string(L, "host", a.host);
        set_string(L, "path", a.path);
        push_headers(L, a.request_headers, a.n_request_headers);
        lua_setfield(L, -2, "request_headers");
        push_mirrors(L, &a);
        lua_setfield(L, -2, "mirrors");
    }
    if (a.path || d->status == 204) {
        push_headers(L, a.response_headers, a.n_response_headers);
        lua_setfield(L, -2, "response_headers");
    }
    if (buf != stack)
        lua_remove(L, -2);
}

/* router:match{host=, path=, method=, headers=, query=, port=, random=, protocol=, sni=,
 * scheme=, backend_response_headers=}: the decision as a table. */
static int
l_router_match(lua_State *L)
{
    static const char *const protocols[] = { "http", "grpc", "tls", "tcp", "udp", NULL };
    struct router *r = luaL_checkudata(L, 1, ROUTER_MT);
    gwapi_request req = GWAPI_REQUEST_INIT;
    gwapi_decision d = GWAPI_DECISION_INIT;
    gwapi_header_slice headers[MAX_HEADERS];

    if (!r->router)
        return luaL_error(L, "gatewayapi: the router was closed");
    luaL_checktype(L, 2, LUA_TTABLE);
    /* The request as slices of the Lua strings: read in place, never copied. */
    req.host_slice = field_slice(L, 2, "host");
    req.sni_slice = field_slice(L, 2, "sni");
    req.method_slice = field_slice(L, 2, "method");
    req.path_slice = field_slice(L, 2, "path");
    req.query_slice = field_slice(L, 2, "query");
    lua_getfield(L, 2, "protocol");
    req.protocol = (gwapi_protocol)luaL_checkoption(L, -1, "http", protocols);
    lua_pop(L, 1);
    lua_getfield(L, 2, "port");
    req.port = (unsigned)luaL_optinteger(L, -1, 0);
    lua_pop(L, 1);
    lua_getfield(L, 2, "random");
    req.random = lua_isnil(L, -1) ? ((uint32_t)rand() << 16 ^ (uint32_t)rand())
                                  : (uint32_t)luaL_checknumber(L, -1);
    lua_pop(L, 1);
    req.n_header_slices = read_header_slices(L, 2, "headers", headers);
    req.header_slices = headers;
    gwapi_router_match(r->router, &req, &d);

    lua_createtable(L, 0, 16);
    set_integer(L, "status", d.status);
    set_string(L, "listener", d.listener);
    if (d.tls != GWAPI_TLS_NONE)
        set_string(L, "tls", d.tls == GWAPI_TLS_TERMINATE ? "terminate" : "passthrough");
    if (d.request_timeout_ms >= 0)
        set_integer(L, "request_timeout_ms", (lua_Integer)d.request_timeout_ms);
    if (d.backend_request_timeout_ms >= 0)
        set_integer(L, "backend_request_timeout_ms", (lua_Integer)d.backend_request_timeout_ms);
    if (d.backend_tls_policy) {
        lua_pushfstring(L, "%s/%s", d.backend_tls_policy->metadata->namespace_,
                        d.backend_tls_policy->metadata->name);
        lua_setfield(L, -2, "backend_tls_policy");
    }
    if (d.backend_client_certificate) {
        lua_pushfstring(L, "%s/%s", d.backend_client_certificate->metadata->namespace_,
                        d.backend_client_certificate->metadata->name);
        lua_setfield(L, -2, "backend_tls_client_certificate");
    }
    if (d.route) {
        lua_pushfstring(L, "%s/%s", d.route->metadata->namespace_, d.route->metadata->name);
        lua_setfield(L, -2, "route");
        set_string(L, "route_kind", d.route->kind_name);
        set_integer(L, "rule", (lua_Integer)d.rule);
        set_integer(L, "match", (lua_Integer)d.match);
    }
    if (d.backend_name) {
        lua_pushfstring(L, "%s/%s:%d", d.backend_ns, d.backend_name, (int)d.backend_port);
        lua_setfield(L, -2, "backend");
        set_string(L, "backend_namespace", d.backend_ns);
        set_string(L, "backend_name", d.backend_name);
        set_integer(L, "backend_port", (lua_Integer)d.backend_port);
    }
    {
        gwapi_http_header response[MAX_HEADERS];
        size_t n = d.status == 200 ? read_headers(L, 2, "backend_response_headers", response) : 0;
        set_action(L, &d, &req, field_string(L, 2, "scheme", "http"), response, n);
    }
    return 1;
}

/* router:certificate([sni [, port]]): {listener =, hostname =, secret = "ns/name", cert_pem =,
 * key_pem =} of the terminating listener a TLS connection with that server name reaches, or
 * nil. */
static int
l_router_certificate(lua_State *L)
{
    struct router *r = luaL_checkudata(L, 1, ROUTER_MT);
    size_t len = 0;
    const char *sni = luaL_optlstring(L, 2, NULL, &len);
    lua_Integer port = luaL_optinteger(L, 3, 0);
    gwapi_certificate c = GWAPI_CERTIFICATE_INIT;

    if (!r->router)
        return luaL_error(L, "gatewayapi: the router was closed");
    if (port < 0 || port > 65535)
        return luaL_error(L, "gatewayapi: port must be from 0 to 65535");
    if (gwapi_router_certificate(r->router, (unsigned)port, sni, len, &c) != 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 7);
    set_string(L, "listener", c.listener);
    set_string(L, "hostname", c.hostname);
    if (c.client_validation != GWAPI_CLIENT_CERT_NONE)
        set_string(L, "client_certificate",
                   c.client_validation == GWAPI_CLIENT_CERT_REQUIRED ? "required" : "optional");
    if (c.client_ca_pem) {
        lua_pushlstring(L, c.client_ca_pem, c.client_ca_pem_len);
        lua_setfield(L, -2, "client_ca_pem");
    }
    if (!c.secret) /* the listener's Secrets are not in the configuration */
        return 1;
    lua_pushfstring(L, "%s/%s", c.secret->metadata->namespace_, c.secret->metadata->name);
    lua_setfield(L, -2, "secret");
    lua_pushlstring(L, c.cert_pem, c.cert_pem_len);
    lua_setfield(L, -2, "cert_pem");
    lua_pushlstring(L, c.key_pem, c.key_pem_len);
    lua_setfield(L, -2, "key_pem");
    return 1;
}

/* router:pointer(): the gwapi_router * as a light userdata, for LuaJIT's FFI (gatewayapi_ffi).
 * It stays valid while the router object lives. */
static int
l_router_pointer(lua_State *L)
{
    struct router *r = luaL_checkudata(L, 1, ROUTER_MT);
    if (!r->router)
        return luaL_error(L, "gatewayapi: the router was closed");
    lua_pushlightuserdata(L, r->router);
    return 1;
}

/* The registry's table of router pointers that gatewayapi_ffi caches (module field
 * _pointers): a router leaves it when it is closed, so that the FFI path never matches with a
 * router already released. */
static const char FFI_POINTERS[] = "gatewayapi.ffi_pointers";

static int
l_router_close(lua_State *L)
{
    struct router *r = luaL_checkudata(L, 1, ROUTER_MT);
    gwapi_router_unref(r->router);
    r->router = NULL;
    lua_getfield(L, LUA_REGISTRYINDEX, FFI_POINTERS);
    if (lua_istable(L, -1)) {
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, -3);
    }
    lua_pop(L, 1);
    return 0;
}

/* gw.holder(): the current router, for hosts whose Lua states share routers across threads:
 * holder:publish(router) (or nil), holder:acquire() -> a router, or nil. */
struct holder {
    gwapi_router_holder *h;
};

static int
l_holder(lua_State *L)
{
    struct holder *h;
    new_object(L, sizeof(*h), HOLDER_MT);
    h = lua_touserdata(L, -1);
    if (gwapi_router_holder_new(&h->h, NULL))
        return luaL_error(L, "gatewayapi: out of memory");
    return 1;
}

static struct holder *
check_holder(lua_State *L)
{
    struct holder *h = luaL_checkudata(L, 1, HOLDER_MT);
    if (!h->h)
        luaL_error(L, "gatewayapi: the holder was closed");
    return h;
}

static int
l_holder_publish(lua_State *L)
{
    struct holder *h = check_holder(L);
    struct router *r = lua_isnoneornil(L, 2) ? NULL : luaL_checkudata(L, 2, ROUTER_MT);
    if (r && !r->router)
        return luaL_error(L, "gatewayapi: the router was closed");
    gwapi_router_holder_publish(h->h, r ? r->router : NULL);
    return 0;
}

static int
l_holder_acquire(lua_State *L)
{
    struct holder *h = check_holder(L);
    gwapi_router *router = gwapi_router_holder_acquire(h->h);
    struct router *r;
    if (!router) {
        lua_pushnil(L);
        return 1;
    }
    new_object(L, sizeof(*r), ROUTER_MT);
    r = lua_touserdata(L, -1);
    r->router = router;
    return 1;
}

static int
l_holder_close(lua_State *L)
{
    struct holder *h = luaL_checkudata(L, 1, HOLDER_MT);
    gwapi_router_holder_free(h->h);
    h->h = NULL;
    return 0;
}

static int
l_version(lua_State *L)
{
    lua_pushstring(L, gwapi_version_string());
    return 1;
}

static void
new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction close)
{
    luaL_newmetatable(L, name);
    lua_newtable(L);
    set_functions(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, close);
    lua_setfield(L, -2, "__gc");
#if LUA_VERSION_NUM >= 504
    lua_pushcfunction(L, close);
    lua_setfield(L, -2, "__close");
#endif
    lua_pop(L, 1);
}

int luaopen_gatewayapi(lua_State *L);

int
luaopen_gatewayapi(lua_State *L)
{
    static const luaL_Reg config_methods[] = {
        { "diagnostics", l_config_diagnostics }, { "objects", l_config_objects },
        { "status", l_config_status },           { "explain", l_config_explain },
        { "router", l_config_router },           { "close", l_config_close },
        { "apply", l_config_apply },
        { NULL, NULL },
    };
    static const luaL_Reg router_methods[] = {
        { "match", l_router_match }, { "pointer", l_router_pointer },
        { "certificate", l_router_certificate },
        { "close", l_router_close }, { NULL, NULL },
    };
    static const luaL_Reg holder_methods[] = {
        { "publish", l_holder_publish }, { "acquire", l_holder_acquire },
        { "close", l_holder_close }, { NULL, NULL },
    };
    static const luaL_Reg functions[] = {
        { "load", l_load }, { "version", l_version }, { "holder", l_holder }, { NULL, NULL },
    };

    new_class(L, CONFIG_MT, config_methods, l_config_close);
    new_class(L, ROUTER_MT, router_methods, l_router_close);
    new_class(L, HOLDER_MT, holder_methods, l_holder_close);
    lua_newtable(L);
    set_functions(L, functions);
    /* Weak-keyed: a router that is collected leaves it too. */
    lua_getfield(L, LUA_REGISTRYINDEX, FFI_POINTERS);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushstring(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, FFI_POINTERS);
    }
    lua_setfield(L, -2, "_pointers");
    /* gwapi_router_match() for gatewayapi_ffi, which then needs no path to the library. */
    {
        int (*match)(const gwapi_router *, const gwapi_request *, gwapi_decision *) =
            gwapi_router_match;
        void *address;
        memcpy(&address, &match, sizeof(address));
        lua_pushlightuserdata(L, address);
        lua_setfield(L, -2, "_router_match");
    }
    return 1;
}
