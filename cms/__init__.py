"""Warta: newsroom and PPID core."""

from cms.hookspecs import NavItem, PeriodicTask, hookimpl
from cms.redirects import redirect_back, safe_target

__version__ = "0.1.0"
__all__ = ["create_app", "hookimpl", "NavItem", "PeriodicTask", "redirect_back", "safe_target", "__version__"]


def create_app(*args, **kwargs):  # noqa: D103 - re-export without import cycles
    from cms.app import create_app as _create_app

    return _create_app(*args, **kwargs)
