/* How an untagged YAML scalar is typed: the YAML 1.2 core schema, which is also what JSON
 * means by null, true, false and numbers. "yes", "on" and friends stay strings. */
#ifndef GW_PARSE_SCALAR_H
#define GW_PARSE_SCALAR_H

#include "parse/node.h"

/* node->text holds the scalar; sets node->type (and node->integer). */
void gw_resolve_scalar(struct gw_node *node);

#endif
