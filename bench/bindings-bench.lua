-- Matches per second through the Lua module on the matching benchmark's workload, and under
-- LuaJIT through gatewayapi_ffi too.
--   LUA_PATH='bindings/lua/?.lua;;' LUA_CPATH='build-release/bindings/lua/?-jit.so' luajit bench/bindings-bench.lua DIR REQUESTS.tsv
-- REQUESTS.tsv is written by bench/bindings-bench.py --tsv (host, path, method, headers k=v;...).
local gw = require "gatewayapi"
local dir, tsv = arg[1], arg[2]
local clock = os.clock

local t0 = clock()
local config = assert(gw.load{files = {dir .. "/routes.yaml"}, validate = false})
local gateway
for _, o in ipairs(config:objects()) do
  if o.kind == "Gateway" then gateway = o.namespace .. "/" .. o.name break end
end
local router = assert(config:router(gateway))
local build = clock() - t0

local requests = {}
for line in io.lines(tsv) do
  local host, path, method, headers = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  local h = {}
  for k, v in headers:gmatch("([^=;]+)=([^;]*)") do h[#h + 1] = {k, v} end
  requests[#requests + 1] = {host = host, path = path, method = method, headers = h,
                             random = (#requests * 2654435761) % 4294967296}
end

local function best_of_3(call)
  local best
  for _ = 1, 3 do
    local s = clock()
    for i = 1, #requests do call(requests[i]) end
    local t = (clock() - s) / #requests
    if not best or t < best then best = t end
  end
  return best
end

local name = jit and jit.version or _VERSION
local t = best_of_3(function(r) router:match(r) end)
print(string.format("%s, router:match{}: %.0f matches/s, %.2f us per match (build %.0f ms)",
                    name, 1 / t, t * 1e6, build * 1e3))
if jit then
  local match = require "gatewayapi_ffi"
  t = best_of_3(function(r) match(router, r.host, r.path, r.method, r.headers, r.random) end)
  print(string.format("%s, gatewayapi_ffi: %.0f matches/s, %.2f us per match", name, 1 / t, t * 1e6))
end
