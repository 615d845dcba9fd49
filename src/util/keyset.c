#include "util/keyset.h"

#include <string.h>

#include "util/context.h"

/* FNV-1a: short keys, and a hostile input gains nothing but its own slowness. */
static uint64_t
hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static const char *
key_at(const struct gw_keyset *set, const void *items, size_t at)
{
    return *(const char *const *)(const void *)((const char *)items + at * set->stride);
}

void
gw_keyset_init(struct gw_keyset *set, const gwapi_ctx *ctx, size_t stride)
{
    memset(set, 0, sizeof(*set));
    set->ctx = ctx;
    set->stride = stride;
}

size_t
gw_keyset_find(const struct gw_keyset *set, const void *items, const char *key)
{
    if (!set->slots)
        return SIZE_MAX;
    for (size_t i = hash(key) & set->mask; set->slots[i]; i = (i + 1) & set->mask)
        if (strcmp(key_at(set, items, set->slots[i] - 1), key) == 0)
            return set->slots[i] - 1;
    return SIZE_MAX;
}

static void
place(uint32_t *slots, size_t mask, uint64_t h, uint32_t value)
{
    size_t i = h & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = value;
}

int
gw_keyset_insert(struct gw_keyset *set, const void *items, size_t at)
{
    /* Kept at most half full, so that probes stay short. */
    if (2 * (set->count + 1) > (set->slots ? set->mask + 1 : 0)) {
        size_t n = set->slots ? 2 * (set->mask + 1) : 16;
        uint32_t *grown;
        if (n > UINT32_MAX / 2)
            return GWAPI_ELIMIT;
        grown = gw_alloc(set->ctx, n * sizeof(*grown));
        if (!grown)
            return GWAPI_ENOMEM;
        memset(grown, 0, n * sizeof(*grown));
        for (size_t i = 0; set->slots && i <= set->mask; i++)
            if (set->slots[i])
                place(grown, n - 1, hash(key_at(set, items, set->slots[i] - 1)), set->slots[i]);
        gw_free(set->ctx, set->slots);
        set->slots = grown;
        set->mask = n - 1;
    }
    place(set->slots, set->mask, hash(key_at(set, items, at)), (uint32_t)at + 1);
    set->count++;
    return GWAPI_OK;
}

void
gw_keyset_clear(struct gw_keyset *set)
{
    if (set->slots)
        memset(set->slots, 0, (set->mask + 1) * sizeof(*set->slots));
    set->count = 0;
}

void
gw_keyset_release(struct gw_keyset *set)
{
    gw_free(set->ctx, set->slots);
    set->slots = NULL;
    set->mask = set->count = 0;
}
