/**
 * The checking half of replay: every merged event is stepped by its
 * (node, key) instance of the compiled spec (the code that runs in
 * production), compared with the observed state when the log has one, and
 * fed as a step event into the collector core, which merges the nodes per
 * partition and checks the global invariants and global liveness with the
 * collector's own code.
 *
 * Per event, exactly as the SDK's observe mode (`runtime/monitor/monitor.ts`):
 * 1. the step is taken (`step-<action>` export); a non-ok verdict is a local
 *    violation and the state is unchanged;
 * 2. with an observed (partial) state: when the step was allowed, each
 *    variable present in the log that differs from the spec's next state is
 *    a divergence; the instance then continues from the observed state laid
 *    over the spec's next state (or over the pre-state when refused);
 * 3. the event (post-state, verdict, or the divergence code) gets the next
 *    sequence number of its node's stream; a side table maps (node, seq) to
 *    (file, line) so counterexamples name log lines;
 * 4. its dependencies (the stamps it received, the sends of the message ids
 *    it received: `edge/replay/dependencies.ts`) travel with it to the
 *    collector, exactly as an SDK event's do, and its own sends are noted;
 *    a receipt logged before its send (a slow clock) is given the time a
 *    node's hybrid logical clock would (after the send, and its node's next
 *    events after it); a node that never received one keeps its log times.
 *
 * With a shard (`vigil replay --workers n`), events of other shards' keys
 * are numbered (their node's step numbers, the line table) and counted in
 * the collector ticks, but neither stepped nor fed: ticks end at the same
 * events with the same clock in every worker, so each partition's events
 * reach the collector exactly as with one worker.
 *
 * Violations are kept in the canonical order (`canonical_order.ts`), by
 * the ordinal of the event that showed them.
 *
 * Events are fed to the collector in ticks of {@link TICK} events: one batch
 * per node stream, written straight into the columns the collector ingests
 * (`tick_columns.ts`, `ingestColumns`, as a batch off the wire), then
 * `flush()`, which applies them per partition in merge
 * order. The collector's clock is the log's time (the first wall time of the
 * tick), so global liveness deadlines pass on the log's merged time line.
 *
 * Relies on the collector core not retaining the columns it ingests (true
 * of `edge/engine/engine.ts`, which reuses its own decode columns from
 * batch to batch): each stream's columns are reused from tick to tick.
 *
 * @module
 */
import type { StepFn } from "../../lib/abi/compiled.ts";
import type { EventDependency } from "../../lib/wire/event.ts";
import { TickColumns, type TickEvent } from "./tick_columns.ts";
import { MessageTable } from "./dependencies.ts";
import { VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";
import { createCollector, orderedIngestOf } from "../engine/collector.ts";
import { OrderedFeed } from "./ordered_feed.ts";
import type { Collector, Violation } from "../engine/types.ts";
import type { ReplayEvent } from "./extract.ts";
import type { ReplaySpec } from "./replay_spec.ts";
import { type Instance, NodeStream } from "./log_streams.ts";
import { describeGlobal, describeLocal, describeTimeout, type LocalFacts } from "./describe.ts";
import { callStep, observe } from "./observe.ts";
import { expire, type LivenessItem, livenessItems, track } from "./local_liveness.ts";
import type { ReplayViolation } from "./report_types.ts";
import { BoundedList, compareViolationOrder, type ViolationOrder } from "./canonical_order.ts";
import { type ReplayShard, shardOf } from "./shard.ts";

/** Events per collector tick. */
export const TICK = 512;

/** Options of {@link ReplayJudge}. */
export interface JudgeOptions {
  readonly specs: readonly ReplaySpec[];
  readonly files: readonly string[];
  /** Violations kept in detail (all are counted). */
  readonly maxListed: number;
  /** Merged events kept per partition for counterexamples. */
  readonly historySize: number;
  /** Feed the collector core (global invariants and liveness). Specs without global items never are. */
  readonly globalChecks: boolean;
  /** Causal verdicts with this clock skew bound (ms), the collector's option; absent: merge order. */
  readonly maxSkewMs?: number;
  /**
   * How long (ms of merged time) a receive whose send is not read yet
   * waits for it. Default 0 (it does not wait).
   */
  readonly holdMs?: number;
  /** Step and check only the keys of this shard (the events of others are only numbered). */
  readonly shard?: ReplayShard;
  /**
   * Apply ticks whose events are in merge order per partition at once
   * (`ordered_feed.ts`) rather than through the collector's reorder
   * buffers; the verdicts are the same. Default true; never with
   * `maxSkewMs` (causal verdicts go the buffered way).
   */
  readonly ordered?: boolean;
  /**
   * Ticks end only when {@link ReplayJudge.tick} says so (a worker fed by
   * the reader of `vigil replay --workers n`, which counts every worker's
   * events in the ticks), not after {@link TICK} events of this judge.
   */
  readonly externalTicks?: boolean;
}

/** A node's events waiting for a send, from its receive on. */
interface Held {
  /** Time of the waiting receive. */
  readonly since: number;
  readonly events: { readonly ev: ReplayEvent; readonly st: NodeStream }[];
}

/** Per-spec state: node streams and step exports. */
class JudgedSpec {
  readonly spec: ReplaySpec;
  readonly streams = new Map<string, NodeStream>();
  readonly steps: readonly StepFn[];
  /** True when its events go to the collector. */
  readonly global: boolean;
  /** Local liveness items (checked per instance). */
  readonly liveness: readonly LivenessItem[];
  #initial: bigint[] | null = null;
  constructor(spec: ReplaySpec, globalChecks: boolean) {
    this.spec = spec;
    this.steps = spec.compiled.meta.actions.map((_, i) => spec.compiled.stepFn(i));
    const m = spec.compiled.meta;
    this.global = globalChecks && m.globalInvariants.length + m.globalLiveness.length > 0;
    this.liveness = livenessItems(spec.compiled);
  }

  /** The slots of the initial state (a base to validate an observed state on). */
  initial(): bigint[] {
    if (this.#initial === null) {
      const c = this.spec.compiled;
      this.#initial = c.readSlots(c.create(1));
    }
    return this.#initial;
  }
}

/** Steps events, feeds the collector, collects violations. */
export class ReplayJudge {
  readonly collector: Collector;
  /** Ticks applied as fed when their events are in merge order (null: every tick buffered). */
  readonly orderedFeed: OrderedFeed | null;
  readonly byKind: Record<string, number> = {};
  count = 0;
  events = 0;
  /** Dependencies recorded (from stamps and matched message ids). */
  dependencies = 0;
  /** Sends by message id, for the receives that follow. */
  readonly messages: MessageTable = new MessageTable();
  /** Where the reason goes when a waiting event, checked later, cannot be used (see {@link process}). */
  onUnusable: ((ev: ReplayEvent, reason: string) => void) | null = null;
  /** Nodes waiting for the send of a message they received, with their events since. */
  readonly #held = new Map<string, Held>();
  readonly #holdMs: number;
  /** Per node, the clock time a dependency moved it to, while its log's times are behind it. */
  readonly #floors = new Map<string, { wall: number; logical: number }>();
  readonly #options: JudgeOptions;
  readonly #specs: JudgedSpec[];
  #now = -Infinity;
  #tickStart = true;
  /** Events of the tick (fed here or by other shards). */
  #pending = 0;
  /** Streams with an event in the tick, in order of their first. */
  readonly #dirty: NodeStream[] = [];
  /** The step being fed (one object reused for every step). */
  readonly #scratch: {
    -readonly [K in keyof TickEvent]: TickEvent[K];
  } = {
    seq: 0,
    key: "",
    wall: 0,
    logical: 0,
    action: 0,
    args: [],
    verdict: 0,
    deps: undefined,
    source: { copyState: () => {} },
    inst: 0,
    stateSize: 0,
  };
  /** Events processed (own or not): the next event's ordinal. */
  #ordinal = 0;
  readonly #shard: ReplayShard | null;
  readonly #listed: BoundedList<ViolationOrder, ReplayViolation>;

  /** Creates a judge and its collector. */
  constructor(o: JudgeOptions) {
    this.#options = o;
    this.#holdMs = o.holdMs ?? 0;
    this.#shard = o.shard === undefined || o.shard.count <= 1 ? null : o.shard;
    this.#listed = new BoundedList(o.maxListed, compareViolationOrder);
    this.#specs = o.specs.map((t) => new JudgedSpec(t, o.globalChecks));
    this.collector = createCollector({
      specs: o.specs.map((t) => t.compiled),
      now: () => this.#now,
      windowMs: 1,
      gapTimeoutMs: Number.MAX_SAFE_INTEGER,
      historySize: o.historySize,
      maxViolations: 1,
      // Local liveness is judged here per instance on the logs' time (`local_liveness.ts`),
      // citing the lines; the collector's own check would report each timeout a second time.
      localLiveness: false,
      // The length limits guard a collector against hostile senders; the logs are the user's own,
      // judged whatever the length of their keys and node names (as before the limits existed).
      maxKeyBytes: Number.MAX_SAFE_INTEGER,
      maxIdBytes: Number.MAX_SAFE_INTEGER,
      ...(o.maxSkewMs === undefined ? {} : { maxSkewMs: o.maxSkewMs }),
    });
    this.collector.on((e) => {
      if (e.type === "violation") this.#global(e.violation);
    });
    this.orderedFeed = o.maxSkewMs === undefined && o.ordered !== false
      ? new OrderedFeed(orderedIngestOf(this.collector))
      : null;
  }

  /** The violations kept in detail, in the canonical order. */
  get violations(): ReplayViolation[] {
    return this.#listed.items();
  }

  /** Where each of {@link violations} sorts (for merging shards' reports). */
  get violationOrder(): ViolationOrder[] {
    return this.#listed.entries().map((e) => e.key);
  }

  /** True when events of `key` are stepped here (always, without a shard). */
  owns(key: string): boolean {
    const s = this.#shard;
    return s === null || shardOf(key, s.count) === s.index;
  }

  /** Every node stream of every spec. */
  *streams(): Iterable<NodeStream> {
    for (const s of this.#specs) yield* s.streams.values();
  }

  /** The stream of a node, created on first use. */
  stream(spec: ReplaySpec, node: string): NodeStream {
    const s = this.#specs[spec.index]!;
    let st = s.streams.get(node);
    if (st === undefined) {
      node = JSON.parse(JSON.stringify(node)) as string; // a copy, not a slice of a chunk
      s.streams.set(node, st = new NodeStream(spec, node));
    }
    return st;
  }

  /**
   * Checks one event. Returns null, or the reason its observed state cannot
   * be used (the line is then unmapped and nothing was stepped).
   *
   * An event that received a message whose send is not read yet waits, and
   * its node's next events with it, until that send is read or merged time
   * passes its time by {@link JudgeOptions.holdMs} (then it is checked
   * without the dependency: an unmatched receive). A waiting event is
   * checked later; a reason it then yields goes to {@link onUnusable}.
   */
  process(ev: ReplayEvent, st: NodeStream = this.stream(ev.spec, ev.node)): string | null {
    if (this.#held.size > 0) {
      this.#expireHeld(ev.wall);
      const held = this.#held.get(ev.node);
      if (held !== undefined) {
        held.events.push({ ev, st });
        return null;
      }
    }
    if (ev.receives !== null && !this.messages.sent(ev.receives)) {
      this.#held.set(ev.node, { since: ev.wall, events: [{ ev, st }] });
      return null;
    }
    return this.#checkNow(ev, st);
  }

  /** Checks an event now, then the nodes that waited for what it sent. */
  #checkNow(ev: ReplayEvent, st: NodeStream): string | null {
    const r = this.#check(ev, st);
    if (ev.sends !== null && this.#held.size > 0) this.#releaseSent();
    return r;
  }

  /** Checks the events of the nodes whose first waiting receive's sends are all read now. */
  #releaseSent(): void {
    for (const [node, held] of this.#held) {
      const first = held.events[0]!.ev;
      if (first.receives !== null && this.messages.sent(first.receives)) {
        this.#release(node, held, false);
      }
    }
  }

  /** Checks the events of the nodes that waited longer than `holdMs` of merged time. */
  #expireHeld(now: number): void {
    for (const [node, held] of this.#held) {
      if (now - held.since > this.#holdMs) this.#release(node, held, true);
    }
  }

  /**
   * Checks a node's waiting events in order; after the first (checked at
   * once when it waited too long: an unmatched receive), one may wait again
   * for another send.
   */
  #release(node: string, held: Held, expired: boolean): void {
    this.#held.delete(node);
    held.events.forEach(({ ev, st }, i) => {
      const bad = expired && i === 0 ? this.#checkNow(ev, st) : this.process(ev, st);
      if (bad !== null) this.onUnusable?.(ev, bad);
    });
  }

  #check(ev: ReplayEvent, st: NodeStream): string | null {
    const spec = this.#specs[ev.spec.index]!;
    const ordinal = this.#ordinal++;
    if (this.#shard !== null && !this.owns(ev.key)) return this.#elsewhere(ev, st, spec, ordinal);
    const inst = st.instance(ev.key);
    if (ev.logSeq >= 0) st.logSequence(ev.logSeq, ev.key);
    return this.#step(ev, st, inst, ordinal, -1);
  }

  /**
   * Checks an event the reader of `vigil replay --workers n` numbered: its
   * place in the merged processing order (`ordinal`) and its node's step
   * number (`seq`) are given, its log sequence number was tracked there
   * and its observed state found readable. Returns null, or the reason its
   * observed state cannot be used after all.
   */
  checkNumbered(
    ev: ReplayEvent,
    st: NodeStream,
    o: { readonly inst: Instance; readonly ordinal: number; readonly seq: number },
  ): string | null {
    return this.#step(ev, st, o.inst, o.ordinal, o.seq);
  }

  /** Steps an instance, checks and feeds; `seqGiven` < 0: the next step number of the node. */
  #step(
    ev: ReplayEvent,
    st: NodeStream,
    inst: Instance,
    ordinal: number,
    seqGiven: number,
  ): string | null {
    const spec = this.#specs[ev.spec.index]!;
    const c = ev.spec.compiled;
    let verdict: number;
    let facts: LocalFacts | null = null;
    if (ev.observed === null) {
      verdict = callStep(spec.steps[ev.action]!, inst.index, ev.args);
      if (verdict !== 0) facts = { code: verdict, divergences: [], before: null };
    } else {
      const r = observe(c, spec.steps[ev.action]!, inst.index, ev);
      if (typeof r === "string") return r;
      verdict = r.verdict;
      facts = r.facts;
    }
    const timeouts = spec.liveness.length > 0 ? expire(spec.liveness, inst, ev.wall) : null;
    const seq = seqGiven < 0
      ? st.record(ev.file, ev.line, inst, ordinal)
      : st.recordAt(seqGiven, ev.file, ev.line, inst, ordinal);
    if (timeouts !== null) {
      for (let i = 0; i < timeouts.length; i++) this.#timeout(st, inst, timeouts[i]!, seq);
      track(spec.liveness, c, inst, ev.wall, seq);
    }
    if (facts !== null) this.#local(ev, st, inst, seq, facts, ordinal);
    const deps = this.#dependencies(ev);
    if (spec.global) this.#feed(st, c.meta.stride, ev, seq, inst, verdict, deps);
    this.events++;
    return null;
  }

  /**
   * An event of another shard's key: numbered (its node's step numbers and
   * log sequence), counted in the tick, not stepped. A line whose observed
   * state cannot be read is not numbered (its owner reports it).
   */
  #elsewhere(ev: ReplayEvent, st: NodeStream, spec: JudgedSpec, ordinal: number): null {
    if (ev.logSeq >= 0) st.logSequence(ev.logSeq, ev.key);
    if (ev.observed !== null) {
      try {
        spec.spec.compiled.slotsOf(ev.observed, spec.initial());
      } catch {
        return null;
      }
    }
    st.record(ev.file, ev.line, null, ordinal);
    if (spec.global) {
      this.#tickOpen(st, ev);
      if (++this.#pending >= TICK) this.flushTick();
    }
    return null;
  }

  /** Notes an event (own or not) of `st` in the tick: the tick's clock, the stream's place. */
  #tickOpen(st: NodeStream, ev: ReplayEvent): void {
    if (this.#tickStart) {
      if (!ev.late || this.#now === -Infinity) this.#now = Math.max(this.#now, ev.wall);
      this.#tickStart = false;
    }
    if (!st.inTick) {
      st.inTick = true;
      this.#dirty.push(st);
    }
  }

  /** The event's dependencies: its stamps, and the sends of the messages it received; records its sends. */
  #dependencies(ev: ReplayEvent): readonly EventDependency[] | undefined {
    let deps: EventDependency[] | undefined;
    if (ev.deps !== null) {
      for (const d of ev.deps) if (d.node !== ev.node) (deps ??= []).push(d);
    }
    if (ev.receives !== null) {
      const got = this.messages.receive(ev.receives, ev.node);
      if (got.length > 0) (deps ??= []).push(...got);
    }
    if (ev.sends !== null) {
      this.messages.send(ev.sends, { node: ev.node, wall: ev.wall, logical: ev.logical });
    }
    if (deps !== undefined) this.dependencies += deps.length;
    return deps;
  }

  /**
   * Gives the event the time a node's hybrid logical clock would: after
   * every dependency it received (a receipt orders after its send, as the
   * SDK's `observe` makes it), and after its node's earlier events once a
   * dependency moved that node's clock ahead of its log's times. Events of
   * a node that never received one keep their log time.
   */
  #clocked(
    w: { wall: number; logical: number },
    ev: ReplayEvent,
    deps: readonly EventDependency[] | undefined,
    floor: { wall: number; logical: number } | undefined,
  ): void {
    let wall = ev.wall;
    let logical = ev.logical;
    const after = (t: { readonly wall: number; readonly logical: number }) => {
      if (t.wall > wall || (t.wall === wall && t.logical >= logical)) {
        wall = t.wall;
        logical = t.logical + 1;
      }
    };
    if (floor !== undefined) after(floor);
    if (deps !== undefined) { for (const d of deps) after(d); }
    w.wall = wall;
    w.logical = logical;
    if (wall !== ev.wall || logical !== ev.logical) this.#floors.set(ev.node, { wall, logical });
    else if (floor !== undefined) this.#floors.delete(ev.node); // its log time is ahead again
  }

  #feed(
    st: NodeStream,
    stride: number,
    ev: ReplayEvent,
    seq: number,
    inst: Instance,
    v: number,
    deps: readonly EventDependency[] | undefined,
  ) {
    this.#tickOpen(st, ev);
    const e = this.#scratch;
    e.seq = st.feed(seq);
    e.key = inst.key;
    const floor = this.#floors.size === 0 ? undefined : this.#floors.get(ev.node);
    if (deps === undefined && floor === undefined) {
      e.wall = ev.wall;
      e.logical = ev.logical;
    } else this.#clocked(e, ev, deps, floor);
    e.action = ev.action;
    e.args = ev.args;
    e.verdict = v;
    e.deps = deps;
    e.source = st.spec.compiled;
    e.inst = inst.index;
    e.stateSize = stride;
    const tick = st.tick ??= new TickColumns({
      spec: st.spec.compiled.meta.sourceHash,
      specName: st.spec.name,
      node: st.node,
    });
    const feed = this.orderedFeed;
    if (feed !== null) {
      feed.note(st, inst, e, tick.columns.count);
    }
    tick.push(e);
    if (++this.#pending >= TICK && this.#options.externalTicks !== true) this.flushTick();
  }

  /** Ends a tick the reader counted (see {@link JudgeOptions.externalTicks}) at its clock `now`. */
  tick(now: number): void {
    this.#now = now;
    this.flushTick();
  }

  /** Hands the tick's events to the collector and applies them. */
  flushTick(): void {
    const feed = this.orderedFeed;
    const direct = feed !== null && feed.direct;
    if (direct) feed.applyTick();
    for (const st of this.#dirty) {
      st.inTick = false;
      const tick = st.tick;
      if (tick === null || tick.columns.count === 0) continue;
      if (!direct) this.collector.ingestColumns(tick.ingestable());
      tick.clear();
    }
    feed?.reset();
    this.#dirty.length = 0;
    this.collector.flush();
    this.#pending = 0;
    this.#tickStart = true;
  }

  /**
   * Flushes and lets the log's last time pass every liveness deadline
   * before it; `now` is the last tick's clock when the reader counts the
   * ticks (see {@link JudgeOptions.externalTicks}).
   */
  finish(lastWall: number, now?: number): void {
    while (this.#held.size > 0) this.#expireHeld(Infinity);
    if (now !== undefined) this.#now = now;
    this.flushTick();
    for (const s of this.#specs) {
      if (s.liveness.length === 0) continue;
      for (const st of s.streams.values()) {
        for (const inst of st.instances.values()) {
          for (const t of expire(s.liveness, inst, lastWall)) this.#timeout(st, inst, t, -1);
        }
      }
    }
    if (Number.isFinite(lastWall)) {
      this.#now = Math.max(this.#now, lastWall);
      this.collector.advance(this.#now + 1);
    }
  }

  #count(kind: string): void {
    this.count++;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
  }

  #local(
    ev: ReplayEvent,
    st: NodeStream,
    inst: Instance,
    seq: number,
    f: LocalFacts,
    ordinal: number,
  ): void {
    inst.violations++;
    const kind = f.code === VERDICT_DIVERGENCE
      ? "divergence"
      : st.spec.compiled.verdict(f.code).kind;
    this.#count(kind);
    const order: ViolationOrder = [ordinal, 0, tie([st.spec.name, ev.key, kind, "", st.node])];
    if (!this.#listed.admits(order)) return;
    this.#listed.push(order, describeLocal(ev, st, inst, seq, f, this.#options.files));
  }

  #timeout(st: NodeStream, inst: Instance, t: Parameters<typeof describeTimeout>[2], seq: number) {
    inst.violations++;
    this.#count("liveness_timeout");
    const ordinal = seq < 0 ? Infinity : st.ordinalOf(seq);
    const order: ViolationOrder = [
      ordinal,
      0,
      tie([st.spec.name, inst.key, "liveness_timeout", t.item.name, st.node]),
    ];
    if (!this.#listed.admits(order)) return;
    this.#listed.push(order, describeTimeout(st, inst, t, seq, this.#options.files));
  }

  #global(v: Violation): void {
    const spec = this.#specs.find((s) => s.spec.compiled.meta.sourceHash === v.spec)!;
    const rv = describeGlobal(v, (node) => spec.streams.get(node), this.#options.files);
    this.#count(rv.kind);
    const last = rv.lines[rv.lines.length - 1];
    const ordinal = last === undefined
      ? Infinity
      : spec.streams.get(last.node)?.ordinalOf(last.seq) ?? Infinity;
    const order: ViolationOrder = [
      ordinal,
      1,
      tie([spec.spec.name, v.partition, rv.kind, v.property.name, v.nodes.join(","), v.id]),
    ];
    this.#listed.push(order, rv);
  }
}

/** The tie-break text of a violation's order: spec, key, kind, property, who. */
function tie(parts: readonly string[]): string {
  return parts.join("\u0000");
}
