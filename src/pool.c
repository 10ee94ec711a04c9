/* pool: an ordered parallel map. Items sit in a ring of `window` slots:
 * workers start them in submission order, finish them in any order, and
 * the taker hands them back in submission order. */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cs.h"

typedef struct {
    void *item;
    int done; /* the work on item is finished */
} slot;

struct pool {
    pool_fn fn;
    void *ctx;
    pthread_mutex_t mu;     /* guards everything below */
    pthread_cond_t work;    /* an item to start, or stopping: for the workers */
    pthread_cond_t ready;   /* the oldest item not taken is done, or closing: for the taker */
    pthread_cond_t space;   /* an item taken: for the submitter */
    slot *ring;             /* window slots; item seq lives at seq % window */
    size_t window;
    size_t submitted, started, taken; /* counts, in submission order */
    int closed, stopping;
    pthread_t *threads;
    size_t nthreads;
};

/* A worker: starts the oldest item nobody has started, until stopped. */
static void *worker_main(void *arg)
{
    pool *p = ((void **)arg)[0];
    size_t worker = (size_t)((void **)arg)[1];
    free(arg);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->started == p->submitted && !p->stopping)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->started == p->submitted)
            break;
        size_t seq = p->started++;
        slot *s = &p->ring[seq % p->window];
        pthread_mutex_unlock(&p->mu);
        p->fn(p->ctx, s->item, seq, worker);
        pthread_mutex_lock(&p->mu);
        s->done = 1;
        if (seq == p->taken) /* the one the taker waits for */
            pthread_cond_signal(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void stop_workers(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
}

pool *pool_start(size_t nthreads, size_t window, pool_fn fn, void *ctx)
{
    if (nthreads < 1)
        nthreads = 1;
    pool *p = cs_xcalloc(1, sizeof *p);
    p->fn = fn;
    p->ctx = ctx;
    p->window = window < nthreads ? nthreads : window;
    p->ring = cs_xcalloc(p->window, sizeof *p->ring);
    p->threads = cs_xcalloc(nthreads, sizeof *p->threads);
    if (pthread_mutex_init(&p->mu, NULL) != 0 || pthread_cond_init(&p->work, NULL) != 0 ||
        pthread_cond_init(&p->ready, NULL) != 0 || pthread_cond_init(&p->space, NULL) != 0) {
        free(p->threads);
        free(p->ring);
        free(p);
        return NULL; /* cannot happen with default attributes on Linux */
    }
    int ok = 1;
    for (size_t i = 0; i < nthreads; i++) {
        void **arg = cs_xmalloc(2 * sizeof *arg);
        arg[0] = p, arg[1] = (void *)i;
        if (pthread_create(&p->threads[i], NULL, worker_main, arg) != 0) {
            free(arg);
            ok = i > 0; /* fewer workers than asked still do the work */
            break;
        }
        p->nthreads++;
    }
    if (!ok) {
        pool_free(p);
        return NULL;
    }
    return p;
}

size_t pool_submit(pool *p, void *item)
{
    pthread_mutex_lock(&p->mu);
    while (p->submitted - p->taken == p->window)
        pthread_cond_wait(&p->space, &p->mu);
    size_t seq = p->submitted++;
    p->ring[seq % p->window] = (slot){item, 0};
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return seq;
}

/* pool_take, giving up at deadline (NULL: never) with *expired set. */
static void *take(pool *p, const struct timespec *deadline, int *expired)
{
    void *item = NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->taken < p->submitted && p->ring[p->taken % p->window].done)
            break;
        if (p->taken == p->submitted && p->closed)
            break;
        if (!deadline)
            pthread_cond_wait(&p->ready, &p->mu);
        else if (pthread_cond_timedwait(&p->ready, &p->mu, deadline) == ETIMEDOUT) {
            *expired = 1;
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
    }
    if (p->taken < p->submitted) {
        item = p->ring[p->taken % p->window].item;
        p->taken++;
        pthread_cond_signal(&p->space);
    }
    pthread_mutex_unlock(&p->mu);
    return item;
}

void *pool_take(pool *p)
{
    return take(p, NULL, NULL);
}

void *pool_take_timed(pool *p, long ms, int *expired)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t); /* the clock of a default condition variable */
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L)
        t.tv_sec++, t.tv_nsec -= 1000000000L;
    *expired = 0;
    return take(p, &t, expired);
}

void pool_close(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->closed = 1;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->mu);
}

void pool_free(pool *p)
{
    if (!p)
        return;
    stop_workers(p);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->space);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p->ring);
    free(p);
}

size_t pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}
