#!/usr/bin/env python3
"""Route requests through a Gateway with the Python binding.

    examples/route.py -f MANIFEST [-f MANIFEST...] --gateway NS/NAME HOST[/PATH]...

Prints, for each request, where it goes. For example, on the founding document's manifests
made to attach (see the README):

    examples/route.py -f seed.yaml --gateway default/prod-web foo.example.com/login bar.example.com
"""
import argparse
import sys

import gatewayapi


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", dest="manifests", action="append", required=True,
                        metavar="MANIFEST", help="a file of manifests (repeatable)")
    parser.add_argument("--gateway", required=True, help="the Gateway, ns/name")
    parser.add_argument("requests", nargs="+", metavar="HOST[/PATH]")
    args = parser.parse_args()
    config = gatewayapi.load(*args.manifests)
    for d in config.diagnostics:
        print(d, file=sys.stderr)
    router = config.router(args.gateway)
    for target in args.requests:
        host, _, path = target.partition("/")
        d = router.match(host=host, path="/" + path)
        where = d.backend or d.location or "-"
        print("%-40s %d %s (%s rule %s)" % (target, d.status, where, d.route, d.rule))


if __name__ == "__main__":
    main()
