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
import type { CompiledSpec, StepFn } from "../lib/abi/compiled.ts";
import type { SpecMeta, TypeDesc } from "../lib/abi/meta.ts";
import { describeVerdict, type Verdict } from "../lib/abi/verdict.ts";

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

function codecOf(action: string, name: string, type: TypeDesc): ParamCodec {
  const labels: Record<string, number> = Object.create(null);
  if (type.kind === "enum") {
    type.labels.forEach((l, i) => (labels[l] = i));
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
      if (i !== undefined) return i;
    }
  } else if (typeof v === "boolean") {
    return v ? 1 : 0;
  }
  throw argError(p, v);
}

/** The shared, precomputed tables of one loaded spec. */
export class SpecTables {
  readonly compiled: CompiledSpec;
  readonly meta: SpecMeta;
  readonly index: ReadonlyMap<string, number>;
  readonly names: readonly string[];
  readonly steps: readonly StepFn[];
  readonly checks: readonly StepFn[];
  readonly params: readonly (readonly ParamCodec[])[];
  /** `verdicts[code]`, frozen, for every code of the table. */
  readonly verdicts: readonly Verdict[];
  /** `action <name>`, for divergences. */
  readonly items: readonly string[];
  readonly #free: number[] = [];

  constructor(compiled: CompiledSpec) {
    const meta = compiled.meta;
    this.compiled = compiled;
    this.meta = meta;
    this.names = meta.actions.map((a) => a.name);
    this.index = new Map(this.names.map((n, i) => [n, i]));
    this.steps = meta.actions.map((_, i) => compiled.stepFn(i));
    this.checks = meta.actions.map((_, i) => compiled.checkFn(i));
    this.params = meta.actions.map((a) => a.params.map((p) => codecOf(a.name, p.name, p.type)));
    this.verdicts = meta.verdicts.map((_, code) => Object.freeze(describeVerdict(meta, code)));
    this.items = meta.actions.map((a) => `action ${a.name}`);
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
