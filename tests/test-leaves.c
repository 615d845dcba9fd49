/* The pure predicates at the leaves of the pipeline, tested on their own (linked from the
 * internal static library): hostnames (shared by resolution and router), label selectors,
 * and the index of repeated keys. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve/resolve.h"
#include "util/hostname.h"
#include "util/intern.h"
#include "util/keyset.h"

static bool
matches(const char *pattern, const char *host)
{
    return gw_hostname_matches(pattern, host, strlen(host));
}

START_TEST(hostname_matches)
{
    ck_assert(matches(NULL, "anything"));
    ck_assert(matches("a.example.com", "a.example.com"));
    ck_assert(!matches("a.example.com", "b.example.com"));
    ck_assert(!matches("a.example.com", "a.example.co"));
    ck_assert(matches("*.example.com", "a.example.com"));
    ck_assert(matches("*.example.com", "a.b.example.com")); /* one or more labels */
    ck_assert(!matches("*.example.com", "example.com"));
    ck_assert(!matches("*.example.com", ".example.com"));
    ck_assert(!matches("*.example.com", "aexample.com"));
    ck_assert(!gw_hostname_matches("a.example.com", "a.example.com.evil", 13 + 5));
}
END_TEST

START_TEST(hostname_intersection)
{
    ck_assert_str_eq(gw_hostname_intersect(NULL, "a.example.com"), "a.example.com");
    ck_assert_str_eq(gw_hostname_intersect("a.example.com", "a.example.com"), "a.example.com");
    ck_assert_ptr_null(gw_hostname_intersect("a.example.com", "b.example.com"));
    ck_assert_str_eq(gw_hostname_intersect("*.example.com", "a.example.com"), "a.example.com");
    ck_assert_str_eq(gw_hostname_intersect("a.example.com", "*.example.com"), "a.example.com");
    ck_assert_str_eq(gw_hostname_intersect("*.example.com", "*.a.example.com"), "*.a.example.com");
    ck_assert_str_eq(gw_hostname_intersect("*.a.example.com", "*.example.com"), "*.a.example.com");
    ck_assert_str_eq(gw_hostname_intersect("*.example.com", "*.example.com"), "*.example.com");
    ck_assert_ptr_null(gw_hostname_intersect("*.example.com", "*.example.org"));
    ck_assert_ptr_null(gw_hostname_intersect("*.example.com", "example.com"));
}
END_TEST

START_TEST(label_selectors)
{
    const char *keys[] = { "env", "tier" }, *values[] = { "prod", "web" };
    gwapi_string_map labels = { 2, keys, values };
    const char *in_values[] = { "prod", "qa" };
    gwapi_label_selector_requirement in = { 0 }, exists = { 0 }, bad = { 0 };
    const gwapi_label_selector_requirement *exprs[1];
    gwapi_label_selector sel = { 0 };

    ck_assert(!gw_selector_matches(NULL, &labels, "ns")); /* no selector selects nothing */
    ck_assert(gw_selector_matches(&sel, &labels, "ns"));  /* an empty one, everything */
    sel.match_labels = labels;
    ck_assert(gw_selector_matches(&sel, &labels, "ns"));
    ck_assert(!gw_selector_matches(&sel, NULL, "ns"));
    memset(&sel, 0, sizeof(sel));
    in.key = "env";
    in.operator_ = "In";
    in.values = in_values;
    in.n_values = 2;
    exprs[0] = &in;
    sel.match_expressions = exprs;
    sel.n_match_expressions = 1;
    ck_assert(gw_selector_matches(&sel, &labels, "ns"));
    in.operator_ = "NotIn";
    ck_assert(!gw_selector_matches(&sel, &labels, "ns"));
    exists.key = "kubernetes.io/metadata.name"; /* every Namespace has it */
    exists.operator_ = "Exists";
    exprs[0] = &exists;
    ck_assert(gw_selector_matches(&sel, NULL, "ns"));
    exists.operator_ = "DoesNotExist";
    ck_assert(!gw_selector_matches(&sel, NULL, "ns"));
    bad.key = "env";
    bad.operator_ = "Sometimes"; /* an unknown operator selects nothing */
    exprs[0] = &bad;
    ck_assert(!gw_selector_matches(&sel, &labels, "ns"));
}
END_TEST

START_TEST(keyset_finds_repeats)
{
    struct gw_keyset set;
    char **keys = malloc(100000 * sizeof(*keys));

    gw_keyset_init(&set, NULL, sizeof(*keys));
    ck_assert_uint_eq(gw_keyset_find(&set, keys, "k1"), SIZE_MAX);
    for (size_t i = 0; i < 100000; i++) {
        keys[i] = malloc(16);
        snprintf(keys[i], 16, "k%zu", i);
        ck_assert_uint_eq(gw_keyset_find(&set, keys, keys[i]), SIZE_MAX);
        ck_assert_int_eq(gw_keyset_insert(&set, keys, i), 0);
    }
    ck_assert_uint_eq(gw_keyset_find(&set, keys, "k77777"), 77777);
    ck_assert_uint_eq(gw_keyset_find(&set, keys, "k100000"), SIZE_MAX);
    gw_keyset_clear(&set);
    ck_assert_uint_eq(gw_keyset_find(&set, keys, "k1"), SIZE_MAX);
    gw_keyset_release(&set);
    for (size_t i = 0; i < 100000; i++)
        free(keys[i]);
    free(keys);
}
END_TEST

/* A string already interned may be shorter than the one looked up, and end where its arena
 * chunk ends: comparing them must stop at its end (fuzz-load found a read past it). Under
 * AddressSanitizer, a read past the chunk fails this test. */
START_TEST(interned_strings_compare_within_their_bounds)
{
    struct gw_arena arena;
    struct gw_interner in;
    char longer[48];
    uint32_t target, h;
    const char *a;

    gw_arena_init(&arena, NULL, 256);
    gw_interner_init(&in, &arena);
    ck_assert_ptr_nonnull(gw_arena_alloc(&arena, 253, 1)); /* "ab" ends the chunk */
    a = gw_intern(&in, "ab", 2);
    ck_assert_str_eq(a, "ab");
    target = 2166136261u;
    target = (target ^ 'a') * 16777619u;
    target = (target ^ 'b') * 16777619u;
    /* a longer string that falls in the same slot (FNV-1a, as intern.c) */
    for (unsigned i = 0;; i++) {
        snprintf(longer, sizeof(longer), "%040u", i);
        h = 2166136261u;
        for (size_t k = 0; k < 40; k++)
            h = (h ^ (unsigned char)longer[k]) * 16777619u;
        if (h % GW_INTERN_SLOTS == target % GW_INTERN_SLOTS)
            break;
    }
    ck_assert_str_eq(gw_intern(&in, longer, 40), longer);
    ck_assert_str_eq(gw_intern(&in, "ab", 2), "ab");
    gw_arena_release(&arena);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("leaves");
    TCase *tc = tcase_create("leaves");
    SRunner *runner;
    int failed;

    tcase_add_test(tc, hostname_matches);
    tcase_add_test(tc, hostname_intersection);
    tcase_add_test(tc, label_selectors);
    tcase_add_test(tc, keyset_finds_repeats);
    tcase_add_test(tc, interned_strings_compare_within_their_bounds);
    suite_add_tcase(s, tc);
    runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
