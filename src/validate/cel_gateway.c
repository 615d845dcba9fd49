/* CEL rules of GatewayClass, Gateway and ListenerSet. */
#include "validate/cel.h"

/* self == oldSelf: only on update. */
CEL_CHECK(controller_name_immutable)
{
    return !self->update || !self->old_string || cel_eq(self->string, self->old_string);
}

static bool
addresses_unique(const struct gw_cel_self *self, const char *type)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_gateway_address *a1 = self->items[i];
        size_t same = 0;
        if (!cel_eq(a1->type, type) || !a1->value)
            continue;
        for (size_t j = 0; j < self->count; j++) {
            const gwapi_gateway_address *a2 = self->items[j];
            if (cel_eq(a2->type, a1->type) && a2->value && cel_eq(a2->value, a1->value))
                same++;
        }
        if (same != 1)
            return false;
    }
    return true;
}

CEL_CHECK(addresses_ip_unique)
{
    return addresses_unique(self, "IPAddress");
}

CEL_CHECK(addresses_hostname_unique)
{
    return addresses_unique(self, "Hostname");
}

CEL_CHECK(address_hostname_valid)
{
    const gwapi_gateway_address *a = self->object;
    return !cel_eq(a->type, "Hostname") || !a->value ||
           gw_cel_matches(self->v, GW_CEL_PATTERN_HOSTNAME, a->value);
}

static bool
keys_valid(const struct gw_cel_self *self)
{
    for (size_t i = 0; i < self->map->count; i++)
        if (!gw_cel_matches(self->v, GW_CEL_PATTERN_QUALIFIED_KEY, self->map->keys[i]))
            return false;
    return true;
}

/* key.split("/")[0].size() < 253, in characters. */
static bool
key_prefixes_short(const struct gw_cel_self *self)
{
    for (size_t i = 0; i < self->map->count; i++) {
        size_t chars = 0;
        for (const char *c = self->map->keys[i]; *c && *c != '/'; c++)
            if (((unsigned char)*c & 0xC0) != 0x80)
                chars++;
        if (chars >= 253)
            return false;
    }
    return true;
}

CEL_CHECK(infrastructure_annotation_key_valid)
{
    return keys_valid(self);
}

CEL_CHECK(infrastructure_annotation_prefix_length)
{
    return key_prefixes_short(self);
}

CEL_CHECK(infrastructure_label_key_valid)
{
    return keys_valid(self);
}

CEL_CHECK(infrastructure_label_prefix_length)
{
    return key_prefixes_short(self);
}

static bool
protocol_in(const gwapi_listener *l, const char *const *protocols)
{
    for (; *protocols; protocols++)
        if (cel_eq(l->protocol, *protocols))
            return true;
    return false;
}

CEL_CHECK(listener_tls_forbidden)
{
    static const char *const plain[] = { "HTTP", "TCP", "UDP", NULL };
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_listener *l = self->items[i];
        if (protocol_in(l, plain) && l->tls)
            return false;
    }
    return true;
}

CEL_CHECK(listener_https_tls_terminate)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_listener *l = self->items[i];
        if (cel_eq(l->protocol, "HTTPS") && l->tls &&
            !(cel_eq(l->tls->mode, "") || cel_eq(l->tls->mode, "Terminate")))
            return false;
    }
    return true;
}

CEL_CHECK(listener_tls_mode_required)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_listener *l = self->items[i];
        if (cel_eq(l->protocol, "TLS") && !(l->tls && !cel_empty(l->tls->mode)))
            return false;
    }
    return true;
}

CEL_CHECK(listener_hostname_forbidden)
{
    static const char *const layer4[] = { "TCP", "UDP", NULL };
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_listener *l = self->items[i];
        if (protocol_in(l, layer4) && !cel_empty(l->hostname))
            return false;
    }
    return true;
}

CEL_CHECK(listener_name_unique)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_listener *l1 = self->items[i];
        size_t same = 0;
        for (size_t j = 0; j < self->count; j++)
            same += cel_eq(l1->name, ((const gwapi_listener *)self->items[j])->name);
        if (same != 1)
            return false;
    }
    return true;
}

/* The same port, protocol and hostname, an absent hostname being its own value. */
static bool
same_endpoint(const gwapi_listener *l1, const gwapi_listener *l2)
{
    return l1->port == l2->port && cel_eq(l1->protocol, l2->protocol) &&
           (l1->hostname && l2->hostname ? cel_eq(l1->hostname, l2->hostname)
                                         : !l1->hostname && !l2->hostname);
}

CEL_CHECK(listener_port_protocol_hostname_unique)
{
    for (size_t i = 0; i < self->count; i++) {
        size_t same = 0;
        for (size_t j = 0; j < self->count; j++)
            same += same_endpoint(self->items[i], self->items[j]);
        if (same != 1)
            return false;
    }
    return true;
}

/* The ListenerSet variant skips listeners without a port. */
CEL_CHECK(listener_set_port_protocol_hostname_unique)
{
    for (size_t i = 0; i < self->count; i++) {
        size_t same = 0;
        if (!gw_cel_has(self->items[i], "port"))
            continue;
        for (size_t j = 0; j < self->count; j++)
            same += gw_cel_has(self->items[j], "port") &&
                    same_endpoint(self->items[i], self->items[j]);
        if (same != 1)
            return false;
    }
    return true;
}

CEL_CHECK(listener_tls_certificates_or_options)
{
    const gwapi_listener_tls *tls = self->object;
    return !cel_eq(tls->mode, "Terminate") || tls->n_certificate_refs > 0 ||
           tls->options.count > 0;
}

CEL_CHECK(frontend_tls_port_unique)
{
    for (size_t i = 0; i < self->count; i++) {
        const gwapi_tls_port_config *t1 = self->items[i];
        size_t same = 0;
        for (size_t j = 0; j < self->count; j++)
            same += t1->port == ((const gwapi_tls_port_config *)self->items[j])->port;
        if (same != 1)
            return false;
    }
    return true;
}

/* Gateway addresses' oneOf: a value of type IPAddress is an IPv4 or IPv6 literal. */
static bool
ip_address_one_of(const struct gw_cel_self *self)
{
    const gwapi_gateway_address *a = self->object;
    return !cel_eq(a->type, "IPAddress") || !a->value || gw_cel_is_ip(a->value);
}

/* The API server reports the first branch's anyOf on the value, in kube-openapi's words. */
static void
report_address_format(const struct gw_cel_self *self, struct gw_mark at)
{
    const gwapi_gateway_address *a = self->object;
    size_t depth = gw_path_push_field(&self->v->path, "value");

    gw_validator_report(self->v, GWAPI_CODE_IP_ADDRESS, at,
                        "Invalid value: \"%.300s\": %s in body must be of type ipv4: \"%.300s\"",
                        a->value, gw_path_render(&self->v->path), a->value);
    gw_path_pop(&self->v->path, depth);
}

const struct gw_cel_rule gw_schema_rule_ip_address_one_of = {
    GWAPI_CODE_IP_ADDRESS, "oneOf: type IPAddress needs an ipv4 or ipv6 value",
    "value must be an IPv4 or IPv6 address when type is IPAddress", ip_address_one_of,
    report_address_format,
};
