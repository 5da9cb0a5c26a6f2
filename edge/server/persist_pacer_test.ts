import assert from "node:assert/strict";
import { PersistPacer } from "./persist_pacer.ts";

Deno.test("PersistPacer allows the first persist at once and none while one runs", () => {
  const pacer = new PersistPacer({ periodMs: 250 });
  assert.equal(pacer.due(0), true);
  pacer.started();
  assert.equal(pacer.due(10_000), false);
  pacer.finished(null);
  assert.equal(pacer.due(10_000), true);
});

Deno.test("PersistPacer spaces persists so their hold on the thread stays within the share", () => {
  const pacer = new PersistPacer({ periodMs: 250, share: 0.05 });
  pacer.started();
  // Held 40 ms: at 5% the next may start 800 ms after this one started.
  pacer.finished({ startedAt: 1_000, endedAt: 1_045, heldMs: 40 });
  assert.equal(pacer.nextAt, 1_800);
  assert.equal(pacer.due(1_250), false);
  assert.equal(pacer.due(1_799), false);
  assert.equal(pacer.due(1_800), true);
});

Deno.test("PersistPacer waits after a long save as long as the save took", () => {
  const pacer = new PersistPacer({ periodMs: 250, share: 0.5 });
  pacer.started();
  // Held 2 ms (4 ms at 50%), but the save took 300 ms: not before 300 ms after its end.
  pacer.finished({ startedAt: 0, endedAt: 300, heldMs: 2 });
  assert.equal(pacer.nextAt, 600);
  assert.equal(pacer.due(599), false);
  assert.equal(pacer.due(600), true);
});

Deno.test("PersistPacer caps the spacing so saves (and JetStream acks) never stop for long", () => {
  const pacer = new PersistPacer({ periodMs: 250, share: 0.02, maxSpacingMs: 3_000 });
  pacer.started();
  pacer.finished({ startedAt: 0, endedAt: 2_000, heldMs: 1_000 }); // would ask for 50 s
  assert.equal(pacer.nextAt, 3_000);
  const slow = new PersistPacer({ periodMs: 10_000, share: 0.02, maxSpacingMs: 3_000 });
  slow.started();
  slow.finished({ startedAt: 0, endedAt: 10, heldMs: 1_000 });
  assert.equal(slow.nextAt, 10_000, "the cap is at least the period");
});

Deno.test("PersistPacer counts persists asked for while a timed one runs", () => {
  const pacer = new PersistPacer({ periodMs: 250 });
  pacer.started();
  pacer.started();
  pacer.finished(null);
  assert.equal(pacer.due(1e9), false);
  pacer.finished({ startedAt: 0, endedAt: 1, heldMs: 0 });
  assert.equal(pacer.due(2), true);
});

Deno.test("PersistPacer refuses a share outside (0, 1] and a negative period, saying which", () => {
  assert.throws(
    () => new PersistPacer({ periodMs: 250, share: 0 }),
    /share must be in \(0, 1\], got '0'/,
  );
  assert.throws(() => new PersistPacer({ periodMs: 250, share: 1.5 }), /got '1.5'/);
  assert.throws(() => new PersistPacer({ periodMs: -1 }), /period must be at least 0 ms, got '-1'/);
  assert.throws(() => new PersistPacer({ periodMs: Number.NaN }), RangeError);
});

Deno.test("PersistPacer defers a persist while the thread is behind, at most the spacing cap", () => {
  const pacer = new PersistPacer({ periodMs: 250, busyLagMs: 10, maxSpacingMs: 2_000 });
  assert.equal(pacer.due(0, 40), false, "a timer 40 ms late: the thread is busy");
  assert.equal(pacer.due(250, 10), true, "10 ms late is not behind");
  pacer.started(250);
  pacer.finished({ startedAt: 250, endedAt: 251, heldMs: 1 });
  assert.equal(pacer.due(500, 80), false);
  assert.equal(pacer.due(2_249, 80), false);
  assert.equal(pacer.due(2_250, 80), true, "2 s after the last start it persists anyway");
});

Deno.test("PersistPacer counts the cap of a first persist from the first ask", () => {
  const pacer = new PersistPacer({ periodMs: 250, maxSpacingMs: 1_000 });
  assert.equal(pacer.due(100, 50), false);
  assert.equal(pacer.due(1_099, 50), false);
  assert.equal(pacer.due(1_100, 50), true);
});
