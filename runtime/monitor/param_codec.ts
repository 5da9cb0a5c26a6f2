/**
 * How a monitor turns named action arguments into the f64 values a step
 * export takes: one precomputed codec per parameter (numbers pass through,
 * booleans become 0/1, enum labels their index through a fast lookup
 * object), so the per-step path allocates nothing.
 *
 * Internal to the runtime: not exported from `mod.ts`.
 *
 * @module
 */
import type { TypeDesc } from "../../lib/abi/meta.ts";
import type { ActionArgs } from "./monitor_types.ts";

/** How a parameter's value is encoded: a number, a boolean, or an enum label. */
export const NUMBER = 0;
/** Boolean parameter. */
export const BOOL = 1;
/** Enum parameter. */
export const ENUM = 2;

/** The encoder of one action parameter. */
export interface ParamCodec {
  readonly action: string;
  readonly name: string;
  readonly kind: typeof NUMBER | typeof BOOL | typeof ENUM;
  /** Label -> index, for enums (a lookup object from {@link fastIndex}). */
  readonly labels: Readonly<Record<string, number>>;
  /** `'a', 'b'` for messages. */
  readonly expected: string;
}

/**
 * A name -> index lookup object in V8's fast mode (an object built by
 * named stores, not `Object.create(null)`, which is a slow dictionary).
 * Inherited names (`toString`) are not numbers, so readers check
 * `typeof === "number"`; a name that cannot be an own data property
 * (`__proto__`) is left out and found by the readers' slow path.
 *
 * @example Look up action indexes
 * ```ts
 * import assert from "node:assert/strict";
 * import { fastIndex } from "./param_codec.ts";
 * const ids = fastIndex(["acquire", "release", "__proto__"]);
 * assert.equal(ids["release"], 1);
 * assert.notEqual(typeof ids["toString"], "number"); // inherited, not an index
 * assert.equal(Object.hasOwn(ids, "__proto__"), false); // left to the slow path
 * ```
 */
export function fastIndex(names: readonly string[]): Readonly<Record<string, number>> {
  const o: Record<string, number> = {};
  names.forEach((n, i) => {
    if (n !== "__proto__") o[n] = i;
  });
  return o;
}

/**
 * The codec of parameter `name` of action `action`, of type `type`.
 *
 * @example An enum parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENUM, paramCodec } from "./param_codec.ts";
 * const p = paramCodec("set", "m", { kind: "enum", name: "Mode", labels: ["off", "on"] });
 * assert.equal(p.kind, ENUM);
 * assert.equal(p.labels["on"], 1);
 * assert.equal(p.expected, "one of 'off', 'on'");
 * ```
 */
export function paramCodec(action: string, name: string, type: TypeDesc): ParamCodec {
  let labels: Readonly<Record<string, number>> = {};
  if (type.kind === "enum") {
    labels = fastIndex(type.labels);
    const expected = `one of ${type.labels.map((l) => `'${l}'`).join(", ")}`;
    return Object.freeze({ action, name, kind: ENUM, labels, expected });
  }
  if (type.kind === "bool") {
    return Object.freeze({ action, name, kind: BOOL, labels, expected: "a boolean" });
  }
  return Object.freeze({ action, name, kind: NUMBER, labels, expected: "a number or bigint" });
}

function show(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "object" && v !== null) return Array.isArray(v) ? "array" : "object";
  return String(v);
}

/** Slow path of a label missing from the fast lookup. */
function labelIndex(p: ParamCodec, label: string): number {
  const labels = p.expected.slice("one of ".length).split(", ").map((l) => l.slice(1, -1));
  return labels.indexOf(label);
}

/** The error for an argument that cannot be encoded (cold path). */
function argError(p: ParamCodec, v: unknown): TypeError | RangeError {
  const where = `Action '${p.action}' parameter '${p.name}'`;
  if (v === undefined) return new TypeError(`${where}: missing argument`);
  if (typeof v === "bigint" && p.kind === NUMBER) {
    return new RangeError(`${where}: ${show(v)} is not exact as an f64`);
  }
  return new TypeError(`${where}: expected ${p.expected}, got ${show(v)}`);
}

/**
 * Encodes one named argument to its f64 without allocating. Numbers pass
 * through (the WASM answers `bad_argument` for a value outside the type).
 *
 * @throws {TypeError} For a missing argument, an unknown label or a wrong type.
 * @throws {RangeError} For a bigint that is not exact as an f64.
 *
 * @example Encode a label, a boolean and a bigint
 * ```ts
 * import assert from "node:assert/strict";
 * import { argValue, paramCodec } from "./param_codec.ts";
 * const mode = paramCodec("set", "m", { kind: "enum", name: "Mode", labels: ["off", "on"] });
 * assert.equal(argValue(mode, { m: "on" }), 1);
 * assert.equal(argValue(paramCodec("set", "b", { kind: "bool" }), { b: true }), 1);
 * assert.equal(argValue(paramCodec("add", "n", { kind: "int" }), { n: 5n }), 5);
 * assert.throws(() => argValue(mode, { m: "dim" }), {
 *   name: "TypeError",
 *   message: "Action 'set' parameter 'm': expected one of 'off', 'on', got 'dim'",
 * });
 * assert.throws(() => argValue(paramCodec("say", "toString", { kind: "bool" }), {}), {
 *   message: "Action 'say' parameter 'toString': missing argument",
 * });
 * ```
 */
export function argValue(p: ParamCodec, args: ActionArgs | undefined): number {
  const v = args === undefined ? undefined : args[p.name];
  if (p.kind === NUMBER) {
    if (typeof v === "number") return v;
    if (typeof v === "bigint" && BigInt(Number(v)) === v) return Number(v);
  } else if (p.kind === ENUM) {
    if (typeof v === "string") {
      const i = p.labels[v];
      if (typeof i === "number") return i;
      if (v === "__proto__" && p.expected.includes("'__proto__'")) return labelIndex(p, v);
    }
  } else if (typeof v === "boolean") {
    return v ? 1 : 0;
  }
  // An absent parameter named like an `Object.prototype` member (`toString`)
  // reads the inherited member: it is missing, not of the wrong type.
  throw argError(p, args === undefined || !Object.hasOwn(args, p.name) ? undefined : v);
}
