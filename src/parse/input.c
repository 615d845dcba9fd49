/* The entry point of parsing: recognise the syntax and read YAML streams document by document.
 *
 * libyaml cannot resume after an error, so the stream's "---" lines are found first: after an
 * error, parsing starts again at the next document, and one broken document does not hide the
 * ones after it. Runs of documents are parsed by one libyaml parser, so a clean stream costs no
 * more than libyaml alone. (A "---" at the start of a line inside a block scalar or a multi-line
 * quoted string would also count as a resumption point; Kubernetes manifests never have one.) */
#include <string.h>

#include "parse/node.h"
#include "util/context.h"
#include "util/diag.h"

struct chunk {
    size_t start; /* offset of its first byte: the input's start or a "---" line */
    unsigned line;
};

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

#define CHUNK_END(k) ((k) + 1 < n ? chunks[(k) + 1].start : len)
    while (chunks && i < n && !p->out_of_memory) {
        size_t j = i, start = chunks[i].start, stop;

        if (CHUNK_END(i) - start > p->ctx->limits.max_document_bytes) {
            gw_parser_error(p, GW_CODE_LIMIT, chunks[i].line, 1,
                            "YAML document of %zu bytes is larger than %zu (limit "
                            "max_document_bytes)", CHUNK_END(i) - start,
                            p->ctx->limits.max_document_bytes);
            i++;
            continue;
        }
        while (j < n && CHUNK_END(j) - chunks[j].start <= p->ctx->limits.max_document_bytes)
            j++;
        stop = gw_parse_yaml(p, data + start, CHUNK_END(j - 1) - start, chunks[i].line);
        if (start + stop >= CHUNK_END(j - 1)) {
            i = j;
            continue;
        }
        /* Resume at the first document that starts at or after the error. */
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
