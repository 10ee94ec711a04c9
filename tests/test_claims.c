/* Claims assembled from real-shaped sentences and a performance table. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

static const claims_claim *claim_with_actual(const extract_result *r, double v)
{
    for (size_t i = 0; i < r->claims.n; i++)
        if (r->claims.v[i].actual.set && r->claims.v[i].actual.value == v)
            return &r->claims.v[i];
    return NULL;
}

Test(claims, fell_from_to_with_target_in_the_next_sentence)
{
    extract_result *r = th_extract("t.txt", "Police attendance at initial child protection conferences fell from 22.6 per "
                                            "cent to 20.7 per cent last month. The target is 100 per cent.\n");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 20.7);
    cr_assert(c, "no claim with actual 20.7");
    cr_expect(c->previous.set && c->previous.value == 22.6);
    cr_expect(c->target.set && c->target.value == 100);
    cr_expect_eq(c->met, 0);
    cr_expect_str_eq(c->indicator, "Police attendance at initial child protection conferences");
    cr_expect_eq(r->claims.n, 1, "the target sentence is part of the same claim");
    th_free(r);
}

Test(claims, planned_change_is_a_target_not_an_actual)
{
    extract_result *r = th_extract("t.txt", "The council was set targets, including cutting social care vacancies from "
                                            "24.7% in 2007-8 to 17.7%.");
    cr_assert(r);
    cr_assert_eq(r->claims.n, 1);
    const claims_claim *c = &r->claims.v[0];
    cr_expect(!c->actual.set);
    cr_expect(c->target.set && c->target.value == 17.7);
    cr_expect(c->previous.set && c->previous.value == 24.7);
    th_free(r);
}

Test(claims, gap_gives_a_derived_target_for_counts_only)
{
    extract_result *r = th_extract("t.txt", "The number of cases where homelessness is prevented or relieved totalled "
                                            "9,102, missing the target by 1,898.\n\nCare reviews on time stood at 67 per "
                                            "cent, below target by 28 per cent.");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 9102);
    cr_assert(c);
    cr_expect(c->target.set && c->target.value == 11000 && c->target_derived);
    cr_expect(c->gap.set && c->gap.value == 1898);
    cr_expect_eq(c->met, 0);
    c = claim_with_actual(r, 67);
    cr_assert(c);
    cr_expect(c->gap.set && c->gap.value == 28);
    cr_expect(!c->target.set, "no target is derived from a percentage gap");
    th_free(r);
}

Test(claims, aggregates_have_no_met_and_clauses_split)
{
    extract_result *r = th_extract("t.txt", "Half of improvement targets missed.\n\nTwenty-six of the indicators are red "
                                            "and failing, with the direction of travel in 12 improving and nine declining.");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 0.5);
    cr_assert(c);
    cr_expect_eq(c->met, -1, "an aggregate count of missed targets has no met of its own");
    cr_expect(claim_with_actual(r, 26) && claim_with_actual(r, 12) && claim_with_actual(r, 9));
    cr_expect_str_eq(claim_with_actual(r, 9)->indicator, "declining");
    th_free(r);
}

Test(claims, table_rows_follow_the_header)
{
    extract_result *r = th_extract(
        "t.html", "<html><body><article><p>Performance against the corporate indicators at the end of December, as "
                  "reported to the cabinet, is set out below.</p><table><tr><th>Indicator</th><th>Actual</th>"
                  "<th>Target</th><th>Last year</th></tr><tr><td>Affordable homes delivered</td><td>412</td><td>350</td>"
                  "<td>298</td></tr><tr><td>Residual household waste per household</td><td>512kg</td><td>490kg</td>"
                  "<td>530kg</td></tr></table></article></body></html>");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 412);
    cr_assert(c);
    cr_expect(c->target.set && c->target.value == 350);
    cr_expect(c->previous.set && c->previous.value == 298);
    cr_expect_eq(c->met, 1);
    cr_expect_str_eq(c->indicator, "Affordable homes delivered");
    c = claim_with_actual(r, 512);
    cr_assert(c);
    cr_expect_eq(c->met, 0, "residual waste is a measure where lower is better");
    th_free(r);
}

Test(claims, quoted_paragraph_after_said_has_the_speaker)
{
    extract_result *r = th_extract("t.txt", "Deputy council leader Ian Ward spoke.\n\nCllr Ward (Lab) said:\n\nOf the 21 "
                                            "measures we have against children's services, only five of these have hit "
                                            "the target.\n");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 5);
    cr_assert(c, "the whole (21) must not be the actual");
    cr_expect(c->speaker && !strcmp(c->speaker, "Ian Ward"));
    cr_expect_null(claim_with_actual(r, 21));
    th_free(r);
}

/* Shares listed in brackets take the words before the bracket as their
 * indicator, citation markers are neither figures nor indicator text, and
 * no claim is left with an indicator of punctuation alone. */
Test(claims, bracketed_shares_and_citation_markers)
{
    extract_result *r = th_extract("t.txt", "Census\n\nThe population grew by 5.3% over the 2006 figure.[245][n 8] "
                                            "Other major ethnic groups include Asian (11.8%) and Pacific peoples "
                                            "(7.4%), two-thirds of whom live in the region.[255][n 3]\n");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 7.4);
    cr_assert(c, "no claim for 7.4%%");
    cr_expect_str_eq(c->indicator, "Pacific peoples");
    cr_expect(!claim_with_actual(r, 8) && !claim_with_actual(r, 3), "a note marker [n 8] is not a figure");
    for (size_t i = 0; i < r->ms.n; i++)
        cr_expect(!(r->ms.v[i].kind == MENTION_FIGURE && (r->ms.v[i].fig.value == 8 || r->ms.v[i].fig.value == 3)),
                  "figure from a note marker at %zu", r->ms.v[i].start);
    for (size_t i = 0; i < r->claims.n; i++) {
        const char *ind = r->claims.v[i].indicator;
        cr_expect(strpbrk(ind, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") && ind[0] != '[',
                  "indicator '%s'", ind);
    }
    th_free(r);
}

/* A table whose header names no actual or target column holds data, not
 * statements: its rows are not claims. */
Test(claims, rows_of_a_table_without_performance_columns_are_not_claims)
{
    extract_result *r = th_extract("t.html", "<html><body><article><p>The most active developers in the year, as "
                                             "counted by the project, were these.</p><table>"
                                             "<tr><th>Developer</th><th>Changesets</th><th>Share</th></tr>"
                                             "<tr><td>Ann Example</td><td>658</td><td>3.0%</td></tr>"
                                             "<tr><td>Bob Sample</td><td>619</td><td>2.8%</td></tr>"
                                             "</table></article></body></html>");
    cr_assert(r);
    cr_expect_eq(r->claims.n, 0, "first claim: %s", r->claims.n ? r->claims.v[0].indicator : "");
    th_free(r);
}

/* Claims are read with English phrasing: a page in another language keeps
 * its figures but gives no claims, whether it declares its language or not. */
Test(claims, other_languages_give_figures_but_no_claims)
{
    static const char *const fr =
        "Un deuxième avion dépêché par Paris, qui était immobilisé aux Emirats depuis mardi avec 20 tonnes de "
        "matériel, est arrivé jeudi. Le taux de chômage a baissé de 9,5 % à 8,1 % cette année, selon les "
        "chiffres publiés par le ministère. La région compte désormais 1 200 bénévoles sur le terrain, et les "
        "autorités prévoient une aide de 15 millions d'euros pour la reconstruction des écoles et des routes.";
    extract_result *r = th_extract("fr.txt", fr);
    cr_assert(r);
    cr_expect_eq(r->claims.n, 0, "claim: %s", r->claims.n ? r->claims.v[0].indicator : "");
    cr_expect(th_first(r, MENTION_FIGURE), "figures are still found");
    th_free(r);
    r = th_extract("es.html", "<html lang=\"es\"><body><article><p>The council met 12 of its 20 targets in 2024, and "
                              "waiting times fell from 14 weeks to 9 weeks against a target of 8 weeks.</p>"
                              "</article></body></html>");
    cr_assert(r);
    cr_expect_eq(r->claims.n, 0, "a page declared Spanish gives no claims");
    th_free(r);
    r = th_extract("en.html", "<html lang=\"en-GB\"><body><article><p>The council met 12 of its 20 targets in 2024, "
                              "and waiting times fell from 14 weeks to 9 weeks against a target of 8 weeks.</p>"
                              "</article></body></html>");
    cr_assert(r);
    cr_expect_geq(r->claims.n, 1, "the same page declared English does");
    th_free(r);
}

/* A performance table with a column per year and no "actual" column: the
 * latest year is the actual, the year before it the previous, whatever
 * their order on the page. */
Test(claims, year_columns_give_actual_and_previous)
{
    extract_result *r = th_extract(
        "t.html", "<html><body><article><p>The table shows performance against the council plan measures for the "
                  "year, as reported to cabinet.</p><table>"
                  "<tr><th>Measure</th><th>2023/24</th><th>2022/23</th><th>2021/22</th><th>Target</th></tr>"
                  "<tr><td>Repairs completed on time</td><td>87%</td><td>81%</td><td>79%</td><td>90%</td></tr>"
                  "</table></article></body></html>");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 87);
    cr_assert(c, "no claim with the 2023/24 value as actual");
    cr_expect_str_eq(c->indicator, "Repairs completed on time");
    cr_expect(c->previous.set && c->previous.value == 81, "previous is 2022/23");
    cr_expect(c->target.set && c->target.value == 90);
    cr_expect_eq(c->met, 0);
    th_free(r);
}

/* A year in a column header is four digits: a longer run of digits names no
 * year (and is never read past an int), so "Q2 20999999999" orders as Q2. */
Test(claims, a_header_year_is_four_digits_no_more)
{
    extract_result *r = th_extract(
        "t.html", "<html><body><article><p>The scorecard shows performance against the council plan for each "
                  "quarter of the year, as reported to cabinet.</p><table>"
                  "<tr><th>Measure</th><th>Q1</th><th>Q2 20999999999</th><th>Target</th></tr>"
                  "<tr><td>Calls answered within a minute</td><td>81%</td><td>84%</td><td>90%</td></tr>"
                  "</table></article></body></html>");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 84);
    cr_assert(c, "no claim with the Q2 value as actual");
    cr_expect(c->previous.set && c->previous.value == 81, "previous is Q1");
    th_free(r);
}

/* A scorecard's status column (red, amber, green) states met. */
Test(claims, a_status_column_states_met)
{
    extract_result *r = th_extract(
        "t.html", "<html><body><article><p>The scorecard shows performance against the council plan for the "
                  "quarter, with the status reported to cabinet.</p><table>"
                  "<tr><th>Measure</th><th>Actual</th><th>Target</th><th>RAG status</th></tr>"
                  "<tr><td>Calls answered</td><td>70%</td><td></td><td>Red</td></tr>"
                  "<tr><td>Complaints closed</td><td>64%</td><td></td><td>Not met</td></tr>"
                  "<tr><td>Missed bins collected</td><td>96%</td><td></td><td>G</td></tr>"
                  "<tr><td>Planning decisions</td><td>81%</td><td></td><td>Amber</td></tr>"
                  "</table></article></body></html>");
    cr_assert(r);
    const double v[] = {70, 64, 96, 81};
    const int met[] = {0, 0, 1, -1};
    for (int i = 0; i < 4; i++) {
        const claims_claim *c = claim_with_actual(r, v[i]);
        cr_assert(c, "no claim for %g", v[i]);
        cr_expect_eq(c->met, met[i], "%s: met %d", c->indicator, c->met);
    }
    th_free(r);
}

/* Quarter columns, the last not yet filled: the latest quarter with a value
 * is the actual, the one before it the previous. */
Test(claims, quarter_columns_take_the_latest_filled_quarter)
{
    extract_result *r = th_extract(
        "t.html", "<html><body><article><p>The scorecard shows performance against the council plan for each "
                  "quarter of the year, as reported to cabinet.</p><table>"
                  "<tr><th>Measure</th><th>Q1</th><th>Q2</th><th>Q3</th><th>Q4</th><th>Target</th></tr>"
                  "<tr><td>Calls answered within a minute</td><td>81%</td><td>84%</td><td>86%</td><td></td>"
                  "<td>90%</td></tr></table></article></body></html>");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 86);
    cr_assert(c, "no claim with the Q3 value as actual");
    cr_expect(c->previous.set && c->previous.value == 84, "previous is Q2");
    cr_expect(c->target.set && c->target.value == 90);
    cr_expect_eq(c->met, 0);
    th_free(r);
}

/* Period columns alone make a data table, not a performance table. */
Test(claims, a_table_of_periods_without_target_or_status_is_data)
{
    extract_result *r = th_extract(
        "t.html", "<html><body><article><p>The table shows the population of each ward at the last two censuses, "
                  "as published by the council in its annual report.</p><table>"
                  "<tr><th>Ward</th><th>Population 2011</th><th>Population 2021</th></tr>"
                  "<tr><td>Eastgate</td><td>11,900</td><td>12,400</td></tr></table></article></body></html>");
    cr_assert(r);
    cr_expect_eq(r->claims.n, 0, "first claim: %s", r->claims.n ? r->claims.v[0].indicator : "");
    th_free(r);
}

/* A figure is not an indicator: a line that is only a size and its change
 * names nothing the change is of. */
Test(claims, a_figure_alone_is_no_indicator)
{
    extract_result *r = th_extract("t.txt", "App update sizes\n\n13.4 MB (-81%)\n\n8.0 MB (-89%)\n");
    cr_assert(r);
    cr_expect_eq(r->claims.n, 0, "first claim: %s", r->claims.n ? r->claims.v[0].indicator : "");
    th_free(r);
}

/* The lexicons of rules/ drive the steps: lower-is-better holds stems, and
 * an indicator loses its leading filler words whatever their case. */
Test(claims, lexicons_drive_direction_and_indicator_trimming)
{
    const rules_list *lower = rules_lexicon(th_rules(), "lower-is-better");
    cr_assert(lower, "rules/lower-is-better.txt is missing");
    cr_expect(claims_lower_is_better(lower, "Average caseload per social worker"));
    cr_expect(claims_lower_is_better(lower, "Social care vacancies"));
    cr_expect(!claims_lower_is_better(lower, "Household waste recycled"));
    cr_expect(!claims_lower_is_better(NULL, "Social care vacancies"));
    extract_result *r = th_extract("t.txt", "Of the 30 housing indicators in the report, 17 were on target.");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 17);
    cr_assert(c);
    cr_expect_str_eq(c->indicator, "housing indicators in the report");
    th_free(r);
}

/* An inspection judgement is a claim without a figure: its status is the
 * grade, its indicator what the sentence before says was inspected, and
 * that sentence's date its period. A judged count stays a count's claim. */
Test(claims, an_inspection_judgement_has_a_status_and_no_figure)
{
    extract_result *r = th_extract("t.txt", "The last inspection of the council\xE2\x80\x99s services for care leavers was "
                                            "in June 2021. The council was judged to be inadequate. The adoption "
                                            "service was rated good.\n");
    cr_assert(r);
    cr_assert_eq(r->claims.n, 2, "%zu claims", r->claims.n);
    const claims_claim *c = &r->claims.v[0];
    cr_expect_str_eq(c->status, "inadequate");
    cr_expect_str_eq(c->indicator, "services for care leavers");
    cr_expect(!c->actual.set && c->met == -1, "no figure, no met");
    cr_expect(c->has_period && c->period.start.y == 2021 && c->period.start.m == 6 && c->period.end.d == 30);
    c = &r->claims.v[1];
    cr_expect_str_eq(c->status, "good");
    cr_expect_str_eq(c->indicator, "adoption service");
    th_free(r);
}

/* "below the target of 85%" names the target; the figure before it is the
 * actual, not a gap. "4 per cent below target" is a gap. */
Test(claims, below_the_target_of_names_the_target)
{
    extract_result *r = th_extract("t.txt", "The share of bins collected on time rose to 81%, below the target of 85%.\n\n"
                                            "Recycling fell to 38%, 4 per cent below target.\n");
    cr_assert(r);
    const claims_claim *c = claim_with_actual(r, 81);
    cr_assert(c, "81%% is the actual");
    cr_expect(c->target.set && c->target.value == 85 && !c->gap.set && c->met == 0);
    c = claim_with_actual(r, 38);
    cr_assert(c);
    cr_expect(c->gap.set && c->gap.value == 4 && c->met == 0);
    th_free(r);
}
