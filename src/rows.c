/* rows: every listing's CSV, TSV and JSON Lines. The rows go through strs'
 * one CSV writer and its TSV twin (quoting, escaping, formulas
 * neutralised). */
#include "rows.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strs.h"

int rows_format_of(const char *name)
{
    return !strcmp(name, "csv") ? ROWS_CSV : !strcmp(name, "tsv") ? ROWS_TSV : !strcmp(name, "jsonl") ? ROWS_JSONL : -1;
}

/* A failed stream is not an error here: it shows in ferror, which the
 * callers test through rows_status. */
static void row(FILE *f, rows_format fmt, const char *const *cols, size_t n)
{
    cs_status st = fmt == ROWS_CSV ? strs_csv_row(f, cols, n) : strs_tsv_row(f, cols, n);
    (void)st;
}

void rows_header(FILE *f, rows_format fmt, const rows_col *cols, size_t n)
{
    if (fmt == ROWS_JSONL)
        return;
    const char **names = cs_xcalloc(n, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = cols[i].name;
    row(f, fmt, names, n);
    free(names);
}

/* The value at a dotted path ("actual.value", "span.0"), or NULL. */
static json_t *at_path(json_t *rec, const char *path)
{
    json_t *v = rec;
    while (v && *path) {
        size_t n = strcspn(path, ".");
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key ? n : sizeof key - 1), path);
        if (json_is_array(v))
            v = json_array_get(v, (size_t)strtoul(key, NULL, 10));
        else
            v = json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return v;
}

/* A scalar as text: integers and reals as JSON writes them (21, 22.6). */
static void scalar(buf *b, json_t *v)
{
    if (json_is_string(v))
        buf_put(b, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        buf_printf_put(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        buf_printf_put(b, "%.15g", json_real_value(v));
    else if (json_is_boolean(v))
        buf_puts(b, json_is_true(v) ? "true" : "false");
}

static int applies(const rows_col *c, const char *kind)
{
    if (!c->kinds)
        return 1;
    size_t k = kind ? strlen(kind) : 0;
    for (const char *p = c->kinds; *p;) {
        size_t n = strcspn(p, " ");
        if (n == k && !strncmp(p, kind, n))
            return 1;
        p += n + (p[n] == ' ');
    }
    return 0;
}

void rows_put(FILE *f, rows_format fmt, const rows_col *cols, size_t n, json_t *rec)
{
    if (fmt == ROWS_JSONL) {
        json_dumpf(rec, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        fputc('\n', f);
        return;
    }
    const char *kind = json_string_value(json_object_get(rec, "kind"));
    buf *vals = cs_xcalloc(n, sizeof *vals);
    const char **cells = cs_xcalloc(n, sizeof *cells);
    for (size_t i = 0; i < n; i++) {
        buf_init(&vals[i], 0);
        json_t *v = applies(&cols[i], kind) ? at_path(rec, cols[i].path) : NULL;
        if (json_is_array(v)) {
            for (size_t k = 0; k < json_array_size(v); k++) {
                if (k)
                    buf_putc(&vals[i], ' ');
                scalar(&vals[i], json_array_get(v, k));
            }
        } else {
            scalar(&vals[i], v);
        }
        cells[i] = buf_str(&vals[i]);
    }
    row(f, fmt, cells, n);
    for (size_t i = 0; i < n; i++)
        buf_free(&vals[i]);
    free(vals);
    free(cells);
}

cs_status rows_status(FILE *f)
{
    return ferror(f) ? CS_ERR_IO : CS_OK;
}
