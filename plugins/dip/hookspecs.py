"""Hooks the dip plugin offers to other plugins (the crosspost plugin implements one).

Added by ``hooks.cms_add_hookspecs``; rendered in docs/reference/plugin-hooks.md like core's.
"""

from __future__ import annotations

from cms.api import hookspec


@hookspec
def cms_serta_merta_published(title: str, summary: str, url: str) -> None:
    """Urgent (serta merta) information was published.

    Fired after the commit by the DIP plugin; the crosspost plugin shares it.

    :param title: the headline.
    :param summary: one or two sentences.
    :param url: absolute URL of the public page.
    :returns: nothing.
    """
