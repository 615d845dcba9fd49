#!/bin/sh
# Install into a temporary prefix and build an example out of tree with nothing but pkg-config.
set -eu
src="$1"; example="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

meson setup "$tmp/build" "$src" --prefix="$tmp/prefix" -Dtests=false -Ddocs=disabled >/dev/null
ninja -C "$tmp/build" install >/dev/null
pcdir=$(dirname "$(find "$tmp/prefix" -name gatewayapi.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir"
flags=$(pkg-config --cflags --libs gatewayapi)
echo "pkg-config: $flags"
cc -std=c99 -Wall -Werror "$example" -o "$tmp/example" $flags
libdir=$(pkg-config --variable=libdir gatewayapi)
LD_LIBRARY_PATH="$libdir" "$tmp/example" "$src/tests/data/seed/seed-manifests.yaml" > "$tmp/out"
grep -q 'foo-auth:8080' "$tmp/out"
# The static library links too, with pkg-config --static.
cc -std=c99 "$example" -o "$tmp/example-static" $(pkg-config --cflags gatewayapi) \
    "$libdir/libgatewayapi.a" $(pkg-config --libs-only-L --static gatewayapi) \
    $(pkg-config --libs --static gatewayapi | sed 's/-lgatewayapi//')
"$tmp/example-static" "$src/tests/data/seed/seed-manifests.yaml" | grep -q 'bar-v1:8080 weight 90'
echo "installed, built out of tree and ran"
