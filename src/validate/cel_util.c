#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>

#include "validate/cel.h"

const char *
gw_cel_string(const void *model, const char *field)
{
    const struct gw_info *info = gw_info_of(model);
    int i = gw_field_index(info->type, field);

    if (i < 0 || info->type->fields[i].kind != GW_FIELD_STRING)
        return NULL;
    return *(const char *const *)((const char *)model + info->type->fields[i].offset);
}

bool
gw_cel_is_ip(const char *s)
{
    unsigned char buf[16];

    return s && (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

bool
gw_cel_duration(const char *s, long double *out)
{
    static const struct {
        const char *unit;
        long double ns;
    } units[] = {
        { "ns", 1 }, { "us", 1e3L }, { "\xc2\xb5s", 1e3L }, { "ms", 1e6L }, { "s", 1e9L },
        { "m", 60e9L }, { "h", 3600e9L },
    };
    long double total = 0;
    int sign = 1;

    if (!s || !*s)
        return false;
    if (*s == '-' || *s == '+')
        sign = *s++ == '-' ? -1 : 1;
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return true;
    }
    while (*s) {
        char *end;
        long double value;
        size_t u, best = 0, best_len = 0;

        if (!isdigit((unsigned char)*s) && *s != '.')
            return false;
        value = strtold(s, &end);
        if (end == s)
            return false;
        s = end;
        for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
            size_t len = strlen(units[u].unit);
            if (strncmp(s, units[u].unit, len) == 0 && len > best_len) {
                best = u;
                best_len = len;
            }
        }
        if (!best_len)
            return false;
        total += value * units[best].ns;
        s += best_len;
    }
    *out = sign * total;
    return true;
}
