// Pure formatting helpers shared by the view modules. No DOM access here, so they can be reasoned
// about (and reused) without a page.

/**
 * Seconds elapsed since an RFC 3339 time, or null when the time is missing or unparsable.
 * @param {string|null|undefined} iso
 * @param {number} now milliseconds since the epoch
 * @returns {number|null}
 */
export function secondsSince(iso, now) {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((now - t) / 1000));
}

/**
 * kubectl-style compact duration: 45s, 3m, 2h5m, 4d3h, 120d.
 * @param {number|null} s seconds
 */
export function duration(s) {
  if (s == null) return "—";
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 10) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return `${d}d`;
}

/** @param {string|null|undefined} iso @param {number} now */
export function ago(iso, now) {
  const s = secondsSince(iso, now);
  return s == null ? "" : `${duration(s)} ago`;
}

const RED = new Set(["CrashLoopBackOff", "Error", "OOMKilled", "ImagePullBackOff", "ErrImagePull", "Evicted",
  "Failed", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError",
  "ContainerStatusUnknown", "Unknown", "NodeLost", "DeadlineExceeded", "BackoffLimitExceeded"]);
const AMBER = new Set(["Pending", "ContainerCreating", "PodInitializing", "NotReady", "SchedulingGated"]);
const GREEN = new Set(["Running", "Completed", "Succeeded"]);

/**
 * Colour class of a kubectl STATUS word. Init:<n>/<m> is amber, Init:<error> red.
 * @param {string} status
 * @returns {"bad"|"warn"|"ok"|"gone"|"other"}
 */
export function statusTone(status) {
  if (!status) return "other";
  if (status === "Terminating") return "gone";
  if (RED.has(status)) return "bad";
  if (status.startsWith("Init:")) {
    const rest = status.slice(5);
    return /^\d+\/\d+$/.test(rest) ? "warn" : "bad";
  }
  if (status.startsWith("Signal:") || status.startsWith("ExitCode:")) return "bad";
  if (AMBER.has(status)) return "warn";
  if (GREEN.has(status)) return "ok";
  return "other";
}

/** Sort rank of a tone: trouble first. */
export const toneRank = { bad: 0, warn: 1, other: 2, gone: 3, ok: 4 };

/**
 * Warning level of a percentage of request/limit.
 * @param {number|null|undefined} p
 * @returns {""|"warn"|"crit"}
 */
export function percentTone(p) {
  if (p == null) return "";
  if (p >= 95) return "crit";
  if (p >= 80) return "warn";
  return "";
}

/** @param {number|null|undefined} p */
export function percent(p) {
  return p == null ? "—" : `${p >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}

/** @param {number} n */
export function count(n) {
  return n.toLocaleString("en-US");
}
