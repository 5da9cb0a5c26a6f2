/**
 * One spec the collector serves: the compiled spec, its global properties,
 * how to validate an event for it, and how to describe an applied event
 * (action name, named arguments, local verdict) for counterexamples. Its
 * partitions are kept apart, by key, in `partition_table.ts`.
 *
 * @module
 */
import type { CompiledSpec, GlobalAggregates } from "../../lib/abi/compiled.ts";
import type { PropertyMeta, TypeDesc } from "../../lib/abi/meta.ts";
import { formatVerdict } from "../../lib/abi/verdict.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";
import { InvalidBatchError } from "./errors.ts";
import { Origins } from "./event_ring.ts";
import { LanePool } from "./merge.ts";
import { RingArena } from "./ring_arena.ts";
import type { EventInfo, EventSnapshot, PropertyRef } from "./types.ts";

/** A liveness item (global, or local to one instance) with its bit and bound. */
export interface LivenessItem {
  readonly name: string;
  readonly bit: number;
  readonly withinMs: number;
  readonly meta: PropertyMeta;
}

/** The reference to a liveness item in violations. */
function livenessRef(item: PropertyRef["item"], l: LivenessItem): PropertyRef {
  return {
    item,
    name: l.name,
    code: l.bit,
    line: l.meta.range.line,
    column: l.meta.range.column,
    detail: `eventually within ${l.withinMs} ms`,
  };
}

/** One served spec. */
export class ServedSpec {
  readonly compiled: CompiledSpec;
  readonly hash: string;
  readonly name: string;
  readonly stride: number;
  readonly liveness: readonly LivenessItem[];
  /** The local liveness items, checked per participant (`local_liveness.ts`). */
  readonly localLiveness: readonly LivenessItem[];
  readonly hasGlobalInvariants: boolean;
  /** The spec's maintained node aggregates, null when it has none (or was compiled before them). */
  readonly aggregates: GlobalAggregates | null;
  /** Instances a record of maintained aggregates spans (0 without aggregates). */
  readonly aggregateCells: number;
  /** The (node, boot) pairs of this spec's applied events (histories refer to them by number). */
  readonly origins = new Origins();
  /** A state block's worth of bytes to pass a state through (overwritten at each use). */
  readonly staging: Uint8Array;
  /** `staging` as 32-bit words. */
  readonly staging32: Int32Array;
  /** Reorder lanes of this spec's partitions, reused from partition to partition. */
  readonly lanes = new LanePool();
  /** The records of this spec's event rings (histories, participants' last events). */
  readonly rings = new RingArena();
  /**
   * Every served version of this spec's name by hash, this one included:
   * filled on the newest version (its partitions describe the events of
   * nodes on older versions with their own version's actions and verdicts).
   */
  readonly versions = new Map<string, ServedSpec>();
  #scratchFirst = -1;
  #scratchCap = 0;

  /**
   * Wraps a compiled spec.
   *
   * @example Wrap a spec
   * ```ts
   * import assert from "node:assert/strict";
   * import { loadCompiled } from "../../lib/abi/loader.ts";
   * import { ServedSpec } from "./served_spec.ts";
   * const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
   * const served = new ServedSpec(lease);
   * assert.ok(served.hash === lease.meta.sourceHash && served.name === "Lease");
   * assert.deepEqual(served.liveness.map((l) => l.name), ["SomeoneCanAcquire"]);
   * assert.deepEqual(served.localLiveness.map((l) => l.name), ["HolderReleases"]);
   * ```
   */
  constructor(compiled: CompiledSpec) {
    this.compiled = compiled;
    this.hash = compiled.meta.sourceHash;
    this.name = compiled.meta.name;
    this.stride = compiled.meta.stride;
    this.staging = new Uint8Array(this.stride);
    this.staging32 = new Int32Array(this.staging.buffer, 0, this.stride >> 2);
    this.hasGlobalInvariants = compiled.meta.globalInvariants.length > 0;
    this.aggregates = compiled.globalAggregates ?? null;
    this.aggregateCells = this.aggregates === null
      ? 0
      : Math.ceil(this.aggregates.size / Math.max(1, this.stride));
    const item = (p: PropertyMeta, i: number): LivenessItem => ({
      name: p.name,
      bit: p.bit ?? i,
      withinMs: p.withinMs ?? 0,
      meta: p,
    });
    this.#params = Int32Array.from(compiled.meta.actions, (a) => a.params.length);
    this.liveness = compiled.meta.globalLiveness.map(item);
    this.localLiveness = compiled.meta.liveness.map(item);
    this.versions.set(this.hash, this);
  }

  /** Throws `InvalidBatchError` when an event of decoded columns does not fit this spec. */
  validateColumns(c: WireColumns): void {
    // The common event, tested inline: a known action with its argument count, a verdict of the
    // spec, the state's size. Anything else (a refusal, or the unknown action / divergence codes
    // that pass) is decided by `#fits`, called only then.
    const stride = this.stride;
    const params = this.#params;
    const verdicts = this.compiled.meta.verdicts.length;
    const argOff = c.argOff;
    for (let i = 0; i < c.count; i++) {
      const action = c.action[i]!;
      const argc = argOff[i + 1]! - argOff[i]!;
      if (
        c.stateLen[i] === stride && action < params.length && params[action] === argc &&
        c.verdict[i]! < verdicts
      ) continue;
      this.#fits(i, c.stateLen[i]!, action, argc, c.verdict[i]!);
    }
  }

  /** Each action's parameter count, by action index. */
  readonly #params: Int32Array;

  #fits(i: number, stateLen: number, actionIndex: number, argc: number, verdict: number): void {
    const meta = this.compiled.meta;
    if (stateLen !== this.stride) {
      throw new InvalidBatchError(
        `ev[${i}].state`,
        `expected ${this.stride} bytes for spec '${this.name}', got ${stateLen}`,
      );
    }
    const action = meta.actions[actionIndex];
    if (action === undefined && actionIndex !== UNKNOWN_ACTION_INDEX) {
      throw new InvalidBatchError(
        `ev[${i}].action`,
        `no action ${actionIndex} in spec '${this.name}'`,
      );
    }
    if (action !== undefined && argc !== action.params.length) {
      throw new InvalidBatchError(
        `ev[${i}].args`,
        `action '${action.name}' takes ${action.params.length} arguments, got ${argc}`,
      );
    }
    if (verdict >= meta.verdicts.length && verdict !== VERDICT_DIVERGENCE) {
      throw new InvalidBatchError(
        `ev[${i}].verdict`,
        `no verdict ${verdict} in spec '${this.name}'`,
      );
    }
  }

  /** The verdict kind of a local verdict code. */
  verdictKind(code: number): string {
    if (code === 0) return "ok";
    if (code === VERDICT_DIVERGENCE) return "divergence";
    return this.compiled.meta.verdicts[code]?.kind ?? "unknown";
  }

  /**
   * Describes an applied event for people, with the actions and verdicts
   * of the version that produced it (`e.spec`, when not this one; a version
   * no longer served shows action and verdict numbers).
   */
  eventInfo(e: EventSnapshot): EventInfo {
    const spec = e.spec;
    if (spec === undefined || spec === this.hash) return this.#info(e);
    const version = this.versions.get(spec);
    return { ...(version === undefined ? retiredInfo(e) : version.#info(e)), spec };
  }

  #info(e: EventSnapshot): EventInfo {
    const action = this.compiled.meta.actions[e.action];
    const args: Record<string, unknown> = {};
    if (action !== undefined) {
      action.params.forEach((p, i) => args[p.name] = decodeArg(p.type, e.args[i] ?? NaN));
    }
    const name = action?.name ??
      (e.action === UNKNOWN_ACTION_INDEX ? "(unknown action)" : `#${e.action}`);
    return described(e, {
      action: name,
      args,
      verdict: this.verdictKind(e.verdict),
      verdictDetail: this.#verdictDetail(e.verdict),
    });
  }

  #verdictDetail(code: number): string {
    if (code === 0) return "";
    if (code === VERDICT_DIVERGENCE) return "state reported by the service differs from the spec";
    if (code >= this.compiled.meta.verdicts.length) return "";
    return formatVerdict(this.compiled.verdict(code));
  }

  /** The global invariant a verdict code names. */
  invariantRef(code: number): PropertyRef {
    const p = this.compiled.meta.globalInvariants.find((g) => g.code === code);
    const v = code < this.compiled.meta.verdicts.length ? this.compiled.verdict(code) : null;
    return {
      item: "global invariant",
      name: p?.name ?? v?.item.replace(/^global invariant /, "") ?? `#${code}`,
      code,
      line: p?.range.line ?? v?.line ?? 0,
      column: p?.range.column ?? v?.column ?? 0,
      detail: v?.detail ?? "",
    };
  }

  /** The global liveness item at index `i`. */
  livenessRef(i: number): PropertyRef {
    return livenessRef("global liveness", this.liveness[i]!);
  }

  /** The local liveness item at index `i`. */
  localLivenessRef(i: number): PropertyRef {
    return livenessRef("liveness", this.localLiveness[i]!);
  }

  /** The spec's initial state (made once, on first use: the module cannot free an instance). */
  get initialState(): Uint8Array {
    return this.#initial ??= this.compiled.stateBytes(this.compiled.create(1)).slice();
  }

  #initial: Uint8Array | null = null;

  /**
   * The byte offsets of a state that the global invariants read
   * (`SpecMeta.globalSlots`; every byte for a spec compiled without it).
   */
  get globalBytes(): Int32Array {
    if (this.#globalBytes === null) {
      const meta = this.compiled.meta;
      const read: number[] = [];
      if (meta.globalSlots === undefined) { for (let b = 0; b < meta.stride; b++) read.push(b); }
      else {
        for (const s of meta.globalSlots) {
          const slot = meta.slots[s]!;
          for (let b = 0; b < slot.width; b++) read.push(slot.offset + b);
        }
      }
      this.#globalBytes = Int32Array.from(read);
    }
    return this.#globalBytes;
  }

  #globalBytes: Int32Array | null = null;

  /** A contiguous scratch block of at least `n` instances (for finding the nodes involved). */
  scratch(n: number): number {
    if (n > this.#scratchCap) {
      this.#scratchCap = Math.max(n, 2 * this.#scratchCap);
      this.#scratchFirst = this.compiled.create(this.#scratchCap);
    }
    return this.#scratchFirst;
  }
}

/** What describes an event besides its stream position. */
type Described = Pick<EventInfo, "action" | "args" | "verdict" | "verdictDetail">;

/** An event's description from its action name, arguments and verdict. */
function described(e: EventSnapshot, what: Described): EventInfo {
  const { node, boot, seq, wall, logical, late } = e;
  const { action, args, verdict, verdictDetail } = what;
  return { node, boot, seq, wall, logical, action, args, verdict, verdictDetail, late };
}

/** An event of a version no longer served: numbers only. */
function retiredInfo(e: EventSnapshot): EventInfo {
  const ok = e.verdict === 0;
  return described(e, {
    action: `#${e.action}`,
    args: Object.fromEntries(e.args.map((a, i) => [String(i), a])),
    verdict: ok ? "ok" : "unknown",
    verdictDetail: ok ? "" : `verdict code ${e.verdict} of a version no longer served`,
  });
}

function decodeArg(type: TypeDesc, v: number): unknown {
  if (type.kind === "bool") return v !== 0;
  if (type.kind === "enum") return type.labels[v] ?? v;
  return v;
}
