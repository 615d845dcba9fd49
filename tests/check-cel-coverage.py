#!/usr/bin/env python3
"""Every CEL rule of the CRDs, counted from the CRD YAML itself, has a check
(schema/cel-checks.yaml) and cases that pass and fail it (tests/data/cel/<check>.yaml). A new CRD
with a new rule fails here until the rule is implemented and tested.

Rules on `status` are not applicable: the library computes status, it never reads it."""
import collections
import os
import sys

import yaml

top = sys.argv[1]
checks = {}
for f in ('cel-checks.yaml', 'extra-checks.yaml'):
    for e in yaml.safe_load(open(os.path.join(top, 'schema', f))):
        checks[(e['rule'], e['message'])] = e['check']


def cases_of(check):
    path = os.path.join(top, 'tests', 'data', 'cel', check + '.yaml')
    if not os.path.exists(path):
        return set()
    return {d['metadata']['annotations']['gwapi.test/expect'] for d in yaml.safe_load_all(open(path)) if d}


# A transition rule has no failing case on create; its update cases are in tests/test-validate.c.
TRANSITION = {'controller-name-immutable'}
counts = collections.OrderedDict()
problems = []
for sub in ('standard', 'v1alpha1'):
    d = os.path.join(top, 'schema', 'crds', sub)
    for f in sorted(os.listdir(d)):
        crd = yaml.safe_load(open(os.path.join(d, f)))
        kind = crd['spec']['names']['kind'] + ('' if sub == 'standard' else ' (v1alpha1)')
        row = counts.setdefault(kind, [0, 0, 0])
        version = [v for v in crd['spec']['versions'] if v['served']][0]

        def walk(node, path):
            for r in node.get('x-kubernetes-validations', []):
                row[0] += 1
                if path.startswith('status'):
                    row[2] += 1
                    continue
                check = checks.get((r['rule'], r.get('message')))
                if not check:
                    problems.append('%s %s: no check for rule %s' % (kind, path, r['rule']))
                    continue
                want = {'valid'} if check in TRANSITION else {'valid', 'invalid'}
                if not want <= cases_of(check):
                    problems.append('%s %s: tests/data/cel/%s.yaml lacks a %s case'
                                    % (kind, path, check, ' or '.join(sorted(want - cases_of(check)))))
                    continue
                row[1] += 1
            for k, v in node.get('properties', {}).items():
                walk(v, path + '.' + k if path else k)
            if 'items' in node:
                walk(node['items'], path + '[]')
            if isinstance(node.get('additionalProperties'), dict):
                walk(node['additionalProperties'], path + '{}')

        walk(version['schema']['openAPIV3Schema'], '')

print('%-28s %6s %8s %15s' % ('CRD (served schema)', 'rules', 'checked', 'not applicable'))
total = [0, 0, 0]
for kind, (n, ok, na) in counts.items():
    if n:
        print('%-28s %6d %8d %15d' % (kind, n, ok, na))
    total = [a + b for a, b in zip(total, (n, ok, na))]
print('%-28s %6d %8d %15d' % ('total', *total))
for p in problems:
    print('FAIL:', p)
sys.exit(1 if problems else 0)
