"""Parser for the FCC Covered List (47 CFR 1.50002): https://www.fcc.gov/supplychain/coveredlist.

The page holds one table, columns 'Covered Equipment or Services' and 'Date of Inclusion on Covered
List'. A row describes equipment or services 'produced by' / 'provided by' / 'supplied, directly or
indirectly, by' one or two named companies (the FCC reads each as including its subsidiaries and
affiliates); one list entry is made per company, dated by the row's date ('March 12, 2021';
'3/12/2021' is read too; later 'Updated:' dates go to raw).

Since December 2025 the list also holds whole categories named by where they are made ('Uncrewed
aircraft systems ... produced in a foreign country', 'Foreign-produced power inverters'). Such a
row names no party to screen: it yields no entry and is reported in `ListMeta.extra
['category_rows']`. Any other row from which no company name can be read is a ListFileError
naming the row: nothing is dropped silently.

The page is small: it is read whole (refused over MAX_FILE_BYTES), line by line through
`bounded_lines`, into the standard library's `html.parser`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from exportguard.errors import ListFileError
from exportguard.lists.base import ListMeta, bounded_lines, fallback_key, open_text
from exportguard.lists.codes import LIST_NAMES
from exportguard.model import ListEntry

SOURCE_LIST_URL = "https://www.fcc.gov/supplychain/coveredlist"
MAX_FILE_BYTES = 20 << 20
_DESCRIPTION_HEAD = "covered equipment or services"
_DATE_HEAD = "date of inclusion"

_MONTH_NAMES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_DATE = re.compile(
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s+(?P<day>\d{1,2}),\s*"
    r"(?P<year>\d{4})"
    r"|(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b",
    re.IGNORECASE,
)
# 'produced by X', 'provided by X', 'produced or provided by X', 'supplied, directly or
# indirectly, by X', up to where the row's text goes on about X.
_BY = re.compile(
    r"\b(?:produced|provided|supplied)(?:\s+or\s+(?:produced|provided|supplied))?"
    r"(?:,?\s+directly\s+or\s+indirectly,?)?\s+by\s+(?P<names>.+?)"
    r"(?=,?\s+including\b|,\s+to\s+the\s+extent\b|,?\s+subject\s+to\b|,?\s+or\s+any\s+of\s+its\b"
    r"|,?\s+and\s+its\s+subsidiaries\s+and\s+affiliates\b|,?\s+or\s+its\s+\w|;|\.?\s*$)",
    re.IGNORECASE,
)
_AND_AFFILIATES = re.compile(
    r"(?P<names>[A-Z][^,;]*?)\s+and\s+its\s+subsidiaries\s+and\s+affiliates\b"
)
_SUBSIDIARY = re.compile(r"\s+and\s+its\s+(?:wholly[- ]owned\s+)?subsidiar(?:y|ies)\s+",
                         re.IGNORECASE)
_NOT_A_NAME = re.compile(r"(?:such|any|the|these|those|this|that|it|them|a|an)\b", re.IGNORECASE)
_CATEGORY = re.compile(r"produced\s+in\s+a\s+foreign\s+country|^\W*foreign[- ]produced\b",
                       re.IGNORECASE)
_FCC_DOCUMENT = re.compile(r"\b(?:DA|FCC)\s+\d{2}-\d{1,4}\b")
_LAST_UPDATED = re.compile(
    r"(?:last\s+updated(?:/reviewed)?|^\s*updated)\s*:?\s*(?:[A-Za-z]+day,?\s*)?(?P<date>.{0,40})",
    re.IGNORECASE | re.MULTILINE,
)
_KEEP_PERIOD = {"co", "corp", "inc", "ltd", "llc", "l.l.c", "s.a", "plc", "jr", "sr"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# Tags that end a line of text.
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(slots=True)
class _Cell:
    header: bool
    parts: list[str] = field(default_factory=list)
    strong: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


@dataclass(slots=True)
class _TableRow:
    line: int
    cells: list[_Cell] = field(default_factory=list)


@dataclass(slots=True)
class _Table:
    rows: list[_TableRow] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Collects every table's rows (cell text, <strong> runs, source line) and the text outside
    tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.outside: list[str] = []
        self._open: list[_Table] = []
        self._row: _TableRow | None = None
        self._cell: _Cell | None = None
        self._strong: list[str] | None = None
        self._strong_depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            table = _Table()
            self.tables.append(table)
            self._open.append(table)
        elif tag == "tr" and self._open:
            self._row = _TableRow(line=self.getpos()[0])
            self._open[-1].rows.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = _Cell(header=tag == "th")
            self._row.cells.append(self._cell)
        elif tag in ("strong", "b") and self._cell is not None:
            self._strong_depth += 1
            if self._strong is None:
                self._strong = []
        if tag in _BREAKS:
            self._text("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._open:
            self._open.pop()
            self._row = self._cell = None
        elif tag in ("tr", "td", "th"):
            self._cell = None
        elif tag in ("strong", "b") and self._strong_depth:
            self._strong_depth -= 1
            if self._strong_depth == 0 and self._strong is not None and self._cell is not None:
                run = _SPACES.sub(" ", "".join(self._strong)).strip()
                if run:
                    self._cell.strong.append(run)
                self._strong = None
        if tag in _BREAKS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.parts.append(data)
            if self._strong is not None:
                self._strong.append(data)
        elif not self._open:
            self.outside.append(data)


@dataclass(slots=True)
class _Page:
    meta: ListMeta
    rows: list[tuple[int, int, str, str, list[str]]]  # row number, line, description, date, strong


class FccCoveredListParser:
    """The FCC Covered List page (HTML table of covered equipment and services)."""

    format = "fcc-covered"

    def __init__(self) -> None:
        self._pages: dict[Path, _Page] = {}

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        text = head.decode("utf-8", "replace").casefold()
        if "covered list" not in text:
            return False
        # The fcc.gov page's navigation can push the table beyond the head.
        return "<table" in text or ("<html" in text and "fcc.gov" in text)

    def meta(self, path: Path) -> ListMeta:
        return self._page(path).meta

    def entries(self, path: Path) -> Iterator[ListEntry]:
        page = self._page(path)
        for number, line, description, when, strong in page.rows:
            if _is_category(description):
                continue
            names = company_names(description) or [_clean_name(s) for s in strong if s]
            start, updates = _dates(when, path, number, line)
            documents = list(dict.fromkeys(_FCC_DOCUMENT.findall(f"{description} {when}")))
            for name in names:
                raw: dict[str, Any] = {"row": number, "description": description,
                                       "date_text": when}
                if updates:
                    raw["updated"] = [d.isoformat() for d in updates]
                if documents:
                    raw["fcc_documents"] = documents
                if len(names) > 1:
                    raw["row_companies"] = names
                yield ListEntry(
                    list_code="FCC",
                    name=name,
                    source_name=LIST_NAMES["FCC"],
                    type="Entity",
                    license_requirement=description,
                    start_date=start,
                    source_list_url=SOURCE_LIST_URL,
                    key=fallback_key("FCC", name, None),
                    raw=raw,
                )

    def _page(self, path: Path) -> _Page:
        if path not in self._pages:
            self._pages[path] = self._read(path)
        return self._pages[path]

    def _read(self, path: Path) -> _Page:
        if not path.is_file():
            raise ListFileError(str(path), "no such file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ListFileError(
                str(path), f"is {size:,} bytes, over the {MAX_FILE_BYTES:,} a Covered List page "
                "can be; refused",
            )
        parser = _PageParser()
        with open_text(path) as handle:
            for line in bounded_lines(handle, path):
                parser.feed(line)
        parser.close()

        table, header_row, description_col, date_col = self._find_table(parser.tables, path)
        rows: list[tuple[int, int, str, str, list[str]]] = []
        categories: list[dict[str, Any]] = []
        number = 0
        for row in table.rows[header_row + 1:]:
            if not row.cells or all(c.header for c in row.cells):
                continue
            number += 1
            if len(row.cells) <= max(description_col, date_col):
                raise ListFileError(
                    str(path), f"Covered List row {number} has {len(row.cells)} cell(s), not a "
                    "description and a date", line=row.line, record=number,
                )
            description = " ".join(row.cells[description_col].text.split())
            when = row.cells[date_col].text
            if not description:
                raise ListFileError(str(path), f"Covered List row {number} has no description",
                                    line=row.line, record=number)
            strong = row.cells[description_col].strong
            start, updates = _dates(when, path, number, row.line)
            if _is_category(description):
                category: dict[str, Any] = {"row": number, "description": description,
                                            "date": start.isoformat()}
                if updates:
                    category["updated"] = [d.isoformat() for d in updates]
                categories.append(category)
            elif not company_names(description) and not any(_clean_name(s) for s in strong):
                raise ListFileError(
                    str(path), f"Covered List row {number} names no company (no 'produced by', "
                    f"'provided by' or 'supplied by'): '{description[:100]}'",
                    line=row.line, record=number,
                )
            rows.append((number, row.line, description, when, strong))
        if not rows:
            raise ListFileError(str(path), "the Covered List table has no rows")
        extra: dict[str, object] = {"rows": len(rows)}
        if categories:
            extra["category_rows"] = categories
        updated = _last_updated("".join(parser.outside))
        return _Page(
            meta=ListMeta(source="fcc", format=self.format, generated_at=updated, extra=extra),
            rows=rows,
        )

    @staticmethod
    def _find_table(tables: list[_Table], path: Path) -> tuple[_Table, int, int, int]:
        """The Covered List table, the index of its heading row and of its two columns."""
        for table in tables:
            for index, row in enumerate(table.rows[:3]):
                heads = [" ".join(c.text.split()).casefold() for c in row.cells]
                description = next((i for i, h in enumerate(heads) if _DESCRIPTION_HEAD in h),
                                   None)
                when = next((i for i, h in enumerate(heads) if _DATE_HEAD in h), None)
                if description is not None and when is not None:
                    return table, index, description, when
        raise ListFileError(
            str(path), "has no Covered List table (columns 'Covered Equipment or Services' and "
            "'Date of Inclusion on Covered List')",
        )


def _is_category(description: str) -> bool:
    return _CATEGORY.search(description) is not None and not company_names(description)


def company_names(description: str) -> list[str]:
    """The companies a Covered List row names ('... produced by Huawei Technologies Company,
    including ...' -> ['Huawei Technologies Company'])."""
    text = " ".join(description.split())
    names: list[str] = []
    candidates = [m["names"] for m in _BY.finditer(text)]
    if not candidates:
        candidates = [m["names"] for m in _AND_AFFILIATES.finditer(text)]
    for candidate in candidates:
        for part in _SUBSIDIARY.split(candidate):
            name = _clean_name(part)
            if name and not _NOT_A_NAME.match(name) and name not in names:
                names.append(name)
    return names


def _clean_name(text: str) -> str:
    name = " ".join(text.split()).strip(" ,;:")
    if name.endswith("."):
        last = name[:-1].rsplit(" ", 1)[-1].casefold()
        if last not in _KEEP_PERIOD and "." not in last:
            name = name[:-1].rstrip()
    return name


def _dates(text: str, path: Path, number: int, line: int) -> tuple[date, list[date]]:
    """The inclusion date (the first in the cell) and any later 'Updated:' dates."""
    found: list[date] = []
    for match in _DATE.finditer(text):
        try:
            if match["month"]:
                month = _MONTH_NAMES[match["month"][:3].casefold()]
                found.append(date(int(match["year"]), month, int(match["day"])))
            else:
                year = int(match["y"])
                year += 2000 if year < 100 else 0
                found.append(date(year, int(match["m"]), int(match["d"])))
        except ValueError:
            raise ListFileError(
                str(path), f"Covered List row {number}: '{match[0]}' is not a date", line=line,
                record=number, field="Date of Inclusion on Covered List",
            ) from None
    if not found:
        raise ListFileError(
            str(path), f"Covered List row {number} has no date of inclusion ('{text[:60]}')",
            line=line, record=number, field="Date of Inclusion on Covered List",
        )
    return found[0], found[1:]


def _last_updated(text: str) -> datetime | None:
    for match in _LAST_UPDATED.finditer(text):
        found = _DATE.search(match["date"])
        if found is None:
            continue
        try:
            day, _rest = _dates(found[0], Path(), 0, 0)
        except ListFileError:
            continue
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return None
