#!/bin/sh
# Build the extension against an uninstalled build of the library and run the pytest suite.
#   bindings/python/run-tests.sh SOURCE_DIR BUILD_DIR
set -eu
src="$1"
build="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/bindings/python/gatewayapi" "$work/"
cd "$work"
GWAPI_CFFI_STRICT=1 GWAPI_INCLUDE_DIRS="$src/include:$build/include" GWAPI_LIBRARY_DIRS="$build" \
    /usr/bin/python3 gatewayapi/_build.py

rm -f gatewayapi/_native.c gatewayapi/_native.o
PYTHONPATH="$work" GWAPI_TEST_DATA="$src/tests/data" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider "$src/bindings/python/tests"
