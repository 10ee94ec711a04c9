/* strs: string helpers. */
#include "strs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

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

/* 1 if a spreadsheet would read s as a formula (OWASP's list of leads). */
static int csv_formula(const char *s)
{
    return strchr("=+-@\t\r", *s) && *s && !csv_number(s);
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

size_t strs_hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
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
