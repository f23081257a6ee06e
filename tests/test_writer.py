"""Safe writing: whole files only, never over an existing file or one open in Word."""

import pytest

from msgen.errors import OutputError
from msgen.writer import write_bytes


def test_writes_the_bytes_and_leaves_no_temporary_file(tmp_path):
    write_bytes(tmp_path / "statement.docx", b"document")
    assert [p.name for p in tmp_path.iterdir()] == ["statement.docx"]
    assert (tmp_path / "statement.docx").read_bytes() == b"document"


def test_existing_file_is_replaced_only_with_force(tmp_path):
    target = tmp_path / "statement.docx"
    target.write_bytes(b"reviewed")
    with pytest.raises(OutputError, match="already exists.*--force") as caught:
        write_bytes(target, b"new")
    assert caught.value.exit_code == 3 and target.read_bytes() == b"reviewed"
    write_bytes(target, b"new", force=True)
    assert target.read_bytes() == b"new"


@pytest.mark.parametrize("lock_name", ["~$atement.docx", "~$statement.docx"])
def test_file_open_in_word_is_never_replaced(tmp_path, lock_name):
    target = tmp_path / "statement.docx"
    target.write_bytes(b"reviewed")
    (tmp_path / lock_name).write_bytes(b"owner")
    with pytest.raises(OutputError, match="open in Word"):
        write_bytes(target, b"new", force=True)
    assert target.read_bytes() == b"reviewed"


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_bytes(tmp_path / "no-such-folder" / "statement.docx", b"new")
