#!/usr/bin/python3
"""What routing costs inside nginx: wrk on loopback against four setups of one nginx worker,
each proxying every request it routes to the same backend (another nginx answering 200).

  module   ngx_http_gatewayapi_module (gatewayapi_pass), Services and EndpointSlices leading
           to the backend
  native   a configuration generated from the same routes: a server block per hostname, a
           location per path, split_clients for weights (the matches native nginx can express:
           rules with header or method conditions are left out)
  lua      the Lua binding under lua-nginx-module (rewrite_by_lua), as tests/servers/nginx.sh
  floor    a single proxy_pass: no routing at all

    nginx-bench.py --module build/nginx/ngx_http_gatewayapi_module.so \\
        --lua-cpath 'build/bindings/lua/?-jit.so' --gen ../shared/bench/gen.py \\
        [--sizes "founding 10 1000 10000"] [--seconds 10] [--connections 50]

Workloads of N routes come from the bench harness's gen.py: of its first 20,000 requests, those
the library routes to a backend (so that every setup proxies every request) are replayed by a
wrk script, a HEAD sent as GET (wrk cannot read a HEAD's answer); "founding" is the founding document's scenario. Every setup runs --rounds
times, interleaved with the others (a round runs each setup once); the run of median throughput
is reported, its ratios to the floor and to native nginx as the median over rounds of the ratio
within a round (this machine's speed moves between rounds more than between setups), the median
of the worker's CPU time per request (user + system, from /proc: what a request costs the
worker, whatever else the machine does meanwhile) and its difference from the floor's, the cost
of routing. Prints a Markdown
table of requests per second, p99 latency and each setup's worker memory (RSS after the run).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
NGINX = shutil.which('nginx') or '/usr/sbin/nginx'
MODS = '/usr/lib/nginx/modules'

# The requests are written out whole, separated by NUL bytes.
WRK_SCRIPT = r'''
local requests, i = {}, 0
init = function(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  local pos = 1
  while true do
    local stop = data:find("\0", pos, true)
    if not stop then break end
    requests[#requests + 1] = data:sub(pos, stop - 1)
    pos = stop + 1
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
'''


def common_http(tmp):
    return '''    access_log off; keepalive_requests 1000000;
    client_body_temp_path %(t)s/body; proxy_temp_path %(t)s/proxy; fastcgi_temp_path %(t)s/fcgi;
    uwsgi_temp_path %(t)s/uwsgi; scgi_temp_path %(t)s/scgi;
    server_names_hash_max_size 65536; server_names_hash_bucket_size 128;
    variables_hash_max_size 65536; map_hash_max_size 65536;
''' % {'t': tmp}


STARTED = []


def start_nginx(tmp, name, modules, http):
    d = os.path.join(tmp, name)
    STARTED.append(d)
    os.makedirs(os.path.join(d, 'logs'), exist_ok=True)
    conf = os.path.join(d, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(''.join('load_module %s;\n' % m for m in modules))
        f.write('worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/logs/error.log warn;\n'
                'events { worker_connections 4096; }\nhttp {\n%s%s\n}\n'
                % (d, d, common_http(d), http))
    subprocess.run([NGINX, '-p', d, '-c', conf, '-e', os.path.join(d, 'logs', 'error.log')],
                   check=True)
    return d


def stop_nginx(d):
    try:
        pid = int(open(os.path.join(d, 'nginx.pid')).read())
        os.kill(pid, 15)
        for _ in range(100):  # until it has let its port go
            os.kill(pid, 0)
            time.sleep(0.05)
    except (OSError, ValueError):
        pass


def worker_memory_kb(d):
    """The worker's resident memory, and the part of it that is its own (the rest it shares
    with the master, which loaded the configuration before forking)."""
    worker = worker_of(d)
    fields = {}
    for line in open('/proc/%s/smaps_rollup' % worker):
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            fields[parts[0].rstrip(':')] = int(parts[1])
    return fields['Rss'], fields.get('Private_Clean', 0) + fields.get('Private_Dirty', 0)


def wait_port(port):
    for _ in range(600):
        if subprocess.run(['curl', '-s', '-o', '/dev/null', 'http://127.0.0.1:%d/' % port]
                          ).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError('port %d does not answer' % port)


def worker_of(d):
    master = open(os.path.join(d, 'nginx.pid')).read().strip()
    return subprocess.run(['pgrep', '-P', master], capture_output=True, text=True).stdout.split()[0]


def cpu_seconds(pid):
    """User and system time a process has used so far."""
    fields = open('/proc/%s/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def wrk(port, script, requests, seconds, connections):
    out = subprocess.run(['wrk', '-t1', '-c%d' % connections, '-d%ds' % seconds, '--latency',
                          '-s', script, 'http://127.0.0.1:%d/' % port, '--', requests],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    p99 = re.search(r'99%\s+([\d.]+)(us|ms|s)', out)
    scale = {'us': 0.001, 'ms': 1, 's': 1000}[p99.group(2)]
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    total = int(re.search(r'(\d+) requests in', out).group(1))
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0, total


# ---- workloads ----

def founding_workload(d):
    """The founding scenario's manifests, routes and requests."""
    seed = subprocess.run([os.path.join(TOP, 'tests/servers/attach-seed.sh'),
                           os.path.join(TOP, 'tests/data/seed/seed-valid.yaml')],
                          capture_output=True, text=True, check=True).stdout
    with open(os.path.join(d, 'routes.yaml'), 'w') as f:
        f.write(seed)
    reqs = [('GET', '/login', 'foo.example.com', {}), ('GET', '/home', 'foo.example.com', {}),
            ('GET', '/other', 'foo.example.com', {}), ('GET', '/', 'bar.example.com', {}),
            ('GET', '/', 'bar.example.com', {'env': 'canary'})]
    services = [('foo', s) for s in ('foo-auth', 'foo-home', 'foo-404')] + \
               [('bar', s) for s in ('bar-v1', 'bar-v2')]
    native = '''    split_clients "${request_id}" $bar_backend { 10%% bar-v2; * bar-v1; }
    map $http_env $bar_pick { canary bar-v2; default $bar_backend; }
    server { listen 127.0.0.1:%(port)d; server_name foo.example.com;
        location /login { proxy_set_header X-Service foo-auth; proxy_pass http://backend; }
        location /home { proxy_set_header X-Service foo-home; proxy_pass http://backend; }
        location / { proxy_set_header X-Service foo-404; proxy_pass http://backend; } }
    server { listen 127.0.0.1:%(port)d; server_name bar.example.com;
        location / { proxy_set_header X-Service $bar_pick; proxy_pass http://backend; } }
    server { listen 127.0.0.1:%(port)d default_server; return 404; }
'''
    return 'default/prod-web', 443, reqs, services, native


def generated_workload(d, n, gen):
    subprocess.run(['/usr/bin/python3', gen, '--routes', str(n), '--requests', '20000',
                    '--out', d], check=True, capture_output=True)
    reqs = []
    for line in open(os.path.join(d, 'requests.jsonl')):
        r = json.loads(line)
        reqs.append((r.get('method') or 'GET', r['path'], r['host'], r.get('headers') or {}))
    routes = json.load(open(os.path.join(d, 'routes.json')))
    services = sorted({(rule['namespace'], b['name']) for rule in routes['rules']
                       for b in rule['backends']})
    return 'gwbench-system/gw', 80, reqs, services, native_config(routes)


def native_config(routes):
    """Server blocks per hostname, a location per path, split_clients for weighted rules. Header
    and method conditions are not expressed: a location takes the best unconditional entry of
    its path (by the spec's key), else the best conditional one, so that every request the
    library routes is proxied here too (some to another backend than the library's)."""
    rules = routes['rules']
    best = {}
    for e in sorted(routes['entries'], key=lambda e: (bool(e['headers'] or e['method']), e['key'])):
        if e['path_type'] == 'Exact':
            locs = ['= ' + e['path']]
        elif e['path'].rstrip('/') == '':
            locs = ['/']
        else:
            # PathPrefix "/p" is "= /p" and "/p/": nginx's "/p" would also take "/px".
            p = e['path'].rstrip('/')
            locs = ['= ' + p, p + '/']
        for loc in locs:
            best.setdefault((e['host'], loc), e)
    out, splits, hosts = [], {}, {}
    for (host, loc), e in best.items():
        hosts.setdefault(host, []).append((loc, e['rule']))
    for ri in {r for locs in hosts.values() for _, r in locs}:
        backends = [b for b in rules[ri]['backends'] if b['weight'] > 0]
        if len(backends) > 1:
            total = sum(b['weight'] for b in backends)
            parts = ['%.2f%% %s;' % (100.0 * b['weight'] / total, b['name'])
                     for b in backends[:-1]] + ['* %s;' % backends[-1]['name']]
            out.append('    split_clients "${request_id}" $rule_%d { %s }' % (ri, ' '.join(parts)))
            splits[ri] = '$rule_%d' % ri
        else:
            splits[ri] = (backends or rules[ri]['backends'])[0]['name']
    for host, locs in hosts.items():
        out.append('    server { listen 127.0.0.1:%(port)d; server_name ' + host + ';')
        for loc, ri in sorted(locs):
            out.append('        location %s { proxy_set_header X-Service %s; '
                       'proxy_pass http://backend; }' % (loc, splits[ri]))
        out.append('    }')
    out.append('    server { listen 127.0.0.1:%(port)d default_server; return 404; }')
    return '\n'.join(out).replace('%', '%%').replace('%%(port)d', '%(port)d') + '\n'


def routed_requests(gwapi, d, gateway, lport, reqs):
    """The requests the library routes to a backend: every setup then proxies every request,
    and the comparison is of routing, not of answering misses locally."""
    lines = '\n'.join(json.dumps({'gateway': gateway, 'port': lport, 'host': host, 'path': path,
                                  'method': method, 'headers': headers})
                      for method, path, host, headers in reqs) + '\n'
    out = subprocess.run([gwapi, 'route', os.path.join(d, 'routes.yaml'),
                          os.path.join(d, 'endpoints.yaml')], input=lines, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return [r for r, o in zip(reqs, out) if json.loads(o).get('status') == 200]


def endpoint_docs(services, backend_port):
    docs = []
    for ns, name in services:
        docs.append('apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\n'
                    'spec: {ports: [{name: http, port: 80}, {name: alt, port: 8080}]}\n' % (name, ns))
        docs.append('apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: %s-1, '
                    'namespace: %s, labels: {kubernetes.io/service-name: %s}}\naddressType: IPv4\n'
                    'ports: [{name: http, port: %d}, {name: alt, port: %d}]\n'
                    'endpoints: [{addresses: [127.0.0.1]}]\n' % (name, ns, name, backend_port,
                                                                backend_port))
    return '---\n'.join(docs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--module', required=True)
    ap.add_argument('--lua-cpath', required=True)
    ap.add_argument('--gen', required=True)
    ap.add_argument('--gwapi', default=os.path.join(TOP, 'build', 'gwapi'),
                    help='the gwapi command, to keep only the requests routed to a backend')
    ap.add_argument('--sizes', default='founding 10 1000 10000')
    ap.add_argument('--setups', default='floor native lua module')
    ap.add_argument('--seconds', type=int, default=10)
    ap.add_argument('--connections', type=int, default=50)
    ap.add_argument('--rounds', type=int, default=3,
                    help='runs of every setup, interleaved; the median is reported')
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='gwapi-nginx-bench-')
    backend_port, port = 28080, 28081
    start_nginx(tmp, 'backend', [], '    server { listen 127.0.0.1:%d; '
                          'location / { return 200 "ok\\n"; } }' % backend_port)
    upstream = '    upstream backend { server 127.0.0.1:%d; }\n' % backend_port
    rows = []
    try:
        for size in args.sizes.split():
            d = os.path.join(tmp, 'wl-' + size)
            os.makedirs(d)
            if size == 'founding':
                gateway, lport, reqs, services, native = founding_workload(d)
            else:
                gateway, lport, reqs, services, native = generated_workload(d, int(size), args.gen)
            with open(os.path.join(d, 'endpoints.yaml'), 'w') as f:
                f.write(endpoint_docs(services, backend_port))
            reqs = routed_requests(args.gwapi, d, gateway, lport, reqs)
            requests = os.path.join(d, 'requests.raw')
            with open(requests, 'w', newline='') as f:
                for method, path, host, headers in reqs:
                    # wrk cannot read the answer to a HEAD (no body despite Content-Length).
                    f.write('%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n\0' % (
                        'GET' if method == 'HEAD' else method, path, host,
                        ''.join('%s: %s\r\n' % kv for kv in headers.items())))
            script = os.path.join(d, 'replay.lua')
            with open(script, 'w') as f:
                f.write(WRK_SCRIPT)
            results, rounds = {}, []
            for i, setup in enumerate(args.setups.split() * args.rounds):
                if i % len(args.setups.split()) == 0:
                    rounds.append({})
                mods, http = [], upstream
                if setup == 'floor':
                    http += ('    server { listen 127.0.0.1:%d; location / { proxy_pass '
                             'http://backend; } }' % port)
                elif setup == 'native':
                    http += native % {'port': port}
                elif setup == 'module':
                    mods = [os.path.abspath(args.module)]
                    http += ('    gatewayapi_manifests %s %s;\n    server { listen 127.0.0.1:%d; '
                             'gatewayapi_gateway %s; gatewayapi_port %d; '
                             'location / { gatewayapi_pass; } }'
                             % (os.path.join(d, 'routes.yaml'), os.path.join(d, 'endpoints.yaml'),
                                port, gateway, lport))
                elif setup == 'lua':
                    mods = [MODS + '/ndk_http_module.so', MODS + '/ngx_http_lua_module.so']
                    http += '''    lua_package_cpath "%s;;";
    init_by_lua_block {
        local gw = require "gatewayapi"
        local config = assert(gw.load("%s"))
        router = assert(config:router("%s"))
    }
    server {
        listen 127.0.0.1:%d;
        location / {
            rewrite_by_lua_block {
                local headers = {}
                for name, value in pairs(ngx.req.get_headers()) do
                    headers[#headers + 1] = { name, type(value) == "table" and value[1] or value }
                end
                local d = router:match{
                    host = ngx.var.host, path = ngx.var.uri, query = ngx.var.args, port = %d,
                    method = ngx.req.get_method(), headers = headers,
                    random = math.floor(math.random() * 4294967296),
                }
                if d.status ~= 200 then return ngx.exit(d.status) end
                ngx.req.set_header("X-Service", d.backend_name)
            }
            proxy_pass http://backend;
        }
    }''' % (os.path.abspath(args.lua_cpath), os.path.join(d, 'routes.yaml'), gateway, port, lport)
                t0 = time.time()
                n = start_nginx(tmp, '%s-%s' % (setup, size), mods, http)
                wait_port(port)
                ready = time.time() - t0
                worker = worker_of(n)
                cpu = cpu_seconds(worker)
                rps, p99, non2xx, total = wrk(port, script, requests, args.seconds, args.connections)
                # What a request costs the worker, whatever else the machine runs meanwhile.
                us = 1e6 * (cpu_seconds(worker) - cpu) / total
                rss = worker_memory_kb(n)
                stop_nginx(n)
                results.setdefault(setup, []).append((rps, p99, us, rss, non2xx, ready))
                rounds[-1][setup] = rps
                print('%-9s %-7s %9.0f req/s  p99 %7.2f ms  %6.1f us CPU/request  worker %7d KB '
                      '(own %d KB)  non-2xx %d  start %.1fs'
                      % (size, setup, rps, p99, us, rss[0], rss[1], non2xx, ready), file=sys.stderr)
            for setup, runs in results.items():
                runs.sort()
                rps, p99, _, rss, non2xx, ready = runs[len(runs) // 2]
                us = sorted(r[2] for r in runs)[len(runs) // 2]
                # Against the floor and native nginx run in the same round (the machine's
                # speed moves between rounds more than between setups).
                paired = {}
                for other in ('floor', 'native'):
                    ratios = sorted(r[setup] / r[other] for r in rounds
                                    if setup in r and other in r)
                    paired[other] = ratios[len(ratios) // 2] if ratios else None
                rows.append((size, setup, rps, p99, us, rss, non2xx, ready, paired))
    finally:
        for d in STARTED:
            stop_nginx(d)
        shutil.rmtree(tmp, ignore_errors=True)
    print('| routes | setup | requests/s | vs floor | vs native | p99 (ms) | worker CPU per '
          'request (µs) | routing cost (µs) | worker RSS (MB) | of it its own (MB) | non-2xx | '
          'start (s) |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    floor = {r[0]: r for r in rows if r[1] == 'floor'}
    pct = lambda x: '%.1f%%' % (100.0 * x) if x else '-'
    for size, setup, rps, p99, us, rss, non2xx, ready, paired in rows:
        f = floor.get(size)
        print('| %s | %s | %.0f | %s | %s | %.2f | %.1f | %s | %.1f | %.1f | %d | %.1f |'
              % (size, setup, rps, pct(paired['floor']), pct(paired['native']), p99, us,
                 '%+.1f' % (us - f[4]) if f else '-', rss[0] / 1024.0, rss[1] / 1024.0, non2xx,
                 ready))


if __name__ == '__main__':
    main()
