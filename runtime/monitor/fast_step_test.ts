import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { compileToTemp } from "../../tools/harness/spec_files.ts";
import { rng } from "../../tools/harness/spec_mutations.ts";
import { outcome, valueOf } from "./testdata/random_steps.ts";
import { LoadedSpecImpl } from "./load_spec.ts";
import { createMonitorPool } from "./monitor_pool.ts";
import type { ActionArgs, Monitor, MonitorMode } from "./monitor_types.ts";

const SPECS = ["lease", "account", "calc", "counter3", "mutex", "order", "raft", "toggle"];
const STEPS = 4000;

/** The arguments of a random step of `spec`: sometimes none, sometimes an argument missing. */
function argsOf(spec: LoadedSpecImpl, a: number, next: () => number): ActionArgs | undefined {
  if (next() < 0.01) return undefined;
  const args: Record<string, unknown> = {};
  for (const p of a < 0 ? [] : spec.meta.actions[a]!.params) {
    if (next() > 0.02) args[p.name] = valueOf(p.type, next, 0.04);
  }
  return args as ActionArgs;
}

/**
 * Steps `spec` through monitors without a sink (the fast step) and with a
 * sink (the general path) on one random sequence: the same verdicts,
 * errors, states and violation counts.
 */
function compareWithGeneralPath(spec: LoadedSpecImpl, mode: MonitorMode, seed: number): void {
  const next = rng(seed);
  const fast: Monitor = spec.monitor({ key: "k", mode });
  const general: Monitor = spec.monitor({ key: "k", mode, sink: { push: () => undefined } });
  const pool = createMonitorPool(spec, { mode });
  const h = pool.open("k");
  const names = [...spec.actions, "no_such_action", "toString", "__proto__"];
  let refused = 0;
  for (let step = 0; step < STEPS; step++) {
    const action = names[Math.floor(next() * names.length)]!;
    const args = argsOf(spec, spec.actionIndex(action), next);
    const what = `${spec.name} step ${step}: ${action}(${
      JSON.stringify(args, (_, v) => typeof v === "bigint" ? `${v}n` : v)
    })`;
    const throws = next() < 0.5;
    const want = outcome(() => throws ? general.step(action, args) : general.tryStep(action, args));
    const got = outcome(() => throws ? fast.step(action, args) : fast.tryStep(action, args));
    const inPool = outcome(() =>
      throws ? pool.step(h, action, args) : pool.tryStep(h, action, args)
    );
    assert.deepEqual(got, want, what);
    assert.deepEqual(inPool, want, `${what} (pool)`);
    assert.deepEqual(fast.stateBytes(), general.stateBytes(), `${what}: state`);
    assert.deepEqual(pool.stateBytes(h), general.stateBytes(), `${what}: pool state`);
    if ((want as { verdict?: { code: number } }).verdict?.code !== 0) refused++;
  }
  assert.ok(refused > 0 && refused < STEPS, `${spec.name}: the sequence had steps and refusals`);
  assert.equal(fast.violations, general.violations, `${spec.name}: violations`);
  assert.equal(pool.violations, general.violations, `${spec.name}: pool violations`);
}

for (const generate of [true, false]) {
  const kind = generate ? "generated" : "generic";
  Deno.test(`The ${kind} fast step gives the general path's verdicts, errors and states on random steps of every example spec`, async () => {
    for (const [i, name] of SPECS.entries()) {
      const compiled = await loadCompiled(new URL(`../../dist/${name}.core.wasm`, import.meta.url));
      const spec = new LoadedSpecImpl(compiled, { generate });
      assert.equal(spec.fastStepGenerated, generate, `${name}: the ${kind} implementation`);
      for (const mode of ["enforce", "observe"] as const) {
        compareWithGeneralPath(spec, mode, 977 * i + 1);
      }
    }
  });
}

Deno.test("Both fast steps find every action of a spec of more than 8 actions, with names and labels like Object.prototype members", async () => {
  const actions = Array.from({ length: 10 }, (_, i) => [
    `  action a${i}(toString: 0..3, m: Mode, b: bool)`,
    `    require toString != ${i % 4}`,
    `    v := toString`,
    `    last := m`,
  ]).flat();
  const source = [
    "spec Many",
    "  type Mode = enum { __proto__, constructor, plain }",
    "  state v: 0..3 = 0",
    "  state last: Mode = plain",
    ...actions,
    "",
  ].join("\n");
  const compiled = await compileToTemp("many", source);
  for (const generate of [true, false]) {
    const spec = new LoadedSpecImpl(await loadCompiled(`${compiled.dir}/many.core.wasm`), {
      generate,
    });
    assert.equal(spec.fastStepGenerated, generate);
    compareWithGeneralPath(spec, "enforce", generate ? 5 : 6);
    const inst = spec.takeBlock();
    for (let i = 0; i < 10; i++) {
      const c = (i + 1) % 4;
      assert.equal(spec.fastStep(inst, `a${i}`, { toString: c, m: "constructor", b: true }), 0);
      assert.deepEqual(spec.compiled.view(spec.compiled.readSlots(inst)), {
        v: c,
        last: "constructor",
      });
    }
    // The general path takes what the lookup objects do not hold as their own numbers:
    // `__proto__` (no own key of a lookup object) and inherited names.
    const args = { toString: 1, m: "__proto__", b: false };
    assert.equal(spec.fastStep(inst, "a0", args), -1);
    assert.equal(spec.monitor({ key: "m" }).step("a0", args).kind, "ok");
    assert.equal(spec.fastStep(inst, "toString", {}), -1);
    assert.equal(spec.fastStep(inst, "a0", { toString: 1, m: "toString", b: true }), -1);
    assert.equal(spec.fastStep(inst, "a0", { m: "plain", b: true }), -1, "a missing argument");
  }
});

Deno.test("Where code generation from strings is forbidden, loadSpec takes the generic fast step and steps as elsewhere", async () => {
  const script = [
    'import { LoadedSpecImpl } from "./runtime/monitor/load_spec.ts";',
    'import { loadCompiled } from "./lib/abi/loader.ts";',
    "let evalRefused = false;",
    'try { new Function("return 1"); } catch (e) { evalRefused = e instanceof EvalError; }',
    'const spec = new LoadedSpecImpl(await loadCompiled("dist/lease.core.wasm"));',
    'const m = spec.monitor({ key: "k" });',
    'const codes = [m.tryStep("acquire", { c: 2 }).code, m.tryStep("acquire", { c: 1 }).code, m.tryStep("release", { c: 2 }).code];',
    "console.log(JSON.stringify({ evalRefused, generated: spec.fastStepGenerated, codes }));",
  ].join("\n");
  const run = async (flags: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", ...flags, "--ext=ts", script],
      cwd: new URL("../..", import.meta.url).pathname,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return JSON.parse(text) as { evalRefused: boolean; generated: boolean; codes: number[] };
  };
  const forbidden = await run(["--v8-flags=--disallow-code-generation-from-strings"]);
  const allowed = await run([]);
  assert.deepEqual([forbidden.evalRefused, forbidden.generated], [true, false]);
  assert.deepEqual([allowed.evalRefused, allowed.generated], [false, true]);
  assert.deepEqual(forbidden.codes, allowed.codes);
  assert.deepEqual(allowed.codes.map((c) => c === 0), [true, false, true]);
});
