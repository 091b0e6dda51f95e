"""What kubeluma remembers that the cluster forgets: every container termination (the API keeps
only the last one) and events past the cluster's TTL, shown in the focus panel."""
from selenium.webdriver.common.by import By



def history_rows(page):
    """The history of the first app container (init containers' completions have their own)."""
    cards = [c for c in page.all("container-card") if c.find_elements(By.CSS_SELECTOR, ".kind-app")]
    return cards[0].find_elements(By.CSS_SELECTOR, '[data-testid="termination-history"] tbody tr') if cards else []


def test_restarts_build_a_termination_history_and_expired_events_stay_listed(own):
    server = own.start(pods=60)
    page = own.page(server)
    page.open()
    page.set_pattern("^api-")
    name, ns = page.click_row(lambda cells: cells[2] == "Running" and cells[4].startswith("0"))
    page.tab("containers")
    page.wait(lambda: page.d.find_elements(By.CSS_SELECTOR, '[data-testid="container-card"] .kind-app'), "an app container")
    assert not history_rows(page), "an app container that never restarted has no history"

    # Two OOM kills: the API's lastState only ever shows the second.
    for _ in range(2):
        server.simulator_post(f"/_sim/pods/{ns}/{name}/restart")
    page.wait(lambda: len(history_rows(page)) == 2, "both terminations kept", timeout=30)
    page.d.execute_script("document.querySelectorAll('[data-testid=termination-history]').forEach((d) => { d.open = true; })")
    cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in history_rows(page)]
    assert all(c[1] == "OOMKilled" and c[2] == "137" for c in cells), cells
    assert len({c[0] for c in cells}) == 2, f"one row per restart: {cells}"
    page.d.execute_script("arguments[0].scrollIntoView()", history_rows(page)[0])
    page.screenshot("termination-history")

    page.tab("events")
    page.wait(lambda: len(page.all("event-row")) >= 1, "events of the pod")
    before = len(page.all("event-row"))
    server.simulator_post(f"/_sim/pods/{ns}/{name}/expire-events")
    page.wait(lambda: len(page.d.find_elements(By.CSS_SELECTOR, '[data-testid="event-row"] .expired-tag')) == before,
              "every event marked as expired in the cluster", timeout=30)
    assert len(page.all("event-row")) == before, "expired events are kept, not removed"
    page.screenshot("expired-events")
