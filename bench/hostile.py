#!/usr/bin/python3
"""Costs of hostile and huge inputs through the gwapi command: each case's input is generated,
then the command runs on it once, and its wall time and peak memory are printed. Every cost
must stay linear in the input (doc/loading.md).
    bench/hostile.py BUILD_DIR [CASE...]"""
import json
import os
import subprocess
import sys
import tempfile
import time

GC = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controllerName: example.com/c}\n---\n"


def labels(f):
    f.write("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n")
    for i in range(100000):
        f.write("    k%d: v\n" % i)


def aliases(f):
    f.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: d}\ndata:\n")
    for i in range(100000):
        f.write("  k%d: &a%d v\n" % (i, i))
    for i in range(100000):
        f.write("  j%d: *a%d\n" % (i, i))


def broken(f):
    for _ in range(300000):
        f.write("---\n[\n")


def deletes(f):
    for verb in ("ADDED", "DELETED"):
        for i in range(80000):
            f.write(json.dumps({"type": verb, "object": {"apiVersion": "v1", "kind": "Namespace",
                                                         "metadata": {"name": "n%d" % i}}}) + "\n")


def v1alpha1(f):
    f.write("apiVersion: networking.x-k8s.io/v1alpha1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controller: example.com/c}\n---\n")
    f.write("apiVersion: networking.x-k8s.io/v1alpha1\nkind: Gateway\nmetadata: {name: gw, namespace: d}\nspec:\n  gatewayClassName: gc\n  listeners:\n  - {protocol: HTTP, port: 80, routes: {kind: HTTPRoute, namespaces: {from: All}}}\n---\n")
    for i in range(20000):
        f.write("apiVersion: networking.x-k8s.io/v1alpha1\nkind: HTTPRoute\nmetadata: {name: r%d, namespace: d}\nspec:\n  gateways: {allow: All}\n  hostnames: [h%d.example.com]\n  rules: [{forwardTo: [{serviceName: s, port: 80}]}]\n---\n" % (i, i))


def cross_namespace(f):
    f.write(GC)
    f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\nspec:\n  gatewayClassName: gc\n  listeners:\n  - {name: web, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n---\n")
    for i in range(50000):
        f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r%d, namespace: ns%d}\nspec:\n  parentRefs: [{name: gw, namespace: infra}]\n  rules: [{backendRefs: [{name: s, namespace: other, port: 80}]}]\n---\n" % (i, i))


def regexes(f):
    f.write(GC)
    f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\nspec:\n  gatewayClassName: gc\n  listeners:\n  - {name: web, protocol: HTTP, port: 80}\n---\n")
    for i in range(21000):
        f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r%d, namespace: infra}\nspec:\n  parentRefs: [{name: gw}]\n  rules: [{matches: [{path: {type: RegularExpression, value: '/r%d/[a-z]+/(x|y)*'}}], backendRefs: [{name: s, port: 80}]}]\n---\n" % (i, i))


def policies(f):
    f.write(GC)
    f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: d}\nspec:\n  gatewayClassName: gc\n  listeners:\n  - {name: web, protocol: HTTP, port: 80}\n---\n")
    for i in range(10000):
        f.write("apiVersion: v1\nkind: Service\nmetadata: {name: s%d, namespace: d}\nspec: {ports: [{port: 443}]}\n---\n" % i)
        f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: p%d, namespace: d}\nspec:\n  targetRefs: [{group: '', kind: Service, name: s%d}]\n  validation: {hostname: s.example.com, wellKnownCACertificates: System}\n---\n" % (i, i))
        f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r%d, namespace: d}\nspec:\n  parentRefs: [{name: gw}]\n  rules: [{backendRefs: [{name: s%d, port: 443}]}]\n---\n" % (i, i))


def long_line(f):
    # written in pieces: the benchmark's own memory would count in its child's peak (fork)
    f.write('{"host": "')
    for _ in range(100):
        f.write("a" * 1000000)
    f.write('"}\n')


# name: (generator, command after "gwapi", file suffix, standard input)
CASES = {
    "labels": (labels, ["check"], ".yaml", None),
    "aliases": (aliases, ["check"], ".yaml", None),
    "broken": (broken, ["check"], ".yaml", None),
    "deletes": (deletes, ["check"], ".json", None),
    "v1alpha1": (v1alpha1, ["status"], ".yaml", None),
    "cross-namespace-status": (cross_namespace, ["status"], ".yaml", None),
    "cross-namespace-route": (cross_namespace, ["route", "--gateway", "infra/gw"], ".yaml",
                              b'{"host": "x", "path": "/"}\n'),
    "regexes": (regexes, ["route", "--gateway", "infra/gw"], ".yaml",
                b'{"host": "x", "path": "/r20999/abc/xy"}\n'),
    "policies": (policies, ["status"], ".yaml", None),
    "long-line": (None, ["route", "--gateway", "infra/gw"], ".yaml", long_line),
}


def run(gwapi, args, stdin_path):
    with open(stdin_path, "rb") as stdin:
        start = time.monotonic()
        proc = subprocess.Popen([gwapi] + args, stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss


def main():
    gwapi = os.path.join(sys.argv[1], "gwapi")
    names = sys.argv[2:] or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            make, args, suffix, stdin = CASES[name]
            path = os.path.join(tmp, name + suffix)
            with open(path, "w") as f:
                (make or regexes)(f)
            requests = os.path.join(tmp, "requests.jsonl")
            with open(requests, "w") as f:
                if callable(stdin):
                    stdin(f)
                elif stdin:
                    f.write(stdin.decode())
            seconds, rss = run(gwapi, args + [path], requests)
            print("%-24s %-8s %7.2f s %8.1f MB  input %.1f MB" % (
                name, args[0], seconds, rss / 1024, os.path.getsize(path) / 1e6))


if __name__ == "__main__":
    main()
