"""`vanban eval`: run the pipeline on the gold files' sources and score it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from extract import extract_file
from extract.errors import ExtractError
from nlp.pipeline import analyze
from vanban.evaluate import score_document, summarize
from vanban.records import records

log = logging.getLogger(__name__)


def find_source(name: str, dirs: list[Path]) -> Path | None:
    for d in dirs:
        p = d / name
        if p.exists():
            return p
    return None


def run_eval(gold_dir: Path, dirs: list[Path]) -> dict:
    scores, per_doc, missing = [], [], []
    for gf in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        src = find_source(gold["source"], dirs)
        if src is None:
            missing.append(gold["source"])
            continue
        try:
            doc = extract_file(src)
            pred = records(doc, analyze(doc))
            ocr = any(p.method == "ocr" for p in doc.pages)
        except ExtractError as e:
            log.warning("%s", e)
            pred, ocr = {"document": {}, "tasks": [], "targets": []}, False
        sc = score_document(gold, pred, ocr=ocr)
        scores.append(sc)
        per_doc.append({
            "source": gold["source"],
            "tasks_f1": sc.tasks.f1, "assignment_f1": sc.assignment.f1,
            "deadlines_f1": sc.deadlines.f1, "targets_f1": sc.targets.f1,
            "citations_f1": sc.citations.f1,
            "header": {k: v.value for k, v in sc.header.items()},
            "counts": {"gold_tasks": sc.tasks.tp + sc.tasks.fn,
                       "pred_tasks": sc.tasks.tp + sc.tasks.fp},
        })
    return {"summary": summarize(scores), "documents": per_doc, "missing": missing}


def format_report(result: dict) -> str:
    s = result["summary"]
    lines = [f"documents scored: {s['documents']}"]
    if result["missing"]:
        lines.append(f"sources not found: {', '.join(result['missing'])}")
    lines.append(f"{'metric':<14}{'micro P':>9}{'micro R':>9}{'micro F1':>10}{'macro F1':>10}")
    for k in ("tasks", "assignment", "deadlines", "targets", "citations"):
        m = s["micro"][k]
        lines.append(f"{k:<14}{m['p']:>9.3f}{m['r']:>9.3f}{m['f1']:>10.3f}"
                     f"{s['macro'][k]['f1']:>10.3f}")
    lines.append(f"recurrence accuracy: {s['micro']['recurrence_accuracy']:.3f}")
    lines.append("target fields: " + ", ".join(
        f"{n} {s['micro'][f'target_{n}_accuracy']:.3f}" for n in ("value", "unit", "comparator",
                                                                  "by")))
    lines.append("header fields: " + ", ".join(
        f"{k[7:]} {v:.2f}" for k, v in s["micro"].items() if k.startswith("header_")))
    lines.append("")
    lines.append(f"{'document':<58}{'tasks':>7}{'assign':>8}{'deadl':>7}{'targ':>7}{'cite':>7}")
    for d in result["documents"]:
        lines.append(f"{d['source'][:57]:<58}{d['tasks_f1']:>7.2f}{d['assignment_f1']:>8.2f}"
                     f"{d['deadlines_f1']:>7.2f}{d['targets_f1']:>7.2f}{d['citations_f1']:>7.2f}")
    return "\n".join(lines)
