/* tables: what a table says of the figures in its cells: the money scale of
 * a caption or column header ("All figures in £m", "£000") and negatives
 * written in brackets. */
#ifndef TABLES_H
#define TABLES_H

#include "doc.h"
#include "mention.h"
#include "rules.h"

/* For each run of table rows (DOC_BLOCK_ROW) of d: a figure that is the
 * whole of its cell, in a column or table whose caption or header names a
 * money scale, becomes money of that scale (value multiplied, fig.scale
 * set); in such a column a bracketed figure "(1.2)" is negative and its span
 * takes the brackets. ms must be sorted by start. The scale words are the
 * lexicons scale-thousand, scale-million, scale-billion and caption-scale. */
void tables_apply(const doc *d, const rules_set *rs, mention_list *ms);

#endif
