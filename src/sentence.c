/* sentence: a rule-based splitter. A boundary is a full stop, question or
 * exclamation mark (and any closing quotes, brackets or citation markers
 * after it) followed by space and then something that can start a sentence,
 * unless the word before the stop is an abbreviation or a single initial.
 * Blank lines always end a sentence. Clauses are cut at the clause breaks
 * (", but ", "; ") of a lexicon. */
#include "sentence.h"
#include "strs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int closer_len(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == '"' || s[0] == '\'' || s[0] == ')' || s[0] == ']'))
        return 1;
    /* ’ ” » */
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x99 || (unsigned char)s[2] == 0x9D))
        return 3;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xBB)
        return 2;
    return 0;
}

/* Can the bytes at s start a sentence? Upper case, digit, quote, bracket,
 * currency or any non-ASCII letter (we cannot cheaply tell its case). */
static int can_start(const char *s, size_t n)
{
    if (!n)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (isupper(c) || isdigit(c) || c == '"' || c == '\'' || c == '(' || c == '[' || c == '$')
        return 1;
    if (c >= 0xC2)
        return !(c == 0xE2 && n >= 3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xA6); /* not … */
    return 0;
}

static void push(sentence_span **out, size_t *n, size_t *cap, const char *t, size_t s, size_t e, size_t block)
{
    while (s < e && isspace((unsigned char)t[s]))
        s++;
    while (e > s && isspace((unsigned char)t[e - 1]))
        e--;
    if (e <= s)
        return;
    cs_grow(out, cap, *n + 1, sizeof **out);
    (*out)[(*n)++] = (sentence_span){s, e, block};
}

sentence_span *sentence_split(const char *t, size_t len, const rules_list *abbrev, size_t *n)
{
    sentence_span *out = NULL;
    size_t cap = 0, block = 0, start = 0;
    *n = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '\n' && i + 1 < len && t[i + 1] == '\n') {
            push(&out, n, &cap, t, start, i, block);
            while (i + 1 < len && t[i + 1] == '\n')
                i++;
            start = i + 1;
            block++;
            continue;
        }
        if (t[i] == '\n') {
            /* A single newline inside a block (a table row break): a boundary. */
            push(&out, n, &cap, t, start, i, block);
            start = i + 1;
            continue;
        }
        if (t[i] != '.' && t[i] != '?' && t[i] != '!')
            continue;
        size_t j = i + 1;
        while (j < len && (t[j] == '.' || t[j] == '?' || t[j] == '!'))
            j++;
        size_t cl;
        while ((cl = (size_t)closer_len(t + j, len - j)) > 0 || (cl = strs_citation_len(t + j, len - j)) > 0)
            j += cl; /* closing quotes and brackets, citation markers: "temperate.[158] Historical" */
        if (j < len && t[j] != ' ' && t[j] != '\t')
            continue; /* 22.1, e.g.x, U.K.'s */
        size_t k = j;
        while (k < len && (t[k] == ' ' || t[k] == '\t'))
            k++;
        if (k < len && t[k] != '\n' && !can_start(t + k, len - k))
            continue;
        if (t[i] == '.') {
            /* The word before the stop. */
            size_t w = i;
            while (w > start && (isalpha((unsigned char)t[w - 1]) || t[w - 1] == '.'))
                w--;
            size_t wl = i - w;
            if (wl == 1 && isupper((unsigned char)t[w]))
                continue; /* an initial: "J. Smith" */
            if (wl && abbrev && rules_list_has(abbrev, t + w, wl))
                continue;
            if (wl && memchr(t + w, '.', wl))
                continue; /* "e.g." "U.K." */
        }
        push(&out, n, &cap, t, start, j, block);
        start = j;
        i = j - 1;
    }
    push(&out, n, &cap, t, start, len, block);
    return out;
}

size_t sentence_find(const sentence_span *s, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

size_t sentence_break_at(const rules_list *l, const char *s, size_t n)
{
    size_t best = 0;
    for (size_t i = 0; l && i < l->n; i++) {
        size_t k = strlen(l->items[i]);
        if (k < n && k + 1 > best && s[k] == ' ' && !strncmp(s, l->items[i], k))
            best = k + 1;
    }
    return best;
}

sentence_span sentence_clause(const char *text, const sentence_span *s, const rules_list *l, size_t start,
                              size_t end)
{
    sentence_span c = *s;
    for (size_t i = s->start; i < s->end; i++) {
        size_t bl = sentence_break_at(l, text + i, s->end - i);
        if (!bl)
            continue;
        if (i + bl <= start && i + bl > c.start)
            c.start = i + bl;
        if (i >= end) {
            c.end = i;
            break;
        }
    }
    return c;
}
