/* PCRE2 memory through the context's allocator: the router's expressions and the validator's
 * patterns both compile with it. */
#ifndef GW_UTIL_PCRE_H
#define GW_UTIL_PCRE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "gatewayapi/context.h"

/* A general context whose allocations go to ctx's allocator; NULL when out of memory. */
pcre2_general_context *gw_pcre_memory(const gwapi_ctx *ctx);

#endif
