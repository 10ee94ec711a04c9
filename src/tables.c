/* tables: figures in table cells, read with what the table says of them.
 * Finance tables state their unit once: a caption ("All figures in £m") or
 * a header cell ("£000", "£'000", "£m"), and write negatives in brackets.
 * A cell's figure is scaled only when it is the whole cell, so that "25%" or
 * "£23,166" written out in a text cell keep their own units. */
#include "tables.h"

#include <ctype.h>
#include <string.h>

#define MAX_COLS 64

/* The lexicons that name a money scale and word a caption. */
typedef struct {
    const rules_list *scale[3]; /* scale-thousand, scale-million, scale-billion */
    const rules_list *lead;     /* caption-scale: words just before the unit */
} vocab;

/* The money scale that the word after a "£" at s[0..n) names (1e3 "£000",
 * "£'000", "£k", "£ thousands"; 1e6 "£m", "£ millions"; 1e9 "£bn"); 1 for a
 * bare "£" heading a column (whole_cell); 0 for none. The whole word must be
 * a scale's: "£bi" is none. */
static double scale_after(const vocab *v, const char *s, size_t n, int whole_cell)
{
    static const double factor[3] = {1e3, 1e6, 1e9};
    size_t p = 0;
    while (p < n && (s[p] == ' ' || s[p] == '\''))
        p++;
    size_t w = p;
    while (w < n && isalnum((unsigned char)s[w]))
        w++;
    for (int k = 0; k < 3 && w > p; k++)
        if (rules_list_has(v->scale[k], s + p, w - p))
            return factor[k];
    return whole_cell && p == n ? 1 : 0;
}

/* The first money scale that s[0..n) names, and in *at the offset of its
 * "£"; 0 for none. */
static double scale_named(const vocab *v, const char *s, size_t n, int whole_cell, size_t *at)
{
    for (size_t i = 0; i + 2 <= n; i++) {
        if (!((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA3))
            continue;
        double k = scale_after(v, s + i + 2, n - i - 2, whole_cell);
        if (k) {
            *at = i;
            return k;
        }
    }
    return 0;
}

/* 1 if an entry of l ends s[0..n), spaces, a colon and an opening bracket
 * after it aside ("All figures in (£m)", "Amounts: £000"). */
static int ends_with_entry(const rules_list *l, const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '(' || s[n - 1] == ':'))
        n--;
    size_t from = n > 40 ? n - 40 : 0;
    for (size_t i = from; i < n; i++)
        if ((i == 0 || !isalnum((unsigned char)s[i - 1])) && isalnum((unsigned char)s[i]) &&
            rules_list_has(l, s + i, n - i))
            return 1;
    return 0;
}

/* A caption that states a unit for the table below it: short, or worded
 * as one ("All figures in £m", "Amounts in £000"). */
static double caption_scale(const vocab *v, const char *s, size_t n)
{
    size_t at = 0;
    double k = scale_named(v, s, n, 0, &at);
    return k && (n <= 24 || ends_with_entry(v->lead, s, at)) ? k : 0;
}

/* Cell c of the tab-separated row s[0..n): its bounds in *a, *b. */
static int cell_bounds(const char *s, size_t n, int c, size_t *a, size_t *b)
{
    size_t i = 0;
    for (int k = 0; k < c; k++) {
        const char *t = memchr(s + i, '\t', n - i);
        if (!t)
            return 0;
        i = (size_t)(t - s) + 1;
    }
    const char *t = memchr(s + i, '\t', n - i);
    *a = i;
    *b = t ? (size_t)(t - s) : n;
    return 1;
}

typedef struct {
    double table;          /* the caption's scale, 0 if none */
    double col[MAX_COLS];  /* a header cell's scale, 0 if none */
} scales;

/* Scales of the table whose rows are blocks [first, last): the caption in
 * the two kept blocks before it, and the header cells of the rows before
 * the first that holds a digit. */
static void find_scales(const doc *d, const vocab *v, size_t first, size_t last, scales *sc)
{
    memset(sc, 0, sizeof *sc);
    for (size_t i = first, seen = 0; i-- > 0 && seen < 2 && !sc->table;) {
        if (!d->blocks[i].keep)
            continue;
        seen++;
        sc->table = caption_scale(v, doc_block_text(d, i), d->blocks[i].len);
    }
    for (size_t i = first; i < last; i++) {
        const char *s = doc_block_text(d, i);
        size_t n = d->blocks[i].len;
        int digits = 0;
        for (int c = 0; c < MAX_COLS; c++) {
            size_t a, b;
            if (!cell_bounds(s, n, c, &a, &b))
                break;
            size_t at;
            double k = scale_named(v, s + a, b - a, 1, &at);
            if (k && !sc->col[c])
                sc->col[c] = k;
            for (size_t j = a; j < b; j++)
                digits |= isdigit((unsigned char)s[j]) && !(j > a && (unsigned char)s[j - 1] == 0xA3);
        }
        if (digits && i > first)
            break; /* the body has begun */
    }
}

/* Applies the scales to the figures of row block i. */
static void apply_row(const doc *d, size_t i, const scales *sc, mention_list *ms, size_t *cursor)
{
    const doc_block *b = &d->blocks[i];
    const char *t = d->text;
    size_t row = b->clean_off, end = row + b->len;
    while (*cursor < ms->n && ms->v[*cursor].start < row)
        (*cursor)++;
    for (size_t k = *cursor; k < ms->n && ms->v[k].start < end; k++) {
        mention *m = &ms->v[k];
        if (m->kind != MENTION_FIGURE || (strcmp(m->fig.unit, "count") && strcmp(m->fig.unit, "GBP")))
            continue;
        int c = 0;
        for (size_t j = row; j < m->start; j++)
            c += t[j] == '\t';
        double scale = c < MAX_COLS && sc->col[c] ? sc->col[c] : sc->table;
        if (!scale)
            continue;
        size_t a, z;
        if (!cell_bounds(t + row, b->len, c, &a, &z))
            continue;
        a += row, z += row;
        while (a < z && t[a] == ' ')
            a++;
        while (z > a && t[z - 1] == ' ')
            z--;
        int bracket = m->start == a + 1 && m->end + 1 == z && t[a] == '(' && t[z - 1] == ')';
        if (!bracket && (m->start != a || m->end != z))
            continue; /* a figure in a sentence of a text cell keeps its unit */
        if (!strcmp(m->fig.unit, "count") || scale > 1) {
            m->fig.value *= scale;
            m->fig.scale = scale > 1 ? scale : 0;
        }
        m->fig.unit = "GBP";
        if (bracket) {
            m->fig.value = -m->fig.value;
            m->start = m->fig.start = a;
            m->end = z;
        }
    }
}

void tables_apply(const doc *d, const rules_set *rs, mention_list *ms)
{
    vocab v = {{rules_lexicon(rs, "scale-thousand"), rules_lexicon(rs, "scale-million"),
                rules_lexicon(rs, "scale-billion")},
               rules_lexicon(rs, "caption-scale")};
    size_t cursor = 0;
    for (size_t i = 0; i < d->nblocks;) {
        if (d->blocks[i].kind != DOC_BLOCK_ROW || !d->blocks[i].keep) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < d->nblocks && (d->blocks[j].kind == DOC_BLOCK_ROW || !d->blocks[j].keep))
            j++;
        scales sc;
        find_scales(d, &v, i, j, &sc);
        for (size_t k = i; k < j; k++)
            if (d->blocks[k].keep)
                apply_row(d, k, &sc, ms, &cursor);
        i = j;
    }
}
