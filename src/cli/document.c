/* A file the command reads for itself (gwapi test's tests), YAML or JSON, as one cJSON value.
 * The manifests go through the library; this is for the command's own inputs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <yaml.h>

#include "cli.h"

/* A plain scalar as YAML 1.2's core schema types it: null, booleans, integers, floats; any
 * other scalar, and every quoted one, is a string. */
static cJSON *
scalar(const yaml_node_t *node)
{
    const char *s = (const char *)node->data.scalar.value;
    char *end;
    double number;

    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return cJSON_CreateString(s);
    if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
        strcmp(s, "NULL") == 0)
        return cJSON_CreateNull();
    if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0)
        return cJSON_CreateTrue();
    if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
        return cJSON_CreateFalse();
    errno = 0;
    number = strtod(s, &end);
    if (!*end && !errno && strspn(s, "+-0123456789.eE") == strlen(s))
        return cJSON_CreateNumber(number);
    return cJSON_CreateString(s);
}

static cJSON *
convert(yaml_document_t *doc, const yaml_node_t *node, int depth)
{
    cJSON *out;

    if (!node || depth > 64)
        return NULL;
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return scalar(node);
    case YAML_SEQUENCE_NODE:
        out = cJSON_CreateArray();
        for (yaml_node_item_t *i = node->data.sequence.items.start;
             out && i < node->data.sequence.items.top; i++) {
            cJSON *item = convert(doc, yaml_document_get_node(doc, *i), depth + 1);
            if (!item) {
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_AddItemToArray(out, item);
        }
        return out;
    case YAML_MAPPING_NODE:
        out = cJSON_CreateObject();
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
             out && p < node->data.mapping.pairs.top; p++) {
            const yaml_node_t *key = yaml_document_get_node(doc, p->key);
            cJSON *value;
            if (!key || key->type != YAML_SCALAR_NODE ||
                !(value = convert(doc, yaml_document_get_node(doc, p->value), depth + 1))) {
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_AddItemToObject(out, (const char *)key->data.scalar.value, value);
        }
        return out;
    default:
        return NULL;
    }
}

/* The next document of the parser: 1 with *value (NULL when it does not convert: a key that is
 * no scalar, nested too deep), 0 at the end of the stream, -1 with error set on a syntax
 * error. */
static int
next_document(yaml_parser_t *parser, const char *name, cJSON **value, char *error,
              size_t error_size)
{
    yaml_document_t doc;
    const yaml_node_t *root;

    *value = NULL;
    if (!yaml_parser_load(parser, &doc)) {
        snprintf(error, error_size, "%s:%zu:%zu: %s", name, parser->problem_mark.line + 1,
                 parser->problem_mark.column + 1, parser->problem ? parser->problem : "not YAML");
        return -1;
    }
    root = yaml_document_get_root_node(&doc);
    if (root)
        *value = convert(&doc, root, 0);
    yaml_document_delete(&doc);
    return root ? 1 : 0;
}

cJSON *
cli_parse_documents(const char *text, size_t len, const char *name, char *error,
                    size_t error_size)
{
    yaml_parser_t parser;
    cJSON *docs = cJSON_CreateArray(), *value;
    int got;

    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while ((got = next_document(&parser, name, &value, error, error_size)) > 0) {
        if (!value)
            continue; /* what the library reports anyway (a key that is not a scalar, ...) */
        /* A List's items are documents of their own. */
        if (cJSON_IsArray(cJSON_GetObjectItem(value, "items")) &&
            cJSON_IsString(cJSON_GetObjectItem(value, "kind")) &&
            strstr(cJSON_GetObjectItem(value, "kind")->valuestring, "List")) {
            cJSON *item;
            while ((item = cJSON_DetachItemFromArray(cJSON_GetObjectItem(value, "items"), 0)))
                cJSON_AddItemToArray(docs, item);
            cJSON_Delete(value);
        } else {
            cJSON_AddItemToArray(docs, value);
        }
    }
    yaml_parser_delete(&parser);
    if (got < 0) {
        cJSON_Delete(docs);
        return NULL;
    }
    return docs;
}

cJSON *
cli_read_document(const char *path, char *error, size_t error_size)
{
    FILE *f = fopen(path, "rb");
    yaml_parser_t parser;
    cJSON *out = NULL;

    if (!f) {
        snprintf(error, error_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* YAML 1.2 reads JSON too: one parser for both. */
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (next_document(&parser, path, &out, error, error_size) >= 0 && !out)
        snprintf(error, error_size, "%s: empty, or a key that is not a scalar, or nested "
                 "deeper than 64 levels", path);
    yaml_parser_delete(&parser);
    fclose(f);
    return out;
}
