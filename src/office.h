/* office: office documents and spreadsheets into blocks: DOCX and ODT (zip
 * + XML) as headings, paragraphs, list items and table rows; XLSX and ODS
 * workbooks with each sheet a table; CSV and TSV as one table. */
#ifndef OFFICE_H
#define OFFICE_H

#include "doc.h"

#define OFFICE_MAX_ENTRY ((size_t)256 << 20) /* uncompressed bytes read from one zip entry */
#define OFFICE_MAX_TOTAL ((size_t)512 << 20) /* uncompressed bytes read from one file */

/* The office type of raw bytes: *type becomes "docx", "odt", "ods" or
 * "xlsx" (static) for a zip holding such a document, NULL for bytes that are
 * no zip or OLE container. Returns CS_ERR_INPUT, err filled, for a corrupt
 * or encrypted file, a legacy binary Office file or a zip of something else. */
cs_status office_detect(const unsigned char *s, size_t n, const char **type, cs_error *err) CS_WUR;

/* "csv" or "tsv" (static) when the text s[0..n) read from path is a table:
 * by the extension .csv, .tsv or .tab, or, for names with none of the
 * extensions claimscan knows (and stdin), by its shape; else NULL. */
const char *office_detect_text(const char *path, const char *s, size_t n);

/* Reads d (d->type set by the detectors above: raw bytes for the zip types,
 * d->input for csv and tsv) into blocks and metadata (title). Returns
 * CS_ERR_INPUT or CS_ERR_TOOBIG with err filled for a file it cannot read. */
cs_status office_parse(doc *d, cs_error *err) CS_WUR;

#endif
