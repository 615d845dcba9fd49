/* Label selectors over namespaces: pure predicates but for the lookup of a Namespace. */
#include <string.h>

#include "config/config.h"
#include "model/schema.h"
#include "resolve/resolve.h"
#include "util/context.h"
#include "util/diag.h"

bool
gw_string_map_get(const gwapi_string_map *m, const char *key, const char **value)
{
    for (size_t i = 0; m && i < m->count; i++) {
        if (strcmp(m->keys[i], key) == 0) {
            *value = m->values[i];
            return true;
        }
    }
    return false;
}

/* Labels of a namespace, and the kubernetes.io/metadata.name label every Namespace carries. */
static bool
label_of(const gwapi_string_map *labels, const char *ns_name, const char *key, const char **value)
{
    if (strcmp(key, "kubernetes.io/metadata.name") == 0 && ns_name) {
        *value = ns_name;
        return true;
    }
    return gw_string_map_get(labels, key, value);
}

bool
gw_selector_matches(const gwapi_label_selector *sel, const gwapi_string_map *labels,
                    const char *ns_name)
{
    if (!sel)
        return false;
    for (size_t i = 0; i < sel->match_labels.count; i++) {
        const char *v;
        if (!label_of(labels, ns_name, sel->match_labels.keys[i], &v) ||
            strcmp(v, sel->match_labels.values[i]) != 0)
            return false;
    }
    for (size_t i = 0; i < sel->n_match_expressions; i++) {
        const gwapi_label_selector_requirement *e = sel->match_expressions[i];
        const char *v = NULL;
        bool has = e->key && label_of(labels, ns_name, e->key, &v), in = false;
        for (size_t j = 0; has && j < e->n_values; j++)
            in |= strcmp(e->values[j], v) == 0;
        if (!e->operator_)
            return false;
        if (strcmp(e->operator_, "In") == 0 ? !in
            : strcmp(e->operator_, "NotIn") == 0 ? in
            : strcmp(e->operator_, "Exists") == 0 ? !has
            : strcmp(e->operator_, "DoesNotExist") == 0 ? has
            : true)
            return false;
    }
    return true;
}

bool
gw_namespace_selected(gwapi_resolution *r, const gwapi_label_selector *sel, const char *ns)
{
    const gwapi_object *o = gwapi_config_find(r->cfg, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1,
                                              NULL, ns);
    return gw_selector_matches(sel, o ? &o->metadata->labels : NULL, ns);
}
