/* buf: growable, always NUL-terminated byte buffer with a per-instance cap. */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

#include "cs.h"

typedef struct {
    char *ptr;  /* NUL-terminated; NULL until the first append */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* largest len allowed; 0 means no cap */
} buf;

/* Starts an empty buffer; max 0 means unlimited. Free with buf_free. */
void buf_init(buf *b, size_t max);
void buf_free(buf *b);
/* Empties the buffer but keeps its memory. */
void buf_reset(buf *b);
/* Appends n bytes; CS_ERR_TOOBIG (buffer unchanged) past the cap. */
cs_status buf_add(buf *b, const void *p, size_t n) CS_WUR;
cs_status buf_adds(buf *b, const char *s) CS_WUR;
cs_status buf_addc(buf *b, char c) CS_WUR;
cs_status buf_printf(buf *b, const char *fmt, ...) CS_PRINTF(2, 3) CS_WUR;
/* Appends what of p[0..n) fits under the cap, cut back to the start of a
 * UTF-8 character; CS_ERR_TOOBIG when something was left out. */
cs_status buf_add_some(buf *b, const void *p, size_t n);
/* Appends that never fail: without a cap growth cannot fail, and past a cap
 * they keep what fits, as buf_add_some (a capped buffer truncates, it never
 * ends the program). */
void buf_put(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf_put(buf *b, const char *fmt, ...) CS_PRINTF(2, 3);
/* Returns the contents as a malloc'd string (never NULL) and resets b;
 * the caller frees the result. */
char *buf_detach(buf *b);
/* The contents as a string: "" when empty; valid until the next change. */
const char *buf_str(const buf *b);
/* Drops trailing bytes that are ASCII white space. */
void buf_rtrim(buf *b);

#endif
