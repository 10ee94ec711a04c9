/* cs: status messages and the abort-on-exhaustion allocator. */
#include "cs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cs_status cs_fail(cs_error *err, cs_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

static void oom(size_t n)
{
    fprintf(stderr, "claimscan: out of memory allocating %zu bytes\n", n);
    abort();
}

void *cs_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *cs_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *cs_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *cs_xstrdup(const char *s)
{
    return cs_xstrndup(s, strlen(s));
}

char *cs_xstrndup(const char *s, size_t n)
{
    char *d = cs_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void cs_grow(void *arr_ptr, size_t *cap, size_t need, size_t elem)
{
    void **arr = arr_ptr;
    if (need <= *cap)
        return;
    /* Double so that repeated appends stay amortized linear. */
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    *arr = cs_xrealloc(*arr, n * elem);
    *cap = n;
}
