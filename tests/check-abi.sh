#!/bin/sh
# The library's ABI against the recorded baseline (abi/libgatewayapi.abi). Added functions,
# added enumerators and members appended to a struct (abi/suppressions.abignore) pass; anything
# else abidiff reports (a symbol removed, a member moved or retyped, a frozen struct grown)
# fails, as does an abidiff error.
set -u
lib="$1"; top="$2"
out=$(mktemp); trap 'rm -f "$out"' EXIT
abidiff --no-added-syms --headers-dir2 "$top/include" \
    --suppressions "$top/abi/suppressions.abignore" "$top/abi/libgatewayapi.abi" "$lib" > "$out" 2>&1
rc=$?
cat "$out"
if [ $rc -ne 0 ]; then
    echo "FAIL: the ABI changed against abi/libgatewayapi.abi (abidiff exit $rc; doc/abi.md)" >&2
    exit 1
fi
echo "ABI compatible with abi/libgatewayapi.abi"
