/* A growable string. Its memory comes from the C library, so that a finished string can be
 * handed to the caller and released with gwapi_free(). */
#ifndef GW_UTIL_STRBUF_H
#define GW_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct gw_strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed: the contents are incomplete */
};

void gw_strbuf_append(struct gw_strbuf *sb, const char *s, size_t len);
void gw_strbuf_puts(struct gw_strbuf *sb, const char *s);
void gw_strbuf_putc(struct gw_strbuf *sb, char c);
void gw_strbuf_printf(struct gw_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (quotes included). */
void gw_strbuf_json_string(struct gw_strbuf *sb, const char *s);
void gw_strbuf_free(struct gw_strbuf *sb);

#endif
