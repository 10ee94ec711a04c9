/* layout: positioned words of paginated pages into doc blocks: rows,
 * tables (rows of cells by column positions), reflowed paragraphs, headings
 * by font size and weight, running headers, footers and page numbers. It
 * knows no PDF library: pdf feeds it words, tests can feed it geometry. */
#ifndef LAYOUT_H
#define LAYOUT_H

#include "doc.h"

typedef struct layout layout;

/* A new, empty layout; free with layout_free. */
layout *layout_new(void);
void layout_free(layout *l);

/* Starts the next page (pages are numbered 1, 2, ... in call order), of
 * width x height points; coordinates grow rightwards and down. */
void layout_begin_page(layout *l, double width, double height);
/* Adds a word of the current page: s[0..n) (UTF-8, no spaces), its box and
 * font size in points, and whether its font is bold. */
void layout_add_word(layout *l, const char *s, size_t n, double x1, double y1, double x2, double y2, double size,
                     int bold);
/* Ends the current page: its words become rows. */
void layout_end_page(layout *l);

/* Appends the blocks of every page to d in reading order, each with its
 * page, marks the pages in d, drops running headers, footers and page
 * numbers (keep = 0, why says so) and sets d->title from the first page's
 * main heading when d has none. */
void layout_emit(layout *l, doc *d);

#endif
