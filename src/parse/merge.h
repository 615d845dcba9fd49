/* YAML merge keys, resolved when their map is complete. */
#ifndef GW_PARSE_MERGE_H
#define GW_PARSE_MERGE_H

#include <stdbool.h>

#include "parse/node.h"

/* Resolve the merge keys of a complete map (keys marked merge). False, with a diagnostic, when
 * a merge key's value is not a map or a list of maps, or when a limit or memory runs out. */
bool gw_merge_keys(struct gw_parser *p, struct gw_node *map);

#endif
