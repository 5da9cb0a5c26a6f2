/**
 * The dashboard of one member shows the whole partitioned deployment, in
 * headless Chromium (`tools/harness/chromium.ts`) against a real 3-server
 * NATS cluster (`tools/harness/nats_cluster.ts`) and two real
 * `vigil collector --partitions 4` processes behind a read token. SDK
 * nodes publish over JetStream (`tests/cluster_fixture.ts`), with one lock
 * held by two nodes at once on a key whose partition member 2 owns. Member
 * 1's page must list both members with the partitions each owns (as the
 * members' own answers say), the ownership table (owner and standby of
 * every partition), and member 2's violation with its key, stream
 * partition and "raised by c2". Saves `test-artifacts/cluster_dashboard.png`.
 *
 * Without Chromium the test FAILS with the install command (CI installs it).
 */
import assert from "node:assert/strict";
import { type Chunk, type ClusterRun, NODES, withCluster } from "./cluster_fixture.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import { partitionOf } from "../lib/wire/subjects.ts";
import { createPartitionedBatcher } from "../runtime/batcher/partitioned.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { launchChromium, requireChromium } from "../tools/harness/chromium.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";

const PARTITIONS = 4;
const READ = "cluster-dash-read";
const AUTH = { authorization: `Bearer ${READ}` };

async function view(base: string): Promise<ClusterView> {
  const res = await fetch(`${base}/api/cluster`, { headers: AUTH });
  if (!res.ok) throw new Error(`GET /api/cluster answered ${res.status}: ${await res.text()}`);
  return await res.json() as ClusterView;
}

Deno.test({
  name:
    "One member's dashboard shows the deployment: both members, every partition's owner and standby, a violation raised by the other member",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await requireChromium();
    const options = {
      id: "dash",
      partitions: PARTITIONS,
      members: ["c1", "c2"],
      memberFlags: ["--read-token", READ],
    };
    await withCluster(options, async (run) => {
      const browser = await launchChromium();
      try {
        await scenario(run, browser);
      } finally {
        await browser.close();
      }
    });
  },
});

/** The scenario, once both members run. */
async function scenario(
  run: ClusterRun,
  browser: Awaited<ReturnType<typeof launchChromium>>,
): Promise<void> {
  const [m1, m2] = [run.member("c1"), run.member("c2")];
  // Behind the read token like the rest.
  const anonymous = await fetch(`${m1.base}/api/cluster`);
  await anonymous.body?.cancel();
  assert.equal(anonymous.status, 401);

  // Both own partitions, every partition is owned, both registered their URLs.
  const settled = await waitFor(async () => {
    const v = await view(m1.base);
    const owned = v.collectors.flatMap((c) => c.owned.map((o) => o.partition));
    const ok = v.members.length === 2 && v.members.every((m) => m.url !== "") &&
      v.collectors.every((c) => c.error === undefined && c.owned.length > 0) &&
      new Set(owned).size === PARTITIONS && owned.length === PARTITIONS;
    return ok && v;
  }, { timeoutMs: 40_000, intervalMs: 200, what: "both members to own the 4 partitions" });
  const ownedBy = new Map(
    settled.collectors.map((c) => [c.id, c.owned.map((o) => o.partition)] as const),
  );
  const c2Parts = ownedBy.get("c2")!;

  // A lock held by two nodes at once, on a key of a partition c2 owns.
  let key = "";
  for (let i = 0; key === "" && i < 1000; i++) {
    if (c2Parts.includes(partitionOf(`lock:dash-${i}`, PARTITIONS))) key = `lock:dash-${i}`;
  }
  assert.notEqual(key, "");
  const { lease, js } = run;
  // Background traffic on every partition, from the fixture's nodes.
  const pubs = run.publishers({ prefix: "dash", seed: 5 });
  const rounds = Array.from({ length: NODES }, () => 10);
  const chunk: Chunk = { rounds, split: null, events: 2 * 10 * NODES };
  await pubs.publish(chunk);
  await pubs.close();
  // The double hold: both acquire, then both release once the wall clock moved on, so the two
  // holds overlap in merged (HLC) order whatever millisecond each node's clock read.
  const holders = ["dash-a", "dash-b"].map((id, i) => {
    const batcher = createPartitionedBatcher(
      (p) => jetstreamTransport(js, { partition: p }),
      { partitions: PARTITIONS },
    );
    const m = lease.monitor({ node: createNode({ id }), key, sink: batcher, mode: "observe" });
    return { m, batcher, c: i + 1 };
  });
  for (const h of holders) h.m.step("acquire", { c: h.c });
  const held = Date.now();
  await waitFor(() => Date.now() >= held + 2, { timeoutMs: 1_000, intervalMs: 1 });
  for (const h of holders) h.m.step("release", { c: h.c });
  for (const h of holders) await h.batcher.close();
  // Every event: the background and the two holders' four.
  const total = chunk.events + 4;
  let last: ClusterView | null = null;
  const raised = await waitFor(async () => {
    const v = await view(m1.base);
    last = v;
    return v.totals.applied === total && v.violations.find((x) => x.partition === key);
  }, {
    timeoutMs: 30_000,
    intervalMs: 200,
    what: `the violation on '${key}' in the view`,
    detail: () =>
      JSON.stringify({
        sent: pubs.sent(),
        want: total,
        totals: last?.totals,
        errors: last?.collectors.map((c) => c.error),
      }),
  });
  assert.equal(raised.raisedBy, "c2");
  assert.equal(raised.streamPartition, partitionOf(key, PARTITIONS));

  // Member 1's dashboard, logged in as a user does: `/?token=` sets the read cookie, which
  // member 1 passes on to member 2 (or member 2's part would be unreachable).
  const context = await browser.newContext({ viewport: { width: 1400, height: 1400 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => void pageErrors.push(e.message));
  assert.equal((await page.goto(`${m1.base}/?token=${READ}`))?.status(), 200);
  const row = page.locator("#deployment details", { hasText: key });
  await row.waitFor({ timeout: 15_000 });

  // Read in the page (an expression string: this file is type-checked without the DOM library).
  const shown = await page.evaluate(`(() => {
        const cells = (sel) => [...document.querySelectorAll(sel)]
          .map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
        return {
          members: cells("#deployment table.members tr[data-member]"),
          ownership: cells("#deployment table.ownership tr[data-partition]"),
          violations: [...document.querySelectorAll("#deployment details")]
            .map((d) => ({ member: d.dataset.member, text: d.querySelector("summary").textContent })),
        };
      })()`) as {
    members: string[][];
    ownership: string[][];
    violations: { member: string; text: string }[];
  };
  const now = await view(m2.base);
  // Members: instance, address, partitions owned (as each member answers for itself).
  assert.deepEqual(
    shown.members.map((r) => [r[0], r[1], r[2]]),
    now.collectors.map((c) => [
      c.id === "c1" ? "c1 (this one)" : c.id,
      c.url,
      c.owned.map((o) => o.partition).join(", "),
    ]),
  );
  assert.ok(shown.members.find((r) => r[0] === "c2")![2] !== "none", "c2 owns partitions");
  // Ownership: one row per partition, owner and standby as the lease map says.
  assert.deepEqual(
    shown.ownership.map((r) => [r[0], r[1], r[2]]),
    now.ownership.map((o) => [String(o.partition), o.owner ?? "free", o.standby ?? "-"]),
  );
  assert.ok(
    shown.ownership.some((r) => r[1] === "c2") && shown.ownership.some((r) => r[1] === "c1"),
  );
  // The violation member 2 raised, on member 1's page.
  const v = shown.violations.find((x) => x.text.includes(key));
  assert.ok(v, `violation on '${key}' shown: ${JSON.stringify(shown.violations)}`);
  assert.equal(v.member, "c2");
  assert.match(v.text, /OneHolder/);
  assert.ok(v.text.includes(`partition ${partitionOf(key, PARTITIONS)}`), v.text);
  assert.ok(v.text.includes("raised by c2"), v.text);
  assert.match(v.text, /dash-a, dash-b|dash-b, dash-a/);
  await row.locator("summary").click();
  await row.locator(".body").waitFor({ timeout: 5_000 });
  await Deno.mkdir(`${ROOT}test-artifacts`, { recursive: true });
  await page.screenshot({
    path: `${ROOT}test-artifacts/cluster_dashboard.png`,
    fullPage: true,
  });
  assert.deepEqual(pageErrors, []);
  await context.close();
}
