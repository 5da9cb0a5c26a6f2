/**
 * The dashboard badges an alert handed over by a member that lost the
 * partition's lease, in headless Chromium (`tools/harness/chromium.ts`):
 * the real hand-over of `tests/cluster_handover_fixture.ts` (member a's
 * renewals held past the TTL on a real nats-server, its held alerts
 * handed over, the partition's events purged, member b routing the copies
 * as `<id>@a`), then b's app served on a free loopback port and its page
 * opened. Each copy must be badged "handed over", name a as the member that
 * held it and the time it lost the lease (UTC), and b as the member that
 * routed it; its body says so in words. Saves
 * `test-artifacts/handover_dashboard.png`.
 *
 * Without Chromium the test FAILS with the install command (CI installs it).
 */
import assert from "node:assert/strict";
import { createCollectorApp } from "../edge/server/app.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import type { HandedOverViolation } from "../edge/cluster/alert_handover.ts";
import { launchChromium, requireChromium } from "../tools/harness/chromium.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { handOverScenario } from "./cluster_handover_fixture.ts";

Deno.test({
  name:
    "The dashboard badges each alert handed over by a member that lost the lease: from which member, when, routed by which",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await requireChromium();
    const browser = await launchChromium();
    try {
      await handOverScenario(true, {
        whileRouted: async (b, handed) => {
          const app = createCollectorApp(b.front, { cluster: b.routes, allowAnonymous: true });
          const server = Deno.serve({
            hostname: "127.0.0.1",
            port: 0,
            onListen: () => {},
          }, app.fetch);
          const base = `http://127.0.0.1:${server.addr.port}`;
          b.node.setUrl(base);
          try {
            await showsBadges(browser, base, handed);
          } finally {
            await server.shutdown();
          }
        },
      });
    } finally {
      await browser.close();
    }
  },
});

/** b's page lists every copy in `handed`, badged, and says where each came from. */
async function showsBadges(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  base: string,
  handed: readonly string[],
): Promise<void> {
  const view = await (await fetch(`${base}/api/cluster`)).json() as ClusterView;
  const copies = view.violations.filter((v) =>
    v.id.endsWith("@a")
  ) as unknown as (HandedOverViolation & { raisedBy: string })[];
  assert.deepEqual(copies.map((v) => v.id).sort(), [...handed].sort());
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => void pageErrors.push(e.message));
  try {
    assert.equal((await page.goto(`${base}/`))?.status(), 200);
    await page.locator("#deployment details").first().waitFor({ timeout: 15_000 });
    // Read in the page (an expression string: this file is type-checked without the DOM library).
    const shown = await page.evaluate(`[...document.querySelectorAll("#deployment details")]
      .map((d) => ({
        id: d.dataset.id,
        from: d.dataset.handedFrom ?? null,
        badge: d.querySelector("summary .badge.handed")?.textContent ?? null,
        title: d.querySelector("summary .badge.handed")?.getAttribute("title") ?? null,
        text: d.querySelector("summary").textContent,
      }))`) as {
      id: string;
      from: string | null;
      badge: string | null;
      title: string | null;
      text: string;
    }[];
    const badged = shown.filter((d) => d.badge !== null);
    assert.deepEqual(badged.map((d) => d.id).sort(), [...handed].sort(), JSON.stringify(shown));
    for (const d of badged) {
      const v = copies.find((c) => c.id === d.id)!;
      const lost = new Date(v.handedOver.lostAt).toISOString().slice(0, 23).replace("T", " ");
      const says = `handed over by a (lease lost ${lost} UTC)`;
      assert.equal(d.badge, "handed over");
      assert.equal(d.from, "a");
      assert.equal(d.title, says);
      assert.ok(d.text.includes(says), d.text);
      assert.ok(d.text.includes("routed by b"), d.text);
      assert.ok(!d.text.includes("raised by"), d.text);
    }
    // b's own violations (none here: it never saw the purged events) carry no badge.
    assert.ok(shown.filter((d) => d.badge === null).every((d) => d.from === null));
    const first = page.locator(`#deployment details[data-id="${badged[0]!.id}"]`);
    await first.locator("summary").click();
    const note = await first.locator(".body .handed-note").textContent({ timeout: 5_000 });
    assert.match(
      note ?? "",
      /^Held by a when it lost the partition's lease \(\d{4}-\d\d-\d\d [\d:.]+ UTC\), handed over to b, which did not raise it itself and routed this copy\.$/,
    );
    await Deno.mkdir(`${ROOT}test-artifacts`, { recursive: true });
    await page.screenshot({ path: `${ROOT}test-artifacts/handover_dashboard.png`, fullPage: true });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
}
