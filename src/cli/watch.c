/* gwapi watch: follow a watch stream (kubectl get ... -w -o json, with or without
 * --output-watch-events: gwapi_stream_feed()) and print, after each value, the statuses that
 * changed and the Gateways whose router changed. The shapes are a contract (doc/gwapi.md). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

int
cmd_watch(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    gwapi_load_options load = GWAPI_LOAD_OPTIONS_INIT;
    struct cli_input in = { 0 };
    gwapi_stream *stream_in = NULL;
    gwapi_resolution *current = NULL;
    const char *path = "-";
    FILE *stream;
    bool oom = false;
    int opt, c = 0, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("watch"))) != -1) {
        switch (opt) {
        case CLI_OPT_CONTROLLER: options.controller_name = optarg; break;
        case CLI_OPT_INCLUDE_INVALID: options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case CLI_OPT_HELP: cli_help(stdout, "watch"); return EXIT_OK;
        default: cli_help(stderr, "watch"); return EXIT_UNUSABLE;
        }
    }
    if (argc - optind > 1) {
        cli_help(stderr, "watch");
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
    if (gwapi_stream_new(&stream_in, in.cfg, &load, path)) {
        oom = true;
        c = EOF;
    }
    /* Byte by byte, so that the changes of each value are printed as soon as it ends. */
    while (!oom && (c = getc(stream)) != EOF) {
        gwapi_resolution *next;
        size_t loaded = 0, before = gwapi_diags_count(in.diags);
        char byte = (char)c;
        if (gwapi_stream_feed(stream_in, &byte, 1, in.diags, &loaded) == GWAPI_ENOMEM) {
            oom = true;
            break;
        }
        for (size_t i = before; i < gwapi_diags_count(in.diags); i++)
            cli_print_diag_text(stderr, gwapi_diags_get(in.diags, i));
        if (!loaded)
            continue;
        if (gwapi_resolution_update(&next, current, in.cfg, NULL) != 0) {
            oom = true;
            break;
        }
        print_changes(current, next);
        gwapi_resolution_unref(current);
        current = next;
    }
    if (gwapi_stream_pending(stream_in) && !oom)
        fprintf(stderr, "gwapi: %s ends inside a JSON value\n", path);
    gwapi_stream_free(stream_in);
    if (stream != stdin)
        fclose(stream);
    gwapi_resolution_unref(current);
    cli_input_release(&in);
    return oom ? EXIT_UNUSABLE : EXIT_OK;
}
