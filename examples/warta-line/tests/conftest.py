"""Fixtures come from the `warta` pytest plugin (cms.testing, installed with
warta[testing]); these choose what the test app runs."""

import pytest

DATA_KEY = "x5IrD5TG1wB0cK1d3uuUbo8wHUPf7Xyo2mqjUcqgDuo="  # a test key for encrypted settings


@pytest.fixture
def warta_plugins():
    return ["crosspost", "line"]


@pytest.fixture
def warta_config():
    return {"CMS_DATA_KEY": DATA_KEY}
