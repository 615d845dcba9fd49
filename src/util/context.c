#include "util/context.h"

#include "validate/patterns.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *
libc_alloc(void *user_data, size_t size)
{
    (void)user_data;
    return malloc(size);
}

static void *
libc_realloc(void *user_data, void *ptr, size_t size)
{
    (void)user_data;
    return realloc(ptr, size);
}

static void
libc_free(void *user_data, void *ptr)
{
    (void)user_data;
    free(ptr);
}

static const gwapi_allocator libc_allocator = {
    sizeof(gwapi_allocator), libc_alloc, libc_realloc, libc_free, NULL,
};

static void
fill_default_limits(gwapi_limits *limits)
{
    if (limits->max_document_bytes == 0)
        limits->max_document_bytes = 16u << 20;
    if (limits->max_depth == 0)
        limits->max_depth = 64;
    if (limits->max_nodes == 0)
        limits->max_nodes = 1000000;
    if (limits->max_objects == 0)
        limits->max_objects = 1000000;
    if (limits->max_string_bytes == 0)
        limits->max_string_bytes = 1u << 20;
    if (limits->max_input_bytes == 0)
        limits->max_input_bytes = (size_t)256 << 20;
}

GWAPI_EXPORT int
gwapi_ctx_new_with_allocator(gwapi_ctx **out, const gwapi_allocator *allocator)
{
    gwapi_ctx *ctx;

    if (!out)
        return GWAPI_EINVAL;
    *out = NULL;
    if (!allocator)
        allocator = &libc_allocator;
    if (allocator->size < sizeof(gwapi_allocator) || !allocator->alloc || !allocator->realloc ||
        !allocator->free)
        return GWAPI_EINVAL;
    ctx = allocator->alloc(allocator->user_data, sizeof(*ctx));
    if (!ctx)
        return GWAPI_ENOMEM;
    memset(ctx, 0, sizeof(*ctx));
    gw_ref_init(&ctx->refs);
    ctx->allocator = *allocator;
    pthread_mutex_init(&ctx->lock, NULL);
    ctx->limits.size = sizeof(gwapi_limits);
    fill_default_limits(&ctx->limits);
    *out = ctx;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_ctx_new(gwapi_ctx **out)
{
    return gwapi_ctx_new_with_allocator(out, NULL);
}

GWAPI_EXPORT gwapi_ctx *
gwapi_ctx_ref(gwapi_ctx *ctx)
{
    if (ctx)
        gw_ref_inc(&ctx->refs);
    return ctx;
}

GWAPI_EXPORT void
gwapi_ctx_unref(gwapi_ctx *ctx)
{
    if (!ctx || !gw_ref_dec(&ctx->refs))
        return;
    gw_patterns_free(ctx, ctx->patterns);
    pthread_mutex_destroy(&ctx->lock);
    ctx->allocator.free(ctx->allocator.user_data, ctx);
}

GWAPI_EXPORT int
gwapi_ctx_set_limits(gwapi_ctx *ctx, const gwapi_limits *limits)
{
    gwapi_limits copy = GWAPI_LIMITS_INIT;

    if (!ctx || !limits || limits->size < sizeof(size_t))
        return GWAPI_EINVAL;
    /* A caller built against an older, smaller struct leaves the newer fields at 0. */
    memcpy(&copy, limits, limits->size < sizeof(copy) ? limits->size : sizeof(copy));
    copy.size = sizeof(copy);
    fill_default_limits(&copy);
    ctx->limits = copy;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_ctx_get_limits(const gwapi_ctx *ctx, gwapi_limits *out)
{
    size_t size;

    if (!ctx || !out || out->size < sizeof(size_t))
        return GWAPI_EINVAL;
    size = out->size < sizeof(ctx->limits) ? out->size : sizeof(ctx->limits);
    memcpy(out, &ctx->limits, size);
    out->size = size;
    return GWAPI_OK;
}

void *
gw_alloc(const gwapi_ctx *ctx, size_t size)
{
    if (!ctx)
        return malloc(size);
    return ctx->allocator.alloc(ctx->allocator.user_data, size);
}

void *
gw_calloc(const gwapi_ctx *ctx, size_t count, size_t size)
{
    void *p;

    if (size && count > SIZE_MAX / size)
        return NULL;
    p = gw_alloc(ctx, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *
gw_realloc(const gwapi_ctx *ctx, void *ptr, size_t size)
{
    if (!ctx)
        return realloc(ptr, size);
    return ctx->allocator.realloc(ctx->allocator.user_data, ptr, size);
}

void
gw_free(const gwapi_ctx *ctx, void *ptr)
{
    if (!ctx)
        free(ptr);
    else
        ctx->allocator.free(ctx->allocator.user_data, ptr);
}

char *
gw_strdup(const gwapi_ctx *ctx, const char *s)
{
    size_t len;
    char *copy;

    if (!s)
        return NULL;
    len = strlen(s);
    copy = gw_alloc(ctx, len + 1);
    if (copy)
        memcpy(copy, s, len + 1);
    return copy;
}

int
gw_grow(const gwapi_ctx *ctx, void **items, size_t *capacity, size_t need, size_t item_size)
{
    size_t cap = *capacity ? *capacity : 8;
    void *grown;

    if (need <= *capacity)
        return 0;
    while (cap < need)
        cap *= 2;
    if (cap > SIZE_MAX / item_size)
        return GWAPI_ENOMEM;
    grown = gw_realloc(ctx, *items, cap * item_size);
    if (!grown)
        return GWAPI_ENOMEM;
    *items = grown;
    *capacity = cap;
    return 0;
}
