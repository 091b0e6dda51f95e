"""The pattern: overlay, errors, badge, New Search, Esc, reload and deep links."""
import re
import urllib.parse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys


def test_overlay_then_pattern_shows_matching_rows_and_count(page, no_pattern):
    page.open()
    page.wait(lambda: page.t("pattern-overlay").is_displayed(), "overlay asks for a pattern")
    assert page.t("pattern-examples").is_displayed()
    assert not page.t("pattern-area").is_displayed(), "no badge before a pattern exists"
    page.screenshot("overlay")
    page.set_pattern("^api-")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0, "rows")
    rows = page.visible_rows()
    assert rows and all(r[0].startswith("api-") for r in rows), rows[:5]
    matched = int(page.attr("match-count", "data-matched"))
    assert matched == int(page.attr("pods-table", "data-rows"))
    assert f"{matched:,} matching" in page.text("match-count")
    assert page.t("new-search").is_displayed()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.d.current_url).query)["pattern"] == ["^api-"]
    page.screenshot("table")


def test_invalid_regex_shows_the_servers_error_under_the_input(page):
    page.allow_console(r"api/set_pattern .*400")  # Chrome logs the refused POST itself
    page.open()
    page.set_pattern("^api-")
    page.t("new-search").click()
    field = page.t("pattern-input")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("api-([", Keys.ENTER)
    page.wait(lambda: page.text("pattern-error").strip() != "", "error under the input")
    assert page.t("pattern-overlay").is_displayed()
    assert page.text("pattern-badge") == "^api-", "the old pattern stays until a valid one is accepted"
    page.screenshot("invalid-regex")
    field.send_keys(Keys.ESCAPE)
    page.wait(lambda: not page.t("pattern-overlay").is_displayed(), "Esc closes")


def test_new_search_then_escape_keeps_the_previous_pattern(page):
    page.open()
    page.set_pattern("^web-")
    page.t("new-search").click()
    page.wait(lambda: page.t("pattern-overlay").is_displayed())
    field = page.t("pattern-input")
    assert field.get_attribute("value") == "^web-"
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("^something-else")
    field.send_keys(Keys.ESCAPE)
    page.wait(lambda: not page.t("pattern-overlay").is_displayed(), "Esc closes the overlay")
    assert page.text("pattern-badge") == "^web-"
    assert all(r[0].startswith("web-") for r in page.visible_rows())


def test_slash_focuses_the_search(page):
    page.open()
    page.set_pattern("^api-")
    ActionChains(page.d).send_keys("/").perform()
    page.wait(lambda: page.t("pattern-overlay").is_displayed(), "/ opens the search")
    assert page.d.switch_to.active_element == page.t("pattern-input")
    ActionChains(page.d).send_keys(Keys.ESCAPE).perform()
    page.wait(lambda: not page.t("pattern-overlay").is_displayed())


def test_badge_and_new_search_survive_a_reload(page):
    page.open()
    page.set_pattern("^checkout-")
    # A plain URL: the page must learn the pattern from the server, not from its own query.
    page.open()
    page.wait(lambda: page.text("pattern-badge") == "^checkout-", "badge after reload")
    assert page.t("new-search").is_displayed()
    assert not page.t("pattern-overlay").is_displayed()
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0)
    assert all(r[0].startswith("checkout-") for r in page.visible_rows())


def test_pattern_in_the_url_is_applied_on_load(page):
    page.open("?pattern=" + urllib.parse.quote("^(web|api)-"))
    page.wait(lambda: page.text("pattern-badge") == "^(web|api)-", "deep-linked pattern")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0)
    names = [r[0] for r in page.visible_rows()]
    assert names and all(re.match(r"^(web|api)-", n) for n in names), names
    assert not page.t("pattern-overlay").is_displayed()
