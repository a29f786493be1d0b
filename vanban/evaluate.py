"""Score predictions against gold files, exactly as ``shared/eval/GUIDELINES.md`` says."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extract.normalize import normalize_tone_placement

# ------------------------------------------------------------------------ folding


def fold_text(s: str) -> str:
    s = unicodedata.normalize("NFC", s or "")
    s = re.sub(r"\s+", " ", s).strip().lower()
    return normalize_tone_placement(s)


_QUOTE_MARKER = re.compile(r"^(?:[-+•–]|[a-zđ]\)|\(?\d+\)|[ivxlc]+\.|\d+(?:\.\d+)*\.?)\s+")


def fold_quote(q: str) -> str:
    return _QUOTE_MARKER.sub("", fold_text(q), count=1)


_ABBR = [
    (r"\bubnd\b", "ủy ban nhân dân"), (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\btt&tt\b", "thông tin và truyền thông"), (r"\bkh&cn\b", "khoa học và công nghệ"),
    (r"\bkh&đt\b", "kế hoạch và đầu tư"), (r"\bgd&đt\b", "giáo dục và đào tạo"),
    (r"\bmttq\b", "mặt trận tổ quốc"),
]
_TITLES = ("bộ trưởng", "thủ trưởng", "giám đốc", "chủ tịch", "chánh án", "viện trưởng",
           "cục trưởng", "trưởng ban", "người đứng đầu", "chánh văn phòng", "chỉ huy trưởng")
_VAGUE_WORDS = {"cơ", "quan", "đơn", "vị", "cấp", "ngành", "địa", "phương", "các", "và"}


def fold_agency(name: str) -> str:
    s = fold_text(name)
    for pat, rep in _ABBR:
        s = re.sub(pat, rep, s)
    s = re.sub(r"^(các|toàn bộ)\s+", "", s)
    s = re.sub(r"^chánh thanh tra\b", "thanh tra", s)
    for t in _TITLES:
        if s.startswith(t + " "):
            s = s[len(t) + 1:]
            break
    s = re.sub(r"^(các|toàn bộ)\s+", "", s)
    s = re.sub(r"\s+(của\s+)?tỉnh(\s+[^\s,;]+(\s+[^\s,;]+){0,2})?$", "", s)
    return s.strip(" ,;.")


def is_vague(name: str) -> bool:
    s = fold_text(name).strip(" ,;.")
    if re.search(r"(có )?liên quan$", s):
        return True
    words = [w for w in re.split(r"[\s,]+", s) if w]
    return bool(words) and all(w in _VAGUE_WORDS for w in words)


# ------------------------------------------------------------------------ scoring


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Acc:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += bool(ok)

    def merge(self, other: Acc) -> None:
        self.right += other.right
        self.total += other.total

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class DocScore:
    source: str
    tasks: PRF = field(default_factory=PRF)
    assignment: PRF = field(default_factory=PRF)
    deadlines: PRF = field(default_factory=PRF)
    recurrence: Acc = field(default_factory=Acc)
    targets: PRF = field(default_factory=PRF)
    target_fields: dict[str, Acc] = field(default_factory=dict)
    header: dict[str, Acc] = field(default_factory=dict)
    citations: PRF = field(default_factory=PRF)


def _match(gold: list[dict], pred: list[dict], agree: Callable[[dict, dict], int],
           ocr: bool) -> list[tuple[dict, dict | None]]:
    """One-to-one matching, gold in file order; ties broken by agreement, then order."""
    used: set[int] = set()
    folded = [fold_text(p.get("text") or "") for p in pred]
    out = []
    for g in gold:
        q = fold_quote(g["quote"])
        cands = [i for i, t in enumerate(folded) if i not in used and q in t]
        if not cands and ocr:
            cands = [i for i, t in enumerate(folded)
                     if i not in used and fuzz.partial_ratio(q, t) >= 90]
        if not cands:
            out.append((g, None))
            continue
        best = max(cands, key=lambda i: (agree(g, pred[i]), -i))
        used.add(best)
        out.append((g, pred[best]))
    return out


def _triples(t: dict) -> set[tuple[str, str]]:
    out = set()
    for role in ("lead", "support"):
        for a in t.get(role) or []:
            if not is_vague(a):
                out.add((fold_agency(a), role))
    return out


def _task_agree(g: dict, p: dict) -> int:
    return len(_triples(g) & _triples(p)) + len(set(g.get("deadlines") or []) &
                                                 set(p.get("deadlines") or []))


def _target_agree(g: dict, p: dict) -> int:
    return 2 * (_num_eq(g.get("value"), p.get("value"))) + (g.get("by") == p.get("by"))


def _num_eq(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return a == b


def score_document(gold: dict, pred: dict, *, ocr: bool = False) -> DocScore:
    s = DocScore(gold["source"])
    _score_tasks(s, gold.get("tasks", []), pred.get("tasks", []), ocr)
    _score_targets(s, gold.get("targets", []), pred.get("targets", []), ocr)
    _score_header(s, gold.get("document", {}), pred.get("document", {}))
    g_c = {fold_text(c) for c in gold.get("citations", [])}
    p_c = {fold_text(c) for c in (pred.get("document", {}).get("citations") or [])}
    s.citations = PRF(len(g_c & p_c), len(p_c - g_c), len(g_c - p_c))
    return s


def _score_tasks(s: DocScore, gold: list[dict], pred: list[dict], ocr: bool) -> None:
    pairs = _match(gold, pred, _task_agree, ocr)
    matched = [p for _, p in pairs if p is not None]
    s.tasks = PRF(len(matched), len(pred) - len(matched), len(pairs) - len(matched))
    matched_ids = {id(p) for p in matched}
    for g, p in pairs:
        gt, gd = _triples(g), set(g.get("deadlines") or [])
        pt = _triples(p) if p else set()
        pd = set(p.get("deadlines") or []) if p else set()
        s.assignment.add(PRF(len(gt & pt), len(pt - gt), len(gt - pt)))
        s.deadlines.add(PRF(len(gd & pd), len(pd - gd), len(gd - pd)))
        if p is not None:
            s.recurrence.add(g.get("recurrence") == p.get("recurrence"))
    for p in pred:
        if id(p) not in matched_ids:
            s.assignment.fp += len(_triples(p))
            s.deadlines.fp += len(set(p.get("deadlines") or []))


def _score_targets(s: DocScore, gold: list[dict], pred: list[dict], ocr: bool) -> None:
    pairs = _match(gold, pred, _target_agree, ocr)
    matched = [(g, p) for g, p in pairs if p is not None]
    s.targets = PRF(len(matched), len(pred) - len(matched), len(pairs) - len(matched))
    for name in ("value", "unit", "comparator", "by"):
        acc = Acc()
        for g, p in matched:
            ok = _num_eq(g.get(name), p.get(name)) if name == "value" else \
                g.get(name) == p.get(name)
            acc.add(ok)
        s.target_fields[name] = acc


_HEADER_FIELDS = ("doc_type", "number", "symbol", "issuer", "place", "date", "subject",
                  "recipients", "signer", "signer_title")


def _score_header(s: DocScore, gold: dict, pred: dict) -> None:
    for f in _HEADER_FIELDS:
        if f not in gold:
            continue
        g, p = gold.get(f), pred.get(f)
        if f == "recipients":
            ok = {fold_agency(x) for x in g or []} == {fold_agency(x) for x in p or []}
        elif f == "issuer":
            ok = fold_agency(g or "") == fold_agency(p or "") if g or p else True
        else:
            ok = fold_text(str(g)) == fold_text(str(p)) if g is not None and p is not None \
                else g == p
        s.header.setdefault(f, Acc()).add(ok)


# ------------------------------------------------------------------------ report


def summarize(scores: list[DocScore]) -> dict:
    """Micro (pooled) and macro (mean per document) figures."""
    def micro(attr: str) -> PRF:
        tot = PRF()
        for sc in scores:
            tot.add(getattr(sc, attr))
        return tot

    out: dict = {"documents": len(scores), "micro": {}, "macro": {}}
    for attr in ("tasks", "assignment", "deadlines", "targets", "citations"):
        m = micro(attr)
        out["micro"][attr] = {"p": m.precision, "r": m.recall, "f1": m.f1,
                              "tp": m.tp, "fp": m.fp, "fn": m.fn}
        out["macro"][attr] = {"f1": sum(getattr(sc, attr).f1 for sc in scores) / len(scores)
                              if scores else 0.0}
    rec = Acc()
    for sc in scores:
        rec.merge(sc.recurrence)
    out["micro"]["recurrence_accuracy"] = rec.value
    for name in ("value", "unit", "comparator", "by"):
        acc = Acc()
        for sc in scores:
            acc.merge(sc.target_fields.get(name, Acc()))
        out["micro"][f"target_{name}_accuracy"] = acc.value
    for f in _HEADER_FIELDS:
        acc = Acc()
        for sc in scores:
            acc.merge(sc.header.get(f, Acc()))
        out["micro"][f"header_{f}"] = acc.value
    return out
