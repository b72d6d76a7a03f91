import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_home_page_renders_in_indonesian(new_page):
    page = new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
