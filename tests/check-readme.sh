#!/bin/sh
# The C example in README.md is examples/hello.c, which the build compiles.
set -eu
readme="$1"; example="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/ {on=1; next} /^```$/ {if (on) exit} on {print}' "$readme" > "$tmp/readme.c"
diff -u "$example" "$tmp/readme.c" || { echo "FAIL: README's example differs from $example" >&2; exit 1; }
echo "README example matches $example"
