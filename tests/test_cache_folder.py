"""What msgen keeps in its cache folder only makes a later run faster, never changes an
answer. A profile found valid is remembered so that rebuilding it need not import
jsonschema: whatever validation reads that changes afterwards (the profile, where it
stands, a signature image) is validated again, never passed on an old answer. The
List Number styles of a template are remembered: a damaged entry is worked out again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from msgen.cache import write_entry
from msgen.profile.loader import load_profile
from msgen.profile.validate import validate

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "nottinghamshire-opcc-2022.yaml"
IMAGE = "signatures/caroline-henry.png"
WITHOUT_IMAGES = EXAMPLE.parent / "staffordshire-joint-2022.yaml"


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of an example that has a signature image, found valid once, with a cache of its own."""
    monkeypatch.setenv("MSGEN_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copytree(EXAMPLE.parent / "signatures", folder / "signatures")
    copy = folder / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    assert validate(load_profile(copy)) == []
    return copy


def _messages(path: Path) -> list[str]:
    return [problem.message for problem in validate(load_profile(path))]


def test_a_signature_image_damaged_after_a_valid_run_is_reported(profile: Path) -> None:
    (profile.parent / IMAGE).write_bytes(b"not a picture")
    assert _messages(profile) == [f"'{IMAGE}' is not a readable PNG or JPEG image"]


def test_a_signature_image_removed_after_a_valid_run_is_reported(profile: Path) -> None:
    (profile.parent / IMAGE).unlink()
    assert len(_messages(profile)) == 1 and "does not exist" in _messages(profile)[0]


def test_a_signature_image_linked_outside_the_folder_after_a_valid_run_is_reported(profile: Path,
                                                                                    tmp_path: Path) -> None:
    image = profile.parent / IMAGE
    outside = tmp_path / "elsewhere.png"
    image.rename(outside)
    image.symlink_to(outside)
    assert _messages(profile) == [f"'{IMAGE}' is outside the profile's folder; put the image beside the profile"]


def test_the_same_profile_moved_away_from_its_images_is_reported(profile: Path, tmp_path: Path) -> None:
    moved = tmp_path / EXAMPLE.name
    shutil.copy(profile, moved)
    assert len(_messages(moved)) == 1 and "does not exist" in _messages(moved)[0]


def test_an_edit_that_breaks_the_profile_is_reported(profile: Path) -> None:
    profile.write_text(profile.read_text(encoding="utf-8").replace("slug: ", "slug: Not A Slug "), encoding="utf-8")
    assert [problem.path for problem in validate(load_profile(profile))] == [("slug",)]


def test_validation_works_when_the_cache_folder_cannot_be_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("MSGEN_CACHE_DIR", str(blocked))
    assert validate(load_profile(WITHOUT_IMAGES)) == []
    broken = tmp_path / "broken.yaml"
    broken.write_text(WITHOUT_IMAGES.read_text(encoding="utf-8").replace("slug: ", "slug: Not A Slug "), encoding="utf-8")
    assert [problem.path for problem in validate(load_profile(broken))] == [("slug",)]


def test_a_profile_found_valid_is_not_validated_again_by_the_next_run(profile: Path) -> None:
    """The point of remembering: the next process does not import jsonschema at all."""
    script = ("import sys; from msgen.commands import load_valid_profile; "
              f"load_valid_profile({str(profile)!r}); print('jsonschema' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=True)
    assert run.stdout.strip() == "False"


def test_a_damaged_list_styles_entry_gives_the_same_document(tmp_path: Path) -> None:
    """The statement restarts each numbered list; its List Number styles come from the cache."""
    cache = tmp_path / "cache"
    env = {**os.environ, "MSGEN_CACHE_DIR": str(cache)}

    def build(folder: str) -> bytes:
        out = tmp_path / folder
        out.mkdir()
        subprocess.run([sys.executable, "-m", "msgen", "build", str(WITHOUT_IMAGES), "-o", str(out), "-q"],
                       env=env, check=True)
        return next(out.glob("*-modern-slavery-statement-*.docx")).read_bytes()

    first = build("first")
    entries = list((cache / "styles").iterdir())
    assert entries, "the List Number styles were not remembered"
    for entry in entries:
        write_entry(entry, "[]")  # whole, with a right checksum, but not what msgen wrote
    assert build("second") == first
