/* gwapi check: load and validate manifests, and report every problem, for people (text) or for
 * CI systems (json, junit, tap; in the manner of kubeconform). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One resource of the input: a loaded object, or a document refused before it became one. */
struct resource {
    const char *source;
    unsigned line;
    const char *kind, *ns, *name, *api_version;
    size_t errors;
    const gwapi_diag *first_error;
};

struct report {
    struct resource *items;
    size_t count;
    size_t errors, warnings, invalid;
};

static bool
diag_is_about(const gwapi_diag *d, const gwapi_object *o)
{
    const char *ns = o->metadata->namespace_;
    return d->kind && d->name && strcmp(d->kind, o->kind_name) == 0 &&
           strcmp(d->name, o->metadata->name) == 0 &&
           ((!d->ns && !ns) || (d->ns && ns && strcmp(d->ns, ns) == 0));
}

static int
by_position(const void *a, const void *b)
{
    const struct resource *ra = a, *rb = b;
    int c = strcmp(ra->source ? ra->source : "", rb->source ? rb->source : "");
    return c ? c : (ra->line > rb->line) - (ra->line < rb->line);
}

/* Resources are the loaded objects plus the documents refused outright (an error about no
 * object); a resource is invalid when an error names it. */
static bool
build_report(const struct cli_input *in, struct report *r)
{
    size_t n_diags = gwapi_diags_count(in->diags), n_objects = gwapi_config_count(in->cfg);

    memset(r, 0, sizeof(*r));
    r->items = calloc(n_objects + n_diags + 1, sizeof(*r->items));
    if (!r->items)
        return false;
    for (size_t i = 0; i < n_objects; i++) {
        const gwapi_object *o = gwapi_config_get(in->cfg, i);
        struct resource *res = &r->items[r->count++];
        res->source = o->source;
        res->line = o->line;
        res->kind = o->kind_name;
        res->ns = o->metadata->namespace_;
        res->name = o->metadata->name;
        res->api_version = o->api_version;
        for (size_t j = 0; j < n_diags; j++) {
            const gwapi_diag *d = gwapi_diags_get(in->diags, j);
            if (d->severity == GWAPI_SEVERITY_ERROR && diag_is_about(d, o)) {
                if (!res->first_error)
                    res->first_error = d;
                res->errors++;
            }
        }
    }
    for (size_t j = 0; j < n_diags; j++) {
        const gwapi_diag *d = gwapi_diags_get(in->diags, j);
        if (d->severity == GWAPI_SEVERITY_ERROR) {
            r->errors++;
            if (!d->name && strcmp(d->code, "io") != 0) {
                struct resource *res = &r->items[r->count++];
                res->source = d->source;
                res->line = d->line;
                res->kind = d->kind;
                res->errors = 1;
                res->first_error = d;
            }
        } else if (d->severity == GWAPI_SEVERITY_WARNING) {
            r->warnings++;
        }
    }
    for (size_t i = 0; i < r->count; i++)
        r->invalid += r->items[i].errors > 0;
    qsort(r->items, r->count, sizeof(*r->items), by_position);
    return true;
}

static void
print_json(const struct cli_input *in, const struct report *r)
{
    size_t n = gwapi_diags_count(in->diags);

    printf("{\"diagnostics\": [");
    for (size_t i = 0; i < n; i++) {
        const gwapi_diag *d = gwapi_diags_get(in->diags, i);
        printf("%s\n  {\"severity\": \"%s\", \"code\": ", i ? "," : "",
               gwapi_severity_name(d->severity));
        cli_print_json_string(stdout, d->code);
        printf(", \"source\": ");
        cli_print_json_string(stdout, d->source);
        printf(", \"line\": %u, \"column\": %u, \"kind\": ", d->line, d->column);
        cli_print_json_string(stdout, d->kind);
        printf(", \"namespace\": ");
        cli_print_json_string(stdout, d->ns);
        printf(", \"name\": ");
        cli_print_json_string(stdout, d->name);
        printf(", \"path\": ");
        cli_print_json_string(stdout, d->path);
        printf(", \"reason\": ");
        cli_print_json_string(stdout, d->reason);
        printf(", \"message\": ");
        cli_print_json_string(stdout, d->message);
        printf("}");
    }
    printf("%s],\n \"resources\": [", n ? "\n" : "");
    for (size_t i = 0; i < r->count; i++) {
        const struct resource *res = &r->items[i];
        printf("%s\n  {\"source\": ", i ? "," : "");
        cli_print_json_string(stdout, res->source);
        printf(", \"line\": %u, \"apiVersion\": ", res->line);
        cli_print_json_string(stdout, res->api_version);
        printf(", \"kind\": ");
        cli_print_json_string(stdout, res->kind);
        printf(", \"namespace\": ");
        cli_print_json_string(stdout, res->ns);
        printf(", \"name\": ");
        cli_print_json_string(stdout, res->name);
        printf(", \"status\": \"%s\", \"errors\": %zu}", res->errors ? "invalid" : "valid",
               res->errors);
    }
    printf("%s],\n \"summary\": {\"files\": %d, \"resources\": %zu, \"invalid\": %zu, "
           "\"valid\": %zu, \"errors\": %zu, \"warnings\": %zu}}\n",
           r->count ? "\n" : "", in->files, r->count, r->invalid, r->count - r->invalid,
           r->errors, r->warnings);
}

static void
describe(const struct resource *res, char *buf, size_t size)
{
    if (res->kind && res->name && res->ns)
        snprintf(buf, size, "%s %s/%s", res->kind, res->ns, res->name);
    else if (res->kind && res->name)
        snprintf(buf, size, "%s %s", res->kind, res->name);
    else
        snprintf(buf, size, "document at line %u", res->line);
}

/* Text on a TAP test line: a line break would forge a line of its own, and "#" starts a
 * directive, so both are escaped, as are the other control characters. */
static void
print_tap_text(const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\\' || c == '#')
            printf("\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

/* A diagnostic as one line, however long. */
static char *
format_diag(const gwapi_diag *d)
{
    size_t len = gwapi_diag_format(d, NULL, 0);
    char *line = malloc(len + 1);

    if (line)
        gwapi_diag_format(d, line, len + 1);
    return line;
}

static void
print_tap(const struct report *r)
{
    printf("TAP version 13\n");
    for (size_t i = 0; i < r->count; i++) {
        const struct resource *res = &r->items[i];
        char what[600];
        describe(res, what, sizeof(what));
        printf("%s %zu - ", res->errors ? "not ok" : "ok", i + 1);
        print_tap_text(res->source ? res->source : "-");
        printf(" (");
        print_tap_text(what);
        printf(")");
        if (res->errors) {
            char *line = format_diag(res->first_error);
            printf(" - ");
            print_tap_text(line ? line : res->first_error->message);
            free(line);
        }
        printf("\n");
    }
    printf("1..%zu\n", r->count);
}

static void
print_xml_text(const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '&': fputs("&amp;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        case '\n': fputs("&#10;", stdout); break;
        case '\r': fputs("&#13;", stdout); break;
        case '\t': fputs("&#9;", stdout); break;
        default:
            /* XML 1.0 has no other control characters, not even as references. */
            if ((unsigned char)*s < 0x20)
                printf("\\x%02x", (unsigned char)*s);
            else
                putchar(*s);
            break;
        }
    }
}

/* One testsuite per file, one testcase per resource, a failure listing its errors. */
static void
print_junit(const struct cli_input *in, const struct report *r)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    printf("<testsuites name=\"gwapi\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", r->count,
           r->invalid);
    for (size_t i = 0; i < r->count;) {
        const char *source = r->items[i].source ? r->items[i].source : "-";
        size_t end = i, failures = 0;
        while (end < r->count &&
               strcmp(r->items[end].source ? r->items[end].source : "-", source) == 0)
            failures += r->items[end++].errors > 0;
        printf("  <testsuite name=\"");
        print_xml_text(source);
        printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", end - i,
               failures);
        for (; i < end; i++) {
            const struct resource *res = &r->items[i];
            char what[600];
            describe(res, what, sizeof(what));
            printf("    <testcase name=\"");
            print_xml_text(what);
            printf("\" classname=\"");
            print_xml_text(res->api_version ? res->api_version : "");
            printf("\">");
            if (res->errors) {
                printf("\n      <failure message=\"");
                print_xml_text(res->first_error->message);
                printf("\" type=\"%s\">", res->first_error->code);
                for (size_t j = 0; j < gwapi_diags_count(in->diags); j++) {
                    const gwapi_diag *d = gwapi_diags_get(in->diags, j);
                    char *line;
                    if (d->severity != GWAPI_SEVERITY_ERROR ||
                        (d != res->first_error &&
                         !(res->name && d->name && d->kind && res->kind &&
                           strcmp(d->name, res->name) == 0 && strcmp(d->kind, res->kind) == 0 &&
                           ((!d->ns && !res->ns) ||
                            (d->ns && res->ns && strcmp(d->ns, res->ns) == 0)))))
                        continue;
                    line = format_diag(d);
                    printf("\n");
                    print_xml_text(line ? line : d->message);
                    free(line);
                }
                printf("</failure>\n    ");
            }
            printf("</testcase>\n");
        }
        printf("  </testsuite>\n");
    }
    printf("</testsuites>\n");
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: gwapi check [--strict] [--no-validate] [-o text|json|junit|tap] "
                 "FILE...|-\n");
}

int
cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "strict", no_argument, NULL, 's' },
        { "no-validate", no_argument, NULL, 'n' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *const formats[] = { "text", "json", "junit", "tap", NULL };
    struct cli_input in = { 0 };
    const char *format = "text";
    unsigned flags = GWAPI_LOAD_VALIDATE;
    struct report r;
    bool known = false;
    int opt, rc;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': flags |= GWAPI_LOAD_STRICT; break;
        case 'n': flags &= ~(unsigned)GWAPI_LOAD_VALIDATE; break;
        case 'o': format = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_UNUSABLE;
        }
    }
    for (const char *const *f = formats; *f; f++)
        known |= strcmp(*f, format) == 0;
    if (optind >= argc || !known) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    rc = cli_load(&in, argv + optind, argc - optind, flags);
    if (rc || !build_report(&in, &r)) {
        cli_input_release(&in);
        return rc ? rc : EXIT_UNUSABLE;
    }
    if (strcmp(format, "json") == 0) {
        print_json(&in, &r);
    } else if (strcmp(format, "tap") == 0) {
        print_tap(&r);
    } else if (strcmp(format, "junit") == 0) {
        print_junit(&in, &r);
    } else {
        for (size_t i = 0; i < gwapi_diags_count(in.diags); i++)
            cli_print_diag_text(stdout, gwapi_diags_get(in.diags, i));
        printf("%zu resources, %zu invalid, %zu valid\n", r.count, r.invalid,
               r.count - r.invalid);
    }
    rc = in.unreadable ? EXIT_UNUSABLE : r.errors ? EXIT_INVALID : EXIT_OK;
    free(r.items);
    cli_input_release(&in);
    return rc;
}
