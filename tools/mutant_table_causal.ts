/**
 * The planted bugs of the causal judge (`edge/engine/causal/`), part of
 * the table of `deno task mutants` (`tools/mutant_table.ts`, which says
 * how an entry is read and kept up to date).
 *
 * @module
 */
import type { Mutant } from "./mutant_table.ts";

/** The causal judge's planted bugs. */
export const CAUSAL_MUTANTS: readonly Mutant[] = [
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
    file: "edge/engine/causal/node_entries.ts",
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
    id: "causal/recheck-never",
    bug:
      "an unraised episode's cuts are never checked again when later dependencies arrive: a message chain whose middle batch arrives late gives a false alarm",
    file: "edge/engine/causal/episodes.ts",
    from: "if (ep === null || ep.raised) return false;",
    to: "if (ep === null || ep.raised || ep !== null) return false;",
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
    file: "edge/engine/causal/dependency_recording.ts",
    from: "if (generation !== this.#deps.generation) {",
    to: "if (generation !== this.#deps.generation && generation < 0) {",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/recheck-change-unmarked",
    bug:
      "a batch's dependencies dissolve a cut of an unraised episode that stays open, but the judge does not mark the partition: the next incremental snapshot keeps the causal side with the dissolved cut",
    file: "edge/engine/causal/dependency_recording.ts",
    from:
      "        if (this.#episodes.recheck(p, cp, appended)) {\n          cp.changes++;\n          this.#host.changed(p);\n        }",
    to: "        this.#episodes.recheck(p, cp, appended);",
    tests: ["tests/causal_recheck_record_test.ts"],
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
    file: "edge/engine/causal/gap_log.ts",
    from: "if (this.entries.length === 0) this.#room(this.count.length);",
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
    id: "causal/views-kept-by-shape",
    bug:
      "a lane's kept view of P-intervals and stretches is taken as current when its intervals only look like the lane's (same places, not the same objects): a restored or reused lane is searched through intervals it no longer holds",
    file: "edge/engine/causal/stretch_views.ts",
    from: "    if (view[v++] !== i) return false;",
    to: "    if (view[v++] === undefined) return false;",
    tests: ["edge/engine/causal/stretch_views_test.ts"],
  },
  {
    id: "causal/failing-subset-whole-cut",
    bug:
      "a found cut's failing subset is the whole cut, not its smallest failing subset: an alert names nodes whose state is in no failing pair",
    file: "edge/engine/causal/found_cuts.ts",
    from: "    if (out === 0) return all;",
    to: "    return all;",
    tests: ["tests/causal_verdicts_test.ts"],
  },
  {
    id: "causal/evidence-concurrent-one-way",
    bug:
      "the episode's picture marks an event concurrent with the cut when it does not happen before a cut start, even if a cut start happens before it",
    file: "edge/engine/causal/evidence_builder.ts",
    from: "      if (before(pt, id, s.vc) || (id !== undefined && before(s.c, s.id, vc))) {",
    to: "      if (before(pt, id, s.vc)) {",
    tests: ["tests/causal_verdicts_test.ts"],
  },
  {
    id: "causal/evidence-points-by-wall",
    bug:
      "the episode's picture finds a drawn event by its node and wall only: a node's second event in one wall millisecond is drawn as its first",
    file: "edge/engine/causal/evidence_builder.ts",
    from: "    for (const pt of lane) if (pt.wall === wall && pt.logical === logical) return pt;",
    to: "    for (const pt of lane) if (pt.wall === wall) return pt;",
    tests: ["edge/engine/causal/evidence_builder_test.ts"],
  },
  {
    id: "causal/recheck-fast-path-new-cuts",
    bug:
      "rechecking an unraised episode after a batch that bumped no epoch skips it whole when its confirmed cuts need no test, even if cuts joined it since its last recheck: a new cut the batch orders away is kept and named",
    file: "edge/engine/causal/episodes.ts",
    from:
      "      appended !== undefined && confirmed.count === found.length && confirmed.current(appended) &&",
    to: "      appended !== undefined && confirmed.current(appended) &&",
    tests: ["tests/episode_recheck_new_cut_test.ts"],
  },
  {
    id: "causal/retire-keeps-confirmed",
    bug:
      "retiring a lane drops an unraised episode's cuts that name it but leaves what Episodes confirmed of its first cuts: cuts joined later are taken as confirmed and a batch that orders them away is skipped",
    file: "edge/engine/causal/lane_retirement.ts",
    from: "    this.#episodes.forget(ep);",
    to: "    void ep;",
    tests: ["tests/episode_recheck_new_cut_test.ts"],
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
    file: "edge/engine/causal/lane_pruning.ts",
    from: "(lane.length - k > MAX_LANE || lane[k]!.endWall < horizon)",
    to: "(lane.length - k > MAX_LANE)",
    tests: ["tests/causal_lane_prune_test.ts"],
  },
  {
    id: "causal/seed-uncounted",
    bug:
      "the judge's kept count of the intervals its lanes hold misses the seeds the cut search places in empty lanes: vigil_causal_intervals drifts from what the lanes hold",
    file: "edge/engine/causal/causal_judge.ts",
    from: "      seeded: () => {\n        this.#held++;\n      },",
    to: "      seeded: () => {},",
    tests: ["tests/causal_interval_count_test.ts"],
  },
  {
    id: "causal/pruned-while-unraised",
    bug:
      "a partition's lanes are pruned by its events while an episode waits to be raised: a handoff's sender that acts again loses the interval its arrow starts from, and the picture draws no arrow",
    file: "edge/engine/causal/lane_pruning.ts",
    from: "if (n <= MAX_LANE && cp.episode !== null && !cp.episode.raised) return 0;",
    to: "if (n <= MAX_LANE && cp.episode !== null && cp.episode.raised && n < 0) return 0;",
    tests: ["tests/causal_verdicts_test.ts"],
  },
  {
    id: "causal/early-never-taken-back",
    bug:
      "a hold that turns up before handoffs judged on arrival does not take their judgements back: the pair it forms with a later hold is never judged",
    file: "edge/engine/causal/arrival_judgement.ts",
    from: "compareStarts(i, last) < 0) this.takeBack(cp);",
    to: "compareStarts(i, last) < 0 && i.seq < 0) this.takeBack(cp);",
    tests: ["tests/causal_on_arrival_test.ts"],
  },
  {
    id: "causal/warm-writes",
    bug:
      "the judge's lane warm-up writes what it reads: the newest interval of each lane warmed gets an end (its state block's offset) before its next event comes",
    file: "edge/engine/causal/lane_warming.ts",
    from: "if (a !== null) sum += a.endWall + a.block;",
    to: "if (a !== null) sum += a.endWall = a.block;",
    tests: ["tests/causal_lane_warming_test.ts"],
  },
  {
    id: "causal/early-not-saved",
    bug:
      "a snapshot leaves out the handoffs judged on arrival that the horizon has not passed: a restored collector never judges them again when a concurrent hold before them turns up",
    file: "edge/engine/causal/judge_snapshots.ts",
    from: "      early: judgedEarly(cp),\n",
    to: "",
    tests: ["tests/causal_on_arrival_test.ts"],
  },
  {
    id: "causal/older-split-keeps-prune-floor",
    bug:
      "an older event that splits a lane of P-intervals (moving an end earlier, perhaps the oldest's) leaves the lane's pruning bound as it was: pruning skips intervals that are due",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "    cp.floor(z, -Infinity);\n    return interval;",
    to: "    return interval;",
    tests: ["tests/causal_interval_count_test.ts"],
  },
  {
    id: "causal/restored-episode-unrechecked",
    bug:
      "a restored partition's unraised episode is not rechecked when later dependencies arrive: after a restart, a message chain whose middle batch arrives late leaves a cut it orders away",
    file: "edge/engine/causal/judge_snapshots.ts",
    from: "if (cp.episode !== null) this.#unraised.add(p);",
    to: "if (cp.episode === undefined) this.#unraised.add(p);",
    tests: ["tests/causal_recheck_test.ts"],
  },
  {
    id: "causal/deps-pruned-by-newest-wall",
    bug:
      "dependency entries are pruned behind the newest wall, not the oldest merged time still judged: a node whose clock runs ahead, or partitions whose merged time lags, lose the stamps that order their handoffs and clean handoffs raise alerts",
    file: "edge/engine/causal/dependency_recording.ts",
    from: "    return Math.max(before, maxWall - DEPS_MAX_LAG_MS);",
    to: "    return maxWall - 2 * this.#skew2 - 2 * this.#windowMs - 1_000;",
    tests: ["tests/causal_clock_ahead_test.ts"],
  },
  {
    id: "causal/deps-pruned-past-watched",
    bug:
      "the dependency pruning leaves out the watched partitions' horizons: a partition whose queue waits behind the others' merged time loses the stamps its queued holds are judged by",
    file: "edge/engine/causal/dependency_recording.ts",
    from: "      if (at < oldest) oldest = at;",
    to: "",
    tests: ["tests/causal_clock_ahead_test.ts"],
  },
  {
    id: "causal/deps-pruned-past-recorded",
    bug:
      "the dependency pruning leaves out the walls of the entries just recorded: events not applied yet, in partitions not watched whose horizons are ahead, lose the stamps that order them",
    file: "edge/engine/causal/dependency_recording.ts",
    from: "    if (earliestWall < this.#recordedFloor) this.#recordedFloor = earliestWall;",
    to: "",
    tests: ["tests/causal_clock_ahead_test.ts"],
  },
  {
    id: "causal/deps-kept-without-bound",
    bug:
      "the dependency pruning has no lag bound: one watched partition that never moves on (not advanced) keeps every entry recorded after it, the table grows for good",
    file: "edge/engine/causal/dependency_recording.ts",
    from: "    return Math.max(before, maxWall - DEPS_MAX_LAG_MS);",
    to: "    return before;",
    tests: ["tests/causal_clock_ahead_test.ts"],
  },
  {
    id: "causal/quiet-lanes-not-swept",
    bug:
      "the judge prunes a lane only when its own node acts: a node that goes quiet (or leaves) keeps its last window of intervals while its partition goes on",
    file: "edge/engine/causal/lane_pruning.ts",
    from: "return this.prune(cp, z);",
    to: "return 0;",
    tests: ["tests/quiet_node_lanes_test.ts"],
  },
  {
    id: "causal/retire-keeps-episode-cuts",
    bug:
      "a retired participant's lane is freed but the open episode keeps the cuts that name it: an unraised episode whose only failing cut held the retired node raises anyway",
    file: "edge/engine/causal/lane_retirement.ts",
    from: "    if (cp.episode !== null) this.#leaveOut(p, cp, z);",
    to: "",
    tests: ["tests/causal_retire_test.ts"],
  },
  {
    id: "causal/retire-unwatches-early",
    bug:
      "retiring a lane stops watching a partition whose queue is empty while handoffs judged on arrival wait for the horizon: the collector clock no longer moves it, and they stay pending (saved as queued) until its next event",
    file: "edge/engine/causal/lane_retirement.ts",
    from: "cp.episode === null && !earlyPending(cp) && cp.watching",
    to: "cp.episode === null && cp.watching",
    tests: ["tests/causal_retire_test.ts"],
  },
  {
    id: "causal/retired-node-vectors-kept",
    bug:
      "retiring a node frees its dependency entries but leaves the vector clocks computed before: the next node given its number inherits what was known of the old one",
    file: "edge/engine/causal/happened_before.ts",
    from:
      "    this.#epoch++;\n    this.#epochChanged = generation;\n    this.#bumpFloor = this.#epoch;\n    return freed;",
    to: "    return freed;",
    tests: ["tests/causal_retire_test.ts"],
  },
  {
    id: "causal/retired-node-stamps-recorded",
    bug:
      "a stamp naming a retired node is recorded: the departed node is numbered again and its name kept for good, by any late message that names it",
    file: "edge/engine/causal/happened_before.ts",
    from: "    return this.#gone.has(node) ? -1 : this.#newId(node);",
    to: "    return this.#newId(node);",
    tests: ["tests/causal_retire_test.ts"],
  },
  {
    id: "causal/cap-takes-back-always",
    bug:
      "the lane cap takes the judgements on arrival back whenever it drops an interval, not only when it drops one of them: a hot key's lane (past the cap within the horizon) drops its oldest at each event, and each event scans the lanes and queues thousands of holds to judge again (the verdicts are the same)",
    file: "edge/engine/causal/lane_pruning.ts",
    from: "earlyPending(cp) && lane[n - MAX_LANE - 1]!.wall >= cp.horizon",
    to: "earlyPending(cp)",
    tests: ["tests/causal_lane_cap_test.ts"],
  },
  {
    id: "causal/restore-forgets-gap-states",
    bug:
      "a restored judge of lanes of P-intervals leaves out the lanes' saved states outside P: its alerts' cuts and pictures leave out every node outside P at the restart",
    file: "edge/engine/causal/causal_snapshot.ts",
    from: "      cp.setGapBlock(z, block);",
    to: "      arena.free(block);",
    tests: ["tests/causal_restart_gaps_test.ts"],
  },
  {
    id: "causal/carried-number-reused",
    bug:
      "the handoff test takes an event's first dependency carried from ingest whatever was retired since: a sender's number given to another node after a retirement orders that node's hold before the event",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "fresh.depFrom === last.nid && fresh.depRetired === deps.retirements &&",
    to: "fresh.depFrom === last.nid &&",
    tests: ["tests/causal_first_dep_test.ts", "tests/causal_shortcuts_oracle_test.ts"],
  },
  {
    id: "causal/carried-entry-pruned",
    bug:
      "the handoff test takes an event's first dependency carried from ingest after the table pruned its entry (a node's clock far ahead, the memory bound): the hold is taken as handed on where the table orders nothing",
    file: "edge/engine/causal/exclusion_lanes.ts",
    from: "      fresh.wall >= deps.prunedTo &&\n",
    to: "",
    tests: ["tests/causal_shortcuts_oracle_test.ts"],
  },
  {
    id: "causal/carried-stamp-after-event",
    bug:
      "a batch's dependency whose stamp is not before its event (refused by the table) is carried to its slot as recorded: the handoff test takes what the table refused",
    file: "edge/engine/causal/dependency_recording.ts",
    from: "(fw < w || (fw === w && fl < l)) && (fl | 0) === fl ? from : -1;",
    to: "(fl | 0) === fl ? from : -1;",
    tests: ["tests/causal_first_dep_test.ts"],
  },
];
