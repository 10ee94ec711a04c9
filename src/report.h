/* report: the timeline of interventions (CSV, JSON, TimelineJS JSON and
 * spreadsheet) and the self-contained HTML report. */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "check.h"
#include "store.h"

typedef struct {
    char *document, *title, *published, *sentence, *date_text, *actor;
    char *path;              /* the document's path as stored */
    char *people;            /* the people its sentence names, separated by |; NULL for none */
    long long sentence_id;   /* 0 when unknown */
    int page;                /* 1-based page of a PDF; 0 otherwise */
} report_source;

/* One event of the timeline: the same event told by several documents is
 * one entry with several sources; dates_disagree is set when they differ. */
typedef struct {
    char *type;             /* event type ("commissioner-appointed") */
    char start[11], end[11]; /* "" when undated */
    char granularity[16];
    char *actor;            /* the first source's actor, or NULL */
    char *target;           /* a deadline: the target it belongs to, or NULL */
    int planned;            /* every source speaks of it as future */
    int dates_disagree;
    report_source *src;
    size_t nsrc;
} report_event;

typedef struct {
    report_event *v;
    size_t n, cap;
} report_timeline;

/* Builds the timeline from the events in s: dated events first, in order. */
cs_status report_timeline_build(store *s, report_timeline *t, cs_error *err) CS_WUR;
void report_timeline_free(report_timeline *t);

/* Writes t as "json", "csv", "tsv", "jsonl", "timelinejs" (TimelineJS JSON) or
 * "timelinejs-csv" (the TimelineJS spreadsheet columns). */
cs_status report_timeline_write(FILE *f, const report_timeline *t, const char *format, cs_error *err) CS_WUR;

/* Writes the HTML report of s to path: a search box and filters over the
 * claims and findings, the timeline drawn as SVG, findings and claims
 * linked to their sentences and source files with citations, actual against
 * target per indicator, people with their appearances, and the source
 * sentences with their figures highlighted. One file; no request leaves it. */
cs_status report_html(store *s, const check_list *findings, const report_timeline *t, const char *path,
                      cs_error *err) CS_WUR;

/* A human label for an event type ("Commissioner appointed"). */
const char *report_event_label(const char *type);

#endif
