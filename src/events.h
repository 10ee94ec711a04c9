/* events: interventions and milestones for a timeline (improvement notices,
 * ratings, commissioners, inspections, deadlines), each with its date,
 * actor and source sentence. */
#ifndef EVENTS_H
#define EVENTS_H

#include "mention.h"
#include "rules.h"
#include "sentence.h"

typedef struct {
    const char *type;     /* "improvement-notice", "rated-inadequate", "deadline", ...; static or rules-owned */
    size_t start, end;    /* the vocabulary's span in the cleaned text */
    size_t sentence;
    int has_date;
    dates_interval date;
    size_t date_start, date_end; /* span of the date text */
    int since;            /* "since 2009": the date is when it began */
    int planned;          /* spoken of as future ("will arrive next month") */
    char *actor;          /* person's canonical name or a body ("Ofsted"); owned; NULL if none */
    char *subject;        /* what the document is about ("birmingham"); owned; NULL if unknown */
    char *target;         /* deadlines: the indicator of the claim in the same sentence; owned */
    const char *rule;
} events_event;

typedef struct {
    events_event *v;
    size_t n, cap;
} events_list;

/* Assembles events from the event mentions of text (sorted, sentences
 * assigned) and adds deadlines ("by February 2010" near target words). One
 * event per type and date per sentence. anchor is the document date (NULL if
 * unknown): a planned event takes no date before it. Appends to out. */
void events_build(const char *text, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_set *rs, const dates_ymd *anchor, events_list *out);
void events_list_free(events_list *l);

/* The three most frequent capitalised words of text that are not stop
 * words, generic public-sector words (rules/subject-generic.txt) or in skip
 * (NULL-terminated, may be NULL): what a document is about ("birmingham").
 * Each out[i] is malloc'd (lower case) or NULL; the caller frees. */
void events_subjects(const char *text, const rules_set *rs, const char *const *skip, char *out[3]);

#endif
