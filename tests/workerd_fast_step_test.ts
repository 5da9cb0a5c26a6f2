/**
 * The SDK's fast step inside workerd, which forbids code generation from
 * strings: a probe Worker (`tests/workerd/fast_step/probe.ts`, bundled from
 * the sources by esbuild with the compiled lease's core module beside it)
 * loads the spec from its `WebAssembly.Module`, steps a monitor by name and
 * reports which fast step the spec took. Outside workerd the same sequence
 * runs through the generated fast step; both give the same codes and state.
 *
 * The socket listens on a free 127.0.0.1 port; workerd is stopped at the end.
 */
import assert from "node:assert/strict";
import { compileToTemp, ROOT, specSource } from "../tools/harness/spec_files.ts";
import { npmTool } from "../tools/harness/npm_tool.ts";
import { runCommand } from "../tools/build_npm.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { leaseSteps } from "./workerd/fast_step/lease_steps.ts";
import { startWorkerd } from "./workerd/workerd_process.ts";

const STEPS = 2000;

Deno.test({
  name:
    "workerd: a spec loaded in a Worker takes the generic fast step (no code generation) and steps as the generated one does outside",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const lease = await compileToTemp("lease", specSource("lease"));
    const dir = await Deno.makeTempDir({ prefix: "vigil-workerd-fast-step-" });
    try {
      const here = `${ROOT}tests/workerd/fast_step`;
      await Deno.mkdir(`${dir}/build`);
      await Deno.copyFile(`${here}/config.capnp`, `${dir}/config.capnp`);
      await Deno.copyFile(`${lease.dir}/lease.core.wasm`, `${dir}/build/lease.core.wasm`);
      const esbuild = await npmTool("esbuild");
      await runCommand(esbuild, [
        `${here}/probe.ts`,
        "--bundle",
        "--format=esm",
        "--platform=neutral",
        "--external:./lease.core.wasm",
        "--external:node:*",
        `--outfile=${dir}/build/probe.mjs`,
      ], { cwd: dir, timeoutMs: 120_000 });
      const workerd = await startWorkerd(`${dir}/config.capnp`, { sockets: ["probe"] });
      let inside: { evalRefused: boolean; generated: boolean; codes: number[]; state: unknown };
      try {
        const res = await fetch(`${workerd.url("probe")}/steps?n=${STEPS}`);
        const text = await res.text();
        assert.equal(res.status, 200, `${text}\n${workerd.output()}`);
        inside = JSON.parse(text);
      } finally {
        await workerd.stop();
      }
      assert.deepEqual([inside.evalRefused, inside.generated], [true, false]);
      const spec = await loadSpec(`${lease.dir}/lease.core.wasm`);
      assert.equal((spec as unknown as { fastStepGenerated: boolean }).fastStepGenerated, true);
      const outside = leaseSteps(spec, STEPS);
      assert.deepEqual(inside.codes, outside.codes);
      assert.deepEqual(inside.state, outside.state);
      const counts = new Map<number, number>();
      for (const c of outside.codes) counts.set(c, (counts.get(c) ?? 0) + 1);
      assert.ok(
        (counts.get(0) ?? 0) > 0 && (counts.get(-1) ?? 0) > 0 && counts.size > 3,
        `the sequence has steps, refusals and errors: ${JSON.stringify([...counts])}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(lease.dir, { recursive: true });
    }
  },
});
