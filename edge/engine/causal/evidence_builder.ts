/**
 * The picture of a causal episode (`evidence.ts`, drawn by the dashboard
 * and `vigil replay --html`): the lanes (the named nodes first), the
 * events of the episode's cuts and of the senders of their dependencies
 * on the merged time axis, the messages between them, the chosen cut, and
 * which events are concurrent with the cut's events of other lanes.
 *
 * Every drawn event is a point of one shape ({@link DrawnPoints}), copied
 * from the interval or end event it stands for, and found again by its
 * lane and HLC: the picture is built once per alert (cold code), and a mix
 * of intervals and literals, or a string key per lookup, kept it slow.
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

/** A drawn event (every one made by `DrawnPoints.#add`: one shape). */
interface Point {
  readonly node: string;
  readonly boot: string;
  readonly seq: number;
  readonly action: number;
  readonly wall: number;
  readonly logical: number;
  /** Its position on the merged time axis (-1 until {@link DrawnPoints.sorted}). */
  index: number;
}

/**
 * The events drawn on a picture's lanes, each once: the first point added
 * for an event (by node and HLC) stands for it. Found by a scan of its
 * lane's points (a few per lane: an episode's cuts share most intervals).
 */
class DrawnPoints {
  /** Every point, in the order added. */
  readonly all: Point[] = [];
  readonly #slot = new Map<string, number>();
  readonly #byLane: Point[][] = [];

  constructor(lanes: readonly string[]) {
    for (const node of lanes) {
      this.#slot.set(node, this.#byLane.length);
      this.#byLane.push([]);
    }
  }

  /** True when `node` has a lane in the picture. */
  drawn(node: string): boolean {
    return this.#slot.has(node);
  }

  /** The point drawn for `node`'s event at HLC (`wall`, `logical`), undefined if none is. */
  find(node: string, wall: number, logical: number): Point | undefined {
    const slot = this.#slot.get(node);
    return slot === undefined ? undefined : DrawnPoints.#at(this.#byLane[slot]!, wall, logical);
  }

  /** The point drawn for `i`'s start (undefined: none, or not on a drawn lane). */
  start(i: Interval): Point | undefined {
    return this.#add(i.node, i.boot, i.seq, i.action, i.wall, i.logical);
  }

  /** The point drawn for the event that ended `i` (undefined: none recorded, or not drawn). */
  end(i: Interval): Point | undefined {
    return this.#add(i.node, i.boot, i.endSeq, i.endAction, i.endWall, i.endLogical);
  }

  /** The points in HLC order (then by node), each given its index. */
  sorted(): Point[] {
    const sorted = this.all.slice().sort((a, b) =>
      a.wall - b.wall || a.logical - b.logical || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)
    );
    for (let k = 0; k < sorted.length; k++) sorted[k]!.index = k;
    return sorted;
  }

  /** The point of `lane` at HLC (`wall`, `logical`), undefined if none. */
  static #at(lane: readonly Point[], wall: number, logical: number): Point | undefined {
    for (const pt of lane) if (pt.wall === wall && pt.logical === logical) return pt;
    return undefined;
  }

  /** The point drawn for this event (a new one if it is the first), undefined if none is drawn. */
  #add(
    node: string,
    boot: string,
    seq: number,
    action: number,
    wall: number,
    logical: number,
  ): Point | undefined {
    if (seq < 0) return undefined;
    const slot = this.#slot.get(node);
    if (slot === undefined) return undefined;
    const lane = this.#byLane[slot]!;
    const known = DrawnPoints.#at(lane, wall, logical);
    if (known !== undefined) return known;
    const pt: Point = { node, boot, seq, action, wall, logical, index: -1 };
    lane.push(pt);
    this.all.push(pt);
    return pt;
  }
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
  const points = new DrawnPoints(lanes);
  // The intervals of the episode's cuts, each once, in the order first met (cuts in a row share most:
  // one the cut before holds at the same place is known).
  const intervals = new Set<Interval>();
  let previous: readonly Interval[] = [];
  for (const f of input.found) {
    const cut = f.cut;
    for (let k = 0; k < cut.length; k++) if (cut[k] !== previous[k]) intervals.add(cut[k]!);
    previous = cut;
  }
  for (const i of intervals) {
    points.start(i);
    const lane = input.lanes[i.lane]!;
    const at = lane.indexOf(i);
    // A stretch outside P of a lane of P-intervals only is in no lane (and is still open).
    const next = at < 0 ? undefined : lane[at + 1];
    if (next !== undefined && next.wall === i.endWall && next.logical === i.endLogical) {
      points.start(next);
    } else if (i.endSeq >= 0) points.end(i);
    else if (next !== undefined) points.start(next);
  }
  // The senders of the dependencies drawn events carry: their last drawn (or kept) event before the stamp.
  const arrows: Point[] = [];
  const laneOf = new Map<string, readonly Interval[] | undefined>();
  const receivers = points.all.length;
  for (let k = 0; k < receivers; k++) {
    const pt = points.all[k]!;
    for (const d of deps.entriesAt(pt.node, pt)) {
      // Only a drawn lane's event is drawn: the sender's lane is not searched for another.
      if (!points.drawn(d.node)) continue;
      let lane = laneOf.get(d.node);
      if (!laneOf.has(d.node)) {
        const laneIndex = p.participants.findIndex((q) => q.node === d.node);
        lane = laneIndex < 0 ? undefined : input.lanes[laneIndex];
        laneOf.set(d.node, lane);
      }
      const sender = lane === undefined ? undefined : senderIn(lane, d, points);
      if (sender !== undefined) arrows.push(sender, pt);
    }
  }
  const sorted = points.sorted();
  /** The index of the event drawn for `i`'s start, -1 when none is. */
  const drawnAt = (i: Interval) => points.find(i.node, i.wall, i.logical)?.index ?? -1;
  const cutStarts = chosen.cut.filter((i) => i.seq >= 0);
  const inCut = new Set(cutStarts.map(drawnAt));
  // Whether an event and a cut start are ordered, by the vector clocks at each (read once per event).
  const ids = new Map<string, number>();
  const cutNodes = new Set(cutStarts.map((c) => c.node));
  deps.nodes.forEach((node, id) => {
    if (points.drawn(node) || cutNodes.has(node)) ids.set(node, id);
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
  for (let k = 0; k < arrows.length; k += 2) {
    const from = arrows[k]!.index;
    const to = arrows[k + 1]!.index;
    if (from !== to) messages.push({ from, to });
  }
  const cut = lanes.map((node) => {
    const i = chosen.cut.find((c) => c.node === node);
    return i === undefined || i.seq < 0 ? -1 : drawnAt(i);
  });
  return { verdict, maxSkewMs, lanes, events, messages, cut };
}

/**
 * The point drawn for the last event of `lane` at or before stamp `d`: an
 * interval's start, or its end event when that is at or before it too
 * (its end event, when no interval starts there, comes after its start):
 * the lane's last interval starting at or before the stamp decides.
 * Undefined when there is none or it is not drawn.
 */
function senderIn(
  lane: readonly Interval[],
  d: HlcPoint,
  points: DrawnPoints,
): Point | undefined {
  let sender: Interval | undefined;
  let endedAt: Interval | undefined;
  for (const i of lane) {
    if (atOrBefore(i.wall, i.logical, d.wall, d.logical)) {
      sender = i;
      endedAt = undefined;
    }
    if (i.endSeq >= 0 && atOrBefore(i.endWall, i.endLogical, d.wall, d.logical)) endedAt = i;
  }
  if (endedAt !== undefined) return points.end(endedAt);
  return sender === undefined ? undefined : points.start(sender);
}
