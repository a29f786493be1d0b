"""Accuracy on the development gold must not drop below what was measured.

Floors are the scores measured when this test was written (see the README's accuracy
table), rounded down; raise them as the pipeline improves.
"""

from vanban.evalrun import run_eval

FLOORS = {"tasks": 0.88, "assignment": 0.80, "deadlines": 0.78, "targets": 0.90,
          "citations": 0.95}


def test_micro_scores_on_development_gold_do_not_drop(shared_dir):
    result = run_eval(shared_dir / "eval" / "gold",
                      [shared_dir / "seeds", shared_dir / "corpus"])
    assert not result["missing"]
    micro = result["summary"]["micro"]
    low = {k: round(micro[k]["f1"], 3) for k, floor in FLOORS.items() if micro[k]["f1"] < floor}
    assert not low, f"scores fell below their floors: {low}"
    assert micro["target_value_accuracy"] >= 0.95
