/* report: the timeline and the HTML report, both built from the store.
 *
 * Timeline: events of one type whose dates lie within 60 days of each other
 * (and whose actors agree) are one event told by several sources; an
 * undated mention joins a dated one of the same type only within its own
 * document. The HTML report inlines its CSS and draws the timeline as SVG,
 * so it opens offline and sends no request. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "dates.h"
#include "page.h"
#include "rows.h"
#include "strs.h"

static const struct {
    const char *type, *label, *group;
} kinds[] = {
    {"rated-inadequate", "Rated inadequate", "Ratings"},
    {"rated-requires-improvement", "Rated requires improvement", "Ratings"},
    {"rated-good", "Rated good", "Ratings"},
    {"improvement-notice", "Improvement notice", "Interventions"},
    {"special-measures", "In special measures", "Interventions"},
    {"special-measures-lifted", "Out of special measures", "Interventions"},
    {"improvement-board", "Improvement board", "Interventions"},
    {"commissioner-appointed", "Commissioner appointed", "Interventions"},
    {"intervention", "Intervention", "Interventions"},
    {"review", "Review", "Interventions"},
    {"funding-announced", "Funding announced", "Interventions"},
    {"inspection", "Inspection", "Inspections"},
    {"report-published", "Report published", "Inspections"},
    {"appointed", "Appointment", "People"},
    {"resigned", "Resignation", "People"},
    {"deadline", "Deadline", "Deadlines"},
};

const char *report_event_label(const char *type)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(kinds[i].type, type))
            return kinds[i].label;
    return type;
}

static const char *group_of(const char *type)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(kinds[i].type, type))
            return kinds[i].group;
    return "Other";
}

/* The first day of an entry, as a date and a day number; report_timeline_build
 * keeps only valid dates in start, so an undated entry gives zeros. */
static dates_ymd start_ymd(const report_event *e)
{
    dates_ymd d = {0, 0, 0};
    (void)dates_parse_iso(e->start, &d);
    return d;
}

static long start_day(const report_event *e)
{
    long day = 0;
    (void)dates_iso_day(e->start, &day);
    return day;
}

static char *col(store_cursor *c, int i)
{
    const char *t = store_cursor_text(c, i);
    return t ? cs_xstrdup(t) : NULL;
}

static int actors_agree(const char *a, const char *b)
{
    return !a || !b || !strcmp(a, b);
}

/* Deadlines of different documents are one only when they belong to one
 * target: "by 2026" for a repairs backlog and "by February 2026" for foster
 * carers are two. */
static int deadlines_agree(const report_event *e, const char *target, const char *docpath)
{
    if (strcmp(e->type, "deadline") || (e->target && target && !strcmp(e->target, target)))
        return 1;
    for (size_t k = 0; k < e->nsrc; k++)
        if (!strcmp(e->src[k].document, docpath))
            return 1;
    return 0;
}

/* 1 if one of the intervals [s1, e1] and [s2, e2] (ISO dates) holds the
 * other: "2010" and "February 2010" agree, one is only the finer. */
static int nested(const char *s1, const char *e1, const char *s2, const char *e2)
{
    return (strcmp(s1, s2) <= 0 && strcmp(e2, e1) <= 0) || (strcmp(s2, s1) <= 0 && strcmp(e1, e2) <= 0);
}

/* A source dated ds .. de (granularity g) of entry e: a date that holds
 * e's or lies within it agrees, and the finer one dates the entry
 * ("February 2010" within "2010"); two dates apart disagree. */
static void agree_dates(report_event *e, const char *ds, const char *de, const char *g)
{
    if (!nested(e->start, e->end, ds, de)) {
        e->dates_disagree = 1;
        return;
    }
    if (strcmp(ds, e->start) >= 0 && strcmp(de, e->end) <= 0) {
        snprintf(e->start, sizeof e->start, "%s", ds);
        snprintf(e->end, sizeof e->end, "%s", de);
        snprintf(e->granularity, sizeof e->granularity, "%s", g ? g : "");
    }
}

/* The first entry that could be dated by day (days[], in step with t->v
 * and by date): an entry dated 60 days or more before day cannot take a
 * row of day, so the search for one starts here. */
static size_t first_near(const report_timeline *t, const long *days, long day)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (days[mid] < day - 60)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The entry a row of this type and actor joins, or NULL: a dated row
 * (ds, its day) joins one of the same type within 60 days whose actors
 * agree; an undated one, one of the same type that cites its document. */
static report_event *entry_of(report_timeline *t, const long *days, const char *type, const char *actor,
                              const char *ds, long day, const char *docpath, const char *target)
{
    for (size_t i = ds ? first_near(t, days, day) : 0; i < t->n; i++) {
        report_event *e = &t->v[i];
        if (strcmp(e->type, type) || !actors_agree(e->actor, actor) || !deadlines_agree(e, target, docpath))
            continue;
        if (ds && e->start[0]) {
            if (labs(day - days[i]) <= 60)
                return e;
        } else if (!ds) {
            for (size_t k = 0; k < e->nsrc; k++)
                if (!strcmp(e->src[k].document, docpath))
                    return e;
        }
    }
    return NULL;
}

/* A new entry of st's row (dated ds .. de, or undated), its day noted in
 * *days (in step with t->v). */
static report_event *new_entry(report_timeline *t, long **days, size_t *ndays, store_cursor *st, const char *ds,
                               const char *de, long day)
{
    cs_grow(&t->v, &t->cap, t->n + 1, sizeof *t->v);
    report_event *e = &t->v[t->n++];
    memset(e, 0, sizeof *e);
    e->type = cs_xstrdup(store_cursor_text(st, 0));
    snprintf(e->start, sizeof e->start, "%s", ds ? ds : "");
    snprintf(e->end, sizeof e->end, "%s", de ? de : "");
    const char *g = store_cursor_text(st, 3);
    snprintf(e->granularity, sizeof e->granularity, "%s", g ? g : "");
    const char *actor = store_cursor_text(st, 4);
    e->actor = actor ? cs_xstrdup(actor) : NULL;
    e->planned = 1;
    cs_grow(days, ndays, t->n, sizeof **days);
    (*days)[t->n - 1] = day;
    return e;
}

/* Adds st's row to e as a source, unless its sentence is one already
 * (one sentence is one source, however many cues it holds). */
static void add_source(report_event *e, store_cursor *st)
{
    const char *docpath = store_cursor_text(st, 6), *sen = store_cursor_text(st, 9);
    for (size_t k = 0; k < e->nsrc; k++)
        if (!strcmp(e->src[k].document, docpath) && e->src[k].sentence && sen && !strcmp(e->src[k].sentence, sen))
            return;
    e->src = cs_xrealloc(e->src, (e->nsrc + 1) * sizeof *e->src);
    report_source *r = &e->src[e->nsrc++];
    r->document = col(st, 6);
    r->title = col(st, 7);
    r->published = col(st, 8);
    r->sentence = col(st, 9);
    r->date_text = col(st, 10);
    r->actor = col(st, 4);
    r->sentence_id = store_cursor_int(st, 12);
    r->path = col(st, 13);
    r->people = col(st, 15);
    r->page = (int)store_cursor_int(st, 14);
}

static int is_appointment(const report_event *e)
{
    return !strcmp(e->type, "appointed") || !strcmp(e->type, "commissioner-appointed");
}

/* A dated appointment of the timeline: its actor and its place in t->v. */
typedef struct {
    const char *actor;
    size_t i;
} actor_entry;

static int cmp_actor_entry(const void *a, const void *b)
{
    const actor_entry *x = a, *y = b;
    int c = strcmp(x->actor, y->actor);
    return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The dated appointments with an actor, by actor and then by place: *n of
 * them; free the array. */
static actor_entry *dated_appointments(const report_timeline *t, size_t *n)
{
    actor_entry *v = cs_xmalloc((t->n + 1) * sizeof *v);
    *n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].start[0] && t->v[i].actor && is_appointment(&t->v[i]))
            v[(*n)++] = (actor_entry){t->v[i].actor, i};
    qsort(v, *n, sizeof *v, cmp_actor_entry);
    return v;
}

/* The first dated appointment of actor in v (n of them), or NULL. */
static const actor_entry *first_of_actor(const actor_entry *v, size_t n, const char *actor)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].actor, actor) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(v[lo].actor, actor) ? &v[lo] : NULL;
}

/* Moves u's sources into dd, which takes u's type when u says commissioner. */
static void join_into(report_event *dd, report_event *u)
{
    if (!strcmp(u->type, "commissioner-appointed") && strcmp(dd->type, u->type)) {
        free(dd->type);
        dd->type = cs_xstrdup(u->type);
    }
    dd->src = cs_xrealloc(dd->src, (dd->nsrc + u->nsrc) * sizeof *dd->src);
    memcpy(dd->src + dd->nsrc, u->src, u->nsrc * sizeof *u->src);
    dd->nsrc += u->nsrc;
    dd->planned &= u->planned;
    free(u->src);
    free(u->type);
    free(u->actor);
    free(u->target);
}

/* Merges an undated mention of a person's appointment into the dated one:
 * "Government-appointed commissioner Dame Judith" and "since her
 * appointment in June 2023" are one event, a commissioner's. Each joins
 * the first dated appointment of its actor, found by a binary search (only
 * undated entries leave, so the dated ones and their order stand), and the
 * entries that joined are dropped in one pass. */
static void join_undated_appointments(report_timeline *t)
{
    size_t nd, kept = 0;
    actor_entry *dated = dated_appointments(t, &nd);
    unsigned char *gone = cs_xcalloc(t->n + 1, 1);
    for (size_t i = 0; i < t->n; i++) {
        report_event *u = &t->v[i];
        if (u->start[0] || !u->actor || !is_appointment(u))
            continue;
        const actor_entry *d = first_of_actor(dated, nd, u->actor);
        if (d) {
            join_into(&t->v[d->i], u);
            gone[i] = 1;
        }
    }
    for (size_t i = 0; i < t->n; i++)
        if (!gone[i])
            t->v[kept++] = t->v[i];
    t->n = kept;
    free(gone);
    free(dated);
}

cs_status report_timeline_build(store *s, report_timeline *t, cs_error *err)
{
    static const char *const q =
        "SELECT e.type, e.date_start, e.date_end, e.granularity, e.actor, e.planned,"
        " d.path || coalesce(', p. ' || e.page, ''), d.title, d.published,"
        " s.text, e.date_text, e.document_id, e.sentence_id, d.path, e.page,"
        " (SELECT group_concat(name, '|') FROM (SELECT DISTINCT p.name FROM person_mentions m"
        "  JOIN persons p ON p.id = m.person_id WHERE m.sentence_id = e.sentence_id)), e.target"
        " FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN sentences s ON s.id = e.sentence_id"
        " ORDER BY e.date_start IS NULL, e.date_start, d.published, e.start";
    memset(t, 0, sizeof *t);
    store_cursor *st = store_cursor_open(s, q, "events", err);
    if (!st)
        return CS_ERR_DB;
    long *days = NULL; /* each entry's first day (days since 2000), in step with t->v */
    size_t ndays = 0;
    while (store_cursor_next(st)) {
        const char *ds = store_cursor_text(st, 1), *de = store_cursor_text(st, 2);
        const char *actor = store_cursor_text(st, 4);
        long day = 0;
        if (ds && !dates_iso_day(ds, &day))
            ds = de = NULL; /* not a date: told as undated */
        const char *target = store_cursor_text(st, 16);
        report_event *hit = entry_of(t, days, store_cursor_text(st, 0), actor, ds, day, store_cursor_text(st, 6), target);
        if (!hit)
            hit = new_entry(t, &days, &ndays, st, ds, de, day);
        else if (ds)
            agree_dates(hit, ds, de ? de : ds, store_cursor_text(st, 3));
        if (!hit->target && target)
            hit->target = cs_xstrdup(target);
        if (!hit->actor && actor)
            hit->actor = cs_xstrdup(actor);
        hit->planned &= store_cursor_int(st, 5) != 0;
        add_source(hit, st);
    }
    free(days);
    if (store_cursor_close(st, CS_OK, err) != CS_OK) {
        report_timeline_free(t);
        return CS_ERR_DB;
    }
    join_undated_appointments(t);
    return CS_OK;
}

void report_timeline_free(report_timeline *t)
{
    for (size_t i = 0; i < t->n; i++) {
        report_event *e = &t->v[i];
        for (size_t k = 0; k < e->nsrc; k++) {
            report_source *r = &e->src[k];
            free(r->document), free(r->title), free(r->published), free(r->sentence), free(r->date_text), free(r->actor);
            free(r->path), free(r->people);
        }
        free(e->src);
        free(e->type);
        free(e->actor);
        free(e->target);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

static void headline(const report_event *e, buf *b)
{
    buf_puts(b, report_event_label(e->type));
    if (e->planned)
        buf_puts(b, " (planned)");
    if (e->actor) {
        buf_puts(b, ": ");
        buf_puts(b, e->actor);
    }
}

static json_t *date_parts(const char *iso, const char *granularity)
{
    json_t *o = json_object();
    char y[5] = {0}, m[3] = {0}, d[3] = {0};
    memcpy(y, iso, 4);
    json_object_set_new(o, "year", json_string(y));
    if (strcmp(granularity, "year") && strcmp(granularity, "financial_year")) {
        memcpy(m, iso + 5, 2);
        json_object_set_new(o, "month", json_string(m[0] == '0' ? m + 1 : m));
        if (!strcmp(granularity, "day")) {
            memcpy(d, iso + 8, 2);
            json_object_set_new(o, "day", json_string(d[0] == '0' ? d + 1 : d));
        }
    }
    return o;
}


static void html_escape(buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default: buf_putc(b, s[i]);
        }
    }
}

static void esc(buf *b, const char *s)
{
    if (s)
        html_escape(b, s, strlen(s));
}

/* The filter data of an event's row and dot: the documents of its
 * sources, its actor and the people its sentences name, and its words. The
 * filter bar narrows them with the claims (they are not counted). */
static void event_attrs(buf *b, const report_event *e)
{
    buf_puts(b, " data-narrow data-docs=\"");
    for (size_t k = 0; k < e->nsrc; k++) {
        buf_puts(b, k ? "|" : "");
        esc(b, e->src[k].path);
    }
    buf_puts(b, "\" data-people=\"");
    esc(b, e->actor);
    for (size_t k = 0; k < e->nsrc; k++)
        if (e->src[k].people) {
            buf_putc(b, '|');
            esc(b, e->src[k].people);
        }
    buf_puts(b, "\" data-text=\"");
    buf h;
    buf_init(&h, 0);
    headline(e, &h);
    esc(b, buf_str(&h));
    buf_free(&h);
    for (size_t k = 0; k < e->nsrc; k++) {
        buf_putc(b, ' ');
        esc(b, e->src[k].sentence);
    }
    buf_putc(b, '"');
}

/* The sources of an event as HTML: each sentence with its document. In
 * the report (report_path set) each links to its sentence in the page and
 * to the source file; for TimelineJS each says the date as written. */
static void sources_html(buf *b, const report_event *e, const char *report_path)
{
    buf_puts(b, "<ul>");
    for (size_t k = 0; k < e->nsrc; k++) {
        const report_source *r = &e->src[k];
        buf_puts(b, "<li>\xE2\x80\x9C");
        esc(b, r->sentence);
        buf_puts(b, "\xE2\x80\x9D <cite>");
        esc(b, r->title ? r->title : r->document);
        buf_puts(b, ", ");
        esc(b, r->published ? r->published : "undated");
        if (r->date_text && !report_path) {
            buf_puts(b, "; date as written: ");
            esc(b, r->date_text);
        }
        buf_puts(b, "</cite>");
        if (report_path && r->sentence_id)
            buf_printf_put(b, " <a class=\"to-sentence\" href=\"#s%lld\">sentence</a>", r->sentence_id);
        if (report_path && r->path && strcmp(r->path, "-")) {
            buf_puts(b, " <a class=\"to-source\" href=\"");
            page_source_href(b, report_path, r->path, r->page);
            buf_puts(b, "\">source file</a>");
        }
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
}

/* An event with its sources, as the json and jsonl formats give it. */
static json_t *event_json(const report_event *e)
{
    buf h;
    buf_init(&h, 0);
    headline(e, &h);
    json_t *src = json_array();
    for (size_t k = 0; k < e->nsrc; k++) {
        const report_source *r = &e->src[k];
        json_array_append_new(src, json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "document", r->document, "title",
                                             r->title, "published", r->published, "sentence", r->sentence,
                                             "date_text", r->date_text, "actor", r->actor));
    }
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s?,s:b,s:b,s:s,s:o}", "type", e->type, "label",
                          report_event_label(e->type), "headline", buf_str(&h), "start",
                          e->start[0] ? json_string(e->start) : json_null(), "end",
                          e->end[0] ? json_string(e->end) : json_null(), "actor", e->actor, "planned", e->planned,
                          "dates_disagree", e->dates_disagree, "group", group_of(e->type), "sources", src);
    buf_free(&h);
    return o;
}

/* The columns of the timeline's CSV and TSV, read from event_row. */
static const rows_col event_columns[] = {
    {"start", "start", NULL},       {"end", "end", NULL},         {"granularity", "granularity", NULL},
    {"type", "type", NULL},         {"headline", "headline", NULL}, {"actor", "actor", NULL},
    {"planned", "planned", NULL},   {"dates_disagree", "dates_disagree", NULL}, {"sources", "sources", NULL},
    {"documents", "documents", NULL}, {"sentence", "sentence", NULL},
};

/* An event as one flat row: its sources counted, their documents joined. */
static json_t *event_row(const report_event *e)
{
    buf h, docs;
    buf_init(&h, 0), buf_init(&docs, 0);
    headline(e, &h);
    for (size_t k = 0; k < e->nsrc; k++) {
        if (k)
            buf_puts(&docs, "; ");
        buf_puts(&docs, e->src[k].document);
    }
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:b,s:b,s:I,s:s,s:s?}", "start", e->start, "end", e->end,
                          "granularity", e->granularity, "type", e->type, "headline", buf_str(&h), "actor", e->actor,
                          "planned", e->planned, "dates_disagree", e->dates_disagree, "sources",
                          (json_int_t)e->nsrc, "documents", buf_str(&docs), "sentence",
                          e->nsrc ? e->src[0].sentence : NULL);
    buf_free(&h), buf_free(&docs);
    return o;
}

/* The TimelineJS spreadsheet: its columns, dated events only. */
static cs_status timelinejs_csv(FILE *f, const report_timeline *t)
{
    static const char *const header[] = {"Year", "Month", "Day", "Time", "End Year", "End Month", "End Day",
                                         "End Time", "Display Date", "Headline", "Text", "Media", "Media Credit",
                                         "Media Caption", "Media Thumbnail", "Type", "Group", "Background"};
    enum { NCOLS = sizeof header / sizeof *header };
    cs_status st = strs_csv_row(f, header, NCOLS);
    for (size_t i = 0; i < t->n && st == CS_OK; i++) {
        const report_event *e = &t->v[i];
        if (!e->start[0])
            continue;
        buf h, body;
        buf_init(&h, 0), buf_init(&body, 0);
        headline(e, &h);
        sources_html(&body, e, NULL);
        int day = !strcmp(e->granularity, "day"), month = day || !strcmp(e->granularity, "month") ||
                                                             !strcmp(e->granularity, "quarter");
        char y[8], m[4], d[4];
        dates_ymd when = start_ymd(e);
        snprintf(y, sizeof y, "%d", when.y);
        snprintf(m, sizeof m, "%d", when.m);
        snprintf(d, sizeof d, "%d", when.d);
        const char *cols[NCOLS] = {y, month ? m : NULL, day ? d : NULL};
        cols[9] = buf_str(&h);
        cols[10] = buf_str(&body);
        cols[16] = group_of(e->type);
        st = strs_csv_row(f, cols, NCOLS);
        buf_free(&h), buf_free(&body);
    }
    return st;
}

cs_status report_timeline_write(FILE *f, const report_timeline *t, const char *format, cs_error *err)
{
    cs_status st = CS_OK;
    if (!strcmp(format, "json") || !strcmp(format, "timelinejs")) {
        int tjs = !strcmp(format, "timelinejs");
        json_t *events = json_array();
        for (size_t i = 0; i < t->n; i++) {
            const report_event *e = &t->v[i];
            if (tjs && !e->start[0])
                continue; /* TimelineJS needs a date */
            buf h, body;
            buf_init(&h, 0), buf_init(&body, 0);
            headline(e, &h);
            sources_html(&body, e, NULL);
            json_t *o;
            if (tjs) {
                o = json_pack("{s:o,s:{s:s,s:s},s:s}", "start_date", date_parts(e->start, e->granularity), "text",
                              "headline", buf_str(&h), "text", buf_str(&body), "group", group_of(e->type));
                if (strcmp(e->start, e->end) && strcmp(e->granularity, "day") && strcmp(e->granularity, "month") &&
                    strcmp(e->granularity, "year"))
                    json_object_set_new(o, "end_date", date_parts(e->end, "day"));
            } else {
                o = event_json(e);
            }
            json_array_append_new(events, o);
            buf_free(&h), buf_free(&body);
        }
        json_t *root = tjs ? json_pack("{s:{s:{s:s,s:s}},s:o}", "title", "text", "headline", "Timeline of interventions",
                                       "text", "Built by claimscan from the documents in its database.", "events", events)
                           : json_pack("{s:o}", "events", events);
        if (json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', f) == EOF)
            st = CS_ERR_IO;
        json_decref(root);
    } else if (rows_format_of(format) >= 0) {
        rows_format fmt = (rows_format)rows_format_of(format);
        size_t ncols = sizeof event_columns / sizeof *event_columns;
        rows_header(f, fmt, event_columns, ncols);
        for (size_t i = 0; i < t->n && !ferror(f); i++) {
            json_t *o = fmt == ROWS_JSONL ? event_json(&t->v[i]) : event_row(&t->v[i]);
            rows_put(f, fmt, event_columns, ncols, o);
            json_decref(o);
        }
    } else if (!strcmp(format, "timelinejs-csv")) {
        st = timelinejs_csv(f, t);
    } else {
        return cs_fail(err, CS_ERR_USAGE, "unknown timeline format '%s' (json, csv, tsv, jsonl, timelinejs, timelinejs-csv)",
                       format);
    }
    return st != CS_OK || ferror(f) ? cs_fail(err, CS_ERR_IO, "cannot write the timeline") : CS_OK;
}

/* ---- HTML ------------------------------------------------------------- */

static const char *const css =
    "body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}"
    "header,main{max-width:1100px;margin:auto;padding:0 20px}header{padding-top:18px}"
    "h1{font-size:26px;margin:8px 0}h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid #ddd}"
    "h3{font-size:16px;margin:18px 0 4px}.summary span{display:inline-block;margin-right:18px;color:#444}"
    "table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px}"
    "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f0f0}"
    ".missed{color:#b00020;font-weight:600}.met{color:#0a7d32;font-weight:600}"
    ".finding{background:#fff;border-left:5px solid #999;padding:8px 12px;margin:10px 0}"
    ".finding.high{border-color:#b00020}.finding.medium{border-color:#e08a00}"
    ".finding .why{color:#555;font-size:13px}.finding ul{margin:4px 0;padding-left:18px;font-size:13px}"
    "mark.figure{background:#fff2a8}mark.date{background:#d7ecff}mark.person{background:#e4f7df}"
    ".sentences p{margin:4px 0}.doc{background:#fff;padding:6px 12px;margin:10px 0;border:1px solid #e5e5e5}"
    "svg.timeline{background:#fff;border:1px solid #ddd;width:100%;height:auto}"
    "svg.timeline text{font-size:11px;fill:#333}svg.timeline .axis{stroke:#999}"
    "svg.timeline circle{stroke:#fff;stroke-width:1.5}cite{color:#666;font-style:normal;font-size:12px}";

static const char *group_colour(const char *group)
{
    if (!strcmp(group, "Ratings"))
        return "#b00020";
    if (!strcmp(group, "Interventions"))
        return "#6a3d9a";
    if (!strcmp(group, "Inspections"))
        return "#1f78b4";
    if (!strcmp(group, "Deadlines"))
        return "#e08a00";
    return "#33a02c";
}

/* The People lane: each person's appearances (a document of known date
 * naming them) as small dots, linked to the first sentence naming them. */
static cs_status svg_people(page_out *o, store *s, double x0, double width, long base, double span, int y,
                            cs_error *err)
{
    buf *b = &o->b;
    store_cursor *c = store_cursor_open(s,
                                        "SELECT p.name, d.published, min(m.sentence_id), coalesce(d.title, d.path), d.path"
                                        " FROM person_mentions m JOIN persons p ON p.id = m.person_id"
                                        " JOIN documents d ON d.id = m.document_id WHERE d.published IS NOT NULL"
                                        " GROUP BY p.id, d.id ORDER BY d.published, p.name",
                                        "the people's appearances", err);
    if (!c)
        return CS_ERR_DB;
    int k = 0;
    while (store_cursor_next(c)) {
        long day;
        if (!dates_iso_day(store_cursor_text(c, 1), &day))
            continue;
        double x = x0 + width * (double)(day - base) / span;
        if (x < x0 || x > x0 + width)
            continue;
        buf_puts(b, "<a data-narrow");
        page_attr(b, "data-docs", store_cursor_text(c, 4));
        page_attr(b, "data-people", store_cursor_text(c, 0));
        page_attr(b, "data-text", store_cursor_text(c, 0));
        buf_printf_put(b, " href=\"#s%lld\"><circle class=\"person\" cx=\"%.1f\" cy=\"%d\" r=\"4\"><title>",
                       store_cursor_int(c, 2), x, y + (k++ % 5 - 2) * 7);
        esc(b, store_cursor_text(c, 0));
        buf_puts(b, ", ");
        esc(b, store_cursor_text(c, 3));
        buf_puts(b, ", ");
        esc(b, store_cursor_text(c, 1));
        buf_puts(b, "</title></circle></a>");
        page_flush(o, 0);
    }
    return store_cursor_close(c, CS_OK, err);
}

/* An event's dot on the timeline at x, y, coloured by its group. */
static void event_dot(buf *b, const report_event *e, const char *grp, double x, int y)
{
    buf h;
    buf_init(&h, 0);
    headline(e, &h);
    buf_puts(b, "<g class=\"event\"");
    event_attrs(b, e);
    buf_printf_put(b, "><circle cx=\"%.1f\" cy=\"%d\" r=\"7\" fill=\"%s\"%s><title>", x, y, group_colour(grp),
                   e->planned ? " fill-opacity=\"0.45\"" : "");
    esc(b, e->start);
    buf_puts(b, " ");
    esc(b, buf_str(&h));
    buf_printf_put(b, " (%zu source%s)</title></circle><text x=\"%.1f\" y=\"%d\">", e->nsrc, e->nsrc == 1 ? "" : "s",
                   x + 9, y + 4);
    html_escape(b, report_event_label(e->type), 26);
    buf_puts(b, "</text></g>");
    buf_free(&h);
}

static cs_status svg_timeline(page_out *o, const report_timeline *t, store *s, cs_error *err)
{
    buf *b = &o->b;
    int y0 = 9999, y1 = 0;
    size_t dated = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].start[0]) {
            int y = start_ymd(&t->v[i]).y;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
            dated++;
        }
    if (!dated) {
        buf_puts(b, "<p>No dated events.</p>");
        return CS_OK;
    }
    static const char *const groups[] = {"Ratings", "Interventions", "Inspections", "Deadlines", "People"};
    const int W = 1000, left = 110, right = 20, row = 70, top = 30;
    int H = top + 5 * row + 30;
    double span = (double)(y1 + 1 - y0) * 365.25;
    long base = 0;
    (void)dates_iso_day("2000-01-01", &base);
    base -= (long)((2000 - y0) * 365.25);
    buf_printf_put(b, "<svg class=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Timeline of interventions\" "
                      "xmlns=\"http://www.w3.org/2000/svg\">", W, H);
    for (int g = 0; g < 5; g++) {
        int y = top + g * row + row / 2;
        buf_printf_put(b, "<text x=\"6\" y=\"%d\">%s</text><line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                       y + 4, groups[g], left, y, W - right, y);
    }
    for (int y = y0; y <= y1 + 1; y++) {
        double x = left + (double)(W - left - right) * ((double)(y - y0) * 365.25) / span;
        buf_printf_put(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke-dasharray=\"2,3\"/>"
                          "<text x=\"%.1f\" y=\"%d\">%d</text>", x, top - 8, x, H - 24, x - 12, H - 8, y);
    }
    if (svg_people(o, s, left, W - left - right, base, span, top + 4 * row + row / 2, err) != CS_OK)
        return CS_ERR_DB;
    int slot[5] = {0};
    for (size_t i = 0; i < t->n; i++) {
        const report_event *e = &t->v[i];
        if (!e->start[0])
            continue;
        const char *grp = group_of(e->type);
        int g = 4;
        for (int k = 0; k < 5; k++)
            if (!strcmp(groups[k], grp))
                g = k;
        double x = left + (double)(W - left - right) * (double)(start_day(e) - base) / span;
        int y = top + g * row + row / 2 + (slot[g] % 3 - 1) * 18;
        slot[g]++;
        event_dot(b, e, grp, x, y);
        page_flush(o, 0);
    }
    buf_puts(b, "</svg>");
    return CS_OK;
}

/* "2014", "Mar 2014", "2014-15", "29 Jun 2015": as precise as known. */
static void display_date(buf *b, const report_event *e)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!e->start[0]) {
        buf_puts(b, "undated");
        return;
    }
    dates_ymd when = start_ymd(e);
    int y = when.y, m = when.m >= 1 && when.m <= 12 ? when.m : 1, d = when.d;
    if (!strcmp(e->granularity, "year"))
        buf_printf_put(b, "%d", y);
    else if (!strcmp(e->granularity, "financial_year"))
        buf_printf_put(b, "%d-%02d", y, (y + 1) % 100);
    else if (!strcmp(e->granularity, "month"))
        buf_printf_put(b, "%s %d", mon[m - 1], y);
    else if (!strcmp(e->granularity, "quarter"))
        buf_printf_put(b, "%s-%s %d", mon[m - 1], mon[(m + 1) % 12], y);
    else
        buf_printf_put(b, "%d %s %d", d, mon[m - 1], y);
}

static cs_status section_events(page_out *o, store *s, const report_timeline *t, const char *report_path,
                                cs_error *err)
{
    buf *b = &o->b;
    buf_puts(b, "<h2 id=\"timeline\">Timeline of interventions</h2>");
    if (svg_timeline(o, t, s, err) != CS_OK)
        return CS_ERR_DB;
    buf_puts(b, "<table class=\"events\"><tr><th>When</th><th>Event</th><th>Sources</th></tr>");
    for (size_t i = 0; i < t->n; i++) {
        const report_event *e = &t->v[i];
        buf_puts(b, "<tr");
        event_attrs(b, e);
        buf_puts(b, "><td>");
        display_date(b, e);
        if (e->dates_disagree)
            buf_puts(b, "<br><span class=\"missed\">sources disagree on the date</span>");
        buf_puts(b, "</td><td>");
        buf h;
        buf_init(&h, 0);
        headline(e, &h);
        esc(b, buf_str(&h));
        buf_free(&h);
        buf_puts(b, "</td><td>");
        sources_html(b, e, report_path);
        buf_puts(b, "</td></tr>");
        page_flush(o, 0);
    }
    buf_puts(b, "</table>");
    return CS_OK;
}

#define REPORT_MAX_FINDINGS 500

static cs_status finding_html(buf *b, store *s, const check_finding *f, cs_error *err)
{
    buf_printf_put(b, "<div class=\"finding %s\" data-filter data-kind=\"", f->severity);
    esc(b, f->kind);
    buf_puts(b, "\" data-text=\"");
    esc(b, f->explanation);
    buf_putc(b, ' ');
    esc(b, f->evidence);
    buf_putc(b, '"');
    if (page_finding_links(b, s, f, 1, err) != CS_OK)
        return CS_ERR_DB;
    buf_puts(b, "><strong>");
    esc(b, f->kind);
    buf_puts(b, "</strong> <span>");
    esc(b, f->explanation);
    buf_puts(b, "</span><div class=\"why\">Why: ");
    esc(b, f->why);
    buf_puts(b, "</div><ul>");
    const char *e = f->evidence ? f->evidence : "";
    while (*e) {
        const char *nl = strchr(e, '\n');
        size_t n = nl ? (size_t)(nl - e) : strlen(e);
        buf_puts(b, "<li>");
        html_escape(b, e[0] == '-' && n > 2 ? e + 2 : e, e[0] == '-' && n > 2 ? n - 2 : n);
        buf_puts(b, "</li>");
        e += n + (nl ? 1 : 0);
    }
    buf_puts(b, "</ul><div class=\"links\">");
    if (page_finding_links(b, s, f, 0, err) != CS_OK)
        return CS_ERR_DB;
    buf_puts(b, "</div></div>");
    return CS_OK;
}

static int severity_rank(const char *s)
{
    return !strcmp(s, "high") ? 0 : !strcmp(s, "medium") ? 1 : 2;
}

/* The findings, the most severe first, at most REPORT_MAX_FINDINGS of them:
 * past that a page stops being read (check and the findings table hold all). */
static cs_status section_findings(page_out *o, store *s, const check_list *l, cs_error *err)
{
    buf *b = &o->b;
    size_t n = l ? l->n : 0, shown = 0;
    buf_printf_put(b, "<h2 id=\"findings\">Findings (%zu)</h2>", n);
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < n && shown < REPORT_MAX_FINDINGS; i++)
            if (severity_rank(l->v[i].severity) == rank) {
                if (finding_html(b, s, &l->v[i], err) != CS_OK)
                    return CS_ERR_DB;
                page_flush(o, 0);
                shown++;
            }
    if (shown < n)
        buf_printf_put(b,
                       "<p class=\"more\">%zu of %zu findings shown, the most severe first; "
                       "<code>claimscan check</code> and the <code>findings</code> table hold them all.</p>",
                       shown, n);
    return CS_OK;
}

/* Each document's sentences that hold figures, with figures, dates and
 * persons marked. */
#define REPORT_MAX_SOURCES_STR "200"

/* A sentence with its figures, dates and persons marked: ms lists their
 * spans in the document (start, end, kind), base is the sentence's start. */
static void marked_sentence(buf *b, store_cursor *ss, store_cursor *ms)
{
    const char *text = store_cursor_text(ss, 1);
    long long base = store_cursor_int(ss, 2);
    size_t len = strlen(text), at = 0;
    buf_printf_put(b, "<p id=\"s%lld\">", store_cursor_int(ss, 0));
    store_cursor_bind_int(ms, 1, store_cursor_int(ss, 0));
    while (store_cursor_next(ms)) {
        long long s0 = store_cursor_int(ms, 0) - base, s1 = store_cursor_int(ms, 1) - base;
        if (s0 < (long long)at || s1 > (long long)len || s0 >= s1)
            continue;
        html_escape(b, text + at, (size_t)s0 - at);
        buf_printf_put(b, "<mark class=\"%s\">", store_cursor_text(ms, 2));
        html_escape(b, text + s0, (size_t)(s1 - s0));
        buf_puts(b, "</mark>");
        at = (size_t)s1;
    }
    html_escape(b, text + at, len - at);
    buf_puts(b, "</p>");
}

/* A document's heading: its title, path, site and date. */
static void source_heading(buf *b, store_cursor *ds)
{
    buf_puts(b, "<div class=\"doc\"><h3>");
    esc(b, store_cursor_text(ds, 2) ? store_cursor_text(ds, 2) : store_cursor_text(ds, 1));
    buf_puts(b, "</h3><cite>");
    esc(b, store_cursor_text(ds, 1));
    buf_puts(b, " &middot; ");
    esc(b, store_cursor_text(ds, 4) ? store_cursor_text(ds, 4) : "");
    buf_puts(b, " &middot; ");
    esc(b, store_cursor_text(ds, 3) ? store_cursor_text(ds, 3) : "undated");
    buf_puts(b, "</cite>");
}

static cs_status section_sources(page_out *o, store *s, cs_error *err)
{
    buf *b = &o->b;
    /* At most REPORT_MAX_SOURCES documents, those holding claims first: a
     * page for reading, not the whole archive (claims and search list all). */
    store_cursor *ds = store_cursor_open(
        s,
        "SELECT id, path, title, published, site, (SELECT count(*) FROM documents) FROM"
        /* the columns shown, not d.*: the sort would carry every text */
        " (SELECT d.id, d.path, d.title, d.published, d.site,"
        "  EXISTS (SELECT 1 FROM claims c WHERE c.document_id = d.id) AS held"
        "  FROM documents d ORDER BY held DESC, published, path LIMIT " REPORT_MAX_SOURCES_STR ")"
        " ORDER BY published, path",
        "the source documents", err);
    store_cursor *ss = !ds ? NULL
                           : store_cursor_open(s,
                                               "SELECT s.id, s.text, s.start FROM sentences s WHERE s.document_id = ?1"
                                               " AND (EXISTS (SELECT 1 FROM figures f WHERE f.sentence_id = s.id)"
                                               /* claims and events are indexed by document */
                                               "  OR EXISTS (SELECT 1 FROM claims c WHERE c.document_id = s.document_id"
                                               "   AND c.sentence_id = s.id)"
                                               "  OR EXISTS (SELECT 1 FROM events e WHERE e.document_id = s.document_id"
                                               "   AND e.sentence_id = s.id)"
                                               "  OR EXISTS (SELECT 1 FROM person_mentions m"
                                               "   WHERE m.sentence_id = s.id)) ORDER BY s.seq",
                                               "the source sentences", err);
    store_cursor *ms = !ss ? NULL
                           : store_cursor_open(s,
                                               "SELECT start, end, 'figure' FROM figures WHERE sentence_id = ?1"
                                               " UNION ALL SELECT start, end, 'date' FROM dates WHERE sentence_id = ?1"
                                               " UNION ALL SELECT start, end, 'person' FROM person_mentions"
                                               " WHERE sentence_id = ?1 ORDER BY 1",
                                               "the marks of the source sentences", err);
    cs_status st = ms ? CS_OK : CS_ERR_DB;
    buf_puts(b, "<h2 id=\"sources\">Sources</h2><div class=\"sentences\">");
    long long shown = 0, total = 0;
    while (st == CS_OK && store_cursor_next(ds)) {
        shown++;
        total = store_cursor_int(ds, 5);
        source_heading(b, ds);
        store_cursor_bind_int(ss, 1, store_cursor_int(ds, 0));
        while (store_cursor_next(ss))
            marked_sentence(b, ss, ms);
        buf_puts(b, "</div>");
        page_flush(o, 0);
    }
    if (total > shown)
        buf_printf_put(b,
                       "<p class=\"more\">%lld of %lld documents shown, those with claims first; "
                       "<code>claimscan claims</code> and <code>claimscan search</code> list the rest.</p>",
                       shown, total);
    buf_puts(b, "</div>");
    st = store_cursor_close(ms, st, err);
    st = store_cursor_close(ss, st, err);
    return store_cursor_close(ds, st, err);
}

/* Opens a new temporary file beside path for writing; *tmp gets its name
 * (malloc'd). -1 when none can be made. */
static int open_beside(const char *path, char **tmp)
{
    size_t cap = strlen(path) + 48;
    *tmp = cs_xmalloc(cap);
    for (int k = 0; k < 100; k++) {
        snprintf(*tmp, cap, "%s.tmp-%ld-%d", path, (long)getpid(), k);
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* The page's head: style, the counts and the contents. */
static void page_head(buf *b, const store_counts *c, const report_timeline *t, const check_list *findings)
{
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>claimscan report</title><style>");
    buf_puts(b, css);
    buf_puts(b, page_css);
    buf_puts(b, "</style></head><body><header><h1>claimscan report</h1><p class=\"summary\">");
    buf_printf_put(b, "<span>%lld documents</span><span>%lld figures</span><span>%lld dates</span>"
                      "<span>%lld persons</span><span>%lld claims</span><span>%zu events</span>"
                      "<span>%zu findings</span>",
                   c->documents, c->figures, c->dates, c->persons, c->claims, t->n, findings ? findings->n : 0);
    buf_puts(b, "</p><nav><a href=\"#timeline\">Timeline</a> &middot; <a href=\"#findings\">Findings</a> &middot; "
                "<a href=\"#claims\">Claims</a> &middot; <a href=\"#targets\">Stated against actual</a> &middot; "
                "<a href=\"#people\">People</a> &middot; <a href=\"#sources\">Sources</a></nav></header>");
}

/* The filter bar and the sections, each written to o as it is built. */
static cs_status page_body(page_out *o, store *s, const check_list *findings, const report_timeline *t,
                           const char *path, cs_error *err)
{
    cs_status st = page_toolbar(o, s, findings, err);
    buf_puts(&o->b, "<main>");
    if (st == CS_OK)
        st = section_events(o, s, t, path, err);
    if (st == CS_OK)
        st = section_findings(o, s, findings, err);
    if (st == CS_OK)
        st = page_claims(o, s, path, err);
    if (st == CS_OK)
        st = page_charts(o, s, err);
    if (st == CS_OK)
        st = page_people(o, s, err);
    if (st == CS_OK)
        st = section_sources(o, s, err);
    buf_puts(&o->b, "</main><script>");
    buf_puts(&o->b, page_script);
    buf_puts(&o->b, "</script></body></html>\n");
    return st;
}

/* The page is written to a temporary file beside path, renamed over path
 * once whole and on disk: a failed query, a full disk or a crash leaves the
 * previous file (or none), never a truncated one. */
cs_status report_html(store *s, const check_list *findings, const report_timeline *t, const char *path, cs_error *err)
{
    store_counts c;
    if (store_count(s, &c, err) != CS_OK)
        return CS_ERR_DB;
    char *tmp;
    page_out o = {.fd = open_beside(path, &tmp)};
    if (o.fd < 0) {
        free(tmp);
        return cs_fail(err, CS_ERR_IO, "%s: cannot write the report: %s", path, strerror(errno ? errno : EIO));
    }
    buf_init(&o.b, 0);
    page_head(&o.b, &c, t, findings);
    cs_status st = page_body(&o, s, findings, t, path, err);
    page_flush(&o, 1);
    buf_free(&o.b);
    if (!o.error && fsync(o.fd) != 0)
        o.error = errno;
    if (close(o.fd) != 0 && !o.error)
        o.error = errno;
    if (st == CS_OK && !o.error && rename(tmp, path) != 0)
        o.error = errno;
    if (st != CS_OK || o.error)
        unlink(tmp);
    free(tmp);
    if (st == CS_OK && o.error)
        st = cs_fail(err, CS_ERR_IO, "%s: cannot write the report: %s", path, strerror(o.error));
    return st;
}
