#include "util/pcre.h"

#include "util/context.h"

static void *
ctx_alloc(PCRE2_SIZE size, void *data)
{
    return gw_alloc(data, size);
}

static void
ctx_free(void *p, void *data)
{
    gw_free(data, p);
}

pcre2_general_context *
gw_pcre_memory(const gwapi_ctx *ctx)
{
    return pcre2_general_context_create(ctx_alloc, ctx_free, (void *)ctx);
}
