/**
 * The dashboard at `GET /`: one HTML page with its script and stylesheet
 * (string modules, no build step) that renders rates over time (small
 * plots), nodes, partitions and violations and follows the collector's event stream, so it updates live
 * without a reload.
 *
 * @module
 */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The dashboard page, titled with the served spec names.
 *
 * @example Render the page
 * ```ts
 * import assert from "node:assert/strict";
 * import { dashboardHtml } from "./dashboard.ts";
 * assert.ok(dashboardHtml(["Lease"]).includes("<title>Vigil collector: Lease</title>"));
 * ```
 */
export function dashboardHtml(specNames: readonly string[]): string {
  const title = escapeHtml(`Vigil collector: ${specNames.join(", ")}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="dashboard.css">
</head>
<body>
<h1>${title} <small id="conn">connecting...</small></h1>
<div id="counters"></div>
<h2>Rates <small id="rspan"></small></h2>
<section id="rates"><p class="empty">Loading...</p></section>
<h2>Violations <small id="vcount"></small></h2>
<section id="violations"><p class="empty">Loading...</p></section>
<h2>Partitions <small id="pcount"></small></h2>
<section id="partitions"></section>
<h2>Nodes</h2>
<section id="nodes"></section>
<script src="dashboard.js"></script>
</body>
</html>
`;
}
