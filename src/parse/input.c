/* The entry point of parsing: recognise the syntax and cut YAML streams into documents.
 *
 * libyaml cannot resume after a syntax error, so a YAML stream is cut at its "---" lines first
 * and each piece is parsed on its own: one broken document does not hide the next ones. (A
 * "---" at the start of a line inside a block scalar or a multi-line quoted string would also
 * cut; Kubernetes manifests never need one there.) */
#include <string.h>

#include "parse/node.h"
#include "util/context.h"
#include "util/diag.h"

static bool
is_separator(const char *line, const char *end)
{
    if (end - line < 3 || memcmp(line, "---", 3) != 0)
        return false;
    return end - line == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\n' ||
           line[3] == '\r';
}

static void
parse_yaml_chunk(struct gw_parser *p, const char *start, const char *end, unsigned line)
{
    size_t len = (size_t)(end - start);

    if (len > p->ctx->limits.max_document_bytes) {
        gw_parser_error(p, GW_CODE_LIMIT, line, 1,
                        "YAML document of %zu bytes is larger than %zu (limit "
                        "max_document_bytes)", len, p->ctx->limits.max_document_bytes);
        return;
    }
    gw_parse_yaml(p, start, len, line);
}

static void
parse_yaml_stream(struct gw_parser *p, const char *data, size_t len)
{
    const char *end = data + len, *chunk = data, *line = data;
    unsigned lineno = 1, chunk_line = 1;

    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *next = nl ? nl + 1 : end;
        if (line != chunk && is_separator(line, end)) {
            parse_yaml_chunk(p, chunk, line, chunk_line);
            chunk = line;
            chunk_line = lineno;
        }
        line = next;
        lineno++;
    }
    if (chunk < end || len == 0)
        parse_yaml_chunk(p, chunk, end, chunk_line);
}

void
gw_parse_input(struct gw_parser *p, const char *data, size_t len)
{
    const char *s = data, *end = data + len;

    /* A UTF-8 byte order mark is allowed and skipped. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
        s = data;
    }
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    if (s < end && (*s == '{' || *s == '['))
        gw_parse_json(p, data, len);
    else
        parse_yaml_stream(p, data, len);
}
