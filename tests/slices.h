/* Requests as slices for tests: a string copied into a buffer of exactly its length, without a
 * NUL after it, so that a read past the slice is caught by AddressSanitizer. */
#ifndef GW_TESTS_SLICES_H
#define GW_TESTS_SLICES_H

#include <stdlib.h>
#include <string.h>

#include <gatewayapi.h>

/* A copy of s in a buffer of exactly its length, or {NULL, 0} for NULL; free its ptr. */
static inline gwapi_slice
exact_slice(const char *s)
{
    gwapi_slice slice = { NULL, 0 };
    char *copy;

    if (!s)
        return slice;
    slice.len = strlen(s);
    copy = malloc(slice.len ? slice.len : 1);
    if (copy && slice.len)
        memcpy(copy, s, slice.len);
    slice.ptr = copy;
    return slice;
}

#endif
