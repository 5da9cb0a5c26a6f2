/**
 * What a `bench/causal_soak_bench.ts` run prints besides its rounds: the
 * summary over the rounds after start-up, the check of the alerts against
 * the injected split brains, and a heap snapshot's largest constructors.
 *
 * @module
 */
import type { Alert, Fed } from "./fed.ts";
import type { Overlap } from "./traffic.ts";
import { WINDOW_MS } from "./workloads.ts";

export const mb = (b: number) => (b / 1e6).toFixed(1);
export const signed = (b: number) => `${b >= 0 ? "+" : ""}${mb(b)}`;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2 === 1
    ? s[s.length >> 1]!
    : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Least-squares slope of `ys` against their index. */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return NaN;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** Checks the alerts of `fed` against the injected overlaps: one each, naming both nodes. */
export function checkAlerts(
  fed: Fed,
  overlaps: readonly Overlap[],
  maxSkewMs: number | null,
): string {
  const byKey = new Map<string, { injected: Overlap[]; alerts: Alert[] }>();
  const at = (key: string) => {
    let e = byKey.get(key);
    if (e === undefined) byKey.set(key, e = { injected: [], alerts: [] });
    return e;
  };
  for (const o of overlaps) at(o.key).injected.push(o);
  for (const v of fed.alerts) at(v.partition).alerts.push(v);
  const problems: string[] = [];
  let named = 0;
  let definitely = 0;
  const slack = 2 * (maxSkewMs ?? 0) + WINDOW_MS;
  for (const [key, { injected, alerts }] of byKey) {
    alerts.sort((x, y) => x.at.wall - y.at.wall || x.at.logical - y.at.logical);
    if (injected.length !== alerts.length) {
      problems.push(
        `'${key}': ${injected.length} split brains injected (at ${
          injected.map((o) => o.wall).join(", ")
        }), ${alerts.length} alerts (at ${alerts.map((v) => v.at.wall).join(", ")})`,
      );
      continue;
    }
    injected.forEach((o, i) => {
      const v = alerts[i]!;
      if (Math.abs(v.at.wall - o.wall) > slack) {
        problems.push(`'${key}': alert at ${v.at.wall} for the split brain at ${o.wall}`);
      }
      if (v.nodes.includes(o.a) && v.nodes.includes(o.b)) named++;
      else {problems.push(
          `'${key}' at ${o.wall}: alert names ${v.nodes.join(", ")}, not ${o.a}, ${o.b}`,
        );}
      if (v.verdict === "definitely") definitely++;
    });
  }
  if (problems.length > 0) {
    throw new Error(
      `${fed.name}: ${fed.alerts.length} alerts for ${overlaps.length} injected split brains; ${problems.length} problems, first: ${
        problems.slice(0, 5).join("; ")
      }`,
    );
  }
  return `${fed.name}: ${fed.alerts.length} alerts for ${overlaps.length} injected split brains, one each, ${named} naming both nodes` +
    (maxSkewMs === null ? "" : ` (${definitely} definitely)`);
}

/**
 * Writes a V8 heap snapshot of this process to `file` (through
 * `node:inspector`) and returns its `n` largest constructors by summed
 * self size, as "MB count name".
 */
export async function heapSnapshot(file: string, n: number): Promise<string[]> {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const chunks: string[] = [];
  session.on("HeapProfiler.addHeapSnapshotChunk", (m) => void chunks.push(m.params.chunk));
  await new Promise<void>((resolve, reject) =>
    session.post("HeapProfiler.takeHeapSnapshot", {}, (e) => e ? reject(e) : resolve())
  );
  session.disconnect();
  const text = chunks.join("");
  await Deno.writeTextFile(file, text);
  const snap = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const types = snap.snapshot.meta.node_types[0];
  const by = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt!]!]!;
    const name = type === "object" || type === "native"
      ? snap.strings[snap.nodes[i + nameAt!]!]!
      : `(${type})`;
    const e = by.get(name) ?? { bytes: 0, count: 0 };
    e.bytes += snap.nodes[i + sizeAt!]!;
    e.count++;
    by.set(name, e);
  }
  return [...by].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, n)
    .map(([name, e]) => `${(e.bytes / 1e6).toFixed(2)} MB ${e.count} ${name.slice(0, 60)}`);
}

/** The summary over the rounds after the first (start-up). */
export function summarize(feds: readonly Fed[], withCausal: readonly Fed[], rounds: number): void {
  if (rounds < 2) {
    console.log("summary: fewer than 2 rounds, no steady state to report");
    return;
  }
  const steady = (xs: readonly number[]) => xs.slice(1, rounds);
  const off = feds[0]!;
  const offNs = median(steady(off.nsPerEvent));
  for (const fed of feds) {
    const ns = steady(fed.nsPerEvent);
    const third = Math.max(1, Math.floor(ns.length / 3));
    const early = median(ns.slice(0, third));
    const late = median(ns.slice(-third));
    const heaps = fed.heaps.slice(0, rounds);
    const half = heaps.slice(Math.floor(heaps.length / 2));
    console.log(
      `summary ${fed.name}: ${median(ns).toFixed(0)} CPU ns/event (${
        (1e3 / median(ns)).toFixed(2)
      }M per CPU s), ` +
        `${
          median(steady(fed.bytesPerEvent)).toFixed(0)
        } B/event; last ${third} rounds / first ${third} after start-up: ` +
        `${(late / early).toFixed(2)}x CPU per event (CPU per round's slope ${
          slope(ns).toFixed(1)
        } ns/event per round); ` +
        `heap ${mb(heaps[0]!)} MB after round 1, ${mb(heaps.at(-1)!)} MB after round ${rounds}, ` +
        `second half's slope ${(slope(half) / 1e3).toFixed(1)} KB per round`,
    );
  }
  for (const fed of withCausal) {
    // Per round, on over off: the anchor ran in the same round, so a load shift hits both.
    const ratio = steady(fed.nsPerEvent).map((ns, r) => ns / steady(off.nsPerEvent)[r]!);
    const third = Math.max(1, Math.floor(ratio.length / 3));
    console.log(
      `summary: causal verdicts (${fed.name}) add ${
        (median(steady(fed.nsPerEvent)) - offNs).toFixed(0)
      } CPU ns/event, ` +
        `${
          (median(steady(fed.bytesPerEvent)) - median(steady(off.bytesPerEvent))).toFixed(0)
        } B/event, ` +
        `on/off ${(median(steady(fed.nsPerEvent)) / offNs).toFixed(2)}x; ` +
        `on/off per round, last ${third} rounds / first ${third} after start-up (load cancels): ${
          (median(ratio.slice(-third)) / median(ratio.slice(0, third))).toFixed(2)
        }x`,
    );
  }
}
