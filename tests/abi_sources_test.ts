/**
 * `loadCompiled` from every kind of `SpecSource` (URL, URL string,
 * relative and absolute paths of `<name>.js`, `<name>.core.wasm` and the
 * component `<name>.wasm`, their bytes, a `WebAssembly.Module`, over HTTP
 * from a local server) gives the same verdicts on the same steps; each
 * way a load fails is a `SpecLoadError` with its reason and where.
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import { Buffer } from "node:buffer";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { loadCompiled, SpecLoadError } from "../lib/abi/mod.ts";
import type { CompiledSpec, SpecLoadReason, SpecSource } from "../lib/abi/mod.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";

const dir = await compiledDir("lease");
const coreBytes = await Deno.readFile(`${dir}/lease.core.wasm`);
const componentBytes = await Deno.readFile(`${dir}/lease.wasm`);

/** The steps every source is driven through, and what the spec answers (read off lease.vigil). */
const STEPS: readonly [string, number][] = [
  ["acquire", 2],
  ["acquire", 3],
  ["release", 3],
  ["release", 2],
  ["acquire", 9],
  ["acquire", 1],
];
const EXPECTED = [
  "ok",
  "guard_failed: require mode == free",
  "guard_failed: require mode == held and owner == c",
  "ok",
  "bad_argument: c",
  "ok",
];
const EXPECTED_STATE = { mode: "held", owner: 1, token: 2, granted: { 0: 0, 1: 2, 2: 1, 3: 0 } };

/** Steps a fresh instance through {@link STEPS}; each verdict as `kind: detail`. */
function drive(spec: CompiledSpec): { verdicts: string[]; state: unknown } {
  const inst = spec.create();
  const verdicts = STEPS.map(([action, c]) => {
    const a = spec.actionIndex(action);
    const v = spec.verdict(spec.stepFn(a)(inst, ...spec.encodeArgs(a, { c })));
    return v.kind === "ok" ? "ok" : `${v.kind}: ${v.detail}`;
  });
  return { verdicts, state: spec.view(spec.readSlots(inst)) };
}

/** Asserts that `promise` rejects with a SpecLoadError of `reason` whose message matches. */
async function rejectsWith(
  promise: Promise<unknown>,
  reason: SpecLoadReason,
  message: RegExp,
  where?: string | RegExp,
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof SpecLoadError, `not a SpecLoadError: ${e}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    if (typeof where === "string") assert.equal(e.where, where);
    else if (where !== undefined) assert.match(e.where, where);
    return true;
  });
}

const SOURCES: Record<string, () => SpecSource> = {
  "a URL of <name>.js": () => new URL(`file://${dir}/lease.js`),
  "a URL string of <name>.core.wasm": () => `file://${dir}/lease.core.wasm`,
  "a relative path of <name>.js": () => relative(Deno.cwd(), `${dir}/lease.js`),
  "an absolute path of <name>.js": () => `${dir}/lease.js`,
  "an absolute path of <name>.core.wasm": () => `${dir}/lease.core.wasm`,
  "an absolute path of the component <name>.wasm": () => `${dir}/lease.wasm`,
  "a relative path of the component <name>.wasm": () => relative(Deno.cwd(), `${dir}/lease.wasm`),
  "a Uint8Array of the core module": () => coreBytes,
  "a Uint8Array of the component": () => componentBytes,
  "an ArrayBuffer of the core module": () => coreBytes.slice().buffer,
  "an ArrayBuffer of the component": () => componentBytes.slice().buffer,
  "a Node Buffer of the component": () => Buffer.from(componentBytes),
  "a view into a larger buffer": () => {
    const big = new Uint8Array(coreBytes.length + 16);
    big.set(coreBytes, 7);
    return big.subarray(7, 7 + coreBytes.length);
  },
  "a WebAssembly.Module": () => new WebAssembly.Module(coreBytes),
};

for (const [kind, source] of Object.entries(SOURCES)) {
  Deno.test(`loadCompiled from ${kind} gives the spec's verdicts`, async () => {
    const spec = await loadCompiled(source());
    assert.equal(spec.meta.name, "Lease");
    const { verdicts, state } = drive(spec);
    assert.deepEqual(verdicts, EXPECTED);
    assert.deepEqual(state, EXPECTED_STATE);
  });
}

Deno.test("loadSpec from each kind of source monitors the same way", async () => {
  for (const [kind, source] of Object.entries(SOURCES)) {
    const lease = await loadSpec(source());
    const m = lease.monitor({ key: kind, mode: "observe" });
    const verdicts = STEPS.map(([action, c]) => {
      const v = m.step(action, { c });
      return v.kind === "ok" ? "ok" : `${v.kind}: ${v.detail}`;
    });
    assert.deepEqual(verdicts, EXPECTED, kind);
    assert.deepEqual(m.state, EXPECTED_STATE, kind);
  }
});

Deno.test("two loads of the same source are independent instances", async () => {
  const a = await loadCompiled(coreBytes);
  const b = await loadCompiled(coreBytes);
  drive(a);
  assert.equal(a.instances, 1);
  assert.equal(b.instances, 0);
});

/** Serves `dir` on a free loopback port; `/status/<n>` answers status n. */
function serveDir(): { origin: string; server: Deno.HttpServer<Deno.NetAddr> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    const status = /^\/status\/(\d+)\//.exec(path);
    if (status !== null) return new Response("no", { status: Number(status[1]) });
    try {
      return new Response(await Deno.readFile(`${dir}${path}`));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return { origin: `http://127.0.0.1:${server.addr.port}`, server };
}

Deno.test("loadCompiled fetches http URLs of <name>.js, <name>.core.wasm and <name>.wasm", async () => {
  const { origin, server } = serveDir();
  try {
    for (const file of ["lease.js", "lease.core.wasm", "lease.wasm"]) {
      const spec = await loadCompiled(`${origin}/${file}`);
      assert.deepEqual(drive(spec).verdicts, EXPECTED, file);
    }
    await rejectsWith(
      loadCompiled(new URL(`${origin}/gone.js`)),
      "not_found",
      /^No core module \(beside the bindings 'http:.*\/gone\.js'\) at 'http:.*\/gone\.core\.wasm' \(HTTP status 404\)$/,
      `${origin}/gone.core.wasm`,
    );
    await rejectsWith(
      loadCompiled(`${origin}/status/503/lease.wasm`),
      "unreadable",
      /HTTP status 503$/,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("loadCompiled reports a file that is not there as not_found, naming it", async () => {
  await rejectsWith(
    loadCompiled(`${dir}/nope.core.wasm`),
    "not_found",
    /^No compiled spec at 'file:\/\/.*\/nope\.core\.wasm'$/,
    `file://${dir}/nope.core.wasm`,
  );
  await rejectsWith(loadCompiled(`${dir}/nope.wasm`), "not_found", /nope\.wasm/);
});

Deno.test("loadCompiled reports a directory as unreadable", async () => {
  await rejectsWith(loadCompiled(dir), "unreadable", /^Cannot read compiled spec 'file:/);
});

Deno.test("loadCompiled refuses what is not WebAssembly as not_wasm", async () => {
  await rejectsWith(
    loadCompiled(`${dir}/lease.d.ts`),
    "not_wasm",
    /lease\.d\.ts' is not WebAssembly \(it starts with bytes [0-9a-f ]+, not the WebAssembly magic 00 61 73 6d\)/,
  );
  await rejectsWith(
    loadCompiled(new Uint8Array()),
    "not_wasm",
    /it is empty/,
    "Uint8Array of 0 bytes",
  );
  const broken = coreBytes.slice(0, 40);
  await rejectsWith(loadCompiled(broken), "not_wasm", /^Cannot compile 'Uint8Array of 40 bytes'/);
  const truncated = componentBytes.slice(0, 100);
  await rejectsWith(
    loadCompiled(truncated),
    "not_wasm",
    /^Component 'Uint8Array of 100 bytes' is truncated: section 1 at byte 8 runs past its end/,
  );
});

/** A component whose only core module is an empty module (no `vigil` section). */
function componentWithoutVigil(): Uint8Array {
  const core = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 1, core.length, ...core]);
}

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
}

/** A custom section `vigil` holding `payload`. */
function vigilSection(payload: string): number[] {
  const enc = new TextEncoder();
  const body = [5, ...enc.encode("vigil"), ...enc.encode(payload)];
  return [0, ...leb(body.length), ...body];
}

/** A core module of the given sections. */
function coreOf(...sections: number[][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sections.flat()]);
}

/** A core module holding only a custom section `vigil` with `payload`. */
function coreWithSection(payload: string): Uint8Array<ArrayBuffer> {
  return coreOf(vigilSection(payload));
}

/** The `vigil` section of the compiled Lease, as text. */
const LEASE_META_TEXT = new TextDecoder().decode(
  WebAssembly.Module.customSections(new WebAssembly.Module(coreBytes), "vigil")[0]!,
);

Deno.test("loadCompiled refuses a component with no vigil section as missing_meta", async () => {
  await rejectsWith(
    loadCompiled(componentWithoutVigil()),
    "missing_meta",
    /^Component 'Uint8Array of 18 bytes' holds no core module with a 'vigil' custom section \(1 core modules\)/,
  );
});

Deno.test("loadCompiled takes the core module with the vigil section among a component's core modules", async () => {
  const empty = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const component = new Uint8Array([
    ...[0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0],
    ...[0, 4, 3, 0x61, 0x62, 0x63], // a custom section "abc"
    ...[1, empty.length, ...empty],
    ...[1, ...leb(coreBytes.length), ...coreBytes],
  ]);
  assert.ok(coreBytes.length > 127, "the section size takes more than one LEB128 byte");
  assert.deepEqual(drive(await loadCompiled(component)).verdicts, EXPECTED);
});

Deno.test("loadCompiled refuses a WebAssembly.Module without the vigil section as missing_meta", async () => {
  const empty = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await rejectsWith(
    loadCompiled(empty),
    "missing_meta",
    /^The WebAssembly\.Module has no 'vigil' custom section/,
    "WebAssembly.Module",
  );
});

Deno.test("loadCompiled refuses a core module of another ABI version as abi_mismatch", async () => {
  const meta = JSON.stringify({ abi: 7, name: "Old" });
  await rejectsWith(
    loadCompiled(coreWithSection(meta)),
    "abi_mismatch",
    /^Compiled spec 'Old' in 'Uint8Array of \d+ bytes' uses ABI version 7, this loader understands version 1/,
  );
  await rejectsWith(
    loadCompiled(new WebAssembly.Module(coreWithSection(meta))),
    "abi_mismatch",
    /in 'WebAssembly\.Module' uses ABI version 7/,
  );
});

Deno.test("loadCompiled refuses a spec compiled from another source as source_mismatch", async () => {
  const lease = await loadCompiled(coreBytes);
  const good = await loadCompiled(coreBytes, { sourceHash: lease.meta.sourceHash });
  assert.equal(good.meta.name, "Lease");
  await rejectsWith(
    loadCompiled(`${dir}/lease.js`, { sourceHash: "0".repeat(64) }),
    "source_mismatch",
    /^Compiled spec 'Lease' in 'file:.*\/lease\.core\.wasm' was compiled from source [0-9a-f]{64}, expected 0{64}/,
  );
});

Deno.test("a relative path where there is no working directory is relative_path", async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "process");
  assert.ok(saved !== undefined && saved.configurable === true);
  Object.defineProperty(globalThis, "process", { value: undefined, configurable: true });
  try {
    await rejectsWith(
      loadCompiled("dist/lease.js"),
      "relative_path",
      /^Cannot resolve relative path 'dist\/lease\.js' without a working directory/,
      "dist/lease.js",
    );
    const spec = await loadCompiled(new URL(`file://${dir}/lease.core.wasm`));
    assert.equal(spec.meta.name, "Lease", "a URL needs no working directory");
  } finally {
    Object.defineProperty(globalThis, "process", saved);
  }
});

Deno.test("loadCompiled refuses a core module that imports something as bad_bindings", async () => {
  // (import "env" "f" (func)): a type section and an import section.
  const types = [1, 4, 1, 0x60, 0, 0];
  const imports = [2, 9, 1, 3, ...new TextEncoder().encode("env"), 1, 0x66, 0, 0];
  await rejectsWith(
    loadCompiled(coreOf(types, imports, vigilSection(LEASE_META_TEXT))),
    "bad_bindings",
    /^The core module of 'Uint8Array of \d+ bytes' imports 'env\.f': a compiled spec imports nothing$/,
  );
});

Deno.test("loadCompiled refuses a core module without the exports its metadata names as bad_bindings", async () => {
  await rejectsWith(
    loadCompiled(coreWithSection(LEASE_META_TEXT)),
    "bad_bindings",
    /^The core module of 'Uint8Array of \d+ bytes' exports no 'memory'$/,
  );
  // (memory (export "memory") 1) and nothing else.
  const memory = [5, 3, 1, 0, 1];
  const exports = [7, 10, 1, 6, ...new TextEncoder().encode("memory"), 2, 0];
  await rejectsWith(
    loadCompiled(coreOf(memory, exports, vigilSection(LEASE_META_TEXT))),
    "bad_bindings",
    /^The core module of 'Uint8Array of \d+ bytes' has no export 'create'$/,
  );
});

Deno.test("loadCompiled rejects a value that is no kind of spec source with a TypeError", async () => {
  await assert.rejects(
    loadCompiled(42 as unknown as SpecSource),
    new TypeError(
      "Expected a URL, a path, bytes or a WebAssembly.Module as the spec source, got 'number'",
    ),
  );
});
