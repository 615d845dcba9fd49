-- The Lua module on the founding document's manifests: load, diagnostics, explain, status and
-- routing. Run by each Lua the build found, with LUA_CPATH pointing at its build of the module.
local gw = require "gatewayapi"
local data = assert(os.getenv("GWAPI_TEST_DATA"), "GWAPI_TEST_DATA")
local seed_path = data .. "/seed/seed-manifests.yaml"
local valid_path = data .. "/seed/seed-valid.yaml"
local failures = 0

local function check(cond, what)
  if not cond then
    failures = failures + 1
    io.stderr:write("FAIL: " .. what .. "\n")
  end
end

local f = assert(io.open(valid_path))
local seed = f:read("*a")
f:close()
-- let the v1alpha1 routes attach to the Gateway in another namespace
local allow = seed:gsub("(kind: HTTPRoute\n.-\nspec:\n)", "%1  gateways: {allow: All}\n")

check(gw.version():match("^%d+%.%d+%.%d+"), "version")

-- as printed: loads, with the two errors of the Gateway's certificateRef
local config = assert(gw.load(seed_path))
local objects = config:objects()
check(#objects == 3 and objects[3].kind == "Gateway" and objects[3].name == "prod-web", "objects")
local errors = {}
for _, d in ipairs(config:diagnostics()) do
  if d.severity == "error" then errors[#errors + 1] = d end
end
check(#errors == 2, "two errors, got " .. #errors)
check(errors[1].code == "required" and errors[1].path == "spec.listeners[0].tls.certificateRef.group",
      "error path " .. tostring(errors[1].path))
check(errors[1].line > 0 and errors[1].text:find("error: Gateway default/prod-web", 1, true), "error text")
-- the API server would refuse that Gateway: nothing attaches
check(#assert(config:explain("HTTPRoute", "foo/foo-route")) == 0, "a refused Gateway selects nothing")
local valid = assert(gw.load(valid_path))
local steps = assert(valid:explain("HTTPRoute", "foo/foo-route"))
local failed
for _, s in ipairs(steps) do
  if not s.passed then failed = failed or s end
end
check(failed and failed.check == "route-allows", "explain names route-allows")
local none, msg = config:explain("HTTPRoute", "foo/none")
check(none == nil and msg:find("no HTTPRoute"), "explain of a missing route")

-- unreadable input: nil, message, diagnostics
local bad, why, diags = gw.load(data .. "/no-such-file.yaml")
check(bad == nil and why:find("no%-such%-file") and #diags >= 1, "unreadable file")
-- misuse raises
check(not pcall(gw.load, {files = "not a table"}), "files must be a table")

-- made to attach: the founding document's routing
local attached = assert(gw.load{text = allow})
local status = assert(attached:status("default/prod-web"))
check(status:find('"kind": "List"', 1, true) and status:find('"Admitted"', 1, true), "status")
check(attached:status("default/none") == nil, "status of a missing Gateway")
local router = assert(attached:router("default/prod-web"))
check(select(1, attached:router("default/none")) == nil, "router of a missing Gateway")
for path, backend in pairs{["/login"] = "foo/foo-auth:8080", ["/home"] = "foo/foo-home:8080",
                           ["/home/x"] = "foo/foo-home:8080", ["/other"] = "foo/foo-404:8080"} do
  local d = router:match{host = "foo.example.com", path = path}
  check(d.status == 200 and d.backend == backend and d.route == "foo/foo-route",
        path .. " -> " .. tostring(d.backend))
  check(d.path == path and d.host == "foo.example.com" and d.listener == "https", path .. " request")
end
local canary = router:match{host = "bar.example.com", headers = {env = "canary"}}
check(canary.backend == "bar/bar-v2:8080" and canary.rule == 1, "canary")
canary = router:match{host = "bar.example.com", headers = {{"env", "canary"}}}
check(canary.backend == "bar/bar-v2:8080", "canary, headers as pairs")
local v1 = 0
for k = 0, 999 do
  local r = math.floor(k * 4294967296 / 1000)
  local d = router:match{host = "bar.example.com", random = r}
  if d.backend == "bar/bar-v1:8080" then v1 = v1 + 1 end
end
check(v1 >= 880 and v1 <= 920, "90/10 split, v1 " .. v1)
check(router:match{host = "nowhere.example.com"}.status == 404, "404")
check(not pcall(router.match, router, {protocol = "smtp"}), "unknown protocol raises")
check(not pcall(router.match, router, {headers = {x = 1}}), "a number as header value raises")
-- a number where a string belongs raises (it used to be converted into a string nothing held)
for _, key in ipairs{"host", "path", "method", "query", "sni"} do
  local ok, err = pcall(router.match, router, {[key] = 5})
  check(not ok and tostring(err):find(key .. " must be a string", 1, true), key .. " as a number raises")
end
check(not pcall(router.match, router, {host = "foo.example.com\0evil"}), "a NUL in host raises")
check(not pcall(router.match, router, {headers = {{"x", "a\0b"}}}), "a NUL in a header raises")
-- a path longer than any buffer comes back whole
local long = "/login/" .. string.rep("x", 5000)
check(router:match{host = "foo.example.com", path = long}.path == long, "long path kept whole")
-- filters: a redirect, a rewrite, header edits both ways, a mirror
do -- what a decision carries beyond the backend: the rule's timeouts, the backend's TLS policy
  local c = assert(gw.load(data .. "/bindings/timeouts-tls.yaml"))
  local r = assert(c:router("r/gw"))
  local d = r:match{host = "h", path = "/slow"}
  check(d.request_timeout_ms == 90000 and d.backend_request_timeout_ms == 1500 and
        d.backend_tls_policy == "r/whole" and d.backend_tls_client_certificate == "r/to-backends",
        "timeouts and backend TLS")
  d = r:match{host = "h", path = "/other"}
  check(d.request_timeout_ms == nil and d.backend_tls_policy == nil, "no timeouts, plain backend")
  r:close()
  c:close()
end

do -- terminating listeners present their Secrets' certificates, chosen by server name
  local c = assert(gw.load(data .. "/bindings/https-certs.yaml"))
  local r = assert(c:router("ns/gw"))
  local cert = r:certificate("second.example.org", 443)
  check(cert and cert.listener == "second" and cert.secret == "ns/second-cert" and
        cert.cert_pem:find("^%-%-%-%-%-BEGIN CERTIFICATE") and
        cert.key_pem:find("PRIVATE KEY") and cert.client_certificate == "required" and
        cert.client_ca_pem:find("BEGIN CERTIFICATE"), "certificate by server name")
  check(r:certificate("foo.example.org", 8443) == nil, "no certificate there")
  r:close()
  c:close()
end

local filtered = assert(gw.load(data .. "/bindings/filters.yaml"))
local fr = assert(filtered:router("ns/gw"))
local d = fr:match{host = "h.example.com", path = "/old/page"}
check(d.status == 301 and d.location == "https://h.example.com/new/page", "redirect " .. tostring(d.location))
d = fr:match{host = "h.example.com", path = "/api/users", headers = {{"x-drop", "1"}, {"x-env", "dev"}},
             backend_response_headers = {["Content-Type"] = "text/plain"}}
check(d.host == "internal" and d.path == "/v2/users", "rewrite " .. tostring(d.path))
check(#d.request_headers == 1 and d.request_headers[1][1] == "X-Env" and d.request_headers[1][2] == "prod",
      "request header edits")
check(#d.response_headers == 2 and d.response_headers[2][1] == "X-Served-By", "response header edits")
check(#d.mirrors == 1 and d.mirrors[1] == "ns/shadow:8080", "mirrors")
-- 128 headers (the most a request may carry) and a set: all 129 reach the backend, none cut
local many = {}
for i = 1, 128 do many[i] = {"x-h" .. i, tostring(i)} end
d = fr:match{host = "h.example.com", path = "/api/users", headers = many}
check(#d.request_headers == 129 and d.request_headers[129][1] == "X-Env",
      "headers after the edits are never cut: " .. #d.request_headers)

-- watch events: applied with the API server's rules, and what changed
local before = fr
local ch = filtered:apply('{"type": "MODIFIED", "object": {"apiVersion": "gateway.networking.k8s.io/v1", ' ..
  '"kind": "HTTPRoute", "metadata": {"name": "r", "namespace": "ns", "resourceVersion": "5"}, ' ..
  '"spec": {"parentRefs": [{"name": "gw"}], "rules": [{"backendRefs": [{"name": "new", "port": 80}]}]}}}')
check(#ch.routers == 1 and ch.routers[1] == "ns/gw", "apply: the router changed")
check(#ch.statuses >= 1 and #ch.diagnostics == 0, "apply: statuses")
check(assert(filtered:router("ns/gw")):match{host = "h.example.com", path = "/x"}.backend == "ns/new:80",
      "apply: a new router routes the new state")
check(before:match{host = "h.example.com", path = "/api/x"}.backend == "ns/api:80",
      "apply: the router made before is unchanged")
ch = filtered:apply('{"type": "MODIFIED", "object": {"apiVersion": "gateway.networking.k8s.io/v1", ' ..
  '"kind": "HTTPRoute", "metadata": {"name": "r", "namespace": "ns", "resourceVersion": "4"}}}')
check(#ch.routers == 0 and ch.diagnostics[1].code == "stale-event", "apply: a stale event is ignored")

-- a holder of the current router
local holder = gw.holder()
check(holder:acquire() == nil, "holder: empty at first")
holder:publish(assert(filtered:router("ns/gw")))
check(holder:acquire():match{host = "h.example.com", path = "/x"}.backend == "ns/new:80", "holder: acquire")
holder:publish(nil)
check(holder:acquire() == nil, "holder: emptied")
check(not pcall(holder.publish, holder, "router"), "holder: publish takes a router")
holder:close()
check(not pcall(holder.acquire, holder), "holder: closed")

if jit then
  -- LuaJIT's FFI path agrees with the C module's match on every request of the scenario
  local ffi_match = require "gatewayapi_ffi"
  for _, req in ipairs{
      {host = "foo.example.com", path = "/login"}, {host = "foo.example.com", path = "/x"},
      {host = "bar.example.com", path = "/", headers = {{"env", "canary"}}},
      {host = "bar.example.com", path = "/", random = 95}, {host = "nowhere.example.com"}} do
    local want = router:match{host = req.host, path = req.path, headers = req.headers,
                              random = req.random or 7}
    local status, name, port, ns, rule = ffi_match(router, req.host, req.path, "GET", req.headers,
                                                   req.random or 7)
    check(status == want.status and name == want.backend_name and port == want.backend_port and
          ns == want.backend_namespace and rule == want.rule,
          "ffi " .. req.host .. tostring(req.path) .. ": " .. tostring(name))
  end
  -- strings go over as (pointer, length): one with a NUL byte is refused (400), not cut short
  check(ffi_match(router, "foo.example.com\0evil", "/login", "GET") == 400,
        "ffi: a NUL in the host is refused")
end
router:close()
check(not pcall(router.match, router, {}), "a closed router raises")
if jit then
  local ffi_match = require "gatewayapi_ffi"
  check(not pcall(ffi_match, router, "foo.example.com", "/login"), "ffi: a closed router raises")
end
attached:close()
if _VERSION == "Lua 5.4" then
  -- a <close> variable releases its object at the end of the block
  local chunk = assert(load([[
    local gw, path = ...
    do
      local c <close> = assert(gw.load(path))
      assert(#c:objects() == 3)
      closed = c
    end
    return pcall(closed.objects, closed)
  ]]))
  check(chunk(gw, seed_path) == false, "a <close> variable closes the config")
end
collectgarbage()

if failures > 0 then
  io.stderr:write(failures .. " failures\n")
  os.exit(1)
end
print("lua " .. _VERSION .. (jit and (" " .. jit.version) or "") .. ": ok")
