/* libFuzzer harness: the CSV and TSV writers (strs_csv_row, strs_tsv_row)
 * and the listing of JSON records (rows_put). The bytes are fields split
 * at 0x1F; each row written is read back, and every field must come back
 * as it was, or, for a field that a spreadsheet would run as a formula,
 * behind one apostrophe. The first byte picks CSV or TSV, and whether the
 * fields also go through rows_put as a JSON record. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rows.h"
#include "strs.h"

#define MAX_FIELDS 16

/* Reads one CSV line of s (RFC 4180 quoting, quoted fields may hold line
 * breaks; the line ends with \n) into the fields of out; returns how many,
 * or -1 when malformed. */
static int read_csv(const char *s, size_t n, buf *out)
{
    int k = 0;
    size_t i = 0;
    for (;;) {
        buf_init(&out[k], 0);
        if (i < n && s[i] == '"') {
            for (i++;; i++) {
                if (i >= n)
                    return -1;
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"')
                        i++;
                    else
                        break;
                }
                buf_putc(&out[k], s[i]);
            }
            i++;
        } else {
            for (; i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n'; i++)
                buf_putc(&out[k], s[i]);
        }
        k++;
        if (i < n && s[i] == ',' && k < MAX_FIELDS) {
            i++;
            continue;
        }
        return i + 1 == n && s[i] == '\n' ? k : -1;
    }
}

/* Reads one TSV line with \t \n \r \\ escapes; the count, or -1. */
static int read_tsv(const char *s, size_t n, buf *out)
{
    int k = 0;
    buf_init(&out[0], 0);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            return i + 1 == n ? k + 1 : -1;
        if (s[i] == '\t') {
            if (++k >= MAX_FIELDS)
                return -1;
            buf_init(&out[k], 0);
        } else if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            buf_putc(&out[k], c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c);
        } else {
            buf_putc(&out[k], s[i]);
        }
    }
    return -1;
}

/* 1 if got is want, or want behind one apostrophe where want opens with a
 * formula's lead. */
static int same_field(const buf *got, const char *want, size_t wn)
{
    if (got->len == wn && (!wn || !memcmp(got->ptr, want, wn)))
        return 1;
    return wn && strchr("=+-@\t\r", want[0]) && got->len == wn + 1 && got->ptr[0] == '\'' &&
           !memcmp(got->ptr + 1, want, wn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    int tsv = data[0] & 1, json = data[0] & 2;
    char *copy = malloc(size);
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    const char *cols[MAX_FIELDS];
    size_t lens[MAX_FIELDS], n = 0;
    for (char *p = copy; n < MAX_FIELDS;) {
        char *sep = memchr(p, 0x1F, (size_t)(copy + size - 1 - p));
        cols[n] = p;
        lens[n] = sep ? (size_t)(sep - p) : strlen(p);
        if (strlen(p) < lens[n])
            lens[n] = strlen(p); /* a NUL ends a C string field */
        n++;
        if (!sep)
            break;
        *sep = '\0';
        p = sep + 1;
    }
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        abort();
    if ((tsv ? strs_tsv_row(f, cols, n) : strs_csv_row(f, cols, n)) != CS_OK)
        abort();
    fclose(f);
    buf got[MAX_FIELDS];
    int k = tsv ? read_tsv(out, len, got) : read_csv(out, len, got);
    if (k != (int)n)
        abort(); /* the row does not read back as n fields */
    for (int i = 0; i < k; i++) {
        if (!same_field(&got[i], cols[i], lens[i]))
            abort();
        buf_free(&got[i]);
    }
    free(out);
    if (json) {
        static const rows_col rc[] = {{"a", "a", NULL}, {"b", "b.0", "claim"}, {"c", "c.value", NULL}};
        json_t *rec = json_pack("{s:s, s:s, s:[s], s:{s:f}}", "kind", "claim", "a", cols[0], "b",
                                n > 1 ? cols[1] : "", "c", "value", (double)lens[0]);
        FILE *null = fopen("/dev/null", "w");
        if (rec && null) {
            rows_format fmt = tsv ? ROWS_TSV : ROWS_CSV;
            rows_header(null, fmt, rc, 3);
            rows_put(null, fmt, rc, 3, rec);
            rows_put(null, ROWS_JSONL, rc, 3, rec);
        }
        if (null)
            fclose(null);
        json_decref(rec);
    }
    free(copy);
    return 0;
}
