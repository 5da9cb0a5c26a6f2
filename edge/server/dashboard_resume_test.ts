/**
 * The dashboard's live stream across reconnections, in headless Chromium
 * (Debian's `/usr/bin/chromium`, driven by `npm:playwright-core`) against
 * the collector app on its real server: the browser's `EventSource`
 * reconnects with `Last-Event-ID` and the page shows the violations raised
 * while it was away without fetching `/api/violations` again; when the
 * page was away longer than the collector keeps, the stream sends `reset`
 * and the page fetches its state again.
 *
 * Without Chromium the test FAILS with the install command (CI installs it).
 */
import assert from "node:assert/strict";
import { launchChromium, requireChromium } from "../../tools/harness/chromium.ts";
import { createCollectorApp } from "./app.ts";
import { createCollector } from "../engine/collector.ts";
import { serveCollector } from "./http_server.ts";
import { compiledLease, sdkLease, TestNode } from "../../tools/harness/collector_app_fixture.ts";
import { waitFor } from "../../tools/harness/wait.ts";

Deno.test({
  name:
    "Dashboard: after a dropped stream the browser resumes from Last-Event-ID and shows what it missed; away too long, it gets a reset and refetches",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await requireChromium();
    const sdk = await sdkLease();
    const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
    const app = createCollectorApp(collector, { keepAliveMs: 0, onLog: () => {} });
    /** Each request the server got: its path and `Last-Event-ID`. */
    const requests: { path: string; lastEventId: string | null }[] = [];
    const server = await serveCollector((req) => {
      requests.push({
        path: new URL(req.url).pathname,
        lastEventId: req.headers.get("last-event-id"),
      });
      return app.fetch(req);
    }, { port: 0, onError: () => {} });
    const count = (path: string) => requests.filter((r) => r.path === path).length;
    const streams = () => requests.filter((r) => r.path === "/api/events/stream");
    const a = new TestNode(sdk, "node-a");
    const b = new TestNode(sdk, "node-b");
    /** Two nodes both acquire `key`: a OneHolder violation, raised at once. */
    const splitBrain = (key: string) => {
      for (const [node, c] of [[a, 1], [b, 2]] as const) {
        assert.equal(
          app.service.ingestBytes(node.step(key, "acquire", { c }).take(), "http").ok,
          true,
        );
      }
      collector.flush();
    };
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.addr.port}/`);
      await page.locator("#conn", { hasText: "live" }).waitFor({ timeout: 30_000 });
      splitBrain("lock:1");
      const shown = (key: string) => page.locator("#violations details", { hasText: ` ${key} ` });
      await shown("lock:1").waitFor({ timeout: 15_000 });
      // At boot, then once more at the first open.
      await waitFor(() => count("/api/violations") === 2, { what: "the first two fetches" });

      // The stream drops; two violations are raised before the browser reconnects
      // (it waits the stream's retry: 3 s).
      app.service.eventHub.close();
      splitBrain("lock:2");
      splitBrain("lock:3");
      await shown("lock:3").waitFor({ timeout: 15_000 });
      await shown("lock:2").waitFor({ timeout: 1_000 });
      assert.equal(streams().length, 2);
      assert.notEqual(streams()[1]!.lastEventId, null, "the browser sent Last-Event-ID");
      assert.equal(count("/api/violations"), 2, "replayed by the stream, not fetched again");
      assert.equal(await page.locator("#vcount").textContent(), "(3)");

      // Away for longer than the collector keeps (256 messages): a reset, then a refetch.
      app.service.eventHub.close();
      for (let i = 0; i < 260; i++) splitBrain(`lock:x${i}`);
      await page.locator("#vcount", { hasText: "of 263" }).waitFor({ timeout: 15_000 });
      await shown("lock:x259").waitFor({ timeout: 1_000 });
      assert.equal(streams().length, 3);
      assert.notEqual(streams()[2]!.lastEventId, null);
      assert.equal(count("/api/violations"), 3, "fetched again after the reset");
      assert.equal(await page.locator("#conn").textContent(), "live");
    } finally {
      await browser.close();
      await server.shutdown(100);
      await app.service.stop();
    }
  },
});
