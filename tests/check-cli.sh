#!/bin/sh
# The gwapi command's contract: exit codes, the one-line text format, JSON output, dump.
set -eu
gwapi="$1"; data="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$gwapi" version | grep -q '^gwapi [0-9]' || fail "version"
"$gwapi" version | grep -Eq '^Gateway API: .* at commit [0-9a-f]{12} \(bundle-version [^)]*\); networking.x-k8s.io/v1alpha1 v[0-9]' \
    || fail "version: the Gateway API implemented"


# Clean input: exit 0 and a summary.
"$gwapi" check "$data/upstream/examples/basic-http.yaml" > "$tmp/out" || fail "example should check clean"
grep -qx '3 resources, 0 invalid, 3 valid' "$tmp/out" || fail "summary: $(cat "$tmp/out")"
# The founding document's Gateway omits certificateRef's group and kind, which the
# networking.x-k8s.io/v1alpha1 CRD requires: it loads (--no-validate) but does not validate.
"$gwapi" check --no-validate "$data/seed/seed-manifests.yaml" > "$tmp/out" || fail "seed should load"
grep -qx '3 resources, 0 invalid, 3 valid' "$tmp/out" || fail "seed summary: $(cat "$tmp/out")"
set +e
"$gwapi" check "$data/seed/seed-manifests.yaml" > "$tmp/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "seed validation should exit 1, got $rc"
grep -q 'seed-manifests.yaml:81:9: error: Gateway default/prod-web: spec.listeners\[0\].tls.certificateRef.group: Required value' \
    "$tmp/out" || fail "seed validation: $(cat "$tmp/out")"
grep -qx '3 resources, 1 invalid, 2 valid' "$tmp/out" || fail "seed validation summary"

# Other formats for CI systems.
set +e
"$gwapi" check -o tap "$data/seed/seed-manifests.yaml" > "$tmp/out.tap"
"$gwapi" check -o junit "$data/seed/seed-manifests.yaml" > "$tmp/out.xml"
set -e
grep -qx '1..3' "$tmp/out.tap" || fail "tap plan"
[ "$(grep -c '^ok ' "$tmp/out.tap")" -eq 2 ] || fail "tap ok lines"
grep -q '^not ok 3 - .*Gateway default/prod-web' "$tmp/out.tap" || fail "tap failure line"
python3 - "$tmp/out.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "1"
cases = root.findall("./testsuite/testcase")
assert len(cases) == 3
failed = [c for c in cases if c.find("failure") is not None]
assert len(failed) == 1 and failed[0].get("name") == "Gateway default/prod-web"
assert failed[0].find("failure").get("type") == "required"
PY

# Errors: exit 1, compiler-style lines.
set +e
"$gwapi" check "$data/malformed/string-for-int.yaml" > "$tmp/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "errors should exit 1, got $rc"
grep -q '^.*string-for-int.yaml:9:11: error: HTTPRoute ns/r: spec.parentRefs\[0\].port: Invalid value' \
    "$tmp/out" || fail "text line: $(cat "$tmp/out")"

# Unreadable input and bad usage: exit 2.
set +e
"$gwapi" check /nonexistent.yaml > /dev/null; rc=$?
[ $rc -eq 2 ] || fail "missing file should exit 2, got $rc"
# No path and standard input not a terminal: standard input is read (here, empty).
"$gwapi" check < /dev/null > "$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -qx '0 resources, 0 invalid, 0 valid' "$tmp/out" || fail "no path, empty stdin: $rc"
"$gwapi" frobnicate > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown command should exit 2, got $rc"
"$gwapi" check -o xml "$data/seed/seed-manifests.yaml" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown format should exit 2, got $rc"
# Warnings pass; --strict makes them errors.
"$gwapi" check "$data/malformed/unknown-field.yaml" > /dev/null; rc=$?
[ $rc -eq 0 ] || fail "warnings should exit 0, got $rc"
"$gwapi" check --strict "$data/malformed/unknown-field.yaml" > /dev/null; rc=$?
[ $rc -eq 1 ] || fail "--strict should exit 1, got $rc"
set -e

# stdin with "-", JSON output for programs.
set +e
"$gwapi" check -o json - < "$data/malformed/string-for-int.yaml" > "$tmp/out.json"; rc=$?
set -e
[ $rc -eq 1 ] || fail "stdin errors should exit 1"
python3 - "$tmp/out.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
d = doc["diagnostics"][0]
assert d["severity"] == "error" and d["code"] == "type", d
assert d["source"] == "<stdin>" and d["line"] == 9 and d["column"] == 11, d
assert d["kind"] == "HTTPRoute" and d["namespace"] == "ns" and d["name"] == "r", d
assert d["path"] == "spec.parentRefs[0].port", d
assert doc["summary"] == {"files": 1, "resources": 1, "invalid": 1, "valid": 0,
                          "errors": 1, "warnings": 0, "skipped": 0}, doc["summary"]
r = doc["resources"][0]
assert (r["kind"], r["namespace"], r["name"], r["status"], r["errors"]) == \
    ("HTTPRoute", "ns", "r", "invalid", 1), r
PY

# One document with two errors, its name unreadable, is one resource (it was counted twice).
printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: 5}\n' > "$tmp/two-errors.yaml"
set +e
"$gwapi" check "$tmp/two-errors.yaml" > "$tmp/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "two errors should exit 1"
[ "$(grep -c ': error: ' "$tmp/out")" -eq 2 ] || fail "two errors: $(cat "$tmp/out")"
grep -qx '1 resources, 1 invalid, 0 valid' "$tmp/out" || fail "two errors, one resource: $(cat "$tmp/out")"

# dump: the founding document's routes, defaults applied.
"$gwapi" dump -o json "$data/seed/seed-manifests.yaml" > "$tmp/seed.json"
python3 - "$tmp/seed.json" <<'PY'
import json, sys
items = {(i["kind"], i["metadata"]["name"]): i for i in json.load(open(sys.argv[1]))["items"]}
foo = items[("HTTPRoute", "foo-route")]["spec"]["rules"]
assert [r["matches"][0]["path"]["value"] for r in foo] == ["/login", "/home", "/"], foo
assert [r["forwardTo"][0]["serviceName"] for r in foo] == ["foo-auth", "foo-home", "foo-404"]
bar = items[("HTTPRoute", "bar-route")]["spec"]["rules"]
assert [(f["serviceName"], f["weight"]) for f in bar[0]["forwardTo"]] == [("bar-v1", 90), ("bar-v2", 10)]
assert bar[1]["matches"][0]["headers"]["values"] == {"env": "canary"}, bar[1]
assert items[("Gateway", "prod-web")]["metadata"]["namespace"] == "default"
PY
"$gwapi" dump -o yaml "$data/seed/seed-manifests.yaml" > "$tmp/seed.yaml"
"$gwapi" dump -o json "$tmp/seed.yaml" | cmp -s - "$tmp/seed.json" || fail "yaml dump does not read back"
# status: as printed, the Gateway lacks what its CRD requires: it is refused, as the API server
# would, and has no status; --include-invalid resolves it all the same.
set +e
"$gwapi" status -o json "$data/seed/seed-manifests.yaml" > "$tmp/status.json" 2> "$tmp/status.err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "status with a refused object should exit 1, got $rc"
grep -q "warning: Gateway default/prod-web: left out of binding and routing: the API server would refuse it (spec.listeners\[0\].tls.certificateRef.group: Required value" \
    "$tmp/status.err" || fail "refusal warning: $(cat "$tmp/status.err")"
grep -q '"prod-web"' "$tmp/status.json" && fail "a refused Gateway has no status"
"$gwapi" status --include-invalid -o json "$data/seed/seed-manifests.yaml" 2>/dev/null | grep -q '"prod-web"' \
    || fail "--include-invalid resolves the refused Gateway"
"$gwapi" explain --include-invalid HTTPRoute foo/foo-route "$data/seed/seed-manifests.yaml" | grep -q 'route-allows' \
    || fail "explain --include-invalid"
# status: a Kubernetes List with each object's status in the API's shape.
"$gwapi" status -o json "$data/seed/seed-valid.yaml" > "$tmp/status.json"
python3 - "$tmp/status.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["apiVersion"] == "v1" and doc["kind"] == "List", doc
items = {(i["kind"], i["metadata"]["name"]): i for i in doc["items"]}
for name in ("foo-route", "bar-route"):
    item = items[("HTTPRoute", name)]
    assert item["metadata"]["generation"] == 1
    entry = item["status"]["gateways"][0]
    assert entry["gatewayRef"] == {"namespace": "default", "name": "prod-web"}, entry
    c = entry["conditions"][0]
    assert (c["type"], c["status"], c["reason"]) == ("Admitted", "False", "GatewayNotAllowed"), c
    assert c["observedGeneration"] == 1 and "SameNamespace" in c["message"], c
gw = items[("Gateway", "prod-web")]["status"]
assert gw["listeners"][0]["port"] == 443, gw
PY
"$gwapi" status -o yaml --gateway default/prod-web "$data/seed/seed-valid.yaml" | grep -q '^kind: List$' \
    || fail "status -o yaml --gateway"
set +e
"$gwapi" status --gateway nowhere/none "$data/seed/seed-valid.yaml" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "status of an unknown Gateway should exit 2, got $rc"

# explain: the ordered checks; exit 1 while the route is not attached, 0 once it is.
"$gwapi" explain HTTPRoute foo/foo-route "$data/seed/seed-valid.yaml" > "$tmp/explain"; rc=$?
[ $rc -eq 1 ] || fail "explain of an unattached route should exit 1, got $rc"
grep -q 'FAIL Gateway default/prod-web listener https \[route-allows\]: GatewayNotAllowed: route foo/foo-route allows only Gateways in its own namespace' \
    "$tmp/explain" || fail "explain text: $(cat "$tmp/explain")"
awk '/^kind:/ {kind = $2} {print} /^spec:$/ && kind == "HTTPRoute" {print "  gateways: {allow: All}"}' \
    "$data/seed/seed-valid.yaml" > "$tmp/allow.yaml"
"$gwapi" explain HTTPRoute foo/foo-route "$tmp/allow.yaml" > "$tmp/explain"; rc=$?
[ $rc -eq 0 ] || fail "explain of an attached route should exit 0, got $rc: $(cat "$tmp/explain")"
"$gwapi" explain HTTPRoute foo/none "$data/seed/seed-valid.yaml" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "explain of a missing route should exit 2, got $rc"
set -e

# route: one JSON line in, one JSON line out, on the founding document's scenario.
{
    for p in /login /login/x /home /other; do echo "{\"host\": \"foo.example.com\", \"path\": \"$p\"}"; done
    echo '{"host": "bar.example.com", "path": "/", "headers": {"env": "canary"}}'
    echo '{"host": "bar.example.com", "path": "/", "headers": [["env", "stable"]], "random": 0}'
    echo '{"host": "nobody.example.com", "path": "/"}'
    echo '[1, 2]'
    echo '{"gateway": "default/none", "path": "/"}'
    i=0; while [ $i -lt 1000 ]; do echo '{"host": "bar.example.com"}'; i=$((i + 1)); done
} > "$tmp/requests.jsonl"
set +e
"$gwapi" route --gateway default/prod-web --seed 7 "$tmp/allow.yaml" < "$tmp/requests.jsonl" > "$tmp/decisions.jsonl"; rc=$?
set -e
[ $rc -eq 1 ] || fail "route with bad lines should exit 1, got $rc"
/usr/bin/python3 - "$tmp/decisions.jsonl" <<'PY' || fail "route output"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 1009, len(lines)
backend = [l.get("backend") for l in lines]
assert backend[:6] == ["foo/foo-auth:8080", "foo/foo-auth:8080", "foo/foo-home:8080",
                       "foo/foo-404:8080", "bar/bar-v2:8080", "bar/bar-v1:8080"], backend[:6]
first = lines[0]
assert first["status"] == 200 and first["listener"] == "https" and first["kind"] == "HTTPRoute"
assert first["route"] == "foo/foo-route" and first["rule"] == 0 and first["match"] == 0, first
assert first["request"] == {"host": "foo.example.com", "path": "/login", "method": "GET", "headers": []}, first
assert lines[4]["rule"] == 1, lines[4]
assert lines[6]["status"] == 404 and "route" not in lines[6], lines[6]
assert lines[7] == {"error": "not a JSON object", "line": 8}, lines[7]
assert lines[8]["line"] == 9 and "gateway" in lines[8]["error"], lines[8]
v2 = sum(1 for l in lines[9:] if l["backend"] == "bar/bar-v2:8080")
assert 60 <= v2 <= 140, v2  # weights 90/10
PY
set +e
echo '{}' | "$gwapi" route --gateway default/none "$tmp/allow.yaml" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "route to an unknown Gateway should exit 2, got $rc"
set -e

# route: each bad line is answered with an error naming the field and its line number, the
# stream goes on, and the command exits 1.
{
    echo '{"host": 5}'
    echo '{"path": 7}'
    echo '{"headers": 5}'
    echo '{"protocol": "ftp"}'
    echo '{"random": -5}'
    echo '{"random": 4294967296}'
    echo '{"random": "7"}'
    echo '{"port": 4294967376}'
    echo '{"host": "foo.example.com"} trailing'
    echo '{"host": "foo.example.com\u0000evil"}'
    echo '{"method": [1]}'
    echo '{"query": {}}'
    echo '{"sni": 1}'
    echo '{"host": "foo.example.com", "path": "/login"}'
} > "$tmp/bad.jsonl"
set +e
"$gwapi" route --gateway default/prod-web "$tmp/allow.yaml" < "$tmp/bad.jsonl" > "$tmp/bad.out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "route with bad lines should exit 1, got $rc"
/usr/bin/python3 - "$tmp/bad.out" <<'PY' || fail "route error lines: $(cat "$tmp/bad.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 14, lines
fields = ["host", "path", "headers", "protocol", "random", "random", "random", "port", None, "NUL",
          "method", "query", "sni"]
for i, field in enumerate(fields):
    assert set(lines[i]) == {"error", "line"} and lines[i]["line"] == i + 1, lines[i]
    assert field is None or field in lines[i]["error"], (field, lines[i])
assert lines[13]["status"] == 200 and lines[13]["backend"] == "foo/foo-auth:8080", lines[13]
PY
set +e
echo '{}' | "$gwapi" route --gateway default/prod-web --seed abc "$tmp/allow.yaml" > /dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "--seed abc should exit 2, got $rc"
# A line past --max-line-bytes is answered with an error and skipped without being held whole.
set +e
{ printf '{"host": "%s"}\n' "$(head -c 5000 /dev/zero | tr '\0' a)"; echo '{"host": "foo.example.com"}'; } \
    | "$gwapi" route --gateway default/prod-web --max-line-bytes 4096 "$tmp/allow.yaml" > "$tmp/long.out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a line past --max-line-bytes should exit 1, got $rc"
head -1 "$tmp/long.out" | grep -q '"error":"the line is longer than 4096 bytes (--max-line-bytes)","line":1' \
    || fail "long line: $(cat "$tmp/long.out")"
sed -n 2p "$tmp/long.out" | grep -q '"status"' || fail "the line after a long one is routed"
# route: watch event lines apply to the configuration before the lines after them are decided;
# an older event and an invalid update are not applied, and say why.
"$gwapi" route --gateway ns/gw "$data/bindings/filters.yaml" < "$data/bindings/events.jsonl" \
    > "$tmp/events.out" || fail "route with events should exit 0"
/usr/bin/python3 - "$tmp/events.out" <<'PY' || fail "route events: $(cat "$tmp/events.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 8, lines
assert lines[0]["backend"] == "ns/api:80", lines[0]
assert lines[1] == {"event": "MODIFIED", "object": "HTTPRoute ns/r", "applied": True,
                    "diagnostics": []}, lines[1]
assert lines[2]["backend"] == "ns/new:80", lines[2]
assert lines[3]["applied"] is False and lines[3]["diagnostics"][0]["code"] == "stale-event", lines[3]
assert lines[4]["applied"] is False and \
    [d["code"] for d in lines[4]["diagnostics"]] == ["maximum", "refused-update"], lines[4]
assert lines[5]["backend"] == "ns/new:80", lines[5]
assert lines[6]["event"] == "DELETED" and lines[6]["applied"] is True, lines[6]
assert lines[7]["status"] == 404 and "route" not in lines[7], lines[7]
PY
# route: on a TLS connection the server name chose the listener: a Host another listener of the
# port takes is answered 421; the decision says the listener terminates TLS.
printf '%s\n' '{"sni": "example.org", "host": "second.example.org", "port": 443}' \
    '{"sni": "second.example.org", "host": "second.example.org", "port": 443}' \
    | "$gwapi" route --gateway ns/gw "$data/bindings/https.yaml" > "$tmp/https.out" || fail "route https"
/usr/bin/python3 - "$tmp/https.out" <<'PY' || fail "421: $(cat "$tmp/https.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
# (the manifest holds no Secrets: the handshake's certificate is not known)
assert lines[0] == {"status": 421, "listener": "any", "tls": "terminate", "handshake": {}}, lines[0]
assert lines[1]["status"] == 200 and lines[1]["listener"] == "second" and \
    lines[1]["tls"] == "terminate", lines[1]
PY
# route: the TLS handshake of a request on a TLS connection: the certificate presented, whether a
# client certificate is asked for, and null when no listener terminates TLS for the name.
printf '%s\n' '{"sni": "second.example.org", "host": "second.example.org", "port": 443}' \
    '{"sni": "foo.example.org", "host": "foo.example.org", "port": 8443}' \
    | "$gwapi" route --gateway ns/gw "$data/bindings/https-certs.yaml" > "$tmp/handshake.out" \
    || fail "route handshake"
/usr/bin/python3 - "$tmp/handshake.out" <<'PY' || fail "handshake: $(cat "$tmp/handshake.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[0]["handshake"] == {"certificate": "ns/second-cert", "client_certificate": "required"}, lines[0]
assert lines[1]["handshake"] == {"certificate": None}, lines[1]
PY
# watch: after each value of the stream (events, or plain objects as kubectl -w writes them,
# indented over many lines), the statuses that changed and the routers that changed.
"$gwapi" watch "$data/bindings/watch.json" > "$tmp/watch.out" 2> "$tmp/watch.err" || fail "watch should exit 0"
/usr/bin/python3 - "$tmp/watch.out" <<'PY' || fail "watch: $(cat "$tmp/watch.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
kinds = [l["status"]["kind"] if "status" in l else "router " + l["router"] for l in lines]
assert kinds == ["GatewayClass", "Gateway", "router d/gw", "Gateway", "HTTPRoute", "router d/gw",
                 "Gateway", "router d/gw"], kinds
assert lines[3]["status"]["status"]["listeners"][0]["attachedRoutes"] == 1, lines[3]
assert lines[6]["status"]["status"]["listeners"][0]["attachedRoutes"] == 0, lines[6]
PY
grep -q 'watch.json, value 4:1:1: warning: HTTPRoute d/r: event of resourceVersion 2' "$tmp/watch.err" \
    || fail "watch: the stale event is reported: $(cat "$tmp/watch.err")"
# A name holding a line break cannot forge output lines, in any format.
printf 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: "a\\nok 99 - forged", namespace: x}\nspec: {hostnames: ["a\\nb"]}\n' > "$tmp/forge.yaml"
set +e
for format in text tap junit json; do
    "$gwapi" check -o $format "$tmp/forge.yaml" > "$tmp/forge.out"
    grep -q '^ok 99' "$tmp/forge.out" && fail "-o $format: a name forged a line"
done
set -e
"$gwapi" check -o tap "$tmp/forge.yaml" | grep -c '' | grep -qx 3 || fail "-o tap: one line per resource"
# A folder is read recursively (manifests only); no path reads standard input.
mkdir -p "$tmp/tree/sub"
cp "$data/upstream/examples/basic-http.yaml" "$tmp/tree/sub/a.yaml"
cp "$data/seed/seed-valid.yaml" "$tmp/tree/b.yml"
echo "not a manifest" > "$tmp/tree/notes.txt"
"$gwapi" check "$tmp/tree" | tail -1 | grep -qx '6 resources, 0 invalid, 6 valid' || fail "check FOLDER"
"$gwapi" check < "$data/upstream/examples/basic-http.yaml" | grep -qx '3 resources, 0 invalid, 3 valid' \
    || fail "check with standard input and no path"
# Documents of kinds not modelled are counted as skipped in every format; --summary and -q.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\n' > "$tmp/pod.yaml"
cat "$data/upstream/examples/basic-http.yaml" >> "$tmp/pod.yaml"
"$gwapi" check --summary "$tmp/pod.yaml" > "$tmp/out"
[ "$(cat "$tmp/out")" = '3 resources, 0 invalid, 3 valid, 1 skipped' ] || fail "--summary: $(cat "$tmp/out")"
"$gwapi" check -o json "$tmp/pod.yaml" | grep -q '"skipped":[[:space:]]*1' || fail "json skipped"
"$gwapi" check -o junit "$tmp/pod.yaml" | grep -q 'skipped="1">' || fail "junit skipped"
"$gwapi" check -o tap "$tmp/pod.yaml" | grep -q '^# 1 documents of kinds not modelled' || fail "tap skipped"
[ -z "$("$gwapi" check -q "$tmp/pod.yaml")" ] || fail "-q printed something"
set +e
"$gwapi" check -q "$data/seed/seed-manifests.yaml" > "$tmp/out"; rc=$?
set -e
[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] || fail "-q on invalid input: exit $rc"
# explain: NAME alone is in namespace default; a kind that is not a route is said so.
set +e
"$gwapi" explain HTTPRoute foo-route "$tmp/tree" 2> "$tmp/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'no HTTPRoute default/foo-route' "$tmp/err" || fail "explain NAME: $(cat "$tmp/err")"
"$gwapi" explain HTTPRoute foo/foo-route "$tmp/tree" | head -1 | grep -qx 'HTTPRoute foo/foo-route' \
    || fail "explain NS/NAME"
set +e
"$gwapi" explain Gateway default/prod-web "$tmp/tree" 2> "$tmp/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'is not a route kind' "$tmp/err" || fail "explain Gateway: $(cat "$tmp/err")"
# Help and man pages come from one table: every command answers -h and --help alike, its man
# page names it, and gwapi --help lists every option of every command.
for c in check dump status explain route test graph convert watch version; do
    "$gwapi" "$c" --help > "$tmp/help1" || fail "$c --help"
    "$gwapi" "$c" -h > "$tmp/help2" || fail "$c -h"
    cmp -s "$tmp/help1" "$tmp/help2" || fail "$c: -h and --help differ"
    grep -q "^usage: gwapi $c" "$tmp/help1" || fail "$c --help: $(head -1 "$tmp/help1")"
    "$gwapi" help --man "$c" | grep -q "^\.TH GWAPI\\\\-$c 1" || fail "man page of $c"
    for opt in $(grep -o -- '--[a-z-]*' "$tmp/help1" | sort -u); do
        "$gwapi" --help | grep -q -- "$opt" || fail "gwapi --help does not list $c's $opt"
    done
done
"$gwapi" --version | grep -q '^gwapi [0-9]' || fail "--version"
set +e
"$gwapi" check --no-such-option x 2>/dev/null; rc=$?
set -e
[ $rc -eq 2 ] || fail "an unknown option should exit 2, got $rc"
# test: route tests with the difference of each failure and the coverage of what the
# Gateway's routes hold.
"$gwapi" test "$data/route-tests/founding.yaml" "$tmp/allow.yaml" > "$tmp/out" \
    || fail "route tests of the founding scenario: $(cat "$tmp/out")"
grep -qx '6 tests, 6 passed, 0 failed' "$tmp/out" || fail "test summary: $(cat "$tmp/out")"
grep -qx 'coverage 100.0%: rules 5/5, matches 5/5, backends 6/6' "$tmp/out" \
    || fail "test coverage: $(cat "$tmp/out")"
cat > "$tmp/tests.yaml" <<'EOF2'
gateway: default/prod-web
tests:
- name: login
  request: {host: foo.example.com, path: /login}
  expect: {backend: foo/foo-home:8080}
- name: split
  request: {host: bar.example.com}
  expect: {backends: {bar/bar-v1:8080: 50, bar/bar-v2:8080: 50}}
- name: by its share
  request: {host: bar.example.com}
  expect: {backends: {bar/bar-v1:8080: 0.9, bar/bar-v2:8080: 0.1}}
- name: no request
  expect: {status: 404}
EOF2
set +e
"$gwapi" test "$tmp/tests.yaml" "$tmp/allow.yaml" > "$tmp/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a failing route test should exit 1, got $rc"
grep -qx '  backend: expected foo/foo-home:8080, got foo/foo-auth:8080' "$tmp/out" \
    || fail "test difference: $(cat "$tmp/out")"
grep -qx '  backends: expected {"bar/bar-v1:8080":50,"bar/bar-v2:8080":50}, got {"bar/bar-v1:8080":90,"bar/bar-v2:8080":10}' \
    "$tmp/out" || fail "test weights: $(cat "$tmp/out")"
grep -q '^FAIL by its share' "$tmp/out" && fail "shares compare as proportions"
grep -qx '4 tests, 2 passed, 2 failed' "$tmp/out" || fail "test summary: $(cat "$tmp/out")"
grep -qx '  not covered: rule 1 of HTTPRoute foo/foo-route' "$tmp/out" || fail "uncovered rule"
grep -qx '  not covered: backend foo/foo-404:8080 of HTTPRoute foo/foo-route rule 2' "$tmp/out" \
    || fail "uncovered backend"
"$gwapi" test -o json "$tmp/tests.yaml" "$tmp/allow.yaml" > "$tmp/out.json" || true
/usr/bin/python3 - "$tmp/out.json" <<'EOF2' || fail "test -o json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["summary"] == {"tests": 4, "passed": 2, "failed": 2}, r["summary"]
assert r["tests"][0]["failures"][0] == {"field": "backend", "expected": "foo/foo-home:8080",
                                        "got": "foo/foo-auth:8080"}
c = r["coverage"]
assert (c["rules"], c["matches"], c["backends"]) == ({"covered": 2, "total": 5},
        {"covered": 2, "total": 5}, {"covered": 3, "total": 6}), c
assert {"kind": "HTTPRoute", "route": "foo/foo-route", "rule": 1} in c["uncovered"]
EOF2
"$gwapi" test -o junit "$tmp/tests.yaml" "$tmp/allow.yaml" > "$tmp/out.xml" || true
/usr/bin/python3 -c "
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
assert d.getElementsByTagName('testsuite')[0].getAttribute('failures') == '2'
assert len(d.getElementsByTagName('testcase')) == 4" "$tmp/out.xml" || fail "test -o junit"
"$gwapi" test -o tap "$tmp/tests.yaml" "$tmp/allow.yaml" > "$tmp/out.tap" || true
grep -qx '1..4' "$tmp/out.tap" && grep -qx 'not ok 1 - login' "$tmp/out.tap" \
    && grep -qx 'ok 3 - by its share' "$tmp/out.tap" || fail "test -o tap: $(cat "$tmp/out.tap")"
set +e
"$gwapi" test --fail-under 100 "$data/route-tests/founding.yaml" "$tmp/allow.yaml" > /dev/null; rc=$?
[ $rc -eq 0 ] || fail "full coverage passes --fail-under 100, got $rc"
head -9 "$data/route-tests/founding.yaml" > "$tmp/partial.yaml"
"$gwapi" test --fail-under 90 "$tmp/partial.yaml" "$tmp/allow.yaml" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'coverage .* is under 90.0%' "$tmp/err" || fail "--fail-under: $rc $(cat "$tmp/err")"
"$gwapi" test "$tmp/none.yaml" "$tmp/allow.yaml" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "a missing test file should exit 2, got $rc"
set -e
# explain request: every candidate in the router's order, the first failed check of each,
# the winner with why it wins.
"$gwapi" explain request '{"host": "bar.example.com", "path": "/x", "headers": {"env": "canary"}}' \
    --gateway default/prod-web "$tmp/allow.yaml" > "$tmp/out" || fail "explain request"
grep -qx '  1. WON       HTTPRoute bar/bar-route rule 1 match 0 (listener https, host bar.example.com): more header matches, against HTTPRoute bar-route' \
    "$tmp/out" || fail "explain request winner: $(cat "$tmp/out")"
grep -q '^  3. hostname  HTTPRoute foo/foo-route rule 0 match 0 .*: filed under host foo.example.com, which does not cover bar.example.com$' \
    "$tmp/out" || fail "explain request hostname: $(cat "$tmp/out")"
"$gwapi" explain request '{"gateway": "default/prod-web", "host": "foo.example.com", "path": "/home"}' \
    "$tmp/allow.yaml" > "$tmp/out" || fail "explain request with its gateway"
grep -q '^  1. path      HTTPRoute foo/foo-route rule 0 match 0 .*: PathPrefix /login does not take /home$' \
    "$tmp/out" && grep -q '^  2. WON       HTTPRoute foo/foo-route rule 1 match 0 .*: its prefix /home is longer than foo-route.s /$' \
    "$tmp/out" || fail "explain request path: $(cat "$tmp/out")"
set +e
"$gwapi" explain request 'not json' --gateway default/prod-web "$tmp/allow.yaml" 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "explain request of bad JSON should exit 2, got $rc"
"$gwapi" explain request '{}' "$tmp/allow.yaml" 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "explain request without a gateway should exit 2, got $rc"
set -e
# check --separate: each file its own configuration, so two copies do not clash.
mkdir "$tmp/copies"
cp "$data/seed/seed-valid.yaml" "$tmp/copies/a.yaml"
cp "$data/seed/seed-valid.yaml" "$tmp/copies/b.yaml"
"$gwapi" check "$tmp/copies" > "$tmp/out"
grep -q 'defined again' "$tmp/out" && grep -qx '3 resources, 0 invalid, 3 valid' "$tmp/out" \
    || fail "two copies in one configuration: $(cat "$tmp/out")"
"$gwapi" check --separate "$tmp/copies" > "$tmp/out"
grep -q 'defined again' "$tmp/out" && fail "--separate: $(cat "$tmp/out")"
grep -qx '6 resources, 0 invalid, 6 valid' "$tmp/out" || fail "--separate summary: $(cat "$tmp/out")"
"$gwapi" check --separate -o json "$tmp/copies" "$data/seed/seed-manifests.yaml" > "$tmp/out.json" || true
/usr/bin/python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert r['summary']['resources'] == 9 and r['summary']['invalid'] == 1, r['summary']" "$tmp/out.json" \
    || fail "--separate -o json: $(cat "$tmp/out.json")"
# graph: the Gateway, its listener, the attached routes and their backends; routes not
# attached drawn apart with the reason; svg through Graphviz.
"$gwapi" graph "$tmp/allow.yaml" > "$tmp/graph.dot" || fail "graph"
grep -qx '  "Gateway default/prod-web listener https" -> "HTTPRoute foo/foo-route" \[\];' "$tmp/graph.dot" \
    || fail "graph: listener to route: $(cat "$tmp/graph.dot")"
grep -qx '  "HTTPRoute bar/bar-route" -> "backend bar/bar-v1:8080" \[label="rule 0, weight 90"\];' \
    "$tmp/graph.dot" || fail "graph: weighted backend"
"$gwapi" graph "$data/seed/seed-valid.yaml" > "$tmp/graph.dot" || fail "graph of unattached routes"
grep -q '"HTTPRoute foo/foo-route" -> "Gateway default/prod-web" \[label="not attached: GatewayNotAllowed"' \
    "$tmp/graph.dot" || fail "graph: unattached route: $(cat "$tmp/graph.dot")"
if command -v dot > /dev/null; then
    "$gwapi" graph -o svg "$tmp/allow.yaml" > "$tmp/graph.svg" || fail "graph -o svg"
    grep -q '<svg' "$tmp/graph.svg" && grep -q 'foo/foo&#45;auth:8080' "$tmp/graph.svg" \
        || fail "graph svg"
fi
echo "gwapi contract holds"
