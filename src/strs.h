/* strs: small string helpers shared by the modules: whole-word search and
 * CSV quoting. */
#ifndef STRS_H
#define STRS_H

#include <stddef.h>
#include <stdio.h>

/* 1 if w occurs in s[0..n) as a whole word (ASCII case-insensitive). */
int strs_has_word(const char *s, size_t n, const char *w);

/* Writes s (NULL as empty) as one quoted CSV field. */
void strs_csv(FILE *f, const char *s);

#endif
