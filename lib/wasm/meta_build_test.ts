import assert from "node:assert/strict";
import { buildMeta, typeDesc } from "./meta_build.ts";
import { layoutOf } from "./state_layout.ts";
import { ABI_VERSION } from "../abi/meta.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { analyze } from "../frontend.ts";
import { E, program } from "../ir_builder.ts";
import { leaseProgram } from "./codegen/fixtures.ts";

Deno.test("buildMeta describes the Lease spec: exports, types, layout, initial state, verdicts", () => {
  const p = leaseProgram();
  const init = initialState(p).state;
  const meta = buildMeta(p, init);
  assert.equal(meta.abi, ABI_VERSION);
  assert.equal(meta.name, "Lease");
  const layout = layoutOf(p);
  assert.equal(meta.stride, layout.stride);
  assert.deepEqual(meta.slots, layout.slots);
  assert.deepEqual(meta.initial, ["0", "0", "0", "0", "0", "0", "0"]);
  assert.deepEqual(meta.actions.map((a) => [a.stepExport, a.checkExport]), [
    ["step-acquire", "check-acquire"],
    ["step-release", "check-release"],
  ]);
  assert.deepEqual(meta.actions[0]!.params[0], {
    name: "c",
    type: { kind: "range", lo: "0", hi: "3", name: "Client" },
    code: p.actions[0]!.params[0]!.code,
  });
  assert.deepEqual(meta.vars[3]!.type, {
    kind: "map",
    key: { kind: "range", lo: "0", hi: "3", name: "Client" },
    value: { kind: "int" },
  });
  assert.deepEqual(meta.liveness.map((l) => [l.name, l.bit, l.withinMs]), [[
    "HolderReleases",
    0,
    30000,
  ]]);
  assert.deepEqual(meta.globalLiveness.map((l) => l.bit), [0]);
  assert.deepEqual(meta.invariants.map((i) => i.name), [
    "TokenNeverGoesBack",
    "OwnerHasLatestToken",
  ]);
  assert.deepEqual(meta.verdicts, p.verdicts);
  assert.deepEqual(JSON.parse(JSON.stringify(meta)), meta, "JSON round trip");
});

Deno.test("buildMeta writes bigint initial values as decimal strings", () => {
  const p = leaseProgram();
  const initial = [1n, 3n, -(1n << 63n), 0n, 0n, 0n, (1n << 63n) - 1n];
  assert.deepEqual(buildMeta(p, initial).initial, [
    "1",
    "3",
    "-9223372036854775808",
    "0",
    "0",
    "0",
    "9223372036854775807",
  ]);
});

Deno.test("buildMeta refuses a wrong-sized initial state and too many liveness items", () => {
  const p = leaseProgram();
  assert.throws(() => buildMeta(p, [0n]), RangeError);
  const items = Array.from({ length: 17 }, () => ({ when: E.c(1n), eventually: E.c(1n), code: 2 }));
  const many = program({ vars: [], liveness: items }).liveness;
  assert.throws(() => buildMeta({ ...p, liveness: many }, initialState(p).state), RangeError);
});

Deno.test("buildMeta names exports in kebab case for a real spec", async () => {
  const source = await Deno.readTextFile(new URL("../../specs/order.vigil", import.meta.url));
  const { program } = analyze(source);
  assert.ok(program);
  const meta = buildMeta(program, initialState(program).state);
  for (const a of meta.actions) {
    assert.match(a.stepExport, /^step-[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/);
    assert.equal(a.checkExport, a.stepExport.replace(/^step-/, "check-"));
  }
  assert.ok(meta.actions.some((a) => a.name === "setPrice" && a.stepExport === "step-set-price"));
});

Deno.test("typeDesc keeps enum labels and omits an absent range name", () => {
  assert.deepEqual(typeDesc({ kind: "range", lo: -2n, hi: 2n }), {
    kind: "range",
    lo: "-2",
    hi: "2",
  });
  assert.deepEqual(typeDesc({ kind: "enum", name: "M", labels: ["a", "b"] }), {
    kind: "enum",
    name: "M",
    labels: ["a", "b"],
  });
  assert.throws(() => typeDesc({ kind: "node" }), TypeError);
});
