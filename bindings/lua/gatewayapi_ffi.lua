-- A faster router:match for LuaJIT (OpenResty): the request goes to gwapi_router_match()
-- through LuaJIT's FFI, without the Lua C API, and the answer comes back as a few values.
--
--   local gw = require "gatewayapi"          -- loading, diagnostics, status: the C module
--   local match = require "gatewayapi_ffi"   -- LuaJIT only
--   local router = assert(config:router("default/prod-web"))
--   local status, backend_name, backend_port, backend_ns, rule = match(router, host, path, method, headers, random)
--
-- headers is {{name, value}, ...} or nil. The strings go to the library as slices (pointer and
-- length: never copied, and a string holding a NUL byte is refused with status 400); they must
-- stay referenced (by the caller) during the call, and nothing is kept afterwards. Redirects,
-- rewrites and header edits are the C module's router:match{}.
local ffi = require "ffi"

ffi.cdef [[
typedef struct gwapi_router gwapi_router;
typedef struct gwapi_ffi_slice { const char *ptr; size_t len; } gwapi_ffi_slice;
typedef struct gwapi_ffi_header { gwapi_ffi_slice name; gwapi_ffi_slice value; } gwapi_ffi_header;
typedef struct gwapi_ffi_request {
    size_t size; int protocol; unsigned port; const char *host; const char *sni;
    const char *method; const char *path; const char *query; const void *headers;
    size_t n_headers; uint32_t random;
    gwapi_ffi_slice host_slice, sni_slice, method_slice, path_slice, query_slice;
    const gwapi_ffi_header *header_slices; size_t n_header_slices;
} gwapi_ffi_request;
typedef struct gwapi_ffi_decision {
    size_t size; int status; const char *listener; const void *route; size_t rule; size_t match;
    const char *backend_ns; const char *backend_name; int64_t backend_port; size_t backend;
    const void *filters; size_t n_filters; const void *backend_filters;
    size_t n_backend_filters; const char *matched_prefix;
} gwapi_ffi_decision;
int gwapi_router_match(const gwapi_router *router, const gwapi_ffi_request *request,
                       gwapi_ffi_decision *out);
]]

-- The C module loads the library and hands over gwapi_router_match's address: the FFI needs no
-- path to the library, and this module works whichever of the two is required first.
local gw = require "gatewayapi"
local router_match = ffi.cast("int (*)(const gwapi_router *, const gwapi_ffi_request *, "
                              .. "gwapi_ffi_decision *)", gw._router_match)

local MAX_HEADERS = 128
local req = ffi.new("gwapi_ffi_request")
local out = ffi.new("gwapi_ffi_decision")
local headers = ffi.new("gwapi_ffi_header[?]", MAX_HEADERS)
local request_size = ffi.sizeof("gwapi_ffi_request")
local decision_size = ffi.sizeof("gwapi_ffi_decision")
-- The C module's cache of router pointers: router:close() removes its entry, so a closed
-- router is never matched with (router:pointer() then raises).
local pointers = gw._pointers

return function(router, host, path, method, hdrs, random)
  local p = pointers[router]
  if not p then
    p = ffi.cast("const gwapi_router *", router:pointer())
    pointers[router] = p
  end
  req.size, req.protocol, req.port = request_size, 0, 0
  -- The request as slices of the Lua strings: pointer and length, no copy, no NUL needed.
  req.host_slice.ptr, req.host_slice.len = host, host and #host or 0
  req.path_slice.ptr, req.path_slice.len = path, path and #path or 0
  req.method_slice.ptr, req.method_slice.len = method, method and #method or 0
  local n = 0
  if hdrs then
    n = #hdrs
    if n > MAX_HEADERS then error("gatewayapi_ffi: more than 128 headers", 2) end
    for i = 1, n do
      local name, value = hdrs[i][1], hdrs[i][2]
      local h = headers[i - 1]
      h.name.ptr, h.name.len, h.value.ptr, h.value.len = name, #name, value, #value
    end
  end
  req.header_slices, req.n_header_slices = headers, n
  req.random = random or math.random(0, 4294967295)
  out.size = decision_size
  router_match(p, req, out)
  if out.backend_name == nil then
    return out.status
  end
  return out.status, ffi.string(out.backend_name), tonumber(out.backend_port),
         ffi.string(out.backend_ns), tonumber(out.rule)
end
