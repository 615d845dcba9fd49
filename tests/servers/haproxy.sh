#!/bin/sh
# HAProxy (Lua 5.3): a Lua action routes each request through the gatewayapi Lua binding and
# HAProxy switches to the backend it names; each backend answers with its name.
#   tests/servers/haproxy.sh LUA_MODULE_DIR DATA_DIR
# Exits 77 (skipped) when HAProxy or curl is not installed.
set -eu
moddir="$1"; data="$2"
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v haproxy >/dev/null || ! command -v curl >/dev/null || [ ! -f "$moddir/gatewayapi-5.3.so" ]; then
    echo "haproxy, curl or the Lua 5.3 module is missing: skipped"; exit 77
fi
. "$here/common.sh"

cat > "$tmp/route.lua" <<LUA
package.cpath = "$moddir/?-5.3.so;" .. package.cpath
local gw = require "gatewayapi"
local config = assert(gw.load("$tmp/seed.yaml"))
local router = assert(config:router("default/prod-web"))

core.register_action("gwapi_route", { "http-req" }, function(txn)
    local headers = {}
    for name, values in pairs(txn.http:req_get_headers()) do
        headers[#headers + 1] = { name, values[0] }
    end
    local d = router:match{
        host = txn.sf:req_hdr("host"), path = txn.sf:path(), query = txn.sf:query(),
        method = txn.sf:method(), headers = headers,
        random = math.random(0, 4294967295),
    }
    txn:set_var("txn.gw_status", d.status)
    if d.backend_name then txn:set_var("txn.gw_backend", d.backend_name) end
end)

core.register_service("answer", "http", function(applet)
    local body = applet:get_var("txn.gw_backend") .. "\n"
    applet:set_status(200)
    applet:add_header("content-length", #body)
    applet:start_response()
    applet:send(body)
end)
LUA

{
    cat <<CONF
global
    lua-load $tmp/route.lua
    pidfile $tmp/server.pid
    daemon
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend gateway
    bind 127.0.0.1:$port
    http-request lua.gwapi_route
    http-request return status 404 if { var(txn.gw_status) -m int 404 }
    http-request return status 500 if !{ var(txn.gw_status) -m int 200 }
    use_backend %[var(txn.gw_backend)]
CONF
    for name in foo-auth foo-home foo-404 bar-v1 bar-v2; do
        printf 'backend %s\n    http-request use-service lua.answer\n' "$name"
    done
} > "$tmp/haproxy.cfg"
haproxy -c -q -f "$tmp/haproxy.cfg"
haproxy -f "$tmp/haproxy.cfg"
"$here/scenario.sh" "http://127.0.0.1:$port"
echo "haproxy: the founding document's scenario holds"
