/* Durations as Kubernetes writes them (Go's time.ParseDuration: "1h30m", "250ms", "0"), read
 * by CEL's duration() in validation and by the router for a rule's timeouts. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/duration.h"

bool
gw_duration_ns(const char *s, long double *out)
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
