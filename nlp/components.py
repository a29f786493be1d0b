"""spaCy components that run vanban's rule finders on a ``Doc``.

Each component calls one finder on ``doc.text`` (its grammar and word lists are the data files
under ``nlp/data/``) and stores

- ``doc.spans[<key>]``: a ``Span`` per finding (widened to token boundaries), and
- ``doc._.vanban_<key>``: the typed findings themselves, in the same order, with offsets into
  ``doc.text`` (a finding whose span cannot be built has no ``Span`` but keeps its record).

The finders' context comes from ``doc._.vanban_ctx``, a dict the caller sets before running
the pipe (see :func:`nlp.lang.analyze_text`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.agencies import find_agencies
from nlp.citations import find_citations
from nlp.deadlines import find_deadlines, find_recurrence
from nlp.model import AgencyMention, Citation, Deadline, Target
from nlp.targets import find_targets

PIPES = ("vanban_agencies", "vanban_deadlines", "vanban_targets", "vanban_citations")
CTX_KEYS = frozenset({"doc_date", "context_year", "default_by", "in_objectives", "jurisdiction"})
_EXTENSIONS = (
    "vanban_ctx",
    *(f"vanban_{k}" for k in ("agencies", "deadlines", "targets", "citations", "recurrence")),
)


def register_extensions() -> None:
    """Declare the ``Doc._`` attributes once per process."""
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def check_ctx(ctx: dict[str, Any]) -> dict[str, Any]:
    unknown = set(ctx) - CTX_KEYS
    if unknown:
        raise ValueError(
            f"unknown context keys {sorted(unknown)}; expected some of {sorted(CTX_KEYS)}"
        )
    return dict(ctx)


def _ctx(doc: Doc) -> dict[str, Any]:
    register_extensions()  # the components also work when added to another Language
    return doc._.vanban_ctx or {}


def _store(
    doc: Doc,
    key: str,
    found: Sequence[Any],
    label: Callable[[Any], str],
    kb_id: Callable[[Any], str | None] = lambda f: None,
) -> Doc:
    register_extensions()
    spans: list[Span] = []
    for f in found:
        span = doc.char_span(
            f.start, f.end, label=label(f), kb_id=kb_id(f) or "", alignment_mode="expand"
        )
        if span is not None:
            spans.append(span)
    doc.spans[key] = spans
    doc._.set(f"vanban_{key}", tuple(found))
    return doc


@Language.component("vanban_agencies")
def agencies_component(doc: Doc) -> Doc:
    found = find_agencies(doc.text, jurisdiction=_ctx(doc).get("jurisdiction"))
    return _store(doc, "agencies", found, _agency_label, lambda m: m.agency_id)


def _agency_label(m: AgencyMention) -> str:
    return "AGENCY_GENERIC" if m.generic else "AGENCY"


@Language.component("vanban_deadlines")
def deadlines_component(doc: Doc) -> Doc:
    ctx = _ctx(doc)
    found = find_deadlines(
        doc.text, doc_date=ctx.get("doc_date"), context_year=ctx.get("context_year")
    )
    doc._.vanban_recurrence = find_recurrence(doc.text)
    return _store(doc, "deadlines", found, _deadline_label, lambda d: d.date)


def _deadline_label(d: Deadline) -> str:
    return f"DEADLINE_{d.kind.upper()}"


@Language.component("vanban_targets")
def targets_component(doc: Doc) -> Doc:
    ctx = _ctx(doc)
    found = find_targets(
        doc.text,
        in_objectives=bool(ctx.get("in_objectives")),
        default_by=ctx.get("default_by"),
        doc_date=ctx.get("doc_date"),
    )
    return _store(doc, "targets", found, _target_label)


def _target_label(t: Target) -> str:
    return "TARGET"


@Language.component("vanban_citations")
def citations_component(doc: Doc) -> Doc:
    return _store(doc, "citations", find_citations(doc.text), _citation_label, lambda c: c.key)


def _citation_label(c: Citation) -> str:
    return f"CITATION_{(c.doc_type or 'unknown').upper()}"
