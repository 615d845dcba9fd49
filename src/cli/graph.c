/* gwapi graph: Gateways, their listeners, the routes attached to each and the backends of
 * those routes, as a Graphviz graph; a route that reaches a Gateway but is not attached is
 * drawn apart, its edge labelled with the reason. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A DOT string: quotes and backslashes escaped, line breaks as DOT's "\n". */
static void
dot_string(FILE *out, const char *s)
{
    putc('"', out);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            putc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else if ((unsigned char)*s >= 0x20)
            putc(*s, out);
    }
    putc('"', out);
}

static void
node(FILE *out, const char *id, const char *label, const char *attrs)
{
    fputs("  ", out);
    dot_string(out, id);
    fputs(" [label=", out);
    dot_string(out, label);
    fprintf(out, "%s%s];\n", *attrs ? ", " : "", attrs);
}

static void
edge(FILE *out, const char *from, const char *to, const char *label, const char *attrs)
{
    fputs("  ", out);
    dot_string(out, from);
    fputs(" -> ", out);
    dot_string(out, to);
    fputs(" [", out);
    if (label) {
        fputs("label=", out);
        dot_string(out, label);
    }
    fprintf(out, "%s%s];\n", label && *attrs ? ", " : "", attrs);
}

/* The listener nodes drawn so far: each once. */
struct seen {
    char **keys;
    size_t n;
};

static bool
first_time(struct seen *seen, const char *key)
{
    char **grown;
    for (size_t i = 0; i < seen->n; i++)
        if (strcmp(seen->keys[i], key) == 0)
            return false;
    grown = realloc(seen->keys, (seen->n + 1) * sizeof(*grown));
    if (!grown)
        return false;
    seen->keys = grown;
    seen->keys[seen->n++] = strdup(key);
    return true;
}

static bool
is_gateway(const gwapi_object *o)
{
    return o->kind_name && strcmp(o->kind_name, "Gateway") == 0;
}

static void
object_id(char *out, size_t size, const gwapi_object *o)
{
    snprintf(out, size, "%s %s/%s", o->kind_name, o->metadata->namespace_, o->metadata->name);
}

struct backend_arg {
    FILE *out;
    const char *route;
    size_t rule;
};

static void
draw_backend(void *arg, const char *id, int64_t weight)
{
    struct backend_arg *b = arg;
    char label[700], key[700], edge_label[64];

    snprintf(key, sizeof(key), "backend %s", id);
    snprintf(label, sizeof(label), "%s", id);
    node(b->out, key, label, "shape=ellipse");
    snprintf(edge_label, sizeof(edge_label), "rule %zu, weight %lld", b->rule, (long long)weight);
    edge(b->out, b->route, key, edge_label, weight ? "" : "style=dotted");
}

struct attach_arg {
    FILE *out;
    const char *route;
    const char *only;                /* "Gateway ns/name", or NULL for all */
    size_t n;                        /* listeners drawn */
};

static void
draw_attachment(void *arg, const char *parent, const char *listener_name)
{
    struct attach_arg *a = arg;
    char listener[700];

    if (a->only && strcmp(parent, a->only) != 0)
        return;
    if (!a->n++)
        node(a->out, a->route, a->route, "shape=note");
    snprintf(listener, sizeof(listener), "%s listener %s", parent, listener_name);
    edge(a->out, listener, a->route, NULL, "");
}

/* One route: its node, an edge from each listener it is attached to, its backends; or, when
 * it reaches a Gateway but attaches to none of its listeners, an edge saying why. */
static void
draw_route(FILE *out, const gwapi_resolution *res, const gwapi_object *o, const char *only)
{
    const gwapi_explain_step *const *steps;
    size_t n, attached = 0;
    char id[600];

    if (gwapi_resolution_explain(res, o, &steps, &n))
        return; /* not a route */
    object_id(id, sizeof(id), o);
    {
        struct attach_arg a = { out, id, only, 0 };
        cli_attached_listeners(steps, n, draw_attachment, &a);
        attached = a.n;
    }
    if (attached) {
        struct backend_arg b = { out, id, 0 };
        for (b.rule = 0; b.rule < cli_route_rules(o); b.rule++)
            cli_each_backend(o, b.rule, draw_backend, &b);
        return;
    }
    /* Not attached: the first failed check toward each Gateway it names says why. */
    for (size_t i = 0; i < n; i++) {
        char why[600];
        bool first = true;
        if (steps[i]->passed || !steps[i]->parent || strncmp(steps[i]->parent, "Gateway ", 8) ||
            (only && !strstr(steps[i]->parent, only)))
            continue;
        for (size_t k = 0; k < i && first; k++)
            if (!steps[k]->passed && steps[k]->parent &&
                strcmp(steps[k]->parent, steps[i]->parent) == 0)
                first = false;
        if (!first)
            continue;
        if (!attached++)
            node(out, id, id, "shape=note, color=red, fontcolor=red, style=dashed");
        snprintf(why, sizeof(why), "not attached: %s", steps[i]->reason ? steps[i]->reason
                                                                          : steps[i]->check);
        edge(out, id, steps[i]->parent, why, "color=red, fontcolor=red, style=dashed");
    }
}

static void
draw(FILE *out, const gwapi_resolution *res, const char *gateway)
{
    char only[600] = "";
    struct seen seen = { NULL, 0 };

    if (gateway)
        snprintf(only, sizeof(only), "Gateway %s", gateway);
    fputs("digraph gateway_api {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9];\n", out);
    for (size_t i = 0; i < gwapi_resolution_count(res); i++) {
        const gwapi_status *st = gwapi_resolution_get(res, i);
        char id[600];
        if (!is_gateway(st->object))
            continue;
        object_id(id, sizeof(id), st->object);
        if (gateway && strcmp(id, only) != 0)
            continue;
        node(out, id, id, "shape=box3d, style=bold");
        for (size_t l = 0; l < st->n_listeners; l++) {
            const gwapi_listener_status *ls = st->listeners[l];
            char key[700], label[700];
            if (!ls->name)
                continue; /* v1alpha1 names its listeners in the explanations only */
            snprintf(key, sizeof(key), "%s listener %s", id, ls->name);
            if (!first_time(&seen, key))
                continue;
            snprintf(label, sizeof(label), "listener %s\n%s :%lld%s%s", ls->name,
                     ls->protocol ? ls->protocol : "", (long long)ls->port,
                     ls->hostname ? " " : "", ls->hostname ? ls->hostname : "");
            node(out, key, label, "shape=component");
            edge(out, id, key, NULL, "");
        }
    }
    /* Listeners the explanations name that the statuses do not (v1alpha1's). */
    for (size_t i = 0; i < gwapi_resolution_count(res); i++) {
        const gwapi_explain_step *const *steps;
        size_t n;
        if (gwapi_resolution_explain(res, gwapi_resolution_get(res, i)->object, &steps, &n))
            continue;
        for (size_t k = 0; k < n; k++) {
            char key[700];
            if (!steps[k]->listener || !steps[k]->parent ||
                strncmp(steps[k]->parent, "Gateway ", 8) || (gateway && strcmp(steps[k]->parent, only)))
                continue;
            snprintf(key, sizeof(key), "%s listener %s", steps[k]->parent, steps[k]->listener);
            if (first_time(&seen, key)) {
                char label[700];
                snprintf(label, sizeof(label), "listener %s", steps[k]->listener);
                node(out, key, label, "shape=component");
                edge(out, steps[k]->parent, key, NULL, "");
            }
        }
    }
    for (size_t i = 0; i < gwapi_resolution_count(res); i++)
        draw_route(out, res, gwapi_resolution_get(res, i)->object, gateway ? only : NULL);
    fputs("}\n", out);
    for (size_t i = 0; i < seen.n; i++)
        free(seen.keys[i]);
    free(seen.keys);
}

int
cmd_graph(int argc, char **argv)
{
    gwapi_resolve_options options = GWAPI_RESOLVE_OPTIONS_INIT;
    struct cli_input in = { 0 };
    gwapi_resolution *res = NULL;
    const char *gateway = NULL;
    bool svg = false;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("graph"))) != -1) {
        switch (opt) {
        case CLI_OPT_GATEWAY: gateway = optarg; break;
        case CLI_OPT_CONTROLLER: options.controller_name = optarg; break;
        case CLI_OPT_INCLUDE_INVALID: options.flags |= GWAPI_RESOLVE_INCLUDE_INVALID; break;
        case CLI_OPT_OUTPUT:
            if (strcmp(optarg, "dot") == 0) svg = false;
            else if (strcmp(optarg, "svg") == 0) svg = true;
            else {
                fprintf(stderr, "gwapi: unknown output format \"%s\" (dot, svg)\n", optarg);
                return EXIT_UNUSABLE;
            }
            break;
        case CLI_OPT_HELP: cli_help(stdout, "graph"); return EXIT_OK;
        default: cli_help(stderr, "graph"); return EXIT_UNUSABLE;
        }
    }
    rc = cli_load(&in, argv + optind, argc - optind, 0);
    if (!rc && cli_resolve(&in, &options, &res))
        rc = EXIT_UNUSABLE;
    if (!rc) {
        FILE *out = stdout;
        if (svg) {
            fflush(stdout);
            out = popen("dot -Tsvg", "w");
            if (!out) {
                fprintf(stderr, "gwapi graph: cannot run Graphviz's dot for -o svg\n");
                rc = EXIT_UNUSABLE;
            }
        }
        if (out) {
            draw(out, res, gateway);
            if (svg && pclose(out) != 0) {
                fprintf(stderr, "gwapi graph: -o svg needs Graphviz's dot (Debian: graphviz); "
                        "-o dot writes the graph for it\n");
                rc = EXIT_UNUSABLE;
            }
        }
    }
    if (!rc && in.unreadable)
        rc = EXIT_UNUSABLE;
    gwapi_resolution_unref(res);
    cli_input_release(&in);
    return rc;
}
