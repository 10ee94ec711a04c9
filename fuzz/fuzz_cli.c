/* libFuzzer harness: the CLI's argument parsing. The bytes are an argument
 * list, split at NUL bytes, after "claimscan"; the command is looked up and
 * its options parsed as main does, but no command runs (they would write
 * files). The CLI's source is included so that its static parser is the
 * one tested; its closing of standard output (after --help) is kept from
 * closing the harness's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_fclose(FILE *f)
{
    return f == stdout ? fflush(f) : fclose(f);
}
#define fclose(f) harness_fclose(f)
#define main claimscan_main
#include "../src/claimscan.c"
#undef main
#undef fclose

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) { /* help and diagnostics are not the harness's output */
        quiet = freopen("/dev/null", "w", stdout) != NULL;
    }
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    argv[argc++] = "claimscan";
    for (char *p = copy; p <= copy + size && argc < MAX_ARGS; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    /* getopt keeps its place between calls: start it afresh. */
    optind = 0;
    char *none[] = {"claimscan", NULL};
    (void)getopt_long(1, none, "", longs, NULL);
    if (argc >= 2) {
        const command *c = find_command(argv[1]);
        if (c) {
            options o = {NULL, c->formats[0], "out/claims.db", LOAD_DEFAULT_MAX, 0, 0, 0, NULL, NULL, NULL, NULL,
                         "out/report.html", 20, 0, 0, 0};
            (void)parse_options(c, argc, argv, &o);
        }
    }
    free(copy);
    return 0;
}
