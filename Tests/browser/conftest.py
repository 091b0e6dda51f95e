"""Real-browser tests: `kubeluma demo` + headless Debian chromium via Selenium.

Every test acts, then waits for a DOM condition that only the WebSocket round trip can cause
(WebDriverWait, 50 ms poll) — never a sleep. After each test any SEVERE console entry fails it
(unless the test declared it expected), and a failing test leaves a screenshot under /tmp.
"""
import os
import re

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from kubeluma_process import Kubeluma

ARTIFACTS = os.environ.get("KUBELUMA_BROWSER_ARTIFACTS", "/tmp/kubeluma-browser")
TIMEOUT = 20


@pytest.fixture(scope="session")
def server():
    k = Kubeluma()
    yield k
    k.cleanup()


def new_driver():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


@pytest.fixture(scope="session")
def browser():
    driver = new_driver()
    yield driver
    driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


class Page:
    """Helpers over one browser for one test."""

    def __init__(self, driver, server, name):
        self.d = driver
        self.server = server
        self.name = name
        self.allowed = []  # regexes of SEVERE console messages this test expects

    # Finding and waiting ----------------------------------------------------------------------

    def t(self, testid, root=None):
        return (root or self.d).find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def all(self, testid, root=None):
        return (root or self.d).find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def wait(self, condition, message="", timeout=TIMEOUT):
        def guarded(_):
            try:
                return condition()
            except StaleElementReferenceException:
                return False  # a row re-rendered under us: look again
        return WebDriverWait(self.d, timeout, poll_frequency=0.05).until(guarded, message)

    def text(self, testid):
        """textContent (visible or not: tabs hide panels, and .text is empty for hidden elements)."""
        return self.t(testid).get_attribute("textContent")

    def attr(self, testid, name):
        return self.t(testid).get_attribute(name)

    # Page actions -----------------------------------------------------------------------------

    def open(self, query=""):
        self.d.get(self.server.page(query))
        self.wait(lambda: self.attr("connection", "data-state") == "open", "socket never opened")

    def updates(self):
        return int(self.attr("pods-table", "data-updates") or 0)

    def set_pattern(self, pattern):
        """Through the UI: New Search (or the overlay if it is up), type, Enter; wait for the rows."""
        if not self.t("pattern-overlay").is_displayed():
            self.t("new-search").click()
            self.wait(lambda: self.t("pattern-overlay").is_displayed(), "overlay did not open")
        before = self.updates()
        field = self.t("pattern-input")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.BACKSPACE)
        field.send_keys(pattern, Keys.ENTER)
        self.wait(lambda: not self.t("pattern-overlay").is_displayed(), "overlay stayed open")
        self.wait(lambda: self.text("pattern-badge") == pattern and self.updates() > before, "rows for the new pattern")

    def rows(self):
        """The rendered rows in display order (virtual scrolling: only the visible window)."""
        rows = self.all("pod-row")
        rows.sort(key=lambda r: int(r.get_attribute("data-index")))
        return rows

    def row_cells(self, row):
        return [c.get_attribute("textContent") for c in row.find_elements(By.CSS_SELECTOR, ".cell")]

    def visible_rows(self):
        return [self.row_cells(r) for r in self.rows()]

    def click_row(self, predicate=lambda cells: True):
        """Clicks the first rendered row whose cells satisfy `predicate` (waiting for one: right
        after start the cache may still be syncing) and waits for the focus panel to name it."""
        def find():
            for row in self.rows():
                cells = self.row_cells(row)
                if predicate(cells):
                    return row, cells
            return None
        row, cells = self.wait(find, "a row satisfying the predicate")
        row.click()
        name, ns = cells[0], cells[1]
        self.wait(lambda: self.text("focus-name") == name and self.text("focus-namespace") == ns, "focus panel")
        return name, ns

    def tab(self, name):
        self.t(f"tab-{name}").click()

    def screenshot(self, label):
        os.makedirs(ARTIFACTS, exist_ok=True)
        path = os.path.join(ARTIFACTS, f"{self.name}-{label}.png")
        self.d.save_screenshot(path)
        return path

    def allow_console(self, pattern):
        self.allowed.append(re.compile(pattern))

    def severe(self):
        entries = self.d.get_log("browser")
        return [e["message"] for e in entries
                if e["level"] == "SEVERE" and not any(p.search(e["message"]) for p in self.allowed)]


@pytest.fixture
def page(browser, server, request):
    browser.get_log("browser")  # drop what earlier tests left
    p = Page(browser, server, request.node.name)
    yield p
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        print("screenshot:", p.screenshot("failure"))
    # Back to one window for the next test.
    handles = browser.window_handles
    for h in handles[1:]:
        browser.switch_to.window(h)
        browser.close()
    browser.switch_to.window(handles[0])
    severe = p.severe()
    if severe and not failed:
        pytest.fail("SEVERE browser console entries:\n" + "\n".join(severe))


@pytest.fixture
def no_pattern(server):
    """Start from a server without a pattern (the pattern is server-wide)."""
    status, _ = server.post("/api/reset_pattern")
    assert status == 200


class OwnServers:
    """Pages on servers the test starts itself; same console and screenshot rules as `page`."""

    def __init__(self, browser, name):
        self.browser = browser
        self.name = name
        self.servers = []
        self.first_page = None

    def start(self, *args, **kwargs):
        server = Kubeluma(*args, **kwargs)
        self.servers.append(server)
        return server

    def page(self, server):
        p = Page(self.browser, server, self.name)
        self.first_page = self.first_page or p
        return p


@pytest.fixture
def own(browser, request):
    browser.get_log("browser")
    o = OwnServers(browser, request.node.name)
    yield o
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    p = o.first_page
    if p is not None:
        if failed:
            print("screenshot:", p.screenshot("failure"))
        severe = p.severe()
        if severe and not failed:
            pytest.fail("SEVERE browser console entries:\n" + "\n".join(severe))
    # Leave the page before its server goes, or its reconnect attempts spill into the next test.
    browser.get("about:blank")
    for s in o.servers:
        s.cleanup()
