/* libFuzzer harness: the directory walk. The bytes build a tree under a
 * scratch directory, two bytes an action: make a directory, make a file,
 * make a link (to the root, to the parent, to itself, to a file, or
 * dangling), or go up a level; the walk must list each file once, however
 * the links loop, and end. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "load.h"

#define MAX_DEPTH 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Link targets that stay inside the tree (the root as an absolute path
     * too): a link to "/" would walk the machine. */
    char root[4096];
    harness_path("tree", root, sizeof root);
    const char *const targets[] = {".", "..", "f0.html", "nowhere", "d0", "../d0", "l0", root};
    harness_remove(root);
    if (mkdir(root, 0700) != 0)
        abort();
    char cwd[MAX_DEPTH + 1][4096];
    int depth = 0;
    snprintf(cwd[0], sizeof cwd[0], "%s", root);
    size_t files = 0;
    for (size_t i = 0; i + 1 < size && i < 256; i += 2) {
        char p[4200];
        unsigned what = data[i] & 3, arg = data[i + 1];
        if (what == 0 && depth < MAX_DEPTH) {
            snprintf(p, sizeof p, "%s/%sd%u", cwd[depth], arg & 0x80 ? "." : "", arg % 4);
            if (mkdir(p, 0700) == 0 || access(p, F_OK) == 0) {
                depth++;
                snprintf(cwd[depth], sizeof cwd[depth], "%s", p);
            }
        } else if (what == 1) {
            snprintf(p, sizeof p, "%s/f%u%s", cwd[depth], arg % 4, arg & 4 ? ".txt" : ".html");
            FILE *f = fopen(p, "w");
            if (f) {
                fputs("<p>The council spent 5 million.</p>\n", f);
                fclose(f);
                files++;
            }
        } else if (what == 2) {
            if (depth == 0 && (arg >> 2) % 8 == 1)
                continue; /* ".." of the root is outside the tree */
            snprintf(p, sizeof p, "%s/l%u", cwd[depth], arg % 4);
            if (symlink(targets[(arg >> 2) % 8], p) != 0 && errno != EEXIST)
                abort();
        } else if (depth > 0) {
            depth--;
        }
    }
    size_t n = 0;
    cs_error err;
    char **list = load_list_dir(root, &n, &err);
    if (n > 4096)
        abort(); /* a loop was walked */
    for (size_t i = 1; i < n; i++)
        if (!strcmp(list[i - 1], list[i]))
            abort(); /* one file listed twice */
    load_free_list(list, n);
    (void)files;
    return 0;
}
