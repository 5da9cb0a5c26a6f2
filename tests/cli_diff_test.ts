/**
 * `vigil diff old new` as CI runs it (real subprocesses on spec files
 * written here): what changed is listed (variables added, removed,
 * retyped; enum labels; actions; properties), and the exit code says
 * whether nodes of both versions can run side by side: 0 compatible, 1
 * incompatible with the reasons, 2 for a usage error or a spec that does
 * not check. The verdict is the one the state conversion rules give
 * (`lib/abi/state_convert.ts`, computed here independently of the diff).
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { noStack, runVigil } from "./cli_process.ts";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { planConversion } from "../lib/abi/state_convert.ts";
import { metaOfSource } from "../cli/diff_command.ts";

const V1 = `spec Job
  type Phase = enum { queued, running, done, paused }
  state phase: Phase = queued
  state tries: 0..3 = 0
  state owner: 0..9 = 0

  action claim(w: 0..9)
    require phase == queued
    phase := running
    owner := w

  action finish
    require phase == running
    phase := done

  action pause
    require phase == running
    phase := paused

  invariant TriesBounded
    tries <= 3

  global invariant OneRunner
    forall a, b in nodes: a.phase == running and b.phase == running implies a == b
`;

/** Adds a variable and a label, widens a range, adds an action, changes a global invariant. */
const V2_COMPATIBLE = V1
  .replace(
    "enum { queued, running, done, paused }",
    "enum { queued, running, done, paused, failed }",
  )
  .replace("state tries: 0..3 = 0", "state tries: 0..5 = 0\n  state note: bool = false")
  .replace("  invariant TriesBounded\n    tries <= 3", "  invariant TriesBounded\n    tries <= 5")
  .replace(
    "  action pause\n",
    "  action fail\n    require phase == running\n    phase := failed\n\n  action pause\n",
  )
  .replace("implies a == b", "implies a.owner == b.owner");

/** Removes the label `paused` (and its action), retypes `owner`, drops `tries`. */
const V2_INCOMPATIBLE = V1
  .replace("enum { queued, running, done, paused }", "enum { queued, running, done }")
  .replace("  action pause\n    require phase == running\n    phase := paused\n\n", "")
  .replace("state tries: 0..3 = 0\n", "")
  .replace("  invariant TriesBounded\n    tries <= 3\n\n", "")
  .replace("state owner: 0..9 = 0", "state owner: bool = false")
  .replace("    owner := w", "    owner := true")
  .replace("implies a == b", "implies a.owner == b.owner");

async function withSpecs(
  files: Readonly<Record<string, string>>,
  run: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "vigil_diff_" });
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(`${dir}/${name}`, text);
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("vigil diff: adding a variable, a label, an action and widening a range is compatible (exit 0)", async () => {
  // The conversion rules, asked directly, agree that every state converts.
  const plan = planConversion(
    await metaOfSource(V1, "v1"),
    await metaOfSource(V2_COMPATIBLE, "v2"),
  );
  assert.deepEqual([plan.retyped, plan.risks], [[], []]);
  await withSpecs({ "v1.vigil": V1, "v2.vigil": V2_COMPATIBLE }, async (dir) => {
    const r = await runVigil(["diff", `${dir}/v1.vigil`, `${dir}/v2.vigil`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const text = r.stdout;
    assert.match(text, /^Job: .*v1\.vigil -> .*v2\.vigil\n/);
    assert.match(text, /\n {2}~ tries: 0\.\.3 = 0 -> 0\.\.5 = 0 {2}\(converts\)\n/);
    assert.match(text, /\n {2}\+ note: bool = false {2}\(starts at its initial value\)\n/);
    assert.match(text, /\nenum labels:\n {2}~ phase \(Phase\): \+failed\n/);
    assert.match(text, /\nactions:\n {2}\+ fail\(\)\n/);
    assert.match(text, /\n {2}~ global invariant OneRunner {2}\(text changed\)\n/);
    assert.match(text, /\n {2}~ invariant TriesBounded {2}\(text changed\)\n/);
    assert.match(text, /\ncompatible: nodes of both versions can run side by side/);
    assert.doesNotMatch(text, /incompatible/);

    const json = await runVigil(["diff", "--json", `${dir}/v1.vigil`, `${dir}/v2.vigil`]);
    assert.equal(json.code, 0);
    const d = JSON.parse(json.stdout);
    assert.equal(d.compatible, true);
    assert.deepEqual(d.reasons, []);
    assert.deepEqual(
      d.variables.map((e: { change: string; name: string }) => `${e.change} ${e.name}`),
      ["changed phase", "changed tries", "added note"],
    );
    assert.deepEqual(d.labels, [{
      variable: "phase",
      type: "Phase",
      added: ["failed"],
      removed: [],
    }]);
    assert.deepEqual(d.actions, [{ change: "added", name: "fail", after: "fail()" }]);
  });
});

Deno.test("vigil diff: a retyped variable and a removed label are incompatible (exit 1) with the reasons", async () => {
  const plan = planConversion(
    await metaOfSource(V1, "v1"),
    await metaOfSource(V2_INCOMPATIBLE, "v2"),
  );
  assert.deepEqual(plan.retyped.map((p) => p.variable), ["owner"]);
  assert.deepEqual(plan.risks.map((p) => p.variable), ["phase"]);
  await withSpecs({ "v1.vigil": V1, "v2.vigil": V2_INCOMPATIBLE }, async (dir) => {
    const r = await runVigil(["diff", `${dir}/v1.vigil`, `${dir}/v2.vigil`]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const text = r.stdout;
    assert.match(
      text,
      /\n {2}~ owner: 0\.\.9 = 0 -> bool = false {2}\(retyped: no state converts\)\n/,
    );
    assert.match(text, /\n {2}- tries: 0\.\.3 = 0 {2}\(dropped\)\n/);
    assert.match(text, /\n {2}~ phase \(Phase\): -paused\n/);
    assert.match(text, /\n {2}- pause\(\)\n/);
    assert.match(text, /\n {2}- invariant TriesBounded\n/);
    assert.match(text, /\nincompatible for a rolling upgrade:\n/);
    assert.match(text, /\n {2}- Variable 'owner' .*: no state converts\n/);
    assert.match(
      text,
      /\n {2}- Variable 'phase' loses label 'paused': a state holding such a value does not convert/,
    );
    const d = JSON.parse(
      (await runVigil(["diff", "--json", `${dir}/v1.vigil`, `${dir}/v2.vigil`])).stdout,
    );
    assert.equal(d.compatible, false);
    assert.equal(d.reasons.length, 2);
  });
});

Deno.test("vigil diff: a renamed spec is incompatible; the same file is identical and compatible", async () => {
  await withSpecs(
    { "v1.vigil": V1, "renamed.vigil": V1.replace("spec Job", "spec Task") },
    async (dir) => {
      const r = await runVigil(["diff", `${dir}/v1.vigil`, `${dir}/renamed.vigil`]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^Job -> Task: /);
      assert.match(r.stdout, /renamed from 'Job' to 'Task'/);
      const same = await runVigil(["diff", `${dir}/v1.vigil`, `${dir}/v1.vigil`]);
      assert.equal(same.code, 0);
      assert.match(same.stdout, /\nno change \(same source hash\)\n/);
    },
  );
});

Deno.test("vigil diff: a CRLF copy with a byte-order mark is identical to the LF source", async () => {
  const crlf = "\uFEFF" + V1.replaceAll("\n", "\r\n");
  assert.notEqual(crlf, V1);
  await withSpecs({ "lf.vigil": V1, "crlf.vigil": crlf }, async (dir) => {
    const r = await runVigil(["diff", `${dir}/lf.vigil`, `${dir}/crlf.vigil`, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const diff = JSON.parse(r.stdout);
    assert.equal(diff.identical, true);
    assert.equal(diff.old.hash, diff.new.hash);
    const text = await runVigil(["diff", `${dir}/crlf.vigil`, `${dir}/lf.vigil`]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\nno change \(same source hash\)\n/);
  });
  const lf = await metaOfSource(V1, "lf.vigil");
  const other = await metaOfSource(crlf, "crlf.vigil");
  assert.equal(other.sourceHash, lf.sourceHash);
});

Deno.test("vigil diff compares compiled bindings with a source, and says what it cannot compare", async () => {
  const lease = `${await compiledDir("lease")}/lease.js`;
  await withSpecs({
    "lease.vigil": specSource("lease").replace(
      "type Mode = enum { free, held }",
      "type Mode = enum { free, held, expired }",
    ),
  }, async (dir) => {
    const r = await runVigil(["diff", lease, `${dir}/lease.vigil`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\n {2}~ mode \(Mode\): \+expired\n/);
    assert.match(
      r.stdout,
      /\nnote: The text of actions and properties is compared only when both sides are \.vigil sources\n/,
    );
  });
});

Deno.test("vigil diff: wrong arguments and a spec with errors exit 2 with one line, no stack", async () => {
  const one = await runVigil(["diff", `${ROOT}specs/lease.vigil`]);
  assert.equal(one.code, 2);
  assert.equal(
    one.stderr,
    "vigil diff: Expected two specs, the old version and the new one, got 1\n",
  );
  const missing = await runVigil(["diff", `${ROOT}specs/lease.vigil`, "no/such.vigil"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^vigil diff: Cannot read spec 'no\/such\.vigil'/);
  await withSpecs({ "bad.vigil": "spec Bad\nstate x: nat = 0\n" }, async (dir) => {
    const bad = await runVigil(["diff", `${ROOT}specs/lease.vigil`, `${dir}/bad.vigil`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.vigil:2:10: error VIG201: Unknown type 'nat'/);
    assert.match(
      bad.stderr,
      /\nvigil diff: Spec '.*bad\.vigil' does not check: 1 error \(printed above\)\n$/,
    );
    assert.ok(noStack(bad.stderr), bad.stderr);
  });
});
