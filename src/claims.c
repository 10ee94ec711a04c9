/* claims: one claim per sentence (or bullet, or table row) that states a
 * measured outcome.
 *
 * claims_build runs these steps on each sentence, in this order:
 *   0. scorecard lines: labelled values ("Latest: 82% Target: 85% Floor:
 *      75%") are one claim named by the box's title; an inspection
 *      judgement ("was judged to be inadequate") is a claim with a status
 *      and no figure;
 *   1. table rows: a header row names the columns (actual, target, previous,
 *      status, periods); each row under it is one claim;
 *   2. the speaker: "X said:" opens a scope over the next paragraph, and a
 *      sentence with one person and a speech verb is that person's;
 *   3. roles: cue rules (rules/claims.rules) mark vocabulary such as
 *      "missing the target by" (a gap, not met), "the target is" (a
 *      target), "fell from" (a previous value), "worse than" (a change).
 *      Each figure takes the role of the cue just before it, or of the cue
 *      right after it for comparisons; the first figure with no role is the
 *      actual value;
 *   4. pruning: money, pledges, spending and plain counts outside talk of
 *      performance are not claims;
 *   5. the claim: its quantities from the roles, and a target or gap stated
 *      in the next sentence of the same block;
 *   6. the indicator: the noun phrase that names the measure;
 *   7. target and met: a target derived from actual and gap only where the
 *      arithmetic is unambiguous (counts and physical units, never
 *      percentages), met from actual against target;
 *   8. further clauses: more figures of the same kind with no role are
 *      claims of their own ("12 improving and nine declining").
 * The vocabulary of every step is in rules/ (see vocab_of). */
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

#define MAX_COLS 32
#define MAX_FIGS 64

/* The lexicons the steps read (rules/NAME.txt); any may be NULL. */
typedef struct {
    const rules_list *perf;      /* performance-words: a plain count is a claim only beside one */
    const rules_list *stats;     /* statistics-words: the measures of statistics releases */
    const rules_list *lead;      /* indicator-lead: fillers trimmed from an indicator's start */
    const rules_list *trail;     /* indicator-trail: verbs and prepositions trimmed from its end */
    const rules_list *lower;     /* lower-is-better: stems of measures where lower is better */
    const rules_list *reporting; /* reporting-verbs: the measure is in the clause after one */
    const rules_list *speech;    /* speech-verbs: the claim is the speaker's */
    const rules_list *pledge;    /* pledge-words: a promise, not an outcome */
    const rules_list *spending;  /* spending-words: money spent, not performance */
    const rules_list *forecast;  /* forecast-words: a prediction, not an outcome */
    const rules_list *compare;   /* comparison-words: a figure brought in for comparison */
    const rules_list *col[4];    /* column-actual, -target, -previous, -status: header cells */
    const rules_list *met, *missed; /* status-met, status-missed: status cells */
    const rules_list *partial;   /* status-partial: a rating between (amber): not met */
    const rules_list *floor, *latest; /* label-floor, label-actual: "Floor:", "Latest:" in scorecards */
    const rules_list *context;          /* context-words: area statistics, not outcomes */
    const rules_list *units;            /* claim-units: the units a measured outcome is stated in */
    const rules_list *durations;        /* duration-units: spans of time, never an actual */
    const rules_list *subject_breaks;   /* subject-breaks: a sentence's subject starts after one */
    const rules_list *statement_breaks; /* statement-breaks: one statement of a sentence ends at one */
    const rules_list *grades;    /* judgement-grades: an inspectorate's grades ("requires improvement") */
    const rules_list *inspected; /* inspected-lead: "inspection of": what was inspected follows */
    const rules_list *inspected_end; /* inspected-end: "was", "in": where what was inspected ends */
    const sentence_span *sents;  /* the document's sentences (a clause is read within its sentence) */
} vocab;

static void vocab_of(const rules_set *rs, vocab *v)
{
    v->perf = rules_lexicon(rs, "performance-words");
    v->stats = rules_lexicon(rs, "statistics-words");
    v->lead = rules_lexicon(rs, "indicator-lead");
    v->trail = rules_lexicon(rs, "indicator-trail");
    v->lower = rules_lexicon(rs, "lower-is-better");
    v->reporting = rules_lexicon(rs, "reporting-verbs");
    v->speech = rules_lexicon(rs, "speech-verbs");
    v->pledge = rules_lexicon(rs, "pledge-words");
    v->spending = rules_lexicon(rs, "spending-words");
    v->forecast = rules_lexicon(rs, "forecast-words");
    v->compare = rules_lexicon(rs, "comparison-words");
    v->col[0] = rules_lexicon(rs, "column-status");
    v->col[1] = rules_lexicon(rs, "column-target");
    v->col[2] = rules_lexicon(rs, "column-previous");
    v->col[3] = rules_lexicon(rs, "column-actual");
    v->met = rules_lexicon(rs, "status-met");
    v->missed = rules_lexicon(rs, "status-missed");
    v->partial = rules_lexicon(rs, "status-partial");
    v->floor = rules_lexicon(rs, "label-floor");
    v->latest = rules_lexicon(rs, "label-actual");
    v->context = rules_lexicon(rs, "context-words");
    v->units = rules_lexicon(rs, "claim-units");
    v->durations = rules_lexicon(rs, "duration-units");
    v->subject_breaks = rules_lexicon(rs, "subject-breaks");
    v->statement_breaks = rules_lexicon(rs, "statement-breaks");
    v->grades = rules_lexicon(rs, "judgement-grades");
    v->inspected = rules_lexicon(rs, "inspected-lead");
    v->inspected_end = rules_lexicon(rs, "inspected-end");
}

static int is_money(const char *u)
{
    return !strcmp(u, "GBP") || !strcmp(u, "USD") || !strcmp(u, "EUR");
}

static int is_duration(const vocab *v, const char *u)
{
    return rules_list_has(v->durations, u, strlen(u));
}

typedef mention_sentence sent;

/* Amounts of money are a statistic's here, not spending: the sentence (the
 * whole of it, for a clause) names a statistics measure and no spending. */
static int money_ok(const vocab *v, const sent *x)
{
    const char *st = x->text + v->sents[x->si].start;
    size_t sl = v->sents[x->si].end - v->sents[x->si].start;
    return !rules_list_find(v->spending, st, sl, NULL) && rules_list_find(v->stats, st, sl, NULL);
}

/* A figure that can be a claim's quantity: of a claim unit, or money where
 * the sentence does not speak of spending ("the average rent fell to £812", not
 * "the council spent £2m"); not a count of occasions ("rose five times"). */
static int claim_figure(const vocab *v, const sent *x, const mention *m)
{
    if (m->kind != MENTION_FIGURE)
        return 0;
    if (is_money(m->fig.unit))
        return money_ok(v, x);
    if (!rules_list_has(v->units, m->fig.unit, strlen(m->fig.unit)))
        return 0;
    return strcmp(m->fig.unit, "count") || strncmp(x->text + m->end, " times", 6);
}

static int tag_is(const mention *m, const char *t)
{
    return m->tag && !strncmp(m->tag, t, strlen(t));
}

static void set_qty(claims_qty *q, const mention *m)
{
    q->set = 1;
    q->value = m->fig.value;
    q->unit = m->fig.unit;
}

static void push(claims_list *out, const claims_claim *c)
{
    cs_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n++] = *c;
}

int claims_lower_is_better(const rules_list *lower, const char *ind)
{
    return rules_list_stem(lower, ind, strlen(ind));
}

/* ---- step 6 (used by 1 and 8 too): the indicator phrase ---- */

/* Length of a lexicon entry that ends s[0..n) as whole words after a space
 * ("Waiting times stood at" ends with "stood at"), or 0. */
static size_t trailing_entry(const rules_list *l, const char *s, size_t n)
{
    size_t best = 0;
    for (size_t i = n; l && i-- > 1 && n - i <= l->maxlen + 1;)
        if (s[i] == ' ' && rules_list_has(l, s + i + 1, n - i - 1))
            best = n - i; /* the longest: "which was" before "was" */
    return best;
}

/* Trims s[0..n): spaces, brackets, citation markers, the lead and trail
 * lexicons. Returns the new length; *s moves past what the start lost. */
static size_t trim_indicator(const vocab *v, const char **sp, size_t n)
{
    const char *s = *sp;
    int changed = 1;
    while (changed) {
        changed = 0;
        while (n && (isspace((unsigned char)*s) || *s == ',' || *s == ':' || *s == '(' || *s == ')' || *s == ']' ||
                     *s == '-'))
            s++, n--, changed = 1;
        while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ',' || s[n - 1] == '.' || s[n - 1] == '(' ||
                     s[n - 1] == ':' || (s[n - 1] == '-' && n > 1 && s[n - 2] == ' ') ||
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
        size_t l = rules_list_prefix(v->lead, s, n);
        if (l && l < n && s[l] == ' ')
            s += l + 1, n -= l + 1, changed = 1;
        if ((l = trailing_entry(v->trail, s, n)) > 0)
            n -= l, changed = 1;
        if (rules_list_has(v->lead, s, n))
            n = 0; /* the phrase is nothing but a filler */
    }
    *sp = s;
    return n;
}

/* The indicator s[0..n), trimmed; "" when no word of three letters is left.
 * Returns a malloc'd string. */
static char *clean_indicator(const vocab *v, const char *s, size_t n)
{
    n = trim_indicator(v, &s, n);
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

/* Is the word ending at s[end] a reporting verb ("found", "reports")? */
static int reporting_verb_before(const vocab *v, const char *s, size_t end)
{
    size_t b = end;
    while (b > 0 && isalpha((unsigned char)s[b - 1]))
        b--;
    return rules_list_has(v->reporting, s + b, end - b);
}

/* Where the subject of a sentence starts, before lead (its end): after the
 * last clause break, and after a reporting verb ("inspectors found that
 * ...", "X said the number of ... had fallen"). */
static size_t subject_start(const vocab *v, const char *st, size_t lead)
{
    size_t from = 0;
    for (size_t z = 0; z < lead; z++) {
        size_t bl = sentence_break_at(v->subject_breaks, st + z, lead - z);
        if (bl && z + bl > from)
            from = z + bl;
    }
    /* The clause after "that" following a reporting verb (not a relative
     * "cases that were judged"). */
    for (size_t z = from; z + 6 <= lead; z++)
        if (!strncmp(st + z, " that ", 6) && reporting_verb_before(v, st, z))
            from = z + 6;
    for (size_t z = from; z + 1 < lead; z++)
        if (st[z] == ' ' && z > 0 && reporting_verb_before(v, st, z) && strncmp(st + z, " that ", 6))
            from = z + 1;
    return from;
}

/* "cutting social care vacancies from": the measure inside a planned-change
 * cue. NULL when the sentence has none. */
static char *indicator_in_cue(const vocab *v, const sent *x)
{
    for (size_t k = x->a; k < x->b; k++) {
        const mention *c = &x->ms->v[k];
        if (c->kind != MENTION_CUE || !tag_is(c, "previous-planned"))
            continue;
        const char *cs = x->text + c->start, *sp = memchr(cs, ' ', c->end - c->start);
        size_t ce = c->end - c->start;
        if (sp && ce > 5 && !strncasecmp(cs + ce - 4, "from", 4)) {
            char *ind = clean_indicator(v, sp + 1, (size_t)(cs + ce - 4 - (sp + 1)));
            if (ind[0])
                return ind;
            free(ind);
        }
    }
    return NULL;
}

/* The indicator of a sentence claim whose actual (or first) figure is f0:
 * the words before the first figure or role cue or, when the sentence opens
 * with the figure, the words after it up to a cue or comma. Returns a
 * malloc'd string, "" when there is none. */
static char *indicator_of(const vocab *v, const sent *x, const mention *f0, const mention *first)
{
    const mention_list *ms = x->ms;
    /* The subject ends at the first figure or role cue of the sentence. */
    size_t subject_end = f0->start;
    for (size_t k = x->a; k < x->b; k++)
        if (ms->v[k].start < subject_end &&
            (claim_figure(v, x, &ms->v[k]) ||
             (ms->v[k].kind == MENTION_CUE && !tag_is(&ms->v[k], "met") && !tag_is(&ms->v[k], "whole"))))
            subject_end = ms->v[k].start;
    size_t lead = subject_end - x->s->start;
    char *ind = indicator_in_cue(v, x);
    if (!ind && lead > 3) {
        size_t from = subject_start(v, x->st, lead);
        /* "82 per cent of assessments were completed": the measure follows. */
        if (lead - from < 4 || (first->start == subject_end && !strncmp(x->text + first->end, " of ", 4)))
            from = lead;
        ind = from < lead ? clean_indicator(v, x->st + from, lead - from) : NULL;
    }
    if (ind && ind[0])
        return ind;
    free(ind);
    size_t from = first->end, to = x->s->end;
    for (size_t k = x->a; k < x->b; k++)
        if (ms->v[k].start > from &&
            (ms->v[k].kind == MENTION_CUE || ms->v[k].kind == MENTION_FIGURE || ms->v[k].kind == MENTION_DATE)) {
            to = ms->v[k].start;
            break;
        }
    const char *comma = memchr(x->text + from, ',', to - from);
    if (comma)
        to = (size_t)(comma - x->text);
    return clean_indicator(v, x->text + from, to - from);
}

/* ---- step 1: table rows ---- */

/* The header of the performance table being read. */
typedef struct {
    int role[MAX_COLS]; /* ROLE_* of each column */
    int key[MAX_COLS];  /* period columns: their order key */
    int ncols;          /* 0: no table open */
} table;

/* The order key of a period column's header ("2023/24", "Q3", "Q3 2023"):
 * year * 10 + quarter; 0 when the cell (lower case) names no period. */
static int period_key(const char *cell)
{
    int year = 0, quarter = 0;
    for (const char *y = cell; *y && !year; y++) {
        const char *p = y;
        int v;
        if ((y == cell || !isdigit((unsigned char)y[-1])) && y[0] == '2' && y[1] == '0' &&
            strs_take_digits(&p, 4, &v) && !isdigit((unsigned char)*p))
            year = v; /* "2023/24", "q1 2024": four digits, no more */
    }
    for (const char *q = cell; *q; q++)
        if (*q == 'q' && q[1] >= '1' && q[1] <= '4' && !isalnum((unsigned char)q[2]) &&
            (q == cell || !isalpha((unsigned char)q[-1])))
            quarter = q[1] - '0';
    return year || quarter ? year * 10 + quarter : 0;
}

/* The role of a header cell (lower case): status, target, previous, actual
 * or a period (with *key its order), else ROLE_NONE. */
static int column_role(const vocab *v, const char *cell, int *key)
{
    static const int roles[4] = {ROLE_STATUS, ROLE_TARGET, ROLE_PREVIOUS, ROLE_ACTUAL};
    size_t n = strlen(cell);
    *key = 0;
    for (int i = 0; i < 4; i++)
        if (rules_list_stem(v->col[i], cell, n))
            return roles[i];
    return (*key = period_key(cell)) > 0 ? ROLE_PERIOD : ROLE_NONE;
}

/* Reads a table header row ("Indicator\tActual\tTarget\tLast year") into t;
 * returns 0 (t unchanged) if the row is not such a header. */
static int table_header(const vocab *v, const char *s, size_t n, table *t)
{
    table h;
    int cols = 0, known = 0, actual = 0;
    for (size_t i = 0; i <= n && cols < MAX_COLS; cols++) {
        size_t j = i;
        while (j < n && s[j] != '\t')
            j++;
        char cell[64];
        strs_lower(cell, s + i, j - i < sizeof cell - 1 ? j - i : sizeof cell - 1);
        h.role[cols] = column_role(v, cell, &h.key[cols]);
        known += h.role[cols] != ROLE_NONE;
        actual |= h.role[cols] == ROLE_ACTUAL;
        i = j + 1;
    }
    /* Beside an actual column, period columns are earlier values. */
    int judged = actual;
    for (int c = 0; c < cols; c++) {
        if (h.role[c] == ROLE_PERIOD && actual)
            h.role[c] = ROLE_PREVIOUS;
        judged |= h.role[c] == ROLE_TARGET || h.role[c] == ROLE_STATUS || h.role[c] == ROLE_PREVIOUS;
    }
    /* Periods alone ("Ward | Population 2011 | Population 2021") are a data
     * table; a performance table also names a target, status or baseline. */
    if (known < 2 || !judged)
        return 0;
    h.ncols = cols;
    *t = h;
    return 1;
}

/* The met a row's status column states: 1 for green (on target, met,
 * achieved), 0 for red (off target, missed, not met), -1 for amber or none. */
static int row_status(const vocab *v, const char *row, size_t n, const table *t)
{
    int col = 0;
    for (size_t i = 0; i <= n && col < t->ncols; col++) {
        size_t j = i;
        while (j < n && row[j] != '\t')
            j++;
        if (t->role[col] == ROLE_STATUS) {
            if (rules_list_find(v->missed, row + i, j - i, NULL))
                return 0; /* before met: "not met" holds "met" */
            return rules_list_find(v->met, row + i, j - i, NULL) ? 1 : -1;
        }
        i = j + 1;
    }
    return -1;
}

/* A table row: the whole line of the sentence. Sentence spans drop a
 * row's leading and trailing empty cells, which would shift its columns,
 * and a full stop inside a cell can split the row in two; the line keeps
 * every cell. */
typedef struct {
    const char *s; /* the line */
    size_t off, n; /* its offset in the text and its length */
    size_t a, b;   /* its mentions: ms->v[a..b) */
} row_line;

/* The line of x's sentence into r; 0 when the line holds no tab. */
static int row_of(const sent *x, row_line *r)
{
    size_t ls = x->s->start, le = x->s->end;
    while (ls > 0 && x->text[ls - 1] != '\n')
        ls--;
    while (x->text[le] && x->text[le] != '\n')
        le++;
    if (!memchr(x->text + ls, '\t', le - ls))
        return 0;
    r->s = x->text + ls;
    r->off = ls;
    r->n = le - ls;
    r->a = x->a;
    r->b = x->b;
    while (r->b < x->ms->n && x->ms->v[r->b].start < le)
        r->b++;
    return 1;
}

/* 1 if x's sentence continues a row that an earlier sentence opened. */
static int row_continues(const sent *x, const row_line *r)
{
    for (size_t i = r->off; i < x->s->start; i++)
        if (!isspace((unsigned char)x->text[i]))
            return 1;
    return 0;
}

/* The column of offset off in a tab-separated row starting at row. */
static int column_of(const char *text, size_t row, size_t off)
{
    int c = 0;
    for (size_t i = row; i < off; i++)
        c += text[i] == '\t';
    return c;
}

/* 1 if the cell is a reference code ("HS01", "CYP-12"): one token that
 * holds a digit. */
static int is_code(const char *s, size_t n)
{
    return n && !memchr(s, ' ', n) && strpbrk(s, "0123456789") && (size_t)(strpbrk(s, "0123456789") - s) < n;
}

/* The indicator of a row: the first cell of a column with no role that
 * names something (not a reference code, not a bare figure). Returns a
 * malloc'd string, "" when there is none. */
static char *row_indicator(const vocab *v, const row_line *r, const table *t)
{
    int col = 0;
    for (size_t i = 0; i <= r->n; col++) {
        size_t j = i;
        while (j < r->n && r->s[j] != '\t')
            j++;
        if ((col >= t->ncols || t->role[col] == ROLE_NONE) && !is_code(r->s + i, j - i)) {
            char *ind = clean_indicator(v, r->s + i, j - i);
            if (ind[0])
                return ind;
            free(ind);
        }
        i = j + 1;
    }
    return cs_xstrdup("");
}

/* The claim of a row under t's header: the quantities of its columns; in
 * period columns the latest period with a value is the actual and the one
 * before it the previous (later columns may still be empty). */
static void table_row(const vocab *v, const sent *x, const row_line *r, const table *t, claims_list *out)
{
    claims_claim cl;
    memset(&cl, 0, sizeof cl);
    cl.met = -1;
    const mention *latest = NULL, *before = NULL;
    int latest_key = 0, before_key = 0;
    for (size_t k = r->a; k < r->b; k++) {
        const mention *m = &x->ms->v[k];
        if (!claim_figure(v, x, m))
            continue;
        int col = column_of(x->text, r->off, m->start);
        int role = col < t->ncols ? t->role[col] : ROLE_NONE;
        if (role == ROLE_PERIOD) {
            if (t->key[col] >= latest_key)
                before = latest, before_key = latest_key, latest = m, latest_key = t->key[col];
            else if (t->key[col] >= before_key)
                before = m, before_key = t->key[col];
            continue;
        }
        claims_qty *q = role == ROLE_ACTUAL ? &cl.actual : role == ROLE_TARGET ? &cl.target
                      : role == ROLE_PREVIOUS ? &cl.previous : NULL;
        if (q && !q->set)
            set_qty(q, m);
    }
    if (latest && !cl.actual.set)
        set_qty(&cl.actual, latest);
    if (before && !cl.previous.set)
        set_qty(&cl.previous, before);
    if (!cl.actual.set)
        return;
    cl.indicator = row_indicator(v, r, t);
    if (!cl.indicator[0]) {
        free(cl.indicator);
        return;
    }
    if (cl.target.set && !strcmp(cl.target.unit, cl.actual.unit))
        cl.met = claims_lower_is_better(v->lower, cl.indicator) ? cl.actual.value <= cl.target.value
                                                                : cl.actual.value >= cl.target.value;
    /* A stated status (red, amber, green) is what the report says; check
     * compares it with the figures. */
    int stated = row_status(v, r->s, r->n, t);
    if (stated >= 0)
        cl.met = stated;
    cl.start = x->s->start;
    cl.end = r->off + r->n;
    while (cl.end > cl.start && isspace((unsigned char)x->text[cl.end - 1]))
        cl.end--;
    cl.sentence = x->si;
    cl.rule = "claims:table-row";
    push(out, &cl);
}

/* Step 1. Returns 1 if the sentence is a table's (a header, a row, or a row
 * of a table that is data, not statements); prose closes the table. */
static int table_step(const vocab *v, const sent *x, table *t, claims_list *out)
{
    row_line r;
    if (!row_of(x, &r)) {
        t->ncols = 0;
        return 0;
    }
    if (row_continues(x, &r))
        return 1;
    if (!table_header(v, r.s, r.n, t) && t->ncols)
        table_row(v, x, &r, t, out);
    return 1;
}

/* ---- step 0: scorecard boxes ---- */

/* The role a scorecard label names ("Latest", "Target", "Floor",
 * "Previous"), else ROLE_NONE; *floor is set for a floor. */
static int label_role(const vocab *v, const char *s, size_t n, int *floor)
{
    char w[48];
    if (!n || n >= sizeof w)
        return ROLE_NONE;
    strs_lower(w, s, n);
    *floor = rules_list_has(v->floor, w, n);
    if (*floor)
        return ROLE_TARGET;
    if (rules_list_has(v->latest, w, n) || rules_list_stem(v->col[3], w, n))
        return ROLE_ACTUAL;
    if (rules_list_stem(v->col[1], w, n))
        return ROLE_TARGET;
    return rules_list_stem(v->col[2], w, n) ? ROLE_PREVIOUS : ROLE_NONE;
}

/* The rating a scorecard line ends with ("(Amber)", "Green"): sets
 * cl->status and cl->met (green met; amber and red not). */
static void label_status(const vocab *v, const sent *x, size_t from, claims_claim *cl)
{
    size_t e = x->sl;
    while (e > from && !isalpha((unsigned char)x->st[e - 1]))
        e--;
    size_t b = e;
    while (b > from && (isalpha((unsigned char)x->st[b - 1]) || x->st[b - 1] == ' '))
        b--;
    while (b < e && x->st[b] == ' ')
        b++;
    if (b == e || e - b >= sizeof cl->status)
        return;
    int met = rules_list_has(v->missed, x->st + b, e - b) || rules_list_has(v->partial, x->st + b, e - b) ? 0
              : rules_list_has(v->met, x->st + b, e - b)                                                   ? 1
                                                                                                            : -1;
    if (met < 0)
        return;
    strs_lower(cl->status, x->st + b, e - b);
    cl->met = met;
}

/* Step 0. A scorecard line: two or more labelled values ("Latest: 82%
 * Target: 85% Floor: 75% Previous: 80% (Amber)") are one claim, named by
 * the box's title, the block just before the line. Returns 1 if it was one. */
static int label_step(const vocab *v, const sent *x, const sentence_span *sents, claims_list *out)
{
    claims_claim cl;
    memset(&cl, 0, sizeof cl);
    cl.met = -1;
    int labelled = 0;
    size_t from = x->s->start, last = x->s->start;
    for (size_t k = x->a; k < x->b; k++) {
        const mention *m = &x->ms->v[k];
        if (!claim_figure(v, x, m))
            continue;
        size_t e = m->start;
        while (e > from && (x->text[e - 1] == ' ' || x->text[e - 1] == '\t'))
            e--;
        if (e == from || x->text[e - 1] != ':')
            return 0; /* every value of a scorecard line has its label */
        size_t b = --e;
        while (b > from && x->text[b - 1] != '\t' && x->text[b - 1] != ')' && !isdigit((unsigned char)x->text[b - 1]) &&
               x->text[b - 1] != '%')
            b--;
        while (b < e && x->text[b] == ' ')
            b++;
        int floor = 0, r = label_role(v, x->text + b, e - b, &floor);
        claims_qty *q = floor ? &cl.floor : r == ROLE_ACTUAL ? &cl.actual : r == ROLE_TARGET ? &cl.target
                      : r == ROLE_PREVIOUS ? &cl.previous : NULL;
        if (!q)
            return 0;
        if (!q->set)
            set_qty(q, m);
        labelled++;
        from = last = m->end;
    }
    if (labelled < 2 || !cl.actual.set)
        return 0;
    /* The title: the sentence before, alone in its block, with no claim figure. */
    if (x->si == 0 || sents[x->si - 1].block == x->s->block)
        return 0;
    const sentence_span *t = &sents[x->si - 1];
    if (x->si >= 2 && sents[x->si - 2].block == t->block)
        return 0;
    cl.indicator = clean_indicator(v, x->text + t->start, t->end - t->start);
    if (!cl.indicator[0]) {
        free(cl.indicator);
        return 0;
    }
    label_status(v, x, last - x->s->start, &cl);
    if (cl.met < 0 && cl.target.set && !strcmp(cl.target.unit, cl.actual.unit))
        cl.met = claims_lower_is_better(v->lower, cl.indicator) ? cl.actual.value <= cl.target.value
                                                                : cl.actual.value >= cl.target.value;
    cl.start = t->start;
    cl.end = x->s->end;
    cl.sentence = x->si;
    cl.rule = "claims:scorecard";
    push(out, &cl);
    return 1;
}

/* What the sentence before x says was inspected, when it is in x's block:
 * "The previous inspection of the local authority's safeguarding
 * arrangements was in March 2014." gives "safeguarding arrangements" (an
 * owner's possessive dropped) as cl's indicator, its first date as cl's
 * period, and its start as cl's start. Returns 0 if it says none. */
static int inspected_before(const vocab *v, const sent *x, claims_claim *cl)
{
    if (x->si == 0 || v->sents[x->si - 1].block != x->s->block)
        return 0;
    const sentence_span *p = &v->sents[x->si - 1];
    const char *s = x->text + p->start;
    size_t n = p->end - p->start, at, k = rules_list_find(v->inspected, s, n, &at);
    if (!k)
        return 0;
    size_t b = at + k, e = n, stop;
    if (rules_list_find(v->inspected_end, s + b, n - b, &stop))
        e = b + stop; /* "... arrangements was in March 2014" */
    for (size_t i = b; i + 3 < e; i++)
        if (s[i] == '\'' && s[i + 1] == 's' && s[i + 2] == ' ')
            b = i + 3; /* "the council's services": the services */
        else if (i + 5 < e && !memcmp(s + i, "\xE2\x80\x99s ", 5))
            b = i + 5;
    cl->indicator = clean_indicator(v, s + b, e - b);
    for (size_t j = x->a; j-- > 0 && x->ms->v[j].start >= p->start;)
        if (x->ms->v[j].kind == MENTION_DATE) {
            cl->has_period = 1;
            cl->period = x->ms->v[j].date; /* the last seen is the first in the text */
        }
    cl->start = p->start;
    return 1;
}

/* Step 0b. An inspection judgement without a figure ("The local authority
 * was judged to be inadequate."): a claim with no actual, its status the
 * grade as written, its indicator what the sentence before says was
 * inspected, or else the sentence's subject. Returns 1 if it was one. */
static int judgement_step(const vocab *v, const sent *x, claims_list *out)
{
    const mention *cue = NULL;
    for (size_t k = x->a; k < x->b; k++) {
        const mention *m = &x->ms->v[k];
        if (m->kind == MENTION_CUE && tag_is(m, "judgement"))
            cue = cue ? cue : m;
        else if (claim_figure(v, x, m))
            return 0; /* "Two homes were judged to be good": a count, step 3 on */
    }
    claims_claim cl;
    memset(&cl, 0, sizeof cl);
    cl.met = -1;
    size_t g = cue ? trailing_entry(v->grades, x->text + cue->start, cue->end - cue->start) : 0;
    if (g < 2 || g > sizeof cl.status)
        return 0;
    strs_lower(cl.status, x->text + cue->end - (g - 1), g - 1);
    cl.start = x->s->start;
    if (!inspected_before(v, x, &cl))
        cl.indicator = clean_indicator(v, x->text + x->s->start, cue->start - x->s->start);
    if (!cl.indicator[0]) {
        free(cl.indicator);
        return 0;
    }
    cl.end = x->s->end;
    cl.sentence = x->si;
    cl.rule = "claims:judgement";
    push(out, &cl);
    return 1;
}

/* ---- step 2: the speaker ---- */

/* An attribution block "X said:" and the paragraph after it. */
typedef struct {
    const char *name; /* NULL: no scope open */
    size_t block;     /* the block of "X said:" */
} scope;

/* Step 2. The sentence's speaker, or NULL; returns 1 if the sentence is
 * itself an attribution ("X said:") that opens a scope. */
static int speaker_step(const vocab *v, const sent *x, scope *sc, const char **speaker)
{
    const char *said_person = NULL;
    int persons = 0;
    for (size_t k = x->a; k < x->b; k++)
        if (x->ms->v[k].kind == MENTION_PERSON)
            persons++, said_person = said_person ? said_person : x->ms->v[k].person.name;
    if (said_person && x->sl && x->st[x->sl - 1] == ':') {
        sc->name = said_person;
        sc->block = x->s->block;
        return 1;
    }
    if (persons && sc->name && x->s->block > sc->block)
        sc->name = NULL;
    /* The quoted paragraph right after "X said:" is X's. */
    *speaker = NULL;
    if (sc->name && x->s->block == sc->block + 1)
        *speaker = sc->name;
    else if (persons == 1 && rules_list_find(v->speech, x->st, x->sl, NULL))
        *speaker = said_person;
    return 0;
}

/* ---- step 3: roles ---- */

/* The figures of a sentence and the role each takes. */
typedef struct {
    size_t fig[MAX_FIGS]; /* indices into the mention list */
    int role[MAX_FIGS];   /* ROLE_* */
    size_t n;
    int met;              /* from met cues: -1 unknown, 0, 1 */
    int gap_met;          /* from the gap cue's kind: -1 unknown, 0, 1 */
} roles;

/* The role a cue gives (ROLE_NONE for met cues and unknown tags); planned
 * tells whether a planned change ("cutting ... from") came first. */
static int cue_role(const mention *c, int *planned)
{
    if (tag_is(c, "gap"))
        return ROLE_GAP;
    if (tag_is(c, "target"))
        return ROLE_TARGET;
    if (tag_is(c, "previous-planned")) {
        *planned = 1;
        return ROLE_PREVIOUS;
    }
    if (tag_is(c, "previous"))
        return ROLE_PREVIOUS;
    if (tag_is(c, "to"))
        return *planned ? ROLE_TARGET : ROLE_ACTUAL;
    if (tag_is(c, "change"))
        return ROLE_CHANGE;
    if (tag_is(c, "whole"))
        return ROLE_SKIP;
    if (tag_is(c, "current"))
        return ROLE_CURRENT;
    return ROLE_NONE;
}

/* The figure a cue governs: the next one without a role, or for an "-after"
 * cue the one just before it (if it has no role or is the actual); r->n if
 * none. */
static size_t governed_figure(const mention_list *ms, const roles *r, const mention *c)
{
    if (strstr(c->tag, "-after")) {
        for (size_t j = r->n; j-- > 0;)
            if (ms->v[r->fig[j]].end <= c->start)
                return r->role[j] == ROLE_NONE || r->role[j] == ROLE_ACTUAL ? j : r->n;
        return r->n;
    }
    for (size_t j = 0; j < r->n; j++)
        if (ms->v[r->fig[j]].start >= c->end)
            return r->role[j] == ROLE_NONE ? j : r->n;
    return r->n;
}

/* Step 3. Fills r with the sentence's figures of claim units and their roles
 * from the cues, in text order. Returns the number of figures. */
static size_t assign_roles(const vocab *v, const sent *x, roles *r)
{
    const mention_list *ms = x->ms;
    r->n = 0;
    r->met = r->gap_met = -1;
    for (size_t k = x->a; k < x->b && r->n < MAX_FIGS; k++)
        if (claim_figure(v, x, &ms->v[k])) {
            r->fig[r->n] = k;
            r->role[r->n++] = ROLE_NONE;
        }
    if (!r->n)
        return 0;
    int planned = 0, range = 0;
    for (size_t k = x->a; k < x->b; k++) {
        const mention *c = &ms->v[k];
        if (c->kind != MENTION_CUE)
            continue;
        if (tag_is(c, "met-true") || tag_is(c, "met-false")) {
            r->met = tag_is(c, "met-true");
            continue;
        }
        /* "ranged from 41% in A ... down to 12% in B": every figure of a
         * range is a level of its own, none is reached "to". */
        range |= tag_is(c, "range");
        if (range && (tag_is(c, "to") || tag_is(c, "change")))
            continue;
        int role = cue_role(c, &planned);
        size_t f = role == ROLE_NONE ? r->n : governed_figure(ms, r, c);
        if (f == r->n)
            continue;
        r->role[f] = role;
        if (role == ROLE_GAP)
            r->gap_met = tag_is(c, "gap-exceeded") ? 1 : tag_is(c, "gap-missed") ? 0 : -1;
    }
    /* A span of time is a claim's quantity only as a target, gap or
     * earlier value ("a maximum of six months"), not as the actual
     * ("one month's data"). */
    for (size_t f = 0; f < r->n; f++)
        if ((r->role[f] == ROLE_NONE || r->role[f] == ROLE_ACTUAL) && is_duration(v, ms->v[r->fig[f]].fig.unit))
            r->role[f] = ROLE_SKIP;
    /* "the vacancy rate is 1,240 homes or 3.8%": a count
     * restated as a share; where the sentence speaks of a rate, the share
     * is the measure. */
    for (size_t f = 0; f + 1 < r->n; f++) {
        const mention *c = &ms->v[r->fig[f]], *p = &ms->v[r->fig[f + 1]];
        const char *gap = x->text + c->end;
        size_t gl = p->fig.start - c->end, words = 0;
        while (gl > 5 && gap[0] == ' ' && isalpha((unsigned char)gap[1]) && words++ < 2) {
            size_t w = 1;
            while (w < gl && isalpha((unsigned char)gap[w]))
                w++;
            gap += w, gl -= w; /* "1,240 homes or 3.8%" */
        }
        if (r->role[f] == ROLE_NONE && !strcmp(c->fig.unit, "count") && !strcmp(p->fig.unit, "percent") &&
            ((gl == 4 && !strncmp(gap, " or ", 4)) || (gl == 5 && !strncmp(gap, ", or ", 5))) &&
            (strs_has_word(x->st, x->sl, "rate") || strs_has_word(x->st, x->sl, "rates")))
            r->role[f] = ROLE_SKIP;
    }
    /* "300 in March, compared with 40 now": the current figure is the
     * actual and what it is compared with is the previous value. */
    for (size_t f = 0; f < r->n; f++)
        if (r->role[f] == ROLE_CURRENT) {
            r->role[f] = ROLE_ACTUAL;
            for (size_t j = 0; j < f; j++)
                if (r->role[j] == ROLE_NONE) {
                    r->role[j] = ROLE_PREVIOUS;
                    break;
                }
        }
    return r->n;
}

/* ---- step 4: pruning ---- */

/* Does the sentence hold a word or phrase of the performance lexicon? */
static int performance_sentence(const rules_list *perf, const char *s, size_t n)
{
    return !perf || rules_list_find(perf, s, n, NULL) > 0;
}

/* Does span p name an area statistic (rules/context-words.txt)? */
static int names_context(const vocab *v, const char *text, const sentence_span *p)
{
    return rules_list_find(v->context, text + p->start, p->end - p->start, NULL) > 0;
}

/* Does sentence p end with a colon, as the lead line of a list does? */
static int ends_with_colon(const char *text, const sentence_span *p)
{
    size_t e = p->end;
    while (e > p->start && isspace((unsigned char)text[e - 1]))
        e--;
    return e > p->start && text[e - 1] == ':';
}

/* Does sentence p open in lower case, as an item continuing a lead line does
 * ("- in secondary schools is 40.1%")? */
static int continues_a_lead(const char *text, const sentence_span *p)
{
    size_t i = p->start;
    while (i < p->end && (isspace((unsigned char)text[i]) || text[i] == '-' || text[i] == '*'))
        i++;
    return i < p->end && islower((unsigned char)text[i]);
}

/* Is sentence p a footnote, opening with a superscript numeral ("¹ The
 * local authority was given ...")? */
static int is_footnote(const char *text, const sentence_span *p)
{
    const unsigned char *u = (const unsigned char *)text + p->start;
    size_t n = p->end - p->start;
    if (n >= 2 && u[0] == 0xC2 && (u[1] == 0xB9 || u[1] == 0xB2 || u[1] == 0xB3))
        return 1; /* ¹ ² ³ */
    return n >= 3 && u[0] == 0xE2 && u[1] == 0x81 && (u[2] == 0xB0 || (u[2] >= 0xB4 && u[2] <= 0xB9));
}

/* Does x describe the area (rules/context-words.txt), itself or through the
 * lead line of its list ("The proportion of children entitled to free
 * school meals:" before "- in primary schools is 28.0%" and every item after
 * it that continues the lead in lower case)? */
static int context_sentence(const vocab *v, const sent *x)
{
    if (rules_list_find(v->context, x->st, x->sl, NULL))
        return 1;
    const sentence_span *item = &v->sents[x->si];
    /* A list of areas' statistics is short: the walk back is bounded, so a
     * long run of lower-case fragments costs no more than a few steps each. */
    size_t stop = x->si > 24 ? x->si - 24 : 0;
    for (size_t i = x->si; i > stop; i--) {
        const sentence_span *p = &v->sents[i - 1];
        if (is_footnote(x->text, p))
            continue; /* a page's footnote between the items of a list the page break cut */
        if (ends_with_colon(x->text, p))
            return names_context(v, x->text, p);
        if (!continues_a_lead(x->text, item) || !continues_a_lead(x->text, p))
            return 0;
        item = p;
    }
    return 0;
}

/* Step 4. 1 if the sentence states no performance outcome: it spends money
 * (an amount and spending words) and states no target or earlier value
 * ("keep rent increases below 3%" beside "an extra £4m"); or no target
 * vocabulary explains its
 * figures and it speaks of the future, a forecast or spending; or its
 * figures are plain counts and it never speaks of performance; or it
 * describes the area (population, poverty, free school meals). */
static int not_a_claim(const vocab *v, const sent *x, const roles *r)
{
    int money = 0, roles_set = 0, share = 0;
    for (size_t k = x->a; k < x->b; k++)
        money |= x->ms->v[k].kind == MENTION_FIGURE && is_money(x->ms->v[k].fig.unit);
    for (size_t f = 0; f < r->n; f++)
        roles_set |= r->role[f] == ROLE_TARGET || r->role[f] == ROLE_GAP || r->role[f] == ROLE_PREVIOUS;
    /* Area statistics are no claims whatever they are compared with (the
     * country, an earlier year), unless a target is set for them. */
    int target = 0;
    for (size_t f = 0; f < r->n; f++)
        target |= r->role[f] == ROLE_TARGET || r->role[f] == ROLE_GAP;
    if (!target && context_sentence(v, x))
        return 1; /* "This is 25.5% of the total population in the area" */
    if ((money && !money_ok(v, x) && !roles_set) ||
        (!roles_set && (rules_list_find(v->pledge, x->st, x->sl, NULL) || rules_list_find(v->forecast, x->st, x->sl, NULL) ||
                        rules_list_find(v->spending, x->st, x->sl, NULL))))
        return 1;
    for (size_t f = 0; f < r->n; f++)
        share |= strcmp(x->ms->v[r->fig[f]].fig.unit, "count") || x->ms->v[r->fig[f]].fig.has_of;
    return !roles_set && !share && !performance_sentence(v->perf, x->st, x->sl) &&
           !rules_list_find(v->stats, x->st, x->sl, NULL);
}

/* ---- step 5: the claim's quantities ---- */

/* The figure that is the actual: the first with that role, else the first
 * with none; r->n if neither. */
static size_t actual_figure(const roles *r)
{
    for (size_t f = 0; f < r->n; f++)
        if (r->role[f] == ROLE_ACTUAL)
            return f;
    for (size_t f = 0; f < r->n; f++)
        if (r->role[f] == ROLE_NONE)
            return f;
    return r->n;
}

/* Step 5. The quantities of cl from the roles (the first figure of each). */
static void quantities(const mention_list *ms, const roles *r, size_t actual, claims_claim *cl)
{
    cl->met = r->gap_met >= 0 ? r->gap_met : r->met;
    if (actual < r->n)
        set_qty(&cl->actual, &ms->v[r->fig[actual]]);
    for (size_t f = 0; f < r->n; f++) {
        const mention *m = &ms->v[r->fig[f]];
        claims_qty *q = r->role[f] == ROLE_TARGET ? &cl->target : r->role[f] == ROLE_PREVIOUS ? &cl->previous
                      : r->role[f] == ROLE_GAP ? &cl->gap : r->role[f] == ROLE_CHANGE ? &cl->change : NULL;
        if (q && !q->set)
            set_qty(q, m);
    }
}

/* The cue and figure that the next sentence adds to this one's claim: a
 * target or gap cue followed by a figure, or with earlier set, in a
 * sentence opening with "This", "That" or "It", an earlier value's ("This
 * is a decrease from 9,676"). Returns 0 if it adds none. */
static int next_statement(const vocab *v, const sent *x, const sentence_span *next, int earlier, const mention **cue,
                          const mention **fig)
{
    const mention_list *ms = x->ms;
    const char *nt = x->text + next->start;
    int anaphor = earlier && (!strncmp(nt, "This ", 5) || !strncmp(nt, "That ", 5) || !strncmp(nt, "It ", 3));
    *cue = *fig = NULL;
    for (size_t k = x->b; k < ms->n && ms->v[k].start < next->end; k++) {
        if (ms->v[k].kind == MENTION_CUE && !*cue &&
            (tag_is(&ms->v[k], "target") || tag_is(&ms->v[k], "gap") || (anaphor && !strcmp(ms->v[k].tag, "previous"))))
            *cue = &ms->v[k];
        else if (claim_figure(v, x, &ms->v[k]) && !*fig)
            *fig = &ms->v[k];
    }
    return *cue && *fig && (*fig)->start >= (*cue)->end;
}

/* Step 5, the next sentence of the same block: "The target is 100 per
 * cent.", "This is a decrease from 9,676 at 31 March 2015." A target or gap
 * cue, or in a sentence opening with "This", "That" or "It" an earlier
 * value's cue, followed by a figure there completes cl; the claim's
 * evidence then ends with that sentence. Returns 1 if it did. */
static int next_sentence_target(const vocab *v, const sent *x, const sentence_span *next, claims_claim *cl)
{
    if (!next || next->block != x->s->block || cl->target.set)
        return 0;
    const mention *cue, *fig;
    if (!next_statement(v, x, next, !cl->previous.set && cl->actual.set, &cue, &fig))
        return 0;
    if (!strcmp(cue->tag, "previous"))
        set_qty(&cl->previous, fig);
    else if (tag_is(cue, "target"))
        set_qty(&cl->target, fig);
    else if (!cl->gap.set) {
        set_qty(&cl->gap, fig);
        cl->met = tag_is(cue, "gap-exceeded") ? 1 : tag_is(cue, "gap-missed") ? 0 : cl->met;
    }
    cl->end = next->end;
    return 1;
}

/* ---- step 7: target and met ---- */

/* Step 7. A target derived from actual and gap (counts and physical units
 * only), met from actual against a stated target unless the target is a
 * pledge still to come, and no met for an aggregate ("Half of targets
 * missed" has no target of its own). */
static void settle_target_met(const vocab *v, const sent *x, claims_claim *cl)
{
    /* A target still to be reached ("intends to have 1,200 by 2028") is
     * neither met nor missed by today's figure. */
    int pledged = rules_list_find(v->pledge, x->st, x->sl, NULL) > 0;
    int lower = claims_lower_is_better(v->lower, cl->indicator);
    if (!cl->target.set && cl->gap.set && cl->actual.set && cl->met >= 0 && !strcmp(cl->gap.unit, cl->actual.unit) &&
        strcmp(cl->actual.unit, "percent") && strcmp(cl->actual.unit, "fraction")) {
        double t = cl->met ? (lower ? cl->actual.value + cl->gap.value : cl->actual.value - cl->gap.value)
                           : (lower ? cl->actual.value - cl->gap.value : cl->actual.value + cl->gap.value);
        cl->target = (claims_qty){1, t, cl->actual.unit};
        cl->target_derived = 1;
    }
    if (cl->met < 0 && cl->target.set && cl->actual.set && !cl->target_derived && !pledged &&
        !strcmp(cl->target.unit, cl->actual.unit))
        cl->met = lower ? cl->actual.value <= cl->target.value : cl->actual.value >= cl->target.value;
    if (!cl->target.set && !cl->gap.set)
        cl->met = -1;
}

/* ---- step 8: further clauses ---- */

/* Step 8. Further figures of the actual's kind with no role are claims of
 * their own: "12 improving and nine declining", "Pacific peoples (7.4%)";
 * not those brought in for comparison ("against 8% in Scotland"). */
static void clause_claims(const vocab *v, const sent *x, const roles *r, size_t actual, const claims_claim *cl,
                          claims_list *out)
{
    const char *text = x->text;
    for (size_t f = actual + 1; f < r->n; f++) {
        const mention *m = &x->ms->v[r->fig[f]], *before = &x->ms->v[r->fig[f - 1]];
        if (r->role[f] != ROLE_NONE || strcmp(m->fig.unit, cl->actual.unit) || m->fig.has_of)
            continue;
        if (rules_list_find(v->compare, text + before->end, m->fig.start - before->end, NULL))
            continue; /* "even though they make up 1.8% of the roll" */
        size_t from = m->end, to = m->end;
        if (m->start > x->s->start && text[m->start - 1] == '(') {
            /* "Pacific peoples (7.4%)": the words before the bracket */
            to = m->start - 1;
            from = to;
            while (from > x->s->start && !strchr(",;()", text[from - 1]) &&
                   !(from >= x->s->start + 5 && !strncmp(text + from - 5, " and ", 5)))
                from--;
        } else {
            while (to < x->s->end && text[to] != ',' && text[to] != ';' && text[to] != '.' &&
                   strncmp(text + to, " and ", 5))
                to++;
        }
        claims_claim extra;
        memset(&extra, 0, sizeof extra);
        extra.met = -1;
        set_qty(&extra.actual, m);
        extra.indicator = clean_indicator(v, text + from, to - from);
        if (!extra.indicator[0]) {
            free(extra.indicator);
            continue;
        }
        /* The words and the figure, whichever side the words are on. */
        extra.start = from < m->start ? from : m->start;
        extra.end = to > m->end ? to : m->end;
        extra.sentence = cl->sentence;
        extra.speaker = cl->speaker ? cs_xstrdup(cl->speaker) : NULL;
        extra.has_period = cl->has_period;
        extra.period = cl->period;
        extra.rule = "claims:clause";
        push(out, &extra);
    }
}

/* Steps 3 to 8 on one prose sentence. Returns 1 if the claim took in the
 * next sentence (the caller skips it). */
static int sentence_claims(const vocab *v, const sent *x, const sentence_span *next, const char *speaker,
                           claims_list *out)
{
    roles r;
    const mention *cue, *fig;
    if (!assign_roles(v, x, &r))
        return 0;
    /* "At 31 August, 854 children were the subject of a plan. This is a
     * decrease from 1,028.": the next sentence makes the count a claim. */
    int continued = next && next->block == x->s->block && next_statement(v, x, next, 1, &cue, &fig);
    if (!continued && not_a_claim(v, x, &r))
        return 0;
    claims_claim cl;
    memset(&cl, 0, sizeof cl);
    size_t actual = actual_figure(&r);
    quantities(x->ms, &r, actual, &cl);
    if (!cl.actual.set && !cl.target.set && !cl.gap.set && !cl.change.set)
        return 0; /* "rents increased by 1.4%": a change alone is a claim */
    cl.end = x->s->end;
    int took_next = next_sentence_target(v, x, next, &cl);
    const mention *first = &x->ms->v[r.fig[0]];
    cl.indicator = indicator_of(v, x, actual < r.n ? &x->ms->v[r.fig[actual]] : first, first);
    if (!cl.indicator[0]) {
        free(cl.indicator);
        return took_next;
    }
    settle_target_met(v, x, &cl);
    for (size_t k = x->a; k < x->b; k++)
        if (x->ms->v[k].kind == MENTION_DATE) {
            cl.has_period = 1;
            cl.period = x->ms->v[k].date;
            break;
        }
    cl.start = x->s->start;
    cl.sentence = x->si;
    cl.speaker = speaker ? cs_xstrdup(speaker) : NULL;
    cl.rule = "claims:sentence";
    push(out, &cl); /* out owns cl's strings now; cl stays readable */
    if (actual < r.n)
        clause_claims(v, x, &r, actual, &cl, out);
    return took_next;
}

/* Where the statement of x's sentence that starts at from ends: at the
 * first clause break ("; ", ", but ", ", while ", ", taking the total to")
 * after which another claim figure follows, or at the sentence's end. */
static size_t clause_end(const vocab *v, const sent *x, size_t from)
{
    for (size_t i = from; i < x->s->end; i++) {
        size_t bl = sentence_break_at(v->statement_breaks, x->text + i, x->s->end - i);
        if (!bl)
            continue;
        int before = 0, after = 0;
        for (size_t k = x->a; k < x->b; k++)
            if (claim_figure(v, x, &x->ms->v[k]))
                before |= x->ms->v[k].start >= from && x->ms->v[k].end <= i, after |= x->ms->v[k].start >= i + bl;
        if (before && after)
            return i;
    }
    return x->s->end;
}

/* Steps 3 to 8 on each statement of a sentence: "Library visits rose 4%,
 * while e-book loans slowed to 0.8%" states two, each
 * with its clause as evidence. Returns 1 if the last took in the next
 * sentence. */
static int clause_statements(const vocab *v, const sent *x, const sentence_span *next, const char *speaker,
                             claims_list *out)
{
    size_t from = x->s->start;
    for (;;) {
        size_t end = clause_end(v, x, from);
        if (from == x->s->start && end == x->s->end)
            return sentence_claims(v, x, next, speaker, out);
        sentence_span part = *x->s;
        part.start = from;
        part.end = end;
        sent c = *x;
        c.s = &part;
        c.st = x->text + from;
        c.sl = end - from;
        while (c.a < c.b && x->ms->v[c.a].start < from)
            c.a++;
        c.b = c.a;
        while (c.b < x->b && x->ms->v[c.b].start < end)
            c.b++;
        int took = sentence_claims(v, &c, end == x->s->end ? next : NULL, speaker, out);
        if (end == x->s->end)
            return took;
        from = end;
        while (from < x->s->end && (x->text[from] == ',' || x->text[from] == ';' || x->text[from] == ' '))
            from++;
    }
}

void claims_build(const char *text, const sentence_span *sents, size_t nsent, const mention_list *ms,
                  const rules_set *rs, claims_list *out)
{
    vocab v;
    vocab_of(rs, &v);
    v.sents = sents;
    table t = {.ncols = 0};
    scope sc = {NULL, 0};
    size_t mi = 0;
    for (size_t si = 0; si < nsent; si++) {
        sent x = mention_sentence_at(text, ms, sents, si, &mi);
        const char *speaker = NULL;
        if (label_step(&v, &x, sents, out) || judgement_step(&v, &x, out) || table_step(&v, &x, &t, out) ||
            speaker_step(&v, &x, &sc, &speaker))
            continue;
        if (clause_statements(&v, &x, si + 1 < nsent ? &sents[si + 1] : NULL, speaker, out))
            si++; /* the next sentence is part of this claim */
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
