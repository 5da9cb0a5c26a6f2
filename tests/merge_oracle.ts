/**
 * An independent oracle for the collector's verdicts, for tests. It shares
 * no code with `edge/`: specs are checked by the reference interpreter
 * (`lib/interpreter/interpreter.ts`) over the IR of their source, never by the compiled
 * module the collector runs; state blocks are unpacked with the compiler's
 * layout (`lib/wasm/state_layout.ts`) and named as the model checker names them
 * (`lib/explore/valuation.ts`); everything else is plain arrays and sorting.
 *
 * What it models, from the semantics documented in `edge/engine/collector.ts`:
 * - events are de-duplicated by (spec, node, boot, sequence number) and
 *   grouped by partition (spec hash, instance key);
 * - {@link sortedMerge}: each partition's events applied in merge order
 *   (HLC wall, HLC logical, node id, boot id, sequence number), the verdicts
 *   of an uninterrupted run without late events;
 * - {@link WindowModel}: the arrival-based reorder window (an event arriving
 *   at `t` is applied by `t + windowMs`, after everything buffered in its
 *   partition that orders before it; an event ordered before the last
 *   applied one of its partition is applied at once and counted late), for
 *   runs whose arrivals reorder beyond the window;
 * - applying one event ({@link PartitionModel.apply}): a participant per
 *   node (joined at its first applied event) keeps the state of its newest
 *   event (same boot: higher sequence number; other boot: higher HLC); after
 *   every event that is its node's newest, the global invariants are
 *   evaluated over all participants' states in join order; a failing code
 *   different from the open episode's opens a violation (nodes involved: the
 *   greedy smallest failing subset, dropping each participant in join order
 *   whose removal keeps the same code; all of them below 2 or above 64), a
 *   passing check ends the episode.
 *
 * Global liveness and holes are out of its scope: tests that use it assert
 * that no liveness timeout happened and compare statuses only where no hole
 * is open.
 *
 * @module
 */
import { analyze } from "../lib/frontend.ts";
import { globalCheck } from "../lib/interpreter/interpreter.ts";
import { slotsOf, valuation } from "../lib/explore/valuation.ts";
import type { Program } from "../lib/ir.ts";
import type { SlotLayout } from "../lib/abi/slot_layout.ts";
import { layoutOf } from "../lib/wasm/state_layout.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";

/** One event as a node sent it, with its stream and sequence number. */
export interface OracleEvent {
  readonly spec: string;
  readonly node: string;
  readonly boot: string;
  readonly seq: number;
  readonly key: string;
  readonly wall: number;
  readonly logical: number;
  readonly action: number;
  readonly args: readonly number[];
  /** The packed post-state block, as sent. */
  readonly state: Uint8Array;
  readonly verdict: number;
}

/**
 * The events of a decoded batch, with the batch's stream fields.
 *
 * @example Flatten a batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventsOf } from "./merge_oracle.ts";
 * const state = new Uint8Array(8);
 * const events = eventsOf({
 *   version: 1, spec: "h", specName: "S", node: "a", boot: "a-1", firstSeq: 4, dropped: [],
 *   events: [{ seq: 4, key: "k", wall: 1, logical: 0, action: 0, args: [], state, verdict: 0 }],
 * });
 * assert.deepEqual(events.map((e) => [e.node, e.boot, e.seq, e.key]), [["a", "a-1", 4, "k"]]);
 * ```
 */
export function eventsOf(batch: DecodedBatch): OracleEvent[] {
  return batch.events.map((e) => ({
    spec: batch.spec,
    node: batch.node,
    boot: batch.boot,
    seq: e.seq,
    key: e.key,
    wall: e.wall,
    logical: e.logical,
    action: e.action,
    args: [...e.args],
    state: e.state,
    verdict: e.verdict,
  }));
}

/**
 * The documented merge order: HLC wall, HLC logical, node id, boot id,
 * sequence number. Negative when `a` comes first.
 *
 * @example Node id breaks an HLC tie
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeOrder } from "./merge_oracle.ts";
 * const at = (node: string, seq: number) => ({ wall: 5, logical: 1, node, boot: "x", seq });
 * assert.ok(mergeOrder(at("a", 9), at("b", 0)) < 0);
 * assert.ok(mergeOrder(at("b", 0), at("b", 1)) < 0);
 * ```
 */
export function mergeOrder(
  a: Pick<OracleEvent, "wall" | "logical" | "node" | "boot" | "seq">,
  b: Pick<OracleEvent, "wall" | "logical" | "node" | "boot" | "seq">,
): number {
  const keys = [
    [a.wall, b.wall],
    [a.logical, b.logical],
    [a.node, b.node],
    [a.boot, b.boot],
    [a.seq, b.seq],
  ] as const;
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/** A spec as the oracle knows it: the interpreter's IR of its source and the state layout. */
export class OracleSpec {
  /** SHA-256 of the source (the hash events carry). */
  readonly hash: string;
  readonly name: string;
  readonly program: Program;
  /** Bytes of a packed state block. */
  readonly stride: number;
  readonly #slots: readonly SlotLayout[];

  private constructor(hash: string, program: Program) {
    this.hash = hash;
    this.name = program.name;
    this.program = program;
    const layout = layoutOf(program);
    this.stride = layout.stride;
    this.#slots = layout.slots;
  }

  /**
   * Analyzes a spec's source (throws when it does not check).
   *
   * @example Read a spec
   * ```ts
   * import assert from "node:assert/strict";
   * import { OracleSpec } from "./merge_oracle.ts";
   * const spec = await OracleSpec.fromSource("spec T\nstate on: bool = false\n");
   * assert.equal(spec.name, "T");
   * assert.equal(spec.hash.length, 64);
   * ```
   */
  static async fromSource(source: string): Promise<OracleSpec> {
    const { program, diagnostics } = analyze(source);
    if (program === null) {
      throw new TypeError(`Spec does not check: ${diagnostics.map((d) => d.message).join("; ")}`);
    }
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(source));
    const hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    return new OracleSpec(hash, program);
  }

  /**
   * Unpacks a state block into slot values (little-endian, widths from the layout).
   *
   * @example Unpack
   * ```ts
   * import assert from "node:assert/strict";
   * import { OracleSpec } from "./merge_oracle.ts";
   * const spec = await OracleSpec.fromSource("spec T\nstate on: bool = false\nstate n: int = 0\n");
   * const block = new Uint8Array(spec.stride);
   * new DataView(block.buffer).setBigInt64(0, -3n, true);
   * block[8] = 1;
   * assert.deepEqual(spec.slots(block), [1n, -3n]);
   * ```
   */
  slots(state: Uint8Array): bigint[] {
    if (state.length !== this.stride) {
      throw new RangeError(`State block has '${state.length}' bytes, not '${this.stride}'`);
    }
    return slotsOf(this.#slots, new Uint32Array(state.slice().buffer), 0, this.stride / 4);
  }

  /**
   * The JSON view of slot values as the collector shows states: enums by
   * label, bools as booleans, integers as numbers (decimal strings beyond
   * 2^53), maps as objects keyed by the key's label.
   *
   * @example View a state
   * ```ts
   * import assert from "node:assert/strict";
   * import { OracleSpec } from "./merge_oracle.ts";
   * const spec = await OracleSpec.fromSource(
   *   "spec T\ntype M = enum { off, on }\nstate m: M = off\nstate g: map[0..1, bool] = false\n",
   * );
   * assert.deepEqual(spec.view([1n, 0n, 1n]), { m: "on", g: { 0: false, 1: true } });
   * ```
   */
  view(slots: readonly bigint[]): Record<string, unknown> {
    return valuation(this.program, slots);
  }

  /** The global invariants over `states` (in order): 0 or the first failing code. */
  check(states: readonly (readonly bigint[])[]): number {
    return globalCheck(this.program, states);
  }

  /** The name of the global invariant a failing code belongs to (its own code or an arithmetic site inside it). */
  propertyName(code: number): string {
    const own = this.program.globalInvariants.find((g) => g.code === code);
    if (own !== undefined) return own.name;
    const item = this.program.verdicts[code]?.item ?? `#${code}`;
    return item.replace(/^global invariant /, "");
  }

  /** The verdict kind of a local verdict code, as counted per node. */
  verdictKind(code: number): string {
    return this.program.verdicts[code]?.kind ?? "unknown";
  }
}

/** A participant's latest state. */
export interface ExpectedParticipant {
  readonly node: string;
  readonly boot: string;
  readonly seq: number;
  readonly wall: number;
  readonly logical: number;
  /** The bytes of its newest event, exactly as the node sent them. */
  readonly state: Uint8Array;
}

/** A violation episode the oracle expects. */
export interface ExpectedViolation {
  /** Partition display id, `<spec name>/<key>`. */
  readonly partition: string;
  readonly name: string;
  readonly code: number;
  readonly at: { readonly wall: number; readonly logical: number };
  readonly nodes: readonly string[];
  /** Every participant at the violation, in join order, with its state's view. */
  readonly cut: readonly { node: string; boot: string; seq: number; state: unknown }[];
  /** The partition's last applied events up to this one: `[node, seq, late]`. */
  readonly history: readonly (readonly [string, number, boolean])[];
}

/** An episode's end. */
export interface ExpectedClear {
  readonly partition: string;
  readonly name: string;
  readonly at: { readonly wall: number; readonly logical: number };
}

/** One partition of the oracle: its participants, episode and what it raised. */
export class PartitionModel {
  readonly spec: OracleSpec;
  readonly key: string;
  readonly id: string;
  readonly participants: ExpectedParticipant[] = [];
  readonly violations: ExpectedViolation[] = [];
  readonly clears: ExpectedClear[] = [];
  /** Open episode's failing code, 0 when none. */
  episode = 0;
  applied = 0;
  late = 0;
  /** Greatest applied event in merge order. */
  last: OracleEvent | null = null;
  /** Applied events in apply order. */
  readonly #history: [string, number, boolean][] = [];
  readonly #historySize: number;

  /**
   * An empty partition; violations keep the last `historySize` applied events.
   *
   * @example Apply two double-holding events
   * ```ts ignore
   * const p = new PartitionModel(spec, "lock:1", 32);
   * p.apply(eventOfA, false);
   * p.apply(eventOfB, false);
   * p.violations.length; // 1
   * ```
   */
  constructor(spec: OracleSpec, key: string, historySize: number) {
    this.spec = spec;
    this.key = key;
    this.id = `${spec.name}/${key}`;
    this.#historySize = historySize;
  }

  /** Applies one event (late: applied at once because something later was applied before). */
  apply(e: OracleEvent, late: boolean): void {
    this.applied++;
    if (late) this.late++;
    this.#history.push([e.node, e.seq, late]);
    if (this.last === null || mergeOrder(e, this.last) > 0) this.last = e;
    const { node, boot, seq, wall, logical, state } = e;
    const i = this.participants.findIndex((p) => p.node === node);
    const p = this.participants[i];
    if (p !== undefined) {
      const newer = p.boot === boot
        ? seq > p.seq
        : wall > p.wall || (wall === p.wall && logical > p.logical);
      if (!newer) return;
    }
    this.participants[i < 0 ? this.participants.length : i] = {
      node,
      boot,
      seq,
      wall,
      logical,
      state,
    };
    const states = this.participants.map((p) => this.spec.slots(p.state));
    const code = this.spec.check(states);
    if (code === this.episode) return;
    const at = { wall: e.wall, logical: e.logical };
    if (code === 0) {
      this.clears.push({ partition: this.id, name: this.spec.propertyName(this.episode), at });
    } else {
      this.violations.push({
        partition: this.id,
        name: this.spec.propertyName(code),
        code,
        at,
        nodes: this.#involved(states, code),
        cut: this.participants.map((p, j) => ({
          node: p.node,
          boot: p.boot,
          seq: p.seq,
          state: this.spec.view(states[j]!),
        })),
        history: this.#history.slice(-this.#historySize),
      });
    }
    this.episode = code;
  }

  #involved(states: readonly bigint[][], code: number): string[] {
    const all = this.participants.map((p) => p.node);
    if (all.length < 2 || all.length > 64) return all;
    let keep = all.map((_, i) => i);
    for (let i = 0; i < all.length; i++) {
      const trial = keep.filter((k) => k !== i);
      if (trial.length > 0 && this.spec.check(trial.map((k) => states[k]!)) === code) keep = trial;
    }
    return keep.map((k) => all[k]!);
  }

  /** `violated` while an episode is open, else `ok` (liveness and holes are out of scope). */
  get status(): "ok" | "violated" {
    return this.episode === 0 ? "ok" : "violated";
  }
}

/** Options of the oracle. */
export interface OracleOptions {
  /** As the collector's `historySize`. Default 32. */
  readonly historySize?: number;
}

/** What the oracle expects of a run: its partitions and the local verdicts per node. */
export class OracleRun {
  readonly #specs: ReadonlyMap<string, OracleSpec>;
  readonly #historySize: number;
  readonly #seen = new Set<string>();
  /** Partitions by display id, in creation order. */
  readonly partitions = new Map<string, PartitionModel>();
  /** Non-ok local verdicts of unique events, per node and kind. */
  readonly localVerdicts = new Map<string, Record<string, number>>();
  /** Unique events accepted. */
  events = 0;
  /** Duplicates received. */
  duplicates = 0;

  /**
   * A run over the given specs.
   *
   * @example An empty run
   * ```ts
   * import assert from "node:assert/strict";
   * import { OracleRun, OracleSpec } from "./merge_oracle.ts";
   * const run = new OracleRun([await OracleSpec.fromSource("spec T\nstate on: bool = false\n")]);
   * assert.equal(run.partitions.size, 0);
   * ```
   */
  constructor(specs: readonly OracleSpec[], options: OracleOptions = {}) {
    this.#specs = new Map(specs.map((s) => [s.hash, s]));
    this.#historySize = options.historySize ?? 32;
  }

  /** False for a duplicate; counts the event and its local verdict otherwise. */
  accept(e: OracleEvent): boolean {
    const id = `${e.spec}\u0000${e.node}\u0000${e.boot}\u0000${e.seq}`;
    if (this.#seen.has(id)) {
      this.duplicates++;
      return false;
    }
    this.#seen.add(id);
    this.events++;
    if (e.verdict !== 0) {
      const kinds = this.localVerdicts.get(e.node) ?? {};
      const kind = this.spec(e.spec).verdictKind(e.verdict);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      this.localVerdicts.set(e.node, kinds);
    }
    return true;
  }

  /** The partition of an event, created when new. */
  partitionOf(e: OracleEvent): PartitionModel {
    const spec = this.spec(e.spec);
    const id = `${spec.name}/${e.key}`;
    let p = this.partitions.get(id);
    if (p === undefined) {
      this.partitions.set(id, p = new PartitionModel(spec, e.key, this.#historySize));
    }
    return p;
  }

  /** The spec of a hash (throws for an unknown one). */
  spec(hash: string): OracleSpec {
    const s = this.#specs.get(hash);
    if (s === undefined) throw new RangeError(`No oracle spec with hash '${hash}'`);
    return s;
  }

  /** Late events over all partitions. */
  get late(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.late;
    return n;
  }

  /** Applied events over all partitions. */
  get applied(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.applied;
    return n;
  }
}

/**
 * The verdicts of an uninterrupted run without late events: every unique
 * event of each partition applied in merge order.
 *
 * @example Two nodes, one partition
 * ```ts ignore
 * const run = sortedMerge([leaseSpec], events);
 * run.partitions.get("Lease/lock:1")?.violations; // the OneHolder episodes
 * ```
 */
export function sortedMerge(
  specs: readonly OracleSpec[],
  events: Iterable<OracleEvent>,
  options: OracleOptions = {},
): OracleRun {
  const run = new OracleRun(specs, options);
  const byPartition = new Map<PartitionModel, OracleEvent[]>();
  for (const e of events) {
    if (!run.accept(e)) continue;
    const p = run.partitionOf(e);
    const list = byPartition.get(p) ?? [];
    list.push(e);
    byPartition.set(p, list);
  }
  for (const [p, list] of byPartition) {
    for (const e of list.sort(mergeOrder)) p.apply(e, false);
  }
  return run;
}

/** Options of {@link WindowModel}. */
export interface WindowOptions extends OracleOptions {
  /** As the collector's `windowMs`. */
  readonly windowMs: number;
}

/**
 * The arrival-based reorder window, step by step: feed it what the
 * collector is fed (`ingest` at a time, `advance`, `flush`) and it applies
 * the same events at the same calls, so it tells what is applied before a
 * flush, which events are late and the verdicts of runs that have them.
 *
 * @example Late arrival
 * ```ts ignore
 * const m = new WindowModel([leaseSpec], { windowMs: 20 });
 * m.ingest(eventsOf(batchAt10ms), 0);
 * m.advance(25); // applied: due at 20
 * m.ingest(eventsOf(batchAt5ms), 30); // ordered before an applied event: late
 * ```
 */
export class WindowModel {
  readonly run: OracleRun;
  readonly #windowMs: number;
  /** Buffered events per partition. */
  readonly #buffers = new Map<PartitionModel, OracleEvent[]>();
  /** Buffered events in arrival order with the time they are due. */
  readonly #arrivals: { e: OracleEvent; p: PartitionModel; due: number }[] = [];

  /** A model with an empty buffer. */
  constructor(specs: readonly OracleSpec[], options: WindowOptions) {
    this.run = new OracleRun(specs, options);
    this.#windowMs = options.windowMs;
  }

  /** One batch's events arriving at `now`: late ones applied at once, the rest buffered; then releases what is due. */
  ingest(events: readonly OracleEvent[], now: number): void {
    for (const e of events) {
      if (!this.run.accept(e)) continue;
      const p = this.run.partitionOf(e);
      if (p.last !== null && mergeOrder(e, p.last) < 0) {
        p.apply(e, true);
        continue;
      }
      const buffer = this.#buffers.get(p) ?? [];
      buffer.push(e);
      this.#buffers.set(p, buffer);
      this.#arrivals.push({ e, p, due: now + this.#windowMs });
    }
    this.advance(now);
  }

  /** Applies every buffered event due at `now`, each after what orders before it in its partition. */
  advance(now: number): void {
    while (this.#arrivals.length > 0 && this.#arrivals[0]!.due <= now) {
      const { e, p } = this.#arrivals.shift()!;
      const buffer = this.#buffers.get(p)!;
      if (!buffer.includes(e)) continue;
      buffer.sort(mergeOrder);
      const through = buffer.indexOf(e);
      for (const x of buffer.splice(0, through + 1)) p.apply(x, false);
    }
  }

  /** Applies everything buffered. */
  flush(): void {
    for (const [p, buffer] of this.#buffers) {
      for (const x of buffer.sort(mergeOrder)) p.apply(x, false);
      buffer.length = 0;
    }
    this.#arrivals.length = 0;
  }

  /** Events waiting. */
  get buffered(): number {
    let n = 0;
    for (const b of this.#buffers.values()) n += b.length;
    return n;
  }
}
