/* gwapi watch: follow a watch stream (kubectl get ... -w -o json, with or without
 * --output-watch-events) and print, after each event, the statuses that changed and the
 * Gateways whose router changed. The shapes are a contract (doc/gwapi.md). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The top-level JSON values of a stream, found as the bytes arrive: kubectl writes each one
 * indented over many lines, and a read may end inside one. */
struct splitter {
    char *buf;
    size_t len, cap;
    size_t depth;       /* open objects and arrays */
    bool in_string, escaped, started;
};

/* Feed one byte; true when it completed a value (then buf holds it). */
static bool
split(struct splitter *s, char c, bool *oom)
{
    if (!s->started && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
        return false;
    if (s->len + 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        char *grown = realloc(s->buf, cap);
        if (!grown) {
            *oom = true;
            return false;
        }
        s->buf = grown;
        s->cap = cap;
    }
    s->buf[s->len++] = c;
    s->buf[s->len] = '\0';
    s->started = true;
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
    else if ((c == '}' || c == ']') && s->depth && --s->depth == 0)
        return true;
    return false;
}

static void
reset(struct splitter *s)
{
    s->len = 0;
    s->depth = 0;
    s->in_string = s->escaped = s->started = false;
}

/* A plain object of the stream (kubectl without --output-watch-events) is an update of it. */
static char *
as_event(const char *value)
{
    cJSON *j = cJSON_Parse(value), *event;
    char *text = NULL;

    if (!j)
        return NULL;
    if (cJSON_IsObject(j) && !cJSON_GetObjectItem(j, "type") && cJSON_GetObjectItem(j, "kind")) {
        event = cJSON_CreateObject();
        cJSON_AddStringToObject(event, "type", "MODIFIED");
        cJSON_AddItemToObject(event, "object", j);
        text = cJSON_PrintUnformatted(event);
        cJSON_Delete(event);
        return text;
    }
    cJSON_Delete(j);
    return NULL;
}

static void
print_changes(const gwapi_resolution *before, const gwapi_resolution *after)
{
    gwapi_changes c = GWAPI_CHANGES_INIT;

    if (gwapi_resolution_changes(before, after, &c) != 0) {
        fprintf(stderr, "gwapi: out of memory comparing statuses\n");
        return;
    }
    for (size_t i = 0; i < c.n_statuses; i++) {
        char *item = NULL;
        if (gwapi_status_emit(after, c.statuses[i], GWAPI_FORMAT_JSON, &item, NULL) == 0) {
            cJSON *line = cJSON_CreateObject();
            char *text;
            cJSON_AddItemToObject(line, "status", cJSON_Parse(item));
            text = cJSON_PrintUnformatted(line);
            if (text)
                puts(text);
            free(text);
            cJSON_Delete(line);
            gwapi_free(item);
        }
    }
    for (size_t i = 0; i < c.n_gateways; i++) {
        const gwapi_object *g = c.gateways[i];
        cJSON *line = cJSON_CreateObject();
        char *id = malloc(strlen(g->metadata->namespace_) + strlen(g->metadata->name) + 2), *text;
        if (id) {
            sprintf(id, "%s/%s", g->metadata->namespace_, g->metadata->name);
            cJSON_AddStringToObject(line, "router", id);
            free(id);
        }
        text = cJSON_PrintUnformatted(line);
        if (text)
            puts(text);
        free(text);
        cJSON_Delete(line);
    }
    fflush(stdout);
    gwapi_changes_release(&c);
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: gwapi watch [--controller NAME] [--include-invalid] [FILE|-]\n");
}

int
cmd_watch(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "controller", required_argument, NULL, 'c' },
        { "include-invalid", no_argument, NULL, 'I' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_load_options load = GWAPI_LOAD_OPTIONS_INIT;
    struct cli_input in = { 0 };
    struct splitter s = { 0 };
    gwapi_resolution *current = NULL;
    const char *path = "-";
    FILE *stream;
    bool oom = false;
    size_t number = 0;
    char source[512];
    int opt, c, rc;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': options.controller_name = optarg; break;
        case 'I': options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_UNUSABLE;
        }
    }
    if (argc - optind > 1) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    if (optind < argc)
        path = argv[optind];
    stream = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!stream) {
        fprintf(stderr, "gwapi: cannot open %s\n", path);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, NULL, 0, 0);
    if (rc || gwapi_resolve(&current, in.cfg, &options, NULL)) {
        cli_input_release(&in);
        return EXIT_UNUSABLE;
    }
    load.flags = GWAPI_LOAD_VALIDATE;
    while (!oom && (c = getc(stream)) != EOF) {
        gwapi_resolution *next;
        char *event;
        size_t before = gwapi_diags_count(in.diags);
        if (!split(&s, (char)c, &oom))
            continue;
        event = as_event(s.buf);
        /* Positions count within the event: the source names which one. */
        snprintf(source, sizeof(source), "%s, event %zu", path, ++number);
        gwapi_config_load_buffer(in.cfg, event ? event : s.buf, strlen(event ? event : s.buf),
                                 source, &load, in.diags);
        free(event);
        reset(&s);
        for (size_t i = before; i < gwapi_diags_count(in.diags); i++)
            cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
        if (gwapi_resolve(&next, in.cfg, &options, NULL) != 0) {
            oom = true;
            break;
        }
        print_changes(current, next);
        gwapi_resolution_unref(current);
        current = next;
    }
    if (s.started && !oom)
        fprintf(stderr, "gwapi: %s ends inside a JSON value\n", path);
    free(s.buf);
    if (stream != stdin)
        fclose(stream);
    gwapi_resolution_unref(current);
    cli_input_release(&in);
    return oom ? EXIT_UNUSABLE : EXIT_OK;
}
