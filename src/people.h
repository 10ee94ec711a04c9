/* people: named persons: names, honorifics, roles, parties; aliases within a
 * document ("Cllr Ward" -> Ian Ward, "Sir Norman" -> Norman Warner). */
#ifndef PEOPLE_H
#define PEOPLE_H

#include "mention.h"
#include "rules.h"

/* Cuts the name of a three-word person match back to two words when the
 * third is not part of it: the given name of the next person in an
 * unpunctuated list, or a capitalised word of a Title Case headline
 * (unless the middle word is a given name or particle: "John Jacob Astor").
 * Call before people_normalize and people_span. */
void people_trim(rules_match *m, const char *text, const rules_set *rs);

/* The span a person mention covers: its title and name, without the role or
 * party the match may hold ("Cllr Ward" of "Cllr Ward (Lab)"). */
void people_span(const rules_match *m, size_t *start, size_t *end);

/* Fills p from a person match's groups (title, name, role, party). Returns 0
 * when the name is not a person's (an organisation or place by the
 * not-person-words lexicon). Strings in p are owned by the caller. */
int people_normalize(const rules_match *m, const char *text, const rules_set *rs, mention_person *p);

/* A list of people (a rules match of tag "list", its group "list": "Cllrs
 * Ashworth (Chair), Lindqvist and Tennant", "In attendance: Niamh O'Donnell -
 * Town Clerk, Mr J Smith (Director of Finance)"): one person mention each,
 * with the entry's title (Cllr for a list opened by "Cllrs"), name and role;
 * the first entry's span takes in "Cllrs". rule names the mentions. */
void people_list(const rules_match *m, const char *text, const rules_set *rs, const char *rule, mention_list *l);

/* Resolves every person mention of l to a canonical full name, then adds a
 * mention for each bare later use of a known surname ("Warner said"). text is
 * the cleaned text the spans index; rs gives the surname particles. */
void people_resolve(mention_list *l, const char *text, size_t len, const rules_set *rs);

#endif
