/* Stores: reference-counted arenas shared between versions (see store.h). */
#include <string.h>

#include "util/context.h"
#include "util/store.h"

struct gw_store *
gw_store_new(const gwapi_ctx *ctx, size_t size, size_t chunk)
{
    struct gw_store *store = gw_calloc(ctx, 1, size < sizeof(*store) ? sizeof(*store) : size);

    if (!store)
        return NULL;
    gw_ref_init(&store->refs);
    gw_arena_init(&store->arena, ctx, chunk);
    return store;
}

void
gw_store_unref(struct gw_store *store)
{
    const gwapi_ctx *ctx;

    if (!store || !gw_ref_dec(&store->refs))
        return;
    if (store->finish)
        store->finish(store);
    ctx = store->arena.ctx;
    gw_arena_release(&store->arena);
    gw_free(ctx, store);
}

bool
gw_stores_init(struct gw_stores *s, const gwapi_ctx *ctx, struct gw_store *own,
               const struct gw_stores *from)
{
    size_t n = 1 + (from ? from->n : 0);

    s->n = 0;
    s->items = gw_calloc(ctx, n, sizeof(*s->items));
    if (!s->items)
        return false;
    s->items[s->n++] = own;
    /* The inherited ones oldest first: the first is then always the one built from scratch. */
    for (size_t i = 1; from && i < from->n; i++) {
        gw_ref_inc(&from->items[i]->refs);
        s->items[s->n++] = from->items[i];
    }
    if (from) {
        gw_ref_inc(&from->items[0]->refs);
        s->items[s->n++] = from->items[0];
    }
    return true;
}

void
gw_stores_release(struct gw_stores *s, const gwapi_ctx *ctx)
{
    for (size_t i = 0; i < s->n; i++)
        gw_store_unref(s->items[i]);
    gw_free(ctx, s->items);
    s->items = NULL;
    s->n = 0;
}

size_t
gw_stores_added_bytes(const struct gw_stores *s)
{
    size_t bytes = 0;

    for (size_t i = 2; i < s->n; i++)
        bytes += s->items[i]->arena.bytes;
    return bytes;
}
