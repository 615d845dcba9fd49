/* Regular expressions of paths, headers and query values: anchored at both ends, PCRE2
 * syntax. A match allocates nothing: the interpreter's backtracking frames live in a buffer
 * on the caller's stack, the JIT uses its own default stack, and both stop at the limits
 * below rather than run for long, reporting that they stopped. */
#include "router/regex.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gatewayapi/router.h"
#include "util/context.h"
#include "util/pcre.h"

void
gw_regexes_init(struct rt_regexes *rx, const gwapi_ctx *ctx)
{
    memset(rx, 0, sizeof(*rx));
    rx->ctx = ctx;
    rx->memory = gw_pcre_memory(ctx);
}

void
gw_regexes_release(struct rt_regexes *rx)
{
    for (size_t i = 0; i < rx->n; i++) {
        pcre2_code_free(rx->patterns[i].code);
        gw_free(rx->ctx, (void *)rx->patterns[i].text);
    }
    gw_free(rx->ctx, rx->patterns);
    gw_free(rx->ctx, rx->slots);
    pcre2_general_context_free(rx->memory);
    memset(rx, 0, sizeof(*rx));
}

static size_t
hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

static size_t
find_slot(const struct rt_regexes *rx, const char *text, size_t hash)
{
    size_t mask = rx->n_slots - 1, i = hash & mask;

    while (rx->slots[i] && (rx->patterns[rx->slots[i] - 1].hash != hash ||
                            strcmp(rx->patterns[rx->slots[i] - 1].text, text) != 0))
        i = (i + 1) & mask;
    return i;
}

static bool
grow_slots(struct rt_regexes *rx)
{
    size_t n_slots = rx->n_slots ? rx->n_slots * 2 : 64;
    size_t *slots = gw_calloc(rx->ctx, n_slots, sizeof(*slots));

    if (!slots)
        return false;
    gw_free(rx->ctx, rx->slots);
    rx->slots = slots;
    rx->n_slots = n_slots;
    for (size_t i = 0; i < rx->n; i++)
        rx->slots[find_slot(rx, rx->patterns[i].text, rx->patterns[i].hash)] = i + 1;
    return true;
}

bool
gw_regex_compile(struct rt_regexes *rx, const char *pattern, pcre2_code **out, char *msg,
                 size_t msg_size, size_t *offset)
{
    size_t hash = hash_text(pattern), slot;
    struct rt_pattern *p;
    int error;
    PCRE2_SIZE at;

    *out = NULL;
    msg[0] = '\0';
    if (!rx->memory || ((rx->n + 1) * 2 > rx->n_slots && !grow_slots(rx)))
        return false;
    slot = find_slot(rx, pattern, hash);
    if (rx->slots[slot]) {
        p = &rx->patterns[rx->slots[slot] - 1];
        if (!p->code)
            snprintf(msg, msg_size, "does not compile (see its first use)");
        *out = p->code;
        return true;
    }
    if (gw_grow(rx->ctx, (void **)&rx->patterns, &rx->capacity, rx->n + 1, sizeof(*rx->patterns)))
        return false;
    p = &rx->patterns[rx->n];
    p->hash = hash;
    p->text = gw_strdup(rx->ctx, pattern);
    if (!p->text)
        return false;
    {
        pcre2_compile_context *cc = pcre2_compile_context_create(rx->memory);
        p->code = cc ? pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &error, &at,
                                     cc)
                     : NULL;
        pcre2_compile_context_free(cc);
        if (!cc) {
            gw_free(rx->ctx, (void *)p->text);
            return false;
        }
    }
    if (!p->code) {
        PCRE2_UCHAR text[256];
        pcre2_get_error_message(error, text, sizeof(text));
        snprintf(msg, msg_size, "%s", (const char *)text);
        *offset = (size_t)at;
    }
#ifndef GWAPI_NO_JIT
    else if (rx->jitted < GW_REGEX_JIT_BUDGET) {
        if (pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0)
            rx->jitted++;
        else
            rx->jit_unavailable = true;
    }
#else
    else
        rx->jit_unavailable = true;
#endif
    rx->slots[slot] = ++rx->n;
    *out = p->code;
    return true;
}

/* The interpreter's frames: a bump allocator over the caller's buffer. */
struct frames {
    char *buf;
    size_t size, used;
};

static void *
frames_alloc(PCRE2_SIZE size, void *data)
{
    struct frames *f = data;
    size_t start = (f->used + 15) & ~(size_t)15;

    if (start + size > f->size)
        return NULL;
    f->used = start + size;
    return f->buf + start;
}

static void
frames_free(void *p, void *data)
{
    (void)p;
    (void)data;
}

enum rt_regex_result
gw_regex_match(const pcre2_code *re, const char *s, size_t len)
{
    _Alignas(16) char buf[GWAPI_ROUTER_REGEX_HEAP_BYTES];
    struct frames frames = { buf, sizeof(buf), 0 };
    pcre2_general_context *gc;
    pcre2_match_context *mc;
    pcre2_match_data *md;
    int rc;

    /* The contexts themselves come from the same buffer: nothing touches the heap. */
    gc = pcre2_general_context_create(frames_alloc, frames_free, &frames);
    mc = gc ? pcre2_match_context_create(gc) : NULL;
    md = gc ? pcre2_match_data_create(1, gc) : NULL;
    if (!mc || !md)
        return RT_REGEX_LIMIT;
    pcre2_set_match_limit(mc, GWAPI_ROUTER_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(mc, GWAPI_ROUTER_REGEX_DEPTH_LIMIT);
    /* In kibibytes: what is left of the buffer for the interpreter's frames. */
    pcre2_set_heap_limit(mc, (uint32_t)((frames.size - frames.used) / 1024));
    rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, mc);
    if (rc >= 0)
        return RT_REGEX_YES;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
        return RT_REGEX_NO;
    /* A value that is not UTF-8 is not one the (UTF) pattern can describe. */
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        return RT_REGEX_NO;
    /* Match, depth or heap limit, JIT stack, or a subject that is not UTF-8: the expression
     * cannot say, and a silent "no" would hand the request to another rule. */
    return RT_REGEX_LIMIT;
}
