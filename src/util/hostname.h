/* Hostnames as the Gateway API compares them: exact names, and "*.suffix" wildcards that cover
 * one or more whole labels before ".suffix". Pure functions, shared by the resolution (listener
 * and route hostnames) and the router (the hosts of requests). */
#ifndef GW_UTIL_HOSTNAME_H
#define GW_UTIL_HOSTNAME_H

#include <stdbool.h>
#include <stddef.h>

/* Does pattern (NULL: any host) cover host[0..host_len)? Case is the caller's to fold. */
bool gw_hostname_matches(const char *pattern, const char *host, size_t host_len);
/* The hostname a listener's (NULL: any) and a route's hostname have in common: the more
 * specific of the two, or NULL when they have none. */
const char *gw_hostname_intersect(const char *listener, const char *route);

#endif
