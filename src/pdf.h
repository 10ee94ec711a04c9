/* pdf: PDF input through poppler-glib: each page's text with its layout
 * turned into blocks that carry their page. */
#ifndef PDF_H
#define PDF_H

#include "doc.h"
#include "rules.h"

/* Fills d's blocks, pages and metadata (title, published) from d->raw.
 * CS_ERR_INPUT with err filled when the file cannot be read as a PDF
 * (damaged, truncated, or locked with a user password). Pages without a
 * text layer are kept as empty pages and named in d->warning. rs gives the
 * lexicon title-not-title (NULL: every Info title is taken). */
cs_status pdf_parse(doc *d, const rules_set *rs, cs_error *err) CS_WUR;

#endif
