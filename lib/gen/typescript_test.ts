import assert from "node:assert/strict";
import type { ActionMeta, SpecMeta, TypeDesc } from "../abi/meta.ts";
import { generateTypeScript } from "./typescript.ts";
import { tsNames } from "./ts_names.ts";
import { LEASE_META } from "../../tests/provenance/lease_meta.ts";

const ROOT = new URL("../../", import.meta.url);
const FAKE_ABI = new URL("tests/provenance/fake_abi.ts", ROOT).href;

/** Runs `deno <args>` and returns its exit code and output. */
async function deno(args: string[], stdin?: string): Promise<{ code: number; out: string }> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT.pathname,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout) + dec.decode(stderr) };
}

/** Writes a generated module to a temp dir and type-checks it with the project's compiler options. */
async function writeAndCheck(text: string, file = "lease.monitor.ts"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-gen-ts-" });
  const path = `${dir}/${file}`;
  await Deno.writeTextFile(path, text);
  const checked = await deno(["check", "--quiet", "--config", "deno.json", path]);
  assert.equal(checked.code, 0, `deno check failed:\n${checked.out}\n${text}`);
  return path;
}

Deno.test("generateTypeScript emits one typed method, try and check variant per action", () => {
  const text = generateTypeScript(LEASE_META, { compiled: "./lease.core.wasm" });
  assert.match(
    text,
    /^import \{ loadSpec as \$loadSpec, TypedMonitor as \$TypedMonitor \} from "@vigil\/vigil";$/m,
  );
  assert.match(text, /^export type Mode = "free" \| "held";$/m);
  assert.match(text, /^export type Client = number;$/m);
  assert.match(text, /^ {2}readonly token: number;$/m);
  assert.match(text, /^ {2}readonly granted: \{ readonly \[\$K in Client\]: number \};$/m);
  assert.doesNotMatch(text, /bigint;|bigint>/, "no integer is typed bigint");
  assert.match(text, /^export class LeaseMonitor extends \$TypedMonitor \{$/m);
  for (const action of ["acquire", "release"]) {
    const cap = action[0]!.toUpperCase() + action.slice(1);
    const plain = new RegExp(
      `^ {2}${action}\\(c: Client, options\\?: LeaseStepOptions\\): LeaseVerdict \\{$`,
      "m",
    );
    assert.equal(text.split("\n").filter((l) => plain.test(l)).length, 1, action);
    for (const method of [`try${cap}`, `check${cap}`]) {
      const decl = new RegExp(`^ {2}${method}\\(c: Client\\): LeaseVerdict \\{$`, "m");
      assert.equal(text.split("\n").filter((l) => decl.test(l)).length, 1, method);
    }
  }
  assert.match(text, /Action `acquire` \(lease\.vigil:13\)/);
  assert.match(text, /Action `release` \(lease\.vigil:19\)/);
  assert.match(text, /new URL\("\.\/lease\.core\.wasm", import\.meta\.url\)/);
  assert.match(text, /^ {2}static load\(source\?: LeaseSource\): Promise<LeaseSpec> \{$/m);
  assert.match(text, /^ {2}static get spec\(\): LeaseSpec \{$/m);
  assert.match(
    text,
    /^export type LeaseSource = Parameters<typeof \$loadSpec>\[0\] \| \$LoadedSpec;$/m,
  );
  assert.doesNotMatch(text, /^(const|let) \w+[^=]*= await /m, "no top-level await");
});

Deno.test("generateTypeScript output is stable and already formatted by deno fmt", async () => {
  const text = generateTypeScript(LEASE_META, { compiled: "./lease.core.wasm" });
  assert.equal(generateTypeScript(LEASE_META, { compiled: "./lease.core.wasm" }), text);
  const formatted = await deno(["fmt", "--ext", "ts", "-"], text);
  assert.equal(formatted.code, 0, formatted.out);
  assert.equal(formatted.out, text);
});

/** A fresh instance of the generated Lease module over the fake SDK (its own module state). */
async function importLease(path: string, tag: string) {
  return await import(new URL(`file://${path}?${tag}`).href);
}

Deno.test("generated LeaseMonitor type-checks, loads the core module beside it and refuses a disabled action with GuardError", async () => {
  const path = await writeAndCheck(
    generateTypeScript(LEASE_META, { compiled: "./lease.core.wasm", importFrom: FAKE_ABI }),
  );
  const mod = await importLease(path, "default");
  const fake = await import(FAKE_ABI);
  assert.throws(
    () => new mod.LeaseMonitor(),
    new TypeError("Spec 'Lease' is not loaded: call 'await LeaseMonitor.load()' first"),
  );
  assert.throws(() => mod.LeaseMonitor.spec, TypeError);
  assert.ok(!fake.loadedUrls.includes(new URL("lease.core.wasm", `file://${path}`).href));
  const first = mod.LeaseMonitor.load();
  assert.equal(mod.LeaseMonitor.load(new Uint8Array()), first, "later calls share the first load");
  const spec = await first;
  assert.ok(fake.loadedUrls.includes(new URL("lease.core.wasm", `file://${path}`).href));
  assert.equal(fake.expectedHashes.at(-1), LEASE_META.sourceHash, "loadSpec checks the source");
  assert.equal(mod.LeaseMonitor.spec, spec);
  const m = new mod.LeaseMonitor({ key: "lock:orders" });
  assert.equal(m.key, "lock:orders");
  assert.equal(m.checkAcquire(2).kind, "ok");
  assert.equal(m.state.mode, "free", "check must not apply");
  assert.equal(m.acquire(2).kind, "ok");
  assert.deepEqual(m.state, {
    mode: "held",
    owner: 2,
    token: 1,
    granted: { 0: 0, 1: 0, 2: 1, 3: 0 },
  });
  assert.throws(() => m.acquire(3), (e: unknown) => {
    assert.ok(e instanceof fake.GuardError);
    const v = (e as { verdict: Record<string, unknown> }).verdict;
    assert.deepEqual(
      { kind: v.kind, item: v.item, detail: v.detail, line: v.line, column: v.column },
      {
        kind: "guard_failed",
        item: "action acquire",
        detail: "require mode == free",
        line: 14,
        column: 5,
      },
    );
    return true;
  });
  assert.equal(m.tryAcquire(3).detail, "require mode == free");
  assert.equal(m.tryRelease(7).kind, "bad_argument");
  assert.equal(m.state.owner, 2, "refused steps leave the state unchanged");
  assert.equal(m.release(2).kind, "ok");
  assert.equal(new mod.LeaseMonitor().state.mode, "free", "each monitor is its own instance");
  assert.equal(mod.LeaseMonitor.spec.meta.name, "Lease");
});

Deno.test("generated LeaseMonitor loads from a spec already loaded and refuses another spec's", async () => {
  const path = await writeAndCheck(
    generateTypeScript(LEASE_META, { compiled: "./lease.core.wasm", importFrom: FAKE_ABI }),
  );
  const fake = await import(FAKE_ABI);
  const given = await fake.loadSpec("given");
  const urls = fake.loadedUrls.length;
  const mod = await importLease(path, "given");
  assert.equal(await mod.LeaseMonitor.load(given), given);
  assert.equal(fake.loadedUrls.length, urls, "nothing else was loaded");
  assert.equal(new mod.LeaseMonitor().acquire(1).kind, "ok");
  const other = await importLease(path, "other");
  const stranger = Object.create(given, { hash: { value: "f".repeat(64) }, name: { value: "X" } });
  await assert.rejects(
    other.LeaseMonitor.load(stranger),
    new TypeError(
      "Spec 'X' was not compiled from this lease.vigil: load the one compiled with this class, or regenerate both",
    ),
  );
  assert.throws(() => new other.LeaseMonitor(), TypeError, "a refused spec is not kept");
  assert.equal(await other.LeaseMonitor.load(given), given, "a failed load can be retried");
});

const mode: TypeDesc = { kind: "enum", name: "Mode", labels: ["free", "held"] };

function action(name: string, params: [string, TypeDesc][], line: number): ActionMeta {
  return {
    name,
    stepExport: `step-${name}`,
    checkExport: `check-${name}`,
    params: params.map(([n, type], i) => ({ name: n, type, code: 20 + i })),
    range: { line, column: 3, endLine: line, endColumn: 30 },
  };
}

/** A spec whose names clash with TypeScript words and with the generated names. */
const ODD_META: SpecMeta = {
  ...LEASE_META,
  name: "odd",
  vars: [
    ...LEASE_META.vars,
    {
      name: "flags",
      type: { kind: "map", key: { kind: "bool" }, value: mode },
      base: 7,
      size: 2,
      range: LEASE_META.range,
    },
  ],
  actions: [
    action("set", [["m", mode], ["b", { kind: "bool" }], ["n", { kind: "int" }]], 40),
    action("constructor", [["default", { kind: "range", lo: "-5", hi: "5" }]], 41),
    action("key", [["new", mode]], 42),
    action("trySet", [], 43),
  ],
};

Deno.test("generated names avoid reserved words and clashes, and enum arguments are indexed", async () => {
  const names = tsNames(ODD_META);
  assert.equal(names.className, "OddMonitor");
  assert.deepEqual(
    names.actions.map((a) => [a.method, a.tryMethod, a.checkMethod]),
    [
      ["set", "trySet$", "checkSet"],
      ["constructor$", "tryConstructor$", "checkConstructor$"],
      ["key$", "tryKey$", "checkKey$"],
      ["trySet", "tryTrySet", "checkTrySet"],
    ],
  );
  assert.deepEqual(names.actions[1]!.params, ["default$"]);
  const text = generateTypeScript(ODD_META, { compiled: "./odd.core.wasm", importFrom: FAKE_ABI });
  assert.match(
    text,
    /set\(m: Mode, b: boolean, n: number, options\?: OddStepOptions\): OddVerdict/,
  );
  assert.match(text, /trySet\$\(m: Mode, b: boolean, n: number\): OddVerdict/);
  assert.match(text, /\$step0\(\$inst, \$labels0\[m\], b \? 1 : 0, n\)/);
  assert.match(text, /return this\.\$step\(0, \$labels0\[m\], b \? 1 : 0, n\);/);
  assert.match(text, /readonly flags: \{ readonly \[\$K in "false" \| "true"\]: Mode \};/);
  await writeAndCheck(text, "odd.monitor.ts");
});

/** A spec whose declarations are too long for one line each. */
const LONG_META: SpecMeta = {
  ...ODD_META,
  name: "WorkflowWithQuiteALongName",
  vars: [
    ...ODD_META.vars,
    {
      name: "status",
      type: {
        kind: "enum",
        name: "OrderStatus",
        labels: [
          "created",
          "paid",
          "shipped",
          "delivered",
          "cancelled",
          "refunded",
          "disputed",
          "lost",
        ],
      },
      base: 9,
      size: 1,
      range: LEASE_META.range,
    },
  ],
  actions: [
    ...ODD_META.actions,
    ...["markPaidAfterTheCustomerConfirmedTheOrder", "b", "c", "d", "e", "f", "g", "h", "i"].map((
      n,
      i,
    ) =>
      action(
        n,
        [["firstParameterWithALongName", mode], ["secondParameterWithALongName", mode]],
        50 + i,
      )
    ),
    action("wide", [["p1", mode], ["p2", mode], ["p3", mode], ["p4", mode], ["p5", mode]], 60),
  ],
};

Deno.test("long declarations, signatures and calls are broken as deno fmt breaks them", async () => {
  const text = generateTypeScript(LONG_META, {
    compiled: "./workflow_with_quite_a_long_name_and_more.core.wasm",
    importFrom: FAKE_ABI,
  });
  const formatted = await deno(["fmt", "--ext", "ts", "-"], text);
  assert.equal(formatted.code, 0, formatted.out);
  assert.equal(formatted.out, text);
  assert.match(text, /^export type WorkflowWithQuiteALongNameAction =$/m);
  assert.match(text, /return this\.\$stepArgs\(\n\s+13,\n\s+\[\$labels0\[p1\], /, "5 parameters");
  await writeAndCheck(text, "workflow.monitor.ts");
});

Deno.test("generated LeaseArgs lists each action's parameters by name and LeaseSpec carries it", async () => {
  const text = generateTypeScript(ODD_META, { compiled: "./odd.core.wasm", importFrom: FAKE_ABI });
  const args = text.slice(text.indexOf("export type OddArgs = {"));
  assert.equal(
    args.slice(0, args.indexOf("\n};") + 3),
    [
      "export type OddArgs = {",
      "  readonly set: { readonly m: Mode; readonly b: boolean; readonly n: number };",
      "  readonly constructor: { readonly default: number };",
      "  readonly key: { readonly new: Mode };",
      "  readonly trySet: Record<never, never>;",
      "};",
    ].join("\n"),
  );
  assert.match(text, /^export type OddSpec = \$LoadedSpec & \{ readonly \$args\?: OddArgs \};$/m);
  const path = await writeAndCheck(text, "odd.monitor.ts");
  // A user module type-checked against the generated types: the spec's action names and
  // argument types are the only ones accepted.
  const user = `${path.replace(/odd\.monitor\.ts$/, "")}user.ts`;
  await Deno.writeTextFile(
    user,
    [
      'import type { OddArgs, OddObserved, OddSpec } from "./odd.monitor.ts";',
      "declare const spec: OddSpec;",
      'export const ok: OddArgs["set"] = { m: "held", b: true, n: 3 };',
      'export const none: OddArgs["trySet"] = {};',
      "export const typed: OddArgs | undefined = spec.$args;",
      'export const partial: OddObserved = { granted: { 2: 1 }, flags: { "true": "free" } };',
      "// @ts-expect-error an enum argument is one of its labels",
      'export const badLabel: OddArgs["key"] = { new: "gone" };',
      "// @ts-expect-error an int argument is a number, never a bigint",
      'export const big: OddArgs["set"] = { m: "free", b: false, n: 3n };',
      "// @ts-expect-error no action of that name",
      'export const misspelled: OddArgs["sett"] = { m: "free" };',
      "// @ts-expect-error an int in the reported state is a number",
      "export const observedBig: OddObserved = { token: 1n };",
    ].join("\n") + "\n",
  );
  const checked = await deno(["check", "--quiet", "--config", "deno.json", user]);
  assert.equal(checked.code, 0, checked.out);
});

Deno.test("generated int parameters are numbers guarded to ±(2^53 - 1), and the plain method takes observed", () => {
  const text = generateTypeScript(ODD_META, { compiled: "./odd.core.wasm", importFrom: FAKE_ABI });
  const guards = text.split("\n").filter((l) => l.includes('throw this.$unsafeInt(0, "n", n);'));
  assert.equal(guards.length, 6, "each of the three methods of set, in the class and fast path");
  assert.equal(
    text.split("\n").filter((l) =>
      l.includes("if (n > 9007199254740991 || n < -9007199254740991) {")
    )
      .length,
    6,
  );
  assert.ok(!text.includes('$unsafeInt(1, "default"'), "a range parameter is checked by the spec");
  assert.match(text, /return this\.\$observed\(0, \{ m, b, n \}, options\.observed\);/);
  assert.match(text, /return this\.\$observed\(1, \{ default: default\$ \}, options\.observed\);/);
  assert.match(text, /return this\.\$numericState\(\) as unknown as OddState;/);
});
