#include "validate/patterns.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "model/schema.h"
#include "util/context.h"

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
compile(const char *pattern)
{
    int error;
    PCRE2_SIZE offset;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &error, &offset, NULL);

    if (code)
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT it still matches, slower */
    return code;
}

void
gw_patterns_free(struct gw_patterns *patterns)
{
    if (!patterns)
        return;
    for (size_t i = 0; i < patterns->count; i++)
        pcre2_code_free(patterns->codes[i]);
    free(patterns->codes);
    free(patterns);
}

static struct gw_patterns *
compile_all(void)
{
    struct gw_patterns *patterns = calloc(1, sizeof(*patterns));
    size_t n = gw_schema_pattern_count + GW_CEL_PATTERN_COUNT;

    if (!patterns)
        return NULL;
    patterns->codes = calloc(n, sizeof(*patterns->codes));
    if (!patterns->codes) {
        free(patterns);
        return NULL;
    }
    patterns->count = n;
    for (size_t i = 0; i < n; i++) {
        const char *p = i < gw_schema_pattern_count ? gw_schema_patterns[i]
                                                     : cel_patterns[i - gw_schema_pattern_count];
        patterns->codes[i] = compile(p);
        if (!patterns->codes[i])
            patterns->failed = true;
    }
    return patterns;
}

const struct gw_patterns *
gw_patterns_get(gwapi_ctx *ctx)
{
    struct gw_patterns *patterns;

    pthread_mutex_lock(&ctx->lock);
    if (!ctx->patterns)
        ctx->patterns = compile_all();
    patterns = ctx->patterns;
    pthread_mutex_unlock(&ctx->lock);
    return patterns;
}

bool
gw_patterns_match(const struct gw_patterns *patterns, size_t index, pcre2_match_data *md,
                  const char *s)
{
    pcre2_code *code = index < patterns->count ? patterns->codes[index] : NULL;

    /* A pattern that could not be compiled rejects nothing rather than everything. */
    if (!code)
        return true;
    return pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0;
}
