/* boiler: decides for each block whether it is content or boilerplate. */
#ifndef BOILER_H
#define BOILER_H

#include "doc.h"
#include "rules.h"

/* Sets keep, why and score on every block of d, using the lexicons
 * boiler-sections, boiler-lines, boiler-negative, boiler-positive and
 * stopwords from rs, and fills metadata that only the text shows (site name,
 * title of a plain-text page). Then builds d->text. */
void boiler_classify(doc *d, const rules_set *rs);

/* 1 if a class/id token string holds a boilerplate word (nav, footer,
 * comment, share, related, ...), by the boiler-negative lexicon. */
int boiler_negative_attrs(const rules_set *rs, const char *attrs);

#endif
