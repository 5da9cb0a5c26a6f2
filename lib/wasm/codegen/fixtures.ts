/**
 * Hand-built IR programs for the code generator's tests (they do not need
 * the parser or checker): the Lease spec of DESIGN.md and an arithmetic
 * spec exercising every failure site.
 *
 * @module
 */
import type {
  IAction,
  IAssign,
  IExpr,
  IInvariant,
  ILiveness,
  Program,
  StateVar,
  Type,
} from "../../ir.ts";
import type { SourceRange } from "../../abi/source_range.ts";
import type { VerdictEntry, VerdictKind } from "../../abi/verdict_codes.ts";
import type { SpecMeta } from "../../abi/meta.ts";
import { initialState } from "../../interpreter/interpreter.ts";
import { buildMeta } from "../meta_build.ts";
import { buildCoreModule, type CoreModule } from "./codegen.ts";

const R: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 2 };

/** Builders for IR expressions. */
export const E = {
  c: (v: bigint | number): IExpr => ({ kind: "const", value: BigInt(v) }),
  slot: (slot: number, prev = false): IExpr => ({ kind: "slot", slot, prev }),
  param: (index: number): IExpr => ({ kind: "param", index }),
  local: (index: number): IExpr => ({ kind: "local", index }),
  map: (base: number, size: number, key: IExpr, code: number, prev = false, keyLo = 0n): IExpr => ({
    kind: "map",
    base,
    keyLo,
    size,
    key,
    prev,
    code,
  }),
  arith: (op: "+" | "-" | "*" | "/" | "%", left: IExpr, right: IExpr, code: number): IExpr => ({
    kind: "arith",
    op,
    left,
    right,
    code,
  }),
  cmp: (op: "==" | "!=" | "<" | "<=" | ">" | ">=", left: IExpr, right: IExpr): IExpr => ({
    kind: "cmp",
    op,
    left,
    right,
  }),
  logic: (op: "and" | "or" | "implies", left: IExpr, right: IExpr): IExpr => ({
    kind: "logic",
    op,
    left,
    right,
  }),
  not: (operand: IExpr): IExpr => ({ kind: "not", operand }),
  neg: (operand: IExpr, code: number): IExpr => ({ kind: "neg", operand, code }),
  nodeSlot: (node: number, slot: number): IExpr => ({ kind: "nodeSlot", node, slot }),
  nodeQuant: (
    quant: "forall" | "exists" | "count" | "sum",
    local: number,
    body: IExpr,
    code = -1,
  ): IExpr => ({
    kind: "nodeQuant",
    quant,
    local,
    body,
    code,
  }),
  quant: (
    quant: "forall" | "exists" | "count" | "sum",
    local: number,
    lo: bigint,
    hi: bigint,
    body: IExpr,
    code = -1,
  ): IExpr => ({ kind: "quant", quant, local, lo, hi, body, code }),
};

/** A verdict table builder: `code(kind, item, detail)` appends an entry and returns its code. */
export class Verdicts {
  readonly entries: VerdictEntry[] = [
    { code: 0, kind: "ok", item: "spec", detail: "", range: R },
    { code: 1, kind: "unknown_action", item: "spec", detail: "", range: R },
  ];

  /** Appends an entry; returns its code. */
  code(kind: VerdictKind, item: string, detail: string): number {
    const code = this.entries.length;
    this.entries.push({ code, kind, item, detail, range: R });
    return code;
  }
}

/** A scalar or map state variable. */
export function stateVar(name: string, type: StateVar["type"], base: number): StateVar {
  const size = type.kind === "map" ? cardinality(type.key) : 1;
  return { name, type, base, size, range: R };
}

function cardinality(t: Type): number {
  if (t.kind === "bool") return 2;
  if (t.kind === "enum") return t.labels.length;
  if (t.kind === "range") return Number(t.hi - t.lo) + 1;
  throw new TypeError(`Type '${t.kind}' is not finite`);
}

/** A scalar assignment. */
export function assign(
  varIndex: number,
  slot: number,
  value: IExpr,
  bounds: { lo: bigint; hi: bigint } | null = null,
  rangeCode = -1,
): IAssign {
  return { varIndex, slot, key: null, keyCode: -1, value, rangeCode, bounds, range: R };
}

/** A map entry assignment. */
export function assignEntry(
  varIndex: number,
  base: number,
  key: IExpr,
  keyCode: number,
  value: IExpr,
  bounds: { lo: bigint; hi: bigint } | null = null,
  rangeCode = -1,
): IAssign {
  return { varIndex, slot: base, key, keyCode, value, rangeCode, bounds, range: R };
}

/** An action. */
export function action(
  name: string,
  params: IAction["params"],
  requires: { expr: IExpr; code: number }[],
  assigns: IAssign[],
  locals = 4,
): IAction {
  return {
    name,
    params,
    requires: requires.map((r) => ({ ...r, text: "require", range: R })),
    assigns,
    locals,
    range: R,
  };
}

/** An invariant. */
export function invariant(name: string, expr: IExpr, code: number, usesPrev = false): IInvariant {
  return { name, expr, code, locals: 4, usesPrev, range: R };
}

/** A liveness item. */
export function liveness(name: string, when: IExpr, eventually: IExpr, code: number): ILiveness {
  return { name, withinMs: 30000, when, eventually, code, locals: 4, range: R };
}

/** Fills in the fields every program needs. */
export function program(
  parts: Partial<Program> & Pick<Program, "name" | "vars" | "verdicts">,
): Program {
  const slotCount = parts.vars.reduce((n, v) => Math.max(n, v.base + v.size), 0);
  return {
    sourceHash: "",
    consts: [],
    enums: [],
    slotCount,
    defaults: new Array<bigint>(slotCount).fill(0n),
    init: { assigns: [], locals: 0 },
    actions: [],
    invariants: [],
    globalInvariants: [],
    liveness: [],
    globalLiveness: [],
    range: R,
    ...parts,
  };
}

const MODE = { kind: "enum", name: "Mode", labels: ["free", "held"] } as const;
const CLIENT = { kind: "range", lo: 0n, hi: 3n, name: "Client" } as const;

/**
 * The Lease spec (`specs/lease.vigil`) as IR. Slots: mode 0, owner 1, token 2,
 * granted[0..3] 3..6.
 *
 * @example Use the fixture
 * ```ts
 * import assert from "node:assert/strict";
 * import { leaseProgram } from "./fixtures.ts";
 * const lease = leaseProgram();
 * assert.deepEqual(lease.actions.map((a) => a.name), ["acquire", "release"]);
 * assert.deepEqual(lease.vars.map((v) => v.base), [0, 1, 2, 3]);
 * ```
 */
export function leaseProgram(): Program {
  const v = new Verdicts();
  const acquireC = v.code("bad_argument", "action acquire", "c");
  const free = v.code("guard_failed", "action acquire", "require mode == free");
  const ownerRange = v.code("range_violation", "action acquire", "owner");
  const tokenOverflow = v.code("arith_error", "action acquire", "token + 1: overflow");
  const grantedKey = v.code("arith_error", "action acquire", "granted[c]: key");
  const grantedOverflow = v.code("arith_error", "action acquire", "token + 1: overflow");
  const releaseC = v.code("bad_argument", "action release", "c");
  const held = v.code("guard_failed", "action release", "require mode == held and owner == c");
  const tokenBack = v.code(
    "invariant_failed",
    "invariant TokenNeverGoesBack",
    "token >= prev(token)",
  );
  const latestKey = v.code("arith_error", "invariant OwnerHasLatestToken", "granted[owner]: key");
  const latest = v.code("invariant_failed", "invariant OwnerHasLatestToken", "...");
  const holder = v.code("liveness_timeout", "liveness HolderReleases", "");
  const oneHolder = v.code("invariant_failed", "global invariant OneHolder", "");
  const someone = v.code("liveness_timeout", "global liveness SomeoneCanAcquire", "");
  const [mode, owner, token] = [E.slot(0), E.slot(1), E.slot(2)];
  const held1 = E.cmp("==", mode, E.c(1));
  const clientParam = [{ name: "c", type: CLIENT, code: acquireC, range: R }];
  return program({
    name: "Lease",
    vars: [
      stateVar("mode", MODE, 0),
      stateVar("owner", CLIENT, 1),
      stateVar("token", { kind: "int" }, 2),
      stateVar("granted", { kind: "map", key: CLIENT, value: { kind: "int" } }, 3),
    ],
    verdicts: v.entries,
    actions: [
      action("acquire", clientParam, [{ expr: E.cmp("==", mode, E.c(0)), code: free }], [
        assign(0, 0, E.c(1), { lo: 0n, hi: 1n }),
        assign(1, 1, E.param(0), { lo: 0n, hi: 3n }, ownerRange),
        assign(2, 2, E.arith("+", token, E.c(1), tokenOverflow)),
        assignEntry(3, 3, E.param(0), grantedKey, E.arith("+", token, E.c(1), grantedOverflow)),
      ]),
      action(
        "release",
        [{ name: "c", type: CLIENT, code: releaseC, range: R }],
        [{ expr: E.logic("and", held1, E.cmp("==", owner, E.param(0))), code: held }],
        [assign(0, 0, E.c(0), { lo: 0n, hi: 1n })],
      ),
    ],
    invariants: [
      invariant("TokenNeverGoesBack", E.cmp(">=", token, E.slot(2, true)), tokenBack, true),
      invariant(
        "OwnerHasLatestToken",
        E.logic("implies", held1, E.cmp("==", E.map(3, 4, owner, latestKey), token)),
        latest,
      ),
    ],
    liveness: [liveness("HolderReleases", held1, E.cmp("==", mode, E.c(0)), holder)],
    globalInvariants: [
      invariant(
        "OneHolder",
        E.nodeQuant(
          "forall",
          0,
          E.nodeQuant(
            "forall",
            1,
            E.logic(
              "implies",
              E.logic(
                "and",
                E.cmp("==", E.nodeSlot(0, 0), E.c(1)),
                E.cmp("==", E.nodeSlot(1, 0), E.c(1)),
              ),
              E.cmp("==", E.local(0), E.local(1)),
            ),
          ),
        ),
        oneHolder,
      ),
    ],
    globalLiveness: [
      liveness(
        "SomeoneCanAcquire",
        E.nodeQuant("exists", 0, E.cmp("==", E.nodeSlot(0, 0), E.c(1))),
        E.nodeQuant("forall", 0, E.cmp("==", E.nodeSlot(0, 0), E.c(0))),
        someone,
      ),
    ],
  });
}

/** The core exports as the tests call them. */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  create(count: number): number;
  reset(inst: number): void;
  "instance-count"(): number;
  "state-ptr"(inst: number): number;
  "read-slot"(inst: number, slot: number): bigint;
  "write-slot"(inst: number, slot: number, value: bigint): number;
  "check-invariants"(inst: number): number;
  liveness(inst: number): number;
  "global-check"(first: number, count: number): number;
  "global-liveness"(first: number, count: number): number;
}

/** Calls a `step-`/`check-` export by name. */
export function callAction(
  exports: CoreExports,
  name: string,
  inst: number,
  args: readonly number[],
): number {
  const f = (exports as unknown as Record<string, (...a: number[]) => number>)[name];
  if (f === undefined) throw new RangeError(`No export '${name}'`);
  return f(inst, ...args) >>> 0;
}

/** Reads all slots of instance `inst` with `read-slot`. */
export function readState(exports: CoreExports, slotCount: number, inst: number): bigint[] {
  return Array.from({ length: slotCount }, (_, s) => exports["read-slot"](inst, s));
}

/** A program compiled and instantiated directly (no component). */
export interface Instantiated {
  readonly meta: SpecMeta;
  readonly core: CoreModule;
  readonly exports: CoreExports;
  readonly initial: readonly bigint[];
}

/**
 * Compiles `program` with its interpreter-computed initial state and
 * instantiates the core module with `new WebAssembly.Instance`.
 */
export function instantiateProgram(
  program: Program,
  optimize = true,
  allowFailingInit = false,
): Instantiated {
  const init = initialState(program);
  if (init.code !== 0 && !allowFailingInit) {
    throw new RangeError(`Initial state fails with code '${init.code}'`);
  }
  const meta = buildMeta(program, init.state);
  const core = buildCoreModule(program, meta, { optimize });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(core.wasm as BufferSource));
  return { meta, core, exports: instance.exports as unknown as CoreExports, initial: init.state };
}

/** A small seeded PRNG (mulberry32): uniform numbers in `[0, 1)`. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
