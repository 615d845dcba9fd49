#!/usr/bin/env python3
"""Matches per second through the Python binding on the matching benchmark's workload, and a
tab-separated copy of the requests for bench/bindings-bench.lua.

    bench/bindings-bench.py DIR [--tsv FILE]

DIR holds routes.yaml and requests.jsonl (the harness's workload). The gatewayapi package must
be importable (installed, or built in-tree as bindings/python/run-tests.sh does)."""
import json
import sys
import time

import gatewayapi


def main():
    wd = sys.argv[1]
    tsv = sys.argv[sys.argv.index("--tsv") + 1] if "--tsv" in sys.argv else None
    start = time.perf_counter()
    config = gatewayapi.load(wd + "/routes.yaml", validate=False)
    gateway = next(o for o in config.objects if o.kind == "Gateway")
    router = config.router("%s/%s" % (gateway.namespace, gateway.name))
    build = time.perf_counter() - start
    requests = [json.loads(line) for line in open(wd + "/requests.jsonl")]
    if tsv:
        with open(tsv, "w") as out:
            for r in requests:
                headers = ";".join("%s=%s" % kv for kv in r.get("headers", {}).items())
                out.write("%s\t%s\t%s\t%s\n" % (r["host"], r["path"], r.get("method", "GET"), headers))
    args = [dict(host=r["host"], path=r["path"], method=r.get("method", "GET"),
                 headers=r.get("headers") or None, random=k * 2654435761 % 2**32)
            for k, r in enumerate(requests)]
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        for a in args:
            router.match(**a)
        t = (time.perf_counter() - t0) / len(args)
        best = t if best is None else min(best, t)
    print("python: %.0f matches/s, %.2f us per match (build %.0f ms)" % (1 / best, best * 1e6, build * 1e3))


if __name__ == "__main__":
    main()
