/* The neutral tree both parsers produce: what the model stage reads, whatever the syntax. */
#ifndef GW_PARSE_NODE_H
#define GW_PARSE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gatewayapi/context.h"
#include "gatewayapi/diagnostics.h"
#include "util/arena.h"

enum gw_node_type {
    GW_NODE_NULL,
    GW_NODE_BOOL,
    GW_NODE_INT,
    GW_NODE_FLOAT,
    GW_NODE_STRING,
    GW_NODE_MAP, /* children alternate key, value */
    GW_NODE_SEQ,
};

struct gw_node {
    uint8_t type;
    uint8_t merge;                /* a YAML merge key ("<<"), resolved when its map ends */
    uint32_t line, column;        /* 1-based; 0 when the syntax gives none */
    const char *text;             /* scalars: the text, NUL-terminated */
    size_t len;
    int64_t integer;              /* GW_NODE_INT value; GW_NODE_BOOL 0 or 1 */
    struct gw_node *first, *last; /* children */
    struct gw_node *next;         /* next sibling */
    size_t count;                 /* number of children */
    size_t weight;                /* nodes in this subtree, aliases expanded */
};

/* Called for every document; root is NULL for an empty document. The tree lives until the
 * callback returns. */
typedef void (*gw_document_fn)(void *user, const struct gw_node *root);

struct gw_parser {
    const gwapi_ctx *ctx;
    gwapi_diags *diags;
    const char *source;
    gw_document_fn on_document;
    void *user;
    struct gw_arena nodes; /* reset for every document */
    size_t weight;         /* nodes of the current document, aliases expanded */
    bool failed;           /* the input had an error */
    bool out_of_memory;
};

void gw_parser_init(struct gw_parser *p, const gwapi_ctx *ctx, gwapi_diags *diags,
                    const char *source, gw_document_fn on_document, void *user);
void gw_parser_release(struct gw_parser *p);

/* Parse a whole input: detects JSON or YAML, splits YAML streams into documents. */
void gw_parse_input(struct gw_parser *p, const char *data, size_t len);
/* Returns SIZE_MAX when the stream was read to its end, or the offset of the first error (the
 * caller resumes at the next document): an error at the very end is still an error. */
size_t gw_parse_yaml(struct gw_parser *p, const char *data, size_t len, unsigned first_line);
void gw_parse_json(struct gw_parser *p, const char *data, size_t len);

/* Helpers shared by both parsers. */
struct gw_node *gw_node_new(struct gw_parser *p, enum gw_node_type type, unsigned line,
                            unsigned column);
void gw_node_append(struct gw_node *parent, struct gw_node *child);
/* Account for nodes against the max_nodes limit; false (and a diagnostic) past it. */
bool gw_parser_charge(struct gw_parser *p, size_t nodes, unsigned line, unsigned column);
void gw_parser_error(struct gw_parser *p, const char *code, unsigned line, unsigned column,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Map lookup by key text; NULL when absent or when node is not a map. */
const struct gw_node *gw_node_get(const struct gw_node *map, const char *key);
const char *gw_node_type_name(const struct gw_node *node);

#endif
