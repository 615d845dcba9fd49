/* libFuzzer target: configurations through the whole pipeline (pipeline.c): load, validate,
 * resolve without and with the objects that fail validation, emit, explain, compile every
 * Gateway, route requests of every protocol and apply their filters. Seeded with valid
 * configurations (tests/fuzz/corpus/pipeline) and a dictionary of the schemas' field names and
 * values (pipeline.dict), so that mutations stay close to configurations that bind and route.
 * A broken promise aborts, which libFuzzer reports as a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gwapi_limits limits = GWAPI_LIMITS_INIT;
    struct pipeline_result r;

    /* Small limits keep each run cheap: what is past them is refused, and that path is
     * exercised too. */
    limits.max_nodes = 20000;
    limits.max_depth = 32;
    limits.max_document_bytes = 256 * 1024;
    pipeline_run((const char *)data, size, &limits, GWAPI_LOAD_VALIDATE, &r);
    if (r.broken) {
        fprintf(stderr, "broken promise: %s\n", r.broken);
        abort();
    }
    return 0;
}
