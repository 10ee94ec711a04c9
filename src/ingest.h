/* ingest: documents into the store, with extraction and storage overlapped.
 * Worker threads extract documents while one writer thread stores them in
 * the order they were added, committing them in groups (each document all
 * or nothing within its group).
 * The database ends as a one-document-at-a-time ingest leaves it: a
 * document's site-boilerplate filter counts the blocks of every earlier
 * document of its site, stored or still on its way. */
#ifndef INGEST_H
#define INGEST_H

#include "store.h"

typedef enum {
    INGEST_STORED,    /* extracted and stored */
    INGEST_UNCHANGED, /* these bytes were stored with these rules already */
    INGEST_FAILED     /* extraction or storage failed; msg says why */
} ingest_outcome;

/* Hears of each document's outcome, in the order the documents were added,
 * always on the thread that calls ingest_add and ingest_finish. */
typedef void (*ingest_report_fn)(void *ctx, const char *path, ingest_outcome o, const char *msg);

typedef struct {
    rules_warn_fn warn; /* hears of rules that hit their match limit and (rule_id NULL) of
                         * notes on a kept document (ctx: the path); may be NULL */
    ingest_report_fn report; /* may be NULL */
    void *report_ctx;
    int serial; /* extract and store on the caller's thread: no threads */
    size_t jobs; /* extraction threads; 0: one per processor */
} ingest_opts;

typedef struct {
    size_t stored, unchanged, failed;
} ingest_totals;

typedef struct ingest ingest;

/* Starts ingesting into s with rules rs (both must outlive the ingest);
 * o may be NULL. Never NULL: when no thread can be started it stores on
 * the caller's thread. Finish with ingest_finish. */
ingest *ingest_start(store *s, const rules_set *rs, const ingest_opts *o);

/* Ingests d, loaded from path (NULL: d's own path). Takes d: it is freed here
 * or by the writer. Blocks while a few documents per thread are in flight. */
void ingest_add(ingest *g, doc *d, const char *path);

/* Counts a document that could not be loaded, in order with the others. */
void ingest_add_failed(ingest *g, const char *path, const char *msg);

/* Waits until every added document is stored and reported. */
void ingest_drain(ingest *g);

/* Drains, stops the writer and frees g; *t (may be NULL) gets the totals. */
void ingest_finish(ingest *g, ingest_totals *t);

#endif
