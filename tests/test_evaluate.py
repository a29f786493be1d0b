"""The scorer follows shared/eval/GUIDELINES.md to the letter."""

import pytest

from vanban.evaluate import fold_agency, fold_quote, is_vague, score_document


@pytest.mark.parametrize(
    "name, folded",
    [
        ("Giám đốc Công an tỉnh", "công an"),
        ("Chủ tịch UBND các huyện", "ủy ban nhân dân các huyện"),
        ("Chánh Thanh tra tỉnh", "thanh tra"),
        ("Sở TT&TT", "sở thông tin và truyền thông"),
        ("Sở Tư pháp tỉnh Tuyên Quang", "sở tư pháp"),
        ("Các sở, ban, ngành thuộc tỉnh", "sở, ban, ngành thuộc"),
        ("Uỷ ban nhân dân huyện, thành phố", "ủy ban nhân dân huyện, thành phố"),
    ],
)
def test_agency_folding(name, folded):
    assert fold_agency(name) == folded


@pytest.mark.parametrize(
    "name, vague",
    [("các cơ quan, đơn vị liên quan", True), ("các cấp, các ngành", True),
     ("các cơ quan, đơn vị, địa phương", True), ("cơ quan có liên quan", True),
     ("Sở Tư pháp", False), ("Các sở, ban, ngành thuộc tỉnh", False)],
)
def test_vague_names_are_not_scored(name, vague):
    assert is_vague(name) is vague


@pytest.mark.parametrize(
    "quote, folded",
    [("- Chủ trì rà soát", "chủ trì rà soát"), ("b) Nghị định quy định", "nghị định quy định"),
     ("2.1. Hoàn thiện thể chế", "hoàn thiện thể chế"), ("IV. Giải pháp", "giải pháp"),
     ("12 Xây dựng cơ sở dữ liệu", "xây dựng cơ sở dữ liệu")],
)
def test_quote_marker_is_dropped(quote, folded):
    assert fold_quote(quote) == folded


def _gold(tasks, citations=()):
    return {"source": "x", "document": {}, "tasks": tasks, "targets": [],
            "citations": list(citations)}


def test_matching_is_one_to_one_and_prefers_agreement():
    gold = _gold([{"quote": "Tổ chức tập huấn", "lead": ["Sở Nội vụ"], "support": [],
                   "deadlines": [], "recurrence": None}])
    pred = {"document": {"citations": []}, "targets": [], "tasks": [
        {"text": "Tổ chức tập huấn cho cán bộ", "lead": ["Sở Y tế"], "support": [],
         "deadlines": []},
        {"text": "1 | Tổ chức tập huấn cho cán bộ | Sở Nội vụ", "lead": ["Sở Nội vụ"],
         "support": [], "deadlines": []},
    ]}
    s = score_document(gold, pred)
    assert (s.tasks.tp, s.tasks.fp, s.tasks.fn) == (1, 1, 0)
    assert (s.assignment.tp, s.assignment.fp, s.assignment.fn) == (1, 1, 0)


def test_unmatched_gold_task_counts_its_triples_as_misses():
    gold = _gold([{"quote": "Rà soát thủ tục", "lead": ["Sở Tư pháp"], "support": ["Công an tỉnh"],
                   "deadlines": ["2025-06-30"], "recurrence": None}], ["56/TB-VPCP"])
    pred = {"document": {"citations": ["56/TB-VPCP", "1/QĐ-TTg"]}, "targets": [], "tasks": []}
    s = score_document(gold, pred)
    assert s.assignment.fn == 2 and s.deadlines.fn == 1
    assert (s.citations.tp, s.citations.fp) == (1, 1)
