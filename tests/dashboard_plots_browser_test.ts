/**
 * The dashboard's rates over time in headless Chromium (Debian's
 * `/usr/bin/chromium`, driven by `npm:playwright-core`), against the real
 * `vigil collector` with node tokens and a read token. Two nodes post a
 * known number of events, one batch is refused (a node's token used for the
 * other node's batch) and a split brain raises a violation; the page's SVG
 * plots are read back point by point:
 * - the events/s line of each node matches `/api/rates` sample by sample
 *   and integrates (rate times interval) to the events the node posted;
 * - the refusals plot has a `node_mismatch` line integrating to the one
 *   refused batch; the violations plot has the violation; the lag plot has
 *   a point per sample;
 * - events posted later reach the plot live, without a reload.
 *
 * Saves `test-artifacts/dashboard_plots.png`.
 *
 * Without Chromium the test FAILS with the install command (CI installs it).
 */
import assert from "node:assert/strict";
import { launchChromium, requireChromium } from "../tools/harness/chromium.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startTokenCollector } from "../tools/harness/collector_process.ts";
import { sdkLease, TestNode } from "../tools/harness/collector_app_fixture.ts";
import type { RateSample, RateWindow } from "../edge/server/rates.ts";

const READ = "plots-read-token";
/** The plots' SVG height (viewBox units), as the dashboard script draws them. */
const PLOT_H = 60;

/** What the page's plots draw: per figure, the y-axis top and each line's points. */
type Plots = Record<string, { max: number; lines: Record<string, [number, number][]> }>;

/** Runs in the page: reads every plot's SVG paths (no helper of the page's script is used). */
const READ_PLOTS = `(() => {
  const out = {};
  for (const fig of document.querySelectorAll("#rates figure")) {
    const svg = fig.querySelector("svg");
    const lines = {};
    for (const p of svg.querySelectorAll("path")) {
      lines[p.getAttribute("data-series")] = (p.getAttribute("d").match(/[ML][^ML]+/g) || [])
        .map((seg) => seg.slice(1).split(",").map(Number));
    }
    out[fig.id] = { max: Number(svg.getAttribute("data-max")), lines };
  }
  return out;
})()`;

/** A line's values, from its points' heights and the plot's y-axis top. */
const values = (plot: Plots[string], line: string): number[] =>
  (plot.lines[line] ?? []).map(([, y]) => (PLOT_H - y) / PLOT_H * plot.max);

/** Sum of value times interval: the count a per-second line stands for. */
const integral = (vs: readonly number[], samples: readonly RateSample[]) =>
  vs.reduce((n, v, i) => n + v * samples[i]!.dtMs / 1000, 0);

Deno.test({
  name:
    "Dashboard plots events/s per node, refusals, lag and violations from the rates, and updates them live",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await requireChromium();
    const [collector, browser, sdk] = await Promise.all([
      startTokenCollector(READ),
      launchChromium(),
      sdkLease(),
    ]);
    try {
      const rates = async (): Promise<RateWindow> => {
        const res = await fetch(`${collector.base}/api/rates`, {
          headers: { authorization: `Bearer ${READ}` },
        });
        assert.equal(res.status, 200);
        return res.json();
      };
      const newest = async () => (await rates()).samples.at(-1)?.seq ?? 0;
      const post = async (node: TestNode, token: string, status = 202) => {
        const res = await fetch(`${collector.base}/ingest`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/x-msgpack" },
          body: node.take() as Uint8Array<ArrayBuffer>,
        });
        assert.equal(res.status, status, await res.text());
      };
      const wait = { timeoutMs: 20_000, intervalMs: 100 };

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      let navigations = 0;
      page.on("framenavigated", (f) => void (f === page.mainFrame() && navigations++));
      await page.goto(`${collector.base}/?token=${READ}`);
      await page.locator("#conn", { hasText: "live" }).waitFor({ timeout: 15_000 });

      // Nodes that appear after the collector's first sample count from their first event (nodes
      // present at the first sample, as after a restore, start there): wait for it, then one event
      // each, and two samples.
      await waitFor(async () => (await newest()) >= 1, wait);
      const a = new TestNode(sdk, "node-a").step("lock:a-warm", "acquire", { c: 1 });
      const b = new TestNode(sdk, "node-b").step("lock:b-warm", "acquire", { c: 2 });
      await post(a, "tok-a");
      await post(b, "tok-b");
      const warm = await newest();
      await waitFor(async () => (await newest()) >= warm + 2, wait);

      for (let i = 0; i < 30; i++) a.step(`lock:a${i}`, "acquire", { c: 1 });
      await post(a, "tok-a");
      for (let i = 0; i < 10; i++) b.step(`lock:b${i}`, "acquire", { c: 2 });
      await post(b, "tok-b");
      const stray = new TestNode(sdk, "node-b", "stray-boot").step("lock:x", "acquire", { c: 2 });
      await post(stray, "tok-a", 401);
      // A split brain: one event each, one violation.
      await post(a.step("lock:web", "acquire", { c: 1 }), "tok-a");
      await post(b.step("lock:web", "acquire", { c: 2 }), "tok-b");

      // The collector's window holds it all once a sample shows the violation and one more follows.
      const raised = await waitFor(async () => {
        const w = await rates();
        const at = w.samples.findIndex((s) => s.violations > 0);
        return at >= 0 && w.samples.length > at + 1 && w.samples[at + 1]!.seq;
      }, wait);
      const server = await rates();
      const upTo = server.samples.findIndex((s) => s.seq === raised) + 1;
      const samples = server.samples.slice(0, upTo);
      // Every event counts: the warm-up one, the 30 or 10, the split brain's.
      assert.equal(Math.round(integral(samples.map((s) => s.nodes["node-a"] ?? 0), samples)), 32);
      assert.equal(Math.round(integral(samples.map((s) => s.nodes["node-b"] ?? 0), samples)), 12);

      // The page has plotted at least those samples (the lag line has a point per sample).
      const plots = await waitFor(async () => {
        const p: Plots = await page.evaluate(READ_PLOTS);
        return (p["plot-lag"]?.lines.lag?.length ?? 0) >= upTo && p;
      }, wait);
      assert.deepEqual(Object.keys(plots), [
        "plot-events",
        "plot-refused",
        "plot-lag",
        "plot-violations",
      ]);
      const events = plots["plot-events"]!;
      assert.deepEqual(Object.keys(events.lines).sort(), ["node-a", "node-b"]);
      const tolerance = events.max / PLOT_H * 0.02;
      for (const node of ["node-a", "node-b"]) {
        const drawn = values(events, node).slice(0, upTo);
        const want = samples.map((s) => s.nodes[node] ?? 0);
        assert.equal(drawn.length, want.length, node);
        drawn.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= tolerance, `${node} #${i}`));
      }
      assert.equal(Math.round(integral(values(events, "node-a").slice(0, upTo), samples)), 32);
      assert.equal(Math.round(integral(values(events, "node-b").slice(0, upTo), samples)), 12);

      const refused = plots["plot-refused"]!;
      assert.deepEqual(Object.keys(refused.lines), ["node_mismatch"]);
      assert.equal(
        Math.round(integral(values(refused, "node_mismatch").slice(0, upTo), samples)),
        1,
      );
      const violations = values(plots["plot-violations"]!, "violations").slice(0, upTo);
      assert.equal(Math.round(violations.reduce((n, v) => n + v, 0)), 1);
      assert.match(
        await page.locator("#plot-violations figcaption").innerText(),
        /\(1 in all\)/,
      );

      // Live: 20 more events of node-b reach the plot without a reload.
      const pointsBefore = plots["plot-lag"]!.lines.lag!.length;
      for (let i = 0; i < 20; i++) b.step(`lock:c${i}`, "acquire", { c: 2 });
      await post(b, "tok-b");
      const later = await waitFor(async () => {
        const w = await rates();
        const total = integral(w.samples.map((s) => s.nodes["node-b"] ?? 0), w.samples);
        if (Math.round(total) !== 32) return false;
        const p: Plots = await page.evaluate(READ_PLOTS);
        const n = p["plot-events"]?.lines["node-b"]?.length ?? 0;
        return n >= w.samples.length && { w, p };
      }, wait);
      const drawnB = values(later.p["plot-events"]!, "node-b").slice(0, later.w.samples.length);
      assert.equal(Math.round(integral(drawnB, later.w.samples)), 32);
      assert.ok(later.p["plot-lag"]!.lines.lag!.length > pointsBefore);
      assert.equal(navigations, 1, "the page was not reloaded");
      await Deno.mkdir(`${ROOT}test-artifacts`, { recursive: true });
      await page.screenshot({ path: `${ROOT}test-artifacts/dashboard_plots.png`, fullPage: true });
    } finally {
      await browser.close();
      await collector.stop();
    }
  },
});
