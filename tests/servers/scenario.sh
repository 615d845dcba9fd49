#!/bin/sh
# The founding document's scenario against a server at URL that routes through the binding:
# foo's three paths, bar's canary header, and bar's 90/10 split over 1,000 requests (+-3 points).
#   tests/servers/scenario.sh URL
set -eu
url="$1"
fail=0
# Wait for the server to answer.
i=0
until curl -s -o /dev/null "$url/"; do
    i=$((i + 1)); [ $i -lt 50 ] || { echo "the server does not answer at $url"; exit 1; }
    sleep 0.1
done
expect() {  # expect HOST PATH BODY [HEADER]
    got=$(curl -s -H "Host: $1" ${4:+-H "$4"} "$url$2")
    if [ "$got" != "$3" ]; then echo "FAIL $1$2 ${4:-}: got '$got', want '$3'"; fail=1; fi
}
expect foo.example.com /login foo-auth
expect foo.example.com /login/again foo-auth
expect foo.example.com /home foo-home
expect foo.example.com /anything foo-404
expect bar.example.com / bar-v2 "env: canary"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: nobody.example.com" "$url/")
[ "$status" = 404 ] || { echo "FAIL unknown host: status $status, want 404"; fail=1; }
v2=$(curl -s -H "Host: bar.example.com" "$url/[1-1000]" | grep -c '^bar-v2$' || true)
v1=$(curl -s -H "Host: bar.example.com" "$url/[1-1000]" | grep -c '^bar-v1$' || true)
echo "bar.example.com, 1,000 requests twice: bar-v2 $v2, then bar-v1 $v1 (want 100 and 900, +-30)"
[ "$v2" -ge 70 ] && [ "$v2" -le 130 ] || { echo "FAIL split: bar-v2 $v2 of 1000"; fail=1; }
[ "$v1" -ge 870 ] && [ "$v1" -le 930 ] || { echo "FAIL split: bar-v1 $v1 of 1000"; fail=1; }
exit $fail
