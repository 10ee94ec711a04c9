/* libFuzzer harness: office files through the whole pipeline. The first
 * byte chooses what the rest is:
 *   0  a file as it comes (zip, OLE container, anything: detection and the
 *      zip layer), 1 a CSV text, 2 a TSV text;
 *   3  word/document.xml of a DOCX, 4 its word/styles.xml beside a fixed
 *      document, 5 content.xml of an ODT, 6 content.xml of an ODS,
 *   7  a worksheet of an XLSX, 8 its sharedStrings.xml, 9 its styles.xml
 *      (both beside a fixed sheet that uses them).
 * For 3 to 9 the harness wraps the bytes in a valid zip, so that the
 * mutations reach the XML readers instead of failing the zip's checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "harness.h"
#include "load.h"

static const char *const fixed_document =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:pPr>"
    "<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p></w:body></w:document>";
static const char *const fixed_sheet =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\">"
    "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>0.825</v></c><c r=\"C1\" s=\"2\"><v>45657</v></c>"
    "</row></sheetData></worksheet>";
static const char *const workbook =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas."
    "openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Scorecard\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";
static const char *const workbook_rels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Target=\"styles.xml\"/></Relationships>";

/* Adds a part to za (a copy: the fuzzer's buffer is not ours to keep). */
static void add(zip_t *za, const char *name, const void *s, size_t n)
{
    void *copy = malloc(n ? n : 1);
    if (n)
        memcpy(copy, s, n);
    zip_source_t *src = zip_source_buffer(za, copy, n, 1);
    if (src && zip_file_add(za, name, src, ZIP_FL_OVERWRITE) < 0)
        zip_source_free(src);
}

/* The zip of mode's parts, part being the fuzzer's bytes; malloc'd. */
static unsigned char *wrap(int mode, const uint8_t *part, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (mode == 3 || mode == 4) {
        add(za, "word/document.xml", mode == 3 ? (const void *)part : fixed_document,
            mode == 3 ? n : strlen(fixed_document));
        if (mode == 4)
            add(za, "word/styles.xml", part, n);
    } else if (mode == 5 || mode == 6) {
        const char *mt = mode == 5 ? "application/vnd.oasis.opendocument.text"
                                   : "application/vnd.oasis.opendocument.spreadsheet";
        add(za, "mimetype", mt, strlen(mt));
        add(za, "content.xml", part, n);
    } else {
        add(za, "xl/workbook.xml", workbook, strlen(workbook));
        add(za, "xl/_rels/workbook.xml.rels", workbook_rels, strlen(workbook_rels));
        add(za, "xl/worksheets/sheet1.xml", mode == 7 ? (const void *)part : fixed_sheet,
            mode == 7 ? n : strlen(fixed_sheet));
        if (mode == 8)
            add(za, "xl/sharedStrings.xml", part, n);
        if (mode == 9)
            add(za, "xl/styles.xml", part, n);
    }
    unsigned char *out = NULL;
    *len = 0;
    if (zip_close(za) == 0 && zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t k = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        out = malloc(k > 0 ? (size_t)k : 1);
        if (k > 0 && zip_source_read(src, out, (zip_uint64_t)k) == k)
            *len = (size_t)k;
        zip_source_close(src);
    } else {
        zip_discard(za);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    int mode = data[0] % 10;
    static const char *const ids[] = {"fuzz.docx", "fuzz.csv", "fuzz.tsv"};
    cs_error err;
    doc *d;
    if (mode < 3) {
        d = load_bytes(ids[mode], data + 1, size - 1, &err);
    } else {
        size_t len;
        unsigned char *z = wrap(mode, data + 1, size - 1, &len);
        d = z && len ? load_bytes("fuzz.zip", z, len, &err) : NULL;
        free(z);
    }
    if (d)
        harness_extract(d);
    return 0;
}
