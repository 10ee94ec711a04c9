/* Data-driven cases from tests/data: figures and dates through the whole
 * pipeline, each reported with its line number when it fails. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define MAXF 8

/* A tab-separated case file read a case at a time: blank lines and lines
 * opening with '#' are skipped; fl holds the fields of the current line. */
typedef struct {
    FILE *f;
    int lineno, n;
    char line[2048];
    char *fl[MAXF];
} case_file;

static void case_open(case_file *c, const char *path)
{
    memset(c, 0, sizeof *c);
    c->f = fopen(path, "r");
    cr_assert(c->f, "%s is missing", path);
}

static int case_next(case_file *c)
{
    while (fgets(c->line, sizeof c->line, c->f)) {
        c->lineno++;
        c->line[strcspn(c->line, "\n")] = '\0';
        if (!c->line[0] || c->line[0] == '#')
            continue;
        memset(c->fl, 0, sizeof c->fl);
        c->n = 0;
        c->fl[c->n++] = c->line;
        for (char *p = c->line; *p && c->n < MAXF; p++)
            if (*p == '\t') {
                *p = '\0';
                c->fl[c->n++] = p + 1;
            }
        return 1;
    }
    fclose(c->f);
    return 0;
}

static const mention *find(const extract_result *r, mention_kind k, const char *text)
{
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        if (m->kind == k && m->end - m->start == strlen(text) && !memcmp(r->d->text + m->start, text, strlen(text)))
            return m;
    }
    return NULL;
}

Test(cases, figures)
{
    case_file c;
    case_open(&c, "tests/data/figures.cases");
    int cases = 0;
    while (case_next(&c)) {
        char **fl = c.fl;
        int n = c.n, lineno = c.lineno;
        cr_assert_geq(n, 4, "figures.cases:%d: needs 4 fields", lineno);
        extract_result *r = th_extract("case.txt", fl[0]);
        cr_assert(r, "figures.cases:%d: pipeline failed", lineno);
        const mention *m = find(r, MENTION_FIGURE, fl[1]);
        cr_expect(m, "figures.cases:%d: no figure \"%s\" in \"%s\"", lineno, fl[1], fl[0]);
        if (m) {
            double v = strtod(fl[2], NULL);
            cr_expect(m->fig.value > v - 1e-6 * (v < 0 ? -v : v) - 1e-9 && m->fig.value < v + 1e-6 * (v < 0 ? -v : v) + 1e-9,
                      "figures.cases:%d: value %.10g, expected %s", lineno, m->fig.value, fl[2]);
            cr_expect_str_eq(m->fig.unit, fl[3], "figures.cases:%d: unit %s, expected %s", lineno, m->fig.unit, fl[3]);
            if (n > 4 && fl[4][0])
                cr_expect(m->fig.has_of && m->fig.of == strtod(fl[4], NULL), "figures.cases:%d: of", lineno);
            cr_expect_eq(m->fig.approx, n > 5 && !strcmp(fl[5], "approx"), "figures.cases:%d: approx", lineno);
        }
        th_free(r);
        cases++;
    }
    cr_assert_geq(cases, 15);
}

/* Extracts a page published on the ISO day published whose article is the
 * one paragraph body: relative dates hang on that day. */
static extract_result *extract_dated(const char *published, const char *body)
{
    char html[4096];
    snprintf(html, sizeof html,
             "<html><head><meta property=\"article:published_time\" content=\"%sT09:00:00Z\"></head>"
             "<body><article><p>%s</p></article></body></html>",
             published, body);
    return th_extract("case.html", html);
}

Test(cases, dates)
{
    case_file c;
    case_open(&c, "tests/data/dates.cases");
    int cases = 0;
    while (case_next(&c)) {
        char **fl = c.fl;
        int lineno = c.lineno;
        cr_assert_eq(c.n, 6, "dates.cases:%d: needs 6 fields", lineno);
        extract_result *r = extract_dated(fl[0], fl[1]);
        cr_assert(r, "dates.cases:%d: pipeline failed", lineno);
        const mention *m = find(r, MENTION_DATE, fl[2]);
        cr_expect(m, "dates.cases:%d: no date \"%s\" in \"%s\"", lineno, fl[2], fl[1]);
        if (m) {
            char a[11], b[11];
            dates_format(&m->date.start, a);
            dates_format(&m->date.end, b);
            cr_expect_str_eq(a, fl[3], "dates.cases:%d: start %s, expected %s", lineno, a, fl[3]);
            cr_expect_str_eq(b, fl[4], "dates.cases:%d: end %s, expected %s", lineno, b, fl[4]);
            cr_expect_str_eq(m->date.granularity, fl[5], "dates.cases:%d: granularity", lineno);
        }
        /* No figure may sit inside the date. */
        for (size_t i = 0; m && i < r->ms.n; i++)
            if (r->ms.v[i].kind == MENTION_FIGURE)
                cr_expect(r->ms.v[i].end <= m->start || r->ms.v[i].start >= m->end,
                          "dates.cases:%d: a figure inside the date", lineno);
        th_free(r);
        cases++;
    }
    cr_assert_geq(cases, 15);
}

Test(cases, years_and_ordinals_are_not_counts)
{
    extract_result *r = th_extract("t.txt", "In 2009 the council was placed under a notice for the 21st time, at 11:31 am.");
    cr_assert(r);
    for (size_t i = 0; i < r->ms.n; i++)
        cr_expect(r->ms.v[i].kind != MENTION_FIGURE, "unexpected figure \"%.*s\"",
                  (int)(r->ms.v[i].end - r->ms.v[i].start), r->d->text + r->ms.v[i].start);
    th_free(r);
}

/* Identifiers and labels are not figures: channels, "No 10", a quarter's
 * label, comment counts, 24-hour times; nor is the day of a date without a
 * year. */
Test(cases, identifiers_are_not_figures)
{
    static const char *const texts[] = {
        "She told BBC Radio 5 Live the plan was fair.", "A spokesman for No 10 said the talks went well.",
        "Performance in Quarter 3 was reviewed.", "Comments (12) are closed.",
        "Polling stations open from 0700 to 2200BST.", "He spoke about the closure to Five Live on Sunday.",
        "The hearing is now set for 9 May.", "Repairs since the 4 March floods were counted."};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        extract_result *r = th_extract("t.txt", texts[t]);
        cr_assert(r);
        for (size_t i = 0; i < r->ms.n; i++)
            cr_expect(r->ms.v[i].kind != MENTION_FIGURE, "unexpected figure \"%.*s\" in \"%s\"",
                      (int)(r->ms.v[i].end - r->ms.v[i].start), r->d->text + r->ms.v[i].start, texts[t]);
        th_free(r);
    }
}

/* A text without a date of its own fixes the year of its bare months when
 * it reports figures for one; forecasts do not fix it, nor does the name of
 * an Act; days need a real date. */
Test(cases, undated_text_fixes_its_year)
{
    extract_result *r = th_extract("t.txt", "Northmoor's rent arrears grew by 6.2% across 2022. Arrears eased in "
                                            "November, the council reported. The housing team expects a 3% drop "
                                            "in 2023. Wardens used the Housing Act 1996 on Thursday.");
    cr_assert(r);
    int november = 0;
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        if (m->kind != MENTION_DATE)
            continue;
        const char *t = r->d->text + m->start;
        cr_expect(strncmp(t, "1996", 4) && strncmp(t, "on Thursday", 11), "unexpected date \"%.*s\"",
                  (int)(m->end - m->start), t);
        if (!strncmp(t, "November", 8)) {
            char a[11];
            dates_format(&m->date.start, a);
            cr_expect_str_eq(a, "2022-11-01");
            november = 1;
        }
    }
    cr_expect(november, "November is not resolved");
    th_free(r);
}

/* A count of years ago too large for any calendar dates nothing. */
Test(cases, an_impossible_span_ago_is_no_date)
{
    extract_result *r = extract_dated("2024-05-12", "The rock under Northmoor formed 3000000000 years ago, "
                                                   "the survey said, and the quarry opened 40 years ago.");
    cr_assert(r);
    int dates = 0;
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        dates += m->kind == MENTION_DATE;
        cr_expect(m->kind != MENTION_DATE || m->date.start.y > 0, "a date before year 1 from \"%.*s\"",
                  (int)(m->end - m->start), r->d->text + m->start);
    }
    cr_expect_eq(dates, 1, "\"40 years ago\" is the one date");
    th_free(r);
}

/* Names by their shape and context, not by a list of given names; and
 * capitalised words that are no names. */
Test(cases, persons_by_context)
{
    static const struct {
        const char *text, *name; /* name NULL: no person at all */
    } cases[] = {
        {"Moorside Tenants Federation chairman Gary Lund said rents should fall.", "Gary Lund"},
        {"Local teacher Nadia Brook, 34, became the first to sign.", "Nadia Brook"},
        {"Lena Forsyth, chief economist at Moorside Building Society, said so.", "Lena Forsyth"},
        {"The public sector union Unite Maria Kowalczyk criticised the plans.", "Maria Kowalczyk"},
        {"Speaking on local radio, Ewan Tregaskis said the plan was too slow.", "Ewan Tregaskis"},
        {"Northmoor's Director of Housing, Siân Pryderi, will meet the tenants.", "Siân Pryderi"},
        {"One of the residents, Gemma Royle, 37, a nurse, spoke.", "Gemma Royle"},
        {"Thank you, said Regards Please.", NULL},
        {"The Schools Minister said the plans were fair.", NULL},
    };
    for (size_t t = 0; t < sizeof cases / sizeof *cases; t++) {
        extract_result *r = th_extract("t.txt", cases[t].text);
        cr_assert(r);
        const mention *p = th_first(r, MENTION_PERSON);
        if (cases[t].name) {
            cr_expect(p && p->person.name && !strcmp(p->person.name, cases[t].name), "\"%s\": person %s", cases[t].text,
                      p && p->person.name ? p->person.name : "(none)");
        } else {
            cr_expect(!p, "\"%s\": unexpected person %s", cases[t].text, p && p->person.name ? p->person.name : "");
        }
        th_free(r);
    }
}

/* A quantity field of claims.cases: '-' for none, else the value. */
static int qty_is(const claims_qty *q, const char *want)
{
    if (!strcmp(want, "-"))
        return !q->set;
    double v = strtod(want, NULL);
    return q->set && q->value > v - 1e-6 * (v < 0 ? -v : v) - 1e-9 && q->value < v + 1e-6 * (v < 0 ? -v : v) + 1e-9;
}

Test(cases, claims)
{
    case_file c;
    case_open(&c, "tests/data/claims.cases");
    int cases = 0;
    while (case_next(&c)) {
        char **fl = c.fl;
        cr_assert_eq(c.n, 6, "claims.cases:%d: needs 6 fields", c.lineno);
        extract_result *r = th_extract("case.txt", fl[0]);
        cr_assert(r, "claims.cases:%d: pipeline failed", c.lineno);
        int met = !strcmp(fl[5], "true") ? 1 : !strcmp(fl[5], "false") ? 0 : -1, found = 0;
        for (size_t i = 0; i < r->claims.n && !found; i++) {
            const claims_claim *cl = &r->claims.v[i];
            found = qty_is(&cl->actual, fl[1]) && qty_is(&cl->target, fl[2]) && qty_is(&cl->previous, fl[3]) &&
                    qty_is(&cl->change, fl[4]) && cl->met == met;
        }
        cr_expect(found, "claims.cases:%d: no claim %s/%s/%s/%s/%s among %zu in \"%s\"", c.lineno, fl[1], fl[2], fl[3],
                  fl[4], fl[5], r->claims.n, fl[0]);
        th_free(r);
        cases++;
    }
    cr_assert_geq(cases, 10);
}

Test(cases, events)
{
    case_file c;
    case_open(&c, "tests/data/events.cases");
    int cases = 0;
    while (case_next(&c)) {
        char **fl = c.fl;
        cr_assert_eq(c.n, 6, "events.cases:%d: needs 6 fields", c.lineno);
        extract_result *r = extract_dated(fl[0], fl[1]);
        cr_assert(r, "events.cases:%d: pipeline failed", c.lineno);
        int found = 0;
        for (size_t i = 0; i < r->events.n && !found; i++) {
            const events_event *e = &r->events.v[i];
            char start[11] = "-";
            if (e->has_date)
                dates_format(&e->date.start, start);
            found = !strcmp(e->type, fl[2]) && !strcmp(e->actor ? e->actor : "-", fl[3]) && !strcmp(start, fl[4]) &&
                    e->planned == !strcmp(fl[5], "true");
        }
        cr_expect(found, "events.cases:%d: no event %s/%s/%s/%s among %zu in \"%s\"", c.lineno, fl[2], fl[3], fl[4],
                  fl[5], r->events.n, fl[1]);
        th_free(r);
        cases++;
    }
    cr_assert_geq(cases, 8);
}

/* Forecasts, proposals, spending and comparison figures are no claims, nor
 * are the statistics that describe an area (population, poverty, free
 * school meals), compared with the country or not, in a sentence or under
 * the lead line of a list, a page's footnote between its items. */
Test(cases, not_claims)
{
    static const char *const texts[] = {
        "The housing team forecasts that arrears will ease by 3% during 2027.",
        "Lettings are expected to reach 1.2% this year and could slip to 1% in 2027.",
        "Two cabinet members proposed lifting parking fees to 5%.",
        "The council spent £2m on repairs, an extra £4m over the year.",
        "Bus fares rose three times between May and October.",
        "The original application was for £3,290 and £600 was approved to start the project.",
        "Some 14.2% of Northmoor's children are living in poverty after housing costs.",
        "The children of Eastgate are 21.3% of the total population of the ward.",
        "The proportion of pupils entitled to free school meals:\n\n- in Northmoor's primary schools is 24.0%\n",
        "Pupils from minority ethnic groups make up 31.5% of the ward's children, compared to 25.5% nationally.",
        "The proportion of pupils entitled to free school meals:\n\nin primary schools is 24.0%\n\n"
        "\xC2\xB9 Figures for the ward are the council's own.\n\nin secondary schools is 19.5%.\n"};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        extract_result *r = th_extract("t.txt", texts[t]);
        cr_assert(r);
        cr_expect_eq(r->claims.n, 0, "\"%s\": claim %s", texts[t], r->claims.n ? r->claims.v[0].indicator : "");
        th_free(r);
    }
    extract_result *r = th_extract("t.txt", "In 2023/24, 12.5% of exclusions were of Traveller pupils, even though "
                                            "they make up 1.8% of the roll.");
    cr_assert(r);
    for (size_t i = 0; i < r->claims.n; i++)
        cr_expect(!(r->claims.v[i].actual.set && r->claims.v[i].actual.value == 1.8), "a comparison figure is a claim");
    th_free(r);
}
