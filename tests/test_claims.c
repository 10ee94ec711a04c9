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
