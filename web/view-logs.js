// The log panel. Lines arrive in bursts (thousands a second); they are buffered and painted once
// per animation frame, and the DOM never holds more than MAX_LINES, so a flood cannot freeze the
// tab. While paused the DOM is frozen and only a "N new lines" counter moves.

import { h } from "./dom.js";

export const MAX_LINES = 5000;
/** Lines are kept in blocks of this many: layout then deals with ~20 boxes instead of 5,000, and
 * off-screen blocks skip layout entirely (content-visibility in style.css). */
const CHUNK = 250;
const FLUSH_MS = 100;

/** @typedef {{text: string, kind: ""|"note"}} LogLine */

export class LogView {
  /**
   * @param {{lines: HTMLElement, dropped: HTMLElement, pause: HTMLButtonElement, fresh: HTMLButtonElement,
   *   search: HTMLInputElement, only: HTMLInputElement, wrap: HTMLInputElement, status: HTMLElement}} els
   */
  constructor(els) {
    this.els = els;
    /** @type {LogLine[]} the newest MAX_LINES lines */
    this.buffer = [];
    /** @type {LogLine[]} arrived but not yet painted */
    this.queue = [];
    this.dropped = 0;
    this.paused = false;
    this.fresh = 0;
    this.needle = "";
    this.onlyMatching = false;
    this.frame = 0;
    this.status = "";
    /** Line elements currently in the DOM. */
    this.domLines = 0;
    els.pause.addEventListener("click", () => this.setPaused(!this.paused));
    els.fresh.addEventListener("click", () => this.setPaused(false));
    els.search.addEventListener("input", () => {
      this.needle = els.search.value;
      this.repaint();
    });
    els.only.addEventListener("change", () => {
      this.onlyMatching = els.only.checked;
      this.repaint();
    });
    els.wrap.addEventListener("change", () => els.lines.classList.toggle("wrap", els.wrap.checked));
    // Scrolling up to read means "stop following": pause instead of yanking the view back down.
    // Only user input counts; the panel's own scrolling to the bottom must not pause it.
    els.lines.addEventListener("wheel", (e) => { if (e.deltaY < 0 && !this.paused) this.setPaused(true); }, { passive: true });
    els.lines.addEventListener("keydown", (e) => {
      if ((e.key === "ArrowUp" || e.key === "PageUp" || e.key === "Home") && !this.paused) this.setPaused(true);
    });
  }

  /** Empties the panel (focus change, new subscription). */
  clear() {
    this.buffer = [];
    this.queue = [];
    this.dropped = 0;
    this.fresh = 0;
    this.els.lines.replaceChildren();
    this.domLines = 0;
    this.setStatus("", "");
    this.updateNotes();
  }

  /** @param {string[]} texts */
  append(texts, kind = /** @type {""|"note"} */ ("")) {
    for (const text of texts) {
      const line = { text: String(text), kind };
      this.buffer.push(line);
      this.queue.push(line);
    }
    const over = this.buffer.length - MAX_LINES;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.dropped += over;
    }
    if (this.queue.length > MAX_LINES) this.queue.splice(0, this.queue.length - MAX_LINES);
    if (this.paused) {
      this.fresh += texts.length;
      this.queue = [];
      this.updateNotes();
      return;
    }
    // At most ~10 paints a second: each one scrolls and repaints the panel, and under a flood
    // painting (not JavaScript) is what costs; a tenth of a second is still "live" to a reader.
    if (!this.frame) this.frame = setTimeout(() => requestAnimationFrame(() => this.flush()), FLUSH_MS);
  }

  /** @param {string} note */
  note(note) { this.append([note], "note"); }

  flush() {
    this.frame = 0;
    if (this.paused || !this.queue.length) return;
    const box = this.els.lines;
    let chunk = /** @type {HTMLElement|null} */ (box.lastElementChild);
    let room = chunk ? CHUNK - chunk.childElementCount : 0;
    let frag = document.createDocumentFragment();
    for (const line of this.queue) {
      if (this.onlyMatching && this.needle && line.kind === "" && !this.matches(line.text)) continue;
      if (room === 0) {
        if (chunk) chunk.append(frag);
        chunk = h("div", { class: "chunk" });
        box.append(chunk);
        frag = document.createDocumentFragment();
        room = CHUNK;
      }
      frag.append(this.lineEl(line));
      room--;
      this.domLines++;
    }
    if (chunk) chunk.append(frag);
    this.queue = [];
    // Drop whole blocks from the top; what remains never exceeds MAX_LINES.
    while (this.domLines > MAX_LINES && box.firstElementChild) {
      this.domLines -= box.firstElementChild.childElementCount;
      box.firstElementChild.remove();
    }
    if (this.domLines > MAX_LINES) this.domLines = box.querySelectorAll(".line").length;
    box.scrollTop = box.scrollHeight;
    this.updateNotes();
  }

  /** Rebuilds the DOM from the buffer (search, filter, resume). */
  repaint() {
    // The newest lines that fit: older ones stay in the buffer (for download) but not the DOM.
    this.queue = this.buffer.slice(-MAX_LINES);
    this.els.lines.replaceChildren();
    this.domLines = 0;
    if (this.frame) clearTimeout(this.frame);
    this.frame = 0;
    if (!this.paused) this.flush();
  }

  /** @param {boolean} paused */
  setPaused(paused) {
    this.paused = paused;
    this.els.pause.textContent = paused ? "Resume" : "Pause";
    this.els.pause.setAttribute("aria-pressed", String(paused));
    if (!paused) {
      this.fresh = 0;
      this.repaint();
    }
    this.updateNotes();
  }

  /** @param {string} state @param {string} message */
  setStatus(state, message) {
    this.status = state;
    this.els.status.dataset.state = state;
    this.els.status.textContent = state ? (message ? `${state}: ${message}` : state) : "";
  }

  updateNotes() {
    const { fresh, dropped } = this.els;
    fresh.hidden = !this.paused || this.fresh === 0;
    fresh.textContent = `${this.fresh.toLocaleString("en-US")} new lines`;
    dropped.hidden = this.dropped === 0;
    dropped.textContent = `${this.dropped.toLocaleString("en-US")} older lines dropped (the panel keeps the newest ${MAX_LINES.toLocaleString("en-US")}).`;
  }

  /** @param {string} text */
  matches(text) {
    return text.toLowerCase().includes(this.needle.toLowerCase());
  }

  /** One line; search hits wrapped in <mark>, everything else plain text nodes. */
  lineEl(/** @type {LogLine} */ line) {
    const div = h("div", { class: line.kind ? `line ${line.kind}` : "line" });
    const needle = this.needle.toLowerCase();
    if (!needle || line.kind) {
      div.textContent = line.text;
      return div;
    }
    const lower = line.text.toLowerCase();
    let at = 0;
    let hit = lower.indexOf(needle);
    if (hit < 0) {
      div.textContent = line.text;
      return div;
    }
    while (hit >= 0) {
      if (hit > at) div.append(line.text.slice(at, hit));
      div.append(h("mark", { text: line.text.slice(hit, hit + needle.length) }));
      at = hit + needle.length;
      hit = lower.indexOf(needle, at);
    }
    if (at < line.text.length) div.append(line.text.slice(at));
    return div;
  }

  /** The buffered lines as a file (what the panel holds, notes excluded). */
  download(filename) {
    const text = this.buffer.filter((l) => !l.kind).map((l) => l.text).join("\n") + "\n";
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const a = h("a", { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}
