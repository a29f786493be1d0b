"""Typed findings produced by the NLP stage.

Every finding carries its evidence: the section it came from (``section_id``), character
offsets ``start``/``end`` into ``Document.text`` (the canonical text; ``section`` offsets
are derived by subtracting the section's ``start``), and the ``rule`` that produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ----------------------------------------------------------------- grammar-level findings
# These are produced by pure functions over a string (``find_*(text, ...)``) with offsets
# relative to that string; the pipeline shifts them into Document.text.


@dataclass(frozen=True)
class AgencyMention:
    text: str  # as written in the source
    start: int
    end: int
    canonical: str | None  # canonical name from the gazetteer (None: not in it)
    successor: str | None  # current body after the 2025 restructuring (None: unchanged)
    agency_id: str | None  # stable id of the gazetteer entry
    generic: bool  # vague reference ("các cơ quan, đơn vị liên quan")
    rule: str
    section_id: str | None = None  # set by the pipeline

    @property
    def name(self) -> str:
        """The name to show: as written when the text spells a full name (annotators and
        staff keep the document's wording, "Đài Phát thanh - Truyền hình tỉnh"); the
        canonical name when the text only implies it (an enumeration item "Tư pháp", an
        official's title, an abbreviation)."""
        if self.canonical is None:
            return self.text
        if self.rule in _AS_WRITTEN and "&" not in self.text and not _ABBREV.search(self.text):
            return " ".join(self.text.split())
        return self.canonical


_AS_WRITTEN = {"gazetteer", "alias", "structural", "collective"}
_ABBREV = re.compile(r"\b[A-ZĐ]{2,}\b(?<!UBND)(?<!HĐND)")


@dataclass(frozen=True)
class Deadline:
    raw: str  # the phrase as written
    start: int
    end: int
    date: str | None  # ISO date (a period/quarter/month resolves to its last day)
    kind: str  # "date", "month", "quarter", "year", "period", "relative", "recurring"
    recurrence: str | None  # weekly, monthly, quarterly, semiannual, yearly
    rule: str
    section_id: str | None = None


@dataclass(frozen=True)
class Target:
    raw: str
    start: int
    end: int
    value: float
    unit: str  # "%", "count", "VND", "rank", "score", "%/year", or the text's unit
    comparator: str  # ">=", "<=", "="
    metric: str  # what the number measures (the words after it)
    by: str | None  # ISO date by which it holds
    rule: str
    section_id: str | None = None


@dataclass(frozen=True)
class Citation:
    raw: str
    start: int
    end: int
    key: str  # normalized "749/QĐ-TTg"
    number: str
    year: int | None
    doc_type: str | None  # code of the type (quyet_dinh, ...), from the symbol or the words
    issuer_code: str | None  # "TTg"
    date: str | None  # ISO date if given ("ngày 03/6/2020")
    issuer_name: str | None  # "Thủ tướng Chính phủ" if given
    rule: str
    section_id: str | None = None


# ----------------------------------------------------------------------------- tasks


@dataclass(frozen=True)
class Role:
    agency: AgencyMention
    role: str  # "lead" or "support"
    rule: str  # how the role was assigned (subject, heading, giao, table-column, recipients…)


@dataclass(frozen=True)
class Task:
    id: str  # stable within the document: "<section_id>#<n>"
    section_id: str
    text: str
    start: int
    end: int
    roles: tuple[Role, ...]
    deadlines: tuple[Deadline, ...]
    targets: tuple[Target, ...]
    recurrence: str | None
    table_id: str | None  # set when the task is an appendix table row
    rule: str

    @property
    def lead(self) -> tuple[str, ...]:
        return _names(self.roles, "lead")

    @property
    def support(self) -> tuple[str, ...]:
        return _names(self.roles, "support")


def _names(roles: tuple[Role, ...], which: str) -> tuple[str, ...]:
    out: list[str] = []
    for r in roles:
        if r.role == which:
            name = r.agency.name
            if name not in out:
                out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class Analysis:
    """Everything the NLP stage found in one document."""

    source: str
    tasks: tuple[Task, ...]
    targets: tuple[Target, ...]  # all targets (also those outside tasks, e.g. under MỤC TIÊU)
    citations: tuple[Citation, ...]
    mentions: tuple[AgencyMention, ...]
