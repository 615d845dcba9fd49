#!/bin/sh
# Record the ABI baseline (abi/libgatewayapi.abi) from a build's shared library: done once per
# ABI, at its first release; tests/check-abi.sh compares every later build against it.
#   tools/abi-baseline.sh [BUILD-DIR]
set -eu
cd "$(dirname "$0")/.."
dir="${1:-build}"
lib=$(ls "$dir"/libgatewayapi.so.*.*.* | head -1)
abidw --no-corpus-path --headers-dir include --out-file abi/libgatewayapi.abi "$lib"
echo "abi/libgatewayapi.abi recorded from $lib"
