import assert from "node:assert/strict";
import { FIXED_EXPORTS } from "./codegen.ts";
import { DISPATCH_EXPORTS, META_SECTION, type SpecMeta } from "../../abi/meta.ts";
import { callAction, instantiateProgram, leaseProgram, readState } from "./fixtures.ts";
import * as interp from "../../interpreter/interpreter.ts";

const lease = leaseProgram();
const code = (detail: string) => lease.verdicts.find((v) => v.detail === detail)!.code;

Deno.test("buildCoreModule exports exactly the WIT functions, the memory and the vigil section", () => {
  const { core, meta } = instantiateProgram(lease);
  const module = new WebAssembly.Module(core.wasm as BufferSource);
  const names = WebAssembly.Module.exports(module).map((e) => `${e.kind}:${e.name}`).sort();
  const expected = [
    "memory:memory",
    ...Object.values(FIXED_EXPORTS).map((n) => `function:${n}`),
    "function:global-after",
    "function:global-agg-after",
    ...["step-acquire", "check-acquire", "step-release", "check-release"].map((n) =>
      `function:${n}`
    ),
    ...Object.values(DISPATCH_EXPORTS).map((n) => `function:${n}`),
  ].sort();
  assert.deepEqual(names, expected);
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  const sections = WebAssembly.Module.customSections(module, META_SECTION);
  assert.equal(sections.length, 1);
  const parsed = JSON.parse(new TextDecoder().decode(sections[0]!)) as SpecMeta;
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(meta)));
  assert.match(core.text, /\(export "step-acquire"/);
});

Deno.test("buildCoreModule builds a valid module without optimization too", () => {
  const { exports } = instantiateProgram(lease, false);
  const i = exports.create(1);
  assert.equal(callAction(exports, "step-acquire", i, [2]), 0);
  assert.equal(exports["read-slot"](i, 1), 2n);
});

Deno.test("create allocates instances in the initial state, laid out per meta.slots", () => {
  const { exports, meta } = instantiateProgram(lease);
  assert.equal(exports["instance-count"](), 0);
  assert.equal(exports.create(2), 0);
  assert.equal(exports.create(3), 2);
  assert.equal(exports["instance-count"](), 5);
  assert.equal(callAction(exports, "step-acquire", 3, [2]), 0);
  const ptr = exports["state-ptr"](3);
  assert.equal(exports["state-ptr"](4) - ptr, meta.stride);
  const view = new DataView(exports.memory.buffer);
  const at = (slot: number) => ptr + meta.slots[slot]!.offset;
  assert.equal(view.getUint8(at(0)), 1); // mode held
  assert.equal(view.getUint8(at(1)), 2); // owner 2
  assert.equal(view.getBigInt64(at(2), true), 1n); // token
  assert.equal(view.getBigInt64(at(3 + 2), true), 1n); // granted[2]
  assert.deepEqual(readState(exports, 7, 3), [1n, 2n, 1n, 0n, 0n, 1n, 0n]);
  assert.deepEqual(readState(exports, 7, 2), [0n, 0n, 0n, 0n, 0n, 0n, 0n]);
});

Deno.test("create grows memory past 64 KiB and fails cleanly beyond 4 GiB", () => {
  const { exports, meta } = instantiateProgram(lease);
  const before = exports.memory.buffer.byteLength;
  const n = Math.ceil((3 * 65536) / meta.stride);
  assert.equal(exports.create(n), 0);
  assert.ok(exports.memory.buffer.byteLength > before + 2 * 65536);
  assert.equal(callAction(exports, "step-acquire", n - 1, [3]), 0);
  assert.deepEqual(readState(exports, 7, n - 1), [1n, 3n, 1n, 0n, 0n, 0n, 1n]);
  assert.deepEqual(readState(exports, 7, n - 2), [0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  assert.equal(exports.create(0x7fffffff) >>> 0, 0xffffffff);
  assert.equal(exports["instance-count"](), n);
});

Deno.test("reset restores the initial state of one instance", () => {
  const { exports } = instantiateProgram(lease);
  exports.create(2);
  callAction(exports, "step-acquire", 0, [1]);
  callAction(exports, "step-acquire", 1, [2]);
  exports.reset(0);
  assert.deepEqual(readState(exports, 7, 0), [0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  assert.equal(exports["read-slot"](1, 1), 2n);
});

Deno.test("write-slot stores values of the slot's type and refuses others", () => {
  const { exports } = instantiateProgram(lease);
  exports.create(1);
  assert.equal(exports["write-slot"](0, 1, 3n), 0);
  assert.equal(exports["write-slot"](0, 1, 4n), 1);
  assert.equal(exports["write-slot"](0, 1, -1n), 1);
  assert.equal(exports["write-slot"](0, 0, 2n), 1);
  assert.equal(exports["write-slot"](0, 2, -(1n << 63n)), 0);
  assert.equal(exports["write-slot"](0, 6, (1n << 63n) - 1n), 0);
  assert.equal(exports["write-slot"](0, 7, 0n), 1);
  assert.equal(exports["write-slot"](1, 0, 0n), 1);
  assert.deepEqual(readState(exports, 7, 0), [0n, 3n, -(1n << 63n), 0n, 0n, 0n, (1n << 63n) - 1n]);
});

Deno.test("step returns each verdict kind and leaves the state unchanged on failure", () => {
  const { exports } = instantiateProgram(lease);
  exports.create(1);
  const state = () => readState(exports, 7, 0);
  const s0 = state();
  for (const bad of [4, -1, 1.5, NaN, Infinity, 2 ** 64]) {
    assert.equal(callAction(exports, "step-acquire", 0, [bad]), code("c"));
  }
  assert.equal(
    callAction(exports, "step-release", 0, [0]),
    code("require mode == held and owner == c"),
  );
  assert.deepEqual(state(), s0);
  assert.equal(callAction(exports, "check-acquire", 0, [1]), 0);
  assert.deepEqual(state(), s0, "check never applies");
  assert.equal(callAction(exports, "step-acquire", 0, [1]), 0);
  assert.equal(callAction(exports, "step-acquire", 0, [1]), code("require mode == free"));
  assert.equal(callAction(exports, "step-release", 0, [1]), 0);
  exports["write-slot"](0, 2, (1n << 63n) - 1n);
  const s1 = state();
  assert.equal(callAction(exports, "step-acquire", 0, [0]), code("token + 1: overflow"));
  assert.deepEqual(state(), s1);
  exports["write-slot"](0, 2, 5n);
  exports["write-slot"](0, 0, 1n);
  assert.equal(exports["check-invariants"](0), code("..."));
  exports["write-slot"](0, 4, 5n);
  assert.equal(exports["check-invariants"](0), 0);
});

Deno.test("step checks invariants on the post-state with prev reading the pre-state", () => {
  const { exports } = instantiateProgram(lease);
  exports.create(1);
  exports["write-slot"](0, 2, -5n);
  assert.equal(callAction(exports, "step-acquire", 0, [3]), 0);
  assert.deepEqual(readState(exports, 7, 0), [1n, 3n, -4n, 0n, 0n, 0n, -4n]);
});

Deno.test("liveness, global-check and global-liveness follow the interpreter", () => {
  const { exports, initial } = instantiateProgram(lease);
  exports.create(3);
  const all = () => [0, 1, 2].map((i) => readState(exports, 7, i));
  const agree = () => {
    for (const i of [0, 1, 2]) {
      assert.equal(exports.liveness(i) >>> 0, interp.liveness(lease, all()[i]!));
    }
    for (const [first, count] of [[0, 3], [0, 2], [1, 2], [2, 1], [0, 0]] as const) {
      const states = all().slice(first, first + count);
      assert.equal(exports["global-check"](first, count), interp.globalCheck(lease, states));
      assert.equal(
        exports["global-liveness"](first, count) >>> 0,
        interp.globalLiveness(lease, states),
      );
    }
  };
  assert.deepEqual(all()[0], [...initial]);
  agree();
  callAction(exports, "step-acquire", 1, [1]);
  agree();
  callAction(exports, "step-acquire", 2, [2]);
  agree();
  assert.notEqual(exports["global-check"](0, 3), 0);
});

Deno.test("dispatch-step and dispatch-check call the action of the index", () => {
  const { exports } = instantiateProgram(lease);
  const i = exports.create(1);
  const dispatch = (name: string, ...args: number[]) =>
    (exports as unknown as Record<string, (...a: number[]) => number>)[name]!(...args);
  assert.equal(dispatch("dispatch-check", i, 1, 2), code("require mode == held and owner == c"));
  assert.equal(dispatch("dispatch-step", i, 0, 2), 0);
  assert.equal(dispatch("dispatch-step", i, 0, 2), code("require mode == free"));
  assert.equal(dispatch("dispatch-check", i, 1, 2), 0);
  assert.equal(exports["read-slot"](i, 1), 2n, "check does not apply");
  assert.equal(dispatch("dispatch-step", i, 1, 2.5), lease.actions[1]!.params[0]!.code);
  assert.equal(dispatch("dispatch-step", i, 2, 2), 1, "unknown action index");
  assert.equal(dispatch("dispatch-step", i, 1, 2), 0);
});
