/**
 * Local liveness at the collector: each participant's own instance checked
 * on its event stream (`edge/engine/local_liveness.ts`).
 * - `specs/order.vigil`'s `PaidIsShippedOrRefunded` (60m) and
 *   `CancelledIsRefunded` (30m) on orders guarded per request by the
 *   example Hono app (`vigilGuard` over a `memoryGuardStore`), its events
 *   shipped by a batcher over a memory transport to the collector;
 * - `specs/lease.vigil`'s `HolderReleases` (30s) with plain monitors;
 * - an open local deadline carried through a snapshot and a restore.
 * Deadlines are worked out by hand from the events' HLC walls and the
 * items' bounds in the spec sources.
 */
import assert from "node:assert/strict";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Violation } from "../edge/engine/types.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import {
  batchOf,
  lineOf,
  listen,
  loadForCollector,
  loadPair,
  Recorder,
} from "./collector_core_fixture.ts";
import { specSource } from "../tools/harness/spec_files.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { OrderMonitor } from "../examples/edge-orders/order.monitor.ts";
import { createOrderApp } from "../examples/edge-orders/app.ts";

const MINUTE = 60_000;
const orderSource = specSource("order");
const leaseSource = specSource("lease");
const lease = await loadPair("lease");

/** The example order app, its events recorded and shipped to a collector whose clock the test sets. */
async function orderSetup() {
  const spec = await OrderMonitor.load(`${await compiledDir("order")}/order.core.wasm`);
  const compiled = await loadForCollector("order");
  const clock = { t: 0 };
  const collector = createCollector({ specs: [compiled], now: () => clock.t, windowMs: 0 });
  const log = listen(collector);
  const transport = memoryTransport();
  transport.subscribe((bytes) => void collector.ingestBytes(bytes));
  const batcher = createBatcher(transport, { maxEvents: 64, maxDelayMs: 5 });
  const events: StepEvent[] = [];
  const sink = {
    push: (e: StepEvent) => {
      events.push({ ...e, state: e.state.slice(), args: Array.from(e.args) });
      return batcher.push(e);
    },
  };
  const app = createOrderApp(spec, { sink, node: "orders-edge-1" });
  const post = async (path: string, body?: unknown) => {
    const res = await app.request(path, {
      method: "POST",
      ...(body === undefined ? {} : {
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    });
    await res.body?.cancel();
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
  };
  /** Ships what the batcher holds and applies it at the collector. */
  const ship = async () => {
    const before = events.length;
    await batcher.flush();
    await waitFor(() => {
      collector.flush();
      return collector.metrics().applied >= before;
    }, { timeoutMs: 5_000, what: "the shipped events applied" });
    assert.equal(collector.metrics().applied, before);
    collector.flush();
  };
  /** The HLC wall of the last event of `key` with action `action`. */
  const wallOf = (key: string, action: string) => {
    const index = compiled.actionIndex(action);
    const e = events.findLast((x) => x.key === key && x.action === index);
    assert.ok(e !== undefined, `no '${action}' event for '${key}'`);
    return e.wall;
  };
  const status = (key: string) => collector.partition(compiled.meta.sourceHash, key)?.status;
  return { collector, clock, log, post, ship, wallOf, status, batcher };
}

Deno.test("Order liveness items fire at the collector for orders guarded per request, once per episode", async () => {
  const o = await orderSetup();
  try {
    // A-1 paid, never shipped; A-2 shipped; A-3 cancelled unrefunded; A-4 cancelled and refunded.
    for (const id of ["A-1", "A-2", "A-3", "A-4"]) {
      await o.post(`/orders/${id}/price`, { amount: 2500 });
      await o.post(`/orders/${id}/pay`, { amount: 2500 });
    }
    await o.post("/orders/A-2/ship");
    await o.post("/orders/A-3/cancel");
    await o.post("/orders/A-4/cancel");
    await o.post("/orders/A-4/refund", { amount: 2500 });
    await o.ship();
    assert.equal(o.log.violations().length, 0, "nothing is due yet");

    const cancelledDue = o.wallOf("order:A-3", "cancel") + 30 * MINUTE;
    o.collector.advance(cancelledDue);
    assert.equal(o.log.violations().length, 0, "merged time at the deadline is not past it");
    o.collector.advance(cancelledDue + 1);
    const first = o.log.violations();
    assert.deepEqual(first.map((v) => [v.partition, v.property.name]), [
      ["order:A-3", "CancelledIsRefunded"],
    ]);
    assertLocal(first[0]!, {
      line: lineOf(orderSource, "liveness CancelledIsRefunded"),
      node: "orders-edge-1",
      deadline: cancelledDue,
    });
    assert.deepEqual(first[0]!.history.map((e) => e.action), ["setPrice", "pay", "cancel"]);
    assert.equal(o.status("order:A-3"), "violated");

    const lastPay = Math.max(...["A-1", "A-3"].map((id) => o.wallOf(`order:${id}`, "pay")));
    o.collector.advance(lastPay + 60 * MINUTE + 1);
    const all = o.log.violations();
    assert.deepEqual(
      all.slice(1).map((v) => [v.partition, v.property.name]).sort(),
      [["order:A-1", "PaidIsShippedOrRefunded"], ["order:A-3", "PaidIsShippedOrRefunded"]],
    );
    for (const v of all.slice(1)) {
      assertLocal(v, {
        line: lineOf(orderSource, "liveness PaidIsShippedOrRefunded"),
        node: "orders-edge-1",
        deadline: o.wallOf(v.partition, "pay") + 60 * MINUTE,
      });
      assert.equal(v.cut[0]!.state.status, v.partition === "order:A-1" ? "paid" : "cancelled");
    }
    assert.deepEqual(
      ["order:A-1", "order:A-2", "order:A-3", "order:A-4"].map(o.status),
      ["violated", "ok", "violated", "ok"],
    );
    o.collector.advance(lastPay + 600 * MINUTE);
    assert.equal(o.log.violations().length, 3, "one violation per timed-out obligation");
    assert.equal(o.collector.metrics().livenessTimeouts, 3);

    // The late refund discharges both of A-3's obligations.
    await o.post("/orders/A-3/refund", { amount: 2500 });
    await o.ship();
    assert.equal(o.status("order:A-3"), "ok");
    assert.equal(o.log.violations().length, 3);
  } finally {
    await o.batcher.close();
  }
});

Deno.test("An order completed within its bounds raises nothing at the collector", async () => {
  const o = await orderSetup();
  try {
    await o.post("/orders/B-1/price", { amount: 700 });
    await o.post("/orders/B-1/pay", { amount: 700 });
    await o.post("/orders/B-1/ship");
    await o.post("/orders/B-1/deliver");
    await o.ship();
    o.collector.advance(o.wallOf("order:B-1", "pay") + 24 * 60 * MINUTE);
    assert.equal(o.log.violations().length, 0);
    assert.equal(o.status("order:B-1"), "ok");
    assert.deepEqual(
      o.collector.snapshot().partitions[0]!.participants.map((p) => p.localDeadlines),
      [undefined],
      "no local deadline stays open",
    );
  } finally {
    await o.batcher.close();
  }
});

/** A violation of a local liveness item, checked field by field. */
function assertLocal(
  v: Violation,
  expected: { readonly line: number; readonly node: string; readonly deadline: number },
): void {
  assert.equal(v.kind, "liveness_timeout");
  assert.equal(v.property.item, "liveness");
  assert.equal(v.property.line, expected.line);
  assert.deepEqual(v.nodes, [expected.node]);
  assert.equal(v.deadline, expected.deadline);
  assert.ok(v.at.wall > expected.deadline, "raised once merged time passed the deadline");
  assert.match(
    v.message,
    new RegExp(`liveness ${v.property.name} .* timed out in '${v.partition}' by ${expected.node}$`),
  );
}

const W = 1_700_000_000_000;

/** Lease monitors of nodes `a` (lock:1) and `b` (lock:2), on one clock the test sets. */
function leaseNodes() {
  const rec = new Recorder();
  const clock = { t: W };
  const mk = (id: string, key: string) =>
    lease.nodes.monitor({
      node: createNode({ id, boot: `${id}-1`, clock: createClock({ now: () => clock.t }) }),
      key,
      sink: rec,
      mode: "observe",
    });
  return { rec, clock, a: mk("a", "lock:1"), b: mk("b", "lock:2") };
}

Deno.test("Lease HolderReleases fires for the node that holds past 30s, not for the one that releases", () => {
  const { rec, clock, a, b } = leaseNodes();
  a.step("acquire", { c: 1 });
  b.step("acquire", { c: 2 });
  clock.t = W + 10_000;
  a.step("release", { c: 1 });
  const now = { t: W };
  const c = createCollector({ specs: [lease.collector], now: () => now.t, windowMs: 100 });
  const log = listen(c);
  c.ingest(batchOf(rec.of("a"), 0, 2));
  c.ingest(batchOf(rec.of("b"), 0, 1));
  c.flush();
  assert.deepEqual(c.partition(lease.nodes.hash, "lock:2")!.deadlines, [
    { name: "SomeoneCanAcquire", deadline: W + 60_000 },
    { name: "HolderReleases", deadline: W + 30_000, node: "b" },
  ]);
  assert.deepEqual(c.partition(lease.nodes.hash, "lock:1")!.deadlines, [], "released in time");
  now.t = W + 30_100;
  c.advance();
  assert.equal(log.violations().length, 0, "merged time W + 30 000 is not past the deadline");
  now.t = W + 30_101;
  c.advance();
  const vs = log.violations();
  assert.equal(vs.length, 1);
  assert.equal(vs[0]!.partition, "lock:2");
  assertLocal(vs[0]!, {
    line: lineOf(leaseSource, "liveness HolderReleases"),
    node: "b",
    deadline: W + 30_000,
  });
  assert.equal(vs[0]!.at.wall, W + 30_001);
  assert.equal(c.partition(lease.nodes.hash, "lock:2")!.status, "violated");
  assert.equal(c.partition(lease.nodes.hash, "lock:1")!.status, "ok");
  c.advance(W + 59_000);
  assert.equal(log.violations().length, 1, "one alert per timed-out obligation");

  const off = createCollector({
    specs: [lease.collector],
    now: () => now.t,
    windowMs: 100,
    localLiveness: false,
  });
  const offLog = listen(off);
  off.ingest(batchOf(rec.of("b"), 0, 1));
  off.advance(W + 59_000);
  assert.equal(offLog.violations().length, 0, "localLiveness: false checks global items only");
  assert.throws(
    () => createCollector({ specs: [lease.collector], localLiveness: "yes" as unknown as boolean }),
    /Option 'localLiveness' must be a boolean, got 'yes'/,
  );
});

Deno.test("A release later than the deadline is too late: the event's wall times the obligation out first", () => {
  const { rec, clock, b } = leaseNodes();
  b.step("acquire", { c: 2 });
  clock.t = W + 40_000;
  b.step("release", { c: 2 });
  const c = createCollector({ specs: [lease.collector], now: () => 0, windowMs: 10 });
  const log = listen(c);
  c.ingest(batchOf(rec.of("b"), 0, 2));
  c.flush();
  const vs = log.violations();
  assert.equal(vs.length, 1);
  assert.equal(vs[0]!.property.name, "HolderReleases");
  assert.deepEqual(vs[0]!.at, { wall: W + 40_000, logical: 0 });
  assert.equal(c.partition(lease.nodes.hash, "lock:2")!.status, "ok", "discharged by the release");
});

Deno.test("A local deadline open at a snapshot survives a restore and fires after it", () => {
  const { rec, b } = leaseNodes();
  b.step("acquire", { c: 2 });
  const now = { t: W };
  const c = createCollector({ specs: [lease.collector], now: () => now.t, windowMs: 0 });
  c.ingest(batchOf(rec.of("b"), 0, 1));
  c.flush();
  const saved = JSON.parse(JSON.stringify(c.snapshot()));
  assert.deepEqual(saved.partitions[0].participants[0].localDeadlines, [W + 30_000]);

  const restored = restoreCollector(saved, {
    specs: [lease.collector],
    now: () => now.t,
    windowMs: 0,
  });
  const log = listen(restored);
  restored.advance(W + 30_000);
  assert.equal(log.violations().length, 0);
  restored.advance(W + 30_001);
  const vs = log.violations();
  assert.equal(vs.length, 1);
  assertLocal(vs[0]!, {
    line: lineOf(leaseSource, "liveness HolderReleases"),
    node: "b",
    deadline: W + 30_000,
  });

  // The timed-out obligation is carried too: no second alert after another restore.
  const again = restoreCollector(JSON.parse(JSON.stringify(restored.snapshot())), {
    specs: [lease.collector],
    now: () => now.t,
    windowMs: 0,
  });
  const againLog = listen(again);
  assert.equal(again.partition(lease.nodes.hash, "lock:2")!.status, "violated");
  again.advance(W + 59_000); // before the global SomeoneCanAcquire (60s) is due
  assert.equal(againLog.violations().length, 0);
});
