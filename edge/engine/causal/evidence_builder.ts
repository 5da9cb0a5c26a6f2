/**
 * The picture of a causal episode (`evidence.ts`, drawn by the dashboard
 * and `vigil replay --html`): the lanes (the named nodes first), the
 * events of the episode's cuts and of the senders of their dependencies
 * on the merged time axis, the messages between them, the chosen cut, and
 * which events are concurrent with the cut's events of other lanes.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import { atOrBefore, type DependencyTable, type HlcPoint, NO_VECTOR } from "./happened_before.ts";
import type { CausalEvidence, EvidenceEvent, EvidenceMessage } from "./evidence.ts";
import type { Found, Interval } from "./lanes.ts";

/** What an episode's picture is drawn from. */
export interface EvidenceInput {
  /** The judge's dependencies. */
  readonly deps: DependencyTable;
  /** The partition's lanes. */
  readonly lanes: readonly (readonly Interval[])[];
  /** The episode's cuts. */
  readonly found: readonly Found[];
  /** The alert's cut. */
  readonly chosen: Found;
  /** The nodes the alert names. */
  readonly nodes: readonly string[];
  readonly verdict: "possibly" | "definitely";
  /** The skew bound the verdict assumed. */
  readonly maxSkewMs: number;
}

/**
 * The picture of an episode of partition `p`.
 *
 * @example How the judge draws the episode it raises
 * ```ts ignore
 * const causal = buildEvidence(p, { deps, lanes, found: ep.found, chosen, nodes, verdict, maxSkewMs: 500 });
 * ```
 */
export function buildEvidence(p: Partition, input: EvidenceInput): CausalEvidence {
  const { deps, chosen, nodes, verdict, maxSkewMs } = input;
  const lanes = [...nodes];
  for (const i of chosen.cut) {
    if (lanes.length < 16 && !lanes.includes(i.node)) lanes.push(i.node);
  }
  const drawn = new Set(lanes);
  type Point = {
    node: string;
    boot: string;
    seq: number;
    action: number;
    wall: number;
    logical: number;
  };
  // Each event drawn once, the first point added for it standing for it (by node and HLC).
  const points = new Map<string, Point>();
  const keyOf = (pt: HlcPoint & { node: string }) =>
    `${pt.node}\u0000${pt.wall}\u0000${pt.logical}`;
  /** The point drawn for `pt`'s event (`pt` itself if it is the first), undefined if none is drawn. */
  const add = (pt: Point): Point | undefined => {
    if (pt.seq < 0 || !drawn.has(pt.node)) return undefined;
    const key = keyOf(pt);
    const known = points.get(key);
    if (known !== undefined) return known;
    points.set(key, pt);
    return pt;
  };
  const intervals = new Set<Interval>();
  for (const f of input.found) for (const i of f.cut) intervals.add(i);
  /** The event that ended `i`, when no interval starts there (a lane of P-intervals only). */
  const endOf = (i: Interval): Point | null =>
    i.endSeq < 0 ? null : {
      node: i.node,
      boot: i.boot,
      seq: i.endSeq,
      action: i.endAction,
      wall: i.endWall,
      logical: i.endLogical,
    };
  for (const i of intervals) {
    add(i);
    const lane = input.lanes[i.lane]!;
    const at = lane.indexOf(i);
    // A stretch outside P of a lane of P-intervals only is in no lane (and is still open).
    const next = at < 0 ? undefined : lane[at + 1];
    if (next !== undefined && next.wall === i.endWall && next.logical === i.endLogical) add(next);
    else {
      const end = endOf(i);
      if (end !== null) add(end);
      else if (next !== undefined) add(next);
    }
  }
  // The senders of the dependencies drawn events carry: their last drawn (or kept) event before the stamp.
  const arrows: { from: Point; to: Point }[] = [];
  const laneOf = new Map<string, readonly Interval[] | undefined>();
  for (const pt of [...points.values()]) {
    for (const d of deps.entriesAt(pt.node, pt)) {
      // Only a drawn lane's event is drawn: the sender's lane is not searched for another.
      if (!drawn.has(d.node)) continue;
      let lane = laneOf.get(d.node);
      if (!laneOf.has(d.node)) {
        const laneIndex = p.participants.findIndex((q) => q.node === d.node);
        lane = laneIndex < 0 ? undefined : input.lanes[laneIndex];
        laneOf.set(d.node, lane);
      }
      const sender = lane === undefined ? undefined : senderIn(lane, d, endOf);
      if (sender === undefined || sender.seq < 0 || !drawn.has(sender.node)) continue;
      arrows.push({ from: add(sender)!, to: pt });
    }
  }
  const sorted = [...points.values()].sort((a, b) =>
    a.wall - b.wall || a.logical - b.logical || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)
  );
  const indexOf = new Map<Point, number>();
  sorted.forEach((pt, k) => indexOf.set(pt, k));
  /** The index of the event drawn for `i`'s start, -1 when none is. */
  const drawnAt = (i: Interval) => {
    const pt = points.get(keyOf(i));
    return pt === undefined ? -1 : indexOf.get(pt)!;
  };
  const cutStarts = chosen.cut.filter((i) => i.seq >= 0);
  const inCut = new Set(cutStarts.map(drawnAt));
  // Whether an event and a cut start are ordered, by the vector clocks at each (read once per event).
  const ids = new Map<string, number>();
  const cutNodes = new Set(cutStarts.map((c) => c.node));
  deps.nodes.forEach((node, id) => {
    if (drawn.has(node) || cutNodes.has(node)) ids.set(node, id);
  });
  const vcOf = (pt: HlcPoint & { node: string }) => {
    const id = ids.get(pt.node);
    return id === undefined ? NO_VECTOR : deps.vectorHandle(id, pt.wall, pt.logical);
  };
  const starts = cutStarts.map((c) => ({ c, id: ids.get(c.node), vc: vcOf(c) }));
  /** `a` (of node number `ia`, undefined: unknown) happened before the event of vector `vb` (`deps.precedes`). */
  const before = (a: HlcPoint, ia: number | undefined, vb: number) =>
    ia !== undefined && deps.knows(vb, ia, a.wall, a.logical);
  const actions = p.served.compiled.meta.actions;
  const events: EvidenceEvent[] = sorted.map((pt, index) => {
    const id = ids.get(pt.node);
    let vc: number | undefined;
    let concurrent = true;
    for (const s of starts) {
      if (s.c.node === pt.node) continue;
      vc ??= vcOf(pt);
      if (before(pt, id, s.vc) || (id !== undefined && before(s.c, s.id, vc))) {
        concurrent = false;
        break;
      }
    }
    return {
      index,
      node: pt.node,
      boot: pt.boot,
      seq: pt.seq,
      at: { wall: pt.wall, logical: pt.logical },
      action: actions[pt.action]?.name ?? `#${pt.action}`,
      concurrent,
      inCut: inCut.has(index),
    };
  });
  const messages: EvidenceMessage[] = [];
  for (const a of arrows) {
    const from = indexOf.get(a.from)!;
    const to = indexOf.get(a.to)!;
    if (from !== to) messages.push({ from, to });
  }
  const cut = lanes.map((node) => {
    const i = chosen.cut.find((c) => c.node === node);
    return i === undefined || i.seq < 0 ? -1 : drawnAt(i);
  });
  return { verdict, maxSkewMs, lanes, events, messages, cut };
}

/**
 * The last event of `lane` at or before stamp `d`: an interval's start,
 * or its end event (`endOf`) when that is at or before it too (its end
 * event, when no interval starts there, comes after its start): the
 * lane's last interval starting at or before the stamp decides. Builds the
 * end event of that one only.
 */
function senderIn<P extends HlcPoint>(
  lane: readonly Interval[],
  d: HlcPoint,
  endOf: (i: Interval) => P | null,
): Interval | P | undefined {
  let sender: Interval | undefined;
  let endedAt: Interval | undefined;
  for (const i of lane) {
    if (atOrBefore(i.wall, i.logical, d.wall, d.logical)) {
      sender = i;
      endedAt = undefined;
    }
    if (i.endSeq >= 0 && atOrBefore(i.endWall, i.endLogical, d.wall, d.logical)) endedAt = i;
  }
  return endedAt !== undefined ? endOf(endedAt) ?? undefined : sender;
}
