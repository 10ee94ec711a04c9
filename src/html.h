/* html: libxml2 SAX parse of an HTML document into blocks, containers and
 * metadata (title, published date, site, byline, canonical URL, language). */
#ifndef HTML_H
#define HTML_H

#include "doc.h"

/* Fills d's blocks, containers and metadata from d->input. libxml2's own
 * diagnostics are silenced; a page libxml2 cannot parse at all is
 * CS_ERR_INPUT with err filled. */
cs_status html_parse(doc *d, cs_error *err) CS_WUR;

#endif
