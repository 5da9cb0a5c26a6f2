/**
 * The reference interpreter: evaluates a checked {@link Program} directly.
 * It is the oracle the compiled WASM is tested against, so it follows the
 * evaluation order of `ir.ts` to the letter:
 *
 * - a step checks the arguments in parameter order (`bad_argument`), then
 *   the `require`s in order (`guard_failed`), then evaluates every
 *   assignment in order against the pre-state: for a map entry first its key
 *   (an out-of-domain key is the assignment's `keyCode`), then its right-hand
 *   side; then checks ranges in assignment order (`range_violation`), then
 *   the local invariants in declaration order on the post-state with `prev`
 *   reading the pre-state (`invariant_failed`). The first failure wins; an
 *   arithmetic error anywhere is the `arith_error` code of its site.
 * - an argument is valid when it is a finite, integral JS number within its
 *   parameter's type: bool `0..1`, enum `0..n-1`, range `lo..hi`, int
 *   `-2^63 <= v < 2^63`.
 * - arithmetic is exact then checked against i64 (see `interpreter_eval.ts`):
 *   `MIN / -1` is an error, `MIN % -1` is `0`; `sum` checks every partial sum.
 * - predicates that fail with an arithmetic error count as not holding in
 *   the {@link liveness} and {@link globalLiveness} bit masks.
 *
 * @module
 */
import type { IAction, IAssign, IInvariant, ILiveness, IParam, Program } from "../ir.ts";
import { VERDICT_OK } from "../abi/verdict_codes.ts";
import { ArithTrap, type Env, evaluate, finiteBounds } from "./eval.ts";
import { argumentInType } from "./values.ts";

export { argumentInType, inBounds } from "./values.ts";

/**
 * A verdict code and the state after it: the post-state when `code` is 0, else a copy of the pre-state.
 *
 * @example A refused step keeps the pre-state
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState, step, type StepResult } from "./interpreter.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const program = analyze(source).program!;
 * const s0 = initialState(program).state;
 * const ok: StepResult = step(program, s0, 0, [2]);
 * assert.deepEqual([ok.code, ok.state], [0, [2n]]);
 * const refused: StepResult = step(program, ok.state, 0, [3]);
 * assert.notEqual(refused.code, 0);
 * assert.deepEqual(refused.state, [2n]);
 * ```
 */
export interface StepResult {
  /** The verdict code (0 is ok). */
  readonly code: number;
  /** The state after the step, one value per slot. */
  readonly state: bigint[];
}

const NO_NODES: readonly (readonly bigint[])[] = [];
const NO_ARGS: readonly number[] = [];

/**
 * Computes the initial state: the defaults, then the `init` assignments
 * (right-hand sides read the defaults), range checks, then the local
 * invariants with `prev(x)` = `x`. `code` is 0 or the first failing verdict.
 *
 * @example Initial state of a program
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialState } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const { code, state } = initialState(program!);
 * assert.ok(code === 0 && state[0] === 0n);
 * ```
 */
export function initialState(p: Program): StepResult {
  const defaults = p.defaults;
  if (defaults.length !== p.slotCount) {
    throw new RangeError(`Program defaults have '${defaults.length}' slots, not '${p.slotCount}'`);
  }
  const env = newEnv(defaults, NO_ARGS);
  const post = defaults.slice();
  let code = applyAssigns(p, p.init.assigns, env, post);
  if (code === VERDICT_OK) {
    env.state = post;
    env.pre = post;
    code = firstFailing(p.invariants, env);
  }
  return { code, state: code === VERDICT_OK ? post : defaults.slice() };
}

/**
 * Takes action number `action` with `args` (JS numbers, as they cross the
 * WASM boundary) from `state`; returns the verdict and the post-state (or an
 * unchanged copy of `state` when the verdict is not ok).
 *
 * @example Step an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialState, step } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const s0 = initialState(program!).state;
 * const { code, state } = step(program!, s0, 0, []);
 * assert.ok(code === 0 && state[0] === 1n && s0[0] === 0n);
 * ```
 */
export function step(
  p: Program,
  state: readonly bigint[],
  action: number,
  args: readonly number[],
): StepResult {
  const result = evaluateStep(p, actionAt(p, state, action, args), state, args);
  return result.code === VERDICT_OK ? result : { code: result.code, state: state.slice() };
}

/**
 * The verdict {@link step} would return, without computing a new state for the caller.
 *
 * @example Check whether an action is allowed
 * ```ts
 * import assert from "node:assert/strict";
 * import { check, initialState } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const state = initialState(program!).state;
 * assert.ok(check(program!, state, 0, []) === 0 && state[0] === 0n);
 * ```
 */
export function check(
  p: Program,
  state: readonly bigint[],
  action: number,
  args: readonly number[],
): number {
  return evaluateStep(p, actionAt(p, state, action, args), state, args).code;
}

/**
 * Evaluates the local invariants on `state` with `prev(x)` = `x`: 0 or the
 * first failing verdict code (an invariant's code or an arithmetic site's).
 *
 * @example Check a state
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInvariants } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec C state n: int = 0 invariant Small n < 3");
 * assert.ok(checkInvariants(program!, [2n]) === 0);
 * assert.ok(program!.verdicts[checkInvariants(program!, [3n])]!.item === "invariant Small");
 * ```
 */
export function checkInvariants(p: Program, state: readonly bigint[]): number {
  checkState(p, state);
  return firstFailing(p.invariants, newEnv(state, NO_ARGS));
}

/**
 * The local liveness predicates on `state` as a bit mask: bit `2i` is set
 * when `when_i` holds, bit `2i+1` when `eventually_i` holds. An unsigned
 * 32-bit number; a predicate that hits an arithmetic error counts as false.
 *
 * @example Read the liveness bits
 * ```ts
 * import assert from "node:assert/strict";
 * import { liveness } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec L state on: bool = true liveness Off within 1s when on then eventually not on");
 * assert.ok(liveness(program!, [1n]) === 0b01);
 * assert.ok(liveness(program!, [0n]) === 0b10);
 * ```
 */
export function liveness(p: Program, state: readonly bigint[]): number {
  checkState(p, state);
  return livenessBits(p.liveness, newEnv(state, NO_ARGS));
}

/**
 * Evaluates the global invariants in order over the monitor states `states`
 * (node quantifiers range over positions `0 .. n-1`): 0 or the first failing code.
 *
 * @example Check two monitors together
 * ```ts
 * import assert from "node:assert/strict";
 * import { globalCheck } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze(
 *   "spec G state on: bool = false global invariant One forall a, b in nodes: a.on and b.on implies a == b",
 * );
 * assert.ok(globalCheck(program!, [[1n], [0n]]) === 0);
 * assert.ok(globalCheck(program!, [[1n], [1n]]) !== 0);
 * ```
 */
export function globalCheck(p: Program, states: readonly (readonly bigint[])[]): number {
  for (const s of states) checkState(p, s);
  const env = newEnv(NO_STATE, NO_ARGS);
  env.nodes = states;
  return firstFailing(p.globalInvariants, env);
}

/**
 * The global liveness predicates over `states` as a bit mask, laid out like {@link liveness}.
 *
 * @example Read the global liveness bits
 * ```ts
 * import assert from "node:assert/strict";
 * import { globalLiveness } from "./interpreter.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze(
 *   "spec G state on: bool = false global liveness Off within 1s when exists n in nodes: n.on then eventually count(n in nodes: n.on) == 0",
 * );
 * assert.ok(globalLiveness(program!, [[0n], [1n]]) === 0b01);
 * ```
 */
export function globalLiveness(p: Program, states: readonly (readonly bigint[])[]): number {
  for (const s of states) checkState(p, s);
  const env = newEnv(NO_STATE, NO_ARGS);
  env.nodes = states;
  return livenessBits(p.globalLiveness, env);
}

const NO_STATE: readonly bigint[] = [];

function newEnv(state: readonly bigint[], args: readonly number[]): Env {
  return { state, pre: state, args, frame: [], nodes: NO_NODES };
}

function checkState(p: Program, state: readonly bigint[]): void {
  if (state.length !== p.slotCount) {
    throw new RangeError(`State has '${state.length}' slots, not '${p.slotCount}'`);
  }
}

function actionAt(
  p: Program,
  state: readonly bigint[],
  action: number,
  args: readonly number[],
): IAction {
  checkState(p, state);
  const a = p.actions[action];
  if (a === undefined) throw new RangeError(`No action number '${action}'`);
  if (args.length !== a.params.length) {
    throw new RangeError(
      `Action '${a.name}' takes '${a.params.length}' arguments, not '${args.length}'`,
    );
  }
  return a;
}

/** Runs a step; the returned state is only meaningful when `code` is 0. */
function evaluateStep(
  p: Program,
  a: IAction,
  pre: readonly bigint[],
  args: readonly number[],
): StepResult {
  for (let i = 0; i < a.params.length; i++) {
    const param = a.params[i] as IParam;
    if (!argumentInType(param.type, args[i] as number)) return { code: param.code, state: [] };
  }
  const env = newEnv(pre, args);
  try {
    for (const r of a.requires) {
      if (evaluate(r.expr, env) === 0n) return { code: r.code, state: [] };
    }
  } catch (e) {
    return { code: trapCode(e), state: [] };
  }
  const post = pre.slice();
  let code = applyAssigns(p, a.assigns, env, post);
  if (code === VERDICT_OK) {
    env.state = post;
    code = firstFailing(p.invariants, env);
  }
  return { code, state: post };
}

/**
 * Evaluates `assigns` against `env.state` (the pre-state), writing into
 * `post`; returns the first arithmetic error, else the first range
 * violation in assignment order, else 0.
 */
function applyAssigns(
  p: Program,
  assigns: readonly IAssign[],
  env: Env,
  post: bigint[],
): number {
  let rangeFailure = VERDICT_OK;
  try {
    for (const as of assigns) {
      const slot = targetSlot(p, as, env);
      const value = evaluate(as.value, env);
      post[slot] = value;
      if (rangeFailure === VERDICT_OK && as.rangeCode >= 0 && as.bounds !== null) {
        if (value < as.bounds.lo || value > as.bounds.hi) rangeFailure = as.rangeCode;
      }
    }
  } catch (e) {
    return trapCode(e);
  }
  return rangeFailure;
}

function targetSlot(p: Program, as: IAssign, env: Env): number {
  if (as.key === null) return as.slot;
  const v = p.vars[as.varIndex];
  if (v === undefined || v.type.kind !== "map") {
    throw new RangeError(`Assignment target '${as.varIndex}' is not a map`);
  }
  const key = evaluate(as.key, env);
  const { lo, hi } = finiteBounds(v.type.key);
  if (key < lo || key > hi) throw new ArithTrap(as.keyCode);
  return as.slot + Number(key - lo);
}

function firstFailing(invariants: readonly IInvariant[], env: Env): number {
  try {
    for (const inv of invariants) {
      if (evaluate(inv.expr, env) === 0n) return inv.code;
    }
  } catch (e) {
    return trapCode(e);
  }
  return VERDICT_OK;
}

function livenessBits(items: readonly ILiveness[], env: Env): number {
  if (items.length > 16) {
    throw new RangeError(`'${items.length}' liveness items do not fit a 32-bit mask of 16`);
  }
  let bits = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as ILiveness;
    if (holds(item.when, env)) bits |= 1 << (2 * i);
    if (holds(item.eventually, env)) bits |= 1 << (2 * i + 1);
  }
  return bits >>> 0;
}

function holds(e: ILiveness["when"], env: Env): boolean {
  try {
    return evaluate(e, env) !== 0n;
  } catch (e) {
    trapCode(e);
    return false;
  }
}

function trapCode(e: unknown): number {
  if (e instanceof ArithTrap) return e.code;
  throw e;
}
