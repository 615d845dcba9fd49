#!/bin/sh
# The exported symbols of the shared library, the version script and the public headers agree;
# the static library defines no global symbol outside the gwapi_/gw_ prefixes.
set -eu
lib="$1"; static="$2"; map="$3"; include="$4"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "R" || $2 == "B" {print $3}' \
    | sed 's/@.*//' | sort -u > "$tmp/exported"
sed -n '/^global:/,/^local:/p' "$map" | grep -o 'gwapi_[a-z0-9_]*' | sort -u > "$tmp/map"
grep -h '^GWAPI_EXPORT' "$include"/gatewayapi/*.h | grep -o '^GWAPI_EXPORT [^(]*(' | sed 's/($//; s/.*[ *]//' \
    | sort -u > "$tmp/headers"

status=0
if ! diff -u "$tmp/map" "$tmp/exported"; then
    echo "FAIL: exported symbols differ from the version script" >&2; status=1
fi
if ! diff -u "$tmp/headers" "$tmp/map"; then
    echo "FAIL: header declarations differ from the version script" >&2; status=1
fi
nm --defined-only "$static" | awk '$2 ~ /^[TDRB]$/ {print $3}' | grep -v '^gwapi_' | grep -v '^gw_' | grep -v '^__odr_asan' \
    > "$tmp/stray" || true
if [ -s "$tmp/stray" ]; then
    echo "FAIL: the static library defines global symbols without a gwapi_/gw_ prefix:" >&2
    cat "$tmp/stray" >&2; status=1
fi
echo "$(wc -l < "$tmp/exported") exported symbols checked"
exit $status
