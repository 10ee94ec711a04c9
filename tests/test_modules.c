/* Unit tests of the small modules: buf, load, sentence, numbers, dates,
 * people, boiler. */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "boiler.h"
#include "buf.h"
#include "helpers.h"
#include "people.h"

Test(buf, cap_is_enforced_and_contents_kept)
{
    buf b;
    buf_init(&b, 8);
    cr_assert_eq(buf_add(&b, "12345", 5), CS_OK);
    cr_assert_eq(buf_add(&b, "6789", 4), CS_ERR_TOOBIG);
    cr_assert_str_eq(buf_str(&b), "12345");
    cr_assert_eq(buf_printf(&b, "%d", 678), CS_OK);
    cr_assert_str_eq(buf_str(&b), "12345678");
    char *s = buf_detach(&b);
    cr_assert_str_eq(s, "12345678");
    cr_assert_eq(b.len, 0);
    free(s);
}

Test(load, invalid_utf8_is_read_as_windows_1252)
{
    cs_error err;
    const char bytes[] = "Caf\xe9 costs \x80" "5 \x93quoted\x94";
    doc *d = load_bytes("x.txt", bytes, sizeof bytes - 1, &err);
    cr_assert(d);
    cr_assert_str_eq(d->charset, "windows-1252");
    cr_assert_str_eq(d->input, "Caf\xc3\xa9 costs \xe2\x82\xac" "5 \xe2\x80\x9cquoted\xe2\x80\x9d");
    cr_assert(load_valid_utf8(d->input, d->input_len));
    doc_free(d);
}

Test(load, binary_is_refused_with_a_reason)
{
    cs_error err;
    const char bytes[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00";
    doc *d = load_bytes("a.out", bytes, sizeof bytes - 1, &err);
    cr_assert_null(d);
    cr_assert(strstr(err.msg, "binary"), "message: %s", err.msg);
}

Test(load, bom_and_sha256)
{
    cs_error err;
    doc *d = load_bytes("x.txt", "\xEF\xBB\xBFhello", 8, &err);
    cr_assert(d);
    cr_assert_str_eq(d->input, "hello");
    /* sha256 of the raw bytes, BOM included */
    cr_assert_str_eq(load_sha256(d), "7489ebbcc2a00056ddaaaac190bce473e5c03696ea1bd8ed83cf59a174283862");
    cr_assert_eq(strlen(d->sha256), 64);
    doc_free(d);
}

/* s re-encoded from UTF-8 into charset (malloc'd; *n gets its length). */
static char *encode(const char *charset, const char *s, size_t *n)
{
    iconv_t cd = iconv_open(charset, "UTF-8");
    cr_assert(cd != (iconv_t)-1, "iconv knows no %s", charset);
    size_t inleft = strlen(s), outleft = inleft * 4 + 8;
    char *out = malloc(outleft), *o = out, *in = (char *)s;
    cr_assert(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(o - out);
    return out;
}

Test(load, utf16_without_a_byte_order_mark_is_read_not_refused)
{
    static const char page[] = "<html><body><p>Caf\xC3\xA9 prices rose by \xE2\x82\xAC" "2 this year.</p></body></html>";
    const char *charsets[] = {"UTF-16LE", "UTF-16BE"};
    for (int i = 0; i < 2; i++) {
        size_t n;
        char *bytes = encode(charsets[i], page, &n);
        cs_error err;
        doc *d = load_bytes("page", bytes, n, &err);
        cr_assert(d, "%s refused: %s", charsets[i], err.msg);
        cr_assert_str_eq(d->charset, charsets[i]);
        cr_assert_str_eq(d->input, page);
        cr_assert(d->is_html, "the markup shows once converted");
        doc_free(d);
        free(bytes);
    }
}

Test(load, an_undeclared_legacy_charset_is_detected)
{
    static const char ru[] = "\xD0\x93\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB4\xD1\x81\xD0\xBA\xD0\xBE\xD0\xB9 "
                             "\xD1\x81\xD0\xBE\xD0\xB2\xD0\xB5\xD1\x82 \xD1\x83\xD1\x82\xD0\xB2\xD0\xB5\xD1\x80"
                             "\xD0\xB4\xD0\xB8\xD0\xBB \xD0\xB1\xD1\x8E\xD0\xB4\xD0\xB6\xD0\xB5\xD1\x82 "
                             "\xD0\xBD\xD0\xB0 \xD1\x81\xD0\xBB\xD0\xB5\xD0\xB4\xD1\x83\xD1\x8E\xD1\x89\xD0\xB8"
                             "\xD0\xB9 \xD0\xB3\xD0\xBE\xD0\xB4, \xD0\xB0 \xD1\x80\xD0\xB0\xD1\x81\xD1\x85\xD0"
                             "\xBE\xD0\xB4\xD1\x8B \xD0\xBD\xD0\xB0 \xD1\x88\xD0\xBA\xD0\xBE\xD0\xBB\xD1\x8B "
                             "\xD0\xB2\xD1\x8B\xD1\x80\xD0\xB0\xD1\x81\xD1\x82\xD1\x83\xD1\x82 \xD0\xBD\xD0\xB0 "
                             "\xD0\xB4\xD0\xB5\xD1\x81\xD1\x8F\xD1\x82\xD1\x8C \xD0\xBF\xD1\x80\xD0\xBE\xD1\x86"
                             "\xD0\xB5\xD0\xBD\xD1\x82\xD0\xBE\xD0\xB2.";
    size_t n;
    char *bytes = encode("CP1251", ru, &n);
    cs_error err;
    doc *d = load_bytes("ru.txt", bytes, n, &err);
    cr_assert(d);
    cr_assert_str_eq(d->input, ru, "read as %s: %s", d->charset, d->input);
    cr_assert_null(d->warning);
    doc_free(d);
    free(bytes);
    /* UTF-8 with one stray Latin-1 byte stays UTF-8: no mojibake. */
    const char mixed[] = "<p>Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBCnchen und Mitgef\xFChl f\xC3\xBCr alle.</p>";
    d = load_bytes("m.html", mixed, sizeof mixed - 1, &err);
    cr_assert(d);
    cr_assert_str_eq(d->charset, "UTF-8");
    cr_assert_str_eq(d->input, "<p>Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBCnchen und Mitgef\xC3\xBChl f\xC3\xBCr alle.</p>");
    doc_free(d);
}

Test(load, an_unknown_or_unsupported_declared_charset_is_a_warning)
{
    static const char *const cases[][2] = {
        {"utf-7", "not supported"}, {"IBM037", "not supported"}, {"utf-9", "unknown"}, {"x-user-defined", "unknown"}};
    for (int i = 0; i < 4; i++) {
        char page[256];
        snprintf(page, sizeof page, "<html><head><meta charset=\"%s\"></head><body><p>Caf\xE9 a+b.</p></body></html>",
                 cases[i][0]);
        cs_error err;
        doc *d = load_bytes("w.html", page, strlen(page), &err);
        cr_assert(d);
        cr_assert(d->warning && strstr(d->warning, cases[i][0]) && strstr(d->warning, cases[i][1]),
                  "%s: warning %s", cases[i][0], d->warning ? d->warning : "(none)");
        cr_assert(load_valid_utf8(d->input, d->input_len));
        cr_assert(strstr(d->input, "a+b"), "ASCII read as ASCII");
        doc_free(d);
    }
    /* A usable declaration is followed without a word; one in a script is no declaration. */
    const char koi[] = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"
                       "<script>var charset=frobnicate;</script></head><body><p>\xF0\xD2\xC9\xD7\xC5\xD4</p></body></html>";
    cs_error err;
    doc *d = load_bytes("k.html", koi, sizeof koi - 1, &err);
    cr_assert(d);
    cr_assert_null(d->warning, "warning: %s", d->warning);
    cr_assert(strstr(d->input, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"), "KOI8-R: %s", d->input);
    doc_free(d);
}

Test(load, stray_nul_bytes_in_text_are_dropped_not_refused)
{
    static const char page[] = "<html><body><p>The council\0 met on Monday.</p>\0</body></html>";
    cs_error err;
    doc *d = load_bytes("n.html", page, sizeof page - 1, &err);
    cr_assert(d, "refused: %s", err.msg);
    cr_assert_eq(strlen(d->input), d->input_len);
    cr_assert(strstr(d->input, "council met"), "input: %s", d->input);
    doc_free(d);
    /* Text made mostly of NULs is still binary. */
    char zeros[600];
    memset(zeros, 0, sizeof zeros);
    memcpy(zeros, "<p>text", 7);
    cr_assert_null(load_bytes("z.html", zeros, sizeof zeros, &err));
    cr_assert(strstr(err.msg, "binary"), "message: %s", err.msg);
}

Test(load, missing_file_names_the_reason)
{
    cs_error err;
    cr_assert_null(load_file("/nonexistent/file.html", 1000, &err));
    cr_assert(strstr(err.msg, "No such file"), "message: %s", err.msg);
}

Test(sentence, survives_abbreviations_decimals_and_years)
{
    const char *t = "Cllr. Ward said £22.1 million was spent in 2014-15. No. 10 agreed. The target is 100 per cent.";
    size_t n;
    sentence_span *s = sentence_split(t, strlen(t), rules_lexicon(th_rules(), "abbreviations"), &n);
    cr_assert_eq(n, 3, "got %zu sentences", n);
    cr_assert_eq(strncmp(t + s[1].start, "No. 10 agreed.", s[1].end - s[1].start), 0);
    free(s);
}

/* Encyclopaedia citation markers after the stop do not hide the boundary. */
Test(sentence, citation_markers_after_a_stop_still_split)
{
    const char *t = "The climate is temperate.[158] Historical maxima are 42.4 degrees.[159][n 3] Conditions vary [a] lot.";
    size_t n;
    sentence_span *s = sentence_split(t, strlen(t), NULL, &n);
    cr_assert_eq(n, 3, "got %zu sentences", n);
    cr_assert_eq(strncmp(t + s[0].start, "The climate is temperate.[158]", s[0].end - s[0].start), 0);
    cr_assert_eq(strncmp(t + s[1].start, "Historical maxima are 42.4 degrees.[159][n 3]", s[1].end - s[1].start), 0);
    free(s);
}

Test(sentence, blank_lines_always_split)
{
    const char *t = "Health professionals\xE2\x80\x99 attendance fell\n\nCouncil officials attended";
    size_t n;
    sentence_span *s = sentence_split(t, strlen(t), NULL, &n);
    cr_assert_eq(n, 2);
    cr_assert_eq(s[1].block, 1);
    free(s);
}

/* A clause runs between the clause breaks around it; a break needs its
 * space, and the longest break that fits is the one taken. */
Test(sentence, clause_between_breaks)
{
    const char *t = "Ofsted rated it good in 2019, and the council was placed under a notice, but it appealed.";
    sentence_span s = {0, strlen(t), 0};
    const rules_list *l = rules_lexicon(th_rules(), "event-clause-breaks");
    const char *notice = strstr(t, "placed");
    sentence_span c = sentence_clause(t, &s, l, (size_t)(notice - t), (size_t)(notice - t) + 6);
    cr_assert_eq(strncmp(t + c.start, "the council was placed under a notice", c.end - c.start), 0,
                 "clause %.*s", (int)(c.end - c.start), t + c.start);
    c = sentence_clause(t, &s, l, 0, 6);
    cr_assert_eq(c.start, 0);
    cr_assert_eq(strncmp(t + c.start, "Ofsted rated it good in 2019", c.end - c.start), 0);
    cr_assert_eq(sentence_break_at(l, ", and the", 9), 6);
    cr_assert_eq(sentence_break_at(l, ", andrew", 8), 0);
    cr_assert_eq(sentence_break_at(l, ", and", 5), 0, "a break at the end has no space after it");
    c = sentence_clause(t, &s, NULL, 10, 12);
    cr_assert(c.start == 0 && c.end == s.end);
}

Test(numbers, words_and_digits)
{
    double v;
    cr_assert(numbers_parse("twenty-six", 10, &v) && v == 26);
    cr_assert(numbers_parse("one hundred and five", 20, &v) && v == 105);
    cr_assert(numbers_parse("1,898", 5, &v) && v == 1898);
    cr_assert(numbers_parse("a dozen", 7, &v) && v == 12);
    cr_assert(!numbers_parse("many", 4, &v));
    cr_assert(numbers_fraction("two-thirds", 10, &v) && v == 0.6667);
    cr_assert(numbers_fraction("three quarters", 14, &v) && v == 0.75);
}

Test(dates, calendar)
{
    cr_assert_eq(dates_days_in_month(2016, 2), 29);
    cr_assert_eq(dates_days_in_month(1900, 2), 28);
    dates_ymd d;
    cr_assert(dates_parse_iso("2015-06-29T10:00:00Z", &d) && d.y == 2015 && d.m == 6 && d.d == 29);
    cr_assert(!dates_parse_iso("2015-02-30", &d));
    cr_assert(!dates_parse_iso("2015-6-29", &d) && !dates_parse_iso("2015-06-2", &d) && !dates_parse_iso(NULL, &d));
    cr_assert(!dates_parse_iso(" 2015-06-29", &d) && !dates_parse_iso("+015-06-29", &d));
}

/* Day numbers count days across month, leap-day and year ends. */
Test(dates, iso_day_numbers)
{
    long a, b, c, e, f;
    cr_assert(dates_iso_day("2024-02-28", &a) && dates_iso_day("2024-03-01", &b));
    cr_assert_eq(b - a, 2, "2024 is a leap year");
    cr_assert(dates_iso_day("2023-02-28", &a) && dates_iso_day("2023-03-01", &b));
    cr_assert_eq(b - a, 1);
    cr_assert(dates_iso_day("1999-12-31", &c) && dates_iso_day("2000-12-31", &e));
    cr_assert_eq(e - c, 366, "2000 is a leap year");
    cr_assert(dates_iso_day("2100-01-01T09:00", &e) && dates_iso_day("2101-01-01", &f));
    cr_assert_eq(f - e, 365, "2100 is not");
    long keep = 42;
    cr_assert(!dates_iso_day("2024-13-01", &keep) && !dates_iso_day("undated", &keep) && !dates_iso_day(NULL, &keep));
    cr_assert_eq(keep, 42, "left untouched when not a date");
}

Test(dates, relative_dates_need_an_anchor)
{
    extract_result *r = th_extract("t.txt", "Attendance fell last month and again this year, as a report said.");
    cr_assert(r);
    cr_assert_null(th_first(r, MENTION_DATE), "relative dates without a document date must be left out");
    th_free(r);
}

Test(people, aliases_resolve_to_the_full_name)
{
    extract_result *r = th_extract("t.txt",
                                   "Deputy council leader Ian Ward spoke first.\n\nLord Norman Warner was appointed.\n\n"
                                   "Cllr Ward (Lab) said the plan was late. Sir Norman agreed and Warner said so.");
    cr_assert(r);
    int ward = 0, warner = 0;
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        if (m->kind != MENTION_PERSON)
            continue;
        ward += !strcmp(m->person.name, "Ian Ward");
        warner += !strcmp(m->person.name, "Norman Warner");
        cr_expect(!strcmp(m->person.name, "Ian Ward") || !strcmp(m->person.name, "Norman Warner"), "stray person %s",
                  m->person.name);
        if (!strcmp(m->person.name, "Ian Ward") && m->person.title)
            cr_expect_str_eq(m->person.party ? m->person.party : "", "Lab");
    }
    cr_expect_eq(ward, 2);
    cr_expect_eq(warner, 3);
    th_free(r);
}

/* Regression: a surname with a particle named alone before the full name
 * ("Professor Le Grand", then "Julian Le Grand") was freed while still a
 * known name and read afterwards. Every use resolves to the full name. */
Test(people, a_particle_surname_before_the_full_name_resolves_to_it)
{
    extract_result *r = th_extract("t.txt", "Professor Le Grand said the scheme had failed.\n\n"
                                            "Later, Professor Julian Le Grand said 12 schools were affected. "
                                            "Le Grand added more.\n");
    cr_assert(r);
    size_t n = 0;
    for (size_t i = 0; i < r->ms.n; i++)
        if (r->ms.v[i].kind == MENTION_PERSON) {
            cr_expect_str_eq(r->ms.v[i].person.name, "Julian Le Grand");
            n++;
        }
    cr_expect_eq(n, 3);
    th_free(r);
}

Test(people, organisations_are_not_persons)
{
    extract_result *r = th_extract("t.txt", "Ofsted inspected the Lakeside Children\xE2\x80\x99s Centre and Birmingham "
                                            "City Council while PwC advised. Victoria Station was shut.");
    cr_assert(r);
    cr_assert_null(th_first(r, MENTION_PERSON));
    th_free(r);
}

/* A Title Case headline's verb and the next name of an unpunctuated list
 * are not part of a three-word name; a byline's middle name is. */
Test(people, headline_words_and_listed_names_do_not_extend_a_name)
{
    extract_result *r = th_extract("t.txt", "Council News\n\n"
                                            "Evangelical Leader Tony Perkins Blasts Rex Tillerson as Pick for State\n\n"
                                            "By Carl Erik Fisher\n\n"
                                            "The squad: Tomas Soucek Declan Rice Michael Antonio\n\n"
                                            "John Jacob Astor arrived in New York.\n");
    cr_assert(r);
    const char *want[] = {"Tony Perkins", "Carl Erik Fisher", "Declan Rice", "John Jacob Astor"};
    for (size_t w = 0; w < 4; w++) {
        int found = 0;
        for (size_t i = 0; i < r->ms.n; i++)
            found |= r->ms.v[i].kind == MENTION_PERSON && !strcmp(r->ms.v[i].person.name, want[w]);
        cr_expect(found, "no person '%s'", want[w]);
    }
    for (size_t i = 0; i < r->ms.n; i++)
        if (r->ms.v[i].kind == MENTION_PERSON)
            cr_expect(strcmp(r->ms.v[i].person.name, "Tony Perkins Blasts") &&
                          strcmp(r->ms.v[i].person.name, "Declan Rice Michael"),
                      "name ran on: %s", r->ms.v[i].person.name);
    th_free(r);
}

Test(boiler, plain_text_teasers_and_newsletter_are_dropped)
{
    extract_result *r = th_extract("t.txt", "The Daily Ledger | Homepage\nCouncil misses target\n\nCouncil misses target\n\n"
                                            "The council missed 12 of its 20 targets, the cabinet heard on Monday.\n\n"
                                            "Similar Articles\n\nMayor spends \xC2\xA3" "5m on parks\n\nComments are closed.");
    cr_assert(r);
    cr_assert_str_eq(r->d->site, "The Daily Ledger");
    cr_assert_str_eq(r->d->title, "Council misses target");
    cr_assert_null(strstr(r->d->text, "parks"), "teaser kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Homepage"));
    cr_assert(strstr(r->d->text, "12 of its 20"));
    th_free(r);
}

Test(boiler, html_chrome_is_dropped_and_article_kept)
{
    const char *page =
        "<html><head><title>Budget gap widens | Ledger</title>"
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-03-05T08:00:00Z\"}</script>"
        "</head><body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">News</a></li></ul></nav>"
        "<div class=\"share-bar\"><a href=\"#\">Share on Facebook</a></div>"
        "<article><h1>Budget gap widens</h1><p>The council faces a gap of \xC2\xA3" "12.5m next year, officials said, "
        "and plans cuts to libraries, parks and youth services to close it.</p>"
        "<p>Councillors will vote on the plan in March, after a consultation that drew 1,204 responses.</p></article>"
        "<aside class=\"related\"><h3>Related articles</h3><p><a href=\"/x\">Council tax to rise by 4.99 per cent "
        "across the borough</a></p></aside><footer>Copyright 2024</footer></body></html>";
    extract_result *r = th_extract("p.html", page);
    cr_assert(r);
    cr_assert_str_eq(r->d->published, "2024-03-05");
    cr_assert_str_eq(r->d->title, "Budget gap widens");
    cr_assert(strstr(r->d->text, "1,204 responses"));
    cr_assert_null(strstr(r->d->text, "4.99"), "related teaser kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Share on"), "share bar kept");
    cr_assert_null(strstr(r->d->text, "Copyright"));
    th_free(r);
}

/* A headline above the article container brings the standfirst and the
 * dateline that stand between them; a share line between them stays out. */
Test(boiler, the_standfirst_between_headline_and_article_is_kept)
{
    const char *page =
        "<html><head><title>Libraries to close | Ledger</title></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><main><header><h1>Libraries to close</h1>"
        "<p class=\"standfirst\">Four branches shut in April</p><p>5 March 2024</p>"
        "<div class=\"share-tools\"><a href=\"#\">Share</a></div></header>"
        "<div class=\"body\"><p>The council will close four of its 11 libraries in April, saving \xC2\xA3" "1.2m a year, "
        "the cabinet agreed on Tuesday after a long debate.</p>"
        "<p>Campaigners, who gathered 5,000 signatures, said the closures would hit the poorest wards, "
        "where fewer homes have the internet.</p></div></main>"
        "<footer>Copyright 2024</footer></body></html>";
    extract_result *r = th_extract("lib.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "5,000 signatures"), "text: %s", r->d->text);
    cr_assert(strstr(r->d->text, "Libraries to close"), "headline dropped: %s", r->d->text);
    cr_assert(strstr(r->d->text, "Four branches shut"), "standfirst dropped: %s", r->d->text);
    cr_assert(strstr(r->d->text, "5 March 2024"), "dateline dropped: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Share"), "share line kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Copyright"));
    th_free(r);
}

/* The logo's <h1> is not the headline: the one nearest the article is, and
 * the section "More on this story" between them stays out. */
Test(boiler, the_headline_is_the_h1_nearest_the_article)
{
    const char *page =
        "<html><head><title>Island news</title></head><body><header><h1><a href=\"/\">Ledger</a></h1></header>"
        "<div class=\"page\"><div class=\"head\"><h1>Ferry service to end</h1><p>The island loses its only link to "
        "the mainland after 70 years of sailings</p><h4>More on this story</h4><p><a href=\"/h\">Harbour repairs to cost "
        "\xC2\xA3" "3m, engineers say</a></p></div>"
        "<div class=\"main\"><p>The operator will stop the crossing on 1 May, it said on Monday, after losing "
        "\xC2\xA3" "400,000 a year on the route since the pandemic.</p><p>The 220 people who live on the island will "
        "have to rely on a weekly supply boat, the council said.</p><p>A petition against the closure, started by the "
        "island's school, has drawn 1,500 signatures, more than six times the island's population.</p></div></div>"
        "</body></html>";
    extract_result *r = th_extract("ferry.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "Ferry service to end"), "headline dropped: %s", r->d->text);
    cr_assert(strstr(r->d->text, "after 70 years"), "standfirst dropped: %s", r->d->text);
    cr_assert(strstr(r->d->text, "1,500 signatures"), "text: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "More on this story"), "section heading kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Ledger"), "logo kept: %s", r->d->text);
    th_free(r);
}

/* A paragraph that names teasers drops them, not the prose after them. */
Test(boiler, a_paragraph_that_opens_teasers_drops_them_and_no_more)
{
    const char *page =
        "<html><body><article><h1>Gebühren steigen</h1>"
        "<p>Der Stadtrat hat am Montag beschlossen, die Gebühren für Müll und Abwasser um 4,5 Prozent zu erhöhen, "
        "wie die Verwaltung mitteilte.</p>"
        "<p>Auch interessant:</p><ul><li><a href=\"/a\">Neue Bäder für die Stadt</a></li>"
        "<li><a href=\"/b\">Wer zahlt die Grundsteuer?</a></li></ul>"
        "<p>Die Opposition kritisierte den Beschluss, weil viele Familien schon jetzt mehr als 900 Euro im Jahr "
        "zahlen müssen.</p></article></body></html>";
    extract_result *r = th_extract("teaser.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "4,5 Prozent"), "text: %s", r->d->text);
    cr_assert(strstr(r->d->text, "900 Euro"), "prose after the teasers dropped: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Auch interessant"), "opener kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Grundsteuer"), "teaser kept: %s", r->d->text);
    th_free(r);
}

/* Cards of a linked headline and a summary are teasers, even inside the
 * article; a subheading that is not a link keeps its section. */
Test(boiler, teaser_cards_with_a_linked_headline_are_dropped)
{
    const char *page =
        "<html><body><main><h1>Bus fares frozen</h1>"
        "<p>The combined authority will freeze bus fares at \xC2\xA3" "2 until March, the mayor said on Friday, at a cost "
        "of \xC2\xA3" "8m from the transport budget.</p><h2>What it means</h2>"
        "<p>Passengers on the 40 busiest routes, who make 60 per cent of all journeys, will save about \xC2\xA3" "3 a week, "
        "according to the authority's own figures.</p>"
        "<div class=\"card\"><h3><a href=\"/t1\">Tram line to open a year late</a></h3>"
        "<p>Engineers found faults in 12 of the new bridges, delaying the line to 2026.</p></div>"
        "<div class=\"card\"><h3><a href=\"/t2\">Council tax to rise by 4.99 per cent</a></h3>"
        "<p>The increase is the largest allowed without a referendum.</p></div></main></body></html>";
    extract_result *r = th_extract("cards.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "60 per cent"), "section under a plain subheading dropped: %s", r->d->text);
    cr_assert(strstr(r->d->text, "What it means"), "text: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "12 of the new bridges"), "teaser card kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "4.99"), "teaser card kept: %s", r->d->text);
    th_free(r);
}

/* A page laid out in one table cell: a boilerplate heading in the article's
 * own container closes its section at the next heading of its level, not
 * the rest of the page. */
Test(boiler, a_section_in_the_article_container_ends_at_the_next_heading)
{
    const char *page =
        "<html><body><table><tr><td><h2>Parking charges to double</h2>"
        "<p>Parking in the town centre will cost \xC2\xA3" "4 an hour from June, up from \xC2\xA3" "2, after the council "
        "voted 31 to 20 to raise the charges.</p><h3>Most read</h3><ol><li><a href=\"/a\">Mayor quits after 12 days</a></li>"
        "<li><a href=\"/b\">Fire at the depot</a></li></ol><h3>Traders object</h3>"
        "<p>Traders said the rise would drive shoppers to the retail park, where parking is free, and asked for a "
        "review in a year.</p></td></tr></table></body></html>";
    extract_result *r = th_extract("table.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "31 to 20"), "text: %s", r->d->text);
    cr_assert(strstr(r->d->text, "retail park"), "text after the section dropped: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Mayor quits"), "most read kept: %s", r->d->text);
    th_free(r);
}

/* Affiliate disclaimers, as a line or under a heading, are not the article. */
Test(boiler, affiliate_disclaimers_are_dropped)
{
    const char *page =
        "<html><body><article><h1>The best rail cards</h1>"
        "<p>This post may contain affiliate links; we earn a small fee when you buy through them.</p>"
        "<p>A railcard costs \xC2\xA3" "35 a year and takes a third off most fares, so it pays for itself after about "
        "\xC2\xA3" "105 of travel, the operators say.</p>"
        "<h3>Advertiser Disclosure</h3><p>Many of the cards on this page come from partners who pay us, which may "
        "affect where they appear.</p></article></body></html>";
    extract_result *r = th_extract("cards.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "a third off most fares"), "text: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "affiliate"), "disclaimer line kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "partners who pay"), "disclosure section kept: %s", r->d->text);
    th_free(r);
}

/* Section headings and boilerplate lines of other languages, capitals with
 * accents, a paragraph's own class, and compound class names. */
Test(boiler, sections_in_other_languages_and_classes_of_the_paragraph_itself)
{
    const char *page =
        "<html lang=\"de\"><body><article><h1>Der Haushalt wird knapp</h1>"
        "<p>Der Stadtrat hat am Montag den Haushalt f\xC3\xBCr das kommende Jahr beschlossen, mit K\xC3\xBCrzungen bei "
        "den B\xC3\xA4" "dern und den Bibliotheken.</p>"
        "<p class=\"newsletter-teaser\">Keine Neuigkeiten mehr verpassen: Abonnieren Sie jetzt unseren kostenlosen "
        "Newsletter mit allen Meldungen aus dem Rathaus.</p>"
        "<p>Die Opposition kritisierte die Pl\xC3\xA4ne, weil die Geb\xC3\xBChren um zw\xC3\xB6lf Prozent steigen.</p>"
        "<div class=\"post-author-bio\"><p>Anna Beispiel schreibt seit 2010 \xC3\xBC" "ber die Stadtpolitik und die "
        "Finanzen der Gemeinden im Land.</p></div>"
        "<h2>\xC3\x9C" "ber den Autor</h2><p>Max Muster ist Redakteur im Ressort Politik und lebt mit seiner Familie in "
        "der Stadt.</p>"
        "</article><div><h3>Mehr zum Thema</h3><p><a href=\"/a\">Stadtrat streitet \xC3\xBC" "ber die Grundsteuer</a></p>"
        "</div></body></html>";
    extract_result *r = th_extract("de.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "zw\xC3\xB6lf Prozent"), "text: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Newsletter"), "own class ignored: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Anna Beispiel"), "compound class ignored: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Max Muster"), "section under a capital with an accent kept: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Grundsteuer"), "text: %s", r->d->text);
    th_free(r);
}

/* A class that places an element ("page-above-footer") does not make it the
 * footer; the part before the place still names it ("nav-below-header"). */
Test(boiler, a_class_that_places_an_element_names_only_its_first_part)
{
    const char *page =
        "<html><body><div class=\"nav-below-header\"><p>Browse our sections on housing, transport, schools, parks, "
        "libraries and the council budget, or search the archive.</p></div>"
        "<div class=\"intro\"><p>Sign in to save articles, follow topics and get alerts, and manage your account.</p></div>"
        "<div class=\"page-above-footer\"><div class=\"body\"><h1>Bus lanes to open</h1>"
        "<p>Three new bus lanes will open in May, the council said, cutting journey times on the A34 by up to 12 "
        "minutes at peak hours, according to its own modelling.</p>"
        "<p>The scheme cost \xC2\xA3" "4.2m, of which \xC2\xA3" "3m came from a government grant, and drew 640 "
        "responses in a consultation last year.</p></div></div></body></html>";
    extract_result *r = th_extract("placed.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "12 minutes"), "article above the footer dropped: %s", r->d->text);
    cr_assert(strstr(r->d->text, "640 responses"), "text: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "Browse our sections"), "nav below the header kept: %s", r->d->text);
    th_free(r);
}

/* Reader comments under a heading that names them weigh as boilerplate: three
 * long ones do not outweigh a short article. */
Test(boiler, a_comment_section_does_not_beat_the_article)
{
    char page[8192];
    int n = snprintf(page, sizeof page,
                     "<html><body><div class=\"story\"><h1>Pool to close for repairs</h1>"
                     "<p>The leisure centre pool will close for six weeks from July while its roof is repaired, at a "
                     "cost of \xC2\xA3" "850,000, the council said on Tuesday.</p>"
                     "<p>Swimmers can use the pool at the college in the meantime, and season tickets will be "
                     "extended by six weeks.</p></div>"
                     "<div class=\"section-head\"><h2>Leserkommentare</h2></div><div class=\"thread\"><ul>");
    for (int i = 0; i < 3; i++)
        n += snprintf(page + n, sizeof page - (size_t)n,
                      "<li><h4>Reader %d</h4><p>I have swum there for years, and frankly, the roof has leaked since "
                      "the last repair, so I wonder why it took so long, and who will pay, and when.</p></li>",
                      i);
    snprintf(page + n, sizeof page - (size_t)n, "</ul></div></body></html>");
    extract_result *r = th_extract("comments.html", page);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "six weeks from July"), "article dropped: %s", r->d->text);
    cr_assert_null(strstr(r->d->text, "swum there"), "comments kept: %s", r->d->text);
    th_free(r);
}

Test(html, table_rows_are_blocks_with_tab_separated_cells)
{
    extract_result *r = th_extract("t.html", "<html><body><article><p>Performance against targets in the year to March, "
                                             "as reported to the cabinet, was mixed.</p><table><tr><th>Indicator</th><th>Actual</th>"
                                             "</tr><tr><td>Repairs on time</td><td>87%</td></tr></table></article></body></html>");
    cr_assert(r);
    cr_assert(strstr(r->d->text, "Repairs on time\t87%"), "text: %s", r->d->text);
    th_free(r);
}

/* A sentence wrapped with <br> stays one block (and one sentence, so its
 * figure keeps its subject); lines that stand alone stay apart. */
Test(html, a_br_inside_a_sentence_joins_and_lines_that_stand_alone_split)
{
    extract_result *r = th_extract(
        "br.html", "<html><body><article>"
                   "<p>The council said the number of children waiting for an assessment<br>\nfell to 120 in March.</p>"
                   "<p>Northmoor City Council<br>Town Hall<br>NM1 1AA</p>"
                   "<p>The target was met.<br>nothing else changed.</p>"
                   "<p>Two breaks<br><br>end a line.</p>"
                   "<pre><code>int x = 1<br>x = x + 1</code></pre>"
                   "</article></body></html>");
    cr_assert(r);
    const char *t = r->d->text;
    cr_assert(strstr(t, "waiting for an assessment fell to 120 in March."), "text: %s", t);
    cr_assert(strstr(t, "Northmoor City Council\n"), "text: %s", t);
    cr_assert(strstr(t, "\nTown Hall\n"), "text: %s", t);
    cr_assert(strstr(t, "The target was met.\n"), "a finished sentence ends its line: %s", t);
    cr_assert(strstr(t, "Two breaks\n"), "text: %s", t);
    cr_assert(strstr(t, "int x = 1\n"), "code lines stay lines: %s", t);
    /* The joined sentence is one sentence, with its figure inside. */
    int found = 0;
    for (size_t k = 0; k < r->nsent && !found; k++) {
        char *sent = cs_xstrndup(t + r->sents[k].start, r->sents[k].end - r->sents[k].start);
        found = strstr(sent, "120") && strstr(sent, "children waiting");
        free(sent);
    }
    cr_assert(found, "the figure's sentence starts before the <br>");
    th_free(r);
}

/* JSON-LD wrapped in CDATA (as some sites and page savers write it) is read
 * like bare JSON-LD: date, headline, author and publisher. */
Test(html, json_ld_inside_cdata_is_read)
{
    extract_result *r = th_extract(
        "ld.html", "<html><head><script type=\"application/ld+json\">\n  <![CDATA[\n  {\"@context\":\"https://schema.org\","
                   "\"@type\":\"NewsArticle\",\"headline\":\"Council misses repair targets\",\"datePublished\":"
                   "\"2024-06-25T09:00:00Z\",\"author\":\"Ann Example\",\"publisher\":{\"name\":\"The Ledger\"}}\n"
                   "  ]]>\n</script></head><body><article><p>Repairs completed on time stood at 80 per cent, against a "
                   "target of 90 per cent, the council said in its quarterly report.</p></article></body></html>");
    cr_assert(r);
    cr_expect_str_eq(r->d->published ? r->d->published : "", "2024-06-25");
    cr_expect_str_eq(r->d->title ? r->d->title : "", "Council misses repair targets");
    cr_expect_str_eq(r->d->byline ? r->d->byline : "", "Ann Example");
    cr_expect_str_eq(r->d->site ? r->d->site : "", "The Ledger");
    th_free(r);
}

/* An encyclopaedia's JSON-LD "headline" is a description; the page's own
 * title and h1 name it. */
Test(html, a_json_ld_headline_unlike_the_page_title_gives_way_to_the_h1)
{
    extract_result *r = th_extract(
        "wiki.html", "<html><head><title>Northmoor - Wikipedia</title><script type=\"application/ld+json\">"
                     "{\"@type\":\"Article\",\"name\":\"Northmoor\",\"headline\":\"city in the north of England\"}"
                     "</script></head><body><h1>Northmoor</h1><div id=\"content\"><p>Northmoor is a city with a "
                     "population of 310,000, governed by Northmoor City Council, which was rated inadequate.</p>"
                     "</div></body></html>");
    cr_assert(r);
    cr_expect_str_eq(r->d->title ? r->d->title : "", "Northmoor");
    th_free(r);
}

/* A page with head and, before its one paragraph of prose, lead inside the
 * article; extracted (never NULL). */
static extract_result *page_with(const char *head, const char *lead)
{
    char page[2048];
    snprintf(page, sizeof page, "<html><head>%s</head><body><article>%s<p>The council met 12 of its 20 targets "
             "this year, according to the annual performance report published on Tuesday.</p></article></body></html>",
             head, lead);
    extract_result *r = th_extract("page.html", page);
    cr_assert(r);
    return r;
}

/* The author from the page's byline element, as a name: "By", the date
 * and the job title are not part of it. */
Test(html, byline_elements_give_the_author_name)
{
    static const struct {
        const char *html, *want;
    } cases[] = {
        {"<p class=\"byline\">By Hannah Cole, local democracy reporter</p>", "Hannah Cole"},
        {"<div class=\"meta\"><span class=\"author vcard\"><a rel=\"author\" href=\"/a/jm\">Jo Marsh</a></span>"
         " Games Editor</div>", "Jo Marsh"},
        {"<div class=\"byline\">By GILLIAN MOHNEY March 11, 2015 3:46 PM</div>", "GILLIAN MOHNEY"},
        {"<div class=\"author\">Share this article on social media with your friends</div>", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        extract_result *r = page_with("", cases[i].html);
        cr_expect_str_eq(r->d->byline ? r->d->byline : "", cases[i].want, "case %zu", i);
        th_free(r);
    }
}

/* The site's name: og:site_name over application-name; from a title
 * suffix only its last segment, and only when it reads as a name. */
Test(html, site_name_sources_and_title_suffixes)
{
    static const struct {
        const char *head, *want;
    } cases[] = {
        {"<meta name=\"application-name\" content=\"Council misses repair targets again\">"
         "<meta property=\"og:site_name\" content=\"MSN\">", "MSN"},
        {"<title>Council misses repair targets | Local news | The Ledger</title>", "The Ledger"},
        {"<title>How we designed the repair tracker - an async task framework</title>", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        extract_result *r = page_with(cases[i].head, "");
        cr_expect_str_eq(r->d->site ? r->d->site : "", cases[i].want, "case %zu", i);
        th_free(r);
    }
}

Test(html, a_page_that_is_not_html_gets_a_sane_result)
{
    extract_result *r = th_extract("data.html", "{\"budget\": 1200000, \"note\": \"not a web page at all\"}");
    cr_assert(r, "JSON in a .html file must not fail the pipeline");
    cr_assert(strstr(r->d->text, "not a web page"), "its text is kept: %s", r->d->text);
    th_free(r);
    r = th_extract("x.html", "<<<>>><p<<p>>>\x01 & &#xFFFFFFFF; &bogus; </div></div></html>");
    cr_assert(r);
    th_free(r);
}

/* libxml2's HTML parser does not read a DOCTYPE's internal subset; its
 * declarations must not reach the text. */
Test(html, doctype_entity_declarations_stay_out_of_the_text)
{
    extract_result *r = th_extract("dt.html", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x.dtd\" [\n"
                                              "<!ENTITY council \"Northmoor ]> Council\">\n<!-- ] -->\n"
                                              "<!ATTLIST p id ID #IMPLIED>\n]>\n<html><body><p>Short.</p></body></html>");
    cr_assert(r);
    cr_assert_str_eq(r->d->text, "Short.");
    th_free(r);
    r = th_extract("dt2.html", "<!DOCTYPE html [<!ENTITY a \"b\">]><p>Text here.</p>");
    cr_assert(r);
    cr_assert_str_eq(r->d->text, "Text here.");
    /* 46: where "Text here." ends in the input. */
    cr_assert_eq(r->d->blocks[0].src_off, 46, "offsets stay the input's: %zu", r->d->blocks[0].src_off);
    th_free(r);
}

/* Two ways a page's text was lost whole: a <head> with no <html> before it
 * (libxml2 dropped everything after the title), and a <noscript> that an
 * unclosed element inside keeps open (libxml2 never ends it). */
Test(html, a_page_without_html_tag_or_with_an_unclosed_noscript_keeps_its_text)
{
    extract_result *r = th_extract("h.html", "<!DOCTYPE html><head><meta charset=\"UTF-8\"><title>Budget vote</title>"
                                             "<link rel=\"preconnect\" href=\"https://x.example/\" crossorigin></head>"
                                             "<body><article><p>The council approved the budget on Monday after a "
                                             "debate that lasted four hours.</p></article></body></html>");
    cr_assert(r);
    cr_assert(strstr(r->d->text, "debate that lasted four hours"), "text: %s", r->d->text);
    cr_assert_str_eq(r->d->title, "Budget vote");
    th_free(r);
    r = th_extract("n.html", "<html><head><title>T</title></head><body><noscript><div id=\"nojs\"></noscript>"
                             "<div class=\"page\"><div class=\"top\"><div class=\"logo\"></div></div><div><div>"
                             "<article><p>The council approved the budget on Monday after a debate that lasted four "
                             "hours.</p></article></div></div></div><noscript><p>Please enable JavaScript.</p></noscript>"
                             "</body></html>");
    cr_assert(r);
    cr_assert(strstr(r->d->text, "debate that lasted four hours"), "text: %s", r->d->text);
    th_free(r);
}

Test(html, deeply_nested_and_truncated_pages_do_not_crash)
{
    size_t depth = 10000;
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<html><body>");
    for (size_t i = 0; i < depth; i++)
        buf_puts(&b, "<div>");
    buf_puts(&b, "<p>The council spent \xC2\xA3" "3m on the scheme, a sum that drew objections.</p>");
    buf_puts(&b, "<p>Unclosed <b>tags and a truncated <a href=\"x");
    extract_result *r = th_extract("deep.html", buf_str(&b));
    cr_assert(r, "the pipeline must survive a 10,000-level page");
    buf_free(&b);
    th_free(r);
    r = th_extract("empty.html", "");
    cr_assert(r);
    cr_assert_eq(r->d->text_len, 0);
    th_free(r);
}
