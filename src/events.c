/* events: one event per type per sentence. Its date is the sentence's date
 * nearest to the vocabulary (the dateline never counts); "since" marks a
 * start and "by" a deadline; its actor is the sentence's person, else a body
 * from rules/bodies.txt. */
#include "events.h"

#include "buf.h"
#include "strs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int word_at(const char *text, size_t at, const char *w)
{
    size_t n = strlen(w);
    return at >= n && !strncasecmp(text + at - n, w, n) && (at == n || !isalpha((unsigned char)text[at - n - 1]));
}


static int future(const char *s, size_t n)
{
    static const char *const w[] = {"will", "would", "due to", "due", "is to", "are to", "planned", "next",
                                    "expected to", "ahead of", NULL};
    return strs_has_any(s, n, w);
}

/* Ratings are events only where an inspection or its subject is named:
 * "cases judged good" is a measure, "services rated inadequate" a rating. */
static int rating_context(const char *s, size_t n)
{
    static const char *const w[] = {"ofsted", "inspection", "inspectors", "inspected", "rating", "services",
                                    "provision", "council", "authority", "department", NULL};
    return strs_has_any(s, n, w);
}

/* "has rated", "have been placed": the present perfect before the cue. */
static int has_perfect(const char *s, size_t n)
{
    static const char *const w[] = {"has", "have", NULL};
    return strs_has_any(s, n, w);
}

static int is_before(const dates_interval *d, const dates_ymd *ref)
{
    return ref && ref->y && (d->end.y * 10000 + d->end.m * 100 + d->end.d < ref->y * 10000 + ref->m * 100 + ref->d);
}

static char *body_in(const rules_list *bodies, const char *s, size_t n)
{
    if (!bodies)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        /* Entries start with a letter, at a word start. */
        if (!isalpha((unsigned char)s[i]) || (i && isalpha((unsigned char)s[i - 1])))
            continue;
        size_t k = rules_list_prefix(bodies, s + i, n - i);
        if (k) {
            /* Keep the text's own capitals ("Ofsted", "the government"). */
            return cs_xstrndup(s + i, k);
        }
    }
    return NULL;
}

/* The subjects of a text: see events.h. */
void events_subjects(const char *text, const rules_list *stop, const char *const *skip, char *out[3])
{
    static const char *const generic[] = {"council", "city", "children", "government", "minister", "cabinet",
                                          "councillor", "cllr", "lord", "sir", "dame", "mr", "mrs", "ms", "dr",
                                          "january", "february", "march", "april", "may", "june", "july", "august",
                                          "september", "october", "november", "december", "social", "services",
                                          "report", "department", "national", "local", NULL};
    char *words[512];
    int counts[512];
    size_t n = 0;
    for (const char *p = text; p && *p;) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *b = p;
        while (*p && isalpha((unsigned char)*p))
            p++;
        size_t l = (size_t)(p - b);
        if (l < 3 || l > 30 || !isupper((unsigned char)*b) || rules_list_has(stop, b, l))
            continue;
        char w[32];
        strs_lower(w, b, l);
        if (strs_in_list(w, generic) || strs_in_list(w, skip))
            continue;
        size_t k = 0;
        while (k < n && strcmp(words[k], w))
            k++;
        if (k == n && n < 512)
            words[n] = cs_xstrdup(w), counts[n++] = 0;
        if (k < n)
            counts[k]++;
    }
    for (int r = 0; r < 3; r++) {
        int best = -1;
        for (size_t k = 0; k < n; k++)
            if (counts[k] >= 2 && (best < 0 || counts[k] > counts[best]))
                best = (int)k;
        out[r] = best >= 0 ? cs_xstrdup(words[best]) : NULL;
        if (best >= 0)
            counts[best] = -1;
    }
    for (size_t k = 0; k < n; k++)
        free(words[k]);
}

static void push(events_list *out, const events_event *e)
{
    cs_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n++] = *e;
}

void events_build(const char *text, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_set *rs, const dates_ymd *anchor, events_list *out)
{
    const rules_list *bodies = rules_lexicon(rs, "bodies");
    size_t mi = 0, first = out->n;
    for (size_t si = 0; si < nsent; si++) {
        const sentence_span *s = &sents[si];
        size_t a, b;
        mention_window(ms, &mi, s->start, s->end, &a, &b);
        const char *st = text + s->start;
        size_t sl = s->end - s->start;
        /* The sentence's actor. */
        char *actor = NULL;
        for (size_t k = a; k < b && !actor; k++)
            if (ms->v[k].kind == MENTION_PERSON && ms->v[k].person.name)
                actor = cs_xstrdup(ms->v[k].person.name);
        if (!actor)
            actor = body_in(bodies, st, sl);
        for (size_t k = a; k < b; k++) {
            const mention *m = &ms->v[k];
            int deadline = 0;
            if (m->kind == MENTION_DATE) {
                /* "improve performance by February 2010": a deadline. */
                deadline = word_at(text, m->start, "by ") &&
                           (strs_has_word(st, sl, "target") || strs_has_word(st, sl, "targets") || strs_has_word(st, sl, "improve") ||
                            strs_has_word(st, sl, "must") || strs_has_word(st, sl, "deadline"));
                if (!deadline)
                    continue;
            } else if (m->kind != MENTION_EVENT) {
                continue;
            }
            const char *type = deadline ? "deadline" : m->tag;
            if (!strncmp(type, "rated-", 6) && !rating_context(st, sl))
                continue;
            /* "was appointed children's commissioner": the specific event only. */
            int specific = 0;
            for (size_t q = a; q < b && !strcmp(type, "appointed"); q++)
                specific |= ms->v[q].kind == MENTION_EVENT && ms->v[q].tag && !strcmp(ms->v[q].tag, "commissioner-appointed");
            if (specific)
                continue;
            /* Planned or past, judged near the vocabulary: "Ofsted due to
             * visit ... since the last inspection" holds one of each. */
            size_t w0 = m->start > s->start + 40 ? m->start - 40 : s->start;
            size_t w1 = m->end + 10 < s->end ? m->end + 10 : s->end;
            int plan = future(text + w0, w1 - w0);
            events_event e;
            memset(&e, 0, sizeof e);
            e.type = type;
            e.start = m->start;
            e.end = m->end;
            e.sentence = si;
            e.rule = deadline ? "events:deadline" : m->rule;
            e.planned = plan || deadline;
            /* The date of the vocabulary's own clause: the nearest within 60
             * bytes, to the right first; a planned event takes no past date. */
            size_t best = (size_t)-1, dist = (size_t)-1;
            for (int side = 0; side < 2 && best == (size_t)-1; side++)
                for (size_t q = a; q < b; q++) {
                    const mention *dm = &ms->v[q];
                    if (dm->kind != MENTION_DATE || (e.planned && !deadline && is_before(&dm->date, anchor)))
                        continue;
                    if (deadline && q != k)
                        continue;
                    size_t dq;
                    if (side == 0 && dm->start >= m->start)
                        dq = dm->start > m->end ? dm->start - m->end : 0;
                    else if (side == 1 && dm->end <= m->start)
                        dq = m->start - dm->end;
                    else
                        continue;
                    if (dq <= 60 && dq < dist)
                        dist = dq, best = q;
                }
            if (best != (size_t)-1) {
                const mention *dm = &ms->v[best];
                e.has_date = 1;
                e.date = dm->date;
                e.date_start = dm->start;
                e.date_end = dm->end;
                e.since = word_at(text, dm->start, "since ");
            } else if (!e.planned && anchor && anchor->y &&
                       has_perfect(text + (m->start > s->start + 12 ? m->start - 12 : s->start),
                                   m->start - (m->start > s->start + 12 ? m->start - 12 : s->start))) {
                /* "Ofsted has rated ...": news of the document's own day. */
                e.has_date = 1;
                e.date.start = e.date.end = *anchor;
                e.date.granularity = "day";
                e.date.relative = 1;
                e.date_start = e.date_end = m->start;
            }
            /* A body named with the event ("a planned visit by Ofsted") acts it. */
            size_t n0 = m->start > s->start + 20 ? m->start - 20 : s->start;
            size_t n1 = m->end + 40 < s->end ? m->end + 40 : s->end;
            char *near = body_in(bodies, text + n0, n1 - n0);
            /* Appointments, reviews and interventions are people's acts. */
            int personal = !strcmp(type, "commissioner-appointed") || !strcmp(type, "appointed") ||
                           !strcmp(type, "resigned") || !strcmp(type, "review") || !strcmp(type, "intervention");
            int person_found = 0;
            for (size_t q = a; q < b && !person_found; q++)
                person_found = ms->v[q].kind == MENTION_PERSON && ms->v[q].person.name;
            if (personal && person_found) {
                free(near);
                near = NULL;
            }
            /* Ratings, inspections and their reports are the inspectorate's. */
            if (!near && (!strncmp(type, "rated-", 6) || !strcmp(type, "inspection") || !strcmp(type, "report-published"))) {
                static const char *const inspectorates[] = {"Ofsted", "CQC", "Care Quality Commission", NULL};
                for (int q = 0; inspectorates[q] && !near; q++)
                    if (strs_has_word(st, sl, inspectorates[q]))
                        near = cs_xstrdup(inspectorates[q]);
            }
            if (!near && !strncmp(type, "rated-", 6))
                e.actor = NULL; /* a rating without its inspectorate named has no known actor */
            else
                e.actor = near ? near : actor ? cs_xstrdup(actor) : NULL;
            int dup = 0;
            for (size_t q = out->n; q-- > 0 && out->v[q].sentence == si && !dup;)
                dup = !strcmp(out->v[q].type, type) && out->v[q].has_date == e.has_date &&
                      (!e.has_date || !memcmp(&out->v[q].date.start, &e.date.start, sizeof e.date.start));
            if (dup) {
                free(e.actor);
                continue;
            }
            push(out, &e);
        }
        free(actor);
    }
    /* Every event of the document is about the document's subject. */
    /* Not a person: skip the words of the document's person names. */
    const char **skip = cs_xcalloc(ms->n * 4 + 1, sizeof *skip);
    char *names = NULL;
    size_t ns = 0;
    buf nb;
    buf_init(&nb, 0);
    for (size_t k = 0; k < ms->n; k++)
        if (ms->v[k].kind == MENTION_PERSON && ms->v[k].person.name) {
            buf_puts(&nb, ms->v[k].person.name);
            buf_putc(&nb, ' ');
        }
    names = buf_detach(&nb);
    for (char *p = names; *p && ns < ms->n * 4;) {
        char *sp = strchr(p, ' ');
        if (sp)
            *sp = '\0';
        if (*p)
            skip[ns++] = p;
        if (!sp)
            break;
        p = sp + 1;
    }
    char *subj[3];
    events_subjects(text, rules_lexicon(rs, "stopwords"), skip, subj);
    free(skip);
    free(names);
    for (size_t i = first; i < out->n; i++)
        out->v[i].subject = subj[0] ? cs_xstrdup(subj[0]) : NULL;
    for (int k = 0; k < 3; k++)
        free(subj[k]);
}

void events_list_free(events_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].actor);
        free(l->v[i].subject);
        free(l->v[i].target);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
