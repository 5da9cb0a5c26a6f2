/**
 * The dashboard's script, served at `/dashboard.js` (a string module: no
 * build step). It loads `/api/summary` and `/api/violations`, then follows
 * `/api/events/stream` (Server-Sent Events): `summary` replaces the node and
 * partition tables, `violation` prepends a counterexample, `status` updates a
 * partition's badge. Everything is rendered with DOM text nodes (no HTML
 * from data).
 *
 * @module
 */

/** The script. */
export const DASHBOARD_JS = `
"use strict";
const $ = (id) => document.getElementById(id);
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : String(k));
  return e;
}
const badge = (s) => el("span", { class: "badge " + s }, s);
const ago = (ms) => { const s = Math.max(0, (Date.now() - ms) / 1000); return s < 60 ? s.toFixed(1) + " s ago" : Math.round(s / 60) + " min ago"; };
const hlc = (h) => h ? h.wall + "." + h.logical : "-";
const fmt = (n) => Number(n).toLocaleString("en-US", { maximumFractionDigits: 1 });
function table(head, rows, empty) {
  if (rows.length === 0) return el("p", { class: "empty" }, empty);
  return el("table", {}, el("tr", {}, ...head.map((h) => el("th", {}, h))), ...rows);
}
const statuses = new Map();
function renderNodes(nodes) {
  const rows = nodes.map((n) => el("tr", {}, el("td", {}, n.node), el("td", {}, n.boot.slice(0, 8)),
    el("td", {}, ago(n.lastSeenAt)), el("td", { class: "num" }, fmt(n.rate)), el("td", { class: "num" }, fmt(n.events)),
    el("td", { class: "num" }, fmt(n.duplicates)), el("td", { class: "num" }, fmt(n.late)),
    el("td", { class: "num" }, fmt(n.openHoles)), el("td", { class: "num" }, fmt(n.partitions))));
  $("nodes").replaceChildren(table(["node", "boot", "last seen", "events/s", "events", "duplicates", "late", "open holes", "partitions"], rows, "No node has sent events yet"));
}
function renderPartitions(parts, count) {
  const rows = parts.map((p) => {
    statuses.set(p.id, p.status);
    return el("tr", { "data-id": p.id }, el("td", {}, p.id), el("td", { class: "status" }, badge(p.status), p.incomplete ? " incomplete" : ""),
      el("td", {}, p.participants.map((c) => c.node).join(", ")), el("td", {}, p.violated || ""),
      el("td", { class: "num" }, fmt(p.applied)), el("td", { class: "num" }, fmt(p.buffered)), el("td", {}, hlc(p.lastApplied)));
  });
  $("partitions").replaceChildren(table(["partition", "status", "participants", "violated", "applied", "buffered", "last HLC"], rows, "No partition yet"));
  $("pcount").textContent = count > parts.length ? "(" + parts.length + " of " + count + ")" : "";
}
function renderCounters(c) {
  $("counters").replaceChildren(...Object.entries(c).map(([k, v]) => el("span", {}, k + " ", el("b", {}, fmt(v)))));
}
function eventLine(e) {
  return e.node + " #" + e.seq + " @" + e.wall + "." + e.logical + " " + e.action + JSON.stringify(e.args) +
    (e.verdict === "ok" ? "" : " [" + e.verdict + (e.verdictDetail ? ": " + e.verdictDetail : "") + "]") + (e.late ? " (late)" : "");
}
function violationView(v) {
  const p = v.property;
  const cut = v.cut.map((c) => el("tr", {}, el("td", {}, c.node), el("td", { class: "num" }, c.seq), el("td", {}, c.wall + "." + c.logical),
    el("td", {}, el("pre", {}, JSON.stringify(c.state))), el("td", {}, el("pre", {}, c.lastEvents.map(eventLine).join("\\n")))));
  return el("details", { id: "v-" + v.id },
    el("summary", {}, badge("violated"), " ", p.item + " " + p.name, el("span", { class: "where" }, " line " + p.line + ":" + p.column + " · " + v.partition + " · " + v.nodes.join(", ") + (v.incomplete ? " · incomplete" : ""))),
    el("p", {}, v.message), p.detail ? el("pre", {}, p.detail) : "",
    el("h3", {}, "Cut"), table(["node", "seq", "HLC", "state", "last events"], cut, "empty cut"),
    el("h3", {}, "Causal history"), el("pre", {}, v.history.map(eventLine).join("\\n") || "(none)"));
}
const seen = new Set();
function addViolation(v, top) {
  if (seen.has(v.id)) return;
  seen.add(v.id);
  const box = $("violations");
  box.querySelector(".empty")?.remove();
  const view = violationView(v);
  if (top) box.prepend(view); else box.append(view);
  $("vcount").textContent = "(" + seen.size + ")";
}
function setStatus(ev) {
  const id = ev.partition.specName + "/" + ev.partition.key;
  const cell = document.querySelector('tr[data-id="' + CSS.escape(id) + '"] .status');
  if (cell) cell.replaceChildren(badge(ev.status), ev.incomplete ? " incomplete" : "");
}
function summary(s) { renderNodes(s.nodes); renderPartitions(s.partitions, s.partitionCount); renderCounters(s.counters); }
async function boot() {
  const [s, vs] = await Promise.all([fetch("api/summary").then((r) => r.json()), fetch("api/violations").then((r) => r.json())]);
  summary(s);
  if (vs.length === 0) $("violations").replaceChildren(el("p", { class: "empty" }, "No violation"));
  for (let i = vs.length - 1; i >= 0; i--) addViolation(vs[i], false);
  const es = new EventSource("api/events/stream");
  es.onopen = () => { $("conn").textContent = "live"; };
  es.onerror = () => { $("conn").textContent = "reconnecting..."; };
  es.addEventListener("summary", (e) => summary(JSON.parse(e.data)));
  es.addEventListener("violation", (e) => addViolation(JSON.parse(e.data), true));
  es.addEventListener("status", (e) => setStatus(JSON.parse(e.data)));
}
boot().catch((e) => { $("conn").textContent = "error: " + e.message; });
`;
