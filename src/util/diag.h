/* Reporting diagnostics from inside the library. */
#ifndef GW_UTIL_DIAG_H
#define GW_UTIL_DIAG_H

#include "gatewayapi/diagnostics.h"

/* Where a diagnostic points. Every member may be NULL or 0. */
struct gw_site {
    const char *source;
    unsigned line, column;
    const char *kind, *ns, *name;
    const char *path;
    const char *reason;
};

/* Stable diagnostic codes; the documentation lists them (doc/diagnostics.md). */
#define GW_CODE_SYNTAX "syntax"                 /* YAML or JSON that does not parse */
#define GW_CODE_ENCODING "encoding"             /* invalid UTF-8, NUL or control bytes */
#define GW_CODE_TYPE "type"                     /* a value of the wrong type */
#define GW_CODE_UNKNOWN_FIELD "unknown-field"   /* a field the schema does not have */
#define GW_CODE_DUPLICATE_KEY "duplicate-key"   /* a key given twice in one map */
#define GW_CODE_UNKNOWN_KIND "unknown-kind"     /* apiVersion/kind the library does not model */
#define GW_CODE_LEGACY_VERSION "legacy-version" /* a version the CRD lists but does not serve */
#define GW_CODE_NOT_OBJECT "not-object"         /* a document that is not a Kubernetes object */
#define GW_CODE_REQUIRED "required"             /* a field the object cannot be used without */
#define GW_CODE_LIMIT "limit"                   /* a configured limit was exceeded */
#define GW_CODE_ALIAS "alias"                   /* a YAML alias to an unknown anchor */
#define GW_CODE_DUPLICATE_OBJECT "duplicate-object" /* an object given again replaces the first */
#define GW_CODE_WATCH_EVENT "watch-event"       /* a malformed or ERROR watch event */
#define GW_CODE_IO "io"                         /* a file that cannot be read */

/* Record one diagnostic; diags may be NULL. Returns GWAPI_ENOMEM if it could not be stored. */
int gw_report(gwapi_diags *diags, gwapi_severity severity, const char *code,
              const struct gw_site *site, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
