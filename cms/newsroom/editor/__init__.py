"""Staff views for the newsroom under ``/admin/posts`` (blueprint ``editor``)."""
