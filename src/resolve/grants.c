/* ReferenceGrants: which references across namespaces are permitted. */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/context.h"
#include "util/diag.h"

static bool
same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int
by_grant_namespace(const void *a, const void *b)
{
    const gwapi_object *x = *(const gwapi_object *const *)a, *y = *(const gwapi_object *const *)b;
    return strcmp(x->metadata->namespace_, y->metadata->namespace_);
}

/* The ReferenceGrants, sorted by namespace: a reference looks only at those of its target's
 * namespace, so that checking every backendRef stays linear in the configuration. */
void
gw_index_grants(gwapi_resolution *r)
{
    size_t n = 0;

    for (size_t i = 0; i < gwapi_config_count(r->cfg); i++)
        n += gwapi_object_reference_grant(gwapi_config_get(r->cfg, i)) != NULL;
    r->grants = gw_calloc(r->ctx, n + 1, sizeof(*r->grants));
    if (!r->grants) {
        r->out_of_memory = true;
        return;
    }
    n = 0;
    for (size_t i = 0; i < gwapi_config_count(r->cfg); i++) {
        const gwapi_object *o = gwapi_config_get(r->cfg, i);
        if (gwapi_object_reference_grant(o) && o->metadata->namespace_)
            r->grants[n++] = o;
    }
    qsort(r->grants, n, sizeof(*r->grants), by_grant_namespace);
    r->n_grants = n;
}

static bool
grant_permits(const gwapi_reference_grant *rg, const char *from_group, const char *from_kind,
              const char *from_ns, const char *to_group, const char *to_kind, const char *to_name)
{
    bool from = false;

    for (size_t j = 0; j < rg->spec->n_from && !from; j++) {
        const gwapi_reference_grant_from *f = rg->spec->from[j];
        from = same(f->group, from_group) && same(f->kind, from_kind) &&
               same(f->namespace_, from_ns);
    }
    for (size_t j = 0; j < rg->spec->n_to && from; j++) {
        const gwapi_reference_grant_to *t = rg->spec->to[j];
        if (same(t->group, to_group) && same(t->kind, to_kind) &&
            (!t->name || same(t->name, to_name)))
            return true;
    }
    return false;
}

bool
gw_reference_granted(gwapi_resolution *r, const char *from_group, const char *from_kind,
                     const char *from_ns, const char *to_group, const char *to_kind,
                     const char *to_ns, const char *to_name)
{
    size_t lo = 0, hi = r->n_grants;

    if (same(from_ns, to_ns))
        return true;
    if (!to_ns)
        return false;
    while (lo < hi) { /* the first grant of to_ns */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->grants[mid]->metadata->namespace_, to_ns) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < r->n_grants && same(r->grants[i]->metadata->namespace_, to_ns); i++)
        if (grant_permits(gwapi_object_reference_grant(r->grants[i]), from_group, from_kind,
                          from_ns, to_group, to_kind, to_name))
            return true;
    return false;
}
