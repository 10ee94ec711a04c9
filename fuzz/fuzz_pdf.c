/* libFuzzer harness: bytes read as a PDF (poppler, then layout, then the
 * rest of the pipeline), whatever they start with. Seeds: the PDFs of
 * corpus and tests/data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "load.h"

static rules_set *rs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rs) {
        cs_error err;
        const char *dir = getenv("CLAIMSCAN_RULES");
        rs = rules_load(dir ? dir : "rules", &err);
        if (!rs) {
            fprintf(stderr, "fuzz: %s\n", err.msg);
            abort();
        }
    }
    doc *d = doc_new("fuzz.pdf");
    d->raw = cs_xmalloc(size + 1);
    if (size)
        memcpy(d->raw, data, size);
    d->raw[size] = 0;
    d->raw_len = size;
    d->is_pdf = 1;
    d->input = (char *)d->raw + size;
    cs_error err;
    extract_result r;
    if (extract_document(d, rs, &r, NULL, &err) == CS_OK) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            (void)extract_write_jsonl(null, &r);
            fclose(null);
        }
        extract_result_free(&r);
    }
    doc_free(d);
    return 0;
}
