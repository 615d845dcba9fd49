#include "util/intern.h"

#include <stdint.h>
#include <string.h>

/* Longer strings are rarely repeated; they are copied as they are. */
#define INTERN_MAX_LEN 64

void
gw_interner_init(struct gw_interner *in, struct gw_arena *arena)
{
    memset(in, 0, sizeof(*in));
    in->arena = arena;
}

const char *
gw_intern(struct gw_interner *in, const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    const char **slot;
    char *copy;

    if (len > INTERN_MAX_LEN)
        return gw_arena_strndup(in->arena, s, len);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    slot = &in->slots[h % GW_INTERN_SLOTS];
    /* strncmp, not memcmp: the string in the slot may be shorter than len, and end where its
     * arena chunk ends. */
    if (*slot && strncmp(*slot, s, len) == 0 && (*slot)[len] == '\0')
        return *slot;
    copy = gw_arena_strndup(in->arena, s, len);
    if (copy)
        *slot = copy;
    return copy;
}
