"""Monev: the PPID Utama's yearly monitoring dan evaluasi of every PPID Pembantu.

Indicators come from live data through ``cms_monev_indicators`` (each plugin
reports its own), so Monev works with any subset of the other plugins.
"""
