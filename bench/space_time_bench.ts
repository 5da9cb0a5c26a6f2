/**
 * The cost of drawing a violation's space-time diagram
 * (`renderSpaceTime`, what `GET /api/violations/:id/diagram.svg` and
 * `vigil replay --html` run once per violation) on generated evidence of
 * 3 lanes / 6 events (the A/B/C case), 16 lanes / 120 events and 64 lanes /
 * 500 events (the largest the renderer is laid out for). The anchor in each
 * group is `JSON.stringify` of the same evidence: what serving the
 * violation as JSON already costs.
 *
 * Run: `deno bench -A bench/space_time_bench.ts`
 *
 * @module
 */
import type { CausalEvidence, EvidenceEvent } from "../edge/engine/causal/evidence.ts";
import { renderSpaceTime } from "../edge/diagram/space_time_svg.ts";

/** n events round-robin over the lanes, a message every 7th event, the cut on the first 3 lanes. */
function evidence(lanes: number, n: number): CausalEvidence {
  const names = Array.from({ length: lanes }, (_, i) => `api-${i}`);
  const events: EvidenceEvent[] = Array.from({ length: n }, (_, i) => ({
    index: i,
    node: names[i % lanes]!,
    boot: "b1",
    seq: Math.floor(i / lanes),
    at: { wall: 1_764_800_000_000 + i * 7, logical: i % 3 },
    action: i % 2 === 0 ? "acquire" : "release",
    concurrent: i % 5 === 0,
    inCut: i >= n - Math.min(lanes, 3),
  }));
  const messages = [];
  for (let i = 7; i < n; i += 7) {
    if (events[i - 3]!.node !== events[i]!.node) messages.push({ from: i - 3, to: i });
  }
  const cut = names.slice(0, Math.min(lanes, 3)).map((l) => {
    for (let i = n - 1; i >= 0; i--) if (events[i]!.node === l) return i;
    return -1;
  });
  return { verdict: "possibly", maxSkewMs: 500, lanes: names, events, messages, cut };
}

for (const [lanes, n] of [[3, 6], [16, 120], [64, 500]] as const) {
  const e = evidence(lanes, n);
  const group = `${lanes} lanes, ${n} events`;
  Deno.bench({ name: `JSON.stringify (${group})`, group, baseline: true }, () => {
    JSON.stringify(e);
  });
  Deno.bench({ name: `renderSpaceTime (${group})`, group }, () => {
    renderSpaceTime(e, { title: "Lease OneHolder in 'lock:a'" });
  });
}
