#!/bin/sh
# The Lua rock from a release tarball: `meson dist` makes the tarball of the committed tree, the
# library is installed from it into a prefix, and `luarocks make` builds the rockspec inside the
# unpacked tarball against that prefix, without a compiler warning, for each Lua that luarocks
# and its headers are here for; the module then routes the founding scenario.
#   tests/check-rockspec.sh SOURCE-TREE
set -eu
src=$(cd "$1" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v luarocks > /dev/null || { echo "luarocks is not installed: skipped"; exit 77; }

version=$(sed -n "s/^  version: '\(.*\)',$/\1/p" "$src/meson.build")
meson setup "$tmp/dist-build" "$src" -Dtests=false -Ddocs=disabled -Dnginx_module=disabled \
    -Dbench=false -Dlua=disabled > /dev/null
meson dist -C "$tmp/dist-build" --no-tests --formats xztar > "$tmp/dist.log" 2>&1 \
    || { cat "$tmp/dist.log"; fail "meson dist"; }
tar -xJf "$tmp/dist-build/meson-dist/libgatewayapi-$version.tar.xz" -C "$tmp"
tree="$tmp/libgatewayapi-$version"
[ -f "$tree/bindings/lua/gatewayapi-$version-1.rockspec" ] || fail "the tarball has no rockspec"

meson setup "$tmp/build" "$tree" --prefix="$tmp/prefix" --libdir=lib -Dtests=false \
    -Ddocs=disabled -Dnginx_module=disabled -Dbench=false -Dlua=disabled -Dcli=false > /dev/null
ninja -C "$tmp/build" install > /dev/null

built=0
for v in 5.1 5.3 5.4; do
    command -v "lua$v" > /dev/null && [ -f "/usr/include/lua$v/lua.h" ] || continue
    (cd "$tree" && luarocks --lua-version "$v" --tree "$tmp/rocks" make \
        "bindings/lua/gatewayapi-$version-1.rockspec" \
        GATEWAYAPI_INCDIR="$tmp/prefix/include" GATEWAYAPI_LIBDIR="$tmp/prefix/lib" \
        > "$tmp/rock-$v.log" 2>&1) || { cat "$tmp/rock-$v.log"; fail "luarocks make (Lua $v)"; }
    if grep -q 'warning:' "$tmp/rock-$v.log"; then
        cat "$tmp/rock-$v.log"; fail "luarocks make (Lua $v) warns"
    fi
    awk '/^kind:/ {kind = $2} {print} /^spec:$/ && kind == "HTTPRoute" {print "  gateways: {allow: All}"}' \
        "$tree/tests/data/seed/seed-valid.yaml" > "$tmp/allow.yaml"
    LD_LIBRARY_PATH="$tmp/prefix/lib" LUA_CPATH="$tmp/rocks/lib/lua/$v/?.so" \
        LUA_PATH="$tmp/rocks/share/lua/$v/?.lua" \
        "lua$v" "$tree/examples/route.lua" "$tmp/allow.yaml" default/prod-web \
        foo.example.com/login > "$tmp/out" || fail "the rock under Lua $v"
    grep -q 'foo-auth' "$tmp/out" || fail "the rock under Lua $v: $(cat "$tmp/out")"
    built=$((built + 1))
done
[ $built -gt 0 ] || { echo "no Lua with headers for luarocks: skipped"; exit 77; }
echo "the rock builds from the $version tarball for $built Lua versions and routes"
