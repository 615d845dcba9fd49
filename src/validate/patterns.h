/* Regular expressions of the schemas and CEL rules, compiled once per context with PCRE2.
 *
 * Kubernetes evaluates them with Go's RE2 and search semantics; the patterns the CRDs use mean the
 * same in PCRE2 once "$" is made to match only at the very end (PCRE2_DOLLAR_ENDONLY). */
#ifndef GW_VALIDATE_PATTERNS_H
#define GW_VALIDATE_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "gatewayapi/context.h"

/* The patterns CEL rules use, numbered after the schema's own. */
enum gw_cel_pattern {
    GW_CEL_PATTERN_HOSTNAME,       /* Hostname, wildcard allowed */
    GW_CEL_PATTERN_QUALIFIED_KEY,  /* label and annotation keys */
    GW_CEL_PATTERN_GRPC_SERVICE,
    GW_CEL_PATTERN_GRPC_METHOD,
    GW_CEL_PATTERN_PATH,           /* HTTP path characters */
    GW_CEL_PATTERN_RFC1123,        /* TLSRoute hostnames without wildcard */
    GW_CEL_PATTERN_COUNT
};

struct gw_patterns {
    size_t count;
    pcre2_code **codes;                /* schema patterns, then the CEL ones */
    pcre2_general_context *memory;     /* the context's allocator, for match data too */
};

/* The context's compiled patterns, compiled on first use; NULL when out of memory. */
const struct gw_patterns *gw_patterns_get(gwapi_ctx *ctx);
void gw_patterns_free(const gwapi_ctx *ctx, struct gw_patterns *patterns);
/* Search semantics, as Kubernetes: true when the pattern matches somewhere in s. */
bool gw_patterns_match(const struct gw_patterns *patterns, size_t index, pcre2_match_data *md,
                       const char *s);
size_t gw_cel_pattern_index(enum gw_cel_pattern p);

#endif
