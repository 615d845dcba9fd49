/* The certificates terminating listeners present: the PEM bytes the configuration keeps apart
 * from the model (config.h), found by listener, as a TLS handshake needs them. */
#include <string.h>

#include "config/config.h"
#include "router/router.h"
#include "util/hostname.h"

/* Fill the caller's certificate (as much of it as its size holds). hostname: the names it
 * serves. */
static void
describe(const struct rt_listener *l, const char *hostname, const gwapi_object *secret,
         gwapi_certificate *out)
{
    const struct gw_object_rec *rec = (const struct gw_object_rec *)secret;
    gwapi_certificate c = GWAPI_CERTIFICATE_INIT;
    size_t size = out->size;

    c.listener = l->name;
    c.port = l->port;
    c.hostname = hostname;
    if (rec) {
        c.secret = secret;
        c.cert_pem = rec->tls_crt;
        c.cert_pem_len = rec->tls_crt_len;
        c.key_pem = rec->tls_key;
        c.key_pem_len = rec->tls_key_len;
    }
    c.client_validation = l->client_validation;
    c.client_ca_pem = l->client_ca;
    c.client_ca_pem_len = l->client_ca_len;
    c.size = size;
    memcpy(out, &c, size < sizeof(c) ? size : sizeof(c));
}

GWAPI_EXPORT int
gwapi_router_certificate(const gwapi_router *rt, unsigned port, const char *sni, size_t sni_len,
                         gwapi_certificate *out)
{
    char name[GWAPI_ROUTER_MAX_HOST + 1];

    if (!rt || !out || out->size < sizeof(size_t) || (!sni && sni_len))
        return GWAPI_EINVAL;
    if (sni_len > GWAPI_ROUTER_MAX_HOST || (sni && memchr(sni, '\0', sni_len)))
        return GWAPI_ENOTFOUND;
    for (size_t i = 0; i < sni_len; i++)
        name[i] = (char)(sni[i] >= 'A' && sni[i] <= 'Z' ? sni[i] + 32 : sni[i]);
    /* Listeners are sorted by port, most specific hostname first: the first that covers the
     * name is the one the connection reaches. */
    for (size_t i = 0; i < rt->n_listeners; i++) {
        const struct rt_listener *l = &rt->listeners[i];
        if (l->tls_action != GWAPI_TLS_TERMINATE || (port && l->port != port))
            continue;
        if (sni ? !gw_rt_host_covers(l->hostname, name, sni_len, l->v1alpha1)
                : l->hostname != NULL)
            continue;
        /* A route's certificate for the name (v1alpha1): the most specific hostname that
         * covers it. */
        const struct rt_route_cert *best = NULL;
        for (size_t k = 0; sni && k < l->n_route_certs; k++) {
            const struct rt_route_cert *c = &l->route_certs[k];
            if (!gw_rt_host_covers(c->hostname, name, sni_len, true))
                continue;
            if (!best || gw_rt_host_specificity(c->hostname) >
                             gw_rt_host_specificity(best->hostname))
                best = c;
        }
        if (best) {
            describe(l, best->hostname, best->secret, out);
            return GWAPI_OK;
        }
        /* A listener without a certificate the configuration holds (its Secrets are not in it)
         * still terminates: the caller learns so, and whether clients are asked for one. */
        describe(l, l->hostname, l->n_certificates ? l->certificates[0] : NULL, out);
        return GWAPI_OK;
    }
    return GWAPI_ENOTFOUND;
}

GWAPI_EXPORT int
gwapi_secret_keypair(const gwapi_object *secret, const char **cert, size_t *cert_len,
                     const char **key, size_t *key_len)
{
    const struct gw_object_rec *rec = (const struct gw_object_rec *)secret;

    if (!secret || !cert || !cert_len || !key || !key_len)
        return GWAPI_EINVAL;
    if (secret->kind != GWAPI_KIND_SECRET || !rec->tls_crt)
        return GWAPI_ENOTFOUND;
    *cert = rec->tls_crt;
    *cert_len = rec->tls_crt_len;
    *key = rec->tls_key;
    *key_len = rec->tls_key_len;
    return GWAPI_OK;
}

GWAPI_EXPORT int
gwapi_router_certificate_at(const gwapi_router *rt, size_t index, gwapi_certificate *out)
{
    if (!rt || !out || out->size < sizeof(size_t))
        return GWAPI_EINVAL;
    for (size_t i = 0; i < rt->n_listeners; i++) {
        const struct rt_listener *l = &rt->listeners[i];
        if (index < l->n_certificates) {
            describe(l, l->hostname, l->certificates[index], out);
            return GWAPI_OK;
        }
        index -= l->n_certificates;
        if (index < l->n_route_certs) {
            describe(l, l->route_certs[index].hostname, l->route_certs[index].secret, out);
            return GWAPI_OK;
        }
        index -= l->n_route_certs;
    }
    return GWAPI_ENOTFOUND;
}
