"""The cffi build of the binding's extension module, gatewayapi._native (API mode, out of line).

Where the library is: the environment's GWAPI_INCLUDE_DIRS and GWAPI_LIBRARY_DIRS (lists
separated by ":"), else pkg-config's answer for gatewayapi, else the compiler's defaults."""
import os
import shlex
import subprocess

from cffi import FFI

CDEF = r"""
typedef struct gwapi_ctx gwapi_ctx;
typedef struct gwapi_config gwapi_config;
typedef struct gwapi_diags gwapi_diags;
typedef struct gwapi_resolution gwapi_resolution;
typedef struct gwapi_router gwapi_router;

typedef enum gwapi_severity {
    GWAPI_SEVERITY_ERROR = 0, GWAPI_SEVERITY_WARNING = 1, GWAPI_SEVERITY_INFO = 2
} gwapi_severity;
typedef enum gwapi_format { GWAPI_FORMAT_JSON = 0, GWAPI_FORMAT_YAML = 1 } gwapi_format;
typedef enum gwapi_protocol {
    GWAPI_PROTOCOL_HTTP = 0, GWAPI_PROTOCOL_GRPC = 1, GWAPI_PROTOCOL_TLS = 2,
    GWAPI_PROTOCOL_TCP = 3, GWAPI_PROTOCOL_UDP = 4
} gwapi_protocol;
typedef enum gwapi_cors_kind {
    GWAPI_CORS_NONE = 0, GWAPI_CORS_PREFLIGHT = 1, GWAPI_CORS_ACTUAL = 2
} gwapi_cors_kind;
#define GWAPI_LOAD_STRICT ...
#define GWAPI_LOAD_VALIDATE ...
#define GWAPI_EIO ...
#define GWAPI_EINPUT ...
#define GWAPI_ENOTFOUND ...
#define GWAPI_ELIMIT ...

typedef struct gwapi_object_meta { const char *name; const char *namespace_; ...; } gwapi_object_meta;
typedef struct gwapi_object {
    const char *api_version; const char *kind_name; const gwapi_object_meta *metadata;
    const char *source; unsigned line; unsigned column; ...;
} gwapi_object;
typedef struct gwapi_diag {
    gwapi_severity severity; const char *code; const char *kind; const char *ns;
    const char *name; const char *path; const char *source; unsigned line; unsigned column;
    const char *reason; const char *message; unsigned object_line;
} gwapi_diag;
typedef struct gwapi_load_options { size_t size; unsigned flags; } gwapi_load_options;
typedef struct gwapi_resolve_options {
    size_t size; const char *controller_name; unsigned flags;
} gwapi_resolve_options;
enum { GWAPI_RESOLVE_INCLUDE_INVALID = 1 };
typedef struct gwapi_explain_step {
    const char *parent; const char *listener; const char *check; bool passed;
    const char *reason; const char *message;
} gwapi_explain_step;

typedef struct gwapi_http_header { const char *name; const char *value; } gwapi_http_header;
typedef struct gwapi_header_modifier gwapi_header_modifier;
typedef struct gwapi_backend_object_ref {
    const char *name; const char *namespace_; int64_t port; ...;
} gwapi_backend_object_ref;
typedef struct gwapi_request_mirror {
    const gwapi_backend_object_ref *backend_ref; int64_t percent; ...;
} gwapi_request_mirror;
typedef struct gwapi_filter {
    const gwapi_header_modifier *request_header_modifier;
    const gwapi_header_modifier *response_header_modifier;
    const gwapi_request_mirror *request_mirror;
    const char *type; ...;
} gwapi_filter;

typedef struct gwapi_slice { const char *ptr; size_t len; } gwapi_slice;
typedef struct gwapi_header_slice { gwapi_slice name; gwapi_slice value; } gwapi_header_slice;
typedef struct gwapi_request {
    size_t size; gwapi_protocol protocol; unsigned port; const char *host; const char *sni;
    const char *method; const char *path; const char *query; const gwapi_http_header *headers;
    size_t n_headers; uint32_t random; gwapi_slice host_slice; gwapi_slice sni_slice;
    gwapi_slice method_slice; gwapi_slice path_slice; gwapi_slice query_slice;
    const gwapi_header_slice *header_slices; size_t n_header_slices; ...;
} gwapi_request;
typedef struct gwapi_backend_tls_validation { const char *hostname; ...; }
    gwapi_backend_tls_validation;
typedef struct gwapi_backend_tls_policy_spec { const gwapi_backend_tls_validation *validation; ...; }
    gwapi_backend_tls_policy_spec;
typedef struct gwapi_backend_tls_policy { const gwapi_backend_tls_policy_spec *spec; }
    gwapi_backend_tls_policy;
const gwapi_backend_tls_policy *gwapi_object_backend_tls_policy(const gwapi_object *obj);
typedef enum gwapi_tls_action {
    GWAPI_TLS_NONE = 0, GWAPI_TLS_TERMINATE = 1, GWAPI_TLS_PASSTHROUGH = 2
} gwapi_tls_action;
typedef struct gwapi_decision {
    size_t size; int status; const char *listener; const gwapi_object *route; size_t rule;
    size_t match; const char *backend_ns; const char *backend_name; int64_t backend_port;
    size_t backend; const gwapi_filter *const *filters; size_t n_filters;
    const gwapi_filter *const *backend_filters; size_t n_backend_filters;
    const char *matched_prefix; gwapi_tls_action tls; int64_t request_timeout_ms;
    int64_t backend_request_timeout_ms; const gwapi_object *backend_tls_policy;
    const gwapi_object *backend_client_certificate; ...;
} gwapi_decision;

const char *gwapi_strerror(int err);
const char *gwapi_version_string(void);
void gwapi_free(void *ptr);
int gwapi_ctx_new(gwapi_ctx **out);
void gwapi_ctx_unref(gwapi_ctx *ctx);
int gwapi_config_new(gwapi_config **out, gwapi_ctx *ctx);
void gwapi_config_unref(gwapi_config *cfg);
int gwapi_config_load_buffer(gwapi_config *cfg, const char *data, size_t len,
                             const char *source_name, const gwapi_load_options *options,
                             gwapi_diags *diags);
int gwapi_config_load_file(gwapi_config *cfg, const char *path,
                           const gwapi_load_options *options, gwapi_diags *diags);
int gwapi_config_load_path(gwapi_config *cfg, const char *path,
                           const gwapi_load_options *options, gwapi_diags *diags);
size_t gwapi_config_count(const gwapi_config *cfg);
const gwapi_object *gwapi_config_get(const gwapi_config *cfg, size_t index);
int gwapi_object_emit(const gwapi_object *obj, gwapi_format format, char **out, size_t *len);
int gwapi_diags_new(gwapi_diags **out, gwapi_ctx *ctx);
void gwapi_diags_free(gwapi_diags *diags);
size_t gwapi_diags_count(const gwapi_diags *diags);
const gwapi_diag *gwapi_diags_get(const gwapi_diags *diags, size_t index);
size_t gwapi_diag_format(const gwapi_diag *diag, char *buf, size_t size);
int gwapi_resolve(gwapi_resolution **out, gwapi_config *cfg,
                  const gwapi_resolve_options *options, gwapi_diags *diags);
void gwapi_resolution_unref(gwapi_resolution *r);
int gwapi_resolution_update(gwapi_resolution **out, gwapi_resolution *prev, gwapi_config *cfg,
                            gwapi_diags *diags);
int gwapi_resolution_explain(const gwapi_resolution *r, const gwapi_object *route,
                             const gwapi_explain_step *const **steps, size_t *count);
int gwapi_resolution_emit(const gwapi_resolution *r, const char *gateway, gwapi_format format,
                          char **out, size_t *len);
int gwapi_router_new(gwapi_router **out, gwapi_resolution *res, const char *gateway,
                     gwapi_diags *diags);
void gwapi_router_unref(gwapi_router *r);
int gwapi_router_update(gwapi_router **out, gwapi_router *prev, gwapi_resolution *res,
                        gwapi_diags *diags);
int gwapi_router_match(const gwapi_router *router, const gwapi_request *request,
                       gwapi_decision *out);
typedef struct gwapi_mirror {
    const char *backend_ns; const char *backend_name; int64_t backend_port;
    int64_t numerator; int64_t denominator;
} gwapi_mirror;
typedef struct gwapi_action {
    size_t size; int status; gwapi_cors_kind cors; const char *location; const char *host;
    const char *path; const gwapi_http_header *request_headers; size_t n_request_headers;
    const gwapi_http_header *response_headers; size_t n_response_headers;
    const gwapi_mirror *const *mirrors; size_t n_mirrors;
} gwapi_action;
typedef struct gwapi_changes {
    size_t size; gwapi_ctx *ctx; const gwapi_object *const *statuses; size_t n_statuses;
    const gwapi_object *const *gateways; size_t n_gateways;
} gwapi_changes;
int gwapi_resolution_changes(const gwapi_resolution *before, const gwapi_resolution *after,
                             gwapi_changes *out);
void gwapi_changes_release(gwapi_changes *c);
typedef struct gwapi_router_holder gwapi_router_holder;
int gwapi_router_holder_new(gwapi_router_holder **out, gwapi_ctx *ctx);
void gwapi_router_holder_free(gwapi_router_holder *h);
void gwapi_router_holder_publish(gwapi_router_holder *h, gwapi_router *router);
gwapi_router *gwapi_router_holder_acquire(gwapi_router_holder *h);
gwapi_router *gwapi_router_ref(gwapi_router *r);
typedef struct gwapi_certificate {
    size_t size; const char *listener; unsigned port; const char *hostname;
    const gwapi_object *secret; const char *cert_pem; size_t cert_pem_len; const char *key_pem;
    size_t key_pem_len; int client_validation; const char *client_ca_pem;
    size_t client_ca_pem_len; ...;
} gwapi_certificate;
int gwapi_router_certificate(const gwapi_router *router, unsigned port, const char *sni,
                             size_t sni_len, gwapi_certificate *out);
int gwapi_decision_apply(const gwapi_decision *decision, const gwapi_request *request,
                         const char *scheme, const gwapi_http_header *response_headers,
                         size_t n_response_headers, gwapi_action *out, void *buf, size_t size,
                         size_t *needed);
"""


def _dirs(variable, pkg_flag, prefix):
    if os.environ.get(variable):
        return [d for d in os.environ[variable].split(":") if d]
    try:
        out = subprocess.run(["pkg-config", pkg_flag, "gatewayapi"], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [f[len(prefix):] for f in shlex.split(out) if f.startswith(prefix)]


ffibuilder = FFI()
ffibuilder.cdef(CDEF)
_library_dirs = _dirs("GWAPI_LIBRARY_DIRS", "--libs-only-L", "-L")
ffibuilder.set_source(
    "gatewayapi._native",
    "#include <gatewayapi.h>",
    libraries=["gatewayapi"],
    include_dirs=_dirs("GWAPI_INCLUDE_DIRS", "--cflags-only-I", "-I"),
    library_dirs=_library_dirs,
    # The library is found where it was built against, unless it will be installed in the
    # system's own directories (GWAPI_NO_RPATH, as the Debian package builds it).
    runtime_library_dirs=[] if os.environ.get("GWAPI_NO_RPATH") else _library_dirs,
    # With GWAPI_CFFI_STRICT set (the tests set it), a declaration above that disagrees with
    # the installed headers (a field's type, a function's parameters) fails the build.
    extra_compile_args=["-Werror"] if os.environ.get("GWAPI_CFFI_STRICT") else [],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=False)
