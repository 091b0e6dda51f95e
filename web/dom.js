// The one way the view modules build elements. Children that are strings become text nodes and
// `text` sets textContent, so cluster data (names, images, log lines, event messages) can never
// be parsed as HTML. There is deliberately no way to pass markup.

import { secondsSince, duration } from "./format.js";

/**
 * @param {string} tag
 * @param {Record<string, any>|null} [attrs] `class`, `text`, `on<event>`, `data-*`, other attributes
 * @param {...(Node|string|null|undefined|false|Array<any>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = String(v);
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
  }
  for (const c of children.flat(2)) {
    if (c == null || c === false) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

const SVG = "http://www.w3.org/2000/svg";

/** @param {string} tag @param {Record<string, string|number>} [attrs] */
export function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  if (attrs) for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  return e;
}

/** @param {string} testid @param {ParentNode} [root] */
export function byTestId(testid, root = document) {
  const e = root.querySelector(`[data-testid="${testid}"]`);
  if (!e) throw new Error(`missing element ${testid}`);
  return /** @type {HTMLElement} */ (e);
}

/** Sets textContent only when it changed, so untouched cells cost no layout. */
export function setText(/** @type {Element} */ e, /** @type {string} */ text) {
  if (e.textContent !== text) e.textContent = text;
}

/**
 * A span whose text the live clock keeps current: "3m" (age) or "3m ago".
 * @param {string|null|undefined} iso
 * @param {"age"|"ago"} fmt
 */
export function liveTime(iso, fmt = "ago") {
  const s = h("span", { class: "live-time", "data-since": iso || "", "data-fmt": fmt });
  if (iso) s.title = iso;
  const secs = secondsSince(iso, Date.now());
  s.textContent = secs == null ? "—" : fmt === "age" ? duration(secs) : `${duration(secs)} ago`;
  return s;
}
