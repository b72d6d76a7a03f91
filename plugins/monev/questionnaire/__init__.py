"""e-Monev readiness: the Komisi Informasi's questionnaire answered in Warta.

The questions are data (``data/emonev-<year>.json``, one file per year, see
``loader``); the evidence comes from Warta where Warta holds it (plugins
offer documents through ``cms_monev_evidence``, public pages are printed)
and is uploaded otherwise; ``readiness`` predicts the qualification and
``pack`` builds the ZIP the PPID Utama uploads question by question.
"""
