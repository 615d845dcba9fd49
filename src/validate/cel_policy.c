/* CEL rules of BackendTLSPolicy. */
#include "validate/cel.h"

static bool
same_target(const gwapi_policy_target_ref *p1, const gwapi_policy_target_ref *p2)
{
    return cel_eq(p1->group, p2->group) && cel_eq(p1->kind, p2->kind) && cel_eq(p1->name, p2->name);
}

CEL_CHECK(target_refs_section_name_required)
{
    for (size_t i = 0; i < self->count; i++) {
        for (size_t j = 0; j < self->count; j++) {
            const gwapi_policy_target_ref *p1 = self->items[i], *p2 = self->items[j];
            if (same_target(p1, p2) && cel_empty(p1->section_name) != cel_empty(p2->section_name))
                return false;
        }
    }
    return true;
}

CEL_CHECK(target_refs_section_name_unique)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_policy_target_ref *p1 = self->items[i];
        size_t same = 0;
        for (size_t j = 0; j < self->count; j++) {
            const gwapi_policy_target_ref *p2 = self->items[j];
            same += same_target(p1, p2) &&
                    ((cel_empty(p1->section_name) && cel_empty(p2->section_name)) ||
                     (p1->section_name && p2->section_name &&
                      cel_eq(p1->section_name, p2->section_name)));
        }
        if (same != 1)
            return false;
    }
    return true;
}

CEL_CHECK(ca_certificates_exclusive)
{
    const gwapi_backend_tls_validation *v = self->object;
    return !(v->n_ca_certificate_refs > 0 && !cel_empty(v->well_known_ca_certificates));
}

CEL_CHECK(ca_certificates_required)
{
    const gwapi_backend_tls_validation *v = self->object;
    return v->n_ca_certificate_refs > 0 || !cel_empty(v->well_known_ca_certificates);
}

CEL_CHECK(san_hostname_required)
{
    const gwapi_subject_alt_name *san = self->object;
    return !(cel_eq(san->type, "Hostname") && cel_empty(san->hostname));
}

CEL_CHECK(san_hostname_forbidden)
{
    const gwapi_subject_alt_name *san = self->object;
    return !(!cel_eq(san->type, "Hostname") && !cel_empty(san->hostname));
}

CEL_CHECK(san_uri_required)
{
    const gwapi_subject_alt_name *san = self->object;
    return !(cel_eq(san->type, "URI") && cel_empty(san->uri));
}

CEL_CHECK(san_uri_forbidden)
{
    const gwapi_subject_alt_name *san = self->object;
    return !(!cel_eq(san->type, "URI") && !cel_empty(san->uri));
}
