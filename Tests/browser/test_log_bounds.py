"""The log panel's DOM stays bounded however many lines arrive (the served LogView module, fed
directly: the simulator writes a few lines a second)."""
import os

import pytest

FEED = """
const [count, perBatch] = [arguments[0], arguments[1]];
const done = arguments[arguments.length - 1];
import('/view-logs.js').then(({ LogView, MAX_LINES }) => {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const view = new LogView({lines: $('log-lines'), dropped: $('log-dropped'), pause: $('log-pause'),
    fresh: $('log-new'), search: $('log-search'), only: $('log-only'), wrap: $('log-wrap'), status: $('log-status')});
  $('focus-panel').hidden = false;
  let n = 0;
  const batch = () => {
    const lines = [];
    for (let i = 0; i < perBatch && n < count; i++) lines.push(`line ${n++} <b>not bold</b>`);
    view.append(lines);
    if (n < count) setTimeout(batch, 0);
    else done({max: MAX_LINES});
  };
  batch();
}).catch((e) => done({error: String(e)}));
"""


STATE = """
const box = document.querySelector('[data-testid="log-lines"]');
const lines = box.querySelectorAll('.line');
return {dom: lines.length, last: lines.length ? lines[lines.length - 1].textContent : null,
        note: document.querySelector('[data-testid="log-dropped"]').textContent,
        bold: box.querySelectorAll('b').length};
"""


def test_at_most_max_lines_stay_in_the_dom_and_drops_are_noted(page):
    page.open()
    fed = page.d.execute_async_script(FEED, 12000, 500)
    assert "error" not in fed, fed
    page.wait(lambda: page.d.execute_script(STATE)["last"] == "line 11999 <b>not bold</b>", "the last line painted")
    result = {**page.d.execute_script(STATE), **fed}
    # Lines leave the DOM in blocks, so it holds between MAX_LINES - block and MAX_LINES.
    assert result["max"] == 5000 and 4500 <= result["dom"] <= 5000, result
    assert result["note"].startswith("7,000 older lines dropped"), result
    assert result["bold"] == 0


FLOOD = """
const [seconds, rate] = [arguments[0], arguments[1]];
const done = arguments[arguments.length - 1];
import('/view-logs.js').then(({ LogView }) => {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const view = new LogView({lines: $('log-lines'), dropped: $('log-dropped'), pause: $('log-pause'),
    fresh: $('log-new'), search: $('log-search'), only: $('log-only'), wrap: $('log-wrap'), status: $('log-status')});
  $('focus-panel').hidden = false;
  document.body.classList.add('has-focus');
  const heap0 = performance.memory ? performance.memory.usedJSHeapSize : 0;
  const lags = [];
  let n = 0;
  const start = performance.now();
  // 50 batches a second, as the server batches lines; a 20 ms probe measures event-loop lag.
  const feeder = setInterval(() => {
    const lines = [];
    for (let i = 0; i < rate / 50; i++) lines.push(`2026-11-27T10:00:00Z INFO [api] processed batch ${n++} of 512 in 12ms <script>x</script>`);
    view.append(lines);
  }, 20);
  let expected = performance.now() + 20;
  const probe = setInterval(() => { const now = performance.now(); lags.push(now - expected); expected = now + 20; }, 20);
  setTimeout(() => {
    clearInterval(feeder); clearInterval(probe);
    lags.sort((a, b) => a - b);
    done({lines: n, seconds: (performance.now() - start) / 1000, p99: lags[Math.floor(lags.length * 0.99)],
          max: lags[lags.length - 1], dom: $('log-lines').querySelectorAll('.line').length,
          heapMB: performance.memory ? (performance.memory.usedJSHeapSize - heap0) / 1048576 : null});
  }, seconds * 1000);
}).catch((e) => done({error: String(e)}));
"""


@pytest.mark.skipif(os.environ.get("KUBELUMA_PERF") != "1", reason="set KUBELUMA_PERF=1")
def test_five_thousand_lines_a_second_keep_the_page_responsive(page):
    page.d.set_script_timeout(120)
    page.open()
    r = page.d.execute_async_script(FLOOD, 30, 5000)
    assert "error" not in r, r
    print(f"\n{r['lines']:,} log lines in {r['seconds']:.1f} s: event-loop lag p99 {r['p99']:.1f} ms, "
          f"max {r['max']:.1f} ms; {r['dom']} lines in the DOM; heap growth {r['heapMB']} MB")
    assert r["dom"] <= 5000
    assert r["p99"] <= 100, r
