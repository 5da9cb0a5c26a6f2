/**
 * Runs one workload of `bench/causal_soak_bench.ts` (see its module doc):
 * its collectors fed round by round, interleaved, measured and checked.
 *
 * @module
 */
import type { createCollector } from "../../edge/engine/collector.ts";
import { startProfiler, topAllocations, topSelf } from "../v8_profile.ts";
import { treeAt } from "../../tools/harness/tree_at.ts";
import { BudgetExceeded, Fed } from "./fed.ts";
import { checkAlerts, heapSnapshot, mb, signed, summarize } from "./report.ts";
import { HandoffTraffic, spec, withoutShape } from "./traffic.ts";
import { type SoakConfig, WINDOW_MS } from "./workloads.ts";

/** Another tree's collector, run beside this tree's (`--base`). */
export interface Base {
  readonly label: string;
  readonly create: typeof createCollector;
}

/**
 * `createCollector` of `rev`: a directory holding `edge/` and `lib/` (e.g.
 * this tree with a patch applied), or a git revision (its `edge/` and
 * `lib/` extracted to a temporary directory).
 */
export async function baseAt(rev: string): Promise<Base> {
  const isDir = await Deno.stat(rev).then((s) => s.isDirectory, () => false);
  const dir = isDir ? await Deno.realPath(rev) : await treeAt(rev, ["edge", "lib"]);
  const mod = await import(`file://${dir}/edge/engine/collector.ts`);
  return { label: rev, create: mod.createCollector };
}

/** Runs one workload; returns false when it stopped at its budget. */
export async function runSoak(
  c: SoakConfig,
  budgetS: number,
  options: {
    readonly profile: string | null;
    readonly base: Base | null;
    readonly heapFile: string | null;
  },
): Promise<boolean> {
  const { profile, base, heapFile } = options;
  const solo = profile !== null || heapFile !== null;
  const started = performance.now();
  const deadline = started + budgetS * 1000;
  console.log(
    `\n== ${c.name}: ${c.nodes} nodes, ${c.keys} keys, S = ${c.maxSkewMs} ms, window ${WINDOW_MS} ms, ` +
      `${c.rounds} rounds of ${c.events} events, ${c.rate} events/ms, ` +
      `${c.stamps ? "every acquire with the previous holder's stamp" : "no stamps"}` +
      `${c.overlapEvery > 0 ? `, 1 in ${c.overlapEvery} handoffs an overlap with no stamp` : ""}`,
  );
  if (!c.stamps) {
    const gap = (2 * c.keys - 1) / c.rate;
    console.log(
      `a key's release to its next acquire: ${gap.toFixed(1)} ms (2S = ${2 * c.maxSkewMs} ms)`,
    );
  }
  const traffic = new HandoffTraffic(c);
  // Forced collections would fill the profile: the heap figures are then live and dead bytes.
  const collect = profile === null;
  const feds = [
    ...(solo ? [] : [new Fed("off", spec, null, { collect })]),
    new Fed("on", spec, c.maxSkewMs, { collect }),
    ...(c.general ? [new Fed("on, full lanes", withoutShape(spec), c.maxSkewMs, { collect })] : []),
    ...(c.alsoTickMs === null ? [] : [
      new Fed(`on, ${c.alsoTickMs} ms ticks`, spec, c.maxSkewMs, {
        tickMs: c.alsoTickMs,
        collect,
      }),
    ]),
    ...(base === null
      ? []
      : [new Fed(`on at ${base.label}`, spec, c.maxSkewMs, { create: base.create, collect })]),
    ...(base === null || !c.general ? [] : [
      new Fed(`on at ${base.label}, full lanes`, withoutShape(spec), c.maxSkewMs, {
        create: base.create,
        collect,
      }),
    ]),
  ];
  const withCausal = feds.filter((f) => f.name !== "off");
  let stopped: BudgetExceeded | null = null;
  let rounds = 0;
  let profiler: Awaited<ReturnType<typeof startProfiler>> | null = null;
  if (profile !== null) {
    console.log(
      `profiling rounds 2 to ${c.rounds} (no anchor: the collector with causal verdicts only)`,
    );
  }
  try {
    for (let r = 0; r < c.rounds; r++) {
      if (profile !== null && r === 1) {
        profiler = await startProfiler({
          cpuFile: `${profile}.cpuprofile`,
          allocFile: `${profile}.heapprofile`,
        });
      }
      const { deliveries, events } = traffic.round();
      const order = feds.map((_, i) => feds[(i + r) % feds.length]!);
      const parts: string[] = [];
      for (const fed of order) {
        const m = fed.measure(
          events,
          () => fed.feed(deliveries, deadline, budgetS, `round ${r + 1}`),
        );
        fed.nsPerEvent.push(m.ms / events * 1e6);
        fed.bytesPerEvent.push(m.perEvent);
        fed.heaps.push(fed.heap);
      }
      for (const fed of feds) {
        const mt = fed.collector.metrics();
        const ms = fed.nsPerEvent.at(-1)! / 1e6 * events;
        parts.push(
          `${fed.name} ${ms.toFixed(0)} ms (${(events / ms / 1000).toFixed(2)}M/s), ` +
            `${fed.bytesPerEvent.at(-1)!.toFixed(0)} B/event, heap ${mb(fed.heap)} MB ` +
            `(${signed(fed.heap - (fed.heaps.at(-2) ?? 0))}), ` +
            `${fed.alerts.length} alerts, ${mt.late} late` +
            (fed.name === "off" ? "" : `, ${mt.causalLaneDrops} lane drops`),
        );
      }
      rounds++;
      console.log(
        `round ${r + 1} (${events} events, load ${Deno.loadavg()[0]!.toFixed(1)}): ${
          parts.join("; ")
        }`,
      );
    }
    if (profiler !== null) {
      const { cpu, alloc } = await profiler.stop();
      profiler = null;
      console.log(`CPU, self time (${profile}.cpuprofile):\n  ${topSelf(cpu!, 25).join("\n  ")}`);
      console.log(
        `allocations (${profile}.heapprofile):\n  ${topAllocations(alloc!, 15).join("\n  ")}`,
      );
    }
    if (heapFile !== null) {
      console.log(
        `heap snapshot after round ${rounds} (${heapFile}), self sizes by constructor:\n  ${
          (await heapSnapshot(heapFile, 25)).join("\n  ")
        }`,
      );
    }
    const last = traffic.drain();
    for (const fed of feds) {
      const m = fed.measure(1, () => {
        fed.feed(last, deadline, budgetS, "final");
        fed.finish(20_000, deadline, budgetS);
      });
      console.log(
        `final (last batches, 20 s of ticks, flush): ${fed.name} ${m.ms.toFixed(0)} ms, ` +
          `heap ${
            mb(fed.heap)
          } MB, ${fed.alerts.length} alerts, ${fed.collector.metrics().late} late`,
      );
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    stopped = e;
    console.log(`${e.message}, after ${rounds} full rounds`);
  }
  if (profiler !== null) await profiler.stop();
  if (!solo) summarize(feds, withCausal, rounds);
  if (stopped === null) {
    if (c.overlapEvery > 0) {
      for (const fed of feds) {
        console.log(checkAlerts(fed, traffic.overlaps, fed.name === "off" ? null : c.maxSkewMs));
      }
    } else {
      for (const fed of feds) {
        if (fed.alerts.length > 0) {
          throw new Error(
            `${fed.name}: ${fed.alerts.length} alerts on traffic with no split brain, first: ${
              fed.alerts[0]!.message
            }`,
          );
        }
      }
      console.log(`0 alerts (none expected), ${traffic.deps} dependencies sent`);
    }
  }
  console.log(`${c.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return stopped === null;
}
