#include "parse/scalar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool
is_one_of(const char *text, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(text, *words) == 0)
            return true;
    return false;
}

static bool
all_digits(const char *s, const char *digits)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr(digits, *s))
            return false;
    return true;
}

static bool
is_float(const char *s)
{
    static const char *const specials[] = { ".inf", "+.inf", "-.inf", ".Inf", "+.Inf", "-.Inf",
                                            ".INF", "+.INF", "-.INF", ".nan", ".NaN", ".NAN",
                                            NULL };
    bool digits = false;

    if (is_one_of(s, specials))
        return true;
    if (*s == '+' || *s == '-')
        s++;
    while (*s >= '0' && *s <= '9')
        s++, digits = true;
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9')
            s++, digits = true;
    }
    if (!digits)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

void
gw_resolve_scalar(struct gw_node *node)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
    static const char *const trues[] = { "true", "True", "TRUE", NULL };
    static const char *const falses[] = { "false", "False", "FALSE", NULL };
    const char *t = node->text;
    const char *body = (*t == '+' || *t == '-') ? t + 1 : t;
    int base = 0;

    /* Most scalars are words: only these first characters can start anything but a string,
     * and a word longer than "false" is neither null nor a boolean. */
    if (*t == '\0') {
        node->type = GW_NODE_NULL;
        return;
    }
    if (!strchr("~nNtTfF.+-0123456789", *t) ||
        (strchr("nNtTfF", *t) && node->len > 5))
        return;

    if (is_one_of(t, nulls)) {
        node->type = GW_NODE_NULL;
    } else if (is_one_of(t, trues) || is_one_of(t, falses)) {
        node->type = GW_NODE_BOOL;
        node->integer = is_one_of(t, trues);
    } else if (all_digits(body, "0123456789")) {
        base = 10;
    } else if (strncmp(t, "0x", 2) == 0 && all_digits(t + 2, "0123456789abcdefABCDEF")) {
        base = 16;
    } else if (strncmp(t, "0o", 2) == 0 && all_digits(t + 2, "01234567")) {
        base = 8;
    } else if (is_float(t)) {
        node->type = GW_NODE_FLOAT;
    }
    if (base) {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(base == 10 ? t : t + 2, &end, base);
        /* An integer too large for 64 bits is still a number, just not an integer. */
        node->type = errno == ERANGE ? GW_NODE_FLOAT : GW_NODE_INT;
        node->integer = v;
    }
}
