#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
reserve(struct gw_strbuf *sb, size_t extra)
{
    size_t cap;
    char *grown;

    if (sb->failed)
        return false;
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    grown = realloc(sb->data, cap);
    if (!grown) {
        sb->failed = true;
        return false;
    }
    sb->data = grown;
    sb->cap = cap;
    return true;
}

void
gw_strbuf_append(struct gw_strbuf *sb, const char *s, size_t len)
{
    if (!reserve(sb, len))
        return;
    memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void
gw_strbuf_puts(struct gw_strbuf *sb, const char *s)
{
    gw_strbuf_append(sb, s, strlen(s));
}

void
gw_strbuf_putc(struct gw_strbuf *sb, char c)
{
    gw_strbuf_append(sb, &c, 1);
}

void
gw_strbuf_printf(struct gw_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void
gw_strbuf_json_string(struct gw_strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    gw_strbuf_putc(sb, '"');
    for (; *p; p++) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        gw_strbuf_append(sb, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        switch (*p) {
        case '"': gw_strbuf_puts(sb, "\\\""); break;
        case '\\': gw_strbuf_puts(sb, "\\\\"); break;
        case '\n': gw_strbuf_puts(sb, "\\n"); break;
        case '\r': gw_strbuf_puts(sb, "\\r"); break;
        case '\t': gw_strbuf_puts(sb, "\\t"); break;
        default: gw_strbuf_printf(sb, "\\u%04x", *p); break;
        }
    }
    gw_strbuf_putc(sb, '"');
}

void
gw_strbuf_free(struct gw_strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = false;
}
