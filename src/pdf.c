/* pdf: PDF pages into blocks. poppler-glib gives each page's characters,
 * one box per character, and the font of each run; this module groups the
 * characters into words (poppler's spaces and line ends, and boxes that stop
 * touching) and hands the words with their boxes to layout, which finds rows,
 * tables, paragraphs and running headers. Footnote markers (small raised
 * digits glued to a word) become superscript digits, which no figure rule
 * reads. Poppler's objects stay in this file; they are freed by GLib's rules
 * (g_object_unref, g_free, g_bytes_unref), each at the one place it is made. */
#include "pdf.h"

#include <ctype.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* One character as poppler places it. */
typedef struct {
    gunichar c;
    PopplerRectangle r;
    double size;
    int bold;
} pchar;

/* A word being assembled from characters. */
typedef struct {
    buf text;
    double x1, y1, x2, y2;
    double size; /* the font size of its first full-size character */
    double base; /* the bottom of its first character: raised text sits above */
    int bold;
    int n;       /* characters so far */
} wordbuf;

static int is_bold_font(const char *name)
{
    return name && (strstr(name, "Bold") || strstr(name, "bold") || strstr(name, "Black") || strstr(name, "Heavy") ||
                    strstr(name, ",B"));
}

static void word_flush(layout *l, wordbuf *w)
{
    if (w->n && w->text.len)
        layout_add_word(l, w->text.ptr, w->text.len, w->x1, w->y1, w->x2, w->y2, w->size, w->bold);
    buf_reset(&w->text);
    w->n = 0;
}

/* A small character raised above the word's baseline: a footnote marker. */
static int raised(const wordbuf *w, const pchar *p)
{
    return w->n && p->size < w->size * 0.9 && p->r.y2 < w->base - w->size * 0.12;
}

static void put_char(buf *b, gunichar c)
{
    char u[8];
    int k = g_unichar_to_utf8(c, u);
    buf_put(b, u, (size_t)k);
}

/* Superscript forms of 0-9 (¹²³ live in Latin-1, the rest in U+207x). */
static gunichar superscript(gunichar c)
{
    static const gunichar sup[10] = {0x2070, 0xB9, 0xB2, 0xB3, 0x2074, 0x2075, 0x2076, 0x2077, 0x2078, 0x2079};
    return c >= '0' && c <= '9' ? sup[c - '0'] : c;
}

/* Does character p continue word w, as boxes go? Poppler's own spaces and
 * line ends already split words; this catches text that poppler joins
 * across a jump (the last word of one block run into the first of the next). */
static int continues(const wordbuf *w, const pchar *p)
{
    if (!w->n)
        return 1;
    double em = w->size > 0 ? w->size : 10;
    double gap = p->r.x1 - w->x2;
    int overlap = p->r.y1 < w->y2 && p->r.y2 > w->y1;
    return overlap && gap < em * 0.6 && gap > -em * 0.6;
}

static void word_add(layout *l, wordbuf *w, const pchar *p)
{
    if (g_unichar_isspace(p->c) || p->c == 0xA0) {
        word_flush(l, w);
        return;
    }
    if (!continues(w, p))
        word_flush(l, w);
    gunichar c = p->c;
    if (c >= '0' && c <= '9' && raised(w, p))
        c = superscript(c);
    if (!w->n) {
        w->x1 = p->r.x1, w->y1 = p->r.y1, w->x2 = p->r.x2, w->y2 = p->r.y2;
        w->size = p->size, w->base = p->r.y2, w->bold = p->bold;
    } else {
        w->x1 = fmin(w->x1, p->r.x1), w->x2 = fmax(w->x2, p->r.x2);
        if (c == p->c) { /* a marker does not widen the line's band */
            w->y1 = fmin(w->y1, p->r.y1), w->y2 = fmax(w->y2, p->r.y2);
        }
    }
    w->n++;
    /* Ligatures and other presentation forms read as their letters. */
    if (c >= 0xFB00 && c <= 0xFB06) {
        static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "ft", "st"};
        buf_puts(&w->text, lig[c - 0xFB00]);
    } else if (c >= 0xE000 && c <= 0xF8FF) {
        buf_puts(&w->text, "\xE2\x80\xA2"); /* a symbol font's private glyph: a bullet */
    } else if (c >= 0x20 || c == '\t') {
        put_char(&w->text, c);
    }
}

/* Font size and weight for each character index, from poppler's runs. */
static void apply_attributes(PopplerPage *page, pchar *pc, size_t n)
{
    GList *attrs = poppler_page_get_text_attributes(page);
    for (GList *a = attrs; a; a = a->next) {
        const PopplerTextAttributes *t = a->data;
        int bold = is_bold_font(t->font_name);
        for (int i = t->start_index; i <= t->end_index && i >= 0 && (size_t)i < n; i++) {
            pc[i].size = t->font_size;
            pc[i].bold = bold;
        }
    }
    poppler_page_free_text_attributes(attrs);
}

/* The text of free-text annotations (a stamp such as "Item 42c / 14 Nov
 * 23" added on top of a page) as words where the annotation stands: poppler
 * does not put them in the page's text, though a reader sees them. Lines
 * share the annotation's height; words are spaced by their length. */
static void read_stamps(PopplerPage *page, double height, layout *l)
{
    GList *annots = poppler_page_get_annot_mapping(page);
    for (GList *a = annots; a; a = a->next) {
        const PopplerAnnotMapping *m = a->data;
        if (poppler_annot_get_annot_type(m->annot) != POPPLER_ANNOT_FREE_TEXT)
            continue;
        gchar *text = poppler_annot_get_contents(m->annot);
        if (!text || !g_utf8_validate(text, -1, NULL)) {
            g_free(text);
            continue;
        }
        gchar **lines = g_strsplit_set(text, "\r\n", -1);
        guint n = g_strv_length(lines);
        double top = height - fmax(m->area.y1, m->area.y2), h = fabs(m->area.y2 - m->area.y1) / (n ? n : 1);
        for (guint i = 0; i < n; i++) {
            double x = fmin(m->area.x1, m->area.x2), size = h * 0.8;
            gchar **words = g_strsplit(lines[i], " ", -1);
            for (gchar **w = words; *w; w++) {
                size_t len = strlen(*w);
                if (!len)
                    continue;
                double width = size * 0.5 * (double)g_utf8_strlen(*w, -1);
                layout_add_word(l, *w, len, x, top + h * i, x + width, top + h * (i + 1), size, 0);
                x += width + size * 0.25;
            }
            g_strfreev(words);
        }
        g_strfreev(lines);
        g_free(text);
    }
    poppler_page_free_annot_mapping(annots);
}

/* Reads one page's words into l; returns the number of characters with a
 * box (0: the page has no text layer). */
static size_t read_page(PopplerPage *page, layout *l)
{
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    layout_begin_page(l, w, h);
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    size_t used = 0;
    if (text && poppler_page_get_text_layout(page, &rects, &nrects) && nrects) {
        pchar *pc = cs_xcalloc(nrects, sizeof *pc);
        size_t n = 0;
        for (const char *s = text; *s && n < nrects; s = g_utf8_next_char(s), n++) {
            pc[n].c = g_utf8_get_char(s);
            pc[n].r = rects[n];
            pc[n].size = fabs(rects[n].y2 - rects[n].y1);
        }
        apply_attributes(page, pc, n);
        wordbuf wb;
        memset(&wb, 0, sizeof wb);
        buf_init(&wb.text, 0);
        for (size_t i = 0; i < n; i++) {
            word_add(l, &wb, &pc[i]);
            used += !g_unichar_isspace(pc[i].c);
        }
        word_flush(l, &wb);
        buf_free(&wb.text);
        free(pc);
    }
    g_free(rects);
    g_free(text);
    read_stamps(page, h, l);
    layout_end_page(l);
    return used;
}

/* "pages 3-7", "page 2", "pages 2, 5-6": the pages listed in empty[]. */
static void note_empty_pages(doc *d, const char *empty, int pages)
{
    buf b;
    buf_init(&b, 0);
    int count = 0;
    for (int p = 0; p < pages; p++)
        count += empty[p];
    if (!count)
        return;
    buf_puts(&b, count == 1 ? "page " : "pages ");
    int first = 1;
    for (int p = 0; p < pages; p++) {
        if (!empty[p])
            continue;
        int q = p;
        while (q + 1 < pages && empty[q + 1])
            q++;
        buf_printf_put(&b, q > p ? "%s%d-%d" : "%s%d", first ? "" : ", ", p + 1, q + 1);
        first = 0;
        p = q;
    }
    buf_puts(&b, count == 1 ? " has no text layer (scanned; OCR not supported)"
                            : " have no text layer (scanned; OCR not supported)");
    free(d->warning);
    d->warning = buf_detach(&b);
}

/* The Info title, unless it is a file or template name rather than a title
 * ("Microsoft Word - report.docx", "9330fbcc.xlsx", "untitled"): the
 * lexicon title-not-title lists how such names begin. */
static void take_title(doc *d, PopplerDocument *pd, const rules_set *rs)
{
    gchar *t = poppler_document_get_title(pd);
    if (!t)
        return;
    size_t n = strlen(t), letters = 0, spaces = 0;
    for (size_t i = 0; i < n; i++)
        letters += isalpha((unsigned char)t[i]) != 0, spaces += t[i] == ' ';
    const char *dot = strrchr(t, '.');
    int file = dot && strlen(dot) <= 5 && dot > t && !strchr(dot, ' ') && dot[1];
    if (letters >= 8 && spaces >= 1 && !file && !rules_list_prefix(rs ? rules_lexicon(rs, "title-not-title") : NULL, t, n))
        doc_set_meta(&d->title, t, n, 0);
    g_free(t);
}

/* The creation date as an ISO day, for want of a date stated in the text. */
static void take_date(doc *d, PopplerDocument *pd)
{
    GDateTime *dt = poppler_document_get_creation_date_time(pd);
    if (!dt)
        return;
    gchar *iso = g_date_time_format(dt, "%Y-%m-%d");
    if (iso && g_date_time_get_year(dt) >= 1990)
        doc_set_meta(&d->meta_date, iso, strlen(iso), 0);
    g_free(iso);
    g_date_time_unref(dt);
}

static cs_status open_error(GError *e, cs_error *err)
{
    cs_status st;
    if (e && e->domain == POPPLER_ERROR && e->code == POPPLER_ERROR_ENCRYPTED)
        st = cs_fail(err, CS_ERR_INPUT, "encrypted PDF: it needs a password to open (not supported)");
    else
        st = cs_fail(err, CS_ERR_INPUT, "not a readable PDF (damaged or truncated: %s)", e ? e->message : "unknown error");
    if (e)
        g_error_free(e);
    return st;
}

/* One page with a line of text in a standard font: what warm_up reads. */
static const char warm_pdf[] =
    "%PDF-1.4\n"
    "1 0 obj\n"
    "<</Type/Catalog/Pages 2 0 R>>\n"
    "endobj\n"
    "2 0 obj\n"
    "<</Type/Pages/Kids[3 0 R]/Count 1>>\n"
    "endobj\n"
    "3 0 obj\n"
    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 50]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>\n"
    "endobj\n"
    "4 0 obj\n"
    "<</Length 34>>stream\n"
    "BT /F1 12 Tf 10 20 Td (warm) Tj ET\n"
    "endstream\n"
    "endobj\n"
    "5 0 obj\n"
    "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>\n"
    "endobj\n"
    "xref\n"
    "0 6\n"
    "0000000000 65535 f \n"
    "0000000009 00000 n \n"
    "0000000054 00000 n \n"
    "0000000105 00000 n \n"
    "0000000216 00000 n \n"
    "0000000297 00000 n \n"
    "trailer<</Size 6/Root 1 0 R>>\n"
    "startxref\n"
    "360\n"
    "%%EOF\n";

/* Reads warm_pdf's page as pdf_parse reads any page. Poppler builds some
 * process-wide state lazily and unguarded on first use (its global
 * parameters, the colour profiles every page's graphics state takes):
 * two threads reading their first PDFs at once could both build it, and
 * one freed what the other used (a crash in about one run in fifty of
 * extract -j 2 over PDFs). Done once, before any other page is read. */
static void warm_up(void)
{
    GBytes *bytes = g_bytes_new_static(warm_pdf, sizeof warm_pdf - 1);
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, NULL);
    PopplerPage *page = pd ? poppler_document_get_page(pd, 0) : NULL;
    if (page) {
        layout *l = layout_new();
        (void)read_page(page, l);
        layout_free(l);
        g_object_unref(page);
    }
    if (pd)
        g_object_unref(pd);
    g_bytes_unref(bytes);
}

cs_status pdf_parse(doc *d, const rules_set *rs, cs_error *err)
{
    static pthread_once_t warmed = PTHREAD_ONCE_INIT;
    pthread_once(&warmed, warm_up);
    GError *e = NULL;
    GBytes *bytes = g_bytes_new_static(d->raw, d->raw_len);
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &e);
    if (!pd) {
        g_bytes_unref(bytes);
        return open_error(e, err);
    }
    int pages = poppler_document_get_n_pages(pd);
    if (pages <= 0) {
        g_object_unref(pd);
        g_bytes_unref(bytes);
        return cs_fail(err, CS_ERR_INPUT, "not a readable PDF (damaged or truncated: no pages found)");
    }
    take_title(d, pd, rs);
    take_date(d, pd);
    layout *l = layout_new();
    char *empty = cs_xcalloc((size_t)pages, 1);
    for (int p = 0; p < pages; p++) {
        PopplerPage *page = poppler_document_get_page(pd, p);
        if (!page) {
            layout_begin_page(l, 0, 0);
            layout_end_page(l);
            empty[p] = 1;
            continue;
        }
        empty[p] = read_page(page, l) == 0;
        g_object_unref(page);
    }
    g_object_unref(pd);
    g_bytes_unref(bytes);
    layout_emit(l, d);
    layout_free(l);
    note_empty_pages(d, empty, pages);
    free(empty);
    doc_mark_page(d, pages, d->btext.len); /* trailing pages without text */
    return CS_OK;
}
