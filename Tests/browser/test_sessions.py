"""Whole-session behaviour with servers of their own: --pod pre-seeding and reconnect."""
import socket



def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_pod_flag_preseeds_the_pattern_and_skips_the_overlay(own):
    page = own.page(own.start("--pod", "^web-", pods=60))
    page.open()
    page.wait(lambda: page.text("pattern-badge") == "^web-", "badge from --pod")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0, "rows")
    assert not page.t("pattern-overlay").is_displayed()
    assert page.t("new-search").is_displayed()
    assert all(r[0].startswith("web-") for r in page.visible_rows())


RESUBSCRIBED_LOGS = """
const lines = [...document.querySelectorAll('[data-testid=log-lines] .line')];
const note = lines.findIndex((l) => l.classList.contains('note') && l.textContent.includes('reconnected'));
return note >= 0 && lines.length > note + 1;
"""


def test_reconnects_after_the_server_restarts_and_resubscribes(own):
    port = free_port()
    first = own.start("--pod", "^api-", port=port, pods=60)
    page = own.page(first)
    # While the server is down Chrome reports the refused connections itself.
    page.allow_console(r"WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|Failed to load resource")
    page.open()
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0)
    name, _ = page.click_row(lambda cells: cells[2] == "Running")
    page.wait(lambda: page.d.find_elements("css selector", '[data-testid="log-lines"] .line'), "logs before", timeout=30)
    first.stop()
    page.wait(lambda: page.attr("connection", "data-state") == "closed", "disconnection is visible")
    page.screenshot("disconnected")
    before = page.updates()
    page.server = own.start("--pod", "^api-", port=port, db=first.db, pods=60)
    page.wait(lambda: page.attr("connection", "data-state") == "open", "reconnected", timeout=40)
    page.wait(lambda: page.updates() > before, "pods channel re-subscribed")
    page.wait(lambda: page.d.execute_script(RESUBSCRIBED_LOGS), "log stream re-subscribed", timeout=30)
    assert page.text("focus-name") == name
