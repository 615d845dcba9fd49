/* What a Secret or ConfigMap value holds, without keeping it: "empty", "PEM <block type>",
 * "invalid-base64" or "data". Enough to tell a usable certificate from a malformed one. */
#ifndef GW_MODEL_CONTENT_H
#define GW_MODEL_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

/* The summary of value[0..len); base64 values are decoded first. NULL when out of memory. */
const char *gw_content_summary(struct gw_arena *arena, const char *value, size_t len, bool base64);

/* The bytes of value[0..len) (base64 decoded when base64), NUL-terminated, in the arena: for the
 * few values the library keeps (a TLS Secret's certificate and key). False when the base64 is
 * invalid or memory runs out. */
bool gw_content_bytes(struct gw_arena *arena, const char *value, size_t len, bool base64,
                      const char **out, size_t *out_len);

#endif
