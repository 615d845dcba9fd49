/* The malformed-input corpus (tests/data/malformed, made by make-corpus.py): each file gives its
 * expected diagnostic, nothing crashes, and what is valid beside the damage is kept. */
#include <stdio.h>
#include <stdlib.h>

#include "test-common.h"

struct expectation {
    char file[128];
    char code[64];
    unsigned line, column;
};

static size_t
read_expectations(struct expectation *out, size_t max)
{
    char path[1024], buf[512];
    size_t n = 0;
    FILE *fp;

    snprintf(path, sizeof(path), "%s/malformed/EXPECT", TEST_DATA_DIR);
    fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    while (n < max && fgets(buf, sizeof(buf), fp)) {
        if (buf[0] == '#' || buf[0] == '\n')
            continue;
        ck_assert_int_eq(sscanf(buf, "%127s %63s %u %u", out[n].file, out[n].code, &out[n].line,
                                &out[n].column), 4);
        n++;
    }
    fclose(fp);
    return n;
}

START_TEST(each_file_gives_its_diagnostic)
{
    struct expectation exp[64];
    size_t n = read_expectations(exp, 64);

    ck_assert_uint_ge(n, 25);
    for (size_t i = 0; i < n; i++) {
        struct fixture f;
        char rel[256];
        const gwapi_diag *first = NULL;

        fixture_init(&f);
        snprintf(rel, sizeof(rel), "malformed/%s", exp[i].file);
        fixture_load_data(&f, rel, 0);
        for (size_t j = 0; j < gwapi_diags_count(f.diags) && !first; j++)
            if (gwapi_diags_get(f.diags, j)->severity != GWAPI_SEVERITY_INFO)
                first = gwapi_diags_get(f.diags, j);
        if (strcmp(exp[i].code, "none") == 0) {
            if (first)
                ck_abort_msg("%s: unexpected %s: %s", exp[i].file, first->code, first->message);
        } else {
            if (!first)
                ck_abort_msg("%s: expected %s, got no diagnostic", exp[i].file, exp[i].code);
            if (strcmp(first->code, exp[i].code) != 0)
                ck_abort_msg("%s: expected %s, got %s: %s", exp[i].file, exp[i].code, first->code,
                             first->message);
            ck_assert_ptr_nonnull(first->message);
            ck_assert_uint_gt(strlen(first->message), 10);
            ck_assert_ptr_null(strchr(first->message, '\n'));
            if (exp[i].line && first->line != exp[i].line)
                ck_abort_msg("%s: expected line %u, got %u", exp[i].file, exp[i].line, first->line);
            if (exp[i].column && first->column != exp[i].column)
                ck_abort_msg("%s: expected column %u, got %u", exp[i].file, exp[i].column,
                             first->column);
            ck_assert_ptr_nonnull(first->source);
        }
        fixture_release(&f);
    }
}
END_TEST

START_TEST(valid_neighbours_are_kept)
{
    struct fixture f;
    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "malformed/bad-between-good.yaml", 0), GWAPI_EINPUT);
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "kept"));
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "kept2"));
    fixture_release(&f);

    fixture_init(&f);
    fixture_load_data(&f, "malformed/bad-watch.json", 0);
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "kept"));
    fixture_release(&f);

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "malformed/unknown-kind.yaml", 0), 0);
    ck_assert_ptr_nonnull(fixture_find(&f, GWAPI_KIND_NAMESPACE, GWAPI_DIALECT_V1, NULL, "kept"));
    ck_assert_int_eq(fixture_find_diag(&f, "unknown-kind")->severity, GWAPI_SEVERITY_WARNING);
    fixture_release(&f);
}
END_TEST

START_TEST(limits_are_settable)
{
    struct fixture f;
    gwapi_limits limits = GWAPI_LIMITS_INIT;
    const gwapi_diag *d;

    fixture_init(&f);
    limits.max_depth = 3;
    ck_assert_int_eq(gwapi_ctx_set_limits(f.ctx, &limits), 0);
    fixture_load_text(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: n, labels: {a: [b]}}\n", 0);
    d = fixture_find_diag(&f, "limit");
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "max_depth"));
    fixture_release(&f);

    fixture_init(&f);
    limits.max_depth = 0;
    limits.max_string_bytes = 10;
    ck_assert_int_eq(gwapi_ctx_set_limits(f.ctx, &limits), 0);
    fixture_load_text(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a-long-name}\n", 0);
    d = fixture_find_diag(&f, "limit");
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "max_string_bytes"));
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 0);
    fixture_release(&f);

    fixture_init(&f);
    limits.max_string_bytes = 0;
    limits.max_document_bytes = 40;
    limits.max_nodes = 5;
    ck_assert_int_eq(gwapi_ctx_set_limits(f.ctx, &limits), 0);
    fixture_load_text(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: way-too-long-for-forty}\n", 0);
    ck_assert_ptr_nonnull(strstr(fixture_find_diag(&f, "limit")->message, "max_document_bytes"));
    gwapi_diags_clear(f.diags);
    fixture_load_text(&f, "{\"a\": [1, 2, 3, 4, 5, 6]}", 0);
    ck_assert_ptr_nonnull(strstr(fixture_find_diag(&f, "limit")->message, "max_nodes"));
    fixture_release(&f);
}
END_TEST

/* A JSON List is handed over one item at a time; the node limit still counts the whole List,
 * and the items before the one that passed it are kept. */
START_TEST(json_list_items_within_the_node_limit)
{
    struct fixture f;
    gwapi_limits limits = GWAPI_LIMITS_INIT;
    char text[2048];
    size_t len = 0;

    len += (size_t)snprintf(text + len, sizeof(text) - len,
                            "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [");
    for (int i = 0; i < 6; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "%s{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                "\"metadata\": {\"name\": \"ns%d\"}}", i ? ", " : "", i);
    snprintf(text + len, sizeof(text) - len, "]}");

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_text(&f, text, 0), 0);
    ck_assert_uint_eq(gwapi_config_count(f.cfg), 6);
    fixture_release(&f);

    /* Each item is 9 nodes, the List's own keys 6: 40 nodes hold the first three items. */
    fixture_init(&f);
    limits.max_nodes = 40;
    ck_assert_int_eq(gwapi_ctx_set_limits(f.ctx, &limits), 0);
    fixture_load_text(&f, text, 0);
    ck_assert_ptr_nonnull(fixture_find_diag(&f, "limit"));
    ck_assert_ptr_nonnull(strstr(fixture_find_diag(&f, "limit")->message, "max_nodes"));
    ck_assert_uint_gt(gwapi_config_count(f.cfg), 0);
    ck_assert_uint_lt(gwapi_config_count(f.cfg), 6);
    fixture_release(&f);
}
END_TEST

START_TEST(garbage_never_crashes)
{
    /* A quick deterministic shake of every corpus file: truncate at every 7th byte. */
    size_t count;
    char dir[1024];
    char **paths;

    snprintf(dir, sizeof(dir), "%s/malformed", TEST_DATA_DIR);
    paths = list_files(dir, &count);
    for (size_t i = 0; i < count; i++) {
        size_t len;
        char *data = read_file(paths[i], &len);
        if (len > 4096)
            len = 4096;
        for (size_t cut = 0; cut < len; cut += 7) {
            struct fixture f;
            fixture_init(&f);
            gwapi_config_load_buffer(f.cfg, data, cut, "cut", NULL, f.diags);
            fixture_release(&f);
        }
        free(data);
    }
    free_paths(paths, count);
}
END_TEST

Suite *
suite_malformed(void)
{
    Suite *s = suite_create("malformed");
    TCase *tc = tcase_create("malformed");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, each_file_gives_its_diagnostic);
    tcase_add_test(tc, valid_neighbours_are_kept);
    tcase_add_test(tc, limits_are_settable);
    tcase_add_test(tc, json_list_items_within_the_node_limit);
    tcase_add_test(tc, garbage_never_crashes);
    suite_add_tcase(s, tc);
    return s;
}
