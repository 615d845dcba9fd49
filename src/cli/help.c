/* Every command and option of gwapi, in one table: the option parsers are made from it, and so
 * are `gwapi --help`, `gwapi CMD --help` and the man pages (`gwapi help --man [CMD]`), which
 * therefore cannot drift from what the commands accept. */
#include <string.h>

#include "cli.h"

#define HELP_OPTION { "help", 'h', CLI_OPT_HELP, NULL, "show this help and exit" }
#define CONTROLLER_OPTION                                                                      \
    { "controller", 0, CLI_OPT_CONTROLLER, "NAME",                                             \
      "serve only GatewayClasses with this controllerName (default: every class)" }
#define INCLUDE_INVALID_OPTION                                                                 \
    { "include-invalid", 0, CLI_OPT_INCLUDE_INVALID, NULL,                                     \
      "bind objects that fail validation too (the API server would refuse them)" }

static const struct cli_option check_options[] = {
    { "strict", 0, CLI_OPT_STRICT, NULL,
      "unknown fields and duplicate keys are errors (the API server's fieldValidation=Strict)" },
    { "no-validate", 0, CLI_OPT_NO_VALIDATE, NULL,
      "check syntax and types only, not the CRDs' constraints and CEL rules" },
    { "output", 'o', CLI_OPT_OUTPUT, "text|json|junit|tap", "report format (default: text)" },
    { "summary", 0, CLI_OPT_SUMMARY, NULL, "text: only the summary line" },
    { "quiet", 'q', CLI_OPT_QUIET, NULL, "print nothing: the exit status says it all" },
    { "separate", 0, CLI_OPT_SEPARATE, NULL,
      "check each file as its own configuration (objects of two files never clash)" },
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option dump_options[] = {
    { "strict", 0, CLI_OPT_STRICT, NULL, "unknown fields and duplicate keys are errors" },
    { "output", 'o', CLI_OPT_OUTPUT, "json|yaml", "output format (default: json)" },
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option status_options[] = {
    { "output", 'o', CLI_OPT_OUTPUT, "json|yaml", "output format (default: json)" },
    { "gateway", 0, CLI_OPT_GATEWAY, "NS/NAME", "only that Gateway and what attaches to it" },
    CONTROLLER_OPTION,
    INCLUDE_INVALID_OPTION,
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option explain_options[] = {
    { "gateway", 0, CLI_OPT_GATEWAY, "NS/NAME",
      "explain request: the Gateway, when the request names none" },
    CONTROLLER_OPTION,
    INCLUDE_INVALID_OPTION,
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option route_options[] = {
    { "gateway", 0, CLI_OPT_GATEWAY, "NS/NAME", "the Gateway of request lines that name none" },
    { "seed", 0, CLI_OPT_SEED, "N",
      "seed of the weighted choices of lines without \"random\" (default: 1)" },
    CONTROLLER_OPTION,
    INCLUDE_INVALID_OPTION,
    { "max-line-bytes", 0, CLI_OPT_MAX_LINE, "N",
      "longest input line accepted (default: 1 MiB); a longer one is answered with an error" },
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option test_options[] = {
    { "gateway", 0, CLI_OPT_GATEWAY, "NS/NAME",
      "the Gateway of tests whose request names none (default: the test file's \"gateway\")" },
    { "output", 'o', CLI_OPT_OUTPUT, "text|json|junit|tap", "report format (default: text)" },
    { "fail-under", 0, CLI_OPT_FAIL_UNDER, "PCT",
      "fail when the coverage of rules, matches and backends is under PCT percent" },
    { "quiet", 'q', CLI_OPT_QUIET, NULL, "print nothing: the exit status says it all" },
    CONTROLLER_OPTION,
    INCLUDE_INVALID_OPTION,
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option graph_options[] = {
    { "output", 'o', CLI_OPT_OUTPUT, "dot|svg",
      "dot (the default) or svg, drawn by Graphviz's dot when it is installed" },
    { "gateway", 0, CLI_OPT_GATEWAY, "NS/NAME", "only that Gateway and what reaches it" },
    CONTROLLER_OPTION,
    INCLUDE_INVALID_OPTION,
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option convert_options[] = {
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option watch_options[] = {
    CONTROLLER_OPTION,
    INCLUDE_INVALID_OPTION,
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

static const struct cli_option version_options[] = {
    HELP_OPTION,
    { NULL, 0, 0, NULL, NULL },
};

const struct cli_command cli_commands[] = {
    { "check", "[FILE|FOLDER...|-]", "load, validate and report problems",
      "Loads the manifests (YAML or JSON: objects, Lists, watch events; a folder is read "
      "recursively, its *.yaml, *.yml and *.json files in name order; - or no path is standard "
      "input, when it is not a terminal) and validates every object as the API server would. "
      "Exit status 1 when an object is invalid.",
      check_options },
    { "dump", "[FILE|FOLDER...|-]", "write the loaded objects back out",
      "Writes every object loaded, with the CRDs' defaults applied, as JSON or YAML.",
      dump_options },
    { "status", "[FILE|FOLDER...|-]", "the status a controller would write",
      "Resolves the configuration and prints the status of every GatewayClass, Gateway, "
      "ListenerSet, route and policy, as a List.",
      status_options },
    { "explain", "ROUTE-KIND [NS/]NAME | request REQUEST-JSON  [FILE|FOLDER...|-]",
      "why a route is or is not attached; how a request is decided",
      "Prints, check by check, why the route is or is not attached to each of its parents. "
      "A NAME without namespace is in namespace default, as kubectl reads it. "
      "explain request takes a request (gwapi route's request shape, as one JSON argument) and "
      "prints every route match of the Gateway in the order the router tries them: the first "
      "check the request fails (listener, hostname, path, method, header, query), and for the "
      "winner why it beats the next candidate whose checks all hold.",
      explain_options },
    { "route", "FILE|FOLDER... < requests.jsonl", "route requests, one JSON line each",
      "Reads request lines (and watch event lines, applied as they come) on standard input and "
      "answers each with one JSON line: the decision, the rule's filters applied.",
      route_options },
    { "test", "TESTS.yaml FILE|FOLDER...", "run route tests, with coverage",
      "Routes each test's request (the request shape of gwapi route) and compares the decision "
      "with what the test expects: status, listener, kind, route, rule, match, backend, the "
      "backends' weights, the rewritten path and host, request headers set or removed, the "
      "redirect's Location. Reports each difference, and the rules, matches and backends of "
      "the Gateways' routes that no test reached. Exit status 1 when a test fails or the "
      "coverage is under --fail-under. The test file's format is in doc/gwapi.md.",
      test_options },
    { "graph", "[FILE|FOLDER...|-]", "draw Gateways, listeners, routes and backends",
      "Draws every Gateway, its listeners, the routes attached to each listener and their "
      "backends (edges labelled with the rule and the weight), as a Graphviz graph. A route "
      "that names a Gateway but is not attached to it is drawn dashed in red, its edge to the "
      "Gateway labelled with the reason.",
      graph_options },
    { "convert", "[FILE|FOLDER...|-]", "write v1alpha1 objects and Ingresses as v1",
      "Writes the manifests to standard output as gateway.networking.k8s.io/v1 YAML: "
      "networking.x-k8s.io/v1alpha1 GatewayClasses, Gateways and HTTPRoutes (the label "
      "selectors and gateways.allow become the parentRefs of the listeners that take each "
      "route, forwardTo becomes backendRefs), and networking.k8s.io/v1 IngressClasses and "
      "Ingresses (a Gateway per class and namespace, an HTTPRoute per host, with the "
      "ingress-nginx annotations rewrite-target, ssl-redirect, canary and CORS). Other "
      "objects pass through. What cannot be carried over is a warning on standard error.",
      convert_options },
    { "watch", "[FILE|-]", "follow a watch stream",
      "Applies a stream of watch events and prints, one JSON line each, the statuses and "
      "routers that changed.",
      watch_options },
    { "version", "", "print the version",
      "Prints the versions of the command and of the library it runs with.", version_options },
    { NULL, NULL, NULL, NULL, NULL },
};

const struct cli_command *
cli_command(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void
cli_getopt(const struct cli_command *c, struct option *longopts, char *shortopts)
{
    size_t n = 0, s = 0;
    for (const struct cli_option *o = c->options; o->name; o++, n++) {
        longopts[n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL,
                                       o->code };
        if (o->short_name) {
            shortopts[s++] = o->short_name;
            if (o->arg)
                shortopts[s++] = ':';
        }
    }
    longopts[n] = (struct option){ NULL, 0, NULL, 0 };
    shortopts[s] = '\0';
}

int
cli_next_option(int argc, char **argv, const struct cli_command *c)
{
    struct option longopts[CLI_MAX_OPTIONS + 1];
    char shortopts[2 * CLI_MAX_OPTIONS + 1];
    int opt;

    cli_getopt(c, longopts, shortopts);
    opt = getopt_long(argc, argv, shortopts, longopts, NULL);
    /* Short options come back as their letter: the code they stand for is the table's. */
    for (const struct cli_option *o = c->options; o->name && opt > 0; o++)
        if (o->short_name == opt)
            return o->code;
    return opt;
}

static void
synopsis(FILE *out, const struct cli_command *c)
{
    fprintf(out, "gwapi %s", c->name);
    for (const struct cli_option *o = c->options; o->name; o++) {
        if (o->code == CLI_OPT_HELP)
            continue;
        if (o->short_name)
            fprintf(out, " [-%c %s]", o->short_name, o->arg);
        else
            fprintf(out, o->arg ? " [--%s %s]" : " [--%s]", o->name, o->arg);
    }
    fprintf(out, "%s%s\n", *c->operands ? " " : "", c->operands);
}

static void
describe_options(FILE *out, const struct cli_command *c)
{
    for (const struct cli_option *o = c->options; o->name; o++) {
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-32s %s\n", left, o->help);
    }
}

void
cli_help(FILE *out, const char *command)
{
    const struct cli_command *c = command ? cli_command(command) : NULL;
    if (c) {
        fprintf(out, "usage: ");
        synopsis(out, c);
        fprintf(out, "\n%s\n\noptions:\n", c->description);
        describe_options(out, c);
        return;
    }
    fprintf(out, "usage: gwapi COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (c = cli_commands; c->name; c++) {
        fprintf(out, "\n  %s: %s\n  ", c->name, c->summary);
        synopsis(out, c);
        describe_options(out, c);
    }
    fprintf(out, "\n  gwapi --version, gwapi -h|--help, gwapi CMD -h|--help\n"
                 "\nexit status: 0 no error, 1 the input has errors, 2 unusable input or usage\n");
}

/* Text for roff: a leading dot or quote would be a request, a backslash an escape. */
static void
roff(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
    }
}

static void
man_options(FILE *out, const struct cli_command *c)
{
    for (const struct cli_option *o = c->options; o->name; o++) {
        fputs(".TP\n", out);
        if (o->short_name)
            fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
        fputs("\\fB\\-\\-", out);
        roff(out, o->name);
        fputs("\\fR", out);
        if (o->arg) {
            fputs(" \\fI", out);
            roff(out, o->arg);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        roff(out, o->help);
        fputc('\n', out);
    }
}

void
cli_man(FILE *out, const char *command)
{
    const struct cli_command *c = command ? cli_command(command) : NULL;
    fprintf(out, ".TH %s%s%s 1 \"\" \"gwapi %s\" \"User Commands\"\n.SH NAME\n",
            c ? "GWAPI\\-" : "GWAPI", c ? c->name : "", "", GWAPI_VERSION_STRING);
    if (c) {
        fprintf(out, "gwapi\\-%s \\- ", c->name);
        roff(out, c->summary);
        fputs("\n.SH SYNOPSIS\n", out);
        synopsis(out, c);
        fputs(".SH DESCRIPTION\n", out);
        roff(out, c->description);
        fputs("\n.SH OPTIONS\n", out);
        man_options(out, c);
    } else {
        fputs("gwapi \\- the Kubernetes Gateway API on the command line\n.SH SYNOPSIS\n"
              "gwapi \\fICOMMAND\\fR [\\fIOPTIONS\\fR] ...\n.SH COMMANDS\n", out);
        for (c = cli_commands; c->name; c++) {
            fprintf(out, ".TP\n\\fB%s\\fR\n", c->name);
            roff(out, c->summary);
            fprintf(out, " (see \\fBgwapi\\-%s\\fR(1))\n", c->name);
        }
    }
    fputs(".SH EXIT STATUS\n0: no error; 1: the input has errors; 2: unusable input or usage.\n"
          ".SH SEE ALSO\nThe documentation of libgatewayapi (doc/gwapi.md).\n", out);
}
