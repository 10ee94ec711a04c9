/* libFuzzer harness: a database file as the store opens it. The bytes are
 * the file (seeds: databases of this schema, an empty one and ones with an
 * older or foreign user_version); it is opened for writing (migrations, the
 * quick check) and, when accepted, a document is stored into it, then it is
 * opened read-only and its claims listed. A damaged, foreign or newer file
 * must be refused with a reason, never crash or be half-written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "store.h"

static const char page[] = "<html><head><title>Northmoor council</title></head><body><article>"
                           "<p>Northmoor City Council spent 22.1 million pounds on repairs in 2023, "
                           "against a target of 20 million.</p></article></body></html>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4096], side[4200];
    harness_path("fuzz.db", path, sizeof path);
    for (int k = 0; k < 2; k++) { /* no -wal or -shm of an earlier input */
        snprintf(side, sizeof side, "%s%s", path, k ? "-shm" : "-wal");
        remove(side);
    }
    harness_write(path, data, size);
    cs_error err;
    err.msg[0] = '\0';
    store *s = store_open_existing(path, &err);
    if (!s) {
        if (!err.msg[0])
            abort(); /* refused without a reason */
        return 0;
    }
    harness_store(s, "store.html", page, sizeof page - 1);
    store_close(s);
    s = store_open_readonly(path, &err);
    if (s) {
        FILE *null = fopen("/dev/null", "w");
        store_query q = {NULL, NULL, NULL, NULL, NULL};
        size_t found;
        if (null) {
            (void)store_list_claims(s, &q, "csv", null, &found, &err);
            fclose(null);
        }
        store_close(s);
    }
    return 0;
}
