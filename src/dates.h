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
    const char *granularity; /* static: "day", "weekend", "month", "quarter", "half_year", "year",
                                "financial_year", "decade" */
    int relative;            /* anchored on the document date */
} dates_interval;

/* Normalizes a date match from its named groups (day, month, year, fy1,
 * fy2, q, rel, n, unit, wday) and the rule's tag. anchor is the document
 * date or NULL; a relative date without an anchor gives 0 (left out). */
int dates_normalize(const rules_match *m, const char *text, const dates_ymd *anchor, dates_interval *out);

/* The two ends of a span of months or years ("January to December 2014",
 * "between 2001 and 2011") as dates of their own, for texts whose
 * convention records each end: out[0] at text[span[0]..span[1]), out[1] at
 * text[span[2]..span[3]). 0 when m is no such span (a span of days stays
 * one date). */
int dates_range_ends(const rules_match *m, const char *text, dates_interval out[2], size_t span[4]);

/* Anaphoric references resolved against ref, the date the text last named:
 * "the previous month" after November is October, "that month" is ref's
 * month, "the previous year" after 2003/2004 is 2002/03. Returns 0 if m is
 * no such reference or ref (may be NULL) does not fit. */
int dates_anaphor(const rules_match *m, const char *text, const dates_interval *ref, dates_interval *out);

/* 1 if the relative date m needs of its anchor only the year ("November",
 * "this year", "the third quarter"), not the day ("on Tuesday", "last
 * month"). */
int dates_year_level(const rules_match *m);

/* 1 if the rule's tag marks a relative date (needs an anchor). */
int dates_is_relative(const rules_match *m);

/* Parses an ISO date prefix "YYYY-MM-DD" (as in published times): 1, or 0
 * (out untouched) when s (may be NULL) does not start with a valid date. */
int dates_parse_iso(const char *s, dates_ymd *out);

/* The day number (days since 0000-03-01) of the ISO date prefix of iso,
 * for differences in days: 1, or 0 (day untouched) when iso (may be NULL)
 * does not start with a valid date. */
int dates_iso_day(const char *iso, long *day);

/* Writes "YYYY-MM-DD" into out (11 bytes). */
void dates_format(const dates_ymd *d, char out[11]);

/* Days in month m of year y. */
int dates_days_in_month(int y, int m);

#endif
