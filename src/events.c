/* events: one event per type per sentence. Its date is the date of its
 * clause nearest to the vocabulary (the dateline never counts); "since"
 * marks a start and "by" a deadline; its actor is the nearest person who
 * does not only speak of it, else a body of its clause (rules/bodies.txt).
 *
 * events_build runs these steps on each sentence: 1. the person or body
 * acting;
 * 2. the event type of each event or date mention; 3. its date; 4. its
 * actor; 5. no second event of the same type and date. Then 6. every event
 * takes the document's subject. */
#include "events.h"

#include "buf.h"
#include "strs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The lexicons the steps read (rules/NAME.txt); any may be NULL. */
typedef struct {
    const rules_list *bodies;        /* bodies: actors of events */
    const rules_list *inspectorates; /* inspectorates: actors of ratings and inspections */
    const rules_list *planned;       /* planned-words: the event is to come */
    const rules_list *rating;        /* rating-context: a rating is an inspection's */
    const rules_list *deadline;      /* deadline-words: "by DATE" is a deadline */
    const rules_list *speech;        /* speech-verbs: a person who speaks of an event is not its actor */
    const rules_list *breaks;        /* event-clause-breaks: an event's date and body are of its clause */
} vocab;

typedef mention_sentence sent;

static int word_at(const char *text, size_t at, const char *w)
{
    size_t n = strlen(w);
    return at >= n && !strncasecmp(text + at - n, w, n) && (at == n || !isalpha((unsigned char)text[at - n - 1]));
}

static int has(const rules_list *l, const char *s, size_t n)
{
    return rules_list_find(l, s, n, NULL) > 0;
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

/* The first entry of l named in s[0..n), with the text's own capitals
 * ("Ofsted", "the government"); malloc'd, or NULL. */
static char *named_in(const rules_list *l, const char *s, size_t n)
{
    size_t at, k = rules_list_find(l, s, n, &at);
    return k ? cs_xstrndup(s + at, k) : NULL;
}

/* The subjects of a text: see events.h. */
void events_subjects(const char *text, const rules_set *rs, const char *const *skip, char *out[3])
{
    const rules_list *stop = rules_lexicon(rs, "stopwords"), *generic = rules_lexicon(rs, "subject-generic");
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
        if (l < 3 || l > 30 || !isupper((unsigned char)*b) || rules_list_has(stop, b, l) ||
            rules_list_has(generic, b, l))
            continue;
        char w[32];
        strs_lower(w, b, l);
        if (strs_in_list(w, skip))
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

/* 1 if person p speaks in x rather than acts: a speech verb right after
 * the name ("Jane Doe accused", "Jane Doe, the leader, said") or right
 * before it ("said Jane Doe"). */
static int speaker(const vocab *v, const sent *x, const mention *p)
{
    const char *t = x->text;
    size_t a = p->end, end = x->s->end;
    if (a < end && t[a] == ',') { /* an apposition: ", the leader," */
        const char *c = memchr(t + a + 1, ',', end - a - 1);
        if (c && (size_t)(c - t) - a < 80)
            a = (size_t)(c - t) + 1;
    }
    while (a < end && t[a] == ' ')
        a++;
    size_t w = a;
    while (w < end && isalpha((unsigned char)t[w]))
        w++;
    if (w > a && rules_list_has(v->speech, t + a, w - a))
        return 1;
    size_t b = p->start;
    while (b > x->s->start && (t[b - 1] == ' ' || t[b - 1] == ','))
        b--;
    size_t z = b;
    while (z > x->s->start && isalpha((unsigned char)t[z - 1]))
        z--;
    return b > z && rules_list_has(v->speech, t + z, b - z);
}

/* Step 1. The actor of the event at mention m: the named person nearest to
 * it who does not only speak of it ("Cllr Doe accused the leader ... after
 * the chief executive, Tom Hart, said he resigned": Tom Hart); the speaker
 * only where no one else is named ("since she was appointed, Dame Judith
 * said"); else a body named in its clause. malloc'd or NULL. */
static char *sentence_actor(const vocab *v, const sent *x, const mention *m, const sentence_span *clause)
{
    const mention *best[2] = {NULL, NULL}; /* nearest actor, nearest speaker */
    size_t dist[2] = {(size_t)-1, (size_t)-1};
    for (size_t k = x->a; k < x->b; k++) {
        const mention *p = &x->ms->v[k];
        if (p->kind != MENTION_PERSON || !p->person.name)
            continue;
        int s = speaker(v, x, p);
        size_t d = p->end <= m->start ? m->start - p->end : p->start >= m->end ? p->start - m->end : 0;
        if (d < dist[s])
            dist[s] = d, best[s] = p;
    }
    const mention *p = best[0] ? best[0] : best[1];
    if (p)
        return cs_xstrdup(p->person.name);
    return named_in(v->bodies, x->text + clause->start, clause->end - clause->start);
}

/* Step 2. The event type of mention m (the k-th), or NULL when it makes
 * none: a date is an event only as a deadline ("improve performance by
 * February 2010"); a rating needs an inspection named; "appointed" gives
 * way to the specific "appointed children's commissioner". */
static const char *event_type(const vocab *v, const sent *x, const mention *m, int *deadline)
{
    *deadline = 0;
    if (m->kind == MENTION_DATE) {
        *deadline = word_at(x->text, m->start, "by ") && has(v->deadline, x->st, x->sl);
        if (!*deadline)
            return NULL;
        return "deadline";
    }
    if (m->kind != MENTION_EVENT)
        return NULL;
    if (!strncmp(m->tag, "rated-", 6) && !has(v->rating, x->st, x->sl))
        return NULL;
    for (size_t q = x->a; q < x->b && !strcmp(m->tag, "appointed"); q++)
        if (x->ms->v[q].kind == MENTION_EVENT && x->ms->v[q].tag && !strcmp(x->ms->v[q].tag, "commissioner-appointed"))
            return NULL;
    return m->tag;
}

/* Step 3. The date of the vocabulary's own clause: the nearest date within
 * 60 bytes, to the right first; a planned event takes no past date, a
 * deadline only its own date (the k-th mention). Without one, "Ofsted has
 * rated ..." is news of the document's own day. */
static void event_date(const sent *x, const mention *m, const sentence_span *clause, size_t k,
                       const dates_ymd *anchor, int deadline, events_event *e)
{
    const mention_list *ms = x->ms;
    size_t best = (size_t)-1, dist = (size_t)-1;
    for (int side = 0; side < 2 && best == (size_t)-1; side++)
        for (size_t q = x->a; q < x->b; q++) {
            const mention *dm = &ms->v[q];
            if (dm->kind != MENTION_DATE || (e->planned && !deadline && is_before(&dm->date, anchor)))
                continue;
            if (!deadline && (dm->start < clause->start || dm->end > clause->end))
                continue; /* another clause's date */
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
        e->has_date = 1;
        e->date = dm->date;
        e->date_start = dm->start;
        e->date_end = dm->end;
        e->since = word_at(x->text, dm->start, "since ");
        return;
    }
    size_t w0 = m->start > x->s->start + 12 ? m->start - 12 : x->s->start;
    if (!e->planned && anchor && anchor->y && has_perfect(x->text + w0, m->start - w0)) {
        e->has_date = 1;
        e->date.start = e->date.end = *anchor;
        e->date.granularity = "day";
        e->date.relative = 1;
        e->date_start = e->date_end = m->start;
    }
}

/* Step 4. The event's actor (malloc'd or NULL): a body named with the
 * event ("a planned visit by Ofsted"), except for people's acts
 * (appointments, reviews, interventions) in a sentence naming a person;
 * for ratings, inspections and their reports the inspectorate; else the
 * sentence's actor. A rating without its inspectorate has no known actor. */
static char *event_actor(const vocab *v, const sent *x, const mention *m, const sentence_span *clause,
                         const char *type, const char *actor)
{
    size_t c0 = clause->start, c1 = clause->end;
    size_t n0 = m->start > c0 + 20 ? m->start - 20 : c0;
    size_t n1 = m->end + 40 < c1 ? m->end + 40 : c1;
    char *near = named_in(v->bodies, x->text + n0, n1 - n0);
    int personal = !strcmp(type, "commissioner-appointed") || !strcmp(type, "appointed") ||
                   !strcmp(type, "resigned") || !strcmp(type, "review") || !strcmp(type, "intervention");
    int person_found = 0;
    for (size_t q = x->a; q < x->b && !person_found; q++)
        person_found = x->ms->v[q].kind == MENTION_PERSON && x->ms->v[q].person.name;
    if (personal && person_found) {
        free(near);
        near = NULL;
    }
    int rating = !strncmp(type, "rated-", 6);
    if (!near && (rating || !strcmp(type, "inspection") || !strcmp(type, "report-published")))
        near = named_in(v->inspectorates, x->st, x->sl);
    if (!near && rating)
        return NULL;
    return near ? near : actor ? cs_xstrdup(actor) : NULL;
}

/* Step 5. 1 if the sentence already gave an event of e's type and date. */
static int duplicate(const events_list *out, size_t first, const events_event *e)
{
    for (size_t q = out->n; q-- > first && out->v[q].sentence == e->sentence;)
        if (!strcmp(out->v[q].type, e->type) && out->v[q].has_date == e->has_date &&
            (!e->has_date || !memcmp(&out->v[q].date.start, &e->date.start, sizeof e->date.start)))
            return 1;
    return 0;
}

/* Steps 2 to 5 on one sentence. */
static void sentence_events(const vocab *v, const sent *x, const dates_ymd *anchor, size_t first, events_list *out)
{
    for (size_t k = x->a; k < x->b; k++) {
        const mention *m = &x->ms->v[k];
        int deadline;
        const char *type = event_type(v, x, m, &deadline);
        if (!type)
            continue;
        events_event e;
        memset(&e, 0, sizeof e);
        e.type = type;
        e.start = m->start;
        e.end = m->end;
        e.sentence = x->si;
        e.rule = deadline ? "events:deadline" : m->rule;
        /* Planned or past, judged near the vocabulary: "Ofsted due to
         * visit ... since the last inspection" holds one of each. */
        size_t w0 = m->start > x->s->start + 40 ? m->start - 40 : x->s->start;
        size_t w1 = m->end + 10 < x->s->end ? m->end + 10 : x->s->end;
        e.planned = has(v->planned, x->text + w0, w1 - w0) || deadline;
        sentence_span clause = sentence_clause(x->text, x->s, v->breaks, m->start, m->end);
        event_date(x, m, &clause, k, anchor, deadline, &e);
        if (duplicate(out, first, &e))
            continue;
        char *actor = sentence_actor(v, x, m, &clause);
        e.actor = event_actor(v, x, m, &clause, type, actor);
        free(actor);
        push(out, &e);
    }
}

static int cmp_word(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Step 6. Every event of the document is about the document's subject: its
 * most frequent capitalised word that is not a word of a person's name. */
static void assign_subject(const char *text, const mention_list *ms, const rules_set *rs, events_list *out,
                           size_t first)
{
    size_t ns = 0, words = 0;
    buf nb;
    buf_init(&nb, 0);
    for (size_t k = 0; k < ms->n; k++)
        if (ms->v[k].kind == MENTION_PERSON && ms->v[k].person.name) {
            buf_puts(&nb, ms->v[k].person.name);
            buf_putc(&nb, ' ');
        }
    char *names = buf_detach(&nb);
    for (const char *p = names; *p; p++)
        words += *p == ' ';
    const char **skip = cs_xcalloc(words + 1, sizeof *skip);
    for (char *p = names; *p && ns < words;) {
        char *sp = strchr(p, ' ');
        if (sp)
            *sp = '\0';
        if (*p)
            skip[ns++] = p;
        if (!sp)
            break;
        p = sp + 1;
    }
    /* A long page names the same people thousands of times: each word once
     * keeps events_subjects' look-ups short. */
    qsort(skip, ns, sizeof *skip, cmp_word);
    size_t u = 0;
    for (size_t k = 0; k < ns; k++)
        if (!u || strcasecmp(skip[u - 1], skip[k]))
            skip[u++] = skip[k];
    skip[u] = NULL;
    char *subj[3];
    events_subjects(text, rs, skip, subj);
    free(skip);
    free(names);
    for (size_t i = first; i < out->n; i++)
        out->v[i].subject = subj[0] ? cs_xstrdup(subj[0]) : NULL;
    for (int k = 0; k < 3; k++)
        free(subj[k]);
}

void events_build(const char *text, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_set *rs, const dates_ymd *anchor, events_list *out)
{
    vocab v = {rules_lexicon(rs, "bodies"), rules_lexicon(rs, "inspectorates"), rules_lexicon(rs, "planned-words"),
               rules_lexicon(rs, "rating-context"), rules_lexicon(rs, "deadline-words"), rules_lexicon(rs, "speech-verbs"),
               rules_lexicon(rs, "event-clause-breaks")};
    size_t mi = 0, first = out->n;
    for (size_t si = 0; si < nsent; si++) {
        sent x = mention_sentence_at(text, ms, sents, si, &mi);
        sentence_events(&v, &x, anchor, first, out);
    }
    assign_subject(text, ms, rs, out, first);
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
