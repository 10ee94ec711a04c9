/* sentence: sentence boundaries in cleaned text that survive "Cllr.",
 * "No. 10", "£22.1 million", "2014-15", initials and quotes. */
#ifndef SENTENCE_H
#define SENTENCE_H

#include <stddef.h>

#include "rules.h"

typedef struct {
    size_t start, end; /* byte span, trimmed; never crosses a blank line */
    size_t block;      /* ordinal of the paragraph (blank-line separated) it is in */
} sentence_span;

/* Splits text[0..len) into sentences; abbrev (may be NULL) lists words that
 * a full stop does not end ("cllr", "no", "st"). Returns a malloc'd array
 * (caller frees) and its count in *n; NULL with *n = 0 for empty text. */
sentence_span *sentence_split(const char *text, size_t len, const rules_list *abbrev, size_t *n);

/* Index of the sentence containing offset off (binary search), or the last
 * one starting before it. */
size_t sentence_find(const sentence_span *s, size_t n, size_t off);

/* The length of the longest clause break of l that s[0..n) starts with (an
 * entry and the space after it: ", but "), or 0. l may be NULL. */
size_t sentence_break_at(const rules_list *l, const char *s, size_t n);
/* The clause of sentence s (in text) that holds [start, end): from the end
 * of the last clause break of l before start to the first break at or after
 * end; the whole sentence when there is none. */
sentence_span sentence_clause(const char *text, const sentence_span *s, const rules_list *l, size_t start,
                              size_t end);

#endif
