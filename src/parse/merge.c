/* YAML merge keys ("<<"), resolved as kubectl resolves them (go-yaml, before the API server
 * sees JSON): the keys of the merged map, or of each map of a merged list (earlier maps first),
 * join the map unless it already has them; a key written in the map always wins. */
#include <string.h>

#include "parse/merge.h"
#include "util/context.h"
#include "util/diag.h"
#include "util/keyset.h"

/* A copy of a node's header, to link into another list: the shared node keeps its siblings. */
static struct gw_node *
copy_of(struct gw_parser *p, const struct gw_node *n)
{
    struct gw_node *copy = gw_node_new(p, (enum gw_node_type)n->type, n->line, n->column);
    if (copy) {
        *copy = *n;
        copy->next = NULL;
    }
    return copy;
}

struct merged {
    const char **keys; /* of the map being built, for the keyset */
    size_t n;
    struct gw_keyset index;
};

/* Append key and value unless the map has the key; false when out of memory. */
static bool
add_pair(struct gw_parser *p, struct gw_node *map, struct merged *m, struct gw_node *key,
         struct gw_node *value, bool copy)
{
    if (gw_keyset_find(&m->index, m->keys, key->text) != SIZE_MAX)
        return true;
    if (copy) {
        if (!gw_parser_charge(p, 2, key->line, key->column))
            return false;
        key = copy_of(p, key);
        value = key ? copy_of(p, value) : NULL;
        if (!value)
            return false;
    }
    m->keys[m->n] = key->text;
    if (gw_keyset_insert(&m->index, m->keys, m->n++)) {
        p->out_of_memory = true;
        return false;
    }
    gw_node_append(map, key);
    gw_node_append(map, value);
    return true;
}

static bool
merge_map(struct gw_parser *p, struct gw_node *map, struct merged *m, const struct gw_node *from)
{
    for (struct gw_node *k = from->first; k && k->next; k = k->next->next)
        if (!add_pair(p, map, m, k, k->next, true))
            return false;
    return true;
}

static bool
is_map(const struct gw_node *n)
{
    return n && n->type == GW_NODE_MAP;
}

bool
gw_merge_keys(struct gw_parser *p, struct gw_node *map)
{
    struct gw_node *first = map->first, *k, *next;
    const struct gw_node **sources;
    struct merged m = { NULL, 0, { 0 } };
    size_t pairs = map->count / 2, n_sources = 0;
    bool ok = true;

    for (k = first; k && k->next && !k->merge; k = k->next->next)
        ;
    if (!k || !k->next)
        return true; /* no merge key: the common case costs one pass */
    /* Every value of a merge key is a map or a list of maps, checked before anything moves. */
    for (k = first; k && k->next; k = k->next->next) {
        const struct gw_node *v = k->next;
        bool maps = is_map(v);
        if (!k->merge)
            continue;
        if (v->type == GW_NODE_SEQ) {
            maps = true;
            for (const struct gw_node *e = v->first; e; e = e->next)
                maps &= is_map(e);
        }
        if (!maps) {
            gw_parser_error(p, GW_CODE_MERGE_KEY, k->line, k->column,
                            "the value of a merge key (<<) must be a map or a list of maps, "
                            "found %s", gw_node_type_name(v));
            return false;
        }
    }
    /* Room for every key (the map's own, and each merged map's), and the merged values in
     * order: the list is relinked below. */
    for (k = first; k && k->next; k = k->next->next) {
        if (!k->merge)
            continue;
        n_sources++;
        if (is_map(k->next))
            pairs += k->next->count / 2;
        else
            for (const struct gw_node *e = k->next->first; e; e = e->next)
                pairs += e->count / 2;
    }
    m.keys = gw_arena_alloc(&p->nodes, pairs * sizeof(*m.keys), _Alignof(const char *));
    sources = gw_arena_alloc(&p->nodes, n_sources * sizeof(*sources), _Alignof(struct gw_node *));
    if (!m.keys || !sources) {
        p->out_of_memory = true;
        return false;
    }
    n_sources = 0;
    for (k = first; k && k->next; k = k->next->next)
        if (k->merge)
            sources[n_sources++] = k->next;
    gw_keyset_init(&m.index, p->ctx, sizeof(*m.keys));
    /* The map's own keys first (a repeated one stays repeated, for the decoder to report). */
    map->first = map->last = NULL;
    map->count = 0;
    map->weight = 1;
    for (k = first; k && k->next && ok; k = next) {
        struct gw_node *v = k->next;
        next = v->next;
        if (k->merge)
            continue;
        if (gw_keyset_find(&m.index, m.keys, k->text) == SIZE_MAX) {
            m.keys[m.n] = k->text;
            if (gw_keyset_insert(&m.index, m.keys, m.n++)) {
                p->out_of_memory = true;
                ok = false;
            }
        }
        gw_node_append(map, k);
        gw_node_append(map, v);
    }
    for (size_t i = 0; i < n_sources && ok; i++) {
        if (is_map(sources[i]))
            ok = merge_map(p, map, &m, sources[i]);
        else
            for (const struct gw_node *e = sources[i]->first; e && ok; e = e->next)
                ok = merge_map(p, map, &m, e);
    }
    gw_keyset_release(&m.index);
    return ok;
}
