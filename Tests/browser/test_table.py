"""The pods table: sorting by every column, keyboard navigation, status colours."""
import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

TONE_RANK = {"bad": 0, "warn": 1, "other": 2, "gone": 3, "ok": 4}


def seconds(age):
    """kubectl-style duration (2d13h, 45m, 30s) to seconds."""
    total = 0
    for n, unit in re.findall(r"(\d+)([dhms])", age):
        total += int(n) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    return total


def ready_ratio(text):
    r, t = text.split("/")
    return int(r) / int(t) if int(t) else 0


def restarts(text):
    return int(text.split()[0]) if text.strip() else 0


KEYS = {
    "name": lambda r: r["cells"][0],
    "namespace": lambda r: r["cells"][1],
    "ready": lambda r: ready_ratio(r["cells"][3]),
    "restarts": lambda r: restarts(r["cells"][4]),
    "age": lambda r: seconds(r["cells"][5]),
    "node": lambda r: "" if r["cells"][6] == "—" else r["cells"][6],  # unscheduled pods sort first
    "status": lambda r: TONE_RANK[r["tone"]],
}


def rows_with_tone(page):
    out = []
    for row in page.rows():
        status = row.find_element("css selector", ".c-status")
        tone = re.search(r"tone-(\w+)", status.get_attribute("class")).group(1)
        out.append({"cells": page.row_cells(row), "tone": tone})
    return out


@pytest.mark.parametrize("column", ["name", "namespace", "status", "ready", "restarts", "age", "node"])
def test_sorting_by_each_column(page, column):
    page.open()
    page.set_pattern(".")
    page.wait(lambda: int(page.attr("pods-table", "data-rows")) > 20)
    header = page.t(f"sort-{column}")
    if column == "name":
        assert header.get_attribute("aria-sort") == "ascending", "name is the default sort"
    else:
        header.click()
        page.wait(lambda: header.get_attribute("aria-sort") == "ascending")
    key = KEYS[column]
    values = [key(r) for r in rows_with_tone(page)]
    assert len(values) > 10 and values == sorted(values), values
    header.click()
    page.wait(lambda: header.get_attribute("aria-sort") == "descending")
    values = [key(r) for r in rows_with_tone(page)]
    assert values == sorted(values, reverse=True), values
    if column == "restarts":
        page.screenshot("sorted-by-restarts")


def test_status_colours(page):
    page.open()
    page.set_pattern(".")
    page.t("sort-status").click()
    page.wait(lambda: rows_with_tone(page)[0]["tone"] == "bad")
    for r in rows_with_tone(page):
        status = r["cells"][2]
        if status in ("CrashLoopBackOff", "Error", "OOMKilled", "ImagePullBackOff", "ErrImagePull", "Evicted"):
            assert r["tone"] == "bad", r
        if status in ("Pending", "ContainerCreating") or status.startswith("Init:0"):
            assert r["tone"] == "warn", r
        if status in ("Running", "Completed"):
            assert r["tone"] == "ok", r


def test_keyboard_navigation_moves_the_cursor_and_enter_focuses(page):
    page.open()
    page.set_pattern("^api-")
    page.wait(lambda: len(page.rows()) > 3)
    keys = ActionChains(page.d)
    keys.send_keys(Keys.ARROW_DOWN).perform()
    page.wait(lambda: "cursor" in page.rows()[0].get_attribute("class"), "first row under the cursor")
    ActionChains(page.d).send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN).perform()
    page.wait(lambda: "cursor" in page.rows()[2].get_attribute("class"), "third row")
    ActionChains(page.d).send_keys(Keys.ARROW_UP).perform()
    page.wait(lambda: "cursor" in page.rows()[1].get_attribute("class"), "second row")
    expected = page.row_cells(page.rows()[1])
    ActionChains(page.d).send_keys(Keys.ENTER).perform()
    page.wait(lambda: page.text("focus-name") == expected[0] and page.text("focus-namespace") == expected[1], "Enter focuses")
    assert "focused" in page.rows()[1].get_attribute("class")
    ActionChains(page.d).send_keys(Keys.ESCAPE).perform()
    page.wait(lambda: not page.t("focus-panel").is_displayed(), "Esc closes the focus panel")


def test_rows_update_in_place_on_a_new_pods_message(page):
    page.open()
    page.set_pattern("^api-")
    first = page.rows()[0]
    key = first.get_attribute("data-key")
    before = page.updates()
    status, _ = page.server.post("/api/set_pattern", {"pattern": "^api-"})
    assert status == 200
    page.wait(lambda: page.updates() > before, "a fresh pods message")
    # Same element, same key: the row was updated, not rebuilt.
    assert first.get_attribute("data-key") == key
