/* doc: one document: raw bytes, its blocks, the cleaned text and metadata. */
#ifndef DOC_H
#define DOC_H

#include <stddef.h>

#include "buf.h"

typedef enum {
    DOC_BLOCK_PARA,
    DOC_BLOCK_HEADING,
    DOC_BLOCK_ITEM,
    DOC_BLOCK_ROW, /* a table row: cells separated by tabs */
    DOC_BLOCK_QUOTE,
    DOC_BLOCK_PRE
} doc_block_kind;

#define DOC_NONE ((size_t)-1)

#define DOC_PDF 1       /* doc.is_pdf: the file opens with "%PDF-" */
#define DOC_PDF_MAYBE 2 /* doc.is_pdf: "%PDF-" further into binary bytes, as readers accept */

typedef struct {
    doc_block_kind kind;
    int level;          /* heading level 1..6; 0 for other blocks */
    size_t off, len;    /* the block's text in doc->btext; once the text is built, a kept
                         * block's is in doc->text only (doc_block_text finds it) */
    size_t chars;       /* code points of text */
    size_t link_chars;  /* code points inside links */
    size_t src_off;     /* byte offset of the block in the UTF-8 input */
    unsigned src_line;  /* 1-based line of the block in the input */
    size_t container;   /* index in doc->containers of the nearest container, or DOC_NONE */
    size_t own_off, own_len; /* class/id tokens of its own element, in doc->battrs (HTML) */
    char *path;         /* tag path such as "body>div>article>p"; owned; NULL unless doc->explain */
    char *attrs;        /* lower-case class/id tokens of the block and ancestors; NULL unless doc->explain */
    int in_article;     /* inside <article>, <main> or itemprop=articleBody */
    int direct;         /* text stands directly in its container (a div used as a paragraph) */
    int neg;            /* boiler: its own class/id tokens name boilerplate */
    int keep;           /* boiler's decision: 1 content, 0 boilerplate */
    const char *why;    /* boiler's reason, a static string */
    double score;       /* boiler's content score of the block */
    size_t clean_off;   /* offset of the block in doc->text when kept, else DOC_NONE */
    int page;           /* 1-based page of the block's first character; 0 when not paginated */
} doc_block;

/* An element that groups blocks (div, section, article, ul, table, ...). */
typedef struct {
    size_t parent;      /* index of the enclosing container, or DOC_NONE */
    size_t first, last; /* block index range [first, last); first == last if empty */
    char *tag;          /* element name; owned */
    char *attrs;        /* its own lower-case class/id tokens; owned */
    double score;       /* boiler's accumulated content score */
    int neg;            /* boiler: boilerplate by its tag, class/id or opening heading (nav, comments...) */
} doc_container;

typedef struct {
    char *path;            /* the document id: its path as given ("-" for stdin); owned */
    unsigned char *raw;    /* the raw input bytes; owned */
    size_t raw_len;
    char sha256[65];       /* hex sha256 of raw */
    int is_html;
    int is_pdf;            /* DOC_PDF; DOC_PDF_MAYBE when "%PDF-" is not at the start (text if poppler refuses it) */
    int pages;             /* page count of a paginated source (PDF); 0 otherwise */
    size_t *page_off;      /* page_off[p - 1]: offset in btext where page p starts; owned */
    int is_office;         /* office.c reads it: d->type says which format */
    const char *type;      /* static: "html", "text", "pdf", "docx", "odt", "ods", "xlsx", "csv", "tsv" */
    int explain;           /* keep each block's tag path and class/id tokens (for clean --explain) */
    char *input;           /* raw converted to valid UTF-8; owned unless it aliases raw */
    int input_owned;
    size_t input_len;
    const char *charset;   /* what input was converted from: a literal or charset_buf */
    char charset_buf[64];  /* a declared or detected charset's name */
    char *warning;         /* what load or the parser noticed but read anyway (an unusable declared
                            * charset, a PDF's pages without text); owned, or NULL */

    buf btext;             /* arena of block texts */
    buf battrs;            /* arena of the blocks' own class/id tokens */
    doc_block *blocks;
    size_t nblocks, blocks_cap;
    doc_container *containers;
    size_t ncontainers, containers_cap;

    char *text;            /* cleaned text: kept blocks joined by blank lines; owned */
    size_t text_len;

    /* Metadata; each owned, NULL when unknown. */
    char *title, *published, *site, *byline, *canonical, *lang;
    char *meta_date;       /* a file's own date (PDF creation), for when the text states none */
    size_t chars_in, chars_kept, blocks_kept, blocks_dropped;
} doc;

/* Creates an empty document for path; free with doc_free. */
doc *doc_new(const char *path);
void doc_free(doc *d);

/* Appends a block whose text is s[0..n) (already whitespace-normalised);
 * returns its index. */
size_t doc_add_block(doc *d, doc_block_kind kind, const char *s, size_t n);
/* The text of block i; not NUL-terminated, length d->blocks[i].len. */
const char *doc_block_text(const doc *d, size_t i);
/* Sets block i's own class/id tokens (lower case, space-separated). */
void doc_set_block_attrs(doc *d, size_t i, const char *s, size_t n);
/* Block i's own class/id tokens, NUL-terminated ("" when none). */
const char *doc_block_attrs(const doc *d, size_t i);

/* Records that page (1-based) starts at the current end of btext: the next
 * block added, or the next bytes of it, lie on that page. Pages are marked
 * in order; d->pages grows to page. */
void doc_mark_page(doc *d, int page, size_t btext_off);

/* The page of the byte at clean-text offset off, or 0 when d is not
 * paginated or off lies outside the kept blocks. */
int doc_page_at(const doc *d, size_t off);

/* Frees the raw bytes and their UTF-8 form once d is parsed: from then on
 * its blocks and text are all that extraction reads (the sha256 stays). */
void doc_drop_input(doc *d);

/* Builds d->text from the kept blocks and fills the cleaning statistics.
 * The page's text is then held once: btext keeps only the dropped blocks'
 * (a paginated document's stays whole), and a kept block's text is read
 * from d->text. */
void doc_build_text(doc *d);

/* Sets *field to a copy of s[0..n), trimmed; keeps an existing value unless
 * overwrite is set. */
void doc_set_meta(char **field, const char *s, size_t n, int overwrite);

/* Code points in s[0..n) of valid UTF-8. */
size_t doc_utf8_chars(const char *s, size_t n);

#endif
