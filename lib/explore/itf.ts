/**
 * Counterexamples in the Informal Trace Format (ITF) of Apalache and Quint
 * (ADR-015): `{ "#meta", "vars", "states": [{ "#meta": { "index" }, var:
 * value, ... }], "loop"? }`. Integers are `{ "#bigint": "n" }`, booleans
 * JSON booleans, enum labels strings, maps `{ "#map": [[key, value], ...] }`.
 * Each state also carries the Quint model-based-testing fields
 * `mbt::actionTaken` (the action that led to it, `init` first) and
 * `mbt::nondetPicks` (its arguments as a record).
 *
 * @module
 */
import type { FiniteType, Program, ScalarType } from "../ir.ts";
import type { Scalar, Valuation, Value } from "./valuation.ts";
import type { ExploreReport, TraceStep } from "./report.ts";

/**
 * An ITF value.
 *
 * @example Integers are written as strings
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ItfValue } from "./itf.ts";
 * const n: ItfValue = { "#bigint": "3" };
 * assert.equal(JSON.stringify(n), '{"#bigint":"3"}');
 * ```
 */
export type ItfValue =
  | boolean
  | string
  | { readonly "#bigint": string }
  | { readonly "#map": readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly [field: string]: ItfValue };

/**
 * An ITF trace.
 *
 * @example A deadlock as an ITF trace
 * ```ts
 * import assert from "node:assert/strict";
 * import { counterexampleItf, type ItfTrace } from "./itf.ts";
 * import { exploreSource } from "./model_checker.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program, report } = exploreSource(source);
 * const itf: ItfTrace | null = counterexampleItf(program!, report!);
 * assert.deepEqual(itf?.vars, ["n", "mbt::actionTaken", "mbt::nondetPicks"]);
 * ```
 */
export interface ItfTrace {
  /** Format, format description, source and description. */
  readonly "#meta": Readonly<Record<string, string | number>>;
  /** The variable names each state carries. */
  readonly vars: readonly string[];
  /** The states, each with `#meta.index`. */
  readonly states: readonly Readonly<Record<string, ItfValue>>[];
  /** For a lasso: the index of the state the last state loops back to. */
  readonly loop?: number;
}

function scalar(type: ScalarType, v: Scalar): ItfValue {
  if (type.kind === "bool" || type.kind === "enum") return v as boolean | string;
  return { "#bigint": String(v) };
}

function key(type: FiniteType, k: string): ItfValue {
  if (type.kind === "bool") return k === "true";
  if (type.kind === "enum") return k;
  return { "#bigint": k };
}

/** Sets `out[name]` as an own property, even when `name` is `__proto__` (a setter on Node and Bun). */
function put(out: Record<string, ItfValue>, name: string, value: ItfValue): void {
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}

function encodeState(program: Program, state: Valuation): Record<string, ItfValue> {
  const out: Record<string, ItfValue> = {};
  for (const v of program.vars) {
    const value: Value | undefined = state[v.name];
    if (value === undefined) continue;
    if (v.type.kind !== "map") {
      put(out, v.name, scalar(v.type, value as Scalar));
      continue;
    }
    const t = v.type;
    const entries = Object.entries(value as Record<string, Scalar>);
    put(out, v.name, {
      "#map": entries.map(([k, x]) => [key(t.key, k), scalar(t.value, x)] as const),
    });
  }
  return out;
}

function picks(program: Program, row: TraceStep): Record<string, ItfValue> {
  const action = program.actions.find((a) => a.name === row.action);
  const out: Record<string, ItfValue> = {};
  for (const p of action?.params ?? []) {
    const v = row.args[p.name];
    if (v !== undefined) put(out, p.name, scalar(p.type, v as Scalar));
  }
  return out;
}

/**
 * Options of {@link toItf}.
 *
 * @example Name the spec file in the trace
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ItfOptions, toItf } from "./itf.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const options: ItfOptions = { source: "toggle.vigil" };
 * const itf = toItf(program!, [{ step: 0, action: null, args: {}, state: { on: false } }], options);
 * assert.equal(itf["#meta"].source, "toggle.vigil");
 * ```
 */
export interface ItfOptions {
  /** The spec file, for `#meta.source`. */
  readonly source?: string;
  /** What the trace shows, for `#meta.description`. */
  readonly description?: string;
  /** For a lasso: index of the state the trace loops back to after its last state. */
  readonly loop?: number;
}

/**
 * Converts trace rows to an ITF trace. Rows without a state (a failing last
 * step that produced none) are left out.
 *
 * @example Write a two-state trace
 * ```ts
 * import assert from "node:assert/strict";
 * import { toItf } from "./itf.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec T state on: bool = false state n: 0..3 = 0 action flip on := not on");
 * const itf = toItf(program!, [
 *   { step: 0, action: null, args: {}, state: { on: false, n: 0 } },
 *   { step: 1, action: "flip", args: {}, state: { on: true, n: 0 } },
 * ]);
 * assert.ok(itf.states.length === 2 && JSON.stringify(itf.states[1]).includes('"#bigint":"0"'));
 * ```
 */
export function toItf(
  program: Program,
  rows: readonly TraceStep[],
  options: ItfOptions = {},
): ItfTrace {
  const states = rows.filter((r) => r.state !== null).map((r, index) => ({
    "#meta": { index } as unknown as ItfValue,
    ...encodeState(program, r.state!),
    "mbt::actionTaken": r.action ?? "init",
    "mbt::nondetPicks": picks(program, r),
  }));
  const meta: Record<string, string | number> = {
    format: "ITF",
    "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
    description: options.description ?? `Counterexample for spec ${program.name} by vigil check`,
  };
  if (options.source !== undefined) meta.source = options.source;
  const vars = [...program.vars.map((v) => v.name), "mbt::actionTaken", "mbt::nondetPicks"];
  const trace: ItfTrace = { "#meta": meta, vars, states };
  return options.loop === undefined ? trace : { ...trace, loop: options.loop };
}

/**
 * The report's first counterexample as ITF: the first violation, else the
 * first liveness lasso (prefix then cycle; its last state equals the state
 * at `loop`), else the first deadlock. `null` when the report has none.
 *
 * @example Write the counterexample of a report
 * ```ts
 * import assert from "node:assert/strict";
 * import { counterexampleItf } from "./itf.ts";
 * import { exploreSource } from "./model_checker.ts";
 * const { program, report } = exploreSource("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const itf = counterexampleItf(program!, report!);
 * assert.ok(itf !== null && itf.states.length === 4);
 * ```
 */
export function counterexampleItf(
  program: Program,
  report: ExploreReport,
  options: Omit<ItfOptions, "loop" | "description"> = {},
): ItfTrace | null {
  const v = report.violations[0];
  if (v !== undefined) {
    const description = `${v.kind} in ${v.item}: ${v.detail} (line ${v.line})`;
    return toItf(program, v.trace, { ...options, description });
  }
  const l = report.liveness[0];
  if (l !== undefined) {
    const description =
      `${l.item} (line ${l.line}): a cycle where the eventually predicate never holds`;
    const rows = [...l.prefix, ...l.cycle.slice(1)];
    return toItf(program, rows, { ...options, description, loop: l.prefix.length - 1 });
  }
  const d = report.deadlocks[0];
  if (d !== undefined) return toItf(program, d.trace, { ...options, description: "deadlock" });
  return null;
}
