/* gwapi check: load and validate manifests, and report every problem, for people (text) or for
 * CI systems (json, junit, tap; in the manner of kubeconform). */
#include <cjson/cJSON.h>
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
    size_t first; /* its errors are report.errors_of[first .. first + errors) */
};

struct report {
    struct resource *items;
    size_t count;
    const gwapi_diag **errors_of; /* the error diagnostics, grouped by resource */
    size_t errors, warnings, invalid;
    size_t skipped; /* documents of kinds the library does not model */
};

static int
compare_position(const char *source_a, unsigned line_a, const char *source_b, unsigned line_b)
{
    int c = strcmp(source_a ? source_a : "", source_b ? source_b : "");
    return c ? c : (line_a > line_b) - (line_a < line_b);
}

static int
by_position(const void *a, const void *b)
{
    const struct resource *ra = a, *rb = b;
    return compare_position(ra->source, ra->line, rb->source, rb->line);
}

/* The error diagnostics that name the line of an object (or a document) by that position. */
static int
by_object_position(const void *a, const void *b)
{
    const gwapi_diag *da = *(const gwapi_diag *const *)a, *db = *(const gwapi_diag *const *)b;
    int c = compare_position(da->source, da->object_line, db->source, db->object_line);
    return c ? c : (da > db) - (da < db); /* stable: in the order reported */
}

static struct resource *
resource_at(const struct report *r, size_t n, const char *source, unsigned line)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_position(r->items[mid].source, r->items[mid].line, source, line);
        if (c == 0)
            return &r->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Resources are the loaded objects plus the documents refused outright; every error names
 * the line where its object or document starts, so that a document with several errors is
 * one resource, found by a binary search (never a scan of every object per diagnostic). */
static bool
build_report(const struct cli_input *in, struct report *r)
{
    size_t n_diags = gwapi_diags_count(in->diags), n_objects = gwapi_config_count(in->cfg);
    const gwapi_diag **errors;
    size_t n_errors = 0, at = 0;

    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < in->n_separate; i++)
        n_objects += gwapi_config_count(in->separate[i]);
    r->items = calloc(n_objects + n_diags + 1, sizeof(*r->items));
    errors = calloc(n_diags + 1, sizeof(*errors));
    r->errors_of = calloc(n_diags + 1, sizeof(*r->errors_of));
    if (!r->items || !errors || !r->errors_of) {
        free(r->items);
        free(errors);
        free(r->errors_of);
        return false;
    }
    /* The objects of the configuration, or of each file's when they were loaded apart. */
    for (size_t c = 0; c <= in->n_separate; c++) {
        const gwapi_config *cfg = c == 0 ? in->cfg : in->separate[c - 1];
        for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
            const gwapi_object *o = gwapi_config_get(cfg, i);
            struct resource *res = &r->items[r->count++];
            res->source = o->source;
            res->line = o->line;
            res->kind = o->kind_name;
            res->ns = o->metadata->namespace_;
            res->name = o->metadata->name;
            res->api_version = o->api_version;
        }
    }
    qsort(r->items, r->count, sizeof(*r->items), by_position);
    for (size_t j = 0; j < n_diags; j++) {
        const gwapi_diag *d = gwapi_diags_get(in->diags, j);
        if (d->severity == GWAPI_SEVERITY_WARNING)
            r->warnings++;
        if (strcmp(d->code, GWAPI_CODE_UNKNOWN_KIND) == 0)
            r->skipped++;
        if (d->severity != GWAPI_SEVERITY_ERROR)
            continue;
        r->errors++;
        if (strcmp(d->code, "io") != 0) /* an unreadable file is no resource */
            errors[n_errors++] = d;
    }
    /* Grouped by the object or document they are about, each group in the order reported. */
    qsort(errors, n_errors, sizeof(*errors), by_object_position);
    for (size_t j = 0; j < n_errors;) {
        const gwapi_diag *d = errors[j];
        struct resource *res = d->object_line ? resource_at(r, n_objects, d->source,
                                                            d->object_line) : NULL;
        size_t end = j + 1;
        while (d->object_line && end < n_errors &&
               compare_position(errors[end]->source, errors[end]->object_line, d->source,
                                d->object_line) == 0)
            end++;
        if (!res) { /* a document that became no object */
            res = &r->items[r->count++];
            res->source = d->source;
            res->line = d->object_line ? d->object_line : d->line;
            res->kind = d->kind;
            res->ns = d->ns;
            res->name = d->name;
        }
        res->first = at;
        res->errors = end - j;
        res->first_error = d;
        while (j < end)
            r->errors_of[at++] = errors[j++];
    }
    free(errors);
    for (size_t i = 0; i < r->count; i++)
        r->invalid += r->items[i].errors > 0;
    qsort(r->items, r->count, sizeof(*r->items), by_position);
    return true;
}

static void
add_string(cJSON *obj, const char *key, const char *value)
{
    cJSON_AddItemToObject(obj, key, value ? cJSON_CreateString(value) : cJSON_CreateNull());
}

static void
print_json(const struct cli_input *in, const struct report *r)
{
    cJSON *out = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(out, "diagnostics"), *sum;
    char *text;

    for (size_t i = 0; i < gwapi_diags_count(in->diags); i++) {
        const gwapi_diag *d = gwapi_diags_get(in->diags, i);
        cJSON *item = cJSON_CreateObject();
        add_string(item, "severity", gwapi_severity_name(d->severity));
        add_string(item, "code", d->code);
        add_string(item, "source", d->source);
        cJSON_AddNumberToObject(item, "line", d->line);
        cJSON_AddNumberToObject(item, "column", d->column);
        add_string(item, "kind", d->kind);
        add_string(item, "namespace", d->ns);
        add_string(item, "name", d->name);
        add_string(item, "path", d->path);
        add_string(item, "reason", d->reason);
        add_string(item, "message", d->message);
        cJSON_AddItemToArray(list, item);
    }
    list = cJSON_AddArrayToObject(out, "resources");
    for (size_t i = 0; i < r->count; i++) {
        const struct resource *res = &r->items[i];
        cJSON *item = cJSON_CreateObject();
        add_string(item, "source", res->source);
        cJSON_AddNumberToObject(item, "line", res->line);
        add_string(item, "apiVersion", res->api_version);
        add_string(item, "kind", res->kind);
        add_string(item, "namespace", res->ns);
        add_string(item, "name", res->name);
        add_string(item, "status", res->errors ? "invalid" : "valid");
        cJSON_AddNumberToObject(item, "errors", (double)res->errors);
        cJSON_AddItemToArray(list, item);
    }
    sum = cJSON_AddObjectToObject(out, "summary");
    cJSON_AddNumberToObject(sum, "files", in->files);
    cJSON_AddNumberToObject(sum, "resources", (double)r->count);
    cJSON_AddNumberToObject(sum, "invalid", (double)r->invalid);
    cJSON_AddNumberToObject(sum, "valid", (double)(r->count - r->invalid));
    cJSON_AddNumberToObject(sum, "errors", (double)r->errors);
    cJSON_AddNumberToObject(sum, "warnings", (double)r->warnings);
    cJSON_AddNumberToObject(sum, "skipped", (double)r->skipped);
    text = cJSON_Print(out);
    if (text)
        puts(text);
    free(text);
    cJSON_Delete(out);
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
        cli_print_tap_text(stdout, res->source ? res->source : "-");
        printf(" (");
        cli_print_tap_text(stdout, what);
        printf(")");
        if (res->errors) {
            char *line = format_diag(res->first_error);
            printf(" - ");
            cli_print_tap_text(stdout, line ? line : res->first_error->message);
            free(line);
        }
        printf("\n");
    }
    printf("1..%zu\n", r->count);
    if (r->skipped)
        printf("# %zu documents of kinds not modelled were skipped\n", r->skipped);
}

/* One testsuite per file, one testcase per resource, a failure listing its errors. */
static void
print_junit(const struct cli_input *in, const struct report *r)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    printf("<testsuites name=\"gwapi\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
           "skipped=\"%zu\">\n", r->count, r->invalid, r->skipped);
    for (size_t i = 0; i < r->count;) {
        const char *source = r->items[i].source ? r->items[i].source : "-";
        size_t end = i, failures = 0;
        while (end < r->count &&
               strcmp(r->items[end].source ? r->items[end].source : "-", source) == 0)
            failures += r->items[end++].errors > 0;
        printf("  <testsuite name=\"");
        cli_print_xml_text(stdout, source);
        printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", end - i,
               failures);
        for (; i < end; i++) {
            const struct resource *res = &r->items[i];
            char what[600];
            describe(res, what, sizeof(what));
            printf("    <testcase name=\"");
            cli_print_xml_text(stdout, what);
            printf("\" classname=\"");
            cli_print_xml_text(stdout, res->api_version ? res->api_version : "");
            printf("\">");
            if (res->errors) {
                printf("\n      <failure message=\"");
                cli_print_xml_text(stdout, res->first_error->message);
                printf("\" type=\"%s\">", res->first_error->code);
                for (size_t j = res->first; j < res->first + res->errors; j++) {
                    char *line = format_diag(r->errors_of[j]);
                    printf("\n");
                    cli_print_xml_text(stdout, line ? line : r->errors_of[j]->message);
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

int
cmd_check(int argc, char **argv)
{
    static const char *const formats[] = { "text", "json", "junit", "tap", NULL };
    struct cli_input in = { 0 };
    const char *format = "text";
    bool summary_only = false, quiet = false, separate = false;
    unsigned flags = GWAPI_LOAD_VALIDATE;
    struct report r;
    bool known = false;
    int opt, rc;

    optind = 1;
    while ((opt = cli_next_option(argc, argv, cli_command("check"))) != -1) {
        switch (opt) {
        case CLI_OPT_STRICT: flags |= GWAPI_LOAD_STRICT; break;
        case CLI_OPT_NO_VALIDATE: flags &= ~(unsigned)GWAPI_LOAD_VALIDATE; break;
        case CLI_OPT_OUTPUT: format = optarg; break;
        case CLI_OPT_SUMMARY: summary_only = true; break;
        case CLI_OPT_QUIET: quiet = true; break;
        case CLI_OPT_SEPARATE: separate = true; break;
        case CLI_OPT_HELP: cli_help(stdout, "check"); return EXIT_OK;
        default: cli_help(stderr, "check"); return EXIT_UNUSABLE;
        }
    }
    for (const char *const *f = formats; *f; f++)
        known |= strcmp(*f, format) == 0;
    if (!cli_has_input(argc - optind) || !known) {
        cli_help(stderr, "check");
        return EXIT_UNUSABLE;
    }
    rc = separate ? cli_load_separately(&in, argv + optind, argc - optind, flags)
                  : cli_load(&in, argv + optind, argc - optind, flags);
    if (rc || !build_report(&in, &r)) {
        cli_input_release(&in);
        return rc ? rc : EXIT_UNUSABLE;
    }
    if (quiet) {
        /* The exit status says it all. */
    } else if (strcmp(format, "json") == 0) {
        print_json(&in, &r);
    } else if (strcmp(format, "tap") == 0) {
        print_tap(&r);
    } else if (strcmp(format, "junit") == 0) {
        print_junit(&in, &r);
    } else {
        for (size_t i = 0; !summary_only && i < gwapi_diags_count(in.diags); i++)
            cli_print_diag_text(stdout, gwapi_diags_get(in.diags, i));
        printf("%zu resources, %zu invalid, %zu valid", r.count, r.invalid, r.count - r.invalid);
        if (r.skipped)
            printf(", %zu skipped", r.skipped);
        printf("\n");
    }
    rc = in.unreadable ? EXIT_UNUSABLE : r.errors ? EXIT_INVALID : EXIT_OK;
    free(r.items);
    free(r.errors_of);
    cli_input_release(&in);
    return rc;
}
