#!/usr/bin/python3
"""Loopback HTTP backends for the nginx module's tests: each answers every request with a JSON
object of its name, the method, path, Host and headers it received, and the body's length.

    echo_backend.py NAME=PORT ...

As the conformance suite's echo server does, the query can ask for behaviour: delay=1s (or 300ms)
answers after that long; responseCode=N&succeedAfter=K&uuid=U fails the first K attempts of
request U with status N. A request header X-Echo-Response-Headers (JSON object) is answered with
those response headers. With ECHO_LOG set, each request appends "name request-id" to that file
(the X-Request-Id header), to see where mirrors went. Prints "ready" once every port listens."""
import json
import os
import re
import sys
import urllib.parse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


ATTEMPTS = {}
LOCK = threading.Lock()


def seconds(text):
    m = re.fullmatch(r'(\d+(?:\.\d+)?)(ms|s)', text or '')
    if not m:
        return 0
    return float(m.group(1)) / (1000 if m.group(2) == 'ms' else 1)


def handler_for(name):
    class Echo(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def answer(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length else b''
            path, _, query = self.path.partition('?')
            q = dict(urllib.parse.parse_qsl(query))
            if os.environ.get('ECHO_LOG'):
                with LOCK, open(os.environ['ECHO_LOG'], 'a') as log:
                    log.write('%s %s\n' % (name, self.headers.get('X-Request-Id', '-')))
            if seconds(q.get('delay')):
                time.sleep(seconds(q.get('delay')))
            if 'responseCode' in q and 'succeedAfter' in q:
                with LOCK:
                    key = q.get('uuid', path)
                    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
                    failing = ATTEMPTS[key] <= int(q['succeedAfter'])
                if failing:
                    self.send_response(int(q['responseCode']))
                    self.send_header('Content-Length', '0')
                    self.send_header('X-Backend', name)
                    self.end_headers()
                    return
            headers = {}
            for k, v in self.headers.items():
                headers.setdefault(k.lower(), []).append(v)
            out = json.dumps({'name': name, 'method': self.command, 'path': path,
                              'query': query if '?' in self.path else None,
                              'host': self.headers.get('Host'), 'headers': headers,
                              'body_length': len(body)}).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(out)))
            self.send_header('X-Backend', name)
            for k, v in json.loads(self.headers.get('X-Echo-Response-Headers') or '{}').items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = answer

        def log_message(self, *args):
            pass

    return Echo


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops connections under load

    def handle_error(self, request, client_address):
        pass  # a client gone before its answer (wrk stopping) is no error here


def main():
    servers = []
    for arg in sys.argv[1:]:
        name, port = arg.rsplit('=', 1)
        server = Server(('127.0.0.1', int(port)), handler_for(name))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print('ready', flush=True)
    threading.Event().wait()


if __name__ == '__main__':
    main()
