/* page: the working parts of the HTML report: the filter bar and its
 * script, the claims list with links and citations, actual against target
 * drawn per indicator, and people with a lane of their appearances. */
#ifndef PAGE_H
#define PAGE_H

#include "buf.h"
#include "check.h"
#include "store.h"

/* The report's style and script (static strings, inlined in the page). */
extern const char *const page_css;
extern const char *const page_script;

/* The page as it is written: sections append to b and call page_flush at
 * the end of each row, so the page goes to the file a chunk at a time and
 * is never whole in memory. */
typedef struct {
    buf b;     /* what is not yet written */
    int fd;    /* the file the page goes to */
    int error; /* errno of the first failed write; 0 while none failed */
} page_out;

/* Writes b to o->fd once it holds a chunk, or whatever it holds when all is
 * set, and empties it. After a failed write it only empties b. */
void page_flush(page_out *o, int all);

/* The filter bar: a search box and selects for document, person,
 * indicator, met / missed / unknown and finding kind. */
cs_status page_toolbar(page_out *o, store *s, const check_list *findings, cs_error *err) CS_WUR;

/* Every claim once (a table row and the prose that repeats it are one):
 * its figures, who said it, links to its sentence in the page and to the
 * source file (relative to the report at report_path; #page=N for a PDF),
 * and a citation ready to copy. */
cs_status page_claims(page_out *o, store *s, const char *report_path, cs_error *err) CS_WUR;

/* Actual against target per indicator, as inline SVG bars with the target
 * line, red where missed. */
cs_status page_charts(page_out *o, store *s, cs_error *err) CS_WUR;

/* People with their roles and party, and a lane of their appearances over
 * the documents' dates, each linked to its sentence. */
cs_status page_people(page_out *o, store *s, cs_error *err) CS_WUR;

/* The filter data and sentence links of a finding: data-* attributes
 * (attrs set) or links to the sentences of its claims, appended to b. */
cs_status page_finding_links(buf *b, store *s, const check_finding *f, int attrs, cs_error *err) CS_WUR;

/* The link from the report at report_path to the source file doc_path,
 * with #page=N when page > 0, URL-escaped, appended to b. */
void page_source_href(buf *b, const char *report_path, const char *doc_path, int page);

/* Appends s HTML-escaped (NULL as nothing). */
void page_esc(buf *b, const char *s);

/* Appends the attribute ` name="value"`, value HTML-escaped (NULL as ""). */
void page_attr(buf *b, const char *name, const char *value);

#endif
