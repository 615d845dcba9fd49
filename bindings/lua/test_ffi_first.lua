-- gatewayapi_ffi required before gatewayapi, in a fresh interpreter: the order does not matter.
local match = require "gatewayapi_ffi"
local gw = require "gatewayapi"
local config = assert(gw.load(os.getenv("GWAPI_TEST_DATA") .. "/seed/seed-valid.yaml"))
local router = assert(config:router("default/prod-web"))
local status, name = match(router, "foo.example.com", "/login", "GET", nil, 0)
local want = router:match{host = "foo.example.com", path = "/login", random = 0}
assert(status == want.status and name == want.backend_name,
       "ffi first: " .. tostring(status) .. " " .. tostring(name))
print("gatewayapi_ffi before gatewayapi: " .. tostring(status) .. " " .. tostring(name))
