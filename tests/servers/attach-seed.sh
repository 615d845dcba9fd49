#!/bin/sh
# The founding document's manifests, with each route allowing every Gateway (as printed, the
# v1alpha1 default admits no route to a Gateway in another namespace).
awk '/^kind:/ {kind = $2} {print} /^spec:$/ && kind == "HTTPRoute" {print "  gateways: {allow: All}"}' "$1"
