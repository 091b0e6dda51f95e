"""The focus panel: status, containers, env masking, events, metrics, and per-tab focus."""
import re

from selenium.webdriver.common.by import By


def running(cells):
    return cells[2] == "Running"


def test_clicking_a_row_fills_the_focus_panel(page):
    page.open()
    page.set_pattern("^api-")
    name, ns = page.click_row(running)
    status = page.t("focus-status")
    page.wait(lambda: page.text("focus-podip") not in ("", "—"), "pod IP from the pod message")
    text = status.get_attribute("textContent")
    for label in ("Namespace", "Status", "Ready", "Restarts", "Node", "Pod IP", "Age", "QoS"):
        assert label in text, label
    assert ns in text and name in text
    assert re.match(r"^\d+[smhd]", page.text("focus-age")), page.text("focus-age")

    page.tab("containers")
    page.wait(lambda: len(page.all("container-card")) >= 1, "container cards")
    first = page.all("container-card")[0].get_attribute("textContent")
    assert "running" in first or "terminated" in first or "waiting" in first
    assert any("registry.example.com" in c.get_attribute("textContent") for c in page.all("container-image"))
    page.screenshot("containers")

    page.tab("env")
    page.wait(lambda: len(page.all("env-row")) > 0, "env rows")
    masked = page.d.find_elements(By.CSS_SELECTOR, '[data-testid="env-panel"] .env-value.masked')
    assert masked, "a secretKeyRef is shown masked"
    assert all(re.match(r"^\*\*\* \(secret [^/]+/[^)]+\)$", m.text) for m in masked), [m.text for m in masked]
    values = [v.text for v in page.d.find_elements(By.CSS_SELECTOR, '[data-testid="env-panel"] .env-value')]
    assert any(v.startswith("fieldRef:") for v in values), values
    assert any(v.startswith("configmap:") for v in values), values
    page.screenshot("env")

    page.tab("events")
    page.wait(lambda: len(page.all("event-row")) >= 1, "events of the pod")
    assert page.all("event-row")[0].find_element(By.CSS_SELECTOR, ".event-reason").text
    seen = [e.get_attribute("data-since") for e in
            page.d.find_elements(By.CSS_SELECTOR, '[data-testid="event-row"] .live-time')]
    assert seen == sorted(seen, reverse=True), f"newest first: {seen}"
    page.screenshot("events")


def test_metrics_numbers_appear(page):
    page.open()
    page.set_pattern("^api-")
    page.click_row(running)
    page.tab("metrics")
    page.wait(lambda: any(re.match(r"^\d+m$", c.text) for c in page.all("metrics-cpu")), "CPU in millicores", timeout=30)
    assert any(re.match(r"^\d+\.\d MiB$", m.text) for m in page.all("metrics-memory"))
    assert page.d.find_elements(By.CSS_SELECTOR, '[data-testid="metrics-panel"] svg.chart polyline')
    page.screenshot("metrics")


def test_focus_change_clears_the_previous_pods_panels(page):
    page.open()
    page.set_pattern("^api-")
    first, _ = page.click_row(running)
    page.tab("metrics")
    page.wait(lambda: page.all("metrics-cpu"), "first pod's metrics", timeout=30)
    second, _ = page.click_row(lambda cells: running(cells) and cells[0] != first)
    # Nothing of the first pod may be shown for the second before its own data arrives.
    assert page.text("focus-name") == second
    rows = page.all("metrics-row")
    assert not rows or page.all("metrics-waiting") == [], "old metrics rows must be gone"


def test_two_windows_keep_independent_focus(page):
    page.open()
    page.set_pattern("^api-")
    a, _ = page.click_row(running)
    window_a = page.d.current_window_handle
    page.d.switch_to.new_window("window")
    page.open()
    page.wait(lambda: len(page.rows()) > 3)
    b, _ = page.click_row(lambda cells: running(cells) and cells[0] != a)
    page.wait(lambda: page.text("focus-podip") not in ("", "—"))
    page.d.switch_to.window(window_a)
    # A round trip in window A after B focused: a server-wide pods message reaches both.
    before = page.updates()
    status, _ = page.server.post("/api/set_pattern", {"pattern": "^api-"})
    assert status == 200
    page.wait(lambda: page.updates() > before, "window A got the new pods message")
    assert page.text("focus-name") == a
    assert a in page.t("focus-status").get_attribute("textContent")
    assert b != a
