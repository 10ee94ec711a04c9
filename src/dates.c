/* dates: calendar arithmetic on (y, m, d) triples; no time zones, no
 * libc time functions, so results do not depend on the machine. */
#include "dates.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "numbers.h"
#include "strs.h"

int dates_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return m >= 1 && m <= 12 ? dm[m - 1] : 0;
}

void dates_format(const dates_ymd *d, char out[11])
{
    unsigned y = (unsigned)d->y % 10000u, m = (unsigned)d->m % 100u, dd = (unsigned)d->d % 100u;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
    out[8] = (char)('0' + dd / 10), out[9] = (char)('0' + dd % 10), out[10] = '\0';
}

/* Moves *p past c; 0 when *p does not start with it. */
static int take_char(const char **p, char c)
{
    if (**p != c)
        return 0;
    (*p)++;
    return 1;
}

int dates_parse_iso(const char *s, dates_ymd *out)
{
    dates_ymd d;
    const char *p = s;
    if (!s || !strs_take_digits(&p, 4, &d.y) || !take_char(&p, '-') || !strs_take_digits(&p, 2, &d.m) ||
        !take_char(&p, '-') || !strs_take_digits(&p, 2, &d.d))
        return 0;
    if (d.m < 1 || d.m > 12 || d.d < 1 || d.d > dates_days_in_month(d.y, d.m))
        return 0;
    *out = d;
    return 1;
}

static int month_of(const char *s, size_t n)
{
    static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n && isdigit((unsigned char)s[0])) {
        int v = 0;
        for (size_t i = 0; i < n && i < 2; i++)
            if (isdigit((unsigned char)s[i]))
                v = v * 10 + (s[i] - '0');
        return v >= 1 && v <= 12 ? v : 0;
    }
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(s, names[i], 3))
            return i + 1;
    return 0;
}

static int int_of(const char *s, size_t n)
{
    int v = 0, any = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i]))
            v = v * 10 + (s[i] - '0'), any = 1;
        else if (any)
            break;
    }
    return any ? v : -1;
}

static int year_of(const char *s, size_t n)
{
    int y = int_of(s, n);
    if (y < 0)
        return -1;
    if (n <= 2 || (n == 3 && s[0] == '\'') || (n == 3 && (unsigned char)s[0] >= 0x80))
        y += y < 50 ? 2000 : 1900; /* '09 */
    return y;
}

static void whole_month(int y, int m, dates_interval *o)
{
    o->start = (dates_ymd){y, m, 1};
    o->end = (dates_ymd){y, m, dates_days_in_month(y, m)};
    o->granularity = "month";
}

static void whole_year(int y, dates_interval *o)
{
    o->start = (dates_ymd){y, 1, 1};
    o->end = (dates_ymd){y, 12, 31};
    o->granularity = "year";
}

static void quarter(int y, int q, dates_interval *o)
{
    o->start = (dates_ymd){y, 3 * (q - 1) + 1, 1};
    int em = 3 * q;
    o->end = (dates_ymd){y, em, dates_days_in_month(y, em)};
    o->granularity = "quarter";
}

static void add_months(int *y, int *m, int k)
{
    int t = *y * 12 + (*m - 1) + k;
    *y = t / 12;
    *m = t % 12 + 1;
}

/* Days since 0000-03-01, for weekday and day arithmetic. */
static long day_number(dates_ymd d)
{
    int y = d.y, m = d.m;
    if (m <= 2)
        y--, m += 12;
    return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d.d - 1;
}

int dates_iso_day(const char *iso, long *day)
{
    dates_ymd d;
    if (!dates_parse_iso(iso, &d))
        return 0;
    *day = day_number(d);
    return 1;
}

static dates_ymd from_day_number(long n)
{
    /* Inverse of day_number by search over years then months; fine for our range. */
    dates_ymd d = {(int)(n / 366), 1, 1};
    while (day_number((dates_ymd){d.y + 1, 1, 1}) <= n)
        d.y++;
    while (d.m < 12 && day_number((dates_ymd){d.y, d.m + 1, 1}) <= n)
        d.m++;
    d.d = (int)(n - day_number((dates_ymd){d.y, d.m, 1})) + 1;
    return d;
}

/* The quarter (or half) a match's q group names: a digit or an ordinal
 * ("third"; "last" and "final" are the fourth); -1 when none. */
static int quarter_of(const rules_match *m, const char *text)
{
    static const char *const ord[] = {"first", "second", "third", "fourth", "last", "final"};
    size_t s, e;
    if (!rules_group(m, "q", &s, &e))
        return -1;
    if (isdigit((unsigned char)text[s]))
        return int_of(text + s, e - s);
    for (int i = 0; i < 6; i++)
        if (!strncasecmp(text + s, ord[i], strlen(ord[i])))
            return i < 4 ? i + 1 : 4;
    return -1;
}

static void half_year(int y, int h, dates_interval *o)
{
    o->start = (dates_ymd){y, h == 2 ? 7 : 1, 1};
    o->end = h == 2 ? (dates_ymd){y, 12, 31} : (dates_ymd){y, 6, 30};
    o->granularity = "half_year";
}

static int valid_year(int y)
{
    return y >= 1800 && y <= 2200;
}

int dates_is_relative(const rules_match *m)
{
    const char *t = rules_tag(m->rule);
    size_t s, e;
    /* "the three months to June" needs the document's date only without a year. */
    if (!strcmp(t, "quarter-to") || !strcmp(t, "half"))
        return !rules_group(m, "year", &s, &e);
    return !strncmp(t, "rel", 3);
}


int dates_year_level(const rules_match *m)
{
    const char *t = rules_tag(m->rule);
    size_t s, e;
    if (!strcmp(t, "rel-month-name"))
        return !rules_group(m, "day", &s, &e);
    return !strcmp(t, "rel-year") || !strcmp(t, "rel-quarter-n") || !strcmp(t, "half");
}

/* Does the sentence around offset at speak of the future ("will",
 * "would", "due", "next")? Looks back and forward to the sentence's ends. */
static int future_sentence(const char *text, size_t at)
{
    size_t s = at, e = at;
    while (s > 0 && at - s < 300 && text[s - 1] != '\n' && !(text[s - 1] == ' ' && s >= 2 && text[s - 2] == '.'))
        s--;
    while (text[e] && e - at < 300 && text[e] != '\n' && !(text[e] == '.' && (text[e + 1] == ' ' || !text[e + 1])))
        e++;
    static const char *const w[] = {"will", "would", "shall", "due", "next", "plans", "expected", "expects", "going to", NULL};
    for (int i = 0; w[i]; i++)
        if (strs_has_word(text + s, e - s, w[i]))
            return 1;
    return 0;
}

/* A span written with both ends ("24 and 25 September 2024", "January to
 * December 2014", "between 2001 and 2011"): its end is day, month, year;
 * its start the groups day1, month1, year1, each the end's when not
 * written. The granularity is the finest part written; 0 when the start
 * does not come before the end. */
static int range_of(const rules_match *m, const char *text, int day, int month, int year, dates_interval *o)
{
    size_t s, e;
    int d1 = rules_group(m, "day1", &s, &e) ? int_of(text + s, e - s) : -1;
    int m1 = rules_group(m, "month1", &s, &e) ? month_of(text + s, e - s) : month;
    int y1 = rules_group(m, "year1", &s, &e) ? year_of(text + s, e - s) : year;
    if (!valid_year(year) || !valid_year(y1) || (month > 0) != (m1 > 0) || (day > 0) != (d1 > 0))
        return 0;
    if (day > 0) {
        if (day > dates_days_in_month(year, month) || d1 > dates_days_in_month(y1, m1))
            return 0;
        o->start = (dates_ymd){y1, m1, d1};
        o->end = (dates_ymd){year, month, day};
        o->granularity = "day";
    } else if (month > 0) {
        o->start = (dates_ymd){y1, m1, 1};
        o->end = (dates_ymd){year, month, dates_days_in_month(year, month)};
        o->granularity = "month";
    } else {
        o->start = (dates_ymd){y1, 1, 1};
        o->end = (dates_ymd){year, 12, 31};
        o->granularity = "year";
    }
    return day_number(o->start) < day_number(o->end) && (day > 0 || month > 0 || y1 < year);
}

int dates_range_ends(const rules_match *m, const char *text, dates_interval out[2], size_t span[4])
{
    dates_interval iv;
    size_t s, e, s1, e1;
    if (strcmp(rules_tag(m->rule), "range") || !dates_normalize(m, text, NULL, &iv) || !strcmp(iv.granularity, "day"))
        return 0;
    int month = !strcmp(iv.granularity, "month");
    const char *first = month ? "month1" : "year1", *last = month ? "month" : "year";
    if (!rules_group(m, first, &s1, &e1) || !rules_group(m, last, &s, &e))
        return 0;
    if (rules_group(m, "year1", &s, &e) && e > e1)
        e1 = e; /* "November 2003" */
    rules_group(m, last, &s, &e);
    memset(out, 0, 2 * sizeof *out);
    if (month) {
        whole_month(iv.start.y, iv.start.m, &out[0]);
        whole_month(iv.end.y, iv.end.m, &out[1]);
    } else {
        whole_year(iv.start.y, &out[0]);
        whole_year(iv.end.y, &out[1]);
    }
    span[0] = s1, span[1] = e1, span[2] = s, span[3] = m->end;
    return 1;
}

/* The groups of a date match, read once. */
typedef struct {
    int day, month, year; /* -1, 0, -1 when the match has no such group */
    int dir;              /* relative forms: -1 last/previous/ago/past, 1 next/coming/following, else 0 */
    const char *mt;       /* the matched text */
    size_t ml;
} date_parts;

typedef int (*date_form)(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                         dates_interval *o);

/* "2023/24", "2023-2024": April to March. */
static int form_fy(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                   dates_interval *o)
{
    (void)p, (void)anchor;
    size_t s, e, s2, e2;
    if (!rules_group(m, "fy1", &s, &e) || !rules_group(m, "fy2", &s2, &e2))
        return 0;
    int y1 = int_of(text + s, e - s), y2 = int_of(text + s2, e2 - s2);
    size_t l2 = e2 - s2;
    int next = y1 + 1;
    if (!valid_year(y1) || !((l2 == 4 && y2 == next) || (l2 == 2 && y2 == next % 100) || (l2 == 1 && y2 == next % 10)))
        return 0;
    o->start = (dates_ymd){y1, 4, 1};
    o->end = (dates_ymd){next, 3, 31};
    o->granularity = "financial_year";
    return 1;
}

/* "the three months to June": the quarter ending with that month; without a
 * year, the latest such month up to the document's date. */
static int form_quarter_to(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                           dates_interval *o)
{
    (void)m, (void)text;
    if (p->month < 1)
        return 0;
    int y = p->year;
    if (!valid_year(y)) {
        if (!anchor || !anchor->y)
            return 0;
        y = p->month <= anchor->m ? anchor->y : anchor->y - 1;
        o->relative = 1;
    }
    int sm = p->month - 2, sy = y;
    if (sm < 1)
        sm += 12, sy--;
    o->start = (dates_ymd){sy, sm, 1};
    o->end = (dates_ymd){y, p->month, dates_days_in_month(y, p->month)};
    o->granularity = "quarter";
    return 1;
}

/* Quarter q of the UK financial year y1/y2: Q1 is April to June. */
static int form_fquarter(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                         dates_interval *o)
{
    (void)p, (void)anchor;
    size_t s, e, s2, e2;
    int q = rules_group(m, "q", &s, &e) ? int_of(text + s, e - s) : -1;
    if (q < 1 || q > 4 || !rules_group(m, "fy1", &s, &e) || !rules_group(m, "fy2", &s2, &e2))
        return 0;
    int y1 = int_of(text + s, e - s), y2 = int_of(text + s2, e2 - s2);
    if (!valid_year(y1) || y2 != (y1 + 1) % 100)
        return 0;
    int mo = 3 * q + 1, y = y1; /* Q1 starts in April */
    if (mo > 12)
        mo -= 12, y++;
    o->start = (dates_ymd){y, mo, 1};
    o->end = (dates_ymd){y, mo + 2, dates_days_in_month(y, mo + 2)};
    o->granularity = "quarter";
    return 1;
}

static int form_range(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                      dates_interval *o)
{
    (void)anchor;
    return range_of(m, text, p->day, p->month, p->year, o);
}

static int form_quarter(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                        dates_interval *o)
{
    (void)anchor;
    int q = quarter_of(m, text);
    if (q < 1 || q > 4 || !valid_year(p->year))
        return 0;
    quarter(p->year, q, o);
    return 1;
}

static int form_decade(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                       dates_interval *o)
{
    (void)m, (void)text, (void)anchor;
    if (!valid_year(p->year) || p->year % 10)
        return 0;
    o->start = (dates_ymd){p->year, 1, 1};
    o->end = (dates_ymd){p->year + 9, 12, 31};
    o->granularity = "decade";
    return 1;
}

static int form_day(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                    dates_interval *o)
{
    (void)m, (void)text, (void)anchor;
    if (!valid_year(p->year) || p->month < 1 || p->day < 1 || p->day > dates_days_in_month(p->year, p->month))
        return 0;
    o->start = o->end = (dates_ymd){p->year, p->month, p->day};
    o->granularity = "day";
    return 1;
}

static int form_month(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                      dates_interval *o)
{
    (void)m, (void)text, (void)anchor;
    if (!valid_year(p->year) || p->month < 1)
        return 0;
    whole_month(p->year, p->month, o);
    return 1;
}

static int form_year(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                     dates_interval *o)
{
    (void)m, (void)text, (void)anchor;
    if (!valid_year(p->year))
        return 0;
    whole_year(p->year, o);
    return 1;
}

static int rel_year(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                    dates_interval *o)
{
    (void)m, (void)text;
    whole_year(anchor->y + p->dir, o);
    return 1;
}

static int rel_month(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                     dates_interval *o)
{
    (void)m, (void)text;
    int y = anchor->y, mo = anchor->m;
    add_months(&y, &mo, p->dir);
    whole_month(y, mo, o);
    return 1;
}

static int rel_quarter(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                       dates_interval *o)
{
    (void)m, (void)text;
    int q = (anchor->m - 1) / 3 + 1 + p->dir, y = anchor->y;
    if (q < 1)
        q = 4, y--;
    if (q > 4)
        q = 1, y++;
    quarter(y, q, o);
    return 1;
}

/* "six months ago", "two years ago": the month or year that far back. */
static int rel_ago(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                   dates_interval *o)
{
    (void)p;
    size_t s, e;
    double k = 1;
    if (rules_group(m, "n", &s, &e) && !numbers_parse(text + s, e - s, &k))
        return 0;
    if (!(k >= 0 && k <= 10000)) /* "3000000000 years ago" dates nothing we read */
        return 0;
    int y = anchor->y, mo = anchor->m;
    if (rules_group(m, "unit", &s, &e) && !strncasecmp(text + s, "month", 5)) {
        add_months(&y, &mo, -(int)k);
        whole_month(y, mo, o);
    } else if (rules_group(m, "unit", &s, &e) && !strncasecmp(text + s, "week", 4)) {
        long n = day_number(*anchor) - 7 * (long)k;
        o->start = o->end = from_day_number(n);
        o->granularity = "day";
    } else if (rules_group(m, "unit", &s, &e) && !strncasecmp(text + s, "day", 3)) {
        long n = day_number(*anchor) - (long)k;
        o->start = o->end = from_day_number(n);
        o->granularity = "day";
    } else {
        whole_year(anchor->y - (int)k, o);
    }
    return 1;
}

/* "February", "March 14": the latest such month up to the document's month;
 * the next one instead when the sentence speaks of the future and it is at
 * most six months ahead. "March this year": this year. */
static int rel_month_name(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                          dates_interval *o)
{
    size_t s, e;
    int month = p->month;
    if (month < 1)
        return 0;
    int y = anchor->y;
    if (!rules_group(m, "this", &s, &e) && month != anchor->m) {
        int past_y = month < anchor->m ? anchor->y : anchor->y - 1;
        int fut_y = month > anchor->m ? anchor->y : anchor->y + 1;
        int ahead = (fut_y - anchor->y) * 12 + month - anchor->m;
        y = future_sentence(text, m->start) && ahead <= 6 ? fut_y : past_y;
    }
    if (p->day > 0) {
        if (p->day > dates_days_in_month(y, month))
            return 0;
        o->start = o->end = (dates_ymd){y, month, p->day};
        o->granularity = "day";
    } else {
        whole_month(y, month, o);
    }
    return 1;
}

/* "the third quarter", "the second half of the year": of the document's
 * year, or the year before when it has not begun yet. */
static int rel_quarter_n(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                         dates_interval *o)
{
    int q = quarter_of(m, text), half = !strcmp(rules_tag(m->rule), "half");
    if (q < 1 || q > (half ? 2 : 4))
        return 0;
    int first_month = half ? 6 * (q - 1) + 1 : 3 * (q - 1) + 1;
    int y = anchor->y - (first_month > anchor->m) - (p->dir < 0);
    if (half)
        half_year(y, q, o);
    else
        quarter(y, q, o);
    return 1;
}

/* The weekend holding the document's day, else the one before it; "next"
 * (or a sentence about the future) the one after it. */
static int rel_weekend(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                       dates_interval *o)
{
    long n = day_number(*anchor);
    int dow = (int)((n + 2) % 7); /* 0 Monday .. 6 Sunday */
    long sat = dow >= 5 ? n - (dow - 5) : n - (dow + 2);
    int coming = p->dir == 0 && strs_has_word(p->mt, p->ml, "this") && future_sentence(text, m->start);
    if (dow < 5 && (p->dir > 0 || coming))
        sat += 7;
    else if (p->dir > 0)
        sat += 7;
    else if (p->dir < 0 && dow >= 5)
        sat -= 7;
    o->start = from_day_number(sat);
    o->end = from_day_number(sat + 1);
    o->granularity = "weekend";
    return 1;
}

/* "yesterday", "tomorrow", "on Tuesday", "last Friday". */
static int rel_day(const rules_match *m, const char *text, const date_parts *p, const dates_ymd *anchor,
                   dates_interval *o)
{
    size_t s, e;
    long n = day_number(*anchor);
    if (strs_has_word(p->mt, p->ml, "yesterday"))
        n--;
    else if (strs_has_word(p->mt, p->ml, "tomorrow"))
        n++;
    else if (rules_group(m, "wday", &s, &e)) {
        static const char *const wd[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        int want = -1;
        for (int i = 0; i < 7; i++)
            if (!strncasecmp(text + s, wd[i], 3))
                want = i;
        if (want < 0)
            return 0;
        /* day_number 0 (0000-03-01) was a Wednesday (index 2). */
        int have = (int)((n + 2) % 7);
        int back = (have - want + 7) % 7, ahead = (want - have + 7) % 7;
        if (p->dir > 0)
            n += ahead ? ahead : 7; /* "next Friday": never today */
        else
            n -= back ? back : (p->dir < 0 ? 7 : 0); /* "last Friday": never today */
    }
    o->start = o->end = from_day_number(n);
    o->granularity = "day";
    return 1;
}

/* The forms by rule tag: absolute ones first (a "half" with a year is
 * absolute), then those that need the document's date. */
typedef struct {
    const char *tag;
    date_form read;
} date_form_of;

static const date_form_of absolute_forms[] = {
    {"fy", form_fy},           {"quarter-to", form_quarter_to}, {"fquarter", form_fquarter},
    {"range", form_range},     {"quarter", form_quarter},       {"decade", form_decade},
    {"day", form_day},         {"iso", form_day},               {"month", form_month},
    {"year", form_year},
};

static const date_form_of relative_forms[] = {
    {"rel-year", rel_year},       {"rel-month", rel_month},           {"rel-quarter", rel_quarter},
    {"rel-ago", rel_ago},         {"rel-month-name", rel_month_name}, {"rel-quarter-n", rel_quarter_n},
    {"half", rel_quarter_n},      {"rel-weekend", rel_weekend},       {"rel-day", rel_day},
};

/* -1 last/previous/ago/past, 1 next/coming/following, else 0. */
static int direction(const char *mt, size_t ml)
{
    if (strs_has_word(mt, ml, "last") || strs_has_word(mt, ml, "previous") || strs_has_word(mt, ml, "ago") ||
        strs_has_word(mt, ml, "past"))
        return -1;
    return strs_has_word(mt, ml, "next") || strs_has_word(mt, ml, "coming") || strs_has_word(mt, ml, "following");
}

int dates_normalize(const rules_match *m, const char *text, const dates_ymd *anchor, dates_interval *o)
{
    const char *tag = rules_tag(m->rule);
    size_t s, e;
    memset(o, 0, sizeof *o);
    date_parts p = {rules_group(m, "day", &s, &e) ? int_of(text + s, e - s) : -1,
                    rules_group(m, "month", &s, &e) ? month_of(text + s, e - s) : 0,
                    rules_group(m, "year", &s, &e) ? year_of(text + s, e - s) : -1, 0, text + m->start,
                    m->end - m->start};
    if (!strcmp(tag, "half") && valid_year(p.year)) {
        half_year(p.year, quarter_of(m, text), o);
        return 1;
    }
    for (size_t i = 0; i < sizeof absolute_forms / sizeof *absolute_forms; i++)
        if (!strcmp(tag, absolute_forms[i].tag))
            return absolute_forms[i].read(m, text, &p, anchor, o);
    /* Relative dates need the document's date. */
    if (!anchor || !anchor->y)
        return 0;
    o->relative = 1;
    p.dir = direction(p.mt, p.ml);
    if (strs_has_word(p.mt, p.ml, "that") || strs_has_word(p.mt, p.ml, "same"))
        return 0; /* "that month" refers to a date the text named: dates_anaphor */
    for (size_t i = 0; i < sizeof relative_forms / sizeof *relative_forms; i++)
        if (!strcmp(tag, relative_forms[i].tag))
            return relative_forms[i].read(m, text, &p, anchor, o);
    return 0;
}

int dates_anaphor(const rules_match *m, const char *text, const dates_interval *ref, dates_interval *o)
{
    const char *tag = rules_tag(m->rule), *mt = text + m->start;
    size_t ml = m->end - m->start;
    int back = strs_has_word(mt, ml, "previous");
    if (!ref || (!back && !strs_has_word(mt, ml, "that") && !strs_has_word(mt, ml, "same")))
        return 0;
    memset(o, 0, sizeof *o);
    o->relative = 1;
    int y = ref->start.y, mo = ref->start.m;
    if (!strcmp(tag, "rel-month") && ref->start.y == ref->end.y && ref->start.m == ref->end.m) {
        add_months(&y, &mo, -back);
        whole_month(y, mo, o);
        return 1;
    }
    if (!strcmp(tag, "rel-year") && !strcmp(ref->granularity, "financial_year")) {
        o->start = (dates_ymd){y - back, 4, 1};
        o->end = (dates_ymd){y - back + 1, 3, 31};
        o->granularity = "financial_year";
        return 1;
    }
    if (!strcmp(tag, "rel-year") && ref->start.y == ref->end.y) {
        whole_year(y - back, o);
        return 1;
    }
    return 0;
}
