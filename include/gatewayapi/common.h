/**
 * @file gatewayapi/common.h
 * @brief Export macro, error codes, version queries and memory release shared by every part of
 * the API.
 */
#ifndef GATEWAYAPI_COMMON_H
#define GATEWAYAPI_COMMON_H

#include <stddef.h>

#include "gatewayapi/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL @since 1.0 */
#if defined(GWAPI_BUILDING) && defined(__GNUC__)
#define GWAPI_EXPORT __attribute__((visibility("default")))
#else
#define GWAPI_EXPORT
#endif
/** @endcond @since 1.0 */

/**
 * @brief Return codes of every fallible call: 0 on success, one of these (negative) otherwise.
 * Values are stable.
 * @since 1.0
 */
typedef enum gwapi_error {
    GWAPI_OK = 0,           /**< Success. @since 1.0 */
    GWAPI_ENOMEM = -1,      /**< Out of memory; nothing was changed. @since 1.0 */
    GWAPI_EINVAL = -2,      /**< An argument was invalid (NULL handle, bad options size, ...). @since 1.0 */
    GWAPI_EIO = -3,         /**< A file could not be read; the diagnostics say why. @since 1.0 */
    GWAPI_EINPUT = -4,      /**< The input had errors; the diagnostics list them. What was valid
                                 beside them was still loaded. @since 1.0 */
    GWAPI_ELIMIT = -5,      /**< A configured limit was exceeded; the diagnostics say which. @since 1.0 */
    GWAPI_ENOTFOUND = -6    /**< The named object does not exist. @since 1.0 */
} gwapi_error;

/**
 * @brief A short English description of a return code.
 * @param err A value of #gwapi_error (any int is accepted).
 * @return A static string; never NULL.
 * @since 1.0
 */
GWAPI_EXPORT const char *gwapi_strerror(int err);

/**
 * @brief The version of the library loaded at run time, as "MAJOR.MINOR.PATCH".
 * @return A static string.
 * @since 1.0
 */
GWAPI_EXPORT const char *gwapi_version_string(void);

/**
 * @brief Release memory the library returned to the caller (emitted text, formatted strings).
 * @param ptr A pointer the library documented as released with gwapi_free(), or NULL.
 * @since 1.0
 */
GWAPI_EXPORT void gwapi_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_COMMON_H */
