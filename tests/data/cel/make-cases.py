#!/usr/bin/env python3
"""Write one YAML file per validation check into this folder: objects that pass the check and
objects that fail it. The files are committed; this script documents how each case is built
and remakes them. Annotations tell the test what to expect:

  gwapi.test/expect: valid | invalid
  gwapi.test/path:   the field path of the diagnostic (invalid cases)
  gwapi.test/message: the rule's message, word for word (invalid cases)

A valid case must produce no error at all; an invalid case must produce an error whose code is
the check's name, at that path, with that message.
"""
import copy
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
GW = 'gateway.networking.k8s.io/v1'
V1ALPHA1 = 'networking.x-k8s.io/v1alpha1'

MESSAGES = {}
for f in ('cel-checks.yaml', 'extra-checks.yaml'):
    for e in yaml.safe_load(open(os.path.join(TOP, 'schema', f))):
        MESSAGES.setdefault(e['check'], e['message'])


def obj(kind, spec, api=GW, name='x'):
    return {'apiVersion': api, 'kind': kind, 'metadata': {'name': name, 'namespace': 'ns'},
            'spec': spec}


def listener(name='l', port=80, protocol='HTTP', **extra):
    d = {'name': name, 'port': port, 'protocol': protocol}
    d.update(extra)
    return d


def gateway(listeners=None, **spec):
    s = {'gatewayClassName': 'c', 'listeners': listeners or [listener()]}
    s.update(spec)
    return obj('Gateway', s)


def listener_set(listeners):
    return obj('ListenerSet', {'parentRef': {'name': 'gw'}, 'listeners': listeners})


def backend(name='svc', port=80, **extra):
    d = {'name': name, 'port': port}
    d.update(extra)
    return d


def http_route(rules=None, **spec):
    s = {'parentRefs': [{'name': 'gw'}], 'rules': rules or [{'backendRefs': [backend()]}]}
    s.update(spec)
    return obj('HTTPRoute', s)


def grpc_route(rules=None, **spec):
    s = {'parentRefs': [{'name': 'gw'}], 'rules': rules or [{'backendRefs': [backend()]}]}
    s.update(spec)
    return obj('GRPCRoute', s)


def l4_route(kind, **spec):
    s = {'parentRefs': [{'name': 'gw'}], 'rules': [{'backendRefs': [backend()]}]}
    if kind == 'TLSRoute':
        s['hostnames'] = ['a.example.com']
    s.update(spec)
    return obj(kind, s)


def policy(validation=None, target_refs=None):
    return obj('BackendTLSPolicy', {
        'targetRefs': target_refs or [{'group': '', 'kind': 'Service', 'name': 's'}],
        'validation': validation or {'hostname': 's.example.com', 'wellKnownCACertificates': 'System'}})


def header_modifier():
    return {'set': [{'name': 'x-a', 'value': 'b'}]}


def flt(kind, **members):
    d = {'type': kind}
    d.update(members)
    return d


def rhm():
    return flt('RequestHeaderModifier', requestHeaderModifier=header_modifier())


def mirror(**extra):
    d = {'backendRef': backend('mirror')}
    d.update(extra)
    return flt('RequestMirror', requestMirror=d)


def redirect(**extra):
    return flt('RequestRedirect', requestRedirect=dict({'statusCode': 301}, **extra))


def rewrite(**extra):
    return flt('URLRewrite', urlRewrite=dict({'hostname': 'a.example.com'}, **extra))


def cors(**extra):
    return flt('CORS', cors=dict({'allowOrigins': ['https://a.example.com']}, **extra))


def path_match(type_, value):
    return [{'path': {'type': type_, 'value': value}}]


CASES = {}


def case(check, expect, o, path=None):
    o = copy.deepcopy(o)
    ann = {'gwapi.test/expect': expect}
    if expect == 'invalid':
        ann['gwapi.test/path'] = path
        ann['gwapi.test/message'] = MESSAGES[check]
    o['metadata']['annotations'] = ann
    o['metadata']['name'] = '%s-%d' % (expect, len(CASES.setdefault(check, [])))
    CASES[check].append(o)


# --- BackendTLSPolicy ----------------------------------------------------------------------------
case('target-refs-section-name-required', 'valid', policy(target_refs=[
    {'group': '', 'kind': 'Service', 'name': 's', 'sectionName': 'a'},
    {'group': '', 'kind': 'Service', 'name': 's', 'sectionName': 'b'}]))
case('target-refs-section-name-required', 'invalid', policy(target_refs=[
    {'group': '', 'kind': 'Service', 'name': 's', 'sectionName': 'a'},
    {'group': '', 'kind': 'Service', 'name': 's'}]), 'spec.targetRefs')
case('target-refs-section-name-unique', 'valid', policy(target_refs=[
    {'group': '', 'kind': 'Service', 'name': 's'}, {'group': '', 'kind': 'Service', 'name': 't'}]))
case('target-refs-section-name-unique', 'invalid', policy(target_refs=[
    {'group': '', 'kind': 'Service', 'name': 's', 'sectionName': 'a'},
    {'group': '', 'kind': 'Service', 'name': 's', 'sectionName': 'a'}]), 'spec.targetRefs')
case('ca-certificates-exclusive', 'valid', policy())
case('ca-certificates-exclusive', 'invalid', policy({'hostname': 's.example.com', 'wellKnownCACertificates': 'System',
     'caCertificateRefs': [{'group': '', 'kind': 'ConfigMap', 'name': 'ca'}]}), 'spec.validation')
case('ca-certificates-required', 'valid', policy({'hostname': 's.example.com',
     'caCertificateRefs': [{'group': '', 'kind': 'ConfigMap', 'name': 'ca'}]}))
case('ca-certificates-required', 'invalid', policy({'hostname': 's.example.com'}), 'spec.validation')
SAN = lambda san: policy({'hostname': 's.example.com', 'wellKnownCACertificates': 'System',
                          'subjectAltNames': [san]})
case('san-hostname-required', 'valid', SAN({'type': 'Hostname', 'hostname': 'a.example.com'}))
case('san-hostname-required', 'invalid', SAN({'type': 'Hostname'}), 'spec.validation.subjectAltNames[0]')
case('san-hostname-forbidden', 'valid', SAN({'type': 'URI', 'uri': 'spiffe://a/b'}))
case('san-hostname-forbidden', 'invalid', SAN({'type': 'URI', 'uri': 'spiffe://a/b', 'hostname': 'a.example.com'}),
     'spec.validation.subjectAltNames[0]')
case('san-uri-required', 'valid', SAN({'type': 'URI', 'uri': 'spiffe://a/b'}))
case('san-uri-required', 'invalid', SAN({'type': 'URI'}), 'spec.validation.subjectAltNames[0]')
case('san-uri-forbidden', 'valid', SAN({'type': 'Hostname', 'hostname': 'a.example.com'}))
case('san-uri-forbidden', 'invalid', SAN({'type': 'Hostname', 'hostname': 'a.example.com', 'uri': 'spiffe://a/b'}),
     'spec.validation.subjectAltNames[0]')

# --- GatewayClass (a transition rule: the update cases are in the test itself) ------------------
case('controller-name-immutable', 'valid', obj('GatewayClass', {'controllerName': 'example.com/a'}))

# --- Gateway -------------------------------------------------------------------------------------
case('addresses-ip-unique', 'valid', gateway(addresses=[{'value': '10.0.0.1'}, {'value': '10.0.0.2'}]))
case('addresses-ip-unique', 'invalid', gateway(addresses=[{'value': '10.0.0.1'}, {'type': 'IPAddress', 'value': '10.0.0.1'}]),
     'spec.addresses')
case('addresses-hostname-unique', 'valid', gateway(addresses=[{'type': 'Hostname', 'value': 'a.example.com'}]))
case('addresses-hostname-unique', 'invalid', gateway(addresses=[{'type': 'Hostname', 'value': 'a.example.com'},
     {'type': 'Hostname', 'value': 'a.example.com'}]), 'spec.addresses')
case('address-hostname-valid', 'valid', gateway(addresses=[{'type': 'Hostname', 'value': '*.example.com'}, {'type': 'Hostname'}]))
case('address-hostname-valid', 'invalid', gateway(addresses=[{'type': 'Hostname', 'value': 'foo.com:80'}]), 'spec.addresses[0]')
INFRA = lambda **i: gateway(infrastructure=i)
case('infrastructure-annotation-key-valid', 'valid', INFRA(annotations={'example.com/a': 'b', 'plain': 'c'}))
case('infrastructure-annotation-key-valid', 'invalid', INFRA(annotations={'bad key': 'b'}), 'spec.infrastructure.annotations')
case('infrastructure-annotation-prefix-length', 'valid', INFRA(annotations={'a' * 60 + '.example.com/b': 'c'}))
case('infrastructure-annotation-prefix-length', 'invalid', INFRA(annotations={'.'.join(['a' * 60] * 5) + '/b': 'c'}),
     'spec.infrastructure.annotations')
case('infrastructure-label-key-valid', 'valid', INFRA(labels={'example.com/a': 'b'}))
case('infrastructure-label-key-valid', 'invalid', INFRA(labels={'-bad': 'b'}), 'spec.infrastructure.labels')
case('infrastructure-label-prefix-length', 'valid', INFRA(labels={'a.example.com/b': 'c'}))
case('infrastructure-label-prefix-length', 'invalid', INFRA(labels={'.'.join(['a' * 60] * 5) + '/b': 'c'}),
     'spec.infrastructure.labels')
TLS = {'certificateRefs': [{'name': 'cert'}]}
for kindfn, prefix in ((gateway, ''), (listener_set, 'ls-')):
    def c(check, expect, ls, path=None):
        case(prefix and check or check, expect, kindfn(ls), path)
    c('listener-tls-forbidden', 'valid', [listener(protocol='HTTPS', port=443, tls=TLS)])
    c('listener-tls-forbidden', 'invalid', [listener(protocol='TCP', tls=TLS)], 'spec.listeners')
    c('listener-https-tls-terminate', 'valid', [listener(protocol='HTTPS', port=443, tls=dict(TLS, mode='Terminate'))])
    c('listener-https-tls-terminate', 'invalid', [listener(protocol='HTTPS', port=443, tls=dict(TLS, mode='Passthrough'))],
      'spec.listeners')
    c('listener-tls-mode-required', 'valid', [listener(protocol='TLS', port=443, tls={'mode': 'Passthrough'})])
    c('listener-tls-mode-required', 'invalid', [listener(protocol='TLS', port=443)], 'spec.listeners')
    c('listener-hostname-forbidden', 'valid', [listener(protocol='HTTP', hostname='a.example.com')])
    c('listener-hostname-forbidden', 'invalid', [listener(protocol='UDP', hostname='a.example.com')], 'spec.listeners')
    c('listener-name-unique', 'valid', [listener('a'), listener('b', port=81)])
    c('listener-tls-certificates-or-options', 'valid', [listener(protocol='HTTPS', port=443, tls={'options': {'example.com/o': 'v'}})])
    c('listener-tls-certificates-or-options', 'invalid', [listener(protocol='HTTPS', port=443, tls={})], 'spec.listeners[0].tls')
# Duplicate names also break the list's map key, so the invalid case shows two errors; the test
# looks for the rule's.
case('listener-name-unique', 'invalid', gateway([listener('a'), listener('a', port=81)]), 'spec.listeners')
case('listener-port-protocol-hostname-unique', 'valid', gateway([listener('a', hostname='a.example.com'), listener('b', hostname='b.example.com')]))
case('listener-port-protocol-hostname-unique', 'invalid', gateway([listener('a'), listener('b')]), 'spec.listeners')
case('listener-set-port-protocol-hostname-unique', 'valid', listener_set([listener('a'), listener('b', port=81)]))
case('listener-set-port-protocol-hostname-unique', 'invalid', listener_set([listener('a', hostname='a.example.com'),
     listener('b', hostname='a.example.com')]), 'spec.listeners')
FRONTEND = lambda ports: gateway([listener(protocol='HTTPS', port=443, tls=TLS)], tls={'frontend': {
    'default': {'validation': {'caCertificateRefs': [{'group': '', 'kind': 'ConfigMap', 'name': 'ca'}]}},
    'perPort': [{'port': p, 'tls': {'validation': {'caCertificateRefs': [{'group': '', 'kind': 'ConfigMap', 'name': 'ca'}]}}} for p in ports]}})
case('frontend-tls-port-unique', 'valid', FRONTEND([443, 8443]))
case('frontend-tls-port-unique', 'invalid', FRONTEND([443, 443]), 'spec.tls.frontend.perPort')

# --- routes: parentRefs, backendRefs -------------------------------------------------------------
for kind, make in (('HTTPRoute', http_route), ('GRPCRoute', grpc_route), ('TLSRoute', None),
                   ('TCPRoute', None), ('UDPRoute', None)):
    build = make or (lambda kind=kind, **spec: l4_route(kind, **spec))
    case('parent-refs-section-name-required', 'valid',
         build(parentRefs=[{'name': 'gw', 'sectionName': 'a'}, {'name': 'gw', 'sectionName': 'b'}]))
    case('parent-refs-section-name-required', 'invalid',
         build(parentRefs=[{'name': 'gw', 'sectionName': 'a'}, {'name': 'gw'}]), 'spec.parentRefs')
    case('parent-refs-section-name-unique', 'valid',
         build(parentRefs=[{'name': 'gw'}, {'name': 'gw', 'namespace': 'other'}]))
    case('parent-refs-section-name-unique', 'invalid',
         build(parentRefs=[{'name': 'gw', 'sectionName': 'a'}, {'name': 'gw', 'sectionName': 'a'}]),
         'spec.parentRefs')
    case('backend-ref-service-port-required', 'valid',
         build(rules=[{'backendRefs': [backend(), {'group': 'example.com', 'kind': 'Bucket', 'name': 'b'}]}]))
    case('backend-ref-service-port-required', 'invalid',
         build(rules=[{'backendRefs': [{'name': 'svc'}]}]), 'spec.rules[0].backendRefs[0]')
case('backend-ref-service-port-required', 'invalid',
     http_route([{'filters': [flt('RequestMirror', requestMirror={'backendRef': {'name': 'm'}})]}]),
     'spec.rules[0].filters[0].requestMirror.backendRef')
case('grpc-route-matches-total', 'valid', grpc_route([{'matches': [{'headers': [{'name': 'a', 'value': 'b'}]}] * 64}] * 2))
case('grpc-route-matches-total', 'invalid', grpc_route([{'matches': [{'headers': [{'name': 'a', 'value': 'b'}]}] * 64}] * 3),
     'spec.rules')
case('http-route-matches-total', 'valid', http_route([{'matches': [{'path': {'type': 'PathPrefix', 'value': '/'}}] * 64}] * 2))
case('http-route-matches-total', 'invalid', http_route([{'matches': [{'path': {'type': 'PathPrefix', 'value': '/'}}] * 64}] * 3),
     'spec.rules')

# --- filters (rule level and backendRef level; HTTPRoute and GRPCRoute) --------------------------
def on_rule(route, filters):
    return route([{'filters': filters, 'backendRefs': [backend()]}])


def on_backend(route, filters):
    return route([{'backendRefs': [backend(filters=filters)]}])


for route in (http_route, grpc_route):
    for where, path in ((on_rule, 'spec.rules[0].filters'), (on_backend, 'spec.rules[0].backendRefs[0].filters')):
        case('filter-request-header-modifier-once', 'valid', where(route, [rhm()]))
        case('filter-request-header-modifier-once', 'invalid', where(route, [rhm(), rhm()]), path)
        rsp = flt('ResponseHeaderModifier', responseHeaderModifier=header_modifier())
        case('filter-response-header-modifier-once', 'valid', where(route, [rsp]))
        case('filter-response-header-modifier-once', 'invalid', where(route, [rsp, rsp]), path)
        for check, good, bad in (
                ('filter-request-header-modifier-nil', rhm(), flt('RequestMirror', requestMirror={'backendRef': backend()}, requestHeaderModifier=header_modifier())),
                ('filter-request-header-modifier-required', rhm(), flt('RequestHeaderModifier')),
                ('filter-response-header-modifier-nil', rsp, flt('RequestHeaderModifier', requestHeaderModifier=header_modifier(), responseHeaderModifier=header_modifier())),
                ('filter-response-header-modifier-required', rsp, flt('ResponseHeaderModifier')),
                ('filter-request-mirror-nil', mirror(), flt('RequestHeaderModifier', requestHeaderModifier=header_modifier(), requestMirror={'backendRef': backend()})),
                ('filter-request-mirror-required', mirror(), flt('RequestMirror')),
                ('filter-extension-ref-nil', flt('ExtensionRef', extensionRef={'group': 'example.com', 'kind': 'F', 'name': 'f'}),
                 flt('RequestHeaderModifier', requestHeaderModifier=header_modifier(), extensionRef={'group': 'example.com', 'kind': 'F', 'name': 'f'})),
                ('filter-extension-ref-required', flt('ExtensionRef', extensionRef={'group': 'example.com', 'kind': 'F', 'name': 'f'}), flt('ExtensionRef'))):
            case(check, 'valid', where(route, [good]))
            case(check, 'invalid', where(route, [bad]), path + '[0]')
        case('mirror-percent-or-fraction', 'valid', where(route, [mirror(percent=50)]))
        case('mirror-percent-or-fraction', 'invalid', where(route, [mirror(percent=50, fraction={'numerator': 1})]),
             path + '[0].requestMirror')
        case('mirror-fraction-numerator', 'valid', where(route, [mirror(fraction={'numerator': 1, 'denominator': 4})]))
        case('mirror-fraction-numerator', 'invalid', where(route, [mirror(fraction={'numerator': 5, 'denominator': 4})]),
             path + '[0].requestMirror.fraction')

for where, path in ((on_rule, 'spec.rules[0].filters'), (on_backend, 'spec.rules[0].backendRefs[0].filters')):
    case('filter-redirect-or-rewrite', 'valid', where(http_route, [rewrite()]))
    case('filter-cors-once', 'valid', where(http_route, [cors()]))
    case('filter-cors-once', 'invalid', where(http_route, [cors(), cors()]), path)
    case('filter-url-rewrite-once', 'valid', where(http_route, [rewrite()]))
    case('filter-url-rewrite-once', 'invalid', where(http_route, [rewrite(), rewrite()]), path)
    for check, good, bad in (
            ('filter-cors-nil', cors(), flt('URLRewrite', urlRewrite={'hostname': 'a.example.com'}, cors={'allowOrigins': ['*']})),
            ('filter-cors-required', cors(), flt('CORS')),
            ('filter-url-rewrite-nil', rewrite(), flt('CORS', cors={'allowOrigins': ['*']}, urlRewrite={'hostname': 'a.example.com'})),
            ('filter-url-rewrite-required', rewrite(), flt('URLRewrite'))):
        case(check, 'valid', where(http_route, [good]))
        case(check, 'invalid', where(http_route, [bad]), path + '[0]')
    for lst, check in (('allowHeaders', 'cors-allow-headers-wildcard-alone'), ('allowMethods', 'cors-allow-methods-wildcard-alone'),
                       ('allowOrigins', 'cors-allow-origins-wildcard-alone')):
        other = {'allowHeaders': 'x-a', 'allowMethods': 'GET', 'allowOrigins': 'https://a.example.com'}[lst]
        case(check, 'valid', where(http_route, [cors(**{lst: ['*']})]))
        case(check, 'invalid', where(http_route, [cors(**{lst: ['*', other]})]), path + '[0].cors.' + lst)
    for member, make in (('urlRewrite', rewrite),):
        mp = path + '[0].' + member + '.path'
        case('path-modifier-full-path-required', 'valid', where(http_route, [make(path={'type': 'ReplaceFullPath', 'replaceFullPath': '/a'})]))
        case('path-modifier-full-path-required', 'invalid', where(http_route, [make(path={'type': 'ReplaceFullPath'})]), mp)
        case('path-modifier-full-path-type', 'valid', where(http_route, [make(path={'type': 'ReplaceFullPath', 'replaceFullPath': '/a'})]))
        case('path-modifier-full-path-type', 'invalid', where(http_route, [make(path={'type': 'ReplacePrefixMatch', 'replacePrefixMatch': '/b', 'replaceFullPath': '/a'})]), mp)
        case('path-modifier-prefix-match-required', 'valid', where(http_route, [make(path={'type': 'ReplaceFullPath', 'replaceFullPath': '/'})]))
        case('path-modifier-prefix-match-required', 'invalid', where(http_route, [make(path={'type': 'ReplacePrefixMatch'})]), mp)
        case('path-modifier-prefix-match-type', 'valid', where(http_route, [make(path={'type': 'ReplaceFullPath', 'replaceFullPath': '/a'})]))
        case('path-modifier-prefix-match-type', 'invalid', where(http_route, [make(path={'type': 'ReplaceFullPath', 'replaceFullPath': '/a', 'replacePrefixMatch': '/b'})]), mp)
# Redirects live on rules without backendRefs.
def redirect_rule(filters, matches=None):
    r = {'filters': filters}
    if matches is not None:
        r['matches'] = matches
    return http_route([r])


case('filter-request-redirect-once', 'valid', redirect_rule([redirect()]))
case('filter-request-redirect-once', 'invalid', redirect_rule([redirect(), redirect()]), 'spec.rules[0].filters')
case('filter-redirect-or-rewrite', 'invalid', redirect_rule([redirect(), rewrite()]), 'spec.rules[0].filters')
case('filter-request-redirect-nil', 'valid', redirect_rule([redirect()]))
case('filter-request-redirect-nil', 'invalid', redirect_rule([flt('URLRewrite', urlRewrite={'hostname': 'a.example.com'}, requestRedirect={'statusCode': 301})]),
     'spec.rules[0].filters[0]')
case('filter-request-redirect-required', 'valid', redirect_rule([redirect()]))
case('filter-request-redirect-required', 'invalid', redirect_rule([flt('RequestRedirect')]), 'spec.rules[0].filters[0]')
RP = lambda t, **p: dict({'type': t}, **p)
case('path-modifier-full-path-required', 'invalid', redirect_rule([redirect(path=RP('ReplaceFullPath'))]), 'spec.rules[0].filters[0].requestRedirect.path')
case('path-modifier-prefix-match-required', 'invalid', redirect_rule([redirect(path=RP('ReplacePrefixMatch'))]), 'spec.rules[0].filters[0].requestRedirect.path')
case('rule-redirect-without-backends', 'valid', redirect_rule([redirect()]))
case('rule-redirect-without-backends', 'invalid', http_route([{'filters': [redirect()], 'backendRefs': [backend()]}]), 'spec.rules[0]')
PREFIX = {'type': 'ReplacePrefixMatch', 'replacePrefixMatch': '/new'}
case('rule-redirect-prefix-match', 'valid', redirect_rule([redirect(path=PREFIX)], path_match('PathPrefix', '/old')))
case('rule-redirect-prefix-match', 'invalid', redirect_rule([redirect(path=PREFIX)], path_match('Exact', '/old')), 'spec.rules[0]')
case('rule-rewrite-prefix-match', 'valid', http_route([{'filters': [rewrite(path=PREFIX)], 'matches': path_match('PathPrefix', '/old'), 'backendRefs': [backend()]}]))
case('rule-rewrite-prefix-match', 'invalid', http_route([{'filters': [rewrite(path=PREFIX)], 'matches': path_match('PathPrefix', '/a') + path_match('PathPrefix', '/b'), 'backendRefs': [backend()]}]),
     'spec.rules[0]')
case('rule-backend-redirect-prefix-match', 'valid', http_route([{'matches': path_match('PathPrefix', '/old'), 'backendRefs': [backend(filters=[redirect(path=PREFIX)])]}]))
case('rule-backend-redirect-prefix-match', 'invalid', http_route([{'matches': path_match('Exact', '/old'), 'backendRefs': [backend(filters=[redirect(path=PREFIX)])]}]),
     'spec.rules[0]')
case('rule-backend-rewrite-prefix-match', 'valid', http_route([{'matches': path_match('PathPrefix', '/old'), 'backendRefs': [backend(filters=[rewrite(path=PREFIX)])]}]))
case('rule-backend-rewrite-prefix-match', 'invalid', http_route([{'matches': path_match('RegularExpression', '/o.*'), 'backendRefs': [backend(filters=[rewrite(path=PREFIX)])]}]),
     'spec.rules[0]')

# --- GRPCRoute method matches --------------------------------------------------------------------
GM = lambda **m: grpc_route([{'matches': [{'method': m}], 'backendRefs': [backend()]}])
case('grpc-method-service-or-method', 'valid', GM(service='foo.Bar'))
case('grpc-method-service-or-method', 'invalid', GM(type='Exact'), 'spec.rules[0].matches[0].method')
case('grpc-method-service-valid', 'valid', GM(service='.foo_1.Bar', method='Get'))
case('grpc-method-service-valid', 'valid', GM(type='RegularExpression', service='foo.*'))
case('grpc-method-service-valid', 'invalid', GM(service='foo/Bar'), 'spec.rules[0].matches[0].method')
case('grpc-method-method-valid', 'valid', GM(method='Get_2'))
case('grpc-method-method-valid', 'invalid', GM(method='Get.Thing'), 'spec.rules[0].matches[0].method')

# --- HTTPRoute path matches ----------------------------------------------------------------------
PM = lambda t, v: http_route([{'matches': path_match(t, v), 'backendRefs': [backend()]}])
PATH = 'spec.rules[0].matches[0].path'
for check, good, bad in (
        ('path-absolute', '/a', 'a'), ('path-no-double-slash', '/a/b', '/a//b'), ('path-no-dot-segment', '/a.b/', '/a/./b'),
        ('path-no-dot-dot-segment', '/a../b', '/a/../b'), ('path-no-encoded-slash-lower', '/a%2e', '/a%2fb'),
        ('path-no-encoded-slash-upper', '/a%2E', '/a%2Fb'), ('path-no-fragment', '/a', '/a#b'),
        ('path-no-trailing-dot-dot', '/a/..b', '/a/..'), ('path-no-trailing-dot', '/a/.b', '/a/.'),
        ('path-characters-valid', "/a-._~!$&'()*+,;=:@%20", '/a[b]')):
    case(check, 'valid', PM('Exact', good))
    case(check, 'invalid', PM('PathPrefix', bad), PATH)
case('path-characters-valid', 'valid', PM('RegularExpression', '/a[0-9]+'))
case('path-type-valid', 'valid', PM('RegularExpression', '/.*'))
# The enum rejects the type too; the rule's own error is there beside it.
case('path-type-valid', 'invalid', PM('Prefix', '/'), PATH)

# --- timeouts ------------------------------------------------------------------------------------
TO = lambda **t: http_route([{'timeouts': t, 'backendRefs': [backend()]}])
case('timeouts-backend-within-request', 'valid', TO(request='10s', backendRequest='5s'))
case('timeouts-backend-within-request', 'valid', TO(request='0s', backendRequest='1h'))
case('timeouts-backend-within-request', 'invalid', TO(request='1m', backendRequest='1h'), 'spec.rules[0].timeouts')

# --- TLSRoute hostnames --------------------------------------------------------------------------
TH = lambda *h: l4_route('TLSRoute', hostnames=list(h))
case('tls-route-hostnames-not-ip', 'valid', TH('a.example.com', '*.example.com'))
case('tls-route-hostnames-not-ip', 'invalid', TH('10.1.2.3'), 'spec.hostnames')
case('tls-route-hostnames-rfc1123', 'valid', TH('a-b.example.com'))
case('tls-route-hostnames-rfc1123', 'invalid', TH('a_b.example.com'), 'spec.hostnames')
case('tls-route-hostnames-wildcard', 'valid', TH('*.example.com'))
case('tls-route-hostnames-wildcard', 'invalid', TH('*.*.example.com'), 'spec.hostnames')

# --- networking.x-k8s.io/v1alpha1 webhook checks -------------------------------------------------
def v1a1_gateway(hostname):
    l = {'protocol': 'HTTP', 'port': 80, 'routes': {'kind': 'HTTPRoute'}}
    if hostname is not None:
        l['hostname'] = hostname
    return obj('Gateway', {'gatewayClassName': 'c', 'listeners': [l]}, api=V1ALPHA1)


for h in (None, '*', 'foo.example.com', '*.example.com'):
    case('v1alpha1-listener-hostname', 'valid', v1a1_gateway(h))
for h in ('1.2.3.4', '*.*.com', 'foo.example.com:8080'):
    case('v1alpha1-listener-hostname', 'invalid', v1a1_gateway(h), 'spec.listeners[0]')
V1A1F = lambda filters: obj('HTTPRoute', {'rules': [{'filters': filters, 'forwardTo': [{'serviceName': 's', 'port': 80}]}]}, api=V1ALPHA1)
V1A1RHM = {'type': 'RequestHeaderModifier', 'requestHeaderModifier': {'set': {'a': 'b'}}}
V1A1EXT = {'type': 'ExtensionRef', 'extensionRef': {'group': 'example.com', 'kind': 'F', 'name': 'f'}}
case('v1alpha1-filter-once', 'valid', V1A1F([V1A1RHM, V1A1EXT, V1A1EXT]))
case('v1alpha1-filter-once', 'invalid', V1A1F([V1A1RHM, V1A1RHM]), 'spec.rules[0]')


def main():
    for f in os.listdir(HERE):
        if f.endswith('.yaml'):
            os.remove(os.path.join(HERE, f))
    for check, docs in sorted(CASES.items()):
        with open(os.path.join(HERE, check + '.yaml'), 'w') as f:
            f.write('# Cases of the check "%s"; made by make-cases.py.\n' % check)
            yaml.safe_dump_all(docs, f, sort_keys=False, explicit_start=True, width=120)


if __name__ == '__main__':
    main()
