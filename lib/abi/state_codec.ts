/**
 * Conversions between a compiled spec's slots (one i64 per slot, as
 * `bigint`) and the JavaScript values users see: state views, action
 * arguments, and the packed instance block in linear memory.
 *
 * Values: `bool` <-> `true`/`false`; an enum <-> its label; a range or `int`
 * <-> a number when it is a safe integer, else a `bigint`; a map <-> an
 * object keyed by the key's label (`"false"`/`"true"` for bool keys, the
 * decimal number for range keys).
 *
 * @module
 */
import type { SlotLayout } from "./slot_layout.ts";
import type { ActionMeta, SpecMeta, TypeDesc } from "./meta.ts";
import type { StateView } from "./compiled.ts";

type ScalarDesc = Exclude<TypeDesc, { kind: "map" }>;

function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "array" : "object";
  return String(value);
}

function labelsOf(t: ScalarDesc): string {
  return t.kind === "enum" ? t.labels.map((l) => `'${l}'`).join(", ") : "";
}

/** Decodes one slot value of a scalar type. */
function decodeScalar(t: ScalarDesc, v: bigint): unknown {
  switch (t.kind) {
    case "bool":
      return v !== 0n;
    case "enum":
      return t.labels[Number(v)] ?? Number(v);
    default:
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v;
  }
}

/** Encodes a scalar value to a slot value; `where` names it in errors. */
function encodeScalar(t: ScalarDesc, value: unknown, where: string): bigint {
  switch (t.kind) {
    case "bool":
      if (typeof value === "boolean") return value ? 1n : 0n;
      throw new TypeError(`${where}: expected a boolean, got ${show(value)}`);
    case "enum": {
      const index = typeof value === "string" ? t.labels.indexOf(value) : -1;
      if (index >= 0) return BigInt(index);
      throw new TypeError(`${where}: expected one of ${labelsOf(t)}, got ${show(value)}`);
    }
    default:
      if (typeof value === "bigint") return value;
      if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
      throw new TypeError(`${where}: expected an integer, got ${show(value)}`);
  }
}

/** The key string of map entry `k` (0-based). */
function keyLabel(key: TypeDesc, k: number): string {
  switch (key.kind) {
    case "bool":
      return k === 0 ? "false" : "true";
    case "enum":
      return key.labels[k] ?? String(k);
    case "range":
      return String(BigInt(key.lo) + BigInt(k));
    default:
      throw new TypeError(`Map key type '${key.kind}' is not finite`);
  }
}

/** The entry index of a key string, or -1. */
function keyIndex(key: TypeDesc, label: string, size: number): number {
  switch (key.kind) {
    case "bool":
      return label === "false" ? 0 : label === "true" ? 1 : -1;
    case "enum":
      return key.labels.indexOf(label);
    case "range": {
      if (!/^-?[0-9]+$/.test(label)) return -1;
      const k = BigInt(label) - BigInt(key.lo);
      return k >= 0n && k < BigInt(size) ? Number(k) : -1;
    }
    default:
      return -1;
  }
}

/**
 * Decodes slots to a state view.
 *
 * @example Decode a state
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeView } from "./state_codec.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * assert.deepEqual(decodeView(DIAL_META, [1n, 3n]), { mode: "low", level: 3 });
 * ```
 */
export function decodeView(meta: SpecMeta, slots: readonly bigint[]): StateView {
  // Built from entries: a variable or a label named `__proto__` is an own key like any other
  // (an assignment `view["__proto__"] = x` would set the prototype instead, outside Deno).
  return Object.fromEntries(meta.vars.map((v) => {
    const t = v.type;
    if (t.kind !== "map") return [v.name, decodeScalar(t, slots[v.base] ?? 0n)];
    const entries = Array.from({ length: v.size }, (_, k) => [
      keyLabel(t.key, k),
      decodeScalar(t.value as ScalarDesc, slots[v.base + k] ?? 0n),
    ]);
    return [v.name, Object.fromEntries(entries)];
  }));
}

/**
 * Encodes a (possibly partial) view onto a copy of `base`: variables and
 * map entries missing from the view keep `base`'s values.
 *
 * @throws {TypeError} For an unknown variable or map key, or a value of the wrong type.
 *
 * @example Change one variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeView } from "./state_codec.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * assert.deepEqual(encodeView(DIAL_META, { mode: "high" }, [0n, 3n]), [2n, 3n]);
 * ```
 */
export function encodeView(
  meta: SpecMeta,
  view: Readonly<StateView>,
  base: readonly bigint[],
): bigint[] {
  const slots = [...base];
  for (const [name, value] of Object.entries(view)) {
    const v = meta.vars.find((x) => x.name === name);
    if (v === undefined) {
      throw new TypeError(`Unknown state variable '${name}' of spec '${meta.name}'`);
    }
    const t = v.type;
    if (t.kind !== "map") {
      slots[v.base] = encodeScalar(t, value, `State variable '${name}'`);
      continue;
    }
    if (typeof value !== "object" || value === null) {
      throw new TypeError(`State variable '${name}': expected an object, got ${show(value)}`);
    }
    for (const [key, entry] of Object.entries(value)) {
      const k = keyIndex(t.key, key, v.size);
      if (k < 0) throw new TypeError(`State variable '${name}': unknown key '${key}'`);
      slots[v.base + k] = encodeScalar(
        t.value as ScalarDesc,
        entry,
        `State variable '${name}[${key}]'`,
      );
    }
  }
  return slots;
}

/** Encodes one argument to its f64. */
function encodeArg(a: ActionMeta, p: ActionMeta["params"][number], value: unknown): number {
  const where = `Action '${a.name}' parameter '${p.name}'`;
  if (value === undefined) throw new TypeError(`${where}: missing argument`);
  const t = p.type as ScalarDesc;
  if (t.kind === "range" || t.kind === "int") {
    // Out-of-type numbers pass through: the WASM answers `bad_argument`.
    if (typeof value === "number") return value;
    if (typeof value !== "bigint") {
      throw new TypeError(`${where}: expected a number or bigint, got ${show(value)}`);
    }
    const n = Number(value);
    if (BigInt(n) !== value) {
      throw new RangeError(`${where}: ${show(value)} is not exact as an f64`);
    }
    return n;
  }
  return Number(encodeScalar(t, value, where));
}

/**
 * Encodes named arguments to the f64 list of an action's step/check export.
 *
 * @throws {TypeError} For a missing or unknown argument, an unknown enum
 * label, or a value of the wrong type (naming the action, parameter and value).
 * @throws {RangeError} For a bigint that an f64 cannot carry exactly.
 *
 * @example Encode an enum argument
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeArgs } from "./state_codec.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * assert.deepEqual(encodeArgs(DIAL_META, 0, { m: "high" }), [2]);
 * ```
 */
export function encodeArgs(
  meta: SpecMeta,
  action: number,
  args: Readonly<Record<string, unknown>>,
): number[] {
  const a = meta.actions[action];
  if (a === undefined) {
    throw new RangeError(`Unknown action index ${action} of spec '${meta.name}'`);
  }
  for (const name of Object.keys(args)) {
    if (!a.params.some((p) => p.name === name)) {
      throw new TypeError(`Action '${a.name}' has no parameter '${name}'`);
    }
  }
  // Own keys only: a parameter named like an `Object` member (`toString`) is missing when absent.
  return a.params.map((p) =>
    encodeArg(a, p, Object.hasOwn(args, p.name) ? args[p.name] : undefined)
  );
}

/**
 * Reads the slots of the instance block at byte `ptr` (little-endian, packed per `slots`).
 *
 * @example Read a block
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBlock } from "./state_codec.ts";
 * const data = new DataView(new ArrayBuffer(8));
 * data.setUint8(1, 7);
 * data.setInt16(2, -2, true);
 * const slots = [{ offset: 1, width: 1, signed: false }, { offset: 2, width: 2, signed: true }] as const;
 * assert.deepEqual(readBlock(data, 0, slots), [7n, -2n]);
 * ```
 */
export function readBlock(data: DataView, ptr: number, slots: readonly SlotLayout[]): bigint[] {
  return slots.map(({ offset, width, signed }) => {
    const at = ptr + offset;
    switch (width) {
      case 1:
        return BigInt(signed ? data.getInt8(at) : data.getUint8(at));
      case 2:
        return BigInt(signed ? data.getInt16(at, true) : data.getUint16(at, true));
      case 4:
        return BigInt(signed ? data.getInt32(at, true) : data.getUint32(at, true));
      case 8:
        return signed ? data.getBigInt64(at, true) : data.getBigUint64(at, true);
    }
  });
}
