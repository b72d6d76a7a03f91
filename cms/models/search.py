"""The words the public search indexes, for "did you mean" (cms.search_terms)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from cms.extensions import Model


class SearchTerm(Model):
    """One word of one index's public text and in how many rows it appears."""

    __tablename__ = "search_term"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)  # the indexed table
    word: Mapped[str] = mapped_column(String(64), primary_key=True)
    docs: Mapped[int] = mapped_column(default=0)
