/**
 * `vigil check` on specs with unbounded `int` variables: the README's own
 * command finishes with a truthful report (the growing variables named, the
 * global items listed as not checked, exit 4), the growth watch tells a
 * counter that keeps growing from one that stops, `--bound` makes such a
 * spec finite, and `--no-growth-stop` / `--max-depth` behave as documented.
 */
import assert from "node:assert/strict";
import { exploreSource } from "../lib/explore/model_checker.ts";
import { failed, incomplete } from "../lib/explore/report.ts";
import { vigilCheck } from "./check_cli_run.ts";

Deno.test("the README's 'vigil check specs/lease.vigil' ends by itself, names token and granted and lists OneHolder as not checked", async () => {
  const run = await vigilCheck(["specs/lease.vigil", "--quiet"]);
  assert.equal(run.killed, false, "the check did not end by itself");
  assert.equal(run.code, 4, run.stderr);
  const out = run.stdout;
  assert.match(
    out,
    /INCOMPLETE: stopped after \d+ distinct states: 'token' and 'granted' keep growing/,
  );
  // token counts the acquires: after L steps its largest value is ceil(L / 2).
  const samples = /\n {2}token: largest absolute value (.*)\n/.exec(out)?.[1];
  assert.ok(samples !== undefined, out);
  const pairs = [...samples.matchAll(/(\d+) at level (\d+)/g)].map((m) => [+m[1]!, +m[2]!]);
  assert.equal(pairs.length, 3);
  for (const [max, level] of pairs) assert.equal(max, Math.ceil(level! / 2));
  assert.match(out, /--bound token=10/);
  assert.match(out, /\n {2}checked {6}invariant TokenNeverGoesBack \(line 24\)/);
  assert.match(out, /\n {2}checked {6}liveness HolderReleases \(line 30\)/);
  assert.match(out, /\n {2}NOT CHECKED {2}global invariant OneHolder \(line 33\): .*--nodes 2/);
  assert.match(out, /\n {2}NOT CHECKED {2}global liveness SomeoneCanAcquire \(line 36\)/);
  assert.match(
    out,
    /\nno errors found in the states explored, but the search is INCOMPLETE; 2 items NOT CHECKED \(listed above\)\n$/,
  );
});

const WIDE = "spec Wide\nstate n: int = 0\nstate k: 0..200 = 0\n" +
  "action tick\n  k := (k + 1) % 201\n";

Deno.test("the growth watch stops a counter that keeps growing and lets one that stops finish", () => {
  const stops = exploreSource(WIDE + "action inc\n  require n < 3\n  n := n + 1\n", {
    growthAfter: 50,
  }).report!;
  assert.equal(stops.complete, true);
  assert.equal(stops.growth, null);
  assert.equal(stops.distinctStates, 4 * 201); // n in 0..3, k in 0..200
  const grows = exploreSource(WIDE + "action inc\n  n := n + 1\n", { growthAfter: 50 }).report!;
  assert.equal(grows.cutBy, "growth");
  assert.equal(grows.complete, false);
  assert.deepEqual(grows.growth!.variables.map((v) => v.name), ["n"]);
  // n goes up by one per step, so its largest value at level L is L.
  for (const s of grows.growth!.variables[0]!.samples) assert.equal(s.max, s.level);
  assert.ok(grows.growth!.states >= 50);
  assert.equal(failed(grows), false);
  assert.equal(incomplete(grows), true);
});

Deno.test("a bound keeps an unbounded counter finite: states outside it are stored, not expanded", () => {
  const source =
    "spec Walk\nstate n: int = 0\naction up\n  n := n + 1\naction down\n  n := n - 1\n";
  const report = exploreSource(source, { bounds: [{ variable: "n", lo: -2, hi: 2 }] }).report!;
  assert.equal(report.complete, true);
  assert.equal(report.distinctStates, 7); // -3..3: the two ends are reached, not expanded
  assert.equal(report.outOfBounds, 2);
  assert.equal(report.statesExpanded, 5);
  assert.equal(report.deadlockCount, 0); // an unexpanded state is not a deadlock
  assert.deepEqual(report.bounds, [{ variable: "n", lo: -2, hi: 2 }]);
});

Deno.test("vigil check --bound token=3 finishes the lease spec, says it is bounded and exits 0", async () => {
  const run = await vigilCheck(["specs/lease.vigil", "--bound", "token=3", "--quiet"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /complete: every reachable state within the bounds was explored/);
  assert.match(run.stdout, /bounded: token in -3\.\.3; \d+ states outside the bounds/);
  assert.match(run.stdout, /\nno errors found; 2 items NOT CHECKED \(listed above\)\n$/);
});

Deno.test("vigil check refuses a bound on an unknown or non-integer variable and a malformed one", async () => {
  const unknown = await vigilCheck(["specs/lease.vigil", "--bound", "tokn=3", "-q"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Bound on 'tokn': the spec has no state variable of that name/);
  assert.match(unknown.stderr, /'token'/);
  const enumBound = await vigilCheck(["specs/lease.vigil", "--bound", "mode=1", "-q"]);
  assert.equal(enumBound.code, 2);
  assert.match(enumBound.stderr, /only integer variables can be bounded, and its type is 'enum'/);
  const malformed = await vigilCheck(["specs/lease.vigil", "--bound", "token", "-q"]);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /Invalid bound 'token': expected name=N or name=lo\.\.hi/);
});

Deno.test("--no-growth-stop explores on until --max-states, and --max-depth also exits 4", async () => {
  const on = await vigilCheck([
    "specs/lease.vigil",
    "--no-growth-stop",
    "--max-states",
    "150000",
    "--json",
    "-q",
  ]);
  assert.equal(on.code, 4);
  const report = JSON.parse(on.stdout);
  assert.equal(report.cutBy, "max-states");
  assert.equal(report.growth, null);
  assert.equal(report.distinctStates, 150000);
  const depth = await vigilCheck(["specs/lease.vigil", "--max-depth", "4", "-q"]);
  assert.equal(depth.code, 4);
  assert.match(depth.stdout, /INCOMPLETE: --max-depth cut the search/);
});
