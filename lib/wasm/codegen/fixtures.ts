/**
 * The code generator's test kit: the Lease spec built by hand as IR (with
 * the IR builder of `lib/ir_builder.ts`, so these tests need neither the
 * parser nor the checker), and helpers to compile a program, instantiate
 * its core module and call its exports.
 *
 * @module
 */
import type { Program } from "../../ir.ts";
import type { SpecMeta } from "../../abi/meta.ts";
import { initialState } from "../../interpreter/interpreter.ts";
import { E, program, Verdicts } from "../../ir_builder.ts";
import { buildMeta } from "../meta_build.ts";
import { buildCoreModule, type CoreModule } from "./codegen.ts";

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
  return program({
    name: "Lease",
    vars: [
      { name: "mode", type: MODE },
      { name: "owner", type: CLIENT },
      { name: "token", type: { kind: "int" } },
      { name: "granted", type: { kind: "map", key: CLIENT, value: { kind: "int" } } },
    ],
    verdicts: v.entries,
    actions: [
      {
        name: "acquire",
        params: [{ name: "c", type: CLIENT, code: acquireC }],
        requires: [{ expr: E.cmp("==", mode, E.c(0)), code: free }],
        assigns: [
          { v: 0, value: E.c(1) },
          { v: 1, value: E.param(0), rangeCode: ownerRange },
          { v: 2, value: E.arith("+", token, E.c(1), tokenOverflow) },
          {
            v: 3,
            key: E.param(0),
            keyCode: grantedKey,
            value: E.arith("+", token, E.c(1), grantedOverflow),
          },
        ],
      },
      {
        name: "release",
        params: [{ name: "c", type: CLIENT, code: releaseC }],
        requires: [{
          expr: E.logic("and", held1, E.cmp("==", owner, E.param(0))),
          code: held,
        }],
        assigns: [{ v: 0, value: E.c(0) }],
      },
    ],
    invariants: [
      {
        name: "TokenNeverGoesBack",
        expr: E.cmp(">=", token, E.slot(2, true)),
        code: tokenBack,
      },
      {
        name: "OwnerHasLatestToken",
        expr: E.logic("implies", held1, E.cmp("==", E.map(3, 4, owner, latestKey), token)),
        code: latest,
      },
    ],
    liveness: [{
      name: "HolderReleases",
      when: held1,
      eventually: E.cmp("==", mode, E.c(0)),
      code: holder,
      withinMs: 30000,
    }],
    globalInvariants: [{
      name: "OneHolder",
      expr: E.nodeQuant(
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
      code: oneHolder,
    }],
    globalLiveness: [{
      name: "SomeoneCanAcquire",
      when: E.nodeQuant("exists", 0, E.cmp("==", E.nodeSlot(0, 0), E.c(1))),
      eventually: E.nodeQuant("forall", 0, E.cmp("==", E.nodeSlot(0, 0), E.c(0))),
      code: someone,
      withinMs: 30000,
    }],
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
