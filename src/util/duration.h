/* Durations as Kubernetes writes them (Go's time.ParseDuration syntax). */
#ifndef GW_UTIL_DURATION_H
#define GW_UTIL_DURATION_H

#include <stdbool.h>

/* The duration s in nanoseconds (signed); false when s is not one. */
bool gw_duration_ns(const char *s, long double *out);

#endif
