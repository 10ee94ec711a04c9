/* extract: runs every stage on one document (parse, boilerplate, sentences,
 * rules, normalizers, people, claims) and renders the records of
 * the extract-jsonl contract. Needs no database. */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <jansson.h>
#include <stdio.h>

#include "claims.h"
#include "events.h"
#include "doc.h"
#include "mention.h"
#include "rows.h"
#include "rules.h"
#include "sentence.h"

typedef struct {
    doc *d;                 /* not owned */
    sentence_span *sents;   /* owned */
    size_t nsent;
    mention_list ms;        /* sorted by start */
    claims_list claims;
    events_list events;
} extract_result;

/* Called after the boilerplate classifier, before sentences: may mark more
 * blocks as boilerplate (keep = 0, why set); extract rebuilds the text. */
typedef void (*extract_block_filter)(void *ctx, doc *d);

typedef struct {
    rules_warn_fn warn;          /* hears of rules that hit their match limit, and (rule_id
                                  * NULL) of what a kept document tells the user, such as
                                  * pages without text; may be NULL */
    void *warn_ctx;
    extract_block_filter filter; /* site-wide boilerplate, from the store; may be NULL */
    void *filter_ctx;
} extract_opts;

/* Parses d (HTML or text) and classifies its blocks: enough for `clean`. */
cs_status extract_clean(doc *d, const rules_set *rs, cs_error *err) CS_WUR;

/* Runs every stage on d (loaded, not yet parsed) into r; opts may be NULL.
 * Every span in r satisfies start <= end <= d->text_len. Free r with
 * extract_result_free (on failure r is left empty); d stays the caller's. */
cs_status extract_document(doc *d, const rules_set *rs, extract_result *r, const extract_opts *opts,
                           cs_error *err) CS_WUR;
void extract_result_free(extract_result *r);

/* Record builders (new references; the caller decrefs). */
json_t *extract_document_json(const doc *d);
json_t *extract_mention_json(const extract_result *r, const mention *m);
json_t *extract_claim_json(const extract_result *r, const claims_claim *c);
json_t *extract_event_json(const extract_result *r, const events_event *e);

/* Writes every record of r in text order: one JSON object a line, or one
 * CSV or TSV row each, with the columns of extract_columns (the caller
 * writes the header once). Returns CS_ERR_IO if the stream fails. */
cs_status extract_write(FILE *f, rows_format fmt, const extract_result *r) CS_WUR;
cs_status extract_write_jsonl(FILE *f, const extract_result *r) CS_WUR;
/* The CSV and TSV columns of extract's records (static; *n gets the count). */
const rows_col *extract_columns(size_t *n);

/* The rules self-test normalizer: renders a match as "key=value" lines.
 * Relative dates are anchored on EXTRACT_TEST_ANCHOR. */
#define EXTRACT_TEST_ANCHOR "2015-06-29"
void extract_render_example(void *rs, const rules_match *m, const char *text, size_t len, char *out, size_t cap);

/* The canonical number format of records and tests: integers without a
 * decimal point, others with up to 10 significant digits. */
json_t *extract_number(double v);

#endif
