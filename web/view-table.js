// The pods table with virtual scrolling: only the rows in (and just around) the viewport exist
// in the DOM, positioned by index at a fixed height, so 10,000 matches cost the same as 30.
// Row elements are kept by pod key and updated in place, so a `pods` message every few seconds
// only rewrites the cells whose text changed.

import { h, setText } from "./dom.js";
import { duration, secondsSince, statusTone, ago } from "./format.js";
import { podKey, statusOf } from "./state.js";

const ROW_HEIGHT = 28; // must match .grid-row height in style.css
const OVERSCAN = 8;

/** @typedef {import("./state.js").PodRow} PodRow */

export class PodTableView {
  /**
   * @param {HTMLElement} body the scrolling element
   * @param {(key: string) => void} onActivate a row was clicked
   */
  constructor(body, onActivate) {
    this.body = body;
    this.spacer = /** @type {HTMLElement} */ (body.querySelector(".grid-spacer"));
    /** @type {PodRow[]} */
    this.rows = [];
    /** @type {Map<string, HTMLElement & {_cells?: HTMLElement[]}>} visible rows by key */
    this.live = new Map();
    /** @type {HTMLElement[]} detached rows ready for reuse */
    this.pool = [];
    this.cursorKey = /** @type {string|null} */ (null);
    this.focusKey = /** @type {string|null} */ (null);
    this.frame = 0;
    body.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(body);
    body.addEventListener("click", (e) => {
      const row = /** @type {HTMLElement|null} */ (/** @type {Element} */ (e.target).closest(".grid-row"));
      if (row && row.dataset.key) onActivate(row.dataset.key);
    });
  }

  /** @param {PodRow[]} rows sorted */
  setRows(rows) {
    this.rows = rows;
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.body.dataset.rows = String(rows.length);
    this.render();
  }

  /** @param {string|null} cursorKey @param {string|null} focusKey */
  setMarks(cursorKey, focusKey) {
    this.cursorKey = cursorKey;
    this.focusKey = focusKey;
    for (const [key, el] of this.live) this.mark(el, key);
  }

  /** Keeps row `index` inside the viewport (keyboard navigation). */
  reveal(index) {
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const view = this.body.clientHeight;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + ROW_HEIGHT > this.body.scrollTop + view) this.body.scrollTop = top + ROW_HEIGHT - view;
    this.render();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  render() {
    const now = Date.now();
    const top = this.body.scrollTop;
    const height = this.body.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    /** @type {Map<string, HTMLElement>} */
    const next = new Map();
    for (let i = first; i < last; i++) {
      const pod = this.rows[i];
      const key = podKey(pod);
      let el = this.live.get(key);
      if (el) this.live.delete(key);
      else {
        el = this.pool.pop() || this.makeRow();
        if (!el.isConnected) this.body.append(el);
      }
      this.fill(el, pod, key, i, now);
      next.set(key, el);
    }
    // Rows that scrolled out (or whose pod left the match) go back to the pool.
    for (const el of this.live.values()) {
      el.remove();
      el.dataset.key = "";
      this.pool.push(el);
    }
    this.live = next;
  }

  /** Refreshes the cells that depend on the clock (age, "restarted 3m ago"). */
  tick(now) {
    for (const [key, el] of this.live) {
      const pod = this.rowFor(key);
      if (pod) this.fillTimes(el, pod, now);
    }
  }

  rowFor(key) {
    const el = this.live.get(key);
    const i = el ? Number(el.dataset.index) : -1;
    return i >= 0 ? this.rows[i] : undefined;
  }

  makeRow() {
    const cells = ["c-name", "c-ns", "c-status", "c-ready", "c-restarts", "c-age", "c-node"]
      .map((c) => h("span", { class: `cell ${c}`, role: "gridcell" }));
    const since = h("span", { class: "since" });
    const count = h("span", { class: "count" });
    cells[4].append(count, since);
    const row = /** @type {HTMLElement & {_cells?: HTMLElement[], _since?: HTMLElement, _count?: HTMLElement}} */ (
      h("div", { class: "grid-row", role: "row", "data-testid": "pod-row" }, cells));
    row._cells = cells;
    row._since = since;
    row._count = count;
    return row;
  }

  /** @param {any} el @param {PodRow} pod */
  fill(el, pod, key, index, now) {
    const c = el._cells;
    if (el.dataset.key !== key) el.dataset.key = key;
    el.dataset.index = String(index);
    el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    setText(c[0], pod.name);
    c[0].title = pod.name;
    setText(c[1], pod.namespace);
    const status = statusOf(pod);
    setText(c[2], status);
    c[2].title = status;
    const tone = `cell c-status tone-${statusTone(status)}`;
    if (c[2].className !== tone) c[2].className = tone;
    const ready = `${pod.ready ?? 0}/${pod.total ?? 0}`;
    setText(c[3], ready);
    c[3].classList.toggle("not-ready", (pod.ready ?? 0) < (pod.total ?? 0) && status === "Running");
    setText(el._count, String(pod.restarts ?? 0));
    c[4].classList.toggle("has-restarts", (pod.restarts ?? 0) > 0);
    setText(c[6], pod.node || "—");
    this.fillTimes(el, pod, now);
    this.mark(el, key);
  }

  fillTimes(el, pod, now) {
    setText(el._since, pod.lastRestartAt && pod.restarts ? ` (${ago(pod.lastRestartAt, now)})` : "");
    setText(el._cells[5], duration(secondsSince(pod.createdAt, now)));
  }

  mark(el, key) {
    const cursor = key === this.cursorKey;
    const focus = key === this.focusKey;
    el.classList.toggle("cursor", cursor);
    el.classList.toggle("focused", focus);
    el.setAttribute("aria-selected", String(focus));
  }
}
