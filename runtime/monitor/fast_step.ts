/**
 * The named step's fast path: `(inst, action, args) -> code`, the verdict
 * code of stepping instance block `inst` by action name with named
 * arguments, or -1 when the caller's general path must take the step (an
 * unknown name, an argument that is not already of its parameter's
 * encoded kind: a bigint, a label not in the type, a missing argument).
 * It never throws for its input, never records or emits anything, and
 * returns -1 before touching the state, so the general path sees the step
 * untouched.
 *
 * Two implementations of one contract:
 * - **generated** (where the host allows `new Function`): one function per
 *   loaded spec whose source names each action and parameter as a string
 *   literal, so an action name is compared with literals (`===` on two
 *   internalized strings is a pointer compare), each argument is a named
 *   property load (`args["c"]`, one inline-cached load), and each action
 *   has its own call site to its own step export (each monomorphic, so the
 *   engine can inline the call into WebAssembly). Names reach the source
 *   only through `JSON.stringify`, as string literals;
 * - **generic** (hosts that forbid code generation from strings, such as
 *   workerd, or when asked): the action found by a scan of the names (a
 *   lookup object beyond {@link SCAN_ACTIONS}), each argument by a keyed
 *   load, one call to the dispatcher export.
 *
 * Internal to the runtime: not exported from `mod.ts`.
 *
 * @module
 */
import type { DispatchFn, StepFn } from "../../lib/abi/compiled.ts";
import { BOOL, NUMBER, type ParamCodec } from "./param_codec.ts";
import type { ActionArgs } from "./monitor_types.ts";

/**
 * A named step on an instance block: its verdict code, or -1 for the
 * general path (see the module doc).
 *
 * @example A loaded spec's fast step
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { LoadedSpecImpl } from "./load_spec.ts";
 * import type { FastStep } from "./fast_step.ts";
 * const spec = new LoadedSpecImpl(await loadCompiled("dist/lease.core.wasm"));
 * const step: FastStep = spec.fastStep;
 * assert.equal(step(spec.takeBlock(), "acquire", { c: 1 }), 0);
 * ```
 */
export type FastStep = (inst: number, action: string, args: ActionArgs | undefined) => number;

/**
 * Specs with at most this many actions find an action name by comparing
 * it with each; beyond, through a lookup object.
 *
 * @example Lease is found by comparisons
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCAN_ACTIONS } from "./fast_step.ts";
 * assert.ok(["acquire", "release"].length <= SCAN_ACTIONS);
 * ```
 */
export const SCAN_ACTIONS = 8;

/**
 * What a fast step is built from: a loaded spec's tables.
 *
 * @example The tables of a loaded spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { LoadedSpecImpl } from "./load_spec.ts";
 * import type { FastStepTables } from "./fast_step.ts";
 * const spec = new LoadedSpecImpl(await loadCompiled("dist/lease.core.wasm"));
 * const tables: FastStepTables = spec;
 * assert.deepEqual(tables.actions, ["acquire", "release"]);
 * ```
 */
export interface FastStepTables {
  /** Action names in index order. */
  readonly actions: readonly string[];
  /** Action name -> index, a fast-mode lookup object (`fastIndex`). */
  readonly actionIds: Readonly<Record<string, number>>;
  /** The parameter codecs per action index. */
  readonly params: readonly (readonly ParamCodec[])[];
  /** The raw step export per action index. */
  readonly steps: readonly StepFn[];
  /** `dispatch-step`. */
  readonly dispatchStep: DispatchFn;
}

/**
 * Options of {@link fastStepOf}.
 *
 * @example Ask for the generic implementation
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FastStepOptions } from "./fast_step.ts";
 * const options: FastStepOptions = { generate: false };
 * assert.equal(options.generate, false);
 * ```
 */
export interface FastStepOptions {
  /** Try the generated implementation first (default true); false: the generic one. */
  readonly generate?: boolean;
}

/**
 * A fast step and which implementation it is.
 *
 * @example Tell the implementations apart
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BuiltFastStep } from "./fast_step.ts";
 * const built: BuiltFastStep = { step: () => -1, generated: false };
 * assert.equal(built.step(0, "acquire", { c: 1 }), -1);
 * ```
 */
export interface BuiltFastStep {
  /** The fast step. */
  readonly step: FastStep;
  /** Whether it is the generated implementation (false: the generic one). */
  readonly generated: boolean;
}

/** The source of the branch of action `a`: read its arguments, call its step export. */
function actionSource(tables: FastStepTables, a: number): string {
  const ps = tables.params[a]!;
  const lines: string[] = [];
  if (ps.length > 0) lines.push("if (args === undefined || args === null) return -1;");
  ps.forEach((p, j) => {
    const load = `const r${j} = args[${JSON.stringify(p.name)}];`;
    if (p.kind === NUMBER) {
      lines.push(`${load} if (typeof r${j} !== "number") return -1;`);
      lines.push(`const v${j} = r${j};`);
    } else if (p.kind === BOOL) {
      lines.push(`${load} if (typeof r${j} !== "boolean") return -1;`);
      lines.push(`const v${j} = r${j} ? 1 : 0;`);
    } else {
      // Inherited names (`toString`) and `__proto__` are no numbers of the lookup object.
      lines.push(`${load} if (typeof r${j} !== "string") return -1;`);
      lines.push(`const v${j} = labels[${a}][${j}][r${j}];`);
      lines.push(`if (typeof v${j} !== "number") return -1;`);
    }
  });
  const args = ps.map((_, j) => `, v${j}`).join("");
  lines.push(`return step${a}(inst${args});`);
  return lines.join("\n");
}

/** The generated fast step, or null where the host refuses code generation from strings. */
function generated(tables: FastStepTables): FastStep | null {
  const n = tables.actions.length;
  const branches: string[] = [];
  if (n <= SCAN_ACTIONS) {
    tables.actions.forEach((name, a) => {
      branches.push(`if (action === ${JSON.stringify(name)}) {\n${actionSource(tables, a)}\n}`);
    });
    branches.push("return -1;");
  } else {
    const cases = tables.actions.map((_, a) => `case ${a}: {\n${actionSource(tables, a)}\n}`);
    branches.push(
      "const a = ids[action];",
      'if (typeof a !== "number") return -1;',
      `switch (a) {\n${cases.join("\n")}\n}`,
      "return -1;",
    );
  }
  const stepNames = tables.actions.map((_, a) => `step${a}`);
  const body = [
    '"use strict";',
    `return function fastStep(inst, action, args) {\n${branches.join("\n")}\n};`,
  ].join("\n");
  let make: (...deps: unknown[]) => FastStep;
  try {
    make = new Function("ids", "labels", ...stepNames, body) as typeof make;
  } catch (error) {
    // workerd and pages with a content security policy forbid code generation from strings.
    if (error instanceof EvalError) return null;
    throw error;
  }
  const labels = tables.params.map((ps) => ps.map((p) => p.labels));
  return make(tables.actionIds, labels, ...tables.steps);
}

/** The generic fast step: a scan or lookup for the action, keyed loads, the dispatcher. */
function generic(tables: FastStepTables): FastStep {
  const { actions, actionIds, params, dispatchStep } = tables;
  const scan = actions.length <= SCAN_ACTIONS;
  return (inst, action, args) => {
    let a = -1;
    if (scan) {
      for (let i = 0; i < actions.length; i++) {
        if (actions[i] === action) {
          a = i;
          break;
        }
      }
    } else {
      const found = actionIds[action];
      if (typeof found === "number") a = found;
    }
    if (a < 0) return -1;
    const ps = params[a]!;
    const n = ps.length;
    if (n === 0) return dispatchStep(inst, a);
    if (args === undefined || args === null) return -1;
    const x0 = encoded(ps[0]!, args);
    if (n === 1) return x0 !== x0 ? -1 : dispatchStep(inst, a, x0);
    if (n > 4) return -1;
    const x1 = encoded(ps[1]!, args);
    const x2 = n > 2 ? encoded(ps[2]!, args) : 0;
    const x3 = n > 3 ? encoded(ps[3]!, args) : 0;
    // NaN marks an argument the general path must encode (x !== x only for NaN).
    if (x0 !== x0 || x1 !== x1 || x2 !== x2 || x3 !== x3) return -1;
    return dispatchStep(inst, a, x0, x1, x2, x3);
  };
}

/** Argument `p` of `args` already of its encoded kind, else NaN (the general path encodes, or says why). */
function encoded(p: ParamCodec, args: ActionArgs): number {
  const v = args[p.name];
  if (p.kind === NUMBER) return typeof v === "number" && v === v ? v : NaN;
  if (p.kind === BOOL) return v === true ? 1 : v === false ? 0 : NaN;
  if (typeof v !== "string") return NaN;
  const i = p.labels[v];
  return typeof i === "number" ? i : NaN;
}

/**
 * Builds the fast step of a loaded spec's tables: the generated one where
 * the host allows it (unless `options.generate` is false), else the
 * generic one. Both give the same codes for the same steps.
 *
 * @param tables The spec's action names, lookup, codecs, exports and dispatcher.
 * @param options `generate: false` for the generic implementation.
 *
 * @example Step a lease by name, and leave a bigint argument to the general path
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { LoadedSpecImpl } from "./load_spec.ts";
 * import { fastStepOf } from "./fast_step.ts";
 * const spec = new LoadedSpecImpl(await loadCompiled("dist/lease.core.wasm"));
 * for (const generate of [true, false]) {
 *   const { step } = fastStepOf(spec, { generate });
 *   const inst = spec.takeBlock();
 *   assert.equal(step(inst, "acquire", { c: 2 }), 0);
 *   assert.notEqual(step(inst, "acquire", { c: 3 }), 0); // refused: the lease is held
 *   assert.equal(step(inst, "release", { c: 2n }), -1); // a bigint: the general path encodes it
 *   assert.equal(step(inst, "renew", {}), -1); // no such action
 * }
 * ```
 */
export function fastStepOf(tables: FastStepTables, options: FastStepOptions = {}): BuiltFastStep {
  if (options.generate !== false) {
    const step = generated(tables);
    if (step !== null) return { step, generated: true };
  }
  return { step: generic(tables), generated: false };
}
