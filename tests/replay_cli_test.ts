import assert from "node:assert/strict";
import {
  LEASE_MAPPING,
  leaseBindings,
  leaseHistory,
  nodeFiles,
  replayArgs,
  type Step,
  vigil,
  withLogFiles,
} from "./replay_fixture.ts";

function withLogs(
  steps: readonly Step[],
  run: (dir: string, files: string[]) => Promise<void>,
): Promise<void> {
  return withLogFiles(LEASE_MAPPING, nodeFiles(steps), run);
}

Deno.test("vigil replay exits 0 on a clean log and prints the summary", async () => {
  const spec = await leaseBindings();
  await withLogs(leaseHistory(), async (dir, files) => {
    const r = await vigil(replayArgs(spec, dir, ["--window", "200ms", ...files]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /replay: 3 file\(s\), 24 lines \(12 mapped, 12 filtered, 0 unmapped, 0 blank\)/,
    );
    assert.match(r.stdout, /partitions: 2 \(2 ok, 0 violated, 0 unknown\)/);
  });
});

Deno.test("vigil replay judges a log whose keys are longer than the collector's length limit (the logs are the user's own)", async () => {
  const spec = await leaseBindings();
  // 5,000 bytes: over the collector's default maxKeyBytes (4,096), which guards it against senders.
  const long = "L".repeat(5_000);
  const steps = leaseHistory().map((s): Step => s.lock === "L2" ? { ...s, lock: long } : s);
  await withLogs(steps, async (dir, files) => {
    const r = await vigil(replayArgs(spec, dir, ["--window", "200ms", ...files]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /partitions: 2 \(2 ok, 0 violated, 0 unknown\)/);
  });
});

Deno.test("vigil replay exits 1 with the violating lines, and --json prints the report", async () => {
  const spec = await leaseBindings();
  const steps = leaseHistory().map((s): Step =>
    s.n === "c" && s.lock === "L2" && s.event === "acquire" ? { ...s, t: 1_120 } : s
  );
  await withLogs(steps, async (dir) => {
    const text = await vigil(replayArgs(spec, dir, [dir]));
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /global invariant OneHolder \(line 33:3\) violated in 'L2'/);
    assert.match(text.stdout, /b\.ndjson:\d+ +b #\d+ +acquire\(c: 1\) ok/);
    assert.match(text.stdout, /c\.ndjson:\d+ +c #\d+ +acquire\(c: 2\) ok +<- violating line/);
    const json = await vigil(replayArgs(spec, dir, ["--json", dir]));
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.summary.violations, 1);
    assert.equal(report.violations[0].property.item, "global invariant OneHolder");
    assert.match(report.violations[0].at.file, /c\.ndjson$/);
  });
});

Deno.test("vigil replay exits 2 on usage errors and invalid mappings", async () => {
  const spec = await leaseBindings();
  await withLogs(leaseHistory(), async (dir, files) => {
    const noMap = await vigil(["replay", "--spec", spec, ...files]);
    assert.equal(noMap.code, 2);
    assert.match(noMap.stderr, /--map/);
    await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ node: "host", key: "lock" }));
    const bad = await vigil(["replay", "--spec", spec, "--map", `${dir}/bad.json`, ...files]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Mapping field 'action': required/);
    const win = await vigil(replayArgs(spec, dir, ["--window", "soon", ...files]));
    assert.equal(win.code, 2);
  });
});
