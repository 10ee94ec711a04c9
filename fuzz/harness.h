/* harness: what the libFuzzer harnesses share: the shipped rules, loaded
 * once, and a document run through the whole pipeline. */
#ifndef HARNESS_H
#define HARNESS_H

#include "doc.h"

/* Runs d through extract and writes its records to /dev/null; frees d.
 * Loads rules/ (or $CLAIMSCAN_RULES) on the first call; aborts when the
 * rules cannot be loaded, as no input could then be tested. */
void harness_extract(doc *d);

#endif
