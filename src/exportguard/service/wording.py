"""Words for the web pages: the engine's messages name command-line flags (`--parent-hq`), which
mean nothing in a browser, so the pages show the form field to fill instead; scores are shown
cut, never rounded up (0.996 is "0.99", not the "1.00" of an exact match); rule ids carry a short
title and link to the glossary."""

from __future__ import annotations

import math
import re

# Each flag the engine's messages may name, and the label of the form field that gives the same
# fact on the pages (the labels are the ones the templates use).
FLAG_FIELDS: dict[str, str] = {
    "--item": "Catalogue name",
    "--item-eccn": "ECCN",
    "--foreign-made": "Made outside the U.S.",
    "--origin": "Made in",
    "--us-content": "U.S. content",
    "--direct-product-of": "Direct product of U.S. technology",
    "--plant-direct-product-of": "Plant is a direct product of",
    "--parent": "Ultimate parent",
    "--parent-hq": "Parent HQ",
    "--party-hq": "Party HQ",
    "--party-country": "Party country",
    "--end-use": "End use",
    "--tpp": "TPP",
    "--throughput": "Datasheet figures",
    "--sparse": "Figures are with sparsity",
    "--die-area": "Die area",
    "--datacenter": "Datacenter part",
    "--consumer": "Datacenter part",
    "--interconnect": "I/O rate",
    "--memory-bandwidth": "Memory bandwidth",
    "--memory-bandwidth-density": "Memory bandwidth density",
    "--package-area": "Package area",
    "--hbm": "HBM stack",
    "--as-of": "Lists as of",
    "--date": "Date",
    "--from": "Diff from snapshot",
    "--to": "to snapshot",
    "--lists": "Lists",
    "--limit": "Limit",
    "--min-score": "Minimum score",
    "--technology": "Technology or source code",
    "--nationality": "Nationalities",
    "--permanent-resident": "U.S. lawful permanent resident",
    "--protected-individual": "Protected individual",
    "--for-item": "Item the technology is for",
    "--person": "Person's name",
}
_FLAG = re.compile(r"--[a-z][a-z-]*")
_COMMANDS = {
    "`exportguard items`": "the Classify page's catalogue",
    "`exportguard ownership import`": "the Ownership page's import",
    "`exportguard batch`": "the command line's `exportguard batch`",
    "`exportguard invest`": "the Invest page",
    "`exportguard lists --all`": "the table of snapshots",
}


def for_web(text: object) -> str:
    """`text` with each command-line flag replaced by the form field that gives it."""
    words = "" if text is None else str(text)
    for command, instead in _COMMANDS.items():
        words = words.replace(command, instead)

    def field(found: re.Match[str]) -> str:
        label = FLAG_FIELDS.get(found.group(0))
        return f"the “{label}” field" if label else found.group(0)

    words = _FLAG.sub(field, words).replace("give the “", "fill the “")
    # "the “Ultimate parent” field and the “Parent HQ” field" reads better as one phrase
    return re.sub(r"the (“[^”]+”) field (and|or) the (“[^”]+”) field", r"the \1 \2 \3 fields",
                  words)


# The form field at the head of an error ("party_country: ..."), by its label where the engine's
# name for it is not the label said plainly; `from`/`to` name different fields on the Lists and
# Audit pages, so they are only capitalised.
_FIELD_LABELS: dict[str, str] = {
    **{flag[2:].replace("-", "_"): label for flag, label in FLAG_FIELDS.items()
       if flag not in ("--from", "--to")},
    "item": "Item", "party": "Party", "nationality": "Nationalities",
}
_HEAD = re.compile(r"([a-z][a-z0-9_]*): ")


def problem(text: object) -> str:
    """An error shown beside a form: the field it names first by its label ("Party country:
    'ZZ' is not ..."), and every flag in it as the form field that gives it."""
    words = for_web(text)
    head = _HEAD.match(words)
    if head is None:
        return words
    name = head.group(1)
    label = _FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{label}: {words[head.end():]}"


# The facts a memo may miss, asked as the form asks them (the engine's questions name CLI flags).
_FACT_FIELDS = {
    "tpp": "the total processing performance: fill “TPP”, or “Datasheet figures”",
    "pd": "the applicable die area of non-planar logic dies: fill “Die area”",
    "io_rate": "the aggregate bidirectional I/O rate, memory excluded: fill “I/O rate”",
    "datacenter": "whether the item is designed or marketed for datacenters: choose "
                  "“Datacenter part”",
    "memory_bandwidth_density": "the memory bandwidth density: fill “Memory bandwidth density”, "
                                "or “Memory bandwidth” and “Package area”",
    "dram_bandwidth": "the total DRAM bandwidth: fill “Memory bandwidth”",
    "party_hq_d5_or_mo": "where the party and its ultimate parent are headquartered: fill "
                         "“Party HQ”, or “Ultimate parent” and “Parent HQ”",
    "origin": "where the item was made: fill “Made in”",
    "us_content": "the U.S.-origin content by ECCN and share of value: fill “U.S. content” "
                  "(or none)",
    "direct_product_of": "the U.S. technology or software the item or its plant is a direct "
                         "product of: fill “Direct product of U.S. technology” and “Plant is a "
                         "direct product of” (or none)",
}


def question(fact: str) -> str:
    """What a person must supply for a missing fact, naming the form field where there is one."""
    if fact in _FACT_FIELDS:
        return _FACT_FIELDS[fact]
    from exportguard.check.jurisdiction import JURISDICTION_QUESTIONS
    from exportguard.items.result import FACT_QUESTIONS
    from exportguard.regime.facts import fact_registry

    asked = JURISDICTION_QUESTIONS.get(fact) or FACT_QUESTIONS.get(fact)
    if asked:
        return for_web(asked)
    known = fact_registry().facts.get(fact)  # the registry says what each fact means
    return f"whether this holds: {known.meaning}" if known else fact.replace("_", " ")


def score(value: float | None) -> str:
    """A score with two decimals, cut rather than rounded: a near match never reads 1.00."""
    if value is None:
        return ""
    return f"{math.floor(float(value) * 100 + 1e-9) / 100:.2f}"


def first_sentence(text: str | None, limit: int = 90) -> str:
    """The first sentence of a summary, cut on a word boundary: a rule's short title."""
    if not text:
        return ""
    sentence = re.split(r"(?<=[a-z0-9)])\.\s", text.strip(), maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"
