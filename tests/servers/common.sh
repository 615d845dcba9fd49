# Sourced by the server tests: a scratch folder, a loopback port range, the seed manifests made
# to attach, and a cleanup that stops the server (its pid in $tmp/server.pid) on exit.
tmp=$(mktemp -d)
# Below the ephemeral range (32768 and up), where outgoing connections take their ports.
port=$((20000 + $$ % 12000))
cleanup() {
    [ -f "$tmp/server.pid" ] && kill "$(cat "$tmp/server.pid")" 2>/dev/null || true
    sleep 0.2
    rm -rf "$tmp"
}
trap cleanup EXIT
"$here/attach-seed.sh" "$data/seed/seed-valid.yaml" > "$tmp/seed.yaml"
