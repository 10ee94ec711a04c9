/* check: cross-checks over the store that produce findings a fact-checker
 * would write up, each with its evidence and the reason its claims were
 * matched. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

#include "rules.h"
#include "store.h"

typedef struct {
    char *kind;        /* "share-vs-count", "parts-vs-whole", "gap-arithmetic", "change-arithmetic", "met-contradicted",
                        * "impossible-value", "amount-revised", "figure-differs", "speaker-contradicted" */
    const char *severity; /* static: "high", "medium", "low" */
    char *explanation; /* plain English, ready to paste */
    char *why;         /* how the claims were matched or the arithmetic done */
    char *evidence;    /* one line per source: document, date, speaker, sentence */
    long long *claims; /* claim ids */
    size_t nclaims;
    long long *figures; /* figure ids */
    size_t nfigures;
} check_finding;

typedef struct {
    check_finding *v;
    size_t n, cap;
} check_list;

/* Runs every check over the claims and figures in s into out. rs gives the
 * stop-word lexicon used to compare indicator phrases. A failed read is
 * CS_ERR_DB with err naming the database (so are the other failures here). */
cs_status check_run(store *s, const rules_set *rs, check_list *out, cs_error *err) CS_WUR;

/* Hears which step check_run is at: step k of total, named by what. */
typedef void (*check_progress_fn)(void *ctx, const char *what, int k, int total);
/* check_run telling progress (may be NULL) of its steps. */
cs_status check_run_progress(store *s, const rules_set *rs, check_list *out, check_progress_fn progress, void *ctx,
                             cs_error *err) CS_WUR;

/* Replaces the findings stored in s by those of l, in one transaction,
 * noting the documents and rules (rs) they were computed from. */
cs_status check_save(store *s, const rules_set *rs, const check_list *l, cs_error *err) CS_WUR;

/* The findings of s into out: those stored when they were computed from the
 * documents s holds now with these rules and this check (*reused set),
 * else check_run and check_save anew (*reused 0; not saved when s is
 * read-only). */
cs_status check_current(store *s, const rules_set *rs, check_list *out, int *reused, cs_error *err) CS_WUR;

/* Writes the findings as "text", "csv", "tsv" or "jsonl"; text also lists, per
 * document, every claim with a target: stated against actual. */
cs_status check_write(FILE *f, store *s, const check_list *l, const char *format, cs_error *err) CS_WUR;

void check_list_free(check_list *l);

#endif
