#!/bin/sh
# Set everything up on a fresh Debian 12 machine and show the main job on the founding
# document's manifests (networking.x-k8s.io/v1alpha1).
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
seed=tests/data/seed/seed-manifests.yaml
valid=tests/data/seed/seed-valid.yaml

echo "== gwapi check $seed"
echo "   (validated against the networking.x-k8s.io/v1alpha1 CRDs, as the API server would)"
build/gwapi check "$seed" || true
echo
echo "== the routes as the library reads them (examples/list-routes.c)"
build/examples/list-routes "$seed"
echo
echo "== gwapi explain: why the routes, exactly as printed, attach to nothing"
echo "   (the API server would refuse the Gateway, so the library leaves it out, as the cluster would)"
build/gwapi explain HTTPRoute foo/foo-route "$seed" || true
echo "   (included all the same, the routes still keep v1alpha1's gateways.allow: SameNamespace)"
build/gwapi explain --include-invalid HTTPRoute foo/foo-route "$seed" 2>/dev/null || true
build/gwapi explain --include-invalid HTTPRoute bar/bar-route "$seed" 2>/dev/null || true
echo
allow=$(mktemp)
trap 'rm -f "$allow"' EXIT
awk '/^kind:/ {kind = $2} {print} /^spec:$/ && kind == "HTTPRoute" {print "  gateways: {allow: All}"}' \
    "$valid" > "$allow"
echo "== with the certificateRef completed ($valid) and 'gateways: {allow: All}': gwapi explain"
build/gwapi explain HTTPRoute foo/foo-route "$allow"
build/gwapi explain HTTPRoute bar/bar-route "$allow"
echo
echo "== gwapi status -o yaml (what a controller would write)"
build/gwapi status -o yaml "$allow"
echo
echo "== gwapi route: requests through default/prod-web"
{
    echo '{"host": "foo.example.com", "path": "/login"}'
    echo '{"host": "foo.example.com", "path": "/home/profile"}'
    echo '{"host": "foo.example.com", "path": "/other"}'
    echo '{"host": "bar.example.com", "path": "/", "headers": {"env": "canary"}}'
    echo '{"host": "baz.example.com", "path": "/"}'
} | build/gwapi route --gateway default/prod-web "$allow"
echo
echo "== 1000 requests to bar.example.com: backends by their 90/10 weights"
i=0
while [ $i -lt 1000 ]; do echo '{"host": "bar.example.com"}'; i=$((i + 1)); done |
    build/gwapi route --gateway default/prod-web "$allow" |
    grep -o '"backend":"[^"]*"' | sort | uniq -c
echo
echo "== gwapi test: the founding scenario's route tests, with coverage"
build/gwapi test tests/data/route-tests/founding.yaml "$allow"
echo
echo "== gwapi explain request: how a canary request is decided"
build/gwapi explain request '{"host": "bar.example.com", "path": "/", "headers": {"env": "canary"}}' \
    --gateway default/prod-web "$allow"
echo
echo "== gwapi convert: the same manifests as gateway.networking.k8s.io/v1"
build/gwapi convert "$allow"
