/* pool: N worker threads apply one function to items in the order they are
 * submitted, and the items are taken back in that same order. A window
 * bounds the items submitted and not yet taken, so memory stays that of a
 * few items whatever the input size. */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>

typedef struct pool pool;

/* The work: runs on worker number worker (0 .. nthreads - 1) and may
 * change item; seq is the item's place in submission order, from 0. */
typedef void (*pool_fn)(void *ctx, void *item, size_t seq, size_t worker);

/* Starts nthreads workers running fn (ctx passed through); at most window
 * items (at least nthreads) are in flight. NULL when no thread can start;
 * then the caller does the work itself. Free with pool_free. */
pool *pool_start(size_t nthreads, size_t window, pool_fn fn, void *ctx);

/* Queues item and returns its sequence number; blocks while the window is
 * full (the oldest item not yet taken). Only one thread submits. */
size_t pool_submit(pool *p, void *item);

/* The next item in submission order once its work is done; blocks until it
 * is. NULL once pool_close was called and every item has been taken. Only
 * one thread takes. */
void *pool_take(pool *p);

/* pool_take, waiting at most ms milliseconds for the next item's work:
 * NULL with *expired set to 1 when it is not done by then (*expired 0
 * otherwise). */
void *pool_take_timed(pool *p, long ms, int *expired);

/* No more items will be submitted: wakes a taker waiting for them. */
void pool_close(pool *p);

/* Stops the workers and frees p; every submitted item must have been taken. */
void pool_free(pool *p);

/* The number of processors online (at least 1): the default for -j. */
size_t pool_cores(void);

#endif
