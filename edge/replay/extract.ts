/**
 * Applying a mapping to one log line: the parsed line becomes a
 * {@link ReplayEvent} (spec, node, key, time, action index, encoded
 * arguments, observed state), is filtered out by the mapping's `where`, or
 * is unmapped with a reason a person can act on (`missing field 'ts'`,
 * `unknown action 'frobnicate' of spec 'Lease'`).
 *
 * @module
 */
import type { CompiledSpec, StateView } from "../../lib/abi/compiled.ts";
import type { TypeDesc } from "../../lib/abi/meta.ts";
import { parseStamp } from "../../runtime/clock.ts";
import {
  type FieldPath,
  getPath,
  type LineMapping,
  type Mapping,
  MappingError,
  type RecordSource,
  showPath,
  type ValueSource,
} from "./mapping.ts";
import { scanFields } from "./scan.ts";

/** How one parameter's value is encoded to its f64. */
interface ParamTable {
  readonly name: string;
  readonly kind: "num" | "bool" | "enum";
  readonly labels: ReadonlyMap<string, number>;
  readonly shown: string;
}

/** A served spec with its lookup tables. */
export interface SpecTable {
  readonly index: number;
  readonly compiled: CompiledSpec;
  readonly name: string;
  readonly actions: ReadonlyMap<string, number>;
  readonly params: readonly (readonly ParamTable[])[];
}

/** A mapped line: one step of one instance. */
export interface ReplayEvent {
  readonly wall: number;
  readonly logical: number;
  readonly file: number;
  readonly line: number;
  readonly spec: SpecTable;
  readonly node: string;
  readonly key: string;
  readonly action: number;
  readonly args: number[];
  readonly observed: StateView | null;
  /** The log's own per-node sequence number, or -1. */
  readonly logSeq: number;
  /** Set when it arrived older than the window allows (processed out of order). */
  late: boolean;
}

/** A line that could not be mapped; `spec`/`node`/`key` when they could be read (the hole's owner). */
export interface Unmapped {
  readonly reason: string;
  readonly spec?: SpecTable;
  readonly node?: string;
  readonly key?: string;
}

/** Marks a line the mapping's `where` excludes. */
export const FILTERED = "filtered";

function paramTable(name: string, t: TypeDesc): ParamTable {
  if (t.kind === "enum") {
    const labels = new Map(t.labels.map((l, i) => [l, i]));
    return { name, kind: "enum", labels, shown: t.labels.map((l) => `'${l}'`).join(", ") };
  }
  return { name, kind: t.kind === "bool" ? "bool" : "num", labels: new Map(), shown: t.kind };
}

/**
 * Builds the lookup tables of the specs served.
 *
 * @example Index a spec's actions
 * ```ts ignore
 * import { specTables } from "./extract.ts";
 * const [lease] = specTables([await loadCompiled("dist/lease.js")]);
 * lease.actions.get("acquire"); // 0
 * ```
 */
export function specTables(specs: readonly CompiledSpec[]): SpecTable[] {
  return specs.map((compiled, index) => ({
    index,
    compiled,
    name: compiled.meta.name,
    actions: new Map(compiled.meta.actions.map((a, i) => [a.name, i])),
    params: compiled.meta.actions.map((a) => a.params.map((p) => paramTable(p.name, p.type))),
  }));
}

/** A line mapping bound to its spec. */
interface Bound {
  readonly m: LineMapping;
  readonly spec: SpecTable;
}

/**
 * Binds each line mapping to its spec; throws `MappingError` for an unknown
 * spec name, or a missing name when several specs are served.
 *
 * @example Bind
 * ```ts ignore
 * const ex = new LineExtractor(parseMapping(json), specTables(specs), ["logs/api-1.ndjson"]);
 * ```
 */
export class LineExtractor {
  readonly #bound: readonly Bound[];
  readonly #keys: readonly string[];
  readonly #fileNodes: readonly string[];
  readonly #time = { wall: 0, logical: 0 };

  /** Binds the mapping to the specs; `files` name the sources (for `$file` nodes). */
  constructor(mapping: Mapping, specs: readonly SpecTable[], files: readonly string[]) {
    this.#bound = mapping.mappings.map((m, i) => ({ m, spec: pickSpec(m, specs, i) }));
    this.#keys = [...mapping.topLevel];
    this.#fileNodes = files.map((f) => f.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, ""));
  }

  /** Maps one line: an event, {@link FILTERED}, or an unmapped reason. */
  map(line: string, file: number, lineNo: number): ReplayEvent | Unmapped | typeof FILTERED {
    let root: unknown = scanFields(line, this.#keys);
    if (root === null) {
      try {
        root = JSON.parse(line);
      } catch (e) {
        return unmapped(`invalid JSON: ${(e as Error).message}`);
      }
      if (typeof root !== "object" || root === null || Array.isArray(root)) {
        return unmapped("not a JSON object");
      }
    }
    const b = this.#match(root);
    if (b === undefined) return FILTERED;
    return this.#event(b, root, file, lineNo);
  }

  #match(root: unknown): Bound | undefined {
    for (const b of this.#bound) {
      let ok = true;
      for (const w of b.m.where) {
        if (!w.values.includes(getPath(root, w.path))) {
          ok = false;
          break;
        }
      }
      if (ok) return b;
    }
    return undefined;
  }

  #event(b: Bound, root: unknown, file: number, line: number): ReplayEvent | Unmapped {
    const m = b.m;
    const spec = b.spec;
    const node = this.#name(m.node, root, file, "node");
    if (typeof node !== "string") return node;
    const key = this.#name(m.key, root, file, "key");
    if (typeof key !== "string") return { ...key, spec, node };
    const t = this.#time;
    const bad = timeOf(m, root, t);
    if (bad !== null) return { reason: bad, spec, node, key };
    const raw = getPath(root, m.action);
    if (typeof raw !== "string") {
      return { reason: missing(m.action, raw, "a string"), spec, node, key };
    }
    const name = m.actions.get(raw) ?? raw;
    const action = spec.actions.get(name);
    if (action === undefined) {
      const shown = name === raw ? `'${raw}'` : `'${raw}' (renamed '${name}')`;
      return { reason: `unknown action ${shown} of spec '${spec.name}'`, spec, node, key };
    }
    const args = encode(spec, action, m.args, root);
    if (typeof args === "string") return { reason: args, spec, node, key };
    const observed = m.state === undefined ? null : recordOf(m.state, root);
    if (typeof observed === "string") return { reason: observed, spec, node, key };
    let logSeq = -1;
    if (m.seq !== undefined) {
      const s = getPath(root, m.seq);
      if (typeof s !== "number" || !Number.isSafeInteger(s) || s < 0) {
        return { reason: missing(m.seq, s, "a sequence number"), spec, node, key };
      }
      logSeq = s;
    }
    return {
      wall: t.wall,
      logical: t.logical,
      file,
      line,
      spec,
      node,
      key,
      action,
      args,
      observed,
      logSeq,
      late: false,
    };
  }

  #name(v: ValueSource, root: unknown, file: number, what: string): string | Unmapped {
    if (v.kind === "const") return v.value;
    if (v.kind === "file") return this.#fileNodes[file] ?? "";
    const x = getPath(root, v.path);
    if (typeof x === "string" && x.length > 0) return x;
    if (typeof x === "number") return String(x);
    return unmapped(missing(v.path, x, `a ${what}`));
  }
}

function pickSpec(m: LineMapping, specs: readonly SpecTable[], i: number): SpecTable {
  if (m.spec === undefined) {
    if (specs.length === 1) return specs[0]!;
    const names = specs.map((s) => `'${s.name}'`).join(", ");
    throw new MappingError(`mappings[${i}].spec`, `required with several specs (${names})`);
  }
  const s = specs.find((x) => x.name === m.spec || x.compiled.meta.sourceHash === m.spec);
  if (s === undefined) throw new MappingError(`mappings[${i}].spec`, `no spec '${m.spec}' loaded`);
  return s;
}

function unmapped(reason: string): Unmapped {
  return { reason };
}

function missing(path: FieldPath, v: unknown, what: string): string {
  if (v === undefined) return `missing field '${showPath(path)}'`;
  return `field '${showPath(path)}' is not ${what}: ${show(v)}`;
}

function show(v: unknown): string {
  const s = typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;

/** Reads the time into `out`; returns null, or the reason it cannot be read. */
function timeOf(
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

function argValue(p: ParamTable, v: unknown, action: string): number | string {
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
function encode(
  spec: SpecTable,
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
function recordOf(src: RecordSource, root: unknown): StateView | null | string {
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
