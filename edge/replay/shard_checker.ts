/**
 * A checking worker's side of `vigil replay --workers n`: reads the
 * records the reader sends (`shard_records.ts`, written by `dispatch.ts`)
 * and checks its keys' steps with the numbers given (their place in the
 * merged order, the node's step number, the collector ticks), so its
 * violations, partitions and counterexample lines are exactly those one
 * worker finds for these keys. Keys and streams come as ids: an event
 * finds its instance by index, never by hashing its key.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { ReplayEvent } from "./extract.ts";
import { ReplayJudge } from "./judge.ts";
import type { Instance, NodeStream } from "./log_streams.ts";
import { partitionCounts, partitionsOf } from "./partition_verdicts.ts";
import { type ShardReport, sortedCounts } from "./replay.ts";
import { type ReplaySpec, replaySpecs } from "./replay_spec.ts";
import {
  DONE,
  EVENT,
  FINISH,
  HOLES,
  KEY,
  KEY_HOLE,
  RecordReader,
  STREAM,
  TICK,
} from "./shard_records.ts";

/**
 * Options of {@link ShardChecker}.
 *
 * @example What a worker is given
 * ```ts ignore
 * const options: CheckerOptions = { specs, files, maxListed: 1000, historySize: 32, globalChecks: true };
 * ```
 */
export interface CheckerOptions {
  /** The specs, in the reader's order. */
  readonly specs: readonly CompiledSpec[];
  /** The sources' names, in the reader's order. */
  readonly files: readonly string[];
  /** Violations kept in detail (all are counted). */
  readonly maxListed: number;
  /** Merged events kept per partition for counterexamples. */
  readonly historySize: number;
  /** Feed the collector core (global invariants and liveness). */
  readonly globalChecks: boolean;
}

/** A stream known by id, with its instances by key id. */
interface StreamSlot {
  readonly st: NodeStream;
  readonly spec: ReplaySpec;
  readonly instances: (Instance | undefined)[];
}

/**
 * Checks the records of one shard.
 *
 * @example Consume buffers until the last, then report
 * ```ts ignore
 * const checker = new ShardChecker({ specs, files, maxListed: 1000, historySize: 32, globalChecks: true });
 * port.on("message", (records: ArrayBuffer) => {
 *   if (checker.consume(records)) port.postMessage({ part: checker.report() });
 * });
 * ```
 */
export class ShardChecker {
  readonly #judge: ReplayJudge;
  readonly #specs: readonly ReplaySpec[];
  readonly #streams: StreamSlot[] = [];
  readonly #keys: string[] = [];
  #done = false;

  /** A checker with its own instances of the specs. */
  constructor(options: CheckerOptions) {
    this.#specs = replaySpecs(options.specs);
    this.#judge = new ReplayJudge({
      specs: this.#specs,
      files: options.files,
      maxListed: options.maxListed,
      historySize: options.historySize,
      globalChecks: options.globalChecks,
      externalTicks: true,
    });
  }

  /**
   * Checks the records of one buffer, in order. Returns true once the last
   * record (`DONE`) was read.
   *
   * @throws {RangeError} On a record it does not know, or one that names a stream or key not defined.
   */
  consume(records: ArrayBuffer): boolean {
    if (this.#done) throw new RangeError("Records after the last one ('DONE')");
    const r = new RecordReader(records);
    const judge = this.#judge;
    while (r.more()) {
      const kind = r.u8();
      if (kind === EVENT) this.#event(r);
      else if (kind === TICK) judge.tick(r.f64());
      else if (kind === KEY) {
        const id = r.u32();
        this.#keys[id] = r.text();
      } else if (kind === STREAM) {
        const id = r.u32();
        const spec = this.#specs[r.u8()];
        const node = r.text();
        if (spec === undefined) throw new RangeError(`Record 'STREAM' names no loaded spec`);
        this.#streams[id] = { st: judge.stream(spec, node), spec, instances: [] };
      } else if (kind === KEY_HOLE) {
        const slot = this.#slot(r.u32());
        slot.st.hole(this.#key(r.u32()));
      } else if (kind === HOLES) {
        const slot = this.#slot(r.u32());
        slot.st.addHoles(r.u32());
      } else if (kind === FINISH) {
        const now = r.f64();
        judge.finish(r.f64(), now);
      } else if (kind === DONE) {
        if (r.more()) throw new RangeError("Records after the last one ('DONE')");
        this.#done = true;
      } else throw new RangeError(`Unknown record kind '${kind}'`);
    }
    return this.#done;
  }

  #slot(id: number): StreamSlot {
    const slot = this.#streams[id];
    if (slot === undefined) throw new RangeError(`Record names stream '${id}', not defined`);
    return slot;
  }

  #key(id: number): string {
    const key = this.#keys[id];
    if (key === undefined) throw new RangeError(`Record names key '${id}', not defined`);
    return key;
  }

  #event(r: RecordReader): void {
    const slot = this.#slot(r.u32());
    const keyId = r.u32();
    const ordinal = r.f64();
    const seq = r.u32();
    const file = r.u32();
    const line = r.u32();
    const wall = r.f64();
    const logical = r.f64();
    const action = r.u16();
    const late = r.u8() === 1;
    const argc = r.u8();
    const args = new Array<number>(argc);
    for (let i = 0; i < argc; i++) args[i] = r.f64();
    const state = r.text();
    const st = slot.st;
    let inst = slot.instances[keyId];
    if (inst === undefined) inst = slot.instances[keyId] = st.instance(this.#key(keyId));
    const ev: ReplayEvent = {
      wall,
      logical,
      file,
      line,
      spec: slot.spec,
      node: st.node,
      key: inst.key,
      action,
      args,
      observed: state === "" ? null : JSON.parse(state),
      logSeq: -1,
      deps: null,
      sends: null,
      receives: null,
      late,
    };
    const bad = this.#judge.checkNumbered(ev, st, { inst, ordinal, seq });
    if (bad !== null) {
      throw new RangeError(
        `Step of node '${st.node}' key '${inst.key}' at line ${line}: the reader found its observed state readable, the worker not (${bad})`,
      );
    }
  }

  /**
   * The shard's report: its keys' events, violations and partitions; the
   * reading figures (lines, unmapped, out-of-window, sequence gaps) are
   * the reader's, zero here.
   */
  report(): ShardReport {
    if (!this.#done) throw new RangeError("Report asked before the last record ('DONE')");
    const judge = this.#judge;
    const parts = partitionsOf(judge);
    let instances = 0;
    for (const st of judge.streams()) instances += st.instances.size;
    return {
      report: {
        summary: {
          files: 0,
          bytes: 0,
          lines: 0,
          blank: 0,
          filtered: 0,
          mapped: 0,
          unmapped: 0,
          outOfWindow: 0,
          events: judge.events,
          instances,
          ...partitionCounts(parts),
          sequenceGaps: 0,
          dependencies: 0,
          unmatchedReceives: 0,
          violations: judge.count,
          byKind: sortedCounts(judge.byKind),
          seconds: 0,
          linesPerSecond: 0,
        },
        violations: judge.violations,
        unmapped: [],
        unmappedReasons: {},
        outOfWindow: [],
        partitions: parts,
      },
      violationOrder: judge.violationOrder,
    };
  }
}
