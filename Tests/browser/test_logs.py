"""Logs: lines stream in, HTML in a line stays text, pause/resume, search and filter."""
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By


def running(cells):
    return cells[2] == "Running"


def log_lines(page):
    return page.d.find_elements(By.CSS_SELECTOR, '[data-testid="log-lines"] .line:not(.note)')


def no_alert(page):
    try:
        page.d.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_log_lines_stream_and_script_text_is_not_executed(page):
    page.open()
    page.set_pattern("^api-")
    page.click_row(running)
    page.wait(lambda: len(log_lines(page)) > 0, "log lines arrive", timeout=30)
    page.wait(lambda: "<script>" in page.text("log-lines"), "a line with <script> shows as text", timeout=30)
    assert no_alert(page)
    assert page.d.execute_script(
        "return document.querySelectorAll('[data-testid=log-lines] script, [data-testid=log-lines] img').length") == 0
    # Following: the panel sits at its bottom.
    page.wait(lambda: page.d.execute_script(
        "const b = document.querySelector('[data-testid=log-lines]');"
        "return b.scrollHeight - b.scrollTop - b.clientHeight < 4"), "follow keeps the newest line in view")
    page.screenshot("logs")


def test_pause_shows_new_line_count_and_resume_catches_up(page):
    page.open()
    page.set_pattern("^api-")
    page.click_row(running)
    page.wait(lambda: len(log_lines(page)) > 0, "log lines", timeout=30)
    page.t("log-pause").click()
    page.wait(lambda: page.t("log-new").is_displayed(), "N new lines while paused", timeout=30)
    assert "new lines" in page.t("log-new").text
    page.t("log-pause").click()
    page.wait(lambda: not page.t("log-new").is_displayed(), "resumed")


def test_search_highlights_and_only_matching_filters(page):
    page.open()
    page.set_pattern("^api-")
    page.click_row(running)
    page.wait(lambda: len(log_lines(page)) > 20, "log lines", timeout=30)
    page.t("log-search").send_keys("request")
    page.wait(lambda: page.d.find_elements(By.CSS_SELECTOR, '[data-testid="log-lines"] mark'), "highlight")
    page.t("log-only").click()
    page.wait(lambda: all("request" in l.get_attribute("textContent").lower() for l in log_lines(page)), "only matching lines")
    assert log_lines(page)
    page.screenshot("log-search")


def test_previous_toggle_resubscribes(page):
    page.open()
    page.set_pattern("^api-")
    page.click_row(lambda cells: int(cells[4].split()[0] or 0) > 0)
    page.wait(lambda: page.text("log-status") != "" or log_lines(page), "the current instance answered", timeout=30)
    page.t("log-previous").click()
    # The panel is cleared and the server answers the new subscription with a status or lines.
    page.wait(lambda: page.text("log-status") != "" or log_lines(page), "previous logs answered", timeout=30)
