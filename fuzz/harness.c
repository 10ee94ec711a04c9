/* harness: the rules, the pipeline run and the scratch files that the
 * harnesses share. */
#define _XOPEN_SOURCE 700
#include "harness.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "extract.h"
#include "load.h"

const rules_set *harness_rules(void)
{
    static rules_set *rs;
    if (!rs) {
        cs_error err;
        const char *dir = getenv("CLAIMSCAN_RULES");
        rs = rules_load(dir ? dir : "rules", &err);
        if (!rs) {
            fprintf(stderr, "fuzz: %s\n", err.msg);
            abort();
        }
    }
    return rs;
}

void harness_extract(doc *d)
{
    cs_error err;
    extract_result r;
    if (extract_document(d, harness_rules(), &r, NULL, &err) == CS_OK) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            (void)extract_write_jsonl(null, &r);
            fclose(null);
        }
        extract_result_free(&r);
    }
    doc_free(d);
}

store *harness_store_open(void)
{
    static store *schema; /* an empty database of the current schema, made once */
    cs_error err;
    if (!schema && !(schema = store_open(":memory:", &err))) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    store *s = store_open_memory_copy(schema, &err);
    if (!s) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    return s;
}

void harness_store(store *s, const char *id, const void *bytes, size_t n)
{
    cs_error err;
    doc *d = load_bytes(id, bytes, n, &err);
    if (!d)
        return;
    extract_opts xo = {NULL, NULL, store_block_filter, s};
    extract_result r;
    if (extract_document(d, harness_rules(), &r, &xo, &err) == CS_OK) {
        (void)store_put(s, &r, rules_version(harness_rules()), &err);
        extract_result_free(&r);
    }
    doc_free(d);
}

static char scratch[4096];

static int unlink_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void harness_remove(const char *path)
{
    nftw(path, unlink_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_scratch(void)
{
    harness_remove(scratch);
}

const char *harness_path(const char *name, char *out, size_t cap)
{
    if (!scratch[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/claimscan-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(scratch))
            abort();
        atexit(remove_scratch);
    }
    snprintf(out, cap, "%s/%s", scratch, name);
    return out;
}

void harness_write(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(bytes, 1, n, f) != n) || fclose(f) != 0)
        abort();
}
