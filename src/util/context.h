/* The context and the allocation helpers every stage uses. */
#ifndef GW_UTIL_CONTEXT_H
#define GW_UTIL_CONTEXT_H

#include <pthread.h>
#include <stddef.h>

#include "gatewayapi/context.h"
#include "util/refcount.h"

struct gw_patterns;

struct gwapi_ctx {
    gw_refcount refs;
    gwapi_allocator allocator;
    gwapi_limits limits; /* defaults filled in */
    /* Compiled regular expressions, made on first validation and shared by every thread that
     * validates through this context; the lock guards their creation. */
    pthread_mutex_t lock;
    struct gw_patterns *patterns;
};

void *gw_alloc(const gwapi_ctx *ctx, size_t size);
void *gw_calloc(const gwapi_ctx *ctx, size_t count, size_t size);
void *gw_realloc(const gwapi_ctx *ctx, void *ptr, size_t size);
void gw_free(const gwapi_ctx *ctx, void *ptr);
char *gw_strdup(const gwapi_ctx *ctx, const char *s);

/* Grow *items (of item_size bytes each) so that it holds at least need items. */
int gw_grow(const gwapi_ctx *ctx, void **items, size_t *capacity, size_t need, size_t item_size);

#endif
