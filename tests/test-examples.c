/* Every upstream example (tests/data/upstream/examples) loads without a diagnostic, even in
 * strict mode, and reads back identically after emitting it as JSON and as YAML. */
#include <stdlib.h>

#include "test-common.h"

static size_t
load_all(struct fixture *f, unsigned flags)
{
    char dir[1024];
    size_t count;
    char **paths;

    snprintf(dir, sizeof(dir), "%s/upstream/examples", TEST_DATA_DIR);
    paths = list_files(dir, &count);
    for (size_t i = 0; i < count; i++) {
        gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
        gwapi_config *one;
        options.flags = flags;
        /* Examples reuse names across files: load each into its own config to count them. */
        ck_assert_int_eq(gwapi_config_new(&one, f->ctx), 0);
        if (gwapi_config_load_file(one, paths[i], &options, f->diags) != 0)
            ck_abort_msg("%s does not load cleanly", paths[i]);
        gwapi_config_unref(one);
        ck_assert_int_eq(gwapi_config_load_file(f->cfg, paths[i], &options, NULL), 0);
    }
    free_paths(paths, count);
    return count;
}

START_TEST(every_example_loads_strictly_and_validates)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_uint_eq(load_all(&f, GWAPI_LOAD_STRICT | GWAPI_LOAD_VALIDATE), 81);
    fixture_assert_no_diags(&f, GWAPI_SEVERITY_INFO);
    fixture_release(&f);
}
END_TEST

START_TEST(every_example_document_is_counted)
{
    /* 109 documents in 81 files; some share identities across files, so count per file. */
    char dir[1024];
    size_t count, documents = 0;
    char **paths;

    snprintf(dir, sizeof(dir), "%s/upstream/examples", TEST_DATA_DIR);
    paths = list_files(dir, &count);
    for (size_t i = 0; i < count; i++) {
        struct fixture f;
        fixture_init(&f);
        ck_assert_int_eq(gwapi_config_load_file(f.cfg, paths[i], NULL, f.diags), 0);
        documents += gwapi_config_count(f.cfg);
        fixture_release(&f);
    }
    free_paths(paths, count);
    ck_assert_uint_eq(documents, 109);
}
END_TEST

static void
roundtrip_each_file(gwapi_format format)
{
    char dir[1024];
    size_t count;
    char **paths;

    snprintf(dir, sizeof(dir), "%s/upstream/examples", TEST_DATA_DIR);
    paths = list_files(dir, &count);
    for (size_t i = 0; i < count; i++) {
        struct fixture f, g;
        char *text = NULL;
        size_t len;
        fixture_init(&f);
        fixture_init(&g);
        ck_assert_int_eq(gwapi_config_load_file(f.cfg, paths[i], NULL, f.diags), 0);
        ck_assert_int_eq(gwapi_config_emit(f.cfg, format, &text, &len), 0);
        if (gwapi_config_load_buffer(g.cfg, text, len, "emitted", NULL, g.diags) != 0)
            ck_abort_msg("%s: emitted text does not load:\n%s", paths[i], text);
        ck_assert_uint_eq(gwapi_config_count(f.cfg), gwapi_config_count(g.cfg));
        for (size_t j = 0; j < gwapi_config_count(f.cfg); j++)
            if (!gwapi_object_equal(gwapi_config_get(f.cfg, j), gwapi_config_get(g.cfg, j)))
                ck_abort_msg("%s: object %zu differs after the round trip", paths[i], j);
        gwapi_free(text);
        fixture_release(&g);
        fixture_release(&f);
    }
    free_paths(paths, count);
}

START_TEST(examples_round_trip_through_json)
{
    roundtrip_each_file(GWAPI_FORMAT_JSON);
}
END_TEST

START_TEST(examples_round_trip_through_yaml)
{
    roundtrip_each_file(GWAPI_FORMAT_YAML);
}
END_TEST

Suite *
suite_examples(void)
{
    Suite *s = suite_create("examples");
    TCase *tc = tcase_create("examples");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_example_loads_strictly_and_validates);
    tcase_add_test(tc, every_example_document_is_counted);
    tcase_add_test(tc, examples_round_trip_through_json);
    tcase_add_test(tc, examples_round_trip_through_yaml);
    suite_add_tcase(s, tc);
    return s;
}
