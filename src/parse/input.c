/* The entry point of parsing: recognise the syntax and read YAML streams document by document.
 *
 * libyaml cannot resume after an error, so the stream's "---" lines are found first: after an
 * error, parsing starts again at the next document, and one broken document does not hide the
 * ones after it. Runs of documents are parsed by one libyaml parser, so a clean stream costs no
 * more than libyaml alone. (A "---" at the start of a line inside a block scalar or a multi-line
 * quoted string would also count as a resumption point; Kubernetes manifests never have one.)
 *
 * Two costs of libyaml are kept in check here. Its reader decodes up to 16 KB ahead of the
 * parser, so a byte it refuses (invalid UTF-8, a control character) fails the documents before
 * it that were not finished yet: documents holding such a byte are found first and parsed on
 * their own, never in a run with others. And each parser costs a read-ahead, so after an error
 * the documents are parsed one at a time until one parses cleanly: a stream of broken
 * documents costs its length, not 16 KB per document. */
#include <stdint.h>
#include <string.h>

#include "parse/node.h"
#include "util/context.h"
#include "util/diag.h"

struct chunk {
    size_t start; /* offset of its first byte: the input's start or a "---" line */
    unsigned line;
    bool refused; /* holds a character libyaml's reader refuses */
};

/* Whether s[0..len) holds a character libyaml's reader refuses: a malformed, overlong or
 * surrogate UTF-8 sequence, or a character outside YAML's printable set. */
static bool
has_refused_char(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        uint32_t value;
        size_t width;

        if (c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E)) {
            i++;
            continue;
        }
        if (c < 0x80)
            return true; /* a control character */
        width = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!width || i + width > len)
            return true;
        value = c & (0x7Fu >> width);
        for (size_t k = 1; k < width; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return true;
            value = value << 6 | (s[i + k] & 0x3Fu);
        }
        if ((width == 2 && value < 0x80) || (width == 3 && value < 0x800) ||
            (width == 4 && value < 0x10000) || value > 0x10FFFF ||
            !(value == 0x85 || (value >= 0xA0 && value <= 0xD7FF) ||
              (value >= 0xE000 && value <= 0xFFFD) || value >= 0x10000))
            return true;
        i += width;
    }
    return false;
}

static bool
is_separator(const char *line, const char *end)
{
    if (end - line < 3 || memcmp(line, "---", 3) != 0)
        return false;
    return end - line == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\n' ||
           line[3] == '\r';
}

/* Where each document may start. */
static struct chunk *
find_chunks(struct gw_parser *p, const char *data, size_t len, size_t *count)
{
    const char *end = data + len, *line = data;
    struct chunk *chunks = NULL;
    size_t n = 0, cap = 0;
    unsigned lineno = 1;

    while (line < end || n == 0) {
        if (n == 0 || (line < end && is_separator(line, end))) {
            if (gw_grow(p->ctx, (void **)&chunks, &cap, n + 1, sizeof(*chunks))) {
                gw_free(p->ctx, chunks);
                p->out_of_memory = true;
                return NULL;
            }
            chunks[n].start = (size_t)(line - data);
            chunks[n].line = lineno;
            n++;
        }
        if (line >= end)
            break;
        {
            const char *nl = memchr(line, '\n', (size_t)(end - line));
            line = nl ? nl + 1 : end;
        }
        lineno++;
    }
    *count = n;
    return chunks;
}

static void
parse_yaml_stream(struct gw_parser *p, const char *data, size_t len)
{
    size_t n = 0, i = 0;
    struct chunk *chunks = find_chunks(p, data, len, &n);
    bool one_at_a_time = false; /* after an error, until a document parses cleanly */

#define CHUNK_END(k) ((k) + 1 < n ? chunks[(k) + 1].start : len)
    for (size_t k = 0; chunks && k < n; k++)
        chunks[k].refused = has_refused_char((const unsigned char *)data + chunks[k].start,
                                             CHUNK_END(k) - chunks[k].start);
    while (chunks && i < n && !p->out_of_memory) {
        size_t j = i + 1, start = chunks[i].start, stop;

        if (CHUNK_END(i) - start > p->ctx->limits.max_document_bytes) {
            gw_parser_error(p, GW_CODE_LIMIT, chunks[i].line, 1,
                            "YAML document of %zu bytes is larger than %zu (limit "
                            "max_document_bytes)", CHUNK_END(i) - start,
                            p->ctx->limits.max_document_bytes);
            i++;
            continue;
        }
        while (!one_at_a_time && !chunks[i].refused && j < n && !chunks[j].refused &&
               CHUNK_END(j) - start <= p->ctx->limits.max_document_bytes)
            j++;
        stop = gw_parse_yaml(p, data + start, CHUNK_END(j - 1) - start, chunks[i].line);
        if (stop == SIZE_MAX) {
            i = j;
            one_at_a_time = false;
            continue;
        }
        /* Resume at the first document that starts at or after the error. */
        one_at_a_time = true;
        i++;
        while (i < j && chunks[i].start < start + stop)
            i++;
    }
#undef CHUNK_END
    gw_free(p->ctx, chunks);
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
