#!/bin/sh
# Set everything up on a fresh Debian 12 machine and show the main job on the founding
# document's manifests (networking.x-k8s.io/v1alpha1).
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
seed=tests/data/seed/seed-manifests.yaml

echo "== gwapi check $seed"
echo "   (validated against the networking.x-k8s.io/v1alpha1 CRDs, as the API server would)"
build/gwapi check "$seed" || true
echo
echo "== the routes as the library reads them (examples/list-routes.c)"
build/examples/list-routes "$seed"
echo
echo "== gwapi dump -o yaml $seed (CRD defaults applied)"
build/gwapi dump -o yaml "$seed"
