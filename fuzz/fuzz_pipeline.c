/* libFuzzer harness: documents stored, then everything that reads them.
 * The bytes are up to three documents, split at "\f\f"; the first byte
 * chooses each one's type (bit k: document k is plain text, else HTML).
 * They are extracted with the site filter and stored into an in-memory
 * database, then the checks run and are written in every format, and the
 * timeline, the HTML report, a search (for the first document's first
 * word) and the claims listing are written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "report.h"
#include "store.h"

static void read_all(store *s, FILE *null, const char *word)
{
    static const char *const check_formats[] = {"text", "csv", "tsv", "jsonl"};
    static const char *const timeline_formats[] = {"json", "csv", "tsv", "jsonl", "timelinejs", "timelinejs-csv"};
    cs_error err;
    check_list l = {NULL, 0, 0};
    if (check_run(s, harness_rules(), &l, &err) == CS_OK)
        for (size_t i = 0; i < 4; i++)
            (void)check_write(null, s, &l, check_formats[i], &err);
    report_timeline t = {NULL, 0, 0};
    if (report_timeline_build(s, &t, &err) == CS_OK) {
        for (size_t i = 0; i < 6; i++)
            (void)report_timeline_write(null, &t, timeline_formats[i], &err);
        char path[4096];
        (void)report_html(s, &l, &t, harness_path("report.html", path, sizeof path), &err);
    }
    report_timeline_free(&t);
    check_list_free(&l);
    size_t found;
    store_search_query sq = {word, 10, "table", NULL};
    (void)store_search(s, &sq, null, &found, &err);
    store_query q = {NULL, NULL, NULL, NULL, NULL};
    (void)store_list_claims(s, &q, "tsv", null, &found, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    store *s = harness_store_open();
    const uint8_t *p = data + 1, *end = data + size;
    char word[32] = "council";
    for (int k = 0; k < 3 && p <= end; k++) {
        const uint8_t *q = p;
        while (q + 1 < end && !(q[0] == '\f' && q[1] == '\f'))
            q++;
        if (q + 1 >= end)
            q = end;
        if (k == 0) { /* the first word of the first document, as the search */
            size_t w = 0;
            for (const uint8_t *c = p; c < q && w + 1 < sizeof word && (*c & 0x80 || *c > ' '); c++)
                word[w++] = (char)*c;
            if (w)
                word[w] = '\0';
        }
        char id[32];
        snprintf(id, sizeof id, "https://example.org/%d.%s", k, data[0] >> k & 1 ? "txt" : "html");
        harness_store(s, id, p, (size_t)(q - p)); /* one site for all: the filter counts across them */
        p = q + 2;
    }
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        abort();
    read_all(s, null, word);
    fclose(null);
    store_close(s);
    return 0;
}
