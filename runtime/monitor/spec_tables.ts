/**
 * What the monitors of one loaded spec share, precomputed at load time so
 * the hot path only indexes: the action name map, each action's parameter
 * codecs (enum labels as lookup objects), the raw step/check exports, one
 * frozen verdict per code, and the free list of instance blocks.
 *
 * Internal to the runtime: not exported from `mod.ts`.
 *
 * @module
 */
import type { CompiledSpec, DispatchFn, StepFn } from "../../lib/abi/compiled.ts";
import type { SpecMeta, TypeDesc } from "../../lib/abi/meta.ts";
import { describeVerdict, type Verdict } from "../../lib/abi/verdict.ts";
import type { StepStateSource } from "../batcher/batcher_types.ts";
import type { MsgpackWriter } from "../../lib/wire/msgpack_writer.ts";

/** How a parameter's value is encoded: a number, a boolean, or an enum label. */
export const NUMBER = 0;
/** Boolean parameter. */
export const BOOL = 1;
/** Enum parameter. */
export const ENUM = 2;

/** Arguments by parameter name, as users pass them. */
export type Args = Readonly<Record<string, unknown>>;

/** The encoder of one action parameter. */
export interface ParamCodec {
  readonly action: string;
  readonly name: string;
  readonly kind: typeof NUMBER | typeof BOOL | typeof ENUM;
  /** Label -> index (null prototype), for enums. */
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
 */
export function fastIndex(names: readonly string[]): Readonly<Record<string, number>> {
  const o: Record<string, number> = {};
  names.forEach((n, i) => {
    if (n !== "__proto__") o[n] = i;
  });
  return o;
}

function codecOf(action: string, name: string, type: TypeDesc): ParamCodec {
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
 */
export function argValue(p: ParamCodec, args: Args | undefined): number {
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
  throw argError(p, v);
}

/**
 * An additive `CompiledSpec` method this runtime uses when the loader
 * provides it: copies an instance's packed block into `target` at `offset`
 * without allocating. Without it, each event's state is a `stateBytes`
 * copy (one ArrayBuffer per event, several hundred ns).
 */
interface CopyState {
  copyState?(inst: number, target: Uint8Array, offset: number): void;
}

/** A JavaScript dispatcher, for a `CompiledSpec` without `dispatchStep`/`dispatchCheck`. */
function dispatcher(fns: readonly StepFn[]): DispatchFn {
  return (inst, action, ...args) => {
    const f = fns[action];
    return f === undefined ? 1 : f(inst, ...args);
  };
}

/** Bytes per slab that event state copies are cut from. */
const SLAB_BYTES = 64 * 1024;

/** Specs with at most this many actions find an action name by a scan. */
const SCAN_ACTIONS = 8;

/** The shared, precomputed tables of one loaded spec (also the state source of its events). */
export class SpecTables implements StepStateSource {
  readonly compiled: CompiledSpec;
  readonly meta: SpecMeta;
  readonly index: ReadonlyMap<string, number>;
  /** Action name -> index, fast-mode object (see {@link fastIndex}). */
  readonly ids: Readonly<Record<string, number>>;
  readonly names: readonly string[];
  readonly steps: readonly StepFn[];
  readonly checks: readonly StepFn[];
  /** `dispatch-step`: every action through one function (a monomorphic call site). */
  readonly dispatchStep: DispatchFn;
  /** `dispatch-check`. */
  readonly dispatchCheck: DispatchFn;
  readonly params: readonly (readonly ParamCodec[])[];
  /** `verdicts[code]`, frozen, for every code of the table. */
  readonly verdicts: readonly Verdict[];
  /** `action <name>`, for divergences. */
  readonly items: readonly string[];
  readonly #free: number[] = [];
  readonly #copy: CopyState["copyState"];
  readonly #into: CompiledSpec["copyStateInto"];
  /** Bytes per state block. */
  readonly stride: number;
  #slab = new ArrayBuffer(0);
  #slabBytes = new Uint8Array(this.#slab);
  #slabAt = 0;

  constructor(compiled: CompiledSpec) {
    const meta = compiled.meta;
    this.compiled = compiled;
    this.meta = meta;
    this.names = meta.actions.map((a) => a.name);
    this.index = new Map(this.names.map((n, i) => [n, i]));
    this.ids = fastIndex(this.names);
    this.steps = meta.actions.map((_, i) => compiled.stepFn(i));
    this.checks = meta.actions.map((_, i) => compiled.checkFn(i));
    this.dispatchStep = compiled.dispatchStep ?? dispatcher(this.steps);
    this.dispatchCheck = compiled.dispatchCheck ?? dispatcher(this.checks);
    this.params = meta.actions.map((a) => a.params.map((p) => codecOf(a.name, p.name, p.type)));
    this.verdicts = meta.verdicts.map((_, code) => Object.freeze(describeVerdict(meta, code)));
    this.items = meta.actions.map((a) => `action ${a.name}`);
    this.#copy = (compiled as CopyState).copyState;
    this.#into = compiled.copyStateInto;
    this.stride = meta.stride;
  }

  /**
   * A copy of an instance's block for an event: a view cut from a shared
   * slab that is never rewritten (events may be held by a batcher).
   */
  eventState(inst: number): Uint8Array {
    const copy = this.#copy;
    if (copy === undefined) return this.compiled.stateBytes(inst);
    const stride = this.meta.stride;
    if (this.#slabAt + stride > this.#slab.byteLength) {
      this.#slab = new ArrayBuffer(Math.max(SLAB_BYTES, stride));
      this.#slabBytes = new Uint8Array(this.#slab);
      this.#slabAt = 0;
    }
    const at = this.#slabAt;
    copy.call(this.compiled, inst, this.#slabBytes, at);
    this.#slabAt = at + stride;
    return new Uint8Array(this.#slab, at, stride);
  }

  /** Writes instance `inst`'s block into `w` as one msgpack bin (no copy in between). */
  writeState(inst: number, w: MsgpackWriter): void {
    const at = w.binSlot(this.stride);
    const into = this.#into;
    if (into !== undefined) into.call(this.compiled, inst, w.data, at);
    else {
      const bytes = this.compiled.stateBytes(inst);
      for (let i = 0; i < bytes.length; i++) w.data.setUint8(at + i, bytes[i]!);
    }
  }

  /** A copy of instance `inst`'s block. */
  stateBytes(inst: number): Uint8Array {
    return this.compiled.stateBytes(inst);
  }

  /**
   * The index of an action name on the per-step path, or -1 (then the
   * caller's slow path looks it up in `index`). Few actions: a scan of
   * `names` (literal names are internalized strings, so each `===` is a
   * pointer compare; measured about 4 ns faster per step than a lookup,
   * which goes megamorphic as soon as one call site sees two names); more:
   * the fast-mode `ids` object.
   */
  actionId(action: string): number {
    const names = this.names;
    if (names.length <= SCAN_ACTIONS) {
      for (let i = 0; i < names.length; i++) if (names[i] === action) return i;
      return -1;
    }
    const a = this.ids[action];
    return typeof a === "number" ? a : -1;
  }

  /** The verdict of a code (frozen; cached for every code of the table). */
  verdict(code: number): Verdict {
    return this.verdicts[code] ?? describeVerdict(this.meta, code);
  }

  /** An instance block in the initial state: a freed one, or a new one. */
  take(): number {
    return this.#free.pop() ?? this.compiled.create(1);
  }

  /** Resets an instance block and keeps it for the next `take`. */
  give(inst: number): void {
    this.compiled.reset(inst);
    this.#free.push(inst);
  }

  /** Instance blocks waiting for reuse. */
  get free(): number {
    return this.#free.length;
  }
}
