"""Whole documents against golden files: the header and the section outline.

The golden files were written with ``pytest --update-golden`` and reviewed by hand
against the documents; the header values of the seeds are also checked against
shared/eval/gold independently (test_structure.py). The PDF and DOCX renderings of a seed
must give the same outline as its text, apart from the appendix table they add.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASES = {
    "seed-letter-txt": "corpus/000_84caea610c60ea8e.txt",
    "seed-letter-docx": "tests/fixtures/renderings/cv_tuyenquang_2025.docx",
    "seed-letter-pdf": "tests/fixtures/renderings/cv_tuyenquang_2025.pdf",
    "seed-plan-txt": "corpus/004_c3f27cbd2c96d7bd.txt",
    "seed-plan-docx": "tests/fixtures/renderings/kh_tuyenquang_cds_2024.docx",
    "seed-plan-pdf": "tests/fixtures/renderings/kh_tuyenquang_cds_2024.pdf",
}
HEADER_FIELDS = ("doc_type", "number", "symbol", "issuer_name", "place", "date", "subject",
                 "recipients", "urgency", "confidentiality")


def _snapshot(path: Path) -> dict:
    d = extract_file(path)
    h = d.header
    return {
        "header": {f: list(v) if isinstance(v, tuple) else v
                   for f in HEADER_FIELDS for v in [getattr(h, f)]},
        "signature": d.signature.title if d.signature else None,
        "signer": d.signature.signer if d.signature else None,
        "outline": [f"{s.id} {s.kind}" for s in d.sections if s.kind != "para"],
        "tables": [{"header": list(t.header), "rows": len(t.rows)} for t in d.tables],
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_document_matches_golden(name, update_golden):
    got = _snapshot(ROOT / CASES[name])
    gfile = GOLDEN / f"{name}.json"
    if update_golden:
        gfile.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(gfile.read_text(encoding="utf-8"))


@pytest.mark.parametrize("doc", ["seed-letter", "seed-plan"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_renderings_keep_the_outline_of_the_text(doc, fmt):
    text = set(json.loads((GOLDEN / f"{doc}-txt.json").read_text())["outline"])
    other = set(json.loads((GOLDEN / f"{doc}-{fmt}.json").read_text())["outline"])
    other = {o for o in other if not o.startswith("PL")}  # the appendix the rendering adds
    missing = text - other
    assert len(missing) <= 0.03 * len(text), sorted(missing)[:10]


def test_renderings_signature_and_table_header():
    for name in ("seed-letter-pdf", "seed-letter-docx"):
        snap = json.loads((GOLDEN / f"{name}.json").read_text())
        assert snap["signature"] == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
        assert snap["signer"] == "Hoàng Việt Phương"
        assert snap["tables"][0]["header"][:3] == ["STT", "Nhiệm vụ", "Cơ quan chủ trì"]
