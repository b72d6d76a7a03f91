"""Core models. Plugins keep their own models in their package."""

from cms.models.accounts import ROLES, Unit, User
from cms.models.audit import AuditLog

__all__ = ["ROLES", "Unit", "User", "AuditLog"]
