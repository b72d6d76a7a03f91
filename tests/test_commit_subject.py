import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_commit_subject.py"


def _check(tmp_path, text):
    msg = tmp_path / "COMMIT_EDITMSG"
    msg.write_text(text)
    return subprocess.run([sys.executable, str(SCRIPT), str(msg)], capture_output=True, text=True)


def test_a_subject_of_72_characters_passes(tmp_path):
    assert _check(tmp_path, "A" * 72 + "\n\nBody lines may be longer than the subject: " + "x" * 100).returncode == 0


def test_a_longer_subject_is_refused_with_its_length(tmp_path):
    done = _check(tmp_path, "# a comment line git adds\n" + "B" * 73 + "\n")
    assert done.returncode == 1 and "73 characters" in done.stdout
