/**
 * The cost of the generated class's enum label tables, which have no
 * prototype (so a label named `__proto__` or `toString` is just a label):
 * a typed step with an enum argument against the untyped monitor's step
 * by index (the same compiled step, no label lookup), and the lookup alone
 * in a table with no prototype against a plain object literal.
 *
 * Run: `deno bench -A bench/typed_labels_bench.ts`
 */
import { compileToTemp } from "../tools/harness/spec_files.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";

const SOURCE = [
  "spec Door",
  "  type Pos = enum { open, shut, locked }",
  "  state p: Pos = shut",
  "  action set(x: Pos)",
  "    p := x",
  "",
].join("\n");

const compiled = await compileToTemp("door", SOURCE);
const { DoorMonitor } = await import(`file://${compiled.dir}/door.monitor.ts`);
await DoorMonitor.load();
const typed = new DoorMonitor({ key: "d1" });
const untyped = (await loadSpec(`${compiled.dir}/door.core.wasm`)).monitor({ key: "d2" });
const STEPS = 1000;
const LABELS = ["open", "shut", "locked", "shut"];
let sink = 0;

// The answers agree before anything is measured.
for (let i = 0; i < 12; i++) {
  const a = typed.trySet(LABELS[i & 3]).code;
  const b = untyped.tryStepIndex(0, [0, 1, 2, 1][i & 3]!).code;
  if (a !== 0 || b !== 0 || typed.state.p !== untyped.state.p) {
    throw new Error(`Typed and untyped Door differ at step ${i}`);
  }
}

Deno.bench("untyped tryStepIndex(0, index) (no label lookup)", {
  group: "step",
  baseline: true,
}, () => {
  for (let i = 0; i < STEPS; i++) sink += untyped.tryStepIndex(0, i % 3).code;
});

Deno.bench("typed trySet(label) (table without prototype)", { group: "step" }, () => {
  for (let i = 0; i < STEPS; i++) sink += typed.trySet(LABELS[i & 3]).code;
});

type Table = { readonly [label: string]: number };
const plain: Table = { open: 0, shut: 1, locked: 2 };
const noProto: Table = Object.setPrototypeOf({ open: 0, shut: 1, locked: 2 }, null);
const lookup = (t: Table, label: string) => t[label]!;

Deno.bench("label lookup in a plain object literal", {
  group: "lookup",
  baseline: true,
}, () => {
  for (let i = 0; i < STEPS; i++) sink += lookup(plain, LABELS[i & 3]!);
});

Deno.bench("label lookup in a table without prototype", { group: "lookup" }, () => {
  for (let i = 0; i < STEPS; i++) sink += lookup(noProto, LABELS[i & 3]!);
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
  Deno.removeSync(compiled.dir, { recursive: true });
});
