#include "util/hostname.h"

#include <string.h>

/* A wildcard suffix "s" (of "*.s") covers one or more whole labels before ".s". */
static bool
suffix_matches(const char *suffix, size_t slen, const char *host, size_t hlen)
{
    return hlen > slen + 1 && memcmp(host + hlen - slen, suffix, slen) == 0 &&
           host[hlen - slen - 1] == '.';
}

static bool
is_wildcard(const char *h)
{
    return h[0] == '*' && h[1] == '.';
}

bool
gw_hostname_matches(const char *pattern, const char *host, size_t host_len)
{
    if (!pattern)
        return true;
    if (is_wildcard(pattern))
        return suffix_matches(pattern + 2, strlen(pattern + 2), host, host_len);
    return strlen(pattern) == host_len && memcmp(pattern, host, host_len) == 0;
}

const char *
gw_hostname_intersect(const char *listener, const char *route)
{
    bool lw, rw;

    if (!listener)
        return route;
    lw = is_wildcard(listener);
    rw = is_wildcard(route);
    if (!lw && !rw)
        return strcmp(listener, route) == 0 ? listener : NULL;
    if (!lw)
        return gw_hostname_matches(route, listener, strlen(listener)) ? listener : NULL;
    if (!rw)
        return gw_hostname_matches(listener, route, strlen(route)) ? route : NULL;
    if (strcmp(listener, route) == 0)
        return listener;
    /* Two wildcards: the narrower one, when the wider covers it. */
    if (suffix_matches(listener + 2, strlen(listener + 2), route + 2, strlen(route + 2)))
        return route;
    if (suffix_matches(route + 2, strlen(route + 2), listener + 2, strlen(listener + 2)))
        return listener;
    return NULL;
}
