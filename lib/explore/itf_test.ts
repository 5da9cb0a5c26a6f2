import assert from "node:assert/strict";
import { exploreSource } from "./model_checker.ts";
import { counterexampleItf } from "./itf.ts";

const SPIN = `spec Spin
type Phase = enum { idle, busy, done }
state phase: Phase = idle
state k: 0..1 = 0
state seen: map[bool, 0..3] = 0
action start
  require phase == idle
  phase := busy
action spin
  require phase == busy
  k := 1 - k
liveness Ends within 1s
  when phase == busy then eventually phase == done`;

Deno.test("counterexampleItf writes a lasso with loop pointing at the cycle's first state", () => {
  const { program, report } = exploreSource(SPIN);
  const itf = counterexampleItf(program!, report!, { source: "spin.vigil" })!;
  assert.equal(itf["#meta"].format, "ITF");
  assert.equal(itf["#meta"].source, "spin.vigil");
  // init, start, spin, spin: the last state equals the state at `loop`.
  assert.equal(itf.states.length, 4);
  assert.equal(itf.loop, 1);
  const { "#meta": _a, "mbt::actionTaken": _b, ...last } = itf.states[3]!;
  const { "#meta": _c, "mbt::actionTaken": _d, ...entry } = itf.states[1]!;
  assert.deepEqual(last, entry);
  assert.deepEqual(itf.states[0]!.seen, {
    "#map": [[false, { "#bigint": "0" }], [true, { "#bigint": "0" }]],
  });
  assert.equal(itf.states[0]!.phase, "idle");
});

Deno.test("counterexampleItf is null when the report has no counterexample", () => {
  const { program, report } = exploreSource(
    "spec T state on: bool = false action flip on := not on",
  );
  assert.equal(counterexampleItf(program!, report!), null);
});
