#!/bin/sh
# Install into a temporary prefix, move the installed tree elsewhere (it finds itself where it
# is), and use it from there: an example built out of tree with nothing but pkg-config, shared
# and static; the same with CMake's find_package(gatewayapi); the installed gwapi, which finds
# its library by itself; the Python binding in a venv.
set -eu
src="$1"; example="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

meson setup "$tmp/build" "$src" --prefix="$tmp/prefix" -Dtests=false -Ddocs=disabled \
    -Dnginx_module=disabled -Dbench=false >/dev/null
ninja -C "$tmp/build" install >/dev/null
mv "$tmp/prefix" "$tmp/moved"
test -f "$tmp/moved/share/doc/libgatewayapi/COPYING"
test -f "$tmp/moved/share/man/man1/gwapi-route.1"
"$tmp/moved/bin/gwapi" check "$src/tests/data/seed/seed-valid.yaml" > "$tmp/check.out"
grep -q "valid" "$tmp/check.out"
pcdir=$(dirname "$(find "$tmp/moved" -name gatewayapi.pc | head -n 1)")
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


# CMake: find_package(gatewayapi) from the moved prefix, the imported target, its run path.
if command -v cmake >/dev/null; then
    mkdir -p "$tmp/cmake-consumer"
    cp "$example" "$tmp/cmake-consumer/example.c"
    cat > "$tmp/cmake-consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.13)
project(consumer C)
find_package(gatewayapi 1.0 REQUIRED)
add_executable(example example.c)
target_link_libraries(example gatewayapi::gatewayapi)
CMAKE
    cmake -S "$tmp/cmake-consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$tmp/moved" \
        > "$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; exit 1; }
    cmake --build "$tmp/cmake-build" > "$tmp/cmake-build.log" 2>&1 || { cat "$tmp/cmake-build.log"; exit 1; }
    "$tmp/cmake-build/example" "$src/tests/data/seed/seed-manifests.yaml" | grep -q 'foo-auth:8080'
    # A request for another major version is refused.
    sed -i 's/gatewayapi 1.0 REQUIRED/gatewayapi 7.0 QUIET/' "$tmp/cmake-consumer/CMakeLists.txt"
    sed -i 's/^add_executable.*/if(gatewayapi_FOUND)\n  message(FATAL_ERROR "7.0 accepted")\nendif()/; /^target_link/d' \
        "$tmp/cmake-consumer/CMakeLists.txt"
    cmake -S "$tmp/cmake-consumer" -B "$tmp/cmake-build7" -DCMAKE_PREFIX_PATH="$tmp/moved" \
        > "$tmp/cmake7.log" 2>&1 || { cat "$tmp/cmake7.log"; exit 1; }
    echo "cmake: find_package(gatewayapi) built and ran the example"
else
    echo "cmake missing: the CMake package is not checked"
fi

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
