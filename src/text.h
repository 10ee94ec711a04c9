/* text: plain-text input into blocks. */
#ifndef TEXT_H
#define TEXT_H

#include "doc.h"

/* Splits d->input into blocks: one per line, except that hard-wrapped prose
 * (consecutive long lines of one paragraph) joins into one block. Bullet
 * lines become items. Never fails. */
void text_parse(doc *d);

#endif
