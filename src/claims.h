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
    claims_qty floor;      /* a scorecard's floor standard ("Floor: 75%"), when stated */
    char status[32];       /* the rating the document gives ("amber", "requires improvement"), lower case; "" when none */
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
 * assigned), with the lexicons of rs (performance-words, indicator-lead,
 * lower-is-better, ...: see claims.c). Appends to out. */
void claims_build(const char *text, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_set *rs, claims_list *out);
void claims_list_free(claims_list *l);

/* 1 if the indicator is a measure where lower is better (waiting times,
 * vacancies, residual waste): a word of it starts with an entry of lower
 * (rules/lower-is-better.txt; NULL: never). */
int claims_lower_is_better(const rules_list *lower, const char *indicator);

#endif
