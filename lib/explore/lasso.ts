/**
 * The lasso search for local liveness `when P then eventually Q` (the time
 * bound ignored): a violation is a reachable state where P holds and Q does
 * not, from which a path through states where Q never holds reaches a cycle
 * of such states. Stuttering (staying in a state without a step) is not a
 * cycle: only real transitions count, so a state with no enabled action is a
 * deadlock, reported as such.
 *
 * The search restricts the explored graph to the states where Q is false,
 * finds its strongly connected components (iterative Tarjan), marks the
 * states on a cycle (a component of two or more states, or a self-loop),
 * then runs a multi-source breadth-first search from every P-and-not-Q
 * state (in discovery order) through not-Q states to the nearest state on a
 * cycle, and closes the cycle with a breadth-first search inside its
 * component.
 *
 * @module
 */

/** The explored graph: edges of state `i` are `edgeTarget[edgeStart[i] .. edgeStart[i+1])` for `i < expanded`. */
export interface Graph {
  readonly expanded: number;
  readonly edgeStart: Int32Array;
  readonly edgeTarget: Int32Array;
}

/** A lasso: `stem` from a P-state to the cycle's first state, `cycle` returning to it (first state repeated last). */
export interface Lasso {
  /** The state where P held and Q did not: the start of the stem. */
  readonly start: number;
  /** States from `start` to the cycle's entry, inclusive. */
  readonly stem: readonly number[];
  /** States around the cycle, beginning and ending with the entry state. */
  readonly cycle: readonly number[];
}

function successors(g: Graph, i: number): [number, number] {
  if (i >= g.expanded) return [0, 0];
  return [g.edgeStart[i]!, g.edgeStart[i + 1]!];
}

/** Component ids (-1 outside `inside`) and which states lie on a cycle inside `inside`. */
export function cyclicStates(
  g: Graph,
  inside: (i: number) => boolean,
  n: number,
): { comp: Int32Array; cyclic: Uint8Array } {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const cyclic = new Uint8Array(n);
  const stack: number[] = [];
  const work: number[] = []; // pairs (node, next edge position)
  let counter = 0, comps = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || !inside(root)) continue;
    work.push(root, successors(g, root)[0]);
    index[root] = low[root] = counter++;
    stack.push(root), onStack[root] = 1;
    while (work.length > 0) {
      const v = work[work.length - 2]!;
      const pos = work[work.length - 1]!;
      const [, end] = successors(g, v);
      if (pos < end) {
        work[work.length - 1] = pos + 1;
        const u = g.edgeTarget[pos]!;
        if (!inside(u)) continue;
        if (u === v) cyclic[v] = 1;
        if (index[u] === -1) {
          index[u] = low[u] = counter++;
          stack.push(u), onStack[u] = 1;
          work.push(u, successors(g, u)[0]);
        } else if (onStack[u] === 1) low[v] = Math.min(low[v]!, index[u]!);
        continue;
      }
      work.length -= 2;
      if (work.length > 0) {
        const p = work[work.length - 2]!;
        low[p] = Math.min(low[p]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        const id = comps++;
        let u: number;
        do {
          u = stack.pop()!;
          onStack[u] = 0;
          comp[u] = id;
          members.push(u);
        } while (u !== v);
        if (members.length > 1) { for (const m of members) cyclic[m] = 1; }
      }
    }
  }
  return { comp, cyclic };
}

/** Breadth-first search from `sources` through `inside` states to the first `goal`; the path or null. */
function bfsPath(
  g: Graph,
  sources: readonly number[],
  inside: (i: number) => boolean,
  goal: (i: number) => boolean,
  n: number,
): number[] | null {
  const pred = new Int32Array(n).fill(-2);
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  for (const s of sources) {
    if (pred[s] !== -2) continue;
    pred[s] = -1;
    queue[tail++] = s;
  }
  while (head < tail) {
    const v = queue[head++]!;
    if (goal(v)) {
      const path: number[] = [];
      for (let s = v; s >= 0; s = pred[s]!) path.push(s);
      return path.reverse();
    }
    const [from, end] = successors(g, v);
    for (let e = from; e < end; e++) {
      const u = g.edgeTarget[e]!;
      if (pred[u] !== -2 || !inside(u)) continue;
      pred[u] = v;
      queue[tail++] = u;
    }
  }
  return null;
}

/** The shortest cycle from `entry` back to itself inside its component. */
function cycleThrough(g: Graph, entry: number, comp: Int32Array, n: number): number[] {
  const id = comp[entry]!;
  const [from, end] = successors(g, entry);
  for (let e = from; e < end; e++) if (g.edgeTarget[e] === entry) return [entry, entry];
  const starts: number[] = [];
  for (let e = from; e < end; e++) {
    const u = g.edgeTarget[e]!;
    if (comp[u] === id) starts.push(u);
  }
  const back = bfsPath(g, starts, (i) => comp[i] === id, (i) => {
    const [f, t] = successors(g, i);
    for (let e = f; e < t; e++) if (g.edgeTarget[e] === entry) return true;
    return false;
  }, n);
  if (back === null) throw new RangeError(`State '${entry}' is not on a cycle`);
  return [entry, ...back, entry];
}

/**
 * Finds a lasso for liveness bits `when` and `eventually` over the explored
 * graph, or `null` when none exists among the expanded states.
 *
 * @example A loop that never reaches Q
 * ```ts
 * import assert from "node:assert/strict";
 * import { findLasso } from "./lasso.ts";
 * // 0 -> 1 -> 2 -> 1; P holds in 1, Q nowhere.
 * const g = { expanded: 3, edgeStart: new Int32Array([0, 1, 2, 3]), edgeTarget: new Int32Array([1, 2, 1]) };
 * const lasso = findLasso(g, (i) => i === 1, () => false, 3);
 * assert.ok(lasso !== null && lasso.cycle.length === 3);
 * ```
 */
export function findLasso(
  g: Graph,
  when: (i: number) => boolean,
  eventually: (i: number) => boolean,
  n: number,
): Lasso | null {
  const inside = (i: number) => i < g.expanded && !eventually(i);
  const { comp, cyclic } = cyclicStates(g, inside, n);
  const sources: number[] = [];
  for (let i = 0; i < g.expanded; i++) if (when(i) && inside(i)) sources.push(i);
  if (sources.length === 0) return null;
  const stem = bfsPath(g, sources, inside, (i) => cyclic[i] === 1, n);
  if (stem === null) return null;
  const entry = stem[stem.length - 1]!;
  return { start: stem[0]!, stem, cycle: cycleThrough(g, entry, comp, n) };
}

/** An explored graph with each state's liveness bits (two per item: `when`, `eventually`). */
export interface LiveGraph {
  readonly expanded: number;
  readonly edgeStart: Int32Array | null;
  readonly edgeTarget: Int32Array | null;
  readonly liveBits: Int32Array;
  readonly states: { readonly size: number };
}

/**
 * The lasso of liveness item `k` (bit `2k`: its `when` predicate holds; bit
 * `2k + 1`: its `eventually` predicate holds) in an exploration kept with
 * its edges, or `null`.
 */
export function itemLasso(x: LiveGraph, k: number): Lasso | null {
  if (x.edgeStart === null || x.edgeTarget === null) {
    throw new RangeError("The exploration kept no edges to search for lassos");
  }
  const graph = { expanded: x.expanded, edgeStart: x.edgeStart, edgeTarget: x.edgeTarget };
  const when = 1 << (2 * k), eventually = 1 << (2 * k + 1);
  return findLasso(
    graph,
    (i) => (x.liveBits[i]! & when) !== 0,
    (i) => (x.liveBits[i]! & eventually) !== 0,
    x.states.size,
  );
}
