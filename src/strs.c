/* strs: string helpers. */
#include "strs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

int strs_take_digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return 0;
        x = x * 10 + ((*p)[i] - '0');
    }
    *v = x;
    *p += n;
    return 1;
}

int strs_has_word(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++)
        if (!strncasecmp(s + i, w, wl) && (i == 0 || !isalpha((unsigned char)s[i - 1])) &&
            (i + wl == n || !isalpha((unsigned char)s[i + wl])))
            return 1;
    return 0;
}

int strs_has_any(const char *s, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strs_has_word(s, n, list[i]))
            return 1;
    return 0;
}

void strs_lower(char *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)s[i]);
    w[n] = '\0';
}

int strs_in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcasecmp(w, list[i]))
            return 1;
    return 0;
}

/* The length of a citation marker at s ("[12]", "[n 10]", "[note 3]"), or
 * 0: an editor's "[pure]" is text. */
size_t strs_citation_len(const char *s, size_t n)
{
    if (!n || *s != '[')
        return 0;
    size_t i = 1;
    for (const char *w = "note"; *w && i < n && s[i] == *w; w++)
        i++;
    while (i < n && s[i] == ' ')
        i++;
    size_t d = i;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    return i > d && i - d <= 4 && i < n && s[i] == ']' && (d == 1 || s[1] == 'n') ? i + 1 : 0;
}

/* 1 if s is a plain number as a spreadsheet reads one: a sign, digits with
 * at most one decimal point, an optional exponent and per cent sign. */
static int csv_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    size_t digits = 0;
    for (int point = 0; isdigit((unsigned char)*p) || (*p == '.' && !point); p++) {
        point |= *p == '.';
        digits += isdigit((unsigned char)*p) != 0;
    }
    if (!digits)
        return 0;
    if ((*p == 'e' || *p == 'E') && (isdigit((unsigned char)p[1]) ||
                                     ((p[1] == '-' || p[1] == '+') && isdigit((unsigned char)p[2])))) {
        p += 2;
        while (isdigit((unsigned char)*p))
            p++;
    }
    p += *p == '%';
    return !*p;
}

/* 1 if a spreadsheet would read s as a formula (OWASP's list of leads). A
 * lone "-" (standard input's path, a missing value) is shown as text. */
static int csv_formula(const char *s)
{
    return strchr("=+-@\t\r", *s) && *s && !csv_number(s) && strcmp(s, "-");
}

static void csv_field(FILE *f, const char *s)
{
    if (!s)
        s = "";
    int lead = csv_formula(s), quote = s[strcspn(s, ",\"\r\n")] != '\0';
    if (quote)
        fputc('"', f);
    if (lead)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote)
        fputc('"', f);
}

cs_status strs_csv_row(FILE *f, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        csv_field(f, cols[i]);
    }
    fputc('\n', f);
    return ferror(f) ? CS_ERR_IO : CS_OK;
}

size_t strs_hash_more(size_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

size_t strs_hash(const char *s, size_t n)
{
    return strs_hash_more(1469598103934665603ULL, s, n);
}

cs_status strs_tsv_row(FILE *f, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc('\t', f);
        const char *s = cols[i] ? cols[i] : "";
        if (csv_formula(s))
            fputc('\'', f);
        for (; *s; s++) {
            const char *esc = *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : *s == '\\' ? "\\\\" : NULL;
            if (esc)
                fputs(esc, f);
            else
                fputc(*s, f);
        }
    }
    fputc('\n', f);
    return ferror(f) ? CS_ERR_IO : CS_OK;
}

/* 1 for a code point a terminal acts on rather than shows. */
static int unsafe_cp(utf8proc_int32_t c)
{
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* 1 if strs_safe keeps the line break or tab at s[i] under keep. */
static int kept_space(const char *s, size_t i, size_t n, int keep)
{
    if (keep == STRS_KEEP_LINES)
        return s[i] == '\n' || s[i] == '\t';
    return keep == STRS_KEEP_INDENTED && s[i] == '\n' && i + 1 < n && s[i + 1] == ' ';
}

void strs_safe(buf *out, const char *s, size_t n, int keep)
{
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k < 1) {
            buf_printf_put(out, "\\x%02x", (unsigned char)s[i]); /* not UTF-8 */
            i++;
            continue;
        }
        if (!unsafe_cp(c) || kept_space(s, i, n, keep))
            buf_put(out, s + i, (size_t)k);
        else if (c == '\n' || c == '\t' || c == '\r')
            buf_printf_put(out, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
        else
            buf_printf_put(out, c < 0x100 ? "\\x%02x" : "\\u%04x", (unsigned)c);
        i += (size_t)k;
    }
}

cs_status strs_show(FILE *f, const char *s, size_t n)
{
    buf b;
    buf_init(&b, 0);
    if (s)
        strs_safe(&b, s, n, STRS_ESCAPE_ALL);
    if (b.len)
        fwrite(b.ptr, 1, b.len, f);
    buf_free(&b);
    return ferror(f) ? CS_ERR_IO : CS_OK;
}
