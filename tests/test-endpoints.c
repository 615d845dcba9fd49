/* The ready endpoints of Service ports, from Services and EndpointSlices. */
#include "test-common.h"

static const char *const endpoints_yaml =
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n"
    "  - {name: admin, port: 9000, targetPort: admin}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: single, namespace: shop}\n"
    "spec: {ports: [{port: 81}]}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: db.example.com, ports: [{port: 5432}]}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: empty, namespace: shop}\n"
    "spec: {ports: [{port: 80}]}\n"
    "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: web-a, namespace: shop, labels: {kubernetes.io/service-name: web}}\n"
    "addressType: IPv4\n"
    "ports: [{name: http, port: 8080}, {name: admin, port: 9001}]\n"
    "endpoints:\n"
    "- addresses: [10.0.0.1]\n"
    "- addresses: [10.0.0.2]\n  conditions: {ready: false}\n"
    "- addresses: [10.0.0.3, 10.0.9.9]\n  conditions: {ready: true, serving: true}\n"
    "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: web-b, namespace: shop, labels: {kubernetes.io/service-name: web}}\n"
    "addressType: IPv4\nports: [{name: http, port: 8080}]\n"
    "endpoints: [{addresses: [10.0.0.4]}, {addresses: [10.0.0.1]}]\n"
    "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: single-a, namespace: shop, labels: {kubernetes.io/service-name: single}}\n"
    "addressType: IPv4\nports: [{port: 8081}]\nendpoints: [{addresses: [10.0.1.1]}]\n"
    "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: web-other-ns, namespace: other, labels: {kubernetes.io/service-name: web}}\n"
    "addressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.9.9.9]}]\n"
    "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: orphan, namespace: shop, labels: {kubernetes.io/service-name: gone}}\n"
    "addressType: IPv4\nports: [{port: 1}]\nendpoints: [{addresses: [10.8.8.8]}]\n";

START_TEST(ready_endpoints_of_service_ports)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, endpoints_yaml, 0), 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_WARNING);
    gwapi_endpoints *eps = NULL;
    ck_assert_int_eq(gwapi_endpoints_new(&eps, f.cfg), 0);
    ck_assert_uint_eq(gwapi_endpoints_count(eps), 5);

    const gwapi_endpoint_address *a;
    size_t n;
    /* Both slices, not-ready left out, the repeated address once, in the order found. */
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "web", 80, &a, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(a[0].address, "10.0.0.1");
    ck_assert_str_eq(a[1].address, "10.0.0.3");
    ck_assert_str_eq(a[2].address, "10.0.0.4");
    ck_assert_uint_eq(a[0].port, 8080);
    /* The port named like the Service port, not the targetPort as written. */
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "web", 9000, &a, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(a[0].port, 9001);
    /* An unnamed port; port 0 is the only port. */
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "single", 0, &a, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(a[0].address, "10.0.1.1");
    ck_assert_uint_eq(a[0].port, 8081);
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "web", 0, &a, &n), GWAPI_ENOTFOUND);
    /* ExternalName: the name at the Service port. */
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "ext", 5432, &a, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(a[0].address, "db.example.com");
    ck_assert_uint_eq(a[0].port, 5432);
    /* A Service without ready endpoints, a missing port, a missing Service. */
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "empty", 80, &a, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(a);
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "web", 81, &a, &n), GWAPI_ENOTFOUND);
    ck_assert_int_eq(gwapi_endpoints_find(eps, "other", "web", 80, &a, &n), GWAPI_ENOTFOUND);
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "gone", 1, &a, &n), GWAPI_ENOTFOUND);
    ck_assert_int_eq(gwapi_endpoints_find(NULL, "shop", "web", 80, &a, &n), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "web", -1, &a, &n), GWAPI_EINVAL);

    /* The index is a snapshot: removing a slice changes the next index, not this one. */
    ck_assert_int_eq(gwapi_config_remove(f.cfg, GWAPI_KIND_ENDPOINT_SLICE, GWAPI_DIALECT_V1,
                                         "shop", "web-b"), 0);
    gwapi_endpoints *after = NULL;
    ck_assert_int_eq(gwapi_endpoints_new(&after, f.cfg), 0);
    ck_assert_int_eq(gwapi_endpoints_find(after, "shop", "web", 80, &a, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(gwapi_endpoints_find(eps, "shop", "web", 80, &a, &n), 0);
    ck_assert_uint_eq(n, 3);
    gwapi_endpoints_free(after);
    gwapi_endpoints_free(eps);
    gwapi_endpoints_free(NULL);
    ck_assert_int_eq(gwapi_endpoints_new(&eps, NULL), GWAPI_EINVAL);
    fixture_release(&f);
}
END_TEST

START_TEST(endpoint_slices_are_validated)
{
    struct fixture f;
    fixture_init(&f);
    fixture_load_text(&f,
                      "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                      "metadata: {name: bad, namespace: shop}\n"
                      "addressType: IPv5\nendpoints: [{addresses: []}]\n",
                      0);
    const gwapi_object *slice = fixture_find(&f, GWAPI_KIND_ENDPOINT_SLICE, GWAPI_DIALECT_V1,
                                             "shop", "bad");
    ck_assert_ptr_nonnull(slice);
    ck_assert_int_ne(gwapi_object_validate(slice, f.diags), 0);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, GWAPI_CODE_UNSUPPORTED_VALUE));
    ck_assert_ptr_nonnull(fixture_find_diag(&f, GWAPI_CODE_MIN_ITEMS));
    fixture_release(&f);
}
END_TEST

Suite *
suite_endpoints(void)
{
    Suite *s = suite_create("endpoints");
    TCase *tc = tcase_create("endpoints");
    tcase_add_test(tc, ready_endpoints_of_service_ports);
    tcase_add_test(tc, endpoint_slices_are_validated);
    suite_add_tcase(s, tc);
    return s;
}
