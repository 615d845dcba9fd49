/* The field sweep: a rich valid configuration (tests/data/sweep/rich.yaml) with each of its
 * fields deleted in turn, and each given a value of every wrong type, carried through the
 * whole pipeline: load, validate, resolve (with and without the objects that fail
 * validation), status, explain, compile every Gateway and match requests, and the filters'
 * helpers (pipeline.c). Nothing may crash or leak (run it under the sanitizers), and the
 * resolution must leave out exactly the objects that fail validation. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

#include "pipeline.h"
#include "test-common.h"

/* Where a node sits: the child index at each level from the root. */
struct node_path {
    int steps[32];
    int depth;
};

static struct node_path *paths;
static size_t n_paths, cap_paths;

static void
collect(const cJSON *node, struct node_path *at)
{
    int i = 0;
    const cJSON *child;

    if (at->depth > 0) {
        if (n_paths == cap_paths) {
            cap_paths = cap_paths ? cap_paths * 2 : 256;
            paths = realloc(paths, cap_paths * sizeof(*paths));
            ck_assert_ptr_nonnull(paths);
        }
        paths[n_paths++] = *at;
    }
    if (at->depth == 32)
        return;
    cJSON_ArrayForEach(child, node) {
        at->steps[at->depth++] = i++;
        collect(child, at);
        at->depth--;
    }
}

static cJSON *
follow(cJSON *root, const struct node_path *p, cJSON **parent)
{
    cJSON *node = root;

    *parent = NULL;
    for (int d = 0; d < p->depth; d++) {
        *parent = node;
        node = cJSON_GetArrayItem(node, p->steps[d]);
    }
    return node;
}

enum mutation { DELETE, TO_NULL, TO_INT, TO_STRING, TO_LIST, TO_MAP, TO_NULL_LIST, N_MUTATIONS };

static bool
mutate(cJSON *root, const struct node_path *p, enum mutation m)
{
    cJSON *parent, *node = follow(root, p, &parent), *with = NULL;

    switch (m) {
    case DELETE:
        cJSON_Delete(cJSON_DetachItemViaPointer(parent, node));
        return true;
    case TO_NULL: with = cJSON_CreateNull(); break;
    case TO_INT: with = cJSON_IsNumber(node) ? cJSON_CreateNumber(-1) : cJSON_CreateNumber(7); break;
    case TO_STRING:
        with = cJSON_IsString(node) ? cJSON_CreateString("UPPER_case!! \xe2\x82\xac")
                                    : cJSON_CreateString("x");
        break;
    case TO_LIST: with = cJSON_CreateArray(); break;
    case TO_MAP: with = cJSON_CreateObject(); break;
    case TO_NULL_LIST:
        with = cJSON_CreateArray();
        cJSON_AddItemToArray(with, cJSON_CreateNull());
        break;
    default: return false;
    }
    return cJSON_ReplaceItemViaPointer(parent, node, with);
}

static void
exercise(const char *text)
{
    /* GWAPI_SWEEP_DUMP=file keeps the variant under way, to replay one that fails. */
    const char *dump = getenv("GWAPI_SWEEP_DUMP");
    struct pipeline_result r;

    if (dump) {
        FILE *fp = fopen(dump, "w");
        if (fp) {
            fputs(text, fp);
            fclose(fp);
        }
    }
    pipeline_run(text, strlen(text), NULL, 0, &r);
    if (r.broken)
        ck_abort_msg("%s", r.broken);
    /* Exactly the objects that fail validation are refused. */
    ck_assert_uint_eq(r.refused[0], r.invalid);
}

static char *
rich_json(void)
{
    struct fixture f;
    char *text, *copy;

    fixture_init(&f);
    ck_assert_int_eq(fixture_load_data(&f, "sweep/rich.yaml", GWAPI_LOAD_VALIDATE), 0);
    ck_assert_int_eq(gwapi_config_emit(f.cfg, GWAPI_FORMAT_JSON, &text, NULL), 0);
    copy = strdup(text);
    gwapi_free(text);
    fixture_release(&f);
    return copy;
}

/* The sweep runs in slices so that each stays well inside Check's timeout under the
 * sanitizers. */
#define SLICES 8

START_TEST(sweep_fields)
{
    char *text = rich_json();
    cJSON *root = cJSON_Parse(text);
    struct node_path start = { { 0 }, 0 };
    size_t variants = 0;

    ck_assert_ptr_nonnull(root);
    n_paths = 0;
    collect(root, &start);
    ck_assert_uint_gt(n_paths, 300);
    if (_i == 0)
        exercise(text); /* the configuration itself */
    for (size_t p = (size_t)_i; p < n_paths; p += SLICES) {
        for (int m = 0; m < N_MUTATIONS; m++) {
            cJSON *copy = cJSON_Duplicate(root, true);
            char *mutated;
            if (mutate(copy, &paths[p], (enum mutation)m)) {
                mutated = cJSON_PrintUnformatted(copy);
                exercise(mutated);
                cJSON_free(mutated);
                variants++;
            }
            cJSON_Delete(copy);
        }
    }
    ck_assert_uint_gt(variants, 300);
    cJSON_Delete(root);
    free(text);
    free(paths);
    paths = NULL;
    cap_paths = 0;
}
END_TEST

static Suite *
suite_sweep(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, sweep_fields, 0, SLICES);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *runner = srunner_create(suite_sweep());
    int failed;

    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
