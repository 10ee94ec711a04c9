/* strs: small string helpers shared by the modules: whole-word search, word
 * lists, CSV quoting and TSV escaping. */
#ifndef STRS_H
#define STRS_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

/* Reads exactly n ASCII digits (n <= 9) at *p into *v and moves *p past
 * them; 0 (nothing moved) when fewer are there. */
int strs_take_digits(const char **p, int n, int *v);

/* 1 if w occurs in s[0..n) as a whole word (ASCII case-insensitive). */
int strs_has_word(const char *s, size_t n, const char *w);

/* 1 if any entry of the NULL-terminated list occurs in s[0..n) as a whole
 * word. */
int strs_has_any(const char *s, size_t n, const char *const *list);

/* Copies s[0..n) lower-cased into w, which holds at least n + 1 bytes, and
 * terminates it. */
void strs_lower(char *w, const char *s, size_t n);

/* 1 if w equals an entry of the NULL-terminated list (ASCII case-insensitive);
 * a NULL list holds nothing. */
int strs_in_list(const char *w, const char *const *list);

/* The length of a citation marker at s[0..n) ("[12]", "[n 10]", "[note 3]"),
 * or 0 (an editor's "[pure]" is text). */
size_t strs_citation_len(const char *s, size_t n);

/* What strs_safe keeps of line breaks and tabs. */
enum {
    STRS_ESCAPE_ALL,    /* every one escaped: one line out */
    STRS_KEEP_INDENTED, /* a break followed by a space (the continuation of a
                         * diagnostic): no line can be forged to start like one */
    STRS_KEEP_LINES     /* every break and tab (text shown as text) */
};

/* Appends s[0..n) to out so that a terminal shows it and obeys none of it:
 * control characters (C0, DEL, C1), bidirectional overrides and bytes that
 * are not UTF-8 become escapes (\n, \t, \x1b, \u202e); keep says which line
 * breaks and tabs stay. */
void strs_safe(buf *out, const char *s, size_t n, int keep);

/* Writes s[0..n) (NULL as nothing) to f escaped as strs_safe with
 * STRS_ESCAPE_ALL. CS_ERR_IO when the stream fails. */
cs_status strs_show(FILE *f, const char *s, size_t n) CS_WUR;

/* An FNV-1a hash of s[0..n), for the project's hash tables. */
size_t strs_hash(const char *s, size_t n);
/* The hash of a text that goes on from one hashed as h with s[0..n):
 * strs_hash(s, a + b) is strs_hash_more(strs_hash(s, a), s + a, b). */
size_t strs_hash_more(size_t h, const char *s, size_t n);

/* Writes the n fields of cols (NULL as empty) as one CSV line (RFC 4180):
 * the one CSV writer of the program, header lines included. A field is
 * quoted when it holds a comma, a quote or a line break. A field that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * carriage return) gets a leading apostrophe, as OWASP advises; a number
 * ("-12", "+3.5", "-4%") stays a number, and a lone "-" stays text. CS_ERR_IO when the stream fails. */
cs_status strs_csv_row(FILE *f, const char *const *cols, size_t n) CS_WUR;

/* Writes the n fields of cols (NULL as empty) as one TSV line: tab, line
 * feed, carriage return and backslash escaped as \t, \n, \r and \\, and
 * a formula's lead neutralised as in strs_csv_row. CS_ERR_IO when the
 * stream fails. */
cs_status strs_tsv_row(FILE *f, const char *const *cols, size_t n) CS_WUR;

#endif
