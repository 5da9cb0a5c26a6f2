/**
 * One checked step of the Lease spec, side by side:
 * - the same check hand-written in JavaScript (baseline),
 * - the compiled component through its jco 1.10.2 bindings (`stepFn`),
 * - the reference interpreter.
 * Plus compile time of every example spec.
 *
 * Run: `deno bench -A bench/step_bench.ts`
 */
import { compile } from "../lib/compile.ts";
import * as interp from "../lib/interpreter/interpreter.ts";
import { loadCompiled } from "../lib/abi/mod.ts";

const root = new URL("..", import.meta.url).pathname;
const leaseSource = Deno.readTextFileSync(`${root}specs/lease.vigil`);
const compiled = await compile(leaseSource, { fileName: "lease.vigil" });
const dir = Deno.makeTempDirSync({ prefix: "vigil-bench-" });
for (const [name, bytes] of compiled.files) Deno.writeFileSync(`${dir}/${name}`, bytes);
const lease = await loadCompiled(`${dir}/lease.js`);
const program = compiled.program!;

// --- hand-written JS: the same guards, assignments, overflow, range and invariant checks
const FREE = 0, HELD = 1, MAX = 9223372036854775807;
const js = { mode: FREE, owner: 0, token: 0, granted: [0, 0, 0, 0] };
function jsAcquire(c: number): number {
  if (!Number.isInteger(c) || c < 0 || c > 3) return 2;
  if (js.mode !== FREE) return 3;
  if (js.token + 1 > MAX || js.token + 2 > MAX) return 4;
  const token = js.token + 1;
  const prev = js.token;
  if (!(token >= prev)) return 5;
  js.mode = HELD;
  js.owner = c;
  js.token = token;
  js.granted[c] = token;
  if (js.mode === HELD && js.granted[js.owner] !== js.token) return 6;
  return 0;
}
function jsRelease(c: number): number {
  if (!Number.isInteger(c) || c < 0 || c > 3) return 2;
  if (!(js.mode === HELD && js.owner === c)) return 3;
  js.mode = FREE;
  if (!(js.token >= js.token)) return 5;
  return 0;
}

const inst = lease.create();
const acquire = lease.stepFn(lease.actionIndex("acquire"));
const release = lease.stepFn(lease.actionIndex("release"));
const checkAcquire = lease.checkFn(lease.actionIndex("acquire"));
let sink = 0;

Deno.bench("hand-written JS check (acquire + release)", { group: "step", baseline: true }, () => {
  sink += jsAcquire(2) + jsRelease(2);
});
Deno.bench("compiled component step (acquire + release)", { group: "step" }, () => {
  sink += acquire(inst, 2) + release(inst, 2);
});
Deno.bench("compiled component check-only (refused acquire x2)", { group: "step" }, () => {
  sink += checkAcquire(inst, 9) + checkAcquire(inst, 2.5);
});
let state = interp.initialState(program).state;
const ia = lease.actionIndex("acquire"), ir = lease.actionIndex("release");
Deno.bench("interpreter step (acquire + release)", { group: "step" }, () => {
  state = interp.step(program, state, ia, [2]).state;
  state = interp.step(program, state, ir, [2]).state;
});

for (
  const e of [...Deno.readDirSync(`${root}specs`)].sort((a, b) => a.name.localeCompare(b.name))
) {
  if (!e.name.endsWith(".vigil")) continue;
  const source = Deno.readTextFileSync(`${root}specs/${e.name}`);
  Deno.bench(`compile ${e.name}`, { group: "compile", n: 5, warmup: 1 }, async () => {
    const r = await compile(source, { fileName: e.name });
    if (r.files.size === 0) throw new Error(`${e.name} failed to compile`);
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
