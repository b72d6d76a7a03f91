"""Regenerate the hook reference in docs/plugins.md from cms/hookspecs.py
and the hookspecs the installed plugins offer (``cms_add_hookspecs``).

The text between the REFERENCE markers is replaced; run after changing a spec:
    .venv/bin/python scripts/gen_hook_docs.py
"""

import inspect
import re
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cms.plugins import hook_specs, spec_manager  # noqa: E402

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


def owner_note(module: str) -> str:
    plugin = module.split(".")[1]
    path = module.replace(".", "/") + ".py"
    return (
        f"Offered by the **{plugin}** plugin (`{path}`); present whenever it is installed, "
        f"fired only while it is enabled.\n"
    )


def main() -> None:
    specs = hook_specs(spec_manager())
    parts, owner = [], "cms.hookspecs"
    for name, func in specs:
        if func.__module__ != owner:
            owner = func.__module__
            parts.append(owner_note(owner))
        parts.append(section(name, func))
    body = "\n".join(parts)
    text = DOC.read_text(encoding="utf-8")
    text = text[: text.index(START) + len(START)] + "\n\n" + body + "\n" + text[text.index(END) :]
    DOC.write_text(text, encoding="utf-8")
    print(f"{len(specs)} hooks documented")


if __name__ == "__main__":
    main()
