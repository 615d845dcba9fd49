"""The Python binding on the founding document's manifests and the test data of the library."""
import collections
import json
import os
import re
import subprocess
import sys
import threading

import pytest

import gatewayapi

DATA = os.environ.get("GWAPI_TEST_DATA") or os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "tests", "data")
SEED = os.path.join(DATA, "seed", "seed-manifests.yaml")
SEED_VALID = os.path.join(DATA, "seed", "seed-valid.yaml")  # the Gateway completed


def seed_text(allow_all):
    text = open(SEED_VALID).read()
    if allow_all:  # let the v1alpha1 routes attach to a Gateway in another namespace
        text = re.sub(r"(kind: HTTPRoute\n(?:.*\n)*?spec:\n)", r"\1  gateways: {allow: All}\n", text)
    return text


@pytest.fixture(scope="module")
def seed():
    return gatewayapi.load(text=seed_text(True))


def test_version():
    assert re.match(r"\d+\.\d+\.\d+", gatewayapi.version())


def test_load_keeps_valid_objects_and_reports_problems():
    config = gatewayapi.load(SEED)
    assert [(o.kind, o.namespace, o.name) for o in config.objects] == [
        ("HTTPRoute", "foo", "foo-route"), ("HTTPRoute", "bar", "bar-route"),
        ("Gateway", "default", "prod-web")]
    errors = config.errors
    assert {e.path for e in errors} == {"spec.listeners[0].tls.certificateRef.group",
                                        "spec.listeners[0].tls.certificateRef.kind"}
    first = errors[0]
    assert first.code == "required" and first.severity == "error"
    assert first.source == SEED and first.line > 0 and first.column > 0
    assert first.kind == "Gateway" and first.namespace == "default" and first.name == "prod-web"
    assert str(first).startswith("%s:%d:%d: error: Gateway default/prod-web" % (SEED, first.line, first.column))
    assert gatewayapi.load(SEED, validate=False).errors == []


def test_syntax_errors_are_diagnostics_and_unreadable_files_raise(tmp_path):
    config = gatewayapi.load(text="kind: HTTPRoute\n  bad: [\n")
    assert config.errors and config.errors[0].code == "syntax"
    with pytest.raises(gatewayapi.LoadError) as e:
        gatewayapi.load(str(tmp_path / "missing.yaml"))
    assert e.value.diagnostics and "missing.yaml" in str(e.value)


def test_package_conventions(tmp_path):
    # A typed package with a version; an unreadable input is an OSError too; wrong types raise
    # TypeError; folders are read recursively.
    assert gatewayapi.__version__ == gatewayapi.version()
    assert os.path.exists(os.path.join(os.path.dirname(gatewayapi.__file__), "py.typed"))
    with pytest.raises(OSError) as e:
        gatewayapi.load(tmp_path / "missing.yaml")
    assert isinstance(e.value, gatewayapi.LoadError)
    with pytest.raises(TypeError):
        gatewayapi.load(42)
    with pytest.raises(TypeError):
        gatewayapi.load(SEED, controller=7)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "seed.yaml").write_text(open(SEED).read())
    (tmp_path / "notes.txt").write_text("not a manifest")
    assert len(gatewayapi.load(tmp_path, validate=False).objects) == 3


def test_close_and_context_managers():
    with gatewayapi.load(text=seed_text(True)) as config:
        assert re.fullmatch(r"<gatewayapi.Config 3 objects, 0 errors>", repr(config))
        with config.router("default/prod-web") as router:
            assert repr(router) == "<gatewayapi.Router default/prod-web>"
            kept = config.router("default/prod-web")
        assert repr(router) == "<gatewayapi.Router default/prod-web closed>"
        with pytest.raises(ValueError):
            router.match(host="foo.example.com", path="/login")
    assert repr(config) == "<gatewayapi.Config closed>"
    with pytest.raises(ValueError):
        config.objects
    with pytest.raises(ValueError):
        config.router("default/prod-web")
    # A router outlives the configuration it was made from.
    assert kept.match(host="foo.example.com", path="/login").backend == "foo/foo-auth:8080"
    config.close()  # twice is harmless


def test_certificate_repr_hides_the_key():
    c = gatewayapi.Certificate("l", None, "ns/s", "CERT", "SECRET KEY")
    assert "SECRET KEY" not in repr(c) and "CERT" not in repr(c)


def test_strict_makes_unknown_fields_errors():
    text = ("apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
            "metadata: {name: gc}\nspec: {controllerName: example.com/c, bogus: 1}\n")
    assert [d.severity for d in gatewayapi.load(text=text).diagnostics] == ["warning"]
    assert [d.severity for d in gatewayapi.load(text=text, strict=True).diagnostics] == ["error"]


def test_objects_as_dicts_carry_defaults(seed):
    route = next(o for o in seed.objects if o.name == "bar-route").to_dict()
    assert route["kind"] == "HTTPRoute"
    assert route["spec"]["gateways"]["allow"] == "All"
    assert route["spec"]["rules"][0]["forwardTo"][0]["weight"] == 90


def test_explain_says_why_a_route_is_not_attached():
    # as printed, the API server would refuse the Gateway: no Gateway selects the route
    assert gatewayapi.load(SEED).explain("HTTPRoute", "foo/foo-route") == []
    steps = gatewayapi.load(SEED_VALID).explain("HTTPRoute", "foo/foo-route")
    failed = [s for s in steps if not s.passed]
    assert failed[0].check == "route-allows"
    assert "allows only Gateways in its own namespace" in failed[0].message
    with pytest.raises(gatewayapi.NotFoundError):
        gatewayapi.load(SEED).explain("HTTPRoute", "foo/none")


def test_status(seed):
    status = seed.status()
    assert status["kind"] == "List"
    routes = {i["metadata"]["name"]: i for i in status["items"] if i["kind"] == "HTTPRoute"}
    gateways = routes["foo-route"]["status"]["gateways"]
    assert gateways[0]["conditions"][0]["type"] == "Admitted"
    assert gateways[0]["conditions"][0]["status"] == "True"
    with pytest.raises(gatewayapi.NotFoundError):
        seed.status("default/none")


def test_founding_document_routes(seed):
    router = seed.router("default/prod-web")
    for path, backend in (("/login", "foo/foo-auth:8080"), ("/home", "foo/foo-home:8080"),
                          ("/home/x", "foo/foo-home:8080"), ("/other", "foo/foo-404:8080")):
        d = router.match(host="foo.example.com", path=path)
        assert (d.status, d.backend, d.route, d.listener) == (200, backend, "foo/foo-route", "https")
        assert d.path == path and d.host == "foo.example.com"
    canary = router.match(host="bar.example.com", headers={"env": "canary"})
    assert (canary.backend, canary.rule) == ("bar/bar-v2:8080", 1)
    draws = [(k * 2**32) // 1000 for k in range(1000)]
    counts = collections.Counter(router.match(host="bar.example.com", random=r).backend for r in draws)
    # the documented mapping: random modulo the total weight (100), v1 below 90
    v1 = sum(1 for r in draws if r % 100 < 90)
    assert counts == {"bar/bar-v1:8080": v1, "bar/bar-v2:8080": 1000 - v1}
    assert 880 <= v1 <= 920
    assert router.match(host="nowhere.example.com").status == 404
    with pytest.raises(gatewayapi.NotFoundError):
        seed.router("default/none")
    with pytest.raises(ValueError):
        router.match(protocol="smtp")


def test_filters():
    config = gatewayapi.load(os.path.join(DATA, "bindings", "filters.yaml"))
    router = config.router("ns/gw")
    d = router.match(host="h.example.com", path="/old/page", query="a=1")
    assert (d.status, d.location) == (301, "https://h.example.com/new/page?a=1")
    d = router.match(host="h.example.com", path="/api/users", headers=[("x-drop", "1"), ("x-env", "dev")],
                     backend_response_headers={"Content-Type": "text/plain"})
    assert (d.host, d.path) == ("internal", "/v2/users")
    assert d.request_headers == [("X-Env", "prod")]
    assert d.response_headers == [("Content-Type", "text/plain"), ("X-Served-By", "gw")]
    assert d.mirrors == ["ns/shadow:8080"]
    assert d.status == 200  # no Services in the input: backends are not checked for existence
    # the most headers a request may carry, plus the filter's set: none is cut
    many = [("x-h%d" % i, str(i)) for i in range(256)]
    d = router.match(host="h.example.com", path="/api/users", headers=many)
    assert len(d.request_headers) == 257 and d.request_headers[-1] == ("X-Env", "prod")


def test_threads_share_a_router(seed):
    router = seed.router("default/prod-web")
    wrong = []

    def work():
        for k in range(2000):
            d = router.match(host="foo.example.com", path="/login" if k % 2 else "/home")
            if d.backend != ("foo/foo-auth:8080" if k % 2 else "foo/foo-home:8080"):
                wrong.append(d)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_conformance_request_cases():
    """Every request case of the conformance vectors, through the binding."""
    script = os.path.join(DATA, "..", "check-conformance-requests.py")
    out = subprocess.run([sys.executable, script, "--python", DATA], capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"^all +(\d+) +\1 +0$", out.stdout, re.M), out.stdout


def test_wrong_types_raise_type_error_and_bad_values_value_error(seed):
    router = seed.router("default/prod-web")
    for kwargs in ({"host": 5}, {"path": b"/x"}, {"method": None or 3}, {"headers": {"x": None}},
                   {"headers": {"x": b"yes"}}, {"headers": 5}, {"port": "80"}, {"random": "7"},
                   {"protocol": 1}, {"query": []}):
        with pytest.raises(TypeError):
            router.match(**kwargs)
    for kwargs in ({"host": "foo.example.com\0evil"}, {"headers": {"x": "a\0b"}}, {"port": -1},
                   {"port": 70000}, {"random": 2**32}, {"random": -5}, {"protocol": "ftp"}):
        with pytest.raises(ValueError):
            router.match(**kwargs)
    with pytest.raises(ValueError):
        gatewayapi.load(text="x\0y")
    with pytest.raises(ValueError):
        seed.router("default/prod-web\0x")
    long = "/login/" + "x" * 10000
    assert router.match(host="foo.example.com", path=long).path == long


def _route_event(kind, rv, backend):
    return json.dumps({"type": kind, "object": {
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "r", "namespace": "ns", "resourceVersion": rv},
        "spec": {"parentRefs": [{"name": "gw"}],
                 "rules": [{"backendRefs": [{"name": backend, "port": 80}]}]}}})


def test_routers_updated_after_apply_equal_fresh_ones():
    # After each apply, config.router() is updated from the router made before; it answers as
    # a configuration loaded from scratch with the same objects does.
    path = os.path.join(DATA, "bindings", "filters.yaml")
    config = gatewayapi.load(path)
    previous = config.router("ns/gw")
    answer = previous.match(host="h.example.com", path="/api/x").backend
    events = []
    for step in range(30):
        backend = "b%d" % (step % 4)
        events.append(_route_event("ADDED" if step == 0 else "MODIFIED", str(10 + step), backend))
        config.apply(events[-1])
        router = config.router("ns/gw")
        fresh = gatewayapi.load(path)
        fresh.apply(events[-1])
        for host, p in (("h.example.com", "/x"), ("h.example.com", "/api/x"), ("other", "/")):
            got, want = router.match(host=host, path=p), fresh.router("ns/gw").match(host=host, path=p)
            assert (got.status, got.backend, got.route) == (want.status, want.backend, want.route)
        # the router made before still answers from its own state
        assert previous.match(host="h.example.com", path="/api/x").backend == answer
        previous = router
        answer = router.match(host="h.example.com", path="/api/x").backend


def test_apply_events_and_swap_routers():
    config = gatewayapi.load(os.path.join(DATA, "bindings", "filters.yaml"))
    holder = gatewayapi.RouterHolder()
    assert holder.acquire() is None
    holder.publish(config.router("ns/gw"))
    old = holder.acquire()
    changes = config.apply(_route_event("MODIFIED", "5", "new"))
    assert ("HTTPRoute", "ns/r") in changes.statuses and changes.routers == ["ns/gw"], changes
    holder.publish(config.router("ns/gw"))
    assert holder.acquire().match(host="h.example.com", path="/x").backend == "ns/new:80"
    # the router acquired before still answers from the configuration it was made from
    assert old.match(host="h.example.com", path="/api/x").backend == "ns/api:80"
    stale = config.apply(_route_event("MODIFIED", "4", "old"))
    assert stale.statuses == [] and stale.routers == []
    assert [d.code for d in stale.diagnostics] == ["stale-event"]
    refused = config.apply(_route_event("MODIFIED", "6", "x" * 300))
    assert "refused-update" in [d.code for d in refused.diagnostics]
    assert config.router("ns/gw").match(host="h.example.com", path="/x").backend == "ns/new:80"
    with pytest.raises(TypeError):
        holder.publish("router")
    holder.publish(None)
    assert holder.acquire() is None




def test_sni_chooses_the_listener_and_misdirected_requests_get_421():
    router = gatewayapi.load(os.path.join(DATA, "bindings", "https.yaml")).router("ns/gw")
    d = router.match(sni="example.org", host="second.example.org", port=443)
    assert (d.status, d.listener, d.tls, d.backend) == (421, "any", "terminate", None), d
    d = router.match(sni="second.example.org", host="second.example.org", port=443)
    assert (d.status, d.listener, d.tls) == (200, "second", "terminate"), d
    d = router.match(host="plain.example.org", port=80)
    assert (d.status, d.listener, d.tls) == (200, "web", None), d
    # Strings reach the library as slices of their bytes: a NUL is refused, never cut short.
    with pytest.raises(ValueError):
        router.match(host="second.example.org\0x")


def test_decisions_carry_timeouts_and_backend_tls():
    router = gatewayapi.load(os.path.join(DATA, "bindings", "timeouts-tls.yaml")).router("r/gw")
    d = router.match(host="h", path="/slow")
    assert (d.request_timeout_ms, d.backend_request_timeout_ms, d.backend_tls_policy,
            d.backend_tls_client_certificate) == (90000, 1500, "r/whole", "r/to-backends"), d
    d = router.match(host="h", path="/admin")
    assert (d.request_timeout_ms, d.backend_request_timeout_ms, d.backend_tls_policy) == \
        (0, None, "r/admin-port"), d
    d = router.match(host="h", path="/other")
    assert (d.request_timeout_ms, d.backend_tls_policy) == (None, None), d


def test_certificates_by_server_name():
    router = gatewayapi.load(os.path.join(DATA, "bindings", "https-certs.yaml")).router("ns/gw")
    c = router.certificate("second.example.org", 443)
    assert (c.listener, c.hostname, c.secret) == ("second", "second.example.org", "ns/second-cert")
    assert c.cert_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert c.key_pem.startswith("-----BEGIN EC PRIVATE KEY-----")
    c = router.certificate("foo.example.org", 443)
    assert (c.listener, c.client_certificate) == ("any", "required")
    assert c.client_ca_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert router.certificate("foo.example.org", 8443) is None
