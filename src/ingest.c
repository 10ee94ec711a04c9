/* ingest: a two-stage pipeline. The caller's thread loads and extracts; one
 * writer thread owns the database while it stores. A queue of at most
 * INGEST_QUEUE extracted documents sits between them, so memory stays that
 * of a few documents whatever the corpus size.
 *
 * Only the writer writes. The caller asks its questions through a second,
 * read-only connection, which sees committed documents only: "already
 * stored?" (a "yes" is exact; a "no" is asked again by the writer), and the
 * site filter's block counts. Those counts must be what a one-at-a-time
 * ingest would read, so the filter of a site's document waits while an
 * earlier document of the same site is still queued or being stored; a
 * document replacing an older version (whose blocks were counted under the
 * site its row names) holds back every site. Without a second connection
 * (an in-memory database) the filter waits for the writer to go idle and
 * reads through the writer's connection.
 *
 * A third thread, with a connection of its own, checkpoints the WAL into the
 * database when the writer's commits have grown it: a checkpoint waits for
 * the disk twice (its syncs), and on the writer's thread that wait stalled
 * the pipeline. Its checkpoints are passive, so they never block the writer
 * and the writer never waits for them. */
#include "ingest.h"
#include "load.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define INGEST_QUEUE 4        /* extracted documents waiting for the writer */
#define INGEST_CHECKPOINT 4096 /* WAL pages that wake the checkpointer */

typedef struct {
    char *path;
    doc *d;               /* NULL once stored or decided */
    extract_result r;     /* valid while d is */
    ingest_outcome outcome;
    int decided;          /* outcome known before the writer: nothing to store */
    int asked;            /* "already stored?" was answered exactly (by the writer's store) */
    char *site;           /* the site whose block counts storing this changes; NULL: none */
    int any_site;         /* may change any site's counts (replaces a stored version) */
    char *msg;            /* why it failed; NULL otherwise */
} job;

struct ingest {
    store *s;             /* written by the writer; read by the caller only when it is idle */
    store *reader;        /* the caller's read-only connection; may be NULL */
    const rules_set *rs;
    ingest_opts o;
    int threaded;
    pthread_t writer;
    pthread_mutex_t mu;   /* guards everything below */
    pthread_cond_t cv;    /* any change of the queue, busy or closing */
    job *queue[INGEST_QUEUE];
    size_t head, count;
    job *current;         /* the job the writer is storing; NULL when idle */
    int closing;
    store *ckpt;          /* the checkpointer's connection; NULL: the writer checkpoints */
    pthread_t checkpointer;
    int ckpt_due;         /* the WAL has grown: checkpoint it */
    job **done;           /* finished jobs, in order, for the caller to report */
    size_t ndone, capdone;
    ingest_totals t;      /* the caller's alone */
};

static void job_fail(job *j, const char *msg)
{
    j->outcome = INGEST_FAILED;
    j->decided = 1;
    j->msg = cs_xstrdup(msg);
}

static void job_release(job *j)
{
    if (j->d) {
        extract_result_free(&j->r);
        doc_free(j->d);
        j->d = NULL;
    }
}

/* Stores one job: the writer's work (or the caller's when serial). */
static void store_job(ingest *g, job *j)
{
    if (!j->decided) {
        const char *rv = rules_version(g->rs);
        cs_error err;
        if (!j->asked && store_is_current(g->s, load_sha256(j->d), rv) == 1)
            j->outcome = INGEST_UNCHANGED; /* a copy of these bytes came earlier in this run */
        else if (store_put(g->s, &j->r, rv, &err) != CS_OK)
            job_fail(j, err.msg);
        else
            j->outcome = INGEST_STORED;
    }
    job_release(j);
}

static void push_done(ingest *g, job *j)
{
    cs_grow(&g->done, &g->capdone, g->ndone + 1, sizeof *g->done);
    g->done[g->ndone++] = j;
}

static void *writer_main(void *arg)
{
    ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (!g->count && !g->closing)
            pthread_cond_wait(&g->cv, &g->mu);
        if (!g->count)
            break; /* closing, and nothing left */
        job *j = g->queue[g->head];
        g->head = (g->head + 1) % INGEST_QUEUE;
        g->count--;
        g->current = j;
        pthread_mutex_unlock(&g->mu);
        store_job(g, j);
        pthread_mutex_lock(&g->mu);
        push_done(g, j);
        g->current = NULL;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* Reports the finished jobs, on the caller's thread, outside the lock. */
static void report_done(ingest *g)
{
    job **done;
    size_t n;
    if (g->threaded)
        pthread_mutex_lock(&g->mu);
    done = g->done, n = g->ndone;
    g->done = NULL, g->ndone = g->capdone = 0;
    if (g->threaded)
        pthread_mutex_unlock(&g->mu);
    for (size_t i = 0; i < n; i++) {
        job *j = done[i];
        size_t *count = j->outcome == INGEST_STORED      ? &g->t.stored
                        : j->outcome == INGEST_UNCHANGED ? &g->t.unchanged
                                                         : &g->t.failed;
        (*count)++;
        if (g->o.report)
            g->o.report(g->o.report_ctx, j->path, j->outcome, j->msg);
        free(j->path);
        free(j->site);
        free(j->msg);
        free(j);
    }
    free(done);
}

/* Waits until the writer has stored everything queued. */
static void wait_idle(ingest *g)
{
    if (!g->threaded)
        return;
    pthread_mutex_lock(&g->mu);
    while (g->count || g->current)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

/* The writer's commit hook: wakes the checkpointer once the WAL is large. */
static void on_commit(void *ctx, int wal_pages)
{
    ingest *g = ctx;
    if (wal_pages < INGEST_CHECKPOINT)
        return;
    pthread_mutex_lock(&g->mu);
    g->ckpt_due = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

static void *checkpointer_main(void *arg)
{
    ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (!g->ckpt_due && !g->closing)
            pthread_cond_wait(&g->cv, &g->mu);
        if (!g->ckpt_due)
            break;
        g->ckpt_due = 0;
        pthread_mutex_unlock(&g->mu);
        store_checkpoint(g->ckpt);
        pthread_mutex_lock(&g->mu);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* 1 while a job queued or being stored may change site's block counts. */
static int site_pending(const ingest *g, const char *site)
{
    for (size_t i = 0; i <= g->count; i++) {
        const job *j = i < g->count ? g->queue[(g->head + i) % INGEST_QUEUE] : g->current;
        if (j && (j->any_site || (j->site && !strcmp(j->site, site))))
            return 1;
    }
    return 0;
}

/* The extract_block_filter of a pipelined ingest: a document of a known site
 * is filtered against the counts of every earlier document. */
static void site_filter(void *ctx, doc *d)
{
    ingest *g = ctx;
    char site[256];
    if (!store_site_key(d, site, sizeof site))
        return; /* nothing to ask */
    if (!g->reader) {
        wait_idle(g);
        store_block_filter(g->s, d);
        return;
    }
    pthread_mutex_lock(&g->mu);
    while (site_pending(g, site))
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
    store_block_filter(g->reader, d);
}

ingest *ingest_start(store *s, const rules_set *rs, const ingest_opts *o)
{
    ingest *g = cs_xcalloc(1, sizeof *g);
    g->s = s;
    g->rs = rs;
    if (o)
        g->o = *o;
    if (!g->o.serial && pthread_mutex_init(&g->mu, NULL) == 0) {
        if (pthread_cond_init(&g->cv, NULL) != 0)
            pthread_mutex_destroy(&g->mu);
        else if (pthread_create(&g->writer, NULL, writer_main, g) != 0) {
            pthread_cond_destroy(&g->cv);
            pthread_mutex_destroy(&g->mu);
        } else {
            g->threaded = 1;
        }
    }
    if (g->threaded) {
        g->reader = store_open_reader(s);
        g->ckpt = store_open_checkpointer(s);
        if (g->ckpt && pthread_create(&g->checkpointer, NULL, checkpointer_main, g) != 0) {
            store_close(g->ckpt);
            g->ckpt = NULL;
        }
        if (g->ckpt)
            store_on_commit(s, on_commit, g);
    }
    return g;
}

static void submit(ingest *g, job *j)
{
    if (!g->threaded) {
        store_job(g, j);
        push_done(g, j);
    } else {
        pthread_mutex_lock(&g->mu);
        while (g->count == INGEST_QUEUE)
            pthread_cond_wait(&g->cv, &g->mu);
        g->queue[(g->head + g->count) % INGEST_QUEUE] = j;
        g->count++;
        pthread_cond_broadcast(&g->cv);
        pthread_mutex_unlock(&g->mu);
    }
    report_done(g);
}

void ingest_add(ingest *g, doc *d, const char *path)
{
    job *j = cs_xcalloc(1, sizeof *j);
    j->path = cs_xstrdup(path ? path : d->path);
    j->d = d;
    /* Unchanged bytes skip extraction. Serial: the store is idle, ask it. */
    store *ask = g->threaded ? g->reader : g->s;
    int stored = ask ? store_is_current(ask, load_sha256(d), rules_version(g->rs)) : -1;
    j->asked = ask == g->s && stored >= 0; /* serial: the writer need not ask again */
    if (stored == 1) {
        j->outcome = INGEST_UNCHANGED;
        j->decided = 1;
        doc_free(d);
        j->d = NULL;
    } else {
        extract_opts xo = {g->o.warn, j->path, g->threaded ? site_filter : store_block_filter,
                           g->threaded ? (void *)g : (void *)g->s};
        cs_error err;
        if (extract_document(d, g->rs, &j->r, &xo, &err) != CS_OK) {
            job_fail(j, err.msg);
            job_release(j);
        } else {
            char site[256];
            if (store_site_key(d, site, sizeof site))
                j->site = cs_xstrdup(site);
            j->any_site = stored != 0; /* a replacement, or unknown */
        }
    }
    submit(g, j);
}

void ingest_add_failed(ingest *g, const char *path, const char *msg)
{
    job *j = cs_xcalloc(1, sizeof *j);
    j->path = cs_xstrdup(path);
    job_fail(j, msg);
    submit(g, j);
}

void ingest_drain(ingest *g)
{
    wait_idle(g);
    report_done(g);
}

void ingest_finish(ingest *g, ingest_totals *t)
{
    if (!g)
        return;
    ingest_drain(g);
    if (g->threaded) {
        pthread_mutex_lock(&g->mu);
        g->closing = 1;
        pthread_cond_broadcast(&g->cv);
        pthread_mutex_unlock(&g->mu);
        pthread_join(g->writer, NULL);
        if (g->ckpt) {
            pthread_join(g->checkpointer, NULL);
            store_on_commit(g->s, NULL, NULL);
            store_close(g->ckpt);
        }
        pthread_cond_destroy(&g->cv);
        pthread_mutex_destroy(&g->mu);
    }
    store_close(g->reader);
    if (t)
        *t = g->t;
    free(g->done);
    free(g);
}
