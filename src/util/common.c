#include <stdlib.h>

#include "gatewayapi/common.h"

GWAPI_EXPORT const char *
gwapi_strerror(int err)
{
    switch (err) {
    case GWAPI_OK: return "success";
    case GWAPI_ENOMEM: return "out of memory";
    case GWAPI_EINVAL: return "invalid argument";
    case GWAPI_EIO: return "input/output error";
    case GWAPI_EINPUT: return "the input has errors";
    case GWAPI_ELIMIT: return "a limit was exceeded";
    case GWAPI_ENOTFOUND: return "not found";
    }
    return "unknown error";
}

GWAPI_EXPORT const char *
gwapi_version_string(void)
{
    return GWAPI_VERSION_STRING;
}

GWAPI_EXPORT void
gwapi_free(void *ptr)
{
    free(ptr);
}
