/**
 * The whole component path with hand-written core modules: core -> WIT +
 * component -> jco transpile -> files in a temp dir -> `loadCompiled`.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { componentize, transpileComponent } from "../lib/wasm/component.ts";
import { witOf, worldOf } from "../lib/wasm/wit.ts";
import { buildHandCore, DIAL, TOGGLE } from "../lib/wasm/testdata/hand_specs.ts";
import type { HandSpec } from "../lib/wasm/testdata/hand_specs.ts";
import { formatVerdict, loadCompiled, SpecLoadError } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";

const ROOT = await Deno.makeTempDir({ prefix: "vigil_abi_" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

/** Compiles a hand spec into a fresh temp dir; returns the path of `<name>.js`. */
async function emit(spec: HandSpec, section?: string | null): Promise<string> {
  const component = await componentize(
    buildHandCore(spec, section),
    witOf(spec.meta),
    worldOf(spec.meta),
  );
  const name = worldOf(spec.meta);
  const files = await transpileComponent(component, name);
  const dir = await Deno.makeTempDir({ dir: ROOT });
  for (const [file, bytes] of Object.entries(files)) await Deno.writeFile(join(dir, file), bytes);
  return join(dir, `${name}.js`);
}

async function load(spec: HandSpec): Promise<CompiledSpec> {
  return await loadCompiled(new URL(`file://${await emit(spec)}`));
}

Deno.test("loadCompiled drives Toggle instances through the transpiled component", async () => {
  const toggle = await load(TOGGLE);
  assert.equal(toggle.meta.name, "Toggle");
  assert.equal(toggle.create(3), 0);
  assert.equal(toggle.instances, 3);
  const flip = toggle.actionIndex("flip");
  const turnOn = toggle.actionIndex("turnOn");
  assert.equal(toggle.actionIndex("nope"), -1);
  assert.equal(toggle.stepFn(flip)(1), 0);
  assert.deepEqual(toggle.readSlots(1), [1n]);
  assert.deepEqual(toggle.view(toggle.readSlots(1)), { on: true });
  assert.deepEqual(toggle.readSlots(0), [0n]);
  assert.equal(toggle.checkFn(turnOn)(1), 3);
  const code = toggle.stepFn(turnOn)(1);
  const v = toggle.verdict(code);
  assert.deepEqual([v.kind, v.item, v.detail, v.line, v.column], [
    "guard_failed",
    "action turnOn",
    "require not on",
    7,
    3,
  ]);
  assert.equal(
    formatVerdict(v, "toggle.vigil"),
    "guard_failed in action turnOn: require not on (toggle.vigil:7:3)",
  );
  assert.equal(toggle.verdict(0).kind, "ok");
});

Deno.test("loadCompiled exposes liveness bits and global checks over contiguous instances", async () => {
  const toggle = await load(TOGGLE);
  toggle.create(3);
  assert.equal(toggle.liveness(0), 0b10);
  assert.equal(toggle.globalCheck(0, 3), 0);
  toggle.stepFn(0)(0);
  toggle.stepFn(0)(2);
  assert.equal(toggle.liveness(0), 0b01);
  assert.equal(toggle.globalCheck(0, 3), 2);
  assert.equal(toggle.verdict(2).item, "global invariant AtMostOneOn");
  assert.equal(toggle.globalCheck(1, 2), 0);
  assert.equal(toggle.globalLiveness(0, 3), 0);
  assert.equal(toggle.checkInvariants(0), 0);
});

/** Whether `fn` is an exported WebAssembly function itself (native, named by its index). */
function isWasmExport(fn: unknown): boolean {
  return typeof fn === "function" && /^\d+$/.test(fn.name) &&
    /\[native code\]/.test(Function.prototype.toString.call(fn));
}

Deno.test("stepFn, checkFn and the dispatchers are the core exports themselves, with no wrapper", async () => {
  const dial = await load(DIAL);
  assert.ok(isWasmExport(dial.stepFn(dial.actionIndex("bump"))));
  assert.ok(isWasmExport(dial.checkFn(dial.actionIndex("set"))));
  assert.throws(() => dial.stepFn(7), RangeError);
  assert.ok(isWasmExport(dial.dispatchStep));
  assert.ok(isWasmExport(dial.dispatchCheck));
  assert.ok(!isWasmExport(() => 0), "a JavaScript function is not taken for one");
});

Deno.test("dispatchStep and dispatchCheck step any action of Dial by index", async () => {
  const dial = await load(DIAL);
  const inst = dial.create();
  const set = dial.actionIndex("set");
  const bump = dial.actionIndex("bump");
  assert.equal(dial.dispatchCheck!(inst, bump, 1), 4, "require mode != off");
  assert.equal(dial.dispatchStep!(inst, set, 2, 99), 0, "an extra argument is ignored");
  assert.equal(dial.dispatchCheck!(inst, bump, 3), 0);
  assert.deepEqual(dial.view(dial.readSlots(inst)), { mode: "high", level: 0 });
  assert.equal(dial.dispatchStep!(inst, bump, 3), 0);
  assert.equal(dial.dispatchStep!(inst, bump), 3, "a missing argument is NaN");
  assert.equal(dial.dispatchStep!(inst, 2, 1), 1, "unknown action index");
  assert.deepEqual(dial.view(dial.readSlots(inst)), { mode: "high", level: 3 });
});

Deno.test("loadCompiled encodes enum and range arguments and reports verdicts of Dial", async () => {
  const dial = await load(DIAL);
  const inst = dial.create();
  const set = dial.actionIndex("set");
  const bump = dial.actionIndex("bump");
  const step = (a: number, args: Record<string, unknown>) =>
    dial.stepFn(a)(inst, ...dial.encodeArgs(a, args));
  assert.equal(dial.verdict(step(bump, { by: 1 })).detail, "require mode != off");
  assert.equal(step(set, { m: "high" }), 0);
  assert.equal(step(bump, { by: 3 }), 0);
  assert.deepEqual(dial.view(dial.readSlots(inst)), { mode: "high", level: 3 });
  assert.equal(dial.verdict(step(bump, { by: 4 })).kind, "bad_argument");
  assert.equal(dial.stepFn(bump)(inst, NaN), 3);
  assert.equal(dial.stepFn(set)(inst, 1.5), 2);
  assert.equal(dial.checkFn(bump)(inst, 2), 0);
  assert.deepEqual(dial.readSlots(inst), [2n, 3n]);
  assert.throws(() => dial.encodeArgs(set, { m: "max" }), /Action 'set' parameter 'm'/);
});

Deno.test("writeSlots validates through write-slot and leaves the state unchanged on failure", async () => {
  const dial = await load(DIAL);
  const inst = dial.create(2) + 1;
  assert.equal(
    dial.writeSlots(inst, dial.slotsOf({ mode: "low", level: 9 }, dial.readSlots(inst))),
    0,
  );
  assert.deepEqual(dial.view(dial.readSlots(inst)), { mode: "low", level: 9 });
  assert.equal(dial.verdict(dial.stepFn(1)(inst, 1)).item, "invariant BelowTen");
  assert.equal(dial.writeSlots(inst, [0n, 11n]), 2);
  assert.equal(dial.writeSlots(inst, [1n << 63n, 0n]), 1);
  assert.deepEqual(dial.readSlots(inst), [1n, 9n]);
  assert.deepEqual(dial.readSlots(0), [0n, 0n]);
  assert.throws(() => dial.writeSlots(inst, [0n]), RangeError);
  dial.reset(inst);
  assert.deepEqual(dial.readSlots(inst), [0n, 0n]);
});

Deno.test("stateBytes and setStateBytes copy packed blocks between instances", async () => {
  const dial = await load(DIAL);
  const a = dial.create(2);
  dial.writeSlots(a, [2n, 7n]);
  const bytes = dial.stateBytes(a);
  assert.deepEqual([...bytes], [2, 7, 0, 0, 0, 0, 0, 0]);
  dial.setStateBytes(a + 1, bytes);
  assert.deepEqual(dial.readSlots(a + 1), [2n, 7n]);
  bytes[1] = 1;
  assert.deepEqual(dial.readSlots(a), [2n, 7n]);
  assert.throws(() => dial.setStateBytes(a, new Uint8Array(3)), RangeError);
  assert.throws(() => dial.readSlots(5), /No instance 5 of spec 'Dial'/);
});

Deno.test("copyStateWords copies a packed block into words from any index, and refuses a range outside its target", async () => {
  const dial = await load(DIAL);
  const a = dial.create(2);
  dial.writeSlots(a, [2n, 7n]);
  const n = dial.meta.stride / 4;
  const words = new Int32Array(2 * n + 1).fill(-1);
  dial.copyStateWords!(a, words, 1);
  assert.deepEqual([...new Uint8Array(words.buffer, 4, dial.meta.stride)], [...dial.stateBytes(a)]);
  assert.equal(words[0], -1, "the word before is left alone");
  assert.equal(words[n + 1], -1, "the word after is left alone");
  dial.copyStateWords!(a + 1, words, n + 1);
  assert.deepEqual([...new Uint8Array(words.buffer, 4 * (n + 1), dial.meta.stride)], [
    ...dial.stateBytes(a + 1),
  ]);
  assert.throws(() => dial.copyStateWords!(a, words, n + 2), /state words from index/);
  assert.throws(() => dial.copyStateWords!(a, words, -1), RangeError);
  assert.throws(() => dial.copyStateWords!(5, words, 0), /No instance 5 of spec 'Dial'/);
});

Deno.test("loadCompiled refuses a stride that is not a multiple of 4 (copyStateWords copies stride / 4 whole words)", async () => {
  for (const stride of [6, 10]) {
    const path = await emit(TOGGLE, JSON.stringify({ ...TOGGLE.meta, stride }));
    await assert.rejects(
      loadCompiled(path),
      (e: unknown) =>
        e instanceof SpecLoadError && e.reason === "bad_bindings" &&
        /has unaligned state blocks/.test(e.message),
      `stride ${stride}`,
    );
  }
  // A multiple of 4 that is not one of 8 loads (the lease's stride is 44).
  const twelve = await loadCompiled(
    await emit(TOGGLE, JSON.stringify({ ...TOGGLE.meta, stride: 12 })),
  );
  assert.equal(twelve.meta.stride, 12);
});

Deno.test("loadCompiled keeps reading state after the memory grows", async () => {
  const toggle = await load(TOGGLE);
  toggle.create(1);
  assert.deepEqual(toggle.readSlots(0), [0n]);
  const first = toggle.create(20000);
  const last = first + 19999;
  toggle.stepFn(0)(last);
  assert.deepEqual(toggle.readSlots(last), [1n]);
  assert.deepEqual([...toggle.stateBytes(last)], [1, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("loadCompiled resolves a relative path against the working directory", async () => {
  const path = relative(Deno.cwd(), await emit(TOGGLE));
  const toggle = await loadCompiled(path);
  assert.equal(toggle.meta.name, "Toggle");
});

Deno.test("loadCompiled refuses a core module compiled for another ABI version", async () => {
  const path = await emit(TOGGLE, JSON.stringify({ ...TOGGLE.meta, abi: 99 }));
  await assert.rejects(loadCompiled(path), (e: unknown) => {
    assert.ok(e instanceof SpecLoadError);
    assert.equal(e.reason, "abi_mismatch");
    assert.match(
      e.message,
      /Compiled spec 'Toggle' in '.*toggle\.core\.wasm' uses ABI version 99, this loader understands version 1/,
    );
    return true;
  });
});

Deno.test("loadCompiled refuses a core module without the vigil section", async () => {
  const path = await emit(TOGGLE, null);
  await assert.rejects(
    loadCompiled(path),
    (e: unknown) => e instanceof SpecLoadError && e.reason === "missing_meta",
  );
});

Deno.test("loadCompiled refuses a vigil section that is not metadata JSON", async () => {
  await assert.rejects(
    loadCompiled(await emit(TOGGLE, "{not json")),
    (e: unknown) =>
      e instanceof SpecLoadError && e.reason === "bad_meta" && /not UTF-8 JSON/.test(e.message),
  );
  await assert.rejects(
    loadCompiled(await emit(TOGGLE, JSON.stringify({ abi: 1, name: "Toggle" }))),
    (e: unknown) =>
      e instanceof SpecLoadError && e.reason === "bad_meta" &&
      /lacks field 'slots'/.test(e.message),
  );
});

Deno.test("loadCompiled reports a missing core module beside the bindings as not_found", async () => {
  await assert.rejects(
    loadCompiled("/nonexistent/vigil/x.js"),
    (e: unknown) =>
      e instanceof SpecLoadError && e.reason === "not_found" &&
      e.where === "file:///nonexistent/vigil/x.core.wasm" &&
      /beside the bindings 'file:\/\/\/nonexistent\/vigil\/x\.js'/.test(e.message),
  );
  const path = await emit(TOGGLE);
  await Deno.remove(path.replace(/\.js$/, ".core.wasm"));
  await assert.rejects(
    loadCompiled(path),
    (e: unknown) => e instanceof SpecLoadError && e.reason === "not_found",
  );
});
