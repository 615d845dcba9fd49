#!/bin/sh
# Build and run every test: the Check suites, the ABI, install and command-line checks.
#   tools/run-tests.sh              a normal build in build/
#   tools/run-tests.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer in build-sanitize/
set -eu
cd "$(dirname "$0")/.."
dir=build
opts=""
if [ "${1:-}" = "--sanitize" ]; then
    dir=build-sanitize
    opts="-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
[ -f "$dir/build.ninja" ] || meson setup "$dir" $opts >/dev/null
meson compile -C "$dir" >/dev/null
meson test -C "$dir" --print-errorlogs
