/* claims: performance statements assembled from the mentions of a sentence
 * and its neighbours: indicator, actual, target, previous, gap, met, period,
 * speaker. */
#ifndef CLAIMS_H
#define CLAIMS_H

#include "mention.h"
#include "rules.h"
#include "sentence.h"

typedef struct {
    int set;
    double value;
    const char *unit; /* static */
} claims_qty;

typedef struct {
    size_t start, end;     /* evidence span in the cleaned text */
    size_t sentence;       /* first sentence of the evidence */
    char *indicator;       /* owned */
    claims_qty actual, target, previous, gap;
    claims_qty change;     /* a stated change ("down 1.9 points"), when there is one */
    int target_derived;
    int met;               /* -1 unknown, 0 false, 1 true */
    int has_period;
    dates_interval period;
    char *speaker;         /* canonical name, owned, or NULL */
    const char *rule;      /* static: how the claim was assembled */
} claims_claim;

typedef struct {
    claims_claim *v;
    size_t n, cap;
} claims_list;

/* Assembles claims from the mentions of text (sorted by start, sentences
 * assigned). perf (rules/performance-words.txt; may be NULL) lists the words
 * without which a plain count is not a performance claim. Appends to out. */
void claims_build(const char *text, size_t len, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_list *perf, claims_list *out);
void claims_list_free(claims_list *l);

/* 1 if the indicator is a measure where lower is better (waiting times,
 * vacancies, residual waste). */
int claims_lower_is_better(const char *indicator);

#endif
