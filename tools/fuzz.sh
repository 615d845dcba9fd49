#!/bin/sh
# Build the libFuzzer target with clang and run it over the test corpus.
#   tools/fuzz.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
    -Dcli=false -Ddocs=disabled -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
meson compile -C build-fuzz >/dev/null
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
build-fuzz/tests/fuzz/fuzz-load -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix=build-fuzz/ "$corpus" \
    tests/data/malformed tests/data/upstream/examples tests/data/seed tests/data/kubectl 2>&1 \
    | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)' || true
# libFuzzer leaves a crash-* file for every failure it finds.
! ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* 2>/dev/null
