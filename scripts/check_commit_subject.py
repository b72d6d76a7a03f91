"""commit-msg hook: the subject line is at most 72 characters (CONTRIBUTING.md)."""

from __future__ import annotations

import sys
from pathlib import Path

LIMIT = 72


def main(path: str) -> int:
    lines = [ln for ln in Path(path).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    subject = lines[0] if lines else ""
    if len(subject) > LIMIT:
        print(f"Commit subject is {len(subject)} characters; at most {LIMIT}: {subject!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
