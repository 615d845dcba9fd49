/* Pieces the gwapi subcommands share. Subcommands are thin: all Gateway API logic is in the
 * library. */
#ifndef GWAPI_CLI_H
#define GWAPI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gatewayapi.h>

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_UNUSABLE = 2 };

/* The commands and their options (help.c): one table the parsers, the help and the man pages
 * are all made from. An option's code is what the parser returns for it. */
enum cli_option_code {
    CLI_OPT_HELP = 'h',
    CLI_OPT_OUTPUT = 'o',
    CLI_OPT_STRICT = 256,
    CLI_OPT_NO_VALIDATE,
    CLI_OPT_GATEWAY,
    CLI_OPT_CONTROLLER,
    CLI_OPT_INCLUDE_INVALID,
    CLI_OPT_SEED,
    CLI_OPT_MAX_LINE,
    CLI_OPT_SUMMARY,
    CLI_OPT_FAIL_UNDER,
    CLI_OPT_SEPARATE,
    CLI_OPT_QUIET = 'q',
};
#define CLI_MAX_OPTIONS 16

struct cli_option {
    const char *name;  /* --name */
    char short_name;   /* -x, or 0 */
    int code;
    const char *arg;   /* the argument's name, or NULL for a flag */
    const char *help;
};

struct cli_command {
    const char *name;
    const char *operands;
    const char *summary;
    const char *description;
    const struct cli_option *options; /* ends with a NULL name */
};

extern const struct cli_command cli_commands[]; /* ends with a NULL name */
const struct cli_command *cli_command(const char *name);
/* getopt_long's arrays for a command (longopts has room for CLI_MAX_OPTIONS + 1). */
void cli_getopt(const struct cli_command *c, struct option *longopts, char *shortopts);
/* The next option of argv, as getopt_long() (set optind = 1 first), by its code. */
int cli_next_option(int argc, char **argv, const struct cli_command *c);
/* gwapi --help (command NULL) or gwapi COMMAND --help. */
void cli_help(FILE *out, const char *command);
/* The man page of gwapi (command NULL) or of gwapi-COMMAND, in roff. */
void cli_man(FILE *out, const char *command);

struct cli_input {
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;
    gwapi_config **separate; /* CLI_LOAD_SEPARATE: one configuration per file (cfg is empty) */
    size_t n_separate;
    int files;
    bool unreadable; /* a file could not be read */
    size_t refused;  /* objects left out of binding because they fail validation */
};

/* Whether a command given n_paths paths has input: paths, or standard input that is not a
 * terminal. */
bool cli_has_input(int n_paths);
/* Load every path (a file, a folder read recursively, "-" for stdin; none: stdin) into one
 * configuration. Returns 0, or EXIT_UNUSABLE when
 * the library could not be set up at all. */
int cli_load(struct cli_input *in, char **paths, int n_paths, unsigned load_flags);
/* Load every file of the paths as its own configuration (in->separate), so that objects of
 * unrelated files do not meet; the diagnostics are all in in->diags. */
int cli_load_separately(struct cli_input *in, char **paths, int n_paths, unsigned load_flags);
void cli_input_release(struct cli_input *in);
/* Resolve the input, printing to stderr the objects left out because the API server would
 * refuse them. Returns gwapi_resolve()'s code. */
int cli_resolve(struct cli_input *in, const gwapi_resolve_options *options,
                gwapi_resolution **out);

/* The routers of gwapi route, compiled the first time a Gateway is asked for; a watch event
 * line changes cfg, and the routers are compiled again from a new resolution. */
struct cli_routers {
    gwapi_config *cfg;                   /* where events apply (the caller's) */
    gwapi_resolve_options options;
    gwapi_resolution *res;
    struct {
        char *gateway;
        gwapi_router *router;
    } *items;
    size_t n, cap;
};

gwapi_router *cli_router_for(struct cli_routers *rs, const char *gateway, int *err);
/* Releases the routers and the resolution. */
void cli_routers_release(struct cli_routers *rs);
/* Answer one line of len bytes (number counts from 1) with one JSON line on out: a request's
 * decision, or an applied watch event; nothing for a blank line. False when the line was bad
 * (its answer says why). seed draws the "random" of lines without one. */
bool cli_route_line(struct cli_routers *rs, const char *default_gateway, const char *line,
                    size_t len, size_t number, uint64_t *seed, FILE *out);

/* The decision on one request object (the `gwapi route` request shape), as the JSON object
 * `gwapi route` prints; NULL with error set when the request or its Gateway is wrong. */
struct cJSON;
struct cJSON *cli_decide(struct cli_routers *rs, const char *default_gateway,
                         const struct cJSON *in, uint64_t *seed, char *error, size_t error_size);

/* A request object (gwapi route's shape) as a request whose text points into it; *headers is
 * the caller's to free. False with error set when a field is wrong. */
bool cli_request_from_json(const struct cJSON *in, gwapi_request *req,
                           gwapi_header_slice **headers, uint64_t *seed, char *error,
                           size_t error_size);

/* The first document of a YAML or JSON file as a cJSON value (YAML scalars typed as YAML 1.2's
 * core schema reads them); NULL with error set (file:line:column) when it cannot be read. */
struct cJSON *cli_read_document(const char *path, char *error, size_t error_size);

/* A route's rules, any kind, either dialect (rules.c): their number (0: not a route), the
 * matches written in one (0: none, or an L4 route), and its backends, each as "ns/name:port"
 * with its weight, handed to fn in order. */
size_t cli_route_rules(const gwapi_object *route);
size_t cli_rule_matches(const gwapi_object *route, size_t rule);
void cli_each_backend(const gwapi_object *route, size_t rule,
                      void (*fn)(void *arg, const char *id, int64_t weight), void *arg);

/* Every document of a YAML or JSON text (a List's items as documents of their own), as a
 * cJSON array; NULL with error set at the first syntax error. */
struct cJSON *cli_parse_documents(const char *text, size_t len, const char *name, char *error,
                                  size_t error_size);

/* A JSON value as block-style YAML. */
void cli_print_yaml(FILE *out, const struct cJSON *value);

/* The listeners that take a route, from its explanation: each (parent "Kind ns/name", listener)
 * every check of which passed, handed to fn once. Returns how many. */
size_t cli_attached_listeners(const gwapi_explain_step *const *steps, size_t n,
                              void (*fn)(void *arg, const char *parent, const char *listener),
                              void *arg);

/* Text escaped for a TAP line (no line break, no "#" directive) and for XML. */
void cli_print_tap_text(FILE *out, const char *s);
void cli_print_xml_text(FILE *out, const char *s);

void cli_print_diag_text(FILE *out, const gwapi_diag *d);

int cmd_check(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_convert(int argc, char **argv);

#endif
