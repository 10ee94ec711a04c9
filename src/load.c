/* load: bytes in, a document with valid UTF-8 out. Charset decisions follow
 * the WHATWG order: byte-order mark, then a declared charset, then a guess:
 * UTF-8 when valid, else uchardet's reading (libuchardet), windows-1252 when
 * it cannot tell (what latin-1 labels mean on the web). */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <search.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <uchardet.h>
#include <utf8proc.h>

#include "office.h"

int load_valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        while (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u)))
            i += 8; /* eight ASCII bytes at a time */
        if (i >= n)
            break;
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
    if (!d->sha256[0] && d->raw) /* the raw bytes go once parsed (doc_drop_input) */
        sha256_hex(d->raw, d->raw_len, d->sha256);
    return d->sha256;
}

/* ---- charsets ------------------------------------------------------------ */

/* WHATWG Encoding labels whose decoder glibc's iconv knows under another name
 * (or not at all by this label). The standard reads the legacy CJK labels as
 * their supersets and iso-8859-1 as windows-1252. */
static const char *const label_names[][2] = {
    {"iso-8859-1", "windows-1252"}, {"iso8859-1", "windows-1252"}, {"iso_8859-1", "windows-1252"},
    {"latin1", "windows-1252"}, {"l1", "windows-1252"}, {"cp1252", "windows-1252"}, {"x-cp1252", "windows-1252"},
    {"us-ascii", "windows-1252"}, {"ascii", "windows-1252"}, {"windows-1252", "windows-1252"},
    {"utf8", "UTF-8"}, {"unicode-1-1-utf-8", "UTF-8"}, {"unicode20utf8", "UTF-8"}, {"x-unicode20utf8", "UTF-8"},
    {"shift_jis", "CP932"}, {"sjis", "CP932"}, {"x-sjis", "CP932"}, {"ms_kanji", "CP932"}, {"ms932", "CP932"},
    {"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"x-gbk", "GB18030"}, {"cp936", "GB18030"}, {"chinese", "GB18030"},
    {"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"}, {"ks_c_5601-1989", "CP949"}, {"korean", "CP949"},
    {"big5", "BIG5-HKSCS"}, {"x-x-big5", "BIG5-HKSCS"}, {"cn-big5", "BIG5-HKSCS"},
    {"iso-8859-9", "CP1254"}, {"latin5", "CP1254"}, {"tis-620", "CP874"}, {"iso-8859-11", "CP874"},
    {"x-mac-roman", "MACINTOSH"}, {"x-mac-cyrillic", "MAC-CYRILLIC"}, {"x-mac-ukrainian", "MAC-CYRILLIC"},
    {"iso-8859-8-i", "ISO-8859-8"}, {"visual", "ISO-8859-8"}, {"logical", "ISO-8859-8"},
};

/* The iconv name for a charset label: the standard's decoder for the labels
 * above, the label itself otherwise. */
static const char *iconv_name(const char *label)
{
    for (size_t i = 0; i < sizeof label_names / sizeof *label_names; i++)
        if (!strcasecmp(label, label_names[i][0]))
            return label_names[i][1];
    return label;
}

static int is_utf8_name(const char *name)
{
    return !strcasecmp(name, "UTF-8");
}

static int is_cp1252_name(const char *name)
{
    return !strcasecmp(name, "windows-1252") || !strcasecmp(name, "ISO-8859-1") || !strcasecmp(name, "ASCII");
}

typedef enum {
    CHARSET_OK,      /* iconv decodes it and ASCII stays ASCII */
    CHARSET_UNKNOWN, /* iconv does not know the name */
    CHARSET_UNSAFE   /* known, but ASCII bytes do not read as ASCII (UTF-7, EBCDIC, UTF-16) */
} charset_use;

/* Whether a page can be read in the named charset. The page's own markup
 * (and the declaration itself) was read as ASCII, so a charset that reads
 * those bytes otherwise cannot be the page's: the probe holds the characters
 * of markup and '+', which starts an escape in UTF-7. Shift_JIS's yen sign
 * in place of the backslash is why the backslash is left out. */
static charset_use charset_usable(const char *name)
{
    if (is_utf8_name(name) || is_cp1252_name(name))
        return CHARSET_OK;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return CHARSET_UNKNOWN;
    static const char probe[] = "<!DOCTYPE html><meta charset=\"x\"> a+b-c;\n\t0123456789 &#38; ?/:.,'()[]{}_|@%=\r\n"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz";
    char out[sizeof probe * 4];
    char *in = (char *)probe, *o = out;
    size_t inleft = sizeof probe - 1, outleft = sizeof out;
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &o, &outleft);
    iconv_close(cd);
    int same = r != (size_t)-1 && (size_t)(o - out) == sizeof probe - 1 && !memcmp(out, probe, sizeof probe - 1);
    return same ? CHARSET_OK : CHARSET_UNSAFE;
}

/* Reads a charset name at s[j..lim) into name; returns its length. */
static size_t read_label(const unsigned char *s, size_t j, size_t lim, char *name, size_t cap)
{
    while (j < lim && (s[j] == ' ' || s[j] == '\t'))
        j++;
    if (j >= lim || s[j] != '=')
        return 0;
    j++;
    while (j < lim && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
        j++;
    size_t k = 0;
    while (j < lim && k + 1 < cap &&
           (s[j] == '-' || s[j] == '_' || s[j] == ':' || s[j] == '.' || (s[j] >= '0' && s[j] <= '9') ||
            ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')))
        name[k++] = (char)s[j++];
    name[k] = '\0';
    return k;
}

/* The charset a page declares in its first bytes: in a <meta> tag (charset=
 * or http-equiv content "...; charset=NAME"), or in an XML declaration
 * (encoding=). Text elsewhere (a script naming a charset) does not count. */
static int sniff_declared(const unsigned char *s, size_t n, char *name, size_t cap)
{
    size_t lim = n < 4096 ? n : 4096;
    if (lim >= 5 && !strncmp((const char *)s, "<?xml", 5)) {
        for (size_t i = 5; i + 8 < lim && s[i] != '>'; i++)
            if (!strncasecmp((const char *)s + i, "encoding", 8) && read_label(s, i + 8, lim, name, cap))
                return 1;
    }
    for (size_t i = 0; i + 5 < lim; i++) {
        if (s[i] != '<' || strncasecmp((const char *)s + i + 1, "meta", 4))
            continue;
        for (size_t j = i + 5; j + 7 < lim && s[j] != '>'; j++)
            if (!strncasecmp((const char *)s + j, "charset", 7) && read_label(s, j + 7, lim, name, cap))
                return 1;
    }
    return 0;
}

/* UTF-8 whose stray invalid bytes (a truncated character, a pasted Latin-1
 * letter) are read as windows-1252, so nothing is lost. */
static char *from_utf8_lenient(const unsigned char *s, size_t n, size_t *out_len)
{
    char *o = cs_xmalloc(n * 3 + 1);
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = s[i] < 0x80 ? 1 : utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k > 0) {
            memcpy(o + j, s + i, (size_t)k);
            j += (size_t)k, i += (size_t)k;
            continue;
        }
        size_t one;
        char *c = from_cp1252(s + i, 1, &one);
        memcpy(o + j, c, one);
        free(c);
        j += one, i++;
    }
    o[j] = '\0';
    *out_len = j;
    return o;
}

/* The charset uchardet reads in bytes that are not UTF-8 (the first 256 KB
 * suffice), copied into name; "" when it cannot tell. */
static void detect_charset(const unsigned char *s, size_t n, char *name, size_t cap)
{
    name[0] = '\0';
    uchardet_t ud = uchardet_new();
    if (!ud)
        return;
    if (uchardet_handle_data(ud, (const char *)s, n < (256u << 10) ? n : (256u << 10)) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        snprintf(name, cap, "%s", cs ? cs : "");
    }
    uchardet_delete(ud);
}

/* UTF-16 without a byte-order mark: text whose every other byte is NUL,
 * the same parity throughout. Returns "UTF-16LE", "UTF-16BE" or NULL. */
static const char *utf16_without_bom(const unsigned char *s, size_t n)
{
    size_t lim = (n < 4096 ? n : 4096) & ~(size_t)1, zero[2] = {0, 0};
    if (lim < 8)
        return NULL;
    for (size_t i = 0; i < lim; i++)
        zero[i & 1] += s[i] == 0;
    size_t pairs = lim / 2;
    if (zero[1] * 10 >= pairs * 4 && zero[0] * 50 <= pairs)
        return "UTF-16LE";
    if (zero[0] * 10 >= pairs * 4 && zero[1] * 50 <= pairs)
        return "UTF-16BE";
    return NULL;
}

/* Refuses binary data: many NUL bytes or mostly control characters in the
 * first 64 KB. A few stray NULs in text are tolerated; *nuls tells whether
 * there are any, anywhere (load drops them). */
static cs_status check_textual(const unsigned char *s, size_t n, int *nuls, cs_error *err)
{
    size_t lim = n < 65536 ? n : 65536, ctl = 0, nul = 0, first = 0;
    for (size_t i = 0; i < lim; i++) {
        if (s[i] == 0 && !nul++)
            first = i;
        if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '\f')
            ctl++;
    }
    if (nul > 2 && nul * 1000 > lim)
        return cs_fail(err, CS_ERR_INPUT, "binary data (NUL byte at offset %zu), not text or HTML", first);
    if (lim && ctl * 10 > lim)
        return cs_fail(err, CS_ERR_INPUT, "binary data (%zu control bytes in the first %zu), not text or HTML", ctl, lim);
    *nuls = nul ? 1 : n > lim && memchr(s + lim, 0, n - lim) != NULL;
    return CS_OK;
}

/* A copy of s[0..n) without its NUL bytes; *m gets its length. */
static unsigned char *without_nuls(const unsigned char *s, size_t n, size_t *m)
{
    unsigned char *o = cs_xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i])
            o[j++] = s[i];
    o[j] = 0;
    *m = j;
    return o;
}

/* Decodes s[0..n) as the named charset into d->input; windows-1252 when
 * iconv cannot. */
static void decode_as(doc *d, const char *name, const unsigned char *s, size_t n)
{
    d->input = NULL;
    if (is_utf8_name(name)) {
        d->input = from_utf8_lenient(s, n, &d->input_len);
    } else if (!is_cp1252_name(name) && charset_usable(name) == CHARSET_OK) {
        d->input = via_iconv(name, s, n, &d->input_len);
    }
    if (!d->input) {
        d->input = from_cp1252(s, n, &d->input_len);
        name = "windows-1252";
    }
    snprintf(d->charset_buf, sizeof d->charset_buf, "%s", name);
    d->charset = d->charset_buf;
}

/* The charset to read bytes that are not valid UTF-8 in: the declared one
 * when it can be used (a windows-1252 label gives way to detected UTF-8:
 * pages saved as UTF-8 keep old declarations), else uchardet's reading.
 * Fills name. */
static void choose_charset(const char *declared, const unsigned char *s, size_t n, char *name, size_t cap)
{
    const char *want = declared[0] ? iconv_name(declared) : "";
    name[0] = '\0';
    if (want[0] && !is_utf8_name(want) && charset_usable(want) == CHARSET_OK) {
        snprintf(name, cap, "%s", want);
        if (!is_cp1252_name(want))
            return;
    }
    char found[64];
    detect_charset(s, n, found, sizeof found);
    const char *use = found[0] ? iconv_name(found) : "";
    if (use[0] && charset_usable(use) == CHARSET_OK && (!name[0] || is_utf8_name(use)))
        snprintf(name, cap, "%s", use);
    else if (!name[0])
        snprintf(name, cap, "windows-1252");
}

/* A warning for a declared charset that cannot be used. */
static void warn_declared(doc *d, const char *declared)
{
    if (!declared[0])
        return;
    charset_use u = charset_usable(iconv_name(declared));
    if (u == CHARSET_OK)
        return;
    char msg[256];
    snprintf(msg, sizeof msg, "warning: the declared charset '%s' is %s; read as %s", declared,
             u == CHARSET_UNKNOWN ? "unknown" : "not supported (it does not read ASCII as ASCII)", d->charset);
    free(d->warning);
    d->warning = cs_xstrdup(msg);
}

/* The byte-order mark's charset and length, or NULL. */
static const char *bom(const unsigned char *s, size_t n, size_t *len)
{
    *len = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return *len = 3, "UTF-8";
    if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return *len = 2, "UTF-16LE";
    if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return *len = 2, "UTF-16BE";
    return NULL;
}

static cs_status from_utf16(doc *d, const char *cs, const unsigned char *s, size_t n, cs_error *err)
{
    d->input = via_iconv(cs, s, n, &d->input_len);
    d->input_owned = 1;
    d->charset = cs;
    if (!d->input)
        return cs_fail(err, CS_ERR_INPUT, "cannot convert from %s", cs);
    return CS_OK;
}

/* d->input from d->raw, in the WHATWG order: byte-order mark, then the
 * bytes themselves when they are valid UTF-8 (see below), then a declared
 * charset, then uchardet's reading. Stray NUL bytes are dropped. */
static cs_status to_utf8(doc *d, cs_error *err)
{
    const unsigned char *s = d->raw;
    size_t n = d->raw_len, skip;
    const char *b = bom(s, n, &skip);
    if (b && strcmp(b, "UTF-8"))
        return from_utf16(d, b, s + skip, n - skip, err);
    s += skip, n -= skip;
    const char *u16 = b ? NULL : utf16_without_bom(s, n);
    if (u16)
        return from_utf16(d, u16, s, n, err);
    int nuls = 0;
    if (check_textual(s, n, &nuls, err) != CS_OK)
        return CS_ERR_INPUT;
    unsigned char *copy = nuls ? without_nuls(s, n, &n) : NULL;
    if (copy)
        s = copy;
    char declared[64] = "";
    if (!b && d->is_html)
        sniff_declared(s, n, declared, sizeof declared);
    /* Bytes that are valid UTF-8 are UTF-8 whatever a page declares: a legacy
     * multi-byte text is almost never valid UTF-8 by accident, while pages
     * saved as UTF-8 often keep their old charset declaration. */
    if (load_valid_utf8((const char *)s, n)) {
        d->input = (char *)s; /* raw is NUL-terminated: no copy */
        d->input_len = n;
        d->input_owned = copy != NULL;
        d->charset = "UTF-8";
    } else {
        char name[64] = "UTF-8"; /* what a UTF-8 byte-order mark says */
        if (!b)
            choose_charset(declared, s, n, name, sizeof name);
        decode_as(d, name, s, n);
        d->input_owned = 1;
        free(copy);
    }
    warn_declared(d, declared);
    return CS_OK;
}

/* Where PDF readers look for "%PDF-": the first 1,024 bytes (poppler's and
 * Acrobat's header search). 2 when it opens the file, after at most a UTF-8
 * byte-order mark and white space; 1 when it stands later, as behind a mail
 * or HTTP header or quoted in a note; 0 when it is absent. */
static int pdf_marker(const unsigned char *s, size_t n)
{
    size_t lim = n < 1024 ? n : 1024, i = 0;
    if (lim >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\f'))
        i++;
    if (i + 5 <= lim && !memcmp(s + i, "%PDF-", 5))
        return 2;
    for (; i + 5 <= lim; i++)
        if (!memcmp(s + i, "%PDF-", 5))
            return 1;
    return 0;
}

cs_status load_as_text(doc *d, cs_error *err)
{
    d->is_pdf = 0;
    d->is_html = looks_html(d->path, d->raw, d->raw_len);
    if (to_utf8(d, err) != CS_OK)
        return CS_ERR_INPUT;
    if (!d->is_html && d->input != (char *)d->raw) /* UTF-16 shows its markup once converted */
        d->is_html = looks_html(d->path, (const unsigned char *)d->input, d->input_len);
    d->type = d->is_html ? "html" : office_detect_text(d->path, d->input, d->input_len);
    d->is_office = d->type && !d->is_html;
    if (!d->type)
        d->type = "text";
    return CS_OK;
}

/* d, a binary file of type (static) that pdf or office reads from its raw
 * bytes: there is no text input. pdf: 0 or d->is_pdf's DOC_PDF value. */
static doc *read_raw(doc *d, const char *type, int pdf)
{
    d->type = type;
    d->is_pdf = pdf;
    d->is_office = !pdf;
    d->input = (char *)d->raw + d->raw_len;
    return d;
}

doc *load_bytes(const char *id, const void *bytes, size_t len, cs_error *err)
{
    doc *d = doc_new(id);
    d->raw = cs_xmalloc(len + 1);
    if (len)
        memcpy(d->raw, bytes, len);
    d->raw[len] = 0;
    d->raw_len = len;
    int pdf = pdf_marker(d->raw, len);
    if (pdf == 2)
        return read_raw(d, "pdf", DOC_PDF);
    if (office_detect(d->raw, len, &d->type, err) != CS_OK) {
        doc_free(d);
        return NULL;
    }
    if (d->type)
        return read_raw(d, d->type, 0);
    if (pdf == 1 && !load_valid_utf8((const char *)d->raw, len))
        return read_raw(d, "pdf", DOC_PDF_MAYBE);
    if (load_as_text(d, err) != CS_OK) {
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

/* A directory walk: the files found, and the directories already listed,
 * by device and inode, so that linked directories (a link to "." or to a
 * parent) are listed once instead of forever. */
typedef struct {
    char **list;
    size_t n, cap;
    void *seen;      /* tsearch tree of the dir_ids in keys */
    struct dir_id **keys;
    size_t nkeys, capkeys;
} walker;

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

static int cmp_id(const void *a, const void *b)
{
    const dir_id *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* 1 the first time the directory st is met. */
static int first_visit(walker *w, const struct stat *st)
{
    dir_id *k = cs_xmalloc(sizeof *k);
    k->dev = st->st_dev;
    k->ino = st->st_ino;
    dir_id **hit = tsearch(k, &w->seen, cmp_id);
    if (hit && *hit == k) {
        cs_grow(&w->keys, &w->capkeys, w->nkeys + 1, sizeof *w->keys);
        w->keys[w->nkeys++] = k;
        return 1;
    }
    free(k);
    return 0;
}

static void forget_visits(walker *w)
{
    for (size_t i = 0; i < w->nkeys; i++) {
        tdelete(w->keys[i], &w->seen, cmp_id);
        free(w->keys[i]);
    }
    free(w->keys);
}

/* The visible entries of dir (hidden ones skipped), sorted, so that the
 * walk does not depend on the order the file system lists them in. */
static char **dir_names(const char *dir, size_t *n)
{
    *n = 0;
    DIR *dh = opendir(dir);
    if (!dh)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(dh)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        cs_grow(&names, &cap, *n + 1, sizeof *names);
        names[(*n)++] = cs_xstrdup(e->d_name);
    }
    closedir(dh);
    if (*n)
        qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

static void walk(walker *w, const char *dir, int depth)
{
    size_t k = 0; /* set by dir_names; GCC at -O1 cannot tell */
    char **names = depth <= 64 ? dir_names(dir, &k) : NULL;
    int slash = dir[0] && dir[strlen(dir) - 1] == '/';
    for (size_t i = 0; names && i < k; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *p = cs_xmalloc(len);
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat st;
        int ok = stat(p, &st) == 0;
        if (ok && S_ISDIR(st.st_mode)) {
            if (first_visit(w, &st))
                walk(w, p, depth + 1);
            free(p);
        } else if (ok && S_ISREG(st.st_mode)) {
            cs_grow(&w->list, &w->cap, w->n + 1, sizeof *w->list);
            w->list[w->n++] = p;
        } else {
            free(p);
        }
    }
    load_free_list(names, names ? k : 0);
}

char **load_list_dir(const char *dir, size_t *n, cs_error *err)
{
    *n = 0;
    struct stat st;
    DIR *dh = opendir(dir);
    if (!dh || stat(dir, &st) != 0) {
        cs_fail(err, CS_ERR_IO, "%s", strerror(errno));
        if (dh)
            closedir(dh);
        return NULL;
    }
    closedir(dh);
    walker w = {NULL, 0, 0, NULL, NULL, 0, 0};
    first_visit(&w, &st);
    walk(&w, dir, 0);
    forget_visits(&w);
    if (w.n)
        qsort(w.list, w.n, sizeof *w.list, cmp_str);
    *n = w.n;
    return w.list ? w.list : cs_xcalloc(1, sizeof *w.list);
}

void load_free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}
