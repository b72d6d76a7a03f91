"""Bundled plugins; each is loaded through the ``cms.plugins`` entry point."""
