/* Validation: every OpenAPI constraint and CEL rule of the CRDs, walked over the typed model
 * with the generated tables, as the API server applies them to the defaulted object. */
#ifndef GW_VALIDATE_VALIDATOR_H
#define GW_VALIDATE_VALIDATOR_H

#include <stdbool.h>

#include "model/schema.h"
#include "util/diag.h"
#include "util/path.h"
#include "validate/patterns.h"

struct gw_validator {
    gwapi_diags *diags;
    struct gw_site site;
    struct gw_path path;
    const struct gw_patterns *patterns;
    pcre2_match_data *md;
    bool update;          /* an update: transition rules (oldSelf) apply */
    size_t errors;
    bool out_of_memory;
};

/* Report a failed constraint at the current path (at: where it was written). */
void gw_validator_report(struct gw_validator *v, const char *code, struct gw_mark at,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* ObjectMeta's rules (meta.c): name, namespace, labels, annotations. */
void gw_validate_meta(struct gw_validator *v, const gwapi_object *obj);

/* For CEL checks: does a CEL pattern match s (search semantics)? */
bool gw_cel_matches(struct gw_validator *v, enum gw_cel_pattern pattern, const char *s);
/* For CEL checks: has(self.field) on a model struct (given, or defaulted). */
bool gw_cel_has(const void *model, const char *field);

#endif
