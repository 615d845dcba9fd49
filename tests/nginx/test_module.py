#!/usr/bin/python3
"""ngx_http_gatewayapi_module in Debian's nginx, for real: nginx, loopback echo backends and wrk
started and stopped here, every answer read off the wire.

    test_module.py MODULE.so DATA_DIR [founding|conformance|live|all]

- founding: the founding document's manifests, with Services and EndpointSlices that lead to
  the backends: foo's three paths, bar's canary header and 90/10 split, 404 for an unknown host,
  and TLS on the HTTPS listener with the certificate of the listener's Secret (checked with curl
  --resolve against that certificate).
- conformance: every request case of the conformance vectors that HTTP can carry, through
  nginx against echo backends (the path, Host and headers the backend saw, redirects, response
  headers, mirrors, timeouts); passed/total per group. A case listed in EXPECTED-FAILURES (with
  why) may fail; any other failure, or a listed case that passes, fails the test.
- live: while wrk drives traffic, 100 route changes are appended to the watch file; then wrk
  saw no failed request, every request reached an endpoint of the backend its decision named,
  and the last change is served.

Exits 77 (skipped) when nginx, curl or the module is missing."""
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from conformance_cases import (CONTROLLER, Tally, applies, check, check_weights,  # noqa: E402
                               features_of, group_of, needs_dataplane, read_list, stages)

NGINX = shutil.which('nginx') or '/usr/sbin/nginx'
TRANSPORT_HEADERS = {'host', 'connection', 'content-length', 'x-request-id',
                     'x-echo-response-headers'}


HANDED_OUT = set()


def free_port():
    """A loopback port nothing listens on, never the same twice in a run (a port closed
    just now is free to be handed out again by the kernel)."""
    while True:
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        if port not in HANDED_OUT:
            HANDED_OUT.add(port)
            return port


def wait_port(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('nothing listens on port %d' % port)


def nginx_env(folder):
    """nginx's environment: under sanitizers (GWAPI_NGINX_PRELOAD, from the build), their
    runtimes loaded first, reports written to folder/sanitizer.*, and no leak check (nginx's
    master keeps its configuration until exit on purpose)."""
    env = dict(os.environ)
    if os.environ.get('GWAPI_NGINX_PRELOAD'):
        env['LD_PRELOAD'] = os.environ['GWAPI_NGINX_PRELOAD']
        env['ASAN_OPTIONS'] = 'detect_leaks=0:abort_on_error=1:log_path=%s/sanitizer' % folder
        env['UBSAN_OPTIONS'] = 'print_stacktrace=1:halt_on_error=1:log_path=%s/sanitizer' % folder
    return env


def sanitizer_reports(folder):
    reports = []
    for name in os.listdir(folder):
        if name.startswith('sanitizer'):
            reports.append(open(os.path.join(folder, name)).read())
            os.unlink(os.path.join(folder, name))
    return reports


class Lab:
    """A scratch folder with echo backends and an nginx, stopped on close()."""

    def __init__(self, module):
        self.module = module
        self.dir = tempfile.mkdtemp(prefix='gwapi-nginx-')
        self.backends = None
        self.nginx_running = False
        self.dead = []
        self.cert, self.key = self.make_certificate()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def make_certificate(self):
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
                        '-keyout', self.path('key.pem'), '-out', self.path('cert.pem'),
                        '-subj', '/CN=gateway.test',
                        '-addext', 'subjectAltName=DNS:*.example.com,DNS:foo.example.com,'
                                   'DNS:bar.example.com,DNS:*.example.org,DNS:example.org'],
                       check=True, capture_output=True)
        return open(self.path('cert.pem')).read(), open(self.path('key.pem')).read()

    def start_backends(self, names):
        """One echo server per name; returns {name: port}."""
        self.stop_backends()
        ports = {n: free_port() for n in names}
        env = dict(os.environ, ECHO_LOG=self.path('echo.log'))
        self.backends = subprocess.Popen(
            ['/usr/bin/python3', os.path.join(HERE, 'echo_backend.py')] +
            ['%s=%d' % (n, p) for n, p in ports.items()],
            stdout=subprocess.PIPE, env=env, text=True)
        assert self.backends.stdout.readline().strip() == 'ready'
        return ports

    def stop_backends(self):
        if self.backends:
            self.backends.kill()
            self.backends.wait()
            self.backends = None

    def echo_log(self):
        try:
            return open(self.path('echo.log')).read().splitlines()
        except OSError:
            return []

    def start_nginx(self, http_block, workers=2):
        self.stop_nginx()
        self.dead += self.crashes()
        os.makedirs(self.path('logs'), exist_ok=True)
        conf = '''load_module %(module)s;
worker_processes %(workers)d;
pid %(dir)s/nginx.pid;
error_log %(dir)s/logs/error.log info;
events { worker_connections 1024; }
http {
    log_format gw '$gatewayapi_generation $gatewayapi_backend $upstream_addr $status';
    access_log %(dir)s/logs/access.log gw;
    client_body_temp_path %(dir)s/body; proxy_temp_path %(dir)s/proxy;
    fastcgi_temp_path %(dir)s/fcgi; uwsgi_temp_path %(dir)s/uwsgi; scgi_temp_path %(dir)s/scgi;
%(http)s
}
''' % {'module': self.module, 'workers': workers, 'dir': self.dir, 'http': http_block}
        with open(self.path('nginx.conf'), 'w') as f:
            f.write(conf)
        for log in ('access.log', 'error.log'):
            if os.path.exists(self.path('logs', log)):
                os.unlink(self.path('logs', log))
        r = subprocess.run([NGINX, '-p', self.dir, '-c', self.path('nginx.conf'),
                            '-e', self.path('logs', 'error.log')], capture_output=True, text=True,
                           env=nginx_env(self.dir))
        if r.returncode != 0:
            raise RuntimeError('nginx does not start: %s %s' % (r.stderr, self.error_log()))
        self.nginx_running = True

    def error_log(self):
        try:
            return open(self.path('logs', 'error.log')).read()
        except OSError:
            return ''

    def stop_nginx(self):
        if not self.nginx_running:
            return
        try:
            pid = int(open(self.path('nginx.pid')).read())
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.02)
        except (OSError, ValueError):
            pass
        self.nginx_running = False

    def crashes(self):
        """Sanitizer reports and workers that died, so far."""
        found = sanitizer_reports(self.dir)
        found += [l for l in self.error_log().splitlines()
                  if 'exited on signal' in l and l not in self.dead]
        return found

    def close(self):
        self.stop_nginx()
        self.stop_backends()
        if not os.environ.get('KEEP'):
            shutil.rmtree(self.dir, ignore_errors=True)


def service_docs(services, ports):
    """Services and EndpointSlices: each (ns, name, [service ports]) leads to the echo backend
    named "ns/name" on its loopback port."""
    docs = []
    for ns, name, sports in services:
        docs.append({'apiVersion': 'v1', 'kind': 'Service',
                     'metadata': {'name': name, 'namespace': ns},
                     'spec': {'ports': [{'name': 'p%d' % p, 'port': p} for p in sports]}})
        docs.append({'apiVersion': 'discovery.k8s.io/v1', 'kind': 'EndpointSlice',
                     'metadata': {'name': name + '-echo', 'namespace': ns,
                                  'labels': {'kubernetes.io/service-name': name}},
                     'addressType': 'IPv4',
                     'ports': [{'name': 'p%d' % p, 'port': ports['%s/%s' % (ns, name)]}
                               for p in sports],
                     'endpoints': [{'addresses': ['127.0.0.1']}]})
    return docs


def tls_secret(ns, name, cert, key):
    return {'apiVersion': 'v1', 'kind': 'Secret', 'type': 'kubernetes.io/tls',
            'metadata': {'name': name, 'namespace': ns},
            'data': {'tls.crt': base64.b64encode(cert.encode()).decode(),
                     'tls.key': base64.b64encode(key.encode()).decode()}}


def server_block(port, gateway, listener_port, tls=False, extra=''):
    lines = ['    server {',
             '        listen 127.0.0.1:%d%s;' % (port, ' ssl' if tls else ''),
             '        gatewayapi_gateway %s;' % gateway,
             '        gatewayapi_port %d;' % listener_port]
    if tls:
        lines += ['        ssl_certificate $gatewayapi_certificate;',
                  '        ssl_certificate_key $gatewayapi_certificate_key;']
    lines += ['        add_header X-Gatewayapi-Backend $gatewayapi_backend always;',
              '        location / { gatewayapi_pass; }', extra, '    }']
    return '\n'.join(lines)


def curl(*args):
    return subprocess.run(['curl', '-s', '--max-time', '10'] + list(args),
                          capture_output=True, text=True).stdout


# ---- the founding scenario ----

def founding(lab, data):
    failures = []
    seed = subprocess.run([os.path.join(os.path.dirname(HERE), 'servers', 'attach-seed.sh'),
                           os.path.join(data, 'seed', 'seed-valid.yaml')],
                          capture_output=True, text=True, check=True).stdout
    services = [('foo', 'foo-auth', [8080]), ('foo', 'foo-home', [8080]),
                ('foo', 'foo-404', [8080]), ('bar', 'bar-v1', [8080]), ('bar', 'bar-v2', [8080])]
    ports = lab.start_backends(['%s/%s' % (ns, n) for ns, n, _ in services])
    os.makedirs(lab.path('manifests'), exist_ok=True)
    with open(lab.path('manifests', 'seed.yaml'), 'w') as f:
        f.write(seed)
    # foo-home has a second endpoint where nothing listens: requests that start there go on to
    # the next endpoint.
    dead = free_port()
    refused = {'apiVersion': 'discovery.k8s.io/v1', 'kind': 'EndpointSlice',
               'metadata': {'name': 'foo-home-dead', 'namespace': 'foo',
                            'labels': {'kubernetes.io/service-name': 'foo-home'}},
               'addressType': 'IPv4', 'ports': [{'name': 'p8080', 'port': dead}],
               'endpoints': [{'addresses': ['127.0.0.1']}]}
    # A second Gateway with an HTTPS listener per hostname, for misdirected requests.
    listener = lambda host: {'name': host.split('.')[0], 'port': 443, 'protocol': 'HTTPS',
                             'hostname': host, 'allowedRoutes': {'namespaces': {'from': 'All'}},
                             'tls': {'certificateRefs': [{'name': 'admin-controlled-cert'}]}}
    split = [{'apiVersion': 'gateway.networking.k8s.io/v1', 'kind': 'Gateway',
              'metadata': {'name': 'split', 'namespace': 'default'},
              'spec': {'gatewayClassName': 'any',
                       'listeners': [listener('foo.example.com'), listener('bar.example.com')]}},
             {'apiVersion': 'gateway.networking.k8s.io/v1', 'kind': 'HTTPRoute',
              'metadata': {'name': 'split', 'namespace': 'foo'},
              'spec': {'parentRefs': [{'name': 'split', 'namespace': 'default'}],
                       'rules': [{'backendRefs': [{'name': 'foo-home', 'port': 8080}]},
                                 {'matches': [{'path': {'type': 'PathPrefix', 'value': '/idle'}}],
                                  'backendRefs': [{'name': 'idle', 'port': 8080}]}]}},
             # A Service whose only endpoint is not ready: 503.
             {'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 'idle', 'namespace': 'foo'},
              'spec': {'ports': [{'name': 'p8080', 'port': 8080}]}},
             {'apiVersion': 'discovery.k8s.io/v1', 'kind': 'EndpointSlice',
              'metadata': {'name': 'idle-1', 'namespace': 'foo',
                           'labels': {'kubernetes.io/service-name': 'idle'}},
              'addressType': 'IPv4', 'ports': [{'name': 'p8080', 'port': dead}],
              'endpoints': [{'addresses': ['127.0.0.1'], 'conditions': {'ready': False}}]}]
    with open(lab.path('manifests', 'backends.yaml'), 'w') as f:
        yaml.safe_dump_all(service_docs(services, ports) + [refused] + split +
                           [tls_secret('default', 'admin-controlled-cert', lab.cert, lab.key)], f)
    http, https, https_split = free_port(), free_port(), free_port()
    lab.start_nginx('    gatewayapi_manifests %s;\n' % lab.path('manifests') +
                    server_block(http, 'default/prod-web', 443) + '\n' +
                    server_block(https, 'default/prod-web', 443, tls=True) + '\n' +
                    server_block(https_split, 'default/split', 443, tls=True))
    wait_port(http)
    url = 'http://127.0.0.1:%d' % http

    def backend_of(host, path, *headers):
        args = ['-H', 'Host: ' + host]
        for h in headers:
            args += ['-H', h]
        out = curl(*args, url + path)
        try:
            return json.loads(out)['name']
        except ValueError:
            return out

    for host, path, header, want in [
            ('foo.example.com', '/login', None, 'foo/foo-auth'),
            ('foo.example.com', '/login/again', None, 'foo/foo-auth'),
            ('foo.example.com', '/home', None, 'foo/foo-home'),
            ('foo.example.com', '/anything', None, 'foo/foo-404'),
            ('bar.example.com', '/', 'env: canary', 'bar/bar-v2')]:
        got = backend_of(host, path, *([header] if header else []))
        if got != want:
            failures.append('%s%s %s: reached %s, want %s' % (host, path, header or '', got, want))
    homes = [backend_of('foo.example.com', '/home') for _ in range(10)]
    if homes != ['foo/foo-home'] * 10:
        failures.append('foo-home with a refusing endpoint: %s' % homes)
    if 'Connection refused' not in lab.error_log():
        failures.append('foo-home: no endpoint was refused, the test proves nothing')
    status = curl('-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: nobody.example.com',
                  url + '/')
    if status != '404':
        failures.append('unknown host: status %s, want 404' % status)
    out = curl('-H', 'Host: bar.example.com', url + '/[1-1000]')
    v1, v2 = out.count('"bar/bar-v1"'), out.count('"bar/bar-v2"')
    print('founding: bar.example.com over 1,000 requests: bar-v1 %d, bar-v2 %d' % (v1, v2))
    if v1 + v2 != 1000 or not 870 <= v1 <= 930:
        failures.append('split: bar-v1 %d, bar-v2 %d of 1000 (want 900 and 100, +-30)' % (v1, v2))
    # TLS: the listener's Secret is the certificate served; curl verifies it against that
    # certificate alone.
    out = curl('--resolve', 'foo.example.com:%d:127.0.0.1' % https, '--cacert', lab.path('cert.pem'),
               'https://foo.example.com:%d/home' % https)
    if '"foo/foo-home"' not in out:
        failures.append('TLS: https://foo.example.com/home answered %r' % out[:200])
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(('127.0.0.1', https)) as raw:
        with ctx.wrap_socket(raw, server_hostname='foo.example.com') as s:
            served = s.getpeercert(binary_form=True)
    if served != ssl.PEM_cert_to_DER_cert(lab.cert):
        failures.append('TLS: the certificate served is not the Secret\'s')
    # A gatewayapi_pass location in a server that plays no Gateway is a configuration error.
    with open(lab.path('bad.conf'), 'w') as f:
        f.write('load_module %s;\nevents {}\nhttp { gatewayapi_manifests %s; server { listen '
                '127.0.0.1:%d; location / { gatewayapi_pass; } } }\n'
                % (lab.module, lab.path('manifests'), free_port()))
    r = subprocess.run([NGINX, '-t', '-p', lab.dir, '-c', lab.path('bad.conf')],
                       capture_output=True, text=True, env=nginx_env(lab.dir))
    if r.returncode == 0 or 'gatewayapi_pass needs gatewayapi_gateway' not in r.stderr:
        failures.append('a gatewayapi_pass without gatewayapi_gateway was accepted: %s' % r.stderr)
    # Connection coalescing: the server name chose foo's listener, the Host is bar's.
    # A Service without a ready endpoint: 503.
    for host, path, want in (('foo.example.com', '/', '200'), ('bar.example.com', '/', '421'),
                             ('foo.example.com', '/idle', '503')):
        got = curl('-o', '/dev/null', '-w', '%{http_code}', '--resolve',
                   'foo.example.com:%d:127.0.0.1' % https_split, '--cacert', lab.path('cert.pem'),
                   '-H', 'Host: ' + host, 'https://foo.example.com:%d%s' % (https_split, path))
        if got != want:
            failures.append('TLS, server name foo.example.com, Host %s%s: status %s, want %s'
                            % (host, path, got, want))
    return failures


# ---- the conformance vectors over HTTP ----

def vector_services(docs):
    """Every Service of the manifests with its ports (the vectors declare the conformance
    cluster's Services; a route naming another one names a Service that does not exist)."""
    out = []
    for d in docs:
        if d.get('kind') == 'Service':
            md = d['metadata']
            ports = [p['port'] for p in (d.get('spec') or {}).get('ports') or []]
            out.append((md.get('namespace', 'default'), md['name'], ports or [80]))
    return out


def gateway_ports(docs):
    """(gateway "ns/name", port, tls) for every listener port."""
    out = []
    for d in docs:
        if d.get('kind') not in ('Gateway', 'ListenerSet'):
            continue
        md = d['metadata']
        gw = '%s/%s' % (md.get('namespace', 'default'), md['name'])
        if d['kind'] == 'ListenerSet':
            parent = d['spec'].get('parentRef', {})
            gw = '%s/%s' % (parent.get('namespace', md.get('namespace', 'default')), parent.get('name'))
        for l in d.get('spec', {}).get('listeners', []) or []:
            key = (gw, l['port'], l.get('protocol') == 'HTTPS')
            if key not in out and l.get('protocol') in ('HTTP', 'HTTPS'):
                out.append(key)
    return out


def with_certificates(docs, cert, key):
    """TLS Secrets get the test certificate as their data (the vectors leave it out)."""
    for d in docs:
        if d.get('kind') == 'Secret' and d.get('type', 'kubernetes.io/tls') == 'kubernetes.io/tls':
            d['type'] = 'kubernetes.io/tls'
            d['data'] = {'tls.crt': base64.b64encode(cert.encode()).decode(),
                         'tls.key': base64.b64encode(key.encode()).decode()}
    return docs


def send(port, req, tls, request_id):
    """One request over the wire; the outcome in the shape `gwapi route` prints."""
    method = req.get('method', 'GET')
    target = req.get('path', '/') + ('?' + req['query'] if req.get('query') is not None else '')
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        sni = req.get('sni') or (req.get('host') or '').split(':')[0] or None
        # The server name may differ from the Host header: a plain connection over a socket
        # wrapped here with the SNI wanted.
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
        conn._create_connection = lambda *a, **k: ctx.wrap_socket(
            socket.create_connection(('127.0.0.1', port), timeout=10), server_hostname=sni)
    else:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    headers = req.get('headers') or {}
    pairs = list(headers.items()) if isinstance(headers, dict) else [tuple(h) for h in headers]
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if req.get('host'):
            conn.putheader('Host', req['host'])
        for n, v in pairs:
            conn.putheader(n, v)
        conn.putheader('X-Request-Id', request_id)
        if req.get('backend_response_headers'):
            conn.putheader('X-Echo-Response-Headers', json.dumps(req['backend_response_headers']))
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
    except (OSError, http.client.HTTPException) as e:
        return {'status': None, 'error': str(e)}
    finally:
        conn.close()
    got = {'status': resp.status,
           'response_headers': [[n, v] for n, v in resp.getheaders()
                                if n.lower() not in ('x-gatewayapi-backend', 'x-backend')]}
    decided = resp.getheader('X-Gatewayapi-Backend')
    if decided:
        got['backend'] = decided
    if 300 <= resp.status < 400 and resp.getheader('Location'):
        got['redirect'] = {'status': resp.status, 'location': resp.getheader('Location')}
    if resp.getheader('X-Backend'):
        try:
            echo = json.loads(body)
        except ValueError:
            echo = None
        if echo:
            seen = [[n, v] for n, vs in echo['headers'].items() for v in vs
                    if n not in TRANSPORT_HEADERS]
            got['request'] = {'host': echo['host'], 'path': echo['path'], 'method': echo['method'],
                              'headers': seen}
            if echo.get('query') is not None:
                got['request']['query'] = echo['query']
    return got


def conformance(lab, data):
    features = features_of(data)
    expected = read_list(os.path.join(HERE, 'EXPECTED-FAILURES'))
    vectors = os.path.join(data, 'conformance', 'vectors')
    tally = Tally(expected)
    serial = 0
    for fname in sorted(os.listdir(vectors)):
        if not fname.endswith('.json'):
            continue
        v = json.load(open(os.path.join(vectors, fname)))
        vec = fname[:-5]
        if not applies(v, features) or os.environ.get('VECTOR', vec) != vec:
            continue
        tally.group(group_of(vec))
        for stage, texts, cases, weights in stages(v):
            todo = [('%s/%s#%d' % (vec, stage, i), c) for i, c in enumerate(cases)
                    if not c.get('implementation_specific') and
                    c['request'].get('protocol', 'http') == 'http' and
                    not (needs_dataplane(c) and set(c['expect']) & {'websocket_echo', 'udp_echo',
                                                                     'dns_answer', 'backend_pods'}) and
                    'client_certificate' not in c['request']]
            if weights and weights['request'].get('protocol', 'http') == 'http':
                todo.append(('%s/weights' % vec, None))
            if not todo:
                continue
            docs = [d for t in texts for d in yaml.safe_load_all(t) if d]
            services = vector_services(docs)
            ports = lab.start_backends(['%s/%s' % (ns, n) for ns, n, _ in services])
            mdir = lab.path('vector')
            shutil.rmtree(mdir, ignore_errors=True)
            os.makedirs(mdir)
            for i, t in enumerate(texts):
                with open(os.path.join(mdir, '%02d.yaml' % i), 'w') as f:
                    yaml.safe_dump_all(with_certificates(
                        [d for d in yaml.safe_load_all(t) if d], lab.cert, lab.key), f)
            with open(os.path.join(mdir, 'zz-backends.yaml'), 'w') as f:
                yaml.safe_dump_all(service_docs(services, ports), f)
            listeners = {}
            blocks = []
            for gw, lport, tls in gateway_ports(docs):
                p = free_port()
                listeners[(gw, lport)] = (p, tls)
                blocks.append(server_block(p, gw, lport, tls))
            lab.start_nginx('    gatewayapi_manifests %s;\n    gatewayapi_controller %s;\n%s'
                            % (mdir, CONTROLLER, '\n'.join(blocks)), workers=1)
            for p, _ in listeners.values():
                wait_port(p)
            for key, case in todo:
                why = run_case(lab, v, case, weights, listeners, key, serial)
                serial += 1
                tally.record(group_of(vec), key, why)
    return tally.report(complete=not os.environ.get('VECTOR'))


def run_case(lab, v, case, weights, listeners, key, serial):
    req = (weights['request'] if case is None else case['request'])
    gw = req.get('gateway', v.get('gateway'))
    lport = req.get('port', 80)
    target = listeners.get((gw, lport))
    if not target:
        return 'no server plays %s port %s' % (gw, lport)
    port, tls = target
    tls = tls or req.get('scheme') == 'https'
    if case is None:
        n = weights.get('sample_size', 500)
        return check_weights([send(port, req, tls, 'w%d-%d' % (serial, k)).get('backend', '')
                              for k in range(n)], weights)
    sampled = [m for m in case['expect'].get('mirrored_to', [])
               if isinstance(m, dict) and m.get('percent', 100) < 100]
    if sampled:
        return sampled_mirrors(lab, case, req, port, tls, serial, sampled)
    for attempt in range(case.get('repeat', 1)):
        request_id = 'c%d-%d' % (serial, attempt)
        got = send(port, req, tls, request_id)
        if got.get('error'):
            if case['expect'].get('connection_fails') or case['expect'].get('connection_rejected'):
                return None
            return 'no answer: %s' % got['error']
        mirrors = case['expect'].get('mirrored_to')
        if mirrors:
            time.sleep(0.3)  # mirrors are sent in the background
            got['mirrors'] = ['%s:0' % line.split()[0] for line in lab.echo_log()
                              if line.split()[1:] == [request_id]]
        why = check(case['expect'], req, got)
        if why:
            return '%s (got %s)' % (why, json.dumps(got)[:300])
    return None


def sampled_mirrors(lab, case, req, port, tls, serial, sampled, n=200):
    """A mirror of a share of requests: each of n requests must satisfy the rest of expect,
    and the share mirrored must be within 10 points of the one asked for."""
    expect = dict(case['expect'])
    del expect['mirrored_to']
    ids = set()
    for k in range(n):
        request_id = 'm%d-%d' % (serial, k)
        ids.add(request_id)
        got = send(port, req, tls, request_id)
        why = check(expect, req, got)
        if why:
            return '%s (got %s)' % (why, json.dumps(got)[:300])
    time.sleep(0.5)
    log = [line.split() for line in lab.echo_log()]
    for m in sampled:
        hits = sum(1 for entry in log if entry[0] == m['backend'] and entry[1:2] and entry[1] in ids)
        if abs(100.0 * hits / n - m['percent']) > 10:
            return 'mirrored %d of %d requests to %s, want %s%%' % (hits, n, m['backend'],
                                                                   m['percent'])
    return None


# ---- live updates under load ----

def still_serves(port, final, when):
    """Every worker sends /a/b of live.example.com to the backend named final."""
    for _ in range(8):
        got = json.loads(curl('-H', 'Host: live.example.com', 'http://127.0.0.1:%d/a/b' % port))
        if got['name'] != final:
            return ['after %s /a/b reached %s, want %s' % (when, got['name'], final)]
    return []


def live(lab, data):
    failures = []
    names = ['live/v%d' % i for i in range(4)]
    ports = lab.start_backends(names)
    services = [('live', 'v%d' % i, [80]) for i in range(4)]
    gateway = {'apiVersion': 'gateway.networking.k8s.io/v1', 'kind': 'Gateway',
               'metadata': {'name': 'gw', 'namespace': 'live'},
               'spec': {'gatewayClassName': 'any',
                        'listeners': [{'name': 'http', 'port': 80, 'protocol': 'HTTP'}]}}

    def route(i):
        return {'apiVersion': 'gateway.networking.k8s.io/v1', 'kind': 'HTTPRoute',
                'metadata': {'name': 'web', 'namespace': 'live', 'resourceVersion': str(i + 1)},
                'spec': {'parentRefs': [{'name': 'gw'}], 'hostnames': ['live.example.com'],
                         'rules': [{'matches': [{'path': {'type': 'PathPrefix',
                                                          'value': '/' if i % 2 == 0 else '/a'}}],
                                    'backendRefs': [{'name': 'v%d' % (i % 4), 'port': 80}]},
                                   {'backendRefs': [{'name': 'v%d' % ((i + 1) % 4), 'port': 80}]}]}}

    os.makedirs(lab.path('live'), exist_ok=True)
    with open(lab.path('live', 'base.yaml'), 'w') as f:
        yaml.safe_dump_all([gateway, route(0)] + service_docs(services, ports), f)
    watch = lab.path('live-watch.json')
    open(watch, 'w').close()
    port = free_port()
    lab.start_nginx('    gatewayapi_manifests %s;\n    gatewayapi_watch %s;\n%s'
                    % (lab.path('live'), watch, server_block(port, 'live/gw', 80)))
    wait_port(port)
    wrk = subprocess.Popen(['wrk', '-t2', '-c16', '-d8s', '-H', 'Host: live.example.com',
                            'http://127.0.0.1:%d/a/b' % port], stdout=subprocess.PIPE, text=True)
    time.sleep(1)
    changes = 100
    for i in range(1, changes + 1):
        with open(watch, 'a') as f:
            f.write(json.dumps({'type': 'MODIFIED', 'object': route(i)}) + '\n')
        time.sleep(0.05)
    out = wrk.communicate()[0]
    m = re.search(r'(\d+) requests in', out)
    total = int(m.group(1)) if m else 0
    non2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    sockerr = re.search(r'Socket errors: (.*)', out)
    print('live: %d requests under wrk while %d route changes were applied' % (total, changes))
    if not total:
        failures.append('wrk made no request: %s' % out)
    if non2xx or sockerr:
        failures.append('wrk saw failures: %s %s' % (non2xx and non2xx.group(0),
                                                     sockerr and sockerr.group(0)))
    # Every request reached an endpoint of the backend its own decision named.
    by_port = {p: n for n, p in ports.items()}
    wrong, cut, generations = 0, 0, set()
    for line in open(lab.path('logs', 'access.log')):
        gen, backend, upstream, status = line.split(None, 3)
        status = status.strip()
        generations.add(int(gen))
        reached = by_port.get(int(upstream.rsplit(':', 1)[1])) if ':' in upstream else None
        if status == '499':
            cut += 1  # in flight when wrk stopped and closed its connections
            continue
        if status != '200' or reached is None or not backend.startswith(reached + ':'):
            wrong += 1
            if wrong <= 5:
                print('live: wrong: %s' % line.strip())
    print('live: configuration generations served: %d..%d; requests that reached a backend '
          'their decision did not name: %d (%d cut off when wrk stopped)'
          % (min(generations), max(generations), wrong, cut))
    if wrong:
        failures.append('%d requests reached a backend their decision did not name' % wrong)
    # The last change is served by every worker: /a/b goes to rule 0's backend (path "/a").
    final = 'live/v%d' % (changes % 4)
    failures += still_serves(port, final, 'the changes')
    if max(generations) < 2:
        failures.append('no update was applied')
    # An invalid version of the route is refused; the last valid one goes on serving.
    bad = route(changes + 1)
    bad['spec']['rules'][0]['matches'][0]['path']['value'] = 'no-leading-slash'
    bad['spec']['rules'][0]['backendRefs'][0]['name'] = 'v3'
    with open(watch, 'a') as f:
        f.write(json.dumps({'type': 'MODIFIED', 'object': bad}) + '\n')
    time.sleep(1)
    failures += still_serves(port, final, 'an invalid update')
    if 'refused' not in lab.error_log():
        failures.append('the invalid update was not reported')
    # nginx -s reload reads the manifests and the watch file again.
    subprocess.run([NGINX, '-p', lab.dir, '-c', lab.path('nginx.conf'), '-s', 'reload'],
                   check=True, capture_output=True, env=nginx_env(lab.dir))
    time.sleep(1.5)
    failures += still_serves(port, final, 'a reload')
    return failures


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    module, data = sys.argv[1], sys.argv[2]
    parts = sys.argv[3:] or ['all']
    if not (os.path.exists(NGINX) and shutil.which('curl') and os.path.exists(module)):
        print('nginx, curl or the module is missing: skipped')
        sys.exit(77)
    lab = Lab(os.path.abspath(module))
    failures = []
    try:
        for name, fn in (('founding', founding), ('conformance', conformance), ('live', live)):
            if 'all' in parts or name in parts:
                if name == 'live' and not shutil.which('wrk'):
                    print('live: wrk is missing: skipped')
                    continue
                got = fn(lab, data)
                print('%s: %s' % (name, 'ok' if not got else '%d failures' % len(got)))
                failures += ['%s: %s' % (name, f) for f in got]
                if got and lab.error_log():
                    errors = [l for l in lab.error_log().splitlines()
                              if '[error]' in l or '[alert]' in l or '[emerg]' in l]
                    print('\n'.join(errors[-20:]))
        lab.stop_nginx()
        lab.dead += lab.crashes()
        failures += ['nginx: %s' % d[:2000] for d in lab.dead]
    finally:
        lab.close()
    for f in failures:
        print('FAIL', f)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
