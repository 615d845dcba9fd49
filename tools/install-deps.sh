#!/bin/sh
# Install the Debian 12 packages needed to build, test, fuzz and document libgatewayapi.
set -eu
packages="build-essential meson ninja-build pkgconf libyaml-dev libcjson-dev libpcre2-dev check doxygen
          clang libclang-rt-14-dev python3 python3-yaml binutils
          python3-dev python3-cffi python3-pytest python3-setuptools python3-venv python3-pip
          lua5.1 liblua5.1-0-dev luajit2 libluajit2-5.1-dev lua5.3 liblua5.3-dev lua5.4 liblua5.4-dev
          nginx-light libnginx-mod-http-lua haproxy curl
          nginx-dev libssl-dev zlib1g-dev openssl wrk graphviz abigail-tools
          debhelper dh-python dpkg-dev lintian luarocks"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
