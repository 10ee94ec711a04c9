/* text: blocks from plain text. Web pages saved as text put one paragraph on
 * a line; e-mails and reports wrap lines at a fixed width. A paragraph whose
 * lines are all long and not bullets is taken as wrapped and joined. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#define WRAP_MIN 45 /* a line at least this long may be part of wrapped prose */

typedef struct {
    size_t start, end; /* line without its newline, trimmed */
    size_t raw;        /* offset of the line start */
    unsigned lineno;
} line;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of a bullet marker at s (•, *, -, ·, ▪, or "1." / "a)"), 0 if none. */
static size_t bullet_len(const char *s, size_t n)
{
    if (n >= 3 && (!memcmp(s, "\xE2\x80\xA2", 3) || !memcmp(s, "\xE2\x96\xAA", 3) || !memcmp(s, "\xE2\x97\x8F", 3)))
        return 3;
    if (n >= 2 && !memcmp(s, "\xC2\xB7", 2))
        return 2;
    if (n >= 2 && (s[0] == '*' || s[0] == '-') && s[1] == ' ')
        return 1;
    return 0;
}

static void add_line_text(buf *b, const char *s, size_t n)
{
    /* Collapse runs of white space (and no-break spaces) to one space. */
    int pending = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c) || c == '\n') {
            pending = 1, i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            pending = 1, i += 2;
            continue;
        }
        if (pending && b->len)
            buf_putc(b, ' ');
        pending = 0;
        buf_putc(b, (char)c);
        i++;
    }
}

static void emit(doc *d, const line *ls, size_t from, size_t to, const char *in)
{
    buf b;
    buf_init(&b, 0);
    doc_block_kind kind = DOC_BLOCK_PARA;
    for (size_t i = from; i < to; i++) {
        const char *s = in + ls[i].start;
        size_t n = ls[i].end - ls[i].start;
        size_t bl = bullet_len(s, n);
        if (bl && i == from) {
            kind = DOC_BLOCK_ITEM;
            s += bl, n -= bl;
        }
        if (b.len)
            buf_putc(&b, ' ');
        add_line_text(&b, s, n);
    }
    buf_rtrim(&b);
    if (b.len) {
        size_t k = doc_add_block(d, kind, b.ptr, b.len);
        d->blocks[k].src_off = ls[from].raw;
        d->blocks[k].src_line = ls[from].lineno;
    }
    buf_free(&b);
}

void text_parse(doc *d)
{
    const char *in = d->input;
    size_t n = d->input_len;
    line *ls = NULL;
    size_t nl = 0, cap = 0;
    unsigned lineno = 1;
    for (size_t i = 0; i <= n;) {
        size_t e = i;
        while (e < n && in[e] != '\n')
            e++;
        size_t s = i, t = e;
        while (s < t && (is_space((unsigned char)in[s]) || (t - s >= 2 && (unsigned char)in[s] == 0xC2 && (unsigned char)in[s + 1] == 0xA0)))
            s += (unsigned char)in[s] == 0xC2 ? 2 : 1;
        while (t > s && is_space((unsigned char)in[t - 1]))
            t--;
        cs_grow(&ls, &cap, nl + 1, sizeof *ls);
        ls[nl++] = (line){s, t, i, lineno++};
        if (e >= n)
            break;
        i = e + 1;
    }
    /* Group lines into paragraphs separated by blank lines. */
    for (size_t i = 0; i < nl;) {
        if (ls[i].start == ls[i].end) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < nl && ls[j].start != ls[j].end)
            j++;
        /* Lines i..j-1 form one paragraph. Join them if wrapped. */
        int wrapped = j - i > 1;
        for (size_t k = i; k < j && wrapped; k++) {
            size_t len = ls[k].end - ls[k].start;
            if (k > i && bullet_len(in + ls[k].start, len))
                wrapped = 0;
            if (k + 1 < j && len < WRAP_MIN)
                wrapped = 0;
        }
        if (wrapped) {
            emit(d, ls, i, j, in);
        } else {
            for (size_t k = i; k < j; k++)
                emit(d, ls, k, k + 1, in);
        }
        i = j;
    }
    free(ls);
}
