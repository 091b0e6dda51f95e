"""What the page shows for clusters that are not the happy path, served for real by
`kubeluma demo` against a simulated cluster configured that way: a pod full of markup, a
cluster without metrics-server, an RBAC that forbids cluster-wide reads, and an API server that
goes away for a while."""

from selenium.webdriver.common.by import By

EVIL = '<img src=x onerror="window.__pwned=1">'


def test_markup_in_a_pods_fields_arrives_and_stays_text(own):
    page = own.page(own.start("--hostile-pod", pods=60))
    page.open()
    page.set_pattern("^xss-probe")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) == 1, "the probe pod")
    page.click_row()

    page.tab("containers")
    page.wait(lambda: any(EVIL in c.text for c in page.all("container-image")), "the image name, as text")
    page.tab("env")
    page.wait(lambda: any(v.text == EVIL for v in
                          page.d.find_elements(By.CSS_SELECTOR, '[data-testid="env-panel"] .env-value')),
              "the env value, as text")
    page.tab("events")
    page.wait(lambda: any(EVIL in e.text for e in
                          page.d.find_elements(By.CSS_SELECTOR, '[data-testid="event-row"] .event-message')),
              "the event message, as text")
    page.screenshot("hostile-pod")
    assert page.d.execute_script("return document.querySelectorAll('main img, main script').length") == 0
    assert page.d.execute_script("return window.__pwned === undefined"), "an onerror handler ran"


def test_a_cluster_without_metrics_says_so(own):
    page = own.page(own.start("--no-metrics", pods=60))
    page.open()
    page.set_pattern("^api-")
    page.click_row(lambda cells: cells[2] == "Running")
    page.tab("metrics")
    page.wait(lambda: page.all("metrics-disabled"), "the metrics-not-available notice")
    assert not page.all("metrics-cpu"), "no numbers are shown"
    page.screenshot("metrics-disabled")


def test_forbidden_cluster_wide_reads_fall_back_to_the_namespace_and_say_so(own):
    page = own.page(own.start("--restricted", "staging", pods=60))
    page.open()
    page.set_pattern(".")
    page.wait(lambda: page.t("scope-banner").is_displayed(), "the reduced-scope banner", timeout=30)
    assert "staging" in page.text("scope-banner")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0, "pods of the allowed namespace")
    assert {r[1] for r in page.visible_rows()} == {"staging"}, page.visible_rows()
    page.screenshot("reduced-scope")


def test_an_unreachable_api_server_marks_the_table_stale_until_it_is_back(own):
    server = own.start(pods=60)
    page = own.page(server)
    page.open()
    page.set_pattern("^api-")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 0, "the matching pods")
    rows = page.visible_rows()
    assert page.attr("sync-state", "data-state") == "synced"

    # The simulated API server refuses connections for a while (its fault endpoint answers
    # first, then closes every connection, kubeluma's watches included).
    server.simulator_post("/_sim/outage?seconds=6")
    page.wait(lambda: page.attr("sync-state", "data-state") == "stale", "the stale flag", timeout=30)
    assert page.t("sync-state").is_displayed() and "stale" in page.text("sync-state")
    assert page.t("scope-banner").is_displayed() and page.text("scope-banner"), "the reason is shown"
    assert page.visible_rows() == rows, "the cached pods stay on screen"
    page.screenshot("api-server-unreachable")

    page.wait(lambda: page.attr("sync-state", "data-state") == "synced", "recovery once the server is back", timeout=60)
    assert not page.t("sync-state").is_displayed()
    assert not page.t("scope-banner").is_displayed()

