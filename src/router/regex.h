/* The router's regular expressions: compiled once per distinct pattern, matched with bounded
 * time and memory, with or without PCRE2's JIT. */
#ifndef GW_ROUTER_REGEX_H
#define GW_ROUTER_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "gatewayapi/context.h"

/* Patterns beyond this many are matched by the interpreter: each JIT-compiled pattern holds
 * tens of kilobytes of machine code. */
#define GW_REGEX_JIT_BUDGET 4096

struct rt_regexes {
    const gwapi_ctx *ctx;
    pcre2_general_context *memory;   /* compiles through the context's allocator */
    struct rt_pattern {              /* distinct patterns, by hash */
        const char *text;            /* owned */
        pcre2_code *code;            /* NULL: did not compile */
        size_t hash;
    } *patterns;
    size_t n, capacity;
    size_t *slots;                   /* open addressing over patterns: index + 1 */
    size_t n_slots;
    size_t jitted;                   /* patterns compiled by the JIT */
    bool jit_unavailable;            /* the JIT refused a pattern (or is not built) */
};

enum rt_regex_result { RT_REGEX_NO = 0, RT_REGEX_YES = 1, RT_REGEX_LIMIT = 2 };

void gw_regexes_init(struct rt_regexes *rx, const gwapi_ctx *ctx);
void gw_regexes_release(struct rt_regexes *rx);
/* The compiled pattern, shared by every use of the same text: *out is NULL, with msg and
 * *offset saying why, when it does not compile. False only when out of memory. */
bool gw_regex_compile(struct rt_regexes *rx, const char *pattern, pcre2_code **out,
                      char *msg, size_t msg_size, size_t *offset);
/* Match the whole of s. RT_REGEX_LIMIT when the match would cost more than the limits
 * allow (gatewayapi/router.h documents them): the caller must not take it as "no match". */
enum rt_regex_result gw_regex_match(const pcre2_code *re, const char *s, size_t len);

#endif
