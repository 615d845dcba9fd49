/* Runs every suite in one runner, so that Check prints one summary line for the library. */
#include <stdlib.h>

#include "test-common.h"

int
main(void)
{
    Suite *(*const suites[])(void) = {
        suite_api, suite_parse, suite_model, suite_config, suite_emit, suite_malformed,
        suite_examples, suite_validate, suite_resolve, suite_router, suite_live,
        suite_endpoints,
    };
    SRunner *runner = srunner_create(NULL);
    int failed;

    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
        srunner_add_suite(runner, suites[i]());
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
