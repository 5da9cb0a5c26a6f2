/**
 * The HTML report of a replay (`vigil replay --html report.html`): one
 * self-contained page (its stylesheet inline, no script, nothing fetched)
 * with the summary, then each listed violation with its message, the log
 * lines that led to it, the cut and, for a global violation whose causal
 * evidence was recorded (the logs carry message ids or stamps), the
 * space-time diagram the dashboard draws (`edge/diagram/space_time_svg.ts`),
 * inline. Unmapped, out-of-window lines and unknown partitions follow.
 *
 * Everything taken from the logs (node ids, keys, actions, arguments, file
 * names) is escaped; the page reads the same in any browser and as a file
 * attached to a ticket.
 *
 * @module
 */
import { escapeXml, renderSpaceTime } from "../diagram/space_time_svg.ts";
import type { ReplayReport, ReplayViolation } from "./report_types.ts";
import { show, stepCall } from "./report.ts";

/**
 * Options of {@link replayReportHtml}.
 *
 * @example A report titled after the run, showing at most 5 items per list
 * ```ts
 * import assert from "node:assert/strict";
 * import { type HtmlReportOptions, replayReportHtml } from "./report_html.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const line = JSON.stringify({ host: "api-1", lock: "l1", ts: 1, event: "release", args: { c: 1 } });
 * const report = await replay([{ name: "a.log", stream: new Blob([line]).stream() }], { specs: [spec], mapping });
 * const options: HtmlReportOptions = { title: "Nightly replay", maxShown: 5 };
 * assert.match(replayReportHtml(report, options), /<title>Nightly replay<\/title>/);
 * ```
 */
export interface HtmlReportOptions {
  /** The page's title. Default `Vigil replay report`. */
  readonly title?: string;
  /** Items shown per list (violations, unmapped lines, ...); the summary counts all. Default 100. */
  readonly maxShown?: number;
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 1.5rem 2rem; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
table { border-collapse: collapse; margin: .3rem 0; } th, td { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { color: #57606a; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
section.violation { border: 1px solid #d0d7de; border-radius: 6px; padding: .2rem 1rem 1rem; margin: 1rem 0; }
section.violation h3.message { color: #cf222e; }
tr.at td { background: #ffebe9; } .note { color: #9a6700; } .dim { color: #57606a; }
figure.diagram { margin: .5rem 0; overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; }
figure.diagram figcaption { padding: .3rem .6rem; color: #57606a; font-size: .9em; }
figure.diagram svg { display: block; }
`;

const esc = escapeXml;

function table(head: readonly string[], rows: readonly string[]): string {
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>\n${
    rows.join("\n")
  }</table>`;
}

function summaryTable(r: ReplayReport): string {
  const s = r.summary;
  const kinds = Object.entries(s.byKind).map(([k, n]) => `${n} ${k}`).join(", ");
  const rows: [string, string | number][] = [
    ["files", s.files],
    ["lines", s.lines],
    ["mapped", s.mapped],
    ["filtered", s.filtered],
    ["unmapped", s.unmapped],
    ["blank", s.blank],
    ["out of the reorder window", s.outOfWindow],
    ["missing by sequence number", s.sequenceGaps],
    ["dependencies between nodes", s.dependencies],
    ["messages received whose send was not read in time", s.unmatchedReceives],
    ["events checked", s.events],
    ["instances", s.instances],
    [
      "partitions",
      `${s.partitions} (${s.partitionsOk} ok, ${s.partitionsViolated} violated, ${s.partitionsUnknown} unknown)`,
    ],
    ["violations", `${s.violations}${kinds === "" ? "" : ` (${kinds})`}`],
  ];
  return `<table class="summary">\n${
    rows.map(([k, v]) =>
      `<tr><th>${esc(k)}</th><td class="${typeof v === "number" ? "num" : ""}" data-field="${
        esc(k)
      }">${esc(String(v))}</td></tr>`
    ).join("\n")
  }</table>`;
}

function linesTable(v: ReplayViolation): string {
  const at = v.at === null ? null : `${v.at.file}:${v.at.line}`;
  const rows = v.lines.map((l, i) => {
    const where = `${l.file}:${l.line}`;
    const isAt = where === at && i === v.lines.length - 1;
    return `<tr${isAt ? ' class="at"' : ""}><td class="mono">${esc(where)}</td><td>${
      esc(l.node)
    }</td><td class="num">#${l.seq}</td><td class="mono">${esc(stepCall(l))}</td><td>${
      esc(
        [l.verdict ?? "", l.late ? "(late)" : "", isAt ? "\u2190 violating line" : ""]
          .filter((x) => x !== "").join(" "),
      )
    }</td></tr>`;
  });
  return table(["line", "node", "seq", "step", ""], rows);
}

function cutTable(v: ReplayViolation): string {
  const rows = (v.cut ?? []).map((c) =>
    `<tr><td>${esc(c.node)}${v.nodes.includes(c.node) ? " *" : ""}</td><td class="mono">${
      c.at === null ? "" : esc(`${c.at.file}:${c.at.line}`)
    }</td><td class="mono">${esc(show(c.state))}</td></tr>`
  );
  return table(["node (* involved)", "from line", "state"], rows);
}

function diagram(v: ReplayViolation, n: number): string {
  if (v.causal === undefined) {
    return v.scope === "global" && v.kind === "invariant"
      ? `<p class="dim">No space-time diagram: no causal evidence was recorded for this violation.</p>`
      : "";
  }
  const title = `${v.specName} ${v.property.item} in '${v.key}'`;
  const svg = renderSpaceTime(v.causal, { title, idPrefix: `v${n}` });
  return `<figure class="diagram">${svg}<figcaption>Space-time diagram: one lane per node, events in clock order, messages as arrows, the violating cut dashed; ${
    esc(v.causal.verdict)
  } violated under a clock skew bound of ${v.causal.maxSkewMs} ms.</figcaption></figure>`;
}

function violationSection(v: ReplayViolation, n: number): string {
  const notes = [
    v.outOfWindow ? "the violating line was out of the reorder window" : "",
    v.incomplete ? "a participant had unmapped lines: the verdict may rest on a hole" : "",
  ].filter((x) => x !== "");
  const parts = [
    `<section class="violation" id="v${n}" data-scope="${v.scope}" data-kind="${
      esc(v.kind)
    }" data-nodes="${esc(v.nodes.join(","))}">`,
    `<h3 class="message">${n}. ${esc(v.message)}</h3>`,
    `<p>${esc(v.scope === "global" ? "Across nodes" : "One instance")}, ${esc(v.kind)}: <code>${
      esc(v.property.item)
    }</code>${v.property.detail === "" ? "" : `: <code>${esc(v.property.detail)}</code>`} (spec ${
      esc(v.specName)
    }, line ${v.property.line}:${v.property.column}); key <code>${esc(v.key)}</code>; nodes ${
      esc(v.nodes.join(", "))
    }${v.at === null ? "" : `; at <code>${esc(`${v.at.file}:${v.at.line}`)}</code>`}</p>`,
    ...notes.map((x) => `<p class="note">Note: ${esc(x)}</p>`),
    ...(v.divergences ?? []).map((d) =>
      `<p class="mono">${
        esc(`${d.variable}: spec ${show(d.expected)}, observed ${show(d.actual)}`)
      }</p>`
    ),
    v.before === undefined ? "" : `<p>State before: <code>${esc(show(v.before))}</code></p>`,
    diagram(v, n),
    `<h3>${v.scope === "local" ? "Lines of this instance" : "Merged history"}</h3>`,
    linesTable(v),
    v.cut === undefined ? "" : `<h3>Cut (each node's latest state)</h3>${cutTable(v)}`,
    `</section>`,
  ];
  return parts.filter((p) => p !== "").join("\n");
}

function more(total: number, shown: number, what: string): string {
  return total > shown
    ? `<p class="dim">... and ${total - shown} more ${esc(what)} (see the JSON report)</p>`
    : "";
}

/**
 * Writes a replay report as one self-contained HTML page: the summary, each
 * violation with its lines, cut and (when its causal evidence was recorded)
 * its space-time diagram inline as SVG.
 *
 * @example A split brain found in two nodes' logs
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * import { replayReportHtml } from "./report_html.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (host: string, ts: number, c: number) =>
 *   new Blob([JSON.stringify({ host, lock: "l1", ts, event: "acquire", args: { c } }) + "\n"]).stream();
 * const report = await replay(
 *   [{ name: "a.log", stream: log("api-1", 1000, 1) }, { name: "b.log", stream: log("api-2", 1001, 2) }],
 *   { specs: [spec], mapping },
 * );
 * const html = replayReportHtml(report);
 * assert.ok(html.startsWith("<!doctype html>"));
 * assert.equal(html.match(/<section class="violation"/g)?.length, 1);
 * assert.match(html, /OneHolder/);
 * ```
 */
export function replayReportHtml(report: ReplayReport, options: HtmlReportOptions = {}): string {
  const max = options.maxShown ?? 100;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`Option 'maxShown' must be a positive integer, got '${max}'`);
  }
  const title = options.title ?? "Vigil replay report";
  const r = report;
  const s = r.summary;
  const body: string[] = [`<h1>${esc(title)}</h1>`, `<h2>Summary</h2>`, summaryTable(r)];
  if (s.events === 0) {
    body.push(
      `<p class="note">No line was mapped to a step, so nothing was checked (see the mapping).</p>`,
    );
  }
  body.push(`<h2>Violations</h2>`);
  if (r.violations.length === 0) body.push(`<p>No violation.</p>`);
  r.violations.slice(0, max).forEach((v, i) => body.push(violationSection(v, i + 1)));
  body.push(more(s.violations, Math.min(max, r.violations.length), "violations"));
  if (r.unmapped.length > 0) {
    body.push(
      `<h2>Unmapped lines</h2>`,
      table(
        ["line", "reason"],
        r.unmapped.slice(0, max).map((u) =>
          `<tr><td class="mono">${esc(`${u.file}:${u.line}`)}</td><td>${esc(u.reason)}</td></tr>`
        ),
      ),
      more(s.unmapped, Math.min(max, r.unmapped.length), "unmapped lines"),
    );
  }
  if (r.outOfWindow.length > 0) {
    body.push(
      `<h2>Out-of-window lines (processed out of order)</h2>`,
      table(
        ["line", "node", "key", "behind (ms)"],
        r.outOfWindow.slice(0, max).map((l) =>
          `<tr><td class="mono">${esc(`${l.file}:${l.line}`)}</td><td>${esc(l.node)}</td><td>${
            esc(l.key)
          }</td><td class="num">${l.behindMs}</td></tr>`
        ),
      ),
      more(s.outOfWindow, Math.min(max, r.outOfWindow.length), "lines"),
    );
  }
  const unknown = r.partitions.filter((p) => p.status === "unknown");
  if (unknown.length > 0) {
    body.push(
      `<h2>Unknown partitions (lines missing or unmapped)</h2>`,
      table(
        ["partition", "nodes"],
        unknown.slice(0, max).map((p) =>
          `<tr><td>${esc(`${p.specName}/${p.key}`)}</td><td>${esc(p.nodes.join(", "))}</td></tr>`
        ),
      ),
      more(unknown.length, Math.min(max, unknown.length), "partitions"),
    );
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.filter((p) => p !== "").join("\n")}
</body>
</html>
`;
}
