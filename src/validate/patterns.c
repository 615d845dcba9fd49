#include "validate/patterns.h"

#include <pthread.h>
#include <string.h>

#include "model/schema.h"
#include "util/context.h"
#include "util/pcre.h"

static const char *const cel_patterns[GW_CEL_PATTERN_COUNT] = {
    [GW_CEL_PATTERN_HOSTNAME] =
        "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    [GW_CEL_PATTERN_QUALIFIED_KEY] =
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
        "([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$",
    [GW_CEL_PATTERN_GRPC_SERVICE] = "^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$",
    [GW_CEL_PATTERN_GRPC_METHOD] = "^[A-Za-z_][A-Za-z_0-9]*$",
    [GW_CEL_PATTERN_PATH] = "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$",
    [GW_CEL_PATTERN_RFC1123] =
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$",
};

size_t
gw_cel_pattern_index(enum gw_cel_pattern p)
{
    return gw_schema_pattern_count + (size_t)p;
}

static pcre2_code *
compile(const char *pattern, pcre2_compile_context *cc)
{
    int error;
    PCRE2_SIZE offset;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &error, &offset, cc);

    if (code)
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT it still matches, slower */
    return code;
}

void
gw_patterns_free(const gwapi_ctx *ctx, struct gw_patterns *patterns)
{
    if (!patterns)
        return;
    for (size_t i = 0; i < patterns->count; i++)
        pcre2_code_free(patterns->codes[i]);
    pcre2_general_context_free(patterns->memory);
    gw_free(ctx, patterns->codes);
    gw_free(ctx, patterns);
}

/* Every pattern, through the context's allocator; NULL when memory runs out (the shipped
 * patterns always compile otherwise), so that validation never passes for want of one. */
static struct gw_patterns *
compile_all(const gwapi_ctx *ctx)
{
    struct gw_patterns *patterns = gw_calloc(ctx, 1, sizeof(*patterns));
    size_t n = gw_schema_pattern_count + GW_CEL_PATTERN_COUNT;
    pcre2_compile_context *cc = NULL;

    if (!patterns)
        return NULL;
    patterns->codes = gw_calloc(ctx, n, sizeof(*patterns->codes));
    patterns->memory = gw_pcre_memory(ctx);
    if (patterns->memory)
        cc = pcre2_compile_context_create(patterns->memory);
    if (!patterns->codes || !cc) {
        pcre2_compile_context_free(cc);
        gw_patterns_free(ctx, patterns);
        return NULL;
    }
    patterns->count = n;
    for (size_t i = 0; i < n; i++) {
        const char *p = i < gw_schema_pattern_count ? gw_schema_patterns[i]
                                                     : cel_patterns[i - gw_schema_pattern_count];
        patterns->codes[i] = compile(p, cc);
        if (!patterns->codes[i]) {
            pcre2_compile_context_free(cc);
            gw_patterns_free(ctx, patterns);
            return NULL;
        }
    }
    pcre2_compile_context_free(cc);
    return patterns;
}

const struct gw_patterns *
gw_patterns_get(gwapi_ctx *ctx)
{
    struct gw_patterns *patterns;

    pthread_mutex_lock(&ctx->lock);
    if (!ctx->patterns)
        ctx->patterns = compile_all(ctx);
    patterns = ctx->patterns;
    pthread_mutex_unlock(&ctx->lock);
    return patterns;
}

bool
gw_patterns_match(const struct gw_patterns *patterns, size_t index, pcre2_match_data *md,
                  const char *s)
{
    pcre2_code *code = patterns->codes[index];

    return pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0;
}
