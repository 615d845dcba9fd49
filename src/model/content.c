#include "model/content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Decode the first bytes of base64 text (enough to see a PEM header); false when invalid. */
static bool
decode_prefix(const char *in, size_t len, char *out, size_t cap, size_t *out_len)
{
    unsigned bits = 0, n_bits = 0;
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;
        if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        v = base64_value(c);
        if (v < 0)
            return false;
        bits = (bits << 6) | (unsigned)v;
        n_bits += 6;
        if (n_bits >= 8) {
            n_bits -= 8;
            if (n < cap)
                out[n++] = (char)((bits >> n_bits) & 0xff);
        }
    }
    *out_len = n;
    return true;
}

bool
gw_content_bytes(struct gw_arena *arena, const char *value, size_t len, bool base64,
                 const char **out, size_t *out_len)
{
    char *bytes = gw_arena_alloc(arena, len + 1, 1);
    size_t n = len;

    *out = NULL;
    *out_len = 0;
    if (!bytes)
        return false;
    if (base64) {
        if (!decode_prefix(value, len, bytes, len, &n))
            return false;
    } else {
        memcpy(bytes, value, len);
    }
    bytes[n] = '\0';
    *out = bytes;
    *out_len = n;
    return true;
}

const char *
gw_content_summary(struct gw_arena *arena, const char *value, size_t len, bool base64)
{
    char buf[128];
    const char *text = value, *begin, *end;
    size_t text_len = len;
    char summary[96];

    if (len == 0)
        return "empty";
    if (base64) {
        /* Only the start matters: the PEM header is in the first bytes. */
        size_t prefix = len < 160 ? len : 160;
        if (!decode_prefix(value, prefix, buf, sizeof(buf), &text_len))
            return "invalid-base64";
        text = buf;
    }
    while (text_len && (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t'))
        text++, text_len--;
    if (text_len > 11 && memcmp(text, "-----BEGIN ", 11) == 0) {
        begin = text + 11;
        end = memchr(begin, '-', text_len - 11);
        if (end && end - begin < 64) {
            snprintf(summary, sizeof(summary), "PEM %.*s", (int)(end - begin), begin);
            return gw_arena_strndup(arena, summary, strlen(summary));
        }
    }
    return text_len ? "data" : "empty";
}
