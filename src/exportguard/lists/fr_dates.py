"""Publication dates of Federal Register pages, bounded from dated citations.

The Federal Register prints its pages in date order within each volume (volume N is the calendar
year 1935 + N, page 1 on the first issue of January). So once some pages are known to have been
published on some days (an anchor: "82 F.R. 48792 10/20/2017" in the Denied Persons List, a dated
citation in the built-in records, an issue's page range from its Reader Aids), any other page of
the same volume lies between the nearest anchors below and above it: it was published no earlier
than the lower anchor's day and no later than the upper anchor's day. When both anchors are the
same day the date is exact; otherwise the citation gets a window of days, never a guess.

Anchors come from three places, all readable without a network: the built-in page table
(`data/fr_pages.yaml`, issue page ranges with their source), the dated citations of the built-in
records, and the dated citations of the list entries in use (the Denied Persons List rows of the
Consolidated Screening List carry about 2,900 of them; eCFR editions loaded by the user carry the
Entity List's own). Anchors that contradict page order (a typing error in a list, a date that is
not the publication date) are dropped: per volume, the largest set of anchors whose days do not
decrease as pages increase is kept.

The window is one of publication. A rule can take effect on its day of public inspection, a few
days before it is printed; the basis of every answer built from a window says so.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from exportguard.model import ListEntry
from exportguard.package_files import DATA

CITATION = re.compile(
    r"(?P<vol>\d{1,3})\s*F\.?\s?R\.?\s*(?P<page>\d{1,6})"
    r"(?:\s*(?:,\s*|No\.\s*\d+\s*,?\s*)?(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2,4}))?"
)
"""'84 FR 54002', '84 FR 54002, 10/9/19', '82 F.R. 48792 10/20/2017' (a date only if written)."""

_ISO_CITATION = re.compile(r"(?P<vol>\d{1,3}) FR (?P<page>\d{1,6}) \((?P<iso>\d{4}-\d{2}-\d{2})\)")
"""The built-in rule records' form, '87 FR 62186 (2022-10-13)': the publication date."""

FIRST_VOLUME = 1  # 1936
LAST_VOLUME = 200


def volume_year(volume: int) -> int:
    return 1935 + volume


@dataclass(frozen=True, slots=True)
class Anchor:
    """Pages `first`..`last` of a volume were published on `day` (what `source` says)."""

    volume: int
    first: int
    last: int
    day: date
    source: str
    weight: int = 1  # how much the anchor is trusted when anchors disagree (see _consistent)


ISSUE_WEIGHT = 1000  # a page range read from the issue itself
RECORD_WEIGHT = 5  # a document record or a dated citation in the built-in data
"""A dated citation in a list counts 1 per distinct page."""


@dataclass(frozen=True, slots=True)
class Document:
    """A Federal Register document known by its first page (and its span where read), its
    publication date and its effective date."""

    volume: int
    first: int
    last: int | None
    published: date
    effective: date
    entity_list: bool
    source: str

    @property
    def label(self) -> str:
        return f"{self.volume} FR {self.first}"


@dataclass(frozen=True, slots=True)
class PageDate:
    """When one Federal Register page was published: between `earliest` and `latest` inclusive
    (the same day when exact), and the anchors that bound it."""

    volume: int
    page: int
    earliest: date
    latest: date
    basis: str
    in_document: bool = False  # the page lies in a known document's span: its effective date

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    @property
    def days(self) -> int:
        """Width of the window in days (1 when exact)."""
        return (self.latest - self.earliest).days + 1


class FrDates:
    """A volume-and-page to publication-date table built from anchors."""

    def __init__(self, anchors: Iterable[Anchor], documents: Iterable[Document] = ()) -> None:
        self.anchors = tuple(anchors)
        self.documents = tuple(documents)
        docs: dict[int, list[Document]] = defaultdict(list)
        for document in self.documents:
            docs[document.volume].append(document)
        self._documents = {v: sorted(d, key=lambda d: d.first) for v, d in docs.items()}
        self._document_firsts = {v: [d.first for d in ds] for v, ds in self._documents.items()}
        self.dropped: list[Anchor] = []
        self._by_volume: dict[int, list[Anchor]] = {}
        grouped: dict[int, list[Anchor]] = defaultdict(list)
        for anchor in self.anchors:
            if volume_year(anchor.volume) == anchor.day.year and anchor.first <= anchor.last:
                grouped[anchor.volume].append(anchor)
            else:
                self.dropped.append(anchor)
        for volume, found in grouped.items():
            kept, dropped = _consistent(found)
            self._by_volume[volume] = kept
            self.dropped.extend(dropped)
        self._firsts = {v: [a.first for a in kept] for v, kept in self._by_volume.items()}

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_volume.values())

    def extended(self, anchors: Iterable[Anchor]) -> FrDates:
        """A new table with more anchors (this one is left as it is)."""
        return FrDates((*self.anchors, *anchors), self.documents)

    def with_entries(self, entries: Iterable[ListEntry]) -> FrDates:
        """This table plus the dated citations of `entries`."""
        return self.extended(entry_anchors(entries))

    def with_citation_dates(self, rows: Iterable[Sequence[int]]) -> FrDates:
        """This table plus dated citations given as (volume, page, day ordinal) rows (the form
        a screening index keeps them in)."""
        return self.extended(
            Anchor(int(v), int(p), int(p), date.fromordinal(int(o)),
                   "a dated citation in the lists in use") for v, p, o in rows)

    def page_date(self, volume: int, page: int) -> PageDate | None:
        """The publication window of a page; None for a volume outside 1936-2135."""
        if not FIRST_VOLUME <= volume <= LAST_VOLUME:
            return None
        year = volume_year(volume)
        anchors = self._by_volume.get(volume, [])
        firsts = self._firsts.get(volume, [])
        at = bisect.bisect_right(firsts, page)
        below = anchors[at - 1] if at else None
        if below is not None and below.last >= page:
            return PageDate(volume, page, below.day, below.day,
                            f"{volume} FR {page} was published {below.day.isoformat()} "
                            f"({below.source})")
        above = anchors[at] if at < len(anchors) else None
        earliest = below.day if below else date(year, 1, 1)
        latest = above.day if above else date(year, 12, 31)
        low = (f"{volume} FR {below.last} on {below.day.isoformat()} ({below.source})"
               if below else f"the start of volume {volume} ({year})")
        high = (f"{volume} FR {above.first} on {above.day.isoformat()} ({above.source})"
                if above else f"the end of volume {volume} ({year})")
        if earliest == latest:
            return PageDate(volume, page, earliest, latest,
                            f"{volume} FR {page} lies between {low} and {high}: the same day")
        return PageDate(volume, page, earliest, latest,
                        f"{volume} FR {page} lies between {low} and {high}")

    def effective(self, volume: int, page: int) -> PageDate | None:
        """When what is printed on a page took effect, as far as known: the effective date of the
        known document whose span holds the page; for a page printed the same day as a known
        Entity List document that took effect before it was printed (on public inspection) and
        that may hold the page, the window from that effective date to the printing; otherwise
        the publication window of the page."""
        printed = self.page_date(volume, page)
        documents = self._documents.get(volume, [])
        at = bisect.bisect_right(self._document_firsts.get(volume, []), page)
        document = documents[at - 1] if at else None
        if document is None or printed is None:
            return printed
        # A citation of a document's first page, or of a page inside its known span, is that
        # document (an entry printed on the page where the rule begins belongs to the rule).
        if page == document.first or (document.last is not None and page <= document.last):
            where = (f"{volume} FR {page} is in {document.label}"
                     if document.label != f"{volume} FR {page}" else "the rule beginning there")
            return PageDate(volume, page, document.effective, document.effective,
                            f"{where}, effective {document.effective.isoformat()} "
                            f"({document.source})", in_document=True)
        if (document.entity_list and document.effective < document.published
                and printed.earliest == printed.latest == document.published):
            return PageDate(volume, page, document.effective, document.published,
                            f"{printed.basis}; it may belong to {document.label}, printed that "
                            f"day and effective {document.effective.isoformat()} "
                            f"({document.source})")
        return printed

    @classmethod
    def builtin(cls) -> FrDates:
        return _builtin()


def _consistent(anchors: list[Anchor]) -> tuple[list[Anchor], list[Anchor]]:
    """The most trusted subset of one volume's anchors whose days never decrease with the page,
    after merging anchors of the same pages. Pages given two different days keep the day of the
    most trusted source; when equally trusted sources disagree, the pages anchor nothing."""
    by_pages: dict[tuple[int, int], dict[date, Anchor]] = defaultdict(dict)
    for anchor in anchors:
        known = by_pages[(anchor.first, anchor.last)].get(anchor.day)
        if known is None or anchor.weight > known.weight:
            by_pages[(anchor.first, anchor.last)][anchor.day] = anchor
    merged: list[Anchor] = []
    dropped: list[Anchor] = []
    for days in by_pages.values():
        ranked = sorted(days.values(), key=lambda a: -a.weight)
        if len(ranked) == 1 or ranked[0].weight > ranked[1].weight:
            merged.append(ranked[0])
            dropped.extend(ranked[1:])
        else:
            dropped.extend(ranked)
    merged.sort(key=lambda a: (a.first, a.day))
    # The heaviest run of anchors whose days never decrease as pages increase (a weighted longest
    # non-decreasing subsequence; a volume holds a few hundred anchors at most, so O(n^2) is fine).
    # An issue's own page range outweighs any number of list citations, which can carry typing
    # errors; a page cited many times counts once per distinct page.
    best = [a.weight for a in merged]
    previous = [-1] * len(merged)
    for i, anchor in enumerate(merged):
        for j in range(i):
            if merged[j].day <= anchor.day and best[j] + anchor.weight > best[i]:
                best[i], previous[i] = best[j] + anchor.weight, j
    keep: set[int] = set()
    i = max(range(len(merged)), key=best.__getitem__) if merged else -1
    while i >= 0:
        keep.add(i)
        i = previous[i]
    kept = [a for n, a in enumerate(merged) if n in keep]
    # Overlapping ranges on different days cannot both be right; keep the earlier-listed one.
    clean: list[Anchor] = []
    for anchor in kept:
        if clean and anchor.first <= clean[-1].last and anchor.day != clean[-1].day:
            dropped.append(anchor)
            continue
        clean.append(anchor)
    dropped.extend(a for n, a in enumerate(merged) if n not in keep)
    return clean, dropped


def cited_date(match: re.Match[str]) -> date | None:
    """The date written after a citation ('84 FR 54002, 10/9/19'), if any and a real day."""
    if not match["y"]:
        return None
    year = int(match["y"])
    year += 2000 if year < 50 else (1900 if year < 100 else 0)
    try:
        return date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def citation_anchors(text: str, source: str, weight: int = 1) -> Iterator[Anchor]:
    """Anchors from the dated citations in one piece of text."""
    for match in CITATION.finditer(text):
        day = cited_date(match)
        if day is not None:
            page = int(match["page"])
            yield Anchor(int(match["vol"]), page, page, day, source, weight)
    for match in _ISO_CITATION.finditer(text):
        try:
            day = date.fromisoformat(match["iso"])
        except ValueError:
            continue
        page = int(match["page"])
        yield Anchor(int(match["vol"]), page, page, day, source, weight)


def entry_anchors(entries: Iterable[ListEntry]) -> Iterator[Anchor]:
    for entry in entries:
        for text in entry.federal_register:
            if "/" in text:  # only a dated citation can anchor; most carry none
                yield from citation_anchors(text, f"dated citation in the {entry.list_code} "
                                                  f"record of {entry.name}")


@cache
def _builtin() -> FrDates:
    import yaml

    anchors: list[Anchor] = []
    documents: list[Document] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(DATA.joinpath("fr_pages.yaml")
                     .read_text(encoding="utf-8"), Loader=loader)
    for n, row in enumerate(data["issues"]):
        where = f"fr_pages.yaml issues[{n}]"
        unknown = set(row) - {"date", "volume", "pages", "source"}
        if unknown or not row.get("source"):
            raise ValueError(f"{where}: unknown keys {sorted(unknown)} or no source")
        first, _, last = str(row["pages"]).partition("-")
        day = row["date"] if isinstance(row["date"], date) else date.fromisoformat(row["date"])
        anchors.append(Anchor(int(row["volume"]), int(first), int(last or first), day,
                              f"the issue of {day.isoformat()}, {row['source']}", ISSUE_WEIGHT))
    for n, row in enumerate(data["documents"]):
        document = _document(row, f"fr_pages.yaml documents[{n}]")
        documents.append(document)
        anchors.append(Anchor(document.volume, document.first, document.last or document.first,
                              document.published, document.source, RECORD_WEIGHT))
    # The built-in records' dated citations, read from the file's text (parsing the records
    # would cost a second of YAML for a few hundred citations).
    anchors.extend(citation_anchors(DATA
                                    .joinpath("starter_entities.yaml").read_text(encoding="utf-8"),
                                    "built-in starter record", RECORD_WEIGHT))
    regime = DATA.joinpath("regime")
    for item in sorted(regime.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            anchors.extend(citation_anchors(item.read_text(encoding="utf-8"),
                                            f"built-in rule data {item.name}", RECORD_WEIGHT))
    return FrDates(anchors, documents)


_DOCUMENT_KEYS = {"citation", "pages", "published", "effective", "entity_list", "title", "source"}


def _document(row: dict, where: str) -> Document:
    unknown = set(row) - _DOCUMENT_KEYS
    missing = {"citation", "published", "entity_list", "title", "source"} - set(row)
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
    cite = re.fullmatch(r"(\d{1,3}) FR (\d{1,6})", str(row["citation"]))
    if cite is None:
        raise ValueError(f"{where}: citation '{row['citation']}' is not 'VOL FR PAGE'")
    first = int(cite[2])
    last = None
    if "pages" in row:
        start, _, end = str(row["pages"]).partition("-")
        if int(start) != first or int(end or start) < first:
            raise ValueError(f"{where}: pages '{row['pages']}' do not start at the citation")
        last = int(end or start)
    published = date.fromisoformat(str(row["published"]))
    effective = date.fromisoformat(str(row.get("effective", row["published"])))
    return Document(int(cite[1]), first, last, published, effective, bool(row["entity_list"]),
                    str(row["source"]))
