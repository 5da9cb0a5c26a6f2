/**
 * The generated typed class (`specs/lease.vigil` -> `lease.ts`, importing
 * `vigil`) shares the Monitor machinery: violations and `onViolation` on
 * its fast path, observe mode, events to a sink (its slow path), close.
 */
import assert from "node:assert/strict";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import type { ViolationEvent } from "../runtime/monitor/monitor_types.ts";
import { GuardError } from "../lib/abi/verdict.ts";

const { LeaseMonitor } = await import(`file://${await compiledDir("lease")}/lease.ts`);

Deno.test("Typed fast path: enforce throws GuardError naming the spec file and records the violation", () => {
  const seen: ViolationEvent[] = [];
  const m = new LeaseMonitor({ key: "lock:a", onViolation: (v: ViolationEvent) => seen.push(v) });
  assert.equal(m.key, "lock:a");
  assert.equal(m.acquire(2).kind, "ok");
  assert.throws(() => m.acquire(3), (e: unknown) => {
    assert.ok(e instanceof GuardError);
    assert.equal(e.action, "acquire");
    assert.match(e.message, /lease\.vigil:14:5/);
    return true;
  });
  assert.equal(m.tryRelease(1).kind, "guard_failed");
  assert.equal(m.$monitor.violations, 2);
  assert.equal(m.$monitor.lastViolation.item, "action release");
  assert.deepEqual(seen.map((v) => [v.action, v.key, v.verdict.kind]), [
    ["acquire", "lock:a", "guard_failed"],
    ["release", "lock:a", "guard_failed"],
  ]);
  assert.equal(m.checkAcquire(1).kind, "guard_failed");
  assert.equal(m.$monitor.violations, 2, "check records nothing");
  assert.equal(m.state.owner, 2);
});

Deno.test("Typed observe mode returns refused verdicts and counts them", () => {
  const m = new LeaseMonitor({ mode: "observe" });
  assert.equal(m.release(0).kind, "guard_failed");
  assert.equal(m.acquire(9).kind, "bad_argument");
  assert.equal(m.$monitor.violations, 2);
  assert.equal(m.state.mode, "free");
});

Deno.test("Typed monitor with a sink emits one event per step, args and verdict included", async () => {
  const transport = memoryTransport();
  const batches: DecodedBatch[] = [];
  transport.subscribe((bytes) => void batches.push(decodeBatch(bytes)));
  const sink = createBatcher(transport, { maxDelayMs: 1 });
  const m = new LeaseMonitor({ node: "typed-1", key: "lock:e", sink });
  assert.equal(m.acquire(1).kind, "ok");
  assert.throws(() => m.acquire(2), GuardError);
  assert.equal(m.tryRelease(1).kind, "ok");
  assert.equal(m.checkAcquire(3).kind, "ok");
  await sink.close();
  const events = batches.flatMap((b) => b.events);
  assert.deepEqual(events.map((e) => [e.key, e.action, e.args, e.verdict === 0]), [
    ["lock:e", 0, [1], true],
    ["lock:e", 0, [2], false],
    ["lock:e", 1, [1], true],
  ]);
  assert.equal(m.$monitor.violations, 1);
});

Deno.test("A closed typed monitor refuses every method", () => {
  const m = new LeaseMonitor();
  m.$close();
  assert.throws(() => m.acquire(1), TypeError);
  assert.throws(() => m.tryAcquire(1), TypeError);
  assert.throws(() => m.checkAcquire(1), TypeError);
});
