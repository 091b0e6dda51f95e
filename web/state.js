// Client-side state applied from server messages. Nothing here touches the DOM; the view reads
// these objects and the controller (app.js) mutates them.

import { statusTone, toneRank } from "./format.js";

/**
 * @typedef {{name: string, namespace: string, phase?: string, status?: string, ready?: number,
 *   total?: number, restarts?: number, lastRestartAt?: string|null, createdAt?: string|null,
 *   node?: string|null, podIP?: string|null, uid?: string}} PodRow
 * @typedef {"name"|"namespace"|"status"|"ready"|"restarts"|"age"|"node"} SortKey
 */

/** @param {{name: string, namespace: string}} p */
export const podKey = (p) => `${p.namespace}/${p.name}`;

const cmpStr = (/** @type {string} */ a, /** @type {string} */ b) => (a < b ? -1 : a > b ? 1 : 0);

/** Comparators per column; ties fall back to namespace/name so the order is total and stable. */
const compare = {
  name: (/** @type {PodRow} */ a, /** @type {PodRow} */ b) => cmpStr(a.name, b.name) || cmpStr(a.namespace, b.namespace),
  namespace: (a, b) => cmpStr(a.namespace, b.namespace) || cmpStr(a.name, b.name),
  status: (a, b) => toneRank[statusTone(statusOf(a))] - toneRank[statusTone(statusOf(b))]
    || cmpStr(statusOf(a), statusOf(b)),
  ready: (a, b) => readyRatio(a) - readyRatio(b) || (a.total ?? 0) - (b.total ?? 0),
  restarts: (a, b) => (a.restarts ?? 0) - (b.restarts ?? 0),
  // Ascending age means youngest first.
  age: (a, b) => createdMs(b) - createdMs(a),
  node: (a, b) => cmpStr(a.node || "", b.node || ""),
};

/** @param {PodRow} p */
export const statusOf = (p) => p.status || p.phase || "Unknown";
const readyRatio = (/** @type {PodRow} */ p) => (p.total ? (p.ready ?? 0) / p.total : 0);
const createdMs = (/** @type {PodRow} */ p) => {
  const t = p.createdAt ? Date.parse(p.createdAt) : NaN;
  return Number.isNaN(t) ? 0 : t;
};

export class PodTable {
  constructor() {
    /** @type {PodRow[]} sorted */
    this.rows = [];
    /** @type {Map<string, PodRow>} */
    this.byKey = new Map();
    /** @type {SortKey} */
    this.sortKey = "name";
    this.sortDir = 1;
    this.matched = 0;
    this.total = 0;
    this.stale = false;
    this.synced = true;
    /** @type {{namespace: string|null, reduced: boolean, message: string|null}|null} */
    this.scope = null;
    /** Number of `pods` messages applied; exposed to tests as a round-trip marker. */
    this.updates = 0;
  }

  /** Replaces the rows with a `pods` message's list (the server always sends the full match). */
  apply(data) {
    const pods = Array.isArray(data.pods) ? data.pods : [];
    this.byKey = new Map();
    for (const p of pods) this.byKey.set(podKey(p), p);
    this.rows = pods.slice();
    this.matched = typeof data.matched === "number" ? data.matched : pods.length;
    this.total = typeof data.total === "number" ? data.total : null;
    this.stale = !!data.stale;
    this.synced = data.synced !== false;
    this.scope = data.scope || null;
    this.updates++;
    this.sort();
  }

  clear() {
    this.rows = [];
    this.byKey = new Map();
    this.matched = 0;
  }

  /** @param {SortKey} key */
  setSort(key) {
    if (this.sortKey === key) this.sortDir = -this.sortDir;
    else { this.sortKey = key; this.sortDir = 1; }
    this.sort();
  }

  sort() {
    const c = compare[this.sortKey];
    const d = this.sortDir;
    this.rows.sort((a, b) => d * c(a, b) || compare.namespace(a, b));
  }

  /** @param {string|null} key */
  indexOf(key) {
    if (!key) return -1;
    const p = this.byKey.get(key);
    return p ? this.rows.indexOf(p) : -1;
  }
}

/** Values seen since focus, for the small charts; bounded so a long focus stays cheap. */
export class MetricsHistory {
  constructor(max = 180) {
    this.max = max;
    /** @type {{t: number, containers: any[]}[]} */
    this.points = [];
    this.disabled = false;
  }
  clear() { this.points = []; this.disabled = false; }
  /** @param {{containers: any[], timestamp?: string}} data */
  push(data) {
    this.disabled = false;
    const t = data.timestamp ? Date.parse(data.timestamp) : Date.now();
    this.points.push({ t: Number.isNaN(t) ? Date.now() : t, containers: data.containers || [] });
    if (this.points.length > this.max) this.points.splice(0, this.points.length - this.max);
  }
  get latest() { return this.points.length ? this.points[this.points.length - 1] : null; }
}

/** Events of the focused pod, newest first, de-duplicated by uid (a repeat bumps count). */
export class EventList {
  constructor() {
    /** @type {any[]} */
    this.items = [];
  }
  clear() { this.items = []; }
  /** @param {any[]} events */
  replace(events) {
    this.items = events.map(stampEvent);
    this.sort();
  }
  /** @param {any} e */
  upsert(e) {
    const ev = stampEvent(e);
    const i = ev.uid ? this.items.findIndex((x) => x.uid === ev.uid) : -1;
    if (i >= 0) this.items[i] = ev; else this.items.push(ev);
    this.sort();
  }
  sort() { this.items.sort((a, b) => b._when - a._when); }
}

/** Events from the seed carry only ageSeconds: pin it to a wall time so the age stays live. */
function stampEvent(e) {
  const last = e.lastSeen ? Date.parse(e.lastSeen) : NaN;
  const when = Number.isNaN(last) ? Date.now() - (e.ageSeconds ?? 0) * 1000 : last;
  return { ...e, _when: when, _iso: e.lastSeen || new Date(when).toISOString() };
}
