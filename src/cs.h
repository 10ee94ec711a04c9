/* cs: project-wide status codes, error messages and the allocation policy. */
#ifndef CS_H
#define CS_H

#include <stddef.h>

#if defined(__GNUC__)
#define CS_WUR __attribute__((warn_unused_result))
#define CS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CS_WUR
#define CS_PRINTF(a, b)
#endif

/* One status enum for the whole library: 0 is success. */
typedef enum {
    CS_OK = 0,
    CS_ERR_IO,      /* a file could not be read or written */
    CS_ERR_INPUT,   /* the input is not something we can process */
    CS_ERR_TOOBIG,  /* a size cap was reached */
    CS_ERR_RULES,   /* a rule file is broken */
    CS_ERR_DB,      /* the database refused an operation */
    CS_ERR_USAGE    /* the caller passed something meaningless */
} cs_status;

/* An error message filled by library calls that fail; the CLI prints it. */
typedef struct {
    char msg[1024];
} cs_error;

/* Formats into err (if non-NULL) and returns code, so callers can
 * `return cs_fail(err, CS_ERR_IO, "...")`. */
cs_status cs_fail(cs_error *err, cs_status code, const char *fmt, ...) CS_PRINTF(3, 4);

/* Allocation never fails for callers: on exhaustion these print one line to
 * stderr and abort. This is the single out-of-memory policy of the project. */
void *cs_xmalloc(size_t n);
void *cs_xcalloc(size_t count, size_t size);
void *cs_xrealloc(void *p, size_t n);
char *cs_xstrdup(const char *s);
char *cs_xstrndup(const char *s, size_t n);

/* Grows *arr (of *cap elements of size elem) so that it holds need elements. */
void cs_grow(void *arr_ptr, size_t *cap, size_t need, size_t elem);

#endif
