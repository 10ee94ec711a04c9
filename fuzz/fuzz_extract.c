/* libFuzzer harness: bytes through the whole per-document pipeline. The
 * first byte chooses the input type (even: HTML, odd: plain text). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
    if (!size)
        return 0;
    cs_error err;
    doc *d = load_bytes(data[0] & 1 ? "fuzz.txt" : "fuzz.html", data + 1, size - 1, &err);
    if (!d)
        return 0;
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
