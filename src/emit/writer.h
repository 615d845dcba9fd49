/* A streaming writer of JSON (indented) and block-style YAML from the same calls. */
#ifndef GW_EMIT_WRITER_H
#define GW_EMIT_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "gatewayapi/emit.h"
#include "util/strbuf.h"

#define GW_WRITER_MAX_DEPTH 128

struct gw_writer {
    struct gw_strbuf *out;
    gwapi_format format;
    size_t start; /* length of out when the writer began: nothing before it is ours */
    size_t top; /* number of open containers */
    struct {
        bool is_map;
        bool inline_first; /* YAML: the first entry follows "- " on the same line */
        size_t count;
        size_t indent;
    } stack[GW_WRITER_MAX_DEPTH];
};

void gw_writer_init(struct gw_writer *w, struct gw_strbuf *out, gwapi_format format);
void gw_write_begin_map(struct gw_writer *w);
void gw_write_end_map(struct gw_writer *w);
void gw_write_begin_seq(struct gw_writer *w);
void gw_write_end_seq(struct gw_writer *w);
void gw_write_key(struct gw_writer *w, const char *key);
void gw_write_string(struct gw_writer *w, const char *s);
void gw_write_int(struct gw_writer *w, int64_t v);
void gw_write_bool(struct gw_writer *w, bool v);
/* End the output with a newline. */
void gw_writer_finish(struct gw_writer *w);

#endif
