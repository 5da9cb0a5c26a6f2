/**
 * The dashboard draws a causal violation as a space-time diagram, in
 * headless Chromium (`tools/harness/chromium.ts`) against the real
 * `vigil collector --causal` (causal verdicts, the default skew bound), fed by
 * three SDK nodes over HTTP (real monitors, node clocks, batchers and the
 * HTTP transport) playing the issue's A/B/C case: A (clock +300 ms) holds
 * and hands the lock to B by a stamped message; C (clock +200 ms, its node
 * id full of markup characters) takes and drops it with no message while
 * B holds it. The violation's detail must show the SVG inline, with one
 * lane per node of its evidence, the handoff arrow, the violating cut
 * line, the verdict and skew bound in its title, and C's id as text, not
 * markup. Saves `test-artifacts/dashboard_diagram.png`.
 *
 * Without Chromium the test FAILS with the install command (CI installs it).
 */
import assert from "node:assert/strict";
import { launchChromium, requireChromium } from "../tools/harness/chromium.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { compiledDir, loadExample } from "../tools/harness/sdk_fixture.ts";
import { startCollectorProcess } from "../tools/harness/collector_process.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { httpTransport } from "../runtime/transports/http.ts";
import type { CausalEvidence } from "../edge/engine/causal/evidence.ts";

const ARTIFACTS = `${ROOT}test-artifacts`;
const READ = "diagram-read-token";
/** C's node id: user data that looks like markup. */
const C = `c<script>"&'`;
const NODES = [["A", "tok-a", 300], ["B", "tok-b", 0], [C, "tok-c", 200]] as const;

/** What Chromium's XML parser made of an SVG. */
interface Parsed {
  readonly errors: number;
  readonly root: string;
  readonly lanes: readonly string[];
  readonly labels: readonly string[];
  readonly actions: readonly string[];
  readonly title?: string;
  readonly foreign: number;
  readonly handlers: number;
}

interface ViolationJson {
  readonly id: string;
  readonly nodes: readonly string[];
  readonly property: { readonly name: string };
  readonly causal?: CausalEvidence;
}

Deno.test({
  name:
    "Dashboard shows a causal violation's space-time diagram inline: a lane per node, the handoff arrow, the cut line",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await requireChromium();
    const [collector, browser, lease] = await Promise.all([
      startCollectorProcess([
        "--window-ms",
        "100",
        "--causal",
        "--spec",
        `${await compiledDir("lease")}/lease.js`,
        ...NODES.flatMap(([id, token]) => ["--token", `${id}=${token}`]),
        "--read-token",
        READ,
      ]),
      launchChromium(),
      loadExample("lease"),
    ]);
    try {
      // Real time of the story, shared by the three skewed clocks.
      const start = Date.now() - 1_400;
      let real = 0;
      const node = (id: string, token: string, skew: number) => {
        const clock = createClock({ now: () => start + real + skew, node: id });
        const batcher = createBatcher(
          httpTransport(`${collector.base}/ingest`, { token }),
          { maxDelayMs: 5 },
        );
        const n = createNode({ id, boot: `${id}-boot`, clock });
        return { batcher, monitor: lease.monitor({ node: n, key: "lock:diagram", sink: batcher }) };
      };
      const [a, b, c] = NODES.map(([id, token, skew]) => node(id, token, skew));
      // The issue's story in real time (ms): A holds [900, 1000] and hands over to B (1001 to
      // 1400); C holds [1120, 1150] with no message.
      real = 900;
      a!.monitor.step("acquire", { c: 1 });
      real = 1_000;
      a!.monitor.step("release", { c: 1 });
      const handoff = a!.monitor.stamp();
      real = 1_001;
      b!.monitor.observe(handoff);
      b!.monitor.step("acquire", { c: 2 });
      real = 1_120;
      c!.monitor.step("acquire", { c: 3 });
      real = 1_150;
      c!.monitor.step("release", { c: 3 });
      real = 1_400;
      b!.monitor.step("release", { c: 2 });
      await Promise.all([a, b, c].map((x) => x!.batcher.close()));

      const context = await browser.newContext({ viewport: { width: 1400, height: 1200 } });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => void pageErrors.push(e.message));
      assert.equal((await page.goto(`${collector.base}/?token=${READ}`))?.status(), 200);
      const violation = page.locator("#violations details", { hasText: "OneHolder" });
      await violation.waitFor({ timeout: 30_000 }).catch(async (e) => {
        const shown = await page.locator("body").innerText();
        throw new Error(`${e.message}\npage errors: ${pageErrors.join("; ")}\n${shown}`);
      });
      // What the collector holds: the evidence the picture must show.
      const res = await page.request.get(`${collector.base}/api/violations`);
      const all = (await res.json()) as ViolationJson[];
      const v = all.find((x) => x.property.name === "OneHolder");
      assert.ok(v?.causal !== undefined, "the violation carries causal evidence");
      const causal = v.causal;
      assert.ok(v.nodes.includes("B") && v.nodes.includes(C), `names B and C: ${v.nodes}`);

      // The list says which verdict it is.
      assert.equal(
        await violation.locator(`summary .badge.${causal.verdict}`).textContent(),
        causal.verdict,
      );
      const figure = violation.locator("figure.diagram");
      await figure.locator("svg").waitFor({ timeout: 15_000 });

      const drawn = await figure.evaluate((f) => {
        const svg = f.querySelector("svg")!;
        const lanes = [...svg.querySelectorAll("g.lane")].map((g) => ({
          node: g.getAttribute("data-node"),
          label: g.querySelector("text.lane-label")?.textContent,
        }));
        return {
          root: svg.namespaceURI + " " + svg.localName,
          title: svg.querySelector("title")?.textContent ?? "",
          lanes,
          events: svg.querySelectorAll("g.event").length,
          messages: [...svg.querySelectorAll("path.message")].map((m) => [
            Number(m.getAttribute("data-from")),
            Number(m.getAttribute("data-to")),
          ]),
          cuts: svg.querySelectorAll("polyline.cut").length,
          cutPoints: svg.querySelector("polyline.cut")?.getAttribute("points") ?? "",
          scripts: svg.querySelectorAll("script").length,
          width: svg.getBoundingClientRect().width,
        };
      });
      assert.equal(drawn.root, "http://www.w3.org/2000/svg svg", "an SVG element, inline");
      assert.deepEqual(drawn.lanes.map((l) => l.node), causal.lanes, "one lane per node");
      assert.deepEqual(drawn.lanes.map((l) => l.label), causal.lanes, "labelled as text");
      assert.ok(drawn.lanes.some((l) => l.node === C), "C's id shown as text");
      assert.equal(drawn.scripts, 0, "no markup from data");
      assert.equal(drawn.events, causal.events.length);
      assert.deepEqual(drawn.messages, causal.messages.map((m) => [m.from, m.to]));
      assert.ok(
        causal.messages.some((m) =>
          causal.events[m.from]!.node === "A" && causal.events[m.to]!.node === "B"
        ),
        "the handoff A -> B is a message",
      );
      assert.equal(drawn.cuts, 1, "the violating cut line");
      assert.equal(drawn.cutPoints.trim().split(/\s+/).length, 2 * causal.cut.length);
      assert.match(
        drawn.title,
        new RegExp(
          `OneHolder in 'lock:diagram': ${causal.verdict} violated \\(clock skew bound ${causal.maxSkewMs} ms\\)`,
        ),
      );
      assert.ok(drawn.width > 100, "it is laid out");
      // The same picture is served alone.
      const alone = await page.request.get(
        `${collector.base}/api/violations/${encodeURIComponent(v.id)}/diagram.svg`,
      );
      assert.equal(alone.status(), 200);
      assert.equal(alone.headers()["content-type"], "image/svg+xml; charset=utf-8");
      assert.ok(!(await alone.text()).includes("<script"));

      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await figure.screenshot({ path: `${ARTIFACTS}/dashboard_diagram.png` });
    } finally {
      await browser.close();
      await collector.stop();
    }
  },
});

Deno.test({
  name:
    "renderSpaceTime's SVG is well-formed XML to Chromium and shows ids full of markup characters as text",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { renderSpaceTime } = await import("../edge/diagram/space_time_svg.ts");
    const hostile = [`<script>alert(1)</script>`, `"&'`, `x]]><img src=x onerror=alert(2)>`];
    const at = (wall: number) => ({ wall, logical: 0 });
    // Hand-built evidence: this checks the renderer's output in a real XML parser, not the engine.
    const evidence: CausalEvidence = {
      verdict: "definitely",
      maxSkewMs: 100,
      lanes: hostile,
      events: hostile.map((node, i) => ({
        index: i,
        node,
        boot: "b",
        seq: i,
        at: at(1_000 + i),
        action: `act<${i}>&"'`,
        concurrent: i > 0,
        inCut: true,
      })),
      messages: [{ from: 0, to: 1 }],
      cut: [0, 1, 2],
    };
    const svg = renderSpaceTime(evidence, { title: `<b>T</b>&"'` });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // Chromium's own XML parser (DOMParser), on the renderer's text.
      const parsed: Parsed = await page.evaluate(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(svg)}, "image/svg+xml");
        const root = doc.documentElement;
        return {
          errors: doc.getElementsByTagName("parsererror").length,
          root: root.localName,
          lanes: [...root.querySelectorAll("g.lane")].map((g) => g.getAttribute("data-node")),
          labels: [...root.querySelectorAll("text.lane-label")].map((t) =>
            [...t.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("")),
          actions: [...root.querySelectorAll("g.in-cut text")].map((t) => t.textContent),
          title: root.querySelector("title")?.textContent,
          foreign: root.querySelectorAll("script, img, foreignObject").length,
          handlers: [...root.querySelectorAll("*")].filter((e) =>
            [...e.attributes].some((a) => a.name.startsWith("on"))).length,
        };
      })()`);
      assert.equal(parsed.errors, 0, "well-formed");
      assert.equal(parsed.root, "svg");
      assert.deepEqual(parsed.lanes, hostile);
      assert.deepEqual(
        parsed.labels,
        hostile.map((h) => h.length > 24 ? `${h.slice(0, 23)}\u2026` : h),
      );
      assert.deepEqual(parsed.actions, hostile.map((_, i) => `act<${i}>&"'`));
      assert.match(
        parsed.title ?? "",
        /^<b>T<\/b>&"': definitely violated \(clock skew bound 100 ms\)$/,
      );
      assert.equal(parsed.foreign, 0);
      assert.equal(parsed.handlers, 0);
    } finally {
      await browser.close();
    }
  },
});
