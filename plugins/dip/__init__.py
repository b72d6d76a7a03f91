"""DIP: Daftar Informasi Publik and Daftar Informasi yang Dikecualikan."""

__version__ = "0.1.0"
