/**
 * A restored causal judge shows a lane's stretch outside P in an alert's
 * cut as an uninterrupted one does: a lane of P-intervals only keeps its
 * state while outside P (`CausalPartition.gapBlockOf`), and a partition's
 * snapshot carries it (`CausalPartitionSnapshot.gaps`). Before, a restored
 * judge lost it, and its alerts left out every node outside P at the
 * restart (same verdict, fewer nodes in the cut and the picture).
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadLease } from "./causal/simulator.ts";
import { CAUSAL_OPTIONS, LeaseEvents } from "./causal/lease_workload.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import type { EventBody } from "../lib/wire/event.ts";

const specs = await loadLease();
const spec = specs.collector;
const BASE = 1_732_170_000_000;
const KEY = "lock:0";

/** One collector on a clock of its own, and each node's next sequence number. */
class Fed {
  now = BASE;
  c: Collector;
  readonly #seq = new Map<string, number>();
  readonly #lease: LeaseEvents;

  constructor(lease: LeaseEvents) {
    this.#lease = lease;
    this.c = createCollector({ specs: [spec], now: () => this.now, ...CAUSAL_OPTIONS });
  }

  send(node: string, events: readonly EventBody[], clock: number): void {
    const first = this.#seq.get(node) ?? 0;
    this.c.ingestBytes(this.#lease.batch(node, events, { firstSeq: first }));
    this.#seq.set(node, first + events.length);
    this.now = BASE + clock;
    this.c.advance(this.now);
  }

  restart(): void {
    this.c = restoreCollector(JSON.parse(JSON.stringify(this.c.snapshot())), {
      specs: [spec],
      now: () => this.now,
      ...CAUSAL_OPTIONS,
    });
  }
}

Deno.test("A restored judge's alert shows the lanes outside P as an uninterrupted one's does", () => {
  const lease = new LeaseEvents(spec);
  const straight = new Fed(lease);
  const restarted = new Fed(lease);
  const both = (node: string, events: readonly EventBody[], clock: number) => {
    straight.send(node, events, clock);
    restarted.send(node, events, clock);
  };
  // q holds and releases (its lane is outside P since, its state kept), then a and b hold at once.
  both("q", [lease.acquire(BASE + 10, { key: KEY })], 11);
  both("q", [lease.release(BASE + 20, { key: KEY })], 21);
  both("a", [lease.acquire(BASE + 30, { key: KEY })], 31);
  // Applied (past the reorder window), then the restart.
  straight.c.advance(straight.now = BASE + 600);
  restarted.c.advance(restarted.now = BASE + 600);
  restarted.restart();
  assert.match(JSON.stringify(restarted.c.snapshot()), /"gaps":\[/, "the snapshot keeps q's state");
  both("b", [lease.acquire(BASE + 40, { key: KEY })], 601);
  both("a", [lease.release(BASE + 3_000, { key: KEY })], 3_001);
  both("b", [lease.release(BASE + 3_001, { key: KEY })], 3_002);
  straight.c.advance(BASE + 8_000);
  restarted.c.advance(BASE + 8_000);
  const seen = straight.c.violations().map((v) => JSON.stringify(v));
  assert.equal(seen.length, 1, "a and b held at once");
  assert.ok(
    straight.c.violations()[0]!.cut.some((e) => e.node === "q"),
    "q's stretch is in the cut",
  );
  assert.deepEqual(restarted.c.violations().map((v) => JSON.stringify(v)), seen);
});

Deno.test("A saved state outside P that does not fit is refused, saying which lane and partition", () => {
  const lease = new LeaseEvents(spec);
  const fed = new Fed(lease);
  fed.send("q", [lease.acquire(BASE + 10, { key: KEY })], 11);
  fed.send("q", [lease.release(BASE + 20, { key: KEY })], 600);
  const snap = JSON.parse(JSON.stringify(fed.c.snapshot()));
  const text = JSON.stringify(snap);
  assert.match(text, /"gaps":\["[^"]+"\]/);
  const short = JSON.parse(text.replace(/"gaps":\["[^"]+"\]/, '"gaps":["AAAA"]'));
  assert.throws(
    () => restoreCollector(short, { specs: [spec], ...CAUSAL_OPTIONS }),
    /state outside P of lane 0 of partition 'lock:0' has 3 bytes/,
  );
  const many = JSON.parse(text.replace(/"gaps":\[("[^"]+")\]/, '"gaps":[$1,null]'));
  assert.throws(
    () => restoreCollector(many, { specs: [spec], ...CAUSAL_OPTIONS }),
    /keeps states outside P for 2 lanes, it has 1/,
  );
});
