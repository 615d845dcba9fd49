/* A watch stream fed as its bytes arrive: the top-level JSON values are found across reads
 * (kubectl writes each one indented over many lines, and a read may end anywhere), and each
 * complete one is loaded at once. An event loop feeds what it read and never blocks.
 *
 * A plain object (kubectl -w without --output-watch-events) is an update of it, with the
 * rules of a MODIFIED event. A value longer than max_document_bytes is refused,
 * and the stream goes on after it. */
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "util/context.h"
#include "util/diag.h"

struct gwapi_stream {
    gwapi_config *cfg;
    gwapi_load_options options;
    char *source;
    char *buf;                       /* the value being read */
    size_t len, cap;
    size_t depth;                    /* open objects and arrays */
    bool in_string, escaped, started;
    bool junk;                       /* not an object or array: it ends with its line */
    bool skipping;                   /* past the limit: read to the end of the value */
    size_t values;                   /* values read, for the source of their diagnostics */
};

GWAPI_EXPORT int
gwapi_stream_new(gwapi_stream **out, gwapi_config *cfg, const gwapi_load_options *options,
                 const char *source_name)
{
    gwapi_stream *s;

    if (!out || !cfg || (options && options->size < sizeof(size_t) + sizeof(unsigned)))
        return GWAPI_EINVAL;
    s = gw_calloc(cfg->ctx, 1, sizeof(*s));
    if (!s)
        return GWAPI_ENOMEM;
    s->cfg = gwapi_config_ref(cfg);
    s->options.size = sizeof(s->options);
    s->options.flags = options ? options->flags : 0;
    s->source = gw_strdup(cfg->ctx, source_name ? source_name : "stream");
    if (!s->source) {
        gwapi_stream_free(s);
        return GWAPI_ENOMEM;
    }
    *out = s;
    return GWAPI_OK;
}

GWAPI_EXPORT void
gwapi_stream_free(gwapi_stream *s)
{
    const gwapi_ctx *ctx;

    if (!s)
        return;
    ctx = s->cfg->ctx;
    gw_free(ctx, s->buf);
    gw_free(ctx, s->source);
    gwapi_config_unref(s->cfg);
    gw_free(ctx, s);
}

static bool
starts_value(char c)
{
    return !(c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* Track strings, escapes and nesting; true when c completes a value. */
static bool
scan(gwapi_stream *s, char c)
{
    if (s->junk)
        return c == '\n';
    if (s->in_string) {
        if (s->escaped)
            s->escaped = false;
        else if (c == '\\')
            s->escaped = true;
        else if (c == '"')
            s->in_string = false;
        return false;
    }
    if (c == '"')
        s->in_string = true;
    else if (c == '{' || c == '[')
        s->depth++;
    else if ((c == '}' || c == ']') && s->depth)
        return --s->depth == 0;
    return false;
}

static void
reset(gwapi_stream *s)
{
    s->len = 0;
    s->depth = 0;
    s->in_string = s->escaped = s->started = s->skipping = s->junk = false;
}

static int
load_value(gwapi_stream *s, gwapi_diags *diags)
{
    char source[512];

    snprintf(source, sizeof(source), "%s, value %zu", s->source, ++s->values);
    return gw_config_load(s->cfg, s->buf, s->len, source, &s->options, true, diags);
}

GWAPI_EXPORT int
gwapi_stream_feed(gwapi_stream *s, const char *data, size_t len, gwapi_diags *diags,
                  size_t *loaded)
{
    size_t limit, done = 0;
    int result = GWAPI_OK;

    if (loaded)
        *loaded = 0;
    if (!s || (!data && len))
        return GWAPI_EINVAL;
    limit = s->cfg->ctx->limits.max_document_bytes;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        bool complete;
        if (!s->started && !starts_value(c))
            continue;
        if (!s->started)
            s->junk = c != '{' && c != '[';
        s->started = true;
        complete = scan(s, c);
        if (!s->skipping) {
            if (s->len + 2 > s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 4096;
                if (gw_grow(s->cfg->ctx, (void **)&s->buf, &s->cap, cap > limit + 2 ? limit + 2
                                                                                     : cap, 1))
                    return GWAPI_ENOMEM;
            }
            s->buf[s->len++] = c;
            s->buf[s->len] = '\0';
            if (s->len > limit) {
                struct gw_site site = { 0 };
                site.source = s->source;
                gw_report(diags, GWAPI_SEVERITY_ERROR, GW_CODE_LIMIT, &site,
                          "a value of the stream is larger than %zu bytes (limit "
                          "max_document_bytes): skipped", limit);
                s->skipping = true;
                result = GWAPI_EINPUT;
            }
        }
        if (!complete)
            continue;
        if (!s->skipping) {
            int err = load_value(s, diags);
            if (err == GWAPI_ENOMEM)
                return err;
            if (err && !result)
                result = err;
            done++;
            if (loaded)
                *loaded = done;
        }
        reset(s);
    }
    return result;
}

GWAPI_EXPORT bool
gwapi_stream_pending(const gwapi_stream *s)
{
    return s && s->started;
}
