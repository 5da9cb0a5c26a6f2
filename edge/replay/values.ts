/**
 * Reading values from a parsed line for the mapping: the time (timestamp,
 * ISO string, HLC stamp or fields), the encoded arguments of an action, the
 * observed state, and the reasons when they cannot be read.
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import { parseStamp } from "../../lib/wire/stamp.ts";
import {
  type FieldPath,
  getPath,
  type LineMapping,
  type RecordSource,
  showPath,
} from "./mapping.ts";
import type { ParamEncoding, ReplaySpec } from "./replay_spec.ts";

/** Why a field cannot be used: missing, or not what is expected. */
export function missing(path: FieldPath, v: unknown, what: string): string {
  if (v === undefined) return `missing field '${showPath(path)}'`;
  return `field '${showPath(path)}' is not ${what}: ${show(v)}`;
}

function show(v: unknown): string {
  const s = typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;

/** Reads the time into `out`; returns null, or the reason it cannot be read. */
export function timeOf(
  m: LineMapping,
  root: unknown,
  out: { wall: number; logical: number },
): string | null {
  const t = m.time;
  if (t.kind === "hlc") {
    const w = getPath(root, t.wall);
    const l = getPath(root, t.logical);
    if (typeof w !== "number" || !Number.isSafeInteger(w)) return missing(t.wall, w, "a wall time");
    if (typeof l !== "number" || !Number.isSafeInteger(l) || l < 0) {
      return missing(t.logical, l, "a logical counter");
    }
    out.wall = w;
    out.logical = l;
    return null;
  }
  const v = getPath(root, t.path);
  if (t.kind === "stamp") {
    if (typeof v !== "string") return missing(t.path, v, "a clock stamp");
    try {
      const h = parseStamp(v);
      out.wall = h.wall;
      out.logical = h.logical;
      return null;
    } catch {
      return `field '${showPath(t.path)}' is not a clock stamp: ${show(v)}`;
    }
  }
  let ms: number;
  if (typeof v === "number") ms = v * t.msPerUnit;
  else if (typeof v === "string") ms = NUMERIC.test(v) ? Number(v) * t.msPerUnit : Date.parse(v);
  else return missing(t.path, v, "a time");
  if (!Number.isFinite(ms)) return `field '${showPath(t.path)}' is not a time: ${show(v)}`;
  const wall = Math.floor(ms);
  out.wall = wall;
  // Sub-millisecond precision orders events within a millisecond (microseconds).
  out.logical = wall === ms ? 0 : Math.round((ms - wall) * 1000);
  return null;
}

function argValue(p: ParamEncoding, v: unknown, action: string): number | string {
  if (v === undefined) return `missing argument '${p.name}' of action '${action}'`;
  if (p.kind === "num") {
    if (typeof v === "number") return v;
    if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
  } else if (p.kind === "bool") {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (v === "true" || v === "false") return v === "true" ? 1 : 0;
  } else if (typeof v === "string") {
    const i = p.labels.get(v);
    if (i !== undefined) return i;
  }
  const want = p.kind === "enum"
    ? `one of ${p.shown}`
    : p.kind === "bool"
    ? "a boolean"
    : "a number";
  return `argument '${p.name}' of action '${action}': expected ${want}, got ${show(v)}`;
}

const NO_ARGS: number[] = [];

/** The encoded arguments, or the reason they cannot be. */
export function encode(
  spec: ReplaySpec,
  action: number,
  src: RecordSource | undefined,
  root: unknown,
): number[] | string {
  const params = spec.params[action]!;
  if (params.length === 0) return NO_ARGS;
  const name = spec.compiled.meta.actions[action]!.name;
  let obj: unknown;
  if (src?.kind === "object") {
    obj = getPath(root, src.path);
    if (typeof obj !== "object" || obj === null) {
      return missing(src.path, obj, "an object or array");
    }
  }
  const out = new Array<number>(params.length);
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    let v: unknown;
    if (src === undefined) v = undefined;
    else if (src.kind === "fields") {
      const path = src.fields.get(p.name);
      v = path === undefined ? undefined : getPath(root, path);
    } else v = Array.isArray(obj) ? obj[i] : (obj as Record<string, unknown>)[p.name];
    const x = argValue(p, v, name);
    if (typeof x === "string") return x;
    out[i] = x;
  }
  return out;
}

/** The observed (partial) state view, null when the line carries none, or the reason it cannot be read. */
export function recordOf(src: RecordSource, root: unknown): StateView | null | string {
  if (src.kind === "object") {
    const v = getPath(root, src.path);
    if (v === undefined) return null;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      return missing(src.path, v, "an object");
    }
    return v as StateView;
  }
  let view: StateView | null = null;
  for (const [name, path] of src.fields) {
    const v = getPath(root, path);
    if (v !== undefined) (view ??= {})[name] = v;
  }
  return view;
}
