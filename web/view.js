// The page shell: header, overlay, banners, focus panel frame and tabs. Together with
// view-table.js, view-focus.js and view-logs.js (all prefixed "view") it is the only code that
// touches the DOM; app.js calls these methods with state and receives user intents through the
// handlers it passes in.

import { byTestId, setText } from "./dom.js";
import { count } from "./format.js";
import { PodTableView } from "./view-table.js";
import { LogView } from "./view-logs.js";
import * as focus from "./view-focus.js";

/**
 * @typedef {{
 *   submitPattern: (p: string) => void, cancelPattern: () => void, newSearch: () => void,
 *   sort: (key: any) => void, activate: (key: string) => void, moveCursor: (delta: number) => void,
 *   enter: () => void, closeFocus: () => void, chooseContainer: (name: string) => void,
 *   logOptions: () => void, download: () => void,
 * }} Handlers
 */

const $ = byTestId;

export class View {
  /** @param {Handlers} on */
  constructor(on) {
    this.on = on;
    this.overlay = $("pattern-overlay");
    this.input = /** @type {HTMLInputElement} */ ($("pattern-input"));
    this.error = $("pattern-error");
    this.cancel = /** @type {HTMLButtonElement} */ ($("pattern-cancel"));
    this.table = new PodTableView($("pods-table"), (key) => on.activate(key));
    this.panel = $("focus-panel");
    this.logs = new LogView({
      lines: $("log-lines"), dropped: $("log-dropped"),
      pause: /** @type {HTMLButtonElement} */ ($("log-pause")), fresh: /** @type {HTMLButtonElement} */ ($("log-new")),
      search: /** @type {HTMLInputElement} */ ($("log-search")), only: /** @type {HTMLInputElement} */ ($("log-only")),
      wrap: /** @type {HTMLInputElement} */ ($("log-wrap")), status: $("log-status"),
    });
    this.containerSelect = /** @type {HTMLSelectElement} */ ($("log-container"));
    this.timestamps = /** @type {HTMLInputElement} */ ($("log-timestamps"));
    this.previous = /** @type {HTMLInputElement} */ ($("log-previous"));
    this.errorTimer = 0;
    this.wire();
  }

  wire() {
    const on = this.on;
    $("pattern-form").addEventListener("submit", (e) => {
      e.preventDefault();
      on.submitPattern(this.input.value);
    });
    this.cancel.addEventListener("click", () => on.cancelPattern());
    for (const chip of this.overlay.querySelectorAll("[data-example]")) {
      chip.addEventListener("click", () => {
        this.input.value = /** @type {HTMLElement} */ (chip).dataset.example || "";
        this.input.focus();
      });
    }
    $("new-search").addEventListener("click", () => on.newSearch());
    for (const b of document.querySelectorAll(".grid-head [data-sort]")) {
      b.addEventListener("click", () => on.sort(/** @type {HTMLElement} */ (b).dataset.sort));
    }
    $("focus-close").addEventListener("click", () => on.closeFocus());
    for (const tab of this.panel.querySelectorAll("[data-tab]")) {
      tab.addEventListener("click", () => this.showTab(/** @type {HTMLElement} */ (tab).dataset.tab || "logs"));
    }
    this.containerSelect.addEventListener("change", () => on.chooseContainer(this.containerSelect.value));
    this.timestamps.addEventListener("change", () => on.logOptions());
    this.previous.addEventListener("change", () => on.logOptions());
    $("log-download").addEventListener("click", () => on.download());

    document.addEventListener("keydown", (e) => {
      if (!this.overlay.hidden) {
        if (e.key === "Escape") { e.preventDefault(); on.cancelPattern(); }
        return;
      }
      const t = /** @type {HTMLElement} */ (e.target);
      const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (typing) {
        if (e.key === "Escape") t.blur();
        return;
      }
      // Enter/Space on a focused button (sort header, tab) is that button's click.
      if (t.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) return;
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); on.newSearch(); }
      else if (e.key === "ArrowDown" || e.key === "j") { e.preventDefault(); on.moveCursor(1); }
      else if (e.key === "ArrowUp" || e.key === "k") { e.preventDefault(); on.moveCursor(-1); }
      else if (e.key === "PageDown") { e.preventDefault(); on.moveCursor(20); }
      else if (e.key === "PageUp") { e.preventDefault(); on.moveCursor(-20); }
      else if (e.key === "Enter" && (t === document.body || t.closest(".pods"))) { e.preventDefault(); on.enter(); }
      else if (e.key === "Escape" && !this.panel.hidden) { e.preventDefault(); on.closeFocus(); }
    });
  }

  // Header ------------------------------------------------------------------------------------

  /** @param {"connecting"|"open"|"closed"} state @param {number} [retryMs] */
  setConnection(state, retryMs) {
    const el = $("connection");
    el.dataset.state = state;
    el.textContent = state === "open" ? "live" : state === "connecting" ? "connecting…"
      : `disconnected — retrying in ${Math.max(1, Math.round((retryMs || 0) / 1000))}s`;
    document.body.classList.toggle("offline", state !== "open");
  }

  /** @param {string|null} pattern */
  setPattern(pattern) {
    $("pattern-area").hidden = pattern == null;
    setText($("pattern-badge"), pattern ?? "");
    if (pattern == null) setText($("match-count"), "");
  }

  /** @param {import("./state.js").PodTable} t */
  setTable(t, cursorKey, focusKey) {
    const body = $("pods-table");
    body.dataset.updates = String(t.updates);
    this.table.setMarks(cursorKey, focusKey);
    this.table.setRows(t.rows);
    const shown = t.rows.length;
    const hasPattern = !$("pattern-area").hidden;
    const of = t.total != null ? ` of ${count(t.total)} cached` : "";
    const capped = t.matched > shown ? ` (showing ${count(shown)})` : "";
    setText($("match-count"), hasPattern ? `${count(t.matched)} matching${of}${capped}` : "");
    $("match-count").dataset.matched = String(t.matched);
    $("pods-empty").hidden = shown > 0 || !hasPattern;
    for (const b of document.querySelectorAll(".grid-head [data-sort]")) {
      const el = /** @type {HTMLElement} */ (b);
      const active = el.dataset.sort === t.sortKey;
      el.classList.toggle("sorted", active);
      el.dataset.dir = active ? (t.sortDir > 0 ? "asc" : "desc") : "";
      el.setAttribute("aria-sort", active ? (t.sortDir > 0 ? "ascending" : "descending") : "none");
    }
    const sync = $("sync-state");
    sync.hidden = !t.stale && t.synced;
    sync.textContent = t.stale ? "stale — showing cached pods while re-syncing" : t.synced ? "" : "syncing…";
    sync.dataset.state = t.stale ? "stale" : t.synced ? "synced" : "syncing";
    const scope = $("scope-banner");
    const s = t.scope;
    scope.hidden = !(s && (s.reduced || s.message));
    if (s && !scope.hidden) {
      scope.textContent = s.message || `Reduced scope: only namespace ${s.namespace ?? "?"} is watched (RBAC).`;
    }
  }

  /** @param {string|null} cursorKey @param {string|null} focusKey */
  setMarks(cursorKey, focusKey, revealIndex = -1) {
    this.table.setMarks(cursorKey, focusKey);
    if (revealIndex >= 0) this.table.reveal(revealIndex);
  }

  /** @param {string} message */
  serverError(message) {
    const el = $("server-error");
    el.textContent = message;
    el.hidden = !message;
    clearTimeout(this.errorTimer);
    if (message) this.errorTimer = setTimeout(() => { el.hidden = true; }, 8000);
  }

  // Overlay -----------------------------------------------------------------------------------

  /** @param {string} value @param {boolean} canCancel */
  openOverlay(value, canCancel, error = "") {
    this.overlay.hidden = false;
    this.cancel.hidden = !canCancel;
    this.input.value = value;
    this.setOverlayError(error);
    this.input.focus();
    this.input.select();
  }

  closeOverlay() {
    this.overlay.hidden = true;
    this.setOverlayError("");
  }

  get overlayOpen() { return !this.overlay.hidden; }

  /** @param {string} message */
  setOverlayError(message) {
    this.error.textContent = message;
    this.input.setAttribute("aria-invalid", String(!!message));
  }

  /** @param {boolean} busy */
  setOverlayBusy(busy) {
    /** @type {HTMLButtonElement} */ ($("pattern-submit")).disabled = busy;
  }

  // Focus panel -------------------------------------------------------------------------------

  showFocus(summary) {
    this.panel.hidden = false;
    document.body.classList.add("has-focus");
    setText($("focus-name"), summary.name);
    setText($("focus-namespace"), summary.namespace);
    focus.renderStatus($("focus-status"), null, summary);
    focus.renderDeleted($("deleted-banner"), null);
    focus.renderContainers($("containers-panel"), null);
    focus.renderEnv($("env-panel"), null);
    this.containerSelect.replaceChildren();
    this.logs.clear();
    this.table.schedule();
  }

  hideFocus() {
    this.panel.hidden = true;
    document.body.classList.remove("has-focus");
    this.logs.clear();
    this.table.schedule();
  }

  renderPod(pod, summary) {
    focus.renderStatus($("focus-status"), pod, summary);
    focus.renderDeleted($("deleted-banner"), pod);
    focus.renderContainers($("containers-panel"), pod);
    focus.renderEnv($("env-panel"), pod);
    setText(/** @type {HTMLElement} */ (this.panel.querySelector('[data-tab="containers"]')), `Containers (${(pod.containers || []).length})`);
  }

  /** Fills the container selector; keeps `selected` if the pod still has it. */
  setContainers(pod, selected) {
    const list = focus.sortedContainers(pod);
    const names = list.map((c) => c.name).join("\n");
    const sel = this.containerSelect;
    if (sel.dataset.names !== names) {
      sel.dataset.names = names;
      sel.replaceChildren(...list.map((c) => {
        const o = document.createElement("option");
        o.value = c.name;
        o.textContent = c.kind && c.kind !== "app" ? `${c.name} (${c.sidecar ? "sidecar" : c.kind})` : c.name;
        return o;
      }));
    }
    if (selected) sel.value = selected;
  }

  /** @param {import("./state.js").EventList} list */
  renderEvents(list) {
    focus.renderEvents($("events-panel"), list);
    setText(/** @type {HTMLElement} */ (this.panel.querySelector('[data-tab="events"]')), `Events (${list.items.length})`);
  }

  /** @param {import("./state.js").MetricsHistory} m */
  renderMetrics(m) { focus.renderMetrics($("metrics-panel"), m); }

  logOptions() {
    return { timestamps: this.timestamps.checked, previous: this.previous.checked };
  }

  /** @param {string} name */
  showTab(name) {
    for (const tab of this.panel.querySelectorAll("[data-tab]")) {
      tab.setAttribute("aria-selected", String(/** @type {HTMLElement} */ (tab).dataset.tab === name));
    }
    for (const p of this.panel.querySelectorAll("[data-panel]")) {
      /** @type {HTMLElement} */ (p).hidden = /** @type {HTMLElement} */ (p).dataset.panel !== name;
    }
  }

  /** Once a second: ages in the table and the panel. */
  tick() {
    const now = Date.now();
    this.table.tick(now);
    if (!this.panel.hidden) focus.tickTimes(this.panel, now);
  }
}
