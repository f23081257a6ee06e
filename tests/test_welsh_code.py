"""The Welsh Government Code's reporting (data.welsh_code) prints where a `data: welsh-code`
block places it, as tables a screen reader can name, each cell a field pull can take back."""

from __future__ import annotations

from pathlib import Path

from test_sections import PROFILE, build, rows

CODE = """\
  welsh_code:
    signed_up: 2017
    commitments:
      - {number: 2, progress: We named an Anti-slavery and Ethical Employment Champion.}
    action_plan:
      - {action: Train every buyer., owner: Head of Procurement, due: March 2025, status: in-progress}
      - {action: Review the whistleblowing policy.}
    staff_trained: 120
    suppliers_signed_up: 35
"""


def profile_with_code(placed: bool) -> str:
    text = PROFILE.replace("approval:\n", CODE + "approval:\n", 1)
    if placed:
        text = text.replace("        lead_in: \"Next year we will:\"\n",
                            "        lead_in: \"Next year we will:\"\n      - data: welsh-code\n", 1)
    assert ("data: welsh-code" in text) == placed
    return text


def test_the_code_s_tables_print_where_the_block_places_them(tmp_path: Path) -> None:
    (statement,) = build(tmp_path, profile_with_code(placed=True))
    tables = [text for style, text in rows(statement) if style == "TABLE"]
    assert "Commitment | What was done | 2 | We named an Anti-slavery and Ethical Employment Champion." in tables
    assert ("Action | Responsible | Due | Status | Train every buyer. | Head of Procurement | March 2025 | "
            "In progress | Review the whistleblowing policy. | — | — | —") in tables
    assert ("Measure | Number | Year signed up to the Code | 2017 | Staff trained this year | 120 | "
            "Suppliers signed up to the Code | 35") in tables


def test_without_its_block_the_code_s_data_prints_nowhere(tmp_path: Path) -> None:
    (statement,) = build(tmp_path, profile_with_code(placed=False))
    assert not any("Year signed up to the Code" in text for _, text in rows(statement))
