/* Field paths (spec.rules[0].matches[1].path.value), kept as segments while walking and spelt
 * out only when a diagnostic needs one. */
#ifndef GW_UTIL_PATH_H
#define GW_UTIL_PATH_H

#include <stddef.h>

#define GW_PATH_MAX_DEPTH 64

struct gw_path {
    struct gw_path_segment {
        enum { GW_SEGMENT_FIELD, GW_SEGMENT_INDEX, GW_SEGMENT_KEY } kind;
        const char *name;
        size_t index;
    } segments[GW_PATH_MAX_DEPTH];
    size_t depth;
    char text[1024];
};

/* Each push returns the depth to pop back to. */
size_t gw_path_push_field(struct gw_path *path, const char *name);
size_t gw_path_push_index(struct gw_path *path, size_t index);
size_t gw_path_push_key(struct gw_path *path, const char *key);
void gw_path_pop(struct gw_path *path, size_t depth);
/* The path as text, or NULL when it is empty; valid until the next render. */
const char *gw_path_render(struct gw_path *path);

#endif
