"""App used by the worker subprocess in tests: registers the test jobs."""

from cms import create_app
from tests import test_jobs  # noqa: F401 - defines the tests.* jobs

app = create_app()
