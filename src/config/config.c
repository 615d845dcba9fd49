#include "config/config.h"

#include <string.h>

#include "util/context.h"

static uint64_t
hash_identity(gwapi_kind kind, gwapi_dialect dialect, const char *ns, const char *name)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    const char *parts[2] = { ns ? ns : "", name };

    h = (h ^ (uint64_t)kind) * 1099511628211ull;
    h = (h ^ (uint64_t)dialect) * 1099511628211ull;
    for (int i = 0; i < 2; i++) {
        for (const unsigned char *c = (const unsigned char *)parts[i]; *c; c++)
            h = (h ^ *c) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    }
    return h;
}

static bool
same_identity(const gwapi_object *o, gwapi_kind kind, gwapi_dialect dialect, const char *ns,
              const char *name)
{
    const char *ons = o->metadata->namespace_;
    return o->kind == kind && o->dialect == dialect && strcmp(o->metadata->name, name) == 0 &&
           strcmp(ons ? ons : "", ns ? ns : "") == 0;
}

/* Write down that an identity changed. A journal past its size starts again, empty: the
 * resolutions of earlier versions are then rebuilt rather than updated. */
static void
journal_touch(gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect, const char *ns,
              const char *name)
{
    struct gw_touch *t;

    cfg->version++;
    if (cfg->n_journal == GW_JOURNAL_MAX) {
        cfg->n_journal = 0;
        cfg->journal_floor = cfg->version;
        gw_arena_reset(&cfg->journal_arena);
        return;
    }
    if (gw_grow(cfg->ctx, (void **)&cfg->journal, &cfg->journal_capacity, cfg->n_journal + 1,
                sizeof(*cfg->journal)))
        goto lost;
    t = &cfg->journal[cfg->n_journal];
    t->version = cfg->version;
    t->kind = kind;
    t->dialect = dialect;
    t->ns = ns ? gw_arena_strndup(&cfg->journal_arena, ns, strlen(ns)) : NULL;
    t->name = gw_arena_strndup(&cfg->journal_arena, name, strlen(name));
    if ((ns && !t->ns) || !t->name)
        goto lost;
    cfg->n_journal++;
    return;

lost: /* out of memory: nothing before this version can be followed */
    cfg->n_journal = 0;
    cfg->journal_floor = cfg->version;
}

bool
gw_config_touched_since(const gwapi_config *cfg, uint64_t since, const struct gw_touch **out,
                        size_t *n)
{
    size_t lo = 0, hi = cfg->n_journal;

    *out = NULL;
    *n = 0;
    if (since < cfg->journal_floor)
        return false;
    while (lo < hi) { /* the first entry after since */
        size_t mid = lo + (hi - lo) / 2;
        if (cfg->journal[mid].version <= since)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out = cfg->journal + lo;
    *n = cfg->n_journal - lo;
    return true;
}

static size_t
slot_of(const gwapi_config *cfg, uint64_t hash, gwapi_kind kind, gwapi_dialect dialect,
        const char *ns, const char *name)
{
    size_t mask = cfg->n_slots - 1;
    size_t i = (size_t)hash & mask;

    while (cfg->slots[i].index) {
        if (cfg->slots[i].index != GW_SLOT_REMOVED && cfg->slots[i].hash == hash &&
            same_identity(&cfg->objects[cfg->slots[i].index - 1].rec->pub, kind, dialect, ns, name))
            break;
        i = (i + 1) & mask;
    }
    return i;
}

/* A power of two at least twice the number of objects, so probes stay short. */
static size_t
table_size(size_t objects)
{
    size_t size = 64;

    while (size < objects * 2)
        size *= 2;
    return size;
}

static int
rehash(gwapi_config *cfg, size_t n_slots)
{
    struct gw_slot *slots = gw_calloc(cfg->ctx, n_slots, sizeof(*slots));

    gw_free(cfg->ctx, cfg->slots);
    cfg->slots = NULL;
    cfg->n_slots = 0;
    if (!slots)
        return GWAPI_ENOMEM; /* lookups find nothing until the next successful rehash */
    cfg->slots = slots;
    cfg->n_slots = n_slots;
    /* The objects are distinct: each goes to the first free slot of its probe, without
     * comparing identities, by the hash it was put with. */
    for (size_t i = 0; i < cfg->count; i++) {
        size_t slot;
        if (!cfg->objects[i].rec)
            continue;
        slot = (size_t)cfg->objects[i].hash & (n_slots - 1);
        while (cfg->slots[slot].index)
            slot = (slot + 1) & (n_slots - 1);
        cfg->slots[slot].hash = cfg->objects[i].hash;
        cfg->slots[slot].index = i + 1;
    }
    return GWAPI_OK;
}

struct gw_object_rec *
gw_config_lookup(const gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect,
                 const char *ns, const char *name, size_t *index)
{
    size_t slot;

    if (!cfg->n_slots || !name)
        return NULL;
    slot = slot_of(cfg, hash_identity(kind, dialect, ns, name), kind, dialect, ns, name);
    if (!cfg->slots[slot].index)
        return NULL;
    if (index)
        *index = cfg->slots[slot].index - 1;
    return cfg->objects[cfg->slots[slot].index - 1].rec;
}

int
gw_config_put(gwapi_config *cfg, struct gw_object_rec *rec, bool *replaced)
{
    const gwapi_object *o = &rec->pub;
    size_t index;
    struct gw_object_rec *old = gw_config_lookup(cfg, o->kind, o->dialect, o->metadata->namespace_,
                                                 o->metadata->name, &index);

    struct gw_held held = { rec, rec->segment, 0 };

    held.hash = hash_identity(o->kind, o->dialect, o->metadata->namespace_, o->metadata->name);
    *replaced = old != NULL;
    journal_touch(cfg, o->kind, o->dialect, o->metadata->namespace_, o->metadata->name);
    if (old) {
        cfg->objects[index] = held;
        gw_object_rec_free(cfg->ctx, old);
        return GWAPI_OK;
    }
    if (gw_grow(cfg->ctx, (void **)&cfg->objects, &cfg->capacity, cfg->count + 1,
                sizeof(*cfg->objects)))
        return GWAPI_ENOMEM;
    if ((cfg->count + 1) * 2 > cfg->n_slots && rehash(cfg, table_size(cfg->count + 1)))
        return GWAPI_ENOMEM;
    cfg->objects[cfg->count++] = held;
    {
        size_t slot = slot_of(cfg, held.hash, o->kind, o->dialect, o->metadata->namespace_,
                              o->metadata->name);
        cfg->slots[slot].hash = held.hash;
        cfg->slots[slot].index = cfg->count;
    }
    return GWAPI_OK;
}

struct gw_segment *
gw_segment_new(const gwapi_ctx *ctx, uint64_t sequence)
{
    struct gw_segment *segment = gw_calloc(ctx, 1, sizeof(*segment));

    if (segment) {
        gw_ref_init(&segment->refs);
        segment->sequence = sequence;
        gw_arena_init(&segment->arena, ctx, 64 * 1024);
    }
    return segment;
}

void
gw_segment_unref(struct gw_segment *segment)
{
    gw_segment_unref_n(segment, 1);
}

void
gw_segment_unref_n(struct gw_segment *segment, size_t n)
{
    const gwapi_ctx *ctx;

    if (!segment || !gw_ref_sub(&segment->refs, n))
        return;
    ctx = segment->arena.ctx;
    gw_arena_release(&segment->arena);
    gw_free(ctx, segment);
}

void
gw_object_rec_free(const gwapi_ctx *ctx, struct gw_object_rec *rec)
{
    (void)ctx;
    if (rec)
        gw_segment_unref(rec->segment);
}

GWAPI_EXPORT int
gwapi_config_new(gwapi_config **out, gwapi_ctx *ctx)
{
    static uint64_t next_id;
    gwapi_config *cfg;

    if (!out || !ctx)
        return GWAPI_EINVAL;
    cfg = gw_calloc(ctx, 1, sizeof(*cfg));
    *out = cfg;
    if (!cfg)
        return GWAPI_ENOMEM;
    gw_ref_init(&cfg->refs);
    cfg->ctx = gwapi_ctx_ref(ctx);
    cfg->id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
    gw_arena_init(&cfg->journal_arena, ctx, 16 * 1024);
    return GWAPI_OK;
}

GWAPI_EXPORT gwapi_config *
gwapi_config_ref(gwapi_config *cfg)
{
    if (cfg)
        gw_ref_inc(&cfg->refs);
    return cfg;
}

GWAPI_EXPORT void
gwapi_config_unref(gwapi_config *cfg)
{
    gwapi_ctx *ctx;

    if (!cfg || !gw_ref_dec(&cfg->refs))
        return;
    ctx = cfg->ctx;
    /* The objects of one load sit together: their segment loses them in one step. */
    for (size_t i = 0, run; i < cfg->count; i += run) {
        struct gw_segment *segment = cfg->objects[i].rec ? cfg->objects[i].segment : NULL;
        for (run = 1; i + run < cfg->count && cfg->objects[i + run].rec &&
                      cfg->objects[i + run].segment == segment; run++)
            ;
        if (segment)
            gw_segment_unref_n(segment, run);
    }
    gw_free(ctx, cfg->objects);
    gw_free(ctx, cfg->slots);
    gw_free(ctx, cfg->journal);
    gw_arena_release(&cfg->journal_arena);
    gw_free(ctx, cfg);
    gwapi_ctx_unref(ctx);
}

struct gw_site
gw_object_site(const gwapi_object *obj)
{
    struct gw_site site = { 0 };

    site.source = obj->source;
    site.line = obj->line;
    site.column = obj->column;
    site.object_line = obj->line;
    site.kind = obj->kind_name;
    site.ns = obj->metadata->namespace_;
    site.name = obj->metadata->name;
    return site;
}

int
gw_config_snapshot(gwapi_config **out, const gwapi_config *cfg,
                   bool (*keep)(const gwapi_object *obj, void *user), void *user)
{
    gwapi_config *snap;
    int err = gwapi_config_new(&snap, cfg->ctx);

    *out = NULL;
    if (err)
        return err;
    snap->loads = cfg->loads;
    if (cfg->count && gw_grow(snap->ctx, (void **)&snap->objects, &snap->capacity, cfg->count,
                              sizeof(*snap->objects)))
        goto nomem;
    /* One reference per object, taken for each run of one segment's objects at once. */
    for (size_t i = 0, run = 0; i <= cfg->count; i++) {
        const struct gw_held *held = i < cfg->count ? &cfg->objects[i] : NULL;
        if (held && (!held->rec || (keep && !keep(&held->rec->pub, user))))
            continue;
        if (run && (!held || held->segment != snap->objects[snap->count - 1].segment)) {
            gw_ref_add(&snap->objects[snap->count - 1].segment->refs, run);
            run = 0;
        }
        if (held) {
            snap->objects[snap->count++] = *held;
            run++;
        }
    }
    if (rehash(snap, table_size(snap->count)))
        goto nomem;
    *out = snap;
    return GWAPI_OK;

nomem:
    gwapi_config_unref(snap);
    return GWAPI_ENOMEM;
}

GWAPI_EXPORT size_t
gwapi_config_count(const gwapi_config *cfg)
{
    return cfg ? cfg->count - cfg->holes : 0;
}

GWAPI_EXPORT const gwapi_object *
gwapi_config_get(const gwapi_config *cfg, size_t index)
{
    if (!cfg || index >= cfg->count)
        return NULL;
    return &cfg->objects[index].rec->pub;
}

GWAPI_EXPORT const gwapi_object *
gwapi_config_find(const gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect,
                  const char *ns, const char *name)
{
    struct gw_object_rec *rec;

    if (!cfg || !name)
        return NULL;
    rec = gw_config_lookup(cfg, kind, dialect, ns, name, NULL);
    return rec ? &rec->pub : NULL;
}

int
gw_config_unlink(gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect, const char *ns,
                 const char *name)
{
    size_t slot;
    struct gw_object_rec *rec;

    if (!cfg->n_slots)
        return GWAPI_ENOTFOUND;
    slot = slot_of(cfg, hash_identity(kind, dialect, ns, name), kind, dialect, ns, name);
    if (!cfg->slots[slot].index)
        return GWAPI_ENOTFOUND;
    journal_touch(cfg, kind, dialect, ns, name);
    rec = cfg->objects[cfg->slots[slot].index - 1].rec;
    cfg->objects[cfg->slots[slot].index - 1].rec = NULL;
    cfg->slots[slot].index = GW_SLOT_REMOVED;
    cfg->holes++;
    gw_object_rec_free(cfg->ctx, rec);
    return GWAPI_OK;
}

int
gw_config_compact(gwapi_config *cfg)
{
    size_t n = 0;

    if (!cfg->holes)
        return GWAPI_OK;
    for (size_t i = 0; i < cfg->count; i++)
        if (cfg->objects[i].rec)
            cfg->objects[n++] = cfg->objects[i];
    cfg->count = n;
    cfg->holes = 0;
    /* Indices moved: the table is rebuilt, which also drops the removed slots. */
    return rehash(cfg, table_size(cfg->count));
}

GWAPI_EXPORT int
gwapi_config_remove(gwapi_config *cfg, gwapi_kind kind, gwapi_dialect dialect, const char *ns,
                    const char *name)
{
    int err;

    if (!cfg || !name)
        return GWAPI_EINVAL;
    err = gw_config_unlink(cfg, kind, dialect, ns, name);
    return err ? err : gw_config_compact(cfg);
}

/* "namespace/name" compared as one string, byte by byte (namespace "a-b"
 * sorts before "a" when the names differ, since "-" < "/"). */
static int
compare_ns_name(const gwapi_object *a, const gwapi_object *b)
{
    const char *parts_a[3] = { a->metadata->namespace_ ? a->metadata->namespace_ : "", "/",
                               a->metadata->name };
    const char *parts_b[3] = { b->metadata->namespace_ ? b->metadata->namespace_ : "", "/",
                               b->metadata->name };
    size_t ia = 0, ib = 0;
    const char *pa = parts_a[0], *pb = parts_b[0];

    for (;;) {
        while (!*pa && ia < 2)
            pa = parts_a[++ia];
        while (!*pb && ib < 2)
            pb = parts_b[++ib];
        if (!*pa || !*pb || *pa != *pb)
            return (unsigned char)*pa - (unsigned char)*pb;
        pa++;
        pb++;
    }
}

int
gw_object_age_cmp(const gwapi_object *a, const gwapi_object *b)
{
    const char *ta = a->metadata->creation_timestamp, *tb = b->metadata->creation_timestamp;
    uint64_t sa = ((const struct gw_object_rec *)a)->segment->sequence;
    uint64_t sb = ((const struct gw_object_rec *)b)->segment->sequence;
    int c;

    /* RFC 3339 times in one format compare as text. */
    if (ta && tb && (c = strcmp(ta, tb)) != 0)
        return c;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    return compare_ns_name(a, b);
}
