/**
 * The options of `createCollector` and `restoreCollector`: the specs served,
 * the clock, the reorder and hole windows, what is kept for counterexamples,
 * causal verdicts, and the growth limits (`limits.ts`). Re-exported by
 * `types.ts`.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";

/**
 * Options of `createCollector` and `restoreCollector`.
 *
 * @example A collector on a fake clock with a short window
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { CollectorOptions } from "./types.ts";
 * let now = 0;
 * const options: CollectorOptions = { specs: [lease], now: () => now, windowMs: 100 };
 * const collector = createCollector(options);
 * collector.ingestBytes(acquire("api-1", 1));
 * assert.equal(collector.metrics().buffered, 1);
 * now = 100;
 * collector.advance();
 * assert.equal(collector.metrics().applied, 1);
 * ```
 */
export interface CollectorOptions {
  /**
   * The compiled specs served; events are routed by spec hash
   * (`meta.sourceHash`). Several versions of one spec (the same
   * `meta.name`, different hashes) may be served at once, for a rolling
   * upgrade: the last one listed is the newest. Partitions are keyed by spec
   * name and instance key; each node's events are decoded with the version
   * they name, their states converted to the newest version's layout by
   * variable name, and the global items checked with the newest version's
   * code (`docs/upgrades.md`). Listing one hash twice is a `TypeError`.
   */
  readonly specs: readonly CompiledSpec[];
  /** The collector's clock in ms (arrival times, windows, timeouts). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Reorder window in ms: an event is applied at the latest this long after
   * its arrival (measured on `now()`), after every buffered event of its
   * partition ordered before it. Default 250.
   */
  readonly windowMs?: number;
  /** How long a hole (missing or declared-dropped numbers) keeps partitions `unknown` before it is reported permanent. Default 30 000. */
  readonly gapTimeoutMs?: number;
  /** Merged events kept per partition for counterexamples (the causal history). Default 32. */
  readonly historySize?: number;
  /** Events kept per participant for the cut. Default 5. */
  readonly cutEvents?: number;
  /** Violations kept in memory for `violations()` (oldest dropped first). Default 1000. */
  readonly maxViolations?: number;
  /**
   * Check each participant's local liveness items on its event stream
   * (`local_liveness.ts`): a node's instance whose `when` holds past the
   * item's bound without its `eventually` raises a `liveness_timeout`.
   * Default true; false checks global liveness only.
   */
  readonly localLiveness?: boolean;
  /**
   * Causal verdicts on global invariants (`docs/causality.md`): the bound
   * S, in ms, on every node's clock error against true time. When set,
   * global invariants are judged over the consistent cuts of
   * happened-before (program order plus the dependencies events carry,
   * and physical time with this bound) and each alert says `possibly` or
   * `definitely` (`Violation.causal`). Intervals are judged once the
   * partition's horizon (merged time less 2S and the window) passes them,
   * so verdicts do not depend on batching; the alert of an episode is
   * raised once judgement passes its first detection by 4S plus twice the
   * window, or on flush (about 6S plus three windows after the violating
   * event in merged time). Absent: the merge order's
   * verdicts. `vigil collector --causal` sets 500 unless `--max-skew` says otherwise.
   */
  readonly maxSkewMs?: number;
  /**
   * With causal verdicts, an exclusion spec's handoff that the chain of
   * handoffs extends to is judged on arrival rather than once the horizon
   * passes it (`docs/causality.md`, "Judged on arrival"): the same
   * verdicts, less work. Default true; false judges every interval at the
   * horizon (the reference `tests/causal_on_arrival_test.ts` compares
   * with, and an A/B for benchmarks).
   */
  readonly causalOnArrival?: boolean;
  /**
   * Nodes that leave (`docs/operations.md`, "Nodes that leave"): a node
   * silent this long (ms of the collector clock) has each of its
   * participants at rest retired (nothing buffered, no liveness deadline,
   * no open episode, the spec's initial state); one not at rest is kept (a
   * possible zombie holder) and counted. A node with no participant left is
   * retired, its streams leaving tombstones (late duplicates still dropped,
   * a returning node resumes). Default 0: never (an embedded collector, a
   * replay, keep every node); `vigil collector` retires after 10 minutes
   * unless `--retire-idle` says otherwise (`DEFAULT_RETIRE_IDLE_MS`).
   */
  readonly retireIdleMs?: number;
  /** Participants' instance blocks reserved when a partition is created (grows by doubling). Default 2. */
  readonly initialParticipants?: number;
  /**
   * Partitions in total, over all specs. Default 100 000: about 2 KB each
   * after one handoff, 5 KB in full use (`bench/limits_bench.ts`).
   * Growth limits refuse a whole batch with `LimitError` before anything of
   * it applies; see `limits.ts`.
   */
  readonly maxPartitions?: number;
  /** Node ids. Default 10 000 (a node is a process sending events). */
  readonly maxNodes?: number;
  /**
   * Streams (boot ids) kept per node and spec. Streams carry
   * de-duplication and live as long as the collector's state, so this caps
   * a node's restarts over that life. Default 1 000 (five restarts a day
   * for over six months).
   */
  readonly maxBootsPerNode?: number;
  /**
   * Nodes per partition (participants, and nodes whose first event there
   * waits in the reorder window). Default 1 000: a pairwise global
   * invariant then costs about a million pair evaluations (1 to 3 ms) per
   * applied event of that partition.
   */
  readonly maxParticipants?: number;
  /**
   * New boot ids admitted per node in any 60 s of the collector clock (per
   * token over HTTP, which authenticates node = token). Default 10: a
   * crash-looping process under a usual back-off restarts less often.
   */
  readonly maxNewBootsPerMinute?: number;
  /**
   * UTF-8 bytes of a node id, a boot id and a node id a dependency names.
   * Default 256 (`DEFAULT_MAX_ID_BYTES`, the SDK's bound too): a DNS name
   * takes at most 253, a UUID 36.
   */
  readonly maxIdBytes?: number;
  /**
   * UTF-8 bytes of a partition (instance) key. Default 4 096
   * (`DEFAULT_MAX_KEY_BYTES`, the SDK's bound too): keys are URLs and
   * composite ids; without it a key could be as long as a batch (1 MiB).
   */
  readonly maxKeyBytes?: number;
}
