/* API basics: versions, error strings, contexts, limits, diagnostics formatting. */
#include <unistd.h>

#include "test-common.h"

START_TEST(version_and_errors)
{
    char expected[32];
    snprintf(expected, sizeof(expected), "%d.%d.%d", GWAPI_VERSION_MAJOR, GWAPI_VERSION_MINOR,
             GWAPI_VERSION_PATCH);
    ck_assert_str_eq(gwapi_version_string(), expected);
    ck_assert_str_eq(gwapi_version_string(), GWAPI_VERSION_STRING);
    ck_assert_str_eq(gwapi_strerror(GWAPI_OK), "success");
    ck_assert_str_eq(gwapi_strerror(GWAPI_EINPUT), "the input has errors");
    ck_assert_str_eq(gwapi_strerror(-1000), "unknown error");
    gwapi_free(NULL);
}
END_TEST

START_TEST(context_limits)
{
    gwapi_ctx *ctx;
    gwapi_limits limits = GWAPI_LIMITS_INIT, got = GWAPI_LIMITS_INIT;
    gwapi_allocator bad = { sizeof(gwapi_allocator), NULL, NULL, NULL, NULL };

    ck_assert_int_eq(gwapi_ctx_new(NULL), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_ctx_new_with_allocator(&ctx, &bad), GWAPI_EINVAL);
    ck_assert_int_eq(gwapi_ctx_new(&ctx), 0);
    ck_assert_int_eq(gwapi_ctx_get_limits(ctx, &got), 0);
    ck_assert_uint_eq(got.max_depth, 64);
    ck_assert_uint_eq(got.max_document_bytes, 16u << 20);
    limits.max_depth = 10;
    ck_assert_int_eq(gwapi_ctx_set_limits(ctx, &limits), 0);
    ck_assert_int_eq(gwapi_ctx_get_limits(ctx, &got), 0);
    ck_assert_uint_eq(got.max_depth, 10);
    ck_assert_uint_eq(got.max_nodes, 1000000); /* 0 means default */
    {
        /* A caller compiled against a smaller struct: only its fields are read. */
        gwapi_limits small = GWAPI_LIMITS_INIT;
        small.size = offsetof(gwapi_limits, max_depth);
        small.max_depth = 3;
        ck_assert_int_eq(gwapi_ctx_set_limits(ctx, &small), 0);
        ck_assert_int_eq(gwapi_ctx_get_limits(ctx, &got), 0);
        ck_assert_uint_eq(got.max_depth, 64);
        /* and a 0.1 caller, without max_input_bytes, gets its default */
        small.size = offsetof(gwapi_limits, max_input_bytes);
        small.max_input_bytes = 5;
        ck_assert_int_eq(gwapi_ctx_set_limits(ctx, &small), 0);
        ck_assert_int_eq(gwapi_ctx_get_limits(ctx, &got), 0);
        ck_assert_uint_eq(got.max_input_bytes, (size_t)256 << 20);
    }
    {
        /* An input past max_input_bytes is refused whole, buffer or descriptor. */
        gwapi_config *cfg;
        gwapi_diags *diags;
        static const char text[] = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
        int fds[2];
        limits.max_input_bytes = 16;
        ck_assert_int_eq(gwapi_ctx_set_limits(ctx, &limits), 0);
        ck_assert_int_eq(gwapi_config_new(&cfg, ctx), 0);
        ck_assert_int_eq(gwapi_diags_new(&diags, ctx), 0);
        ck_assert_int_eq(gwapi_config_load_buffer(cfg, text, strlen(text), "t", NULL, diags), GWAPI_ELIMIT);
        ck_assert_ptr_nonnull(strstr(gwapi_diags_get(diags, 0)->message, "max_input_bytes"));
        ck_assert_int_eq(pipe(fds), 0);
        ck_assert_int_eq(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
        close(fds[1]);
        ck_assert_int_eq(gwapi_config_load_fd(cfg, fds[0], "p", NULL, diags), GWAPI_ELIMIT);
        close(fds[0]);
        ck_assert_uint_eq(gwapi_config_count(cfg), 0);
        gwapi_diags_free(diags);
        gwapi_config_unref(cfg);
    }
    ck_assert_ptr_eq(gwapi_ctx_ref(ctx), ctx);
    gwapi_ctx_unref(ctx);
    gwapi_ctx_unref(ctx);
    gwapi_ctx_unref(NULL);
}
END_TEST

START_TEST(diagnostic_format)
{
    struct fixture f;
    char line[256];
    size_t len;
    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: foo-route, namespace: foo}\n"
        "spec:\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: 7}\n", 0);
    ck_assert_uint_eq(gwapi_diags_count(f.diags), 1);
    len = gwapi_diag_format(gwapi_diags_get(f.diags, 0), line, sizeof(line));
    ck_assert_str_eq(line, "text:7:39: error: HTTPRoute foo/foo-route: "
                           "spec.rules[0].matches[0].path.value: Invalid value: \"integer\": "
                           "spec.rules[0].matches[0].path.value in body must be of type string: \"integer\"");
    ck_assert_uint_eq(len, strlen(line));
    ck_assert_uint_eq(gwapi_diag_format(gwapi_diags_get(f.diags, 0), line, 10), len);
    ck_assert_str_eq(line, "text:7:39");
    ck_assert_ptr_null(gwapi_diags_get(f.diags, 1));
    ck_assert_uint_eq(gwapi_diags_error_count(f.diags), 1);
    gwapi_diags_clear(f.diags);
    ck_assert_uint_eq(gwapi_diags_count(f.diags), 0);
    ck_assert_str_eq(gwapi_severity_name(GWAPI_SEVERITY_WARNING), "warning");
    fixture_release(&f);
}
END_TEST

Suite *
suite_api(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, version_and_errors);
    tcase_add_test(tc, context_limits);
    tcase_add_test(tc, diagnostic_format);
    suite_add_tcase(s, tc);
    return s;
}
