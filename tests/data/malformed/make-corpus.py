#!/usr/bin/env python3
"""Write the malformed-input corpus next to this script. The files are committed; this script
documents how each was made and remakes them. EXPECT lists, per file, the diagnostic code the
loader must report first and where (line:column, 0 when it does not matter), or "none"."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: ns
spec:
  parentRefs:
  - name: gw
"""
NS = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kept\n"

files = {}
expect = []


def add(name, data, code, line=0, column=0):
    files[name] = data if isinstance(data, bytes) else data.encode()
    expect.append('%s %s %d %d' % (name, code, line, column))


add('truncated.yaml', ROUTE + '  rules:\n  - matches:\n    - path: {type: Exact, value: "/x', 'syntax', 11, 37)
add('truncated.json', '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"', 'syntax')
add('string-for-int.yaml', ROUTE + '    port: "80"\n', 'type', 9, 11)
add('map-for-list.yaml', ROUTE.replace('  parentRefs:\n  - name: gw\n', '  hostnames:\n    a: b\n'), 'type', 8, 5)
add('list-for-map.yaml', NS.replace('  name: kept\n', '  name: x\n  labels: [a, b]\n'), 'type', 5, 11)
add('int-for-string.json', '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": 5}}', 'type', 1, 1)
add('deep-nesting.yaml', '[' * 10000 + ']' * 10000 + '\n', 'limit', 1, 65)
add('deep-nesting.json', '{"a":' * 10000 + '1' + '}' * 10000 + '\n', 'limit', 1, 321)
bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i in range(1, 10):
    bomb.append('a%d: &a%d [%s]' % (i, i, ','.join(['*a%d' % (i - 1)] * 10)))
add('alias-bomb.yaml', '\n'.join(bomb) + '\n', 'limit', 6, 38)
add('undefined-alias.yaml', 'a: *nowhere\n', 'alias', 1, 4)
add('invalid-utf8.yaml', b'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "\xc3\x28"\n', 'encoding', 4, 11)
add('invalid-utf8.json', b'{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "\xff"}}', 'encoding', 1, 65)
add('nul-byte.yaml', b'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\x00b\n', 'encoding', 4, 10)
add('nul-escape.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "good\\0evil"\n', 'encoding', 4, 9)
add('nul-escape.json', '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "good\\u0000evil"}}', 'encoding', 1, 69)
add('nul-byte.json', b'{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a\x00b"}}', 'encoding', 1, 66)
add('huge-scalar.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ' + 'x' * (2 << 20) + '\n', 'limit', 4, 9)
add('duplicate-keys.yaml', NS + '  name: again\n', 'duplicate-key', 5, 3)
add('tabs.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: x\n', 'syntax', 4, 1)
add('merge-key-scalar.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  <<: kept\n  name: x\n', 'merge-key', 4, 3)
add('bom.yaml', b'\xef\xbb\xbf' + NS.encode(), 'none')
add('unknown-kind.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\n' + NS, 'unknown-kind', 1, 1)
add('unserved-version.yaml', 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: t\n', 'legacy-version', 1, 1)
add('not-object.yaml', '- a\n- b\n', 'not-object', 1, 1)
add('missing-kind.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n', 'not-object', 1, 1)
add('missing-name.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {a: b}\n', 'required', 4, 3)
add('unknown-field.yaml', ROUTE + '    bogus: 1\n', 'unknown-field', 9, 5)
add('bad-watch.json', '{"type": "ADDED"}\n{"type": "ADDED", "object": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kept"}}}\n', 'watch-event', 1, 1)
add('bad-between-good.yaml', NS + '---\nkey: [unclosed\n---\n' + NS.replace('kept', 'kept2'), 'syntax', 7, 1)
add('empty.yaml', '# only a comment\n---\n---\n', 'none')

for name, data in files.items():
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)
with open(os.path.join(HERE, 'EXPECT'), 'w') as f:
    f.write('# file  first-code  line  column (0: any)\n')
    f.write('\n'.join(expect) + '\n')
