"""Regenerate the hook reference in docs/plugins.md from cms/hookspecs.py.

The text between the REFERENCE markers is replaced; run after changing a spec:
    .venv/bin/python scripts/gen_hook_docs.py
"""

import inspect
import re
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cms import hookspecs  # noqa: E402

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
START, END = "<!-- REFERENCE START -->", "<!-- REFERENCE END -->"


def section(name: str, func) -> str:
    sig = inspect.signature(func)
    params = ", ".join(sig.parameters)
    doc = textwrap.dedent(func.__doc__ or "").strip()
    doc = re.sub(r":param (\w+):", r"- `\1`:", doc)
    doc = doc.replace(":returns:", "- returns:")
    first = " (firstresult: stops at the first non-None result)" if func.cms_spec.get("firstresult") else ""
    return f"### {name}({params})\n\n```python\ndef {name}{sig}\n```\n\n{doc}{first}\n"


def main() -> None:
    specs = [(n, f) for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "cms_spec")]
    order = {name: i for i, name in enumerate(hookspecs.__dict__)}
    specs.sort(key=lambda item: order[item[0]])
    body = "\n".join(section(n, f) for n, f in specs)
    text = DOC.read_text(encoding="utf-8")
    text = text[: text.index(START) + len(START)] + "\n\n" + body + "\n" + text[text.index(END):]
    DOC.write_text(text, encoding="utf-8")
    print(f"{len(specs)} hooks documented")


if __name__ == "__main__":
    main()
