"""Parts of a page rendered once and then taken from memory.

    {% call remembered("nav", nav_items("cms_public_nav")|string) %}…{% endcall %}

The navigation and the head of a page are the same for every visitor of a
language, yet cost a tenth of a search page to render (URLs, translations,
macros).  The block is rendered once per app, language, script root and the
template's own key; the key must name everything else the block shows (a
configuration value, a plugin's hook result).  Debug mode renders every
time, as templates may change under it.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

_STORE = "cms_fragments"
MAX_FRAGMENTS = 512  # far above what the templates ask for; a guard, not a tuning knob


def remembered(*key, caller) -> Markup:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask
    if app.debug:
        return Markup(caller())
    known = app.extensions.setdefault(_STORE, {})
    full_key = (str(get_locale()), request.script_root, *key)
    html = known.get(full_key)
    if html is None:
        if len(known) >= MAX_FRAGMENTS:
            known.clear()
        html = known[full_key] = Markup(caller())
    return html


def init_app(app) -> None:
    app.jinja_env.globals["remembered"] = remembered
