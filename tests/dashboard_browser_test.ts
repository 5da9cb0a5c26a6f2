/**
 * The collector's dashboard in headless Chromium (Debian's
 * `/usr/bin/chromium`, driven by `npm:playwright-core`), against the real
 * `vigil demo` in a subprocess: the page shows the three nodes, then the
 * injected split brain's violation with its counterexample arrives live,
 * without a reload. Saves `test-artifacts/dashboard.png`.
 *
 * Without Chromium the test FAILS with the install command (CI installs it).
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startDemo } from "./demo_process.ts";
import { ROOT, specSource } from "./spec_files.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = `${ROOT}test-artifacts`;
const ONE_HOLDER_LINE = specSource("lease").split("\n")
  .findIndex((l) => l.includes("global invariant OneHolder")) + 1;

async function requireChromium(): Promise<void> {
  const found = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
  if (!found) {
    throw new Error(
      `Chromium is missing at '${CHROMIUM}': install it with 'apt-get install -y chromium'`,
    );
  }
}

function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

Deno.test({
  name: "Dashboard shows the nodes, then the split brain's counterexample live without a reload",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await requireChromium();
    // The bug comes late enough for the page to be loaded and showing the nodes first.
    const [demo, browser] = await Promise.all([startDemo(["--bug-after", "10s"]), launch()]);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      let navigations = 0;
      page.on("framenavigated", (f) => void (f === page.mainFrame() && navigations++));
      await page.goto(demo.url);
      await page.evaluate(() => Object.assign(globalThis, { vigilMarker: "loaded once" }));
      for (const node of ["node-1", "node-2", "node-3"]) {
        await page.locator("#nodes td", { hasText: node }).first().waitFor({ timeout: 15_000 });
      }
      assert.equal(await page.locator("#conn").textContent(), "live");
      assert.equal(
        await page.locator("#violations details").count(),
        0,
        "the page must load before the bug is injected",
      );
      assert.match(await page.locator("#violations").innerText(), /No violation/);

      const violation = page.locator("#violations details", { hasText: "OneHolder" });
      await violation.waitFor({ timeout: 45_000 });
      assert.equal(
        await page.evaluate(() => Reflect.get(globalThis, "vigilMarker")),
        "loaded once",
      );
      assert.equal(navigations, 1, "the page was not reloaded");

      assert.equal(await violation.getAttribute("open"), "", "the newest violation starts open");
      const text = await violation.innerText();
      assert.match(text, /global invariant OneHolder/);
      assert.match(
        text,
        new RegExp(`line ${ONE_HOLDER_LINE}:\\d+ · lock:orders · node-\\d, node-\\d`),
      );
      const holders = [...text.matchAll(/node-\d/g)].map((m) => m[0]);
      assert.ok(new Set(holders).size >= 2, text);
      const rows = await violation.locator("table tr").allInnerTexts();
      const held = rows.filter((r) => r.includes("mode=held")).map((r) => r.match(/node-\d/)?.[0]);
      assert.equal(held.length, 2, rows.join("\n"));
      assert.match(text, /Causal history/);
      assert.match(text, /acquire\(c=\d\)/);

      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
    } finally {
      await browser.close();
      await demo.stop("SIGINT");
    }
  },
});
