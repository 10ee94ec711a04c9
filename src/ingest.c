/* ingest: a pipeline of three stages. The caller's thread loads documents
 * and asks whether their bytes are stored already; a pool of worker
 * threads extracts them; one writer thread owns the database and stores
 * them in the order they were added. The pool's window (INGEST_QUEUE
 * documents, INGEST_QUEUE_BYTES of input) and the writer's batch bound the
 * documents in flight, so memory stays that of a few hundred small
 * documents or a few large ones whatever the corpus size. The window is
 * wide because the writer shares the cores with the workers: a narrow one
 * fills while the writer waits for a core, and the workers then idle.
 *
 * Only the writer writes. The others ask their questions through read-only
 * connections of their own, which see committed documents only: the caller
 * "already stored?" (a "yes" is exact; a "no" is asked again by the
 * writer), each worker the site filter's block counts. Those counts must be
 * what a one-at-a-time ingest would read: the blocks of every earlier
 * document of the site. A document's filter therefore waits until every
 * earlier document has been classified (its site and short blocks known).
 * It then reads the counts of the committed ones in a snapshot of its
 * reader taken while no commit is under way, so the snapshot holds exactly
 * the documents before g->stored, and adds those of the earlier documents
 * not committed yet, from memory: their block keys, less the blocks of
 * the stored copies of other rules they replace (a replacement changes two
 * sites' counts: it adds its blocks to its own site and takes the copy's
 * away from the site the stored row names). A copy of bytes already on
 * their way changes no counts (it will find them stored); the caller marks
 * it when it queues it. Only a document whose stored state could not be
 * read holds back every later filter until it is stored. Without second
 * connections (an in-memory database) one worker extracts, and its filter
 * waits for the writer to store every earlier document, then reads through
 * the writer's connection.
 *
 * The writer commits documents in batches (INGEST_BATCH documents or
 * INGEST_BATCH_TEXT bytes of text): a commit per document wrote every page
 * it touched to the WAL again and again (the full-text index's above all)
 * and took a third of the writer's time. Where a batch ends depends on the
 * documents alone, never on timing, so the database file is the same for
 * every -j and for the serial path; only a thread waiting for the writer
 * (a filter behind a document of unknown state, ingest_drain) ends a batch
 * early. A batch's jobs keep their documents until it commits: after a
 * failure inside it, it is rolled back and stored again document by
 * document, so a failure costs no other document.
 *
 * Each waiting thread has a condition variable of its own purpose (the
 * filters, the caller, the checkpointer), so an event wakes only the
 * threads it concerns: waking every thread for every event cost a tenth of
 * the CPU in futex calls and context switches.
 *
 * A further thread, with a connection of its own, checkpoints the WAL into
 * the database when the writer's commits have grown it: a checkpoint waits
 * for the disk twice (its syncs), and on the writer's thread that wait
 * stalled the pipeline. Its checkpoints are passive, so they never block
 * the writer and the writer never waits for them. */
#include "ingest.h"
#include "load.h"
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define INGEST_QUEUE 128       /* documents extracted ahead of the writer, beyond one per worker */
#define INGEST_QUEUE_BYTES (16u << 20) /* ... and their input bytes, unless only one is in flight */
#define INGEST_CHECKPOINT 4096 /* WAL pages that wake the checkpointer */
#define INGEST_BATCH 64        /* documents one commit of the writer holds at most */
#define INGEST_BATCH_TEXT (1u << 20) /* ... or text bytes, so an interruption loses little work */
#define INGEST_IDLE_MS 2       /* how often an idle writer looks whether someone waits for its batch */

typedef struct {
    char *path;
    char sha256[65];
    doc *d;               /* NULL once stored or decided */
    extract_result r;     /* valid while d is */
    ingest_outcome outcome;
    int decided;          /* outcome known before the writer: nothing to store */
    int asked;            /* "already stored?" was answered exactly (by the writer's store) */
    size_t seq;           /* place in the order of ingest_add */
    /* The site state, guarded by the ingest's lock once the job is queued. */
    int known;            /* site and hashes are final */
    char *site;           /* the site whose block counts storing this changes; NULL: none */
    uint64_t *keys;       /* the short blocks it counts there (store_site_keys) */
    size_t nkeys;
    char *old_site;       /* the site whose counts the stored copy it replaces holds; NULL: none */
    int any_site;         /* may change any site's counts (its stored state is unknown) */
    int dup;              /* an earlier job in flight has the same bytes: this one will change no counts */
    size_t bytes;         /* its input, while the writer has not taken it */
    char *msg;            /* why it failed; NULL otherwise */
} job;

/* The jobs stored since the last commit, by the thread that stores. */
typedef struct {
    job **v;              /* batch_max of them at most */
    size_t n;
    size_t text;          /* their documents' text, in bytes */
    int open;             /* a batch transaction is open (else each document commits alone) */
} batch;

struct ingest {
    store *s;             /* the writer's */
    store *reader;        /* the caller's read-only connection; NULL: none */
    store **readers;      /* one per worker; NULL: read through s (one worker) */
    const rules_set *rs;
    ingest_opts o;
    pool *pool;           /* NULL: serial, all on the caller's thread */
    size_t nworkers;
    size_t batch_max;     /* documents a commit of the writer holds at most */
    pthread_t writer;
    pthread_mutex_t mu;   /* guards everything below */
    pthread_cond_t filter_cv; /* a job classified; a commit done: for the filters */
    pthread_cond_t space_cv;  /* a commit done; input taken by the writer: for the caller */
    pthread_cond_t ckpt_cv;   /* the WAL grown; closing: for the checkpointer */
    job **flight;         /* jobs not yet stored, job seq at seq % nflight */
    size_t nflight;
    size_t added;         /* jobs queued (the caller's count) */
    size_t stored;        /* jobs with seq < stored are done with by the writer and committed */
    int committing;       /* the writer is committing: what is committed is unknown meanwhile */
    size_t bytes;         /* input bytes of the jobs queued and not yet taken by the writer */
    int closing;
    store *ckpt;          /* the checkpointer's connection; NULL: the writer checkpoints */
    pthread_t checkpointer;
    int ckpt_due;         /* the WAL has grown: checkpoint it */
    int ckpt_running;     /* the checkpointer is at work */
    int wal_pages;        /* the WAL's size after the last commit, in pages */
    job **done;           /* finished jobs, in order, for the caller to report */
    size_t ndone, capdone;
    int waiting;          /* threads waiting for the writer's batch to commit */
    batch b;              /* the storing thread's alone */
    ingest_totals t;      /* the caller's alone */
};

/* Takes g's lock when threads share it. */
static void lock(ingest *g)
{
    if (g->pool)
        pthread_mutex_lock(&g->mu);
}

static void unlock(ingest *g)
{
    if (g->pool)
        pthread_mutex_unlock(&g->mu);
}

static job *in_flight(const ingest *g, size_t seq)
{
    return g->flight[seq % g->nflight];
}

/* j failed: the next copy of its bytes in flight is no copy any more, it
 * is stored in j's stead. Called under the lock. */
static void pass_on(ingest *g, const job *j)
{
    if (!g->pool || j->dup)
        return;
    for (size_t seq = j->seq + 1; seq < g->added; seq++) {
        job *e = in_flight(g, seq);
        if (e->dup && !strcmp(e->sha256, j->sha256)) {
            e->dup = 0;
            return;
        }
    }
}

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

/* Stores one job: the writer's work (or the caller's when serial); 0 when
 * it failed. The outcome changes under the lock: filters read those of
 * earlier jobs. The job keeps its document until its batch commits. */
static int store_job(ingest *g, job *j)
{
    if (j->decided)
        return 1;
    const char *rv = rules_version(g->rs);
    cs_error err;
    ingest_outcome o = INGEST_STORED;
    if (!j->asked && store_is_current(g->s, j->sha256, rv) == 1)
        o = INGEST_UNCHANGED; /* a copy of these bytes came earlier in this run */
    else if (store_put(g->s, &j->r, rv, &err) != CS_OK)
        o = INGEST_FAILED;
    lock(g);
    j->outcome = o;
    free(j->msg);
    j->msg = o == INGEST_FAILED ? cs_xstrdup(err.msg) : NULL;
    if (o == INGEST_FAILED)
        pass_on(g, j);
    unlock(g);
    return o != INGEST_FAILED;
}

static void push_done(ingest *g, job *j)
{
    cs_grow(&g->done, &g->capdone, g->ndone + 1, sizeof *g->done);
    g->done[g->ndone++] = j;
}

/* The writer is about to commit: no filter takes a snapshot until
 * commit_batch has moved g->stored past what it commits, so that a
 * snapshot holds exactly the jobs before g->stored. */
static void commit_ahead(ingest *g)
{
    lock(g);
    g->committing = 1;
    unlock(g);
}

/* A failure inside the batch (a document's, or the commit's) leaves it
 * unusable: it is rolled back and its documents are stored again one at a
 * time, each in a transaction of its own, as they would be without
 * batches; the batch ends there. */
static void replay_batch(ingest *g)
{
    batch *b = &g->b;
    commit_ahead(g);
    store_rollback(g->s);
    b->open = 0;
    for (size_t i = 0; i < b->n; i++)
        (void)store_job(g, b->v[i]);
}

/* Commits the batch, then hands its jobs on: later filters may read them
 * in the database now, and the caller reports them. */
static void commit_batch(ingest *g)
{
    batch *b = &g->b;
    if (!b->n)
        return;
    cs_error err;
    commit_ahead(g);
    if (b->open && store_commit(g->s, &err) != CS_OK)
        replay_batch(g);
    for (size_t i = 0; i < b->n; i++)
        job_release(b->v[i]);
    lock(g);
    g->committing = 0;
    g->stored = b->v[b->n - 1]->seq + 1;
    for (size_t i = 0; i < b->n; i++)
        push_done(g, b->v[i]);
    if (g->pool) {
        pthread_cond_broadcast(&g->filter_cv);
        pthread_cond_signal(&g->space_cv);
    }
    unlock(g);
    b->n = 0;
    b->open = 0;
    b->text = 0;
}

/* Before the writer begins a batch. SQLite starts the WAL over only for a
 * writer whose snapshot reads none of it, that is, one that began after a
 * checkpoint copied every page; a writer that begins its batches while
 * the checkpointer copies never does, and the WAL grew for the whole
 * ingest (a gigabyte in 40,000 documents, each page copied from ever
 * further away). So once the WAL holds two checkpoints' worth, the writer
 * waits for the checkpoint its last commit asked for. */
static void wait_checkpoint(ingest *g)
{
    if (!g->ckpt)
        return;
    pthread_mutex_lock(&g->mu);
    while (g->wal_pages >= 2 * INGEST_CHECKPOINT && (g->ckpt_due || g->ckpt_running))
        pthread_cond_wait(&g->ckpt_cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

/* Stores j in the batch, opening one when none is, and commits the batch
 * once full. Where batches end depends on the documents alone, so the
 * database file is the same whatever the threads' timing. */
static void store_batched(ingest *g, job *j)
{
    batch *b = &g->b;
    cs_error err;
    if (!b->n) {
        wait_checkpoint(g);
        b->open = g->batch_max > 1 && store_begin(g->s, &err) == CS_OK;
    }
    b->text += j->d ? j->d->text_len : 0;
    b->v[b->n++] = j;
    if (!b->open)
        commit_ahead(g); /* j commits alone, as it is stored */
    if (!store_job(g, j) && b->open)
        replay_batch(g);
    if (!b->open || b->n == g->batch_max || b->text >= INGEST_BATCH_TEXT)
        commit_batch(g);
}

/* The next job to store, taken from the pool. While a batch is open and
 * no job is ready, the writer looks every INGEST_IDLE_MS whether someone
 * waits for the batch (ingest_drain, a filter behind a document of unknown
 * state) and then commits it early. NULL when all are stored. */
static job *take_job(ingest *g)
{
    while (g->b.n) {
        int expired;
        job *j = pool_take_timed(g->pool, INGEST_IDLE_MS, &expired);
        if (!expired)
            return j;
        pthread_mutex_lock(&g->mu);
        int waited = g->waiting > 0;
        pthread_mutex_unlock(&g->mu);
        if (waited)
            commit_batch(g);
    }
    return pool_take(g->pool);
}

/* take_job, telling the caller that its input left the queue. */
static job *next_job(ingest *g)
{
    job *j = take_job(g);
    if (j && j->bytes) {
        pthread_mutex_lock(&g->mu);
        g->bytes -= j->bytes;
        pthread_cond_signal(&g->space_cv);
        pthread_mutex_unlock(&g->mu);
    }
    return j;
}

static void *writer_main(void *arg)
{
    ingest *g = arg;
    job *j;
    while ((j = next_job(g)) != NULL)
        store_batched(g, j);
    commit_batch(g);
    return NULL;
}

/* Reports the finished jobs, on the caller's thread, outside the lock. */
static void report_done(ingest *g)
{
    job **done;
    size_t n;
    lock(g);
    done = g->done, n = g->ndone;
    g->done = NULL, g->ndone = g->capdone = 0;
    unlock(g);
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
        free(j->keys);
        free(j->old_site);
        free(j->msg);
        free(j);
    }
    free(done);
}

/* The writer's commit hook: wakes the checkpointer once the WAL is large. */
static void on_commit(void *ctx, int wal_pages)
{
    ingest *g = ctx;
    pthread_mutex_lock(&g->mu);
    g->wal_pages = wal_pages;
    if (wal_pages >= INGEST_CHECKPOINT) {
        g->ckpt_due = 1;
        pthread_cond_broadcast(&g->ckpt_cv);
    }
    pthread_mutex_unlock(&g->mu);
}

static void *checkpointer_main(void *arg)
{
    ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (!g->ckpt_due && !g->closing)
            pthread_cond_wait(&g->ckpt_cv, &g->mu);
        if (!g->ckpt_due)
            break;
        g->ckpt_due = 0;
        g->ckpt_running = 1;
        pthread_mutex_unlock(&g->mu);
        store_checkpoint(g->ckpt);
        pthread_mutex_lock(&g->mu);
        g->ckpt_running = 0;
        pthread_cond_broadcast(&g->ckpt_cv); /* the writer may wait for it */
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}


enum { SETTLED, UNCLASSIFIED, UNSTORED };

/* Whether an earlier job than j may still change counts j cannot read:
 * UNSTORED while one whose stored state is unknown (without readers: any)
 * is not stored yet, UNCLASSIFIED while one is not yet classified. Called
 * under the lock. */
static int earlier_unsettled(const ingest *g, const job *j)
{
    if (!g->readers)
        return g->stored < j->seq ? UNSTORED : SETTLED;
    int why = SETTLED;
    for (size_t seq = g->stored; seq < j->seq; seq++) {
        const job *e = in_flight(g, seq);
        if (e->any_site)
            return UNSTORED;
        if (!e->known)
            why = UNCLASSIFIED;
    }
    return why;
}

/* Counts in add[i] the jobs whose keys hold keys[i]; both sorted. */
static void count_keys(const uint64_t *keys, size_t n, const uint64_t *theirs, size_t m, int *add)
{
    for (size_t i = 0, k = 0; i < n && k < m;) {
        if (keys[i] < theirs[k])
            i++;
        else if (keys[i] > theirs[k])
            k++;
        else
            add[i++]++, k++;
    }
}

/* What the earlier jobs not committed yet change in the counts of j's
 * site once stored (free with free_pending). A failed job changes nothing,
 * nor does a copy of earlier bytes. Called under the lock. */
static store_pending earlier_pending(const ingest *g, const job *j)
{
    int *add = cs_xcalloc(j->nkeys + 1, sizeof *add);
    char **replaced = cs_xcalloc(j->seq - g->stored + 1, sizeof *replaced);
    size_t nrep = 0;
    for (size_t seq = g->stored; seq < j->seq; seq++) {
        const job *e = in_flight(g, seq);
        if (e->dup || e->outcome == INGEST_FAILED)
            continue;
        if (e->site && !strcmp(e->site, j->site))
            count_keys(j->keys, j->nkeys, e->keys, e->nkeys, add);
        if (e->old_site && !strcmp(e->old_site, j->site))
            replaced[nrep++] = cs_xstrdup(e->sha256); /* e may be freed before its use */
    }
    return (store_pending){j->keys, add, j->nkeys, (const char *const *)replaced, nrep};
}

static void free_pending(store_pending *p)
{
    for (size_t i = 0; i < p->nreplaced; i++)
        free((char *)p->replaced[i]);
    free((char **)p->replaced);
    free((int *)p->add);
}

typedef struct {
    ingest *g;
    job *j;
    size_t worker;
} filter_ctx;

/* Publishes j's site and short blocks for later documents; 0 when it has
 * no site (nothing to filter). Takes the lock and leaves it held. */
static int publish_site(ingest *g, job *j, const doc *d)
{
    char site[256];
    int has_site = store_site_key(d, site, sizeof site);
    size_t nkeys = 0;
    uint64_t *keys = has_site ? store_site_keys(d, &nkeys) : NULL;
    pthread_mutex_lock(&g->mu);
    if (has_site) {
        j->site = cs_xstrdup(site);
        j->keys = keys, j->nkeys = nkeys;
    }
    j->known = 1;
    pthread_cond_broadcast(&g->filter_cv);
    return has_site;
}

/* Waits (under the lock) until the counts j is filtered against can be
 * read: every earlier job classified, and no commit under way, so that a
 * snapshot holds exactly the jobs before g->stored. */
static void wait_settled(ingest *g, const job *j)
{
    int why;
    while ((why = earlier_unsettled(g, j)) != SETTLED || g->committing) {
        g->waiting += why == UNSTORED; /* the writer commits its batch for us */
        pthread_cond_wait(&g->filter_cv, &g->mu);
        g->waiting -= why == UNSTORED;
    }
}

/* The extract_block_filter of a threaded ingest: publishes the document's
 * site and blocks for later documents, then filters it against the counts
 * of every earlier one: those committed, read in one snapshot of the
 * worker's reader, and those not, counted in memory. */
static void site_filter(void *ctx, doc *d)
{
    filter_ctx *fc = ctx;
    ingest *g = fc->g;
    job *j = fc->j;
    if (!publish_site(g, j, d)) {
        pthread_mutex_unlock(&g->mu);
        return;
    }
    wait_settled(g, j);
    if (!g->readers) {
        pthread_mutex_unlock(&g->mu);
        store_block_filter(g->s, d); /* the writer waits for this very job */
        return;
    }
    store *r = g->readers[fc->worker];
    cs_error err;
    int snapshot = store_read_begin(r, &err) == CS_OK;
    store_pending p = earlier_pending(g, j);
    pthread_mutex_unlock(&g->mu);
    store_block_filter_pending(r, d, &p);
    if (snapshot)
        store_read_end(r);
    free_pending(&p);
}

/* The pool's work: extract one job. */

/* Extracts j's document; what reading it noticed beyond what load did (a
 * PDF's pages without text) goes to the warn callback. */
static cs_status extract_one(ingest *g, job *j, const extract_opts *xo, cs_error *err)
{
    const char *loaded = j->d->warning; /* told already, by whoever loaded it */
    cs_status st = extract_document(j->d, g->rs, &j->r, xo, err);
    if (st == CS_OK && j->d->warning && j->d->warning != loaded && g->o.warn)
        g->o.warn(j->path, NULL, j->d->warning);
    return st;
}

static void extract_job(void *ctx, void *item, size_t seq, size_t worker)
{
    ingest *g = ctx;
    job *j = item;
    (void)seq;
    if (!j->decided) {
        filter_ctx fc = {g, j, worker};
        extract_opts xo = {g->o.warn, j->path, site_filter, &fc};
        cs_error err;
        if (extract_one(g, j, &xo, &err) != CS_OK) {
            job_release(j);
            pthread_mutex_lock(&g->mu);
            job_fail(j, err.msg); /* filters read its outcome */
            pass_on(g, j);
            pthread_mutex_unlock(&g->mu);
        }
    }
    pthread_mutex_lock(&g->mu);
    j->known = 1; /* failed before its filter: it changes no counts */
    pthread_cond_broadcast(&g->filter_cv);
    pthread_mutex_unlock(&g->mu);
}

static void start_checkpointer(ingest *g)
{
    g->ckpt = store_open_checkpointer(g->s);
    if (g->ckpt && pthread_create(&g->checkpointer, NULL, checkpointer_main, g) != 0) {
        store_close(g->ckpt);
        g->ckpt = NULL;
    }
    if (g->ckpt)
        store_on_commit(g->s, on_commit, g);
}

/* Opens a reader per worker; NULL (and one worker) when s has none. */
static store **open_readers(store *s, size_t *nworkers)
{
    store **r = cs_xcalloc(*nworkers, sizeof *r);
    for (size_t i = 0; i < *nworkers; i++)
        if (!(r[i] = store_open_reader(s))) {
            for (size_t k = 0; k < i; k++)
                store_close(r[k]);
            free(r);
            *nworkers = 1;
            return NULL;
        }
    return r;
}

static void close_readers(ingest *g)
{
    for (size_t i = 0; g->readers && i < g->nworkers; i++)
        store_close(g->readers[i]);
    free(g->readers);
    g->readers = NULL;
}

static void destroy_conds(ingest *g)
{
    pthread_cond_destroy(&g->filter_cv);
    pthread_cond_destroy(&g->space_cv);
    pthread_cond_destroy(&g->ckpt_cv);
}

/* Starts the pool of workers and the writer; 0 (g left serial) when it cannot. */
static int start_pool(ingest *g)
{
    size_t window = g->nworkers + INGEST_QUEUE;
    /* Without readers a filter reads through the writer's connection once
     * every earlier document is committed: each commits alone. */
    if (!g->readers)
        g->batch_max = 1;
    g->nflight = window + 2 + g->batch_max; /* the window, the writer's batch and job, the one being added */
    g->flight = cs_xcalloc(g->nflight, sizeof *g->flight);
    if (pthread_mutex_init(&g->mu, NULL) != 0)
        return 0;
    if (pthread_cond_init(&g->filter_cv, NULL) == 0 && pthread_cond_init(&g->space_cv, NULL) == 0 &&
        pthread_cond_init(&g->ckpt_cv, NULL) == 0) {
        g->pool = pool_start(g->nworkers, window, extract_job, g);
        if (g->pool && pthread_create(&g->writer, NULL, writer_main, g) == 0)
            return 1;
        if (g->pool) {
            pool_close(g->pool);
            pool_free(g->pool);
            g->pool = NULL;
        }
    }
    destroy_conds(g);
    pthread_mutex_destroy(&g->mu);
    free(g->flight);
    g->flight = NULL;
    return 0;
}

/* The threads, their connections and the checkpointer; serial if need be. */
static void start_threads(ingest *g)
{
    g->nworkers = g->o.jobs ? g->o.jobs : pool_cores();
    g->readers = open_readers(g->s, &g->nworkers);
    if (!start_pool(g)) {
        close_readers(g);
        return;
    }
    g->reader = store_open_reader(g->s);
    start_checkpointer(g);
}

ingest *ingest_start(store *s, const rules_set *rs, const ingest_opts *o)
{
    ingest *g = cs_xcalloc(1, sizeof *g);
    g->s = s;
    g->rs = rs;
    if (o)
        g->o = *o;
    g->batch_max = INGEST_BATCH;
    if (!g->o.serial)
        start_threads(g);
    g->b.v = cs_xcalloc(g->batch_max, sizeof *g->b.v);
    return g;
}

/* 1 when a job added since the caller saw g->stored at since has the bytes
 * of j and has not failed: then it stores them, and j changes no counts
 * (j's "already stored?" may have been answered before it was). Called
 * under the lock. */
static int copy_in_flight(const ingest *g, const job *j, size_t since)
{
    for (size_t seq = since; seq < g->added; seq++) {
        const job *e = in_flight(g, seq);
        if (e->outcome != INGEST_FAILED && !strcmp(e->sha256, j->sha256))
            return 1;
    }
    return 0;
}

/* Queues j for the workers and the writer, in order, while the jobs ahead
 * of the writer hold less than INGEST_QUEUE_BYTES of input. since: what
 * g->stored was before the caller asked whether j's bytes are stored. */
static void submit(ingest *g, job *j, size_t since)
{
    pthread_mutex_lock(&g->mu);
    while (g->added - g->stored >= g->nflight || (g->bytes && g->bytes + j->bytes > INGEST_QUEUE_BYTES))
        pthread_cond_wait(&g->space_cv, &g->mu);
    j->dup = !j->decided && copy_in_flight(g, j, since);
    j->seq = g->added++;
    g->flight[j->seq % g->nflight] = j;
    j->known = j->decided;
    g->bytes += j->bytes;
    pthread_mutex_unlock(&g->mu);
    pool_submit(g->pool, j);
}

/* Extracts and stores j on the caller's thread. */
static void run_serial(ingest *g, job *j)
{
    if (!j->decided) {
        extract_opts xo = {g->o.warn, j->path, store_block_filter, g->s};
        cs_error err;
        if (extract_one(g, j, &xo, &err) != CS_OK)
            job_fail(j, err.msg);
    }
    j->seq = g->added++;
    store_batched(g, j);
}

static void add_job(ingest *g, job *j, size_t since)
{
    if (g->pool)
        submit(g, j, since);
    else
        run_serial(g, j);
    report_done(g);
}

/* What the writer has committed: the jobs before it. */
static size_t stored_now(ingest *g)
{
    lock(g);
    size_t n = g->stored;
    unlock(g);
    return n;
}

void ingest_add(ingest *g, doc *d, const char *path)
{
    job *j = cs_xcalloc(1, sizeof *j);
    j->path = cs_xstrdup(path ? path : d->path);
    j->d = d;
    snprintf(j->sha256, sizeof j->sha256, "%s", load_sha256(d));
    j->bytes = g->pool ? d->raw_len : 0;
    size_t since = stored_now(g);
    /* Unchanged bytes skip extraction. Serial: the store is idle, ask it. */
    store *ask = g->pool ? g->reader : g->s;
    int stored = ask ? store_is_current(ask, j->sha256, rules_version(g->rs)) : -1;
    j->asked = ask == g->s && stored >= 0; /* serial: the writer need not ask again */
    if (stored == 1) {
        j->outcome = INGEST_UNCHANGED;
        j->decided = 1;
        doc_free(d);
        j->d = NULL;
    }
    /* A replacement changes the counts of the site its stored copy names. */
    if (!j->decided && stored == 2 && store_stored_site(ask, j->sha256, &j->old_site) != 0)
        stored = -1;
    j->any_site = !j->decided && stored == -1;
    add_job(g, j, since);
}

void ingest_add_failed(ingest *g, const char *path, const char *msg)
{
    job *j = cs_xcalloc(1, sizeof *j);
    j->path = cs_xstrdup(path);
    job_fail(j, msg);
    add_job(g, j, stored_now(g));
}

void ingest_drain(ingest *g)
{
    if (g->pool) {
        pthread_mutex_lock(&g->mu);
        g->waiting++;
        while (g->stored < g->added)
            pthread_cond_wait(&g->space_cv, &g->mu);
        g->waiting--;
        pthread_mutex_unlock(&g->mu);
    } else {
        commit_batch(g);
    }
    report_done(g);
}

void ingest_finish(ingest *g, ingest_totals *t)
{
    if (!g)
        return;
    if (g->pool) {
        pool_close(g->pool); /* the writer commits its last batch and ends */
        pthread_join(g->writer, NULL);
    }
    ingest_drain(g);
    if (g->pool) {
        pool_free(g->pool);
        pthread_mutex_lock(&g->mu);
        g->closing = 1;
        pthread_cond_broadcast(&g->ckpt_cv);
        pthread_mutex_unlock(&g->mu);
        if (g->ckpt) {
            pthread_join(g->checkpointer, NULL);
            store_on_commit(g->s, NULL, NULL);
            store_close(g->ckpt);
        }
        destroy_conds(g);
        pthread_mutex_destroy(&g->mu);
        close_readers(g);
        free(g->flight);
    }
    store_close(g->reader);
    if (t)
        *t = g->t;
    free(g->done);
    free(g->b.v);
    free(g);
}
