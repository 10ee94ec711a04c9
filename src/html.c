/* html: one SAX pass over the page. A stack of open elements carries the tag,
 * its class/id tokens and whether its subtree is skipped (script, hidden);
 * text accumulates into the current block until a block-level element starts
 * or ends. SAX rather than a tree: the same information at less cost. */
#include "html.h"
#include "strs.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define MAX_STACK 512    /* deeper elements are parsed but not tracked */
#define MAX_ATTRS 600    /* bytes of ancestor tokens kept per block */

typedef struct {
    char tag[16];
    unsigned skip : 1;   /* subtree is not content (script, hidden, ...) */
    unsigned link : 1;
    unsigned code : 1;   /* pre or code: its line breaks are lines */
    unsigned article : 1;
    unsigned title : 1;
    unsigned ldjson : 1;
    unsigned block : 1;
    unsigned h1 : 1;
    unsigned head : 1;
    signed char kind;    /* the doc_block_kind it gives its blocks, or -1 (kind_of_flags) */
    size_t container;    /* container index opened by this element, or DOC_NONE */
    size_t attrs_len;    /* length of the token buffer before this element */
} frame;

typedef struct {
    doc *d;
    htmlParserCtxtPtr ctxt;
    frame stack[MAX_STACK];
    size_t depth, overflow;
    size_t skip, links, code, article, in_title, in_ldjson, in_head; /* counts of open frames with the flag */
    buf attrs;           /* space-separated tokens of the open elements */
    buf cur;             /* text of the block being built */
    size_t cur_links;    /* bytes of cur inside links */
    int pending_space;
    int br_open;         /* a <br> ended cur's line: the next text joins it or starts a block */
    size_t cur_line, cur_off;
    size_t container;    /* innermost open container */
    buf title_tag, ldjson;
    int in_table_cell;
    char *og_title, *h1;
    int h1_open;
    buf h1buf;
    size_t byline_at;    /* depth of the open byline element (innermost), 0: none */
    size_t noscript_at;  /* depth of the open skipped <noscript> (innermost), 0: none */
    size_t noscript_blocks; /* block elements started inside it */
    buf bytext;          /* its text so far */
} state;

enum {
    T_SKIP = 1, T_CONTAINER = 2, T_BLOCK = 4, T_HTML = 8, T_META = 16, T_LINK = 32, T_TIME = 64,
    T_TITLE = 128, T_SCRIPT = 256, T_A = 512, T_ARTICLE = 1024, T_H1 = 2048, T_CELL = 4096, T_BR = 8192,
    T_HEAD = 16384, T_NOSCRIPT = 32768, T_CODE = 1 << 16,
    /* what a block inside the element is (the innermost such element decides) */
    T_HEADING = 1 << 17, T_ITEM = 1 << 18, T_ROW = 1 << 19, T_QUOTE = 1 << 20, T_PRE = 1 << 21, T_PARA = 1 << 22
};

/* Element classes, sorted by name: one binary search per element. */
static const struct tagclass {
    const char *name;
    int flags;
} tags[] = {
    {"a", T_A}, {"address", T_BLOCK}, {"article", T_BLOCK | T_CONTAINER | T_ARTICLE},
    {"aside", T_BLOCK | T_CONTAINER}, {"audio", T_SKIP}, {"blockquote", T_BLOCK | T_QUOTE},
    {"body", T_BLOCK | T_CONTAINER}, {"br", T_BR}, {"button", T_SKIP}, {"canvas", T_SKIP},
    {"caption", T_BLOCK}, {"center", T_BLOCK | T_CONTAINER}, {"code", T_CODE}, {"dd", T_BLOCK | T_ITEM},
    {"details", T_BLOCK | T_CONTAINER}, {"div", T_BLOCK | T_CONTAINER}, {"dl", T_BLOCK | T_CONTAINER},
    {"dt", T_BLOCK | T_ITEM}, {"embed", T_SKIP}, {"figcaption", T_BLOCK}, {"figure", T_BLOCK | T_CONTAINER},
    {"footer", T_BLOCK | T_CONTAINER}, {"form", T_BLOCK | T_CONTAINER}, {"h1", T_BLOCK | T_H1 | T_HEADING},
    {"h2", T_BLOCK | T_HEADING}, {"h3", T_BLOCK | T_HEADING}, {"h4", T_BLOCK | T_HEADING},
    {"h5", T_BLOCK | T_HEADING}, {"h6", T_BLOCK | T_HEADING}, {"head", T_HEAD},
    {"header", T_BLOCK | T_CONTAINER}, {"hr", T_BLOCK}, {"html", T_HTML}, {"iframe", T_SKIP},
    {"input", T_SKIP}, {"legend", T_BLOCK}, {"li", T_BLOCK | T_ITEM}, {"link", T_LINK},
    {"main", T_BLOCK | T_CONTAINER | T_ARTICLE}, {"map", T_SKIP}, {"math", T_SKIP}, {"meta", T_META},
    {"nav", T_BLOCK | T_CONTAINER}, {"noscript", T_SKIP | T_NOSCRIPT}, {"object", T_SKIP}, {"ol", T_BLOCK | T_CONTAINER},
    {"p", T_BLOCK | T_PARA}, {"pre", T_BLOCK | T_CODE | T_PRE}, {"script", T_SKIP | T_SCRIPT},
    {"section", T_BLOCK | T_CONTAINER}, {"select", T_SKIP}, {"style", T_SKIP}, {"summary", T_BLOCK}, {"svg", T_SKIP},
    {"table", T_BLOCK | T_CONTAINER}, {"td", T_CELL}, {"template", T_SKIP}, {"textarea", T_SKIP},
    {"th", T_CELL}, {"time", T_TIME}, {"title", T_TITLE}, {"tr", T_BLOCK | T_ROW}, {"ul", T_BLOCK | T_CONTAINER},
    {"video", T_SKIP},
};

/* The flags of a tag: a binary search of tags, most steps settled by the
 * first letter without a call. */
static int tag_flags(const char *tag)
{
    size_t lo = 0, hi = sizeof tags / sizeof *tags;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *name = tags[mid].name;
        int c = (unsigned char)tag[0] - (unsigned char)name[0];
        if (!c)
            c = strcmp(tag, name);
        if (!c)
            return tags[mid].flags;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* The kind a block takes from an element with these flags, or -1 when the
 * element says nothing (a span, a link): the walk goes on outwards. */
static int kind_of_flags(int flags)
{
    if (flags & T_HEADING)
        return DOC_BLOCK_HEADING;
    if (flags & T_ITEM)
        return DOC_BLOCK_ITEM;
    if (flags & T_ROW)
        return DOC_BLOCK_ROW;
    if (flags & T_QUOTE)
        return DOC_BLOCK_QUOTE;
    if (flags & T_PRE)
        return DOC_BLOCK_PRE;
    if (flags & T_PARA)
        return DOC_BLOCK_PARA;
    return -1;
}

static doc_block_kind kind_of(const state *st, int *level)
{
    *level = 0;
    for (size_t i = st->depth < MAX_STACK ? st->depth : MAX_STACK; i-- > 0;) {
        const frame *f = &st->stack[i];
        if (f->kind >= 0) {
            if (f->kind == DOC_BLOCK_HEADING)
                *level = f->tag[1] - '0';
            return (doc_block_kind)f->kind;
        }
        if (f->container != DOC_NONE) {
            *level = -1; /* text sits directly in a container element */
            return DOC_BLOCK_PARA;
        }
    }
    return DOC_BLOCK_PARA;
}

/* Block i's own class/id tokens: those of its innermost block element and
 * the elements open inside it (text straight in a container has none of its
 * own: the container's are known). */
static void set_own_attrs(state *st, size_t i)
{
    size_t top = st->depth < MAX_STACK ? st->depth : MAX_STACK;
    for (size_t j = top; j-- > 0;) {
        const frame *f = &st->stack[j];
        if (f->container != DOC_NONE)
            return;
        if (f->block) {
            if (st->attrs.len > f->attrs_len)
                doc_set_block_attrs(st->d, i, st->attrs.ptr + f->attrs_len, st->attrs.len - f->attrs_len);
            return;
        }
    }
}

static void flush(state *st)
{
    buf_rtrim(&st->cur);
    if (st->cur.len) {
        int level;
        doc_block_kind k = kind_of(st, &level);
        size_t i = doc_add_block(st->d, k, st->cur.ptr, st->cur.len);
        doc_block *b = &st->d->blocks[i];
        b->direct = level < 0;
        b->level = level < 0 ? 0 : level;
        /* The link share in code points, from the share in bytes. */
        b->link_chars = st->cur.len ? (size_t)((double)st->cur_links / (double)st->cur.len * (double)b->chars + 0.5) : 0;
        b->src_line = (unsigned)st->cur_line;
        b->src_off = st->cur_off;
        b->container = st->container;
        b->in_article = st->article > 0;
        set_own_attrs(st, i);
        if (st->d->explain) {
            size_t a = st->attrs.len > MAX_ATTRS ? st->attrs.len - MAX_ATTRS : 0;
            b->attrs = cs_xstrndup(buf_str(&st->attrs) + a, st->attrs.len - a);
            buf path;
            buf_init(&path, 0);
            size_t top = st->depth < MAX_STACK ? st->depth : MAX_STACK;
            size_t from = top > 8 ? top - 8 : 0;
            for (size_t j = from; j < top; j++) {
                if (j > from)
                    buf_put(&path, ">", 1);
                buf_put(&path, st->stack[j].tag, strlen(st->stack[j].tag));
            }
            b->path = buf_detach(&path);
        }
    }
    buf_reset(&st->cur);
    st->cur_links = 0;
    st->pending_space = 0;
    st->br_open = 0;
}

/* 1 when b's text ends a clause: . ! ? : ; possibly inside a closing quote
 * or bracket. */
static int ends_clause(const buf *b)
{
    size_t n = b->len;
    while (n && (b->ptr[n - 1] == ' ' || b->ptr[n - 1] == '"' || b->ptr[n - 1] == '\'' || b->ptr[n - 1] == ')'))
        n--;
    while (n >= 3 && (unsigned char)b->ptr[n - 3] == 0xE2 && (unsigned char)b->ptr[n - 2] == 0x80 &&
           ((unsigned char)b->ptr[n - 1] == 0x9D || (unsigned char)b->ptr[n - 1] == 0x99))
        n -= 3; /* a closing curly quote */
    return n && strchr(".!?:;", b->ptr[n - 1]) != NULL;
}

/* A <br>: a line ends. Most line breaks separate lines that stand alone (an
 * address, a list of names), so they end the block; but a sentence wrapped
 * with <br> mid-way must stay one. So when the line does not end a clause,
 * the decision waits for the next text (on_chars): a lower-case start joins
 * the line. A second <br> in a row always ends the block, and so does any
 * <br> in code, whose lines are lines. */
static void line_break(state *st)
{
    if (st->br_open || st->code || ends_clause(&st->cur))
        flush(st);
    else if (st->cur.len)
        st->br_open = 1;
}

/* 1 when the UTF-8 text at s (n bytes) starts with a lower-case letter. */
static int starts_lower(const char *s, size_t n)
{
    utf8proc_int32_t c;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c) < 1)
        return 0;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}

static const char *attr(const xmlChar **atts, const char *name)
{
    for (size_t i = 0; atts && atts[i]; i += 2)
        if (!strcasecmp((const char *)atts[i], name))
            return atts[i + 1] ? (const char *)atts[i + 1] : "";
    return NULL;
}

/* The attributes on_start reads of every element, found in one pass over
 * them (the first of a name counts, as with attr). */
typedef struct {
    const char *cls, *id, *role, *itemprop, *rel, *hidden, *aria_hidden, *style;
} el_attrs;

static void read_attrs(const xmlChar **atts, el_attrs *a)
{
    memset(a, 0, sizeof *a);
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *n = (const char *)atts[i], **slot = NULL;
        switch (n[0] | 0x20) {
        case 'c':
            slot = !strcasecmp(n, "class") ? &a->cls : NULL;
            break;
        case 'i':
            slot = !strcasecmp(n, "id") ? &a->id : !strcasecmp(n, "itemprop") ? &a->itemprop : NULL;
            break;
        case 'r':
            slot = !strcasecmp(n, "role") ? &a->role : !strcasecmp(n, "rel") ? &a->rel : NULL;
            break;
        case 'h':
            slot = !strcasecmp(n, "hidden") ? &a->hidden : NULL;
            break;
        case 'a':
            slot = !strcasecmp(n, "aria-hidden") ? &a->aria_hidden : NULL;
            break;
        case 's':
            slot = !strcasecmp(n, "style") ? &a->style : NULL;
            break;
        }
        if (slot && !*slot)
            *slot = atts[i + 1] ? (const char *)atts[i + 1] : "";
    }
}

static int is_hidden(const el_attrs *a)
{
    if (a->hidden)
        return 1;
    if (a->aria_hidden && !strcasecmp(a->aria_hidden, "true"))
        return 1;
    const char *s = a->style;
    if (s) {
        char flat[256];
        size_t k = 0;
        for (size_t i = 0; s[i] && k + 1 < sizeof flat; i++)
            if (s[i] != ' ')
                flat[k++] = (char)(s[i] | 0x20);
        flat[k] = '\0';
        if (strstr(flat, "display:none") || strstr(flat, "visibility:hidden"))
            return 1;
    }
    return 0;
}

/* Appends the tokens of an attribute value, lower-cased (ASCII), each run of
 * white space as one space, and a space after them: the value is copied
 * once and folded in place (folding never lengthens it). */
static void add_tokens(buf *b, const char *v)
{
    if (!v)
        return;
    size_t at = b->len, w = at;
    buf_put(b, v, strlen(v));
    for (size_t r = at; r < b->len; r++) {
        char c = b->ptr[r];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (w && b->ptr[w - 1] == ' ')
                continue;
            c = ' ';
        } else if (c >= 'A' && c <= 'Z') {
            c = (char)(c + 32);
        }
        b->ptr[w++] = c;
    }
    if (b->ptr) {
        b->len = w;
        b->ptr[w] = '\0';
    }
    buf_put(b, " ", 1);
}

static void meta_date(doc *d, const char *v, int overwrite)
{
    /* ISO 8601 dates and date-times: keep the calendar date. */
    if (!v || strlen(v) < 10)
        return;
    for (int i = 0; i < 10; i++) {
        char c = v[i];
        if ((i == 4 || i == 7) ? c != '-' : (c < '0' || c > '9'))
            return;
    }
    doc_set_meta(&d->published, v, 10, overwrite);
}

/* 1 if s holds w, ignoring ASCII case ("govuk:first-published-at"). */
static int has_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (!strncasecmp(s, w, n))
            return 1;
    return 0;
}

static void on_meta(state *st, const xmlChar **atts)
{
    const char *key = attr(atts, "property");
    if (!key)
        key = attr(atts, "name");
    if (!key)
        key = attr(atts, "itemprop");
    const char *v = attr(atts, "content");
    if (!key || !v)
        return;
    doc *d = st->d;
    if (!strcasecmp(key, "og:title") || !strcasecmp(key, "twitter:title")) {
        if (!st->og_title)
            st->og_title = cs_xstrdup(v);
    } else if (!strcasecmp(key, "og:site_name")) {
        doc_set_meta(&d->site, v, strlen(v), 1); /* the site's own name wins over application-name */
    } else if (!strcasecmp(key, "application-name")) {
        doc_set_meta(&d->site, v, strlen(v), 0);
    } else if (!strcasecmp(key, "article:published_time") || !strcasecmp(key, "datePublished") ||
               !strcasecmp(key, "date") || !strcasecmp(key, "pubdate") || !strcasecmp(key, "dc.date") ||
               !strcasecmp(key, "dcterms.created") || !strcasecmp(key, "parsely-pub-date") ||
               !strcasecmp(key, "sailthru.date") || !strcasecmp(key, "publish-date") ||
               has_ci(key, "published") || has_ci(key, "publish_date") || has_ci(key, "pubdate")) {
        meta_date(d, v, 0);
    } else if (!strcasecmp(key, "author") || !strcasecmp(key, "article:author") || !strcasecmp(key, "dc.creator")) {
        if (strncmp(v, "http", 4))
            doc_set_meta(&d->byline, v, strlen(v), 0);
    } else if (!strcasecmp(key, "og:url")) {
        doc_set_meta(&d->canonical, v, strlen(v), 0);
    }
}

static int byline_token(const char *v)
{
    static const char *const names[] = {"byline", "author", "author-name", "authorname", "author-link",
                                        "byline-name", "byline__name", "story-byline", "article-author", NULL};
    /* One pass over the tokens; most elements have none that could match. */
    for (const char *p = v; p && *p;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k >= 6 && k <= 14 && strchr("aAbBsS", *p))
            for (int i = 0; names[i]; i++)
                if (strlen(names[i]) == k && !strncasecmp(p, names[i], k))
                    return 1;
        p += k;
    }
    return 0;
}

static int is_byline_element(const char *cls, const char *id, const char *itemprop, const char *rel)
{
    return byline_token(cls) || byline_token(id) || (itemprop && strs_has_word(itemprop, strlen(itemprop), "author")) ||
           (rel && strs_has_word(rel, strlen(rel), "author"));
}

/* The byline element's text as an author's name: "By Nathan Willis March
 * 25, 2015" gives "Nathan Willis". Kept only when it reads as a name: two
 * to five capitalised words. */
static void set_byline(state *st)
{
    const char *t = buf_str(&st->bytext);
    static const char *const lead[] = {"by ", "written by ", "posted by ", "story by ", "words by ", NULL};
    for (int i = 0; lead[i]; i++)
        if (!strncasecmp(t, lead[i], strlen(lead[i])))
            t += strlen(lead[i]);
    static const char *const stops[] = {"january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december", "monday", "tuesday",
                                        "wednesday", "thursday", "friday", "saturday", "sunday", "updated",
                                        "published", NULL};
    size_t n = 0, words = 0;
    int ok = 1;
    while (t[n] && t[n] != ',' && t[n] != '|' && strncmp(t + n, " - ", 3) && strncmp(t + n, " and ", 5) &&
           strncmp(t + n, " on ", 4) && strncmp(t + n, " \xE2\x80\x94", 4) && strncmp(t + n, " \xE2\x80\x93", 4)) {
        if (isdigit((unsigned char)t[n]))
            break;
        if (t[n] == '@')
            ok = 0;
        if ((n == 0 || t[n - 1] == ' ') && t[n] != ' ') {
            char w[16];
            size_t k = strcspn(t + n, " ,");
            snprintf(w, sizeof w, "%.*s", (int)(k < sizeof w - 1 ? k : sizeof w - 1), t + n);
            if (strs_in_list(w, stops))
                break; /* "By GILLIAN MOHNEY March 11" */
            words++;
            ok &= isupper((unsigned char)t[n]) || (unsigned char)t[n] >= 0x80;
        }
        n++;
    }
    while (n && t[n - 1] == ' ')
        n--;
    if (ok && words >= 2 && words <= 5)
        doc_set_meta(&st->d->byline, t, n, 0);
}

/* A <noscript> holds a fallback image or a line of text. One that goes on
 * for four block elements was left open by the page (libxml2 keeps it open when an
 * element inside is unclosed, where a browser ends it at </noscript>): the
 * rest of the page is not skipped. */
static void unskip_noscript(state *st)
{
    if (++st->noscript_blocks < 4)
        return;
    frame *f = &st->stack[st->noscript_at - 1];
    if (f->skip) {
        f->skip = 0;
        st->skip--;
    }
    st->noscript_at = 0;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    state *st = ctx;
    char tag[16];
    size_t k = 0;
    for (const char *p = (const char *)name; *p && k + 1 < sizeof tag; p++)
        tag[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    tag[k] = '\0';

    int flags = tag_flags(tag);
    if (flags & T_HTML) {
        const char *l = attr(atts, "lang");
        if (l)
            doc_set_meta(&st->d->lang, l, strlen(l), 0);
    } else if (flags & T_META) {
        on_meta(st, atts);
    } else if (flags & T_LINK) {
        const char *rel = attr(atts, "rel"), *href = attr(atts, "href");
        if (rel && href && !strcasecmp(rel, "canonical"))
            doc_set_meta(&st->d->canonical, href, strlen(href), 1);
    } else if ((flags & T_TIME) && !st->skip) {
        const char *dt = attr(atts, "datetime");
        if (dt && (st->article || attr(atts, "pubdate")))
            meta_date(st->d, dt, 0);
    }

    if (st->depth >= MAX_STACK) {
        st->overflow++;
        st->depth++;
        return;
    }
    int block = (flags & T_BLOCK) != 0;
    if (block && st->noscript_at)
        unskip_noscript(st);
    if (block && !st->skip)
        flush(st);
    else if ((flags & T_BR) && !st->skip)
        line_break(st);
    frame *f = &st->stack[st->depth];
    memset(f, 0, sizeof *f);
    memcpy(f->tag, tag, k + 1);
    f->container = DOC_NONE;
    f->attrs_len = st->attrs.len;
    f->block = (unsigned)block;
    f->h1 = (flags & T_H1) != 0;
    f->kind = (signed char)kind_of_flags(flags);

    el_attrs ea;
    read_attrs(atts, &ea);
    const char *cls = ea.cls, *id = ea.id, *role = ea.role, *itemprop = ea.itemprop;
    add_tokens(&st->attrs, cls);
    add_tokens(&st->attrs, id);
    add_tokens(&st->attrs, role);

    /* The page's title: in <head>, or before any text when the page has no
     * head; a <title> in an SVG image is not it. <head> itself is not
     * skipped: a page that never closes it (no <body> tag either) holds its
     * whole text there. */
    if ((flags & T_TITLE) && !st->skip && (st->in_head || !st->d->nblocks) && !st->in_title) {
        f->title = 1;
        st->in_title++;
    } else if (flags & T_SCRIPT) {
        const char *type = attr(atts, "type");
        if (type && !strcasecmp(type, "application/ld+json")) {
            f->ldjson = 1;
            st->in_ldjson++;
        }
    }
    if (flags & T_HEAD) {
        f->head = 1;
        st->in_head++;
    }
    if ((flags & T_SKIP) || is_hidden(&ea)) {
        f->skip = 1;
        st->skip++;
        if ((flags & T_NOSCRIPT) && st->depth < MAX_STACK) {
            st->noscript_at = st->depth + 1;
            st->noscript_blocks = 0;
        }
    }
    if (flags & T_A) {
        f->link = 1;
        st->links++;
    }
    if (flags & T_CODE) {
        f->code = 1;
        st->code++;
    }
    if ((flags & T_ARTICLE) || (itemprop && !strcasecmp(itemprop, "articleBody"))) {
        f->article = 1;
        st->article++;
    }
    if ((flags & T_H1) && !st->skip) {
        st->h1_open = 1;
        buf_reset(&st->h1buf);
    }
    if ((flags & T_CONTAINER) && !st->skip) {
        doc *d = st->d;
        cs_grow(&d->containers, &d->containers_cap, d->ncontainers + 1, sizeof *d->containers);
        doc_container *c = &d->containers[d->ncontainers];
        c->parent = st->container;
        c->first = c->last = d->nblocks;
        c->tag = cs_xstrdup(tag);
        buf own;
        buf_init(&own, 0);
        add_tokens(&own, cls);
        add_tokens(&own, id);
        add_tokens(&own, role);
        if (itemprop)
            add_tokens(&own, itemprop);
        c->attrs = buf_detach(&own);
        c->score = 0;
        f->container = d->ncontainers;
        st->container = d->ncontainers++;
    }
    if ((flags & T_CELL) && st->cur.len && !st->skip) {
        buf_put(&st->cur, "\t", 1);
        st->pending_space = 0;
    }
    st->depth++;
    if (!st->d->byline && !st->skip && is_byline_element(cls, id, itemprop, ea.rel)) {
        st->byline_at = st->depth; /* an inner byline element replaces an outer one */
        buf_reset(&st->bytext);
    }
}

static void on_end(void *ctx, const xmlChar *name)
{
    state *st = ctx;
    (void)name;
    if (!st->depth)
        return;
    if (st->depth > MAX_STACK) {
        st->depth--;
        st->overflow--;
        return;
    }
    if (st->byline_at == st->depth) {
        set_byline(st);
        st->byline_at = 0;
    }
    if (st->noscript_at == st->depth)
        st->noscript_at = 0;
    frame *f = &st->stack[st->depth - 1];
    /* Flush while the element is still open, so the block knows its kind. */
    if ((f->block || f->container != DOC_NONE) && !st->skip)
        flush(st);
    st->depth--;
    if (f->h1 && st->h1_open) {
        st->h1_open = 0;
        buf_rtrim(&st->h1buf);
        if (!st->h1 && st->h1buf.len)
            st->h1 = cs_xstrdup(buf_str(&st->h1buf));
    }
    if (f->skip)
        st->skip--;
    if (f->link)
        st->links--;
    if (f->code)
        st->code--;
    if (f->article)
        st->article--;
    if (f->title)
        st->in_title--;
    if (f->head)
        st->in_head--;
    if (f->ldjson)
        st->in_ldjson--;
    if (f->container != DOC_NONE) {
        doc_container *c = &st->d->containers[f->container];
        c->last = st->d->nblocks;
        st->container = c->parent;
    }
    /* Truncate the ancestor tokens back to what they were before f. */
    st->attrs.len = f->attrs_len;
    if (st->attrs.ptr)
        st->attrs.ptr[st->attrs.len] = '\0';
}

/* Appends text collapsing white space (including no-break and thin spaces). */
static void add_text(buf *b, int *pending, const char *s, size_t n, size_t *counted)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t w = 1;
        int space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
            space = 1, w = 2;
        else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 (((unsigned char)s[i + 2] >= 0x80 && (unsigned char)s[i + 2] <= 0x8A) ||
                  (unsigned char)s[i + 2] == 0xAF))
            space = 1, w = 3;
        else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x8B) {
            i += 3; /* zero-width space */
            continue;
        }
        if (space) {
            *pending = 1;
            i += w;
            continue;
        }
        size_t j = i;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' || d == 0xC2 || d == 0xE2)
                break;
            j++;
        }
        if (j == i)
            j = i + 1;
        if (*pending && b->len && b->ptr[b->len - 1] != '\t') {
            buf_put(b, " ", 1);
            if (counted)
                (*counted)++;
        }
        *pending = 0;
        buf_put(b, s + i, j - i);
        if (counted)
            *counted += j - i;
        i = j;
    }
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
    state *st = ctx;
    if (st->in_title && !st->in_ldjson) {
        int p = 1;
        add_text(&st->title_tag, &p, (const char *)ch, (size_t)len, NULL);
        return;
    }
    if (st->skip || st->overflow)
        return;
    if (st->byline_at && st->bytext.len < 300) {
        int p = st->bytext.len > 0;
        add_text(&st->bytext, &p, (const char *)ch, (size_t)len, NULL);
    }
    if (st->br_open) {
        size_t k = 0;
        while (k < (size_t)len && (ch[k] == ' ' || ch[k] == '\t' || ch[k] == '\n' || ch[k] == '\r'))
            k++;
        if (k < (size_t)len) {
            st->br_open = 0;
            if (starts_lower((const char *)ch + k, (size_t)len - k))
                st->pending_space = 1; /* the wrapped sentence goes on */
            else
                flush(st);
        }
    }
    if (!st->cur.len) {
        st->cur_line = (size_t)xmlSAX2GetLineNumber(st->ctxt);
        st->cur_off = (size_t)xmlByteConsumed(st->ctxt);
    }
    size_t before = st->cur.len;
    add_text(&st->cur, &st->pending_space, (const char *)ch, (size_t)len, NULL);
    if (st->links)
        st->cur_links += st->cur.len - before;
    if (st->h1_open) {
        int p = st->h1buf.len > 0;
        add_text(&st->h1buf, &p, (const char *)ch, (size_t)len, NULL);
    }
}

static void on_cdata(void *ctx, const xmlChar *ch, int len)
{
    state *st = ctx;
    if (st->in_ldjson)
        buf_put(&st->ldjson, (const char *)ch, (size_t)len);
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static const char *json_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v)) {
        json_t *n = json_object_get(v, "name");
        if (json_is_string(n))
            return json_string_value(n);
    }
    if (json_is_array(v) && json_array_size(v)) {
        json_t *first = json_array_get(v, 0);
        if (json_is_string(first))
            return json_string_value(first);
        if (json_is_object(first) && json_is_string(json_object_get(first, "name")))
            return json_string_value(json_object_get(first, "name"));
    }
    return NULL;
}

static void ld_walk(doc *d, json_t *j, int depth)
{
    if (depth > 16 || !j)
        return;
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            ld_walk(d, json_array_get(j, i), depth + 1);
        return;
    }
    if (!json_is_object(j))
        return;
    const char *v;
    if ((v = json_str(j, "datePublished")))
        meta_date(d, v, 0);
    if ((v = json_str(j, "dateCreated")))
        meta_date(d, v, 0);
    if ((v = json_str(j, "headline")))
        doc_set_meta(&d->title, v, strlen(v), 0);
    if ((v = json_str(j, "author")))
        doc_set_meta(&d->byline, v, strlen(v), 0);
    json_t *pub = json_object_get(j, "publisher");
    if (json_is_object(pub) && (v = json_str(pub, "name")))
        doc_set_meta(&d->site, v, strlen(v), 0);
    ld_walk(d, json_object_get(j, "@graph"), depth + 1);
    ld_walk(d, json_object_get(j, "mainEntity"), depth + 1);
}

static void parse_ldjson(doc *d, const char *s, size_t n)
{
    /* Pages may hold several scripts back to back; parse each JSON value. */
    static const char *const wrappers[] = {"<![CDATA[", "//<![CDATA[", "/*<![CDATA[*/", "]]>", "//]]>", "/*]]>*/",
                                           "<!--", "-->", NULL};
    size_t off = 0;
    while (off < n) {
        /* White space, and the CDATA or comment wrappers some pages put
         * around the JSON ("<![CDATA[ {...} ]]>"). */
        for (int skipped = 1; skipped && off < n;) {
            skipped = 0;
            while (off < n && (s[off] == ' ' || s[off] == '\n' || s[off] == '\r' || s[off] == '\t'))
                off++, skipped = 1;
            for (int w = 0; wrappers[w]; w++) {
                size_t k = strlen(wrappers[w]);
                if (n - off >= k && !memcmp(s + off, wrappers[w], k))
                    off += k, skipped = 1;
            }
        }
        if (off >= n)
            break;
        json_error_t je;
        json_t *j = json_loadb(s + off, n - off, JSON_DISABLE_EOF_CHECK, &je);
        if (!j)
            break;
        ld_walk(d, j, 0);
        json_decref(j);
        if (je.position <= 0)
            break;
        off += (size_t)je.position;
    }
}

/* A JSON-LD headline that the page's own title does not contain is a
 * description (encyclopaedias put one there: "constitutional monarchy in
 * Oceania" for "New Zealand - Wikipedia"); the h1 the title holds wins. */
static void check_ld_headline(doc *d, const state *st)
{
    const char *t = st->og_title ? st->og_title : (st->title_tag.len ? buf_str(&st->title_tag) : NULL);
    if (!t || !st->h1 || !st->h1[0] || !strstr(t, st->h1))
        return;
    size_t words = 0, shared = 0; /* the headline's words of three letters or more */
    for (const char *p = d->title; *p;) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *w = p;
        while (isalpha((unsigned char)*p))
            p++;
        if (p - w < 3)
            continue;
        char word[64];
        size_t n = (size_t)(p - w) < sizeof word ? (size_t)(p - w) : sizeof word - 1;
        memcpy(word, w, n);
        word[n] = '\0';
        words++;
        shared += has_ci(t, word);
    }
    if (words && shared * 2 < words)
        doc_set_meta(&d->title, st->h1, strlen(st->h1), 1);
}

/* "Headline | Site" and "Headline - Site": keep the headline part. */
/* The site named after a title's separator: its last segment ("Section |
 * Site" gives "Site"), when it reads as a name: capitalised and short, not
 * the rest of a headline ("How we designed ATF - an async task framework"). */
static void site_from_title(doc *d, const char *s, const char *sep)
{
    for (const char *q; (q = strstr(s, sep));)
        s = q + strlen(sep);
    size_t words = 1;
    for (const char *q = s; *q; q++)
        words += *q == ' ';
    if (words <= 5 && (isupper((unsigned char)*s) || isdigit((unsigned char)*s) || (unsigned char)*s >= 0x80))
        doc_set_meta(&d->site, s, strlen(s), 0);
}

static void set_title(doc *d, state *st)
{
    const char *t = st->og_title ? st->og_title : (st->title_tag.len ? buf_str(&st->title_tag) : NULL);
    if (!d->title && t) {
        if (st->h1 && strlen(st->h1) > 10 && strstr(t, st->h1)) {
            doc_set_meta(&d->title, st->h1, strlen(st->h1), 0);
        } else {
            static const char *seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xBB ", NULL};
            size_t n = strlen(t);
            for (int i = 0; seps[i]; i++) {
                const char *p = strstr(t, seps[i]);
                if (p && (size_t)(p - t) > 15) {
                    if (!d->site)
                        site_from_title(d, p + strlen(seps[i]), seps[i]);
                    n = (size_t)(p - t);
                    break;
                }
            }
            doc_set_meta(&d->title, t, n, 0);
        }
    }
    if (!d->title && st->h1)
        doc_set_meta(&d->title, st->h1, strlen(st->h1), 0);
}

/* Skips a quoted string or a comment at s[i] (inside a DOCTYPE); returns the
 * index after it, or i when s[i] starts neither, or n when it never ends. */
static size_t skip_quoted(const char *s, size_t n, size_t i)
{
    if (s[i] == '"' || s[i] == '\'') {
        const char *e = memchr(s + i + 1, s[i], n - i - 1);
        return e ? (size_t)(e - s) + 1 : n;
    }
    if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
        for (size_t j = i + 4; j + 3 <= n; j++)
            if (!memcmp(s + j, "-->", 3))
                return j + 3;
        return n;
    }
    return i;
}

/* The internal subset of a DOCTYPE ("<!DOCTYPE html [ <!ENTITY ...> ]>"):
 * libxml2's HTML parser does not read one, so its declarations would end up
 * in the text. Sets [*from, *to) to the subset, brackets included; 0 when
 * the page has none. */
static int doctype_subset(const char *s, size_t n, size_t *from, size_t *to)
{
    size_t lim = n < 4096 ? n : 4096, i = 0;
    while (i + 9 <= lim && strncasecmp(s + i, "<!doctype", 9))
        i++;
    if (i + 9 > lim)
        return 0;
    for (i += 9; i < n && s[i] != '>' && s[i] != '['; i++) {
        size_t j = skip_quoted(s, n, i);
        if (j != i)
            i = j - 1;
    }
    if (i >= n || s[i] != '[')
        return 0;
    *from = i;
    for (i++; i < n && s[i] != ']'; i++) {
        size_t j = skip_quoted(s, n, i);
        if (j != i)
            i = j - 1;
    }
    if (i >= n)
        return 0;
    *to = i + 1;
    return 1;
}

#define MAX_ELEMENT_ATTRS 64 /* attributes of one element that reach the parser */

/* 1 if s[i] is HTML white space. */
static int html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The end of one attribute (name, and "= value" when there is one) that
 * starts at i, in the manner of the parser. */
static size_t attribute_end(const char *s, size_t n, size_t i)
{
    size_t a = i;
    while (i < n && !html_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
        i++;
    if (i == a)
        i++; /* a stray '=' */
    size_t j = i;
    while (j < n && html_space(s[j]))
        j++;
    if (j >= n || s[j] != '=')
        return i;
    for (j++; j < n && html_space(s[j]); j++)
        ;
    if (j < n && (s[j] == '"' || s[j] == '\''))
        return skip_quoted(s, n, j);
    while (j < n && !html_space(s[j]) && s[j] != '>')
        j++;
    return j;
}

/* Walks the attributes of the start tag whose name ends at i; returns where
 * the tag ends. Past MAX_ELEMENT_ATTRS it sets *over and, when w is given,
 * blanks the attribute out with spaces in w. */
static size_t cap_tag(const char *s, size_t n, size_t i, char *w, int *over)
{
    for (size_t count = 0;;) {
        while (i < n && (html_space(s[i]) || s[i] == '/'))
            i++;
        if (i >= n || s[i] == '>')
            return i;
        size_t a = i;
        i = attribute_end(s, n, i);
        if (++count > MAX_ELEMENT_ATTRS) {
            *over = 1;
            if (!w)
                return i;
            memset(w + a, ' ', i - a);
        }
    }
}

/* Where the text of a script or style element that starts at k ends: its
 * closing tag "</NAME" (name[0..len)), or where no such tag can fit. */
static size_t raw_text_end(const char *s, size_t n, size_t k, const char *name, size_t len)
{
    while (k + len + 2 <= n) {
        const char *lt = memchr(s + k, '<', n - k - len - 1);
        if (!lt)
            return n - len - 1;
        k = (size_t)(lt - s);
        if (s[k + 1] == '/' && !strncasecmp(s + k + 2, name, len))
            return k;
        k++;
    }
    return k;
}

/* libxml2 checks each attribute of an element against all those before it,
 * so 100,000 attributes on one element cost it 5e9 comparisons (21 s). This
 * walks the start tags of s (skipping comments and the text of script and
 * style) and tells whether one has more than MAX_ELEMENT_ATTRS attributes;
 * given w (a copy of s), it blanks the extra ones out with spaces there, so
 * byte offsets stay the input's. */
static int cap_attributes(const char *s, size_t n, char *w)
{
    int over = 0;
    for (size_t i = 0; i < n; i++) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - s);
        size_t j = skip_quoted(s, n, i);
        if (j != i) {
            i = j - 1; /* a comment */
            continue;
        }
        if (i + 1 >= n || !isalpha((unsigned char)s[i + 1]))
            continue;
        size_t name = i + 1, k = name;
        while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == ':'))
            k++;
        size_t len = k - name;
        int raw = (len == 6 && !strncasecmp(s + name, "script", 6)) || (len == 5 && !strncasecmp(s + name, "style", 5));
        k = cap_tag(s, n, k, w, &over);
        if (over && !w)
            return 1;
        if (raw)
            k = raw_text_end(s, n, k, s + name, len);
        i = k;
    }
    return over;
}

/* Hands the page to the parser in one push: the parser then sizes its buffer
 * once (load caps inputs far below INT_MAX); pushing in pieces made it grow
 * and copy repeatedly. A DOCTYPE's internal subset, and the attributes of
 * an element past MAX_ELEMENT_ATTRS, are blanked out with spaces in a copy,
 * so byte offsets stay the input's. */
static void push_input(htmlParserCtxtPtr ctxt, const doc *d)
{
    size_t from, to;
    char *copy = NULL;
    if (doctype_subset(d->input, d->input_len, &from, &to)) {
        copy = cs_xstrndup(d->input, d->input_len);
        memset(copy + from, ' ', to - from);
    }
    if (cap_attributes(copy ? copy : d->input, d->input_len, NULL)) {
        if (!copy)
            copy = cs_xstrndup(d->input, d->input_len);
        cap_attributes(copy, d->input_len, copy);
    }
    htmlParseChunk(ctxt, copy ? copy : d->input, (int)d->input_len, 0);
    htmlParseChunk(ctxt, NULL, 0, 1);
    free(copy);
}

cs_status html_parse(doc *d, cs_error *err)
{
    /* libxml2 sets up its globals once, before threads parse at once. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, xmlInitParser);
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(NULL, silent_structured);

    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_chars;
    sax.cdataBlock = on_cdata;
    sax.error = silent;
    sax.warning = silent;
    sax.serror = silent_structured;

    state *st = cs_xcalloc(1, sizeof *st);
    st->d = d;
    st->container = DOC_NONE;
    buf_init(&st->attrs, 0);
    buf_init(&st->cur, 0);
    buf_init(&st->title_tag, 4096);
    buf_init(&st->ldjson, 1 << 20);
    buf_init(&st->h1buf, 4096);
    buf_init(&st->bytext, 4096);

    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, st, NULL, 0, d->path, XML_CHAR_ENCODING_UTF8);
    if (!ctxt) {
        free(st);
        return cs_fail(err, CS_ERR_INPUT, "the HTML parser could not start");
    }
    st->ctxt = ctxt;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                 HTML_PARSE_IGNORE_ENC);
    push_input(ctxt, d);
    flush(st);
    /* Close the containers the page left open. */
    while (st->depth) {
        st->depth--;
        if (st->depth < MAX_STACK && st->stack[st->depth].container != DOC_NONE)
            d->containers[st->stack[st->depth].container].last = d->nblocks;
    }
    int had_title = d->title != NULL;
    if (st->ldjson.len)
        parse_ldjson(d, st->ldjson.ptr, st->ldjson.len);
    if (!had_title && d->title)
        check_ld_headline(d, st);
    set_title(d, st);

    htmlFreeParserCtxt(ctxt);
    buf_free(&st->attrs);
    buf_free(&st->cur);
    buf_free(&st->title_tag);
    buf_free(&st->ldjson);
    buf_free(&st->h1buf);
    buf_free(&st->bytext);
    free(st->og_title);
    free(st->h1);
    free(st);
    return CS_OK;
}
