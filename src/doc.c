/* doc: the document model shared by every stage. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

doc *doc_new(const char *path)
{
    doc *d = cs_xcalloc(1, sizeof *d);
    d->path = cs_xstrdup(path);
    d->type = "text";
    buf_init(&d->btext, 0);
    buf_init(&d->battrs, 0);
    return d;
}

void doc_free(doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nblocks; i++) {
        free(d->blocks[i].path);
        free(d->blocks[i].attrs);
    }
    for (size_t i = 0; i < d->ncontainers; i++) {
        free(d->containers[i].tag);
        free(d->containers[i].attrs);
    }
    free(d->blocks);
    free(d->containers);
    buf_free(&d->btext);
    buf_free(&d->battrs);
    free(d->path);
    free(d->raw);
    if (d->input_owned)
        free(d->input);
    free(d->text);
    free(d->title);
    free(d->published);
    free(d->site);
    free(d->byline);
    free(d->canonical);
    free(d->lang);
    free(d->warning);
    free(d->page_off);
    free(d->meta_date);
    free(d);
}

size_t doc_utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

size_t doc_add_block(doc *d, doc_block_kind kind, const char *s, size_t n)
{
    cs_grow(&d->blocks, &d->blocks_cap, d->nblocks + 1, sizeof *d->blocks);
    doc_block *b = &d->blocks[d->nblocks];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->off = d->btext.len;
    b->len = n;
    b->chars = doc_utf8_chars(s, n);
    b->container = DOC_NONE;
    b->clean_off = DOC_NONE;
    b->keep = 1;
    /* The arena has no cap: its size is bounded by the input's. */
    if (buf_add(&d->btext, s, n) != CS_OK || buf_addc(&d->btext, '\0') != CS_OK)
        abort();
    return d->nblocks++;
}

void doc_mark_page(doc *d, int page, size_t btext_off)
{
    if (page <= d->pages)
        return;
    d->page_off = cs_xrealloc(d->page_off, (size_t)page * sizeof *d->page_off);
    for (int p = d->pages; p < page; p++)
        d->page_off[p] = btext_off; /* pages without text start where the next does */
    d->pages = page;
}

int doc_page_at(const doc *d, size_t off)
{
    if (!d->pages || !d->nblocks)
        return 0;
    /* The last kept block starting at or before off (clean_off grows with i). */
    size_t lo = 0, hi = d->nblocks, found = DOC_NONE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, i = mid;
        while (i < hi && d->blocks[i].clean_off == DOC_NONE)
            i++;
        if (i == hi) {
            hi = mid;
        } else if (d->blocks[i].clean_off <= off) {
            found = i;
            lo = i + 1;
        } else {
            hi = mid;
        }
    }
    if (found == DOC_NONE)
        return 0;
    const doc_block *b = &d->blocks[found];
    size_t at = b->off + (off - b->clean_off < b->len ? off - b->clean_off : b->len);
    int p = b->page > 0 ? b->page : 1;
    while (p < d->pages && d->page_off[p] <= at)
        p++;
    return p;
}

void doc_drop_input(doc *d)
{
    if (d->input_owned)
        free(d->input);
    free(d->raw);
    d->raw = NULL;
    d->input = NULL;
    d->input_owned = 0;
}

const char *doc_block_text(const doc *d, size_t i)
{
    const doc_block *b = &d->blocks[i];
    return b->clean_off != DOC_NONE ? d->text + b->clean_off : d->btext.ptr + b->off;
}

void doc_set_block_attrs(doc *d, size_t i, const char *s, size_t n)
{
    doc_block *b = &d->blocks[i];
    b->own_off = d->battrs.len;
    b->own_len = n;
    /* Like the text arena, bounded by the input's size. */
    if (buf_add(&d->battrs, s, n) != CS_OK || buf_addc(&d->battrs, '\0') != CS_OK)
        abort();
}

const char *doc_block_attrs(const doc *d, size_t i)
{
    return d->blocks[i].own_len ? d->battrs.ptr + d->blocks[i].own_off : "";
}

/* The bytes of the new text: the kept blocks joined by blank lines. */
static size_t kept_bytes(const doc *d)
{
    size_t n = 0, kept = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].keep)
            n += d->blocks[i].len + (kept++ ? 2 : 0);
    return n;
}

void doc_build_text(doc *d)
{
    /* Sized once; each block is read where it is now (doc_block_text)
     * before its place changes. A paginated document keeps its arena
     * whole: its page marks are offsets in it. */
    size_t n = kept_bytes(d), at = 0;
    char *text = cs_xmalloc(n + 1);
    int compact = !d->pages;
    buf rest;
    buf_init(&rest, d->btext.max);
    d->chars_in = d->chars_kept = d->blocks_kept = d->blocks_dropped = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        const char *s = doc_block_text(d, i);
        d->chars_in += b->chars;
        if (!b->keep) {
            if (compact) {
                size_t off = rest.len;
                if (buf_add(&rest, s, b->len) != CS_OK || buf_addc(&rest, '\0') != CS_OK)
                    abort();
                b->off = off;
            }
            b->clean_off = DOC_NONE;
            d->blocks_dropped++;
            continue;
        }
        if (at)
            memcpy(text + at, "\n\n", 2), at += 2;
        memcpy(text + at, s, b->len);
        b->clean_off = at;
        at += b->len;
        d->chars_kept += b->chars;
        d->blocks_kept++;
    }
    text[at] = '\0';
    free(d->text);
    d->text = text;
    d->text_len = at;
    if (compact) {
        buf_free(&d->btext);
        d->btext = rest;
    } else {
        buf_free(&rest);
    }
}

void doc_set_meta(char **field, const char *s, size_t n, int overwrite)
{
    if (!s || (*field && !overwrite))
        return;
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (!n)
        return;
    free(*field);
    *field = cs_xstrndup(s, n);
}
