/* mention: the list of mentions of one document. */
#include "mention.h"

#include <stdlib.h>
#include <string.h>

#include "cs.h"

mention *mention_push(mention_list *l, mention_kind kind, size_t start, size_t end)
{
    cs_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
    mention *m = &l->v[l->n++];
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->start = start;
    m->end = end;
    return m;
}

void mention_window(const mention_list *l, size_t *cursor, size_t start, size_t end, size_t *a, size_t *b)
{
    while (*cursor < l->n && l->v[*cursor].start < start)
        (*cursor)++;
    *a = *b = *cursor;
    while (*b < l->n && l->v[*b].start < end)
        (*b)++;
}

static int cmp(const void *a, const void *b)
{
    const mention *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

void mention_sort(mention_list *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp);
}

void mention_list_free(mention_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].kind != MENTION_PERSON)
            continue;
        free(l->v[i].person.name);
        free(l->v[i].person.title);
        free(l->v[i].person.role);
        free(l->v[i].person.party);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

mention_sentence mention_sentence_at(const char *text, const mention_list *ms, const sentence_span *sents, size_t si,
                                     size_t *cursor)
{
    mention_sentence x = {.text = text, .ms = ms, .s = &sents[si], .si = si};
    mention_window(ms, cursor, x.s->start, x.s->end, &x.a, &x.b);
    x.st = text + x.s->start;
    x.sl = x.s->end - x.s->start;
    return x;
}
