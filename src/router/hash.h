/* The hashes of the router's keys, a word (8 bytes) at a time.
 *
 * A path is hashed segment by segment, left to right: the state after each segment is the
 * hash of the path up to that "/", so one pass gives every prefix a match probes. A host is
 * hashed label by label, right to left: the state after each label is the hash of the suffix
 * from it, so one pass gives every suffix a wildcard probe needs. The compiler hashes its keys
 * with the same functions. A hash only chooses where to look: a key found is always compared
 * byte for byte, so two keys that hash alike cost a probe, never a wrong answer. */
#ifndef GW_ROUTER_HASH_H
#define GW_ROUTER_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RT_HASH_SEED 0x243f6a8885a308d3ull
#define RT_ONES 0x0101010101010101ull
#define RT_HIGHS 0x8080808080808080ull

/* One step of the chain: cheap, and it carries every bit of the state into the next. */
static inline uint64_t
rt_hash_step(uint64_t h, uint64_t word)
{
    return ((h << 32 | h >> 32) ^ word) * 0x9e3779b97f4a7c15ull;
}

/* What an index uses of a state: the low bits choose the slot, the high ones are the tag, so
 * both must depend on every byte. */
static inline uint64_t
rt_hash_final(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ h >> 32;
}

/* A high bit set in every byte of w that equals c (exactly: no carry crosses bytes). */
static inline uint64_t
rt_bytes_equal(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (RT_ONES * c);
    return ~(((x & ~RT_HIGHS) + ~RT_HIGHS) | x) & RT_HIGHS;
}

/* The n (< 8) bytes at p as the low bytes of a word, the rest zero, reading no byte outside
 * [start, p + n): the 8 bytes that end at p + n when there are 8 before it, else one by one. */
static inline uint64_t
rt_load_tail(const char *start, const char *p, size_t n)
{
    uint64_t w = 0;

    if (!n)
        return 0;
    if (p + n - start >= 8) {
        memcpy(&w, p + n - 8, 8);
        return w >> (8 * (8 - n));
    }
    for (size_t i = n; i-- > 0;)
        w = w << 8 | (unsigned char)p[i];
    return w;
}

/* The word at p: 8 bytes when the slice holds them, else the tail. *valid is how many. */
static inline uint64_t
rt_load(const char *start, const char *p, const char *end, size_t *valid)
{
    uint64_t w;

    if (end - p >= 8) {
        memcpy(&w, p, 8);
        *valid = 8;
        return w;
    }
    *valid = (size_t)(end - p);
    return rt_load_tail(start, p, *valid);
}

/* The high bits of the first n bytes of a word. */
static inline uint64_t
rt_first_bytes(size_t n)
{
    return n >= 8 ? RT_HIGHS : RT_HIGHS & ((UINT64_C(1) << (8 * n)) - 1);
}

/* Where a walk over a path keeps the prefixes it passes (the path up to each "/" after its
 * first byte): those numbered [lo, hi), k counting from the shortest, each at slot
 * k % RT_PATH_RING, so that an open-ended walk keeps the last RT_PATH_RING. */
#define RT_PATH_RING 64

struct rt_path_ring {
    size_t len[RT_PATH_RING];
    uint64_t hash[RT_PATH_RING];
    size_t lo, hi, k;
};

/* Walk the path's segments, keeping the prefixes in ring (or nowhere: NULL); returns the hash
 * of the whole path. */
static inline uint64_t
rt_path_walk(const char *path, size_t len, struct rt_path_ring *ring)
{
    const char *p = path, *end = path + len, *segment = path;
    uint64_t h = RT_HASH_SEED;

    while (p < end) {
        size_t valid;
        uint64_t w = rt_load(path, p, end, &valid), live = rt_first_bytes(valid);
        uint64_t slash = rt_bytes_equal(w, '/') & live;

        if (!slash) {
            h = rt_hash_step(h, w);
            p += valid;
            continue;
        }
        {
            size_t at = (size_t)__builtin_ctzll(slash) / 8;
            if (at)
                h = rt_hash_step(h, w & ((UINT64_C(1) << (8 * at)) - 1));
            p += at;
            /* The segment's length closes it, so that "ab/c" and "a/bc" part ways. */
            h = rt_hash_step(h, (uint64_t)(p - segment) | UINT64_C(1) << 63);
            if (p > path && ring) {
                if (ring->k >= ring->lo && ring->k < ring->hi) {
                    ring->len[ring->k % RT_PATH_RING] = (size_t)(p - path);
                    ring->hash[ring->k % RT_PATH_RING] = rt_hash_final(h);
                }
                ring->k++;
            }
            segment = ++p;
        }
    }
    h = rt_hash_step(h, (uint64_t)(p - segment) | UINT64_C(1) << 63);
    return rt_hash_final(h);
}

static inline uint64_t
rt_path_hash(const char *path, size_t len)
{
    return rt_path_walk(path, len, NULL);
}

/* The labels of a host, and the hash of the suffix from each. */
#define RT_MAX_LABELS 128            /* a host of GWAPI_ROUTER_MAX_HOST bytes has no more */

struct rt_host_labels {
    size_t n;
    uint8_t start[RT_MAX_LABELS];    /* where label i begins */
    uint64_t suffix[RT_MAX_LABELS];  /* the hash of the host from label i to its end */
};

/* Hash the host's suffixes. host is at most 255 bytes (so starts fit a byte) and readable
 * up to the next multiple of 8 beyond len, with zeros there. */
static inline void
rt_host_suffixes(const char *host, size_t len, struct rt_host_labels *out)
{
    uint64_t h = RT_HASH_SEED;
    size_t end = len;

    out->n = 0;
    out->start[out->n++] = 0;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w, dots;
        memcpy(&w, host + i, 8);
        dots = rt_bytes_equal(w, '.') & rt_first_bytes(len - i);
        while (dots && out->n < RT_MAX_LABELS) {
            out->start[out->n++] = (uint8_t)(i + (size_t)__builtin_ctzll(dots) / 8 + 1);
            dots &= dots - 1;
        }
    }
    for (size_t k = out->n; k-- > 0;) {
        size_t from = out->start[k];
        for (size_t i = from; i < end; i += 8) {
            uint64_t w;
            memcpy(&w, host + i, 8);
            if (end - i < 8)
                w &= (UINT64_C(1) << (8 * (end - i))) - 1;
            h = rt_hash_step(h, w);
        }
        h = rt_hash_step(h, (uint64_t)(end - from) | UINT64_C(1) << 63);
        out->suffix[k] = rt_hash_final(h);
        end = from ? from - 1 : 0;   /* the next label ends before this one's dot */
    }
}

/* The hash of a host key (an exact host, or a wildcard's suffix without "*."). */
static inline uint64_t
rt_host_hash(const char *host, size_t len)
{
    char buf[256 + 8] = { 0 };
    struct rt_host_labels labels;

    if (len > 256)
        len = 256; /* longer keys cannot be a request's host: any hash will do */
    memcpy(buf, host, len);
    rt_host_suffixes(buf, len, &labels);
    return labels.suffix[0];
}

#endif
