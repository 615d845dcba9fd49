#!/bin/sh
# nginx with the Lua module (LuaJIT) routes the founding document's requests through the
# gatewayapi Lua binding and proxies them to loopback backends that answer with their name.
#   tests/servers/nginx.sh LUA_MODULE_DIR DATA_DIR
# Exits 77 (skipped) when nginx or its Lua module is not installed.
set -eu
moddir="$1"; data="$2"
here=$(cd "$(dirname "$0")" && pwd)
mods=/usr/lib/nginx/modules
if ! command -v nginx >/dev/null || [ ! -f "$mods/ngx_http_lua_module.so" ] || ! command -v curl >/dev/null; then
    echo "nginx, its Lua module or curl is missing: skipped"; exit 77
fi
. "$here/common.sh"
mkdir -p "$tmp/logs"

# Backends: one server per Service of the manifests, each answering with its name.
backends="" ; lua_ports=""
n=1
for name in foo-auth foo-home foo-404 bar-v1 bar-v2; do
    backends="$backends
    server { listen 127.0.0.1:$((port + n)); location / { return 200 \"$name\\n\"; } }"
    lua_ports="$lua_ports [\"$name\"] = $((port + n)),"
    n=$((n + 1))
done

cat > "$tmp/nginx.conf" <<CONF
load_module $mods/ndk_http_module.so;
load_module $mods/ngx_http_lua_module.so;
worker_processes 2;
pid $tmp/server.pid;
error_log $tmp/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi;
    uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    lua_package_cpath "$moddir/?-jit.so;;";
    init_by_lua_block {
        local gw = require "gatewayapi"
        local config = assert(gw.load("$tmp/seed.yaml"))
        router = assert(config:router("default/prod-web"))
        ports = { $lua_ports }
    }
    init_worker_by_lua_block { math.randomseed(ngx.worker.pid()) }
    server {
        listen 127.0.0.1:$port;
        location / {
            set \$backend_port "";
            rewrite_by_lua_block {
                local headers = {}
                for name, value in pairs(ngx.req.get_headers()) do
                    headers[#headers + 1] = { name, type(value) == "table" and value[1] or value }
                end
                local d = router:match{
                    host = ngx.var.host, path = ngx.var.uri, query = ngx.var.args,
                    method = ngx.req.get_method(), headers = headers,
                    random = math.floor(math.random() * 4294967296),
                }
                if d.status == 200 then
                    ngx.var.backend_port = ports[d.backend_name]
                elseif d.location then
                    return ngx.redirect(d.location, d.status)
                else
                    return ngx.exit(d.status)
                end
            }
            proxy_pass http://127.0.0.1:\$backend_port;
        }
    }
    $backends
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/logs/error.log"
"$here/scenario.sh" "http://127.0.0.1:$port" || { cat "$tmp/logs/error.log"; exit 1; }
echo "nginx: the founding document's scenario holds"
