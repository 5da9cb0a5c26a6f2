/**
 * Property: no legal spec name breaks the compiled spec or its generated
 * class. Specs are generated with names drawn from a pool holding every
 * JavaScript reserved word, the `Object` built-ins (`__proto__`,
 * `constructor`, `toString`, ...), global names the generated module could
 * meet (`Promise`, `Parameters`, `Record`, ...) and the generator's own
 * helper names (`OK`, `hStep`, `gCheck`, `KIndex`, ...) and names whose WIT
 * and camelCase spellings collide (`a_b`, `aB`, `x__y`), used for the spec,
 * types, enum labels, state variables, actions, parameters and invariants.
 * Each is compiled (`lib/compile.ts` into a temporary directory), its
 * generated class is imported, and on random action sequences the typed
 * class (plain method in observe mode, `try` and `check` variants, on its
 * fast path and, with a sink, through the shared machinery), the untyped
 * `loadSpec(...).monitor().tryStep` and the interpreter (`lib/interpreter/`)
 * must give the same verdicts and states. Seeded: the seed is printed on
 * failure and `VIGIL_SEED=<n>` replays it; bounded in count and time.
 */
import assert from "node:assert/strict";
import { KEYWORDS } from "../lib/syntax/lexer.ts";
import { initialState, step as interpretStep } from "../lib/interpreter/interpreter.ts";
import type { Program, StateVar } from "../lib/ir.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import type { EventSink } from "../runtime/monitor/monitor_types.ts";
import { compileToTemp } from "../tools/harness/spec_files.ts";
import type { SpecMeta } from "../lib/abi/meta.ts";
import { tsNames } from "../lib/gen/ts_names.ts";
import { Rand } from "./fuzz/rand.ts";
import { registerUnsafeProtoRerun } from "../tools/harness/unsafe_proto.ts";

/** JavaScript's reserved words (all editions, strict mode) and TypeScript's contextual keywords. */
const RESERVED = (
  "break case catch class const continue debugger default delete do else enum export extends " +
  "false finally for function if import in instanceof new null return super switch this throw " +
  "true try typeof var void while with implements interface let package private protected " +
  "public static yield await async of get set as declare namespace module keyof readonly " +
  "unique infer is asserts satisfies accessor abstract override out any unknown never string " +
  "number bigint boolean symbol object undefined type require global intrinsic arguments eval"
).split(" ");

/** `Object` members and globals a generated module could meet. */
const BUILT_INS = (
  "__proto__ constructor toString hasOwnProperty prototype valueOf isPrototypeOf " +
  "propertyIsEnumerable toLocaleString __defineGetter__ __lookupSetter__ length name " +
  "NaN Infinity Object Array Promise Parameters Record Readonly Partial Error TypeError " +
  "RangeError URL Symbol Map Set JSON Math Number String Boolean globalThis import_meta"
).split(" ");

/** Names the generator emits or emitted for itself, and the class's own members. */
const HELPERS = (
  "OK found inst code options spec loading loadFrom bind loaded SOURCE SOURCE_HASH loadSpec " +
  "TypedMonitor TypedMonitorOptions LoadedSpec SpecSource Verdict GuardError SpecLoadError " +
  "fastPaths hStep gCheck fStep fCheck KIndex ModeIndex state key load close from source " +
  "error labels0 step0 check0 K L M"
).split(" ");

/** Names whose kebab-case (WIT) and camelCase (bindings) spellings are easy to get wrong. */
const CASES = "a_b x_y aB A_B a1_b x__y a_b_c HTTPServer getURL v2Beta_3x _ __ _1 a__".split(" ");

/** The names of the issue's failures, drawn more often than the rest of the pool. */
const HOT = (
  "__proto__ constructor toString hasOwnProperty prototype valueOf OK hStep gCheck KIndex " +
  "options class default delete new this yield await a_b x_y aB A_B"
).split(" ");

/** Names of `Object.prototype` members, which a plain object key can reach or set. */
const OBJECT_MEMBERS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

/** Every legal spec name of the pool (the language's own keywords excluded). */
const POOL = [...new Set([...RESERVED, ...BUILT_INS, ...HELPERS, ...CASES])].filter((n) =>
  !KEYWORDS.has(n) && n !== "int" && n !== "bool" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)
);

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Draws distinct names, some derived the way the generator derives its own. */
class Names {
  readonly #rand: Rand;
  readonly #used = new Set<string>();

  constructor(rand: Rand) {
    this.#rand = rand;
  }

  /** Whether `name` is a global name already drawn. */
  has(name: string): boolean {
    return this.#used.has(name);
  }

  /** A fresh global name (types, labels, state variables share one namespace). */
  fresh(derived: readonly string[] = []): string {
    for (let i = 0; i < 50; i++) {
      const pick = derived.length > 0 && this.#rand.chance(0.3)
        ? this.#rand.pick(derived)
        : this.#rand.pick(this.#rand.chance(0.25) ? HOT : POOL);
      if (!this.#used.has(pick) && !KEYWORDS.has(pick)) {
        this.#used.add(pick);
        return pick;
      }
    }
    const name = `n${this.#used.size}`;
    this.#used.add(name);
    return name;
  }
}

/** A parameter's kind in the generated spec. */
type ParamKind = "enum" | "range" | "bool" | "int";

interface GenAction {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly kind: ParamKind }[];
}

interface GenSpec {
  readonly source: string;
  readonly specName: string;
  readonly labels: readonly string[];
  readonly actions: readonly GenAction[];
}

/** A random spec whose every name comes from the pool. */
function generateSpec(rand: Rand): GenSpec {
  const names = new Names(rand);
  const specName = names.fresh();
  const base = upperFirst(specName);
  const generated = ["Monitor", "State", "Verdict", "Action", "Args", "Spec", "Source"]
    .map((s) => `${base}${s}`);
  const enumName = names.fresh(generated);
  const rangeName = names.fresh(generated);
  // Labels end up as object keys (the class's label tables, map keys in a state): one is
  // named like an `Object` member half the time.
  const labels = [
    names.fresh(rand.chance(0.5) ? OBJECT_MEMBERS : []),
    names.fresh(),
    names.fresh(),
  ];
  const [vEnum, vRange, vBool, vInt, vMap, vFlags] = [0, 1, 2, 3, 4, 5].map(() => names.fresh());
  const actionNames: string[] = [];
  const actionPool = [...POOL, "tryA", "checkA", "A", "a"];
  while (actionNames.length < 5) {
    const n = rand.chance(0.3) && actionNames.length > 0
      ? `try${upperFirst(rand.pick(actionNames))}`
      : rand.pick(actionPool);
    if (!actionNames.includes(n) && !KEYWORDS.has(n)) actionNames.push(n);
  }
  const paramNames = (count: number, action: string): string[] => {
    const derived = [`${action}Step`, `${action}Check`, `${enumName}Index`, "OK", "options"];
    const out: string[] = [];
    while (out.length < count) {
      const n = rand.chance(0.3) ? rand.pick(derived) : rand.pick(rand.chance(0.25) ? HOT : POOL);
      // A parameter may not shadow a global name (VIG208).
      if (!out.includes(n) && !KEYWORDS.has(n) && !names.has(n)) out.push(n);
    }
    return out;
  };
  const [a0, a1, a2, a3, a4] = actionNames as [string, string, string, string, string];
  const p0 = paramNames(2, a0);
  const p1 = paramNames(2, a1);
  const p3 = paramNames(5, a3);
  const p4 = paramNames(1, a4);
  const [l0, l1, l2] = labels as [string, string, string];
  const source = [
    `spec ${specName}`,
    `  type ${enumName} = enum { ${labels.join(", ")} }`,
    `  type ${rangeName} = 0..3`,
    `  state ${vEnum}: ${enumName} = ${l0}`,
    `  state ${vRange}: ${rangeName} = 0`,
    `  state ${vBool}: bool = false`,
    `  state ${vInt}: int = 0`,
    `  state ${vMap}: map[${enumName}, ${rangeName}] = 0`,
    `  state ${vFlags}: map[bool, ${enumName}] = ${l1}`,
    "",
    `  action ${a0}(${p0[0]}: ${enumName}, ${p0[1]}: ${rangeName})`,
    `    require ${vEnum} != ${p0[0]}`,
    `    ${vEnum} := ${p0[0]}`,
    `    ${vRange} := ${p0[1]}`,
    `    ${vMap}[${p0[0]}] := ${p0[1]}`,
    "",
    `  action ${a1}(${p1[0]}: bool, ${p1[1]}: int)`,
    `    require ${p1[1]} >= 0 and ${p1[1]} < 100`,
    `    ${vBool} := ${p1[0]}`,
    `    ${vInt} := ${vInt} + ${p1[1]}`,
    `    ${vFlags}[${p1[0]}] := ${vEnum}`,
    "",
    `  action ${a2}`,
    `    require ${vBool}`,
    `    ${vBool} := false`,
    `    ${vRange} := 0`,
    "",
    `  action ${a3}(${p3[0]}: ${enumName}, ${p3[1]}: ${rangeName}, ${p3[2]}: bool, ${p3[3]}: int, ${
      p3[4]
    }: ${enumName})`,
    `    require ${p3[0]} != ${p3[4]} or ${p3[2]}`,
    `    ${vMap}[${p3[4]}] := ${p3[1]}`,
    `    ${vInt} := ${vInt} + ${p3[3]}`,
    "",
    `  action ${a4}(${p4[0]}: ${enumName})`,
    `    require ${p4[0]} == ${l2} or ${vMap}[${p4[0]}] < 3`,
    `    ${vMap}[${p4[0]}] := ${vMap}[${p4[0]}] + 1`,
    "",
    `  invariant ${names.fresh()} ${vInt} <= 400`,
    "",
  ].join("\n");
  const kinds = (ps: string[], ks: ParamKind[]) => ps.map((name, i) => ({ name, kind: ks[i]! }));
  return {
    source,
    specName,
    labels,
    actions: [
      { name: a0, params: kinds(p0, ["enum", "range"]) },
      { name: a1, params: kinds(p1, ["bool", "int"]) },
      { name: a2, params: [] },
      { name: a3, params: kinds(p3, ["enum", "range", "bool", "int", "enum"]) },
      { name: a4, params: kinds(p4, ["enum"]) },
    ],
  };
}

/** A random argument: mostly legal, sometimes not (an unknown label, out of range, a fraction). */
function drawArg(rand: Rand, kind: ParamKind, labels: readonly string[]): unknown {
  switch (kind) {
    case "enum":
      return rand.chance(0.85) ? rand.pick(labels) : rand.pick(POOL);
    case "range":
      return rand.chance(0.85) ? rand.int(4) : rand.pick([4, -1, 1.5]);
    case "bool":
      return rand.chance(0.5);
    case "int":
      return rand.range(-5, 60);
  }
}

/** The number an argument crosses the WASM boundary as (what the interpreter takes). */
function argNumber(value: unknown, kind: ParamKind, labels: readonly string[]): number {
  if (kind === "bool") return value ? 1 : 0;
  if (kind === "enum") {
    const i = labels.indexOf(value as string);
    return i < 0 ? NaN : i;
  }
  return value as number;
}

/** A state decoded from interpreter slots as `[name, value]` entries (maps as entries too). */
function viewOf(vars: readonly StateVar[], slots: readonly bigint[]): unknown[] {
  const scalar = (t: StateVar["type"], v: bigint): unknown => {
    if (t.kind === "bool") return v !== 0n;
    if (t.kind === "enum") return t.labels[Number(v)];
    return Number(v);
  };
  return vars.map((v) => {
    if (v.type.kind !== "map") return [v.name, scalar(v.type, slots[v.base]!)];
    const t = v.type;
    const keys = t.key.kind === "bool"
      ? ["false", "true"]
      : t.key.kind === "enum"
      ? t.key.labels
      : Array.from({ length: v.size }, (_, i) => String(i));
    return [v.name, keys.map((k, i) => [k, scalar(t.value, slots[v.base + i]!)])];
  });
}

/** A state view (an object) as `[name, value]` entries, own properties only. */
function entriesOf(view: Record<string, unknown>): unknown[] {
  return Object.entries(view).map(([k, v]) =>
    typeof v === "object" && v !== null ? [k, Object.entries(v)] : [k, v]
  );
}

// deno-lint-ignore no-explicit-any
type AnyMonitor = any;

const SPECS = Number(Deno.env.get("VIGIL_NAME_SPECS") ?? 12);
const STEPS = 60;
const BUDGET_MS = 90_000;

Deno.test("Property: for specs named from reserved words, built-ins and the generator's helpers, the typed class, tryStep and the interpreter agree", async () => {
  const seed = Number(Deno.env.get("VIGIL_SEED") ?? crypto.getRandomValues(new Uint32Array(1))[0]);
  const rand = new Rand(seed);
  const started = Date.now();
  let specs = 0;
  let steps = 0;
  let refused = 0;
  const noSink: EventSink = { push: () => undefined };
  for (let s = 0; s < SPECS && Date.now() - started < BUDGET_MS; s++) {
    const gen = generateSpec(rand);
    const where = (what: string) =>
      `seed ${seed} (replay: VIGIL_SEED=${seed}), spec ${s}: ${what}\n${gen.source}`;
    const file = `names_${s}`;
    let compiled;
    try {
      compiled = await compileToTemp(file, gen.source);
    } catch (e) {
      assert.fail(where(`a legal spec did not compile: ${e}`));
    }
    try {
      const program: Program = compiled.program;
      const mod = await import(`file://${compiled.dir}/${file}.monitor.ts`);
      const className = Object.keys(mod).find((k) => typeof mod[k] === "function");
      assert.ok(className !== undefined, where("no class exported"));
      const Typed = mod[className];
      await Typed.load();
      const fast: AnyMonitor = new Typed({ mode: "observe" });
      const slow: AnyMonitor = new Typed({ mode: "observe", sink: noSink });
      const untyped = (await loadSpec(`${compiled.dir}/${file}.core.wasm`)).monitor();
      let state = initialState(program).state;
      const methods = methodTable(compiled.spec.meta, Typed.prototype);
      for (let i = 0; i < STEPS; i++) {
        const index = rand.int(gen.actions.length);
        const action = gen.actions[index]!;
        const args = action.params.map((p) => drawArg(rand, p.kind, gen.labels));
        const numbers = action.params.map((p, k) => argNumber(args[k], p.kind, gen.labels));
        const expected = interpretStep(program, state, index, numbers);
        const what = `step ${i}: ${action.name}(${args.map((a) => JSON.stringify(a)).join(", ")})`;
        const [plain, tryName, checkName] = methods[index]!;
        const checked = fast[checkName](...args);
        assert.equal(checked.code, expected.code, where(`${what}: ${checkName}`));
        const byPlain = rand.chance(0.5);
        const typedVerdict = byPlain ? fast[plain](...args) : fast[tryName](...args);
        const slowVerdict = rand.chance(0.5) ? slow[plain](...args) : slow[tryName](...args);
        const argObject = Object.fromEntries(action.params.map((p, k) => [p.name, args[k]]));
        const labelled = action.params.every((p, k) =>
          p.kind !== "enum" || gen.labels.includes(args[k] as string)
        );
        // The untyped monitor refuses to encode a string that is no label (a TypeError naming
        // the labels); the typed class passes it on and the spec answers bad_argument.
        let untypedVerdict = typedVerdict;
        if (labelled) untypedVerdict = untyped.tryStep(action.name, argObject);
        else assert.throws(() => untyped.tryStep(action.name, argObject), TypeError, where(what));
        assert.deepEqual(
          [typedVerdict.code, slowVerdict.code, untypedVerdict.code],
          [expected.code, expected.code, expected.code],
          where(`${what}: verdicts (typed fast, typed slow, tryStep) vs the interpreter`),
        );
        assert.equal(typedVerdict.kind, untypedVerdict.kind, where(what));
        assert.equal(typedVerdict.kind, slowVerdict.kind, where(what));
        state = expected.state;
        const want = viewOf(program.vars, state);
        assert.deepEqual(entriesOf(fast.state), want, where(`${what}: typed state`));
        assert.deepEqual(entriesOf(slow.state), want, where(`${what}: typed state (sink)`));
        assert.deepEqual(entriesOf(untyped.state), want, where(`${what}: tryStep state`));
        steps++;
        if (expected.code !== 0) refused++;
      }
      specs++;
    } finally {
      await Deno.remove(compiled.dir, { recursive: true });
    }
  }
  assert.ok(specs >= Math.min(SPECS, 3), `seed ${seed}: only ${specs} specs in the time budget`);
  assert.ok(refused > 0 && refused < steps, `seed ${seed}: ${refused} of ${steps} steps refused`);
});

const ISSUE = [
  "spec Names",
  "  type K = enum { __proto__, b }",
  "  state k: K = b",
  "  state n: 0..3 = 0",
  "  state m: map[K, 0..3] = 0",
  "  action set(x: K)",
  "    k := x",
  "    m[x] := m[x] + 1",
  "  action f(OK: 0..3)",
  "    n := OK",
  "  action h(hStep: 0..3)",
  "    n := hStep",
  "  action g(gCheck: 0..3, KIndex: K)",
  "    require KIndex == b",
  "    n := gCheck",
  "  action toString",
  "    n := 3",
  "",
].join("\n");

Deno.test("The issue's names: a __proto__ label, parameters named OK, hStep, gCheck and KIndex", async () => {
  const compiled = await compileToTemp("names_issue", ISSUE);
  try {
    const { NamesMonitor } = await import(`file://${compiled.dir}/names_issue.monitor.ts`);
    await NamesMonitor.load();
    const m = new NamesMonitor();
    assert.equal(m.trySet("__proto__").kind, "ok");
    assert.equal(m.state.k, "__proto__");
    assert.equal(m.set("b").kind, "ok");
    assert.equal(m.set("__proto__").kind, "ok");
    assert.deepEqual(Object.entries(m.state.m), [["__proto__", 2], ["b", 1]]);
    assert.deepEqual(Object.keys(m.state), ["k", "n", "m"]);
    for (const notLabel of ["toString", "constructor", "hasOwnProperty", "valueOf"]) {
      assert.equal(m.trySet(notLabel).kind, "bad_argument", notLabel);
    }
    assert.equal(m.f(3).kind, "ok");
    assert.equal(m.state.n, 3);
    assert.equal(m.h(2).kind, "ok");
    assert.equal(m.state.n, 2);
    assert.equal(m.checkG(1, "b").kind, "ok");
    assert.equal(m.tryG(1, "b").kind, "ok");
    assert.equal(m.tryG(2, "__proto__").kind, "guard_failed");
    assert.equal(m.state.n, 1);
    // An action named like an Object member gets '$': String(m) does not step it.
    assert.equal(String(m), "[object Object]");
    assert.equal(m.state.n, 1);
    assert.equal(m.toString$().kind, "ok");
    assert.equal(m.state.n, 3);
    const untyped = (await loadSpec(`${compiled.dir}/names_issue.core.wasm`)).monitor();
    assert.equal(untyped.tryStep("set", { x: "__proto__" }).kind, "ok");
    assert.deepEqual(Object.entries(untyped.state.m as object), [["__proto__", 1], ["b", 0]]);
  } finally {
    await Deno.remove(compiled.dir, { recursive: true });
  }
});

/**
 * The plain, `try` and `check` methods of each action, as the generator
 * names them: checked to be distinct, each an own method of the class.
 */
function methodTable(meta: SpecMeta, proto: object): [string, string, string][] {
  const table = tsNames(meta).actions.map((a): [string, string, string] => [
    a.method,
    a.tryMethod,
    a.checkMethod,
  ]);
  const all = table.flat();
  assert.equal(new Set(all).size, all.length, `method names clash: ${all.join(", ")}`);
  const own = new Set(Object.getOwnPropertyNames(proto));
  for (const m of all) assert.ok(own.has(m), `no method '${m}' on the class`);
  return table;
}

registerUnsafeProtoRerun(import.meta.url, {
  passed: 3,
  name: "The same hold where Object.prototype.__proto__ is a setter, as in Node and Bun",
  env: { VIGIL_NAME_SPECS: "6" },
});
