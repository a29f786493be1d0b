"""A spaCy ``Language`` for Vietnamese on underthesea's word segmentation.

The tokenizer runs ``underthesea.word_tokenize`` and lays its words back onto the input, so
``doc.text == text`` for any string and every character offset of the canonical text is a
character offset of the ``Doc``. A multi-syllable word is one token with its inner space
("Tư pháp"). underthesea rewrites some characters (NFC, tone-mark placement, ``ð``→``đ``, a
few legacy spellings such as ``qui``→``quy``) and drops whitespace; the words are matched on an
accent-less key, and any stretch that does not match is split on word/punctuation boundaries
instead. Extra whitespace (runs of spaces, newlines, tabs) becomes whitespace tokens, as in
spaCy's own tokenizers.

``get_nlp()`` builds the pipeline lazily (no pyvi, no downloads); ``analyze_text`` runs it with
the context the rule components need (see :mod:`nlp.components`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy costs about a second to import: only get_nlp() pays it
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

TOKENIZER = "vanban.underthesea_tokenizer.v1"

_NON_WS = re.compile(r"\S")
# a stretch underthesea's words do not cover: words (with stray combining marks) or one symbol
_FALLBACK = re.compile(r"(?:\w|[\u0300-\u036f])+|\S")
_SLACK = 4  # extra key characters searched when re-synchronising after a mismatch


# ----------------------------------------------------------------- alignment (pure)


@cache
def _key_char(ch: str) -> str:
    """Accent-less lower-case key of one character ("" for a combining mark)."""
    if unicodedata.combining(ch):
        return ""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower().replace("ð", "đ")


def _keyed(text: str) -> tuple[str, list[int] | None]:
    """The key of ``text`` and, unless it is one key character per character, the index in
    ``text`` of each key character."""
    key = "".join(map(_key_char, text))
    if len(key) == len(text) and all(len(_key_char(c)) == 1 for c in set(text)):
        return key, None
    owner: list[int] = []
    for i, ch in enumerate(text):
        owner.extend([i] * len(_key_char(ch)))
    return key, owner


class _Aligner:
    """Finds, in order, where each syllable of underthesea's words stands in ``text``."""

    def __init__(self, text: str):
        self.text = text
        self.key, self.owner = _keyed(text)
        self.cur = 0  # position in the key
        self.pending = 0  # key length of syllables that did not match since the last match

    def find(self, syllable: str) -> tuple[int, int] | None:
        """Text span of the next occurrence of ``syllable`` (None: it does not match here)."""
        k = "".join(map(_key_char, syllable))
        m = _NON_WS.search(self.key, self.cur)
        if not k or m is None:
            return None
        at = m.start()
        if self.key.startswith(k, at):
            found = at
        elif self.pending:
            found = self.key.find(k, at, at + self.pending + len(k) + _SLACK)
            if found < 0:
                self.pending += len(k)
                return None
        else:
            self.pending += len(k)
            return None
        self.cur, self.pending = found + len(k), 0
        return self._text_span(found, found + len(k))

    def _text_span(self, kstart: int, kend: int) -> tuple[int, int]:
        if self.owner is None:
            start, end = kstart, kend
        else:
            start, end = self.owner[kstart], self.owner[kend - 1] + 1
        while end < len(self.text) and not _key_char(self.text[end]):
            end += 1  # combining marks after the last base character
        return start, end


def align(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the given words, in order, without whitespace at either
    end. A word keeps its inner single spaces ("Tư pháp"); where the text puts anything else
    between its syllables, or a syllable does not match, the pieces are returned separately
    and the unmatched text is left uncovered (see :func:`tokenize_spans`)."""
    aligner = _Aligner(text)
    out: list[tuple[int, int]] = []
    for word in words:
        group: tuple[int, int] | None = None
        for syllable in word.split():
            span = aligner.find(syllable)
            if group and span and text[group[1] : span[0]] == " ":
                group = (group[0], span[1])
                continue
            if group:
                out.append(group)
            group = span
        if group:
            out.append(group)
    return out


def tokenize_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping, ordered spans covering every non-whitespace character of ``text``:
    underthesea's words where they align, a word/punctuation split elsewhere."""
    out: list[tuple[int, int]] = []
    pos = 0
    for start, end in align(text, words):
        if start < pos:
            continue  # overlaps the previous word (a key character split in two)
        out.extend(m.span() for m in _FALLBACK.finditer(text, pos, start))
        out.append((start, end))
        pos = end
    out.extend(m.span() for m in _FALLBACK.finditer(text, pos))
    return out


def words_and_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's ``words``/``spaces`` for ``spans``: one trailing space goes on the token, any
    other whitespace becomes a whitespace token."""
    words: list[str] = []
    spaces: list[bool] = []
    first = spans[0][0] if spans else len(text)
    if first:
        words.append(text[:first])
        spaces.append(False)
    for i, (start, end) in enumerate(spans):
        words.append(text[start:end])
        gap = text[end : spans[i + 1][0] if i + 1 < len(spans) else len(text)]
        spaces.append(gap.startswith(" "))
        rest = gap[1:] if gap.startswith(" ") else gap
        if rest:
            words.append(rest)
            spaces.append(False)
    return words, spaces


# ----------------------------------------------------------------- the tokenizer


_CHUNK = 20_000
_CHUNK_END = re.compile(r"[.;:]\n")


def _chunks(text: str, size: int = _CHUNK) -> list[str]:
    """Pieces of about ``size`` characters cut after a line that ends a sentence (".",
    ";", ":"), where no word can straddle the cut. One call per whole document costs
    underthesea ~5× the memory (775 MB on a 204-page plan) for the same words."""
    out, start = [], 0
    while len(text) - start > size:
        m = _CHUNK_END.search(text, start + size)
        if m is None:
            break
        out.append(text[start:m.end()])
        start = m.end()
    out.append(text[start:])
    return out


def _segment(text: str) -> list[str]:
    """underthesea's words, or none (everything falls back) if it fails on this text."""
    if not text.strip():
        return []
    from underthesea import word_tokenize

    try:
        return [w for piece in _chunks(text) if piece.strip() for w in word_tokenize(piece)]
    except Exception as e:  # a tokenizer must never fail on text
        log.warning(
            "underthesea failed on %d characters (%r); splitting on word boundaries", len(text), e
        )
        return []


class UndertheseaTokenizer:
    """``Tokenizer(vocab)(text) -> Doc`` with ``doc.text == text``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words, spaces = words_and_spaces(text, tokenize_spans(text, _segment(text)))
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # stateless: nothing to serialize, but nlp.to_bytes()/to_disk() expect these
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> UndertheseaTokenizer:
        return self

    def to_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> UndertheseaTokenizer:
        return self


def make_tokenizer():
    """The tokenizer factory, registered by :func:`get_nlp` under ``TOKENIZER``."""

    def create(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab)

    return create


# ----------------------------------------------------------------- the pipeline


@cache
def get_nlp() -> Language:
    """spaCy's Vietnamese defaults with our tokenizer and the vanban rule components."""
    import spacy
    from spacy.util import registry

    from nlp import components

    if TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER, func=make_tokenizer)
    components.register_extensions()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    for name in components.PIPES:
        nlp.add_pipe(name)
    return nlp


def analyze_text(text: str, ctx: dict[str, Any] | None = None) -> Doc:
    """Tokenize ``text`` and run the rule components with ``ctx`` (keys: ``doc_date``,
    ``context_year``, ``default_by``, ``in_objectives``, ``jurisdiction``)."""
    from nlp.components import check_ctx

    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.vanban_ctx = check_ctx(ctx or {})
    return nlp(doc)
