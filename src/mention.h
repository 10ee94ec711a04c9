/* mention: what the rules found in one document's cleaned text, normalized:
 * figures, dates, persons and claim vocabulary (cues). */
#ifndef MENTION_H
#define MENTION_H

#include <stddef.h>

#include "dates.h"
#include "numbers.h"
#include "sentence.h"

typedef enum { MENTION_FIGURE, MENTION_DATE, MENTION_PERSON, MENTION_CUE, MENTION_EVENT } mention_kind;

typedef struct {
    char *name;  /* canonical full name, no honorific; owned */
    char *title; /* honorific as written, or NULL; owned */
    char *role;  /* office stated with the mention, or NULL; owned */
    char *party; /* "Lab", "Con", "LD", ... or NULL; owned */
} mention_person;

typedef struct {
    mention_kind kind;
    size_t start, end;  /* byte span in doc->text */
    size_t sentence;    /* index of the sentence holding start */
    const char *rule;   /* rule id; static or owned by the rules set */
    const char *tag;    /* the rule's tag (cues: what the vocabulary means) */
    union {             /* the kind's own fields, read only for that kind: a page's */
        numbers_figure fig; /* hundreds of thousands of mentions hold one each */
        dates_interval date;
        mention_person person;
    };
} mention;

typedef struct {
    mention *v;
    size_t n, cap;
} mention_list;

/* Appends a zeroed mention and returns it; valid until the next push. */
mention *mention_push(mention_list *l, mention_kind kind, size_t start, size_t end);
/* The mentions starting within [start, end), as indices [*a, *b), for
 * sentences visited in order: *cursor carries the scan between calls. */
void mention_window(const mention_list *l, size_t *cursor, size_t start, size_t end, size_t *a, size_t *b);

/* One sentence of a text with its mentions: a view that owns nothing. */
typedef struct {
    const char *text;       /* the document's cleaned text */
    const mention_list *ms;
    const sentence_span *s;
    size_t si;              /* index of s among the sentences */
    size_t a, b;            /* its mentions: ms->v[a..b) */
    const char *st;         /* its text: st[0..sl) */
    size_t sl;
} mention_sentence;

/* The si-th of sents with its mentions, for sentences visited in order:
 * *cursor carries the scan between calls, as for mention_window. */
mention_sentence mention_sentence_at(const char *text, const mention_list *ms, const sentence_span *sents, size_t si,
                                     size_t *cursor);

/* Sorts by start (stable for equal starts by kind). */
void mention_sort(mention_list *l);
/* Frees the owned strings and the array; l is empty afterwards. */
void mention_list_free(mention_list *l);

#endif
