// The focused pod: status block, containers, events, environment and metrics. Each section is
// rebuilt from the latest message (they are small); times are live-time spans the clock updates.

import { h, svg, liveTime } from "./dom.js";
import { statusTone, percent, percentTone, ago, duration, secondsSince } from "./format.js";

/** A dt/dd pair wrapped in a div (valid inside <dl>) so the status block can flow in columns. */
function field(label, value, testid) {
  const dd = h("dd", testid ? { "data-testid": testid } : null, value);
  dd.title = dd.textContent || "";
  return h("div", { class: "field" }, h("dt", { text: label }), dd);
}

const dash = (v) => (v == null || v === "" ? "—" : String(v));

/**
 * The status block. `summary` is the table row (shown at once on click); `pod` the full view.
 * @param {HTMLElement} box
 */
export function renderStatus(box, pod, summary) {
  const p = pod || summary || {};
  const status = p.status || p.phase || "";
  const node = pod ? [dash(pod.nodeName ?? summary?.node), pod.node ? h("span", { class: "muted", text: ` (${pod.node})` }) : null]
    : dash(summary?.node);
  box.replaceChildren(
    field("Namespace", dash(p.namespace)),
    field("Name", dash(p.name)),
    field("Status", h("span", { class: `pill tone-${statusTone(status)}`, text: status || "—" }), "focus-state"),
    field("Phase", dash(p.phase)),
    field("Ready", `${p.ready ?? "?"}/${p.total ?? "?"}`),
    field("Restarts", String(p.restarts ?? 0)),
    field("Node", h("span", null, node), "focus-node"),
    field("Pod IP", dash(p.podIP), "focus-podip"),
    field("Age", createdOrAge(pod, summary), "focus-age"),
    field("QoS", dash(pod?.qosClass)),
  );
}

function createdOrAge(pod, summary) {
  const iso = pod?.createdAt || summary?.createdAt;
  if (iso) return liveTime(iso, "age");
  if (pod && typeof pod.ageSeconds === "number") {
    return liveTime(new Date(Date.now() - pod.ageSeconds * 1000).toISOString(), "age");
  }
  return "—";
}

/** @param {HTMLElement} banner */
export function renderDeleted(banner, pod) {
  banner.hidden = !pod || !pod.deleted;
  if (pod && pod.deleted) {
    banner.replaceChildren("This pod was deleted", pod.deletedAt ? [" ", liveTime(pod.deletedAt, "ago")] : "",
      ". Its last known state is shown below.");
  }
}

const KIND_ORDER = { init: 0, app: 1, ephemeral: 2 };

/** @param {any} c */
function kindLabel(c) {
  if (c.kind === "init" && c.sidecar) return "sidecar";
  return c.kind || "app";
}

/** Containers sorted init → app → ephemeral, as the pod runs them. */
export function sortedContainers(pod) {
  return (pod?.containers || []).slice().sort((a, b) => (KIND_ORDER[a.kind || "app"] ?? 1) - (KIND_ORDER[b.kind || "app"] ?? 1));
}

/** @param {HTMLElement} box */
export function renderContainers(box, pod) {
  if (!pod) { box.replaceChildren(h("p", { class: "muted", text: "Loading…" })); return; }
  const terminations = Array.isArray(pod.terminations) ? pod.terminations : [];
  const cards = sortedContainers(pod).map((c) => {
    const stateText = [c.state || "unknown", c.stateReason ? ` (${c.stateReason})` : ""].join("");
    const tone = c.stateReason ? statusTone(c.stateReason) : c.state === "running" ? "ok" : c.state === "waiting" ? "warn" : "other";
    const lt = c.lastTermination;
    const hist = terminations.filter((t) => t.container === c.name);
    return h("article", { class: "container-card", "data-testid": "container-card", "data-container": c.name },
      h("header", null,
        h("strong", { text: c.name, "data-testid": "container-name" }),
        h("span", { class: `kind kind-${kindLabel(c)}`, text: kindLabel(c) }),
        h("span", { class: `pill tone-${tone}`, text: stateText, "data-testid": "container-state" })),
      h("dl", { class: "kv" },
        field("Ready", c.ready ? "yes" : "no"),
        field("Restarts", String(c.restarts ?? 0)),
        field("Image", h("code", { text: dash(c.image) }), "container-image"),
        c.startedAt && field("Started", liveTime(c.startedAt, "ago")),
        c.stateMessage && field("Message", h("span", { class: "msg", text: c.stateMessage })),
        lt && field("Last termination", termination(lt)),
        c.resources && field("Resources", resources(c.resources))),
      hist.length ? h("details", { class: "history", "data-testid": "termination-history" },
        h("summary", { text: `Termination history kept by kubeluma (${hist.length})` }),
        h("table", { class: "mini" },
          h("thead", null, h("tr", null, ["restart", "reason", "exit", "signal", "started", "finished"].map((t) => h("th", { text: t })))),
          h("tbody", null, hist.map((t) => h("tr", null,
            h("td", { text: dash(t.restartCount) }), h("td", { text: dash(t.reason) }),
            h("td", { text: dash(t.exitCode) }), h("td", { text: dash(t.signal) }),
            h("td", null, t.startedAt ? liveTime(t.startedAt, "ago") : "—"),
            h("td", null, t.finishedAt ? liveTime(t.finishedAt, "ago") : "—")))))) : null);
  });
  box.replaceChildren(...(cards.length ? cards : [h("p", { class: "muted", text: "No containers." })]));
}

function termination(t) {
  const parts = [t.reason || "terminated", t.exitCode != null ? `, exit code ${t.exitCode}` : "",
    t.signal != null ? `, signal ${t.signal}` : ""].join("");
  return h("span", { class: `tone-${statusTone(t.reason || "")}` }, parts, t.finishedAt ? [" — ", liveTime(t.finishedAt, "ago")] : "");
}

function resources(r) {
  const part = (label, o) => {
    const set = Object.entries(o || {}).filter(([, v]) => v != null && v !== "");
    return set.length ? `${label} ${set.map(([k, v]) => `${k}=${v}`).join(", ")}` : "";
  };
  return [part("requests", r.requests), part("limits", r.limits)].filter(Boolean).join("; ") || "—";
}

/** @param {HTMLElement} box */
export function renderEnv(box, pod) {
  if (!pod) { box.replaceChildren(h("p", { class: "muted", text: "Loading…" })); return; }
  const sections = sortedContainers(pod).map((c) => h("section", { class: "env-block", "data-container": c.name },
    h("h3", null, c.name, h("span", { class: `kind kind-${kindLabel(c)}`, text: kindLabel(c) })),
    (c.envFrom && c.envFrom.length) ? h("ul", { class: "env-from", "data-testid": "env-from" }, c.envFrom.map((f) =>
      h("li", { text: `envFrom ${f.source || "?"} ${f.name || ""}${f.prefix ? ` (prefix ${f.prefix})` : ""}${f.optional ? " (optional)" : ""}` }))) : null,
    (c.env && c.env.length) ? h("table", { class: "mini env" },
      h("tbody", null, c.env.map((e) => {
        const v = e.value ?? "";
        const masked = v.startsWith("***");
        const source = /^(configmap|fieldRef|resourceField|secret):/.test(v);
        return h("tr", { "data-testid": "env-row" },
          h("td", { class: "env-name", text: e.name }),
          h("td", { class: masked ? "env-value masked" : source ? "env-value source" : "env-value", text: v }));
      }))) : h("p", { class: "muted", text: "No env vars." })));
  box.replaceChildren(...(sections.length ? sections : [h("p", { class: "muted", text: "No containers." })]));
}

/** @param {HTMLElement} box @param {import("./state.js").EventList} list */
export function renderEvents(box, list) {
  if (!list.items.length) { box.replaceChildren(h("p", { class: "muted", text: "No events for this pod." })); return; }
  box.replaceChildren(h("ol", { class: "events", "data-testid": "events-list" }, list.items.map((e) =>
    h("li", { class: `event type-${(e.type || "Normal").toLowerCase()}${e.expired ? " expired" : ""}`, "data-testid": "event-row" },
      h("div", { class: "event-head" },
        h("span", { class: "event-type", text: e.type || "Normal" }),
        h("strong", { class: "event-reason", text: e.reason || "" }),
        e.count > 1 ? h("span", { class: "event-count", text: `×${e.count}` }) : null,
        h("span", { class: "muted" }, liveTime(e._iso, "ago")),
        e.source ? h("span", { class: "muted", text: `from ${e.source}` }) : null,
        e.expired ? h("span", { class: "expired-tag", text: "expired in cluster", title: "The cluster no longer has this event; kubeluma kept it." }) : null),
      h("div", { class: "event-message", text: e.message || "" })))));
}

const SERIES = 6;

/** @param {HTMLElement} box @param {import("./state.js").MetricsHistory} m */
export function renderMetrics(box, m) {
  if (m.disabled) {
    box.replaceChildren(h("p", { class: "muted", "data-testid": "metrics-disabled", text: "Metrics not available (the cluster has no metrics API, or none for this pod)." }));
    return;
  }
  const latest = m.latest;
  if (!latest) { box.replaceChildren(h("p", { class: "muted", "data-testid": "metrics-waiting", text: "Waiting for the first metrics sample…" })); return; }
  const pct = (p) => h("td", { class: `pct ${percentTone(p)}`, text: percent(p) });
  const table = h("table", { class: "mini metrics", "data-testid": "metrics-table" },
    h("thead", null, h("tr", null, ["container", "CPU", "% req", "% limit", "memory", "% req", "% limit"].map((t) => h("th", { text: t })))),
    h("tbody", null, latest.containers.map((c, i) => h("tr", { "data-testid": "metrics-row", "data-container": c.name },
      h("td", null, h("span", { class: `swatch s${i % SERIES}` }), c.name),
      h("td", { class: "num", "data-testid": "metrics-cpu", text: c.cpu == null ? "—" : `${Math.round(c.cpu)}m` }),
      pct(c.cpuRequestPercent), pct(c.cpuLimitPercent),
      h("td", { class: "num", "data-testid": "metrics-memory", text: c.memoryMiB == null ? "—" : `${Number(c.memoryMiB).toFixed(1)} MiB` }),
      pct(c.memoryRequestPercent), pct(c.memoryLimitPercent)))));
  const names = latest.containers.map((c) => c.name);
  box.replaceChildren(table,
    h("div", { class: "charts" },
      chart("CPU (m)", m.points, names, (c) => c.cpu),
      chart("Memory (MiB)", m.points, names, (c) => c.memoryMiB)),
    h("p", { class: "muted small", text: `${m.points.length} sample${m.points.length === 1 ? "" : "s"} since focus, last ${ago(new Date(latest.t).toISOString(), Date.now()) || "now"}` }));
}

/** A tiny line chart in SVG: one polyline per container, values since focus. */
function chart(title, points, names, pick) {
  const W = 300, H = 80, P = 4;
  const el = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
  let max = 0;
  for (const p of points) for (const c of p.containers) max = Math.max(max, Number(pick(c)) || 0);
  max = max || 1;
  const t0 = points[0].t, t1 = points[points.length - 1].t;
  const span = Math.max(1, t1 - t0);
  names.forEach((name, i) => {
    const coords = [];
    for (const p of points) {
      const c = p.containers.find((x) => x.name === name);
      const v = c ? Number(pick(c)) : NaN;
      if (Number.isNaN(v)) continue;
      const x = points.length === 1 ? W / 2 : P + ((p.t - t0) / span) * (W - 2 * P);
      const y = H - P - (v / max) * (H - 2 * P);
      coords.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    }
    if (coords.length === 1) coords.push(coords[0].replace(/^[^,]+/, (x) => String(Number(x) + 2)));
    el.append(svg("polyline", { points: coords.join(" "), class: `series s${i % SERIES}` }));
  });
  const t = svg("text", { x: 4, y: 12, class: "chart-label" });
  t.textContent = `${title} · max ${max >= 10 ? Math.round(max) : max.toFixed(1)}`;
  el.append(t);
  return h("figure", { class: "chart-box" }, el);
}

/** Updates every live-time span under `root`. */
export function tickTimes(root, now) {
  for (const el of root.querySelectorAll(".live-time")) {
    const iso = /** @type {HTMLElement} */ (el).dataset.since;
    const s = secondsSince(iso, now);
    const text = s == null ? "—" : el.getAttribute("data-fmt") === "age" ? duration(s) : `${duration(s)} ago`;
    if (el.textContent !== text) el.textContent = text;
  }
}
