/**
 * Calls from the collector into a compiled spec's module per applied event
 * (JavaScript-to-WebAssembly crossings: a count, not a time, so it does not
 * depend on the machine's load). The end-to-end workload
 * (`tools/harness/lease/workload.ts`: `--nodes` SDK nodes, `--keys` keys of
 * their own each, acquire then release) is ingested by this tree's
 * collector and, with `--base <git revision>`, by that revision's (its
 * `edge/` and `lib/` extracted beside the tree), each given the same
 * compiled spec wrapped so every call of an export is counted. With
 * `--shared`, every node steps the same `--keys` keys instead (partitions
 * of `--nodes` participants: the maintained aggregates take over from 8).
 *
 * Run: `deno run -A bench/crossings_bench.ts [--base <rev>] [--nodes 8] [--keys 64] [--shared]`
 *
 * @module
 */
import { treeAt } from "../tools/harness/tree_at.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { CompiledSpec, GlobalAggregates } from "../lib/abi/compiled.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";
import {
  compiledLease,
  leaseMonitors,
  leaseWorkloadFlags,
  stepLease,
} from "../tools/harness/lease/workload.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { decodeBatch } from "../lib/wire/decode.ts";

const shared = Deno.args.includes("--shared");
const { events, nodes, keys, args } = leaseWorkloadFlags(
  Deno.args.filter((a) => a !== "--shared"),
  { events: 200_000 },
  ["base"],
);
const baseRev = args.string.get("base");
const { lease, compiled } = await compiledLease();

/** The workload's batches, decoded. */
async function batches(): Promise<DecodedBatch[]> {
  const transport = memoryTransport();
  const out: Uint8Array[] = [];
  transport.subscribe((b) => void out.push(b));
  const batchers = Array.from(
    { length: nodes },
    () => createBatcher(transport, { maxEvents: 256, maxDelayMs: 2, maxBuffered: 1 << 20 }),
  );
  const monitors = leaseMonitors(lease, { nodes, keys, prefix: "p0", sinkOf: (i) => batchers[i] });
  for (let round = 0, sent = 0; sent < events; round++, sent += 2) stepLease(monitors, round);
  await Promise.all(batchers.map((x) => x.close()));
  const decoded = out.map((b) => decodeBatch(b));
  if (!shared) return decoded;
  // One key space for every node: `p0:<node>:<k>` becomes `p0:<k>`.
  return decoded.map((b) => ({
    ...b,
    events: b.events.map((e): DecodedEvent => ({ ...e, key: e.key.replace(/:\d+:/, ":") })),
  }));
}

/** The compiled spec with its exports' calls counted into `counts`. */
function counted(counts: Map<string, number>): CompiledSpec {
  const wrap = <T extends object>(target: T, names: readonly string[], prefix: string): T => {
    const made = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get(t, k) {
        const v = Reflect.get(t, k);
        if (typeof v !== "function") {
          return k === "globalAggregates" && v !== undefined
            ? made.get(k) ?? made.set(k, wrap(v as GlobalAggregates, AGG, "agg.")).get(k)
            : v;
        }
        if (!made.has(k)) {
          const name = `${prefix}${String(k)}`;
          const fn = v as (...a: unknown[]) => unknown;
          made.set(
            k,
            names.includes(String(k))
              ? (...a: unknown[]) => {
                counts.set(name, (counts.get(name) ?? 0) + 1);
                return fn.apply(t, a);
              }
              : fn.bind(t),
          );
        }
        return made.get(k);
      },
    });
  };
  return wrap(compiled, EXPORTS, "");
}

/** The module calls made per event (the record of aggregates' calls prefixed `agg.`). */
const EXPORTS = [
  "liveness",
  "globalLiveness",
  "globalCheck",
  "globalCheckNode",
  "globalAfter",
  "checkInvariants",
];
const AGG = ["add", "check", "liveness", "after"];

const workload = await batches();
const engines: [string, typeof createCollector][] = [
  ...(baseRev === undefined ? [] : [[
    `@${baseRev}`,
    (await import(`file://${await treeAt(baseRev, ["edge", "lib"])}/edge/engine/collector.ts`))
      .createCollector,
  ]] as [string, typeof createCollector][]),
  ["this tree", createCollector],
];
console.log(
  `${nodes} nodes, ${keys} keys ${shared ? "shared by all" : "per node"}, ${events} events`,
);
for (const [name, create] of engines) {
  const counts = new Map<string, number>();
  const c = create({ specs: [counted(counts)], windowMs: 0, now: () => 0 });
  for (const b of workload) c.ingest(b);
  c.flush();
  const applied = c.metrics().applied;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const each = [...counts].map(([k, v]) => `${k} ${(v / applied).toFixed(2)}`).join(", ");
  console.log(
    `${name.padEnd(14)} ${(total / applied).toFixed(2)} calls per applied event (${each})`,
  );
}
