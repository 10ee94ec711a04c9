/* rows: listings of JSON records as CSV, TSV or JSON Lines. CSV and TSV get
 * a header row and the same columns for every record: each column reads
 * one path of the record, for the kinds of record it applies to. */
#ifndef ROWS_H
#define ROWS_H

#include <stdio.h>

#include "cs.h"

/* A record is a jansson object, built by the caller (which includes
 * <jansson.h>); this header names the type only, so it does not hand
 * jansson's API to every module that lists rows. */
struct json_t;

typedef struct {
    const char *name;  /* the header */
    const char *path;  /* dotted path into the record: "actual.value", "span.0" */
    const char *kinds; /* space-separated record kinds it applies to; NULL for all */
} rows_col;

typedef enum { ROWS_CSV, ROWS_TSV, ROWS_JSONL } rows_format;

/* The format named "csv", "tsv" or "jsonl"; -1 for another name. */
int rows_format_of(const char *name);

/* Writes the header row of cols (nothing for JSON Lines). */
void rows_header(FILE *f, rows_format fmt, const rows_col *cols, size_t n);

/* Writes one record: as it is for JSON Lines, else one value per column
 * (numbers as written in JSON, 21 not 21.0; arrays joined by spaces; null,
 * absent and columns for other kinds empty). Does not take rec. */
void rows_put(FILE *f, rows_format fmt, const rows_col *cols, size_t n, struct json_t *rec);

/* CS_ERR_IO when the stream failed. */
cs_status rows_status(FILE *f) CS_WUR;

#endif
