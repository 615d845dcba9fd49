/* A JSON value written as block-style YAML, for the commands that write manifests of their own
 * making (gwapi convert). Strings are quoted whenever a plain scalar could be read otherwise. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* Would this string read back as itself without quotes? */
static bool
plain_ok(const char *s)
{
    static const char *const reserved[] = { "", "~", "null", "Null", "NULL", "true", "True",
                                            "TRUE", "false", "False", "FALSE", "yes", "no",
                                            "Yes", "No", "YES", "NO", "on", "off", "On", "Off",
                                            "ON", "OFF", "y", "n", NULL };
    size_t n = strlen(s);

    for (const char *const *r = reserved; *r; r++)
        if (strcmp(s, *r) == 0)
            return false;
    if (isdigit((unsigned char)s[0]) ||
        ((s[0] == '+' || s[0] == '-' || s[0] == '.') && (isdigit((unsigned char)s[1]) || s[1] == '.')))
        return false; /* could be a number, a version, a time or a base-60 integer */
    if (strcmp(s, ".inf") == 0 || strcmp(s, ".nan") == 0 || strcmp(s, ".Inf") == 0 ||
        strcmp(s, ".NaN") == 0 || strcmp(s, "<<") == 0)
        return false;
    if (strchr("-?:,[]{}#&*!|>'\"%@`= \t", s[0]) || s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || (c == ':' && (p[1] == ' ' || !p[1])) ||
            (c == '#' && p > s && p[-1] == ' '))
            return false;
    }
    return true;
}

static void
scalar_string(FILE *out, const char *s)
{
    if (plain_ok(s)) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            putc(c, out);
    }
    putc('"', out);
}

static void
scalar(FILE *out, const cJSON *v)
{
    if (cJSON_IsString(v))
        scalar_string(out, v->valuestring);
    else if (cJSON_IsBool(v))
        fputs(cJSON_IsTrue(v) ? "true" : "false", out);
    else if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
             fabs(v->valuedouble) < 9e15)
        fprintf(out, "%.0f", v->valuedouble);
    else if (cJSON_IsNumber(v))
        fprintf(out, "%.17g", v->valuedouble);
    else if (cJSON_IsArray(v))
        fputs("[]", out);
    else if (cJSON_IsObject(v))
        fputs("{}", out);
    else
        fputs("null", out);
}

static bool
is_collection(const cJSON *v)
{
    return (cJSON_IsArray(v) || cJSON_IsObject(v)) && v->child;
}

static void write_value(FILE *out, const cJSON *v, int indent);

/* The entries of a mapping, each on its own line at this indent (the first one's indent is
 * already written when first_inline). */
static void
write_mapping(FILE *out, const cJSON *v, int indent, bool first_inline)
{
    for (const cJSON *e = v->child; e; e = e->next) {
        if (e != v->child || !first_inline)
            fprintf(out, "%*s", indent, "");
        scalar_string(out, e->string);
        if (is_collection(e)) {
            fputs(":\n", out);
            write_value(out, e, cJSON_IsArray(e) ? indent : indent + 2);
        } else {
            fputs(": ", out);
            scalar(out, e);
            putc('\n', out);
        }
    }
}

static void
write_value(FILE *out, const cJSON *v, int indent)
{
    if (cJSON_IsObject(v) && v->child) {
        write_mapping(out, v, indent, false);
    } else if (cJSON_IsArray(v) && v->child) {
        for (const cJSON *e = v->child; e; e = e->next) {
            fprintf(out, "%*s- ", indent, "");
            if (cJSON_IsObject(e) && e->child) {
                write_mapping(out, e, indent + 2, true);
            } else if (cJSON_IsArray(e) && e->child) {
                putc('\n', out);
                write_value(out, e, indent + 2);
            } else {
                scalar(out, e);
                putc('\n', out);
            }
        }
    } else {
        fprintf(out, "%*s", indent, "");
        scalar(out, v);
        putc('\n', out);
    }
}

void
cli_print_yaml(FILE *out, const cJSON *value)
{
    write_value(out, value, 0);
}
