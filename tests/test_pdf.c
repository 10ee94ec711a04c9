/* PDF input: layout on geometry made up for each test (reflow, tables,
 * running lines, pages), then the corpus PDFs through the whole pipeline,
 * and bad PDFs through the CLI. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "layout.h"
#include "pdf.h"

/* Adds the words of s (split on spaces) as one line at baseline band
 * [y, y + size], starting at x, each word 0.5 em per character wide with a
 * 0.25 em space; "|" moves to the next column, every 150 points from x. */
static void line_at(layout *l, double x, double y, double size, int bold, const char *s)
{
    double cx = x;
    int col = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        if (*s == '|') {
            cx = x + 150 * ++col;
            s++;
            continue;
        }
        size_t n = strcspn(s, " |");
        if (!n)
            break;
        double w = 0.5 * size * (double)n;
        layout_add_word(l, s, n, cx, y, cx + w, y + size, size, bold);
        cx += w + 0.25 * size;
        s += n;
    }
}

static doc *laid_out(layout *l)
{
    doc *d = doc_new("test.pdf");
    d->is_pdf = 1;
    layout_emit(l, d);
    layout_free(l);
    doc_build_text(d);
    return d;
}

static const char *block(const doc *d, size_t i, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s", (int)d->blocks[i].len, doc_block_text(d, i));
    return out;
}

Test(layout, wrapped_lines_make_one_paragraph)
{
    layout *l = layout_new();
    layout_begin_page(l, 600, 800);
    line_at(l, 50, 100, 12, 1, "Summary");
    line_at(l, 50, 130, 12, 0, "The council answered most calls within a well-");
    line_at(l, 50, 144, 12, 0, "defined time and the share of calls answered");
    line_at(l, 50, 158, 12, 0, "rose to 82 per cent.");
    line_at(l, 50, 190, 12, 0, "A second paragraph starts after a blank band.");
    layout_end_page(l);
    doc *d = laid_out(l);
    char b[512];
    cr_assert_eq(d->nblocks, 3, "%zu blocks", d->nblocks);
    cr_assert_eq(d->blocks[0].kind, DOC_BLOCK_HEADING);
    cr_assert_str_eq(block(d, 1, b, sizeof b), "The council answered most calls within a well-defined time and the share "
                                                  "of calls answered rose to 82 per cent.");
    cr_assert_eq(d->blocks[2].kind, DOC_BLOCK_PARA);
    cr_assert_eq(d->blocks[1].page, 1);
    doc_free(d);
}

/* One line of a made-up page: its top, font size, weight and words ("|"
 * for the next column, as line_at). */
typedef struct {
    double y, size;
    int bold;
    const char *s;
} pline;

/* The document of one page of lines, each starting at x = 50. */
static doc *page_of(const pline *lines, size_t n)
{
    layout *l = layout_new();
    layout_begin_page(l, 600, 800);
    for (size_t i = 0; i < n; i++)
        line_at(l, 50, lines[i].y, lines[i].size, lines[i].bold, lines[i].s);
    layout_end_page(l);
    return laid_out(l);
}

/* Expects exactly the blocks want[0..n) in d, in order (NULL: any text). */
static void expect_blocks(const doc *d, const char *const *want, size_t n)
{
    char b[1024];
    cr_assert_eq(d->nblocks, n, "%zu blocks, not %zu", d->nblocks, n);
    for (size_t i = 0; i < n; i++)
        if (want[i])
            cr_expect_str_eq(block(d, i, b, sizeof b), want[i], "block %zu", i);
}

#define N_OF(a) (sizeof(a) / sizeof *(a))

Test(layout, bullets_and_paragraph_numbers_are_labels)
{
    static const pline p[] = {{100, 12, 0, "\xE2\x80\xA2 | Mere Green play area is open."},
                              {120, 12, 0, "12 | Apologies for absence were received."}};
    static const char *const want[] = {"Mere Green play area is open.", "Apologies for absence were received."};
    doc *d = page_of(p, N_OF(p));
    expect_blocks(d, want, N_OF(want));
    cr_assert_eq(d->blocks[0].kind, DOC_BLOCK_ITEM);
    doc_free(d);
}

Test(layout, a_table_becomes_rows_of_cells)
{
    static const pline p[] = {{100, 10, 0, "The table shows the indicators."},
                              {130, 10, 1, "Indicator | Actual | Target"},
                              {145, 10, 0, "Calls | 82% | 85%"},
                              {160, 10, 0, "Waste | 43.5% | 45%"}};
    static const char *const want[] = {NULL, "Indicator\tActual\tTarget", "Calls\t82%\t85%", "Waste\t43.5%\t45%"};
    doc *d = page_of(p, N_OF(p));
    expect_blocks(d, want, N_OF(want));
    cr_assert_eq(d->blocks[1].kind, DOC_BLOCK_ROW);
    doc_free(d);
}

Test(layout, a_cell_that_wraps_stays_one_cell)
{
    static const pline p[] = {{100, 10, 0, "Judgement | Grade"},
                              {125, 10, 0, "The impact of leaders | Good"},
                              {137, 10, 0, "on social work"},
                              {162, 10, 0, "Overall effectiveness | Inadequate"}};
    static const char *const want[] = {NULL, "The impact of leaders on social work\tGood",
                                       "Overall effectiveness\tInadequate"};
    doc *d = page_of(p, N_OF(p));
    expect_blocks(d, want, N_OF(want));
    doc_free(d);
}

/* A first page without text (a scan, a cover image) leaves no words yet. */
Test(layout, a_page_without_text_before_text)
{
    layout *l = layout_new();
    layout_begin_page(l, 600, 800);
    layout_end_page(l);
    layout_begin_page(l, 600, 800);
    line_at(l, 50, 100, 12, 0, "Text on the second page.");
    layout_end_page(l);
    doc *d = laid_out(l);
    cr_assert_eq(d->nblocks, 1);
    cr_assert_eq(d->blocks[0].page, 2);
    cr_assert_eq(doc_page_at(d, 0), 2);
    doc_free(d);
}

Test(layout, running_lines_and_page_numbers_are_dropped_with_the_reason)
{
    layout *l = layout_new();
    for (int p = 1; p <= 3; p++) {
        char num[32];
        snprintf(num, sizeof num, "Page %d of 3", p);
        layout_begin_page(l, 600, 800);
        line_at(l, 50, 30, 8, 0, "Northmoor City Council Cabinet 12 February 2025");
        line_at(l, 50, 300, 12, 0, p == 2 ? "Text of the second page." : "Text of a page.");
        line_at(l, 250, 770, 8, 0, num);
        layout_end_page(l);
    }
    doc *d = laid_out(l);
    size_t kept = 0, header = 0, number = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        kept += d->blocks[i].keep;
        header += !d->blocks[i].keep && strstr(d->blocks[i].why, "running header") != NULL;
        number += !d->blocks[i].keep && !strcmp(d->blocks[i].why, "page number");
    }
    cr_assert_eq(kept, 3);
    cr_assert_eq(header, 3);
    cr_assert_eq(number, 3);
    cr_assert_eq(d->pages, 3);
    doc_free(d);
}

Test(layout, a_paragraph_runs_on_across_a_page_break_with_its_pages)
{
    layout *l = layout_new();
    layout_begin_page(l, 600, 800);
    line_at(l, 50, 100, 12, 0, "The number of children waiting for an assessment");
    line_at(l, 50, 114, 12, 0, "fell from 310 in December 2023 to 184 at the end");
    layout_end_page(l);
    layout_begin_page(l, 600, 800);
    line_at(l, 50, 100, 12, 0, "of December 2024, below the target of 150.");
    layout_end_page(l);
    doc *d = laid_out(l);
    cr_assert_eq(d->nblocks, 1, "%zu blocks", d->nblocks);
    const char *t = d->text, *second = strstr(t, "of December 2024");
    cr_assert(second);
    cr_assert_eq(doc_page_at(d, 0), 1);
    cr_assert_eq(doc_page_at(d, (size_t)(strstr(t, "184") - t)), 1);
    cr_assert_eq(doc_page_at(d, (size_t)(second - t)), 2);
    cr_assert_eq(doc_page_at(d, (size_t)(strstr(t, "150") - t)), 2);
    doc_free(d);
}

/* ---- the corpus PDFs -------------------------------------------------------- */

static extract_result *extract_file(const char *path)
{
    cs_error err;
    doc *d = load_file(path, 0, &err);
    cr_assert(d, "%s: %s", path, err.msg);
    cr_assert(d->is_pdf, "%s is a PDF by its content", path);
    extract_result *r = cs_xcalloc(1, sizeof *r);
    cr_assert_eq(extract_document(d, th_rules(), r, NULL, &err), CS_OK, "%s", err.msg);
    return r;
}

static const mention *find_text(const extract_result *r, mention_kind k, const char *text)
{
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        if (m->kind == k && m->end - m->start == strlen(text) && !memcmp(r->d->text + m->start, text, m->end - m->start))
            return m;
    }
    return NULL;
}

Test(pdf, cabinet_report_reads_with_pages_title_and_no_running_lines)
{
    extract_result *r = extract_file("corpus/northmoor-cabinet-performance-q3-2024-25.pdf");
    const doc *d = r->d;
    cr_assert_eq(d->pages, 3);
    cr_assert_str_eq(d->title, "Quarterly Performance Report, Quarter 3 2024/25");
    cr_assert(!strstr(d->text, "Page 1 of 3"), "page numbers are dropped");
    cr_assert(!strstr(d->text, "Northmoor City Council \xE2\x80\x94 Cabinet"), "the running header is dropped");
    const mention *m = find_text(r, MENTION_FIGURE, "43.5%");
    cr_assert(m && doc_page_at(d, m->start) == 1);
    m = find_text(r, MENTION_FIGURE, "71%");
    cr_assert(m && doc_page_at(d, m->start) == 1, "the table on page 1");
    cr_assert(strstr(d->text, "Calls to the contact centre answered within 60 seconds\t82%\t85%\t80%\tAmber"),
              "table rows keep their cells");
    /* "50%¹": the footnote marker is a superscript, not a figure. */
    cr_assert(strstr(d->text, "50%\xC2\xB9"), "footnote marker");
    for (size_t i = 0; i < r->ms.n; i++)
        cr_assert(!(r->ms.v[i].kind == MENTION_FIGURE && r->ms.v[i].fig.value == 1 && !strcmp(r->ms.v[i].fig.unit, "count")),
                  "a footnote marker read as a figure");
    /* Section numbers ("1.1", "2.") are labels, not figures. */
    cr_assert(!strstr(d->text, "1.1 "), "paragraph numbers are taken off");
    th_free(r);
}

Test(pdf, budget_tables_take_their_money_scale_and_bracketed_negatives)
{
    extract_result *r = extract_file("corpus/northmoor-budget-monitoring-q3-2024-25.pdf");
    cr_assert(strstr(r->d->text, "Place\t64.8\t63.6\t(1.2)\t(0.9)"), "%s", r->d->text);
    const mention *m = find_text(r, MENTION_FIGURE, "(1.2)");
    cr_assert(m, "the bracketed cell is one figure, brackets included");
    cr_assert_float_eq(m->fig.value, -1200000, 0.5, "\"All figures in \xC2\xA3m\": (1.2) is -\xC2\xA3" "1.2m");
    cr_assert_str_eq(m->fig.unit, "GBP");
    cr_assert_float_eq(m->fig.scale, 1e6, 0.5);
    m = find_text(r, MENTION_FIGURE, "24,500");
    cr_assert(m && m->fig.value == 24500000 && m->fig.scale == 1e3, "a \xC2\xA3" "000 table");
    m = find_text(r, MENTION_FIGURE, "(1,300)");
    cr_assert(m && m->fig.value == -1300000);
    m = find_text(r, MENTION_FIGURE, "\xC2\xA3" "4.2m");
    cr_assert(m && m->fig.value == 4200000 && !m->fig.scale, "money in prose keeps its own scale");
    cr_assert_null(find_text(r, MENTION_FIGURE, "\xC2\xA3" "000"), "a unit heading is no amount");
    th_free(r);
}

/* A scale is named by a whole word after the "£": "£bn" is billions, "£bil"
 * names none, so the caption's thousands apply to its column. */
Test(pdf, a_money_scale_is_a_whole_word)
{
    extract_result *r = th_extract("capital.html",
                                   "<html><body><p>Capital programme by service. All figures in \xC2\xA3" "000.</p>"
                                   "<table><tr><th>Service</th><th>Budget</th><th>\xC2\xA3" "bn</th><th>\xC2\xA3" "bil</th></tr>"
                                   "<tr><td>Highways</td><td>4,250</td><td>1.5</td><td>2.5</td></tr></table></body></html>");
    cr_assert(r);
    static const struct {
        const char *text;
        double value;
    } want[] = {{"4,250", 4250000}, {"1.5", 1.5e9}, {"2.5", 2500}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const mention *m = find_text(r, MENTION_FIGURE, want[i].text);
        cr_assert(m, "no figure %s", want[i].text);
        cr_expect_float_eq(m->fig.value, want[i].value, 0.5, "%s: %g", want[i].text, m->fig.value);
        cr_expect_str_eq(m->fig.unit, "GBP");
    }
    th_free(r);
}

/* ---- bad PDFs through the CLI ------------------------------------------------ */

Test(pdf, truncated_and_fake_pdfs_are_clear_errors_and_others_go_on)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "t=$(mktemp -d) && head -c 20000 corpus/northmoor-cabinet-minutes-2025-02-12.pdf > $t/trunc.pdf && "
             "printf '%%%%PDF-1.7\\n%%%%%%%%EOF\\n' > $t/fake.pdf && "
             "%s extract $t/trunc.pdf $t/fake.pdf corpus/northmoor-budget-monitoring-q3-2024-25.pdf 2>&1 >$t/out.jsonl"
             " | sed \"s|$t/||\"; grep -c '\"kind\":\"figure\"' $t/out.jsonl; "
             "%s extract $t/trunc.pdf corpus/northmoor-budget-monitoring-q3-2024-25.pdf >/dev/null 2>&1; "
             "echo \"exit $?\"; rm -rf $t",
             th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "claimscan: trunc.pdf: not a readable PDF"), "%s", out);
    cr_assert(strstr(out, "claimscan: fake.pdf: not a readable PDF"), "%s", out);
    const char *ex = strstr(out, "exit ");
    cr_assert(ex && ex[5] == '1', "a bad PDF among good inputs is exit 1: %s", out);
    const char *count = ex;
    while (count > out && (count[-1] == '\n' || (count[-1] >= '0' && count[-1] <= '9')))
        count--;
    cr_assert(atoi(count) > 5, "the good PDF after the bad ones is read: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s extract corpus/northmoor-budget-monitoring-q3-2024-25.pdf | grep -c '\"page\":1'", th_bin());
    out = th_run(cmd, &st);
    cr_assert(atoi(out) > 10, "records carry their page: %s", out);
    free(out);
}

/* Binary bytes (not UTF-8) with "%PDF-" past their start that poppler
 * cannot read are neither PDF nor text: the message gives each reader's
 * own reason, and the next input is read. */
Test(pdf, a_damaged_pdf_behind_binary_bytes_tells_both_readers_reasons)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "t=$(mktemp -d) && { head -c 64 /dev/zero; printf '\\377\\376%%%%PDF-1.4\\n1 0 obj garbage\\n'; } > $t/scan.bin && "
             "%s extract $t/scan.bin corpus/northmoor-budget-statement.html >$t/out.jsonl 2>$t/err; "
             "echo \"exit $? figures $(grep -c '\"kind\":\"figure\"' $t/out.jsonl)\"; sed \"s|$t/||\" $t/err; rm -rf $t",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_expect(strstr(out, "claimscan: scan.bin: not a readable PDF (damaged or truncated: "), "%s", out);
    cr_expect(strstr(out, "; read as text: binary data (NUL byte at offset 0)"), "%s", out);
    cr_expect(!strncmp(out, "exit 1 figures ", 15) && atoi(out + 15) > 0, "the next input is read: %s", out);
    free(out);
}

/* "%PDF-" opens a PDF. Further into the first kilobyte (where readers still
 * look for it) it makes a PDF of binary bytes only: a note that quotes the
 * marker is text, in UTF-8 or in a legacy charset that poppler refuses. */
Test(pdf, the_marker_makes_a_pdf_only_where_readers_find_one)
{
    static const char *const notes[] = {
        "Scanner settings\n\nEvery file it writes starts with %PDF-1.4 and ends with %%EOF. "
        "The archive held 42 reports in 2023.\n",
        "Caf\xE9 notes\n\nFiles begin with %PDF-1.7 here. The archive held 42 reports in 2023.\n",
    };
    for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
        extract_result *r = th_extract("note.txt", notes[i]);
        cr_assert(r, "note %zu is read", i);
        cr_assert(!r->d->is_pdf, "note %zu is text", i);
        const mention *m = th_first(r, MENTION_FIGURE);
        cr_assert(m && m->fig.value == 42, "note %zu keeps its figures", i);
        th_free(r);
    }
    size_t n;
    char *pdf = th_read("corpus/northmoor-budget-monitoring-q3-2024-25.pdf", &n);
    cr_assert(pdf);
    static const char *const heads[] = {"\xEF\xBB\xBF\r\n", "Content-Type: application/pdf\r\n\r\n"};
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        size_t h = strlen(heads[i]);
        char *b = cs_xmalloc(h + n);
        memcpy(b, heads[i], h);
        memcpy(b + h, pdf, n);
        cs_error err;
        doc *d = load_bytes("report.pdf", b, h + n, &err);
        cr_assert(d && d->is_pdf, "a PDF behind %zu bytes of header is a PDF", h);
        extract_result *r = cs_xcalloc(1, sizeof *r);
        cr_assert_eq(extract_document(d, th_rules(), r, NULL, &err), CS_OK, "%s", err.msg);
        cr_assert_eq(r->d->pages, 1, "its pages are read");
        th_free(r);
        free(b);
    }
    free(pdf);
}

Test(pdf, encrypted_pdfs_are_refused_or_read_as_poppler_opens_them)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd, "%s extract tests/data/pdf-user-password.pdf tests/data/pdf-owner-password.pdf 2>&1 >/dev/null",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 1, "the locked PDF fails, the other is read");
    cr_assert(strstr(out, "claimscan: tests/data/pdf-user-password.pdf: encrypted PDF: it needs a password"), "%s", out);
    cr_assert(!strstr(out, "pdf-owner-password.pdf"), "a PDF that only restricts copying is read: %s", out);
    free(out);
    extract_result *r = extract_file("tests/data/pdf-owner-password.pdf");
    cr_assert(strstr(r->d->text, "Children's Services\t118.4\t122.6"), "the owner-password PDF's text is read");
    th_free(r);
}

Test(pdf, pages_without_text_are_named_and_the_document_is_kept)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd, "%s extract tests/data/pdf-scanned-pages.pdf 2>&1 | grep -v '^{'", th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "claimscan: tests/data/pdf-scanned-pages.pdf: pages 2-3 have no text layer (scanned; OCR not "
                          "supported)"),
              "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s extract tests/data/pdf-scanned-pages.pdf 2>/dev/null | grep -c '\"text\":\"1,240\"'",
             th_bin());
    out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "extract succeeds");
    cr_assert_eq(atoi(out), 1, "the page with text is read");
    free(out);
    extract_result *r = extract_file("tests/data/pdf-scanned-pages.pdf");
    cr_assert_eq(r->d->pages, 3);
    th_free(r);
}

/* A scorecard box, in prose or in a table-like line: one claim named by the
 * box's title, with floor, status and met. */
Test(pdf, scorecard_boxes_give_one_claim_per_indicator)
{
    extract_result *r = th_extract("box.txt", "Calls to the contact centre answered within 60 seconds\n\n"
                                              "Latest: 82% Target: 85% Floor: 75% Previous: 80% (Amber)\n\n"
                                              "Affordable homes delivered\n\n"
                                              "Latest: 318\tTarget: 300\tFloor: 240\tPrevious: 262\tGreen\n");
    cr_assert(r);
    cr_assert_eq(r->claims.n, 2, "%zu claims", r->claims.n);
    const claims_claim *c = &r->claims.v[0];
    cr_assert_str_eq(c->indicator, "Calls to the contact centre answered within 60 seconds");
    cr_assert(c->actual.set && c->actual.value == 82 && c->target.value == 85 && c->floor.value == 75 &&
              c->previous.value == 80);
    cr_assert_str_eq(c->status, "amber");
    cr_assert_eq(c->met, 0, "amber: not met");
    c = &r->claims.v[1];
    cr_assert_str_eq(c->indicator, "Affordable homes delivered");
    cr_assert(c->actual.value == 318 && c->floor.value == 240);
    cr_assert_str_eq(c->status, "green");
    cr_assert_eq(c->met, 1);
    th_free(r);
    extract_result *p = extract_file("corpus/northmoor-cabinet-performance-q3-2024-25.pdf");
    size_t boxes = 0;
    for (size_t i = 0; i < p->claims.n; i++)
        if (!strcmp(p->claims.v[i].rule, "claims:scorecard")) {
            boxes++;
            cr_assert_eq(doc_page_at(p->d, p->claims.v[i].start), 3, "the appendix is page 3");
        }
    cr_assert_eq(boxes, 6, "the appendix's six boxes: %zu", boxes);
    th_free(p);
}

/* A scorecard's floor and rating are stored and listed by claims, in the
 * table and in JSON. */
Test(pdf, the_floor_and_status_are_stored_and_listed)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && %s ingest -q --db $d/c.db corpus/northmoor-cabinet-performance-q3-2024-25.pdf && "
             "%s claims --db $d/c.db --indicator 'initial assessment' && "
             "%s claims --db $d/c.db --indicator 'initial assessment' --format jsonl; rc=$?; rm -rf $d; exit $rc",
             th_bin(), th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "%s", out);
    cr_expect(strstr(out, "actual 184  target 150  previous 221  floor 250  status amber  missed"), "%s", out);
    cr_expect(strstr(out, "\"floor\":{\"value\":250,\"unit\":\"count\"}"), "%s", out);
    cr_expect(strstr(out, "\"status\":\"amber\""), "%s", out);
    free(out);
}

/* Minutes: who was present and in attendance, one person each with the
 * role given in brackets or after a dash; a surname later resolves to the
 * name the list gave. */
Test(pdf, minutes_lists_give_one_person_each_with_roles)
{
    extract_result *r = extract_file("corpus/northmoor-cabinet-minutes-2025-02-12.pdf");
    static const struct {
        const char *text, *name, *title, *role;
    } want[] = {{"Cllrs Brooks", "Brooks", "Cllr", "Chairman"},
                {"Hartley", "Hartley", "Cllr", NULL},
                {"Osei", "Osei", "Cllr", NULL},
                {"Dr Helen Marsh", "Helen Marsh", "Dr", "Chief Executive"},
                {"Mr J Ellison", "J Ellison", "Mr", "Director of Children's Services"},
                {"Mr D Price", "D Price", "Mr", "Head of Democratic Services"},
                {"Mr Ellison", "J Ellison", "Mr", NULL}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const mention *m = find_text(r, MENTION_PERSON, want[i].text);
        cr_assert(m, "no person \"%s\"", want[i].text);
        cr_expect_str_eq(m->person.name, want[i].name);
        cr_expect_str_eq(m->person.title, want[i].title);
        if (want[i].role)
            cr_expect(m->person.role && !strcmp(m->person.role, want[i].role), "%s: role %s", want[i].text,
                      m->person.role ? m->person.role : "(none)");
    }
    cr_assert(strstr(r->d->text, "Present: Cllrs Brooks (Chairman)"), "a label line reads on into its list");
    th_free(r);
    /* A role after a dash, however short, and however near the list's end. */
    extract_result *t = th_extract("att.txt", "In Attendance: Niamh O\xE2\x80\x99" "Donnell \xE2\x80\x93 Town Clerk, "
                                              "Tobias Wren - Deputy Town Clerk, Mr Daniel Okoro - MP\n");
    static const struct {
        const char *text, *role;
    } att[] = {{"Niamh O\xE2\x80\x99" "Donnell", "Town Clerk"}, {"Tobias Wren", "Deputy Town Clerk"}, {"Mr Daniel Okoro", "MP"}};
    for (size_t i = 0; i < sizeof att / sizeof *att; i++) {
        const mention *m = find_text(t, MENTION_PERSON, att[i].text);
        cr_assert(m, "no person \"%s\"", att[i].text);
        cr_expect(m->person.role && !strcmp(m->person.role, att[i].role), "%s: role %s", att[i].text,
                  m->person.role ? m->person.role : "(none)");
    }
    th_free(t);
}

/* The real minutes of ../shared: a stamp annotation read with the page, the
 * running footer and page numbers dropped, every record on its page. */
Test(pdf, shared_minutes_read_like_the_page)
{
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("needs ../shared/bench/public-pdfs; set CLAIMSCAN_SHARED to run it");
    char path[4096];
    snprintf(path, sizeof path, "%s/bench/public-pdfs/p05-sctc-minutes-2018-03-13.pdf", sh);
    extract_result *r = extract_file(path);
    const doc *d = r->d;
    cr_assert_eq(d->pages, 8);
    cr_assert_str_eq(d->published, "2018-03-13", "the meeting's date, not the stamp's");
    const mention *m = find_text(r, MENTION_DATE, "28 Mar 18");
    cr_assert(m && doc_page_at(d, m->start) == 1, "the agenda stamp is read");
    cr_assert(!strstr(d->text, "Minutes | Tuesday 13th March 2018"), "the running footer is dropped");
    cr_assert(!strstr(d->text, "Page | 2"), "page numbers are dropped");
    cr_assert(strstr(d->text, "Present: Cllrs Hodivala (Chairman), Hewett, Mosson, Passey and Wood."));
    m = find_text(r, MENTION_PERSON, "Cllr Hodivala");
    cr_assert(m && doc_page_at(d, m->start) == 2, "a mention on page 2 says so");
    th_free(r);
}

/* A span of months or years is one date in a PDF (the PDF conventions) and
 * a date for each end in an article; a span of days is one date in both. */
Test(pdf, a_span_of_months_is_one_date_in_a_pdf_and_two_in_an_article)
{
    extract_result *r = extract_file("corpus/northmoor-cabinet-performance-q3-2024-25.pdf");
    const mention *m = find_text(r, MENTION_DATE, "from October to December 2024");
    cr_assert(m, "one date for the span");
    cr_expect(m->date.start.m == 10 && m->date.end.m == 12 && m->date.end.d == 31 && m->date.start.y == 2024);
    cr_expect_str_eq(m->date.granularity, "month");
    th_free(r);
    r = th_extract("a.txt", "Prices rose between November 2003 and August 2004, and the site was shut from 1994 to "
                            "2000. It was inspected on 12 and 13 March 2025.\n");
    cr_assert(r);
    static const struct {
        const char *text;
        int y0, m0, d0, y1, m1, d1;
    } want[] = {{"November 2003", 2003, 11, 1, 2003, 11, 30},
                {"August 2004", 2004, 8, 1, 2004, 8, 31},
                {"1994", 1994, 1, 1, 1994, 12, 31},
                {"2000", 2000, 1, 1, 2000, 12, 31},
                {"12 and 13 March 2025", 2025, 3, 12, 2025, 3, 13}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        m = find_text(r, MENTION_DATE, want[i].text);
        cr_assert(m, "no date \"%s\"", want[i].text);
        const dates_interval *iv = &m->date;
        cr_expect(iv->start.y == want[i].y0 && iv->start.m == want[i].m0 && iv->start.d == want[i].d0 &&
                      iv->end.y == want[i].y1 && iv->end.m == want[i].m1 && iv->end.d == want[i].d1,
                  "%s: %d-%d-%d..%d-%d-%d", want[i].text, iv->start.y, iv->start.m, iv->start.d, iv->end.y, iv->end.m,
                  iv->end.d);
    }
    th_free(r);
}
