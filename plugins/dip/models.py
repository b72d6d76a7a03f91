"""DIP tables: entries, their files and links, DIK entries, the yearly SK, imports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.api import Model, Unit

# Stored value -> Indonesian label, in the order of the official layout.
CATEGORIES: dict[str, str] = {
    "berkala": "Informasi Berkala",
    "serta_merta": "Informasi Serta Merta",
    "setiap_saat": "Informasi Setiap Saat",
}
# Kota Bekasi's sub-types (jenis informasi); free text is allowed too.
JENIS: tuple[str, ...] = (
    "Profil Badan Publik",
    "Program dan Kegiatan",
    "Informasi Kinerja",
    "Laporan Keuangan",
    "Laporan dan prosedur akses informasi",
    "Regulasi",
    "Pengadaan barang dan jasa",
    "Pengaduan dan Pelanggaran",
    "Hasil Penelitian",
    "Informasi Darurat",
)
PASAL_17 = "abcdefghij"


class DipEntry(Model):
    """One line of the Daftar Informasi Publik of one year."""

    __tablename__ = "dip_entry"
    __table_args__ = (
        UniqueConstraint("year", "kode", name="uq_dip_entry_year_kode"),
        Index("ix_dip_entry_filters", "year", "category", "unit_id"),
        # Covering indexes: the catalogue's filter lists (distinct published
        # years, units, jenis) read these instead of 50,000 wide rows.
        Index("ix_dip_entry_year_published", "year", "published_at"),
        Index("ix_dip_entry_unit_published", "unit_id", "published_at"),
        Index("ix_dip_entry_jenis_published", "jenis", "published_at"),
    )

    # Optimistic lock: two officers acting on one row at once; the later
    # UPDATE matches nothing and the request answers 409 (cms.errors).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    kode: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(20))
    jenis: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(500))  # ringkasan isi informasi
    description_html: Mapped[str] = mapped_column(Text, default="")
    description_text: Mapped[str] = mapped_column(Text, default="")  # search and exports
    # Indonesian stems of the searched text (cms.api.FullTextIndex fills them).
    title_stems: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_stems: Mapped[str] = mapped_column(Text, default="", server_default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    official: Mapped[str] = mapped_column(String(200), default="")  # pejabat yang menguasai
    responsible: Mapped[str] = mapped_column(String(200), default="")  # penanggung jawab
    made_on: Mapped[date | None]  # waktu pembuatan
    made_place: Mapped[str] = mapped_column(String(200), default="")
    hardcopy: Mapped[bool] = mapped_column(default=False)
    softcopy: Mapped[bool] = mapped_column(default=True)
    retention: Mapped[str] = mapped_column(String(200), default="")  # jangka waktu penyimpanan
    reviewed_on: Mapped[date | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    documents: Mapped[list[DipDocument]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="DipDocument.id"
    )
    links: Mapped[list[DipLink]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="DipLink.id"
    )

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def formats(self) -> str:
        parts = [label for flag, label in ((self.hardcopy, "Hardcopy"), (self.softcopy, "Softcopy")) if flag]
        return ", ".join(parts) or "-"


class DipDocument(Model):
    """A file attached to an entry, stored under the private dir, served by a view."""

    __tablename__ = "dip_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("dip_entry.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    entry: Mapped[DipEntry] = relationship(back_populates="documents")


class DipLink(Model):
    """An external link (http/https only) attached to an entry."""

    __tablename__ = "dip_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("dip_entry.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    label: Mapped[str] = mapped_column(String(200), default="")

    entry: Mapped[DipEntry] = relationship(back_populates="links")


class DipDecree(Model):
    """The SK that set one year's DIP (and signs the printable layout)."""

    __tablename__ = "dip_decree"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    number: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(100), default="")
    official_name: Mapped[str] = mapped_column(String(200), default="")
    official_title: Mapped[str] = mapped_column(String(200), default="")
    official_nip: Mapped[str] = mapped_column(String(50), default="")


class DikEntry(Model):
    """An excluded item (DIK) with its uji konsekuensi and Surat Penetapan Klasifikasi.

    Only the description of what is excluded is kept, never the content itself.
    """

    __tablename__ = "dip_dik"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    information: Mapped[str] = mapped_column(String(500))  # the specific information
    pasal17: Mapped[str] = mapped_column(String(20), default="")  # letters, e.g. "a,h"
    other_law: Mapped[str] = mapped_column(String(500), default="")
    consequence: Mapped[str] = mapped_column(Text, default="")
    public_interest: Mapped[str] = mapped_column(Text, default="")
    period_text: Mapped[str] = mapped_column(String(200), default="")  # jangka waktu
    exempt_until: Mapped[date | None] = mapped_column(index=True)
    klasifikasi_jenis: Mapped[str] = mapped_column(String(200), default="")
    penetap_name: Mapped[str] = mapped_column(String(200), default="")  # pejabat PPID
    penetap_unit: Mapped[str] = mapped_column(String(200), default="")
    alasan: Mapped[str] = mapped_column(Text, default="")
    penetapan_place: Mapped[str] = mapped_column(String(100), default="")
    penetapan_date: Mapped[date | None]
    sk_number: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[bool] = mapped_column(default=True)
    reminded_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def legal_basis(self) -> str:
        parts = []
        if self.pasal17:
            letters = ", ".join(self.pasal17.split(","))
            parts.append(f"Pasal 17 huruf {letters} UU 14/2008")
        if self.other_law:
            parts.append(self.other_law)
        return "; ".join(parts)


class DipImport(Model):
    """An import run started from the admin upload (progress for the status page)."""

    __tablename__ = "dip_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued|running|done|failed
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
