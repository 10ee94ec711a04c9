/* Test helpers. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static rules_set *rules;

static void unload(void)
{
    rules_free(rules);
}

const rules_set *th_rules(void)
{
    if (!rules) {
        cs_error err;
        rules = rules_load("rules", &err);
        if (!rules) {
            fprintf(stderr, "cannot load rules: %s\n", err.msg);
            abort();
        }
        atexit(unload);
    }
    return rules;
}

extract_result *th_extract(const char *id, const char *bytes)
{
    cs_error err;
    doc *d = load_bytes(id, bytes, strlen(bytes), &err);
    if (!d)
        return NULL;
    extract_result *r = cs_xcalloc(1, sizeof *r);
    if (extract_document(d, th_rules(), r, NULL, &err) != CS_OK) {
        doc_free(d);
        free(r);
        return NULL;
    }
    return r;
}

void th_free(extract_result *r)
{
    if (!r)
        return;
    doc_free(r->d);
    extract_result_free(r);
    free(r);
}

const char *th_shared(void)
{
    const char *p = getenv("CLAIMSCAN_SHARED");
    if (!p)
        p = "../shared";
    struct stat st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/gold/seeds.jsonl", p);
    return stat(probe, &st) == 0 ? p : NULL;
}

const char *th_bin(void)
{
    const char *p = getenv("CLAIMSCAN_BIN");
    return p ? p : "./claimscan";
}

static void read_all(FILE *f, buf *b)
{
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(b, chunk, n);
}

char *th_run(const char *cmd, int *status)
{
    /* Standard input from /dev/null: the program reads a pipe or a file on
     * it when no input is named, and the runner's may be an open pipe. */
    buf c;
    buf_init(&c, 0);
    buf_printf_put(&c, "(%s) </dev/null", cmd);
    FILE *f = popen(buf_str(&c), "r");
    buf_free(&c);
    if (!f)
        return NULL;
    buf b;
    buf_init(&b, 0);
    read_all(f, &b);
    int rc = pclose(f);
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return buf_detach(&b);
}

char *th_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b, 0);
    read_all(f, &b);
    fclose(f);
    if (len)
        *len = b.len;
    return buf_detach(&b);
}

const mention *th_first(const extract_result *r, mention_kind k)
{
    for (size_t i = 0; i < r->ms.n; i++)
        if (r->ms.v[i].kind == k)
            return &r->ms.v[i];
    return NULL;
}

void th_unlink_db(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}
