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


# The Python binding installs into a venv against the installed library.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import cffi, venv, ensurepip' 2>/dev/null; then
    /usr/bin/python3 -m venv --system-site-packages "$tmp/venv"
    cp -r "$src/bindings/python" "$tmp/python-src"  # setuptools builds inside the tree it is given
    "$tmp/venv/bin/pip" install -q --no-cache-dir --no-build-isolation --no-index "$tmp/python-src" \
        > "$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; exit 1; }
    (cd "$tmp" && "$tmp/venv/bin/python" -c '
import sys, gatewayapi
c = gatewayapi.load(sys.argv[1])
print("python binding:", gatewayapi.version(), len(c.objects), "objects")
assert len(c.objects) == 3
' "$src/tests/data/seed/seed-manifests.yaml")
else
    echo "python3-cffi or python3-venv missing: the binding's install is not checked"
fi
echo "installed, built out of tree and ran"
