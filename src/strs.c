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

void strs_csv(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
