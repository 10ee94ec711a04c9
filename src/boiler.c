/* boiler: content or boilerplate, block by block.
 *
 * HTML: like the best open extractors, score text-rich, comma-rich, link-poor
 * paragraphs and credit the score to their container and, halved, to its
 * ancestors; the best-scoring container (and its rich siblings) is the
 * article. Inside it, blocks are dropped for boilerplate class names, link
 * lists, and sections opened by headings such as "Related articles".
 *
 * Plain text: no containers, so the page is read top to bottom: a site header
 * line, a repeated headline, phrase-marked lines and a section heading that
 * ends the article ("Similar Articles", "More from ..."). */
#include "boiler.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strs.h"

typedef struct {
    const rules_list *sections, *lines, *neg, *pos, *article, *taxonomy, *stop, *prose, *position;
} lex;

/* The length of the class/id token t[0..n) that names its element: up to
 * its first part that only places it ("page-above-footer" gives "page";
 * boiler-position). */
static size_t naming_part(const rules_list *position, const char *t, size_t n)
{
    for (size_t i = 0; i < n;) {
        while (i < n && (t[i] == '-' || t[i] == '_'))
            i++;
        size_t s = i;
        while (i < n && t[i] != '-' && t[i] != '_')
            i++;
        if (i > s && rules_list_has(position, t + s, i - s))
            return s ? s - 1 : 0;
    }
    return n;
}

/* 1 if the class/id token t[0..n) or one of its parts holds an entry of l:
 * "share-bar" has "share", and "author-bio" counts whole. */
static int token_has(const rules_list *l, const char *t, size_t n)
{
    if (memchr(t, '-', n) && rules_list_has(l, t, n))
        return 1;
    for (const char *p = t, *end = t + n; p < end;) {
        while (p < end && (*p == '-' || *p == '_'))
            p++;
        const char *s = p;
        while (p < end && *p != '-' && *p != '_')
            p++;
        if (p > s && rules_list_has(l, s, (size_t)(p - s)))
            return 1;
    }
    return 0;
}

static int has_token(const rules_list *position, const rules_list *l, const char *attrs)
{
    if (!l || !attrs)
        return 0;
    for (const char *p = attrs; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " "), k = naming_part(position, p, n);
        if (k && token_has(l, p, k))
            return 1;
        p += n;
    }
    return 0;
}

/* 1 if class/id tokens name boilerplate: a token with a boilerplate part
 * ("post-author-bio", "comment-body"), and no token that names the article
 * without one ("entry-content"; boiler-article). */
static int negative_attrs(const lex *x, const char *attrs)
{
    int neg = 0, pos = 0;
    for (const char *p = attrs; p && *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " "), k = strcspn(p, "-_ "), m = naming_part(x->position, p, n);
        if (k < n && rules_list_has(x->taxonomy, p, k))
            ; /* "category-popular": a topic */
        else if (m && token_has(x->neg, p, m))
            neg = 1;
        else if (m && token_has(x->article, p, m))
            pos = 1;
        p += n;
    }
    return neg && !pos;
}

int boiler_negative_attrs(const rules_set *rs, const char *attrs)
{
    return has_token(rules_lexicon(rs, "boiler-position"), rules_lexicon(rs, "boiler-negative"), attrs);
}

static size_t count_char(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

/* n less the closing quotes and brackets at the end of s, ’ and ” included. */
static size_t trim_closers(const char *s, size_t n)
{
    while (n && (s[n - 1] == '"' || s[n - 1] == ')' || (unsigned char)s[n - 1] >= 0x80))
        n--;
    return n;
}

static int ends_sentence(const char *s, size_t n)
{
    n = trim_closers(s, n);
    return n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' || s[n - 1] == ':');
}

/* A block that opens a boilerplate section must itself be short. */
static int is_phrase_block(const rules_list *l, const char *s, size_t n, size_t maxlen)
{
    return n <= maxlen && rules_list_prefix(l, s, n) > 0;
}

/* The share of function words (English, or of the other languages of
 * boiler-prose) among the words of s. */
static double stop_ratio(const lex *x, const char *s, size_t n, size_t *words)
{
    size_t other, st = rules_list_count2(x->stop, x->prose, s, n, 0, &other, words);
    st = st > other ? st : other;
    return *words ? (double)st / (double)*words : 0;
}

static void drop(doc_block *b, const char *why)
{
    b->keep = 0;
    b->why = why;
}

/* ---- plain text -------------------------------------------------------- */

/* Which blocks of d repeat the text of an earlier one: an array of
 * d->nblocks flags (the caller frees it). A hash table of the blocks seen
 * (block numbers + 1, open-addressed): a long page has a hundred thousand
 * blocks, and comparing each with all before it was quadratic. */
static unsigned char *repeated_blocks(const doc *d)
{
    size_t nslot = 16;
    while (nslot < 2 * d->nblocks)
        nslot *= 2;
    size_t *slot = cs_xcalloc(nslot, sizeof *slot);
    unsigned char *rep = cs_xcalloc(d->nblocks + 1, 1);
    for (size_t i = 0; i < d->nblocks; i++) {
        const char *s = doc_block_text(d, i);
        size_t len = d->blocks[i].len, h = strs_hash(s, len) & (nslot - 1);
        for (; slot[h] && !rep[i]; h = (h + 1) & (nslot - 1)) {
            size_t j = slot[h] - 1;
            rep[i] = d->blocks[j].len == len && !memcmp(doc_block_text(d, j), s, len);
        }
        if (!rep[i])
            slot[h] = i + 1;
    }
    free(slot);
    return rep;
}

static void classify_text(doc *d, const lex *x)
{
    int seen_content = 0, ended = 0;
    unsigned char *repeated = repeated_blocks(d);
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        const char *s = doc_block_text(d, i);
        b->keep = 1;
        b->why = "content";
        if (ended) {
            drop(b, "after the end of the article");
            continue;
        }
        if (i == 0 && b->len < 100) {
            const char *bar = strstr(s, " | ");
            if (bar && (strstr(bar, "Home") || strstr(bar, "home"))) {
                doc_set_meta(&d->site, s, (size_t)(bar - s), 0);
                drop(b, "site header");
                continue;
            }
        }
        if (seen_content && is_phrase_block(x->sections, s, b->len, 120)) {
            /* "More from Community Care" names the site. */
            if (rules_list_prefix(x->sections, s, b->len) == 9 && !strncasecmp(s, "more from", 9))
                doc_set_meta(&d->site, s + 10, b->len > 10 ? b->len - 10 : 0, 0);
            drop(b, "opens a boilerplate section");
            ended = 1;
            continue;
        }
        if (is_phrase_block(x->lines, s, b->len, 200)) {
            drop(b, "boilerplate phrase");
            continue;
        }
        if (repeated[i]) {
            drop(b, "repeats an earlier block");
            continue;
        }
        if (b->chars >= 60 || ends_sentence(s, b->len))
            seen_content = 1;
    }
    free(repeated);
    /* A short heading-like block right before dropped boilerplate belongs to it. */
    for (size_t i = d->nblocks; i-- > 1;) {
        doc_block *b = &d->blocks[i - 1];
        const char *s = doc_block_text(d, i - 1);
        if (b->keep && !d->blocks[i].keep && d->blocks[i].why && strcmp(d->blocks[i].why, "repeats an earlier block") &&
            b->chars < 50 && !ends_sentence(s, b->len) && i - 1 > 0 && b->kind != DOC_BLOCK_ITEM)
            drop(b, "heading of boilerplate");
    }
    /* The title is the first kept block that looks like a headline. */
    for (size_t i = 0; i < d->nblocks && !d->title; i++)
        if (d->blocks[i].keep && d->blocks[i].chars >= 15 && d->blocks[i].chars <= 200)
            doc_set_meta(&d->title, doc_block_text(d, i), d->blocks[i].len, 0);
}

/* ---- PDF --------------------------------------------------------------- */

/* pdf has dropped running headers, footers and page numbers already; what
 * is left is the document's own text but for boilerplate phrases. */
static void classify_pdf(doc *d, const lex *x)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        if (!b->keep)
            continue;
        b->why = "content";
        if (is_phrase_block(x->lines, doc_block_text(d, i), b->len, 200))
            drop(b, "boilerplate phrase");
    }
}

/* ---- HTML -------------------------------------------------------------- */

static double container_link_density(const doc *d, const doc_container *c)
{
    size_t chars = 0, links = 0;
    for (size_t i = c->first; i < c->last && i < d->nblocks; i++)
        chars += d->blocks[i].chars, links += d->blocks[i].link_chars;
    return chars ? (double)links / (double)chars : 1;
}

static int inside(const doc *d, size_t block, size_t cont)
{
    for (size_t c = d->blocks[block].container; c != DOC_NONE; c = d->containers[c].parent)
        if (c == cont)
            return 1;
    return 0;
}

/* 1 if the block's own element or a container between the block and top
 * (exclusive) is boilerplate by its tag or class/id. */
static int negative_between(const doc *d, size_t block, size_t top)
{
    if (d->blocks[block].neg)
        return 1;
    for (size_t c = d->blocks[block].container; c != DOC_NONE && c != top; c = d->containers[c].parent)
        if (d->containers[c].neg)
            return 1;
    return 0;
}

/* Characters of scored prose under container c, leaving out blocks behind a
 * boilerplate container between them and top. */
static double clean_prose(const doc *d, size_t c, size_t top)
{
    double sum = 0;
    for (size_t i = d->containers[c].first; i < d->containers[c].last && i < d->nblocks; i++)
        if (d->blocks[i].score > 0 && inside(d, i, c) && !negative_between(d, i, top))
            sum += (double)d->blocks[i].chars;
    return sum;
}

static double link_share(const doc_block *b)
{
    return b->chars ? (double)b->link_chars / (double)b->chars : 0;
}

/* 1 if container c is opened by a heading that names a boilerplate section
 * ("Leserkommentare", "Related stories"), standing right before its first
 * block: a short label below the page's headline. A container that only
 * starts with such a heading may go on with the article. */
static int opened_by_section(const doc *d, const lex *x, size_t c)
{
    size_t f = d->containers[c].first;
    if (!f || f >= d->containers[c].last)
        return 0;
    const doc_block *b = &d->blocks[f - 1];
    return b->kind == DOC_BLOCK_HEADING && b->level >= 2 && b->chars <= 50 &&
           is_phrase_block(x->sections, doc_block_text(d, f - 1), b->len, 120);
}

/* 0. Each container's and each block's name verdict, once: a container is
 * boilerplate by its tag, its class/id, or the heading that opens it. */
static void name_containers(doc *d, const lex *x)
{
    for (size_t c = 0; c < d->ncontainers; c++) {
        doc_container *k = &d->containers[c];
        k->neg = !strcmp(k->tag, "nav") || !strcmp(k->tag, "footer") || !strcmp(k->tag, "aside") ||
                 !strcmp(k->tag, "form") || negative_attrs(x, k->attrs) || opened_by_section(d, x, c);
    }
    for (size_t i = 0; i < d->nblocks; i++) {
        const char *own = doc_block_attrs(d, i);
        d->blocks[i].neg = own[0] && negative_attrs(x, own);
    }
}

/* 1. Scores paragraphs and credits their containers. */
static void score_blocks(doc *d, const lex *x)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        const char *s = doc_block_text(d, i);
        double ld = link_share(b);
        b->score = 0;
        if (b->chars < 25 || ld > 0.5 || b->kind == DOC_BLOCK_HEADING)
            continue;
        size_t words;
        double sr = stop_ratio(x, s, b->len, &words);
        double sc = 1 + (double)count_char(s, b->len, ',') + (b->chars / 100.0 < 3 ? b->chars / 100.0 : 3);
        if (sr < 0.1 && words > 5)
            sc *= 0.5; /* not prose: menus, tag lists, credits */
        sc *= 1 - ld;
        b->score = sc;
        /* A div used as a paragraph credits its parent, as a <p> would. */
        size_t c = b->container;
        if (b->direct && c != DOC_NONE && d->containers[c].parent != DOC_NONE)
            c = d->containers[c].parent;
        double share = 1;
        for (int lvl = 0; c != DOC_NONE && lvl < 4; lvl++, c = d->containers[c].parent) {
            d->containers[c].score += sc * share;
            share = lvl == 0 ? 0.5 : 1.0 / (3.0 * (lvl + 1));
        }
    }
}

/* 2. The best container, weighted by class names and link density;
 * DOC_NONE when no block scored. */
static size_t best_container(doc *d, const lex *x)
{
    size_t top = DOC_NONE;
    double best = 0;
    for (size_t c = 0; c < d->ncontainers; c++) {
        doc_container *k = &d->containers[c];
        double w = 1;
        /* Boilerplate by its own name or by an enclosing widget, sidebar or
         * gallery (body and html classes say nothing about a part). */
        for (size_t a = c; a != DOC_NONE; a = d->containers[a].parent)
            if (strcmp(d->containers[a].tag, "body") && strcmp(d->containers[a].tag, "form") && d->containers[a].neg) {
                w *= 0.3;
                break;
            }
        if (has_token(x->position, x->pos, k->attrs) || strstr(k->attrs, "articlebody"))
            w *= 1.3;
        if (!strcmp(k->tag, "body"))
            w *= 0.7;
        k->score *= w * (1 - container_link_density(d, k));
        if (k->score > best)
            best = k->score, top = c;
    }
    return top;
}

/* No structure to speak of: keeps prose-like blocks; on a page with hardly
 * any text, everything that is not boilerplate by name. */
static void keep_without_container(doc *d)
{
    size_t total = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        total += d->blocks[i].chars;
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        b->keep = b->score > 0 || b->kind == DOC_BLOCK_HEADING || (total < 500 && !negative_between(d, i, DOC_NONE));
        b->why = b->keep ? "no article container: prose or a short page" : "not prose";
    }
}

/* 3. Climbs while the parent holds substantially more clean prose than the
 * top container: articles split over sibling divs, headings between. */
static size_t climb(const doc *d, size_t top)
{
    double best_prose = clean_prose(d, top, top);
    size_t p = d->containers[top].parent;
    for (int lvl = 0; p != DOC_NONE && lvl < 6; lvl++, p = d->containers[p].parent) {
        if (d->containers[p].neg && strcmp(d->containers[p].tag, "form"))
            break;
        if (container_link_density(d, &d->containers[p]) > 0.4)
            break;
        double there = clean_prose(d, p, p);
        if (there >= best_prose * 1.3) {
            top = p;
            best_prose = there;
        }
    }
    return top;
}

/* 3b. The lead-in: a headline and standfirst standing just before the
 * article container, in the same parent, belong to the article. */
static void keep_lead_in(doc *d, size_t top)
{
    size_t first = d->containers[top].first, lead = 0, parent = d->containers[top].parent;
    for (size_t i = first; i-- > 0 && lead < 3;) {
        doc_block *b = &d->blocks[i];
        if (b->container == DOC_NONE || !inside(d, i, parent == DOC_NONE ? top : parent))
            break;
        if (negative_between(d, i, parent) || link_share(b) > 0.3 ||
            !(b->kind == DOC_BLOCK_HEADING || b->score > 0))
            break;
        b->keep = 1;
        b->why = "lead-in before the article";
        lead++;
    }
}

/* Drops the blocks from heading i to the end of its section: the end of the
 * heading's container, or of its parent when the heading stands alone in a
 * wrapper. A heading that stands in the article container itself (a page
 * laid out in one table, a long page of sections) ends at the next heading
 * of its level or above. */
static void drop_section(doc *d, size_t i, size_t top)
{
    size_t c = d->blocks[i].container;
    while (c != DOC_NONE && d->containers[c].last - d->containers[c].first <= 1 && c != top)
        c = d->containers[c].parent;
    size_t end = c == DOC_NONE ? d->nblocks : d->containers[c].last;
    for (size_t j = i; j < end && j < d->nblocks; j++) {
        const doc_block *b = &d->blocks[j];
        if (c == top && j > i && b->kind == DOC_BLOCK_HEADING && b->level <= d->blocks[i].level)
            break;
        drop(&d->blocks[j], "in a boilerplate section");
    }
}

/* A short paragraph, not a sentence nor a link, that names a section of
 * teasers ("Auch interessant:", "Meist gelesene Artikel"). */
static int is_teaser_opener(const lex *x, const doc_block *b, const char *s)
{
    size_t n = trim_closers(s, b->len);
    return b->kind == DOC_BLOCK_PARA && b->chars <= 60 && link_share(b) < 0.5 && !(n && (s[n - 1] == '.' || s[n - 1] == '!')) &&
           is_phrase_block(x->sections, s, b->len, 120);
}

/* A heading or a teaser paragraph that opens a boilerplate section. */
static int opens_section(const lex *x, const doc_block *b, const char *s)
{
    return (b->kind == DOC_BLOCK_HEADING && is_phrase_block(x->sections, s, b->len, 120)) || is_teaser_opener(x, b, s);
}

/* Drops a paragraph that opens teasers and the link lines and short lines
 * after it, up to a heading or a line of prose: in a paragraph, unlike in
 * a heading, the phrase says nothing of where its section ends. */
static void drop_teasers(doc *d, size_t i, size_t top)
{
    drop(&d->blocks[i], "opens a boilerplate section");
    for (size_t j = i + 1; j < d->containers[top].last && j < d->nblocks; j++) {
        doc_block *b = &d->blocks[j];
        if (b->kind == DOC_BLOCK_HEADING ||
            (link_share(b) < 0.5 && (b->chars > 80 || ends_sentence(doc_block_text(d, j), b->len))))
            break;
        drop(b, "in a boilerplate section");
    }
}

/* A heading that is wholly a link, in a card of its own with at most a
 * summary and a byline, is a teaser for another page: drops the card. */
static void drop_card(doc *d, size_t i, size_t top)
{
    size_t c = d->blocks[i].container;
    while (c != DOC_NONE && c != top && d->containers[c].last - d->containers[c].first < 2)
        c = d->containers[c].parent;
    if (c == DOC_NONE || c == top || d->containers[c].last - d->containers[c].first > 3)
        return;
    size_t chars = 0;
    for (size_t j = d->containers[c].first; j < d->containers[c].last; j++)
        chars += d->blocks[j].chars;
    if (chars > 600)
        return;
    for (size_t j = d->containers[c].first; j < d->containers[c].last; j++)
        drop(&d->blocks[j], "a teaser card");
}

/* 4. Inside the article: class names, link lists, phrase sections. */
static void prune_article(doc *d, const lex *x, size_t top)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        if (!b->keep)
            continue;
        const char *s = doc_block_text(d, i);
        if (negative_between(d, i, top))
            drop(b, "boilerplate class or tag");
        else if (link_share(b) > 0.5 && b->chars < 300 && (b->kind == DOC_BLOCK_ITEM || b->kind == DOC_BLOCK_ROW))
            drop(b, "list of links");
        else if (is_phrase_block(x->lines, s, b->len, 200))
            drop(b, "boilerplate phrase");
        else if (b->kind == DOC_BLOCK_HEADING && is_phrase_block(x->sections, s, b->len, 120))
            drop_section(d, i, top);
        else if (is_teaser_opener(x, b, s))
            drop_teasers(d, i, top);
        else if (b->kind == DOC_BLOCK_HEADING && link_share(b) >= 0.9)
            drop_card(d, i, top);
    }
}

/* Nothing survived (a page of short lines): keeps what is not boilerplate. */
static void keep_if_nothing_kept(doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].keep)
            return;
    for (size_t i = 0; i < d->nblocks; i++)
        if (!negative_between(d, i, DOC_NONE) && d->blocks[i].link_chars * 2 < d->blocks[i].chars) {
            d->blocks[i].keep = 1;
            d->blocks[i].why = "no article found: not boilerplate";
        }
}

/* 1 if container c is a or encloses it. */
static int encloses(const doc *d, size_t c, size_t a)
{
    for (; a != DOC_NONE; a = d->containers[a].parent)
        if (a == c)
            return 1;
    return 0;
}

/* The innermost container that holds both a and b, or DOC_NONE. */
static size_t common_container(const doc *d, size_t a, size_t b)
{
    for (; a != DOC_NONE; a = d->containers[a].parent)
        if (encloses(d, a, b))
            return a;
    return DOC_NONE;
}

/* The page's headline before the article container: the first heading
 * (level 1 or 2) that is the title, else the level-1 heading nearest the
 * article (a site's logo is often the first), when no block before it is
 * kept. DOC_NONE when there is none. */
static size_t find_headline(const doc *d, size_t top)
{
    size_t h1 = DOC_NONE;
    for (size_t i = 0; i < d->containers[top].first && i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        if (b->keep)
            return DOC_NONE;
        if (b->kind != DOC_BLOCK_HEADING)
            continue;
        if (d->title && b->level <= 2 && strlen(d->title) == b->len && !memcmp(doc_block_text(d, i), d->title, b->len))
            return i;
        if (b->level == 1)
            h1 = i;
    }
    return h1;
}

/* 5. The headline when the article container does not hold it, and what
 * stands between them in their common container: the standfirst, the
 * dateline, a subheading, leaving out links, boilerplate by name and lines
 * of boilerplate phrases, up to a boilerplate section's heading. */
static void keep_headline(doc *d, const lex *x, size_t top)
{
    size_t h = find_headline(d, top);
    if (h == DOC_NONE)
        return;
    size_t scope = d->blocks[h].container == DOC_NONE ? DOC_NONE : common_container(d, d->blocks[h].container, top);
    if (scope != DOC_NONE && negative_between(d, h, scope))
        return;
    d->blocks[h].keep = 1;
    d->blocks[h].why = "the headline";
    size_t first = d->containers[top].first;
    if (scope == DOC_NONE || first - h > 20)
        return;
    for (size_t j = h + 1; j < first; j++) {
        doc_block *b = &d->blocks[j];
        if (opens_section(x, b, doc_block_text(d, j)))
            break; /* "More on this story": what follows up to the article is teasers */
        if (!inside(d, j, scope) || negative_between(d, j, scope) || link_share(b) > 0.3 ||
            is_phrase_block(x->lines, doc_block_text(d, j), b->len, 200))
            continue;
        b->keep = 1;
        b->why = "between the headline and the article";
    }
}

static void classify_html(doc *d, const lex *x)
{
    name_containers(d, x);
    score_blocks(d, x);
    size_t top = best_container(d, x);
    if (top == DOC_NONE) {
        keep_without_container(d);
        return;
    }
    top = climb(d, top);
    for (size_t i = 0; i < d->nblocks; i++) {
        int in = inside(d, i, top);
        d->blocks[i].keep = in;
        d->blocks[i].why = in ? "in the article" : "outside the article";
    }
    keep_lead_in(d, top);
    prune_article(d, x, top);
    keep_if_nothing_kept(d);
    keep_headline(d, x, top);
}

void boiler_classify(doc *d, const rules_set *rs)
{
    lex x = {rules_lexicon(rs, "boiler-sections"), rules_lexicon(rs, "boiler-lines"),
             rules_lexicon(rs, "boiler-negative"), rules_lexicon(rs, "boiler-positive"), rules_lexicon(rs, "boiler-article"),
             rules_lexicon(rs, "boiler-taxonomy"),
             rules_lexicon(rs, "stopwords"), rules_lexicon(rs, "boiler-prose"), rules_lexicon(rs, "boiler-position")};
    if (d->is_pdf) {
        classify_pdf(d, &x);
    } else if (d->is_office) {
        /* A document file carries no site chrome, and a spreadsheet's rows
         * are short lines that the text signals would drop. */
        for (size_t i = 0; i < d->nblocks; i++)
            d->blocks[i].keep = 1, d->blocks[i].why = "office document: all content";
    } else if (d->is_html) {
        classify_html(d, &x);
    } else {
        classify_text(d, &x);
    }
    doc_build_text(d);
}
