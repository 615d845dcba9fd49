/* From the node tree to the typed structs, guided by the generated field tables. */
#ifndef GW_MODEL_DECODE_H
#define GW_MODEL_DECODE_H

#include <stdbool.h>

#include "model/schema.h"
#include "parse/node.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/intern.h"
#include "util/path.h"

struct gw_decoder {
    gwapi_diags *diags;
    bool strict;               /* unknown fields and duplicate keys are errors */
    struct gw_arena *arena;    /* where the model is allocated */
    struct gw_interner *strings; /* short strings shared within the arena, or NULL */
    struct gw_site site;       /* source and object identity; path filled per diagnostic */
    struct gw_path path;
    const struct gw_node *envelope; /* the object's top level: apiVersion, kind, metadata and
                                       status are read elsewhere */
    bool errors;               /* an error was reported */
    const char *first_error;   /* "path: message" of the first error, in the arena */
    bool out_of_memory;
};

/* Decode node (a map, or NULL for "absent: defaults only") as type. Returns the struct, or NULL
 * when out of memory. Type mismatches are reported and the offending field left absent. */
void *gw_decode_object(struct gw_decoder *d, const struct gw_type *type,
                       const struct gw_node *node);

/* Report at the current path. */
void gw_decode_report(struct gw_decoder *d, gwapi_severity severity, const char *code,
                      const struct gw_node *at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
