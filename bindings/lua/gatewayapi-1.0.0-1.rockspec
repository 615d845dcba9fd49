-- Builds the gatewayapi Lua module against an installed libgatewayapi.
package = "gatewayapi"
version = "1.0.0-1"
-- From the top of a checkout or of the release tarball (meson dist):
--   luarocks make bindings/lua/gatewayapi-1.0.0-1.rockspec [GATEWAYAPI_DIR=PREFIX]
source = { url = "file://." }
description = {
  summary = "The Kubernetes Gateway API: load, validate, resolve and route (libgatewayapi)",
  license = "MIT",
}
dependencies = { "lua >= 5.1, < 5.5" }
external_dependencies = {
  GATEWAYAPI = { header = "gatewayapi.h", library = "gatewayapi" },
}
build = {
  type = "builtin",
  modules = {
    gatewayapi = {
      sources = { "bindings/lua/gatewayapi.c" },
      libraries = { "gatewayapi" },
      incdirs = { "$(GATEWAYAPI_INCDIR)" },
      libdirs = { "$(GATEWAYAPI_LIBDIR)" },
    },
    gatewayapi_ffi = "bindings/lua/gatewayapi_ffi.lua",
  },
}
