/* The configuration: objects in load order, found by kind, dialect, namespace and name. */
#ifndef GW_CONFIG_CONFIG_H
#define GW_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "gatewayapi/config.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/refcount.h"

/* The memory of one load: every object it added lives in its arena, which is released when
 * the last of them is replaced or removed. One arena per load (rather than per object) keeps the
 * model compact: no half-empty chunk per object. */
struct gw_segment {
    gw_refcount refs;
    struct gw_arena arena;
    uint64_t sequence;   /* loads are numbered: a later load's objects are newer */
};

/* An object, allocated in its segment. */
struct gw_object_rec {
    gwapi_object pub;
    struct gw_segment *segment;
    const char *read_error; /* "path: message" of the first error reading it, or NULL: the API
                               server would have refused it */
    uint64_t seen;          /* the last load that held it (for GWAPI_LOAD_REPLACE) */
    uint8_t valid;          /* 1 once validation passed (gw_object_rec_known_valid()) */
    /* A Secret's tls.crt and tls.key, decoded (NULL when absent): kept apart from the model, so
     * that no dump or status shows them, for the proxies that terminate TLS with them
     * (gwapi_router_certificate()). */
    const char *tls_crt, *tls_key;
    size_t tls_crt_len, tls_key_len;
    /* A ConfigMap's ca.crt (NULL when absent): the CA bundle clients' certificates are
     * verified with, for listeners that validate them. */
    const char *ca_crt;
    size_t ca_crt_len;
};

/* An object a configuration holds, with what indexing and sharing it need: a snapshot of a
 * large configuration then copies and indexes its objects without reading them. */
struct gw_held {
    struct gw_object_rec *rec;  /* NULL: a hole (see holes) */
    struct gw_segment *segment; /* rec's */
    uint64_t hash;              /* of its identity */
};

struct gwapi_config {
    gw_refcount refs;
    gwapi_ctx *ctx;
    struct gw_held *objects;
    size_t count, capacity;
    size_t holes;        /* objects removed during a load: NULL in objects (and counted in
                            count) until gw_config_compact() at the load's end, so that a
                            stream of deletes costs one pass, not one per delete */
    /* Open-addressing hash of identities; the hash is kept beside the index so that probes
     * rarely need to look at the objects themselves. */
    struct gw_slot {
        uint64_t hash;
        size_t index; /* into objects, plus one; 0 when empty; GW_SLOT_REMOVED */
    } *slots;
    size_t n_slots;
    uint64_t loads;      /* number of load calls so far */
    /* What changed: every put and every removal moves the version on and is written in the
     * journal, so that a resolution of an earlier version can be updated with only the objects
     * touched since (resolve/update.c). The journal keeps the last GW_JOURNAL_MAX touches;
     * versions before journal_floor can no longer be followed. */
    uint64_t id;         /* unique among the configurations of this process */
    uint64_t version;
    struct gw_touch {
        uint64_t version;
        gwapi_kind kind;
        gwapi_dialect dialect;
        const char *ns, *name; /* in journal_arena */
    } *journal;
    size_t n_journal, journal_capacity;
    uint64_t journal_floor;
    struct gw_arena journal_arena;
};

#define GW_JOURNAL_MAX 4096

/* A slot whose object was removed: probes go on past it. */
#define GW_SLOT_REMOVED SIZE_MAX

struct gw_object_rec *gw_config_lookup(const gwapi_config *cfg, gwapi_kind kind,
                                       gwapi_dialect dialect, const char *ns, const char *name,
                                       size_t *index);
/* Add rec, or replace the object with the same identity; *replaced tells which. */
int gw_config_put(gwapi_config *cfg, struct gw_object_rec *rec, bool *replaced);
/* gwapi_config_load_buffer(), and with updates a plain object is an update of it, with the
 * rules of a watch event (a watch stream without event wrappers). */
int gw_config_load(gwapi_config *cfg, const char *data, size_t len, const char *source_name,
                   const gwapi_load_options *options, bool updates, gwapi_diags *diags);
/* Remove an object, leaving a hole until gw_config_compact(). 0, or GWAPI_ENOTFOUND. */
int gw_config_unlink(gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect, const char *ns,
                     const char *name);
/* Close the holes, keeping the load order. 0, or GWAPI_ENOMEM. */
int gw_config_compact(gwapi_config *cfg);
struct gw_segment *gw_segment_new(const gwapi_ctx *ctx, uint64_t sequence);
/* Which object is older, for the spec's oldest-first tie-breaks: creationTimestamps when both
 * have different ones; else the one loaded by an earlier call (objects of one load count as
 * created together); else by "namespace/name". Negative when a is older. */
int gw_object_age_cmp(const gwapi_object *a, const gwapi_object *b);
/* Where diagnostics about obj point: its source, position, kind, namespace and name. */
struct gw_site gw_object_site(const gwapi_object *obj);
/* A new configuration with the objects of cfg that keep() accepts, sharing them (and their
 * segments) with cfg: what one of them holds stays unchanged whatever the other does. */
int gw_config_snapshot(gwapi_config **out, const gwapi_config *cfg,
                       bool (*keep)(const gwapi_object *obj, void *user), void *user);
/* The identities touched since version `since`, in order (repeats included): false when the
 * journal no longer reaches back that far. */
bool gw_config_touched_since(const gwapi_config *cfg, uint64_t since, const struct gw_touch **out,
                             size_t *n);

/* Whether rec is known to pass validation, and the mark that says so: an object never
 * changes, so every snapshot that shares it validates it once (atomically: resolutions may run
 * on several threads). */
static inline bool
gw_object_rec_known_valid(const struct gw_object_rec *rec)
{
    return __atomic_load_n(&rec->valid, __ATOMIC_ACQUIRE) != 0;
}

static inline void
gw_object_rec_mark_valid(const struct gw_object_rec *rec)
{
    __atomic_store_n((uint8_t *)&rec->valid, 1, __ATOMIC_RELEASE);
}

/* Drop one reference; the last frees the segment. */
void gw_segment_unref(struct gw_segment *segment);
void gw_segment_unref_n(struct gw_segment *segment, size_t n); /* n references at once */
void gw_object_rec_free(const gwapi_ctx *ctx, struct gw_object_rec *rec);

#endif
