/* The whole pipeline on one input, with every promise that holds for any input checked: shared
 * by the field sweep (test-sweep.c) and the fuzz targets (tests/fuzz/). Nothing here uses
 * Check, so that libFuzzer builds can link it. */
#ifndef GWAPI_TEST_PIPELINE_H
#define GWAPI_TEST_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include <gatewayapi.h>

struct pipeline_result {
    size_t objects;      /* objects loaded */
    size_t refused[2];   /* "refused" warnings of the resolution, without and with the
                            objects that fail validation */
    size_t invalid;      /* objects that fail validation or had errors while read */
    const char *broken;  /* the first promise broken, or NULL */
};

/* Load text (YAML or JSON) under limits (NULL for the defaults), then resolve it without and
 * with the objects that fail validation, emit and explain everything, compile every Gateway
 * and route a set of requests of every protocol through it. */
void pipeline_run(const char *text, size_t len, const gwapi_limits *limits, unsigned load_flags,
                  struct pipeline_result *out);

/* Every filter helper on a decision; a broken promise is named in *broken. */
void pipeline_decision(const gwapi_decision *d, const gwapi_request *req, const char **broken);

/* The requests pipeline_run() sends: every listener of tests/data/sweep/rich.yaml and beyond.
 * Headers for them (n_pipeline_headers). */
extern const gwapi_http_header pipeline_headers[];
extern const size_t n_pipeline_headers;

#endif
