/* Reporting diagnostics from inside the library. */
#ifndef GW_UTIL_DIAG_H
#define GW_UTIL_DIAG_H

#include "gatewayapi/diagnostics.h"

/* Where a diagnostic points. Every member may be NULL or 0. */
struct gw_site {
    const char *source;
    unsigned line, column;
    unsigned object_line; /* where the object concerned starts, or 0 */
    const char *kind, *ns, *name;
    const char *path;
    const char *reason;
};

/* Stable diagnostic codes: the public constants (doc/diagnostics.md lists them). */
#define GW_CODE_SYNTAX GWAPI_CODE_SYNTAX
#define GW_CODE_ENCODING GWAPI_CODE_ENCODING
#define GW_CODE_TYPE GWAPI_CODE_TYPE
#define GW_CODE_UNKNOWN_FIELD GWAPI_CODE_UNKNOWN_FIELD
#define GW_CODE_DUPLICATE_KEY GWAPI_CODE_DUPLICATE_KEY
#define GW_CODE_MERGE_KEY GWAPI_CODE_MERGE_KEY
#define GW_CODE_STALE_EVENT GWAPI_CODE_STALE_EVENT
#define GW_CODE_REFUSED_UPDATE GWAPI_CODE_REFUSED_UPDATE
#define GW_CODE_RELIST GWAPI_CODE_RELIST
#define GW_CODE_UNKNOWN_KIND GWAPI_CODE_UNKNOWN_KIND
#define GW_CODE_LEGACY_VERSION GWAPI_CODE_LEGACY_VERSION
#define GW_CODE_NOT_OBJECT GWAPI_CODE_NOT_OBJECT
#define GW_CODE_REQUIRED GWAPI_CODE_REQUIRED
#define GW_CODE_LIMIT GWAPI_CODE_LIMIT
#define GW_CODE_ALIAS GWAPI_CODE_ALIAS
#define GW_CODE_DUPLICATE_OBJECT GWAPI_CODE_DUPLICATE_OBJECT
#define GW_CODE_WATCH_EVENT GWAPI_CODE_WATCH_EVENT
#define GW_CODE_IO GWAPI_CODE_IO
#define GW_CODE_RESOLVE_SKIPPED GWAPI_CODE_RESOLVE_SKIPPED
#define GW_CODE_REFUSED GWAPI_CODE_REFUSED
#define GW_CODE_REGEX GWAPI_CODE_REGEX
#define GW_CODE_UNMATCHABLE GWAPI_CODE_UNMATCHABLE

/* Record one diagnostic; diags may be NULL. Returns GWAPI_ENOMEM if it could not be stored. */
int gw_report(gwapi_diags *diags, gwapi_severity severity, const char *code,
              const struct gw_site *site, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
