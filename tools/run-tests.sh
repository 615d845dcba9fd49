#!/bin/sh
# Build and run every test: the Check suites, the ABI, install and command-line checks.
#   tools/run-tests.sh              a normal build in build/
#   tools/run-tests.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer in build-sanitize/,
#                                   with regular expressions matched by PCRE2's interpreter (no JIT)
#   tools/run-tests.sh --thread     the Check suites (threads sharing a router among them) under
#                                   ThreadSanitizer in build-tsan/
set -eu
cd "$(dirname "$0")/.."
dir=build
opts=""
tests=""
if [ "${1:-}" = "--thread" ]; then
    dir=build-tsan
    opts="-Db_sanitize=thread -Db_lundef=false"
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
    tests="unit"
fi
if [ "${1:-}" = "--sanitize" ]; then
    dir=build-sanitize
    opts="-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all -Dregex_jit=false"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
[ -f "$dir/build.ninja" ] || meson setup "$dir" $opts >/dev/null
meson compile -C "$dir" >/dev/null
# $tests is a list of test names, empty for all.
# shellcheck disable=SC2086
meson test -C "$dir" --print-errorlogs $tests
