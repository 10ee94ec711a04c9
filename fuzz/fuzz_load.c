/* libFuzzer harness: the file loader as the CLI calls it, with --max-size,
 * then the pipeline. The first byte chooses the file's extension (bits
 * 0-2) and the second the size cap: 0 the default, else that many times 64
 * bytes, so that caps below, at and above the file's size are all tried.
 * A file over its cap must be refused with a reason, never read in part. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ext[] = {".html", ".txt", ".pdf", ".docx", ".csv", ".htm", ".xlsx", ""};
    if (size < 2)
        return 0;
    char name[32], path[4096];
    snprintf(name, sizeof name, "input%s", ext[data[0] & 7]);
    harness_path(name, path, sizeof path);
    harness_write(path, data + 2, size - 2);
    size_t max = data[1] ? (size_t)data[1] * 64 : LOAD_DEFAULT_MAX;
    cs_error err;
    err.msg[0] = '\0';
    doc *d = load_file(path, max, &err);
    if (d) {
        if (d->raw_len > max)
            abort(); /* a file over the cap was read */
        harness_extract(d);
    } else if (!err.msg[0]) {
        abort(); /* refused without a reason */
    }
    remove(path);
    return 0;
}
