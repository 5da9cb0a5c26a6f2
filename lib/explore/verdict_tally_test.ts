import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { allArgTuples } from "./domains.ts";
import { VerdictTally } from "./verdict_tally.ts";

const SOURCE = `spec S
  state n: 0..3 = 0
  action up(d: 0..1)
    require n < 3
    n := n + d
  action boom
    require n == 2
    n := 7`;

function setup() {
  const program = analyze(SOURCE).program!;
  const tuples = allArgTuples(program);
  const guard = program.actions[0]!.requires[0]!.code;
  const boomGuard = program.actions[1]!.requires[0]!.code;
  // n := 7 is out of 0..3: a range verdict of action boom.
  const range = program.verdicts.findIndex((v, c) =>
    c !== 0 && c !== guard && c !== boomGuard && v.kind === "range_violation"
  );
  return { program, tuples, guard, boomGuard, range };
}

Deno.test("VerdictTally lists successors by origin, counts codes per action and keeps the first violation site", () => {
  const { program, tuples, guard, boomGuard, range } = setup();
  assert.ok(range > 0, "the spec has a range verdict");
  assert.deepEqual(tuples.map((t) => t.count), [2, 1]);
  const tally = new VerdictTally(program, tuples, 3);
  // Three states, three transitions each (up(0), up(1), boom).
  const codes = new Int32Array([0, 0, boomGuard, 0, 0, range, guard, guard, range]);
  const n = tally.tally(codes, 0, new Int32Array([10, 11, 12]), 3, 4);
  assert.equal(n, 4);
  assert.deepEqual([...tally.parent.subarray(0, n)], [10, 10, 11, 11]);
  assert.deepEqual([...tally.tuple.subarray(0, n)], [0, 1, 0, 1]);
  assert.deepEqual([...tally.action.subarray(0, n)], [0, 0, 0, 0]);
  assert.equal(tally.codeCounts[0]![0], 4);
  assert.equal(tally.codeCounts[0]![guard], 2);
  assert.equal(tally.codeCounts[1]![range], 2);
  // State 12: up is not enabled, but boom passed its requires (then failed): enabled.
  assert.equal(tally.deadCount, 0);
  assert.deepEqual([...tally.violations.values()], [
    { code: range, level: 4, from: 11, action: 1, tuple: 0 },
  ]);
  // A later batch: counts add up, the first site stays, a state with no enabled action is listed.
  const later = new Int32Array([0, 0, 0, guard, guard, boomGuard]);
  assert.equal(tally.tally(later, 3, new Int32Array([20]), 1, 5), 0);
  assert.deepEqual([tally.deadCount, tally.dead[0]], [1, 0]);
  assert.equal(tally.codeCounts[0]![guard], 4);
  assert.equal(tally.violations.get(range)!.from, 11);
});

Deno.test("VerdictTally refuses argument tuples that do not match the actions, and an empty batch size", () => {
  const { program, tuples } = setup();
  assert.throws(
    () => new VerdictTally(program, tuples.slice(1), 4),
    /'1' argument tuple sets for '2' actions/,
  );
  assert.throws(
    () => new VerdictTally(program, tuples, 0),
    /Invalid number of states in a batch '0'/,
  );
});

Deno.test("VerdictTally read state by state after begin gives what tally gives for the batch, and begin clears the batch", () => {
  const { program, tuples, guard, boomGuard, range } = setup();
  const codes = new Int32Array([0, 0, boomGuard, guard, guard, boomGuard, 0, guard, range]);
  const ids = new Int32Array([30, 31, 32]);
  const whole = new VerdictTally(program, tuples, 3),
    byState = new VerdictTally(program, tuples, 3);
  const n = whole.tally(codes, 0, ids, 3, 2);
  // A batch left half read first: begin must clear its successors and dead states.
  byState.begin(new Int32Array([40, 41]), 1);
  byState.state(new Int32Array([guard, guard, boomGuard]), 0, 0);
  assert.deepEqual([byState.successors, byState.deadCount], [0, 1]);
  byState.begin(ids, 2);
  for (let j = 0; j < 3; j++) byState.state(codes, 3 * j, j);
  const read = (t: VerdictTally, k: number) => ({
    parent: [...t.parent.subarray(0, k)],
    action: [...t.action.subarray(0, k)],
    tuple: [...t.tuple.subarray(0, k)],
    dead: [...t.dead.subarray(0, t.deadCount)],
    violations: [...t.violations.values()],
  });
  assert.deepEqual([n, byState.successors, byState.perState], [3, 3, 3]);
  assert.deepEqual(read(byState, n), read(whole, n));
  assert.deepEqual(read(whole, n).dead, [1]);
  assert.deepEqual(read(whole, n).parent, [30, 30, 32]);
  assert.deepEqual(read(whole, n).violations, [{
    code: range,
    level: 2,
    from: 32,
    action: 1,
    tuple: 0,
  }]);
  // The half-read batch's codes were counted too (counts add up across batches).
  assert.equal(byState.codeCounts[0]![guard], whole.codeCounts[0]![guard]! + 2);
});
