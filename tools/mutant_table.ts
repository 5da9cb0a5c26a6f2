/**
 * The planted bugs of `deno task mutants` (`tools/mutants.ts`, which plants
 * each in a scratch copy of the tree and runs the tests named here): one
 * entry per bug, by the exact source it replaces. When code a mutant
 * targets moves, its entry moves with it (the tool fails with "table is out
 * of date" until then).
 *
 * @module
 */
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

/** The planted bugs. */
export const MUTANTS: readonly Mutant[] = [
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
    from: "  out.argOff[n] = argc;\n}",
    to: "}",
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
    from: "this.#args2[at + j - FIRST_ARGS]!",
    to: "this.args[at + j]!",
    tests: ["edge/engine/event_store_test.ts"],
  },
  {
    id: "partition/index-of-admitted-any-node",
    bug:
      "Partition.indexOf answers with the participant the last admission found, whatever node is asked",
    file: "edge/engine/partition.ts",
    from: "if (admitted !== null && admitted.node === node) return admitted.index;",
    to: "if (admitted !== null) return admitted.index;",
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
    from: "while (q.headDue(now)) {",
    to: "while (q.headDue(now - this.#state.options.windowMs)) {",
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
    id: "causal/messages-ignored",
    bug:
      "the causal judge ignores the dependencies stamps record: a handoff by message no longer orders the holds",
    file: "edge/engine/causal/cut_search.ts",
    from:
      "return this.#deps.knows(this.vc(b), a.nid, a.endWall, a.endLogical) ? BY_CAUSE : NOT_BEFORE;",
    to: "return NOT_BEFORE;",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/clearance-without-chain",
    bug:
      "an interval judged in order inherits the lanes cleared by happened-before at the last judged one even when that one did not happen before it",
    file: "edge/engine/causal/clearance.ts",
    from: "return s === CLEARED_BY_TIME || (inherit && s === this.#chain);",
    to: "return s === CLEARED_BY_TIME || s > 0;",
    tests: ["tests/causal_verdicts_test.ts"],
  },
  {
    id: "causal/tracked-lane-kept",
    bug:
      "the cut search keeps a lane's newest interval from the last search in order although an interval of that lane was judged since",
    file: "edge/engine/causal/cut_search.ts",
    from: "    cp.moved[fresh.lane] = 1;",
    to: "",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/clearance-kept-for-another-interval",
    bug:
      "a lane keeps what was learnt of its older intervals after its newest interval before the judged one changed",
    file: "edge/engine/causal/cut_search.ts",
    from: "        clear.changed(z);\n",
    to: "",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/moved-lane-next-taken",
    bug:
      "a lane that moved takes its next interval after the last one found as its newest before the judged one, not the one judged last",
    file: "edge/engine/causal/cut_search.ts",
    from: "        if (lane[m] === last) {",
    to: "        if (lane[m] !== null) {",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/uncleared-lane-unwatched",
    bug:
      "a search in order that inherits skips a lane whose older intervals were not cleared (only lanes with no interval before the judged one are visited again)",
    file: "edge/engine/causal/cut_search.ts",
    from: "    return k < 0 || (k > 0 && !cp.clearance.holds(z, true));",
    to: "    return k < 0;",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/base-key-without-judged",
    bug:
      "the merge order cut's kept key looks its verdict up with the judged lane's previous interval instead of the judged one",
    file: "edge/engine/causal/cut_search.ts",
    from: "    ids[lane] = pid;\n    let code",
    to: "    let code",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/lookup-gallops-past",
    bug:
      "the dependency table's lookup from its hint skips the entry just after the last one known to be at or before the time asked",
    file: "edge/engine/causal/happened_before.ts",
    from: "      lo = known + 1;",
    to: "      lo = known + 2;",
    tests: ["tests/causal_happened_before_test.ts"],
  },
  {
    id: "causal/snapshot-side-stale",
    bug:
      "the causal judge does not count a change when only the collector clock moves a partition's judgement: its snapshot keeps the causal side of the last save",
    file: "edge/engine/causal/causal_judge.ts",
    from: "    cp.changes++;\n    this.#host.changed(p);\n    const q = cp.queue;",
    to: "    this.#host.changed(p);\n    const q = cp.queue;",
    tests: ["tests/causal_restart_test.ts"],
  },
  {
    id: "causal/clock-change-unmarked",
    bug:
      "the causal judge counts a change the collector clock makes to a partition's judgement but does not mark the partition in the engine's dirty set: the next incremental snapshot skips it and keeps its stale causal side",
    file: "edge/engine/causal/causal_judge.ts",
    from: "    cp.changes++;\n    this.#host.changed(p);\n    const q = cp.queue;",
    to: "    cp.changes++;\n    const q = cp.queue;",
    tests: ["tests/causal_restart_test.ts"],
  },
  {
    id: "causal/projection-too-narrow",
    bug:
      "the causal judge compares states on the first slot the global invariants read, not all of them: cuts that differ in another one share a remembered verdict",
    file: "edge/engine/causal/cut_verdicts.ts",
    from: "for (const s of meta.globalSlots) {",
    to: "for (const s of meta.globalSlots.slice(0, 1)) {",
    tests: ["tests/causal_projection_test.ts"],
  },
  {
    id: "causal/handoff-before-close",
    bug:
      "the handoff chain takes any dependency on the last holder's node as the handoff, even on an event before its release: a hold that may overlap the last one is not searched",
    file: "edge/engine/causal/happened_before.ts",
    from:
      "if (e.from[j] === from && atOrBefore(fw, fl, e.fromWall[j]!, e.fromLogical[j]!)) return true;",
    to: "if (e.from[j] === from) return true;",
    tests: ["tests/causal_exclusion_lanes_test.ts"],
  },
  {
    id: "causal/end-on-wrong-interval",
    bug:
      "a lane of P-intervals writes the end of a hold on its oldest interval kept, not on the open one: the hold stays open after its release",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "      current.endWall = e.wall;\n      current.endLogical = e.logical;",
    to: "      lane[0]!.endWall = e.wall;\n      lane[0]!.endLogical = e.logical;",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/chain-without-test",
    bug:
      "where the handoff does not reach the judged interval, the handoff chain starts again there without testing that every other lane's P-interval before it ended before it began: the interval is not searched",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "cp.chain = this.#othersEndBefore(cp, fresh);",
    to: "cp.chain = true;",
    tests: ["tests/causal_simulator_test.ts", "tests/causal_exclusion_lanes_test.ts"],
  },
  {
    id: "causal/older-ends-at-next-hold",
    bug:
      "an older event in P arriving within a stretch outside P ends at the next P-interval's start, not at the first state change after it the lane kept: a hold seems to last through its own release",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "if (g >= 0 && log[at]! < next.seq) {",
    to: "if (g >= 0 && log[at]! < next.seq && g < 0) {",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/approximated-end-uncounted",
    bug:
      "an older hold whose end is approximated (its stretch's changes let go of) is not counted in the metrics",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "        this.#options.approximated(p);",
    to: "",
    tests: ["tests/causal_approximated_ends_test.ts"],
  },
  {
    id: "causal/open-end-after-flush",
    bug:
      "an interval still open when the engine flushes before an episode's raise point counts as ending after it: holds whose ends may lie anywhere are reported definitely",
    file: "edge/engine/causal/episodes.ts",
    from: "return (b.endWall !== Infinity || passed) && a.wall + this.#skew2 < limit;",
    to: "return a.wall + this.#skew2 < limit;",
    tests: ["tests/causal_verdicts_test.ts"],
  },
  {
    id: "causal/sparse-snapshot-into-full-lanes",
    bug:
      "a snapshot of lanes of P-intervals only is loaded into a judge of full lanes without a word: its stretches outside P read as gaps",
    file: "edge/engine/causal/causal_snapshot.ts",
    from: "if (s.sparse === true && !cp.sparse) {",
    to: "if (s.sparse === true && !cp.sparse && s.queue.length < 0) {",
    tests: ["tests/causal_exclusion_lanes_test.ts"],
  },
  {
    id: "causal/shape-sides-unmatched",
    bug:
      "the compiler marks a global invariant as exclusion when its two sides read different slots (P(a) and Q(b)): the causal judge then skips intervals that fail with another node's",
    file: "lib/wasm/meta_build.ts",
    from: "a.node === x && b.node === y && a.slot === b.slot;",
    to: "a.node === x && b.node === y;",
    tests: ["tests/causal_shape_test.ts"],
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
    from: "tally.state(codes, first, j);",
    to: "if (j === 0) tally.state(codes, first, j);",
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
  {
    id: "causal/recheck-never",
    bug:
      "an unraised episode's cuts are never checked again when later dependencies arrive: a message chain whose middle batch arrives late gives a false alarm",
    file: "edge/engine/causal/episodes.ts",
    from: "if (ep === null || ep.raised) return;",
    to: "if (ep === null || ep.raised || ep !== null) return;",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/recheck-keeps-dissolved",
    bug:
      "rechecking an unraised episode keeps the cuts later dependencies ordered away and drops the ones still consistent",
    file: "edge/engine/causal/episodes.ts",
    from: "if (this.#unchanged(f, appended) || this.#holds(f)) found[kept++] = f;",
    to: "if (!(this.#unchanged(f, appended) || this.#holds(f))) found[kept++] = f;",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/record-without-recheck",
    bug:
      "the judge records a batch's dependencies without rechecking the open episodes when they order something new",
    file: "edge/engine/causal/causal_judge.ts",
    from: "if (generation !== this.deps.generation) {",
    to: "if (generation !== this.deps.generation && generation < 0) {",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/vector-fresh-wall-only",
    bug:
      "a vector is kept across an epoch bump when its event's wall is at or before the late entry's, the logical part ignored: an event at the late entry's own time keeps a stale vector",
    file: "edge/engine/causal/happened_before.ts",
    from: "if (!(aw < w || (aw === w && e.atLogical[j]! < this.#bumpLogicals[lo]!))) return false;",
    to: "if (!(aw <= w)) return false;",
    tests: ["tests/causal_happened_before_test.ts"],
  },
  {
    id: "causal/vector-fresh-any-time",
    bug:
      "every vector computed before an epoch bump is kept, whatever the time of the late entry that bumped it",
    file: "edge/engine/causal/happened_before.ts",
    from: "if (!(aw < w || (aw === w && e.atLogical[j]! < this.#bumpLogicals[lo]!))) return false;",
    to: "",
    tests: ["tests/causal_happened_before_test.ts"],
  },
  {
    id: "causal/gap-log-never-made",
    bug:
      "a partition's gap log is never given room when a lane first logs a change outside P: the changes are lost and older events end at the next P-interval",
    file: "edge/engine/causal/lanes.ts",
    from: "if (this.gapLog.length === 0) this.#gapRoom(this.gapCount.length);",
    to: "",
    tests: ["tests/causal_simulator_test.ts"],
  },
  {
    id: "causal/recheck-ignores-generation",
    bug:
      "rechecking an unraised episode skips a cut whose failing intervals' ends did not change even when their nodes' dependency entries did: a cut new dependencies order away is kept",
    file: "edge/engine/causal/episodes.ts",
    from: "if (c[k] === generation) continue;",
    to: "continue;",
    tests: ["tests/causal_recheck_record_test.ts"],
  },
  {
    id: "causal/recheck-keeps-dropped-start",
    bug:
      "rechecking an unraised episode drops the cut that opened it but keeps that cut's start: the alert's at and raise point depend on delivery order",
    file: "edge/engine/causal/episodes.ts",
    from:
      "if (first !== undefined && !atOrBefore(first.wall, first.logical, ep.at.wall, ep.at.logical)) {",
    to: "if (first === undefined) {",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/recheck-keeps-dropped-last",
    bug:
      "rechecking an unraised episode drops its latest failing cut but keeps that cut's wall as its last: the clear's HLC depends on delivery order",
    file: "edge/engine/causal/episodes.ts",
    from: "if (last < ep.lastWall) ep.lastWall = last;",
    to: "if (last < -Infinity) ep.lastWall = last;",
    tests: ["tests/causal_recheck_test.ts"],
  },

  {
    id: "causal/recheck-appended-any-start",
    bug:
      "rechecking an unraised episode after a batch that bumped no epoch keeps a cut whose interval of the batch's node starts at or after the batch's earliest new entry too (skip regardless of start): a late entry before the interval's start that orders the cut away is missed",
    file: "edge/engine/causal/episodes.ts",
    from: "return x.nid !== appended.nid || x.wall < appended.wall ||",
    to: "return true ||",
    tests: ["tests/causal_recheck_record_test.ts"],
  },
  {
    id: "causal/recheck-confirmed-any-start",
    bug:
      "rechecking an unraised episode after a batch that bumped no epoch skips every cut that held before it, whatever its intervals' starts: a late entry before an interval's start that orders the cut away is missed",
    file: "edge/engine/causal/episodes.ts",
    from: "if (w === undefined) return true;",
    to: "if (w !== null) return true;",
    tests: ["tests/causal_recheck_record_test.ts"],
  },
  {
    id: "causal/ended-skips-failing-interval",
    bug:
      "an end applied in a partition whose unraised episode's cuts all held is taken to change none of them even when the interval ended is a failing interval of one: the cut that end orders away is raised",
    file: "edge/engine/causal/episodes.ts",
    from: "confirmed.generation === this.#oracle.deps.generation && !confirmed.open.includes(x)",
    to: "confirmed.generation === this.#oracle.deps.generation",
    tests: ["tests/causal_recheck_record_test.ts"],
  },
  {
    id: "causal/applied-end-unrechecked",
    bug:
      "an event that ends an interval of a partition whose episode is unraised does not recheck it: a cut that end orders away (a release arriving after the cut was found) is dropped only if some unrelated batch follows",
    file: "edge/engine/causal/causal_judge.ts",
    from: "if (open !== null && open.endWall !== Infinity) this.#episodes.ended(p, cp, open);",
    to: "if (open !== null && open.endWall === null) this.#episodes.ended(p, cp, open);",
    tests: ["tests/causal_recheck_record_test.ts"],
  },

  {
    id: "causal/search-builds-first-only",
    bug:
      "the cut search stops building failing cuts once the partition's episode holds one, not once it holds as many as it keeps: a second pair found while the episode is open is lost",
    file: "edge/engine/causal/cut_search.ts",
    from: "(found ??= []).push(kept < KEPT_CUTS ? this.#found(p, trial, code, false) : UNKEPT);",
    to: "(found ??= []).push(kept < 1 ? this.#found(p, trial, code, false) : UNKEPT);",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/chain-start-without-seed",
    bug:
      "the handoff chain starts again at a judged P-interval without seeding the empty lanes first: a lease held since before causal verdicts were turned on looks absent, and a later hold is not searched",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "      this.#seedAll(p, cp);",
    to: "      // (not seeded)",
    tests: ["tests/causal_seed_test.ts"],
  },
  {
    id: "causal/lanes-never-pruned",
    bug:
      "the judge never prunes a lane's intervals by age, only at its cap: verdicts are the same, but every lane grows to MAX_LANE intervals",
    file: "edge/engine/causal/causal_judge.ts",
    from: "(lane.length - k > MAX_LANE || lane[k]!.endWall < horizon)",
    to: "(lane.length - k > MAX_LANE)",
    tests: ["tests/causal_lane_prune_test.ts"],
  },
  {
    id: "causal/restored-episode-unrechecked",
    bug:
      "a restored partition's unraised episode is not rechecked when later dependencies arrive: after a restart, a message chain whose middle batch arrives late leaves a cut it orders away",
    file: "edge/engine/causal/causal_judge.ts",
    from: "if (cp.episode !== null) this.#unraised.add(p);",
    to: "if (cp.episode === undefined) this.#unraised.add(p);",
    tests: ["tests/causal_recheck_test.ts"],
  },
];
