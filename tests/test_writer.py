"""Safe writing: whole files only, never over an existing file or one open in Word."""

import os
import stat

import pytest

from msgen.errors import OutputError
from msgen.writer import write_bytes, write_outputs


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


# -- several files at once: all checks first, then all or nothing ---------------------------

def test_nothing_is_written_when_any_target_is_refused(tmp_path):
    statement, charter = tmp_path / "statement.docx", tmp_path / "charter.docx"
    charter.write_bytes(b"reviewed")
    with pytest.raises(OutputError, match="charter.docx: already exists"):
        write_outputs({statement: b"new statement", charter: b"new charter"}, force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charter.docx"]


def test_a_failure_while_writing_leaves_old_files_and_no_temporary_ones(tmp_path):
    statement, charter = tmp_path / "statement.docx", tmp_path / "charter.docx"
    statement.write_bytes(b"old statement")
    with pytest.raises(TypeError):
        write_outputs({statement: b"new statement", charter: "text where bytes belong"}, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["statement.docx"]
    assert statement.read_bytes() == b"old statement"


def test_written_files_get_the_users_umask_not_private_temporary_permissions(tmp_path):
    previous = os.umask(0o027)
    try:
        (written,) = write_outputs({tmp_path / "statement.docx": b"document"}, force=False)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(written.stat().st_mode) == 0o640


@pytest.mark.parametrize("name, lock_name", [
    ("ab.docx", "~$ab.docx"),                 # short names keep every character
    ("charter.docx", "~$arter.docx"),         # longer ones lose their first two
    ("seven77.docx", "~$even77.docx"),        # 7-letter names lose one
])
def test_each_of_words_lock_file_names_is_recognised(tmp_path, name, lock_name):
    (tmp_path / lock_name).write_bytes(b"owner")
    with pytest.raises(OutputError, match="open in Word") as caught:
        write_outputs({tmp_path / name: b"new"}, force=True)
    assert caught.value.exit_code == 3 and not (tmp_path / name).exists()


def test_a_folder_in_the_way_is_refused_even_with_force(tmp_path):
    (tmp_path / "statement.docx").mkdir()
    with pytest.raises(OutputError, match="folder of this name"):
        write_outputs({tmp_path / "statement.docx": b"new"}, force=True)
