/* The current router of a proxy: published by a writer, acquired by any number of readers
 * without a lock.
 *
 * Two slots, and a count of the readers busy in each: a reader counts itself in the current
 * slot, checks that the slot is still current (else it retries: a writer switched between its
 * two steps), takes a reference to the slot's router and counts itself out. Readers stay in a
 * slot for a few instructions only, never for the life of their reference. A writer (one at a
 * time, under a mutex that readers never touch) fills the other slot once its last reader has
 * left, makes it current, waits for the readers still in the old slot to leave, and drops the
 * slot's reference: the old router lives on in the references readers took, and goes with the
 * last of them. */
#include <pthread.h>
#include <sched.h>

#include "router/router.h"
#include "util/context.h"

struct gwapi_router_holder {
    gwapi_ctx *ctx;
    gwapi_router *slots[2];
    unsigned current;                /* 0 or 1 */
    size_t readers[2];               /* readers busy in each slot */
    pthread_mutex_t writer;
};

static void
wait_for_readers(size_t *readers)
{
    while (__atomic_load_n(readers, __ATOMIC_SEQ_CST) != 0)
        sched_yield();
}

GWAPI_EXPORT int
gwapi_router_holder_new(gwapi_router_holder **out, gwapi_ctx *ctx)
{
    gwapi_router_holder *h;

    if (!out)
        return GWAPI_EINVAL;
    h = gw_calloc(ctx, 1, sizeof(*h));
    if (!h)
        return GWAPI_ENOMEM;
    h->ctx = gwapi_ctx_ref(ctx);
    pthread_mutex_init(&h->writer, NULL);
    *out = h;
    return GWAPI_OK;
}

GWAPI_EXPORT void
gwapi_router_holder_free(gwapi_router_holder *h)
{
    if (!h)
        return;
    gwapi_ctx *ctx = h->ctx;

    gwapi_router_unref(h->slots[0]);
    gwapi_router_unref(h->slots[1]);
    pthread_mutex_destroy(&h->writer);
    gw_free(ctx, h);
    gwapi_ctx_unref(ctx);
}

GWAPI_EXPORT void
gwapi_router_holder_publish(gwapi_router_holder *h, gwapi_router *router)
{
    unsigned old, next;
    gwapi_router *previous;

    if (!h)
        return;
    gwapi_router_ref(router);
    pthread_mutex_lock(&h->writer);
    old = __atomic_load_n(&h->current, __ATOMIC_SEQ_CST);
    next = 1 - old;
    /* A reader that found the other slot current a moment ago may still be in it. */
    wait_for_readers(&h->readers[next]);
    __atomic_store_n(&h->slots[next], router, __ATOMIC_SEQ_CST);
    __atomic_store_n(&h->current, next, __ATOMIC_SEQ_CST);
    wait_for_readers(&h->readers[old]);
    previous = __atomic_exchange_n(&h->slots[old], NULL, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&h->writer);
    gwapi_router_unref(previous);
}

GWAPI_EXPORT gwapi_router *
gwapi_router_holder_acquire(gwapi_router_holder *h)
{
    gwapi_router *router;

    if (!h)
        return NULL;
    for (;;) {
        unsigned i = __atomic_load_n(&h->current, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&h->readers[i], 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&h->current, __ATOMIC_SEQ_CST) == i) {
            router = gwapi_router_ref(__atomic_load_n(&h->slots[i], __ATOMIC_SEQ_CST));
            __atomic_sub_fetch(&h->readers[i], 1, __ATOMIC_SEQ_CST);
            return router;
        }
        __atomic_sub_fetch(&h->readers[i], 1, __ATOMIC_SEQ_CST);
    }
}
