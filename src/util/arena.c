#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/context.h"

struct gw_arena_chunk {
    struct gw_arena_chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    max_align_t data[];
};

void
gw_arena_init(struct gw_arena *arena, const gwapi_ctx *ctx, size_t chunk_size)
{
    arena->ctx = ctx;
    arena->chunks = NULL;
    arena->chunk_size = chunk_size < 256 ? 256 : chunk_size;
    arena->bytes = 0;
}

static struct gw_arena_chunk *
new_chunk(struct gw_arena *arena, size_t need)
{
    size_t size = arena->chunk_size;
    struct gw_arena_chunk *chunk;

    if (need > size)
        size = need;
    if (size > SIZE_MAX - sizeof(*chunk))
        return NULL;
    chunk = gw_alloc(arena->ctx, sizeof(*chunk) + size);
    if (!chunk)
        return NULL;
    chunk->size = size;
    chunk->used = 0;
    chunk->next = arena->chunks;
    arena->chunks = chunk;
    arena->bytes += sizeof(*chunk) + size;
    return chunk;
}

static void *
arena_take(struct gw_arena *arena, size_t size, size_t align)
{
    struct gw_arena_chunk *chunk = arena->chunks;
    size_t start = 0;
    void *p;

    if (align == 0)
        align = 1;
    if (chunk) {
        start = (chunk->used + align - 1) & ~(align - 1);
        if (start > chunk->size || chunk->size - start < size)
            chunk = NULL;
    }
    if (!chunk) {
        if (size > SIZE_MAX - align)
            return NULL;
        chunk = new_chunk(arena, size + align);
        if (!chunk)
            return NULL;
        start = 0;
    }
    p = (char *)chunk->data + start;
    chunk->used = start + size;
    return p;
}

void *
gw_arena_alloc(struct gw_arena *arena, size_t size, size_t align)
{
    void *p = arena_take(arena, size, align);

    if (p)
        memset(p, 0, size);
    return p;
}

char *
gw_arena_strndup(struct gw_arena *arena, const char *s, size_t len)
{
    char *copy;

    if (len == SIZE_MAX)
        return NULL;
    copy = arena_take(arena, len + 1, 1); /* filled right away: no need to zero it */
    if (copy) {
        if (len)
            memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

char *
gw_arena_vprintf(struct gw_arena *arena, const char *fmt, va_list ap)
{
    va_list again;
    char small[256];
    char *s;
    int n;

    va_copy(again, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n < 0) {
        va_end(again);
        return NULL;
    }
    if ((size_t)n < sizeof(small)) {
        va_end(again);
        return gw_arena_strndup(arena, small, (size_t)n);
    }
    s = gw_arena_alloc(arena, (size_t)n + 1, 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

char *
gw_arena_printf(struct gw_arena *arena, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = gw_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return s;
}

void
gw_arena_reset(struct gw_arena *arena)
{
    struct gw_arena_chunk *chunk = arena->chunks, *last = NULL;

    while (chunk && chunk->next) {
        struct gw_arena_chunk *next = chunk->next;
        arena->bytes -= sizeof(*chunk) + chunk->size;
        gw_free(arena->ctx, chunk);
        chunk = next;
    }
    last = chunk;
    if (last)
        last->used = 0;
    arena->chunks = last;
}

void
gw_arena_release(struct gw_arena *arena)
{
    struct gw_arena_chunk *chunk = arena->chunks;

    while (chunk) {
        struct gw_arena_chunk *next = chunk->next;
        gw_free(arena->ctx, chunk);
        chunk = next;
    }
    arena->chunks = NULL;
    arena->bytes = 0;
}
