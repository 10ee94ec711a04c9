/* layout: pages of positioned words into blocks.
 *
 * Words on one baseline band form a row, sorted left to right; a gap of
 * more than SEG_GAP ems cuts a row into segments. A row of one segment is a
 * line of prose. Consecutive rows of two or more segments, with the short
 * lines that wrap inside their cells, are a table: its columns are the x
 * ranges that the segments cover, found where no segment (or, on a long
 * table, at most one spanning header) crosses. A new table row starts after
 * a blank band, when a value lands in a column whose cell already holds a
 * number, or when bold header rows give way to body rows. Two or three
 * columns of long lines are prose set in columns, read column by column.
 *
 * Prose lines join into a paragraph until a blank band, a change of font
 * size or weight, a label (bullet or paragraph number, which is taken off),
 * an outdent, or a short line that ends a sentence; a paragraph continues
 * across a page break when its last line did not end one. A line ending in
 * a hyphen joins the next without a space. */
#include "layout.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEG_GAP 1.0      /* ems between two words that cut a row into segments */
#define MARGIN_ZONE 0.12 /* share of the page height at top and bottom holding running lines */

typedef struct {
    double x1, y1, x2, y2, size;
    int bold;
    size_t off, len; /* text in l->arena */
} lword;

typedef struct {
    size_t w0, nw; /* words in l->w, left to right */
    double x1, y1, x2, y2, size;
    int bold;      /* every word of it is bold */
} lseg;

typedef struct {
    size_t s0, ns; /* segments in l->s, left to right */
    double x1, y1, x2, y2, size;
    int page;
    const char *drop; /* why the row is boilerplate (static), or NULL */
} lrow;

typedef struct {
    double w, h;
    size_t r0, nr; /* rows in l->r, top to bottom */
} lpage;

struct layout {
    buf arena;
    lword *w;
    size_t nw, capw, page_w0; /* the current page's words are [page_w0, nw) */
    lseg *s;
    size_t ns, caps;
    lrow *r;
    size_t nr, capr;
    lpage *p;
    size_t np, capp;
    double hist_size[64];  /* font sizes seen, with their character counts */
    size_t hist_chars[64];
    int nhist;
};

layout *layout_new(void)
{
    layout *l = cs_xcalloc(1, sizeof *l);
    buf_init(&l->arena, 0);
    return l;
}

void layout_free(layout *l)
{
    if (!l)
        return;
    buf_free(&l->arena);
    free(l->w);
    free(l->s);
    free(l->r);
    free(l->p);
    free(l);
}

void layout_begin_page(layout *l, double width, double height)
{
    cs_grow(&l->p, &l->capp, l->np + 1, sizeof *l->p);
    l->p[l->np++] = (lpage){width, height, l->nr, 0};
    l->page_w0 = l->nw;
}

static void count_size(layout *l, double size, size_t chars)
{
    double key = floor(size * 2 + 0.5) / 2;
    for (int i = 0; i < l->nhist; i++)
        if (l->hist_size[i] == key) {
            l->hist_chars[i] += chars;
            return;
        }
    if (l->nhist < 64) {
        l->hist_size[l->nhist] = key;
        l->hist_chars[l->nhist++] = chars;
    }
}

void layout_add_word(layout *l, const char *s, size_t n, double x1, double y1, double x2, double y2, double size,
                     int bold)
{
    if (!n || !(x2 >= x1) || !(y2 >= y1) || !isfinite(x1) || !isfinite(y1) || !isfinite(x2) || !isfinite(y2))
        return;
    cs_grow(&l->w, &l->capw, l->nw + 1, sizeof *l->w);
    if (!(size > 0 && size < 1000))
        size = y2 - y1 > 0 ? y2 - y1 : 10;
    l->w[l->nw++] = (lword){x1, y1, x2, y2, size, bold, l->arena.len, n};
    buf_put(&l->arena, s, n);
    count_size(l, size, n);
}

/* ---- rows and segments --------------------------------------------------- */

static int cmp_mid_y(const void *a, const void *b)
{
    const lword *x = a, *y = b;
    double mx = x->y1 + x->y2, my = y->y1 + y->y2;
    return mx < my ? -1 : mx > my ? 1 : (x->x1 < y->x1 ? -1 : x->x1 > y->x1);
}

static int cmp_x(const void *a, const void *b)
{
    const lword *x = a, *y = b;
    return x->x1 < y->x1 ? -1 : x->x1 > y->x1;
}

/* Does word w share the baseline band [y1, y2]? */
static int in_band(const lword *w, double y1, double y2)
{
    double ov = fmin(w->y2, y2) - fmax(w->y1, y1);
    double h = fmin(w->y2 - w->y1, y2 - y1);
    return ov > 0 && ov >= 0.5 * h;
}

static void add_segment(layout *l, size_t w0, size_t nw)
{
    cs_grow(&l->s, &l->caps, l->ns + 1, sizeof *l->s);
    lseg *s = &l->s[l->ns++];
    *s = (lseg){w0, nw, l->w[w0].x1, l->w[w0].y1, l->w[w0].x2, l->w[w0].y2, 0, 1};
    for (size_t i = w0; i < w0 + nw; i++) {
        const lword *w = &l->w[i];
        s->x1 = fmin(s->x1, w->x1), s->y1 = fmin(s->y1, w->y1);
        s->x2 = fmax(s->x2, w->x2), s->y2 = fmax(s->y2, w->y2);
        s->size = fmax(s->size, w->size);
        s->bold &= w->bold;
    }
}

/* A footnote marker that stands as a word of its own ("1 The ambition
 * ..." at the foot of a page): small digits raised above the row's
 * baseline become superscript digits, which no figure rule reads. */
static void raise_markers(layout *l, size_t w0, size_t nw)
{
    double size = 0, base = 0;
    for (size_t i = w0; i < w0 + nw; i++)
        size = fmax(size, l->w[i].size);
    for (size_t i = w0; i < w0 + nw; i++)
        if (l->w[i].size >= 0.9 * size)
            base = fmax(base, l->w[i].y2);
    static const char *const sup[10] = {"\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3", "\xE2\x81\xB4",
                                        "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
    for (size_t i = w0; i < w0 + nw; i++) {
        lword *w = &l->w[i];
        const char *t = l->arena.ptr + w->off;
        if (w->len > 3 || strspn(t, "0123456789") < w->len || w->size > 0.9 * size || w->y2 > base - 0.2 * w->size)
            continue;
        size_t off = l->arena.len;
        for (size_t k = 0; k < w->len; k++)
            buf_puts(&l->arena, sup[l->arena.ptr[w->off + k] - '0']);
        w->off = off;
        w->len = l->arena.len - off;
    }
}

/* Words [w0, w0 + nw) of one band into a row of segments. */
static void add_row(layout *l, size_t w0, size_t nw)
{
    qsort(l->w + w0, nw, sizeof *l->w, cmp_x);
    raise_markers(l, w0, nw);
    cs_grow(&l->r, &l->capr, l->nr + 1, sizeof *l->r);
    lrow *r = &l->r[l->nr++];
    memset(r, 0, sizeof *r);
    r->s0 = l->ns;
    r->page = (int)l->np;
    size_t start = w0;
    for (size_t i = w0 + 1; i <= w0 + nw; i++) {
        if (i < w0 + nw) {
            double em = fmax(l->w[i].size, l->w[i - 1].size);
            if (l->w[i].x1 - l->w[i - 1].x2 <= SEG_GAP * em)
                continue;
        }
        add_segment(l, start, i - start);
        start = i;
    }
    r->ns = l->ns - r->s0;
    const lseg *s = &l->s[r->s0];
    r->x1 = s[0].x1, r->x2 = s[r->ns - 1].x2, r->y1 = s[0].y1, r->y2 = s[0].y2;
    for (size_t k = 0; k < r->ns; k++) {
        r->y1 = fmin(r->y1, s[k].y1), r->y2 = fmax(r->y2, s[k].y2);
        r->size = fmax(r->size, s[k].size);
    }
}

void layout_end_page(layout *l)
{
    lpage *pg = &l->p[l->np - 1];
    size_t w0 = l->page_w0, n = l->nw - w0;
    if (!n) {
        pg->nr = 0; /* a page without text; l->w may still be NULL */
        return;
    }
    qsort(l->w + w0, n, sizeof *l->w, cmp_mid_y);
    size_t start = w0;
    double y1 = 0, y2 = 0;
    for (size_t i = w0; i < l->nw; i++) {
        const lword *w = &l->w[i];
        if (i > start && !in_band(w, y1, y2)) {
            add_row(l, start, i - start);
            start = i;
        }
        if (i == start)
            y1 = w->y1, y2 = w->y2;
    }
    if (l->nw > start)
        add_row(l, start, l->nw - start);
    pg->nr = l->nr - pg->r0;
}

/* ---- text helpers ---------------------------------------------------------- */

static const char *wtext(const layout *l, const lword *w)
{
    return l->arena.ptr + w->off;
}

/* Appends the words of segment s (from word k on) to b, one space apart. */
static void seg_text(const layout *l, const lseg *s, size_t k, buf *b)
{
    for (size_t i = s->w0 + k; i < s->w0 + s->nw; i++) {
        if (b->len && b->ptr[b->len - 1] != '\t')
            buf_putc(b, ' ');
        buf_put(b, wtext(l, &l->w[i]), l->w[i].len);
    }
}

/* Appends text to b, which holds a line or cell so far: after a hyphen that
 * ends a word, with no space. */
static void join_text(buf *b, const char *s, size_t n)
{
    if (b->len) {
        int hyphen = b->len >= 2 && b->ptr[b->len - 1] == '-' && isalpha((unsigned char)b->ptr[b->len - 2]) &&
                     n && islower((unsigned char)s[0]);
        int soft = b->len >= 2 && (unsigned char)b->ptr[b->len - 2] == 0xC2 && (unsigned char)b->ptr[b->len - 1] == 0xAD;
        if (soft)
            b->len -= 2, b->ptr[b->len] = '\0';
        else if (!hyphen)
            buf_putc(b, ' ');
    }
    buf_put(b, s, n);
}

static int is_bullet(const char *s, size_t n)
{
    static const char *const marks[] = {"\xE2\x80\xA2", "\xE2\x97\xBC", "\xE2\x96\xAA", "\xE2\x97\x8F", "\xC2\xB7",
                                        "\xE2\x96\xA0", "\xE2\x96\xA1", "\xE2\x97\xA6", "\xE2\x9E\xA2", "\xE2\x9C\x93",
                                        "\xE2\x80\x93", "-", "*", "o", "\xEF\x82\xA7", NULL};
    for (int i = 0; marks[i]; i++)
        if (strlen(marks[i]) == n && !memcmp(s, marks[i], n))
            return 1;
    return 0;
}

/* A paragraph number: "1.", "2.3", "(a)", "b)", "iv."; a bare number of up
 * to three digits only when alone (strict = 0: it stood apart in its own
 * segment). */
static int is_enumerator(const char *s, size_t n, int strict)
{
    if (!n || n > 8)
        return 0;
    size_t i = 0, e = n;
    int paren = s[0] == '(';
    if (paren)
        i++;
    int closing = s[e - 1] == ')' || s[e - 1] == '.';
    if (closing)
        e--;
    if (paren && !(e < n && s[e] == ')'))
        return 0;
    if (i >= e)
        return 0;
    int digits = 0, dots = 0, letters = 0;
    for (size_t k = i; k < e; k++) {
        if (isdigit((unsigned char)s[k]))
            digits++;
        else if (s[k] == '.' && k > i && isdigit((unsigned char)s[k - 1]))
            dots++;
        else if (strchr("ivxlcIVXLCabcdefghjkABCDEFGHJK", s[k]))
            letters++;
        else
            return 0;
    }
    if (digits && letters)
        return 0;
    if (letters)
        return (paren || closing) && (letters == 1 || !strspn(s + i, "abcdefghjkABCDEFGHJK"));
    if (digits > 3 && !dots)
        return 0;
    return closing || paren || dots || !strict;
}

/* ---- running headers and footers ---------------------------------------- */

/* A row's text for comparing across pages: lower case, digits as '#',
 * no spaces. */
static void row_key(const layout *l, const lrow *r, buf *b)
{
    buf_reset(b);
    for (size_t k = r->s0; k < r->s0 + r->ns; k++)
        for (size_t i = l->s[k].w0; i < l->s[k].w0 + l->s[k].nw; i++) {
            const char *t = wtext(l, &l->w[i]);
            for (size_t j = 0; j < l->w[i].len; j++) {
                unsigned char c = (unsigned char)t[j];
                buf_putc(b, isdigit(c) ? '#' : (char)tolower(c));
            }
        }
}

/* "12", "Page 3", "Page | 4", "5 of 40", "- 6 -", "iv": nothing but a page
 * number. */
static int is_page_number(const char *key)
{
    const char *s = key;
    if (!strncmp(s, "page", 4))
        s += 4;
    int digits = 0;
    for (; *s; s++) {
        if (*s == '#')
            digits++;
        else if (!strchr("|-.()/:", *s) && strncmp(s, "of", 2) && strncmp(s, "\xE2\x80\x93", 3))
            return !digits && strspn(key, "ivxlc") == strlen(key) && strlen(key) <= 5 && *key;
        else if (!strncmp(s, "of", 2))
            s++;
        else if (!strncmp(s, "\xE2\x80\x93", 3))
            s += 2;
    }
    return digits > 0;
}

static int in_margin(const layout *l, const lrow *r, size_t index_on_page)
{
    const lpage *pg = &l->p[r->page - 1];
    if (pg->h <= 0)
        return 0;
    int top = r->y2 < pg->h * MARGIN_ZONE && index_on_page < 3;
    int bottom = r->y1 > pg->h * (1 - MARGIN_ZONE) && index_on_page + 3 >= pg->nr;
    return top || bottom;
}

typedef struct {
    char *key;
    size_t row;
} margin_line;

static int cmp_margin(const void *a, const void *b)
{
    const margin_line *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row < y->row ? -1 : x->row > y->row);
}

/* Marks running headers, footers and page numbers: rows in the margins
 * whose text, digits aside, comes back on several pages. */
static void mark_running(layout *l)
{
    margin_line *m = NULL;
    size_t nm = 0, cap = 0;
    buf b;
    buf_init(&b, 0);
    for (size_t p = 0; p < l->np; p++)
        for (size_t i = 0; i < l->p[p].nr; i++) {
            size_t ri = l->p[p].r0 + i;
            if (!in_margin(l, &l->r[ri], i))
                continue;
            row_key(l, &l->r[ri], &b);
            if (is_page_number(buf_str(&b))) {
                l->r[ri].drop = "page number";
                continue;
            }
            cs_grow(&m, &cap, nm + 1, sizeof *m);
            m[nm++] = (margin_line){buf_detach(&b), ri};
        }
    if (nm)
        qsort(m, nm, sizeof *m, cmp_margin);
    for (size_t i = 0; i < nm;) {
        size_t j = i, pages = 0;
        int last = 0;
        for (; j < nm && !strcmp(m[j].key, m[i].key); j++)
            if (l->r[m[j].row].page != last)
                pages++, last = l->r[m[j].row].page;
        if (pages >= 2 && (pages >= 3 || l->np <= 3) && pages * 5 >= l->np)
            for (size_t k = i; k < j; k++) {
                lrow *r = &l->r[m[k].row];
                r->drop = r->y1 < l->p[r->page - 1].h / 2 ? "running header: the same line on other pages"
                                                          : "running footer: the same line on other pages";
            }
        i = j;
    }
    for (size_t i = 0; i < nm; i++)
        free(m[i].key);
    free(m);
    buf_free(&b);
}

/* ---- blocks ------------------------------------------------------------------ */

/* The paragraph being built, and what the emitter needs to know of the last
 * line it took. */
typedef struct {
    doc *d;
    const layout *l;
    double body;            /* the body font size: the size of most characters */
    buf text;
    int open;
    doc_block_kind kind;
    int page;               /* of the first character */
    size_t mark_at[16];     /* page breaks inside the paragraph: offset in text */
    int mark_page[16];
    int nmarks;
    int lines, bold, label;
    double size, gap;       /* the paragraph's font size; its usual line gap */
    double x1, x2, y1, y2;  /* the last line */
    int last_page;
    double right;           /* right edge of the prose on the last line's page */
    size_t *held;           /* dropped rows waiting for the paragraph to end */
    size_t nheld, capheld;
    double title_size;      /* the first page's largest heading so far */
    char *title;
} emitter;

typedef struct {
    buf text;
    double x1, x2, y1, y2, size;
    double first;           /* width of the first word */
    int bold, label, page;  /* label: 0 none, 1 bullet, 2 paragraph number */
} line;

static int ends_sentence(const buf *b)
{
    size_t n = b->len;
    while (n && (b->ptr[n - 1] == '"' || b->ptr[n - 1] == ')' || (unsigned char)b->ptr[n - 1] >= 0x80))
        n--; /* closing quotes and brackets */
    return n && strchr(".!?:;", b->ptr[n - 1]);
}

static size_t add_block(emitter *e, doc_block_kind kind, const char *s, size_t n, int page, const char *drop)
{
    size_t off = e->d->btext.len;
    doc_mark_page(e->d, page, off);
    size_t k = doc_add_block(e->d, kind, s, n);
    doc_block *b = &e->d->blocks[k];
    b->page = page;
    if (drop) {
        b->keep = 0;
        b->why = drop;
    }
    return k;
}

static void emit_row_text(emitter *e, size_t ri, doc_block_kind kind, const char *drop)
{
    const lrow *r = &e->l->r[ri];
    buf b;
    buf_init(&b, 0);
    for (size_t k = r->s0; k < r->s0 + r->ns; k++) {
        if (k > r->s0)
            buf_putc(&b, kind == DOC_BLOCK_ROW ? '\t' : ' ');
        seg_text(e->l, &e->l->s[k], 0, &b);
    }
    add_block(e, kind, b.ptr ? b.ptr : "", b.len, r->page, drop);
    buf_free(&b);
}

static int heading_level(const emitter *e)
{
    size_t chars = doc_utf8_chars(e->text.ptr, e->text.len);
    if (e->label == 1 || chars > 200 || !e->body)
        return 0;
    double ratio = e->size / e->body;
    if (ratio >= 1.15)
        return ratio >= 1.7 ? 1 : ratio >= 1.35 ? 2 : 3;
    if (e->bold && chars <= 120 && e->lines <= 2 && e->text.ptr[e->text.len - 1] != '.' &&
        e->text.ptr[e->text.len - 1] != ',')
        return 4;
    return 0;
}

/* The length of a section number opening a heading ("2.", "1.3", "(a)")
 * with the space after it, or 0. */
static size_t section_number(const buf *t)
{
    const char *sp = memchr(t->ptr, ' ', t->len);
    if (!sp || sp == t->ptr)
        return 0;
    size_t n = (size_t)(sp - t->ptr);
    return is_enumerator(t->ptr, n, 1) && strpbrk(t->ptr, ".)") < sp ? n + 1 : 0;
}

static void flush(emitter *e)
{
    if (e->open && e->text.len) {
        int level = heading_level(e);
        doc_block_kind kind = level ? DOC_BLOCK_HEADING : e->kind;
        size_t off = e->d->btext.len, skip = level ? section_number(&e->text) : 0;
        if (skip) /* the page marks count from the text's start */
            for (int i = 0; i < e->nmarks; i++)
                e->mark_at[i] = e->mark_at[i] > skip ? e->mark_at[i] - skip : 0;
        size_t k = add_block(e, kind, e->text.ptr + skip, e->text.len - skip, e->page, NULL);
        e->d->blocks[k].level = level;
        for (int i = 0; i < e->nmarks; i++)
            doc_mark_page(e->d, e->mark_page[i], off + e->mark_at[i]);
        if (level && e->page == 1 && e->size > e->title_size && memchr(e->text.ptr + skip, ' ', e->text.len - skip)) {
            e->title_size = e->size;
            free(e->title);
            e->title = cs_xstrndup(e->text.ptr + skip, e->text.len - skip);
        }
    }
    e->open = 0;
    e->nmarks = 0;
    buf_reset(&e->text);
    for (size_t i = 0; i < e->nheld; i++)
        emit_row_text(e, e->held[i], DOC_BLOCK_PARA, e->l->r[e->held[i]].drop);
    e->nheld = 0;
}

/* A bold label standing alone on its line ("Present:", "In attendance:")
 * introduces the text below it, which reads on from it. */
static int lead_label(const emitter *e, const line *x)
{
    return e->open && e->lines == 1 && e->bold && !x->bold && !x->label && x->page == e->last_page &&
           e->text.len <= 40 && e->text.ptr[e->text.len - 1] == ':' && x->y1 - e->y2 < 1.5 * x->size;
}

/* Does line x open a new paragraph after the open one? */
static int breaks(const emitter *e, const line *x)
{
    if (lead_label(e, x))
        return 0;
    if (!e->open || x->label)
        return 1;
    if (x->page != e->last_page)
        return e->kind == DOC_BLOCK_HEADING || ends_sentence(&e->text) || fabs(x->size - e->size) >= 0.6 ||
               x->bold != e->bold;
    double em = fmax(x->size, 1), gap = x->y1 - e->y2;
    if (gap > 0.45 * em || (e->lines >= 2 && gap > e->gap + 0.25 * em) || gap < -0.5 * em)
        return 1;
    if (fabs(x->size - e->size) >= 0.6 || x->bold != e->bold)
        return 1;
    if ((x->x1 < e->x1 - em && e->lines >= 2) || x->x1 > e->x1 + 2 * em)
        return 1; /* an outdent after the first line, or an indent */
    /* The last line stopped short although the next word would have fit:
     * the paragraph ended there. */
    return e->x2 + x->first + em < e->right;
}

static void take_line(emitter *e, line *x)
{
    if (breaks(e, x)) {
        flush(e);
        e->open = 1;
        e->kind = x->label == 1 ? DOC_BLOCK_ITEM : DOC_BLOCK_PARA;
        e->page = x->page;
        e->lines = 0;
        e->size = x->size;
        e->bold = x->bold;
        e->label = x->label;
        e->gap = 0;
    } else {
        if (lead_label(e, x))
            e->bold = 0, e->size = x->size; /* the label and its text are one paragraph */
        if (x->page != e->last_page && e->nmarks < 16) {
            e->mark_at[e->nmarks] = e->text.len + 1;
            e->mark_page[e->nmarks++] = x->page;
        } else if (e->lines == 1) {
            e->gap = x->y1 - e->y2;
        }
    }
    join_text(&e->text, x->text.ptr ? x->text.ptr : "", x->text.len);
    e->lines++;
    e->x1 = x->x1, e->x2 = x->x2, e->y1 = x->y1, e->y2 = x->y2;
    e->last_page = x->page;
}

/* The label that segments [k0, k1) of a row open with, if any: a separate
 * first segment that is a bullet or paragraph number, or a first word that
 * is one. Returns 0 none, 1 bullet, 2 number; *skip_seg / *skip_word say
 * what to leave out. */
static int seg_label(const layout *l, size_t k0, size_t k1, size_t *skip_seg, size_t *skip_word)
{
    *skip_seg = *skip_word = 0;
    const lseg *s = &l->s[k0];
    const lword *w = &l->w[s->w0];
    const char *t = wtext(l, w);
    if (k1 - k0 == 2 && s->nw == 1) {
        if (is_bullet(t, w->len) || is_enumerator(t, w->len, 0)) {
            *skip_seg = 1;
            return is_bullet(t, w->len) ? 1 : 2;
        }
    }
    /* Within a line, a number is a label only when it ends in "." or ")"
     * and stands a wide gap before its text: "2.00 pm" wrapped to the
     * start of a line is text. */
    double gap = s->nw > 1 ? l->w[s->w0 + 1].x1 - w->x2 : 0;
    int enumerator = is_enumerator(t, w->len, 1) && strchr(".)", t[w->len - 1]) && gap >= 0.5 * w->size;
    if (k1 - k0 == 1 && s->nw > 1 && (is_bullet(t, w->len) || enumerator)) {
        *skip_word = 1;
        return is_bullet(t, w->len) ? 1 : 2;
    }
    return 0;
}

/* A row of several segments that is not a labelled line. */
static int row_multi(const layout *l, const lrow *r)
{
    size_t a, b;
    return r->ns >= 2 && !seg_label(l, r->s0, r->s0 + r->ns, &a, &b);
}

/* Segments [k0, k1) of row ri as one line of prose. */
static void prose_segs(emitter *e, size_t ri, size_t k0, size_t k1)
{
    const lrow *r = &e->l->r[ri];
    size_t skip_seg, skip_word;
    line x;
    memset(&x, 0, sizeof x);
    buf_init(&x.text, 0);
    x.label = seg_label(e->l, k0, k1, &skip_seg, &skip_word);
    const lseg *s = &e->l->s[k0 + skip_seg];
    seg_text(e->l, s, skip_word, &x.text);
    for (size_t k = k0 + skip_seg + 1; k < k1; k++)
        seg_text(e->l, &e->l->s[k], 0, &x.text);
    x.x1 = e->l->w[s->w0 + skip_word].x1;
    x.first = e->l->w[s->w0 + skip_word].x2 - x.x1;
    x.x2 = e->l->s[k1 - 1].x2, x.y1 = s->y1, x.y2 = s->y2, x.size = s->size, x.bold = s->bold, x.page = r->page;
    for (size_t k = k0 + skip_seg; k < k1; k++) {
        x.y1 = fmin(x.y1, e->l->s[k].y1), x.y2 = fmax(x.y2, e->l->s[k].y2);
        x.bold &= e->l->s[k].bold;
    }
    if (x.text.len)
        take_line(e, &x);
    buf_free(&x.text);
}

static void prose_row(emitter *e, size_t ri)
{
    const lrow *r = &e->l->r[ri];
    prose_segs(e, ri, r->s0, r->s0 + r->ns);
}

/* ---- tables ------------------------------------------------------------------ */

typedef struct {
    double x1, x2;
} span;

#define MAX_COLS 32

/* The end of the table whose first row of several segments is a: further
 * such rows, and the single short lines between and after them that wrap
 * inside a cell. *nmulti gets the number of rows of several segments. */
static size_t table_run(const layout *l, size_t a, size_t end, size_t *nmulti)
{
    size_t last = a;
    double tx1 = l->r[a].x1, tx2 = l->r[a].x2;
    *nmulti = 1;
    for (size_t j = a + 1; j < end; j++) {
        const lrow *r = &l->r[j], *q = &l->r[j - 1];
        double lh = fmax(q->y2 - q->y1, 1), gap = r->y1 - q->y2;
        if (r->drop || gap > 2.5 * lh)
            break;
        if (row_multi(l, r)) {
            last = j;
            (*nmulti)++;
            tx1 = fmin(tx1, r->x1), tx2 = fmax(tx2, r->x2);
        } else if (j - last > 12 || r->x2 - r->x1 > 0.6 * (tx2 - tx1) || r->x1 < tx1 - lh || r->x2 > tx2 + lh) {
            break;
        }
    }
    /* Single lines after the last row of several segments wrap in its cells
     * only while they follow closely. */
    size_t j = last + 1;
    while (j < end && j <= last + 12) {
        const lrow *r = &l->r[j], *q = &l->r[j - 1];
        double lh = fmax(q->y2 - q->y1, 1);
        if (r->drop || row_multi(l, r) || r->y1 - q->y2 > 1.2 * lh || r->x2 - r->x1 > 0.6 * (tx2 - tx1) ||
            r->x1 < tx1 - lh || r->x2 > tx2 + lh)
            break;
        j++;
    }
    return j;
}

/* Offset off (points from the table's left edge) as an index of a cover
 * array of nb slots, clamped before the cast: a hostile PDF's coordinates
 * can be huge, and converting those to size_t is undefined. */
static size_t cover_index(double off, size_t nb)
{
    return (size_t)fmin(fmax(off, 0), (double)nb);
}

/* The columns of table rows [a, b): the x ranges that the segments of its
 * rows of several segments cover, where a long table may have one segment
 * (a spanning header) across a gap. Returns their number, at most max. */
static size_t table_columns(const layout *l, size_t a, size_t b, span *cols, size_t max)
{
    double tx1 = 1e9, tx2 = -1e9;
    size_t nmulti = 0;
    for (size_t i = a; i < b; i++)
        if (row_multi(l, &l->r[i]))
            tx1 = fmin(tx1, l->r[i].x1), tx2 = fmax(tx2, l->r[i].x2), nmulti++;
    size_t nb = (size_t)fmin(fmax(tx2 - tx1, 0), 5000) + 2;
    unsigned *cover = cs_xcalloc(nb, sizeof *cover);
    for (size_t i = a; i < b; i++) {
        const lrow *r = &l->r[i];
        if (!row_multi(l, r))
            continue;
        for (size_t k = r->s0; k < r->s0 + r->ns; k++) {
            size_t from = cover_index(l->s[k].x1 - tx1, nb), to = cover_index(l->s[k].x2 - tx1, nb);
            for (size_t x = from; x <= to && x < nb; x++)
                cover[x]++;
        }
    }
    unsigned t = nmulti >= 6 ? 1 : 0;
    size_t n = 0;
    for (size_t x = 0; x < nb;) {
        if (cover[x] <= t) {
            x++;
            continue;
        }
        size_t y = x;
        while (y < nb && cover[y] > t)
            y++;
        if (n && tx1 + (double)x - cols[n - 1].x2 < 3)
            cols[n - 1].x2 = tx1 + (double)y; /* a sliver of a gap: the same column */
        else if (n < max)
            cols[n++] = (span){tx1 + (double)x, tx1 + (double)y};
        else
            cols[n - 1].x2 = tx1 + (double)y;
        x = y;
    }
    free(cover);
    return n;
}

static size_t column_of(const span *cols, size_t n, double x1)
{
    for (size_t c = 0; c < n; c++)
        if (x1 < cols[c].x2)
            return c;
    return n ? n - 1 : 0;
}

/* Nothing but a number: digits with currency, per cent, separators,
 * brackets and signs. */
static int numeric_cell(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            digits++;
        else if (!strchr(" ,.%()-+$", c) && !(c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA3 && ++i) &&
                 !(c == 0xE2 && i + 2 < n && ((unsigned char)s[i + 2] == 0xAC || (unsigned char)s[i + 2] == 0x93) &&
                   (i += 2)))
            return 0;
    }
    return digits > 0;
}

static int row_bold(const layout *l, const lrow *r)
{
    for (size_t k = r->s0; k < r->s0 + r->ns; k++)
        if (!l->s[k].bold)
            return 0;
    return 1;
}

static void put_row(emitter *e, buf *cells, size_t nc, int page)
{
    buf b;
    buf_init(&b, 0);
    size_t last = 0;
    for (size_t c = 0; c < nc; c++)
        if (cells[c].len)
            last = c + 1;
    for (size_t c = 0; c < last; c++) {
        if (c)
            buf_putc(&b, '\t');
        buf_put(&b, cells[c].ptr ? cells[c].ptr : "", cells[c].len);
        buf_reset(&cells[c]);
    }
    if (b.len)
        add_block(e, DOC_BLOCK_ROW, b.ptr, b.len, page, NULL);
    buf_free(&b);
}

/* Table rows [a, b) as DOC_BLOCK_ROW blocks, one per table row, cells by
 * column, a cell's lines joined. */
static void emit_table(emitter *e, size_t a, size_t b, const span *cols, size_t nc)
{
    const layout *l = e->l;
    buf cells[MAX_COLS], tmp;
    int numeric[MAX_COLS] = {0};
    for (size_t c = 0; c < nc; c++)
        buf_init(&cells[c], 0);
    buf_init(&tmp, 0);
    int any = 0, bold = 1, page = l->r[a].page, bands = 0;
    unsigned first = 0; /* the columns of the row's first line */
    for (size_t i = a; i < b; i++) {
        const lrow *r = &l->r[i];
        unsigned mask = 0;
        int lower = 1;
        for (size_t k = r->s0; k < r->s0 + r->ns; k++) {
            mask |= 1u << column_of(cols, nc, l->s[k].x1);
            lower &= islower((unsigned char)l->arena.ptr[l->w[l->s[k].w0].off]) != 0;
        }
        if (any) {
            const lrow *q = &l->r[i - 1];
            /* A one-line row followed by a line in the same columns: a grid
             * of one-line rows, unless the line reads on in lower case. */
            int grid = bands == 1 && r->ns >= 2 && mask == first && !lower;
            int brk = grid || r->y1 - q->y2 > 0.6 * fmax(q->y2 - q->y1, 1) || (bold && !row_bold(l, r));
            for (size_t k = r->s0; k < r->s0 + r->ns && !brk; k++) {
                size_t c = column_of(cols, nc, l->s[k].x1);
                brk = cells[c].len && numeric[c];
            }
            if (brk) {
                put_row(e, cells, nc, page);
                memset(numeric, 0, sizeof numeric);
                any = 0, bold = 1, page = r->page, bands = 0;
            }
        }
        if (!bands++)
            first = mask;
        for (size_t k = r->s0; k < r->s0 + r->ns; k++) {
            size_t c = column_of(cols, nc, l->s[k].x1);
            buf_reset(&tmp);
            seg_text(l, &l->s[k], 0, &tmp);
            join_text(&cells[c], tmp.ptr ? tmp.ptr : "", tmp.len);
            numeric[c] = numeric_cell(cells[c].ptr, cells[c].len);
        }
        bold &= row_bold(l, r);
        any = 1;
    }
    put_row(e, cells, nc, page);
    for (size_t c = 0; c < nc; c++)
        buf_free(&cells[c]);
    buf_free(&tmp);
}

/* Two or three columns of long lines: prose set in columns. */
static int prose_columns(const layout *l, size_t a, size_t b, size_t nc)
{
    size_t segs = 0, words = 0, multi = 0;
    for (size_t i = a; i < b; i++) {
        const lrow *r = &l->r[i];
        if (!row_multi(l, r))
            continue;
        multi++;
        for (size_t k = r->s0; k < r->s0 + r->ns; k++)
            segs++, words += l->s[k].nw;
    }
    return nc >= 2 && nc <= 3 && multi >= 5 && words >= 6 * segs;
}

/* Table rows [a, b) read column by column, each column as prose. */
static void emit_columns(emitter *e, size_t a, size_t b, const span *cols, size_t nc)
{
    for (size_t c = 0; c < nc; c++) {
        for (size_t i = a; i < b; i++) {
            const lrow *r = &e->l->r[i];
            for (size_t k = r->s0; k < r->s0 + r->ns; k++)
                if (column_of(cols, nc, e->l->s[k].x1) == c)
                    prose_segs(e, i, k, k + 1);
        }
        flush(e);
    }
}

/* ---- the document ------------------------------------------------------------ */

static double body_size(const layout *l)
{
    double best = 0;
    size_t most = 0;
    for (int i = 0; i < l->nhist; i++)
        if (l->hist_chars[i] > most)
            most = l->hist_chars[i], best = l->hist_size[i];
    return best;
}

/* The right edge of the prose of page p: where its longer single lines end. */
static double prose_right(const layout *l, const lpage *pg)
{
    double right = 0;
    for (size_t i = pg->r0; i < pg->r0 + pg->nr; i++)
        if (l->r[i].ns == 1 && !l->r[i].drop && l->s[l->r[i].s0].nw >= 4)
            right = fmax(right, l->r[i].x2);
    return right;
}

/* Rows of one page from row i: a table or a line of prose; returns the next row. */
static size_t emit_rows(emitter *e, size_t i, size_t end)
{
    const layout *l = e->l;
    const lrow *r = &l->r[i];
    if (r->drop) {
        if (e->open) {
            cs_grow(&e->held, &e->capheld, e->nheld + 1, sizeof *e->held);
            e->held[e->nheld++] = i;
        } else {
            emit_row_text(e, i, DOC_BLOCK_PARA, r->drop);
        }
        return i + 1;
    }
    if (!row_multi(l, r)) {
        prose_row(e, i);
        return i + 1;
    }
    size_t nmulti, stop = table_run(l, i, end, &nmulti);
    flush(e);
    if (nmulti < 2) {
        emit_row_text(e, i, DOC_BLOCK_ROW, NULL);
        return i + 1;
    }
    span cols[MAX_COLS];
    size_t nc = table_columns(l, i, stop, cols, MAX_COLS);
    if (prose_columns(l, i, stop, nc))
        emit_columns(e, i, stop, cols, nc);
    else
        emit_table(e, i, stop, cols, nc);
    return stop;
}

/* The page number a contents line ends with ("3.1.1 The agents\t9"), or
 * -1: a last cell of one to three digits after a cell with words. */
static int contents_page(const doc *d, size_t i)
{
    const doc_block *b = &d->blocks[i];
    const char *s = doc_block_text(d, i), *tab = NULL;
    for (size_t k = b->len; k-- > 0 && !tab;)
        if (s[k] == '\t')
            tab = s + k;
    if (b->kind != DOC_BLOCK_ROW || !tab)
        return -1;
    size_t n = b->len - (size_t)(tab + 1 - s), letters = 0;
    if (!n || n > 3 || strspn(tab + 1, "0123456789") < n)
        return -1;
    for (const char *p = s; p < tab; p++)
        letters += isalpha((unsigned char)*p) != 0;
    return letters >= 3 ? atoi(tab + 1) : -1;
}

/* A table of contents (three or more rows of titles with page numbers
 * that never go back, move on, and stay within the document's pages) is
 * the document's map, not its content. */
static void drop_contents(doc *d, int pages)
{
    for (size_t i = 0; i < d->nblocks;) {
        size_t j = i;
        int first = contents_page(d, i), last = 0;
        for (; j < d->nblocks; j++) {
            int p = contents_page(d, j);
            if (p < last || p > pages + 4)
                break; /* not a contents line (-1), or no page of this document */
            last = p;
        }
        if (j - i >= 3 && last > first)
            for (size_t k = i; k < j; k++)
                d->blocks[k].keep = 0, d->blocks[k].why = "table of contents";
        i = j > i ? j : i + 1;
    }
}

void layout_emit(layout *l, doc *d)
{
    mark_running(l);
    emitter e;
    memset(&e, 0, sizeof e);
    e.d = d;
    e.l = l;
    e.body = body_size(l);
    buf_init(&e.text, 0);
    for (size_t p = 0; p < l->np; p++) {
        const lpage *pg = &l->p[p];
        e.right = prose_right(l, pg);
        for (size_t i = pg->r0; i < pg->r0 + pg->nr;)
            i = emit_rows(&e, i, pg->r0 + pg->nr);
    }
    flush(&e);
    drop_contents(d, (int)l->np);
    if (!d->title && e.title)
        doc_set_meta(&d->title, e.title, strlen(e.title), 0);
    free(e.title);
    free(e.held);
    buf_free(&e.text);
}
