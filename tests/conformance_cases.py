"""The conformance vectors' request cases (tests/data/conformance/FORMAT.md sections 1.2, 1.3,
1.5), shared by the checks that route them: through `gwapi route` and the Python binding
(check-conformance-requests.py), and over the wire through nginx with the module
(nginx/test_module.py). A decision or an observed exchange is put in the shape `gwapi route`
prints, and check() compares it with the case's expectations."""
import collections
import os
import urllib.parse

CONTROLLER = 'example.com/gateway-conformance-controller'
DATAPLANE_KEYS = {'websocket_echo', 'udp_echo', 'dns_answer', 'backend_pods'}
# What the gateway does with TLS toward the backend is the router's to say: whether the stream
# reaching it is TLS (passed through, or originated under a BackendTLSPolicy) and with which server
# name. A case marked requires_dataplane only for these is decided here.
TLS_KEYS = {'upstream_tls', 'backend_tls', 'backend_sni'}
DECIDED_KEYS = {'status', 'path', 'method', 'backend', 'backend_namespace', 'host', 'query',
                'request_headers', 'absent_headers'} | TLS_KEYS
GROUPS = ('BackendTLSPolicy', 'GRPCRoute', 'GatewayClass', 'Gateway', 'HTTPRoute', 'ListenerSet',
          'TCPRoute', 'TLSRoute', 'UDPRoute')


def read_list(path):
    """The first word of each line of a list file (# comments), or an empty set."""
    if not os.path.exists(path):
        return set()
    return {l.split()[0] for l in open(path) if l.strip() and not l.startswith('#')}


def features_of(data):
    return {l.strip() for l in open(os.path.join(data, 'conformance', 'FEATURES'))
            if l.strip() and not l.startswith('#')}


def group_of(vec):
    return next((g for g in GROUPS if vec.startswith(g)),
                'GRPCRoute' if vec.startswith('GRPC') else 'other')


def stages(v):
    """(stage name, manifest texts loaded in turn, cases, weights) of a vector: its manifests,
    then each step's, a later load than the ones before (newer_than_initial)."""
    out = [('cases', [v['manifests']], v.get('cases', []), v.get('weights'))]
    loads = [v['manifests'].split('\n---\n')]
    for i, step in enumerate(v.get('steps', [])):
        if step.get('apply'):
            loads.append(step['apply'].split('\n---\n'))
        for d in step.get('delete', []):
            ns, _, nm = d['name'].rpartition('/')
            loads = [[doc for doc in docs if not ('kind: %s\n' % d['kind'] in doc and
                                                  'name: %s\n' % nm in doc and
                                                  (not ns or 'namespace: %s\n' % ns in doc))]
                     for docs in loads]
        out.append(('step%d' % i, ['\n---\n'.join(docs) for docs in loads],
                    step.get('cases', []), None))
    return out


def needs_dataplane(case):
    """Whether a case's outcome needs a live data plane: marked so and not decided here, or a
    handshake that fails only once the client's certificate is verified."""
    exp = case['expect']
    if (case.get('requires_dataplane') or exp.get('requires_dataplane')) and \
            not router_decides(case):
        return True
    return bool(DATAPLANE_KEYS & set(exp)) or \
        (exp.get('connection_fails') and 'client_certificate' in case['request'])


def router_decides(case):
    """A case the data plane is needed for only to observe backend TLS a decision states."""
    exp = case['expect']
    keys = set(exp) - {'requires_dataplane'}
    return bool(keys & TLS_KEYS) and keys <= DECIDED_KEYS and \
        set(exp.get('upstream_tls', {})) <= {'sni', 'client_certificate_secret'}


def applies(v, features):
    if any(f in features for f in v.get('skip_if_features', [])):
        return False
    return all(f in features for f in v.get('run_only_if_features', []))


def to_request(req, default_gateway):
    out = {'host': req.get('host', ''), 'path': req.get('path', '/'), 'method': req.get('method', 'GET'),
           'scheme': req.get('scheme', 'http'), 'port': req.get('port', 80)}
    for k in ('query', 'sni', 'headers', 'backend_response_headers'):
        if k in req:
            out[k] = req[k]
    proto = req.get('protocol', '')
    if proto == 'grpc':
        out['protocol'] = 'grpc'
        g = req.get('grpc', {})
        out['path'] = '/%s/%s' % (g.get('service', ''), g.get('method', ''))
        out['method'] = 'POST'
    elif proto in ('tcp', 'udp'):
        out['protocol'] = 'tls' if req.get('tls') else proto
    out['gateway'] = req.get('gateway', default_gateway)
    return out


def headers_dict(pairs):
    d = collections.OrderedDict()
    for n, v in pairs or []:
        d.setdefault(n.lower(), []).append(v)
    return {k: ','.join(v) for k, v in d.items()}


def check(expect, req, got):
    """None when the outcome satisfies expect, else why not."""
    if 'one_of' in expect:
        whys = [check(e, req, got) for e in expect['one_of']]
        ok = [w for w in whys if w is None]
        return None if len(ok) == 1 else 'one_of: %s' % whys
    status = got.get('status')
    if 'grpc_code' in expect or 'grpc_status' in expect:
        code = expect.get('grpc_code', 12 if expect.get('grpc_status') == 'UNIMPLEMENTED' else 0)
        want = 404 if code == 12 else 200
        if status != want:
            return 'status %s, want gRPC code %s' % (status, code)
    if 'status' in expect:
        want = expect['status'] if isinstance(expect['status'], list) else [expect['status']]
        if status not in want:
            return 'status %s, want %s' % (status, want)
    if 'status_not' in expect and status == expect['status_not']:
        return 'status %s' % status
    if expect.get('connection_rejected') and status == 200:
        return 'connection accepted'
    if 'backend' in expect:
        if not (got.get('backend', '') + ':').startswith(expect['backend'] + ':'):
            return 'backend %s, want %s' % (got.get('backend'), expect['backend'])
        if 'status' not in expect and status != 200:
            return 'status %s' % status
    if 'backend_namespace' in expect and not got.get('backend', '').startswith(expect['backend_namespace'] + '/'):
        return 'backend %s, want namespace %s' % (got.get('backend'), expect['backend_namespace'])
    # The handshake: a terminating listener for the server name presents a certificate, and
    # asks for the client's when the Gateway's frontend validation says so.
    handshake = got.get('handshake', {})
    if 'connection_fails' in expect and \
            ('certificate' in handshake and handshake['certificate'] is None) != expect['connection_fails']:
        return 'handshake %s, want it to %s' % (handshake, 'fail' if expect['connection_fails'] else 'succeed')
    if 'client_certificate_requested' in expect and \
            ('client_certificate' in handshake) != expect['client_certificate_requested']:
        return 'handshake %s, want a client certificate %srequested' % (
            handshake, '' if expect['client_certificate_requested'] else 'not ')
    if expect.get('connection_fails'):
        return None
    # TLS toward the backend: passed through, or originated under a BackendTLSPolicy.
    to_backend_tls = got.get('tls') == 'passthrough' or 'backend_tls' in got
    if 'backend_tls' in expect and to_backend_tls != expect['backend_tls']:
        return 'TLS to the backend %s, want %s' % (to_backend_tls, expect['backend_tls'])
    if 'backend_sni' in expect and not (got.get('tls') == 'passthrough' and
                                        req.get('sni') == expect['backend_sni']):
        return 'the backend sees SNI %s, want %s' % (req.get('sni'), expect['backend_sni'])
    if 'upstream_tls' in expect and \
            (got.get('backend_tls', {}).get('hostname') != expect['upstream_tls'].get('sni') or
             got.get('backend_tls', {}).get('client_certificate') !=
             expect['upstream_tls'].get('client_certificate_secret')):
        return 'upstream TLS %s, want %s' % (got.get('backend_tls'), expect['upstream_tls'])
    if 'redirect' in expect:
        r = expect['redirect']
        loc = got.get('redirect', {}).get('location')
        if not loc or got['redirect'].get('status') != r['status']:
            return 'redirect %s, want %s' % (got.get('redirect'), r)
        u = urllib.parse.urlsplit(loc)
        if u.scheme != r['scheme'] or u.path != r['path']:
            return 'Location %s, want %s' % (loc, r)
        if 'host' in r and u.hostname != r['host']:
            return 'Location host %s, want %s' % (u.hostname, r['host'])
        default = 443 if u.scheme == 'https' else 80
        if (u.port or default) != r.get('port', default):
            return 'Location port %s, want %s' % (u.port, r.get('port'))
    rq = got.get('request')
    keys = [k for k in ('path', 'query', 'method', 'host', 'request_headers', 'absent_headers') if k in expect]
    http = req.get('protocol', '') not in ('tcp', 'udp')
    if keys or (http and ('backend' in expect or 'backend_namespace' in expect) and status == 200):
        if rq is None:
            return 'not forwarded'
        hd = headers_dict(rq.get('headers'))
        if not keys:
            if rq['path'] != req.get('path', '/') or rq.get('query') != req.get('query') or \
               rq['method'] != req.get('method', 'GET') or hd != headers_dict(
                    list(req.get('headers', {}).items()) if isinstance(req.get('headers'), dict) else req.get('headers')):
                return 'request changed: %s' % rq
        if 'path' in expect and rq['path'] != expect['path']:
            return 'backend path %s, want %s' % (rq['path'], expect['path'])
        if 'query' in expect and rq.get('query') != expect['query']:
            return 'backend query %s, want %s' % (rq.get('query'), expect['query'])
        if 'method' in expect and rq['method'] != expect['method']:
            return 'backend method %s' % rq['method']
        if 'host' in expect and rq['host'] != expect['host']:
            return 'backend host %s, want %s' % (rq['host'], expect['host'])
        for n, v in expect.get('request_headers', {}).items():
            if hd.get(n.lower()) != v:
                return 'request header %s = %s, want %s' % (n, hd.get(n.lower()), v)
        for n in expect.get('absent_headers', []):
            if n.lower() in hd:
                return 'request header %s present' % n
    rh = headers_dict(got.get('response_headers'))
    strip = (lambda s: s.replace(' ', '')) if expect.get('ignore_whitespace') else (lambda s: s)
    for n, v in expect.get('response_headers', {}).items():
        if strip(rh.get(n.lower(), '\0')) != strip(v):
            return 'response header %s = %s, want %s' % (n, rh.get(n.lower()), v)
    for n, vs in expect.get('response_headers_one_of', {}).items():
        if strip(rh.get(n.lower(), '\0')) not in [strip(v) for v in vs]:
            return 'response header %s = %s, want one of %s' % (n, rh.get(n.lower()), vs)
    for n in expect.get('absent_response_headers', []):
        if n.lower() in rh:
            return 'response header %s present' % n
    if expect.get('answered_by_gateway') and rq is not None:
        return 'forwarded instead of answered by the gateway'
    for m in expect.get('mirrored_to', []):
        target = m if isinstance(m, str) else m['backend']
        if not any(x.startswith(target + ':') for x in got.get('mirrors', [])):
            return 'not mirrored to %s' % target
    return None


def check_weights(backends, weights):
    """None when the backends chosen for a weights sample (one "ns/name[:port]" per request)
    follow the vector's distribution within its tolerance, else why not."""
    n = len(backends)
    counts = collections.Counter(b.split(':')[0] for b in backends)
    for b, share in weights['distribution'].items():
        pct = 100.0 * counts.get(b, 0) / n if n else 0.0
        if (share == 0 and counts.get(b)) or abs(pct - share) > weights.get('tolerance_percent', 5):
            return 'weights %s, want %s' % (dict(counts), weights['distribution'])
    return None


class Tally:
    """Outcomes per vector group: passed, total, and failures EXPECTED lists (each with why);
    any other failure is unexpected, and a listed case that passes is stale."""

    def __init__(self, expected):
        self.expected = expected
        self.rows = collections.OrderedDict()
        self.seen_expected = set()
        self.unexpected = []

    def group(self, name):
        """A row for the group, listed even when none of its cases runs."""
        self.rows.setdefault(name, [0, 0, 0])

    def record(self, group, key, why, detail=''):
        row = self.rows.setdefault(group, [0, 0, 0])
        row[1] += 1
        if why is None:
            row[0] += 1
        elif key in self.expected:
            row[2] += 1
            self.seen_expected.add(key)
        else:
            self.unexpected.append('FAIL %s: %s%s' % (key, why, detail))

    def report(self, complete=True):
        """Print the failures and the table; the failures, with the stale expected ones when
        every vector ran (complete)."""
        for u in self.unexpected:
            print(u)
        print('%-18s %7s %7s %9s' % ('vector group', 'passed', 'total', 'expected'))
        t = [0, 0, 0]
        for g, r in self.rows.items():
            print('%-18s %7d %7d %9d' % (g, *r))
            t = [a + b for a, b in zip(t, r)]
        print('%-18s %7d %7d %9d' % ('all', *t))
        stale = sorted(self.expected - self.seen_expected) if complete else []
        return self.unexpected + ['STALE expected failure (now passes or gone): %s' % s
                                  for s in stale]
