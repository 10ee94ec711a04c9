/* office: office files into the blocks every later stage reads.
 *
 * DOCX, XLSX (Office Open XML, ECMA-376) and ODT, ODS (OpenDocument, OASIS)
 * are zip archives of XML parts. libzip reads the parts, each streamed
 * through a libxml2 SAX2 push parser, so that memory follows the text kept,
 * not the size of a part; every part is capped in uncompressed bytes, and
 * the file as a whole too (zip bombs). A part with a document type
 * declaration is refused before its internal subset is read: office XML has
 * none, and its entities are the way XML expands without bound.
 *
 * Documents give headings (heading styles, outline levels), paragraphs, list
 * items and table rows; spreadsheets give each sheet as a table. A table row
 * is one DOC_BLOCK_ROW of tab-separated cells, kept at the width of the
 * widest row of its table, so that a label row inside a table ("Children's
 * services") stays a row and a column keeps its place after empty cells.
 * CSV and TSV are one such table. */
#include "office.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define MAX_COLS 512                        /* cells of a row past this column are dropped */
#define MAX_REPEAT 100                      /* repeated rows (ODS) written at most this often */
#define MAX_TEXT ((size_t)128 << 20)        /* bytes of block text from one file */
#define MAX_BLOCKS ((size_t)1 << 20)        /* blocks from one file */
#define CHUNK 16384                         /* bytes read from a zip entry at a time */

/* ---- text and tables --------------------------------------------------- */

/* Appends s[0..n) to b with runs of white space (tabs, line breaks, no-break
 * spaces, control bytes) as one space; *space carries a pending space
 * between calls, and no space opens or ends b. */
static void put_text(buf *b, const char *s, size_t n, int *space)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7F) {
            *space = 1;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            *space = 1, i++;
            continue;
        }
        if (*space && b->len)
            buf_putc(b, ' ');
        *space = 0;
        buf_putc(b, (char)c);
    }
}

/* A calendar date as cells show it: "31 March 2024", or "March 2024". */
static const char *const month_names[12] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};

static void put_date(long y, int m, int d, int with_day, buf *out)
{
    if (with_day)
        buf_printf_put(out, "%d %s %ld", d, month_names[m - 1], y);
    else
        buf_printf_put(out, "%s %ld", month_names[m - 1], y);
}

/* The table being read: cells of the open row, the width of the table. */
typedef struct {
    doc *d;
    buf cell;      /* the open cell's text */
    int space;     /* a space is pending in cell */
    buf row;       /* columns [0, filled) of the open row, tab-separated */
    size_t filled; /* columns up to the last non-empty cell */
    size_t pos;    /* the column of the open cell */
    size_t width;  /* the widest row of the table so far */
} grid;

static void grid_init(grid *g, doc *d)
{
    memset(g, 0, sizeof *g);
    g->d = d;
    buf_init(&g->cell, 0);
    buf_init(&g->row, 0);
}

static void grid_free(grid *g)
{
    buf_free(&g->cell);
    buf_free(&g->row);
}

/* A new table: rows no longer widen to the last one's width. */
static void grid_reset(grid *g)
{
    buf_reset(&g->cell);
    buf_reset(&g->row);
    g->filled = g->pos = g->width = 0;
    g->space = 0;
}

static void grid_text(grid *g, const char *s, size_t n)
{
    put_text(&g->cell, s, n, &g->space);
}

/* Moves the open cell to column col (sheets name their cells' columns). */
static void grid_goto(grid *g, size_t col)
{
    if (col > g->pos)
        g->pos = col;
}

/* Closes the open cell; it takes span columns (merged cells). */
static void grid_end_cell(grid *g, size_t span)
{
    if (g->cell.len && g->pos < MAX_COLS) {
        /* The row holds filled - 1 tabs; column pos needs pos before it. */
        for (size_t k = g->filled ? g->filled - 1 : 0; k < g->pos; k++)
            buf_putc(&g->row, '\t');
        buf_put(&g->row, g->cell.ptr, g->cell.len);
        g->filled = g->pos + 1;
    }
    buf_reset(&g->cell);
    g->space = 0;
    g->pos += span ? span : 1;
}

/* 1 once a file has given more text or blocks than any document needs:
 * what a small zip can expand to must not become memory. */
static int text_full(const doc *d)
{
    return d->btext.len > MAX_TEXT || d->nblocks > MAX_BLOCKS;
}

/* Closes the open row and adds it (times times) to the document: a row of
 * one cell outside any wider table is a paragraph (a title, a note), any
 * other a DOC_BLOCK_ROW padded to the table's width. Empty rows add nothing. */
static void grid_end_row(grid *g, size_t times)
{
    if (g->cell.len)
        grid_end_cell(g, 1);
    if (g->filled && !text_full(g->d)) {
        doc_block_kind kind = DOC_BLOCK_PARA;
        if (g->filled > 1 || g->width > 1) {
            kind = DOC_BLOCK_ROW;
            if (g->filled > g->width)
                g->width = g->filled;
            for (size_t k = g->filled; k < g->width; k++)
                buf_putc(&g->row, '\t');
        }
        for (size_t t = 0; t < times && t < MAX_REPEAT; t++)
            doc_add_block(g->d, kind, g->row.ptr, g->row.len);
    }
    buf_reset(&g->row);
    g->filled = g->pos = 0;
}

/* ---- zip archives ------------------------------------------------------ */

typedef struct {
    zip_t *za;
    size_t total; /* uncompressed bytes read so far from every entry */
} archive;

/* Receives an entry's bytes; returns 0 to stop reading. */
typedef int (*arc_sink)(void *ctx, const char *s, size_t n);

static cs_status arc_open(archive *a, const unsigned char *s, size_t n, cs_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    a->total = 0;
    a->za = NULL;
    zip_source_t *src = zip_source_buffer_create(s, n, 0, &ze);
    if (src)
        a->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!a->za) {
        cs_fail(err, CS_ERR_INPUT, "corrupt zip archive (%s)", zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return CS_ERR_INPUT;
    }
    zip_error_fini(&ze);
    return CS_OK;
}

static void arc_close(archive *a)
{
    if (a->za)
        zip_discard(a->za); /* frees the source too */
    a->za = NULL;
}

static int arc_has(const archive *a, const char *name)
{
    return zip_name_locate(a->za, name, 0) >= 0;
}

/* Streams the entry name into sink, within the caps. */
static cs_status arc_read(archive *a, const char *name, arc_sink sink, void *ctx, cs_error *err)
{
    zip_int64_t i = zip_name_locate(a->za, name, 0);
    if (i < 0)
        return cs_fail(err, CS_ERR_INPUT, "%s is missing from the archive", name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(a->za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st.encryption_method != ZIP_EM_NONE)
        return cs_fail(err, CS_ERR_INPUT, "encrypted (password-protected) document: %s cannot be read", name);
    zip_file_t *f = zip_fopen_index(a->za, (zip_uint64_t)i, 0);
    if (!f)
        return cs_fail(err, CS_ERR_INPUT, "corrupt zip archive (%s: %s)", name, zip_strerror(a->za));
    char *chunk = cs_xmalloc(CHUNK);
    size_t got = 0;
    cs_status rc = CS_OK;
    for (;;) {
        zip_int64_t k = zip_fread(f, chunk, CHUNK);
        if (k < 0) {
            rc = cs_fail(err, CS_ERR_INPUT, "corrupt zip archive (%s: %s)", name, zip_file_strerror(f));
            break;
        }
        if (k == 0)
            break;
        got += (size_t)k;
        a->total += (size_t)k;
        if (got > OFFICE_MAX_ENTRY || a->total > OFFICE_MAX_TOTAL) {
            rc = cs_fail(err, CS_ERR_TOOBIG, "%s expands beyond %zu MiB (a zip bomb?); not read", name,
                         (got > OFFICE_MAX_ENTRY ? OFFICE_MAX_ENTRY : OFFICE_MAX_TOTAL) >> 20);
            break;
        }
        if (!sink(ctx, chunk, (size_t)k))
            break;
    }
    free(chunk);
    zip_fclose(f);
    return rc;
}

static int sink_buf(void *ctx, const char *s, size_t n)
{
    return buf_add(ctx, s, n) == CS_OK;
}

/* The first bytes of a small entry into out (capped: out's own max). */
static cs_status arc_read_small(archive *a, const char *name, buf *out, cs_error *err)
{
    return arc_read(a, name, sink_buf, out, err);
}

/* ---- XML parts --------------------------------------------------------- */

/* The first member of every SAX state: the parser and what stopped it. */
typedef struct {
    xmlParserCtxtPtr ctxt;
    int dtd; /* a document type declaration was met: the part is refused */
} xml_guard;

static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

static void xml_silent_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx, (void)e;
}

/* Called at "<!DOCTYPE", before the internal subset is parsed. */
static void xml_on_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    xml_guard *g = ctx;
    g->dtd = 1;
    xmlStopParser(g->ctxt);
}

static int xml_sink(void *ctx, const char *s, size_t n)
{
    xml_guard *g = ctx;
    xmlParseChunk(g->ctxt, s, (int)n, 0);
    return !g->dtd && !g->ctxt->disableSAX;
}

/* Parses the part name of a with the SAX2 callbacks of sax; state starts
 * with an xml_guard. */
static cs_status xml_read(archive *a, const char *name, xmlSAXHandler *sax, void *state, cs_error *err)
{
    xml_guard *g = state;
    sax->initialized = XML_SAX2_MAGIC;
    sax->internalSubset = xml_on_dtd;
    sax->warning = xml_silent;
    sax->error = xml_silent;
    sax->serror = xml_silent_structured;
    g->dtd = 0;
    g->ctxt = xmlCreatePushParserCtxt(sax, state, NULL, 0, name);
    if (!g->ctxt)
        return cs_fail(err, CS_ERR_INPUT, "%s: the XML parser could not start", name);
    xmlCtxtUseOptions(g->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cs_status rc = arc_read(a, name, xml_sink, state, err);
    if (rc == CS_OK && !g->dtd)
        xmlParseChunk(g->ctxt, NULL, 0, 1);
    if (rc == CS_OK && g->dtd) {
        rc = cs_fail(err, CS_ERR_INPUT, "%s has a document type declaration; refused (office XML has none, and "
                                        "its entities can expand without bound)", name);
    } else if (rc == CS_OK && !g->ctxt->wellFormed) {
        xmlErrorPtr e = xmlCtxtGetLastError(g->ctxt);
        char msg[160] = "";
        if (e && e->message)
            snprintf(msg, sizeof msg, "%s", e->message);
        msg[strcspn(msg, "\n")] = '\0';
        rc = cs_fail(err, CS_ERR_INPUT, "%s is not well-formed XML (line %d: %s)", name, e ? e->line : 0, msg);
    }
    xmlFreeParserCtxt(g->ctxt);
    g->ctxt = NULL;
    return rc;
}

/* Namespaces, told apart by URI (prefixes are the writer's choice). */
enum { NS_OTHER, NS_W, NS_S, NS_R, NS_PKG, NS_MC, NS_DC, NS_TEXT, NS_TABLE, NS_OFFICE, NS_STYLE };

static int ns_of(const xmlChar *uri)
{
    static const struct {
        const char *uri;
        int ns;
    } known[] = {
        {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", NS_W},
        {"http://purl.oclc.org/ooxml/wordprocessingml/main", NS_W},
        {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", NS_S},
        {"http://purl.oclc.org/ooxml/spreadsheetml/main", NS_S},
        {"http://schemas.openxmlformats.org/officeDocument/2006/relationships", NS_R},
        {"http://purl.oclc.org/ooxml/officeDocument/relationships", NS_R},
        {"http://schemas.openxmlformats.org/package/2006/relationships", NS_PKG},
        {"http://schemas.openxmlformats.org/markup-compatibility/2006", NS_MC},
        {"http://purl.org/dc/elements/1.1/", NS_DC},
        {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", NS_TEXT},
        {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", NS_TABLE},
        {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", NS_OFFICE},
        {"urn:oasis:names:tc:opendocument:xmlns:style:1.0", NS_STYLE},
    };
    if (!uri)
        return NS_OTHER;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp((const char *)uri, known[i].uri))
            return known[i].ns;
    return NS_OTHER;
}

static int is(const xmlChar *local, const char *name)
{
    return !strcmp((const char *)local, name);
}

/* Copies the value of the attribute named local (any namespace) of a SAX2
 * attribute array into out; returns 0 (out "") when absent. */
static int attr(const xmlChar **at, int nat, const char *local, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < nat; i++, at += 5)
        if (!strcmp((const char *)at[0], local)) {
            size_t n = (size_t)(at[4] - at[3]);
            if (n >= cap)
                n = cap - 1;
            memcpy(out, at[3], n);
            out[n] = '\0';
            return 1;
        }
    return 0;
}

/* A non-negative integer attribute; dflt when absent or not a number. */
static long attr_long(const xmlChar **at, int nat, const char *local, long dflt, long max)
{
    char v[24];
    if (!attr(at, nat, local, v, sizeof v) || !isdigit((unsigned char)v[0]))
        return dflt;
    long x = 0;
    for (const char *p = v; isdigit((unsigned char)*p) && x <= max; p++)
        x = x * 10 + (*p - '0');
    return x > max ? max : x;
}

/* ---- document metadata (docProps/core.xml, meta.xml) ------------------- */

typedef struct {
    xml_guard g;
    int in_title;
    buf title;
    int space;
} meta_state;

static void meta_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                       const xmlChar **ns, int nat, int ndef, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)nat, (void)ndef, (void)at;
    meta_state *m = ctx;
    m->in_title = ns_of(uri) == NS_DC && is(local, "title");
}

static void meta_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    ((meta_state *)ctx)->in_title = 0;
}

static void meta_chars(void *ctx, const xmlChar *s, int n)
{
    meta_state *m = ctx;
    if (m->in_title && m->title.len < 1000)
        put_text(&m->title, (const char *)s, (size_t)n, &m->space);
}

/* A title worth showing: not empty, not a program's placeholder. */
static int meaningful_title(const char *t)
{
    static const char *const generic[] = {"untitled", "document", "title", "book1", "workbook", "presentation",
                                          "document1", "microsoft word document", NULL};
    if (strlen(t) < 4 || !strncasecmp(t, "Microsoft Word - ", 17))
        return 0;
    for (int i = 0; generic[i]; i++)
        if (!strcasecmp(t, generic[i]))
            return 0;
    return 1;
}

/* The document's title from its metadata part, when it has a meaningful
 * one; a missing or broken metadata part is no error. */
static void read_meta(archive *a, const char *part, doc *d)
{
    if (!arc_has(a, part))
        return;
    meta_state m;
    memset(&m, 0, sizeof m);
    buf_init(&m.title, 0);
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = meta_start;
    sax.endElementNs = meta_end;
    sax.characters = meta_chars;
    cs_error ignored;
    if (xml_read(a, part, &sax, &m, &ignored) == CS_OK && m.title.len && meaningful_title(m.title.ptr))
        doc_set_meta(&d->title, m.title.ptr, m.title.len, 1);
    buf_free(&m.title);
}

/* The first heading, else the first short paragraph, when the metadata
 * gave no title. */
static void title_from_blocks(doc *d)
{
    for (int pass = 0; pass < 2 && !d->title; pass++)
        for (size_t i = 0; i < d->nblocks && !d->title; i++) {
            const doc_block *b = &d->blocks[i];
            if ((pass == 0 ? b->kind == DOC_BLOCK_HEADING : b->kind == DOC_BLOCK_PARA) && b->chars >= 4 &&
                b->chars <= 200)
                doc_set_meta(&d->title, doc_block_text(d, i), b->len, 0);
        }
}

/* ---- flowing text: paragraphs, lists and tables of DOCX and ODT --------- */

/* What DOCX and ODT share: the open paragraph and the open table. */
typedef struct {
    doc *d;
    buf para;       /* the open paragraph's text */
    int space;
    int pdepth;     /* paragraphs open (a text box nests one in another) */
    int heading;    /* the open paragraph's heading level, 0 if none */
    int item;       /* the open paragraph is a list item */
    int tdepth;     /* tables open; rows of the outermost one are blocks */
    size_t span;    /* columns the open cell spans */
    grid t;
} flow;

static void flow_init(flow *f, doc *d)
{
    memset(f, 0, sizeof *f);
    f->d = d;
    buf_init(&f->para, 0);
    grid_init(&f->t, d);
}

static void flow_free(flow *f)
{
    buf_free(&f->para);
    grid_free(&f->t);
}

static void flow_text(flow *f, const char *s, size_t n)
{
    if (f->pdepth)
        put_text(&f->para, s, n, &f->space);
}

static void flow_space(flow *f)
{
    f->space = 1;
}

static void flow_para_start(flow *f)
{
    if (f->pdepth++) {
        flow_space(f); /* a paragraph inside another (text box): its text joins */
        return;
    }
    buf_reset(&f->para);
    f->space = 0;
    f->heading = f->item = 0;
}

/* The open paragraph ends: in a table its text joins the cell, elsewhere it
 * is a block. */
static void flow_para_end(flow *f)
{
    if (!f->pdepth || --f->pdepth) {
        flow_space(f);
        return;
    }
    if (!f->para.len || text_full(f->d))
        return;
    if (f->tdepth) {
        f->t.space = f->t.cell.len > 0;
        grid_text(&f->t, f->para.ptr, f->para.len);
        return;
    }
    doc_block_kind kind = f->heading ? DOC_BLOCK_HEADING : f->item ? DOC_BLOCK_ITEM : DOC_BLOCK_PARA;
    size_t k = doc_add_block(f->d, kind, f->para.ptr, f->para.len);
    f->d->blocks[k].level = f->heading > 6 ? 6 : f->heading;
}

static void flow_table_start(flow *f)
{
    if (f->tdepth++ == 0)
        grid_reset(&f->t);
}

static void flow_table_end(flow *f)
{
    if (f->tdepth && --f->tdepth == 0)
        grid_reset(&f->t);
}

static void flow_cell_start(flow *f)
{
    if (f->tdepth == 1)
        f->span = 1;
}

static void flow_cell_end(flow *f)
{
    if (f->tdepth == 1)
        grid_end_cell(&f->t, f->span);
    else
        f->t.space = 1; /* a nested table's cells join the outer cell */
}

static void flow_row_end(flow *f)
{
    if (f->tdepth == 1)
        grid_end_row(&f->t, 1);
}

/* ---- DOCX --------------------------------------------------------------- */

/* A paragraph style of word/styles.xml. */
typedef struct {
    char *id, *based; /* owned */
    int level;        /* heading level by name or outline level; 0 none, -1 body text */
    int list;         /* a list style (List Bullet, numbering in its properties) */
} wstyle;

typedef struct {
    xml_guard g;
    wstyle *v;
    size_t n, cap;
    int open;    /* inside a paragraph style definition */
    int in_ppr;
} wstyles;

static int heading_by_name(const char *name)
{
    if (!strncasecmp(name, "heading ", 8) && name[8] >= '1' && name[8] <= '9' && !name[9])
        return name[8] - '0';
    if (!strncasecmp(name, "heading", 7) && name[7] >= '1' && name[7] <= '9' && !name[8])
        return name[7] - '0'; /* a style id: Heading1 */
    return !strcasecmp(name, "title") ? 1 : 0;
}

static void wstyles_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                          const xmlChar **ns, int nat, int ndef, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    wstyles *s = ctx;
    if (ns_of(uri) != NS_W)
        return;
    char v[128];
    if (is(local, "style")) {
        attr(at, nat, "type", v, sizeof v);
        s->open = !strcmp(v, "paragraph") && attr(at, nat, "styleId", v, sizeof v);
        if (s->open) {
            cs_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
            s->v[s->n++] = (wstyle){cs_xstrdup(v), NULL, heading_by_name(v), 0};
        }
        return;
    }
    if (!s->open)
        return;
    wstyle *w = &s->v[s->n - 1];
    if (is(local, "name") && attr(at, nat, "val", v, sizeof v)) {
        if (heading_by_name(v))
            w->level = heading_by_name(v);
        w->list |= !strncasecmp(v, "list", 4) && strcasecmp(v, "list paragraph");
    } else if (is(local, "basedOn") && attr(at, nat, "val", v, sizeof v) && !w->based) {
        w->based = cs_xstrdup(v);
    } else if (is(local, "outlineLvl")) {
        long lvl = attr_long(at, nat, "val", 9, 9);
        w->level = lvl < 9 ? (int)lvl + 1 : -1;
    } else if (is(local, "numPr")) {
        w->list = 1;
    }
}

static void wstyles_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    if (ns_of(uri) == NS_W && is(local, "style"))
        ((wstyles *)ctx)->open = 0;
}

static const wstyle *wstyle_find(const wstyles *s, const char *id)
{
    for (size_t i = 0; id && i < s->n; i++)
        if (!strcmp(s->v[i].id, id))
            return &s->v[i];
    return NULL;
}

/* The heading level and list flag of style id, through its basedOn chain. */
static void wstyle_resolve(const wstyles *s, const char *id, int *level, int *list)
{
    *level = heading_by_name(id);
    *list = 0;
    const wstyle *w = wstyle_find(s, id);
    for (int hops = 0; w && hops < 16; hops++, w = wstyle_find(s, w->based)) {
        if (!*level && w->level)
            *level = w->level;
        *list |= w->list;
    }
    if (*level < 0)
        *level = 0;
}

static void wstyles_free(wstyles *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].id);
        free(s->v[i].based);
    }
    free(s->v);
}

typedef struct {
    xml_guard g;
    flow f;
    const wstyles *styles;
    int in_t;      /* inside w:t */
    int in_ppr;    /* inside the paragraph's w:pPr */
    int skip;      /* depth inside an ignored subtree (mc:Fallback) */
} docx_state;

static void docx_para_props(docx_state *x, const xmlChar *local, const xmlChar **at, int nat)
{
    char v[128];
    if (is(local, "pStyle") && attr(at, nat, "val", v, sizeof v)) {
        int level, list;
        wstyle_resolve(x->styles, v, &level, &list);
        x->f.heading = level;
        x->f.item |= list;
    } else if (is(local, "numPr")) {
        x->f.item = 1;
    } else if (is(local, "outlineLvl")) {
        long lvl = attr_long(at, nat, "val", 9, 9);
        x->f.heading = lvl < 9 ? (int)lvl + 1 : 0;
    }
}

static void docx_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                       const xmlChar **ns, int nat, int ndef, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    docx_state *x = ctx;
    int n = ns_of(uri);
    /* A fallback repeats the text of the choice before it; moved-from text
     * and earlier paragraph properties are tracked changes. */
    if (x->skip || (n == NS_MC && is(local, "Fallback")) ||
        (n == NS_W && (is(local, "moveFrom") || is(local, "pPrChange") || is(local, "rPrChange")))) {
        x->skip++;
        return;
    }
    if (n != NS_W)
        return;
    flow *f = &x->f;
    if (is(local, "p"))
        flow_para_start(f);
    else if (is(local, "pPr"))
        x->in_ppr = f->pdepth == 1 && !f->para.len;
    else if (x->in_ppr)
        docx_para_props(x, local, at, nat);
    else if (is(local, "t"))
        x->in_t = 1;
    else if (is(local, "tab") || is(local, "br") || is(local, "cr"))
        flow_space(f);
    else if (is(local, "noBreakHyphen"))
        flow_text(f, "-", 1);
    else if (is(local, "tbl"))
        flow_table_start(f);
    else if (is(local, "tc"))
        flow_cell_start(f);
    else if (is(local, "gridSpan") && f->tdepth == 1)
        f->span = (size_t)attr_long(at, nat, "val", 1, 64);
}

static void docx_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    docx_state *x = ctx;
    if (x->skip) {
        x->skip--;
        return;
    }
    if (ns_of(uri) != NS_W)
        return;
    if (is(local, "p"))
        flow_para_end(&x->f);
    else if (is(local, "pPr"))
        x->in_ppr = 0;
    else if (is(local, "t"))
        x->in_t = 0;
    else if (is(local, "tc"))
        flow_cell_end(&x->f);
    else if (is(local, "tr"))
        flow_row_end(&x->f);
    else if (is(local, "tbl"))
        flow_table_end(&x->f);
}

static void docx_chars(void *ctx, const xmlChar *s, int n)
{
    docx_state *x = ctx;
    if (x->in_t && !x->skip)
        flow_text(&x->f, (const char *)s, (size_t)n);
}

static cs_status docx_parse(archive *a, doc *d, const char *main_part, cs_error *err)
{
    wstyles styles;
    memset(&styles, 0, sizeof styles);
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    if (arc_has(a, "word/styles.xml")) {
        sax.startElementNs = wstyles_start;
        sax.endElementNs = wstyles_end;
        if (xml_read(a, "word/styles.xml", &sax, &styles, err) != CS_OK) {
            wstyles_free(&styles);
            return CS_ERR_INPUT;
        }
    }
    docx_state x;
    memset(&x, 0, sizeof x);
    flow_init(&x.f, d);
    x.styles = &styles;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = docx_start;
    sax.endElementNs = docx_end;
    sax.characters = docx_chars;
    cs_status rc = xml_read(a, main_part, &sax, &x, err);
    flow_free(&x.f);
    wstyles_free(&styles);
    if (rc == CS_OK)
        read_meta(a, "docProps/core.xml", d);
    return rc;
}

/* ---- ODT and ODS -------------------------------------------------------- */

/* An automatic style: the named style it derives from, and for a table
 * style whether the sheet is hidden. */
typedef struct {
    char *name, *parent; /* owned */
    int hidden;
} ostyle;

typedef struct {
    xml_guard g;
    flow f;
    ostyle *styles;
    size_t nstyles, cap;
    int skip;          /* depth inside notes, annotations, tracked changes */
    int list_item;     /* the next paragraph opens a list item */
    int sheet;         /* inside office:spreadsheet */
    size_t rep_rows;   /* repeats of the open row */
    size_t rep_cols;   /* repeats of the open cell */
    int cell_done;     /* the open cell's text is written (a date from its value) */
} odf_state;

/* The heading level of a paragraph style: its own name or the one it
 * derives from (Heading_20_2, Title), 0 for other styles. */
static int odf_style_heading(const odf_state *x, const char *name)
{
    for (size_t i = 0; i < x->nstyles; i++)
        if (!strcmp(x->styles[i].name, name) && x->styles[i].parent) {
            name = x->styles[i].parent;
            break;
        }
    if (!strncmp(name, "Heading_20_", 11) && name[11] >= '1' && name[11] <= '9')
        return name[11] - '0';
    return !strcmp(name, "Title") ? 1 : 0;
}

static void odf_style(odf_state *x, const xmlChar **at, int nat)
{
    char name[128], parent[128];
    if (!attr(at, nat, "name", name, sizeof name))
        return;
    attr(at, nat, "parent-style-name", parent, sizeof parent);
    cs_grow(&x->styles, &x->cap, x->nstyles + 1, sizeof *x->styles);
    x->styles[x->nstyles++] = (ostyle){cs_xstrdup(name), parent[0] ? cs_xstrdup(parent) : NULL, 0};
}

static int odf_style_hidden(const odf_state *x, const char *name)
{
    for (size_t i = 0; i < x->nstyles; i++)
        if (!strcmp(x->styles[i].name, name))
            return x->styles[i].hidden;
    return 0;
}

static void odf_paragraph(odf_state *x, const xmlChar *local, const xmlChar **at, int nat)
{
    flow *f = &x->f;
    int outer = f->pdepth == 0;
    flow_para_start(f);
    if (!outer)
        return;
    char style[128];
    if (is(local, "h"))
        f->heading = (int)attr_long(at, nat, "outline-level", 1, 10);
    else if (attr(at, nat, "style-name", style, sizeof style))
        f->heading = odf_style_heading(x, style);
    f->item = x->list_item;
    x->list_item = 0;
}

static void odf_table_start(odf_state *x, const xmlChar **at, int nat)
{
    char name[256];
    if (x->sheet && attr(at, nat, "style-name", name, sizeof name) && odf_style_hidden(x, name)) {
        x->skip = 1; /* a hidden sheet: lookups and workings, not the published table */
        return;
    }
    flow_table_start(&x->f);
    /* A sheet's name heads it, unless it is a program's default name. */
    if (x->sheet && x->f.tdepth == 1 && attr(at, nat, "name", name, sizeof name) && strncasecmp(name, "sheet", 5)) {
        size_t k = doc_add_block(x->f.d, DOC_BLOCK_HEADING, name, strlen(name));
        x->f.d->blocks[k].level = 2;
    }
}

static void odf_text_start(odf_state *x, const xmlChar *local, const xmlChar **at, int nat)
{
    flow *f = &x->f;
    if (is(local, "p") || is(local, "h")) {
        odf_paragraph(x, local, at, nat);
    } else if (is(local, "list-item") || is(local, "list-header")) {
        x->list_item = 1;
    } else if (is(local, "s") || is(local, "tab") || is(local, "line-break")) {
        flow_space(f);
    } else if (is(local, "note") || is(local, "tracked-changes")) {
        x->skip = 1; /* a note's text would cut the sentence that cites it */
    }
}

/* A date cell is written as a date ("4 February 2025") from its value,
 * whatever its display format, as XLSX dates are. */
static void odf_date_cell(odf_state *x, const xmlChar **at, int nat)
{
    char type[16], value[32];
    int y, m, d;
    if (x->f.tdepth != 1 || !attr(at, nat, "value-type", type, sizeof type) || strcmp(type, "date") ||
        !attr(at, nat, "date-value", value, sizeof value) || sscanf(value, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return;
    buf b;
    buf_init(&b, 0);
    put_date(y, m, d, 1, &b);
    grid_text(&x->f.t, b.ptr, b.len);
    buf_free(&b);
    x->cell_done = 1;
}

static void odf_table_elem(odf_state *x, const xmlChar *local, const xmlChar **at, int nat)
{
    flow *f = &x->f;
    if (is(local, "table")) {
        odf_table_start(x, at, nat);
    } else if (is(local, "table-row") && f->tdepth == 1) {
        x->rep_rows = (size_t)attr_long(at, nat, "number-rows-repeated", 1, 1L << 24);
    } else if (is(local, "table-cell") || is(local, "covered-table-cell")) {
        flow_cell_start(f);
        x->rep_cols = (size_t)attr_long(at, nat, "number-columns-repeated", 1, 1L << 24);
        if (f->tdepth == 1)
            f->span = x->rep_cols;
        odf_date_cell(x, at, nat);
    }
}

static void odf_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                      const xmlChar **ns, int nat, int ndef, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    odf_state *x = ctx;
    if (x->skip) {
        x->skip++;
        return;
    }
    char type_buf[16];
    int n = ns_of(uri);
    if (n == NS_TEXT)
        odf_text_start(x, local, at, nat);
    else if (n == NS_TABLE)
        odf_table_elem(x, local, at, nat);
    else if (n == NS_OFFICE && is(local, "annotation"))
        x->skip = 1;
    else if (n == NS_OFFICE && is(local, "spreadsheet"))
        x->sheet = 1;
    else if (n == NS_STYLE && is(local, "style"))
        odf_style(x, at, nat);
    else if (n == NS_STYLE && is(local, "table-properties") && x->nstyles)
        x->styles[x->nstyles - 1].hidden = attr(at, nat, "display", type_buf, sizeof type_buf) &&
                                           !strcmp(type_buf, "false");
}

static void odf_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    odf_state *x = ctx;
    if (x->skip) {
        x->skip--;
        return;
    }
    int n = ns_of(uri);
    if (n == NS_TEXT && (is(local, "p") || is(local, "h")))
        flow_para_end(&x->f);
    else if (n == NS_TABLE && (is(local, "table-cell") || is(local, "covered-table-cell")))
        flow_cell_end(&x->f), x->cell_done = 0;
    else if (n == NS_TABLE && is(local, "table-row") && x->f.tdepth == 1)
        grid_end_row(&x->f.t, x->rep_rows);
    else if (n == NS_TABLE && is(local, "table"))
        flow_table_end(&x->f);
}

static void odf_chars(void *ctx, const xmlChar *s, int n)
{
    odf_state *x = ctx;
    if (!x->skip && !x->cell_done)
        flow_text(&x->f, (const char *)s, (size_t)n);
}

static cs_status odf_parse(archive *a, doc *d, cs_error *err)
{
    odf_state x;
    memset(&x, 0, sizeof x);
    flow_init(&x.f, d);
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = odf_start;
    sax.endElementNs = odf_end;
    sax.characters = odf_chars;
    cs_status rc = xml_read(a, "content.xml", &sax, &x, err);
    flow_free(&x.f);
    for (size_t i = 0; i < x.nstyles; i++) {
        free(x.styles[i].name);
        free(x.styles[i].parent);
    }
    free(x.styles);
    if (rc == CS_OK)
        read_meta(a, "meta.xml", d);
    return rc;
}

/* ---- XLSX number formats ------------------------------------------------ */

typedef struct {
    char kind;      /* 'g' general, 'n' number, 'p' per cent, 'd' date, 't' time, 's' text */
    int decimals;
    int group;      /* thousands separators */
    int paren;      /* negatives in brackets */
    int day;        /* a date format showing the day */
    char prefix[8]; /* a currency sign or literal before the number */
} numfmt;

/* The format code of a built-in number format id (ECMA-376 18.8.30, with
 * the en-GB forms of the locale-dependent ones); NULL for General. */
static const char *builtin_format(long id)
{
    switch (id) {
    case 1: return "0";
    case 2: return "0.00";
    case 3: return "#,##0";
    case 4: return "#,##0.00";
    case 5: return "\xC2\xA3#,##0;-\xC2\xA3#,##0";
    case 6: return "\xC2\xA3#,##0;[Red]-\xC2\xA3#,##0";
    case 7: return "\xC2\xA3#,##0.00;-\xC2\xA3#,##0.00";
    case 8: return "\xC2\xA3#,##0.00;[Red]-\xC2\xA3#,##0.00";
    case 9: return "0%";
    case 10: return "0.00%";
    case 14: return "dd/mm/yyyy";
    case 15: return "d-mmm-yy";
    case 16: return "d-mmm";
    case 17: return "mmm-yy";
    case 18: case 19: case 20: case 21: case 45: case 46: case 47: return "h:mm";
    case 22: return "dd/mm/yyyy h:mm";
    case 37: case 38: return "#,##0 ;(#,##0)";
    case 39: case 40: return "#,##0.00;(#,##0.00)";
    case 49: return "@";
    default: return NULL;
    }
}

static void fmt_prefix(numfmt *f, const char *s, size_t n)
{
    size_t have = strlen(f->prefix);
    if (have + n < sizeof f->prefix) {
        memcpy(f->prefix + have, s, n);
        f->prefix[have + n] = '\0';
    }
}

/* A bracketed part of a format code at s ("[$£-809]", "[Red]", "[h]");
 * returns its length. */
static size_t fmt_bracket(numfmt *f, const char *s, int digits, int *elapsed)
{
    const char *close = strchr(s, ']');
    size_t n = close ? (size_t)(close - s) + 1 : strlen(s);
    if (s[1] == '$' && !digits) {
        size_t k = 2;
        while (k < n - 1 && s[k] != '-')
            k++;
        fmt_prefix(f, s + 2, k - 2);
    } else if (strchr("hHmMsS", s[1])) {
        *elapsed = 1;
    }
    return n;
}

/* Reads a format code: the first section says how a value looks, the second
 * whether negatives go in brackets. */
static void fmt_parse(const char *code, numfmt *f)
{
    memset(f, 0, sizeof *f);
    f->kind = 'g';
    if (!code || !strncasecmp(code, "general", 7))
        return;
    int digits = 0, point = 0, percent = 0, date = 0, day = 0, month = 0, time = 0, text = 0, sci = 0;
    const char *s = code;
    for (; *s && *s != ';'; s++) {
        char c = *s;
        if (c == '"') {
            const char *q = strchr(s + 1, '"');
            size_t n = q ? (size_t)(q - s - 1) : strlen(s + 1);
            if (!digits)
                fmt_prefix(f, s + 1, n);
            s += n + (q ? 1 : 0);
        } else if (c == '\\' || c == '_' || c == '*') {
            if (c == '\\' && s[1] && !digits)
                fmt_prefix(f, s + 1, 1);
            s += s[1] ? 1 : 0;
        } else if (c == '[') {
            s += fmt_bracket(f, s, digits, &time) - 1;
        } else if (c == '0' || c == '#' || c == '?') {
            digits = 1;
            f->decimals += point;
        } else if (c == '.') {
            point = digits || point;
        } else if (c == ',') {
            f->group |= digits && !point;
        } else if (c == '%') {
            percent = 1;
        } else if ((c == 'E' || c == 'e') && (s[1] == '+' || s[1] == '-')) {
            sci = 1;
        } else if (c == '@') {
            text = 1;
        } else if (strchr("yYdD", c)) {
            date = 1, day |= c == 'd' || c == 'D';
        } else if (c == 'm' || c == 'M') {
            month = 1;
        } else if (strchr("hHsS", c)) {
            time = 1;
        } else if ((unsigned char)c == 0xC2 && (unsigned char)s[1] == 0xA3 && !digits) {
            fmt_prefix(f, "\xC2\xA3", 2), s++;
        } else if (c == '$' && !digits) {
            fmt_prefix(f, s, 1);
        }
    }
    f->paren = *s == ';' && strchr(s, '(') != NULL;
    f->day = day;
    f->kind = text ? 's' : (date || (month && !time)) ? 'd' : time ? 't' : sci ? 'g' : percent ? 'p' : digits ? 'n' : 'g';
    if (f->decimals > 10)
        f->decimals = 10;
}

/* v as the General format shows it: up to 15 significant digits. */
static void fmt_general(double v, buf *out)
{
    char t[40];
    snprintf(t, sizeof t, "%.15g", v);
    buf_puts(out, t);
}

static void fmt_number(double v, const numfmt *f, const char *suffix, buf *out)
{
    if (fabs(v) >= 1e15) {
        fmt_general(v, out);
        return;
    }
    /* Half away from zero, as spreadsheets round (printf rounds half to even). */
    double scale = pow(10, f->decimals), a = round(fabs(v) * scale) / scale;
    char t[48];
    snprintf(t, sizeof t, "%.*f", f->decimals, a);
    int neg = v < 0 && strspn(t, "0.") < strlen(t); /* -0.001 shown as 0 is not negative */
    buf_puts(out, neg ? (f->paren ? "(" : "-") : "");
    buf_puts(out, f->prefix);
    size_t ilen = strcspn(t, ".");
    for (size_t i = 0; t[i]; i++) {
        buf_putc(out, t[i]);
        if (f->group && i + 1 < ilen && (ilen - i - 1) % 3 == 0)
            buf_putc(out, ',');
    }
    buf_puts(out, suffix);
    if (neg && f->paren)
        buf_putc(out, ')');
}

/* The civil date of day z counted from 1970-01-01 (H. Hinnant,
 * "chrono-compatible low-level date algorithms"). */
static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* A date serial number (days since 1900-01-00 with Lotus's 29 February
 * 1900, or since 1904-01-01) as "31 March 2024". */
static void fmt_date(double v, const numfmt *f, int date1904, buf *out)
{
    if (v < 1 || v > 2958465) {
        fmt_general(v, out);
        return;
    }
    long serial = (long)floor(v);
    long days = date1904 ? serial - 24107 : serial >= 61 ? serial - 25569 : serial - 25568;
    long y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    put_date(y, m, d, f->day, out);
}

static void fmt_time(double v, buf *out)
{
    double frac = v - floor(v);
    long mins = lround(frac * 1440);
    buf_printf_put(out, "%02ld:%02ld", (mins / 60) % 24, mins % 60);
}

static void fmt_render(double v, const numfmt *f, int date1904, buf *out)
{
    if (f->kind == 'n')
        fmt_number(v, f, "", out);
    else if (f->kind == 'p')
        fmt_number(v * 100, f, "%", out);
    else if (f->kind == 'd')
        fmt_date(v, f, date1904, out);
    else if (f->kind == 't')
        fmt_time(v, out);
    else
        fmt_general(v, out);
}

/* ---- XLSX --------------------------------------------------------------- */

typedef struct {
    char *name;   /* owned */
    char *rid;    /* owned */
    int hidden;
} xsheet;

typedef struct {
    char *id, *target; /* owned */
} xrel;

/* What every sheet needs: shared strings, cell formats, the date system. */
typedef struct {
    xml_guard g;
    xsheet *sheets;
    size_t nsheets, sheets_cap;
    xrel *rels;
    size_t nrels, rels_cap;
    buf strings;        /* shared strings, each NUL-terminated */
    size_t *str_off;    /* offset of string i in strings */
    size_t nstr, str_cap;
    numfmt *fmts;       /* the format of each cell style (cellXfs) */
    size_t nfmts, fmts_cap;
    char **codes;       /* custom format codes: codes[id - 164]; owned */
    long *code_ids;
    size_t ncodes, codes_cap;
    int date1904;
    /* parsing state */
    int in_si, in_t, in_rph, in_xfs, space;
} xbook;

static void xbook_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                        const xmlChar **ns, int nat, int ndef, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    xbook *b = ctx;
    int n = ns_of(uri);
    char v[256], w[256];
    if (n == NS_PKG && is(local, "Relationship") && attr(at, nat, "Id", v, sizeof v) &&
        attr(at, nat, "Target", w, sizeof w)) {
        cs_grow(&b->rels, &b->rels_cap, b->nrels + 1, sizeof *b->rels);
        b->rels[b->nrels++] = (xrel){cs_xstrdup(v), cs_xstrdup(w)};
    }
    if (n != NS_S)
        return;
    if (is(local, "sheet") && attr(at, nat, "name", v, sizeof v) && attr(at, nat, "id", w, sizeof w)) {
        char state[32];
        attr(at, nat, "state", state, sizeof state);
        cs_grow(&b->sheets, &b->sheets_cap, b->nsheets + 1, sizeof *b->sheets);
        b->sheets[b->nsheets++] = (xsheet){cs_xstrdup(v), cs_xstrdup(w), state[0] && strcmp(state, "visible")};
    } else if (is(local, "workbookPr")) {
        b->date1904 = attr(at, nat, "date1904", v, sizeof v) && (v[0] == '1' || v[0] == 't');
    } else if (is(local, "si")) {
        b->in_si = 1, b->space = 0;
        cs_grow(&b->str_off, &b->str_cap, b->nstr + 1, sizeof *b->str_off);
        b->str_off[b->nstr++] = b->strings.len;
    } else if (is(local, "t")) {
        b->in_t = 1;
    } else if (is(local, "rPh")) {
        b->in_rph = 1; /* phonetic guide: not the cell's text */
    } else if (is(local, "numFmt") && attr(at, nat, "formatCode", v, sizeof v)) {
        cs_grow(&b->codes, &b->codes_cap, b->ncodes + 1, sizeof *b->codes);
        b->code_ids = cs_xrealloc(b->code_ids, b->codes_cap * sizeof *b->code_ids);
        b->code_ids[b->ncodes] = attr_long(at, nat, "numFmtId", -1, 1L << 20);
        b->codes[b->ncodes++] = cs_xstrdup(v);
    } else if (is(local, "cellXfs")) {
        b->in_xfs = 1;
    } else if (is(local, "xf") && b->in_xfs) {
        long id = attr_long(at, nat, "numFmtId", 0, 1L << 20);
        const char *code = builtin_format(id);
        for (size_t i = 0; i < b->ncodes; i++)
            if (b->code_ids[i] == id)
                code = b->codes[i];
        cs_grow(&b->fmts, &b->fmts_cap, b->nfmts + 1, sizeof *b->fmts);
        fmt_parse(code, &b->fmts[b->nfmts++]);
    }
}

static void xbook_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    xbook *b = ctx;
    if (ns_of(uri) != NS_S)
        return;
    if (is(local, "si")) {
        b->in_si = 0;
        buf_putc(&b->strings, '\0');
    } else if (is(local, "t")) {
        b->in_t = 0;
    } else if (is(local, "rPh")) {
        b->in_rph = 0;
    } else if (is(local, "cellXfs")) {
        b->in_xfs = 0;
    }
}

static void xbook_chars(void *ctx, const xmlChar *s, int n)
{
    xbook *b = ctx;
    if (b->in_si && b->in_t && !b->in_rph)
        put_text(&b->strings, (const char *)s, (size_t)n, &b->space);
}

static void xbook_free(xbook *b)
{
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].rid);
    }
    for (size_t i = 0; i < b->nrels; i++) {
        free(b->rels[i].id);
        free(b->rels[i].target);
    }
    for (size_t i = 0; i < b->ncodes; i++)
        free(b->codes[i]);
    free(b->sheets);
    free(b->rels);
    buf_free(&b->strings);
    free(b->str_off);
    free(b->fmts);
    free(b->codes);
    free(b->code_ids);
}

/* The state of one sheet's parse. */
typedef struct {
    xml_guard g;
    const xbook *book;
    grid t;
    buf val;          /* the open cell's value (v, or the text of is) */
    int space;
    int in_v, in_t, in_is, in_rph;
    char type[16];    /* the cell's t attribute */
    long style;       /* its s attribute */
    size_t next_col;  /* column of a cell that does not name its own */
} xsheet_state;

/* The column of a cell reference ("C12" -> 2), or (size_t)-1. */
static size_t column_of_ref(const char *ref)
{
    size_t col = 0;
    int letters = 0;
    for (; isalpha((unsigned char)*ref) && letters < 4; ref++, letters++)
        col = col * 26 + (size_t)(toupper((unsigned char)*ref) - 'A' + 1);
    return letters ? col - 1 : (size_t)-1;
}

/* The cell's text as a spreadsheet shows it. */
static void xcell_text(const xsheet_state *x, buf *out)
{
    const xbook *b = x->book;
    const char *v = buf_str(&x->val);
    if (!strcmp(x->type, "s")) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (end != v && i < b->nstr)
            buf_puts(out, b->strings.ptr + b->str_off[i]);
    } else if (!strcmp(x->type, "b")) {
        buf_puts(out, v[0] == '1' ? "TRUE" : v[0] ? "FALSE" : "");
    } else if (!strcmp(x->type, "d")) {
        int y, m, d;
        if (sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
            put_date(y, m, d, 1, out);
        else
            buf_puts(out, v);
    } else if (!strcmp(x->type, "n") || !x->type[0]) {
        char *end;
        double num = strtod(v, &end);
        if (end == v || !isfinite(num))
            buf_puts(out, v);
        else if (x->style >= 0 && (size_t)x->style < b->nfmts)
            fmt_render(num, &b->fmts[x->style], b->date1904, out);
        else
            fmt_general(num, out);
    } else {
        buf_puts(out, v); /* str (a formula's text), inlineStr, e (an error such as #N/A) */
    }
}

static void xsheet_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                         const xmlChar **ns, int nat, int ndef, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    xsheet_state *x = ctx;
    if (ns_of(uri) != NS_S)
        return;
    if (is(local, "row")) {
        x->next_col = 0;
    } else if (is(local, "c")) {
        char ref[32];
        size_t col = attr(at, nat, "r", ref, sizeof ref) ? column_of_ref(ref) : (size_t)-1;
        if (col == (size_t)-1)
            col = x->next_col;
        x->next_col = col + 1;
        grid_goto(&x->t, col);
        attr(at, nat, "t", x->type, sizeof x->type);
        x->style = attr_long(at, nat, "s", -1, 1L << 20);
        buf_reset(&x->val);
        x->space = 0;
    } else if (is(local, "v")) {
        x->in_v = 1;
    } else if (is(local, "is")) {
        x->in_is = 1;
    } else if (is(local, "t")) {
        x->in_t = 1;
    } else if (is(local, "rPh")) {
        x->in_rph = 1;
    }
}

static void xsheet_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    xsheet_state *x = ctx;
    if (ns_of(uri) != NS_S)
        return;
    if (is(local, "c")) {
        buf text;
        buf_init(&text, 0);
        xcell_text(x, &text);
        grid_text(&x->t, text.ptr ? text.ptr : "", text.len);
        grid_end_cell(&x->t, 1);
        buf_free(&text);
    } else if (is(local, "row")) {
        grid_end_row(&x->t, 1);
    } else if (is(local, "v")) {
        x->in_v = 0;
    } else if (is(local, "is")) {
        x->in_is = 0;
    } else if (is(local, "t")) {
        x->in_t = 0;
    } else if (is(local, "rPh")) {
        x->in_rph = 0;
    }
}

static void xsheet_chars(void *ctx, const xmlChar *s, int n)
{
    xsheet_state *x = ctx;
    if (x->in_v || (x->in_is && x->in_t && !x->in_rph))
        put_text(&x->val, (const char *)s, (size_t)n, &x->space);
}

/* The part a workbook relationship target names, relative to dir. */
static void part_path(const char *dir, const char *target, char *out, size_t cap)
{
    if (target[0] == '/')
        snprintf(out, cap, "%s", target + 1);
    else
        snprintf(out, cap, "%s%s", dir, target);
}

static cs_status xlsx_sheet(archive *a, const xbook *b, const xsheet *s, const char *dir, doc *d, cs_error *err)
{
    const char *target = NULL;
    for (size_t i = 0; i < b->nrels; i++)
        if (!strcmp(b->rels[i].id, s->rid))
            target = b->rels[i].target;
    char path[512];
    if (!target)
        return CS_OK; /* a sheet without its part: nothing to read */
    part_path(dir, target, path, sizeof path);
    if (!arc_has(a, path))
        return CS_OK; /* a chart sheet or a missing part */
    if (strncasecmp(s->name, "sheet", 5)) {
        size_t k = doc_add_block(d, DOC_BLOCK_HEADING, s->name, strlen(s->name));
        d->blocks[k].level = 2;
    }
    xsheet_state x;
    memset(&x, 0, sizeof x);
    x.book = b;
    grid_init(&x.t, d);
    buf_init(&x.val, 0);
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = xsheet_start;
    sax.endElementNs = xsheet_end;
    sax.characters = xsheet_chars;
    cs_status rc = xml_read(a, path, &sax, &x, err);
    grid_free(&x.t);
    buf_free(&x.val);
    return rc;
}

/* Reads the optional part path with the workbook callbacks into b. */
static cs_status xbook_read(archive *a, const char *path, xbook *b, int required, cs_error *err)
{
    if (!required && !arc_has(a, path))
        return CS_OK;
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = xbook_start;
    sax.endElementNs = xbook_end;
    sax.characters = xbook_chars;
    return xml_read(a, path, &sax, b, err);
}

static cs_status xlsx_parse(archive *a, doc *d, const char *main_part, cs_error *err)
{
    /* Parts are named relative to the workbook's folder ("xl/"). */
    char dir[512], rels[1100], path[1100];
    const char *slash = strrchr(main_part, '/');
    size_t dl = slash ? (size_t)(slash - main_part) + 1 : 0;
    snprintf(dir, sizeof dir, "%.*s", (int)dl, main_part);
    snprintf(rels, sizeof rels, "%s_rels/%s.rels", dir, main_part + dl);
    xbook b;
    memset(&b, 0, sizeof b);
    buf_init(&b.strings, 0);
    cs_status rc = xbook_read(a, main_part, &b, 1, err);
    if (rc == CS_OK)
        rc = xbook_read(a, rels, &b, 0, err);
    for (size_t i = 0; rc == CS_OK && i < b.nrels; i++) {
        /* Shared strings and styles, whatever their part names. */
        const char *t = b.rels[i].target;
        size_t tl = strlen(t);
        if ((tl >= 17 && !strcmp(t + tl - 17, "sharedStrings.xml")) || (tl >= 10 && !strcmp(t + tl - 10, "styles.xml"))) {
            part_path(dir, t, path, sizeof path);
            rc = xbook_read(a, path, &b, 0, err);
        }
    }
    for (size_t i = 0; rc == CS_OK && i < b.nsheets; i++)
        if (!b.sheets[i].hidden)
            rc = xlsx_sheet(a, &b, &b.sheets[i], dir, d, err);
    xbook_free(&b);
    if (rc == CS_OK)
        read_meta(a, "docProps/core.xml", d);
    return rc;
}

/* ---- CSV and TSV -------------------------------------------------------- */

typedef struct {
    size_t start, end; /* the field's text; doubled quotes still doubled when quoted */
    int quoted;
    int last;          /* the last field of its record */
} csv_field;

/* The field at *i of s[0..n) (RFC 4180 quoting); 0 at the end of input. */
static int csv_next(const char *s, size_t n, size_t *i, char delim, csv_field *f)
{
    size_t p = *i;
    if (p >= n)
        return 0;
    f->quoted = s[p] == '"';
    if (f->quoted) {
        f->start = ++p;
        while (p < n && !(s[p] == '"' && (p + 1 >= n || s[p + 1] != '"')))
            p += s[p] == '"' ? 2 : 1;
        f->end = p < n ? p : n;
        while (p < n && s[p] != delim && s[p] != '\n')
            p++; /* text after the closing quote is dropped */
    } else {
        f->start = p;
        while (p < n && s[p] != delim && s[p] != '\n')
            p++;
        f->end = p;
    }
    f->last = p >= n || s[p] == '\n';
    *i = p < n ? p + 1 : n;
    return 1;
}

static void csv_parse(doc *d, char delim)
{
    grid g;
    grid_init(&g, d);
    const char *s = d->input;
    size_t n = d->input_len, i = 0;
    csv_field f;
    while (!text_full(d) && csv_next(s, n, &i, delim, &f)) {
        for (size_t p = f.start; p < f.end;) {
            /* A quoted field's "" is one quote. */
            const char *q = f.quoted ? memchr(s + p, '"', f.end - p) : NULL;
            size_t stop = q ? (size_t)(q - s) + 1 : f.end;
            grid_text(&g, s + p, stop - p);
            p = q ? stop + 1 : stop;
        }
        grid_end_cell(&g, 1);
        if (f.last)
            grid_end_row(&g, 1);
    }
    grid_end_row(&g, 1);
    grid_free(&g);
}

/* 1 if the first records of s[0..n) look like a table with delim: at least
 * three records, nine in ten of them with the same number of fields (at
 * least min), the first with two fields filled, and no field longer than a
 * table cell usually is (prose has long "fields"). */
static int table_shape(const char *s, size_t n, char delim, size_t min)
{
    enum { SAMPLE = 30 };
    size_t counts[SAMPLE], nrec = 0, fields = 0, filled = 0, first_filled = 0, i = 0;
    if (n > 65536)
        n = 65536;
    csv_field f;
    while (nrec < SAMPLE && csv_next(s, n, &i, delim, &f)) {
        if (f.end - f.start > 200)
            return 0;
        fields++;
        filled += f.end > f.start;
        if (!f.last)
            continue;
        if (filled) {
            if (!nrec)
                first_filled = filled;
            counts[nrec++] = fields;
        }
        fields = filled = 0;
    }
    if (nrec < 3 || first_filled < 2)
        return 0;
    size_t same = 0;
    for (size_t k = 0; k < nrec; k++)
        same += counts[k] == counts[0];
    return counts[0] >= min && same * 10 >= nrec * 9;
}

const char *office_detect_text(const char *path, const char *s, size_t n)
{
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    if (dot && !strcasecmp(dot, ".csv"))
        return "csv";
    if (dot && (!strcasecmp(dot, ".tsv") || !strcasecmp(dot, ".tab")))
        return "tsv";
    static const char *const textual[] = {".txt", ".text", ".md", ".htm", ".html", ".xhtml", NULL};
    for (int k = 0; dot && textual[k]; k++)
        if (!strcasecmp(dot, textual[k]))
            return NULL;
    if (table_shape(s, n, '\t', 2))
        return "tsv";
    return table_shape(s, n, ',', 3) ? "csv" : NULL;
}

/* ---- detection and the entry point -------------------------------------- */

/* An OLE compound file: a legacy binary Office file, or the wrapper in
 * which Office stores a password-protected DOCX or XLSX. */
static cs_status ole_refusal(const unsigned char *s, size_t n, cs_error *err)
{
    static const char encrypted[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    int found = 0;
    for (size_t i = 0; !found && i + sizeof encrypted - 1 <= n; i++)
        found = s[i] == 'E' && !memcmp(s + i, encrypted, sizeof encrypted - 1);
    if (found)
        return cs_fail(err, CS_ERR_INPUT, "encrypted (password-protected) Office document; not read");
    return cs_fail(err, CS_ERR_INPUT, "a legacy binary Office file (.doc, .xls, .ppt); not read: save it as "
                                      "DOCX, XLSX, ODT or ODS");
}

/* The main part of an Office Open XML package, from its relationships
 * (_rels/.rels), else by the usual names; "" when there is none. */
static void ooxml_main(archive *a, char *out, size_t cap)
{
    xbook b;
    memset(&b, 0, sizeof b);
    buf_init(&b.strings, 0);
    cs_error ignored;
    out[0] = '\0';
    if (xbook_read(a, "_rels/.rels", &b, 0, &ignored) == CS_OK)
        for (size_t i = 0; i < b.nrels && !out[0]; i++) {
            const char *t = b.rels[i].target;
            size_t tl = strlen(t);
            if ((tl >= 12 && !strcmp(t + tl - 12, "document.xml")) || (tl >= 12 && !strcmp(t + tl - 12, "workbook.xml")))
                snprintf(out, cap, "%s", t[0] == '/' ? t + 1 : t);
        }
    xbook_free(&b);
    if (!out[0] || !arc_has(a, out))
        snprintf(out, cap, "%s", arc_has(a, "word/document.xml") ? "word/document.xml"
                                 : arc_has(a, "xl/workbook.xml") ? "xl/workbook.xml" : "");
}

/* The ODF type of an archive from its mimetype entry; NULL if none. */
static const char *odf_type(archive *a, cs_error *err, cs_status *rc)
{
    *rc = CS_OK;
    if (!arc_has(a, "mimetype") || !arc_has(a, "content.xml"))
        return NULL;
    buf m;
    buf_init(&m, 200);
    (void)arc_read_small(a, "mimetype", &m, err);
    const char *mt = buf_str(&m), *type = NULL;
    if (!strcmp(mt, "application/vnd.oasis.opendocument.text"))
        type = "odt";
    else if (!strcmp(mt, "application/vnd.oasis.opendocument.spreadsheet"))
        type = "ods";
    buf_free(&m);
    if (type && arc_has(a, "META-INF/manifest.xml")) {
        buf man;
        buf_init(&man, 1 << 20);
        (void)arc_read_small(a, "META-INF/manifest.xml", &man, err);
        if (man.len && strstr(man.ptr, "encryption-data"))
            *rc = cs_fail(err, CS_ERR_INPUT, "encrypted (password-protected) OpenDocument file; not read");
        buf_free(&man);
    }
    return type;
}

/* The type of an open archive, or an error that says what it is instead. */
static cs_status archive_type(archive *a, const char **type, char *main_part, size_t cap, cs_error *err)
{
    cs_status rc;
    *type = odf_type(a, err, &rc);
    if (rc != CS_OK || *type)
        return rc;
    ooxml_main(a, main_part, cap);
    const char *base = strrchr(main_part, '/');
    base = base ? base + 1 : main_part;
    if (!strcmp(base, "document.xml"))
        *type = "docx";
    else if (!strcmp(base, "workbook.xml"))
        *type = "xlsx";
    else
        return cs_fail(err, CS_ERR_INPUT, "a zip archive, not a DOCX, XLSX, ODT or ODS document");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(a->za, main_part, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st.encryption_method != ZIP_EM_NONE)
        return cs_fail(err, CS_ERR_INPUT, "encrypted (password-protected) document; not read");
    return CS_OK;
}

cs_status office_detect(const unsigned char *s, size_t n, const char **type, cs_error *err)
{
    *type = NULL;
    if (n >= 8 && !memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return ole_refusal(s, n, err);
    if (n < 4 || memcmp(s, "PK\x03\x04", 4))
        return CS_OK;
    archive a;
    if (arc_open(&a, s, n, err) != CS_OK)
        return CS_ERR_INPUT;
    char main_part[512];
    cs_status rc = archive_type(&a, type, main_part, sizeof main_part, err);
    arc_close(&a);
    if (rc != CS_OK)
        *type = NULL;
    return rc;
}

cs_status office_parse(doc *d, cs_error *err)
{
    xmlSetGenericErrorFunc(NULL, xml_silent);
    xmlSetStructuredErrorFunc(NULL, xml_silent_structured);
    cs_status rc = CS_OK;
    if (!strcmp(d->type, "csv") || !strcmp(d->type, "tsv")) {
        csv_parse(d, d->type[0] == 'c' ? ',' : '\t');
    } else {
        archive a;
        if (arc_open(&a, d->raw, d->raw_len, err) != CS_OK)
            return CS_ERR_INPUT;
        const char *type;
        char main_part[512];
        rc = archive_type(&a, &type, main_part, sizeof main_part, err);
        if (rc == CS_OK && !strcmp(type, "docx"))
            rc = docx_parse(&a, d, main_part, err);
        else if (rc == CS_OK && !strcmp(type, "xlsx"))
            rc = xlsx_parse(&a, d, main_part, err);
        else if (rc == CS_OK)
            rc = odf_parse(&a, d, err);
        arc_close(&a);
    }
    if (rc == CS_OK && text_full(d))
        rc = cs_fail(err, CS_ERR_TOOBIG, "more than %zu MiB of text or %zu blocks; not read", MAX_TEXT >> 20,
                     MAX_BLOCKS);
    if (rc == CS_OK)
        title_from_blocks(d);
    return rc;
}
