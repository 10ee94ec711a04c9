/* libFuzzer harness: bytes through the whole per-document pipeline. The
 * first byte chooses the input type (even: HTML, odd: plain text). */
#include <stdint.h>

#include "harness.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    cs_error err;
    doc *d = load_bytes(data[0] & 1 ? "fuzz.txt" : "fuzz.html", data + 1, size - 1, &err);
    if (d)
        harness_extract(d);
    return 0;
}
