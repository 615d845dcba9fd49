#include "parse/node.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/context.h"
#include "util/diag.h"

void
gw_parser_init(struct gw_parser *p, const gwapi_ctx *ctx, gwapi_diags *diags, const char *source,
               gw_document_fn on_document, void *user)
{
    memset(p, 0, sizeof(*p));
    p->ctx = ctx;
    p->diags = diags;
    p->source = source;
    p->on_document = on_document;
    p->user = user;
    gw_arena_init(&p->nodes, ctx, 64 * 1024);
}

void
gw_parser_release(struct gw_parser *p)
{
    gw_arena_release(&p->nodes);
}

void
gw_parser_error(struct gw_parser *p, const char *code, unsigned line, unsigned column,
                const char *fmt, ...)
{
    struct gw_site site = { 0 };
    char message[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    site.source = p->source;
    site.line = line;
    site.column = column;
    p->failed = true;
    if (gw_report(p->diags, GWAPI_SEVERITY_ERROR, code, &site, "%s", message))
        p->out_of_memory = true;
}

bool
gw_parser_charge(struct gw_parser *p, size_t nodes, unsigned line, unsigned column)
{
    size_t limit = p->ctx->limits.max_nodes;

    if (nodes > limit || p->weight > limit - nodes) {
        gw_parser_error(p, GW_CODE_LIMIT, line, column,
                        "document has more than %zu nodes (aliases counted as expanded); "
                        "refusing it (limit max_nodes)", limit);
        return false;
    }
    p->weight += nodes;
    return true;
}

struct gw_node *
gw_node_new(struct gw_parser *p, enum gw_node_type type, unsigned line, unsigned column)
{
    struct gw_node *n = gw_arena_alloc(&p->nodes, sizeof(*n), _Alignof(struct gw_node));

    if (!n) {
        p->out_of_memory = true;
        return NULL;
    }
    n->type = (uint8_t)type;
    n->line = line;
    n->column = column;
    n->weight = 1;
    return n;
}

void
gw_node_append(struct gw_node *parent, struct gw_node *child)
{
    /* An aliased node is shared: link a private copy of its header so that the sibling chain
     * of the anchor stays intact. Callers pass copies for aliases (see the YAML parser). */
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
    parent->count++;
    parent->weight += child->weight;
}

const struct gw_node *
gw_node_get(const struct gw_node *map, const char *key)
{
    const struct gw_node *k;
    const struct gw_node *found = NULL;

    if (!map || map->type != GW_NODE_MAP)
        return NULL;
    for (k = map->first; k && k->next; k = k->next->next) {
        if (k->text && strcmp(k->text, key) == 0)
            found = k->next; /* the last of duplicate keys wins, as in Kubernetes */
    }
    return found;
}

const char *
gw_node_type_name(const struct gw_node *node)
{
    if (!node)
        return "nothing";
    switch (node->type) {
    case GW_NODE_NULL: return "null";
    case GW_NODE_BOOL: return "a boolean";
    case GW_NODE_INT: return "an integer";
    case GW_NODE_FLOAT: return "a number";
    case GW_NODE_STRING: return "a string";
    case GW_NODE_MAP: return "an object";
    case GW_NODE_SEQ: return "a list";
    }
    return "a value";
}
