/* Admission: the objects a resolution works on are those the API server would have stored.
 * Each one that fails validation is left out with a "refused" warning, unless asked for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gatewayapi/validate.h"
#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/context.h"
#include "util/diag.h"

/* Admitting objects into the snapshot: those the API server would have stored. */
struct admission {
    gwapi_resolution *r;
    gwapi_diags *scratch;
    bool include_invalid;
};

/* A Gateway API kind whose CRD requires a spec, without one: nothing of it can be resolved,
 * even when invalid objects are included. */
static bool
lacks_spec(const gwapi_object *obj)
{
    return obj->dialect == GWAPI_DIALECT_V1 && obj->kind >= GWAPI_KIND_GATEWAY_CLASS &&
           obj->kind <= GWAPI_KIND_BACKEND_TLS_POLICY &&
           gw_field_state(obj->body, "spec") == GWAPI_FIELD_ABSENT;
}

/* Why the API server would refuse obj, or NULL when it would store it. */
static const char *
refusal_of(struct admission *a, const gwapi_object *obj)
{
    const struct gw_object_rec *rec = (const struct gw_object_rec *)obj;
    const gwapi_diag *first = NULL;
    int err;

    if (a->include_invalid)
        return lacks_spec(obj) ? "spec: Required value" : NULL;
    if (rec->read_error)
        return rec->read_error;
    if (gw_object_rec_known_valid(rec))
        return NULL; /* validated by an earlier resolution that shares it */
    gwapi_diags_clear(a->scratch);
    err = gwapi_object_validate(obj, a->scratch);
    if (err == GWAPI_ENOMEM) {
        a->r->out_of_memory = true;
        return NULL;
    }
    if (err != GWAPI_EINPUT) {
        gw_object_rec_mark_valid(rec);
        return NULL;
    }
    for (size_t i = 0; i < gwapi_diags_count(a->scratch) && !first; i++) {
        const gwapi_diag *d = gwapi_diags_get(a->scratch, i);
        if (d->severity == GWAPI_SEVERITY_ERROR)
            first = d;
    }
    if (!first)
        return "fails validation";
    return gw_res_printf(a->r, "%s%s%s", first->path ? first->path : "", first->path ? ": " : "",
                         first->message);
}

static bool
admit(const gwapi_object *obj, void *user)
{
    struct admission *a = user;
    gwapi_resolution *r = a->r;
    struct gw_site site;
    gwapi_explain_step *step;
    const char *why;

    if (r->out_of_memory || !(why = refusal_of(a, obj)))
        return true;
    site = gw_object_site(obj);
    if (gw_report(r->diags, GWAPI_SEVERITY_WARNING, GW_CODE_REFUSED, &site,
                  "left out of binding and routing: the API server would refuse it (%s)", why))
        r->out_of_memory = true;
    step = gw_res_alloc(r, sizeof(*step));
    if (!step || gw_grow(r->ctx, (void **)&r->refused, &r->refused_capacity, r->n_refused + 1,
                         sizeof(*r->refused))) {
        r->out_of_memory = true;
        return false;
    }
    step->check = "valid";
    step->passed = false;
    step->reason = "Invalid";
    step->message = gw_res_printf(r, "refused, as the API server would refuse it: %s", why);
    gw_refuse(r, obj, step);
    return false;
}

/* The resolution holds what it refused as it holds what it admitted: its address then stays
 * that object's for as long as the resolution lives, and lookups by address cannot mistake a
 * newer object for it. */
void
gw_refuse(gwapi_resolution *r, const gwapi_object *obj, gwapi_explain_step *step)
{
    gw_ref_inc(&((struct gw_object_rec *)obj)->segment->refs);
    r->refused[r->n_refused].obj = obj;
    r->refused[r->n_refused].step = step;
    r->n_refused++;
}

static int
compare_refusals(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct gw_refusal *)a)->obj;
    uintptr_t y = (uintptr_t)((const struct gw_refusal *)b)->obj;
    return x < y ? -1 : x > y;
}

const struct gw_refusal *
gw_find_refusal(const gwapi_resolution *r, const gwapi_object *obj)
{
    struct gw_refusal key = { obj, NULL };
    return r->n_refused ? bsearch(&key, r->refused, r->n_refused, sizeof(key), compare_refusals)
                        : NULL;
}

bool
gw_admit_object(gwapi_resolution *r, const gwapi_object *obj, gwapi_diags *scratch)
{
    struct admission a = { r, scratch, r->include_invalid };
    return admit(obj, &a);
}

void
gw_sort_refusals(gwapi_resolution *r)
{
    if (r->n_refused > 1)
        qsort(r->refused, r->n_refused, sizeof(*r->refused), compare_refusals);
}

/* The snapshot of cfg the resolution works on, without the objects the API server would
 * refuse. */
void
gw_admit_objects(gwapi_resolution *r, const gwapi_config *cfg, bool include_invalid)
{
    struct admission a = { r, NULL, include_invalid };

    if (gwapi_diags_new(&a.scratch, cfg->ctx)) {
        r->out_of_memory = true;
        return;
    }
    if (gw_config_snapshot(&r->cfg, cfg, admit, &a))
        r->out_of_memory = true;
    gwapi_diags_free(a.scratch);
    gw_sort_refusals(r);
}
