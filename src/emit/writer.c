#include "emit/writer.h"

#include <string.h>

void
gw_writer_init(struct gw_writer *w, struct gw_strbuf *out, gwapi_format format)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->format = format;
    w->start = out->len;
}

static void
indent(struct gw_writer *w, size_t n)
{
    gw_strbuf_putc(w->out, '\n');
    for (size_t i = 0; i < n; i++)
        gw_strbuf_putc(w->out, ' ');
}

/* Start an entry of the innermost container: a key of a map or an item of a list. */
static void
begin_entry(struct gw_writer *w)
{
    if (w->top == 0)
        return;
    if (w->format == GWAPI_FORMAT_JSON) {
        if (w->stack[w->top - 1].count > 0)
            gw_strbuf_putc(w->out, ',');
        indent(w, 2 * w->top);
    } else {
        if (!(w->stack[w->top - 1].count == 0 && w->stack[w->top - 1].inline_first) &&
            w->out->len > w->start)
            indent(w, w->stack[w->top - 1].indent);
        if (!w->stack[w->top - 1].is_map)
            gw_strbuf_puts(w->out, "- ");
    }
    w->stack[w->top - 1].count++;
}

/* Before a value: list items start an entry; map values follow their key. */
static void
begin_value(struct gw_writer *w, bool scalar)
{
    if (w->top > 0 && !w->stack[w->top - 1].is_map)
        begin_entry(w);
    else if (w->top > 0 && scalar && w->format == GWAPI_FORMAT_YAML)
        gw_strbuf_putc(w->out, ' ');
}

static void
begin_container(struct gw_writer *w, bool is_map)
{
    size_t parent_indent = w->top ? w->stack[w->top - 1].indent : 0;
    bool in_seq = w->top > 0 && !w->stack[w->top - 1].is_map;

    begin_value(w, false);
    if (w->top == GW_WRITER_MAX_DEPTH) {
        w->out->failed = true;
        return;
    }
    w->stack[w->top].is_map = is_map;
    w->stack[w->top].count = 0;
    w->stack[w->top].inline_first = in_seq;
    if (w->top == 0)
        w->stack[w->top].indent = 0;
    else if (in_seq || is_map)
        w->stack[w->top].indent = parent_indent + 2;
    else
        w->stack[w->top].indent = parent_indent; /* a list under a key: "- " at the key's column */
    w->top++;
    if (w->format == GWAPI_FORMAT_JSON)
        gw_strbuf_putc(w->out, is_map ? '{' : '[');
}

static void
end_container(struct gw_writer *w)
{
    bool is_map, empty;

    if (w->top == 0)
        return;
    w->top--;
    is_map = w->stack[w->top].is_map;
    empty = w->stack[w->top].count == 0;
    if (w->format == GWAPI_FORMAT_JSON) {
        if (!empty)
            indent(w, 2 * w->top);
        gw_strbuf_putc(w->out, is_map ? '}' : ']');
    } else if (empty) {
        bool after_dash = w->top > 0 && !w->stack[w->top - 1].is_map;
        if (w->top > 0 && !after_dash)
            gw_strbuf_putc(w->out, ' ');
        gw_strbuf_puts(w->out, is_map ? "{}" : "[]");
    }
}

void gw_write_begin_map(struct gw_writer *w) { begin_container(w, true); }
void gw_write_end_map(struct gw_writer *w) { end_container(w); }
void gw_write_begin_seq(struct gw_writer *w) { begin_container(w, false); }
void gw_write_end_seq(struct gw_writer *w) { end_container(w); }

/* Whether s can be written as a plain YAML scalar and read back as the same string. */
static bool
yaml_plain_ok(const char *s)
{
    static const char *const reserved[] = { "true", "True", "TRUE", "false", "False", "FALSE",
                                            "null", "Null", "NULL", "~", "yes", "Yes", "YES",
                                            "no", "No", "NO", "on", "On", "ON", "off", "Off",
                                            "OFF", "y", "Y", "n", "N", NULL };
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);

    if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
        return false;
    for (const char *const *r = reserved; *r; r++)
        if (strcmp(s, *r) == 0)
            return false;
    /* Anything that starts like a number, or an indicator, is quoted. */
    if (strchr("0123456789+-.!&*?|>'\"%@`#,[]{}:=<", s[0]))
        return false;
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        if ((*p == ':' || *p == '#') && (p[1] == ' ' || p[1] == '\0' || (p > (const unsigned char *)s && p[-1] == ' ')))
            return false;
        if (strchr("[]{},", *p))
            return false;
    }
    return true;
}

static void
yaml_scalar(struct gw_writer *w, const char *s)
{
    if (yaml_plain_ok(s))
        gw_strbuf_puts(w->out, s);
    else
        gw_strbuf_json_string(w->out, s); /* a JSON string is a valid double-quoted YAML one */
}

void
gw_write_key(struct gw_writer *w, const char *key)
{
    begin_entry(w);
    if (w->format == GWAPI_FORMAT_JSON) {
        gw_strbuf_json_string(w->out, key);
        gw_strbuf_puts(w->out, ": ");
    } else {
        yaml_scalar(w, key);
        gw_strbuf_putc(w->out, ':');
    }
}

void
gw_write_string(struct gw_writer *w, const char *s)
{
    begin_value(w, true);
    if (!s)
        gw_strbuf_puts(w->out, "null");
    else if (w->format == GWAPI_FORMAT_JSON)
        gw_strbuf_json_string(w->out, s);
    else
        yaml_scalar(w, s);
}

void
gw_write_int(struct gw_writer *w, int64_t v)
{
    begin_value(w, true);
    gw_strbuf_printf(w->out, "%lld", (long long)v);
}

void
gw_write_bool(struct gw_writer *w, bool v)
{
    begin_value(w, true);
    gw_strbuf_puts(w->out, v ? "true" : "false");
}

void
gw_writer_finish(struct gw_writer *w)
{
    gw_strbuf_putc(w->out, '\n');
}
