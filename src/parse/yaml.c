/* YAML through libyaml's event API into the node tree, with the limits applied as events
 * arrive: depth, node count (aliases counted as expanded), scalar size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "parse/merge.h"
#include "parse/node.h"
#include "parse/scalar.h"
#include "util/context.h"
#include "util/diag.h"
#include "util/keyset.h"

struct anchor {
    char *name;
    struct gw_node *node;
};

struct yaml_state {
    struct gw_parser *p;
    unsigned line_offset;
    struct gw_node **stack; /* open containers */
    size_t depth, stack_cap;
    struct anchor *anchors;
    size_t n_anchors, anchors_cap;
    struct gw_keyset anchor_index; /* of anchors[], by name */
    /* anchors named on a container's start event, bound when it ends */
    char **pending;
    size_t pending_cap;
    struct gw_node *root;
};

static unsigned
line_of(const struct yaml_state *s, yaml_mark_t mark)
{
    return (unsigned)mark.line + 1 + s->line_offset;
}

static unsigned
column_of(yaml_mark_t mark)
{
    return (unsigned)mark.column + 1;
}

static void
forget_anchors(struct yaml_state *s)
{
    for (size_t i = 0; i < s->n_anchors; i++)
        gw_free(s->p->ctx, s->anchors[i].name);
    s->n_anchors = 0;
    gw_keyset_clear(&s->anchor_index);
    /* Anchors of containers still open (a document abandoned half way). */
    for (size_t i = 0; i < s->depth; i++) {
        gw_free(s->p->ctx, s->pending[i]);
        s->pending[i] = NULL;
    }
    s->depth = 0;
}

static bool
bind_anchor(struct yaml_state *s, const char *name, struct gw_node *node)
{
    size_t at;
    char *copy;

    if (!name)
        return true;
    /* A later anchor of the same name shadows the earlier one, as YAML says. */
    at = gw_keyset_find(&s->anchor_index, s->anchors, name);
    if (at != SIZE_MAX) {
        s->anchors[at].node = node;
        return true;
    }
    copy = gw_strdup(s->p->ctx, name);
    if (!copy || gw_grow(s->p->ctx, (void **)&s->anchors, &s->anchors_cap, s->n_anchors + 1,
                         sizeof(*s->anchors))) {
        gw_free(s->p->ctx, copy);
        s->p->out_of_memory = true;
        return false;
    }
    s->anchors[s->n_anchors].name = copy;
    s->anchors[s->n_anchors].node = node;
    if (gw_keyset_insert(&s->anchor_index, s->anchors, s->n_anchors)) {
        gw_free(s->p->ctx, copy);
        s->p->out_of_memory = true;
        return false;
    }
    s->n_anchors++;
    return true;
}

static struct gw_node *
find_anchor(struct yaml_state *s, const char *name)
{
    size_t at = gw_keyset_find(&s->anchor_index, s->anchors, name);
    return at == SIZE_MAX ? NULL : s->anchors[at].node;
}

/* Attach a finished node to the open container, or make it the document's root. */
static void
attach(struct yaml_state *s, struct gw_node *node)
{
    if (s->depth == 0)
        s->root = node;
    else
        gw_node_append(s->stack[s->depth - 1], node);
}

static bool
push(struct yaml_state *s, struct gw_node *node, const char *anchor)
{
    if (gw_grow(s->p->ctx, (void **)&s->stack, &s->stack_cap, s->depth + 1, sizeof(*s->stack)) ||
        gw_grow(s->p->ctx, (void **)&s->pending, &s->pending_cap, s->depth + 1, sizeof(*s->pending))) {
        s->p->out_of_memory = true;
        return false;
    }
    s->pending[s->depth] = anchor ? gw_strdup(s->p->ctx, anchor) : NULL;
    s->stack[s->depth++] = node;
    return true;
}

static bool
pop(struct yaml_state *s)
{
    struct gw_node *node = s->stack[--s->depth];
    char *anchor = s->pending[s->depth];
    bool ok;

    s->pending[s->depth] = NULL;
    attach(s, node);
    ok = bind_anchor(s, anchor, node);
    gw_free(s->p->ctx, anchor);
    return ok;
}

static bool
on_scalar(struct yaml_state *s, const yaml_event_t *ev)
{
    struct gw_parser *p = s->p;
    unsigned line = line_of(s, ev->start_mark), column = column_of(ev->start_mark);
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    const char *tag = (const char *)ev->data.scalar.tag;
    struct gw_node *node;

    if (len > p->ctx->limits.max_string_bytes) {
        gw_parser_error(p, GW_CODE_LIMIT, line, column,
                        "scalar of %zu bytes is longer than %zu (limit max_string_bytes)", len,
                        p->ctx->limits.max_string_bytes);
        return false;
    }
    if (memchr(text, '\0', len)) {
        /* A "\0" escape: the string would be cut at it (a name "good\0evil" read as "good"). */
        gw_parser_error(p, GW_CODE_ENCODING, line, column,
                        "a string holds a NUL (\\0), which no Kubernetes string may hold");
        return false;
    }
    if (!gw_parser_charge(p, 1, line, column))
        return false;
    node = gw_node_new(p, GW_NODE_STRING, line, column);
    if (!node)
        return false;
    node->text = gw_arena_strndup(&p->nodes, text, len);
    node->len = len;
    if (!node->text) {
        p->out_of_memory = true;
        return false;
    }
    /* An untagged plain scalar is typed by its text; "!!str" keeps it a string; another
     * standard tag ("!!int") asks for the typing a plain scalar would get. */
    if (tag && strcmp(tag, YAML_STR_TAG) == 0)
        plain = false;
    else if (tag && strncmp(tag, "tag:yaml.org,2002:", 18) == 0)
        plain = true;
    /* A map key is only ever used as text: no need to type it. A plain "<<" key (or one
     * tagged !!merge) is a merge key. */
    if (s->depth > 0 && s->stack[s->depth - 1]->type == GW_NODE_MAP &&
        s->stack[s->depth - 1]->count % 2 == 0)
        node->merge = ((plain && !tag) || (tag && strcmp(tag, "tag:yaml.org,2002:merge") == 0)) &&
                      strcmp(node->text, "<<") == 0;
    else if (plain)
        gw_resolve_scalar(node);
    attach(s, node);
    return bind_anchor(s, (const char *)ev->data.scalar.anchor, node);
}

static bool
on_alias(struct yaml_state *s, const yaml_event_t *ev)
{
    struct gw_parser *p = s->p;
    unsigned line = line_of(s, ev->start_mark), column = column_of(ev->start_mark);
    struct gw_node *target = find_anchor(s, (const char *)ev->data.alias.anchor);
    struct gw_node *copy;

    if (!target) {
        gw_parser_error(p, GW_CODE_ALIAS, line, column, "alias *%s refers to no anchor before it",
                        (const char *)ev->data.alias.anchor);
        return false;
    }
    /* The alias shares the anchored subtree; only its weight is charged again, so that an
     * alias bomb is refused long before anything is expanded. */
    if (!gw_parser_charge(p, target->weight, line, column))
        return false;
    copy = gw_node_new(p, (enum gw_node_type)target->type, line, column);
    if (!copy)
        return false;
    *copy = *target;
    copy->next = NULL;
    attach(s, copy);
    return true;
}

static bool
on_container(struct yaml_state *s, const yaml_event_t *ev, enum gw_node_type type)
{
    struct gw_parser *p = s->p;
    unsigned line = line_of(s, ev->start_mark), column = column_of(ev->start_mark);
    const char *anchor = type == GW_NODE_MAP ? (const char *)ev->data.mapping_start.anchor
                                             : (const char *)ev->data.sequence_start.anchor;
    struct gw_node *node;

    if (s->depth >= p->ctx->limits.max_depth) {
        gw_parser_error(p, GW_CODE_LIMIT, line, column,
                        "nesting deeper than %zu levels (limit max_depth)",
                        p->ctx->limits.max_depth);
        return false;
    }
    if (!gw_parser_charge(p, 1, line, column))
        return false;
    node = gw_node_new(p, type, line, column);
    return node && push(s, node, anchor);
}

static bool
check_map_keys(struct yaml_state *s, const struct gw_node *map)
{
    for (const struct gw_node *k = map->first; k; k = k->next ? k->next->next : NULL) {
        if (!k->text) {
            gw_parser_error(s->p, GW_CODE_TYPE, k->line, k->column,
                            "a map key must be a scalar, found %s", gw_node_type_name(k));
            return false;
        }
    }
    return true;
}

static yaml_mark_t
mark_of_offset(const char *data, size_t len, size_t offset)
{
    yaml_mark_t mark = { 0, 0, 0 };

    for (size_t i = 0; i < offset && i < len; i++) {
        if (data[i] == '\n') {
            mark.line++;
            mark.column = 0;
        } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
            mark.column++;
        }
    }
    return mark;
}

/* Parse a YAML stream (one or more documents). Returns SIZE_MAX when it was read to its end,
 * or the offset of the first error, from which the caller resumes at the next document. */
size_t
gw_parse_yaml(struct gw_parser *p, const char *data, size_t len, unsigned first_line)
{
    struct yaml_state s = { 0 };
    yaml_parser_t parser;
    bool done = false;
    size_t stop = SIZE_MAX;

    s.p = p;
    s.line_offset = first_line ? first_line - 1 : 0;
    gw_keyset_init(&s.anchor_index, p->ctx, sizeof(struct anchor));
    if (!yaml_parser_initialize(&parser)) {
        p->out_of_memory = true;
        return len;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    while (!done && !p->out_of_memory) {
        yaml_event_t ev;
        bool ok = true;

        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_mark_t mark = parser.problem_mark;
            stop = parser.error == YAML_READER_ERROR ? parser.problem_offset : mark.index;
            if (parser.error == YAML_READER_ERROR) {
                /* The reader reports a byte offset, not a line: find the line ourselves. */
                yaml_mark_t at = mark_of_offset(data, len, parser.problem_offset);
                gw_parser_error(p, GW_CODE_ENCODING, line_of(&s, at), column_of(at),
                                "%s (byte 0x%02x)", parser.problem ? parser.problem : "bad input",
                                (unsigned)parser.problem_value & 0xffu);
            } else if (parser.error == YAML_MEMORY_ERROR) {
                p->out_of_memory = true;
            } else if (parser.context)
                gw_parser_error(p, GW_CODE_SYNTAX, line_of(&s, mark), column_of(mark),
                                "%s %s (line %u)%s",
                                parser.problem ? parser.problem : "syntax error", parser.context,
                                line_of(&s, parser.context_mark),
                                mark.index < len && data[mark.index] == '\t'
                                    ? "; YAML cannot indent with tabs" : "");
            else
                gw_parser_error(p, GW_CODE_SYNTAX, line_of(&s, mark), column_of(mark), "%s",
                                parser.problem ? parser.problem : "syntax error");
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            gw_arena_reset(&p->nodes);
            p->weight = 0;
            s.root = NULL;
            forget_anchors(&s);
            break;
        case YAML_DOCUMENT_END_EVENT:
            p->on_document(p->user, s.root);
            s.root = NULL;
            break;
        case YAML_SCALAR_EVENT:
            ok = on_scalar(&s, &ev);
            break;
        case YAML_ALIAS_EVENT:
            ok = on_alias(&s, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            ok = on_container(&s, &ev, GW_NODE_SEQ);
            break;
        case YAML_MAPPING_START_EVENT:
            ok = on_container(&s, &ev, GW_NODE_MAP);
            break;
        case YAML_SEQUENCE_END_EVENT:
            ok = pop(&s);
            break;
        case YAML_MAPPING_END_EVENT:
            ok = check_map_keys(&s, s.stack[s.depth - 1]) &&
                 gw_merge_keys(p, s.stack[s.depth - 1]) && pop(&s);
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            break;
        }
        if (!ok)
            stop = ev.start_mark.index;
        yaml_event_delete(&ev);
        if (!ok)
            break;
    }
    forget_anchors(&s);
    gw_keyset_release(&s.anchor_index);
    gw_free(p->ctx, s.anchors);
    gw_free(p->ctx, s.pending);
    gw_free(p->ctx, s.stack);
    yaml_parser_delete(&parser);
    return stop == SIZE_MAX || stop <= len ? stop : len;
}
