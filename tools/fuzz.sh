#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for SECONDS over its seed
# corpus, printing executions, coverage and peak memory. New inputs go to a scratch corpus,
# never into the tree.
#   tools/fuzz.sh [SECONDS] [TARGET...]     targets: load pipeline request route-line (default: all)
# A crash, leak, timeout or undefined behaviour leaves build-fuzz/crash-*, leak-* or timeout-*
# and fails the run (UBSan does not recover: its first finding stops the target).
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets="${*:-load pipeline request route-line}"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
    -Dcli=false -Ddocs=disabled -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=all >/dev/null
meson compile -C build-fuzz >/dev/null
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
d=tests/data
status=0
for target in $targets; do
    case "$target" in
    load) seeds="$d/malformed $d/upstream/examples $d/seed $d/kubectl"; options="-max_len=65536" ;;
    pipeline) seeds="tests/fuzz/corpus/pipeline $d/upstream/examples $d/seed $d/sweep $d/bindings"
              options="-max_len=32768 -dict=tests/fuzz/pipeline.dict" ;;
    request) seeds="tests/fuzz/corpus/request"; options="-max_len=4096" ;;
    route-line) seeds="tests/fuzz/corpus/route-line"
                options="-max_len=4096 -dict=tests/fuzz/route-line.dict" ;;
    *) echo "fuzz.sh: no target $target" >&2; exit 2 ;;
    esac
    mkdir -p "$scratch/$target"
    # shellcheck disable=SC2086
    build-fuzz/tests/fuzz/fuzz-$target -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix=build-fuzz/ $options "$scratch/$target" $seeds \
        > "$scratch/$target.log" 2>&1 || status=1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$target.log")
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$scratch/$target.log")
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$scratch/$target.log" | tail -1)
    echo "$target: ${runs:-?} runs in $seconds s, $cov, peak RSS ${rss:-?} MB"
    grep -E '^(==[0-9]+==|SUMMARY|broken promise)' "$scratch/$target.log" || true
done
# libFuzzer leaves a crash-* file for every failure it finds.
if ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* build-fuzz/oom-* 2>/dev/null; then
    status=1
fi
exit $status
