/**
 * @file gatewayapi/config.h
 * @brief A configuration: the set of objects loaded from manifests, and how to load them.
 */
#ifndef GATEWAYAPI_CONFIG_H
#define GATEWAYAPI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "gatewayapi/common.h"
#include "gatewayapi/context.h"
#include "gatewayapi/diagnostics.h"
#include "gatewayapi/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief One loaded object: its identity, metadata and typed body.
 *
 * Read-only; owned by its configuration; valid until the object is replaced or removed, or the
 * configuration is freed.
 * @since 1.0
 */
typedef struct gwapi_object {
    gwapi_kind kind;                    /**< Kind of the object. @since 1.0 */
    gwapi_dialect dialect;              /**< API it was written in. @since 1.0 */
    const char *api_version;            /**< apiVersion as written, e.g. "gateway.networking.k8s.io/v1". @since 1.0 */
    const char *kind_name;              /**< kind as written, e.g. "HTTPRoute". @since 1.0 */
    const gwapi_object_meta *metadata;  /**< Metadata; never NULL, name never NULL. @since 1.0 */
    const void *body;                   /**< Typed body: use the gwapi_object_<kind>() accessor of
                                             model.h, e.g. gwapi_object_http_route(). @since 1.0 */
    const char *source;                 /**< Name of the file or buffer it came from. @since 1.0 */
    unsigned line;                      /**< Line where the object starts (1-based; 0 unknown). @since 1.0 */
    unsigned column;                    /**< Column where the object starts (1-based; 0 unknown). @since 1.0 */
} gwapi_object;

/**
 * @brief A set of objects by kind, namespace and name. One writer at a time; any number of
 * readers when nobody writes.
 * @since 1.0
 */
typedef struct gwapi_config gwapi_config;

/** @brief Flags of #gwapi_load_options. @since 1.0 */
enum gwapi_load_flags {
    /** Unknown fields and duplicate keys are errors instead of warnings, like the API server's
     * @since 1.0
     *  fieldValidation=Strict. */
    GWAPI_LOAD_STRICT = 1u << 0,
    /** Validate each object as it is loaded (see gwapi_object_validate()); an object that
     *  replaces another is validated as an update of it, with the transition rules. Invalid
     *  objects are reported and still loaded. @since 1.0 */
    GWAPI_LOAD_VALIDATE = 1u << 1,
    /** The input is the whole state (a List after a watch expired): every object of the
     *  configuration that the input does not hold is removed when the load ends. @since 1.0 */
    GWAPI_LOAD_REPLACE = 1u << 2
};

/**
 * @brief Options of a load. Initialise with #GWAPI_LOAD_OPTIONS_INIT.
 * @since 1.0
 */
typedef struct gwapi_load_options {
    size_t size;     /**< sizeof(gwapi_load_options). @since 1.0 */
    unsigned flags;  /**< Bitwise or of #gwapi_load_flags. @since 1.0 */
} gwapi_load_options;

/** Initialiser for #gwapi_load_options: default behaviour. @since 1.0 */
#define GWAPI_LOAD_OPTIONS_INIT { sizeof(gwapi_load_options), 0 }

/**
 * @brief Create an empty configuration.
 * @param[out] out The configuration, with one reference.
 * @param ctx The context (a reference is taken).
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_new(gwapi_config **out, gwapi_ctx *ctx);

/** @brief Take a reference (thread-safe). @param cfg A configuration, or NULL. @return @p cfg. @since 1.0 */
GWAPI_EXPORT gwapi_config *gwapi_config_ref(gwapi_config *cfg);

/**
 * @brief Drop a reference (thread-safe); the last one frees the configuration and its objects
 * (objects a resolution still holds live on with it).
 * @param cfg A configuration, or NULL. @since 1.0
 */
GWAPI_EXPORT void gwapi_config_unref(gwapi_config *cfg);

/**
 * @brief Load objects from a buffer of YAML or JSON.
 *
 * The format is detected: JSON when the first non-blank character is `{` or `[`, YAML otherwise.
 * YAML may hold many documents; JSON may be one object, a `List` (or typed `*List`), or a stream
 * of objects or watch events (`{"type": "ADDED", "object": {...}}`), one after the other.
 * Objects whose kind and apiVersion the library models are added; an object with the same kind,
 * namespace and name as one already present replaces it; a DELETED watch event removes it.
 * Problems become diagnostics, and everything valid beside them is still loaded.
 *
 * @param cfg The configuration.
 * @param data The bytes; need not be NUL-terminated.
 * @param len Their length.
 * @param source_name Name used in diagnostics (e.g. a file name); may be NULL.
 * @param options Options, or NULL for the defaults.
 * @param diags Collector for diagnostics, or NULL.
 * @return 0 when the input had no error; #GWAPI_EINPUT when it had errors (valid objects were
 *         still loaded); #GWAPI_ELIMIT when the object limit stopped the load;
 *         #GWAPI_ENOMEM; #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_load_buffer(gwapi_config *cfg, const char *data, size_t len,
                                          const char *source_name,
                                          const gwapi_load_options *options, gwapi_diags *diags);

/**
 * @brief Load objects from a file, as gwapi_config_load_buffer().
 * @param cfg The configuration.
 * @param path File to read; "-" reads standard input.
 * @param options Options, or NULL.
 * @param diags Collector, or NULL.
 * @return As gwapi_config_load_buffer(), or #GWAPI_EIO when the file cannot be read.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_load_file(gwapi_config *cfg, const char *path,
                                        const gwapi_load_options *options, gwapi_diags *diags);

/**
 * @brief Called by gwapi_path_walk() for each file.
 * @param user The walk's @p user.
 * @param file The file's path (or "-").
 * @return 0 to go on; anything else is remembered and returned by the walk, which goes on.
 * @since 1.0
 */
typedef int (*gwapi_path_fn)(void *user, const char *file);

/**
 * @brief Visit the files gwapi_config_load_path() reads for @p path, in the order it reads
 * them: the file itself (or "-"), or the manifests of a folder tree (`*.yaml`, `*.yml`,
 * `*.json`, in name order, dot entries skipped). gwapi_config_load_path() is this walk with a
 * load of each file; a caller that wants each file as its own configuration walks itself.
 * @param path A file, a folder, or "-".
 * @param each Called for each file.
 * @param user Handed to @p each.
 * @param diags Collector of the folders that cannot be read, or NULL.
 * @return 0, or the first failure: #GWAPI_EINVAL, #GWAPI_EIO, #GWAPI_ELIMIT (folders nested
 *         deeper than #GWAPI_LOAD_MAX_FOLDER_DEPTH), #GWAPI_ENOMEM, or what @p each returned.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_path_walk(const char *path, gwapi_path_fn each, void *user,
                                 gwapi_diags *diags);

/** Deepest nesting of folders gwapi_config_load_path() reads. @since 1.0 */
#define GWAPI_LOAD_MAX_FOLDER_DEPTH 16

/**
 * @brief Load objects from a file, or from every manifest of a folder tree: the `*.yaml`,
 * `*.yml` and `*.json` files of the folder and of its subfolders, in name order (entries whose
 * name starts with a dot are skipped), each as gwapi_config_load_file().
 * @param cfg The configuration.
 * @param path A file, a folder, or "-" for standard input.
 * @param options Options, or NULL.
 * @param diags Collector, or NULL.
 * @return 0, or the first failure: #GWAPI_EIO (a file or folder that cannot be read, each
 *         reported), #GWAPI_ELIMIT (folders nested deeper than #GWAPI_LOAD_MAX_FOLDER_DEPTH:
 *         the deeper ones are not read), a failure of gwapi_config_load_file(); the files that
 *         could be read are loaded whatever the others do.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_load_path(gwapi_config *cfg, const char *path,
                                        const gwapi_load_options *options, gwapi_diags *diags);

/**
 * @brief Load objects from an open file descriptor, read to its end.
 * @param cfg The configuration.
 * @param fd The descriptor (not closed).
 * @param source_name Name used in diagnostics; may be NULL.
 * @param options Options, or NULL.
 * @param diags Collector, or NULL.
 * @return As gwapi_config_load_file().
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_load_fd(gwapi_config *cfg, int fd, const char *source_name,
                                      const gwapi_load_options *options, gwapi_diags *diags);

/**
 * @brief A watch stream fed as its bytes arrive, for an event loop that must not block: the
 * stream's JSON values (watch events, or plain objects as `kubectl get -w -o json` writes them
 * without `--output-watch-events`, each an update of the object) are found across reads, and
 * each complete one is loaded into the configuration at once, with the rules of watch events.
 * @since 1.0
 */
typedef struct gwapi_stream gwapi_stream;

/**
 * @brief Start a stream into @p cfg (a reference is taken).
 * @param[out] out The stream. @param cfg The configuration.
 * @param options Load options (#GWAPI_LOAD_VALIDATE...), or NULL.
 * @param source_name Names the stream in diagnostics (each value is "NAME, value N"), or NULL.
 * @return 0, #GWAPI_EINVAL or #GWAPI_ENOMEM.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_stream_new(gwapi_stream **out, gwapi_config *cfg,
                                  const gwapi_load_options *options, const char *source_name);

/**
 * @brief Feed the bytes just read; every value they complete is loaded, and a value they start
 * waits for the next call. A value longer than max_document_bytes is reported and skipped.
 * @param s The stream. @param data The bytes. @param len Their number.
 * @param diags Collector for what loading reports, or NULL.
 * @param[out] loaded Values loaded by this call, or NULL.
 * @return 0; #GWAPI_EINPUT when a value had errors (what was valid is loaded);
 *         #GWAPI_ENOMEM; #GWAPI_EINVAL.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_stream_feed(gwapi_stream *s, const char *data, size_t len,
                                   gwapi_diags *diags, size_t *loaded);

/** @brief Whether a value has begun and not ended (at the end of input: a value cut short).
 *  @param s The stream. @return true while a value waits for more bytes. @since 1.0 */
GWAPI_EXPORT bool gwapi_stream_pending(const gwapi_stream *s);

/** @brief Free a stream (what it loaded stays). @param s A stream, or NULL. @since 1.0 */
GWAPI_EXPORT void gwapi_stream_free(gwapi_stream *s);

/**
 * @brief Number of objects. @param cfg The configuration. @return The count. @since 1.0
 */
GWAPI_EXPORT size_t gwapi_config_count(const gwapi_config *cfg);

/**
 * @brief The object at @p index, in load order (a replaced object keeps its place).
 * @param cfg The configuration. @param index 0 to gwapi_config_count() - 1.
 * @return The object, or NULL out of range.
 * @since 1.0
 */
GWAPI_EXPORT const gwapi_object *gwapi_config_get(const gwapi_config *cfg, size_t index);

/**
 * @brief Find an object by kind, dialect, namespace and name.
 * @param cfg The configuration.
 * @param kind The kind.
 * @param dialect The API it was written in.
 * @param ns The namespace; NULL for cluster-scoped kinds.
 * @param name The name.
 * @return The object, or NULL.
 * @since 1.0
 */
GWAPI_EXPORT const gwapi_object *gwapi_config_find(const gwapi_config *cfg, gwapi_kind kind,
                                                   gwapi_dialect dialect, const char *ns,
                                                   const char *name);

/**
 * @brief Remove an object. Costs a pass over the objects (the others keep their load order):
 * to remove many, load their `DELETED` watch events in one call, which costs one pass in all.
 * @param cfg The configuration. @param kind Its kind. @param dialect Its dialect.
 * @param ns Its namespace (NULL for cluster-scoped kinds). @param name Its name.
 * @return 0, or #GWAPI_ENOTFOUND.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_config_remove(gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect,
                                     const char *ns, const char *name);

/**
 * @brief The name of a kind, as Kubernetes writes it ("HTTPRoute").
 * @param kind A kind. @return A static string; "Unknown" for values the library does not know.
 * @since 1.0
 */
GWAPI_EXPORT const char *gwapi_kind_name(gwapi_kind kind);

/** @brief Where a field's value came from. Values are stable. @since 1.0 */
typedef enum gwapi_field_state {
    GWAPI_FIELD_ABSENT = 0,    /**< Not in the input and without a default. @since 1.0 */
    GWAPI_FIELD_GIVEN = 1,     /**< Written in the input. @since 1.0 */
    GWAPI_FIELD_DEFAULTED = 2, /**< Filled in from the CRD's default. @since 1.0 */
    GWAPI_FIELD_UNKNOWN = -1   /**< @p model is not a model struct, or has no such field. @since 1.0 */
} gwapi_field_state;

/**
 * @brief Tell whether a field of an object was given, defaulted or absent.
 * @param obj An object of a configuration.
 * @param path The field's path in JSON names, as diagnostics write it: "spec.gatewayClassName",
 *        "spec.rules[0].backendRefs[1].weight", "metadata.labels". A path ending with an index
 *        ("spec.rules[2]") asks for the list.
 * @return The state: #GWAPI_FIELD_ABSENT also when an object or list item on the way is absent;
 *         #GWAPI_FIELD_UNKNOWN when the path names no field of the kind's schema, or is not a
 *         path.
 * @since 1.0
 */
GWAPI_EXPORT gwapi_field_state gwapi_object_field_state(const gwapi_object *obj,
                                                        const char *path);

/**
 * @brief Where a field of an object was written in the input.
 * @param obj An object of a configuration.
 * @param path The field's path, as for gwapi_object_field_state(); with an index at the end,
 *        the position of that item ("spec.rules[2]": where the third rule starts; for a list of
 *        strings, where the list starts).
 * @param[out] line 1-based line, 0 when unknown (defaulted fields, JSON input).
 * @param[out] column 1-based column, 0 when unknown.
 * @return 0; #GWAPI_ENOTFOUND when the field, or an object or item on the way, is absent;
 *         #GWAPI_EINVAL when the path names no field of the kind's schema.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_object_field_position(const gwapi_object *obj, const char *path,
                                             unsigned *line, unsigned *column);

/**
 * @brief Tell whether a field of a model struct was given, defaulted or absent.
 * @deprecated It trusts that @p model is a struct the library allocated; handed another
 *             pointer it reads memory that is not one. Use gwapi_object_field_state().
 * @param model Any struct of model.h that the library allocated (a spec, a rule, a match...).
 * @param field The field's JSON name, e.g. "weight" or "matches".
 * @return The state.
 * @since 1.0
 */
GWAPI_EXPORT gwapi_field_state gwapi_field_state_of(const void *model, const char *field);

/**
 * @brief Where a field's value was written in the input.
 * @deprecated It trusts that @p model is a struct the library allocated. Use
 *             gwapi_object_field_position().
 * @param model A model struct the library allocated.
 * @param field The field's JSON name; NULL asks for the position of the struct itself.
 * @param[out] line 1-based line, 0 when unknown (defaulted fields, JSON input).
 * @param[out] column 1-based column, 0 when unknown.
 * @return 0, or #GWAPI_ENOTFOUND when the struct has no such field.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_field_position(const void *model, const char *field, unsigned *line,
                                      unsigned *column);

/**
 * @brief Compare two objects' models: identity, metadata and every field of the body.
 * Where values came from (given or defaulted, positions) is not compared.
 * @param a An object. @param b Another.
 * @return 1 when equal, 0 otherwise.
 * @since 1.0
 */
GWAPI_EXPORT int gwapi_object_equal(const gwapi_object *a, const gwapi_object *b);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAYAPI_CONFIG_H */
