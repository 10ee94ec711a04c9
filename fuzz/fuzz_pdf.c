/* libFuzzer harness: bytes read as a PDF (poppler, then layout, then the
 * rest of the pipeline), whatever they start with. Seeds: the PDFs of
 * corpus and tests/data. */
#include <stdint.h>
#include <string.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    doc *d = doc_new("fuzz.pdf");
    d->raw = cs_xmalloc(size + 1);
    if (size)
        memcpy(d->raw, data, size);
    d->raw[size] = 0;
    d->raw_len = size;
    d->is_pdf = DOC_PDF;
    d->type = "pdf";
    d->input = (char *)d->raw + size;
    harness_extract(d);
    return 0;
}
