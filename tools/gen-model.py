#!/usr/bin/env python3
"""Generate the typed model of libgatewayapi from the CRD schemas.

Reads schema/crds/{standard,v1alpha1}/*.yaml and schema/core.yaml and writes:

  include/gatewayapi/model.h   the public structs, one per schema object type, documented with the
                               CRDs' own descriptions
  src/model/schema_tables.c    the field tables the loader, the emitter and the comparer walk
  schema/layout.txt            the member order of every public struct (ABI lock, see below)

Several schema nodes can share one C struct (every parentRefs[] is a gwapi_parent_ref); the struct
holds the union of their fields and each node keeps its own field table, so a field that one kind
lacks is still reported as unknown there.

ABI: public structs only grow at the end. schema/layout.txt records the member order and the
release that added each member ("struct member since"); on the next run the recorded members
keep their places and their release, and new ones are appended with the release meson.build
names (its major.minor). A member that disappears from the schemas is an error here: it needs a
human decision (doc/abi.md). A struct, and a kind's accessor, date from their first member.

Usage: tools/gen-model.py [--check]   (--check: fail if the outputs are not up to date)
"""
import json
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Kinds in enum order: append only, values are ABI.
KINDS = [
    ('GatewayClass', 'GATEWAY_CLASS', 'gateway_class'),
    ('Gateway', 'GATEWAY', 'gateway'),
    ('HTTPRoute', 'HTTP_ROUTE', 'http_route'),
    ('GRPCRoute', 'GRPC_ROUTE', 'grpc_route'),
    ('TLSRoute', 'TLS_ROUTE', 'tls_route'),
    ('TCPRoute', 'TCP_ROUTE', 'tcp_route'),
    ('UDPRoute', 'UDP_ROUTE', 'udp_route'),
    ('ReferenceGrant', 'REFERENCE_GRANT', 'reference_grant'),
    ('ListenerSet', 'LISTENER_SET', 'listener_set'),
    ('BackendTLSPolicy', 'BACKEND_TLS_POLICY', 'backend_tls_policy'),
    ('Namespace', 'NAMESPACE', 'namespace'),
    ('Service', 'SERVICE', 'service'),
    ('Secret', 'SECRET', 'secret'),
    ('ConfigMap', 'CONFIG_MAP', 'config_map'),
    ('EndpointSlice', 'ENDPOINT_SLICE', 'endpoint_slice'),
]
KIND_SNAKE = {k: s for k, _, s in KINDS}
# The release of each struct member (from schema/layout.txt, or this release for a new one).
MEMBER_SINCE = {}


def current_release():
    """major.minor of the project's version in meson.build: the release new members are in."""
    text = open(os.path.join(TOP, 'meson.build')).read()
    m = re.search(r"version:\s*'(\d+)\.(\d+)\.\d+'", text)
    if not m:
        sys.exit('gen-model: no version in meson.build')
    return '%s.%s' % (m.group(1), m.group(2))


def kind_since(kind):
    """A kind's enumerator and accessor date from its struct."""
    for k, dialect, group, versions, tid, cname, ns, legacy in ROOTS_SEEN:
        if k == kind:
            return struct_since(cname)
    return current_release()


ROOTS_SEEN = []


def struct_since(cname):
    """A struct dates from its first member (or this release when it has none yet)."""
    order = structs[cname].order
    return MEMBER_SINCE.get((cname, order[0]), current_release()) if order else current_release()

# Which C struct a schema node becomes: first matching pattern over "Kind:path" wins.
# {k} in a name is the kind in snake case.
V1_TYPES = [
    (r'^\w+:$', '{k}'),
    (r'^\w+:spec$', '{k}_spec'),
    (r':spec\.parentRefs\[\]$|:spec\.parentRef$', 'parent_ref'),
    (r':spec\.listeners\[\]$', 'listener'),
    (r'\.allowedRoutes$', 'allowed_routes'),
    (r'\.allowedRoutes\.kinds\[\]$', 'route_group_kind'),
    (r'\.allowedRoutes\.namespaces$|\.allowedListeners\.namespaces$', 'from_namespaces'),
    (r'\.allowedListeners$', 'allowed_listeners'),
    (r'\.selector$', 'label_selector'),
    (r'\.matchExpressions\[\]$', 'label_selector_requirement'),
    (r':spec\.listeners\[\]\.tls$', 'listener_tls'),
    (r'\.certificateRefs\[\]$|\.clientCertificateRef$', 'secret_object_ref'),
    (r'\.caCertificateRefs\[\]$', 'object_ref'),
    (r'\.parametersRef$', 'parameters_ref'),
    (r'\.extensionRef$', 'local_object_ref'),
    (r':spec\.targetRefs\[\]$', 'policy_target_ref'),
    (r'^HTTPRoute:spec\.rules\[\]$', 'http_route_rule'),
    (r'^GRPCRoute:spec\.rules\[\]$', 'grpc_route_rule'),
    (r'^(TLS|TCP|UDP)Route:spec\.rules\[\]$', 'l4_route_rule'),
    (r'\.backendRefs\[\]$', 'backend_ref'),
    (r'\.requestMirror\.backendRef$', 'backend_object_ref'),
    (r'\.filters\[\]$', 'filter'),
    (r'HeaderModifier$', 'header_modifier'),
    (r'HeaderModifier\.(add|set)\[\]$', 'header'),
    (r'\.requestMirror$', 'request_mirror'),
    (r'\.requestMirror\.fraction$', 'fraction'),
    (r'\.requestRedirect$', 'request_redirect'),
    (r'\.urlRewrite$', 'url_rewrite'),
    (r'\.(requestRedirect|urlRewrite)\.path$', 'path_modifier'),
    (r'\.cors$', 'cors'),
    (r'^HTTPRoute:spec\.rules\[\]\.matches\[\]$', 'http_route_match'),
    (r'^GRPCRoute:spec\.rules\[\]\.matches\[\]$', 'grpc_route_match'),
    (r'\.matches\[\]\.headers\[\]$', 'header_match'),
    (r'\.matches\[\]\.queryParams\[\]$', 'query_param_match'),
    (r'\.matches\[\]\.path$', 'path_match'),
    (r'\.matches\[\]\.method$', 'grpc_method_match'),
    (r'\.rules\[\]\.timeouts$', 'http_route_timeouts'),
    (r':spec\.addresses\[\]$', 'gateway_address'),
    (r':spec\.infrastructure$', 'gateway_infrastructure'),
    (r'^Gateway:spec\.tls$', 'gateway_tls'),
    (r':spec\.tls\.backend$', 'gateway_backend_tls'),
    (r':spec\.tls\.frontend$', 'frontend_tls'),
    (r':spec\.tls\.frontend\.default$|\.perPort\[\]\.tls$', 'tls_config'),
    (r'\.perPort\[\]$', 'tls_port_config'),
    (r'\.(default|tls)\.validation$', 'frontend_tls_validation'),
    (r'^BackendTLSPolicy:spec\.validation$', 'backend_tls_validation'),
    (r'\.subjectAltNames\[\]$', 'subject_alt_name'),
    (r'^ReferenceGrant:spec\.from\[\]$', 'reference_grant_from'),
    (r'^ReferenceGrant:spec\.to\[\]$', 'reference_grant_to'),
    (r'^Service:spec$', 'service_spec'),
    (r'^Service:spec\.ports\[\]$', 'service_port'),
    (r'^EndpointSlice:endpoints\[\]$', 'endpoint'),
    (r'^EndpointSlice:endpoints\[\]\.conditions$', 'endpoint_conditions'),
    (r'^EndpointSlice:ports\[\]$', 'endpoint_port'),
    (r'^Namespace:spec$', 'namespace_spec'),
]
V1ALPHA1_TYPES = [
    (r'^\w+:$', 'v1alpha1_{k}'),
    (r'^\w+:spec$', 'v1alpha1_{k}_spec'),
    (r':spec\.gateways$', 'v1alpha1_route_gateways'),
    (r':spec\.gateways\.gatewayRefs\[\]$', 'v1alpha1_gateway_reference'),
    (r'^HTTPRoute:spec\.rules\[\]$', 'v1alpha1_http_route_rule'),
    (r'^(TLS|TCP|UDP)Route:spec\.rules\[\]$', 'v1alpha1_{k}_rule'),
    (r'\.forwardTo\[\]$', 'v1alpha1_forward_to'),
    (r'\.(backendRef|extensionRef|certificateRef)$', 'v1alpha1_local_object_ref'),
    (r'\.filters\[\]$', 'v1alpha1_http_route_filter'),
    (r'\.requestHeaderModifier$', 'v1alpha1_header_modifier'),
    (r'\.requestMirror$', 'v1alpha1_request_mirror'),
    (r'^HTTPRoute:spec\.rules\[\]\.matches\[\]$', 'v1alpha1_http_route_match'),
    (r'^TLSRoute:spec\.rules\[\]\.matches\[\]$', 'v1alpha1_tls_route_match'),
    (r'^(TCP|UDP)Route:spec\.rules\[\]\.matches\[\]$', 'v1alpha1_{k}_match'),
    (r'\.matches\[\]\.(headers|queryParams)$', 'v1alpha1_values_match'),
    (r'\.matches\[\]\.path$', 'v1alpha1_path_match'),
    (r'^HTTPRoute:spec\.tls$', 'v1alpha1_route_tls'),
    (r'^Gateway:spec\.listeners\[\]$', 'v1alpha1_listener'),
    (r'\.listeners\[\]\.routes$', 'v1alpha1_route_binding_selector'),
    (r'\.routes\.namespaces$', 'v1alpha1_route_namespaces'),
    (r'\.selector$', 'label_selector'),
    (r'\.matchExpressions\[\]$', 'label_selector_requirement'),
    (r'\.listeners\[\]\.tls$', 'v1alpha1_gateway_tls'),
    (r'\.tls\.routeOverride$', 'v1alpha1_tls_override'),
    (r':spec\.addresses\[\]$', 'gateway_address'),
    (r'^GatewayClass:spec\.parametersRef$', 'v1alpha1_parameters_ref'),
]

# JSON names that are C or C++ keywords get a trailing underscore.
KEYWORDS = {'default', 'namespace', 'operator', 'class', 'new', 'delete', 'template', 'private',
            'public', 'this', 'union', 'struct', 'auto', 'register', 'switch', 'case', 'export'}


def snake(name):
    s = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', name)
    s = re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', s).lower()
    return s + '_' if s in KEYWORDS else s


def type_name(rules, kind, path):
    key = '%s:%s' % (kind, path)
    for pat, name in rules:
        if re.search(pat, key):
            return 'gwapi_' + name.format(k=KIND_SNAKE[kind])
    sys.exit('gen-model: no C type for %s; add a rule' % key)


def doc_text(desc, fallback):
    """First sentence of a schema description, safe inside a Doxygen comment."""
    text = (desc or '').strip()
    if not text:
        return fallback
    text = text.split('\n\n')[0].replace('\n', ' ')
    text = re.sub(r'<gateway:[^>]*>', '', text)
    m = re.match(r'(.+?[.:])(\s|$)', text)
    if m:
        text = m.group(1)
    if len(text) > 300:
        text = text[:297].rsplit(' ', 1)[0] + '...'
    text = text.rstrip(':') + ('' if text.endswith('.') else '.')
    text = text.replace('*/', '* /').replace('\\', '\\\\').replace('@', '\\@')
    text = text.replace('<', '&lt;').replace('>', '&gt;').replace('%', '\\%').replace('#', '\\#')
    if text.count('`') % 2:
        text = text.replace('`', "'")
    return text.strip()


class Member:
    def __init__(self, json, cat, sub, desc):
        self.json, self.cat, self.sub, self.desc = json, cat, sub, desc
        self.c = snake(json)


class Struct:
    def __init__(self, name, desc):
        self.name, self.desc = name, desc
        self.members = {}
        self.order = []


structs = {}          # C name -> Struct
struct_order = []     # first-seen order
tables = {}           # descriptor key -> table id
table_list = []       # (id, cname, fields, preserve_unknown)


def category(node):
    if node.get('x-kubernetes-int-or-string'):
        return 'int_or_string'
    t = node.get('type')
    if t == 'string':
        return 'string'
    if t == 'integer':
        return 'int'
    if t == 'boolean':
        return 'bool'
    if t == 'object':
        if 'properties' in node:
            return 'object'
        ap = node.get('additionalProperties')
        if isinstance(ap, dict) and ap.get('type') == 'string':
            return 'keys' if node.get('x-gwapi-keys-only') else 'map'
    if t == 'array':
        it = node['items']
        if it.get('type') == 'string':
            return 'string_list'
        if it.get('type') == 'object' and 'properties' in it:
            return 'object_list'
    sys.exit('gen-model: unsupported schema node %r' % node)


def materialize(node):
    """The value 'create it empty, then apply defaults recursively' gives."""
    out = {}
    for name, prop in node.get('properties', {}).items():
        if 'default' in prop:
            cat = category(prop)
            if cat == 'object':
                out[name] = materialize(prop)
            elif cat == 'object_list':
                out[name] = [materialize(prop['items']) for _ in prop['default']]
            else:
                out[name] = prop['default']
    return out


def check_default(node, path):
    cat = category(node)
    if cat == 'object':
        want = materialize(node)
        if node['default'] != want:
            sys.exit('gen-model: default of %s is not its recursive default: %r != %r'
                     % (path, node['default'], want))
    elif cat == 'object_list':
        for item in node['default']:
            if item != materialize(node['items']):
                sys.exit('gen-model: default item of %s is not its recursive default' % path)
    elif cat in ('map', 'keys', 'string_list'):
        sys.exit('gen-model: default on %s is not supported' % path)


def visit_object(rules, kind, path, node):
    """Register the struct for an object node; return the id of its field table."""
    cname = type_name(rules, kind, path)
    st = structs.get(cname)
    if st is None:
        st = structs[cname] = Struct(cname, node.get('description'))
        struct_order.append(cname)
    fields = []
    for name, prop in node.get('properties', {}).items():
        if path == '' and name in ('apiVersion', 'kind', 'metadata', 'status'):
            continue
        cat = category(prop)
        sub = None
        sub_table = None
        ppath = (path + '.' if path else '') + name
        if cat == 'object':
            sub_table = visit_object(rules, kind, ppath, prop)
            sub = type_name(rules, kind, ppath)
        elif cat == 'object_list':
            sub_table = visit_object(rules, kind, ppath + '[]', prop['items'])
            sub = type_name(rules, kind, ppath + '[]')
        m = st.members.get(name)
        if m is None:
            m = st.members[name] = Member(name, cat, sub, prop.get('description'))
            m.keys_mode = prop.get('x-gwapi-keys-only')
            st.order.append(name)
        elif (m.cat, m.sub) != (cat, sub):
            sys.exit('gen-model: %s.%s is %s/%s in %s:%s but %s/%s elsewhere'
                     % (cname, name, cat, sub, kind, ppath, m.cat, m.sub))
        default = None
        if 'default' in prop:
            check_default(prop, '%s:%s' % (kind, ppath))
            default = prop['default']
        fields.append((name, cat, sub_table, default, field_check(kind, ppath, prop, cat)))
    if len(fields) > 32:
        sys.exit('gen-model: %s has %d fields; the field bit sets hold 32' % (cname, len(fields)))
    preserve = bool(node.get('x-kubernetes-preserve-unknown-fields'))
    names = [f[0] for f in fields]
    required = sorted(names.index(r) for r in node.get('required', []) if r in names)
    own_rules = cel_rules(kind, path, node)
    if node.get('oneOf'):
        if not is_address_one_of(node['oneOf']):
            sys.exit('gen-model: unsupported oneOf at %s:%s' % (kind, path))
        own_rules = own_rules + ['@ip-address-one-of']
    key = json.dumps([cname, fields, preserve, required, own_rules])
    if key not in tables:
        tables[key] = len(table_list)
        table_list.append((len(table_list), cname, fields, preserve, required, own_rules))
    return tables[key]


# --- validation: the schema constraints and CEL rules of each node -------------------------------

CEL_CHECKS = {}   # (rule, message) -> check name, from schema/cel-checks.yaml
cel_used = {}     # (rule, message) -> index in the generated rule table, in first-use order


EXTRA_CHECKS = {}  # (dialect, kind, path) -> [(rule, message)], from schema/extra-checks.yaml
DIALECT = ['V1']   # the dialect being visited


def load_cel_checks():
    for entry in yaml.safe_load(open(os.path.join(TOP, 'schema/cel-checks.yaml'))):
        CEL_CHECKS[(entry['rule'], entry['message'])] = entry['check']
    for entry in yaml.safe_load(open(os.path.join(TOP, 'schema/extra-checks.yaml'))):
        CEL_CHECKS[(entry['rule'], entry['message'])] = entry['check']
        dialect, kind, path = entry['at'].split(':', 2)
        EXTRA_CHECKS.setdefault((dialect, kind, path), []).append((entry['rule'], entry['message']))


def cel_rules(kind, path, node):
    """Indices of the CEL rules attached to this node."""
    out = []
    extra = [{'rule': r, 'message': m} for r, m in EXTRA_CHECKS.get((DIALECT[0], kind, path), [])]
    for r in node.get('x-kubernetes-validations', []) + extra:
        key = (r['rule'], r.get('message'))
        if key not in CEL_CHECKS:
            sys.exit('gen-model: the CEL rule at %s:%s has no check in schema/cel-checks.yaml:\n  %s'
                     % (kind, path, r['rule']))
        if set(r) - {'rule', 'message'}:
            sys.exit('gen-model: unsupported CEL rule keys at %s:%s: %s' % (kind, path, sorted(r)))
        if key not in cel_used:
            cel_used[key] = len(cel_used)
        out.append(cel_used[key])
    return out


def is_address_one_of(one_of):
    """The one oneOf of the CRDs: IPAddress values are IPv4 or IPv6 literals."""
    text = json.dumps(strip_descriptions(one_of), sort_keys=True)
    return 'ipv4' in text and 'ipv6' in text and 'IPAddress' in text


def scalar_check(node):
    c = {}
    for k in ('minimum', 'maximum', 'minLength', 'maxLength', 'pattern'):
        if k in node:
            c[k] = node[k]
    if 'enum' in node:
        c['enum'] = [str(v) for v in node['enum']]
    return c


def field_check(kind, path, prop, cat):
    c = scalar_check(prop)
    for k in ('minItems', 'maxItems', 'maxProperties'):
        if k in prop:
            c[k] = prop[k]
    lt = prop.get('x-kubernetes-list-type')
    if lt in ('set', 'map'):
        c['listType'] = lt
        if lt == 'map':
            c['mapKeys'] = prop['x-kubernetes-list-map-keys']
    if cat in ('string_list',):
        items = scalar_check(prop['items'])
        items_rules = cel_rules(kind, path + '[]', prop['items'])
        if items_rules:
            items['rules'] = items_rules
        if items:
            c['items'] = items
    if cat in ('map', 'keys'):
        values = scalar_check(prop['additionalProperties'])
        if values:
            c['items'] = values
    rules = cel_rules(kind, path, prop)
    if rules:
        c['rules'] = rules
    return c or None


def strip_descriptions(node):
    if isinstance(node, dict):
        return {k: strip_descriptions(v) for k, v in node.items() if k != 'description'}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def check_source():
    """schema/SOURCE names the CRDs' bundle version: hold it to their own annotation."""
    source = dict(l.strip().split('=', 1) for l in open(os.path.join(TOP, 'schema/SOURCE')) if '=' in l)
    d = os.path.join(TOP, 'schema/crds/standard')
    for f in sorted(os.listdir(d)):
        crd = yaml.safe_load(open(os.path.join(d, f)))
        bundle = crd['metadata'].get('annotations', {}).get('gateway.networking.k8s.io/bundle-version')
        if bundle != source['gateway-api-bundle-version']:
            sys.exit('gen-model: %s has bundle-version %s, schema/SOURCE says %s'
                     % (f, bundle, source['gateway-api-bundle-version']))


def load_roots():
    check_source()
    load_cel_checks()
    roots = []   # (kind, dialect, group, versions, table id, cname, namespaced)
    order = {k: i for i, (k, _, _) in enumerate(KINDS)}
    core = yaml.safe_load(open(os.path.join(TOP, 'schema/core.yaml')))
    meta_table = visit_object([(r'^\w+:$', 'object_meta')], 'Gateway', '', core['metadata'])
    crds = []
    for sub, dialect, rules in (('standard', 'V1', V1_TYPES), ('v1alpha1', 'V1ALPHA1', V1ALPHA1_TYPES)):
        d = os.path.join(TOP, 'schema/crds', sub)
        for f in sorted(os.listdir(d)):
            crd = yaml.safe_load(open(os.path.join(d, f)))
            crds.append((dialect, rules, crd))
    crds.sort(key=lambda c: (c[0] != 'V1', order[c[2]['spec']['names']['kind']]))
    for dialect, rules, crd in crds:
        DIALECT[0] = dialect
        kind = crd['spec']['names']['kind']
        served = [v for v in crd['spec']['versions'] if v['served']]
        schema = served[0]['schema']['openAPIV3Schema']
        for v in served[1:]:
            if strip_descriptions(v['schema']['openAPIV3Schema']) != strip_descriptions(schema):
                sys.exit('gen-model: %s %s differs from %s' % (kind, v['name'], served[0]['name']))
        tid = visit_object(rules, kind, '', schema)
        legacy = [v['name'] for v in crd['spec']['versions'] if not v['served']]
        roots.append((kind, dialect, crd['spec']['group'], [v['name'] for v in served], tid,
                      type_name(rules, kind, ''), crd['spec']['scope'] == 'Namespaced', legacy))
    DIALECT[0] = 'V1'
    for k in core['kinds']:
        tid = visit_object(V1_TYPES, k['kind'], '', k['schema'])
        roots.append((k['kind'], 'V1', k.get('group', ''), [k['version']], tid, type_name(V1_TYPES, k['kind'], ''),
                      k['namespaced'], []))
    roots.sort(key=lambda r: (order[r[0]], r[1] != 'V1'))
    return roots, meta_table


def apply_layout(path):
    """Keep recorded member order; append new members; refuse to drop one."""
    recorded = {}
    if os.path.exists(path):
        for line in open(path):
            parts = line.split()
            if len(parts) >= 2 and not parts[0].startswith('#'):
                recorded.setdefault(parts[0], []).append(parts[1])
                if len(parts) >= 3:
                    MEMBER_SINCE[(parts[0], parts[1])] = parts[2]
    for cname in struct_order:
        st = structs[cname]
        old = recorded.get(cname, [])
        for name in old:
            if name not in st.members:
                sys.exit('gen-model: %s.%s is in schema/layout.txt but no longer in the schemas'
                         % (cname, name))
        st.order = old + [n for n in st.order if n not in old]
        for name in st.order:
            MEMBER_SINCE.setdefault((cname, name), current_release())
    lines = ['# Member order of the public structs (ABI): recorded members keep their place.\n'
             '# struct member since-release\n']
    for cname in struct_order:
        for name in structs[cname].order:
            lines.append('%s %s %s\n' % (cname, name, MEMBER_SINCE[(cname, name)]))
    return ''.join(lines)


def render_header(roots):
    ROOTS_SEEN[:] = roots
    out = []
    w = out.append
    w('''/* Generated by tools/gen-model.py from schema/: do not edit. */
/**
 * @file gatewayapi/model.h
 * @brief The typed, read-only object model: one struct per schema object of the Gateway API CRDs
 * (and the core kinds binding needs).
 *
 * Conventions, the same in every struct:
 * - a string is NULL when the field is absent;
 * - an integer or boolean is 0 when absent: gwapi_object_field_state() tells absent, given and defaulted
 *   apart;
 * - a list is an array of pointers `x` with its length in `n_x`;
 * - a map (labels, annotations, options) is a #gwapi_string_map;
 * - CRD defaults are applied: a defaulted field reads as if it had been written.
 *
 * The library owns every struct; they live as long as their object is in its configuration.
 */
#ifndef GATEWAYAPI_MODEL_H
#define GATEWAYAPI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A map of strings, in the order the input gave it.
 * @since 1.0
 */
typedef struct gwapi_string_map {
    size_t count;                 /**< Number of entries. @since 1.0 */
    const char *const *keys;      /**< The keys, count of them, distinct. @since 1.0 */
    const char *const *values;    /**< The values; values[i] belongs to keys[i]. @since 1.0 */
} gwapi_string_map;

/**
 * @brief Kinds of object the library models. Values are stable.
 * @since 1.0
 */
typedef enum gwapi_kind {
    GWAPI_KIND_UNKNOWN = 0, /**< Not a kind the library models. @since 1.0 */
''')
    for i, (k, e, _) in enumerate(KINDS):
        w('    GWAPI_KIND_%s = %d, /**< %s. @since %s */\n'
          % (e, i + 1, k, kind_since(k)))
    w('''} gwapi_kind;

/**
 * @brief Which API an object was written in. Values are stable.
 * @since 1.0
 */
typedef enum gwapi_dialect {
    GWAPI_DIALECT_V1 = 0,       /**< gateway.networking.k8s.io (v1, v1beta1) and core Kubernetes kinds. @since 1.0 */
    GWAPI_DIALECT_V1ALPHA1 = 1  /**< networking.x-k8s.io/v1alpha1, the original dialect. @since 1.0 */
} gwapi_dialect;

''')
    for cname in struct_order:
        w('typedef struct %s %s; /**< See struct %s. @since %s */\n'
          % (cname, cname, cname, struct_since(cname)))
    w('\n')
    for cname in struct_order:
        st = structs[cname]
        w('/**\n * @brief %s\n * @since %s\n */\nstruct %s {\n'
          % (doc_text(st.desc, 'Object of the model.'), struct_since(cname), cname))
        for name in st.order:
            m = st.members[name]
            since = ' @since %s' % MEMBER_SINCE[(cname, name)]
            doc = doc_text(m.desc, 'The "%s" field.' % name)
            if m.cat in ('string', 'int_or_string'):
                w('    /** %s (JSON "%s")%s */\n    const char *%s;\n' % (doc, name, since, m.c))
            elif m.cat == 'int':
                w('    /** %s (JSON "%s")%s */\n    int64_t %s;\n' % (doc, name, since, m.c))
            elif m.cat == 'bool':
                w('    /** %s (JSON "%s")%s */\n    bool %s;\n' % (doc, name, since, m.c))
            elif m.cat == 'object':
                w('    /** %s (JSON "%s"; NULL when absent)%s */\n    const %s *%s;\n' % (doc, name, since, m.sub, m.c))
            elif m.cat == 'map':
                w('    /** %s (JSON "%s")%s */\n    gwapi_string_map %s;\n' % (doc, name, since, m.c))
            elif m.cat in ('string_list', 'keys'):
                w('    /** %s (JSON "%s")%s */\n    const char *const *%s;\n' % (doc, name, since, m.c))
                w('    /** Number of entries in %s.%s */\n    size_t n_%s;\n' % (m.c, since, m.c.rstrip('_')))
                if m.cat == 'keys':
                    w('    /** What each value of %s holds, never the value itself: "empty", '
                      '"PEM <block type>" (e.g. "PEM CERTIFICATE"), "invalid-base64" or "data"; '
                      'parallel to %s.%s */\n    const char *const *%s_content;\n'
                      % (m.c, m.c, since, m.c.rstrip('_')))
            elif m.cat == 'object_list':
                w('    /** %s (JSON "%s")%s */\n    const %s *const *%s;\n' % (doc, name, since, m.sub, m.c))
                w('    /** Number of entries in %s.%s */\n    size_t n_%s;\n' % (m.c, since, m.c.rstrip('_')))
        w('};\n\n')
    w('struct gwapi_object;\n\n')
    for kind, dialect, group, versions, tid, cname, ns, legacy in roots:
        fn = cname[len('gwapi_'):]
        w('''/**
 * @brief The %s body of @p obj (%s/%s).
 * @param obj An object of the configuration, or NULL.
 * @return The typed body, or NULL when @p obj is not a %s of that dialect.
 * @since %s
 */
GWAPI_EXPORT const %s *gwapi_object_%s(const struct gwapi_object *obj);

''' % (kind, group or 'core', '|'.join(versions), kind, kind_since(kind), cname, fn))
    w('''#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_MODEL_H */
''')
    return ''.join(out)


FIELD_KIND = {'string': 'GW_FIELD_STRING', 'int': 'GW_FIELD_INT', 'bool': 'GW_FIELD_BOOL',
              'int_or_string': 'GW_FIELD_INT_OR_STRING', 'object': 'GW_FIELD_OBJECT',
              'map': 'GW_FIELD_MAP', 'keys': 'GW_FIELD_KEYS', 'string_list': 'GW_FIELD_STRING_LIST',
              'object_list': 'GW_FIELD_OBJECT_LIST'}


def c_string(s):
    return json.dumps(s)


def cel_function(check):
    return 'gw_cel_' + check.replace('-', '_')


def render_rule_table():
    """Every CEL rule the schemas use, with the check that implements it."""
    out = ['/* The CEL rules of the schemas (x-kubernetes-validations), each with its check. */\n']
    rules = sorted(cel_used.items(), key=lambda kv: kv[1])
    out.append('const struct gw_cel_rule gw_cel_rules[] = {\n')
    for (rule, message), i in rules:
        check = CEL_CHECKS[(rule, message)]
        out.append('    { %s, %s, %s, %s },\n' % (c_string(check), c_string(rule), c_string(message),
                                                 cel_function(check)))
    out.append('};\nconst size_t gw_cel_rule_count = %d;\n\n' % len(rules))
    return ''.join(out)


def render_check_prototypes():
    out = ['/* Generated by tools/gen-model.py from schema/: do not edit.\n'
           ' * The C checks that implement the rules of schema/cel-checks.yaml and\n'
           ' * schema/extra-checks.yaml. */\n',
           '#ifndef GW_VALIDATE_CEL_CHECKS_H\n#define GW_VALIDATE_CEL_CHECKS_H\n\n',
           '#include <stdbool.h>\n\nstruct gw_cel_self;\n\n']
    for fn in sorted({cel_function(CEL_CHECKS[k]) for k in cel_used}):
        out.append('bool %s(const struct gw_cel_self *self);\n' % fn)
    out.append('\n#endif\n')
    return ''.join(out)


def render_rule_list(name, rules, w):
    """A NULL-terminated list of rule pointers; "@name" entries are built-in schema checks."""
    if not rules:
        return 'NULL'
    items = []
    for r in rules:
        if isinstance(r, str):
            items.append('&gw_schema_rule_%s' % r[1:].replace('-', '_'))
        else:
            items.append('&gw_cel_rules[%d]' % r)
    w('static const struct gw_cel_rule *const %s[] = { %s, NULL };\n' % (name, ', '.join(items)))
    return name


PATTERNS = []  # every distinct schema pattern, numbered for the compiled-pattern cache


def render_check(check, checks, w):
    key = json.dumps(check, sort_keys=True)
    if key in checks:
        return checks[key]
    items = 'NULL'
    if 'items' in check:
        items = '&' + render_check(check['items'], checks, w)
    name = 'check_%d' % len(checks)
    flags = []
    vals = {'min': '0', 'max': '0', 'min_len': '0', 'max_len': '0', 'min_items': '0', 'max_items': '0'}
    for k, flag, slot in (('minimum', 'GW_CHECK_MINIMUM', 'min'), ('maximum', 'GW_CHECK_MAXIMUM', 'max'),
                          ('minLength', 'GW_CHECK_MIN_LENGTH', 'min_len'),
                          ('maxLength', 'GW_CHECK_MAX_LENGTH', 'max_len'),
                          ('minItems', 'GW_CHECK_MIN_ITEMS', 'min_items'),
                          ('maxItems', 'GW_CHECK_MAX_ITEMS', 'max_items'),
                          ('maxProperties', 'GW_CHECK_MAX_ITEMS', 'max_items')):
        if k in check:
            flags.append(flag)
            vals[slot] = str(int(check[k]))
    if check.get('listType') == 'set':
        flags.append('GW_CHECK_SET')
    if check.get('listType') == 'map':
        flags.append('GW_CHECK_MAP_KEYS')
    enum = 'NULL'
    if 'enum' in check:
        enum = name + '_enum'
        w('static const char *const %s[] = { %s, NULL };\n'
          % (enum, ', '.join(c_string(e) for e in check['enum'])))
    keys = 'NULL'
    if 'mapKeys' in check:
        keys = name + '_keys'
        w('static const char *const %s[] = { %s, NULL };\n'
          % (keys, ', '.join(c_string(e) for e in check['mapKeys'])))
    rules = render_rule_list(name + '_rules', check.get('rules', []), w)
    pattern = -1
    if 'pattern' in check:
        if check['pattern'] not in PATTERNS:
            PATTERNS.append(check['pattern'])
        pattern = PATTERNS.index(check['pattern'])
    w('static const struct gw_check %s = { %s, %s, %s, %s, %s, %s, %s, %s, %d, %s, %s, %s, %s };\n'
      % (name, ' | '.join(flags) or '0', vals['min'], vals['max'], vals['min_len'], vals['max_len'],
         vals['min_items'], vals['max_items'],
         c_string(check['pattern']) if 'pattern' in check else 'NULL', pattern, enum, keys, items,
         rules))
    checks[key] = name
    return name


def render_tables(roots, meta_table):
    out = []
    w = out.append
    w('''/* Generated by tools/gen-model.py from schema/: do not edit. */
#include "model/schema.h"

#include <stddef.h>

#include "validate/cel_checks.h"

''')
    w(render_rule_table())
    for tid, cname, fields, preserve, required, own_rules in table_list:
        w('static const struct gw_type type_%d;\n' % tid)
    w('\n')
    checks = {}
    for tid, cname, fields, preserve, required, own_rules in table_list:
        for f in fields:
            if f[4]:
                render_check(f[4], checks, w)
    for tid, cname, fields, preserve, required, own_rules in table_list:
        st = structs[cname]
        # Fields sorted by the member order so emitted output follows the struct.
        fields = sorted(fields, key=lambda f: st.order.index(f[0]))
        w('static const struct gw_field fields_%d[] = {\n' % tid)
        for name, cat, sub, default, check in fields:
            m = st.members[name]
            count = 'offsetof(%s, n_%s)' % (cname, m.c.rstrip('_')) if cat in ('string_list', 'keys', 'object_list') else '0'
            dstr, dint, has = 'NULL', '0', '0'
            if default is not None:
                has = '1'
                if cat in ('string', 'int_or_string'):
                    dstr = c_string(default)
                elif cat == 'int':
                    dint = str(int(default))
                elif cat == 'bool':
                    dint = '1' if default else '0'
            content, base64 = '0', 'false'
            if cat == 'keys':
                content = 'offsetof(%s, %s_content)' % (cname, m.c.rstrip('_'))
                base64 = 'true' if m.keys_mode == 'base64' else 'false'
            w('    { %s, %s, offsetof(%s, %s), %s, %s, %s, %s, %s, %s, %s, %s },\n'
              % (c_string(name), FIELD_KIND[cat], cname, m.c, count,
                 '&type_%d' % sub if sub is not None else 'NULL', has, dstr, dint,
                 '&' + checks[json.dumps(check, sort_keys=True)] if check else 'NULL',
                 content, base64))
        if not fields:
            w('    { NULL, 0, 0, 0, NULL, 0, NULL, 0, NULL, 0, false },\n')
        w('};\n')
        # Required fields, as bits in the order of the table (which follows the struct).
        order = [f[0] for f in sorted(fields, key=lambda f: st.order.index(f[0]))]
        names = [f[0] for f in fields]
        req = 0
        for i in required:
            req |= 1 << order.index(names[i])
        rules_ref = render_rule_list('type_%d_rules' % tid, own_rules, w)
        w('static const struct gw_type type_%d = { %s, sizeof(%s), _Alignof(%s), fields_%d, %d, %d, 0x%xu, %s };\n\n'
          % (tid, c_string(cname), cname, cname, tid, len(fields), 1 if preserve else 0, req, rules_ref))
    w('const struct gw_type *const gw_object_meta_type = &type_%d;\n\n' % meta_table)
    w('const char *const gw_schema_patterns[] = {\n')
    for pat in PATTERNS:
        w('    %s,\n' % c_string(pat))
    w('};\nconst size_t gw_schema_pattern_count = %d;\n\n' % len(PATTERNS))
    w('const struct gw_root gw_roots[] = {\n')
    for kind, dialect, group, versions, tid, cname, ns, legacy in roots:
        enum = [e for k, e, _ in KINDS if k == kind][0]
        w('    { GWAPI_KIND_%s, GWAPI_DIALECT_%s, %s, %s, %s, &type_%d, %d, %s },\n'
          % (enum, dialect, c_string(kind), c_string(group), c_string(' '.join(versions)), tid,
             1 if ns else 0, c_string(' '.join(legacy))))
    w('};\nconst size_t gw_root_count = sizeof(gw_roots) / sizeof(gw_roots[0]);\n\n')
    for kind, dialect, group, versions, tid, cname, ns, legacy in roots:
        enum = [e for k, e, _ in KINDS if k == kind][0]
        w('GWAPI_EXPORT const %s *\ngwapi_object_%s(const gwapi_object *obj)\n{\n'
          '    return (const %s *)gw_object_body(obj, GWAPI_KIND_%s, GWAPI_DIALECT_%s);\n}\n\n'
          % (cname, cname[len('gwapi_'):], cname, enum, dialect))
    return ''.join(out)


def main():
    check = '--check' in sys.argv
    roots, meta_table = load_roots()
    layout_path = os.path.join(TOP, 'schema/layout.txt')
    layout = apply_layout(layout_path)
    outputs = {
        layout_path: layout,
        os.path.join(TOP, 'src/validate/cel_checks.h'): render_check_prototypes(),
        os.path.join(TOP, 'include/gatewayapi/model.h'): render_header(roots),
        os.path.join(TOP, 'src/model/schema_tables.c'): render_tables(roots, meta_table),
    }
    stale = []
    for path, text in outputs.items():
        old = open(path).read() if os.path.exists(path) else None
        if old != text:
            stale.append(os.path.relpath(path, TOP))
            if not check:
                with open(path, 'w') as f:
                    f.write(text)
    if check and stale:
        sys.exit('gen-model: out of date: %s (run tools/gen-model.py)' % ', '.join(stale))
    return 0


if __name__ == '__main__':
    sys.exit(main())
