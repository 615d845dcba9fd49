#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/context.h"
#include "util/strbuf.h"

struct gwapi_diags {
    gwapi_ctx *ctx;
    gwapi_diag **items; /* each item is one allocation holding its strings */
    size_t count, capacity;
    size_t errors;
};

GWAPI_EXPORT int
gwapi_diags_new(gwapi_diags **out, gwapi_ctx *ctx)
{
    gwapi_diags *diags;

    if (!out)
        return GWAPI_EINVAL;
    diags = gw_calloc(ctx, 1, sizeof(*diags));
    *out = diags;
    if (!diags)
        return GWAPI_ENOMEM;
    diags->ctx = gwapi_ctx_ref(ctx);
    return GWAPI_OK;
}

GWAPI_EXPORT void
gwapi_diags_clear(gwapi_diags *diags)
{
    if (!diags)
        return;
    for (size_t i = 0; i < diags->count; i++)
        gw_free(diags->ctx, diags->items[i]);
    diags->count = 0;
    diags->errors = 0;
}

GWAPI_EXPORT void
gwapi_diags_free(gwapi_diags *diags)
{
    gwapi_ctx *ctx;

    if (!diags)
        return;
    gwapi_diags_clear(diags);
    ctx = diags->ctx;
    gw_free(ctx, diags->items);
    gw_free(ctx, diags);
    gwapi_ctx_unref(ctx);
}

GWAPI_EXPORT size_t
gwapi_diags_count(const gwapi_diags *diags)
{
    return diags ? diags->count : 0;
}

GWAPI_EXPORT size_t
gwapi_diags_error_count(const gwapi_diags *diags)
{
    return diags ? diags->errors : 0;
}

GWAPI_EXPORT const gwapi_diag *
gwapi_diags_get(const gwapi_diags *diags, size_t index)
{
    if (!diags || index >= diags->count)
        return NULL;
    return diags->items[index];
}

GWAPI_EXPORT const char *
gwapi_severity_name(gwapi_severity severity)
{
    switch (severity) {
    case GWAPI_SEVERITY_ERROR: return "error";
    case GWAPI_SEVERITY_WARNING: return "warning";
    case GWAPI_SEVERITY_INFO: return "info";
    }
    return "unknown";
}

/* Copy s into the tail of one allocation; returns where the copy starts. */
static const char *
pack(char **tail, const char *s)
{
    size_t len;
    char *start = *tail;

    if (!s)
        return NULL;
    len = strlen(s) + 1;
    memcpy(start, s, len);
    *tail += len;
    return start;
}

static size_t
packed_len(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

int
gw_report(gwapi_diags *diags, gwapi_severity severity, const char *code,
          const struct gw_site *site, const char *fmt, ...)
{
    static const struct gw_site nowhere;
    char message[1024];
    va_list ap;
    size_t size;
    gwapi_diag *d;
    char *tail;

    if (!diags)
        return GWAPI_OK;
    if (!site)
        site = &nowhere;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);

    size = sizeof(*d) + packed_len(code) + packed_len(site->kind) + packed_len(site->ns) +
           packed_len(site->name) + packed_len(site->path) + packed_len(site->source) +
           packed_len(site->reason) + packed_len(message);
    if (gw_grow(diags->ctx, (void **)&diags->items, &diags->capacity, diags->count + 1,
                sizeof(*diags->items)))
        return GWAPI_ENOMEM;
    d = gw_alloc(diags->ctx, size);
    if (!d)
        return GWAPI_ENOMEM;
    tail = (char *)(d + 1);
    d->severity = severity;
    d->code = pack(&tail, code);
    d->kind = pack(&tail, site->kind);
    d->ns = pack(&tail, site->ns);
    d->name = pack(&tail, site->name);
    d->path = pack(&tail, site->path);
    d->source = pack(&tail, site->source);
    d->line = site->line;
    d->column = site->column;
    d->reason = pack(&tail, site->reason);
    d->message = pack(&tail, message);
    d->object_line = site->object_line;
    diags->items[diags->count++] = d;
    if (severity == GWAPI_SEVERITY_ERROR)
        diags->errors++;
    return GWAPI_OK;
}

GWAPI_EXPORT size_t
gwapi_diag_format(const gwapi_diag *d, char *buf, size_t size)
{
    struct gw_strbuf sb = { 0 };
    size_t len;

    if (!d)
        return 0;
    if (d->source) {
        gw_strbuf_puts(&sb, d->source);
        if (d->line)
            gw_strbuf_printf(&sb, ":%u:%u", d->line, d->column ? d->column : 1);
        gw_strbuf_puts(&sb, ": ");
    }
    gw_strbuf_printf(&sb, "%s: ", gwapi_severity_name(d->severity));
    if (d->kind && d->name && d->ns)
        gw_strbuf_printf(&sb, "%s %s/%s: ", d->kind, d->ns, d->name);
    else if (d->kind && d->name)
        gw_strbuf_printf(&sb, "%s %s: ", d->kind, d->name);
    else if (d->kind)
        gw_strbuf_printf(&sb, "%s: ", d->kind);
    if (d->path)
        gw_strbuf_printf(&sb, "%s: ", d->path);
    gw_strbuf_puts(&sb, d->message ? d->message : "");
    /* One line, always: a control character the input put in a name or a value is shown
     * escaped, so that it cannot forge lines of the output. */
    for (size_t i = 0; !sb.failed && i < sb.len; i++) {
        unsigned char c = (unsigned char)sb.data[i];
        if (c < 0x20 || c == 0x7f) {
            struct gw_strbuf line = { 0 };
            for (size_t k = 0; k < sb.len; k++) {
                c = (unsigned char)sb.data[k];
                if (c == '\n')
                    gw_strbuf_puts(&line, "\\n");
                else if (c == '\t')
                    gw_strbuf_puts(&line, "\\t");
                else if (c < 0x20 || c == 0x7f)
                    gw_strbuf_printf(&line, "\\x%02x", c);
                else
                    gw_strbuf_putc(&line, (char)c);
            }
            gw_strbuf_free(&sb);
            sb = line;
            break;
        }
    }
    len = sb.failed ? 0 : sb.len;
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        if (n)
            memcpy(buf, sb.data, n);
        buf[n] = '\0';
    }
    gw_strbuf_free(&sb);
    return len;
}
