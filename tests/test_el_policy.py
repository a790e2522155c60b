"""Reading an Entity List entry's review-policy text, on the wordings of the reference CSL."""

from __future__ import annotations

import pytest

from exportguard.check.el_policy import entity_list_policy

SEED = ("Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, "
        "and 2E983, and for EAR99 items described in the Note to ECCN 1A995; case-by-case review "
        "for items necessary to detect, identify and treat infectious disease; and presumption "
        "of denial for all other items subject to the EAR.")
FOOD = ("Policy of denial for all items subject to the EAR apart from food and medicine "
        "designated as EAR99, which will be reviewed on a case-by-case basis. See §§ 746.8(b) "
        "and 744.21(e)")
CCL = "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items"
SMIC_2020 = ("Presumption of denial except case-by-case for items not described in ECCN "
             "3B001.a.4, .c, .d, f.1.b.2, .k to .p; 3B002.c, 3B993, or 3B994")


@pytest.mark.parametrize(("text", "eccn", "policy"), [
    ("Presumption of denial", "EAR99", "presumption_of_denial"),
    ("Presumption for denial.", "EAR99", "presumption_of_denial"),
    ("Policy of denial. See § 746.8(b)", "3A090.a", "presumption_of_denial"),
    (SEED, "EAR99", "presumption_of_denial"),
    (SEED, "1A004.c", "case_by_case"),
    (SEED, "3A090.a", "presumption_of_denial"),
    (FOOD, "EAR99", "presumption_of_denial"),
    (CCL, "EAR99", "presumption_of_approval"),
    (CCL, "3A090.a", "case_by_case"),
    (SMIC_2020, "EAR99", "case_by_case"),
    (SMIC_2020, "3B002.c", "presumption_of_denial"),
    (SMIC_2020, "3B001.c", None),  # ".c" is shorthand for 3B001.c: not guessed
])
def test_policy_wordings_are_read_for_the_item(text, eccn, policy):
    assert entity_list_policy(text, eccn)[0] == policy


def test_a_carve_out_is_quoted_not_applied():
    policy, note = entity_list_policy(FOOD, "EAR99")
    assert policy == "presumption_of_denial"
    assert "food and medicine designated as ear99" in note


def test_unknown_wording_is_a_caveat_that_quotes_the_text():
    policy, note = entity_list_policy("See § 746.8(b)(2) of the EAR", "EAR99")
    assert policy is None and '"See § 746.8(b)(2) of the EAR"' in note


def test_every_policy_text_of_the_reference_csl_gives_a_policy_or_a_quoting_note(csl_entries):
    texts = {e.license_policy for e in csl_entries if e.list_code == "EL" and e.license_policy}
    assert len(texts) > 50
    for text in texts:
        for eccn in ("EAR99", "3A090.a", "1A004.c"):
            policy, note = entity_list_policy(text, eccn)
            assert policy is not None or (note and '"' in note), (text, eccn)
