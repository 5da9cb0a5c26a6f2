/**
 * The dashboard's script, served at `/dashboard.js` (a string module: no
 * build step). It loads `/api/summary` and `/api/violations`, then follows
 * `/api/events/stream` (Server-Sent Events): `summary` replaces the counters,
 * node and partition tables; `violation` adds a counterexample (the newest
 * open, older ones collapsed) and bumps the counters and its partition's row
 * at once; `status` and `violation_cleared` update a partition's row;
 * `rates` adds a sample to the rates over time (first loaded from
 * `/api/rates`, merged by sample number at each connection since samples
 * are not replayed) and redraws its four small plots: events/s per node
 * (the busiest, one line each, the rest as `others`), refused batches/s by
 * reason, ingest lag (s) and violations per interval. The plots are inline
 * SVG paths drawn here (no chart library: four sparklines need no axes
 * engine, and each path's points are the data, readable by a test); a gap
 * in a node's line is a second where it was counted among `others`.
 * When the stream drops, the browser's `EventSource` reconnects by itself
 * and sends `Last-Event-ID`: the collector replays what the page missed.
 * When it cannot (the page was away longer than the collector keeps, or the
 * collector restarted), it sends `reset` and the page fetches
 * `/api/summary` and `/api/violations` again. The first connection also
 * fetches `/api/violations` once more, for a violation raised between the
 * page's first fetch and the stream's start. Everything is rendered with
 * DOM text nodes (no HTML from data), but for a violation's space-time
 * diagram (when it carries causal evidence): the collector's own SVG from
 * `/api/violations/:id/diagram.svg` (every text escaped there), parsed as
 * XML, stripped of anything but drawing, and imported inline.
 *
 * A member of a partitioned deployment (`vigil collector --partitions`)
 * answers `/api/cluster`: the page then adds a "Deployment" section above
 * the rates, from that merged view, fetched again every
 * `CLUSTER_REFRESH_MS`: the members (instance, address, partitions owned,
 * events applied, reachable or why not), the ownership table (partition,
 * lease holder, standby, the owner the assignment wants while a move is
 * under way) and every member's violations merged (each with its instance
 * key, stream partition and the member that raised it; its space-time
 * diagram inline when the view carries one). An alert a member that lost
 * the partition's lease handed over (its `handedOver` field,
 * `edge/cluster/alert_handover.ts`) is badged "handed over", says the
 * member that held it and when it lost the lease, and names the member
 * that routed it. A single collector answers
 * 404 there and its page is unchanged.
 *
 * Times are hybrid logical clocks shown as the UTC time of day of the wall
 * part with milliseconds, then the logical counter (`07:50:46.716 +7`, as
 * `vigil demo` prints them); the raw value is in the element's `title`.
 *
 * The pure helpers at the top (`hlcText`, `stateText`, `callText`,
 * `failingIndex`, `handedOverText`, `nodeSeries`, `pathD`, ...) run without a DOM; `edge/server/dashboard_test.ts` tests them.
 *
 * @module
 */

/** The script. */
export const DASHBOARD_JS = `
"use strict";
// ---- pure formatting (no DOM) ----
const HISTORY_SHOWN = 10;
const MAX_VIOLATIONS_SHOWN = 100;
const LABELS = { livenessTimeouts: "liveness timeouts", lagMs: "lag (ms)" };
const fmt = (n) => Number(n).toLocaleString("en-US", { maximumFractionDigits: 1 });
/** Milliseconds since the epoch as the UTC time of day, HH:MM:SS.mmm. */
function wallText(ms) {
  const d = new Date(ms);
  return isNaN(d.getTime()) ? String(ms) : d.toISOString().slice(11, 23);
}
const hlcText = (h) => h ? wallText(h.wall) + " +" + h.logical : "-";
function hlcTitle(h) {
  if (!h) return "";
  const d = new Date(h.wall);
  return "HLC wall " + h.wall + " ms" + (isNaN(d.getTime()) ? "" : " (" + d.toISOString() + ")") + ", logical " + h.logical;
}
function valueText(v) {
  if (v !== null && typeof v === "object") {
    return "{" + Object.entries(v).map(([k, x]) => k + ": " + valueText(x)).join(", ") + "}";
  }
  return String(v);
}
const stateText = (s) => Object.entries(s).map(([k, v]) => k + "=" + valueText(v)).join(" ");
const callText = (e) => e.action + "(" + Object.entries(e.args).map(([k, v]) => k + "=" + valueText(v)).join(", ") + ")";
function noteText(e) {
  const verdict = e.verdict === "ok" ? "" : "[" + e.verdict + (e.verdictDetail ? ": " + e.verdictDetail : "") + "]";
  return [verdict, e.late ? "(late)" : ""].filter(Boolean).join(" ");
}
const sameHlc = (a, b) => a.wall === b.wall && a.logical === b.logical;
/** Index in v.history of the event after which the property failed (-1: none). */
function failingIndex(v) {
  for (let i = v.history.length - 1; i >= 0; i--) if (sameHlc(v.history[i], v.at)) return i;
  return v.kind === "invariant" ? v.history.length - 1 : -1;
}
/** First history index shown: the newest HISTORY_SHOWN, always including the failing event. */
function historyStart(v, fail) {
  const start = Math.max(0, v.history.length - HISTORY_SHOWN);
  return fail >= 0 && fail < start ? fail : start;
}
const failLabel = (v) => v.kind === "invariant" ? "\\u2190 invariant fails here" : "\\u2190 deadline passed here";
/**
 * What a handed-over alert says about where it comes from (null for the others): the member that
 * held it when it lost the partition's lease, and when (UTC).
 */
function handedOverText(v) {
  const h = v.handedOver;
  if (!h || typeof h !== "object") return null;
  return "handed over by " + h.from + " (lease lost " + utcText(h.lostAt) + ")";
}
/** Milliseconds since the epoch as a UTC date and time with milliseconds. */
function utcText(ms) {
  const d = new Date(ms);
  return isNaN(d.getTime()) ? String(ms) : d.toISOString().slice(0, 23).replace("T", " ") + " UTC";
}
function sortPartitions(parts) {
  const rank = { violated: 0, mixed: 1, unknown: 2, ok: 3 };
  return parts.map((p, i) => [p, i]).sort((a, b) => rank[a[0].status] - rank[b[0].status] || a[1] - b[1]).map((x) => x[0]);
}

// ---- rates over time (pure) ----
const PALETTE = ["#58a6ff", "#3fb950", "#d29922", "#f778ba", "#a5d6ff", "#ff7b72", "#d2a8ff", "#7ee787"];
const OTHERS_COLOR = "#8b949e";
const PLOT_W = 300;
const PLOT_H = 60;
/** One line per node, the busiest of the window first (at most top), the rest summed in "others". */
function nodeSeries(samples, top) {
  const peak = new Map();
  for (const s of samples) for (const [n, r] of Object.entries(s.nodes)) peak.set(n, Math.max(peak.get(n) || 0, r));
  const names = [...peak.keys()].sort((a, b) => peak.get(b) - peak.get(a) || (a < b ? -1 : 1)).slice(0, top);
  const shown = new Set(names);
  // A node missing from a sample had no event, unless the sample summed some nodes in others.
  const series = names.map((name) => ({ name, values: samples.map((s) => name in s.nodes ? s.nodes[name] : s.otherNodes === 0 ? 0 : null) }));
  const others = samples.map((s) => s.others + Object.entries(s.nodes).reduce((t, [n, r]) => t + (shown.has(n) ? 0 : r), 0));
  if (others.some((v) => v > 0)) series.push({ name: "others", values: others, color: OTHERS_COLOR });
  return series;
}
/** One line per refusal reason seen in the window (0 where a sample has none). */
function refusedSeries(samples) {
  const reasons = [...new Set(samples.flatMap((s) => Object.keys(s.refused)))].sort();
  return reasons.map((name) => ({ name, values: samples.map((s) => s.refused[name] || 0) }));
}
/** The top of a plot's y axis: 1, 2 or 5 times a power of ten, at least the largest value. */
function niceMax(m) {
  if (!(m > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(m)));
  for (const k of [1, 2, 5]) if (k * p >= m) return k * p;
  return 10 * p;
}
/** x of each sample in a plot: the newest at the right edge, spanMs across. */
function sampleXs(samples, spanMs) {
  const last = samples[samples.length - 1].at;
  return samples.map((s) => PLOT_W - (last - s.at) / spanMs * PLOT_W);
}
/** An SVG path through the values (y 0 at the bottom, max at the top); null breaks the line. */
function pathD(xs, values, max) {
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || v === undefined) { pen = false; return; }
    d += (pen ? "L" : "M") + xs[i].toFixed(1) + "," + (PLOT_H - v / max * PLOT_H).toFixed(2);
    pen = true;
  });
  return d;
}
/** Adds samples to a window, by sample number, keeping the newest capacity. */
function mergeSamples(have, add, capacity) {
  const bySeq = new Map(have.map((s) => [s.seq, s]));
  for (const s of add) bySeq.set(s.seq, s);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-capacity);
}

// ---- DOM ----
const $ = (id) => document.getElementById(id);
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v);
  for (const k of kids) if (k !== null && k !== undefined && k !== false && k !== "") e.append(k instanceof Node ? k : String(k));
  return e;
}
const badge = (s) => el("span", { class: "badge " + s }, s);
const ago = (ms) => { const s = Math.max(0, (Date.now() - ms) / 1000); return s < 60 ? s.toFixed(1) + " s ago" : Math.round(s / 60) + " min ago"; };
const hlcCell = (h) => el("td", { class: "hlc", title: hlcTitle(h) }, hlcText(h));
const num = (n) => el("td", { class: "num" }, fmt(n));
function table(head, rows, empty, cls) {
  if (rows.length === 0) return el("p", { class: "empty" }, empty);
  return el("table", { class: cls }, el("tr", {}, ...head.map((h) => el("th", {}, h))), ...rows);
}
/** The spec versions a node runs: name, short hash, and "(old)" when the collector serves a newer one. */
const versionText = (n) => (n.versions || []).map((v) => v.specName + " " + v.spec.slice(0, 12) + (v.current ? "" : " (old)")).join(", ");
/** Why a partition is mixed: one line per participant whose state does not convert. */
const mixedText = (p) => (p.mixed || []).map((m) => m.node + ": " + m.reason).join("\\n");
function renderNodes(nodes) {
  const rows = nodes.map((n) => el("tr", {}, el("td", { class: "node" }, n.node), el("td", { title: n.boot }, n.boot.slice(0, 8)),
    el("td", { class: "version", title: (n.versions || []).map((v) => v.spec).join("\\n") }, versionText(n)),
    el("td", {}, ago(n.lastSeenAt)), num(n.rate), num(n.events), num(n.duplicates), num(n.late), num(n.openHoles), num(n.partitions)));
  $("nodes").replaceChildren(table(["node", "boot", "version", "last seen", "events/s", "events", "duplicates", "late", "open holes", "partitions"], rows, "No node has sent events yet"));
}
const statusKids = (status, incomplete) => [badge(status), incomplete ? " incomplete" : ""];
function renderPartitions(parts, count) {
  const rows = sortPartitions(parts).map((p) => el("tr", { "data-id": p.id }, el("td", {}, p.id),
    el("td", { class: "status", title: mixedText(p) || null }, ...statusKids(p.status, p.incomplete)), el("td", {}, p.participants.map((c) => c.node).join(", ")),
    el("td", { class: "vname" }, p.violated || ""), el("td", { class: "num nviol" }, fmt(p.violations)),
    num(p.applied), num(p.buffered), hlcCell(p.lastApplied)));
  $("partitions").replaceChildren(table(["partition", "status", "participants", "violated now", "violations", "applied", "buffered", "last HLC (UTC)"], rows, "No partition yet"));
  $("pcount").textContent = count > parts.length ? "(" + parts.length + " of " + count + ", worst first)" : "";
}
let counters = {};
function renderCounters() {
  $("counters").replaceChildren(...Object.entries(counters).map(([k, v]) => el("span",
    { class: (k === "violations" || k === "livenessTimeouts") && v > 0 ? "alarm" : null }, (LABELS[k] || k) + " ", el("b", {}, fmt(v)))));
}
let rateWindow = { capacity: 600, topNodes: 8, samples: [] };
const SVG_NS = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
function lastValue(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}
function plotView(id, title, series, xs) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null))));
  const svg = svgEl("svg", { viewBox: "0 0 " + PLOT_W + " " + PLOT_H, preserveAspectRatio: "none", role: "img", "aria-label": title, "data-max": max });
  svg.append(svgEl("line", { class: "axis", x1: 0, y1: PLOT_H, x2: PLOT_W, y2: PLOT_H }));
  const color = (s, i) => s.color || PALETTE[i % PALETTE.length];
  series.forEach((s, i) => svg.append(svgEl("path", { d: pathD(xs, s.values, max), stroke: color(s, i), "data-series": s.name })));
  const legend = series.length === 0 ? [el("span", { class: "empty" }, "none")] : series.map((s, i) => {
    const v = lastValue(s.values);
    return el("span", {}, el("i", { style: "background:" + color(s, i) }), s.name + " " + (v === null ? "-" : fmt(v)));
  });
  return el("figure", { id }, el("figcaption", {}, title, el("small", {}, " (scale 0 to " + fmt(max) + ")")), svg, el("div", { class: "legend" }, ...legend));
}
function renderRates() {
  const samples = rateWindow.samples;
  if (samples.length === 0) {
    $("rates").replaceChildren(el("p", { class: "empty" }, "No sample yet"));
    return;
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const span = Math.max(30000, last.at - first.at + first.dtMs);
  const xs = sampleXs(samples, span);
  $("rates").replaceChildren(
    plotView("plot-events", "events/s per node", nodeSeries(samples, rateWindow.topNodes), xs),
    plotView("plot-refused", "refused batches/s", refusedSeries(samples), xs),
    plotView("plot-lag", "ingest lag (s)", [{ name: "lag", values: samples.map((s) => s.lagSeconds) }], xs),
    plotView("plot-violations", "violations per interval (" + fmt(last.violationsTotal) + " in all)",
      [{ name: "violations", values: samples.map((s) => s.violations) }], xs));
  $("rspan").textContent = "(last " + Math.round(span / 1000) + " s)";
}
/** A window from /api/rates: replaces (boot, reset) or is merged with (a reconnection) what the page holds. */
function setRates(w, replace) {
  const samples = replace ? w.samples : mergeSamples(rateWindow.samples, w.samples, w.capacity);
  rateWindow = { capacity: w.capacity, topNodes: w.topNodes, samples };
  renderRates();
}
function addRate(sample) {
  rateWindow.samples = mergeSamples(rateWindow.samples, [sample], rateWindow.capacity);
  renderRates();
}
function summary(s) { counters = { ...s.counters }; renderCounters(); renderNodes(s.nodes); renderPartitions(s.partitions, s.partitionCount); }
const partitionRow = (specName, key) => document.querySelector('#partitions tr[data-id="' + CSS.escape(specName + "/" + key) + '"]');
/** An alert counts at once; the next summary (sent after it on the same stream) includes it. */
function countAlert(v) {
  counters.violations = (counters.violations || 0) + 1;
  if (v.kind === "liveness_timeout") counters.livenessTimeouts = (counters.livenessTimeouts || 0) + 1;
  renderCounters();
  const row = partitionRow(v.specName, v.partition);
  if (!row) return;
  row.querySelector(".status").replaceChildren(...statusKids("violated", v.incomplete));
  if (v.kind === "invariant") row.querySelector(".vname").textContent = v.property.name;
  const n = row.querySelector(".nviol");
  n.textContent = fmt(Number(n.textContent.replace(/,/g, "")) + 1);
}
function setStatus(ev) {
  const row = partitionRow(ev.partition.specName, ev.partition.key);
  if (row) row.querySelector(".status").replaceChildren(...statusKids(ev.status, ev.incomplete));
}
function cleared(ev) {
  const row = partitionRow(ev.partition.specName, ev.partition.key);
  if (row && row.querySelector(".vname").textContent === ev.name) row.querySelector(".vname").textContent = "";
}

// ---- violations ----
function cutView(v, failing) {
  const rows = v.cut.map((c) => {
    const inv = v.nodes.includes(c.node);
    const events = c.lastEvents.map((e) => el("div", { class: failing && sameHlc(e, failing) && e.node === failing.node ? "fail" : null, title: hlcTitle(e) },
      "#" + e.seq + " " + hlcText(e) + " " + callText(e) + (noteText(e) ? " " + noteText(e) : "")));
    return el("tr", { class: inv ? "involved" : null }, el("td", { class: "node" }, el("span", { class: "mark" }, inv ? "*" : ""), c.node),
      el("td", { class: "num" }, c.seq), hlcCell(c), el("td", { class: "state" }, stateText(c.state)), el("td", { class: "events" }, ...events));
  });
  return table(["node", "seq", "HLC (UTC)", "state", "last events"], rows, "empty cut", "cut");
}
function historyRow(v, e, fail) {
  return el("tr", { class: fail ? "fail" : null }, el("td", { class: "node" + (v.nodes.includes(e.node) ? " inv" : "") }, e.node),
    el("td", { class: "num" }, "#" + e.seq), hlcCell(e), el("td", { class: "call" }, callText(e)), el("td", { class: "note" }, noteText(e), fail ? failLabel(v) : ""));
}
function historyView(v) {
  const fail = failingIndex(v);
  const start = historyStart(v, fail);
  const rows = v.history.slice(start).map((e, i) => historyRow(v, e, start + i === fail));
  if (start > 0) {
    const more = el("button", { type: "button" }, start + " earlier event" + (start === 1 ? "" : "s") + " (show)");
    const moreRow = el("tr", { class: "more" }, el("td", { colspan: 5 }, more));
    more.onclick = () => moreRow.replaceWith(...v.history.slice(0, start).map((e) => historyRow(v, e, false)));
    rows.unshift(moreRow);
  }
  return table(["node", "seq", "HLC (UTC)", "event", ""], rows, "(none)", "history");
}
function whenText(v, fail) {
  const after = fail ? " after " + fail.node + " #" + fail.seq + " " + callText(fail) : "";
  return (v.kind === "invariant" ? "Fails" : "Timed out") + after + " at ";
}
function violationBody(v) {
  const p = v.property;
  const fail = v.history[failingIndex(v)];
  return el("div", { class: "body" },
    el("p", { class: "rule" }, "Spec " + v.specName + ", line " + p.line + ":" + p.column + ": ", p.detail ? el("code", {}, p.detail) : p.item + " " + p.name),
    el("p", {}, whenText(v, fail), el("span", { class: "hlc", title: hlcTitle(v.at) }, hlcText(v.at)),
      v.deadline !== undefined ? " (deadline " + wallText(v.deadline) + ")" : "", "; detected " + wallText(v.detectedAt) + " UTC"),
    v.incomplete ? el("p", { class: "warn" }, "Incomplete: a participant's stream had a hole, the cut may be stale.") : "",
    v.causal ? diagramView(v) : "",
    el("h3", {}, "Nodes' states at the violation ", el("small", {}, "(* = involved)")), cutView(v, fail),
    el("h3", {}, "Causal history ", el("small", {}, "(merged, oldest first)")), historyView(v));
}
/** Keeps only drawing: no script, no foreign content, no event handler, no link out of the document. */
function drawingOnly(root) {
  for (const e of [root, ...root.querySelectorAll("*")]) {
    if (/^(script|foreignObject|iframe|a|use|image|animate|set)$/i.test(e.localName)) { e.remove(); continue; }
    for (const a of [...e.attributes]) if (/^on/i.test(a.name) || /href$/i.test(a.name)) e.removeAttribute(a.name);
  }
  return root;
}
/** The collector's SVG of the violation's causal evidence, fetched and inlined (parsed as XML, not as HTML). */
function diagramView(v) {
  const box = el("figure", { class: "diagram", "data-verdict": v.causal.verdict }, el("p", { class: "loading" }, "Loading the space-time diagram..."));
  fetch("api/violations/" + encodeURIComponent(v.id) + "/diagram.svg").then(async (r) => {
    if (!r.ok) throw new Error("HTTP " + r.status);
    const doc = new DOMParser().parseFromString(await r.text(), "image/svg+xml");
    const root = doc.documentElement;
    if (root.localName !== "svg" || doc.querySelector("parsererror")) throw new Error("not an SVG document");
    box.replaceChildren(document.importNode(drawingOnly(root), true));
  }).catch((e) => box.replaceChildren(el("p", { class: "warn" }, "Space-time diagram unavailable: " + e.message)));
  return el("div", {}, el("h3", {}, "Space-time diagram ", el("small", {},
    "(" + v.causal.verdict + " violated, clock skew bound " + v.causal.maxSkewMs + " ms; lanes are nodes, arrows messages, the dashed line the violating cut)")), box);
}
function violationView(v) {
  const p = v.property;
  const d = el("details", { id: "v-" + v.id, "data-detected": v.detectedAt },
    el("summary", { title: v.message }, badge(v.kind === "invariant" ? "violated" : "timed out"), " ",
      v.causal ? el("span", { class: "badge " + v.causal.verdict, title: v.causal.verdict + " violated, clock skew bound " + v.causal.maxSkewMs + " ms" }, v.causal.verdict) : "",
      v.causal ? " " : "", p.item + " ", el("b", {}, p.name),
      el("span", { class: "where" }, " line " + p.line + ":" + p.column + " · " + v.partition + " · " + v.nodes.join(", ") +
        (v.incomplete ? " · incomplete" : "") + " · " + hlcText(v.at))));
  const build = () => { if (!d.querySelector(".body")) d.append(violationBody(v)); };
  d.querySelector("summary").addEventListener("click", () => { d.dataset.user = "1"; build(); });
  d.build = build;
  return d;
}
const shown = new Set();
/** Inserts newest first; opens the newest and closes the one it opened before (unless the user toggled it). */
function addViolation(v) {
  if (shown.has(v.id)) return;
  shown.add(v.id);
  const box = $("violations");
  box.querySelector(".empty")?.remove();
  const view = violationView(v);
  const after = [...box.children].find((c) => Number(c.dataset.detected) < v.detectedAt);
  box.insertBefore(view, after || null);
  while (box.children.length > MAX_VIOLATIONS_SHOWN) box.lastElementChild.remove();
  for (const c of box.children) {
    if (c.dataset.user) continue;
    if (c === box.firstElementChild) { c.build(); c.open = true; } else c.open = false;
  }
  const n = box.children.length;
  $("vcount").textContent = "(" + (shown.size > n ? "newest " + n + " of " + shown.size : n) + ")";
}
async function getJson(path) {
  const r = await fetch(path);
  if (r.status === 401) throw new Error("no read token: open /?token=<read token> once");
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}
async function loadViolations() {
  const vs = await getJson("api/violations");
  for (const v of vs) addViolation(v);
  const box = $("violations");
  if (box.children.length === 0 || box.querySelector(".empty")) box.replaceChildren(el("p", { class: "empty" }, "No violation"));
}
/** Fetches what the page shows: at boot, and after a reset (the stream could not replay what was missed). */
async function refetch() {
  const [s, r] = await Promise.all([getJson("api/summary"), getJson("api/rates"), loadViolations()]);
  summary(s);
  setRates(r, true);
}
async function boot() {
  await refetch();
  const es = new EventSource("api/events/stream");
  let opened = false;
  es.onopen = () => {
    $("conn").textContent = "live";
    // A reconnection resumes from Last-Event-ID (or gets a reset): only the first open refetches.
    if (!opened) { opened = true; loadViolations().catch(showError); }
    // Rate samples are not replayed: each connection merges the window it missed.
    getJson("api/rates").then((w) => setRates(w, false)).catch(showError);
  };
  es.onerror = () => { $("conn").textContent = "reconnecting..."; };
  es.addEventListener("reset", () => refetch().catch(showError));
  es.addEventListener("summary", (e) => summary(JSON.parse(e.data)));
  es.addEventListener("violation", (e) => { const v = JSON.parse(e.data); countAlert(v); addViolation(v); });
  es.addEventListener("rates", (e) => addRate(JSON.parse(e.data)));
  es.addEventListener("status", (e) => setStatus(JSON.parse(e.data)));
  es.addEventListener("violation_cleared", (e) => cleared(JSON.parse(e.data)));
}

// ---- deployment (partitioned collectors) ----
const CLUSTER_REFRESH_MS = 3000;
const MAX_CLUSTER_VIOLATIONS_SHOWN = 200;
/** Partition -> the member running it, from every reachable member's own answer. */
function runningBy(view) {
  const by = new Map();
  for (const c of view.collectors) for (const o of c.owned) by.set(o.partition, c.id);
  return by;
}
function clusterMembers(view) {
  const rows = view.collectors.map((c) => el("tr", { "data-member": c.id },
    el("td", { class: "node" }, c.id, c.id === view.self ? " (this one)" : ""),
    el("td", {}, c.url ? el("a", { href: c.url + "/" }, c.url) : "-"),
    el("td", { class: "owned" }, c.owned.map((o) => o.partition).join(", ") || "none"),
    num(c.owned.reduce((t, o) => t + o.applied, 0)), num(c.violations.length),
    el("td", { class: c.error ? "warn" : null }, c.error ? "unreachable: " + c.error : "ok")));
  return table(["instance", "address", "partitions owned", "applied", "violations", "state"], rows, "No member registered", "members");
}
function clusterOwnership(view) {
  const running = runningBy(view);
  const rows = view.ownership.map((o) => el("tr", { "data-partition": o.partition }, el("td", { class: "num" }, o.partition),
    el("td", { class: "owner" + (o.owner ? "" : " warn") }, o.owner || "free"), el("td", { class: "standby" }, o.standby || "-"),
    el("td", {}, running.get(o.partition) || "-"),
    el("td", { class: "dim" }, o.owner !== o.desired ? "moving to " + (o.desired || "-") : "")));
  return table(["partition", "owner (lease)", "standby", "running on", ""], rows, "No partition", "ownership");
}
function clusterViolation(v) {
  const p = v.property;
  const handed = handedOverText(v);
  const d = el("details", { "data-id": v.id, "data-member": v.raisedBy, "data-handed-from": handed ? v.handedOver.from : null },
    el("summary", { title: v.message }, badge(v.kind === "invariant" ? "violated" : "timed out"), " ",
      v.causal ? el("span", { class: "badge " + v.causal.verdict }, v.causal.verdict) : "", v.causal ? " " : "",
      handed ? el("span", { class: "badge handed", title: handed }, "handed over") : "", handed ? " " : "",
      p.item + " ", el("b", {}, p.name),
      el("span", { class: "where" }, " · " + v.partition + " · partition " + v.streamPartition +
        (handed ? " · routed by " + v.raisedBy + " · " + handed : " · raised by " + v.raisedBy) +
        " · " + v.nodes.join(", ") + " · " + hlcText(v.at))));
  d.querySelector("summary").addEventListener("click", () => {
    if (d.querySelector(".body")) return;
    const body = el("div", { class: "body" }, el("p", {}, v.message));
    if (handed) {
      body.append(el("p", { class: "handed-note" }, "Held by " + v.handedOver.from + " when it lost the partition's lease (" +
        utcText(v.handedOver.lostAt) + "), handed over to " + v.raisedBy + ", which did not raise it itself and routed this copy."));
    }
    if (v.diagram) {
      const doc = new DOMParser().parseFromString(v.diagram, "image/svg+xml");
      const root = doc.documentElement;
      body.append(root.localName === "svg" && !doc.querySelector("parsererror")
        ? el("figure", { class: "diagram" }, document.importNode(drawingOnly(root), true))
        : el("p", { class: "warn" }, "Space-time diagram unavailable: not an SVG document"));
    }
    d.append(body);
  });
  return d;
}
function renderCluster(view) {
  let box = $("deployment");
  if (!box) {
    box = el("section", { id: "deployment" });
    const rates = $("rates").previousElementSibling;
    rates.before(el("h2", {}, "Deployment ", el("small", { id: "dcount" })), box);
  }
  const open = new Set([...box.querySelectorAll("details[open]")].map((d) => d.dataset.id));
  const vs = view.violations.slice().sort((a, b) => b.detectedAt - a.detectedAt).slice(0, MAX_CLUSTER_VIOLATIONS_SHOWN);
  const list = vs.length === 0 ? el("p", { class: "empty" }, "No violation") : el("div", { class: "cviolations" }, ...vs.map((v) => {
    const d = clusterViolation(v);
    if (open.has(v.id)) { d.querySelector("summary").click(); d.open = true; }
    return d;
  }));
  box.replaceChildren(
    el("h3", {}, "Members"), clusterMembers(view),
    el("h3", {}, "Ownership"), clusterOwnership(view),
    el("h3", {}, "Violations ", el("small", {}, "(every member, merged" +
      (view.violations.length > vs.length ? "; newest " + vs.length + " of " + view.violations.length : "") + ")")), list);
  $("dcount").textContent = "(" + view.members.length + " members, " + view.partitions + " partitions, " +
    fmt(view.totals.applied) + " events applied, " + view.totals.violations + " violations; answered by " + view.self +
    ", " + new Date().toISOString().slice(11, 19) + " UTC)";
}
/** Shows the deployment when this collector is a member of one (404: a single collector, nothing to show). */
async function loadCluster() {
  const r = await fetch("api/cluster");
  if (r.status === 404) return false;
  if (r.status === 401) throw new Error("no read token: open /?token=<read token> once");
  if (!r.ok) throw new Error("api/cluster: HTTP " + r.status);
  renderCluster(await r.json());
  return true;
}
async function followCluster() {
  if (!(await loadCluster())) return;
  setInterval(() => loadCluster().catch(showError), CLUSTER_REFRESH_MS);
}
function showError(e) { $("conn").textContent = "error: " + e.message; }
if (typeof document !== "undefined") followCluster().catch(showError);
if (typeof document !== "undefined") boot().catch(showError);
`;
