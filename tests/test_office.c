/* Office files: the fixtures LibreOffice wrote (tests/data/office, corpus/)
 * read into blocks and records, zips built here for the structures a
 * fixture does not show, and the files that must be refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "helpers.h"
#include "office.h"

#define DOCX "corpus/northmoor-housing-performance-q3.docx"
#define ODT "tests/data/office/cabinet-report.odt"
#define XLSX "corpus/northmoor-corporate-scorecard-q3.xlsx"
#define ODS "tests/data/office/scorecard.ods"
#define CSV "tests/data/office/scorecard.csv"

/* Loads bytes (any, NUL bytes too) as id; NULL with err filled on refusal. */
static doc *load_mem(const char *id, const void *bytes, size_t len, cs_error *err)
{
    return load_bytes(id, bytes, len, err);
}

/* The whole pipeline on a file; the caller frees with th_free. */
static extract_result *extract_path(const char *path)
{
    size_t len;
    char *bytes = th_read(path, &len);
    cr_assert(bytes, "cannot read %s", path);
    cs_error err;
    doc *d = load_mem(path, bytes, len, &err);
    free(bytes);
    cr_assert(d, "%s: %s", path, err.msg);
    extract_result *r = cs_xcalloc(1, sizeof *r);
    cr_assert_eq(extract_document(d, th_rules(), r, NULL, &err), CS_OK, "%s: %s", path, err.msg);
    return r;
}

/* Parses d with the pipeline; returns the error message ("" when read). */
static const char *extract_error(doc *d, cs_error *err)
{
    extract_result r;
    if (extract_document(d, th_rules(), &r, NULL, err) != CS_OK)
        return err->msg;
    extract_result_free(&r);
    return "";
}

/* A zip of parts (name, content, name, content, ..., NULL) written by
 * libzip into memory; the entry named encrypt (or none) is encrypted with
 * a password. Free the result. */
static unsigned char *zip_of(const char *const *parts, const char *encrypt, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    cr_assert(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    cr_assert(za);
    for (int i = 0; parts[i]; i += 2) {
        zip_source_t *s = zip_source_buffer(za, parts[i + 1], strlen(parts[i + 1]), 0);
        zip_int64_t idx = zip_file_add(za, parts[i], s, ZIP_FL_OVERWRITE);
        cr_assert(idx >= 0);
        if (encrypt && !strcmp(encrypt, parts[i]))
            cr_assert_eq(zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_TRAD_PKWARE, "secret"), 0);
    }
    cr_assert_eq(zip_close(za), 0);
    cr_assert_eq(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    unsigned char *out = cs_xmalloc((size_t)n + 1);
    cr_assert_eq(zip_source_read(src, out, (zip_uint64_t)n), n);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)n;
    return out;
}

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define S_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

/* A DOCX of one document.xml body (and styles.xml when given). */
static doc *docx_of(const char *body, const char *styles, cs_error *err)
{
    char *xml = cs_xmalloc(strlen(body) + 512);
    sprintf(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"" W_NS "\" xmlns:mc=\""
                 "http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>%s</w:body></w:document>",
            body);
    const char *parts[] = {"word/document.xml", xml, styles ? "word/styles.xml" : NULL, styles, NULL};
    size_t len;
    unsigned char *z = zip_of(parts, NULL, &len);
    doc *d = load_mem("t.docx", z, len, err);
    free(z);
    free(xml);
    return d;
}

/* Claims as lines "indicator|actual unit|target|previous|met". */
static char *claims_text(const extract_result *r)
{
    buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < r->claims.n; i++) {
        const claims_claim *c = &r->claims.v[i];
        buf_printf_put(&b, "%s|%g %s|%g|%g|%d\n", c->indicator, c->actual.value, c->actual.set ? c->actual.unit : "-",
                       c->target.set ? c->target.value : -1, c->previous.set ? c->previous.value : -1, c->met);
    }
    return buf_detach(&b);
}

/* The claim of the table row named indicator. */
static const claims_claim *claim_named(const extract_result *r, const char *indicator)
{
    for (size_t i = 0; i < r->claims.n; i++)
        if (!strcmp(r->claims.v[i].indicator, indicator) && !strcmp(r->claims.v[i].rule, "claims:table-row"))
            return &r->claims.v[i];
    return NULL;
}

static int has_person(const extract_result *r, const char *name)
{
    for (size_t i = 0; i < r->ms.n; i++)
        if (r->ms.v[i].kind == MENTION_PERSON && r->ms.v[i].person.name && !strcmp(r->ms.v[i].person.name, name))
            return 1;
    return 0;
}

static size_t count_kind(const doc *d, doc_block_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        n += d->blocks[i].kind == k;
    return n;
}

/* The cabinet report as Word and as Writer saved it: the same blocks,
 * headings with their levels, list items and table rows. */
Test(office, docx_and_odt_read_alike)
{
    extract_result *x = extract_path(DOCX), *o = extract_path(ODT);
    cr_assert_str_eq(x->d->type, "docx");
    cr_assert_str_eq(o->d->type, "odt");
    cr_expect_str_eq(x->d->text, o->d->text, "the two formats give different text");
    const doc *d = x->d;
    cr_assert_eq(d->blocks[0].kind, DOC_BLOCK_HEADING);
    cr_expect_eq(d->blocks[0].level, 1);
    cr_expect_str_eq(d->title, "Housing and homelessness performance, Quarter 3 2024/25");
    cr_expect_eq(count_kind(d, DOC_BLOCK_HEADING), 5);
    cr_expect_eq(count_kind(d, DOC_BLOCK_ITEM), 3);
    cr_expect_eq(count_kind(d, DOC_BLOCK_ROW), 5);
    cr_expect_eq(count_kind(o->d, DOC_BLOCK_ROW), 5);
    cr_expect(strstr(d->text, "Affordable homes delivered\t262\t318\t300\tGreen"), "text: %s", d->text);
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == DOC_BLOCK_HEADING && !strncmp(doc_block_text(d, i), "2. Summary", 10))
            cr_expect_eq(d->blocks[i].level, 2);
    th_free(x);
    th_free(o);
}

/* The report's records: its date, its people, a claim per table row with
 * the status column deciding met, and claims from its prose and list. */
Test(office, cabinet_report_records)
{
    extract_result *r = extract_path(DOCX);
    cr_expect_str_eq(r->d->published, "2025-03-12");
    cr_expect(has_person(r, "Sarah Okafor"));
    cr_expect(has_person(r, "Daniel Whitcombe"));
    const claims_claim *c = claim_named(r, "Affordable homes delivered");
    cr_assert(c, "claims:\n%s", claims_text(r));
    cr_expect(c->actual.value == 318 && c->target.value == 300 && c->previous.value == 262 && c->met == 1);
    c = claim_named(r, "Households in temporary accommodation");
    cr_assert(c);
    cr_expect(c->actual.value == 377 && c->met == 0, "Red states missed");
    c = claim_named(r, "Homelessness cases prevented");
    cr_assert(c);
    cr_expect(c->actual.value == 68 && !strcmp(c->actual.unit, "percent") && c->previous.value == 64 && c->met == 1);
    c = claim_named(r, "Repairs completed on time");
    cr_assert(c);
    cr_expect(c->actual.value == 91 && c->target.value == 90 && c->met == 1);
    int june = 0;
    for (size_t i = 0; i < r->ms.n; i++)
        june |= r->ms.v[i].kind == MENTION_DATE && !strcmp(r->ms.v[i].date.granularity, "day") &&
                r->ms.v[i].date.start.y == 2025 && r->ms.v[i].date.start.m == 6 && r->ms.v[i].date.start.d == 18;
    cr_expect(june, "18 June 2025 is a date");
    th_free(r);
}

/* One workbook as XLSX, ODS and CSV: one claim per scorecard row, the
 * latest quarter the actual, the one before it the previous, the status
 * column stating met, the reference column and the label rows skipped. */
Test(office, workbooks_and_csv_give_the_same_claims)
{
    extract_result *x = extract_path(XLSX), *o = extract_path(ODS), *c = extract_path(CSV);
    cr_assert_str_eq(x->d->type, "xlsx");
    cr_assert_str_eq(o->d->type, "ods");
    cr_assert_str_eq(c->d->type, "csv");
    char *cx = claims_text(x), *co = claims_text(o), *cc = claims_text(c);
    cr_expect_str_eq(cx, co);
    cr_expect_str_eq(cx, cc);
    cr_expect_str_eq(cx, "Affordable homes delivered|318 count|300|262|1\n"
                         "Homelessness cases prevented|68 percent|65|64|1\n"
                         "Assessments completed within 45 working days|81 percent|85|78|0\n"
                         "Children waiting for an assessment|184 count|150|221|0\n"
                         "Household waste recycled|43.5 percent|45|41.2|0\n"
                         "Residual household waste per household|498 kg|490|505|0\n");
    extract_result *all[] = {x, o, c};
    for (int i = 0; i < 3; i++)
        cr_expect_str_eq(all[i]->d->published, "2025-02-04");
    cr_expect_str_eq(x->d->title, "Northmoor City Council corporate performance scorecard, Quarter 3 2024/25");
    for (int i = 0; i < 2; i++) {
        const char *t = all[i]->d->text;
        cr_expect(strstr(t, "Reported to cabinet on\t4 February 2025"), "a date cell shows as a date: %s", t);
        cr_expect(strstr(t, "Children's services\t61,420\t60,180\t(1,240)"), "the budget sheet: %s", t);
        cr_expect(!strstr(t, "Lookup list"), "a hidden sheet is not read");
        cr_expect(strstr(t, "\nEnvironment\t\t\t\t\t\t\n"), "a label row keeps its table's width");
        int variance = 0;
        for (size_t k = 0; k < all[i]->ms.n; k++) {
            const mention *m = &all[i]->ms.v[k];
            variance |= m->kind == MENTION_FIGURE && m->fig.value == -1240000 && !strcmp(m->fig.unit, "GBP") &&
                        m->fig.scale == 1000;
        }
        cr_expect(variance, "(1,240) under Variance £000 is -£1,240,000");
    }
    free(cx);
    free(co);
    free(cc);
    th_free(x);
    th_free(o);
    th_free(c);
}

/* Cells as a spreadsheet shows them: number formats, dates in both date
 * systems, shared strings without their phonetic guide, booleans, errors,
 * formula text and a gap between cells. */
Test(office, xlsx_cells_show_as_the_spreadsheet_shows_them)
{
    static const char *const styles =
        "<styleSheet xmlns=\"" S_NS "\"><numFmts>"
        "<numFmt numFmtId=\"164\" formatCode=\"0.0%\"/><numFmt numFmtId=\"165\" formatCode=\"#,##0;\\(#,##0\\)\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"&quot;£&quot;#,##0.00\"/><numFmt numFmtId=\"167\" formatCode=\"d mmm yyyy\"/>"
        "<numFmt numFmtId=\"168\" formatCode=\"mmm\\-yy\"/><numFmt numFmtId=\"169\" formatCode=\"[$£-809]#,##0;[Red]\\-[$£-809]#,##0\"/>"
        "</numFmts><cellStyleXfs><xf numFmtId=\"9\"/></cellStyleXfs><cellXfs>"
        "<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
        "<xf numFmtId=\"168\"/><xf numFmtId=\"14\"/><xf numFmtId=\"9\"/><xf numFmtId=\"169\"/></cellXfs></styleSheet>";
    static const char *const strings =
        "<sst xmlns=\"" S_NS "\"><si><t>Measure</t></si><si><r><t>Rent </t></r><r><t>collected</t></r>"
        "<rPh><t>phonetic</t></rPh></si></sst>";
    static const char *const sheet =
        "<worksheet xmlns=\"" S_NS "\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>Note</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>0.8125</v></c><c r=\"C2\" s=\"2\"><v>-1234.5</v></c>"
        "<c r=\"D2\" s=\"3\"><v>1234.5</v></c><c r=\"E2\" s=\"4\"><v>45657</v></c><c r=\"F2\" s=\"5\"><v>45352</v></c>"
        "<c r=\"G2\" s=\"6\"><v>45657</v></c><c r=\"H2\" s=\"7\"><v>0.5</v></c><c r=\"I2\" t=\"b\"><v>1</v></c>"
        "<c r=\"J2\" t=\"e\"><v>#N/A</v></c><c r=\"K2\" t=\"str\"><f>A1</f><v>Measure</v></c><c r=\"L2\"><v>0.1</v></c>"
        "<c r=\"M2\" s=\"8\"><v>-5000</v></c><c r=\"N2\" t=\"d\"><v>2025-01-31T00:00:00</v></c></row>"
        "</sheetData></worksheet>";
    for (int system = 0; system < 2; system++) {
        char book[600];
        snprintf(book, sizeof book,
                 "<workbook xmlns=\"" S_NS "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                 "relationships\"><workbookPr date1904=\"%d\"/><sheets><sheet name=\"Sheet1\" sheetId=\"1\" "
                 "r:id=\"rId1\"/></sheets></workbook>",
                 system);
        const char *parts[] = {
            "xl/workbook.xml", book,
            "xl/_rels/workbook.xml.rels",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
            "<Relationship Id=\"rId2\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Target=\"styles.xml\"/>"
            "</Relationships>",
            "xl/worksheets/sheet1.xml", sheet, "xl/sharedStrings.xml", strings, "xl/styles.xml", styles, NULL};
        size_t len;
        unsigned char *z = zip_of(parts, NULL, &len);
        cs_error err;
        doc *d = load_mem("t.xlsx", z, len, &err);
        free(z);
        cr_assert(d, "%s", err.msg);
        cr_assert_str_eq(d->type, "xlsx");
        cr_assert_str_eq(extract_error(d, &err), "");
        const char *want = system ? "Rent collected\t81.3%\t(1,235)\t£1,234.50\t1 January 2029\tMarch 2028\t1 January "
                                    "2029\t50%\tTRUE\t#N/A\tMeasure\t0.1\t-£5,000\t31 January 2025"
                                  : "Rent collected\t81.3%\t(1,235)\t£1,234.50\t31 December 2024\tMarch 2024\t31 "
                                    "December 2024\t50%\tTRUE\t#N/A\tMeasure\t0.1\t-£5,000\t31 January 2025";
        cr_expect(strstr(d->text, "Measure\t\tNote\n"), "a gap keeps its column: %s", d->text);
        cr_expect(strstr(d->text, want), "1904 system %d:\n%s\nwant\n%s", system, d->text, want);
        cr_expect(!strstr(d->text, "phonetic"));
        doc_free(d);
    }
}

/* Block i's text (which is not NUL-terminated) is want. */
static void expect_block(const doc *d, size_t i, const char *want)
{
    const char *t = doc_block_text(d, i);
    cr_expect(d->blocks[i].len == strlen(want) && !memcmp(t, want, d->blocks[i].len), "block %zu: \"%.*s\", not \"%s\"", i,
              (int)d->blocks[i].len, t, want);
}

/* Word's structures: a heading style that inherits its level, list
 * numbering, a text box written twice (choice and fallback), tracked
 * deletions and moves, merged and nested cells, a one-cell table. */
Test(office, docx_structure)
{
    static const char *const styles =
        "<w:styles xmlns:w=\"" W_NS "\"><w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
        "</w:style><w:style w:type=\"paragraph\" w:styleId=\"Board\"><w:name w:val=\"Board heading\"/>"
        "<w:basedOn w:val=\"Heading2\"/></w:style></w:styles>";
    static const char *const body =
        "<w:p><w:pPr><w:pStyle w:val=\"Board\"/></w:pPr><w:r><w:t>Key decisions</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Rents rise by</w:t>"
        "<w:tab/><w:t xml:space=\"preserve\">3 per cent</w:t></w:r><w:del><w:r><w:delText> never</w:delText></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom></w:p>"
        "<w:p><w:r><w:t>Before the box. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        "<w:txbxContent><w:p><w:r><w:t>Boxed text</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed text</w:t></w:r></w:p></w:txbxContent></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>Service</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Target</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r>"
        "</w:p></w:tc><w:tc><w:p><w:r><w:t>cells</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>"
        "<w:tc><w:p><w:r><w:t>90%</w:t></w:r></w:p><w:p><w:r><w:t>by March</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A one-cell table is a box of text.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
    cs_error err;
    doc *d = docx_of(body, styles, &err);
    cr_assert(d, "%s", err.msg);
    cr_assert_str_eq(extract_error(d, &err), "");
    cr_assert_eq(d->nblocks, 6, "text: %s", d->text);
    cr_expect_eq(d->blocks[0].kind, DOC_BLOCK_HEADING);
    cr_expect_eq(d->blocks[0].level, 2, "Board inherits heading 2");
    cr_expect_eq(d->blocks[1].kind, DOC_BLOCK_ITEM);
    expect_block(d, 1, "Rents rise by 3 per cent");
    expect_block(d, 2, "Before the box. Boxed text");
    expect_block(d, 3, "Service\t\tTarget");
    expect_block(d, 4, "A\tinner cells\t90% by March");
    cr_expect_eq(d->blocks[5].kind, DOC_BLOCK_PARA);
    doc_free(d);
}

/* CSV quoting (commas, line breaks and doubled quotes inside quotes), and
 * which texts are tables: by extension, else by shape. */
Test(office, csv_quoting_and_detection)
{
    static const char csv[] = "Indicator,Actual,Target\r\n\"Homes built, net\",\"1,204\",\"1,100\"\r\n"
                              "\"Rent \"\"collected\"\"\nin year\",97%,98%\r\n";
    cs_error err;
    doc *d = load_mem("t.csv", csv, sizeof csv - 1, &err);
    cr_assert(d);
    cr_assert_str_eq(d->type, "csv");
    cr_assert_str_eq(extract_error(d, &err), "");
    cr_expect_str_eq(d->text, "Indicator\tActual\tTarget\n\nHomes built, net\t1,204\t1,100\n\n"
                              "Rent \"collected\" in year\t97%\t98%");
    doc_free(d);
    const char *tsv = "Ward\tCases\tTarget\nEastgate\t12\t10\nWestmoor\t9\t10\nNorthfield\t14\t10\n";
    const char *prose = "The council met, as planned, on Monday.\nMembers agreed, after debate, to defer it.\n"
                        "The chair, Cllr Hart, closed the meeting, at nine.\n";
    const struct {
        const char *id, *text, *type;
    } cases[] = {{"-", tsv, "tsv"}, {"data", csv, "csv"}, {"t.tsv", "a\tb\n", "tsv"}, {"t.txt", csv, "text"},
                 {"minutes", prose, "text"}, {"t.csv", "", "csv"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        d = load_mem(cases[i].id, cases[i].text, strlen(cases[i].text), &err);
        cr_assert(d);
        cr_expect_str_eq(d->type, cases[i].type, "%s", cases[i].id);
        doc_free(d);
    }
}

/* What must be refused, each with a reason, and never a crash. */
Test(office, bad_files_are_refused_with_a_reason)
{
    cs_error err;
    size_t len;
    char *docx = th_read(DOCX, &len);
    cr_assert(docx);
    cr_expect_null(load_mem("cut.docx", docx, len / 2, &err), "a truncated zip is refused");
    cr_expect(strstr(err.msg, "corrupt zip archive"), "%s", err.msg);
    free(docx);

    const char *other[] = {"notes.txt", "hello", NULL};
    unsigned char *z = zip_of(other, NULL, &len);
    cr_expect_null(load_mem("a.zip", z, len, &err));
    cr_expect(strstr(err.msg, "a zip archive, not a DOCX"), "%s", err.msg);
    free(z);

    const char *doc_xml = "<w:document xmlns:w=\"" W_NS "\"><w:body/></w:document>";
    const char *locked[] = {"word/document.xml", doc_xml, NULL};
    z = zip_of(locked, "word/document.xml", &len);
    cr_expect_null(load_mem("locked.docx", z, len, &err));
    cr_expect(strstr(err.msg, "encrypted"), "%s", err.msg);
    free(z);

    const char *odf[] = {"mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "x",
                         "META-INF/manifest.xml", "<manifest><file-entry><encryption-data/></file-entry></manifest>", NULL};
    z = zip_of(odf, NULL, &len);
    cr_expect_null(load_mem("locked.odt", z, len, &err));
    cr_expect(strstr(err.msg, "encrypted"), "%s", err.msg);
    free(z);

    unsigned char ole[1024];
    memset(ole, 0, sizeof ole);
    memcpy(ole, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    cr_expect_null(load_mem("old.doc", ole, sizeof ole, &err));
    cr_expect(strstr(err.msg, "legacy binary Office file"), "%s", err.msg);
    memcpy(ole + 600, "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
    cr_expect_null(load_mem("locked.xlsx", ole, sizeof ole, &err));
    cr_expect(strstr(err.msg, "encrypted"), "%s", err.msg);

    /* Entities: a billion laughs in the main part. */
    doc *d = docx_of("</w:body></w:document>", NULL, &err); /* well-formed enough to load */
    cr_assert(d);
    doc_free(d);
    const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;"
                         "&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><w:document xmlns:w=\"" W_NS
                         "\"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>";
    const char *bomb[] = {"word/document.xml", laughs, NULL};
    z = zip_of(bomb, NULL, &len);
    d = load_mem("laughs.docx", z, len, &err);
    free(z);
    cr_assert(d, "%s", err.msg);
    cr_expect(strstr(extract_error(d, &err), "document type declaration"), "%s", err.msg);
    doc_free(d);

    d = docx_of("<w:p><w:r><w:t>cut off", NULL, &err);
    cr_assert(d);
    cr_expect(strstr(extract_error(d, &err), "word/document.xml is not well-formed XML"), "%s", err.msg);
    doc_free(d);
}

/* The CLI: a bad office file fails alone, with a message naming it, and
 * the inputs after it are read. */
Test(cli, office_files_that_cannot_be_read_fail_alone, .timeout = 300)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd, "%s extract tests/data/office/bomb.docx " DOCX " 2>&1 >/dev/null", th_bin());
    char *out = th_run(cmd, &st);
    cr_expect_eq(st, 1);
    cr_expect(strstr(out, "claimscan: tests/data/office/bomb.docx: word/document.xml expands beyond 256 MiB"),
              "stderr: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s extract tests/data/office/bomb.docx " DOCX " 2>/dev/null", th_bin());
    out = th_run(cmd, &st);
    cr_expect(strstr(out, "\"type\":\"docx\""), "the next input is read: %.300s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "head -c 3000 " XLSX " > /tmp/cs-cut.xlsx && %s clean /tmp/cs-cut.xlsx " CSV " 2>&1",
             th_bin());
    out = th_run(cmd, &st);
    cr_expect_eq(st, 1);
    cr_expect(strstr(out, "claimscan: /tmp/cs-cut.xlsx: corrupt zip archive"), "output: %s", out);
    cr_expect(strstr(out, "Household waste recycled\t40.1%\t41.2%"), "the CSV is read: %s", out);
    free(out);
    remove("/tmp/cs-cut.xlsx");
}
