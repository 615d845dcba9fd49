#!/bin/bash
# Build ngx_http_gatewayapi_module.so against Debian's nginx-dev, with the configure flags
# Debian's nginx was built with (so that the module loads into it).
#   nginx/build.sh MODULE_DIR WORK_DIR OUTPUT PKG_CONFIG_DIR [SANITIZE]
# SANITIZE (meson's b_sanitize, e.g. address,undefined) builds the module with those sanitizers.
set -eu
module=$(cd "$1" && pwd); work="$2"; pcdir="$4"; sanitize="${5:-none}"
out="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
src=/usr/share/nginx/src
export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
mkdir -p "$work"
# A private copy of the tree: configure writes into it.
if [ ! -f "$work/tree/configure" ]; then
    rm -rf "$work/tree"
    cp -r "$src" "$work/tree"
fi
cd "$work/tree"
# shellcheck disable=SC1091
. ./conf_flags
cc_opt="-g -O2 -fPIC -Wno-declaration-after-statement"
ld_opt=""
if [ "$sanitize" != none ]; then
    cc_opt="$cc_opt -fsanitize=$sanitize -fno-sanitize-recover=all -fno-omit-frame-pointer"
    ld_opt="-fsanitize=$sanitize"
fi
stamp="$module $sanitize $(pkg-config --cflags --libs gatewayapi)"
if [ ! -f objs/Makefile ] || [ "$(cat "$work/stamp" 2>/dev/null)" != "$stamp" ]; then
    ./configure "${NGX_CONF_FLAGS[@]}" --add-dynamic-module="$module" \
        --with-cc-opt="$cc_opt" ${ld_opt:+--with-ld-opt="$ld_opt"} >"$work/configure.log" 2>&1 \
        || { tail -30 "$work/configure.log"; exit 1; }
    echo "$stamp" > "$work/stamp"
fi
# Linked again every time: nginx's Makefile does not know the library, whose SONAME may change.
rm -f objs/ngx_http_gatewayapi_module.so
make -f objs/Makefile modules >"$work/make.log" 2>&1 || { grep -E "error|warning" "$work/make.log" | head -40; exit 1; }
# A new file, not the old one rewritten: an nginx running with the old one keeps it intact.
cp objs/ngx_http_gatewayapi_module.so "$out.tmp"
mv -f "$out.tmp" "$out"
