"""scripts/fidelity.py measures what a built statement keeps of the body's own text: synthetic
cases pin each figure, and every example is measured against its reference in ../shared."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import docx
import pytest

from msgen.build import build_profiles, output_name
from msgen.profile.loader import load_profile

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT.parent / "shared" / "reference"
EXAMPLES = ROOT / "examples"
EXAMPLES_V2 = EXAMPLES / "v2"

# What the signature block prints around the profile's values: labels, not the body's sentences.
# A label ending in ":" is measured by the value after it, which must still come from the
# reference; "Name:", "Signature:" and "Date:" are the references' own signature-form labels.
SIGNATURE_LABELS = ["Approved by:", "Date of approval:", "Meeting attended by:", "Decision reference:",
                    "not yet approved", "Name", "Role", "Organisation", "Signature", "Date",
                    "Name:", "Signature:", "Date:", "Approval", "DRAFT — not approved", "[date of signing]",
                    "Signatory"]
# The references' known defects that the examples correct by leaving them out (each correction
# is noted in the profile, where it is made); the other corrections still read near-verbatim.
KNOWN_DEFECTS = {
    # two signature dates from the year before the statement's
    "staffordshire-joint-2022": [r"^Date: 13\.(09|10)\.21$"],
}

_spec = importlib.util.spec_from_file_location("fidelity", ROOT / "scripts" / "fidelity.py")
fidelity = importlib.util.module_from_spec(_spec)
sys.modules["fidelity"] = fidelity
_spec.loader.exec_module(fidelity)

SOURCE = """\
Modern Slavery NEW.PNG
Skip to content

1. Introduction

This statement is made under section 54(1) of the Modern Slavery Act 2015. It covers the
force and its supply chains.

2. Our Policies

The force’s policies include:

• Whistleblowing Policy
• Recruitment and Vetting Policy
• Modern Slavery and Human Trafficking Policy

3. Training

All officers complete mandatory e-learning on spotting the signs of exploitation.
"""

CLEAN = SOURCE.replace("Modern Slavery NEW.PNG\nSkip to content\n", "")

PARAPHRASE = CLEAN.replace(
    "This statement is made under section 54(1) of the Modern Slavery Act 2015. It covers the\n"
    "force and its supply chains.",
    "The force publishes this statement because the law asks it to. It looks at the force and at "
    "the firms it buys from.",
).replace(
    "All officers complete mandatory e-learning on spotting the signs of exploitation.",
    "Every officer takes a compulsory online course on recognising exploitation.",
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = fidelity.main([str(argument) for argument in arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_verbatim_copy_keeps_everything_and_adds_nothing(tmp_path):
    source = write(tmp_path, "source.txt", SOURCE)
    built = write(tmp_path, "built.txt", CLEAN)

    report = fidelity.measure(built, source)

    assert (report.kept_percent, report.foreign_percent) == (100.0, 0.0)
    assert (report.headings_total, report.headings_found, report.headings_in_order) == (3, 3, 3)
    assert len(report.source_units) == 7  # 4 sentences (one wrapped over two lines) and 3 items


def test_typography_does_not_count_as_a_change(tmp_path):
    source = write(tmp_path, "source.txt", SOURCE)
    retyped = SOURCE.replace("’", "'").replace("•", "-").replace("e-learning", "e–learning")
    report = fidelity.measure(write(tmp_path, "built.txt", retyped), source)
    assert report.kept_percent == 100.0


def test_a_paraphrase_is_missed_and_reported_as_foreign(tmp_path, capsys):
    source = write(tmp_path, "source.txt", SOURCE)
    built = write(tmp_path, "built.txt", PARAPHRASE)

    code, out, _ = run(capsys, built, source, "--json")
    report = json.loads(out)

    assert code == 0
    missed = {unit["text"] for unit in report["source_units"] if not unit["found"]}
    foreign = {unit["text"] for unit in report["output_units"] if not unit["found"]}
    assert missed == {
        "This statement is made under section 54(1) of the Modern Slavery Act 2015.",
        "It covers the force and its supply chains.",
        "All officers complete mandatory e-learning on spotting the signs of exploitation.",
    }
    assert foreign == {
        "The force publishes this statement because the law asks it to.",
        "It looks at the force and at the firms it buys from.",
        "Every officer takes a compulsory online course on recognising exploitation.",
    }
    assert report["kept_percent"] == round(100 * 4 / 7, 1)


def test_a_reordered_heading_is_reported(tmp_path):
    source = write(tmp_path, "source.txt", SOURCE)
    sections = SOURCE.split("\n3. Training\n")
    reordered = "3. Training\n" + sections[1] + "\n" + sections[0]

    report = fidelity.measure(write(tmp_path, "built.txt", reordered), source)

    assert report.headings_found == 3
    assert report.headings_in_order == 2
    assert report.headings_out_of_order == ["3. Training"]


def test_residue_is_left_out_of_the_measure_and_reported_when_it_reaches_the_output(tmp_path):
    source = write(tmp_path, "source.txt", SOURCE + "\nWe use cookies to make this site work.\n")
    built = write(tmp_path, "built.txt", SOURCE)  # still carries the image name and skip link

    report = fidelity.measure(built, source)

    assert report.residue_excluded == ["Modern Slavery NEW.PNG", "Skip to content",
                                       "We use cookies to make this site work."]
    assert report.kept_percent == 100.0
    assert report.residue_in_output == ["Modern Slavery NEW.PNG", "Skip to content"]


def test_an_exclusion_list_and_an_allowed_list_change_what_is_counted(tmp_path, capsys):
    source = write(tmp_path, "source.txt", SOURCE + "\nThis page was last reviewed on 1 May 2022.\n")
    built = write(tmp_path, "built.txt", CLEAN + "\nThis is the force's second statement.\n")
    exclude = write(tmp_path, "exclude.txt", "# page footer\n^this page was last reviewed\\b\n")
    allowed = write(tmp_path, "allowed.txt", "This is the force's second statement.\n")

    _, without_lists, _ = run(capsys, built, source, "--json")
    _, with_lists, _ = run(capsys, built, source, "--json", "--exclude", exclude, "--allowed", allowed)

    assert json.loads(without_lists)["kept_percent"] < 100.0
    assert json.loads(without_lists)["foreign_percent"] > 0.0
    assert (json.loads(with_lists)["kept_percent"], json.loads(with_lists)["foreign_percent"]) == (100.0, 0.0)


def test_a_headings_file_overrides_the_heuristic(tmp_path):
    source = write(tmp_path, "source.txt", SOURCE)
    headings = ["2. Our Policies", "3. Training"]
    report = fidelity.measure(write(tmp_path, "built.txt", SOURCE), source, headings=headings)
    assert (report.headings_total, report.headings_found) == (2, 2)


def test_a_word_document_is_read_with_its_styles_and_content_controls(tmp_path):
    document = docx.Document()
    document.add_paragraph("1. Introduction", style="Heading 1")
    paragraph = document.add_paragraph("This statement is made under section 54(1) of the Modern Slavery Act 2015. ")
    paragraph.add_run("It covers the force and its supply chains.")
    document.add_paragraph("2. Our Policies", style="Heading 1")
    document.add_paragraph("The force’s policies include:")
    for item in ["Whistleblowing Policy", "Recruitment and Vetting Policy",
                 "Modern Slavery and Human Trafficking Policy"]:
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("3. Training", style="Heading 1")
    wrapped = document.add_paragraph("All officers complete ")
    control = docx.oxml.parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:sdtPr><w:tag w:val="training"/></w:sdtPr><w:sdtContent><w:r>'
        "<w:t>mandatory e-learning</w:t></w:r></w:sdtContent></w:sdt>")
    wrapped._p.append(control)
    wrapped.add_run(" on spotting the signs of exploitation.")
    document.save(tmp_path / "built.docx")

    report = fidelity.measure(tmp_path / "built.docx", write(tmp_path, "source.txt", SOURCE))

    assert (report.kept_percent, report.foreign_percent) == (100.0, 0.0)
    assert report.headings_in_order == 3


def test_thresholds_decide_the_exit_code(tmp_path, capsys):
    source = write(tmp_path, "source.txt", SOURCE)
    built = write(tmp_path, "built.txt", PARAPHRASE)

    assert run(capsys, built, source, "--min-kept", "50")[0] == 0
    assert run(capsys, built, source, "--min-kept", "95")[0] == 1
    assert run(capsys, built, source, "--max-foreign", "5")[0] == 1
    code, out, _ = run(capsys, built, source)
    assert code == 0 and "source sentences and items kept" in out and "57.1 % of 7" in out


@pytest.mark.parametrize("make, expected", [
    (lambda folder: (folder / "absent.docx", write(folder, "s.txt", SOURCE)), "absent.docx: no such file"),
    (lambda folder: (write(folder, "built.pdf", "x"), write(folder, "s.txt", SOURCE)),
     "built.pdf: cannot read .pdf (expected one of .docx, .txt)"),
    (lambda folder: (write(folder, "fake.docx", "not a zip"), write(folder, "s.txt", SOURCE)),
     "fake.docx: not a Word document"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, make, expected):
    built, source = make(tmp_path)
    code, out, err = run(capsys, built, source)
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1


def test_a_bad_exclusion_pattern_is_one_line_and_exit_2(tmp_path, capsys):
    source = write(tmp_path, "source.txt", SOURCE)
    exclude = write(tmp_path, "exclude.txt", "cookies (\n")
    code, _, err = run(capsys, source, source, "--exclude", exclude)
    assert code == 2 and "'cookies (' is not a regular expression" in err and err.count("\n") == 1


def test_the_reference_headings_are_found_by_the_heuristic():
    """The heuristic, pinned on the real references: numbered sections, standalone titles; not
    the signature blocks' "Name: ..." / "Chief Constable" lines."""
    headings = [block.text for block in fidelity.read_text(REFERENCES / "staffordshire-joint-2022.txt")
                if block.kind == "heading"]
    assert headings == ["Joint Modern Slavery and Human Trafficking Statement 2022", "1. Introduction",
                        "2. About the Organisations", "3. Policies and Procedures", "4. Employee Training",
                        "5. Delivery", "6. Action Plan"]
    cambridgeshire = [block.text for block in fidelity.read_text(REFERENCES / "cambridgeshire-2020.txt")
                      if block.kind == "heading"]
    assert "Training across the core workforce" in cambridgeshire
    assert any(heading.startswith("3. Due diligence processes") for heading in cambridgeshire)


def build_statements(examples: Path, folder: Path) -> dict[str, Path]:
    """Each example's built statement, by the example's name (its reference's name)."""
    profiles = sorted(examples.glob("*.yaml"))
    build_profiles(profiles, folder)
    return {profile.stem: folder / output_name(load_profile(profile), "statement") for profile in profiles}


def figures(name: str, report) -> str:
    return (f"{name}: kept {report.kept_percent} % of {len(report.source_units)}, foreign "
            f"{report.foreign_percent} % of {len(report.output_units)}, headings "
            f"{report.headings_found}/{report.headings_total} found, {report.headings_in_order} in order, "
            f"{len(report.placeholders)} placeholders")


@pytest.fixture(scope="module")
def built_examples(tmp_path_factory) -> dict[str, Path]:
    return build_statements(EXAMPLES, tmp_path_factory.mktemp("examples"))


def test_every_example_is_measured_against_its_reference(built_examples):
    """TODAY'S FIGURES, PRINTED, NOT TARGETS: the version-1 examples rewrite their references in
    msgen's words, so this asserts only that each measurement is complete (the version-2
    examples are held to the targets below). Run with -s to see the figures."""
    assert set(built_examples) == {path.stem for path in REFERENCES.glob("*.txt")}, \
        f"every example needs its reference in {REFERENCES}"
    for name, built in built_examples.items():
        report = fidelity.measure(built, REFERENCES / f"{name}.txt")
        print(figures(name, report))
        assert report.source_units and report.output_units
        assert all(0 <= unit.score <= 100 for unit in [*report.source_units, *report.output_units])
        assert len(report.missing_headings) + report.headings_found == report.headings_total


def test_a_link_label_is_cut_out_of_its_sentence_not_dropped_with_it(tmp_path, capsys):
    """gmca-2021-22 in ../shared/corpus: "Programme Challenger (external website) is ..."."""
    corpus = REFERENCES.parent / "corpus" / "gmca-2021-22.txt"
    sentence = next(line for line in corpus.read_text(encoding="utf-8").splitlines()
                    if "(external website)" in line)
    exclude = write(tmp_path, "exclude.txt", "inline \\s*\\[link\\]\n")
    source = write(tmp_path, "source.txt", sentence.replace("GMCA", "GMCA [link]"))
    built = write(tmp_path, "built.txt", sentence.replace(" (external website)", ""))

    code, out, _ = run(capsys, built, source, "--json", "--exclude", exclude)
    report = json.loads(out)

    assert code == 0 and report["kept_percent"] == 100.0
    assert report["residue_excluded"] == ["(external website)", "[link]"]
    assert report["residue_in_output"] == []


@pytest.fixture(scope="module")
def built_v2_examples(tmp_path_factory) -> dict[str, Path]:
    return build_statements(EXAMPLES_V2, tmp_path_factory.mktemp("examples-v2"))


def test_every_reference_has_a_version_2_example():
    references = {path.stem for path in REFERENCES.glob("*.txt")}
    assert references, f"no reference statements in {REFERENCES}"
    assert references <= {path.stem for path in EXAMPLES_V2.glob("*.yaml")}


@pytest.mark.parametrize("name", sorted(path.stem for path in REFERENCES.glob("*.txt")))
def test_a_version_2_example_keeps_its_reference_s_text_headings_and_order(built_v2_examples, name):
    """Issue 11's acceptance: >= 95 % of the reference's sentences and list items kept, <= 5 % of
    the statement's sentences from neither the reference nor the signature block's labels, and
    every heading of the reference, in its order."""
    report = fidelity.measure(built_v2_examples[name], REFERENCES / f"{name}.txt",
                              allowed=SIGNATURE_LABELS, exclude=KNOWN_DEFECTS.get(name, []))
    print(figures(name, report))
    assert report.kept_percent >= 95, [unit.text for unit in report.source_units if not unit.found]
    assert report.foreign_percent <= 5, [unit.text for unit in report.output_units if not unit.found]
    assert report.missing_headings == [] and report.headings_out_of_order == []
    assert report.residue_in_output == []


def test_a_signature_block_s_labels_are_allowed_but_its_values_must_come_from_the_source(tmp_path):
    approved = "\nThis statement was approved by the Chief Officer Group on 14th September 2023.\n"
    source = write(tmp_path, "source.txt", CLEAN + approved + "\nName: Ann Example\nChief Constable\nDate: 14.09.23\n")
    signed = (CLEAN + approved + "\nApproved by: Chief Officer Group\nDate of approval: 14 September 2023\n"
              "Ann Example\nChief Constable\n")
    invented = signed.replace("Ann Example", "Bea Invented")

    kept = fidelity.measure(write(tmp_path, "signed.txt", signed), source, allowed=SIGNATURE_LABELS)
    added = fidelity.measure(write(tmp_path, "invented.txt", invented), source, allowed=SIGNATURE_LABELS)

    assert (kept.kept_percent, kept.foreign_percent) == (100.0, 0.0)  # "Date: 14.09.23" is 14 September 2023
    assert [unit.text for unit in added.output_units if not unit.found] == ["Bea Invented"]


def test_an_insert_placeholder_is_a_blank_counted_neither_way(tmp_path):
    source = write(tmp_path, "source.txt", CLEAN)
    built = write(tmp_path, "built.txt", CLEAN + "\nApproved by: [insert the board that approved it]\n"
                  "[insert the name of the Chief Constable]\n")

    report = fidelity.measure(built, source, allowed=SIGNATURE_LABELS)

    assert report.foreign_percent == 0.0
    assert report.placeholders == ["Approved by: [insert the board that approved it]",
                                   "[insert the name of the Chief Constable]"]


def test_a_hard_wrapped_paragraph_does_not_hide_the_heading_above_it(tmp_path):
    source = write(tmp_path, "source.txt", "Supplier Charter\nOur procurement is delivered through a strategic\n"
                   "collaboration of seven forces.\n")
    assert [block.kind for block in fidelity.read_text(source)] == ["heading", "paragraph"]
