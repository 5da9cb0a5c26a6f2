/**
 * What a causal judge (`CausalJudge`) and its engine say to each other: the applied
 * event it reads, the host it tells of raises, episodes and what it
 * counted ({@link CausalHost}), the facts of a raised alert and its
 * options. `causal_judge.ts` re-exports them.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { Hlc, PropertyRef } from "../types.ts";
import type { CausalEvidence } from "./evidence.ts";
/** An applied event as the judge reads it (during the call only: the engine reuses the object). */
export interface AppliedEvent {
  readonly seq: number;
  readonly action: number;
  readonly wall: number;
  readonly logical: number;
  readonly late: boolean;
  /**
   * Its first dependency as the judge recorded it at ingest (the sender's
   * number, -1 or absent: none; the stamp, as ms before `wall` and its
   * logical; the table's retirements then): `EventStore.setFirstDep`.
   */
  readonly depFrom?: number;
  readonly depBefore?: number;
  readonly depLogical?: number;
  readonly depRetired?: number;
}

/** What the judge asks of the engine when it raises or clears. */
export interface CausalHost {
  /** The collector clock. */
  now(): number;
  /** Raises the episode's one alert. */
  raise(p: Partition, facts: CausalFacts): void;
  /**
   * The partition's episode opened (`code` > 0) or closed (0, with the
   * time that closed it; `before` is the closed episode's code, negative
   * when the episode closed before its alert was raised: nothing to clear).
   */
  episode(p: Partition, code: number, before: number, at: Hlc): void;
  /** A lane of `p` dropped `count` intervals at its cap ({@link MAX_LANE}) that later judgements could still meet. */
  laneDropped(p: Partition, count: number): void;
  /**
   * An older event of `p` started a P-interval whose end is approximated
   * (later than the real one may be: see `CausalJudge.approximatedEnds`).
   */
  endApproximated(p: Partition): void;
  /**
   * A batch of `node` carried `count` dependencies whose stamp is not
   * before the event that names it (no clock of the SDK's writes such a
   * stamp): refused, not recorded ({@link DependencyTable.stampsAfter}).
   */
  stampsRefused(node: string, count: number): void;
  /**
   * `p`'s causal side changed (`CausalJudge.changes` moved): the
   * engine marks it in its dirty set (`changed_partitions.ts`), so the
   * next incremental snapshot writes it again without comparing every
   * partition.
   */
  changed(p: Partition): void;
  /**
   * Node `node`'s walls lead every other node's by `aheadMs`, more than 2S
   * and the reorder window (its clock is off by more than the skew bound):
   * said once per node (`CausalJudge.clockAhead` counts it). Optional.
   */
  clockAhead?(node: string, aheadMs: number): void;
}

/** What an alert of the judge says. */
export interface CausalFacts {
  readonly property: PropertyRef;
  readonly at: Hlc;
  readonly detectedAt: number;
  readonly nodes: readonly string[];
  readonly causal: CausalEvidence;
  /** The violating cut: each node's interval in it (its start event and state). */
  readonly cutStates: readonly CutState[];
}

/** One node's interval in a violating cut, as the counterexample shows it. */
export interface CutState {
  readonly node: string;
  readonly boot: string;
  /** The start event's sequence number; -1 when the interval began before what the collector kept. */
  readonly seq: number;
  readonly wall: number;
  readonly logical: number;
  /** The node's state block over the interval. */
  readonly state: Uint8Array;
}

/**
 * Options of `CausalJudge`.
 *
 * @example Half a second of skew, the default window
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalJudgeOptions } from "./causal_host.ts";
 * const options: CausalJudgeOptions = { maxSkewMs: 500, windowMs: 250 };
 * assert.equal(2 * options.maxSkewMs + options.windowMs, 1_250);
 * ```
 */
export interface CausalJudgeOptions {
  /** The clock skew bound S, ms: every node's clock within S of true time. */
  readonly maxSkewMs: number;
  /** The reorder window, ms. */
  readonly windowMs: number;
  /** Judge handoffs the chain extends to on arrival (`ArrivalJudgement.judge`; default true). */
  readonly onArrival?: boolean;
}
