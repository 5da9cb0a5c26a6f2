/**
 * Causal verdicts (issue 13) on the workloads `bench/causal_bench.ts` does
 * not measure: one collector fed many rounds (steady state, not start-up),
 * handoffs with no stamps that physical time orders, and real split brains
 * mixed into ordered handoffs. Causal verdicts on (`maxSkewMs`) and off
 * (merge order: the anchor) run in the same process, each with its own
 * collector fed the same bytes, round by round, interleaved (the order
 * alternates per round).
 *
 * Traffic: Lease handoffs. Turn `t` is key `t % keys`, taken by node
 * `(t + floor(t / keys)) % nodes` (so every node is active at once and a
 * key's next holder is always another node): an acquire, then a release,
 * `--rate` events per millisecond of wall time (default 16), no clock skew
 * (walls are true time). Each node ships its events as the SDK's batcher
 * does: a batch at 256 events or once its oldest event is 50 ms old,
 * delivered 1 ms later; the collector clock is true time, `advance` runs
 * every 10 ms as the service's timer does (`tickMs`), the reorder window is
 * 250 ms. The collectors are never flushed between rounds; after the last
 * round the nodes' last batches are delivered, the clock moves 20 s on in
 * ticks and the collectors flush (the `final` line).
 *
 * Workloads (`--workload`, default `all`, each one bounded by `--budget-s`,
 * default 120 s, after which it stops and says so):
 * - `long`: every acquire carries the previous holder's release stamp (as
 *   `causal_bench.ts`), 16 nodes, 256 keys, S = 500 ms, 20 rounds of
 *   262,144 events: does the CPU per event hold, does the heap stay flat.
 * - `ordered`: no stamps at all, but a key's next acquire comes more than
 *   2S after its release (keys: the smallest power of two that makes the
 *   gap 1.25 x 2S at the rate), so physical time orders every handoff: 16
 *   and 64 nodes, S = 500 and 50 ms, 6 rounds each. 0 alerts expected.
 * - `mix`: stamped handoffs (16 nodes, 512 keys, S = 500 ms, 6 rounds of
 *   65,536 events), and 1% of them (each key's every 100th, staggered over keys) overlap
 *   with no stamp: the new holder acquires before the old one releases (a
 *   real split brain of two events, 1/8 ms). Expected: exactly one alert
 *   per injected overlap, naming both nodes, with causal verdicts and
 *   without; the run throws (exit code 1) when the alerts differ.
 *   `--overlap-every <n>`: one in n handoffs instead of 100.
 * - `general`: `long`'s traffic, 6 rounds, and a third collector with
 *   causal verdicts whose spec lacks the exclusion marker (`globalShape`),
 *   so the judge keeps full lanes: the general path's cost.
 *
 * Run: `deno run -A bench/causal_soak_bench.ts [--workload long|ordered|mix|general|all]
 * [--rounds N] [--events N] [--nodes N] [--keys N] [--skew MS] [--rate N] [--budget-s S]`
 * (the flags override the workload's defaults; `--nodes` and `--skew` pick
 * one of `ordered`'s four cases). More collectors in the same run:
 * - `--base <git revision or directory>`: causal verdicts with the
 *   collector of that revision (its `edge/` and `lib/` extracted beside the
 *   tree) or of a directory holding `edge/` and `lib/` (this tree with a
 *   patch applied, say): an A/B in one process (with `general`, its full
 *   lanes too).
 * - `--also-tick <ms>`: causal verdicts with the timer's `advance` every
 *   that many ms instead of 10 (what the ticks cost).
 *
 * `--profile <file prefix>`: only the collector(s) with causal verdicts (no
 * anchor, no forced collections), a V8 CPU profile and a sampling heap
 * profile of rounds 2 on (`bench/v8_profile.ts`), written to
 * `<prefix>.cpuprofile` and `<prefix>.heapprofile`, their tops printed.
 * `--heap-snapshot <file>`: only the collector(s) with causal verdicts, and
 * after the last round a V8 heap snapshot written to `<file>` (Chrome
 * DevTools opens it) with its objects' self sizes summed by constructor
 * printed (what the heap holds, where the per-round figures say how much).
 *
 * Prints, per round and collector: CPU ms of the process for the round's
 * ingest (M events per CPU second), bytes V8 allocated per event (garbage
 * included), the heap after a forced full collection (V8 heap used plus
 * external memory, MB) and its change over the round (what that collector
 * kept: the other one did not run in between), alerts raised so far, late
 * events and lane drops. Then a summary over the rounds after the first
 * (start-up): median CPU per event on and off and what causal verdicts add,
 * the last third of the rounds against the first third after start-up
 * (does the rate hold), and the heap's growth per round over the second
 * half (does it stay flat).
 *
 * The parts, in `bench/causal_soak/`: `workloads.ts` (the configurations
 * and flags), `traffic.ts` (the handoffs, batched and shipped), `fed.ts`
 * (a collector and its measurements), `runner.ts` (one workload's run) and
 * `report.ts` (the summary, the alerts' check, the heap snapshot).
 *
 * @module
 */
import { benchArgs } from "../tools/harness/bench_args.ts";
import { baseAt, runSoak } from "./causal_soak/runner.ts";
import { configs, type WorkloadName, WORKLOADS } from "./causal_soak/workloads.ts";

if (import.meta.main) {
  const args = benchArgs(Deno.args, {
    string: [
      "workload",
      "rounds",
      "events",
      "nodes",
      "keys",
      "skew",
      "rate",
      "budget-s",
      "profile",
      "heap-snapshot",
      "also-tick",
      "overlap-every",
      "base",
    ],
  });
  const which = args.string.get("workload") ?? "all";
  const names: readonly WorkloadName[] = which === "all" ? WORKLOADS : [which as WorkloadName];
  for (const n of names) {
    if (!WORKLOADS.includes(n)) {
      throw new RangeError(
        `Flag '--workload' must be long, ordered, mix, general or all, got '${n}'`,
      );
    }
  }
  const budgetS = Number(args.string.get("budget-s") ?? 120);
  if (!(budgetS > 0)) throw new RangeError(`Flag '--budget-s' must be > 0, got '${budgetS}'`);
  const profile = args.string.get("profile") ?? null;
  const heapFile = args.string.get("heap-snapshot") ?? null;
  const baseRev = args.string.get("base");
  const base = baseRev === undefined ? null : await baseAt(baseRev);
  let complete = true;
  for (const n of names) {
    for (const c of configs(n, args.string)) {
      complete = await runSoak(c, budgetS, { profile, base, heapFile }) && complete;
    }
  }
  if (!complete) {
    console.log("some runs stopped at their budget: their figures cover the rounds finished");
    Deno.exitCode = 2;
  }
}
