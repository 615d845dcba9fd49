/* A bump allocator: many small allocations released together. */
#ifndef GW_UTIL_ARENA_H
#define GW_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "gatewayapi/context.h"

struct gw_arena_chunk;

struct gw_arena {
    const gwapi_ctx *ctx;
    struct gw_arena_chunk *chunks; /* newest first */
    size_t chunk_size;
    size_t bytes;                  /* bytes obtained from the allocator */
};

void gw_arena_init(struct gw_arena *arena, const gwapi_ctx *ctx, size_t chunk_size);
/* Zeroed memory aligned to align (a power of two); NULL when out of memory. */
void *gw_arena_alloc(struct gw_arena *arena, size_t size, size_t align);
char *gw_arena_strndup(struct gw_arena *arena, const char *s, size_t len);
/* A formatted string of any length; NULL when out of memory. */
char *gw_arena_printf(struct gw_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *gw_arena_vprintf(struct gw_arena *arena, const char *fmt, va_list ap);
/* Release everything but the first chunk, which is kept for reuse. */
void gw_arena_reset(struct gw_arena *arena);
void gw_arena_release(struct gw_arena *arena);

#endif
