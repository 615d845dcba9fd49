#!/bin/sh
# The Debian packages: built with dpkg-buildpackage from a copy of the tree, checked by lintian
# (no error), installed onto this machine with apt, and used as a user would: the C examples
# built with pkg-config, gwapi, the Python and Lua examples; then purged. Needs root (it
# installs packages); run by .ci/run after the test suites.
#   tests/check-deb.sh SOURCE-TREE
set -eu
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
packages="libgatewayapi1 libgatewayapi-dev gwapi python3-gatewayapi lua-gatewayapi"
cleanup() {
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $packages >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The source as the repository holds it (no build directories).
mkdir "$tmp/libgatewayapi-1.0.0"
(cd "$src" && git ls-files -co --exclude-standard | tar -cf - -T -) | tar -xf - -C "$tmp/libgatewayapi-1.0.0"
(cd "$tmp/libgatewayapi-1.0.0" && dpkg-buildpackage -us -uc > "$tmp/build.log" 2>&1) \
    || { tail -40 "$tmp/build.log"; fail "dpkg-buildpackage"; }
for p in $packages; do
    [ -f "$tmp/${p}_1.0.0_amd64.deb" ] || fail "no package $p"
done
lintian --fail-on error "$tmp/libgatewayapi_1.0.0_amd64.changes" > "$tmp/lintian.out" 2>&1 \
    || { cat "$tmp/lintian.out"; fail "lintian reports errors"; }
echo "lintian: $(grep -c '^[EW]:' "$tmp/lintian.out" || true) errors and warnings"

# Install, as a user would.
(cd "$tmp" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    ./libgatewayapi1_1.0.0_amd64.deb ./libgatewayapi-dev_1.0.0_amd64.deb ./gwapi_1.0.0_amd64.deb \
    ./python3-gatewayapi_1.0.0_amd64.deb ./lua-gatewayapi_1.0.0_amd64.deb > "$tmp/install.log" 2>&1) \
    || { cat "$tmp/install.log"; fail "apt-get install"; }
seed="$src/tests/data/seed/seed-valid.yaml"
awk '/^kind:/ {kind = $2} {print} /^spec:$/ && kind == "HTTPRoute" {print "  gateways: {allow: All}"}' \
    "$seed" > "$tmp/allow.yaml"

# C: the examples, built with nothing but pkg-config against the installed library.
[ "$(pkg-config --modversion gatewayapi)" = "1.0.0" ] || fail "pkg-config version"
cc -std=c99 -Wall -Werror "$src/examples/list-routes.c" -o "$tmp/list-routes" \
    $(pkg-config --cflags --libs gatewayapi)
"$tmp/list-routes" "$src/tests/data/seed/seed-manifests.yaml" | grep -q 'foo-auth:8080' \
    || fail "list-routes against the installed library"
ldd "$tmp/list-routes" | grep -q 'libgatewayapi.so.1 => /.*lib/' || fail "links libgatewayapi.so.1: $(ldd "$tmp/list-routes")"
cc -std=c99 -Wall -Werror "$src/examples/hello.c" -o "$tmp/hello" $(pkg-config --cflags --libs gatewayapi)
"$tmp/hello" > /dev/null || fail "hello"

# The command, its man page.
/usr/bin/gwapi version | grep -q 'libgatewayapi 1.0.0' || fail "gwapi version"
/usr/bin/gwapi check "$seed" | grep -qx '3 resources, 0 invalid, 3 valid' || fail "gwapi check"
echo '{"host": "foo.example.com", "path": "/login"}' \
    | /usr/bin/gwapi route --gateway default/prod-web "$tmp/allow.yaml" | grep -q 'foo/foo-auth:8080' \
    || fail "gwapi route"
[ -f /usr/share/man/man1/gwapi-test.1.gz ] || fail "man pages"

# Python and Lua: the examples, with the system's interpreters and nothing on their paths.
/usr/bin/python3 "$src/examples/route.py" -f "$tmp/allow.yaml" --gateway default/prod-web \
    foo.example.com/login > "$tmp/py.out" || fail "route.py"
grep -q 'foo-auth' "$tmp/py.out" || fail "route.py output: $(cat "$tmp/py.out")"
for lua in lua5.1 luajit lua5.3 lua5.4; do
    command -v "$lua" > /dev/null || continue
    "$lua" "$src/examples/route.lua" "$tmp/allow.yaml" default/prod-web foo.example.com/login \
        > "$tmp/lua.out" || fail "route.lua under $lua"
    grep -q 'foo-auth' "$tmp/lua.out" || fail "route.lua under $lua: $(cat "$tmp/lua.out")"
done
luajit -e 'local f = require "gatewayapi_ffi"' || fail "gatewayapi_ffi under luajit"
echo "Debian packages build, pass lintian, install and run"
