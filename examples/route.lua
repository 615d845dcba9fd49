-- Route requests through a Gateway with the Lua module.
--
--   LUA_CPATH='build/bindings/lua/?-5.4.so' lua5.4 examples/route.lua MANIFEST GATEWAY HOST[/PATH]...
--
-- For example, on the founding document's manifests made to attach (see the README):
--   ... examples/route.lua seed.yaml default/prod-web foo.example.com/login bar.example.com
local gw = require "gatewayapi"

local manifest, gateway = arg[1], arg[2]
if not gateway then
  io.stderr:write("usage: route.lua MANIFEST GATEWAY HOST[/PATH]...\n")
  os.exit(2)
end
local config, err = gw.load(manifest)
if not config then
  io.stderr:write(err, "\n")
  os.exit(2)
end
for _, d in ipairs(config:diagnostics()) do
  io.stderr:write(d.text, "\n")
end
local router = assert(config:router(gateway))
for i = 3, #arg do
  local host, path = arg[i]:match("^([^/]*)(.*)$")
  local d = router:match{host = host, path = path ~= "" and path or "/"}
  print(string.format("%-40s %d %s (%s rule %s)", arg[i], d.status,
                      d.backend or d.location or "-", tostring(d.route), tostring(d.rule)))
end
