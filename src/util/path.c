#include "util/path.h"

#include <stdio.h>

static size_t
push(struct gw_path *path, int kind, const char *name, size_t index)
{
    size_t old = path->depth;

    /* Deeper than the parser's depth limit allows: keep the path short rather than fail. */
    if (path->depth < GW_PATH_MAX_DEPTH) {
        path->segments[path->depth].kind = kind;
        path->segments[path->depth].name = name;
        path->segments[path->depth].index = index;
        path->depth++;
    }
    return old;
}

size_t
gw_path_push_field(struct gw_path *path, const char *name)
{
    return push(path, GW_SEGMENT_FIELD, name, 0);
}

size_t
gw_path_push_index(struct gw_path *path, size_t index)
{
    return push(path, GW_SEGMENT_INDEX, NULL, index);
}

size_t
gw_path_push_key(struct gw_path *path, const char *key)
{
    return push(path, GW_SEGMENT_KEY, key, 0);
}

void
gw_path_pop(struct gw_path *path, size_t depth)
{
    path->depth = depth;
}

const char *
gw_path_render(struct gw_path *path)
{
    size_t len = 0;

    path->text[0] = '\0';
    for (size_t i = 0; i < path->depth && len < sizeof(path->text); i++) {
        const struct gw_path_segment *seg = &path->segments[i];
        int n;
        if (seg->kind == GW_SEGMENT_FIELD)
            n = snprintf(path->text + len, sizeof(path->text) - len, len ? ".%s" : "%s",
                         seg->name);
        else if (seg->kind == GW_SEGMENT_INDEX)
            n = snprintf(path->text + len, sizeof(path->text) - len, "[%zu]", seg->index);
        else
            n = snprintf(path->text + len, sizeof(path->text) - len, "[%s]", seg->name);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    return path->depth ? path->text : NULL;
}
