/* claims: one claim per sentence (or bullet) that states a measured outcome.
 *
 * Cue rules (rules/claims.rules) mark vocabulary such as "missing the target
 * by" (a gap, not met), "the target is" (a target), "fell from" (a previous
 * value), "worse than" (a change). Each figure of the sentence takes the role
 * of the cue just before it, or of the cue right after it for comparisons;
 * the first figure with no role is the actual value. A target is derived
 * from actual and gap only where the arithmetic is unambiguous (counts and
 * physical units, never percentages). */
#include "claims.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "strs.h"

enum {
    ROLE_NONE, ROLE_ACTUAL, ROLE_TARGET, ROLE_PREVIOUS, ROLE_GAP, ROLE_CHANGE, ROLE_SKIP, ROLE_CURRENT, ROLE_STATUS,
    ROLE_PERIOD /* a table column for one year or quarter */
};

static int is_claim_unit(const char *u)
{
    /* Money and durations are costs and spans, not performance outcomes. */
    return !strcmp(u, "percent") || !strcmp(u, "count") || !strcmp(u, "fraction") || !strcmp(u, "kg") ||
           !strcmp(u, "tonnes");
}

static int tag_is(const mention *m, const char *t)
{
    return m->tag && !strncmp(m->tag, t, strlen(t));
}

/* Trims the indicator phrase: spaces, punctuation, leading fillers. */
static char *clean_indicator(const char *s, size_t n)
{
    static const char *const lead[] = {"Only ", "only ", "The ", "the ", "Just ", "just ", "Some ", "of ", "and ",
                                       "but ", "But ", "with ", "With ", NULL};
    static const char *const trail[] = {" at", " was", " were", " is", " are", " totalled", " stood at", " of",
                                        " stood", " in", " by", " to", " which was", ",", " -", ":", NULL};
    int changed = 1;
    while (changed) {
        changed = 0;
        while (n && (isspace((unsigned char)*s) || *s == ',' || *s == ':' || *s == '(' || *s == ')' || *s == ']' ||
                     *s == '-'))
            s++, n--, changed = 1;
        while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ',' || s[n - 1] == '.' || s[n - 1] == '(' ||
                     (s[n - 1] == ')' && !memchr(s, '(', n))))
            n--, changed = 1;
        size_t cite = strs_citation_len(s, n);
        if (cite)
            s += cite, n -= cite, changed = 1;
        for (size_t k = n; n && s[n - 1] == ']' && k-- > 0 && n - k <= 10;)
            if (s[k] == '[') {
                if (strs_citation_len(s + k, n - k) == n - k)
                    n = k, changed = 1; /* "... settlement.[174]" */
                break;
            }
        for (int i = 0; lead[i]; i++) {
            size_t l = strlen(lead[i]);
            if (n > l && !strncmp(s, lead[i], l))
                s += l, n -= l, changed = 1;
        }
        for (int i = 0; trail[i]; i++) {
            size_t l = strlen(trail[i]);
            if (n > l && !strncmp(s + n - l, trail[i], l))
                n -= l, changed = 1;
        }
        for (int i = 0; lead[i]; i++) /* the phrase is nothing but a filler */
            if (n + 1 == strlen(lead[i]) && !strncmp(s, lead[i], n))
                n = 0;
    }
    size_t run = 0, word = 0; /* the longest run of letters (accented Latin ones too, not dashes) */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xC0 && run)
            continue; /* the rest of an accented letter */
        run = isalpha(c) || (c >= 0xC3 && c <= 0xC5) ? run + 1 : 0;
        word = run > word ? run : word;
    }
    if (word < 3)
        n = 0; /* "(7.4%)" leaves ")", a size "13.4 MB": no word, no indicator */
    if (n > 200)
        n = 200;
    while (n && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
        n--; /* do not cut a UTF-8 sequence */
    if (n && (unsigned char)s[n - 1] >= 0xC0)
        n--;
    return cs_xstrndup(s, n);
}

int claims_lower_is_better(const char *ind)
{
    static const char *const words[] = {"reduc", "Reduc", "residual", "Residual", "vacanc", "Vacanc", "delay",
                                        "absence", "waiting", "complaint", "re-referral", "backlog", "aseload",
                                        "emission", "agency staff", NULL};
    for (int i = 0; words[i]; i++)
        if (strstr(ind, words[i]))
            return 1;
    return 0;
}

static void set_qty(claims_qty *q, const mention *m)
{
    q->set = 1;
    q->value = m->fig.value;
    q->unit = m->fig.unit;
}


/* Is the word ending at s[end] a reporting verb ("found", "reports")? */
static int reporting_verb_before(const char *s, size_t end)
{
    static const char *const verbs[] = {"found", "finds", "said", "says", "reports", "reported", "revealing", "revealed",
                                        "reveals", "shows", "showed", "suggests", "warned", "warns", "claimed", "claims",
                                        "insisted", "noted", "notes", "believes", "means", "concluded", "admitted", NULL};
    size_t b = end;
    while (b > 0 && isalpha((unsigned char)s[b - 1]))
        b--;
    for (int i = 0; verbs[i]; i++)
        if (strlen(verbs[i]) == end - b && !strncmp(s + b, verbs[i], end - b))
            return 1;
    return 0;
}

/* Promises: "We will protect 14 of our 17 libraries". */
static int future_tense(const char *s, size_t n)
{
    static const char *const w[] = {"will", "would", "shall", "plans to", "aims to", "intends to", "is to", "are to", NULL};
    for (int i = 0; w[i]; i++)
        if (strs_has_word(s, n, w[i]))
            return 1;
    return 0;
}

/* "Nearly half of council spending now goes on adult social care". */
static int about_spending(const char *s, size_t n)
{
    static const char *const w[] = {"spending", "spend", "budget", "funding", "cost", "costs", "income", NULL};
    for (int i = 0; w[i]; i++)
        if (strs_has_word(s, n, w[i]))
            return 1;
    return 0;
}

/* 1 if the sentence attributes what it says to someone: a reporting verb
 * ("X said the number had fallen", "Dame Judith reports that"). */
static int quotes_speech(const char *st, size_t sl)
{
    static const char *const verbs[] = {"said", "says", "told", "warned", "added", "insisted", "claimed", "claims",
                                        "reports", "reported", "admitted", "stated", "announced", NULL};
    for (int i = 0; verbs[i]; i++)
        if (strs_has_word(st, sl, verbs[i]))
            return 1;
    return 0;
}

/* Column roles of a table header row ("Indicator\tActual\tTarget\tLast
 * year"); returns the number of columns, 0 if the row is not such a header. */
/* The order key of a period column's header ("2023/24", "Q3", "Q3 2023"):
 * year * 10 + quarter; 0 when the cell names no period. */
static int period_key(const char *cell)
{
    int year = 0, quarter = 0;
    const char *y = strstr(cell, "20");
    if (y && isdigit((unsigned char)y[2]) && isdigit((unsigned char)y[3]))
        year = atoi(y);
    for (const char *q = cell; *q; q++)
        if (*q == 'q' && q[1] >= '1' && q[1] <= '4' && !isalnum((unsigned char)q[2]) &&
            (q == cell || !isalpha((unsigned char)q[-1])))
            quarter = q[1] - '0';
    return year || quarter ? year * 10 + quarter : 0;
}

static int header_roles(const char *s, size_t n, int *roles, int *keys, int max)
{
    int cols = 0, known = 0, actual = 0;
    size_t i = 0;
    while (i <= n && cols < max) {
        size_t j = i;
        while (j < n && s[j] != '\t')
            j++;
        char cell[64];
        size_t k = j - i < sizeof cell - 1 ? j - i : sizeof cell - 1;
        for (size_t q = 0; q < k; q++)
            cell[q] = (char)tolower((unsigned char)s[i + q]);
        cell[k] = '\0';
        int r = ROLE_NONE;
        keys[cols] = 0;
        if (!strcmp(cell, "rag") || strstr(cell, "rag status") || strstr(cell, "rag rating") || !strcmp(cell, "status") ||
            !strcmp(cell, "rating"))
            r = ROLE_STATUS; /* red, amber, green */
        else if (strstr(cell, "target") || strstr(cell, "goal"))
            r = ROLE_TARGET;
        else if (strstr(cell, "last year") || strstr(cell, "previous") || strstr(cell, "baseline") ||
                 strstr(cell, "prior"))
            r = ROLE_PREVIOUS;
        else if (strstr(cell, "actual") || strstr(cell, "outturn") || strstr(cell, "result") || strstr(cell, "this year"))
            r = ROLE_ACTUAL, actual = 1;
        else if ((keys[cols] = period_key(cell)) > 0)
            r = ROLE_PERIOD; /* "2023/24", "Q3" */
        known += r != ROLE_NONE;
        roles[cols++] = r;
        i = j + 1;
    }
    /* Beside an actual column, period columns are earlier values. */
    int judged = actual;
    for (int c = 0; c < cols; c++) {
        if (roles[c] == ROLE_PERIOD && actual)
            roles[c] = ROLE_PREVIOUS;
        judged |= roles[c] == ROLE_TARGET || roles[c] == ROLE_STATUS || roles[c] == ROLE_PREVIOUS;
    }
    /* Periods alone ("Ward | Population 2011 | Population 2021") are a data
     * table; a performance table also names a target, status or baseline. */
    return known >= 2 && judged ? cols : 0;
}

/* The met a row's status column states: 1 for green (on target, met,
 * achieved), 0 for red (off target, missed, not met), -1 for amber or none. */
static int status_of_row(const char *row, size_t n, const int *header, int ncols)
{
    int col = 0;
    for (size_t i = 0; i <= n && col < ncols;) {
        size_t j = i;
        while (j < n && row[j] != '\t')
            j++;
        if (header[col] == ROLE_STATUS) {
            char cell[32];
            size_t k = j - i < sizeof cell - 1 ? j - i : sizeof cell - 1;
            strs_lower(cell, row + i, k);
            static const char *const good[] = {"green", "g", "on target", "on track", "achieved", "met", NULL};
            static const char *const bad[] = {"red", "r", "off target", "off track", "not met", "missed", NULL};
            if (strs_has_any(cell, k, bad))
                return 0; /* before good: "not met" holds "met" */
            return strs_has_any(cell, k, good) ? 1 : -1;
        }
        col++;
        i = j + 1;
    }
    return -1;
}

/* The column of offset off in a tab-separated row starting at row. */
static int column_of(const char *text, size_t row, size_t off)
{
    int c = 0;
    for (size_t i = row; i < off; i++)
        c += text[i] == '\t';
    return c;
}

/* Does the sentence hold a word of the performance lexicon? */
static int performance_sentence(const rules_list *perf, const char *s, size_t n)
{
    if (!perf)
        return 1;
    for (size_t i = 0; i < n;) {
        while (i < n && !isalpha((unsigned char)s[i]))
            i++;
        size_t b = i;
        while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '-'))
            i++;
        if (i > b && rules_list_has(perf, s + b, i - b))
            return 1;
    }
    return 0;
}

void claims_build(const char *text, size_t len, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_list *perf, claims_list *out)
{
    int header[32], hkey[32], ncols = 0;
    (void)len;
    const char *scope_name = NULL;
    size_t scope_block = 0, scope_left = 0;
    size_t mi = 0;
    for (size_t si = 0; si < nsent; si++) {
        const sentence_span *s = &sents[si];
        size_t a, b; /* mentions of this sentence */
        mention_window(ms, &mi, s->start, s->end, &a, &b);

        /* Table rows: the header names the columns; each row is one claim. */
        if (memchr(text + s->start, '\t', s->end - s->start)) {
            int roles[32], keys[32];
            int cols = header_roles(text + s->start, s->end - s->start, roles, keys, 32);
            if (cols) {
                memcpy(header, roles, sizeof roles);
                memcpy(hkey, keys, sizeof keys);
                ncols = cols;
                continue;
            }
            if (ncols) {
                claims_claim cl;
                memset(&cl, 0, sizeof cl);
                cl.met = -1;
                const mention *latest = NULL, *before = NULL; /* in period columns, by period */
                int latest_key = 0, before_key = 0;
                for (size_t k = a; k < b; k++) {
                    const mention *m = &ms->v[k];
                    if (m->kind != MENTION_FIGURE || !is_claim_unit(m->fig.unit))
                        continue;
                    int col = column_of(text, s->start, m->start);
                    int r = col < ncols ? header[col] : ROLE_NONE;
                    if (r == ROLE_PERIOD) {
                        /* The latest period with a value is the actual, the one before it
                         * the previous: later columns may still be empty. */
                        if (hkey[col] >= latest_key)
                            before = latest, before_key = latest_key, latest = m, latest_key = hkey[col];
                        else if (hkey[col] >= before_key)
                            before = m, before_key = hkey[col];
                        continue;
                    }
                    claims_qty *q = r == ROLE_ACTUAL ? &cl.actual : r == ROLE_TARGET ? &cl.target
                                  : r == ROLE_PREVIOUS ? &cl.previous : NULL;
                    if (q && !q->set)
                        set_qty(q, m);
                }
                if (latest && !cl.actual.set)
                    set_qty(&cl.actual, latest);
                if (before && !cl.previous.set)
                    set_qty(&cl.previous, before);
                const char *tab = memchr(text + s->start, '\t', s->end - s->start);
                if (cl.actual.set && tab) {
                    cl.indicator = clean_indicator(text + s->start, (size_t)(tab - (text + s->start)));
                    if (cl.target.set && !strcmp(cl.target.unit, cl.actual.unit))
                        cl.met = claims_lower_is_better(cl.indicator) ? cl.actual.value <= cl.target.value
                                                               : cl.actual.value >= cl.target.value;
                    /* A stated status (red, amber, green) is what the report says; check
                     * compares it with the figures. */
                    int stated = status_of_row(text + s->start, s->end - s->start, header, ncols);
                    if (stated >= 0)
                        cl.met = stated;
                    cl.start = s->start;
                    cl.end = s->end;
                    cl.sentence = si;
                    cl.rule = "claims:table-row";
                    cs_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
                    out->v[out->n++] = cl;
                }
                continue;
            }
        }
        if (memchr(text + s->start, '\t', s->end - s->start))
            continue; /* a row of a table whose header names no actual or target: data, not a statement */
        ncols = 0; /* prose ends a table */

        /* An attribution block "X said:" opens a speaker scope. */
        const char *said_person = NULL;
        int persons = 0;
        for (size_t k = a; k < b; k++)
            if (ms->v[k].kind == MENTION_PERSON)
                persons++, said_person = said_person ? said_person : ms->v[k].person.name;
        size_t sl = s->end - s->start;
        const char *st = text + s->start;
        if (said_person && sl && st[sl - 1] == ':') {
            scope_name = said_person;
            scope_block = s->block;
            scope_left = 1;
            continue;
        }
        if (persons && scope_name && s->block > scope_block)
            scope_name = NULL;
        /* The quoted paragraph right after "X said:" is X's. */
        const char *speaker = NULL;
        if (scope_name && s->block > scope_block && s->block <= scope_block + scope_left)
            speaker = scope_name;
        else if (persons == 1 && quotes_speech(st, sl))
            speaker = said_person;

        int role[64];
        size_t figs[64], nf = 0;
        int met = -1, gap_met = -1;
        for (size_t k = a; k < b && nf < 64; k++) {
            const mention *m = &ms->v[k];
            if (m->kind == MENTION_FIGURE && is_claim_unit(m->fig.unit)) {
                figs[nf] = k;
                role[nf] = ROLE_NONE;
                nf++;
            }
        }
        if (!nf)
            continue;
        /* Roles from cues, in text order: a cue governs the next figure
         * without a role, an "-after" cue the figure just before it. */
        int planned = 0;
        for (size_t k = a; k < b; k++) {
            const mention *c = &ms->v[k];
            if (c->kind != MENTION_CUE)
                continue;
            if (tag_is(c, "met-true")) {
                met = 1;
                continue;
            }
            if (tag_is(c, "met-false")) {
                met = 0;
                continue;
            }
            int after = strstr(c->tag, "-after") != NULL;
            int r = ROLE_NONE;
            if (tag_is(c, "gap"))
                r = ROLE_GAP;
            else if (tag_is(c, "target"))
                r = ROLE_TARGET;
            else if (tag_is(c, "previous-planned"))
                r = ROLE_PREVIOUS, planned = 1;
            else if (tag_is(c, "previous"))
                r = ROLE_PREVIOUS;
            else if (tag_is(c, "to"))
                r = planned ? ROLE_TARGET : ROLE_ACTUAL;
            else if (tag_is(c, "change"))
                r = ROLE_CHANGE;
            else if (tag_is(c, "whole"))
                r = ROLE_SKIP;
            else if (tag_is(c, "current"))
                r = ROLE_CURRENT;
            if (r == ROLE_NONE)
                continue;
            size_t f = nf;
            if (after) {
                for (size_t j = nf; j-- > 0;)
                    if (ms->v[figs[j]].end <= c->start) {
                        if (role[j] == ROLE_NONE || role[j] == ROLE_ACTUAL)
                            f = j;
                        break;
                    }
            } else {
                for (size_t j = 0; j < nf; j++)
                    if (ms->v[figs[j]].start >= c->end) {
                        if (role[j] == ROLE_NONE)
                            f = j;
                        break;
                    }
            }
            if (f == nf)
                continue;
            role[f] = r;
            if (r == ROLE_GAP)
                gap_met = tag_is(c, "gap-exceeded") ? 1 : tag_is(c, "gap-missed") ? 0 : -1;
        }
        /* "300 in March, compared with 40 now": the current figure is the
         * actual and what it is compared with is the previous value. */
        for (size_t f = 0; f < nf; f++)
            if (role[f] == ROLE_CURRENT) {
                role[f] = ROLE_ACTUAL;
                for (size_t j = 0; j < f; j++)
                    if (role[j] == ROLE_NONE) {
                        role[j] = ROLE_PREVIOUS;
                        break;
                    }
            }
        /* Spending and promises are not performance claims: a sentence with
         * an amount of money, or one about the future whose figures no
         * target vocabulary explains, gives none. */
        int money = 0, roles_set = 0;
        for (size_t k = a; k < b; k++)
            money |= ms->v[k].kind == MENTION_FIGURE && (!strcmp(ms->v[k].fig.unit, "GBP") ||
                                                         !strcmp(ms->v[k].fig.unit, "USD") ||
                                                         !strcmp(ms->v[k].fig.unit, "EUR"));
        for (size_t f = 0; f < nf; f++)
            roles_set |= role[f] == ROLE_TARGET || role[f] == ROLE_GAP || role[f] == ROLE_PREVIOUS;
        if (money || (!roles_set && (future_tense(st, sl) || about_spending(st, sl))))
            continue;
        /* A plain count is a claim only where performance is spoken of. */
        int share = 0;
        for (size_t f = 0; f < nf; f++)
            share |= strcmp(ms->v[figs[f]].fig.unit, "count") || ms->v[figs[f]].fig.has_of;
        if (!roles_set && !share && !performance_sentence(perf, st, sl))
            continue;
        claims_claim cl;
        memset(&cl, 0, sizeof cl);
        cl.met = met;
        if (gap_met >= 0)
            cl.met = gap_met;
        size_t first_actual = (size_t)-1;
        for (size_t f = 0; f < nf; f++)
            if (role[f] == ROLE_ACTUAL && first_actual == (size_t)-1)
                first_actual = f;
        for (size_t f = 0; f < nf && first_actual == (size_t)-1; f++)
            if (role[f] == ROLE_NONE)
                first_actual = f;
        if (first_actual != (size_t)-1)
            set_qty(&cl.actual, &ms->v[figs[first_actual]]);
        for (size_t f = 0; f < nf; f++) {
            const mention *m = &ms->v[figs[f]];
            if (role[f] == ROLE_TARGET && !cl.target.set)
                set_qty(&cl.target, m);
            else if (role[f] == ROLE_PREVIOUS && !cl.previous.set)
                set_qty(&cl.previous, m);
            else if (role[f] == ROLE_GAP && !cl.gap.set)
                set_qty(&cl.gap, m);
            else if (role[f] == ROLE_CHANGE && !cl.change.set)
                set_qty(&cl.change, m);
        }
        if (!cl.actual.set && !cl.target.set && !cl.gap.set)
            continue;
        /* Statements of the next sentence in the same block: "The target is 100 per cent." */
        size_t ev_end = s->end;
        if (si + 1 < nsent && sents[si + 1].block == s->block && !cl.target.set) {
            size_t k = b;
            const mention *cue = NULL, *fig = NULL;
            for (; k < ms->n && ms->v[k].start < sents[si + 1].end; k++) {
                if (ms->v[k].kind == MENTION_CUE && (tag_is(&ms->v[k], "target") || tag_is(&ms->v[k], "gap")) && !cue)
                    cue = &ms->v[k];
                else if (ms->v[k].kind == MENTION_FIGURE && is_claim_unit(ms->v[k].fig.unit) && !fig)
                    fig = &ms->v[k];
            }
            if (cue && fig && fig->start >= cue->end) {
                if (tag_is(cue, "target"))
                    set_qty(&cl.target, fig);
                else if (!cl.gap.set) {
                    set_qty(&cl.gap, fig);
                    cl.met = tag_is(cue, "gap-exceeded") ? 1 : tag_is(cue, "gap-missed") ? 0 : cl.met;
                }
                ev_end = sents[si + 1].end;
                si++; /* the next sentence is part of this claim */
            }
        }
        /* Indicator: the words before the first figure or, when the sentence
         * opens with the figure, the words after it up to a cue or comma. */
        /* The subject ends at the first figure or role cue of the sentence. */
        const mention *f0 = &ms->v[figs[first_actual != (size_t)-1 ? first_actual : 0]];
        size_t subject_end = f0->start;
        for (size_t k = a; k < b; k++)
            if (ms->v[k].start < subject_end &&
                ((ms->v[k].kind == MENTION_FIGURE && is_claim_unit(ms->v[k].fig.unit)) ||
                 (ms->v[k].kind == MENTION_CUE && !tag_is(&ms->v[k], "met") && !tag_is(&ms->v[k], "whole"))))
                subject_end = ms->v[k].start;
        size_t lead = subject_end - s->start;
        /* "cutting social care vacancies from": the measure sits inside the cue. */
        for (size_t k = a; k < b && !cl.indicator; k++) {
            const mention *c = &ms->v[k];
            if (c->kind != MENTION_CUE || !tag_is(c, "previous-planned"))
                continue;
            const char *cs = text + c->start, *sp = memchr(cs, ' ', c->end - c->start);
            size_t ce = c->end - c->start;
            if (sp && ce > 5 && !strncasecmp(cs + ce - 4, "from", 4)) {
                cl.indicator = clean_indicator(sp + 1, (size_t)(cs + ce - 4 - (sp + 1)));
                if (!cl.indicator[0]) {
                    free(cl.indicator);
                    cl.indicator = NULL;
                }
            }
        }
        if (!cl.indicator && lead > 3) {
            /* The subject starts after the last clause break before it. */
            size_t from = 0;
            static const char *const breaks[] = {", and ", ", but ", "; ", ", while ", ", with ", NULL};
            for (int q = 0; breaks[q]; q++)
                for (size_t z = 0; z + strlen(breaks[q]) <= lead; z++)
                    if (!strncmp(st + z, breaks[q], strlen(breaks[q])) && z + strlen(breaks[q]) > from)
                        from = z + strlen(breaks[q]);
            /* "inspectors found that ...", "reports that ...": the clause after
             * a reporting verb (not a relative "cases that were judged"). */
            for (size_t z = from; z + 6 <= lead; z++)
                if (!strncmp(st + z, " that ", 6) && reporting_verb_before(st, z))
                    from = z + 6;
            /* "X said the number of ... had fallen": the clause after the verb. */
            for (size_t z = from; z + 1 < lead; z++)
                if (st[z] == ' ' && z > 0 && reporting_verb_before(st, z) && strncmp(st + z, " that ", 6))
                    from = z + 1;
            /* "82 per cent of assessments were completed": the measure follows. */
            const mention *firstfig = &ms->v[figs[0]];
            if (lead - from < 4 || (firstfig->start == subject_end && !strncmp(text + firstfig->end, " of ", 4)))
                from = lead;
            cl.indicator = from < lead ? clean_indicator(st + from, lead - from) : NULL;
        }
        if (!cl.indicator || !cl.indicator[0]) {
            free(cl.indicator);
            cl.indicator = NULL;
            size_t from = ms->v[figs[0]].end, to = s->end;
            for (size_t k = a; k < b; k++)
                if (ms->v[k].start > from && (ms->v[k].kind == MENTION_CUE || ms->v[k].kind == MENTION_FIGURE || ms->v[k].kind == MENTION_DATE)) {
                    to = ms->v[k].start;
                    break;
                }
            const char *comma = memchr(text + from, ',', to - from);
            if (comma)
                to = (size_t)(comma - text);
            cl.indicator = clean_indicator(text + from, to - from);
        }
        if (!cl.indicator[0]) {
            free(cl.indicator);
            continue;
        }
        /* Derived target: counts and physical units only. */
        if (!cl.target.set && cl.gap.set && cl.actual.set && cl.met >= 0 && !strcmp(cl.gap.unit, cl.actual.unit) &&
            strcmp(cl.actual.unit, "percent") && strcmp(cl.actual.unit, "fraction")) {
            int lower = claims_lower_is_better(cl.indicator);
            double t = cl.met ? (lower ? cl.actual.value + cl.gap.value : cl.actual.value - cl.gap.value)
                              : (lower ? cl.actual.value - cl.gap.value : cl.actual.value + cl.gap.value);
            cl.target = (claims_qty){1, t, cl.actual.unit};
            cl.target_derived = 1;
        }
        if (cl.met < 0 && cl.target.set && cl.actual.set && !cl.target_derived &&
            !strcmp(cl.target.unit, cl.actual.unit))
            cl.met = claims_lower_is_better(cl.indicator) ? cl.actual.value <= cl.target.value
                                                   : cl.actual.value >= cl.target.value;
        /* "Half of targets missed": an aggregate has no target of its own. */
        if (!cl.target.set && !cl.gap.set)
            cl.met = -1;
        for (size_t k = a; k < b; k++)
            if (ms->v[k].kind == MENTION_DATE) {
                cl.has_period = 1;
                cl.period = ms->v[k].date;
                break;
            }
        cl.start = s->start;
        cl.end = ev_end;
        cl.sentence = (size_t)(s - sents);
        cl.speaker = speaker ? cs_xstrdup(speaker) : NULL;
        cl.rule = "claims:sentence";
        cs_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
        out->v[out->n++] = cl;

        /* Further figures of the same kind with no role are claims of their
         * own: "12 improving and nine declining". */
        for (size_t f = first_actual + 1; first_actual != (size_t)-1 && f < nf; f++) {
            const mention *m = &ms->v[figs[f]];
            if (role[f] != ROLE_NONE || strcmp(m->fig.unit, cl.actual.unit) || m->fig.has_of)
                continue;
            size_t from = m->end, to = m->end;
            if (m->start > s->start && text[m->start - 1] == '(') {
                /* "Pacific peoples (7.4%)": the words before the bracket */
                to = m->start - 1;
                from = to;
                while (from > s->start && !strchr(",;()", text[from - 1]) &&
                       !(from >= s->start + 5 && !strncmp(text + from - 5, " and ", 5)))
                    from--;
            } else {
                while (to < s->end && text[to] != ',' && text[to] != ';' && text[to] != '.' &&
                       strncmp(text + to, " and ", 5))
                    to++;
            }
            claims_claim extra;
            memset(&extra, 0, sizeof extra);
            extra.met = -1;
            set_qty(&extra.actual, m);
            extra.indicator = clean_indicator(text + from, to - from);
            if (!extra.indicator[0]) {
                free(extra.indicator);
                continue;
            }
            extra.start = m->start;
            extra.end = to;
            extra.sentence = cl.sentence;
            extra.speaker = speaker ? cs_xstrdup(speaker) : NULL;
            extra.has_period = cl.has_period;
            extra.period = cl.period;
            extra.rule = "claims:clause";
            cs_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
            out->v[out->n++] = extra;
        }
    }
}

void claims_list_free(claims_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].indicator);
        free(l->v[i].speaker);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
