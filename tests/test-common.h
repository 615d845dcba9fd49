/* Shared by the test suites: where the data is, and small loading helpers. */
#ifndef GWAPI_TEST_COMMON_H
#define GWAPI_TEST_COMMON_H

#include <check.h>
#include <stdio.h>
#include <string.h>

#include <gatewayapi.h>

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must be defined by the build"
#endif

/* One configuration with its context and diagnostics. */
struct fixture {
    gwapi_ctx *ctx;
    gwapi_config *cfg;
    gwapi_diags *diags;
    int rc; /* of the last load */
};

void fixture_init(struct fixture *f);
void fixture_release(struct fixture *f);
/* Load a file under tests/data; returns the load's return code. */
int fixture_load_data(struct fixture *f, const char *relpath, unsigned flags);
int fixture_load_text(struct fixture *f, const char *text, unsigned flags);
/* The first diagnostic with this code, or NULL. */
const gwapi_diag *fixture_find_diag(const struct fixture *f, const char *code);
size_t fixture_count_severity(const struct fixture *f, gwapi_severity severity);
/* Fail the test listing every diagnostic when there is any of at least this severity. */
void fixture_assert_no_diags(const struct fixture *f, gwapi_severity worst_allowed_below);
const gwapi_object *fixture_find(const struct fixture *f, gwapi_kind kind, gwapi_dialect dialect,
                                 const char *ns, const char *name);
/* Read a whole file; caller frees. */
char *read_file(const char *path, size_t *len);
/* Paths of every *.yaml / *.json under dir (recursive), sorted; caller frees with free_paths. */
char **list_files(const char *dir, size_t *count);
void free_paths(char **paths, size_t count);

Suite *suite_parse(void);
Suite *suite_model(void);
Suite *suite_examples(void);
Suite *suite_malformed(void);
Suite *suite_config(void);
Suite *suite_emit(void);
Suite *suite_api(void);
Suite *suite_validate(void);
Suite *suite_resolve(void);
Suite *suite_router(void);
Suite *suite_live(void);
Suite *suite_endpoints(void);

#endif
