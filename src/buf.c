/* buf: growable byte buffer. Grows by doubling for amortized linear appends;
 * the cap protects us from hostile input (huge pages, endless text). */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void buf_free(buf *b)
{
    free(b->ptr);
    buf_init(b, b->max);
}

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

static cs_status reserve(buf *b, size_t extra)
{
    if (b->max && (extra > b->max || b->len > b->max - extra))
        return CS_ERR_TOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return CS_OK;
    size_t n = b->cap ? b->cap : 64;
    while (n < need)
        n = n / 2 * 3 + 64;
    b->ptr = cs_xrealloc(b->ptr, n);
    b->cap = n;
    return CS_OK;
}

cs_status buf_add(buf *b, const void *p, size_t n)
{
    if (reserve(b, n) != CS_OK)
        return CS_ERR_TOOBIG;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return CS_OK;
}

cs_status buf_adds(buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

cs_status buf_addc(buf *b, char c)
{
    return buf_add(b, &c, 1);
}

cs_status buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CS_ERR_INPUT;
    if (reserve(b, (size_t)n) != CS_OK)
        return CS_ERR_TOOBIG;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return CS_OK;
}

cs_status buf_add_some(buf *b, const void *p, size_t n)
{
    if (!b->max || n <= b->max - b->len)
        return buf_add(b, p, n);
    const unsigned char *s = p;
    size_t k = b->max - b->len;
    while (k && (s[k] & 0xC0) == 0x80)
        k--; /* s[k] would be inside a character: cut before it starts */
    if (buf_add(b, s, k) != CS_OK)
        return CS_ERR_TOOBIG; /* cannot happen: k fits */
    return CS_ERR_TOOBIG;
}

void buf_put(buf *b, const void *p, size_t n)
{
    if (buf_add_some(b, p, n) != CS_OK)
        return; /* the cut is the documented behaviour */
}

void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
    buf_put(b, &c, 1);
}

void buf_printf_put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort(); /* an invalid format: a programming error */
    if (reserve(b, (size_t)n) != CS_OK) {
        char *tmp = cs_xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(tmp, (size_t)n + 1, fmt, ap);
        va_end(ap);
        buf_put(b, tmp, (size_t)n);
        free(tmp);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *buf_detach(buf *b)
{
    /* Sized to fit: a detached string is kept, often by the thousand. */
    char *p = b->ptr ? cs_xrealloc(b->ptr, b->len + 1) : cs_xstrdup("");
    buf_init(b, b->max);
    return p;
}

const char *buf_str(const buf *b)
{
    return b->ptr ? b->ptr : "";
}

void buf_rtrim(buf *b)
{
    while (b->len && (b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\t' ||
                      b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\r'))
        b->ptr[--b->len] = '\0';
}
