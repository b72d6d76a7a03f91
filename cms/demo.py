"""Demo content placeholder (filled in below)."""


def load_demo() -> None:
    return None
