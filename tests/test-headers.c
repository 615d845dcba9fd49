/* Compiled as C99 with -pedantic (and as C++ by test-headers.cpp): the public headers must be
 * usable from both. The layout checks pin the caller-allocated structs: they only grow. */
#include <gatewayapi.h>

#include <stddef.h>

#ifndef __cplusplus
#define STATIC_ASSERT(cond, msg) typedef char static_assert_##msg[(cond) ? 1 : -1]
STATIC_ASSERT(offsetof(gwapi_limits, size) == 0, limits_size_first);
STATIC_ASSERT(offsetof(gwapi_limits, max_document_bytes) == sizeof(size_t), limits_doc);
STATIC_ASSERT(offsetof(gwapi_limits, max_string_bytes) == 5 * sizeof(size_t), limits_string);
STATIC_ASSERT(offsetof(gwapi_limits, max_input_bytes) == 6 * sizeof(size_t), limits_input);
STATIC_ASSERT(offsetof(gwapi_load_options, flags) == sizeof(size_t), load_options_flags);
STATIC_ASSERT(offsetof(gwapi_allocator, alloc) == sizeof(size_t), allocator_alloc);
STATIC_ASSERT(offsetof(gwapi_allocator, user_data) == sizeof(size_t) + 3 * sizeof(void *), allocator_ud);
#if defined(__LP64__)
/* Pinned on LP64 targets, where the library ships first. */
STATIC_ASSERT(offsetof(gwapi_diag, line) == 56, diag_line);
STATIC_ASSERT(offsetof(gwapi_diag, message) == 72, diag_message);
STATIC_ASSERT(offsetof(gwapi_diag, object_line) == 80, diag_object_line); /* since 0.2 */
STATIC_ASSERT(sizeof(gwapi_diag) == 88, diag_size);
STATIC_ASSERT(offsetof(gwapi_action, n_mirrors) == 80, action_n_mirrors);
STATIC_ASSERT(sizeof(gwapi_action) == 88, action_size);
STATIC_ASSERT(offsetof(gwapi_object, body) == 32, object_body);
STATIC_ASSERT(offsetof(gwapi_object, column) == 52, object_column);
STATIC_ASSERT(offsetof(gwapi_request, host) == 16, request_host);
STATIC_ASSERT(offsetof(gwapi_request, random) == 72, request_random);
STATIC_ASSERT(offsetof(gwapi_request, host_slice) == 80, request_host_slice);
STATIC_ASSERT(offsetof(gwapi_request, header_slices) == 160, request_header_slices);
STATIC_ASSERT(sizeof(gwapi_request) == 176, request_size);
STATIC_ASSERT(sizeof(gwapi_slice) == 16, slice_size);
STATIC_ASSERT(offsetof(gwapi_header_slice, value) == 16, header_slice_value);
STATIC_ASSERT(sizeof(gwapi_header_slice) == 32, header_slice_size);
/* Returned as a contiguous array: frozen. */
STATIC_ASSERT(offsetof(gwapi_endpoint_address, port) == 8, endpoint_address_port);
STATIC_ASSERT(sizeof(gwapi_endpoint_address) == 16, endpoint_address_size);
STATIC_ASSERT(offsetof(gwapi_decision, backend_port) == 64, decision_backend_port);
STATIC_ASSERT(offsetof(gwapi_decision, matched_prefix) == 112, decision_matched_prefix);
STATIC_ASSERT(offsetof(gwapi_decision, tls) == 120, decision_tls);
STATIC_ASSERT(offsetof(gwapi_decision, request_timeout_ms) == 128, decision_request_timeout);
STATIC_ASSERT(offsetof(gwapi_decision, backend_tls_policy) == 144, decision_backend_tls_policy);
STATIC_ASSERT(sizeof(gwapi_decision) == 160, decision_size);
#endif
STATIC_ASSERT(offsetof(gwapi_resolve_options, controller_name) == sizeof(size_t), resolve_options);
STATIC_ASSERT(offsetof(gwapi_request, protocol) == sizeof(size_t), request_protocol);
STATIC_ASSERT(offsetof(gwapi_decision, status) == sizeof(size_t), decision_status);
STATIC_ASSERT(sizeof(gwapi_http_header) == 2 * sizeof(const char *), http_header_is_frozen);
STATIC_ASSERT(GWAPI_PROTOCOL_UDP == 4, protocol_values_are_stable);
STATIC_ASSERT(GWAPI_CORS_ACTUAL == 2, cors_values_are_stable);
STATIC_ASSERT(offsetof(gwapi_string_map, values) == 2 * sizeof(void *), string_map_values);
STATIC_ASSERT(GWAPI_KIND_CONFIG_MAP == 14, kind_values_are_stable);
STATIC_ASSERT(GWAPI_ENOTFOUND == -6, error_values_are_stable);
#endif

int
main(void)
{
    gwapi_limits limits = GWAPI_LIMITS_INIT;
    gwapi_load_options options = GWAPI_LOAD_OPTIONS_INIT;
    return (int)(limits.size + options.size == 0);
}
