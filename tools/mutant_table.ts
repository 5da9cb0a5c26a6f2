/**
 * The planted bugs of `deno task mutants` (`tools/mutants.ts`, which plants
 * each in a scratch copy of the tree and runs the tests named here): one
 * entry per bug, by the exact source it replaces. When code a mutant
 * targets moves, its entry moves with it (the tool fails with "table is out
 * of date" until then).
 *
 * @module
 */
import { CAUSAL_MUTANTS } from "./mutant_table_causal.ts";
import { LENGTH_MUTANTS } from "./mutant_table_lengths.ts";

/** One planted bug. */
export interface Mutant {
  /** Short stable name, `area/what`. */
  readonly id: string;
  /** What the bug does, for people. */
  readonly bug: string;
  /** File (from the project root) where the source is replaced. */
  readonly file: string;
  /** Exact source replaced (must occur exactly once in `file`). */
  readonly from: string;
  /** What replaces it. */
  readonly to: string;
  /** Test files (from the project root) expected to fail with the bug planted. */
  readonly tests: readonly string[];
}

const WIRE_TESTS = ["lib/wire/columns_test.ts", "lib/wire/codec_test.ts"];
const COLUMNS_TESTS = ["tests/collector_columns_test.ts"];
const MERGE_TESTS = ["tests/collector_merge_test.ts"];
const STREAM_TESTS = ["edge/engine/stream_state_model_test.ts", "edge/engine/stream_state_test.ts"];
const DROP_TESTS = ["tests/collector_drops_test.ts", "edge/engine/stream_state_test.ts"];

/** The planted bugs (the causal judge's in `mutant_table_causal.ts`, the length limits' in `mutant_table_lengths.ts`). */
export const MUTANTS: readonly Mutant[] = [
  {
    id: "wire/ascii-in-one-call",
    bug:
      "an ASCII string is decoded in one String.fromCharCode call whatever its length: past about 125,000 bytes it throws, and a partition record with a causal part that long cannot be read back",
    file: "lib/wire/msgpack_reader.ts",
    from: "if (len <= ASCII_CHUNK) {",
    to: "if (len > 0) {",
    tests: [
      "lib/wire/msgpack_reader_test.ts",
      "edge/store/packed_partition_test.ts",
      "tests/causal_restart_test.ts",
    ],
  },
  {
    id: "store/first-dep-past-16-bits",
    bug:
      "an event's first dependency is carried whatever its sender's number: past 16 bits it is cut to another node's (node 0x10000 taken for node 0)",
    file: "edge/engine/event_store.ts",
    from: "if (from >= NO_DEP || ",
    to: "if (",
    tests: ["tests/causal_shortcuts_oracle_test.ts"],
  },
  {
    id: "store/stale-first-dep",
    bug:
      "a slot taken again keeps the first dependency of the event it held before: an event with no stamp carries another's",
    file: "edge/engine/event_store.ts",
    from: "this.#u16[slot * (this.#stride >> 1) + H_DEP_FROM] = NO_DEP;",
    to: "",
    tests: ["tests/causal_shortcuts_oracle_test.ts"],
  },
  {
    id: "warm/ring-touch-claims",
    bug:
      "the engine's warm-up claims the record of a ring it reads (EventRing.touch advances the ring): a partition's and a participant's last events skip a place",
    file: "edge/engine/event_ring.ts",
    from: "const at = this.#base + this.#next * FIELDS;",
    to: "const at = this.#base + this.#claim() * FIELDS;",
    tests: ["tests/causal_shortcuts_oracle_test.ts"],
  },
  {
    id: "abi/unaligned-stride-loaded",
    bug:
      "a compiled spec whose stride is not a multiple of 4 loads: copyStateWords copies stride / 4 whole words and leaves its last bytes out",
    file: "lib/abi/loader.ts",
    from: "if (this.#base % 8 !== 0 || this.#stride % 4 !== 0) {",
    to: "if (this.#base % 8 !== 0) {",
    tests: ["tests/abi_loader_test.ts"],
  },
  {
    id: "abi/word-copy-short",
    bug: "copyStateWords leaves a state block's last word out (the causal judge's arena copy)",
    file: "lib/abi/loader.ts",
    from: "for (let i = 0; i < n; i++) words[at + i] = src[first + i]!;",
    to: "for (let i = 0; i < n - 1; i++) words[at + i] = src[first + i]!;",
    tests: ["tests/abi_loader_test.ts", "tests/causal_shortcuts_oracle_test.ts"],
  },
  {
    id: "wire/arg-offsets-grow-with-keys",
    bug: "argument offsets grow only when the key columns must (the bug behind 100, 129, 200)",
    file: "lib/wire/columns.ts",
    from: "if (this.argOff.length < n + 1) this.argOff",
    to: "if (this.keyOff.length < n) this.argOff",
    tests: WIRE_TESTS,
  },
  {
    id: "batcher/ends-lost-on-growth",
    bug:
      "a pending batch's event ends are not carried into the grown array (events lose their ends)",
    file: "runtime/batcher/queue.ts",
    from: "more.set(this.ends);",
    to: "",
    tests: ["runtime/batcher/queue_test.ts"],
  },
  {
    id: "wire/claimed-count-trusted",
    bug: "an array's claimed count is not checked against the bytes left",
    file: "lib/wire/msgpack_reader.ts",
    from: "if (n * minBytes > this.end - this.pos) throw DECLINE;",
    to: "",
    tests: WIRE_TESTS,
  },
  {
    id: "wire/last-seq-off-by-one",
    bug: "a batch whose last number is 2^53 is accepted by the fast decoder",
    file: "lib/wire/batch_grammar.ts",
    from: "if (out.count > Number.MAX_SAFE_INTEGER - out.firstSeq + 1) throw DECLINE;",
    to: "if (out.count > Number.MAX_SAFE_INTEGER - out.firstSeq + 2) throw DECLINE;",
    tests: WIRE_TESTS,
  },
  {
    id: "wire/drop-at-first-seq",
    bug: "a dropped range reaching the batch's first number is accepted by the fast decoder",
    file: "lib/wire/seq_ranges.ts",
    from: "if (last >= below) {",
    to: "if (last > below) {",
    tests: WIRE_TESTS,
  },
  {
    id: "wire/last-event-args",
    bug: "the end of the last event's arguments is not written",
    file: "lib/wire/batch_grammar.ts",
    from: "  out.argOff[n] = argc;\n  out.longestKey",
    to: "  out.longestKey",
    tests: WIRE_TESTS,
  },
  {
    id: "wire/deps-off-the-fast-path",
    bug:
      "the fast decoder's common-event path skips an event's dependencies: every batch with one is declined and decoded again by the reference decoder",
    file: "lib/wire/batch_grammar.ts",
    from: "            if (head0 === 0x98) readDeps(r, out, t0, i, lastDep);\n",
    to: "",
    tests: ["lib/wire/differential_test.ts"],
  },
  {
    id: "wire/dep-node-by-length",
    bug:
      "a dependency whose node id has the length of the one before is given that one's id, its bytes not compared",
    file: "lib/wire/batch_grammar.ts",
    from: "    for (let j = 0; j < len && same; j++) same = b[p + j] === b[last.off + j];\n",
    to: "",
    tests: ["lib/wire/differential_test.ts"],
  },
  {
    id: "columns/same-length-keys-one-partition",
    bug: "the columnar ingest reuses the previous partition for a different key of the same length",
    file: "edge/engine/engine.ts",
    from: "  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;\n",
    to: "",
    tests: COLUMNS_TESTS,
  },
  {
    id: "columns/first-state-for-all",
    bug: "the columnar ingest copies the first event's state block for every event",
    file: "edge/engine/event_store.ts",
    from: "this.setStateFrom(slot, c.view, c.stateOff[i]!, c.stateLen[i]!);",
    to: "this.setStateFrom(slot, c.view, c.stateOff[0]!, c.stateLen[0]!);",
    tests: COLUMNS_TESTS,
  },
  {
    id: "store/third-argument-from-first-column",
    bug:
      "an event's third and fourth arguments are read from the first arguments' column (past its two per slot)",
    file: "edge/engine/event_store.ts",
    from: "this.#args2[at2 + j - FIRST_ARGS]!",
    to: "this.#f64[at + j]!",
    tests: ["edge/engine/event_store_test.ts"],
  },
  {
    id: "store/arguments-over-state",
    bug:
      "a slot's first two arguments are stored at the start of its state instead of after it (they overwrite its first 16 bytes)",
    file: "edge/engine/event_store.ts",
    from: "    return (slot * this.#stride + HEADER_BYTES + this.#stateBytes) >> 3;",
    to: "    return (slot * this.#stride + HEADER_BYTES) >> 3;",
    tests: ["edge/engine/event_store_test.ts"],
  },
  {
    id: "retire/participant-not-at-rest",
    bug:
      "the retirement takes any silent participant for at rest (a zombie holder retired: a second holder raises no alert)",
    file: "edge/engine/retirement.ts",
    from:
      "    for (let k = 0; k < read.length; k++) if (state[read[k]!] !== bytes[read[k]!]) return false;",
    to: "",
    tests: ["tests/node_retire_test.ts"],
  },
  {
    id: "retire/tombstone-forgotten",
    bug:
      "a retired node's streams leave no tombstone (a late duplicate is applied again, a returning node opens a hole)",
    file: "edge/engine/retirement.ts",
    from: "    for (const s of n.streams) this.#bury(s.id, s.next);",
    to: "",
    tests: ["tests/node_retire_test.ts"],
  },
  {
    id: "scheduler/burst-sized-as-window",
    bug:
      "the store's room is sized from a burst's rate as if it lasted the whole window (up to 16x the room in one step: 2M slots for a peak of 200k events)",
    file: "edge/engine/scheduler.ts",
    from: "    return Math.min(full + full / 16, GROWTH_LIMIT * room, 2 * room + GROWTH_STEP);",
    to: "    return Math.min(full + full / 16, GROWTH_LIMIT * room);",
    tests: ["edge/engine/scheduler_test.ts"],
  },
  {
    id: "partition/index-of-admitted-any-node",
    bug:
      "Partition.indexOf answers with the participant index the last admission found, whatever node is asked",
    file: "edge/engine/partition.ts",
    from: "if (node === this.#lastAdmitted && this.#admittedAt >= 0) return this.#admittedAt;",
    to: "if (this.#admittedAt >= 0) return this.#admittedAt;",
    tests: ["edge/engine/partition_test.ts"],
  },
  {
    id: "liveness/causal-rejoin-never-added",
    bug:
      "with causal verdicts the applier skips Partition.after, so the contributions a deferred write left out of the maintained aggregates are never added back (the global liveness mask reads a record short of them)",
    file: "edge/engine/applier.ts",
    from: "    const after = p.after(part);",
    to: "    const after = causal === null ? p.after(part) : -1;",
    tests: ["edge/engine/liveness_causal_test.ts"],
  },
  {
    id: "columns/validate-argc-unchecked",
    bug:
      "the columns' validation takes an event of a known action whatever its argument count (its inline test leaves the count out)",
    file: "edge/engine/served_spec.ts",
    from: "action < params.length && params[action] === argc &&",
    to: "action < params.length &&",
    tests: ["edge/engine/served_spec_test.ts"],
  },
  {
    id: "partition/key-cache-trusts-hash",
    bug: "the partition key cache trusts hash and length without comparing the bytes",
    file: "edge/engine/partition_table.ts",
    from: "for (let i = 0; i < len; i++) if (k.charCodeAt(i) !== bytes[off + i]) return false;",
    to: "",
    tests: COLUMNS_TESTS,
  },
  {
    id: "snapshot/applied-event-not-marked",
    bug:
      "an applied event does not mark its partition changed: the next snapshot keeps its old record",
    file: "edge/engine/applier.ts",
    from: "    e.changed.mark(p);",
    to: "",
    tests: ["edge/store/partition_snapshots_test.ts"],
  },
  {
    id: "snapshot/announced-status-not-marked",
    bug:
      "a status change without an event (a liveness timeout, a hole) does not mark its partition changed",
    file: "edge/engine/scheduler.ts",
    from: "      state.changed.mark(p);",
    to: "",
    tests: ["edge/store/partition_snapshots_test.ts"],
  },
  {
    id: "warm-up/no-time-bound",
    bug:
      "a warm-up sends every event however long it takes (a spec of large states holds the start)",
    file: "edge/server/warm_up.ts",
    from: "        if (performance.now() - t0 > maxMs) {",
    to: "        if (performance.now() - t0 > Infinity) {",
    tests: ["edge/server/warm_up_test.ts"],
  },
  {
    id: "warm-up/cluster-member-cold",
    bug: "a member of a partitioned deployment takes partitions without warming up",
    file: "edge/cluster/deployment.ts",
    from: "await warmUpService(front, options.warmUp);",
    to: "await warmUpService(front, { ...options.warmUp, events: 0 });",
    tests: ["tests/cluster_warm_up_test.ts"],
  },
  {
    id: "release/one-window-late",
    bug: "buffered events are released one reorder window after they are due",
    file: "edge/engine/scheduler.ts",
    // Both loops (causal on warms up, off does not) take the time release is given.
    from: "release(now: number): void {",
    to: "release(at: number): void {\n    const now = at - this.#state.options.windowMs;",
    tests: MERGE_TESTS,
  },
  {
    id: "release/only-the-due-head",
    bug: "releasing a due event does not first apply what its partition orders before it",
    file: "edge/engine/merge.ts",
    from: "if (first !== through && compareSlots(s, first, through) > 0) return -1;",
    to: "if (first !== through) return -1;",
    tests: MERGE_TESTS,
  },
  {
    id: "replay/merge-bound-not-earliest",
    bug:
      "the replay's k-way merge bounds the leader's run by the first other head it meets, not the earliest (one file's run overtakes another's head)",
    file: "edge/replay/window.ts",
    from: "} else if (second === undefined || compareEvents(h, second) < 0) second = h;",
    to: "} else if (second === undefined) second = h;",
    tests: ["tests/replay_file_records_test.ts"],
  },
  {
    id: "dedup/duplicates-applied",
    bug: "a number received before is not recognised as a duplicate",
    file: "edge/engine/stream_state.ts",
    from: "if (hasInRanges(this.received, seq)) return -1;",
    to: "",
    tests: [...STREAM_TESTS, ...MERGE_TESTS],
  },
  {
    id: "dedup/snapshot-keeps-buffered",
    bug:
      "a snapshot counts buffered events as applied, so after a restart their redelivery is dropped",
    file: "edge/engine/stream_state.ts",
    from: "applied: subtractRanges(this.received, pending),",
    to: "applied: subtractRanges(this.received, []),",
    tests: [...STREAM_TESTS, ...MERGE_TESTS],
  },
  {
    id: "drops/declared-counted-lost",
    bug: "a declared hole that times out is counted lost as well as dropped",
    file: "edge/engine/holes.ts",
    from: "if (!h[3]) lost += h[1] - h[0] + 1;",
    to: "lost += h[1] - h[0] + 1;",
    tests: DROP_TESTS,
  },
  {
    id: "drops/straddling-range-counted-twice",
    bug: "a drop range reaching below the highest number seen is counted from its first number",
    file: "edge/engine/stream_state.ts",
    from: "const from = Math.max(r[0], this.next);",
    to: "const from = r[0];",
    tests: DROP_TESTS,
  },
  {
    id: "check/claim-without-cas",
    bug:
      "the parallel explorer claims an empty slot of its shared state set with a load and a store, not a compare-and-swap: two workers can store one state twice",
    file: "lib/explore/shared_state_set.ts",
    from: "ref = Atomics.compareExchange(table, s + last, 0, BUSY);",
    to: "Atomics.store(table, s + last, BUSY), ref = 0;",
    tests: ["tests/check_shared_set_test.ts"],
  },
  {
    id: "check/dense-claim-without-cas",
    bug:
      "the parallel explorer claims an empty entry of its dense (valuation-indexed) shared table with a load and a store, not a compare-and-swap: two workers can store one state twice",
    file: "lib/explore/shared_state_set.ts",
    from: "ref = Atomics.compareExchange(table, key, 0, BUSY);",
    to: "Atomics.store(table, key, BUSY), ref = 0;",
    tests: ["tests/check_shared_set_test.ts"],
  },
  {
    id: "check/tally-batch-not-cleared",
    bug:
      "a verdict tally keeps the last batch's states with no enabled action when the next batch begins: vigil check reports deadlocks that are not there",
    file: "lib/explore/verdict_tally.ts",
    from: "this.deadCount = 0;",
    to: "this.deadCount += 0;",
    tests: ["lib/explore/verdict_tally_test.ts"],
  },
  {
    id: "check/step-tally-skips-states",
    bug:
      "the per-transition expander has the tally read only the batch's first state's codes: the other states' successors, counts and deadlocks are lost",
    file: "lib/explore/step_expander.ts",
    from: "if (tally.transition(code, a, t, id)) enabled = true;",
    to: "if (j === 0 && tally.transition(code, a, t, id)) enabled = true;",
    tests: ["lib/explore/step_expander_test.ts"],
  },
  {
    id: "lease/no-second-write",
    bug:
      "a renewal not answered within the retry timeout gets no second write (one slow request uses up the lease)",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "if (this.#inFlight >= 2 || this.#refused",
    to: "if (this.#inFlight >= 1 || this.#refused",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/valid-from-answer",
    bug:
      "a lease is judged from its renewal's answer, not its send (the keeper believes it held past the servers' expiry)",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "this.#validFrom = sentAt;",
    to: "this.#validFrom = now;",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/never-uncertain",
    bug:
      "a TTL running out with a write in flight loses the lease at once instead of waiting for that write",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "if (this.#inFlight > 0 && this.#roundStart !== null) {",
    to: "if (false) {",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/settle-read-failure-stays-uncertain",
    bug:
      "an uncertain lease whose refused writes' settling read fails stays uncertain for ever (its member saves nothing) instead of lost",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "this.#lose(this.#expiredWhy(`its writes in flight were refused and ${why}`));",
    to: "",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts", "tests/cluster_lease_failures_test.ts"],
  },
  {
    id: "lease/spurious-refusal-lost",
    bug:
      "a refusal with the key still this member's at the write's revision (a clustered leader refusing while another write to the key is in process) loses the lease instead of writing again",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "if ((l.owner === ctx.owner && l.revision === base) || behind) {",
    to: "if ((l.owner === ctx.owner && l.revision < 0) || behind) {",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/registration-without-cas",
    bug:
      "registration writes are plain puts, not compare-and-sets on the revision last stored: a write landing late puts an older record back",
    file: "edge/cluster/lease_keeper/keeper.ts",
    from: "this.#bucket.register(record, { timeoutMs: ttl, revision })",
    to: "this.#bucket.register(record, { timeoutMs: ttl })",
    tests: ["edge/cluster/lease_keeper/keeper_test.ts", "tests/cluster_lease_renewal_test.ts"],
  },
  {
    id: "lease/behind-read-lost",
    bug:
      "a settling read older than the revision the servers said they stored (a stream leader still applying) loses the lease within its TTL instead of writing again",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "const behind = l.revision < base &&",
    to: "const behind = l.revision < 0 &&",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/sibling-success-ignored",
    bug:
      "a write on a superseded revision that succeeded too (both writes of a pair pass a clustered leader) is ignored: the next write goes on the earlier revision, is refused, and a read settles it (2-3 round trips)",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from:
      "if (rev !== null && rev > this.#revision && !this.#ended) this.#adoptSibling(rev, sentAt);",
    to: "",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/adoption-waits-for-read",
    bug:
      "a superseded write's success adopted while a read settles a refusal leaves that read pending: no renewal is sent until it answers (up to a TTL), and an uncertain lease stays so for ever",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "if (this.#checking) this.#abandonRead();",
    to: "",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/save-after-deadline-counts",
    bug:
      "a save whose head write was answered after the lease's deadline counts (and its events are acked): on nats-server 2.9.10 it can race a new owner's claim on the same revision, both pass, and the new owner continues from the state before it",
    file: "edge/cluster/partition_store.ts",
    from: "if (lease === undefined || lease.before(at)) return;",
    to: "if (lease === undefined || lease.before(at) || at === at) return;",
    tests: ["tests/cluster_late_save_test.ts", "tests/cluster_save_fence_test.ts"],
  },
  {
    id: "lease/held-alerts-not-handed-over",
    bug:
      "alerts held when the lease is lost are dropped without being handed over: a verdict the next owner does not reach again (one that depended on arrival) is never routed",
    file: "edge/cluster/alert_ledger.ts",
    from: "toHandOver.push(v);",
    to: "void v;",
    tests: ["tests/cluster_alert_ledger_test.ts", "tests/cluster_alert_handover_test.ts"],
  },
  {
    id: "handover/copy-not-routed",
    bug:
      "the next owner reads the handed-over alerts but never routes a copy it did not raise itself: the held alert is lost",
    file: "edge/cluster/partition_runner.ts",
    from: "send: (v) => l.send(v),",
    to: "send: (v) => void v,",
    tests: ["tests/cluster_alert_handover_test.ts"],
  },
  {
    id: "handover/no-alert-limit",
    bug:
      "the partition's hand-over takes any number of alerts: a storm fills the state bucket without bound (each alert tens of KB, replicated 3 times), and nothing says what a next owner cannot take",
    file: "edge/cluster/handover_store.ts",
    from: "    } else if (room <= 0) {",
    to: "    } else if (room < -1e9) {",
    tests: ["edge/cluster/handover_store_test.ts", "tests/cluster_handover_capacity_test.ts"],
  },
  {
    id: "handover/old-record-not-read",
    bug:
      "the intake reads only the per-alert keys: alerts a member before that layout handed over in the single record (a rolling upgrade) are never routed",
    file: "edge/cluster/handover_store.ts",
    from: "  for (const [id, value] of Object.entries(record)) add(id, legacy, value);",
    to: "  void record;",
    tests: ["edge/cluster/alert_handover_test.ts", "edge/cluster/handover_store_test.ts"],
  },
  {
    id: "handover/no-settle",
    bug:
      "a handed-over alert is routed as soon as its events are applied, before the next owner's judgement had its time to raise the same episode: the alert comes twice",
    file: "edge/cluster/alert_handover.ts",
    from: "const settled = w.appliedAt !== null && t - w.appliedAt >= options.settleMs;",
    to: "const settled = w.appliedAt !== null;",
    tests: ["edge/cluster/alert_handover_test.ts"],
  },
  {
    id: "handover/same-number-same-episode",
    bug:
      "the next owner takes its violation with the old owner's number for the same episode even at another violating event: a handed-over alert nobody raised is discarded (lost)",
    file: "edge/cluster/alert_handover.ts",
    from: "  return a.at.wall === b.at.wall && a.at.logical === b.at.logical;",
    to: "  return a.id === b.id || (a.at.wall === b.at.wall && a.at.logical === b.at.logical);",
    tests: ["edge/cluster/alert_handover_test.ts"],
  },
  {
    id: "handover/episode-by-id-only",
    bug:
      "a re-raise numbered differently at the same violating event is not recognized as the same episode: the alert comes twice",
    file: "edge/cluster/alert_handover.ts",
    from: "  return a.at.wall === b.at.wall && a.at.logical === b.at.logical;",
    to: "  return a.id === b.id;",
    tests: ["edge/cluster/alert_handover_test.ts"],
  },
  {
    id: "lease/bound-from-answer",
    bug:
      "the keeper reports a lease's bound from a renewal's answer instead of its send: the member's saves are judged by a deadline up to a round trip past the servers' expiry",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "this.#ctx.valid?.(this, sentAt);",
    to: "this.#ctx.valid?.(this, now);",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/alerts-routed-while-uncertain",
    bug:
      "a violation raised after the lease's deadline (the member unsure it still holds the partition) is routed at once: a member that lost the lease routes alerts from a part of the stream, which the next owner may also route",
    file: "edge/cluster/alert_ledger.ts",
    from: "if (lease.before(at)) route(v);",
    to: "if (lease.before(at) || at === at) route(v);",
    tests: ["tests/cluster_alert_ledger_test.ts"],
  },
  {
    id: "lease/held-alerts-routed-when-lost",
    bug:
      "held violations are routed when the lease is lost instead of dropped: alerts from a member that no longer owns the partition",
    file: "edge/cluster/alert_ledger.ts",
    from: "if (ok) route(v);",
    to: "if (ok || !ok) route(v);",
    tests: ["tests/cluster_alert_ledger_test.ts"],
  },
  {
    id: "lease/ledger-without-deadline",
    bug:
      "the member does not give its partitions' alert ledgers the lease's deadline: alerts raised while a lease is uncertain are routed at once",
    file: "edge/cluster/cluster_node.ts",
    from: "lease: deadline,\n          onHeld:",
    to: "onHeld:",
    tests: ["tests/cluster_uncertain_lease_test.ts"],
  },
  {
    id: "lease/first-registration-plain-put",
    bug:
      "a member's first registration write is a plain put: an attempt whose answer was lost lands after the keeper's writes and puts back a record without the member's URL",
    file: "edge/cluster/cluster_node.ts",
    from: "() => registerFirst(bucket, record())",
    to: "() => bucket.register(record())",
    tests: ["tests/cluster_registration_test.ts"],
  },
  {
    id: "lease/thread-first-registration-plain-put",
    bug:
      "the keeper thread's first registration write is a plain put: landing late, it puts back a record without the member's URL",
    file: "edge/cluster/lease_keeper/worker.ts",
    from: "await registerFirst(bucket, { id: data.id,",
    to: "await bucket.register({ id: data.id,",
    tests: ["tests/cluster_registration_test.ts"],
  },
  {
    id: "ledger/earlier-life-pending-skipped",
    bug:
      "an id the ledger holds as pending by this member id is skipped even when an earlier life of the member (killed mid-delivery, same --instance) recorded it: the alert is never routed",
    file: "edge/cluster/alert_ledger.ts",
    from: "(was === `pending:${me}` && mine.has(v.id))",
    to: "was === `pending:${me}`",
    tests: ["tests/cluster_alert_ledger_test.ts"],
  },
  {
    id: "lease/read-adoption-renews",
    bug:
      "a lease adopted by a read counts as renewed when read (the write that landed may be older than the round: the keeper believes it held past the servers' expiry)",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "this.#moveTo(l.revision);",
    to: "this.#moveTo(l.revision); this.#validFrom = ctx.now(); this.#armDeadline();",
    tests: ["edge/cluster/lease_keeper/renewal_test.ts"],
  },
  {
    id: "lease/registration-last-answer",
    bug:
      "a registration round keeps the revision of the write answered last, not the later one stored (both writes can succeed): the next round is refused",
    file: "edge/cluster/lease_keeper/keeper.ts",
    from: "if (rev !== null) stored = Math.max(stored ?? 0, rev);",
    to: "if (rev !== null) stored = rev;",
    tests: ["edge/cluster/lease_keeper/keeper_test.ts"],
  },
  {
    id: "lease/failed-write-unsaid",
    bug:
      "a renewal write that failed is not remembered: the loss blames the keeper's timers, not the servers' error",
    file: "edge/cluster/lease_keeper/renewal.ts",
    from: "this.#lastError = String((e as Error)?.message ?? e);",
    to: "this.#lastError = null;",
    tests: ["tests/cluster_lease_failures_test.ts"],
  },
  {
    id: "lease/stalled-member-renews",
    bug:
      "a keeper whose member's thread stopped answering still counts as writing (the loss does not say renewals are stopped)",
    file: "edge/cluster/lease_keeper/keeper.ts",
    from: "writing: () => !this.#stopped && !this.#stalled,",
    to: "writing: () => !this.#stopped,",
    tests: ["tests/cluster_lease_failures_test.ts"],
  },
  {
    id: "lease/read-any-replica",
    bug:
      "a lease and a registration's revision are read by a direct get, which any replica answers (one behind the leader can show a held lease free), not from the stream's leader",
    file: "edge/cluster/leases.ts",
    from: "const sm = await jsm.streams.getMessage(",
    to: "const sm = await jsm.direct.getMessage(",
    tests: ["tests/cluster_lease_failures_test.ts"],
  },
  ...CAUSAL_MUTANTS,
  ...LENGTH_MUTANTS,
];
