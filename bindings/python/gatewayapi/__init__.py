"""The Kubernetes Gateway API for Python: load and validate manifests, resolve which routes attach
where and the status a controller would write, and route requests through a Gateway.

    import gatewayapi
    config = gatewayapi.load("gateway.yaml", "routes.yaml")
    for d in config.diagnostics:
        print(d)
    router = config.router("default/prod-web")
    decision = router.match(host="foo.example.com", path="/login")
    print(decision.status, decision.backend)

A thin layer over libgatewayapi: every answer comes from the C library."""
import json
import os
import random as _random
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple, Union

from ._native import ffi, lib

__version__ = "1.0.0"  # of this binding; version() is the C library's

__all__ = ["load", "version", "Config", "Router", "Decision", "Diagnostic", "ExplainStep",
           "Object", "Error", "LoadError", "NotFoundError"]

_SEVERITIES = {lib.GWAPI_SEVERITY_ERROR: "error", lib.GWAPI_SEVERITY_WARNING: "warning",
               lib.GWAPI_SEVERITY_INFO: "info"}
_PROTOCOLS = {"http": lib.GWAPI_PROTOCOL_HTTP, "grpc": lib.GWAPI_PROTOCOL_GRPC,
              "tls": lib.GWAPI_PROTOCOL_TLS, "tcp": lib.GWAPI_PROTOCOL_TCP,
              "udp": lib.GWAPI_PROTOCOL_UDP}
_MAX_HEADERS = 256
_BUFFER = 8192


class Error(Exception):
    """A failure of the library; `diagnostics` lists what it reported."""

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class LoadError(Error):
    """An input could not be read, or a limit stopped the load."""


class LoadIOError(LoadError, OSError):
    """An input could not be read (a missing or unreadable file or folder): a LoadError that is
    also an OSError."""


class NotFoundError(Error, LookupError):
    """No such Gateway or route."""


def _str(p) -> Optional[str]:
    return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else None


def _check(rc, what, diagnostics=()):
    if rc == lib.GWAPI_ENOTFOUND:
        raise NotFoundError("%s: %s" % (what, _str(lib.gwapi_strerror(rc))), diagnostics)
    if rc != 0:
        raise Error("%s: %s" % (what, _str(lib.gwapi_strerror(rc))), diagnostics)


def _closed(what):
    raise ValueError("I/O operation on a closed %s" % what)


class _Closable:
    """A context manager whose exit calls close()."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def version() -> str:
    """The version of the loaded C library."""
    return _str(lib.gwapi_version_string())


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input: where (source, line, column, object, field path), what
    (code, severity) and why (message)."""
    severity: str
    code: str
    message: str
    source: Optional[str] = None
    line: int = 0
    column: int = 0
    kind: Optional[str] = None
    namespace: Optional[str] = None
    name: Optional[str] = None
    path: Optional[str] = None
    reason: Optional[str] = None
    text: str = field(default="", compare=False, repr=False)

    def __str__(self):
        return self.text


def _diagnostics(diags) -> List[Diagnostic]:
    out = []
    buf = ffi.new("char[]", _BUFFER)
    for i in range(lib.gwapi_diags_count(diags)):
        d = lib.gwapi_diags_get(diags, i)
        lib.gwapi_diag_format(d, buf, _BUFFER)
        out.append(Diagnostic(severity=_SEVERITIES.get(d.severity, "error"), code=_str(d.code),
                              message=_str(d.message), source=_str(d.source), line=d.line,
                              column=d.column, kind=_str(d.kind), namespace=_str(d.ns),
                              name=_str(d.name), path=_str(d.path), reason=_str(d.reason),
                              text=_str(buf)))
    return out


@dataclass(frozen=True)
class Object:
    """A loaded object: its identity and where it was written. `to_dict()` gives all of it."""
    api_version: str
    kind: str
    namespace: Optional[str]
    name: str
    source: Optional[str]
    line: int
    _config: "Config" = field(repr=False, compare=False)
    _index: int = field(repr=False, compare=False)

    def to_dict(self) -> dict:
        """The object as the API has it, defaults applied."""
        return json.loads(self._config._emit_object(self._index))


@dataclass(frozen=True)
class ExplainStep:
    """One check of a route's attachment to a parent (parent None: a check of the route
    itself, "valid")."""
    parent: Optional[str]
    listener: Optional[str]
    check: str
    passed: bool
    reason: Optional[str]
    message: str


@dataclass
class Changes:
    """What Config.apply() changed: `statuses` as (kind, "ns/name") of the objects whose status
    changed (a controller writes those), `routers` as the "ns/name" of the Gateways whose router
    changed, and the `diagnostics` of applying."""
    statuses: List[Tuple[str, str]]
    routers: List[str]
    diagnostics: List[Diagnostic]


class RouterHolder:
    """The current router of a proxy: publish() a new one while any number of threads
    acquire() the current one (no lock on their side); an old router goes with its last
    user."""

    def __init__(self):
        out = ffi.new("gwapi_router_holder **")
        _check(lib.gwapi_router_holder_new(out, ffi.NULL), "holder")
        self._holder = ffi.gc(out[0], lib.gwapi_router_holder_free)

    def publish(self, router: Optional["Router"]) -> None:
        """Make `router` the current one (None empties the holder)."""
        if router is not None and not isinstance(router, Router):
            raise TypeError("router must be a Router")
        lib.gwapi_router_holder_publish(self._holder, router._router if router else ffi.NULL)

    def acquire(self) -> Optional["Router"]:
        """The current router, or None."""
        r = lib.gwapi_router_holder_acquire(self._holder)
        if r == ffi.NULL:
            return None
        return Router(ffi.gc(r, lib.gwapi_router_unref), self)


class Config(_Closable):
    """Objects loaded from manifests. Build it with load(). A context manager: leaving the
    `with` block (or close()) releases the library's memory at once; routers made from it stay
    usable."""

    def __init__(self, ctx, cfg, diagnostics, controller, include_invalid=False):
        self._ctx = ctx
        self._cfg = cfg
        self._res = None
        self._made = {}  # the last router made of each Gateway: the next is updated from it
        self._controller = controller
        self._include_invalid = include_invalid
        self.diagnostics: List[Diagnostic] = diagnostics

    def __repr__(self):
        if self._cfg is None:
            return "<gatewayapi.Config closed>"
        return "<gatewayapi.Config %d objects, %d errors>" % (
            lib.gwapi_config_count(self._cfg), len(self.errors))

    def close(self) -> None:
        """Release the configuration now (routers made from it keep what they need)."""
        if self._cfg is None:
            return
        self._made = {}
        for attr in ("_res", "_cfg"):
            obj = getattr(self, attr)
            if obj is not None:
                ffi.release(obj)
            setattr(self, attr, None)

    def _open(self):
        if self._cfg is None:
            _closed("Config")

    @property
    def errors(self) -> List[Diagnostic]:
        """The diagnostics of severity error."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def objects(self) -> List[Object]:
        """Every object, in load order."""
        self._open()
        out = []
        for i in range(lib.gwapi_config_count(self._cfg)):
            o = lib.gwapi_config_get(self._cfg, i)
            out.append(Object(_str(o.api_version), _str(o.kind_name),
                              _str(o.metadata.namespace_), _str(o.metadata.name),
                              _str(o.source), o.line, self, i))
        return out

    def _emit_object(self, index) -> str:
        out = ffi.new("char **")
        _check(lib.gwapi_object_emit(lib.gwapi_config_get(self._cfg, index),
                                     lib.GWAPI_FORMAT_JSON, out, ffi.NULL), "emit")
        try:
            return _str(out[0])
        finally:
            lib.gwapi_free(out[0])

    def _resolution(self):
        self._open()
        if self._res is None:
            res = ffi.new("gwapi_resolution **")
            options = ffi.new("gwapi_resolve_options *")
            options.size = ffi.sizeof("gwapi_resolve_options")
            keep = ffi.new("char[]", self._controller.encode()) if self._controller else ffi.NULL
            options.controller_name = keep
            options.flags = lib.GWAPI_RESOLVE_INCLUDE_INVALID if self._include_invalid else 0
            _check(lib.gwapi_resolve(res, self._cfg, options, ffi.NULL), "resolve")
            self._res = ffi.gc(res[0], lib.gwapi_resolution_unref)
        return self._res

    def status(self, gateway: Optional[str] = None) -> dict:
        """The status a controller would write for every GatewayClass, Gateway, ListenerSet,
        route and BackendTLSPolicy (or those concerning one Gateway, "ns/name"), as a
        Kubernetes List."""
        self._open()
        out = ffi.new("char **")
        _check(lib.gwapi_resolution_emit(self._resolution(),
                                         gateway.encode() if gateway else ffi.NULL,
                                         lib.GWAPI_FORMAT_JSON, out, ffi.NULL),
               "status of %s" % gateway if gateway else "status")
        try:
            return json.loads(_str(out[0]))
        finally:
            lib.gwapi_free(out[0])

    def explain(self, kind: str, name: str) -> List[ExplainStep]:
        """The ordered checks of a route's attachment to each parent it names. `kind` is the
        route's kind ("HTTPRoute", ...), `name` is "ns/name"."""
        self._open()
        ns, _, short = name.rpartition("/")
        for i in range(lib.gwapi_config_count(self._cfg)):
            o = lib.gwapi_config_get(self._cfg, i)
            if (_str(o.kind_name) == kind and _str(o.metadata.name) == short and
                    _str(o.metadata.namespace_) == (ns or "default")):
                steps = ffi.new("gwapi_explain_step *const **")
                count = ffi.new("size_t *")
                _check(lib.gwapi_resolution_explain(self._resolution(), o, steps, count),
                       "explain")
                return [ExplainStep(_str(s.parent), _str(s.listener), _str(s.check),
                                    bool(s.passed), _str(s.reason), _str(s.message))
                        for s in (steps[0][k] for k in range(count[0]))]
        raise NotFoundError("no %s %s" % (kind, name))

    def apply(self, text: str) -> "Changes":
        """Apply watch events (or objects) to the configuration, with the API server's rules:
        an event older than the object held is ignored, an update that fails validation is
        refused and the version held stays. Returns what changed: the objects whose status
        changed, the Gateways whose router changed, and the diagnostics. Routers made before
        keep working, unchanged; config.router() then compiles the new state."""
        self._open()
        data = _cstr(text, "text", False)
        diags = ffi.new("gwapi_diags **")
        options = ffi.new("gwapi_load_options *")
        _check(lib.gwapi_diags_new(diags, self._ctx), "diagnostics")
        diags = ffi.gc(diags[0], lib.gwapi_diags_free)
        options.size = ffi.sizeof("gwapi_load_options")
        options.flags = lib.GWAPI_LOAD_VALIDATE
        before = self._resolution()
        rc = lib.gwapi_config_load_buffer(self._cfg, data, len(text.encode()), b"<apply>",
                                          options, diags)
        diagnostics = _diagnostics(diags)
        if rc not in (0, lib.GWAPI_EINPUT):
            raise LoadError(_str(lib.gwapi_strerror(rc)), diagnostics)
        # Updated from the one before: only what changed is resolved again.
        res = ffi.new("gwapi_resolution **")
        _check(lib.gwapi_resolution_update(res, before, self._cfg, ffi.NULL), "resolve")
        self._res = ffi.gc(res[0], lib.gwapi_resolution_unref)
        changes = ffi.new("gwapi_changes *")
        changes.size = ffi.sizeof("gwapi_changes")
        _check(lib.gwapi_resolution_changes(before, self._resolution(), changes), "changes")
        try:
            name = lambda o: "%s/%s" % (_str(o.metadata.namespace_), _str(o.metadata.name)) \
                if o.metadata.namespace_ != ffi.NULL else _str(o.metadata.name)
            return Changes([(_str(changes.statuses[i].kind_name), name(changes.statuses[i]))
                            for i in range(changes.n_statuses)],
                           [name(changes.gateways[i]) for i in range(changes.n_gateways)],
                           diagnostics)
        finally:
            lib.gwapi_changes_release(changes)

    def router(self, gateway: str) -> "Router":
        """The compiled router of a Gateway ("ns/name"). Safe to share between threads. After
        apply(), it is updated from the last router made of the same Gateway: only what
        changed is compiled again."""
        self._open()
        out = ffi.new("gwapi_router **")
        last = self._made.get(gateway)
        if last is not None:
            _check(lib.gwapi_router_update(out, last, self._resolution(), ffi.NULL),
                   "Gateway %s" % gateway)
        else:
            _check(lib.gwapi_router_new(out, self._resolution(),
                                        _cstr(gateway, "gateway", False), ffi.NULL),
                   "Gateway %s" % gateway)
        router = ffi.gc(out[0], lib.gwapi_router_unref)
        self._made[gateway] = ffi.gc(lib.gwapi_router_ref(router), lib.gwapi_router_unref)
        return Router(router, self, gateway)


Headers = Union[dict, Sequence[Tuple[str, str]], None]


def _cstr(value, what: str, optional: bool = True):
    """A str as a NUL-terminated C string; TypeError for another type, ValueError for a NUL
    (which would cut the string short)."""
    if value is None and optional:
        return ffi.NULL
    if not isinstance(value, str):
        raise TypeError("%s must be a str, not %s" % (what, type(value).__name__))
    if "\0" in value:
        raise ValueError("%s holds a NUL character" % what)
    return ffi.new("char[]", value.encode())


def _integer(value, what: str, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    if not 0 <= value <= top:
        raise ValueError("%s must be from 0 to %d" % (what, top))
    return value


def _slice(target, value, what: str, keep: list, optional: bool = True) -> None:
    """Point a gwapi_slice at the UTF-8 bytes of a str, without copying them (the bytes are
    kept alive in keep); TypeError for another type, ValueError for a NUL."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise TypeError("%s must be a str, not %s" % (what, type(value).__name__))
    if "\0" in value:
        raise ValueError("%s holds a NUL character" % what)
    data = value.encode()
    view = ffi.from_buffer(data) if data else ffi.new("char[]", 1)
    keep += [data, view]
    target.ptr = view
    target.len = len(data)


def _header_slices(headers: Headers, keep: list):
    """The request's headers as slices of their bytes."""
    if headers is not None and not isinstance(headers, (dict, list, tuple)):
        raise TypeError("headers must be a dict or a list of (name, value) pairs")
    items = list(headers.items()) if isinstance(headers, dict) else list(headers or ())
    if len(items) > _MAX_HEADERS:
        raise ValueError("more than %d headers" % _MAX_HEADERS)
    arr = ffi.new("gwapi_header_slice[]", max(len(items), 1))
    keep.append(arr)
    for i, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise TypeError("a header must be a (name, value) pair")
        _slice(arr[i].name, item[0], "a header name", keep, False)
        _slice(arr[i].value, item[1], "a header value", keep, False)
    return arr, len(items)


def _header_array(headers: Headers):
    if headers is not None and not isinstance(headers, (dict, list, tuple)):
        raise TypeError("headers must be a dict or a list of (name, value) pairs")
    items = list(headers.items()) if isinstance(headers, dict) else list(headers or ())
    if len(items) > _MAX_HEADERS:
        raise ValueError("more than %d headers" % _MAX_HEADERS)
    keep = []
    arr = ffi.new("gwapi_http_header[]", max(len(items), 1))
    for i, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise TypeError("a header must be a (name, value) pair")
        n, v = _cstr(item[0], "a header name", False), _cstr(item[1], "a header value", False)
        keep += [n, v]
        arr[i].name, arr[i].value = n, v
    return arr, len(items), keep


def _header_pairs(headers: Headers) -> List[Tuple[str, str]]:
    items = headers.items() if isinstance(headers, dict) else (headers or ())
    return [(str(name), str(value)) for name, value in items]


def _header_list(arr, n) -> List[Tuple[str, str]]:
    return [(_str(arr[i].name), _str(arr[i].value)) for i in range(n)]


@dataclass
class Decision:
    """Where a request goes. `status`: 200 forward to `backend`; 204 a CORS preflight the
    gateway answers (`response_headers`); 3xx a redirect to `location`; 404 nothing matches;
    500 a rule matched but has no backend to use."""
    status: int
    listener: Optional[str] = None
    tls: Optional[str] = None  # "terminate" or "passthrough": what the listener does with TLS
    request_timeout_ms: Optional[int] = None          # the rule's timeouts (0: disabled)
    backend_request_timeout_ms: Optional[int] = None
    backend_tls_policy: Optional[str] = None  # "ns/name" of the BackendTLSPolicy in force
    backend_tls_hostname: Optional[str] = None  # its validation.hostname: the SNI to the backend
    backend_tls_client_certificate: Optional[str] = None  # "ns/name" of the Secret presented
    route_kind: Optional[str] = None
    route: Optional[str] = None
    rule: Optional[int] = None
    match: Optional[int] = None
    backend: Optional[str] = None
    backend_namespace: Optional[str] = None
    backend_name: Optional[str] = None
    backend_port: Optional[int] = None
    location: Optional[str] = None
    host: Optional[str] = None
    path: Optional[str] = None
    request_headers: List[Tuple[str, str]] = field(default_factory=list)
    response_headers: List[Tuple[str, str]] = field(default_factory=list)
    mirrors: List[str] = field(default_factory=list)


_CLIENT_VALIDATION = {1: "required", 2: "optional"}


@dataclass
class Certificate:
    """What a terminating listener presents: the PEM of its Secret's tls.crt and tls.key (None
    when the configuration does not hold its Secrets), and whether it asks clients for a
    certificate ("required", "optional" or None) with the CA bundle to verify them."""
    listener: str
    hostname: Optional[str]
    secret: Optional[str]
    cert_pem: Optional[str] = field(repr=False)
    key_pem: Optional[str] = field(repr=False)
    client_certificate: Optional[str] = None
    client_ca_pem: Optional[str] = None


class Router(_Closable):
    """A Gateway compiled for matching. Build it with Config.router(). A context manager:
    leaving the `with` block (or close()) releases it at once."""

    def __init__(self, router, config, gateway=None):
        self._router = router
        self._config = config  # keeps the library objects the decisions point into alive
        self.gateway: Optional[str] = gateway

    def __repr__(self):
        state = " closed" if self._router is None else ""
        return "<gatewayapi.Router %s%s>" % (self.gateway or "(held)", state)

    def close(self) -> None:
        """Drop this reference to the router (the library frees it with the last one)."""
        if self._router is not None:
            ffi.release(self._router)
            self._router = None

    def _open(self):
        if self._router is None:
            _closed("Router")

    def certificate(self, sni: Optional[str] = None, port: int = 0) -> Optional[Certificate]:
        """The certificate a TLS connection with server name `sni` to `port` (0: any) is
        answered with: the first of the terminating listener it reaches, or None."""
        self._open()
        c = ffi.new("gwapi_certificate *")
        c.size = ffi.sizeof("gwapi_certificate")
        name = sni.encode() if sni is not None else None
        if sni is not None and not isinstance(sni, str):
            raise TypeError("sni must be a str")
        rc = lib.gwapi_router_certificate(self._router, _integer(port, "port", 65535),
                                          name if name is not None else ffi.NULL,
                                          len(name) if name is not None else 0, c)
        if rc == lib.GWAPI_ENOTFOUND:
            return None
        _check(rc, "certificate")
        if c.secret == ffi.NULL:  # the listener's Secrets are not in the configuration
            return Certificate(_str(c.listener), _str(c.hostname), None, None, None,
                               _CLIENT_VALIDATION.get(c.client_validation))
        return Certificate(_str(c.listener), _str(c.hostname),
                           "%s/%s" % (_str(c.secret.metadata.namespace_), _str(c.secret.metadata.name)),
                           ffi.string(c.cert_pem, c.cert_pem_len).decode(),
                           ffi.string(c.key_pem, c.key_pem_len).decode(),
                           _CLIENT_VALIDATION.get(c.client_validation),
                           ffi.string(c.client_ca_pem, c.client_ca_pem_len).decode()
                           if c.client_ca_pem != ffi.NULL else None)

    def match(self, host: Optional[str] = None, path: str = "/", method: str = "GET",
              headers: Headers = None, query: Optional[str] = None, port: int = 0,
              random: Optional[int] = None, protocol: str = "http", sni: Optional[str] = None,
              scheme: str = "http", backend_response_headers: Headers = None) -> Decision:
        """Route one request. `random` (0 to 2**32-1) chooses among weighted backends; by
        default it is drawn from Python's random module. `backend_response_headers` are run
        through the response filters into `response_headers`."""
        self._open()
        if not isinstance(protocol, str):
            raise TypeError("protocol must be a str")
        if protocol not in _PROTOCOLS:
            raise ValueError("protocol must be one of %s" % ", ".join(_PROTOCOLS))
        req = ffi.new("gwapi_request *")
        d = ffi.new("gwapi_decision *")
        req.size, d.size = ffi.sizeof("gwapi_request"), ffi.sizeof("gwapi_decision")
        # The request as slices of the strings' bytes: the library reads them in place.
        keep = []
        for target, value, name in ((req.host_slice, host, "host"), (req.sni_slice, sni, "sni"),
                                    (req.method_slice, method, "method"),
                                    (req.path_slice, path, "path"),
                                    (req.query_slice, query, "query")):
            _slice(target, value, name, keep)
        req.protocol, req.port = _PROTOCOLS[protocol], _integer(port, "port", 65535)
        _cstr(scheme, "scheme", False)
        req.header_slices, req.n_header_slices = _header_slices(headers, keep)
        req.random = _random.getrandbits(32) if random is None else _integer(random, "random", 2**32 - 1)
        _check(lib.gwapi_router_match(self._router, req, d), "match")
        return self._decision(req, d, scheme, backend_response_headers)

    def _decision(self, req, d, scheme, backend_response_headers) -> Decision:
        out = Decision(status=d.status, listener=_str(d.listener),
                       tls={lib.GWAPI_TLS_TERMINATE: "terminate",
                            lib.GWAPI_TLS_PASSTHROUGH: "passthrough"}.get(d.tls))
        if d.request_timeout_ms >= 0:
            out.request_timeout_ms = d.request_timeout_ms
        if d.backend_request_timeout_ms >= 0:
            out.backend_request_timeout_ms = d.backend_request_timeout_ms
        if d.backend_tls_policy != ffi.NULL:
            policy = lib.gwapi_object_backend_tls_policy(d.backend_tls_policy)
            out.backend_tls_policy = "%s/%s" % (_str(d.backend_tls_policy.metadata.namespace_),
                                                 _str(d.backend_tls_policy.metadata.name))
            if policy != ffi.NULL and policy.spec != ffi.NULL and policy.spec.validation != ffi.NULL:
                out.backend_tls_hostname = _str(policy.spec.validation.hostname)
            cert = d.backend_client_certificate
            if cert != ffi.NULL:
                out.backend_tls_client_certificate = "%s/%s" % (
                    _str(cert.metadata.namespace_), _str(cert.metadata.name))
        if d.route != ffi.NULL:
            out.route_kind = _str(d.route.kind_name)
            out.route = "%s/%s" % (_str(d.route.metadata.namespace_), _str(d.route.metadata.name))
            out.rule, out.match = d.rule, d.match
        if d.backend_name != ffi.NULL:
            out.backend_namespace, out.backend_name = _str(d.backend_ns), _str(d.backend_name)
            out.backend_port = d.backend_port
            out.backend = "%s/%s:%d" % (out.backend_namespace, out.backend_name, d.backend_port)
        response, n_resp, _keep = _header_array(backend_response_headers)
        action = ffi.new("gwapi_action *")
        action.size = ffi.sizeof("gwapi_action")
        needed = ffi.new("size_t *")
        buf = ffi.new("char[]", _BUFFER)
        if lib.gwapi_decision_apply(d, req, scheme.encode(), response, n_resp, action, buf,
                                    _BUFFER, needed) == lib.GWAPI_ELIMIT:
            buf = ffi.new("char[]", needed[0])
            _check(lib.gwapi_decision_apply(d, req, scheme.encode(), response, n_resp, action,
                                            buf, needed[0], ffi.NULL), "apply")
        if action.location != ffi.NULL:
            out.location = _str(action.location)
        if action.path != ffi.NULL:
            out.host, out.path = _str(action.host), _str(action.path)
            out.request_headers = _header_list(action.request_headers, action.n_request_headers)
            out.mirrors = ["%s/%s:%d" % (_str(m.backend_ns), _str(m.backend_name), m.backend_port)
                           for m in action.mirrors[0:action.n_mirrors]]
        out.response_headers = _header_list(action.response_headers, action.n_response_headers)
        return out


def load(*paths: str, text: Optional[str] = None, validate: bool = True, strict: bool = False,
         controller: Optional[str] = None, include_invalid: bool = False) -> Config:
    """Load manifests (YAML or JSON: files, multi-document streams, Lists, watch events) from
    files, folders (read recursively: their *.yaml, *.yml and *.json files, in name order)
    and/or a string. Problems in the input become `config.diagnostics`, and what is valid
    beside them is kept. `validate` checks every object as the API server would; `strict` makes
    unknown fields and duplicate keys errors; `controller` makes only GatewayClasses of that
    controllerName ours. Objects the API server would refuse are left out of status and routing
    unless `include_invalid`. Raises LoadError when a limit is hit, LoadIOError (a LoadError and an OSError) when an
    input cannot be read, TypeError for an argument of the wrong type."""
    if controller is not None and not isinstance(controller, str):
        raise TypeError("controller must be a str, not %s" % type(controller).__name__)
    ctx = ffi.new("gwapi_ctx **")
    cfg = ffi.new("gwapi_config **")
    diags = ffi.new("gwapi_diags **")
    _check(lib.gwapi_ctx_new(ctx), "context")
    ctx = ffi.gc(ctx[0], lib.gwapi_ctx_unref)
    _check(lib.gwapi_config_new(cfg, ctx), "config")
    cfg = ffi.gc(cfg[0], lib.gwapi_config_unref)
    _check(lib.gwapi_diags_new(diags, ctx), "diagnostics")
    diags = ffi.gc(diags[0], lib.gwapi_diags_free)
    options = ffi.new("gwapi_load_options *")
    options.size = ffi.sizeof("gwapi_load_options")
    options.flags = (lib.GWAPI_LOAD_VALIDATE if validate else 0) | \
                    (lib.GWAPI_LOAD_STRICT if strict else 0)
    failures, unreadable = [], False
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError("a path must be a str or os.PathLike, not %s" % type(path).__name__)
        rc = lib.gwapi_config_load_path(cfg, os.fsencode(path), options, diags)
        if rc not in (0, lib.GWAPI_EINPUT):
            failures.append("%s: %s" % (os.fspath(path), _str(lib.gwapi_strerror(rc))))
            unreadable |= rc == lib.GWAPI_EIO
    if text is not None:
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        if "\0" in text:
            raise ValueError("text holds a NUL character")
        data = text.encode()
        rc = lib.gwapi_config_load_buffer(cfg, data, len(data), b"<text>", options, diags)
        if rc not in (0, lib.GWAPI_EINPUT):
            failures.append("<text>: %s" % _str(lib.gwapi_strerror(rc)))
    diagnostics = _diagnostics(diags)
    if failures:
        raise (LoadIOError if unreadable else LoadError)("; ".join(failures), diagnostics)
    return Config(ctx, cfg, diagnostics, controller, include_invalid)
