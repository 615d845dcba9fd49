/* From the node tree to the typed structs, guided by the generated field tables. */
#ifndef GW_MODEL_DECODE_H
#define GW_MODEL_DECODE_H

#include <stdbool.h>

#include "model/schema.h"
#include "parse/node.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/intern.h"

struct gw_decoder {
    gwapi_diags *diags;
    bool strict;               /* unknown fields and duplicate keys are errors */
    struct gw_arena *arena;    /* where the model is allocated */
    struct gw_interner *strings; /* short strings shared within the arena, or NULL */
    struct gw_site site;       /* source and object identity; path filled per diagnostic */
    /* The field path, kept as segments and only spelt out when a diagnostic needs it. */
    struct gw_path_segment {
        enum { GW_SEGMENT_FIELD, GW_SEGMENT_INDEX, GW_SEGMENT_KEY } kind;
        const char *name;
        size_t index;
    } segments[64];
    size_t depth;
    char path[1024];
    const struct gw_node *envelope; /* the object's top level: apiVersion, kind, metadata and
                                       status are read elsewhere */
    bool errors;               /* an error was reported */
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

/* Path building: push returns the length to pop back to. */
size_t gw_path_push_field(struct gw_decoder *d, const char *name);
size_t gw_path_push_index(struct gw_decoder *d, size_t index);
size_t gw_path_push_key(struct gw_decoder *d, const char *key);
void gw_path_pop(struct gw_decoder *d, size_t len);

#endif
