/* Emitting: JSON and YAML that read back as the same model. */
#include <stdlib.h>

#include "test-common.h"

static void
assert_roundtrip(gwapi_config *cfg, gwapi_format format)
{
    gwapi_ctx *ctx;
    gwapi_config *again;
    gwapi_diags *diags;
    char *text = NULL;
    size_t len = 0;

    ck_assert_int_eq(gwapi_ctx_new(&ctx), 0);
    ck_assert_int_eq(gwapi_config_new(&again, ctx), 0);
    ck_assert_int_eq(gwapi_diags_new(&diags, ctx), 0);
    ck_assert_int_eq(gwapi_config_emit(cfg, format, &text, &len), 0);
    ck_assert_uint_eq(strlen(text), len);
    ck_assert_int_eq(gwapi_config_load_buffer(again, text, len, "emitted", NULL, diags), 0);
    ck_assert_uint_eq(gwapi_diags_count(diags), 0);
    ck_assert_uint_eq(gwapi_config_count(again), gwapi_config_count(cfg));
    for (size_t i = 0; i < gwapi_config_count(cfg); i++) {
        if (!gwapi_object_equal(gwapi_config_get(cfg, i), gwapi_config_get(again, i)))
            ck_abort_msg("object %zu differs after %s round trip:\n%s", i,
                         format == GWAPI_FORMAT_JSON ? "JSON" : "YAML", text);
    }
    gwapi_free(text);
    gwapi_diags_free(diags);
    gwapi_config_unref(again);
    gwapi_ctx_unref(ctx);
}

START_TEST(tricky_strings_survive_both_formats)
{
    struct fixture f;
    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: strings\n  annotations:\n"
        "    a: 'yes'\n    b: 'no'\n    c: '123'\n    d: '1.5e3'\n    e: 'null'\n    f: ''\n"
        "    g: ' leading space'\n    h: 'key: value'\n    i: '# not a comment'\n    j: \"tab\\there\"\n"
        "    k: \"line\\nbreak\"\n    l: 'quote \" and backslash \\'\n    m: 'ünïcödé ✓'\n"
        "    n: '- dash'\n    o: '[x]'\n    p: '{y}'\n    q: '*star'\n    r: '&amp'\n    s: '0x1F'\n"
        "    t: '~'\n    u: 'a: '\n    v: '@at'\n    w: '%pct'\n    'k e y': 'x'\n    '1': one\n", 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    ck_assert_uint_eq(gwapi_config_get(f.cfg, 0)->metadata->annotations.count, 25);
    assert_roundtrip(f.cfg, GWAPI_FORMAT_JSON);
    assert_roundtrip(f.cfg, GWAPI_FORMAT_YAML);
    fixture_release(&f);
}
END_TEST

START_TEST(yaml_output_is_block_style)
{
    struct fixture f;
    char *text = NULL;
    fixture_init(&f);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\n"
        "spec:\n  hostnames: [a.example.com]\n  rules:\n  - backendRefs: [{name: s, port: 80}]\n", 0);
    ck_assert_int_eq(gwapi_object_emit(gwapi_config_get(f.cfg, 0), GWAPI_FORMAT_YAML, &text, NULL), 0);
    ck_assert_str_eq(text,
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: HTTPRoute\n"
        "metadata:\n"
        "  name: r\n"
        "  namespace: shop\n"
        "spec:\n"
        "  hostnames:\n"
        "  - a.example.com\n"
        "  rules:\n"
        "  - backendRefs:\n"
        "    - group: \"\"\n"
        "      kind: Service\n"
        "      name: s\n"
        "      port: 80\n"
        "      weight: 1\n"
        "    matches:\n"
        "    - path:\n"
        "        type: PathPrefix\n"
        "        value: /\n");
    gwapi_free(text);
    fixture_release(&f);
}
END_TEST

START_TEST(json_config_is_a_list)
{
    struct fixture f;
    char *text = NULL;
    fixture_init(&f);
    fixture_load_text(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", 0);
    ck_assert_int_eq(gwapi_config_emit(f.cfg, GWAPI_FORMAT_JSON, &text, NULL), 0);
    ck_assert_str_eq(text,
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n    {\n"
        "      \"apiVersion\": \"v1\",\n      \"kind\": \"Namespace\",\n      \"metadata\": {\n"
        "        \"name\": \"a\"\n      }\n    }\n  ]\n}\n");
    gwapi_free(text);
    ck_assert_int_eq(gwapi_config_emit(f.cfg, 7, &text, NULL), GWAPI_EINVAL);
    fixture_release(&f);
}
END_TEST

START_TEST(empty_containers_and_v1alpha1_round_trip)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "seed/seed-manifests.yaml", 0), 0);
    fixture_load_text(&f,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: e, labels: {}}\n"
        "spec:\n  hostnames: []\n  rules:\n  - matches: []\n    backendRefs: []\n", 0);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    assert_roundtrip(f.cfg, GWAPI_FORMAT_JSON);
    assert_roundtrip(f.cfg, GWAPI_FORMAT_YAML);
    fixture_release(&f);
}
END_TEST

Suite *
suite_emit(void)
{
    Suite *s = suite_create("emit");
    TCase *tc = tcase_create("emit");
    tcase_add_test(tc, tricky_strings_survive_both_formats);
    tcase_add_test(tc, yaml_output_is_block_style);
    tcase_add_test(tc, json_config_is_a_list);
    tcase_add_test(tc, empty_containers_and_v1alpha1_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
