"""One format for every dated record of the regime data, and the one loader that checks it.

A regime file is YAML with a `version` and one or more *sections*, each a list of records. Every
record, whatever its section, has the same dated core:

    id              unique within the file, e.g. "ac-2023-destinations"
    summary         what the rule says, in plain words
    effective_from  the first day it is in force (ISO date, inclusive)
    effective_to    the last day it is in force (inclusive); absent while it is still in force
    citation        {cfr, source, url}: the CFR paragraph, and the Federal Register document (or
                    the letter, order or guidance) that made it, with a link
    ended_by        {source, url}, optional: the document that ended it (with `effective_to`)
    caveat          optional: what could not be read or verified, in words
    version_of      optional: the rule this record is one version of (default: its `id`, or the
                    section's own version key such as `paragraph`); versions of one rule must not
                    overlap in time

and then the fields its section declares (a `Section` schema: each field's kind, whether it is
required, its allowed words). A field of kind `condition` is a three-valued condition over facts
(regime/conditions.py); every fact it names must be declared in data/regime/facts.yaml (the fact
registry, regime/facts.py) with a type the comparison fits.

The loader refuses, naming the file, record and key: an unknown key (a misspelt `efective_to`
would otherwise make a rule last forever), a missing `id`, `summary`, `citation` or
`effective_from`, a date that is not a date, `effective_to` before `effective_from`, two records
with one id, two overlapping versions of one rule, a word outside a field's vocabulary, and a
condition naming an undeclared fact. So a typo is an error at load, never a silently different
answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from exportguard.package_files import PACKAGE
from exportguard.regime.conditions import Condition, parse_condition
from exportguard.regime.dated import Citation, Period
from exportguard.regime.facts import FactRegistry, fact_registry

FieldKind = Literal["text", "word", "words", "condition", "citation", "date", "bool", "number",
                    "custom"]

CORE_KEYS = frozenset(
    {"id", "summary", "effective_from", "effective_to", "citation", "ended_by", "caveat",
     "version_of"}
)


class RuleFileError(ValueError):
    """A regime data file breaks the record format; the message names the file, record and key."""


@dataclass(frozen=True)
class Field:
    """One section-specific key of a record: its kind, whether it is required, its vocabulary."""

    kind: FieldKind
    required: bool = False
    choices: tuple[str, ...] | None = None
    check: Callable[[Any, str], Any] | None = None
    """For kind `custom`: checks and converts the value, raising ValueError with the problem."""


@dataclass(frozen=True)
class Section:
    """The schema of one list of records in a file, e.g. `rules` of licensing.yaml."""

    name: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    version_key: str | None = None
    """A field whose value names the rule a record is a version of (e.g. `paragraph`)."""
    required: bool = True


@dataclass(frozen=True)
class DatedRecord:
    """One record in the common format; `values` holds the section's fields, checked and parsed
    (a `condition` field is a `Condition`, a `date` field a `date`, text with its whitespace
    collapsed)."""

    id: str
    summary: str
    period: Period
    citation: Citation
    caveat: str | None
    ended_by: Citation | None
    values: Mapping[str, Any]
    section: str

    def in_force(self, day: date) -> bool:
        return self.period.contains(day)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def condition(self, key: str = "when") -> Condition | None:
        return self.values.get(key)


@dataclass(frozen=True)
class RecordFile:
    path: str
    version: str
    sections: Mapping[str, tuple[DatedRecord, ...]]
    extra: Mapping[str, Any]
    """Top-level keys the caller declared besides the sections (e.g. `notes`), unchecked here."""

    def __getitem__(self, section: str) -> tuple[DatedRecord, ...]:
        return self.sections[section]


def load_records(
    path: str,
    sections: Sequence[Section],
    *,
    extra_keys: Iterable[str] = (),
    facts: FactRegistry | None = None,
) -> RecordFile:
    """Read and check one packaged regime file (`path` relative to the package, e.g.
    "data/regime/licensing.yaml")."""
    import yaml  # here: a screen imports this module but reads no regime file

    raw = PACKAGE.joinpath(path).read_bytes()
    return parse_records(yaml.safe_load(raw), path, sections, extra_keys=extra_keys,
                         facts=facts, digest=hashlib.sha256(raw).hexdigest()[:12])


def parse_records(
    data: object,
    path: str,
    sections: Sequence[Section],
    *,
    extra_keys: Iterable[str] = (),
    facts: FactRegistry | None = None,
    digest: str | None = None,
) -> RecordFile:
    """Check already-parsed YAML against the format; raises `RuleFileError`."""
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}: expected a mapping with `version` and sections")
    registry = facts or fact_registry()
    allowed = {"version", *extra_keys, *(s.name for s in sections)}
    unknown = set(data) - allowed
    if unknown:
        raise RuleFileError(f"{path}: unknown top-level keys {', '.join(sorted(map(str, unknown)))}"
                            f" (allowed: {', '.join(sorted(allowed))})")
    if not data.get("version"):
        raise RuleFileError(f"{path}: 'version' is required")
    parsed: dict[str, tuple[DatedRecord, ...]] = {}
    seen_ids: set[str] = set()
    for section in sections:
        raw_records = data.get(section.name)
        if raw_records is None and not section.required:
            parsed[section.name] = ()
            continue
        if not isinstance(raw_records, list):
            raise RuleFileError(f"{path}: '{section.name}' must be a list of records")
        records = tuple(
            _record(r, section, f"{path} {section.name}[{i}]", registry)
            for i, r in enumerate(raw_records)
        )
        for record in records:
            if record.id in seen_ids:
                raise RuleFileError(f"{path}: two records have the id '{record.id}'")
            seen_ids.add(record.id)
        _check_overlaps(records, section, path)
        parsed[section.name] = records
    version = str(data["version"]) + (f"+{digest}" if digest else "")
    return RecordFile(path, version, parsed, {k: data.get(k) for k in extra_keys})


def version_key(record: DatedRecord, section: Section) -> str:
    """The rule a record is a version of."""
    if record.get("version_of"):
        return str(record.get("version_of"))
    if section.version_key and record.get(section.version_key) is not None:
        return str(record.get(section.version_key))
    return record.id


def boundaries(records: Iterable[DatedRecord]) -> list[tuple[date, DatedRecord]]:
    """Every day on which a record starts or stops applying: its `effective_from`, and the day
    after its `effective_to`. The scenarios pin both sides of each."""
    out: list[tuple[date, DatedRecord]] = []
    for record in records:
        out.append((record.period.effective_from, record))
        if record.period.effective_to is not None:
            out.append((date.fromordinal(record.period.effective_to.toordinal() + 1), record))
    return out


def _record(raw: object, section: Section, where: str, facts: FactRegistry) -> DatedRecord:
    if not isinstance(raw, dict):
        raise RuleFileError(f"{where}: a record must be a mapping, got {raw!r}")
    where = f"{where} ({raw.get('id') or 'no id'})"
    unknown = set(raw) - CORE_KEYS - set(section.fields)
    if unknown:
        raise RuleFileError(
            f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; a record takes "
            f"{', '.join(sorted(CORE_KEYS | set(section.fields)))}"
        )
    for key in ("id", "summary", "citation", "effective_from"):
        if raw.get(key) in (None, ""):
            raise RuleFileError(f"{where}: '{key}' is required")
    for key, spec in section.fields.items():
        if spec.required and raw.get(key) is None:
            raise RuleFileError(f"{where}: '{key}' is required")
    try:
        period = Period.from_data(raw, where)
        citation = _citation(raw["citation"], where)
    except ValueError as exc:
        raise RuleFileError(str(exc)) from None
    ended_by = None
    if raw.get("ended_by") is not None:
        if period.effective_to is None:
            raise RuleFileError(f"{where}: 'ended_by' without 'effective_to'")
        ended = raw["ended_by"]
        if not isinstance(ended, dict) or not ended.get("source") or not ended.get("url"):
            raise RuleFileError(f"{where}: 'ended_by' needs 'source' and 'url'")
        ended_by = Citation(citation.cfr, _text(ended["source"]), str(ended["url"]))
    values: dict[str, Any] = {}
    if raw.get("version_of") is not None:
        values["version_of"] = str(raw["version_of"])
    for key, spec in section.fields.items():
        if raw.get(key) is not None:
            values[key] = _value(raw[key], spec, f"{where}.{key}", facts)
    return DatedRecord(
        id=str(raw["id"]),
        summary=_text(raw["summary"]),
        period=period,
        citation=citation,
        caveat=_text(raw["caveat"]) if raw.get("caveat") else None,
        ended_by=ended_by,
        values=values,
        section=section.name,
    )


def _citation(data: object, where: str) -> Citation:
    if not isinstance(data, dict):
        raise RuleFileError(f"{where}: 'citation' must be a mapping with cfr, source and url")
    unknown = set(data) - {"cfr", "source", "url"}
    if unknown:
        raise RuleFileError(f"{where}: citation has unknown key(s) {', '.join(sorted(unknown))}")
    return Citation.from_data(data, where)


def _value(value: Any, spec: Field, where: str, facts: FactRegistry) -> Any:
    kind = spec.kind
    if kind == "condition":
        try:
            condition = parse_condition(value, where)
            facts.check_condition(condition, where)
        except ValueError as exc:
            raise RuleFileError(str(exc)) from None
        return condition
    if kind == "text":
        return _text(value)
    if kind == "word":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise RuleFileError(f"{where}: expected a word, got {value!r}")
        word = str(value)
        if spec.choices is not None and word not in spec.choices:
            raise RuleFileError(f"{where}: '{word}' is not one of {', '.join(spec.choices)}")
        return word
    if kind == "words":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleFileError(f"{where}: expected a list of words, got {value!r}")
        bad = [v for v in value if spec.choices is not None and v not in spec.choices]
        if bad:
            allowed = ", ".join(spec.choices or ())
            raise RuleFileError(f"{where}: {', '.join(bad)} not among {allowed}")
        return tuple(value)
    if kind == "citation":
        try:
            return _citation(value, where)
        except ValueError as exc:
            raise RuleFileError(str(exc)) from None
    if kind == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise RuleFileError(f"{where}: '{value}' is not an ISO date") from None
    if kind == "bool":
        if not isinstance(value, bool):
            raise RuleFileError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleFileError(f"{where}: expected a number, got {value!r}")
        return float(value)
    assert spec.check is not None, f"{where}: a {kind} field needs a check function"
    try:
        return spec.check(value, where)
    except (ValueError, TypeError, KeyError) as exc:
        raise RuleFileError(f"{where}: {exc}") from None


def _check_overlaps(records: Sequence[DatedRecord], section: Section, path: str) -> None:
    by_rule: dict[str, list[DatedRecord]] = {}
    for record in records:
        by_rule.setdefault(version_key(record, section), []).append(record)
    for rule, versions in by_rule.items():
        versions.sort(key=lambda r: r.period.effective_from)
        for earlier, later in pairwise(versions):
            end = earlier.period.effective_to
            if end is None or end >= later.period.effective_from:
                raise RuleFileError(
                    f"{path}: versions '{earlier.id}' and '{later.id}' of {rule} overlap "
                    f"({earlier.id} runs to {end or 'no end'}, {later.id} starts "
                    f"{later.period.effective_from})"
                )


def _text(value: object) -> str:
    return " ".join(str(value).split())
