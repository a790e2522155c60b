"""`compare_names` (screening/pairs.py) and `exportguard compare`: a pair of names scored by the
screening matcher, with the score a screen against the lists gives."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

import exportguard
from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.lists.starter import with_local_names
from exportguard.names.normalize import MAX_NAME_CHARS
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.pairs import NameComparison, compare_names

runner = CliRunner()


def _variants(name: str, rng: random.Random) -> list[str]:
    """Queries a user might type for a listed name: as listed, lower case without punctuation,
    its words reversed, its last word dropped, one letter of its longest word changed."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    at = rng.randrange(len(word))
    typo = [*words]
    typo[longest] = word[:at] + ("x" if word[at].lower() != "x" else "y") + word[at + 1:]
    plain = "".join(c if c.isalnum() else " " for c in name.lower())
    found = [name, " ".join(plain.split()), " ".join(reversed(words)), " ".join(typo)]
    if len(words) > 2:
        found.append(" ".join(words[:-1]))
    return found


def _pairs_as_screened(screener, entries, rng):
    """(query, entry, screen's match of the entry, compare_names of the pair) for each variant
    of each entry's name that finds the entry at 0.5 in a screen of the whole list; the pair's
    score and features are asserted equal to the screen's."""
    for entry in entries:
        for query in _variants(entry.name, rng):
            result = screener.screen(query, limit=100, min_score=0.5)
            hit = next((m for m in result.matches if m.entry.key == entry.key), None)
            if hit is None:
                continue
            pair = compare_names(query, entry.name, country_b=entry.countries, screener=screener)
            assert pair.score == pytest.approx(hit.score, abs=1e-9), (query, entry.name)
            assert pair.match is not None
            assert [f.to_dict() for f in pair.match.features] == \
                [f.to_dict() for f in hit.features], (query, entry.name)
            yield query, entry, hit, pair


def test_a_pair_scores_what_a_screen_against_the_full_list_gives_the_entry(
        csl_entries, full_screener):
    """For entries of the reference CSL with one name (no alias, no curated name: the one-name
    index then holds the very entry), compare_names(query, listed name) equals the score of the
    entry when the query is screened against the whole list."""
    rng = random.Random(16)
    single = [e for e in csl_entries if e.type == "Entity" and not e.alt_names
              and len(e.name.split()) >= 2 and with_local_names(e) is e]
    compared = 0
    exact = 0
    for _, _, hit, pair in _pairs_as_screened(full_screener, rng.sample(single, 40), rng):
        assert pair.decision == ("clear" if hit.score < DEFAULT_THRESHOLD else
                                 "match" if hit.score >= 0.999 else "review")
        compared += 1
        exact += hit.score >= 0.999
    # Most variants find their entry at 0.5 (the typos and reversed names too), some exactly.
    assert compared >= 150
    assert 60 <= exact <= compared - 50


def test_a_query_in_characters_meets_the_curated_name_of_the_listed_name(full_screener):
    """B gets the curated names in characters its listed copy gets (`with_local_names`)."""
    pair = compare_names("北京旷视科技有限公司", "Megvii Technology", screener=full_screener)
    assert pair.score == 1.0 and pair.decision == "match"
    assert pair.match.matched_origin == "local"
    assert pair.match.features[0].name == "exact_alias"
    listed = full_screener.screen("北京旷视科技有限公司").matches[0]
    assert listed.entry.name == "Megvii Technology" and listed.score == 1.0


def test_country_agreement_lifts_a_fuzzy_pair_and_never_to_an_exact_one(full_screener):
    plain = compare_names("Megvi Technolgy", "Megvii Technology", screener=full_screener)
    both = compare_names("Megvi Technolgy", "Megvii Technology", country_a="cn",
                         country_b=["CN", "HK"], screener=full_screener)
    other = compare_names("Megvi Technolgy", "Megvii Technology", country_a="DE",
                          country_b="CN", screener=full_screener)
    assert plain.decision == "review" and 0.85 <= plain.score < 0.99
    assert both.country_a == "CN" and both.country_b == ("CN", "HK")
    assert plain.score < both.score <= 0.99
    assert other.score < plain.score
    assert [f.name for f in both.match.features][-1] == "country"


def test_unrelated_names_are_clear_and_say_why(full_screener):
    pair = compare_names("Acme Widgets", "Megvii Technology", screener=full_screener)
    assert pair.score == 0.0 and pair.decision == "clear" and pair.match is None
    document = pair.to_dict()
    assert document["explanation"] is None and document["decision"] == "clear"
    near = compare_names("Caribbean Trading Limited", "Pacific Trading Limited",
                         screener=full_screener)
    assert 0.0 < near.score < DEFAULT_THRESHOLD and near.decision == "clear"
    assert near.to_dict()["explanation"]["matched_name"] == "Pacific Trading Limited"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"a": "", "b": "Megvii"}, "name_a"),
    ({"a": "Megvii", "b": "  "}, "name_b"),
    ({"a": "x" * (MAX_NAME_CHARS + 1), "b": "Megvii"}, "name_a"),
    ({"a": "Megvii", "b": "x" * (MAX_NAME_CHARS + 1)}, "name_b"),
    ({"a": "---", "b": "Megvii"}, "name_a"),
    ({"a": 42, "b": "Megvii"}, "name_a"),
    ({"a": "Megvii", "b": "Megvii", "country_a": "XX"}, "country_a"),
    ({"a": "Megvii", "b": "Megvii", "country_a": "China"}, "country_a"),
    ({"a": "Megvii", "b": "Megvii", "country_b": "ZZ"}, "country_b"),
    ({"a": "Megvii", "b": "Megvii", "country_b": ["CN", "Q1"]}, "country_b"),
    ({"a": "Megvii", "b": "Megvii", "country_b": [1]}, "country_b"),
])
def test_bad_input_names_the_field(kwargs, field, full_screener):
    with pytest.raises(InputError) as caught:
        compare_names(kwargs.pop("a"), kwargs.pop("b"), screener=full_screener, **kwargs)
    assert caught.value.field == field


def test_the_library_verb_uses_the_default_store(tmp_path):
    """Without a screener the words are weighed by the default store's lists (here the starter
    set, in the test's own data directory)."""
    pair = exportguard.compare_names("Megvi Technolgy", "Megvii Technology")
    assert isinstance(pair, NameComparison)
    assert pair.decision == "review" and DEFAULT_THRESHOLD <= pair.score < 1.0
    # Legal forms are not part of a name's core: an exact match.
    assert exportguard.compare_names("Megvii Technology Limited", "Megvii Technology").score == 1
    assert [s["source"] for s in pair.to_dict()["word_weights_from"]] == ["starter"]


def test_cli_compare_json_and_errors():
    done = runner.invoke(app, ["compare", "旷视科技", "Megvii Technology", "--json"])
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    assert document["score"] == 1.0 and document["decision"] == "match"
    assert document["explanation"]["matched_name"] == "旷视科技"
    assert document["explanation"]["features"][0]["feature"] == "exact_alias"
    table = runner.invoke(app, ["compare", "Megvi Technolgy", "Megvii Technology",
                                "--country-b", "CN"])
    assert table.exit_code == 0
    assert "score 0.8681, review" in table.stdout
    assert "one_letter_differs" in table.stdout
    bad = runner.invoke(app, ["compare", "Megvii", "Megvii", "--country-a", "XX"])
    assert bad.exit_code == 2
    assert "country_a" in bad.output and "Traceback" not in bad.output


def test_a_pair_scores_what_a_screen_gives_a_listed_individual(csl_entries, full_screener):
    """As above for SDN individuals with one name of three words or more: the pair takes the
    listed party's type from the lists (`_listed_type`), so the rules for persons' names
    (screening/persons.py) apply as in the screen; the name less its last word is within it."""
    rng = random.Random(6)
    single = [e for e in csl_entries if e.type == "Individual" and not e.alt_names
              and len(e.name.split()) >= 3 and with_local_names(e) is e]
    compared = contained = 0
    for _, _, hit, _ in _pairs_as_screened(full_screener, rng.sample(single, 40), rng):
        compared += 1
        contained += any(f.name == "name_parts_contained" for f in hit.features)
    assert compared >= 150
    assert contained >= 5
