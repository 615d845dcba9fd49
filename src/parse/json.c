/* JSON through cJSON: one value, or many one after the other (watch event streams).
 *
 * Before cJSON sees a value, a scan finds where it ends and checks what cJSON does not: the
 * nesting limit, valid UTF-8, no raw control bytes. A value with an error is skipped up to the
 * next line, so one bad line of a watch stream does not lose the others. cJSON gives no
 * positions, so every node of a value carries the position where the value starts. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parse/node.h"
#include "util/context.h"
#include "util/diag.h"

struct position {
    unsigned line, column;
};

static struct position
position_at(const char *data, const char *at, struct position base, const char *from)
{
    for (const char *c = from; c < at; c++) {
        if (*c == '\n') {
            base.line++;
            base.column = 1;
        } else if (((unsigned char)*c & 0xC0) != 0x80) {
            base.column++;
        }
    }
    (void)data;
    return base;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t
utf8_length(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

enum scan_result { SCAN_OK, SCAN_DEPTH, SCAN_ENCODING, SCAN_CONTROL, SCAN_NUL_ESCAPE };

/* Find the end of the value starting at s; report the first problem's offset in *bad. */
static enum scan_result
scan_value(const char *s, size_t n, size_t max_depth, size_t *end, size_t *bad)
{
    size_t depth = 0, i = 0;
    bool in_string = false;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t step = utf8_length((const unsigned char *)s + i, n - i);

        if (step == 0) {
            *bad = i;
            return SCAN_ENCODING;
        }
        if (c == 0 || (in_string && c < 0x20)) {
            *bad = i;
            return SCAN_CONTROL;
        }
        if (in_string) {
            /* \u0000 would cut the string where cJSON stores it: refused like a NUL byte. */
            if (c == '\\' && n - i >= 6 && memcmp(s + i + 1, "u0000", 5) == 0) {
                *bad = i;
                return SCAN_NUL_ESCAPE;
            }
            if (c == '\\')
                step = i + 1 < n ? 2 : 1;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) {
                *bad = i;
                return SCAN_DEPTH;
            }
        } else if (c == '}' || c == ']') {
            if (depth > 0 && --depth == 0) {
                *end = i + 1;
                return SCAN_OK;
            }
        } else if (depth == 0 && (c == '\n')) {
            *end = i;
            return SCAN_OK; /* a scalar at top level: let cJSON judge it */
        }
        i += step;
    }
    *end = n;
    return SCAN_OK;
}

static struct gw_node *convert(struct gw_parser *p, const cJSON *item, struct position at);

static bool
ends_with_list(const char *kind)
{
    size_t n = kind ? strlen(kind) : 0;
    return n >= 4 && strcmp(kind + n - 4, "List") == 0;
}

/* Hand a parsed value over as a document. A List goes one item at a time, each in a copy of
 * the List that holds only it: the node tree of a large List is never built whole, and the
 * nodes' memory is reused from item to item. The node limit still counts the whole List. */
static void
deliver(struct gw_parser *p, cJSON *value, struct position at)
{
    cJSON *items = cJSON_GetObjectItemCaseSensitive(value, "items");
    struct gw_node *root = NULL;

    if (cJSON_IsObject(value) && ends_with_list(cJSON_GetStringValue(
                                     cJSON_GetObjectItemCaseSensitive(value, "kind"))) &&
        cJSON_IsArray(items) && cJSON_GetArraySize(items) > 1) {
        cJSON *item = items->child, *rest = NULL;
        items->child = NULL;
        for (; item; item = rest) {
            rest = item->next;
            item->next = NULL;
            item->prev = item;       /* an array's first child points back at its last */
            items->child = item;
            gw_arena_reset(&p->nodes);
            root = convert(p, value, at);
            items->child = NULL;
            cJSON_Delete(item);
            if (!root)
                break;
            p->on_document(p->user, root);
        }
        cJSON_Delete(root ? NULL : rest); /* what a failed conversion left: the chain */
        return;
    }
    gw_arena_reset(&p->nodes);
    if ((root = convert(p, value, at)))
        p->on_document(p->user, root);
}

static struct gw_node *
convert(struct gw_parser *p, const cJSON *item, struct position at)
{
    struct gw_node *node;

    if (!gw_parser_charge(p, 1, at.line, at.column))
        return NULL;
    if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
        node = gw_node_new(p, cJSON_IsObject(item) ? GW_NODE_MAP : GW_NODE_SEQ, at.line,
                           at.column);
        if (!node)
            return NULL;
        for (const cJSON *child = item->child; child; child = child->next) {
            struct gw_node *value;
            if (cJSON_IsObject(item)) {
                struct gw_node *key = gw_node_new(p, GW_NODE_STRING, at.line, at.column);
                if (!key)
                    return NULL;
                key->text = gw_arena_strndup(&p->nodes, child->string, strlen(child->string));
                if (!key->text)
                    return NULL;
                key->len = strlen(key->text);
                gw_node_append(node, key);
            }
            value = convert(p, child, at);
            if (!value)
                return NULL;
            gw_node_append(node, value);
        }
        return node;
    }
    node = gw_node_new(p, GW_NODE_NULL, at.line, at.column);
    if (!node)
        return NULL;
    if (cJSON_IsString(item)) {
        size_t len = strlen(item->valuestring);
        if (len > p->ctx->limits.max_string_bytes) {
            gw_parser_error(p, GW_CODE_LIMIT, at.line, at.column,
                            "string of %zu bytes is longer than %zu (limit max_string_bytes)",
                            len, p->ctx->limits.max_string_bytes);
            return NULL;
        }
        node->type = GW_NODE_STRING;
        node->text = gw_arena_strndup(&p->nodes, item->valuestring, len);
        node->len = len;
        if (!node->text)
            return NULL;
    } else if (cJSON_IsBool(item)) {
        node->type = GW_NODE_BOOL;
        node->integer = cJSON_IsTrue(item);
        node->text = node->integer ? "true" : "false";
    } else if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        char buf[64];
        /* JSON has one number type; an integral value within 2^53 is an integer. */
        if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
            node->type = GW_NODE_INT;
            node->integer = (int64_t)v;
            snprintf(buf, sizeof(buf), "%lld", (long long)node->integer);
        } else {
            node->type = GW_NODE_FLOAT;
            snprintf(buf, sizeof(buf), "%.17g", v);
        }
        node->text = gw_arena_strndup(&p->nodes, buf, strlen(buf));
        node->len = strlen(buf);
    } else {
        node->text = "null";
    }
    return node;
}

static const char *
skip_blank(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    return s;
}

static const char *
next_line(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    return nl ? nl + 1 : end;
}

void
gw_parse_json(struct gw_parser *p, const char *data, size_t len)
{
    const char *cur = data, *end = data + len;
    struct position pos = { 1, 1 };
    const char *pos_at = data;

    while (!p->out_of_memory) {
        size_t value_end = 0, bad = 0;
        enum scan_result r;
        struct position at;
        const char *parse_end = NULL;
        cJSON *value;

        cur = skip_blank(cur, end);
        if (cur >= end)
            break;
        pos = position_at(data, cur, pos, pos_at);
        pos_at = cur;
        at = pos;
        r = scan_value(cur, (size_t)(end - cur), p->ctx->limits.max_depth, &value_end, &bad);
        if (r != SCAN_OK) {
            struct position where = position_at(data, cur + bad, pos, cur);
            if (r == SCAN_DEPTH)
                gw_parser_error(p, GW_CODE_LIMIT, where.line, where.column,
                                "nesting deeper than %zu levels (limit max_depth)",
                                p->ctx->limits.max_depth);
            else if (r == SCAN_ENCODING)
                gw_parser_error(p, GW_CODE_ENCODING, where.line, where.column,
                                "invalid UTF-8 byte 0x%02x",
                                (unsigned)(unsigned char)cur[bad]);
            else if (r == SCAN_NUL_ESCAPE)
                gw_parser_error(p, GW_CODE_ENCODING, where.line, where.column,
                                "a string holds a NUL (\\u0000), which no Kubernetes string may "
                                "hold%s", "");
            else
                gw_parser_error(p, GW_CODE_ENCODING, where.line, where.column,
                                "control character 0x%02x is not allowed here",
                                (unsigned)(unsigned char)cur[bad]);
            cur = next_line(cur + bad, end);
            continue;
        }
        if (value_end > p->ctx->limits.max_document_bytes) {
            gw_parser_error(p, GW_CODE_LIMIT, at.line, at.column,
                            "JSON value of %zu bytes is larger than %zu (limit "
                            "max_document_bytes)", value_end, p->ctx->limits.max_document_bytes);
            cur += value_end;
            continue;
        }
        value = cJSON_ParseWithLengthOpts(cur, value_end, &parse_end, 0);
        if (!value) {
            const char *err = parse_end && parse_end >= cur && parse_end <= cur + value_end
                                  ? parse_end : cur;
            struct position where = position_at(data, err, pos, cur);
            if (err < cur + value_end) {
                /* The input is not NUL-terminated: quote at most 20 bytes of this line. */
                size_t n = 0, room = (size_t)(cur + value_end - err);
                char near[21];
                while (n < 20 && n < room && err[n] != '\r' && err[n] != '\n') {
                    unsigned char c = (unsigned char)err[n];
                    near[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
                }
                near[n] = '\0';
                gw_parser_error(p, GW_CODE_SYNTAX, where.line, where.column,
                                "invalid JSON near '%s'", near);
            } else {
                gw_parser_error(p, GW_CODE_SYNTAX, where.line, where.column,
                                "invalid JSON: unexpected end of input");
            }
            cur = next_line(err < cur + value_end ? err : cur + value_end - 1, end);
            if (cur <= pos_at)
                cur = pos_at + 1;
            continue;
        }
        p->weight = 0;
        deliver(p, value, at);
        cJSON_Delete(value);
        cur += value_end;
    }
}
