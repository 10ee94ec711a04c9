/* load: bytes in, a document with valid UTF-8 out. Charset decisions follow
 * the WHATWG order: BOM, then a declared charset, then a guess (UTF-8 when
 * valid, else windows-1252, which is what latin-1 labels mean on the web). */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>

int load_valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* windows-1252 bytes 0x80..0x9F; the rest of the high half is Latin-1. */
static const unsigned short cp1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static char *from_cp1252(const unsigned char *s, size_t n, size_t *out_len)
{
    char *o = cs_xmalloc(n * 3 + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cp = s[i];
        if (cp >= 0x80 && cp < 0xA0)
            cp = cp1252[cp - 0x80];
        j += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)o + j);
    }
    o[j] = '\0';
    *out_len = j;
    return o;
}

static char *via_iconv(const char *charset, const unsigned char *s, size_t n, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 4 + 16;
    char *o = cs_xmalloc(cap);
    char *in = (char *)s, *out = o;
    size_t inleft = n, outleft = cap - 1;
    while (inleft) {
        if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
            if (errno == EILSEQ || errno == EINVAL) {
                /* Replace the bad byte with U+FFFD and go on. */
                if (outleft < 4)
                    break;
                memcpy(out, "\xEF\xBF\xBD", 3);
                out += 3, outleft -= 3;
                in++, inleft--;
                continue;
            }
            break;
        }
    }
    iconv_close(cd);
    *out = '\0';
    *out_len = (size_t)(out - o);
    return o;
}

/* Finds charset=NAME in the first bytes of an HTML page. */
static int sniff_meta_charset(const unsigned char *s, size_t n, char *name, size_t cap)
{
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 8 < lim; i++) {
        if (strncasecmp((const char *)s + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < lim && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= lim || s[j] != '=')
            continue;
        j++;
        while (j < lim && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = 0;
        while (j < lim && k + 1 < cap &&
               (s[j] == '-' || s[j] == '_' || s[j] == ':' || s[j] == '.' ||
                (s[j] >= '0' && s[j] <= '9') || ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')))
            name[k++] = (char)s[j++];
        name[k] = '\0';
        if (k)
            return 1;
    }
    return 0;
}

static int looks_html(const char *path, const unsigned char *s, size_t n)
{
    const char *dot = strrchr(path, '.');
    if (dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm") || !strcasecmp(dot, ".xhtml")))
        return 1;
    if (dot && !strcasecmp(dot, ".txt"))
        return 0;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    if (i >= n || s[i] != '<')
        return 0;
    size_t lim = n < 2048 ? n : 2048;
    static const char *marks[] = {"<!doctype html", "<html", "<head", "<body", "<meta", "<title",
                                  "<div", "<p>", "<p ", "<!--", NULL};
    for (size_t k = i; k < lim; k++)
        for (int m = 0; marks[m]; m++)
            if (!strncasecmp((const char *)s + k, marks[m], strlen(marks[m])))
                return 1;
    return 0;
}

static void sha256_hex(const unsigned char *s, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(s, n, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

const char *load_sha256(doc *d)
{
    if (!d->sha256[0])
        sha256_hex(d->raw, d->raw_len, d->sha256);
    return d->sha256;
}

static int is_latin1_label(const char *cs)
{
    static const char *labels[] = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252",
                                   "cp1252", "us-ascii", "ascii", "iso_8859-1", "x-cp1252", NULL};
    for (int i = 0; labels[i]; i++)
        if (!strcasecmp(cs, labels[i]))
            return 1;
    return 0;
}

static cs_status to_utf8(doc *d, cs_error *err)
{
    d->input_owned = 1; /* every branch but the valid UTF-8 one converts */
    const unsigned char *s = d->raw;
    size_t n = d->raw_len;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3, n -= 3;
        d->charset = "UTF-8";
    } else if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        d->input = via_iconv(s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", s + 2, n - 2, &d->input_len);
        d->charset = s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        if (!d->input)
            return cs_fail(err, CS_ERR_INPUT, "cannot convert from %s", d->charset);
        return CS_OK;
    }
    /* Text is binary when it holds NUL bytes or mostly control characters. */
    size_t lim = n < 65536 ? n : 65536, ctl = 0;
    for (size_t i = 0; i < lim; i++) {
        if (s[i] == 0)
            return cs_fail(err, CS_ERR_INPUT, "binary data (NUL byte at offset %zu), not text or HTML", i);
        if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '\f')
            ctl++;
    }
    if (lim && ctl * 10 > lim)
        return cs_fail(err, CS_ERR_INPUT, "binary data (%zu control bytes in the first %zu), not text or HTML", ctl, lim);

    char declared[64] = "";
    if (!d->charset && d->is_html)
        sniff_meta_charset(s, n, declared, sizeof declared);
    /* Bytes that are valid UTF-8 are UTF-8 whatever a page declares: a legacy
     * multi-byte text is almost never valid UTF-8 by accident, while pages
     * saved as UTF-8 often keep their old charset declaration. */
    if (load_valid_utf8((const char *)s, n)) {
        d->input = (char *)s; /* raw is NUL-terminated: no copy */
        d->input_len = n;
        d->input_owned = 0;
        if (!d->charset)
            d->charset = "UTF-8";
        return CS_OK;
    }
    if (declared[0] && strcasecmp(declared, "utf-8") && strcasecmp(declared, "utf8") && !is_latin1_label(declared)) {
        d->input = via_iconv(declared, s, n, &d->input_len);
        if (d->input) {
            d->charset = "declared";
            return CS_OK;
        }
    }
    d->input = from_cp1252(s, n, &d->input_len);
    d->charset = "windows-1252";
    return CS_OK;
}

doc *load_bytes(const char *id, const void *bytes, size_t len, cs_error *err)
{
    doc *d = doc_new(id);
    d->raw = cs_xmalloc(len + 1);
    if (len)
        memcpy(d->raw, bytes, len);
    d->raw[len] = 0;
    d->raw_len = len;
    d->is_html = looks_html(id, d->raw, len);
    if (to_utf8(d, err) != CS_OK) {
        doc_free(d);
        return NULL;
    }
    return d;
}

doc *load_file(const char *path, size_t max, cs_error *err)
{
    int is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cs_fail(err, CS_ERR_IO, "%s", strerror(errno));
        return NULL;
    }
    if (!is_stdin) {
        struct stat st;
        if (fstat(fileno(f), &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                fclose(f);
                cs_fail(err, CS_ERR_INPUT, "is a directory");
                return NULL;
            }
            if (max && (size_t)st.st_size > max) {
                fclose(f);
                cs_fail(err, CS_ERR_TOOBIG, "file too large (%lld bytes; the limit is %zu, see --max-size)",
                        (long long)st.st_size, max);
                return NULL;
            }
        }
    }
    buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    cs_status st = CS_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((st = buf_add(&b, chunk, n)) != CS_OK)
            break;
    int rerr = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (st != CS_OK) {
        buf_free(&b);
        cs_fail(err, CS_ERR_TOOBIG, "input too large (the limit is %zu bytes, see --max-size)", max);
        return NULL;
    }
    if (rerr) {
        buf_free(&b);
        cs_fail(err, CS_ERR_IO, "read error");
        return NULL;
    }
    doc *d = load_bytes(path, b.ptr ? b.ptr : "", b.len, err);
    buf_free(&b);
    return d;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, char ***list, size_t *n, size_t *cap, int depth)
{
    DIR *dh = opendir(dir);
    if (!dh || depth > 64) {
        if (dh)
            closedir(dh);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = cs_xmalloc(len);
        snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk(p, list, n, cap, depth + 1);
            free(p);
        } else if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            cs_grow(list, cap, *n + 1, sizeof **list);
            (*list)[(*n)++] = p;
        } else {
            free(p);
        }
    }
    closedir(dh);
}

char **load_list_dir(const char *dir, size_t *n, cs_error *err)
{
    *n = 0;
    DIR *dh = opendir(dir);
    if (!dh) {
        cs_fail(err, CS_ERR_IO, "%s", strerror(errno));
        return NULL;
    }
    closedir(dh);
    char **list = NULL;
    size_t cap = 0;
    walk(dir, &list, n, &cap, 0);
    if (*n)
        qsort(list, *n, sizeof *list, cmp_str);
    if (!list)
        list = cs_xcalloc(1, sizeof *list);
    return list;
}

void load_free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}
