#!/usr/bin/env python3
"""Every request case of the conformance vectors that a router can decide, and their weight
distributions, routed through `gwapi route` and checked against the vector's expectations
(tests/data/conformance/FORMAT.md sections 1.2, 1.3, 1.5). A case that needs a data plane only
to observe TLS toward the backend (passed through, or originated under a BackendTLSPolicy, and
with which server name) is decided from the decision's `tls` and `backend_tls`.

    check-conformance-requests.py GWAPI DATA_DIR [VECTOR]
    check-conformance-requests.py --python DATA_DIR [VECTOR]

With --python the requests go through the Python binding (gatewayapi, importable) instead of
the command; its decisions are put in the command's shape and checked the same way.

Prints passed/total per vector group; exits 1 when a case fails that EXPECTED-REQUEST-FAILURES
does not list (each listed one an implementation choice or a feature not implemented, see
doc/router.md), or when a listed one passes."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance_cases import (CONTROLLER, Tally, applies, check, check_weights,  # noqa: E402
                               features_of, group_of, needs_dataplane, read_list, stages,
                               to_request)

gwapi, data = sys.argv[1], sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else None
vectors = os.path.join(data, 'conformance', 'vectors')
features = features_of(data)
expected = read_list(os.path.join(data, 'conformance', 'EXPECTED-REQUEST-FAILURES'))


def route_with_binding(paths, requests):
    """The decisions of the Python binding, in the shape `gwapi route` prints."""
    import random
    import gatewayapi
    random.seed(1)
    config = gatewayapi.load(*paths, validate=False, controller=CONTROLLER)
    routers, results = {}, []
    for r in requests:
        try:
            if r['gateway'] not in routers:
                routers[r['gateway']] = config.router(r['gateway'])
        except gatewayapi.NotFoundError:
            results.append({'error': 'no such Gateway'})
            continue
        d = routers[r['gateway']].match(
            host=r.get('host'), path=r.get('path', '/'), method=r.get('method', 'GET'),
            headers=r.get('headers'), query=r.get('query'), port=r.get('port', 0),
            random=r.get('random'), protocol=r.get('protocol', 'http'), sni=r.get('sni'),
            scheme=r.get('scheme', 'http'), backend_response_headers=r.get('backend_response_headers'))
        got = {'status': d.status, 'response_headers': d.response_headers, 'mirrors': d.mirrors}
        if d.tls:
            got['tls'] = d.tls
        if r.get('sni') is not None and r.get('protocol', 'http') in ('http', 'grpc'):
            c = routers[r['gateway']].certificate(r['sni'], r.get('port', 0))
            handshake = got['handshake'] = {}
            if c is None:
                handshake['certificate'] = None
            elif c.secret is not None:
                handshake['certificate'] = c.secret
            if c is not None and c.client_certificate:
                handshake['client_certificate'] = c.client_certificate
        if d.backend_tls_policy:
            got['backend_tls'] = {'policy': d.backend_tls_policy,
                                  'hostname': d.backend_tls_hostname}
            if d.backend_tls_client_certificate:
                got['backend_tls']['client_certificate'] = d.backend_tls_client_certificate
        if d.backend:
            got['backend'] = d.backend
        if d.location is not None:
            got['redirect'] = {'status': d.status, 'location': d.location}
        if d.path is not None:
            got['request'] = {'host': d.host, 'path': d.path, 'method': r.get('method', 'GET'),
                              'headers': d.request_headers}
            if r.get('query') is not None:
                got['request']['query'] = r['query']
        results.append(got)
    return results


tally = Tally(expected)
for name in sorted(os.listdir(vectors)):
    if not name.endswith('.json') or (only and name != only + '.json'):
        continue
    v = json.load(open(os.path.join(vectors, name)))
    vec = name[:-5]
    if not applies(v, features):
        continue
    group = group_of(vec)
    tally.group(group)
    for stage, text, cases, weights in stages(v):
        todo = []
        for i, case in enumerate(cases):
            exp = case['expect']
            if needs_dataplane(case) or case.get('implementation_specific'):
                continue
            todo.append(('%s/%s#%d' % (vec, stage, i), case))
        if weights:
            todo.append(('%s/weights' % vec, None))
        if not todo:
            continue
        mpaths = []
        for t in text:
            with tempfile.NamedTemporaryFile('w', suffix='.yaml', delete=False) as f:
                f.write(t)
                mpaths.append(f.name)
        lines = []
        for key, case in todo:
            if case is None:
                n = weights.get('sample_size', 500)
                for k in range(n):
                    r = to_request(weights['request'], v.get('gateway'))
                    r['random'] = (k * 2**32) // n
                    lines.append(json.dumps(r))
            else:
                lines.append(json.dumps(to_request(case['request'], v.get('gateway'))))
        if gwapi == '--python':
            results = route_with_binding(mpaths, [json.loads(l) for l in lines])
        else:
            out = subprocess.run([gwapi, 'route', '--controller', CONTROLLER] + mpaths,
                                 input='\n'.join(lines) + '\n', capture_output=True,
                                 text=True).stdout.splitlines()
            results = [json.loads(l) for l in out]
        for m in mpaths:
            os.unlink(m)
        pos = 0
        for key, case in todo:
            if case is None:
                n = weights.get('sample_size', 500)
                got = results[pos:pos + n]
                pos += n
                why = check_weights([g.get('backend', '') for g in got], weights)
            else:
                got = results[pos] if pos < len(results) else {}
                pos += 1
                why = check(case['expect'], case['request'], got)
            tally.record(group, key, why, ' (got %s)' % json.dumps(got)[:300])
failures = tally.report(complete=not only)
print('%d unexpected' % len(failures))
sys.exit(1 if failures else 0)
