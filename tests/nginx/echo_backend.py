#!/usr/bin/python3
"""Loopback HTTP backends for the nginx module's tests: each answers every request with a JSON
object of its name, the method, path, Host and headers it received, and the body's length.

    echo_backend.py NAME=PORT ...

A request with the header X-Echo-Delay-Ms waits that long before answering. Prints "ready"
once every port listens."""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def handler_for(name):
    class Echo(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def answer(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length else b''
            delay = int(self.headers.get('X-Echo-Delay-Ms') or 0)
            if delay:
                time.sleep(delay / 1000)
            headers = {}
            for k, v in self.headers.items():
                headers.setdefault(k.lower(), []).append(v)
            out = json.dumps({'name': name, 'method': self.command, 'path': self.path,
                              'host': self.headers.get('Host'), 'headers': headers,
                              'body_length': len(body)}).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(out)))
            self.send_header('X-Backend', name)
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = answer

        def log_message(self, *args):
            pass

    return Echo


def main():
    servers = []
    for arg in sys.argv[1:]:
        name, port = arg.rsplit('=', 1)
        server = ThreadingHTTPServer(('127.0.0.1', int(port)), handler_for(name))
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print('ready', flush=True)
    threading.Event().wait()


if __name__ == '__main__':
    main()
