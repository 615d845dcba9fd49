#!/bin/sh
# libgatewayapi as a meson subproject: a consumer project gets it with
# dependency('gatewayapi'), its options turn off everything but the library, and the consumer
# builds and runs an example against it.
#   tests/check-subproject.sh SOURCE_DIR EXAMPLE.c
set -eu
src="$1"; example="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/consumer/subprojects"
ln -s "$src" "$tmp/consumer/subprojects/libgatewayapi"
cp "$example" "$tmp/consumer/example.c"
cat > "$tmp/consumer/meson.build" <<'MESON'
project('consumer', 'c', default_options: ['c_std=c11'])
gatewayapi = dependency('gatewayapi', fallback: 'libgatewayapi')
executable('example', 'example.c', dependencies: gatewayapi)
MESON
meson setup "$tmp/build" "$tmp/consumer" --wrap-mode=forcefallback \
    -Dlibgatewayapi:tests=false -Dlibgatewayapi:cli=false -Dlibgatewayapi:lua=disabled \
    -Dlibgatewayapi:bench=false -Dlibgatewayapi:docs=disabled \
    -Dlibgatewayapi:nginx_module=disabled > "$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }
ninja -C "$tmp/build" > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
"$tmp/build/example" "$src/tests/data/seed/seed-manifests.yaml" | grep -q 'foo-auth:8080'
# The options turned the rest off: no command, no Lua module, no benchmark.
for unwanted in gwapi gatewayapi-jit.so gwapi-bench; do
    if find "$tmp/build/subprojects" -name "$unwanted" | grep -q .; then
        echo "built as a subproject despite its option: $unwanted"; exit 1
    fi
done
echo "as a subproject: dependency('gatewayapi') built and ran the example"
