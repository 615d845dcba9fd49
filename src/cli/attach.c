/* Which listeners take a route, read from the library's explanation of it. */
#include <string.h>

#include "cli.h"

size_t
cli_attached_listeners(const gwapi_explain_step *const *steps, size_t n,
                       void (*fn)(void *arg, const char *parent, const char *listener),
                       void *arg)
{
    size_t attached = 0;

    /* A listener takes the route when every check of that listener passed, and so did every
     * check of its parent that concerns no listener in particular. */
    for (size_t i = 0; i < n; i++) {
        bool ok = steps[i]->listener && steps[i]->parent;
        /* the first step of each (parent, listener) decides for it */
        for (size_t k = 0; k < i && ok; k++)
            if (steps[k]->parent && steps[k]->listener &&
                strcmp(steps[k]->parent, steps[i]->parent) == 0 &&
                strcmp(steps[k]->listener, steps[i]->listener) == 0)
                ok = false;
        for (size_t k = 0; k < n && ok; k++)
            if (!steps[k]->passed && steps[k]->parent &&
                strcmp(steps[k]->parent, steps[i]->parent) == 0 &&
                (!steps[k]->listener || strcmp(steps[k]->listener, steps[i]->listener) == 0))
                ok = false;
        if (!ok)
            continue;
        attached++;
        fn(arg, steps[i]->parent, steps[i]->listener);
    }
    return attached;
}
