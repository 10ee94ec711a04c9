/* dates: absolute and relative dates to inclusive intervals; UK day-first
 * order; financial years; anchoring on the document date. */
#ifndef DATES_H
#define DATES_H

#include "rules.h"

typedef struct {
    int y, m, d;
} dates_ymd;

typedef struct {
    dates_ymd start, end;    /* inclusive */
    const char *granularity; /* static: "day", "month", "quarter", "year", "financial_year" */
    int relative;            /* anchored on the document date */
} dates_interval;

/* Normalizes a date match from its named groups (day, month, year, fy1,
 * fy2, q, rel, n, unit, wday) and the rule's tag. anchor is the document
 * date or NULL; a relative date without an anchor gives 0 (left out). */
int dates_normalize(const rules_match *m, const char *text, const dates_ymd *anchor, dates_interval *out);

/* 1 if the rule's tag marks a relative date (needs an anchor). */
int dates_is_relative(const rules_match *m);

/* Parses an ISO date prefix "YYYY-MM-DD" (as in published times). */
int dates_parse_iso(const char *s, dates_ymd *out);

/* Writes "YYYY-MM-DD" into out (11 bytes). */
void dates_format(const dates_ymd *d, char out[11]);

/* Days in month m of year y. */
int dates_days_in_month(int y, int m);

#endif
