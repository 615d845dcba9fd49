#!/usr/bin/python3
"""Write the fuzzing dictionary of the pipeline target (tests/fuzz/pipeline.dict): every field
name, enum value, kind and apiVersion of the CRDs under schema/crds, as YAML keys and values.
    tools/fuzz-dict.py > tests/fuzz/pipeline.dict"""
import glob
import os

import yaml

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
keys, values = set(), set()


def walk(schema):
    if not isinstance(schema, dict):
        return
    for name, sub in (schema.get("properties") or {}).items():
        keys.add(name)
        walk(sub)
    for e in schema.get("enum") or []:
        if isinstance(e, str) and e:
            values.add(e)
    walk(schema.get("items"))
    walk(schema.get("additionalProperties"))


for path in sorted(glob.glob(os.path.join(root, "schema/crds/*/*.yaml"))):
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") != "CustomResourceDefinition":
            continue
        spec = doc["spec"]
        values.add(spec["names"]["kind"])
        for version in spec["versions"]:
            values.add("%s/%s" % (spec["group"], version["name"]))
            walk(version["schema"]["openAPIV3Schema"])

print("# Field names and values of the Gateway API CRDs (schema/crds), by tools/fuzz-dict.py.")
for k in sorted(keys):
    print('"%s: "' % k)
for v in sorted(values):
    print('"%s"' % v.replace("\\", "\\\\").replace('"', '\\"'))
for extra in ["\\x0a- ", "\\x0a---\\x0a", "{", "}", "[", "]", ": ", "null", "~", "*.", "/", "<<: *a", "&a "]:
    print('"%s"' % extra)
